"""Stateless tokens, reset links and the reset page's headers, through the Python binding."""

import pytest

import tillit

NOW = 1_760_000_000
HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43
OTHER_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "B" * 43


def tokens(lifetime=1800, retired=()):
    return tillit.StatelessTokens(
        tillit.StatelessKey("k2", b"\x02" * 32), list(retired), lifetime_seconds=lifetime
    )


def test_a_stateless_token_verifies_until_the_second_it_expires():
    t = tokens(lifetime=600)
    token = t.issue("acct-1", HASH, now=NOW)
    claims = t.verify(token, HASH, now=NOW + 599)
    assert (claims.account_id, claims.purpose, claims.key_id) == ("acct-1", "password-reset", "k2")
    assert claims.expires_at - claims.issued_at == 600
    with pytest.raises(tillit.TokenExpiredError):
        t.verify(token, HASH, now=NOW + 600)


def test_a_stateless_token_is_bound_to_purpose_and_hash():
    t = tokens()
    token = t.issue("acct-1", HASH, now=NOW)
    with pytest.raises(tillit.TokenInvalidError):
        t.verify(token, HASH, purpose="email-change", now=NOW)
    with pytest.raises(tillit.TokenInvalidError):
        t.verify(token, OTHER_HASH, now=NOW)
    assert t.account_of(token) == "acct-1"


def test_retired_keys_verify_and_unknown_keys_do_not():
    old = tillit.StatelessTokens(tillit.StatelessKey("k1", b"\x01" * 32))
    token = old.issue("acct-1", HASH, now=NOW)
    rotated = tokens(retired=[tillit.StatelessKey("k1", b"\x01" * 32)])
    assert rotated.verify(token, HASH, now=NOW).key_id == "k1"
    with pytest.raises(tillit.TokenInvalidError):
        tokens().verify(token, HASH, now=NOW)


def test_every_changed_character_of_a_stateless_token_is_refused():
    t = tokens()
    token = t.issue("acct-1", HASH, now=NOW)
    for i in range(len(token)):
        swapped = "A" if token[i] != "A" else "B"
        tampered = token[:i] + swapped + token[i + 1 :]
        with pytest.raises(tillit.TillitError):
            t.verify(tampered, HASH, now=NOW)


def test_bad_keys_are_refused_when_made():
    with pytest.raises(tillit.TillitError, match="32"):
        tillit.StatelessKey("k1", b"short")
    with pytest.raises(tillit.TillitError):
        tillit.StatelessKey("bad id!", b"\x01" * 32)
    assert "secret" not in repr(tillit.StatelessKey("k1", b"\x01" * 32)).split("secret=")[1][:3]


def test_links_round_trip_in_query_and_fragment():
    token = tokens().issue("acct-1", HASH, now=NOW)
    for fragment in (False, True):
        links = tillit.ResetLinks("https://app.example.no/glemt-passord", fragment=fragment)
        link = links.build(token)
        assert link.startswith("https://app.example.no/glemt-passord")
        assert ("#token=" in link) == fragment
        assert tillit.extract_token(link) == token
        assert tillit.extract_token(f"  {token}\n") == token
        assert tokens().verify(link, HASH, now=NOW).account_id == "acct-1"


@pytest.mark.parametrize(
    "base",
    ["http://app.example.no/reset", "https://user:pw@app.example.no/", "not a url",
     "https://app.example.no/reset#x", "https://app.example.no/reset?token=1"],
)
def test_unsafe_base_urls_are_refused(base):
    with pytest.raises(tillit.TillitError):
        tillit.ResetLinks(base)


@pytest.mark.parametrize(
    "pasted", ["", "https://app.example.no/reset", "https://app.example.no/reset?token=",
               "https://app.example.no/reset#token=", "x" * 10_000],
)
def test_malformed_pasted_links_are_refused(pasted):
    with pytest.raises(tillit.TokenInvalidError):
        tillit.extract_token(pasted)


def test_a_token_of_the_right_prefix_but_wrong_shape_is_refused_when_used():
    # extract_token checks only the shape of what was pasted; parsing refuses the rest.
    assert tillit.extract_token("tlr1_%%%") == "tlr1_%%%"
    with pytest.raises(tillit.TokenInvalidError):
        tokens().verify("tls1_%%%", HASH, now=NOW)


def test_reset_page_headers():
    headers = dict(tillit.reset_page_headers())
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    custom = dict(tillit.reset_page_headers("max-age=31536000"))
    assert custom["Strict-Transport-Security"] == "max-age=31536000"
