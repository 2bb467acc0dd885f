"""Retention through Python: the shared vectors, the columnar planner against the
per-object methods, and the errors."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

import tillit

VECTORS = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "data" / "retention_vectors.json").read_text()
)


def d(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def policy(name: str) -> tillit.RetentionPolicy:
    if name == "seed":
        return tillit.RetentionPolicy.seed()
    if name == "bookkeeping_act":
        return tillit.RetentionPolicy.bookkeeping_act()
    return tillit.RetentionPolicy.preset(name)


def check(decision: tillit.RetentionDecision, expect: dict, name: str) -> None:
    assert decision.fiscal_year_end == d(expect.get("fiscal_year_end")), name
    assert decision.retained_through == d(expect["retained_through"]), name
    assert decision.eligible_from == d(expect["eligible_from"]), name
    assert decision.action == expect["action"], name
    assert decision.reason == expect["reason"], name
    assert decision.action_from == d(expect["action_from"]), name
    assert decision.explain().startswith(expect["action"])


@pytest.mark.parametrize("row", VECTORS["counting"], ids=lambda r: f"{r['rule']}-{r['start']}+{r['years']}y{r['months']}m")
def test_counting_rules(row: dict) -> None:
    add = tillit.add_from_fiscal_year_end if row["rule"] == "fiscal_year_end" else tillit.add_from_event
    assert add(d(row["start"]), row["years"], row["months"]) == d(row["end"])


@pytest.mark.parametrize("row", VECTORS["fiscal_year_end"], ids=lambda r: f"{r['date']}-m{r['end_month']}")
def test_fiscal_year_end(row: dict) -> None:
    assert tillit.FiscalYear(row["end_month"]).fiscal_year_end(d(row["date"])) == d(row["expected"])


@pytest.mark.parametrize("row", VECTORS["invoices"], ids=lambda r: r["name"])
def test_invoice_vectors(row: dict) -> None:
    decision = policy(row["policy"]).invoice(
        d(row["date"]),
        d(row["today"]),
        fiscal_year=tillit.FiscalYear(row["end_month"]),
        booking_date=d(row["booking_date"]),
        fiscal_year_end=d(row["fiscal_year_end"]),
        legal_hold=row["legal_hold"],
    )
    check(decision, row["expect"], row["name"])


@pytest.mark.parametrize("row", VECTORS["attachments"], ids=lambda r: r["name"])
def test_attachment_vectors(row: dict) -> None:
    decision = policy(row["policy"]).attachment(
        d(row["date"]),
        d(row["today"]),
        account_active=row["account_active"],
        notice_sent=d(row["notice_sent"]),
        documents_sale=row["documents_sale"],
        fiscal_year=tillit.FiscalYear(row["end_month"]),
        legal_hold=row["legal_hold"],
    )
    check(decision, row["expect"], row["name"])


@pytest.mark.parametrize("row", VECTORS["accounts"], ids=lambda r: r["name"])
def test_account_vectors(row: dict) -> None:
    decision = policy(row["policy"]).account(
        d(row["last_activity"]),
        d(row["today"]),
        active=row["active"],
        latest_invoice_eligible_from=d(row["latest_invoice_eligible_from"]),
        legal_hold=row["legal_hold"],
    )
    assert decision.kind == "account_data"
    check(decision, {**row["expect"], "fiscal_year_end": None}, row["name"])


@pytest.mark.parametrize("row", VECTORS["cutoffs"], ids=lambda r: f"{r['policy']}-{r['kind']}-{r['today']}")
def test_cutoff_vectors(row: dict) -> None:
    assert policy(row["policy"]).cutoff(row["kind"], d(row["today"])) == d(row["cutoff"])


def test_presets_and_custom_policies() -> None:
    seed = tillit.RetentionPolicy.seed()
    assert seed.name == "seed"
    assert seed.periods == {"invoice": (10, 0), "attachment": (3, 6), "sale_attachment": (5, 0), "account_data": (10, 0)}
    assert tillit.RetentionPolicy.bookkeeping_act().periods["invoice"] == (5, 0)
    assert tillit.RetentionPolicy.preset("petroleum").periods["invoice"] == (15, 0)
    custom = tillit.RetentionPolicy(
        name="longer", invoice=(12, 0), attachment=(4, 0), sale_attachment=(5, 0), account_data=(10, 0), notice_days=14
    )
    assert custom.notice_days == 14
    with pytest.raises(tillit.TillitError, match="below the legal minimum"):
        tillit.RetentionPolicy(name="short", invoice=(4, 0), attachment=(3, 6), sale_attachment=(5, 0), account_data=(0, 0))


def test_errors_are_tillit_errors_and_value_errors() -> None:
    with pytest.raises(ValueError, match="expected 1 to 12"):
        tillit.FiscalYear(13)
    with pytest.raises(tillit.TillitError, match="not the last day of a month"):
        tillit.RetentionPolicy.seed().invoice(dt.date(2024, 3, 15), dt.date(2026, 1, 1), fiscal_year_end=dt.date(2024, 12, 30))
    with pytest.raises(tillit.TillitError, match="unknown record kind"):
        tillit.RetentionPolicy.seed().cutoff("receipt", dt.date(2026, 1, 1))
    with pytest.raises(tillit.TillitError, match="unknown retention preset"):
        tillit.RetentionPolicy.preset("forever")


def test_disclosure() -> None:
    assert tillit.disclosure("account_holder", "none")[0] is True
    assert tillit.disclosure("accountant", "account_holder_consent")[0] is False
    assert tillit.disclosure("police", "authority_decision")[0] is False
    allowed, reason = tillit.disclosure("police", "authority_decision", "24-1234 TVI-OTIR")
    assert allowed and reason.startswith("allowed")


np = pytest.importorskip("numpy")


def random_columns(rng: random.Random, rows: int, accounts: int) -> tuple[dict, dict]:
    first = dt.date(2005, 1, 1).toordinal()
    dates = [dt.date.fromordinal(first + rng.randrange(8000)) for _ in range(rows)]
    records = {
        "kind": np.array([rng.randrange(3) for _ in range(rows)], dtype=np.uint8),
        "date": np.array(dates, dtype="datetime64[D]"),
        "account": np.array([rng.randrange(accounts) for _ in range(rows)], dtype=np.int64),
        "legal_hold": np.array([rng.random() < 0.05 for _ in range(rows)], dtype=bool),
        "notice_sent": np.array(
            [np.datetime64(x + dt.timedelta(days=1300)) if rng.random() < 0.5 else np.datetime64("NaT") for x in dates],
            dtype="datetime64[D]",
        ),
    }
    account_columns = {
        "active": np.array([rng.random() < 0.5 for _ in range(accounts)], dtype=bool),
        "last_activity": np.array(
            [dt.date.fromordinal(first + rng.randrange(8000)) for _ in range(accounts)], dtype="datetime64[D]"
        ),
        "fiscal_year_end_month": np.array([rng.choice([12, 12, 6, 2]) for _ in range(accounts)], dtype=np.int32),
    }
    return records, account_columns


def as_date(day: int) -> dt.date | None:
    return None if day == tillit.RetentionPlanColumns.NO_DATE else dt.date(1970, 1, 1) + dt.timedelta(days=int(day))


def test_plan_agrees_with_the_per_object_methods() -> None:
    rng = random.Random(20261203)
    records, accounts = random_columns(rng, 500, 20)
    today = dt.date(2030, 6, 1)
    seed = tillit.RetentionPolicy.seed()
    plan = seed.plan(records, accounts, today)
    assert len(plan.records) == 500 and len(plan.accounts) == 20
    action = np.asarray(plan.records.action)
    eligible = np.asarray(plan.records.eligible_from)
    action_from = np.asarray(plan.records.action_from)
    latest: dict[int, dt.date] = {}
    for i in range(500):
        account = int(records["account"][i])
        fiscal_year = tillit.FiscalYear(int(accounts["fiscal_year_end_month"][account]))
        date = records["date"][i].astype(dt.date)
        hold = bool(records["legal_hold"][i])
        if records["kind"][i] == 0:
            single = seed.invoice(date, today, fiscal_year=fiscal_year, legal_hold=hold)
            latest[account] = max(latest.get(account, single.eligible_from), single.eligible_from)
        else:
            notice = records["notice_sent"][i]
            single = seed.attachment(
                date,
                today,
                account_active=bool(accounts["active"][account]),
                notice_sent=None if np.isnat(notice) else notice.astype(dt.date),
                documents_sale=records["kind"][i] == 2,
                fiscal_year=fiscal_year,
                legal_hold=hold,
            )
        assert tillit.RetentionPlanColumns.ACTIONS[action[i]] == single.action
        assert as_date(eligible[i]) == single.eligible_from
        assert as_date(action_from[i]) == single.action_from
        assert plan.records.explain(i) == single.explain()
    for j in range(20):
        single = seed.account(
            accounts["last_activity"][j].astype(dt.date),
            today,
            active=bool(accounts["active"][j]),
            latest_invoice_eligible_from=latest.get(j),
        )
        assert plan.accounts.decision(j).action == single.action
        assert plan.accounts.decision(j).action_from == single.action_from
    counts = plan.records.counts()
    assert sum(counts.values()) == 500 and counts["delete"] > 0 and counts["keep"] > 0


def test_plan_accepts_int32_and_int64_day_numbers_and_plain_lists() -> None:
    seed = tillit.RetentionPolicy.seed()
    day = (dt.date(2024, 3, 15) - dt.date(1970, 1, 1)).days
    accounts = {"active": [1], "last_activity": np.array([day], dtype=np.int64)}
    for dates in (np.array([day], dtype=np.int32), np.array([day], dtype=np.int64), [dt.date(2024, 3, 15)]):
        plan = seed.plan({"kind": [0], "date": dates, "account": [0]}, accounts, dt.date(2035, 1, 1))
        assert plan.records.decision(0).retained_through == dt.date(2034, 12, 31)
        assert plan.records.decision(0).action == "delete"


def test_plan_refuses_bad_columns_with_clear_errors() -> None:
    seed = tillit.RetentionPolicy.seed()
    accounts = {"active": [1], "last_activity": [dt.date(2024, 1, 1)]}
    good = {"kind": [0], "date": [dt.date(2024, 1, 1)], "account": [0]}
    with pytest.raises(tillit.TillitError, match="unknown records column"):
        seed.plan({**good, "dato": [0]}, accounts, dt.date(2030, 1, 1))
    with pytest.raises(tillit.TillitError, match="expected datetime64"):
        seed.plan({**good, "date": np.array(["2024-01-01"], dtype="datetime64[s]")}, accounts, dt.date(2030, 1, 1))
    with pytest.raises(tillit.TillitError, match="account 3 does not exist"):
        seed.plan({**good, "account": [3]}, accounts, dt.date(2030, 1, 1))
    with pytest.raises(tillit.TillitError, match="column account has 2 rows"):
        seed.plan({**good, "account": [0, 0]}, accounts, dt.date(2030, 1, 1))
    with pytest.raises(KeyError):
        seed.plan({"kind": [0], "date": [dt.date(2024, 1, 1)]}, accounts, dt.date(2030, 1, 1))
