//! The password-reset flow against DOMAIN.md §2: life of a token, single use, binding to the
//! account's stored hash, revocation, enumeration-safe requests and throttling.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tillit::token::*;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

const HASH_A: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
const HASH_B: &str = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0eHg$b3RoZXJoYXNob3RoZXJoYXM";
const T0: i64 = 1_764_000_000;

/// Accepts passwords of at least 4 characters that match their confirmation.
struct TestSetter;

impl PasswordSetter for TestSetter {
    fn check(&self, pw: &str, confirmation: &str, user_inputs: &[&str]) -> Vec<PolicyViolation> {
        let mut out = Vec::new();
        if pw.chars().count() < 4 {
            out.push(PolicyViolation {
                rule: "too_short".into(),
                message: "too short".into(),
            });
        }
        if pw != confirmation {
            out.push(PolicyViolation {
                rule: "confirmation".into(),
                message: "differs".into(),
            });
        }
        if user_inputs.contains(&pw) {
            out.push(PolicyViolation {
                rule: "user_input".into(),
                message: "is yours".into(),
            });
        }
        out
    }

    fn hash(&self, pw: &str) -> Result<Zeroizing<String>, TokenError> {
        Ok(Zeroizing::new(format!("$test${pw}")))
    }
}

fn at(offset: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(T0 + offset).expect("valid test time")
}

fn config() -> ResetConfig {
    ResetConfig::new(
        ResetLinks::new("https://app.example.no/glemt-passord", LinkPlacement::Query)
            .expect("valid base"),
    )
}

fn flow_with(store: Arc<dyn TokenStore>, config: ResetConfig) -> PasswordReset {
    PasswordReset::new(
        store,
        ServerKey::new(&[7u8; 32]).expect("valid key"),
        config,
        Arc::new(TestSetter),
    )
    .expect("valid config")
}

fn flow() -> PasswordReset {
    flow_with(Arc::new(MemoryTokenStore::new()), config())
}

fn acct(id: &'static str, hash: &'static str) -> Option<Account<'static>> {
    Some(Account {
        id,
        stored_hash: hash,
    })
}

fn issue(reset: &PasswordReset, id: &'static str, hash: &'static str, now: i64) -> ResetMail {
    reset
        .request("kari@example.no", acct(id, hash), "198.51.100.7", at(now))
        .expect("request succeeds")
        .into_mail()
        .expect("a known account within limits gets a mail")
}

#[test]
fn a_token_works_until_one_second_before_expiry() -> Result<(), TokenError> {
    let reset = flow();
    let mail = issue(&reset, "a", HASH_A, 0);
    assert_eq!(mail.expires_at, at(30 * 60));
    assert_eq!(
        reset
            .peek(&mail.token, Some(HASH_A), at(30 * 60 - 1))?
            .account_id,
        "a"
    );
    for late in [30 * 60, 30 * 60 + 1] {
        let err = reset
            .peek(&mail.token, Some(HASH_A), at(late))
            .expect_err("expired");
        assert_eq!(
            err,
            TokenError::Expired {
                expired_at: T0 + 1800,
                now: T0 + late
            }
        );
        assert_eq!(err.kind(), TokenErrorKind::Expired);
        assert_eq!(reset.consume(&mail.token, HASH_A, at(late)), Err(err));
    }
    assert!(reset.consume(&mail.token, HASH_A, at(30 * 60 - 1)).is_ok());
    Ok(())
}

#[test]
fn lifetime_is_configurable_within_bounds() {
    let mut c = config();
    c.lifetime = Duration::minutes(10);
    let reset = flow_with(Arc::new(MemoryTokenStore::new()), c.clone());
    assert_eq!(issue(&reset, "a", HASH_A, 0).expires_at, at(600));
    for bad in [
        Duration::hours(1) + Duration::SECOND,
        Duration::days(3),
        Duration::seconds(59),
    ] {
        c.lifetime = bad;
        let err = PasswordReset::new(
            Arc::new(MemoryTokenStore::new()),
            ServerKey::new(&[7u8; 32]).expect("valid key"),
            c.clone(),
            Arc::new(TestSetter),
        )
        .expect_err("lifetime out of bounds");
        assert!(matches!(err, TokenError::Config { .. }), "{err}");
    }
}

