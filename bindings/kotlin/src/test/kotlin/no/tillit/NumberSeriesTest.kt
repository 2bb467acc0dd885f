package no.tillit

import java.nio.file.Files
import java.util.Collections
import java.util.concurrent.CyclicBarrier
import kotlin.concurrent.thread
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** One of the two shipped stores, seen through its two methods. */
private class Series(
    val name: String,
    val next: (String) -> ULong,
    val issue: (String, NumberIssuer) -> ULong,
)

/** An issuer from a lambda: return to keep the number, throw to refuse it. */
private fun issuer(body: (ULong) -> Unit): NumberIssuer =
    object : NumberIssuer {
        override fun issue(number: ULong) = body(number)
    }

private val keep = issuer {}

/** Gapless invoice number series from Kotlin: order, refusals giving numbers back, threads. */
class NumberSeriesTest {
    private fun stores(): List<Series> {
        val memory = MemoryNumberSeries()
        val path = Files.createTempDirectory("tillit-series").resolve("numbers.db").toString()
        val sqlite = SqliteNumberSeries(path)
        return listOf(
            Series("memory", memory::nextNumber, memory::issue),
            Series("sqlite", sqlite::nextNumber, sqlite::issue),
        )
    }

    @Test
    fun `numbers start at one and increase per series`() {
        for (s in stores()) {
            assertEquals(1uL, s.next("invoice"), s.name)
            assertEquals(listOf(1uL, 2uL, 3uL), List(3) { s.issue("invoice", keep) }, s.name)
            assertEquals(1uL, s.issue("credit-note", keep), s.name)
            assertEquals(4uL, s.next("invoice"), s.name)
            assertEquals(4uL, s.next("invoice"), s.name)
        }
    }

    @Test
    fun `a refusal gives the number back`() {
        for (s in stores()) {
            assertEquals(1uL, s.issue("invoice", keep))
            val refused =
                assertFailsWith<TillitException.IssueRefused> {
                    s.issue("invoice", issuer { throw NumberIssuerException.Refused("the buyer is blocked") })
                }
            assertContains(refused.message ?: "", "number 2")
            assertContains(refused.message ?: "", "the buyer is blocked")
            assertEquals(2uL, s.next("invoice"), s.name)
            assertEquals(2uL, s.issue("invoice", keep), s.name)
        }
    }

    @Test
    fun `any other exception from the issuer refuses too`() {
        for (s in stores()) {
            val refused =
                assertFailsWith<TillitException.IssueRefused> {
                    s.issue("invoice", issuer { throw IllegalStateException("disk full") })
                }
            assertContains(refused.message ?: "", "disk full")
            assertFailsWith<TillitException.IssueRefused> {
                s.issue("invoice", issuer { throw TillitException.Invoice("refused by validation") })
            }
            assertEquals(1uL, s.issue("invoice", keep), s.name)
        }
    }

    @Test
    fun `bad series names and unopenable files throw Invoice`() {
        for (s in stores()) {
            assertFailsWith<TillitException.Invoice> { s.next("") }
            assertFailsWith<TillitException.Invoice> { s.issue("x".repeat(65), keep) }
        }
        val missing = Files.createTempDirectory("tillit-series").resolve("no/such/dir.db").toString()
        assertFailsWith<TillitException.Invoice> { SqliteNumberSeries(missing) }
    }

    @Test
    fun `threads with refusals leave no gap and no repeat`() {
        val threads = 8
        val perThread = 40
        for (s in stores()) {
            val issued = Collections.synchronizedList(ArrayList<ULong>())
            val barrier = CyclicBarrier(threads)
            val workers =
                List(threads) {
                    thread {
                        barrier.await()
                        repeat(perThread) { i ->
                            try {
                                s.issue(
                                    "invoice",
                                    issuer { n ->
                                        if (i % 5 == 4) throw NumberIssuerException.Refused("every fifth")
                                        issued.add(n)
                                    },
                                )
                            } catch (_: TillitException.IssueRefused) {
                            }
                        }
                    }
                }
            workers.forEach { it.join() }

            val kept = threads * (perThread - perThread / 5)
            assertEquals((1..kept).map { it.toULong() }, issued.sorted(), s.name)
            assertEquals((kept + 1).toULong(), s.next("invoice"), s.name)
        }
    }
}
