package no.tillit

import java.nio.file.Files
import java.util.Base64
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

private val KEY = ByteArray(32) { it.toByte() }
private const val BASE = "https://app.example.no/glemt-passord"
private const val HASH_A = "\$argon2id\$v=19\$m=19456,t=2,p=1\$c2FsdHNhbHRzYWx0\$aGFzaGhhc2hoYXNoaGFzaA"
private const val HASH_B = "\$argon2id\$v=19\$m=19456,t=2,p=1\$b3RoZXJzYWx0eHg\$b3RoZXJoYXNob3RoZXJoYXM"
private const val T0 = 1_764_000_000L
private const val GOOD_PW = "en lang og god passordsetning"

/** A token store in plain Kotlin, as a service would write one over its own database. */
open class KotlinStore : TokenStore {
    protected val tokens = HashMap<String, TokenRecord>()
    private val requests = ArrayList<Triple<String, String, Long>>()

    protected fun key(bytes: ByteArray): String = Base64.getEncoder().encodeToString(bytes)

    @Synchronized
    override fun insert(record: TokenRecord) {
        val k = key(record.selector)
        if (tokens.containsKey(k)) throw TokenStoreException.DuplicateSelector()
        tokens[k] = record
    }

    @Synchronized
    override fun peek(selector: ByteArray): TokenRecord? = tokens[key(selector)]

    @Synchronized
    override fun take(selector: ByteArray, now: Long): TokenRecord? {
        val record = tokens[key(selector)] ?: return null
        if (record.consumedAt != null) return null
        tokens[key(selector)] = record.copy(consumedAt = now)
        return record
    }

    @Synchronized
    override fun revokeAll(accountId: String): ULong {
        val doomed = tokens.filterValues { it.accountId == accountId && it.consumedAt == null }.keys
        doomed.forEach { tokens.remove(it) }
        return doomed.size.toULong()
    }

    @Synchronized
    override fun recordRequest(emailKey: ByteArray, requester: String, at: Long) {
        requests.add(Triple(key(emailKey), requester, at))
    }

    @Synchronized
    override fun countRequestsForEmail(emailKey: ByteArray, since: Long): ULong =
        requests.count { it.first == key(emailKey) && it.third >= since }.toULong()

    @Synchronized
    override fun countRequestsForRequester(requester: String, since: Long): ULong =
        requests.count { it.second == requester && it.third >= since }.toULong()

    @Synchronized
    override fun purge(now: Long, requestsBefore: Long): ULong {
        val expired = tokens.filterValues { it.expiresAt <= now }.keys
        expired.forEach { tokens.remove(it) }
        val before = requests.size
        requests.removeAll { it.third < requestsBefore }
        return (expired.size + before - requests.size).toULong()
    }
}

/** Reads, then writes: loses the single-use guarantee under concurrency. */
class RacyStore : KotlinStore() {
    override fun take(selector: ByteArray, now: Long): TokenRecord? {
        val record = peek(selector)
        Thread.sleep(2)
        if (record == null || record.consumedAt != null) return null
        // Writes without looking again: the bug the conformance suite must catch.
        synchronized(this) { tokens[key(selector)] = record.copy(consumedAt = now) }
        return record
    }
}

/** Reset tokens from Kotlin: the flow, its typed errors, every kind of store, stateless tokens, links. */
class TokenTest {
    private fun temp(name: String) = Files.createTempDirectory("tillit-token").resolve(name).toString()

    private fun stores(): List<TokenStore> =
        listOf(MemoryTokenStore(), SqliteTokenStore(temp("tokens.db")), KotlinStore())

    private fun reset(store: TokenStore = MemoryTokenStore(), maxPerEmail: UInt = 3u, maxPerRequester: UInt = 20u) =
        PasswordReset(store, KEY, BASE, maxPerEmail = maxPerEmail, maxPerRequester = maxPerRequester)

    private fun mail(reset: PasswordReset, account: String = "a", hash: String = HASH_A, now: Long = T0): ResetMail =
        assertNotNull(reset.request("kari@example.no", account, hash, "203.0.113.9", now = now).mail)

