"""Erasure requests and anonymisation from Python: the same vectors as the Rust doc example
and tests, through RetentionPolicy.erasure, Buyer.anonymise and Product.anonymise."""

import datetime
from decimal import Decimal

import pytest

import tillit

TODAY = datetime.date(2026, 12, 3)


def test_erasure_splits_now_and_later_with_the_legal_duty():
    policy = tillit.RetentionPolicy.seed()
    answer = policy.erasure([datetime.date(2013, 5, 2), tillit.InvoiceRecord(datetime.date(2024, 3, 15))], TODAY)
    old, recent = answer.invoices
    assert (old.index, old.timing, old.erase_from) == (0, "now", None)
    assert (recent.index, recent.timing, recent.erase_from) == (1, "later", datetime.date(2035, 1, 1))
    assert recent.decision.action == "keep"
    assert answer.buyer_entry == "later"
    assert answer.buyer_entry_from == datetime.date(2035, 1, 1)
    assert "17(3)(b)" in answer.legal_duty and "bokføringsloven" in answer.legal_duty
    assert not answer.complete_now()


def test_erasure_of_only_old_invoices_is_complete_now():
    answer = tillit.RetentionPolicy.seed().erasure([datetime.date(2013, 5, 2)], TODAY)
    assert answer.buyer_entry == "now"
    assert answer.complete_now()


def test_a_legal_hold_leaves_the_date_open():
    held = tillit.InvoiceRecord(datetime.date(2013, 5, 2), legal_hold=True)
    answer = tillit.RetentionPolicy.seed().erasure([held], TODAY)
    assert answer.invoices[0].timing == "open"
    assert answer.invoices[0].erase_from is None
    assert answer.buyer_entry == "open"


def test_attachments_of_an_active_account_stay():
    attachment = tillit.AttachmentRecord(datetime.date(2013, 5, 2), account_active=True)
    answer = tillit.RetentionPolicy.seed().erasure([], TODAY, [attachment])
    assert answer.attachments[0].timing != "now"
    assert answer.buyer_entry == "now"


def test_erasure_refuses_wrong_types():
    with pytest.raises(TypeError, match="InvoiceRecord or a datetime.date"):
        tillit.RetentionPolicy.seed().erasure(["2013-05-02"], TODAY)


def receivable() -> tillit.Receivable:
    return tillit.Receivable(Decimal("1250.00"), "NOK", datetime.date(2015, 1, 5),
                             datetime.date(2015, 1, 19), datetime.date(2015, 1, 18))


def test_anonymised_buyer_keeps_amounts_and_dates_only():
    buyer = tillit.Buyer(7, "Kari Nordmann", "Storgata 1, 0155 Oslo",
                         created=datetime.date(2015, 1, 5), email="kari@example.no",
                         notes="prefers e-mail", receivables=[receivable()])
    assert "Kari" not in repr(buyer)
    anonymised = buyer.anonymise()
    assert anonymised.id == 7
    assert anonymised.created == datetime.date(2015, 1, 5)
    assert anonymised.receivables == [receivable()]
    assert not any(hasattr(anonymised, field)
                   for field in ("name", "address", "email", "phone", "identifier", "notes"))
    # Irreversible: the original object is empty now.
    assert buyer.anonymised
    with pytest.raises(ValueError, match="anonymised"):
        buyer.name
    with pytest.raises(ValueError, match="anonymised"):
        buyer.anonymise()


def test_anonymised_product_keeps_the_price():
    product = tillit.Product(3, "Kari's private lessons", Decimal("450"), description="for Kari N.")
    anonymised = product.anonymise()
    assert (anonymised.id, anonymised.unit_price) == (3, Decimal("450"))
    with pytest.raises(ValueError):
        product.name


def test_receivable_currency_is_checked():
    with pytest.raises(ValueError, match="ISO 4217"):
        tillit.Receivable(Decimal("1"), "kroner", datetime.date(2020, 1, 1), datetime.date(2020, 1, 2))
