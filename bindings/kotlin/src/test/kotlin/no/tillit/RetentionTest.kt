package no.tillit

import java.io.File
import java.time.LocalDate
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** A minimal JSON reader for the shared vector file (objects, arrays, strings, numbers, literals). */
private class JsonReader(private val text: String) {
    private var i = 0

    fun read(): Any? {
        skip()
        return when (val c = text[i]) {
            '{' -> obj()
            '[' -> arr()
            '"' -> str()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> if (c == '-' || c.isDigit()) num() else error("unexpected '$c' at $i")
        }
    }

    private fun skip() {
        while (i < text.length && text[i].isWhitespace()) i++
    }

    private fun obj(): Map<String, Any?> {
        val map = LinkedHashMap<String, Any?>()
        i++
        skip()
        if (text[i] == '}') { i++; return map }
        while (true) {
            skip()
            val key = str()
            skip()
            i++ // ':'
            map[key] = read()
            skip()
            if (text[i++] == '}') return map
        }
    }

    private fun arr(): List<Any?> {
        val list = ArrayList<Any?>()
        i++
        skip()
        if (text[i] == ']') { i++; return list }
        while (true) {
            list.add(read())
            skip()
            if (text[i++] == ']') return list
        }
    }

    private fun str(): String {
        val sb = StringBuilder()
        i++
        while (text[i] != '"') {
            if (text[i] == '\\') { i++; sb.append(text[i]) } else sb.append(text[i])
            i++
        }
        i++
        return sb.toString()
    }

    private fun num(): Long {
        val start = i
        while (i < text.length && (text[i] == '-' || text[i].isDigit())) i++
        return text.substring(start, i).toLong()
    }

    private fun literal(word: String, value: Any?): Any? {
        i += word.length
        return value
    }
}

@Suppress("UNCHECKED_CAST")
private val vectors = JsonReader(File("../../tests/data/retention_vectors.json").readText()).read() as Map<String, Any?>

@Suppress("UNCHECKED_CAST")
private fun rows(section: String) = vectors[section] as List<Map<String, Any?>>

private fun date(value: Any?): LocalDate? = (value as String?)?.let(LocalDate::parse)

private fun policy(name: Any?): RetentionPolicy = when (name) {
    "seed" -> RetentionPolicy.seed()
    "bookkeeping_act" -> RetentionPolicy.bookkeepingAct()
    else -> RetentionPolicy.preset(name as String)
}

@Suppress("UNCHECKED_CAST")
private fun check(decision: RetentionDecision, row: Map<String, Any?>) {
    val expect = row["expect"] as Map<String, Any?>
    val name = row["name"]
    assertEquals(date(expect["fiscal_year_end"]), decision.fiscalYearEnd, "fiscal-year end of $name")
    assertEquals(date(expect["retained_through"]), decision.retainedThrough, "retained_through of $name")
    assertEquals(date(expect["eligible_from"]), decision.eligibleFrom, "eligible_from of $name")
    assertEquals((expect["action"] as String).uppercase(), decision.action.name, "action of $name")
    assertEquals((expect["reason"] as String).uppercase(), decision.reason.name, "reason of $name")
    assertEquals(date(expect["action_from"]), decision.actionFrom, "action_from of $name")
    assertTrue(decision.explanation.startsWith(expect["action"] as String), decision.explanation)
}

/** Retention through Kotlin: the same vectors as Rust, Python and C. */
class RetentionTest {
    @Test
    fun countingRules() {
        for (row in rows("counting")) {
            val period = Period((row["years"] as Long).toUShort(), (row["months"] as Long).toUShort())
            val start = date(row["start"])!!
            val end = if (row["rule"] == "event") addFromEvent(start, period) else addFromFiscalYearEnd(start, period)
            assertEquals(date(row["end"]), end, row.toString())
        }
    }

    @Test
    fun fiscalYearEnds() {
        for (row in rows("fiscal_year_end")) {
            val year = FiscalYear((row["end_month"] as Long).toUByte())
            assertEquals(date(row["expected"]), fiscalYearEnd(year, date(row["date"])!!), row.toString())
        }
    }

    @Test
    fun invoices() {
        for (row in rows("invoices")) {
            val decision = policy(row["policy"]).invoice(
                date(row["date"])!!,
                date(row["today"])!!,
                fiscalYearEndMonth = (row["end_month"] as Long).toUByte(),
                bookingDate = date(row["booking_date"]),
                fiscalYearEnd = date(row["fiscal_year_end"]),
                legalHold = row["legal_hold"] as Boolean,
            )
            check(decision, row)
        }
    }

    @Test
    fun attachments() {
        for (row in rows("attachments")) {
            val decision = policy(row["policy"]).attachment(
                date(row["date"])!!,
                date(row["today"])!!,
                accountActive = row["account_active"] as Boolean,
                noticeSent = date(row["notice_sent"]),
                documentsSale = row["documents_sale"] as Boolean,
                fiscalYearEndMonth = (row["end_month"] as Long).toUByte(),
                legalHold = row["legal_hold"] as Boolean,
            )
            check(decision, row)
        }
    }