#[test]
fn peek_does_not_use_the_token_and_consume_works_once() -> Result<(), TokenError> {
    let reset = flow();
    let mail = issue(&reset, "a", HASH_A, 0);
    for _ in 0..5 {
        reset.peek(&mail.link, None, at(1))?; // a mail scanner opening the link
    }
    assert_eq!(reset.consume(&mail.token, HASH_A, at(2))?.account_id, "a");
    assert_eq!(
        reset.consume(&mail.token, HASH_A, at(3)),
        Err(TokenError::Used)
    );
    assert_eq!(reset.peek(&mail.token, None, at(3)), Err(TokenError::Used));
    assert_eq!(TokenError::Used.kind(), TokenErrorKind::Used);
    Ok(())
}

#[test]
fn a_token_of_another_purpose_is_refused() {
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let mut other = config();
    other.purpose = Purpose::new("email-confirm").expect("valid purpose");
    let confirm = flow_with(store.clone(), other);
    let reset = flow_with(store, config());
    let mail = issue(&confirm, "a", HASH_A, 0);
    let err = reset
        .consume(&mail.token, HASH_A, at(1))
        .expect_err("wrong purpose");
    assert_eq!(
        err,
        TokenError::WrongPurpose {
            expected: "password-reset".into(),
            found: "email-confirm".into()
        }
    );
    assert_eq!(err.kind(), TokenErrorKind::Invalid);
}

#[test]
fn a_token_is_bound_to_its_account_and_its_stored_hash() {
    let reset = flow();
    let mail = issue(&reset, "a", HASH_A, 0);
    // Another account's hash: the token is not theirs.
    assert_eq!(
        reset.consume(&mail.token, HASH_B, at(1)),
        Err(TokenError::HashChanged)
    );
    // The same account after any change of its stored string (an upgrade on login too).
    let upgraded = HASH_A.replace("m=19456", "m=65536");
    assert_eq!(
        reset.peek(&mail.token, Some(&upgraded), at(1)),
        Err(TokenError::HashChanged)
    );
    assert_eq!(
        reset
            .complete(&mail.token, "new-pass", "new-pass", &upgraded, &[], at(1))
            .map(|_| ()),
        Err(TokenError::HashChanged)
    );
    // Refusals did not use it up.
    assert!(reset.consume(&mail.token, HASH_A, at(2)).is_ok());
}

#[test]
fn revoke_all_kills_every_outstanding_token_of_the_account_only() -> Result<(), TokenError> {
    let reset = flow();
    let first = issue(&reset, "a", HASH_A, 0);
    let second = issue(&reset, "a", HASH_A, 1);
    let other = issue(&reset, "b", HASH_B, 2);
    assert_eq!(reset.revoke_all("a")?, 2);
    for mail in [&first, &second] {
        assert_eq!(
            reset.peek(&mail.token, None, at(3)),
            Err(TokenError::Unknown)
        );
    }
    assert!(reset.consume(&other.token, HASH_B, at(3)).is_ok());
    Ok(())
}

#[test]
fn complete_changes_the_password_once_and_ends_sibling_tokens() -> Result<(), TokenError> {
    let reset = flow();
    let first = issue(&reset, "a", HASH_A, 0);
    let second = issue(&reset, "a", HASH_A, 1);
    let done = reset.complete(&first.token, "hemmelig", "hemmelig", HASH_A, &[], at(2))?;
    assert_eq!(done.account_id, "a");
    assert_eq!(done.new_hash.as_str(), "$test$hemmelig");
    assert_eq!(done.revoked_tokens, 1);
    assert_eq!(
        reset
            .complete(&first.token, "hemmelig", "hemmelig", HASH_A, &[], at(3))
            .map(|_| ()),
        Err(TokenError::Used)
    );
    assert_eq!(
        reset.peek(&second.token, None, at(3)),
        Err(TokenError::Unknown)
    );
    Ok(())
}

