"""The invoice models from Python: the same vectors as the Rust tests, with decimal.Decimal
money and datetime.date dates."""

import datetime
import json
import pathlib
from decimal import Decimal

import pytest

import tillit

DATA = pathlib.Path(__file__).resolve().parents[3] / "tests" / "data"
VECTORS = json.loads((DATA / "invoice_vectors.json").read_text())
EXAMPLE = (DATA / "invoice_peppol_no_example.json").read_text()


def seller() -> tillit.Party:
    return tillit.Party(
        "Selger AS",
        org_number="988077917",
        vat_registered=True,
        legal_form="AS",
        street="Storgata 1",
        postal_code="0150",
        city="Oslo",
        bank_account="8601.11.17947",
    )


def buyer() -> tillit.Party:
    return tillit.Party("Kjøper AS", street="Bryggen 2", postal_code="5003", city="Bergen")


def invoice(lines: list[tillit.Line], **kw) -> tillit.Invoice:
    return tillit.Invoice(
        "2024-0001",
        datetime.date(2024, 3, 15),
        seller(),
        buyer(),
        lines,
        delivery_date=datetime.date(2024, 3, 15),
        payment_terms_days=14,
        **kw,
    )


def test_org_numbers():
    for payload, check in VECTORS["org_number_check_digits"]:
        assert tillit.OrgNumber.check_digit(payload) == check
    for s in VECTORS["org_numbers_valid"]:
        tillit.OrgNumber(s)
    for s in VECTORS["org_numbers_invalid"]:
        with pytest.raises(tillit.InvoiceError):
            tillit.OrgNumber(s)
    org = tillit.OrgNumber("NO 988 077 917 MVA")
    assert str(org) == "988077917"
    assert org.formatted() == "988 077 917"
    assert org.vat_number() == "NO988077917MVA"
    assert org == tillit.OrgNumber("988077917")


def test_errors_explain():
    with pytest.raises(tillit.InvoiceError, match="check digit is 8 but should be 7"):
        tillit.OrgNumber("988077918")
    assert issubclass(tillit.InvoiceError, tillit.TillitError)


def test_accounts_and_iban():
    for s in VECTORS["accounts_valid"]:
        tillit.AccountNumber(s)
    for s in VECTORS["accounts_invalid"]:
        with pytest.raises(tillit.InvoiceError):
            tillit.AccountNumber(s)
    for account, iban in VECTORS["ibans"]:
        assert tillit.AccountNumber(account).iban() == iban
        assert tillit.AccountNumber.from_iban(iban) == tillit.AccountNumber(account)
    for s in VECTORS["ibans_invalid"]:
        with pytest.raises(tillit.InvoiceError):
            tillit.AccountNumber.from_iban(s)


def test_kids():
    for k in VECTORS["kids"]:
        kid = tillit.Kid.generate(k["payload"], k["algorithm"])
        assert str(kid) == k["kid"]
        assert tillit.Kid(k["kid"], k["algorithm"]).algorithm == k["algorithm"]
    for k in VECTORS["kids_invalid"]:
        with pytest.raises(tillit.InvoiceError):
            tillit.Kid(k["kid"], k["algorithm"])


def test_vat_per_rate_not_per_line():
    for v in VECTORS["vat"]:
        inv = invoice([tillit.Line("x", Decimal(1), "EA", Decimal(v["amount"]), Decimal(v["percent"]))])
        assert inv.totals().vat_total == Decimal(v["vat"])
    pins = [tillit.Line("Pin", Decimal(1), "EA", Decimal("0.10")) for _ in range(3)]
    totals = invoice(pins).totals()
    assert totals.vat_total == Decimal("0.08")
    assert isinstance(totals.payable, Decimal)


def test_official_peppol_example():
    inv = tillit.Invoice.from_json(EXAMPLE)
    t = inv.totals()
    want = VECTORS["peppol_no_example_totals"]
    for field in ["line_extension", "allowance_total", "charge_total", "tax_exclusive",
                  "vat_total", "tax_inclusive", "prepaid", "rounding", "payable"]:
        assert getattr(t, field) == Decimal(want[field]), field
    got = [(g.category, g.percent, g.taxable_amount, g.vat_amount) for g in t.vat_breakdown]
    assert got == [(g["category"], Decimal(g["percent"]), Decimal(g["taxable_amount"]),
                    Decimal(g["vat_amount"])) for g in want["vat_breakdown"]]
    assert inv.problems() == []
    assert inv.issue_date == datetime.date(2013, 6, 30)
    assert tillit.Invoice.from_json(inv.to_json()) == inv