    @Test
    fun theWholeFlowOnEveryStore() {
        for (store in stores()) {
            val reset = reset(store)
            val known = reset.request("kari@example.no", "acct-1", HASH_A, "203.0.113.9", now = T0)
            val unknown = reset.request("nobody@example.no", null, null, "203.0.113.9", now = T0)
            // One shape for both: only the out-of-band mail differs.
            assertEquals(known::class, unknown::class)
            assertFalse(known.suppressed)
            assertFalse(unknown.suppressed)
            assertNull(unknown.mail)
            val mail = assertNotNull(known.mail)
            assertEquals("$BASE?token=${mail.token}", mail.link)
            assertTrue(mail.token.startsWith("tlr1_"), mail.token)
            assertEquals(T0 + 1800, mail.expiresAt)
            repeat(3) { assertEquals("acct-1", reset.peek(mail.link, now = T0 + 1).accountId) }

            val done = reset.complete(mail.token, GOOD_PW, GOOD_PW, HASH_A, now = T0 + 2)
            assertEquals("acct-1", done.accountId)
            assertTrue(done.newHash.startsWith("\$argon2id\$v=19\$m=19456,t=2,p=1\$"), done.newHash)
            assertTrue(PasswordHasher().verify(GOOD_PW, done.newHash))
            val again = assertFailsWith<TillitException.TokenUsed> {
                reset.complete(mail.token, GOOD_PW, GOOD_PW, HASH_A, now = T0 + 3)
            }
            assertTrue(again.message!!.contains("already been used"), again.message)
        }
    }

    @Test
    fun expiryOneSecondBeforeAndAfter() {
        val reset = reset()
        val mail = mail(reset)
        assertEquals(PendingReset("a", T0, T0 + 1800), reset.peek(mail.token, HASH_A, now = T0 + 1799))
        for (now in listOf(T0 + 1800, T0 + 1801)) {
            val e = assertFailsWith<TillitException.TokenExpired> { reset.peek(mail.token, now = now) }
            assertTrue(e.message!!.contains("expired at unix time ${T0 + 1800}"), e.message)
        }
        assertFailsWith<TillitException.TokenExpired> { reset.consume(mail.token, HASH_A, now = T0 + 1800) }
        assertEquals("a", reset.consume(mail.token, HASH_A, now = T0 + 1799))
    }

    @Test
    fun wrongPurposeAndWrongAccount() {
        val store = MemoryTokenStore()
        val reset = reset(store)
        val other = PasswordReset(store, KEY, BASE, purpose = "email-change")
        val mail = mail(reset)
        val purpose = assertFailsWith<TillitException.TokenInvalid> { other.peek(mail.token, now = T0 + 1) }
        assertTrue(purpose.message!!.contains("purpose"), purpose.message)
        // Another account's stored hash does not match the token's fingerprint.
        val account = assertFailsWith<TillitException.TokenInvalid> { reset.consume(mail.token, HASH_B, now = T0 + 1) }
        assertTrue(account.message!!.contains("hash changed"), account.message)
        // Under another server key the fingerprint differs, and with HMAC digests so does the
        // verifier's digest.
        val stranger = PasswordReset(store, ByteArray(32) { 9 }, BASE)
        assertFailsWith<TillitException.TokenInvalid> { stranger.peek(mail.token, HASH_A, now = T0 + 1) }
        val keyed = PasswordReset(store, KEY, BASE, hmacDigest = true)
        val keyedMail = mail(keyed)
        assertEquals("a", keyed.peek(keyedMail.token, HASH_A, now = T0 + 1).accountId)
        val strangerKeyed = PasswordReset(store, ByteArray(32) { 9 }, BASE, hmacDigest = true)
        assertFailsWith<TillitException.TokenInvalid> { strangerKeyed.peek(keyedMail.token, now = T0 + 1) }
        assertFailsWith<TillitException.TokenInvalid> { reset.peek("tlr1_garbage", now = T0) }
        assertEquals("a", reset.consume(mail.token, HASH_A, now = T0 + 1))
    }

    @Test
    fun aChangedPasswordHashKillsTheToken() {
        val reset = reset()
        val hasher = PasswordHasher(memoryKib = 64u, timeCost = 1u)
        val stored = hasher.hash("old password")
        val mail = mail(reset, hash = stored)
        assertEquals("a", reset.peek(mail.token, stored, now = T0 + 1).accountId)
        // The user logged in meanwhile and the hash was upgraded: the reset is moot.
        val upgraded = assertNotNull(PasswordHasher(memoryKib = 128u, timeCost = 1u).verifyAndUpdate("old password", stored).newHash)
        assertFailsWith<TillitException.TokenInvalid> { reset.peek(mail.token, upgraded, now = T0 + 1) }
        assertFailsWith<TillitException.TokenInvalid> { reset.complete(mail.token, GOOD_PW, GOOD_PW, upgraded, now = T0 + 1) }
        assertFailsWith<TillitException.TokenInvalid> { reset.peek(mail.token, HASH_A.replace("t=2", "t=3"), now = T0 + 1) }
    }

