package no.tillit

import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.nio.file.Files
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** A [BackupSource] over any [InputStream]: how Kotlin callers stream into `sealBackup`. */
class InputStreamSource(private val input: InputStream) : BackupSource {
    override fun read(maxLen: UInt): ByteArray {
        val buffer = ByteArray(maxLen.toInt())
        val n = try {
            input.read(buffer)
        } catch (e: IOException) {
            throw BackupStreamException.Failed(e.message ?: "read failed")
        }
        return if (n <= 0) ByteArray(0) else buffer.copyOf(n)
    }
}

/** A [BackupSink] over any [OutputStream]. */
class OutputStreamSink(private val output: OutputStream) : BackupSink {
    override fun write(data: ByteArray) {
        try {
            output.write(data)
        } catch (e: IOException) {
            throw BackupStreamException.Failed(e.message ?: "write failed")
        }
    }
}

/** Sealed backups from Kotlin: Rust's archives open, streams, arrays and files round trip. */
class BackupTest {
    private val data = File(System.getProperty("tillit.repo.root", "../.."), "tests/data/backup")

    private fun fixtureRing(): BackupKeyRing {
        val hex = File(data, "fixture.key.hex").readText().trim()
        val material = hex.chunked(2).map { it.toInt(16).toByte() }.toByteArray()
        val ring = BackupKeyRing()
        ring.addKey(BackupKey.fromBytes("fixture-2026", material))
        ring.addPassphrase("fixture-vault", "korrekt hest batteri stift")
        return ring
    }

    @Test
    fun archivesWrittenByRustOpen() {
        val expected = File(data, "fixture.txt").readBytes()
        for (name in listOf("fixture.tlb", "fixture-passphrase.tlb")) {
            val out = ByteArrayOutputStream()
            val summary = File(data, name).inputStream().use {
                openBackup(InputStreamSource(it), OutputStreamSink(out), fixtureRing())
            }
            assertContentEquals(expected, out.toByteArray(), name)
            assertEquals(expected.size.toULong(), summary.plaintextBytes)
            assertContentEquals(expected, openBackupBytes(File(data, name).readBytes(), fixtureRing()))
        }
    }

    @Test
    fun streamsRoundTripAroundChunkBoundaries() {
        val key = BackupKey.generate("kt-2026")
        val ring = BackupKeyRing()
        ring.addKey(key)
        for (algorithm in BackupAlgorithm.entries) {
            for (size in listOf(0, 1, 63, 64, 65, 1000)) {
                val plain = ByteArray(size) { (it % 251).toByte() }
                val sealed = ByteArrayOutputStream()
                val summary = sealBackup(
                    InputStreamSource(ByteArrayInputStream(plain)),
                    OutputStreamSink(sealed),
                    key,
                    algorithm,
                    64u,
                )
                assertEquals(maxOf(1, (size + 63) / 64).toULong(), summary.chunks)
                val opened = ByteArrayOutputStream()
                openBackup(
                    InputStreamSource(ByteArrayInputStream(sealed.toByteArray())),
                    OutputStreamSink(opened),
                    ring,
                )
                assertContentEquals(plain, opened.toByteArray(), "$algorithm $size")
            }
        }
    }

    @Test
    fun tamperingAndMissingKeysAreTyped() {
        val key = BackupKey.generate("k")
        val archive = sealBackupBytes(ByteArray(500) { 7 }, key, BackupAlgorithm.AES256_GCM, 64u)
        val ring = BackupKeyRing()
        ring.addKey(key)

        val flipped = archive.copyOf()
        flipped[flipped.size - 20] = (flipped[flipped.size - 20].toInt() xor 1).toByte()
        assertFailsWith<TillitException.BackupIntegrity> { openBackupBytes(flipped, ring) }

        val cut = archive.copyOf(archive.size - (500 % 64) - 16)
        val truncated = assertFailsWith<TillitException.BackupIntegrity> { openBackupBytes(cut, ring) }
        assertTrue(truncated.message!!.contains("truncated"), truncated.message)

        val unknown = assertFailsWith<TillitException.BackupKey> {
            openBackupBytes(archive, BackupKeyRing())
        }
        assertTrue(unknown.message!!.contains("\"k\""), unknown.message)

        val future = archive.copyOf()
        future[8] = 2
        assertFailsWith<TillitException.BackupFormat> { openBackupBytes(future, ring) }

        assertFailsWith<TillitException.InvalidArgument> { BackupKey.generate("has space") }
        assertFailsWith<TillitException.InvalidArgument> { ring.addKey(key) }
        assertFailsWith<TillitException.InvalidArgument> {
            sealBackupBytes(ByteArray(0), key, BackupAlgorithm.AES256_GCM, 10u)
        }
    }