def test_validation_reports_every_problem():
    lines = [tillit.Line("ok", Decimal(1), "EA", Decimal(100)),
             tillit.Line("", Decimal(0), "EA", Decimal(-5), Decimal(20))]
    inv = tillit.Invoice("", datetime.date(2024, 3, 15), tillit.Party("S"), buyer(), lines)
    found = {(p.path, p.rule) for p in inv.problems()}
    for expected in [("number", "number-required"),
                     ("lines[1].description", "line-description-required"),
                     ("lines[1].quantity", "line-quantity-nonzero"),
                     ("lines[1].unit_price", "line-price-negative"),
                     ("lines[1].vat.percent", "vat-rate-invalid"),
                     ("seller.org_number", "seller-org-number-required")]:
        assert expected in found
    with pytest.raises(tillit.InvoiceValidationError) as e:
        inv.validate()
    assert "lines[1].quantity" in str(e.value)


def test_currency_and_cash_rounding():
    inv = invoice([tillit.Line("x", Decimal(3), "EA", Decimal("33.33"))], currency="EUR",
                  nok_exchange_rate=Decimal("11.4567"))
    t = inv.totals()
    assert (t.vat_total, t.vat_total_nok) == (Decimal("25.00"), Decimal("286.42"))
    yen = invoice([tillit.Line("x", Decimal(3), "EA", Decimal("333.5"))], currency="JPY",
                  nok_exchange_rate=Decimal("0.07"))
    assert yen.totals().line_extension == Decimal(1001)
    cash = invoice([tillit.Line("x", Decimal(1), "EA", Decimal("10.10"))], cash_rounding=True)
    t = cash.totals()
    assert (t.tax_inclusive, t.rounding, t.payable) == (Decimal("12.63"), Decimal("0.37"), Decimal(13))


def test_credit_notes_negate():
    inv = invoice([tillit.Line("x", Decimal(2), "HUR", Decimal("730.25")),
                   tillit.Line("y", Decimal(1), "EA", Decimal("99.90"), Decimal(15))])
    credit = inv.credit_note("K-1", datetime.date(2024, 3, 20))
    assert credit.credited_number == "2024-0001"
    assert credit.ledger_totals().payable == -inv.totals().payable
    assert credit.problems(inv) == []
    same = inv.credit_note("2024-0001", datetime.date(2024, 3, 20))
    assert ("number", "credit-note-own-number") in {(p.path, p.rule) for p in same.problems()}
    partial = inv.credit_note("K-2", datetime.date(2024, 3, 20),
                              [tillit.Line("x", Decimal(1), "HUR", Decimal("730.25"))])
    assert partial.totals().payable == Decimal("912.81")
    assert tillit.CreditNote.from_json(credit.to_json()) == credit


def test_json_errors_name_the_field():
    doc = json.loads(EXAMPLE)
    doc["invoice"]["lines"][2]["quantity"] = "two"
    with pytest.raises(tillit.InvoiceError, match=r"invoice\.lines\[2\]\.quantity"):
        tillit.Invoice.from_json(json.dumps(doc))
    doc = json.loads(EXAMPLE)
    doc["version"] = 2
    with pytest.raises(tillit.InvoiceError, match="version"):
        tillit.Invoice.from_json(json.dumps(doc))


def test_dunning():
    due = datetime.date(2024, 1, 10)
    assert tillit.reminder_fee(due, datetime.date(2024, 1, 24)) == Decimal(35)
    assert tillit.reminder_fee(due, datetime.date(2024, 1, 23)) is None
    assert tillit.reminder_fee(datetime.date(2020, 9, 30), datetime.date(2020, 10, 20)) == Decimal(70)
    first, second = datetime.date(2024, 1, 24), datetime.date(2024, 2, 7)
    assert tillit.reminder_fee(due, datetime.date(2024, 6, 1), [first, second]) is None
    interest = tillit.late_interest(Decimal(100000), datetime.date(2023, 6, 20), datetime.date(2023, 7, 10))
    assert interest == Decimal("616.44")


def test_bulk_validity():
    assert tillit.OrgNumber.are_valid(["988077917", "988077918", "x"]) == [True, False, False]
    assert tillit.AccountNumber.is_valid("86011117947")
    assert not tillit.AccountNumber.is_valid("86011117949")
