"""Reset tokens from Python: the flow, its errors, the shipped stores and a store written
in Python, all against the same conformance suite."""

import threading

import pytest

import tillit
from tillit.testing import run_token_store_conformance

KEY = bytes(range(32))
BASE = "https://app.example.no/glemt-passord"
HASH_A = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"
HASH_B = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0eHg$b3RoZXJoYXNob3RoZXJoYXM"
T0 = 1_764_000_000
GOOD_PW = "en lang og god passordsetning"


class PyStore:
    """A token store in plain Python, as a service would write over its own database."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = {}
        self.requests = []

    def insert(self, record):
        with self.lock:
            if record.selector in self.tokens:
                raise KeyError("duplicate selector")
            self.tokens[record.selector] = record

    def peek(self, selector):
        with self.lock:
            return self.tokens.get(selector)

    def take(self, selector, now):
        with self.lock:
            record = self.tokens.get(selector)
            if record is None or record.consumed_at is not None:
                return None
            self.tokens[selector] = record.with_consumed_at(now)
            return record

    def revoke_all(self, account_id):
        with self.lock:
            doomed = [
                s
                for s, r in self.tokens.items()
                if r.account_id == account_id and r.consumed_at is None
            ]
            for s in doomed:
                del self.tokens[s]
            return len(doomed)

    def record_request(self, email_key, requester, at):
        with self.lock:
            self.requests.append((email_key, requester, at))

    def count_requests_for_email(self, email_key, since):
        with self.lock:
            return sum(1 for k, _, at in self.requests if k == email_key and at >= since)

    def count_requests_for_requester(self, requester, since):
        with self.lock:
            return sum(1 for _, r, at in self.requests if r == requester and at >= since)

    def purge(self, now, requests_before):
        with self.lock:
            expired = [s for s, r in self.tokens.items() if r.expires_at <= now]
            for s in expired:
                del self.tokens[s]
            before = len(self.requests)
            self.requests = [e for e in self.requests if e[2] >= requests_before]
            return len(expired) + before - len(self.requests)


class RacyStore(PyStore):
    """Read, then write: loses the single-use guarantee under concurrency."""

    def take(self, selector, now):
        import time

        record = self.peek(selector)
        time.sleep(0.002)
        if record is None or record.consumed_at is not None:
            return None
        with self.lock:
            self.tokens[selector] = record.with_consumed_at(now)
        return record


def stores(tmp_path):
    return [
        tillit.MemoryTokenStore(),
        tillit.SqliteTokenStore(str(tmp_path / "tokens.db")),
        PyStore(),
    ]


def test_conformance_of_shipped_stores_and_a_python_store(tmp_path):
    counter = iter(range(1000))
    assert run_token_store_conformance(tillit.MemoryTokenStore) == 10
    assert (
        run_token_store_conformance(
            lambda: tillit.SqliteTokenStore(str(tmp_path / f"c{next(counter)}.db"))
        )
        == 10
    )
    assert run_token_store_conformance(PyStore) == 10


def test_conformance_catches_a_racy_python_store():
    with pytest.raises(AssertionError, match="concurrent_takes_succeed_exactly_once"):
        run_token_store_conformance(RacyStore)


def test_the_whole_flow_on_every_store(tmp_path):
    for store in stores(tmp_path):
        reset = tillit.PasswordReset(store, KEY, BASE)
        out = reset.request("kari@example.no", "acct-1", HASH_A, "203.0.113.9", now=T0)
        assert out.mail is not None and not out.suppressed
        mail = out.mail
        assert mail.link == f"{BASE}?token={mail.token}"
        assert mail.token.startswith("tlr1_")
        assert mail.expires_at == T0 + 1800
        for _ in range(3):
            assert reset.peek(mail.link, now=T0 + 1).account_id == "acct-1"
        done = reset.complete(mail.token, GOOD_PW, GOOD_PW, HASH_A, now=T0 + 2)
        assert done.account_id == "acct-1"
        assert done.new_hash.startswith("$argon2id$v=19$")
        with pytest.raises(tillit.TokenUsedError):
            reset.complete(mail.token, GOOD_PW, GOOD_PW, HASH_A, now=T0 + 3)


def test_errors_are_typed_and_share_a_base():
    reset = tillit.PasswordReset(tillit.MemoryTokenStore(), KEY, BASE)
    mail = reset.request("kari@example.no", "a", HASH_A, "ip", now=T0).mail
    with pytest.raises(tillit.TokenExpiredError):
        reset.peek(mail.token, now=T0 + 1800)
    reset.peek(mail.token, now=T0 + 1799)
    with pytest.raises(tillit.TokenInvalidError):
        reset.consume(mail.token, HASH_B, now=T0 + 1)  # another account's hash
    with pytest.raises(tillit.TokenInvalidError):
        reset.peek("tlr1_garbage", now=T0)
    with pytest.raises(tillit.PasswordPolicyError) as policy:
        reset.complete(mail.token, "kort", "kurt", HASH_A, now=T0 + 1)
    rules = [rule for rule, _ in policy.value.violations]
    assert "too_short" in rules and "confirmation_mismatch" in rules
    assert reset.consume(mail.token, HASH_A, now=T0 + 1) == "a"
    for cls in (
        tillit.TokenExpiredError,
        tillit.TokenInvalidError,
        tillit.TokenUsedError,
        tillit.ThrottledError,
    ):
        assert issubclass(cls, tillit.TillitError)


def test_requests_look_the_same_for_unknown_addresses_and_throttle_only_requesters():
    reset = tillit.PasswordReset(
        tillit.MemoryTokenStore(), KEY, BASE, max_per_email=1, max_per_requester=3
    )
    known = reset.request("kari@example.no", "a", HASH_A, "ip", now=T0)
    unknown = reset.request("nobody@example.no", None, None, "ip", now=T0)
    assert type(known) is type(unknown)
    assert known.mail is not None and unknown.mail is None
    again = reset.request("kari@example.no", "a", HASH_A, "ip", now=T0 + 1)
    assert again.mail is None and again.suppressed
    with pytest.raises(tillit.ThrottledError) as throttled:
        reset.request("nobody@example.no", None, None, "ip", now=T0 + 2)
    assert throttled.value.retry_after_seconds == 3600
    with pytest.raises(ValueError):
        reset.request("kari@example.no", "a", None, "ip", now=T0)


def test_revoke_all_and_a_changed_hash_end_tokens():
    reset = tillit.PasswordReset(tillit.MemoryTokenStore(), KEY, BASE, fragment=True)
    first = reset.request("kari@example.no", "a", HASH_A, "ip", now=T0).mail
    assert "#token=tlr1_" in first.link
    assert reset.revoke_all("a") == 1
    with pytest.raises(tillit.TokenInvalidError):
        reset.peek(first.token, now=T0 + 1)
    second = reset.request("kari@example.no", "a", HASH_A, "ip", now=T0).mail
    with pytest.raises(tillit.TokenInvalidError):
        reset.peek(second.token, HASH_A.replace("t=2", "t=3"), now=T0 + 1)


def test_bad_configuration_is_a_value_error():
    with pytest.raises(ValueError):
        tillit.PasswordReset(tillit.MemoryTokenStore(), b"short", BASE)
    with pytest.raises(ValueError):
        tillit.PasswordReset(tillit.MemoryTokenStore(), KEY, "http://plain.example.no/")
    with pytest.raises(ValueError):
        tillit.PasswordReset(tillit.MemoryTokenStore(), KEY, BASE, lifetime_seconds=86400)


def test_threads_consume_one_token_exactly_once(tmp_path):
    for store in stores(tmp_path):
        reset = tillit.PasswordReset(store, KEY, BASE, max_per_email=100, max_per_requester=100)
        for trial in range(10):
            token = reset.request("kari@example.no", "a", HASH_A, "ip", now=T0 + trial).mail.token
            wins, used = [], []
            barrier = threading.Barrier(6)

            def racer():
                barrier.wait()
                try:
                    wins.append(reset.consume(token, HASH_A, now=T0 + trial))
                except tillit.TokenUsedError:
                    used.append(1)

            threads = [threading.Thread(target=racer) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(wins) == 1 and len(used) == 5
