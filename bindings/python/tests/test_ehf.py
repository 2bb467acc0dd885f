"""EHF (PEPPOL BIS Billing 3.0) from Python: invoice.to_ehf(), credit_note.to_ehf() and
tillit.from_ehf(), with the official Norwegian example where ../shared is present."""

import base64
import datetime
import json
import pathlib
from decimal import Decimal

import pytest

import tillit
from test_invoice import seller

ROOT = pathlib.Path(__file__).resolve().parents[3]
PEPPOL = next(
    (p for p in (ROOT.parent / "shared" / "peppol", ROOT / "shared" / "peppol")
     if (p / "Norwegian-example-1.xml").is_file()),
    None,
)


def ehf_invoice(line_items: list[tillit.Line], **kw) -> tillit.Invoice:
    """An invoice EHF can carry: the buyer has an organisation number (its endpoint)."""
    buyer = tillit.Party("Kjøper AS", org_number="123456785", street="Bryggen 2",
                         postal_code="5003", city="Bergen")
    return tillit.Invoice("2024-0001", datetime.date(2024, 3, 15), seller(), buyer, line_items,
                          delivery_date=datetime.date(2024, 3, 15), payment_terms_days=14, **kw)


def lines() -> list[tillit.Line]:
    return [
        tillit.Line("Rådgivning <senior> & co", Decimal("2"), "HUR", Decimal("730.25")),
        tillit.Line("Mat", Decimal("3"), "EA", Decimal("199"), vat_percent=Decimal("15")),
    ]


def test_invoice_round_trip_keeps_lines_and_totals():
    inv = ehf_invoice(lines(), kid=tillit.Kid.generate("1234567", "mod10"), buyer_reference="Ola Nordmann")
    xml = inv.to_ehf()
    assert xml.startswith("<?xml")
    assert "<cbc:CompanyID>NO988077917MVA</cbc:CompanyID>" in xml
    assert "<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>" in xml
    assert "Rådgivning &lt;senior&gt; &amp; co" in xml
    assert "<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>" in xml
    back = tillit.from_ehf(xml)
    assert isinstance(back, tillit.Invoice)
    assert back.number == inv.number
    assert back.lines == inv.lines
    assert back.totals().payable == inv.totals().payable
    assert back.kid == inv.kid
    # Writing is deterministic.
    assert inv.to_ehf() == xml


def test_credit_note_reads_back_as_a_credit_note():
    inv = ehf_invoice(lines(), order_reference="PO-77")
    note = inv.credit_note("CN-1", datetime.date(2024, 3, 20))
    xml = note.to_ehf()
    assert "<CreditNote" in xml
    back = tillit.from_ehf(xml)
    assert isinstance(back, tillit.CreditNote)
    assert back.credited_number == inv.number
    assert back.totals().payable == note.totals().payable


def test_attachments_are_embedded_by_reference_id():
    doc = json.loads(ehf_invoice(lines(), buyer_reference="Ola Nordmann").to_json())
    doc["invoice"]["attachments"] = [{"id": "spec", "description": "Timeliste",
                           "mime_type": "application/pdf", "file_name": "timer.pdf"}]
    with_ref = tillit.Invoice.from_json(json.dumps(doc))
    xml = with_ref.to_ehf({"spec": b"%PDF-1.7 timer"})
    assert "EmbeddedDocumentBinaryObject" in xml
    assert 'filename="timer.pdf"' in xml
    assert base64.b64encode(b"%PDF-1.7 timer").decode() in xml
    outcome = tillit.read_ehf(xml)
    assert outcome.attachments == {"spec": b"%PDF-1.7 timer"}
    assert isinstance(outcome.document, tillit.Invoice)
    # Without the bytes the writer says which attachment lacks them.
    with pytest.raises(tillit.EhfError, match="spec"):
        with_ref.to_ehf()


def test_unwritable_invoice_names_the_field():
    without_reference = ehf_invoice(lines())
    with pytest.raises(tillit.EhfError, match="cannot write buyer_reference"):
        without_reference.to_ehf()
    no_endpoint = tillit.Invoice("1", datetime.date(2024, 1, 2), seller(), tillit.Party("Kjøper"),
                                 lines(), buyer_reference="Ola")
    with pytest.raises(tillit.EhfError, match="cannot write buyer.endpoint"):
        no_endpoint.to_ehf()


@pytest.mark.parametrize(
    ("xml", "needle"),
    [
        ("<Invoice", "malformed XML"),
        ("not xml at all", "XML"),
        ('<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
         "Order"),
        ('<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
         "missing element"),
    ],
)
def test_bad_documents_raise_ehf_error(xml, needle):
    with pytest.raises(tillit.EhfError) as err:
        tillit.from_ehf(xml)
    assert needle in str(err.value)
    # EhfError is an InvoiceError, a TillitError and a ValueError.
    assert isinstance(err.value, tillit.InvoiceError)
    assert isinstance(err.value, tillit.TillitError)
    assert isinstance(err.value, ValueError)


def test_huge_and_wrong_inputs_are_refused_cleanly():
    with pytest.raises(TypeError):
        tillit.from_ehf(None)  # type: ignore[arg-type]
    with pytest.raises(tillit.EhfError):
        tillit.from_ehf("<" * 1_000_000)


@pytest.mark.skipif(PEPPOL is None, reason="the official PEPPOL examples (../shared/peppol) are not present")
def test_official_norwegian_example_reads_and_writes_back():
    xml = (PEPPOL / "Norwegian-example-1.xml").read_text(encoding="utf-8")
    inv = tillit.from_ehf(xml)
    assert isinstance(inv, tillit.Invoice)
    assert inv.number == "TOSL108"
    assert len(inv.lines) == 5
    totals = inv.totals()
    assert totals.vat_total == Decimal("365.28")
    assert totals.payable == Decimal("802.00")
    outcome = tillit.read_ehf(xml)
    assert outcome.attachments == {"Doc2": b"Test base 64 encoding"}
    assert outcome.ignored, "what the models do not carry is listed, never dropped silently"
    with pytest.raises(tillit.EhfError, match="strict|unsupported"):
        tillit.read_ehf(xml, strict=True)
    again = tillit.from_ehf(inv.to_ehf(outcome.attachments))
    assert again.lines == inv.lines
    assert again.totals().payable == Decimal("802.00")
