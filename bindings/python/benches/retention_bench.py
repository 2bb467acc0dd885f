"""Retention speed from Python: the columnar planner against the per-object methods and
against a plain Python implementation of the invoice rule with dateutil.

Run with the extension built in release mode (``maturin develop --release``):
``python bindings/python/benches/retention_bench.py [rows]``. It prints records per second
for each path and the ratios the retention docs quote.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import numpy as np
from dateutil.relativedelta import relativedelta

import tillit


def plain_python(dates: list[dt.date], today: dt.date) -> list[bool]:
    """The seed invoice rule in plain Python: fiscal year = calendar year, 10 years, month end."""
    out = []
    for date in dates:
        end = dt.date(date.year, 12, 31)
        through = end + relativedelta(years=10, day=31)
        out.append(today > through)
    return out


def best(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = np.random.default_rng(20261203)
    days = rng.integers(12784, 12784 + 8000, size=rows).astype("datetime64[D]")
    records = {"kind": np.zeros(rows, dtype=np.uint8), "date": days, "account": np.zeros(rows, dtype=np.uint32)}
    accounts = {"active": np.ones(1, dtype=np.uint8), "last_activity": np.array(["2026-01-01"], dtype="datetime64[D]")}
    today = dt.date(2026, 12, 3)
    seed = tillit.RetentionPolicy.seed()

    sample = min(rows, 100_000)
    objects = days[:sample].astype(dt.date).tolist()

    columnar = best(lambda: seed.plan(records, accounts, today)) / rows
    per_object = best(lambda: [seed.invoice(x, today) for x in objects], 1) / sample
    plain = best(lambda: plain_python(objects, today), 1) / sample

    print(f"columnar planner : {1 / columnar:>14,.0f} records/s")
    print(f"per-object calls : {1 / per_object:>14,.0f} records/s  ({per_object / columnar:,.0f}x slower)")
    print(f"plain + dateutil : {1 / plain:>14,.0f} records/s  ({plain / columnar:,.0f}x slower)")


if __name__ == "__main__":
    main()