    @Test
    fun accounts() {
        for (row in rows("accounts")) {
            val decision = policy(row["policy"]).account(
                date(row["last_activity"])!!,
                date(row["today"])!!,
                active = row["active"] as Boolean,
                latestInvoiceEligibleFrom = date(row["latest_invoice_eligible_from"]),
                legalHold = row["legal_hold"] as Boolean,
            )
            assertEquals(RecordKind.ACCOUNT_DATA, decision.kind)
            check(decision, row + ("expect" to ((row["expect"] as Map<*, *>) + ("fiscal_year_end" to null))))
        }
    }

    @Test
    fun cutoffs() {
        for (row in rows("cutoffs")) {
            val kind = RecordKind.valueOf((row["kind"] as String).uppercase())
            assertEquals(date(row["cutoff"]), policy(row["policy"]).cutoff(kind, date(row["today"])!!), row.toString())
        }
    }

    @Test
    fun planAgreesWithSingleRecords() {
        val seed = RetentionPolicy.seed()
        val today = LocalDate.parse("2030-06-01")
        val random = java.util.Random(20261203)
        val dates = List(300) { LocalDate.parse("2005-01-01").plusDays(random.nextInt(8000).toLong()) }
        val kinds = ByteArray(300) { random.nextInt(3).toByte() }
        val accountRows = List(300) { random.nextInt(5).toUInt() }
        val active = ByteArray(5) { (it % 2).toByte() }
        val last = List(5) { LocalDate.parse("2020-01-01").plusDays(it * 400L).toEpochDay().toInt() }
        val plan = seed.plan(
            RecordColumns(kinds, dates.map { it.toEpochDay().toInt() }, accountRows, listOf(), listOf(), byteArrayOf(), listOf()),
            AccountColumns(active, last, byteArrayOf(), byteArrayOf()),
            today,
        )
        val latest = HashMap<Int, LocalDate>()
        for (i in dates.indices) {
            val account = accountRows[i].toInt()
            val single = if (kinds[i].toInt() == 0) {
                seed.invoice(dates[i], today).also { d -> latest.merge(account, d.eligibleFrom) { a, b -> maxOf(a, b) } }
            } else {
                seed.attachment(dates[i], today, accountActive = active[account].toInt() != 0, documentsSale = kinds[i].toInt() == 2)
            }
            assertEquals(single.action.ordinal, plan.records.action[i].toInt(), "row $i")
            assertEquals(single.reason.ordinal, plan.records.reason[i].toInt(), "row $i")
            assertEquals(single.eligibleFrom.toEpochDay().toInt(), plan.records.eligibleFrom[i], "row $i")
            assertEquals(single.explanation, plan.records.explanation[i], "row $i")
        }
        for (j in 0 until 5) {
            val single = seed.account(
                LocalDate.ofEpochDay(last[j].toLong()),
                today,
                active = active[j].toInt() != 0,
                latestInvoiceEligibleFrom = latest[j],
            )
            assertEquals(single.action.ordinal, plan.accounts.action[j].toInt(), "account $j")
            assertEquals(single.explanation, plan.accounts.explanation[j], "account $j")
        }
    }

    @Test
    fun errorsCarryTheCoreSentence() {
        val error = assertFailsWith<TillitException.Retention> { FiscalYear(13u).let { fiscalYearEnd(it, LocalDate.now()) } }
        assertTrue(error.message!!.contains("expected 1 to 12"), error.message)
        assertFailsWith<TillitException.Retention> { RetentionPolicy.preset("forever") }
        val short = Period(4u, 0u)
        val fine = Period(5u, 0u)
        assertFailsWith<TillitException.Retention> { RetentionPolicy.custom("short", short, Period(3u, 6u), fine, Period(0u, 0u), 30u) }
        assertFailsWith<TillitException.Retention> {
            RetentionPolicy.seed().plan(
                RecordColumns(byteArrayOf(0), listOf(0), listOf(7u), listOf(), listOf(), byteArrayOf(), listOf()),
                AccountColumns(byteArrayOf(1), listOf(0), byteArrayOf(), byteArrayOf()),
                LocalDate.parse("2030-01-01"),
            )
        }
    }

    @Test
    fun disclosureNeedsAnAuthorityDecision() {
        assertTrue(disclosure(Requester.ACCOUNT_HOLDER, LegalBasis.NONE).allowed)
        assertFalse(disclosure(Requester.ACCOUNTANT, LegalBasis.ACCOUNT_HOLDER_CONSENT).allowed)
        assertFalse(disclosure(Requester.POLICE, LegalBasis.AUTHORITY_DECISION).allowed)
        assertTrue(disclosure(Requester.POLICE, LegalBasis.AUTHORITY_DECISION, "24-1234 TVI-OTIR").allowed)
    }
}
