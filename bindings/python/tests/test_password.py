"""Tests of the password capability from Python: hashing, verification with upgrade, errors,
the policy, throttling, and interoperability with argon2-cffi and PyNaCl in both directions."""

import threading
import unicodedata

import argon2
import nacl.pwhash
import pytest

import tillit

FAST = dict(memory_kib=64, time_cost=1, parallelism=1)


def test_hash_and_verify_round_trip():
    h = tillit.PasswordHasher(**FAST)
    stored = h.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert h.verify("correct horse battery staple", stored) is True
    assert h.verify("wrong", stored) is False
    assert h.verify_and_update("correct horse battery staple", stored) == (True, None)
    assert h.verify_and_update("wrong", stored) == (False, None)
    assert h.needs_rehash(stored) is False


def test_defaults_are_owasp():
    h = tillit.PasswordHasher()
    assert (h.memory_kib, h.time_cost, h.parallelism) == (19456, 2, 1)
    assert h.hash("pw").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_bytes_and_bytearray_passwords():
    h = tillit.PasswordHasher(**FAST)
    stored = h.hash(bytearray("blåbær".encode()))
    assert h.verify("blåbær", stored)
    assert h.verify(b"bl\xc3\xa5b\xc3\xa6r", stored)
    with pytest.raises(TypeError):
        h.hash(12345)
    with pytest.raises(tillit.TillitError):
        h.hash(b"\xff\xfe")


def test_upgrade_on_login():
    weak = tillit.PasswordHasher(memory_kib=64, time_cost=1).hash("pw")
    policy = tillit.PasswordHasher(memory_kib=128, time_cost=2)
    assert policy.needs_rehash(weak)
    valid, new_hash = policy.verify_and_update("pw", weak)
    assert valid and new_hash is not None and "m=128,t=2,p=1" in new_hash
    assert policy.verify_and_update("pw", new_hash) == (True, None)
    assert policy.verify("wrong", weak) is False


def test_pepper_rotation():
    old = tillit.PasswordHasher(**FAST, pepper=("k1", b"\x01" * 32))
    stored = old.hash("pw")
    assert ",keyid=" in stored
    new = tillit.PasswordHasher(**FAST, pepper=("k2", b"\x02" * 32), old_peppers=[("k1", b"\x01" * 32)])
    valid, rekeyed = new.verify_and_update("pw", stored)
    assert valid and rekeyed is not None
    assert new.verify_and_update("pw", rekeyed) == (True, None)
    with pytest.raises(tillit.TillitError):
        tillit.PasswordHasher(**FAST).verify("pw", stored)


def test_unknown_user_is_always_false():
    h = tillit.PasswordHasher(**FAST)
    assert h.verify_unknown_user("anything") is False


@pytest.mark.parametrize(
    "stored",
    [
        "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=19456,t=99,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2d$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=19456,t=2,p=1$!!!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "not a hash",
        "",
    ],
)
def test_hostile_hashes_raise_invalid_hash_error(stored):
    h = tillit.PasswordHasher()
    with pytest.raises(tillit.InvalidHashError) as info:
        h.verify("pw", stored)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, tillit.TillitError)
    with pytest.raises(tillit.InvalidHashError):
        h.needs_rehash(stored)


def test_too_long_password_is_refused():
    h = tillit.PasswordHasher(**FAST)
    with pytest.raises(tillit.TillitError):
        h.hash("a" * 4097)


def test_busy_error_when_the_budget_stays_full():
    # Room for one hash at a time and no wait: concurrent callers see BusyError.
    h = tillit.PasswordHasher(memory_kib=8192, time_cost=3, budget_bytes=8192 * 1024, budget_wait=0.0)
    errors = []

    def work():
        try:
            for _ in range(3):
                h.hash("pw")
        except tillit.BusyError as e:
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors, "eight threads on a one-permit budget with no wait must meet BusyError"
    assert isinstance(errors[0], tillit.TillitError)


