package no.tillit

import java.io.File
import kotlin.test.Test
import kotlin.test.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue

/**
 * The cost of one call through the generated bindings and JNA, beside a plain Kotlin function
 * returning the same string, for the benchmark report. It runs only when `scripts/bench` sets
 * `tillit.bench.out` to the file it should write; in the normal test run it is skipped.
 */
class FfiOverheadBench {
    private val expected = version()

    private fun localVersion(): String = expected

    /** The fastest per-call time in nanoseconds over several rounds of [calls] calls. */
    private inline fun fastest(calls: Int, rounds: Int, call: () -> String): Double {
        var best = Double.MAX_VALUE
        var sink = 0
        repeat(rounds) {
            val start = System.nanoTime()
            repeat(calls) { sink += call().length }
            best = minOf(best, (System.nanoTime() - start).toDouble() / calls)
        }
        assertEquals(calls * rounds * expected.length, sink)
        return best
    }

    @Test
    fun measure() {
        val out = System.getProperty("tillit.bench.out")
        assumeTrue(!out.isNullOrEmpty(), "set tillit.bench.out to run the FFI benchmark")
        // Warm up both paths so the JIT has compiled them before anything is timed.
        fastest(200_000, 2) { version() }
        fastest(200_000, 2) { localVersion() }
        val tillitNs = fastest(200_000, 7) { version() }
        val localNs = fastest(2_000_000, 7) { localVersion() }
        File(out).writeText("{\"tillit_ns\": $tillitNs, \"local_ns\": $localNs}\n")
        println("Kotlin FFI: version() ${"%.1f".format(tillitNs)} ns, local ${"%.2f".format(localNs)} ns")
    }
}
