package no.tillit

import java.math.BigDecimal
import java.time.LocalDate
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Erasure requests and anonymisation from Kotlin: the same vectors as Rust and Python. */
class ErasureTest {
    private val today = LocalDate.of(2026, 12, 3)
    private val policy = RetentionPolicy.seed()

    @Test
    fun erasureSplitsNowAndLaterWithTheLegalDuty() {
        val answer = policy.erasure(
            listOf(InvoiceRecord(LocalDate.of(2013, 5, 2)), InvoiceRecord(LocalDate.of(2024, 3, 15))),
            today,
        )
        val (old, recent) = answer.invoices
        assertEquals(0uL, old.index)
        assertEquals(ErasureTiming.NOW, old.timing)
        assertNull(old.eraseFrom)
        assertEquals(1uL, recent.index)
        assertEquals(ErasureTiming.LATER, recent.timing)
        assertEquals(LocalDate.of(2035, 1, 1), recent.eraseFrom)
        assertEquals(RetentionAction.KEEP, recent.decision.action)
        assertEquals(ErasureTiming.LATER, answer.buyerEntry)
        assertEquals(LocalDate.of(2035, 1, 1), answer.buyerEntryFrom)
        assertTrue("17(3)(b)" in answer.legalDuty && "bokføringsloven" in answer.legalDuty)
        assertEquals(erasureLegalDuty(), answer.legalDuty)
        assertFalse(answer.completeNow)
    }

    @Test
    fun onlyOldInvoicesAreCompleteNow() {
        val answer = policy.erasure(listOf(InvoiceRecord(LocalDate.of(2013, 5, 2))), today)
        assertEquals(ErasureTiming.NOW, answer.buyerEntry)
        assertNull(answer.buyerEntryFrom)
        assertTrue(answer.completeNow)
    }

    @Test
    fun legalHoldLeavesTheDateOpen() {
        val answer = policy.erasure(listOf(InvoiceRecord(LocalDate.of(2013, 5, 2), legalHold = true)), today)
        assertEquals(ErasureTiming.OPEN, answer.invoices[0].timing)
        assertNull(answer.invoices[0].eraseFrom)
        assertEquals(ErasureTiming.OPEN, answer.buyerEntry)
        assertFalse(answer.completeNow)
    }

    @Test
    fun attachmentsOfAnActiveAccountStay() {
        val answer = policy.erasure(
            emptyList(), today, listOf(AttachmentRecord(LocalDate.of(2013, 5, 2), accountActive = true)),
        )
        assertNotEquals(ErasureTiming.NOW, answer.attachments[0].timing)
        assertEquals(ErasureTiming.NOW, answer.buyerEntry)
        assertFalse(answer.completeNow)
    }

    @Test
    fun badFiscalYearIsATypedError() {
        val e = assertFailsWith<TillitException.Retention> {
            policy.erasure(listOf(InvoiceRecord(LocalDate.of(2013, 5, 2), fiscalYearEndMonth = 13u)), today)
        }
        assertTrue("13" in e.message!!, e.message)
    }

    private fun receivable() = Receivable(
        BigDecimal("1250.00"), "NOK", LocalDate.of(2015, 1, 5), LocalDate.of(2015, 1, 19), LocalDate.of(2015, 1, 18),
    )

    @Test
    fun anonymisedBuyerKeepsAmountsAndDatesOnly() {
        val buyer = Buyer(
            7uL, "Kari Nordmann", "Storgata 1, 0155 Oslo", created = LocalDate.of(2015, 1, 5),
            email = "kari@example.no", notes = "prefers e-mail", receivables = listOf(receivable()),
        )
        assertEquals("Kari Nordmann", buyer.name())
        assertFalse(buyer.anonymised())
        val anonymised = buyer.anonymise()
        assertEquals(AnonymisedBuyer(7uL, listOf(receivable()), LocalDate.of(2015, 1, 5)), anonymised)
        assertFalse("Kari" in anonymised.toString())
        // Irreversible: the original object has nothing left.
        assertTrue(buyer.anonymised())
        assertFailsWith<TillitException.InvalidArgument> { buyer.name() }
        assertFailsWith<TillitException.InvalidArgument> { buyer.id() }
        val again = assertFailsWith<TillitException.InvalidArgument> { buyer.anonymise() }
        assertTrue("anonymised" in again.message!!, again.message)
    }

    @Test
    fun anonymisedProductKeepsThePrice() {
        val product = Product(3uL, "Kari's private lessons", BigDecimal("450"), description = "for Kari N.")
        assertEquals(AnonymisedProduct(3uL, BigDecimal("450")), product.anonymise())
        assertTrue(product.anonymised())
        assertFailsWith<TillitException.InvalidArgument> { product.name() }
    }

    @Test
    fun receivableCurrencyIsChecked() {
        val bad = Receivable(BigDecimal("1"), "kroner", LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 2))
        val e = assertFailsWith<TillitException.InvalidArgument> {
            Buyer(1uL, "A", "B", created = LocalDate.of(2020, 1, 1), receivables = listOf(bad))
        }
        assertTrue("ISO 4217" in e.message!!, e.message)
    }
}