#[test]
fn a_refused_password_leaves_the_token_usable() -> Result<(), TokenError> {
    let reset = flow();
    let mail = issue(&reset, "a", HASH_A, 0);
    let err = reset
        .complete(&mail.token, "abc", "abd", HASH_A, &[], at(1))
        .expect_err("policy refuses");
    let TokenError::Policy { violations } = &err else {
        panic!("expected Policy, got {err}")
    };
    let rules: Vec<&str> = violations.iter().map(|v| v.rule.as_str()).collect();
    assert_eq!(rules, ["too_short", "confirmation"]);
    assert_eq!(err.kind(), TokenErrorKind::Policy);
    let err = reset
        .complete(
            &mail.token,
            "kari@example.no",
            "kari@example.no",
            HASH_A,
            &["kari@example.no"],
            at(1),
        )
        .expect_err("user input refused");
    assert!(matches!(err, TokenError::Policy { .. }));
    reset.complete(
        &mail.token,
        "godt passord",
        "godt passord",
        HASH_A,
        &[],
        at(2),
    )?;
    Ok(())
}

#[test]
fn tampered_and_malformed_tokens_are_refused_before_use() -> Result<(), TokenError> {
    let reset = flow();
    let mail = issue(&reset, "a", HASH_A, 0);
    let text = mail.token.as_str();
    // Change one character of the selector, then of the verifier.
    for pos in [6, 30, 63] {
        let mut bytes = text.as_bytes().to_vec();
        bytes[pos] = if bytes[pos] == b'A' { b'Q' } else { b'A' };
        let tampered = String::from_utf8(bytes).expect("ASCII");
        let err = reset
            .consume(&tampered, HASH_A, at(1))
            .expect_err("tampered");
        assert!(
            matches!(err, TokenError::Unknown | TokenError::Malformed { .. }),
            "{err}"
        );
    }
    for bad in [
        "",
        "tlr1_",
        "hello",
        "https://app.example.no/glemt-passord?x=1",
    ] {
        let err = reset.peek(bad, None, at(1)).expect_err("malformed");
        assert!(matches!(err, TokenError::Malformed { .. }), "{bad}: {err}");
        assert_eq!(err.kind(), TokenErrorKind::Invalid);
    }
    // A genuine token under another server key is unknown there.
    let other = PasswordReset::new(
        reset.store().clone(),
        ServerKey::new(&[8u8; 32])?,
        ResetConfig {
            digest: VerifierDigest::HmacSha256,
            ..config()
        },
        Arc::new(TestSetter),
    )?;
    assert_eq!(other.peek(text, None, at(1)), Err(TokenError::Unknown));
    assert!(reset.consume(text, HASH_A, at(1)).is_ok());
    Ok(())
}

#[test]
fn hmac_digests_work_end_to_end_and_fragment_links_parse() -> Result<(), TokenError> {
    let mut c = config();
    c.digest = VerifierDigest::HmacSha256;
    c.links = ResetLinks::new("https://app.example.no/r", LinkPlacement::Fragment)?;
    let store = Arc::new(MemoryTokenStore::new());
    let reset = flow_with(store.clone(), c);
    let mail = issue(&reset, "a", HASH_A, 0);
    assert!(
        mail.link
            .starts_with("https://app.example.no/r#token=tlr1_")
    );
    let selector = ResetToken::parse(&mail.token)?.selector();
    let record = store.peek(&selector)?.expect("stored");
    let verifier = *ResetToken::parse(&mail.token)?.verifier();
    assert_ne!(
        record.verifier_digest,
        VerifierDigest::Sha256.digest(&ServerKey::new(&[7; 32])?, &verifier)
    );
    assert!(
        !mail
            .token
            .contains(&*String::from_utf8_lossy(&record.verifier_digest))
    );
    assert_eq!(reset.consume(&mail.link, HASH_A, at(1))?.account_id, "a");
    Ok(())
}

