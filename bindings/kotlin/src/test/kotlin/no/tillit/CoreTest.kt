package no.tillit

import org.junit.jupiter.api.Test
import kotlin.test.assertTrue

/** The binding itself: the native library loads from the jar's resources and answers. */
class CoreTest {
    @Test
    fun versionIsSemver() {
        assertTrue(Regex("""\d+\.\d+\.\d+""").matches(version()), "version was ${version()}")
    }
}