    @Test
    fun revokeAllAndCompleteEndEveryOtherToken() {
        val reset = reset(maxPerEmail = 10u)
        val first = mail(reset)
        val second = mail(reset)
        assertEquals(2uL, reset.revokeAll("a"))
        for (m in listOf(first, second)) {
            assertFailsWith<TillitException.TokenInvalid> { reset.peek(m.token, now = T0 + 1) }
        }
        val third = mail(reset)
        val fourth = mail(reset, now = T0 + 1)
        val done = reset.complete(third.token, GOOD_PW, GOOD_PW, HASH_A, now = T0 + 2)
        assertEquals(1uL, done.revokedTokens)
        assertFailsWith<TillitException.TokenInvalid> { reset.peek(fourth.token, now = T0 + 3) }
    }

    @Test
    fun aRefusedPasswordLeavesTheTokenUsable() {
        val reset = PasswordReset(MemoryTokenStore(), KEY, BASE, hasher = PasswordHasher(memoryKib = 64u, timeCost = 1u))
        val mail = mail(reset)
        val refused = assertFailsWith<TillitException.PasswordPolicy> {
            reset.complete(mail.token, "kort", "kurt", HASH_A, now = T0 + 1)
        }
        assertTrue(refused.message!!.contains("the confirmation does not match"), refused.message)
        assertFailsWith<TillitException.PasswordPolicy> {
            reset.complete(mail.token, "kari@example.no", "kari@example.no", HASH_A, listOf("kari@example.no"), now = T0 + 1)
        }
        val done = reset.complete(mail.token, GOOD_PW, GOOD_PW, HASH_A, now = T0 + 2)
        assertTrue(done.newHash.contains("m=64,t=1,p=1"), "the given hasher is used: ${done.newHash}")
    }

    @Test
    fun throttlingRefusesOnlyTheRequesterAndSilentlySuppressesMail() {
        val reset = reset(maxPerEmail = 1u, maxPerRequester = 3u)
        assertNotNull(reset.request("kari@example.no", "a", HASH_A, "ip", now = T0).mail)
        // The address had its mail: the answer looks the same, nothing is sent.
        val again = reset.request("kari@example.no", "a", HASH_A, "ip", now = T0 + 1)
        assertNull(again.mail)
        assertTrue(again.suppressed)
        assertNull(reset.request("nobody@example.no", null, null, "ip", now = T0 + 2).mail)
        // The requester's fourth request within the hour is refused, for unknown addresses too.
        val throttled = assertFailsWith<TillitException.Throttled> {
            reset.request("nobody@example.no", null, null, "ip", now = T0 + 3)
        }
        assertTrue(throttled.message!!.contains("retry after 3600 s"), throttled.message)
        assertFailsWith<TillitException.Throttled> { reset.request("kari@example.no", "a", HASH_A, "ip", now = T0 + 4) }
        // Another requester is not affected, and the window moves on.
        assertNull(reset.request("nobody@example.no", null, null, "other-ip", now = T0 + 5).mail)
        assertNotNull(reset.request("kari@example.no", "a", HASH_A, "ip", now = T0 + 3602).mail)
        assertFailsWith<TillitException.InvalidArgument> { reset.request("kari@example.no", "a", null, "ip", now = T0) }
    }

    @Test
    fun badConfigurationIsAnInvalidArgument() {
        val short = assertFailsWith<TillitException.InvalidArgument> { PasswordReset(MemoryTokenStore(), ByteArray(8), BASE) }
        assertTrue(short.message!!.contains("32"), short.message)
        assertFailsWith<TillitException.InvalidArgument> { PasswordReset(MemoryTokenStore(), KEY, "http://plain.example.no/") }
        assertFailsWith<TillitException.InvalidArgument> { PasswordReset(MemoryTokenStore(), KEY, BASE, lifetimeSeconds = 86400) }
        assertFailsWith<TillitException.InvalidArgument> { PasswordReset(MemoryTokenStore(), KEY, BASE, maxPerEmail = 0u) }
    }