def test_hashing_releases_the_gil():
    # Two threads hashing at once finish; with the GIL held they would still finish, so this
    # mainly checks that detaching is safe with concurrent use of one hasher.
    h = tillit.PasswordHasher(memory_kib=1024, time_cost=1)
    out = []
    threads = [threading.Thread(target=lambda: out.append(h.hash("pw"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 4 and all(h.verify("pw", s) for s in out)


def test_nfc_equivalents_verify_and_nfkc_ones_do_not():
    h = tillit.PasswordHasher(**FAST)
    stored = h.hash("\u00c5ngstr\u00f6m")
    assert h.verify("A\u030angstro\u0308m", stored)
    assert not h.verify("fish", h.hash("\ufb01sh"))
    assert not h.verify("1234", h.hash("\uff11\uff12\uff13\uff14"))
    assert tillit.canonicalize("a\u00a0b") == "a b"


# --- interoperability -------------------------------------------------------------------

PASSWORDS = [
    "correct horse battery staple",
    unicodedata.normalize("NFC", "blåbærsyltetøy på søndag ☕"),
    "é" * 500 + "x" * 500,
]


@pytest.mark.parametrize("password", PASSWORDS)
def test_argon2_cffi_verifies_tillit_hashes(password):
    h = tillit.PasswordHasher(memory_kib=1024, time_cost=2, parallelism=2)
    stored = h.hash(password)
    assert argon2.PasswordHasher().verify(stored, password)


@pytest.mark.parametrize("password", PASSWORDS)
def test_tillit_verifies_argon2_cffi_hashes(password):
    stored = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=4).hash(password)
    valid, new_hash = tillit.PasswordHasher().verify_and_update(password, stored)
    assert valid and new_hash is not None  # t=1 is below OWASP's t=2: upgraded
    assert tillit.PasswordHasher().verify(password, argon2.PasswordHasher().hash(password))


@pytest.mark.parametrize("password", PASSWORDS)
def test_libsodium_verifies_tillit_hashes(password):
    stored = tillit.PasswordHasher(memory_kib=8192, time_cost=2).hash(password)
    assert nacl.pwhash.argon2id.verify(stored.encode(), password.encode())


@pytest.mark.parametrize("password", PASSWORDS)
def test_tillit_verifies_libsodium_hashes(password):
    stored = nacl.pwhash.argon2id.str(
        password.encode(),
        opslimit=nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
        memlimit=nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE,
    ).decode()
    assert tillit.PasswordHasher().verify_and_update(password, stored) == (True, None)
    assert tillit.PasswordHasher().verify("not it", stored) is False


# --- policy and throttling ----------------------------------------------------------------


def test_policy_rules():
    policy = tillit.PasswordPolicy()
    assert policy.check("violet kettle under the bridge") == []
    rules = [v.rule for v in policy.check("short")]
    assert rules == ["too_short"]
    assert [v.rule for v in policy.check("password1", confirmation="password1")] == ["too_short", "common"]
    assert [v.rule for v in policy.check("violet kettle under the bridge", confirmation="other")] == [
        "confirmation_mismatch"
    ]
    assert "matches_user_input" in [
        v.rule for v in policy.check("kari@example.no.kari", user_inputs=["kari@example.no"])
    ]
    assert [v.rule for v in policy.check("a" * 5000)] == ["too_many_bytes"]
    two = tillit.PasswordPolicy(second_factor=True)
    assert two.min_length == 8 and two.check("plum-42!") == []
    v = policy.check("short")[0]
    assert "15" in v.message


def test_throttle_never_locks_out():
    t = tillit.LoginThrottle()
    now = 1_800_000_000.0
    assert t.decide(0, None, 0, None, now).allowed
    d = t.decide(10**9, now, 0, None, now)
    assert not d.allowed and d.scope == "account" and d.retry_after == 900.0
    assert t.decide(10**9, now, 0, None, now + 900).allowed
    r = t.decide(0, None, 25, now, now)
    assert not r.allowed and r.scope == "requester"


def test_common_password_list():
    assert tillit.is_common_password("Password123")
    assert not tillit.is_common_password("violet kettle under the bridge")