    @Test
    fun filesAndPassphrases() {
        val dir = Files.createTempDirectory("tillit-backup").toFile()
        try {
            val plain = ByteArray(200_000) { (it % 199).toByte() }
            val source = File(dir, "ledger.csv").apply { writeBytes(plain) }
            val key = BackupKey.deriveFromPassphrase("vault", "sju fine fjorder", 64u, 1u, 1u)
            assertTrue(key.isFromPassphrase())
            sealBackupFile(source.path, File(dir, "ledger.tlb").path, key, BackupAlgorithm.CHACHA20_POLY1305, 65536u)

            val ring = BackupKeyRing()
            ring.addPassphrase("vault", "sju fine fjorder")
            openBackupFile(File(dir, "ledger.tlb").path, File(dir, "out").path, ring)
            assertContentEquals(plain, File(dir, "out").readBytes())

            val archive = File(dir, "ledger.tlb").readBytes()
            File(dir, "cut.tlb").writeBytes(archive.copyOf(archive.size - 100))
            assertFailsWith<TillitException.BackupIntegrity> {
                openBackupFile(File(dir, "cut.tlb").path, File(dir, "out").path, ring)
            }
            assertContentEquals(plain, File(dir, "out").readBytes(), "a failed open leaves the output alone")
        } finally {
            dir.deleteRecursively()
        }
    }

    @Test
    fun oneThreadAndPipelinedAgree() {
        // 40 chunks of 64 bytes and a few more: three batches, so pipelining starts its thread.
        val plain = ByteArray(40 * 64 + 5) { (it % 241).toByte() }
        val key = BackupKey.generate("k")
        val ring = BackupKeyRing()
        ring.addKey(key)
        val dir = Files.createTempDirectory("tillit-kt-").toFile()
        try {
            File(dir, "plain").writeBytes(plain)
            for (pipelined in listOf(true, false)) {
                val sealed = ByteArrayOutputStream()
                sealBackup(
                    InputStreamSource(ByteArrayInputStream(plain)),
                    OutputStreamSink(sealed),
                    key,
                    BackupAlgorithm.CHACHA20_POLY1305,
                    64u,
                    pipelined,
                )
                for (openPipelined in listOf(true, false)) {
                    val opened = ByteArrayOutputStream()
                    val summary = openBackup(
                        InputStreamSource(ByteArrayInputStream(sealed.toByteArray())),
                        OutputStreamSink(opened),
                        ring,
                        openPipelined,
                    )
                    assertContentEquals(plain, opened.toByteArray(), "$pipelined $openPipelined")
                    assertEquals(41uL, summary.chunks)
                }

                val archive = sealBackupBytes(plain, key, BackupAlgorithm.AES256_GCM, 64u, pipelined)
                assertContentEquals(plain, openBackupBytes(archive, ring, !pipelined))
                val damaged = archive.copyOf()
                damaged[damaged.size / 2] = (damaged[damaged.size / 2].toInt() xor 1).toByte()
                assertFailsWith<TillitException.BackupIntegrity> { openBackupBytes(damaged, ring, pipelined) }

                val sealedPath = File(dir, "sealed-$pipelined").path
                val outPath = File(dir, "out-$pipelined").path
                sealBackupFile(File(dir, "plain").path, sealedPath, key, BackupAlgorithm.AES256_GCM, 64u, pipelined)
                openBackupFile(sealedPath, outPath, ring, pipelined)
                assertContentEquals(plain, File(outPath).readBytes())
            }
        } finally {
            dir.deleteRecursively()
        }
    }

    @Test
    fun streamFailuresComeBackAsIoErrors() {
        val failing = object : BackupSource {
            override fun read(maxLen: UInt): ByteArray = throw BackupStreamException.Failed("tape drive went away")
        }
        val error = assertFailsWith<TillitException.Io> {
            sealBackup(failing, OutputStreamSink(ByteArrayOutputStream()), BackupKey.generate("k"), BackupAlgorithm.AES256_GCM, 65536u)
        }
        assertTrue(error.message!!.contains("tape drive"), error.message)
    }
}