/// Counts every store call, to show both request paths do the same work.
#[derive(Default)]
struct CountingStore {
    inner: MemoryTokenStore,
    calls: AtomicUsize,
    inserts: AtomicUsize,
}

impl TokenStore for CountingStore {
    fn insert(&self, r: &TokenRecord) -> Result<(), StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inserts.fetch_add(1, Ordering::SeqCst);
        self.inner.insert(r)
    }
    fn peek(&self, s: &Selector) -> Result<Option<TokenRecord>, StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.peek(s)
    }
    fn take(&self, s: &Selector, now: i64) -> Result<Option<TokenRecord>, StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.take(s, now)
    }
    fn revoke_all(&self, a: &str) -> Result<u64, StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.revoke_all(a)
    }
    fn record_request(&self, e: &RequestEvent) -> Result<(), StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.record_request(e)
    }
    fn count_requests_for_email(&self, k: &[u8; 32], since: i64) -> Result<u64, StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.count_requests_for_email(k, since)
    }
    fn count_requests_for_requester(&self, r: &str, since: i64) -> Result<u64, StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.count_requests_for_requester(r, since)
    }
    fn purge(&self, now: i64, before: i64) -> Result<u64, StoreError> {
        self.inner.purge(now, before)
    }
}

#[test]
fn known_and_unknown_addresses_get_the_same_shape_and_the_same_work() -> Result<(), TokenError> {
    let store = Arc::new(CountingStore::default());
    let reset = flow_with(store.clone(), config());

    let known = reset.request("kari@example.no", acct("a", HASH_A), "ip-1", at(0))?;
    let known_calls = store.calls.swap(0, Ordering::SeqCst);
    let unknown = reset.request("nobody@example.no", None, "ip-2", at(0))?;
    let unknown_calls = store.calls.swap(0, Ordering::SeqCst);

    assert_eq!(
        known_calls, unknown_calls,
        "same number of store round trips"
    );
    assert_eq!(known_calls, 4, "two counts, one record, one insert");
    assert_eq!(
        store.inserts.load(Ordering::SeqCst),
        2,
        "a decoy is written for unknown"
    );
    assert!(known.mail().is_some());
    assert!(unknown.mail().is_none());
    assert!(!known.suppressed() && !unknown.suppressed());
    Ok(())
}

#[test]
fn per_address_limits_suppress_silently_for_known_and_unknown_alike() -> Result<(), TokenError> {
    let mut c = config();
    c.throttle = ThrottlePolicy {
        window_seconds: 600,
        max_per_email: 2,
        max_per_requester: 100,
    };
    let reset = flow_with(Arc::new(MemoryTokenStore::new()), c);
    for (i, requester) in ["ip-1", "ip-2"].into_iter().enumerate() {
        let t = i64::try_from(i).expect("small");
        assert!(
            reset
                .request("kari@example.no", acct("a", HASH_A), requester, at(t))?
                .mail()
                .is_some()
        );
        assert!(
            reset
                .request("nobody@example.no", None, requester, at(t))?
                .mail()
                .is_none()
        );
    }
    // Third request for each address within the window: Ok, same shape, no mail.
    let known = reset.request("Kari@Example.no", acct("a", HASH_A), "ip-3", at(5))?;
    let unknown = reset.request("nobody@example.no", None, "ip-3", at(5))?;
    assert!(known.mail().is_none() && known.suppressed());
    assert!(unknown.mail().is_none() && unknown.suppressed());
    // The window slides: 600 s after the first request there is room again.
    assert!(
        reset
            .request("kari@example.no", acct("a", HASH_A), "ip-4", at(601))?
            .mail()
            .is_some()
    );
    Ok(())
}

