"""Hostile input through the binding: None, wrong types, huge and odd strings, and out-of-range
numbers given to every public callable must raise a Python exception, never crash the
interpreter, hang or return a wrong success.

Each case runs in this process: a crash (abort, segfault) fails the whole run, which is the
point. Time bounds are generous (seconds) and only catch hangs."""

import datetime
import io
import time
from decimal import Decimal

import pytest

import tillit

HUGE = "x" * 5_000_000
ODD = ["", "\x00", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"), "💥" * 1000,
       "../../etc/passwd", "' OR 1=1 --", "\u202e", HUGE]
WRONG = [None, 0, -1, 2**70, 1.5, float("nan"), b"bytes", [], {}, object()]

TODAY = datetime.date(2026, 12, 3)


def hasher() -> tillit.PasswordHasher:
    return tillit.PasswordHasher(memory_kib=64, time_cost=1, parallelism=1)


def reset() -> tillit.PasswordReset:
    return tillit.PasswordReset(tillit.MemoryTokenStore(), b"k" * 32, "https://example.no/r")


CALLS = {
    "PasswordHasher": lambda a: tillit.PasswordHasher(memory_kib=a),
    "hash": lambda a: hasher().hash(a),
    "verify": lambda a: hasher().verify("pw", a),
    "needs_rehash": lambda a: hasher().needs_rehash(a),
    "verify_and_update": lambda a: hasher().verify_and_update("pw", a),
    "policy.check": lambda a: tillit.PasswordPolicy().check(a, confirmation=1),
    "reset.peek": lambda a: reset().peek(a),
    "reset.consume": lambda a: reset().consume(a, a),
    "reset.request": lambda a: reset().request(a, a, a, a),
    "RetentionPolicy.preset": lambda a: tillit.RetentionPolicy.preset(a),
    "policy.invoice": lambda a: tillit.RetentionPolicy.seed().invoice(a, TODAY),
    "policy.cutoff": lambda a: tillit.RetentionPolicy.seed().cutoff(a, TODAY),
    "policy.plan": lambda a: tillit.RetentionPolicy.seed().plan(a, a, TODAY),
    "policy.erasure": lambda a: tillit.RetentionPolicy.seed().erasure(a, TODAY),
    "FiscalYear": lambda a: tillit.FiscalYear(a),
    "disclosure": lambda a: tillit.disclosure(a, a),
    "OrgNumber": lambda a: tillit.OrgNumber(a),
    "AccountNumber": lambda a: tillit.AccountNumber(a),
    "Kid": lambda a: tillit.Kid(a),
    "Kid.generate": lambda a: tillit.Kid.generate(a, "mod10"),
    "Invoice.from_json": lambda a: tillit.Invoice.from_json(a),
    "CreditNote.from_json": lambda a: tillit.CreditNote.from_json(a),
    "from_ehf": lambda a: tillit.from_ehf(a),
    "Line": lambda a: tillit.Line(a, a, a, a),
    "Party": lambda a: tillit.Party(a, org_number=a),
    "Receivable": lambda a: tillit.Receivable(a, a, a, a),
    "BackupKey.from_bytes": lambda a: tillit.BackupKey.from_bytes(a, a),
    "open_backup_bytes": lambda a: tillit.open_backup_bytes(a, tillit.BackupKeyRing()),
    "open_backup": lambda a: tillit.open_backup(a, io.BytesIO(), tillit.BackupKeyRing()),
}

# Inputs that a callable may legitimately accept (and then must answer correctly elsewhere):
# a plain string is a valid password, for instance. Only crashes and wrong types matter here.
ACCEPTS = {
    ("hash", str),
    ("hash", bytes),
    ("policy.check", str),
    ("policy.erasure", list),
    # Any text is an address and a requester to the flow, which answers in the same shape.
    ("reset.request", str),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("value", WRONG + ODD, ids=lambda v: type(v).__name__ + str(len(repr(v)) if isinstance(v, str) else ""))
def test_hostile_input_raises_not_crashes(name, value):
    started = time.monotonic()
    try:
        result = CALLS[name](value)
    except (TypeError, ValueError, OverflowError, tillit.TillitError, KeyError, OSError):
        pass
    except AttributeError:
        # Duck-typed streams: an object without read() or write() is refused by Python itself.
        assert name == "open_backup"
    else:
        assert (name, type(value)) in ACCEPTS, f"{name}({value!r:.40}) returned {result!r:.80}"
    assert time.monotonic() - started < 10, f"{name} took too long on {type(value).__name__}"


@pytest.mark.parametrize("value", WRONG, ids=lambda v: type(v).__name__)
def test_sqlite_store_refuses_what_is_not_a_path(value):
    # Strings are paths (a test must not create files from hostile names), so only the wrong
    # types are tried here; bytes are a valid path on POSIX.
    if isinstance(value, bytes):
        return
    with pytest.raises((TypeError, ValueError, OverflowError, tillit.TillitError)):
        tillit.SqliteTokenStore(value)


def test_panics_inside_the_extension_become_exceptions():
    with pytest.raises(BaseException) as caught:
        tillit._panic_for_tests()
    assert "deliberate panic" in str(caught.value)