    @Test
    fun statelessTokensRotateKeysAndRefuseTampering() {
        val old = StatelessKey("old", ByteArray(32) { 2 })
        val new = StatelessKey("new", ByteArray(32) { 1 })
        val before = StatelessTokens(old)
        val ring = StatelessTokens(new, retired = listOf(old))
        val token = before.issue("acct-1", HASH_A, now = T0)
        assertTrue(token.startsWith("tls1_"), token)
        assertEquals("acct-1", ring.accountOf(token))

        // A retired key still verifies what it signed; new tokens carry the current key.
        val claims = ring.verify(token, HASH_A, now = T0 + 1)
        assertEquals(StatelessClaims("acct-1", "password-reset", T0, T0 + 1800, "old"), claims)
        assertEquals("new", ring.verify(ring.issue("acct-1", HASH_A, now = T0), HASH_A, now = T0).keyId)
        assertEquals("acct-1", ring.verify("$BASE?token=$token", HASH_A, now = T0).accountId)

        // Dropping the key from the ring revokes its tokens.
        val unknown = assertFailsWith<TillitException.TokenInvalid> { StatelessTokens(new).verify(token, HASH_A, now = T0 + 1) }
        assertTrue(unknown.message!!.contains("\"old\""), unknown.message)

        // Any changed byte of payload or signature is refused.
        val body = token.removePrefix("tls1_")
        for (i in listOf(0, 5, body.indexOf('.') - 1, body.indexOf('.') + 1, body.length - 2)) {
            val c = body[i]
            val flipped = "tls1_" + body.substring(0, i) + (if (c == 'A') 'B' else 'A') + body.substring(i + 1)
            assertFailsWith<TillitException.TokenInvalid>("byte $i") { ring.verify(flipped, HASH_A, now = T0 + 1) }
        }
        assertFailsWith<TillitException.TokenInvalid> { ring.verify(token.dropLast(3), HASH_A, now = T0 + 1) }

        assertFailsWith<TillitException.TokenExpired> { ring.verify(token, HASH_A, now = T0 + 1800) }
        assertFailsWith<TillitException.TokenInvalid> { ring.verify(token, HASH_B, now = T0 + 1) }
        val purpose = assertFailsWith<TillitException.TokenInvalid> { ring.verify(token, HASH_A, "email-change", T0 + 1) }
        assertTrue(purpose.message!!.contains("purpose"), purpose.message)
        assertFailsWith<TillitException.InvalidArgument> { StatelessTokens(StatelessKey("k", ByteArray(16))) }
        assertFailsWith<TillitException.InvalidArgument> { StatelessTokens(new, retired = listOf(StatelessKey("new", ByteArray(32)))) }
    }

    @Test
    fun linksRoundTripAndMalformedLinksAreRefused() {
        val token = mail(reset()).token
        val query = ResetLinks(BASE)
        assertEquals("$BASE?token=$token", query.build(token))
        assertEquals(token, extractToken(query.build(token)))
        val fragment = ResetLinks("https://app.example.no/r?lang=nb", fragment = true)
        assertTrue(fragment.fragment())
        assertEquals("https://app.example.no/r?lang=nb#token=$token", fragment.build(token))
        assertEquals(token, extractToken(fragment.build(token)))
        assertEquals(token, extractToken("  $token\n"))
        for (bad in listOf("", "   ", "hello", "https://x.no/reset", "https://x.no/r?tok=1", "tlr2_abc")) {
            val e = assertFailsWith<TillitException.TokenInvalid>(bad) { extractToken(bad) }
            assertTrue(e.message!!.contains("malformed"), e.message)
        }
        for (base in listOf("http://a.example.no/reset", "https://user:pw@a.example.no/r", "https://a.example.no/r#x", "javascript:alert(1)")) {
            assertFailsWith<TillitException.InvalidArgument>(base) { ResetLinks(base) }
        }
    }

    @Test
    fun resetPageHeadersKeepTheTokenOutOfReferrersAndCaches() {
        val headers = resetPageHeaders()
        assertTrue(ResponseHeader("Referrer-Policy", "no-referrer") in headers)
        assertTrue(ResponseHeader("Cache-Control", "no-store") in headers)
        assertEquals("max-age=63072000; includeSubDomains", headers.first { it.name == "Strict-Transport-Security" }.value)
        assertEquals("max-age=1", resetPageHeaders("max-age=1").first { it.name == "Strict-Transport-Security" }.value)
    }