#[test]
fn the_requester_limit_is_the_only_refusal_and_ignores_account_existence() -> Result<(), TokenError>
{
    let mut c = config();
    c.throttle = ThrottlePolicy {
        window_seconds: 600,
        max_per_email: 100,
        max_per_requester: 3,
    };
    let reset = flow_with(Arc::new(MemoryTokenStore::new()), c);
    reset.request("a@example.no", acct("a", HASH_A), "ip-1", at(0))?;
    reset.request("b@example.no", None, "ip-1", at(1))?;
    reset.request("c@example.no", acct("c", HASH_B), "ip-1", at(2))?;
    let expected = TokenError::Throttled {
        count: 3,
        limit: 3,
        window_seconds: 600,
        retry_after_seconds: 600,
    };
    let known = reset
        .request("a@example.no", acct("a", HASH_A), "ip-1", at(3))
        .map(|_| ());
    let unknown = reset
        .request("x@example.no", None, "ip-1", at(3))
        .map(|_| ());
    assert_eq!(known, Err(expected.clone()));
    assert_eq!(unknown, Err(expected));
    assert!(reset.request("x@example.no", None, "ip-2", at(3)).is_ok());
    assert!(reset.request("x@example.no", None, "ip-1", at(600)).is_ok());
    Ok(())
}

#[test]
fn bad_request_arguments_are_refused_with_reasons() {
    let reset = flow();
    for (email, requester, account) in [
        ("", "ip", None),
        ("a@b.no", "", None),
        ("a@b.no", "ip", acct("", HASH_A)),
    ] {
        let err = reset
            .request(email, account, requester, at(0))
            .map(|_| ())
            .expect_err("bad input");
        assert!(matches!(err, TokenError::Config { .. }), "{err}");
    }
    let long = "x".repeat(321);
    assert!(reset.request(&long, None, "ip", at(0)).is_err());
}

#[test]
fn purge_removes_expired_tokens_and_decoys() -> Result<(), TokenError> {
    let store = Arc::new(MemoryTokenStore::new());
    let reset = flow_with(store.clone(), config());
    let live = issue(&reset, "a", HASH_A, 0);
    reset.request("nobody@example.no", None, "ip", at(0))?;
    assert_eq!(reset.purge(at(1))?, 1, "the decoy is born expired");
    assert!(reset.peek(&live.token, None, at(1)).is_ok());
    reset.purge(at(30 * 60))?;
    assert_eq!(
        reset.peek(&live.token, None, at(1)),
        Err(TokenError::Unknown)
    );
    Ok(())
}

#[test]
fn memory_store_consume_race_has_exactly_one_winner() -> Result<(), TokenError> {
    let mut c = config();
    c.throttle = ThrottlePolicy {
        window_seconds: 60,
        max_per_email: 1000,
        max_per_requester: 1000,
    };
    let reset = flow_with(Arc::new(MemoryTokenStore::new()), c);
    for trial in 0..50 {
        let mail = issue(&reset, "a", HASH_A, trial);
        let wins = AtomicUsize::new(0);
        let used = AtomicUsize::new(0);
        let barrier = std::sync::Barrier::new(8);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    barrier.wait();
                    match reset.consume(&mail.token, HASH_A, at(trial + 1)) {
                        Ok(_) => wins.fetch_add(1, Ordering::SeqCst),
                        Err(TokenError::Used) => used.fetch_add(1, Ordering::SeqCst),
                        Err(other) => panic!("unexpected error {other}"),
                    };
                });
            }
        });
        assert_eq!(wins.load(Ordering::SeqCst), 1, "trial {trial}");
        assert_eq!(used.load(Ordering::SeqCst), 7, "trial {trial}");
    }
    Ok(())
}
