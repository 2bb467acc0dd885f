"""Speed of the invoice models from Python, measured in one run against the references the
project promises to beat: python-stdnum for check digits (tillit at least 10x faster in
bulk) and a plain `decimal` implementation of the totals of a 100-line invoice (tillit at
least 5x faster).

Run: python bindings/python/benches/bench_invoice.py  (needs python-stdnum installed).
"""

import datetime
import timeit
from decimal import ROUND_HALF_UP, Decimal

import tillit

try:
    from stdnum.no import kontonr, orgnr
except ImportError:  # pragma: no cover - the comparison needs the package
    orgnr = kontonr = None

ORGS = ["988077917", "123456785", "987654325", "988077918"] * 2500
ACCOUNTS = ["86011117947", "86011117949"] * 5000
CENT = Decimal("0.01")


def tillit_check(orgs, accounts):
    """Bulk validation: one call per list."""
    return sum(tillit.OrgNumber.are_valid(orgs)) + sum(tillit.AccountNumber.are_valid(accounts))


def tillit_check_one_by_one(orgs, accounts):
    ok = 0
    for s in orgs:
        try:
            tillit.OrgNumber(s)
            ok += 1
        except tillit.InvoiceError:
            pass
    for s in accounts:
        try:
            tillit.AccountNumber(s)
            ok += 1
        except tillit.InvoiceError:
            pass
    return ok


def stdnum_check(orgs, accounts):
    ok = 0
    for s in orgs:
        ok += orgnr.is_valid(s)
    for s in accounts:
        ok += kontonr.is_valid(s)
    return ok


def lines_data():
    rates = [25, 15, 12]
    return [(Decimal(i % 7 + 1), Decimal(12345 + i * 17) / 100, Decimal(rates[i % 3])) for i in range(100)]


def plain_decimal_totals(data):
    """Totals as a careful Python developer would write them with `decimal`, including the
    validation a lawful invoice needs (non-zero quantity, non-negative price, known rate)."""
    problems = []
    groups = {}
    line_sum = Decimal(0)
    for i, (q, p, r) in enumerate(data):
        if q == 0:
            problems.append((f"lines[{i}].quantity", "line-quantity-nonzero"))
        if p < 0:
            problems.append((f"lines[{i}].unit_price", "line-price-negative"))
        if r not in (Decimal(25), Decimal(15), Decimal(12), Decimal("11.11"), Decimal(0)):
            problems.append((f"lines[{i}].vat.percent", "vat-rate-invalid"))
        amount = (q * p).quantize(CENT, rounding=ROUND_HALF_UP)
        line_sum += amount
        groups[r] = groups.get(r, Decimal(0)) + amount
    vat = sum(((base * r / 100).quantize(CENT, rounding=ROUND_HALF_UP) for r, base in groups.items()), Decimal(0))
    return line_sum, vat, line_sum + vat, problems


def tillit_invoice(data):
    seller = tillit.Party("S AS", org_number="988077917", vat_registered=True, city="Oslo")
    buyer = tillit.Party("B AS", city="Bergen")
    lines = [tillit.Line(f"Item {i}", q, "EA", p, r) for i, (q, p, r) in enumerate(data)]
    return tillit.Invoice("1", datetime.date(2024, 3, 15), seller, buyer, lines,
                          delivery_date=datetime.date(2024, 3, 15), payment_terms_days=14)


def best(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def main():
    data = lines_data()
    inv = tillit_invoice(data)
    t_tot = inv.totals()
    p_tot = plain_decimal_totals(data)
    assert (t_tot.line_extension, t_tot.vat_total, t_tot.tax_inclusive) == p_tot[:3], "figures differ"

    n_ids = len(ORGS) + len(ACCOUNTS)
    t_ids = best(lambda: tillit_check(ORGS, ACCOUNTS), 3)
    print(f"check digits, {n_ids} ids: tillit bulk {t_ids * 1e3:.2f} ms")
    t_one = best(lambda: tillit_check_one_by_one(ORGS, ACCOUNTS), 3)
    print(f"check digits, {n_ids} ids: tillit one by one (raising on invalid) {t_one * 1e3:.2f} ms")
    if orgnr is not None:
        assert stdnum_check(ORGS, ACCOUNTS) == tillit_check(ORGS, ACCOUNTS)
        s_ids = best(lambda: stdnum_check(ORGS, ACCOUNTS), 3)
        print(f"check digits, {n_ids} ids: python-stdnum {s_ids * 1e3:.2f} ms -> tillit {s_ids / t_ids:.1f}x")
    else:
        print("python-stdnum is not installed: no comparison")

    def tillit_totals():
        # Read the figures the plain side returns, so both sides hand back Decimal objects.
        t = inv.totals()
        return (t.line_extension, t.vat_total, t.tax_inclusive), inv.problems()

    t_inv = best(tillit_totals, 200)
    p_inv = best(lambda: plain_decimal_totals(data), 200)
    print(f"totals+validation, 100 lines: tillit {t_inv * 1e6:.1f} us, plain decimal {p_inv * 1e6:.1f} us "
          f"-> tillit {p_inv / t_inv:.1f}x")


if __name__ == "__main__":
    main()