    @Test
    fun storesPassTheConformanceSuiteAndARacyOneFails() {
        assertEquals(10u, runTokenStoreConformance(object : TokenStoreFactory {
            override fun create(): TokenStore = KotlinStore()
        }))
        assertEquals(10u, runTokenStoreConformance(object : TokenStoreFactory {
            override fun create(): TokenStore = MemoryTokenStore()
        }))
        val racy = assertFailsWith<TillitException.TokenStore> {
            runTokenStoreConformance(object : TokenStoreFactory {
                override fun create(): TokenStore = RacyStore()
            })
        }
        assertTrue(racy.message!!.contains("concurrent_takes_succeed_exactly_once"), racy.message)
        val broken = assertFailsWith<TillitException.TokenStore> {
            runTokenStoreConformance(object : TokenStoreFactory {
                override fun create(): TokenStore = throw TokenStoreException.Backend("no database")
            })
        }
        assertTrue(broken.message!!.contains("no database"), broken.message)
    }

    @Test
    fun sixteenThreadsConsumeOneTokenExactlyOnce() {
        val reset = reset(SqliteTokenStore(temp("race.db")), maxPerEmail = 100u, maxPerRequester = 100u)
        repeat(8) { trial ->
            val token = mail(reset, now = T0 + trial).token
            val wins = AtomicInteger()
            val used = AtomicInteger()
            val barrier = CyclicBarrier(16)
            val threads = List(16) {
                thread {
                    barrier.await()
                    try {
                        assertEquals("a", reset.consume(token, HASH_A, now = T0 + trial))
                        wins.incrementAndGet()
                    } catch (e: TillitException.TokenUsed) {
                        used.incrementAndGet()
                    }
                }
            }
            threads.forEach { it.join() }
            assertEquals(1, wins.get(), "trial $trial")
            assertEquals(15, used.get(), "trial $trial")
        }
    }

    @Test
    fun aStoreThatThrowsGivesATypedError() {
        val down = object : KotlinStore() {
            override fun take(selector: ByteArray, now: Long): TokenRecord? = throw IllegalStateException("database is down")
        }
        val reset = reset(down)
        val mail = mail(reset)
        val e = assertFailsWith<TillitException.TokenStore> { reset.consume(mail.token, HASH_A, now = T0 + 1) }
        assertTrue(e.message!!.contains("IllegalStateException: database is down"), e.message)

        val refusing = object : KotlinStore() {
            override fun countRequestsForRequester(requester: String, since: Long): ULong =
                throw TokenStoreException.Backend("connection refused")
        }
        val refused = assertFailsWith<TillitException.TokenStore> { mail(reset(refusing)) }
        assertTrue(refused.message!!.contains("connection refused"), refused.message)

        // A record of the wrong shape is refused with what was wrong, not trusted.
        val mangled = object : KotlinStore() {
            override fun peek(selector: ByteArray): TokenRecord? = super.peek(selector)?.copy(fingerprint = ByteArray(3))
        }
        val shaped = reset(mangled)
        val token = mail(shaped).token
        val wrong = assertFailsWith<TillitException.TokenStore> { shaped.peek(token, now = T0 + 1) }
        assertTrue(wrong.message!!.contains("fingerprint is 3 bytes, expected 32"), wrong.message)
    }

    @Test
    fun shippedStoresAreUsableDirectly() {
        for (store in listOf(MemoryTokenStore(), SqliteTokenStore(temp("direct.db")))) {
            val record = TokenRecord(ByteArray(12) { 1 }, ByteArray(32) { 2 }, "a", "password-reset", ByteArray(32) { 3 }, T0, T0 + 1800)
            store.insert(record)
            assertFailsWith<TokenStoreException.DuplicateSelector> { store.insert(record) }
            val seen = assertNotNull(store.peek(record.selector))
            assertTrue(seen.fingerprint.contentEquals(record.fingerprint))
            assertEquals(record.copy(selector = seen.selector, verifierDigest = seen.verifierDigest, fingerprint = seen.fingerprint), seen)
            assertNull(assertNotNull(store.take(record.selector, T0 + 5)).consumedAt)
            assertEquals(T0 + 5, store.peek(record.selector)?.consumedAt)
            assertNull(store.take(record.selector, T0 + 6))
            assertEquals(0uL, store.revokeAll("a"), "used records stay until purged")
            assertEquals(1uL, store.purge(T0 + 1800, T0))
            val bad = assertFailsWith<TokenStoreException.Backend> { store.peek(ByteArray(3)) }
            assertTrue(bad.reason.contains("12"), bad.reason)
        }
    }
}
