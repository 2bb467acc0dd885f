package no.tillit

import java.time.Duration
import java.time.Instant
import kotlin.concurrent.thread
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The password capability from Kotlin: hashing, upgrades, errors, policy and throttling. */
class PasswordTest {
    private fun fast(memoryKib: UInt = 64u, timeCost: UInt = 1u) =
        PasswordHasher(memoryKib = memoryKib, timeCost = timeCost, parallelism = 1u)

    @Test
    fun hashAndVerifyRoundTrip() {
        val h = fast()
        val stored = h.hash("correct horse battery staple")
        assertTrue(stored.startsWith("\$argon2id\$v=19\$m=64,t=1,p=1\$"), stored)
        assertTrue(h.verify("correct horse battery staple", stored))
        assertFalse(h.verify("wrong", stored))
        assertFalse(h.needsRehash(stored))
        assertEquals(VerifyOutcome(valid = true, newHash = null), h.verifyAndUpdate("correct horse battery staple", stored))
    }

    @Test
    fun defaultsAreOwasp() {
        val h = PasswordHasher()
        assertEquals(19456u, h.memoryKib())
        assertEquals(2u, h.timeCost())
        assertEquals(1u, h.parallelism())
    }

    @Test
    fun byteArrayPasswordsCanBeWiped() {
        val h = fast()
        val secret = "blåbær".toByteArray(Charsets.UTF_8)
        val stored = h.hashBytes(secret)
        assertTrue(h.verifyBytes(secret, stored))
        assertTrue(h.verify("blåbær", stored))
        secret.fill(0)
        assertContentEquals(ByteArray(secret.size), secret)
        assertFailsWith<TillitException> { h.hashBytes(byteArrayOf(0xff.toByte())) }
    }

    @Test
    fun weakHashesAreUpgradedOnLogin() {
        val weak = fast(64u, 1u).hash("pw")
        val policy = fast(128u, 2u)
        assertTrue(policy.needsRehash(weak))
        val outcome = policy.verifyAndUpdate("pw", weak)
        assertTrue(outcome.valid)
        val fresh = assertNotNull(outcome.newHash)
        assertTrue(fresh.contains("m=128,t=2,p=1"))
        assertNull(policy.verifyAndUpdate("pw", fresh).newHash)
    }

    @Test
    fun oldPepperKeysAreRekeyed() {
        val k1 = PepperKey("k1", ByteArray(32) { 1 })
        val old = PasswordHasher(memoryKib = 64u, timeCost = 1u, pepper = k1)
        val stored = old.hash("pw")
        val rotated = PasswordHasher(memoryKib = 64u, timeCost = 1u, pepper = PepperKey("k2", ByteArray(32) { 2 }), oldPeppers = listOf(k1))
        val outcome = rotated.verifyAndUpdate("pw", stored)
        assertTrue(outcome.valid)
        assertNotNull(outcome.newHash)
        assertFailsWith<TillitException> { fast().verify("pw", stored) }
    }

    @Test
    fun hostileHashesRaiseInvalidHash() {
        val h = PasswordHasher()
        for (stored in listOf(
            "\$argon2id\$v=19\$m=4294967295,t=2,p=1\$c29tZXNhbHRzb21lc2FsdA\$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "\$argon2d\$v=19\$m=19456,t=2,p=1\$c29tZXNhbHRzb21lc2FsdA\$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "\$argon2id\$v=19\$m=19456,t=2,p=1\$c2FsdA\$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "not a hash",
        )) {
            val e = assertFailsWith<TillitException.InvalidHash> { h.verify("pw", stored) }
            assertTrue(e.message!!.isNotEmpty())
        }
    }

    @Test
    fun busyWhenTheBudgetStaysFull() {
        val h = PasswordHasher(memoryKib = 8192u, timeCost = 3u, budgetBytes = 8192uL * 1024uL, budgetWait = Duration.ZERO)
        val busy = java.util.concurrent.atomic.AtomicInteger()
        val threads = (1..8).map {
            thread {
                repeat(3) {
                    try {
                        h.hash("pw")
                    } catch (e: TillitException.Busy) {
                        busy.incrementAndGet()
                    }
                }
            }
        }
        threads.forEach { it.join() }
        assertTrue(busy.get() > 0, "a one-permit budget with no wait must refuse some of 24 concurrent hashes")
    }

    @Test
    fun unknownUsersNeverVerify() {
        assertFalse(fast().verifyUnknownUser("anything"))
    }

    @Test
    fun canonicalisationIsNfcNotNfkc() {
        val h = fast()
        assertTrue(h.verify("A\u030angstro\u0308m", h.hash("\u00c5ngstr\u00f6m")))
        assertFalse(h.verify("fish", h.hash("\ufb01sh")))
        assertEquals("a b", canonicalize("a\u00a0b"))
    }

    @Test
    fun policyNamesEachRule() {
        val policy = PasswordPolicy()
        assertEquals(emptyList(), policy.check("violet kettle under the bridge"))
        assertEquals(listOf("too_short", "common"), policy.check("password1").map { it.rule })
        assertEquals(listOf("confirmation_mismatch"), policy.check("violet kettle under the bridge", "other").map { it.rule })
        assertEquals(listOf("matches_user_input"), policy.check("kari.nordmann@example.no", userInputs = listOf("kari.nordmann@example.no")).map { it.rule })
        assertEquals(8u, PasswordPolicy(secondFactor = true).minLength())
        assertTrue(isCommonPassword("Password123"))
    }

    @Test
    fun throttleIsCappedNeverPermanent() {
        val t = LoginThrottle()
        val now = Instant.parse("2026-12-03T12:00:00Z")
        assertTrue(t.decide(0u, null, 0u, null, now).allowed)
        val d = t.decide(UInt.MAX_VALUE, now, 0u, null, now)
        assertFalse(d.allowed)
        assertEquals("account", d.scope)
        assertEquals(Duration.ofMinutes(15), d.retryAfter)
        assertTrue(t.decide(UInt.MAX_VALUE, now, 0u, null, now.plus(Duration.ofMinutes(15))).allowed)
    }
}
