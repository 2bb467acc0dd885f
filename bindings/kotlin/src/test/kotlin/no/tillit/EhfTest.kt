package no.tillit

import java.io.File
import java.math.BigDecimal
import java.time.LocalDate
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertTrue

/** EHF (PEPPOL BIS Billing 3.0) from Kotlin: toEhf, fromEhf and readEhf, as in Rust and Python. */
class EhfTest {
    private val seller = Party(
        name = "Selger AS", orgNumber = "988077917", vatRegistered = true, legalForm = "AS",
        street = "Storgata 1", postalCode = "0150", city = "Oslo", bankAccount = "86011117947",
    )
    private val buyer = Party(
        name = "Kjøper AS", orgNumber = "123456785", street = "Bryggen 2", postalCode = "5003", city = "Bergen",
    )
    private val lines = listOf(
        Line("Rådgivning <senior> & co", BigDecimal("2"), "HUR", BigDecimal("730.25"), BigDecimal("25")),
        Line("Mat", BigDecimal("3"), "EA", BigDecimal("199"), BigDecimal("15")),
    )

    private fun invoice(buyerReference: String? = "Ola Nordmann", kid: Kid? = null) = Invoice(
        number = "2024-0001", issueDate = LocalDate.of(2024, 3, 15), seller = seller, buyer = buyer,
        lines = lines, deliveryDate = LocalDate.of(2024, 3, 15), paymentTermsDays = 14u,
        kid = kid, buyerReference = buyerReference,
    )

    /** The official examples sit in ../shared/peppol beside the repository, when present. */
    private val peppol = listOf(File("../../../shared/peppol"), File("../../shared/peppol"))
        .firstOrNull { File(it, "Norwegian-example-1.xml").isFile }

    @Test
    fun invoiceRoundTripKeepsTotalsAndKid() {
        val inv = invoice(kid = Kid.generate("1234567", KidAlgorithmKind.MOD10))
        val xml = inv.toEhf()
        assertTrue(xml.startsWith("<?xml"))
        assertTrue("<cbc:CompanyID>NO988077917MVA</cbc:CompanyID>" in xml)
        assertTrue("<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>" in xml)
        assertTrue("Rådgivning &lt;senior&gt; &amp; co" in xml)
        assertTrue("<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>" in xml)
        val back = assertIs<EhfDocument.Invoice>(fromEhf(xml)).invoice
        assertEquals("2024-0001", back.number())
        assertEquals(2uL, back.lineCount())
        assertEquals(inv.kid().toString(), back.kid().toString())
        assertEquals("Ola Nordmann", back.buyerReference())
        assertEquals(inv.totals().payable, back.totals().payable)
        // Writing is deterministic: the same invoice gives the same bytes.
        assertEquals(xml, inv.toEhf())
        assertEquals(xml, back.toEhf())
    }

    @Test
    fun creditNoteReadsBackAsCreditNote() {
        val note = invoice().creditNote("CN-1", LocalDate.of(2024, 3, 20))
        val xml = note.toEhf()
        assertTrue("<CreditNote" in xml)
        val back = assertIs<EhfDocument.CreditNote>(fromEhf(xml)).creditNote
        assertEquals("2024-0001", back.creditedNumber())
        assertEquals(note.totals().payable, back.totals().payable)
    }

    @Test
    fun attachmentsAreEmbeddedByReferenceId() {
        val json = invoice().toJson().replaceFirst(Regex("\"attachments\":\\s*\\[\\]"), "\"attachments\": [" +
            "{\"id\": \"spec\", \"description\": \"Timeliste\", \"mime_type\": \"application/pdf\", " +
            "\"file_name\": \"timer.pdf\"}]")
        val withReference = Invoice.fromJson(json)
        val pdf = "%PDF-1.7 timer".toByteArray()
        val xml = withReference.toEhf(mapOf("spec" to pdf))
        assertTrue("EmbeddedDocumentBinaryObject" in xml)
        assertTrue("filename=\"timer.pdf\"" in xml)
        val outcome = readEhf(xml)
        assertContentEquals(pdf, outcome.attachments["spec"])
        assertIs<EhfDocument.Invoice>(outcome.document)
        // Without the bytes the writer names the attachment that lacks them.
        val e = assertFailsWith<TillitException.Ehf> { withReference.toEhf() }
        assertTrue("spec" in e.message!!, e.message)
    }

    @Test
    fun unwritableInvoiceNamesTheField() {
        val e = assertFailsWith<TillitException.Ehf> { invoice(buyerReference = null).toEhf() }
        assertTrue(e.message!!.startsWith("cannot write buyer_reference"), e.message)
        val noEndpoint = Invoice(
            number = "1", issueDate = LocalDate.of(2024, 1, 2), seller = seller, buyer = Party(name = "Kjøper"),
            lines = lines, buyerReference = "Ola",
        )
        val e2 = assertFailsWith<TillitException.Ehf> { noEndpoint.toEhf() }
        assertTrue(e2.message!!.startsWith("cannot write buyer.endpoint"), e2.message)
    }

    @Test
    fun badDocumentsThrowEhfNamingTheProblem() {
        val cases = mapOf(
            "<Invoice" to "malformed XML",
            "not xml at all" to "XML",
            "<?xml version=\"1.0\"?><Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>" to "Order",
            "<?xml version=\"1.0\"?><Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>"
                to "missing element",
            "<".repeat(1_000_000) to "XML",
        )
        for ((xml, needle) in cases) {
            val e = assertFailsWith<TillitException.Ehf>(xml.take(40)) { fromEhf(xml) }
            assertTrue(needle in e.message!!, "${xml.take(40)}: ${e.message}")
        }
    }

    @Test
    fun statedTotalsThatDisagreeAreRefused() {
        val xml = invoice().toEhf()
        val payable = Regex("<cbc:PayableAmount currencyID=\"NOK\">([0-9.]+)</cbc:PayableAmount>").find(xml)!!
        val tampered = xml.replace(payable.value, payable.value.replace(payable.groupValues[1], "1.00"))
        val e = assertFailsWith<TillitException.Ehf> { fromEhf(tampered) }
        assertTrue("PayableAmount" in e.message!!, e.message)
    }

    @Test
    fun officialNorwegianExampleReadsAndWritesBack() {
        val dir = peppol ?: run {
            println("skipped: the official PEPPOL examples (../shared/peppol) are not present")
            return
        }
        val xml = File(dir, "Norwegian-example-1.xml").readText()
        val inv = assertIs<EhfDocument.Invoice>(fromEhf(xml)).invoice
        assertEquals("TOSL108", inv.number())
        assertEquals(5uL, inv.lineCount())
        assertEquals(0, BigDecimal("365.28").compareTo(inv.totals().vatTotal))
        assertEquals(0, BigDecimal("802.00").compareTo(inv.totals().payable))
        val outcome = readEhf(xml)
        assertContentEquals("Test base 64 encoding".toByteArray(), outcome.attachments["Doc2"])
        assertTrue(outcome.ignored.isNotEmpty(), "what the models do not carry is listed, never dropped")
        assertFailsWith<TillitException.Ehf> { readEhf(xml, strict = true) }
        val again = assertIs<EhfDocument.Invoice>(fromEhf(inv.toEhf(outcome.attachments))).invoice
        assertEquals(0, BigDecimal("802.00").compareTo(again.totals().payable))
    }
}
