package no.tillit

import java.io.File
import java.math.BigDecimal
import java.time.LocalDate
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The invoice models from Kotlin: the same vectors as Rust and Python, BigDecimal money. */
class InvoiceTest {
    private val data = File("../../tests/data")
    private val example = File(data, "invoice_peppol_no_example.json").readText()

    private fun seller() = Party(
        name = "Selger AS", orgNumber = "988077917", vatRegistered = true, legalForm = "AS",
        street = "Storgata 1", postalCode = "0150", city = "Oslo",
    )

    private fun buyer() = Party(name = "Kjøper AS", street = "Bryggen 2", postalCode = "5003", city = "Bergen")

    private fun line(qty: String, price: String, pct: String = "25") =
        Line(description = "x", quantity = BigDecimal(qty), unit = "EA", unitPrice = BigDecimal(price), vatPercent = BigDecimal(pct))

    private fun invoice(lines: List<Line>) = Invoice(
        number = "2024-0001", issueDate = LocalDate.of(2024, 3, 15), seller = seller(), buyer = buyer(),
        lines = lines, deliveryDate = LocalDate.of(2024, 3, 15), paymentTermsDays = 14u,
    )

    @Test
    fun checkDigits() {
        assertEquals(5.toUByte(), orgNumberCheckDigit("12345678"))
        assertEquals("988077917", OrgNumber("NO 988 077 917 MVA").toString())
        assertEquals("NO988077917MVA", OrgNumber("988077917").vatNumber())
        val e = assertFailsWith<TillitException.Invoice> { OrgNumber("988077918") }
        assertTrue(e.message!!.contains("should be 7"), e.message)
        assertEquals("NO9386011117947", AccountNumber("86011117947").iban())
        assertFailsWith<TillitException.Invoice> { AccountNumber("86011117949") }
        assertEquals("2345676", Kid.generate("234567", KidAlgorithmKind.MOD10).toString())
        assertEquals("12345678903", Kid.generate("1234567890", KidAlgorithmKind.MOD11).toString())
        assertEquals("40-", Kid.generate("40", KidAlgorithmKind.MOD11).toString())
        assertFailsWith<TillitException.Invoice> { Kid("2345670", KidAlgorithmKind.MOD10) }
    }

    @Test
    fun vatPerRate() {
        assertEquals(BigDecimal("365.13"), invoice(listOf(line("1", "1460.50"))).totals().vatTotal)
        val pins = invoice(List(3) { line("1", "0.10") }).totals()
        assertEquals(BigDecimal("0.08"), pins.vatTotal)
    }

    @Test
    fun officialPeppolExample() {
        val inv = Invoice.fromJson(example)
        val t = inv.totals()
        assertEquals(0, BigDecimal("1436.50").compareTo(t.lineExtension))
        assertEquals(0, BigDecimal("365.28").compareTo(t.vatTotal))
        assertEquals(0, BigDecimal("1801.78").compareTo(t.taxInclusive))
        assertEquals(0, BigDecimal("0.22").compareTo(t.rounding))
        assertEquals(0, BigDecimal("802.00").compareTo(t.payable))
        assertEquals(listOf("S", "S", "E"), t.vatBreakdown.map { it.category })
        assertTrue(inv.problems().isEmpty())
        assertEquals(LocalDate.of(2013, 6, 30), inv.issueDate())
    }

    @Test
    fun validationListsEveryProblem() {
        val inv = Invoice(
            number = "", issueDate = LocalDate.of(2024, 3, 15), seller = Party(name = "S"), buyer = buyer(),
            lines = listOf(line("0", "-5", "20")),
        )
        val found = inv.problems().map { it.path to it.rule }.toSet()
        assertTrue(("number" to "number-required") in found)
        assertTrue(("lines[0].quantity" to "line-quantity-nonzero") in found)
        assertTrue(("lines[0].vat.percent" to "vat-rate-invalid") in found)
        assertTrue(("seller.org_number" to "seller-org-number-required") in found)
        assertFailsWith<TillitException.InvoiceInvalid> { inv.validate() }
    }

    @Test
    fun creditNoteNegates() {
        val inv = invoice(listOf(line("2", "730.25"), line("1", "99.90", "15")))
        val credit = inv.creditNote("K-1", LocalDate.of(2024, 3, 20))
        assertEquals("2024-0001", credit.creditedNumber())
        assertEquals(inv.totals().payable.negate(), credit.ledgerTotals().payable)
        assertTrue(credit.problems().isEmpty())
    }

    @Test
    fun jsonErrorsNameTheField() {
        val bad = example.replaceFirst("\"quantity\": \"1\"", "\"quantity\": \"one\"")
        val e = assertFailsWith<TillitException.Invoice> { Invoice.fromJson(bad) }
        assertTrue(e.message!!.contains("invoice.lines[0].quantity"), e.message)
    }

    @Test
    fun dunning() {
        val due = LocalDate.of(2024, 1, 10)
        assertEquals(BigDecimal("35"), reminderFee(due, LocalDate.of(2024, 1, 24), emptyList()))
        assertNull(reminderFee(due, LocalDate.of(2024, 1, 23), emptyList()))
        assertEquals(BigDecimal("616.44"), lateInterest(BigDecimal("100000"), LocalDate.of(2023, 6, 20), LocalDate.of(2023, 7, 10)))
    }
}
