//! The conformance suite for [`TokenStore`] implementations.
//!
//! Anyone who writes a store (PostgreSQL, Redis, a host-language object through the
//! bindings) runs [`run`] from a test with a factory that returns a fresh, empty store; the
//! suite checks every duty of the trait, including that concurrent takes of one token
//! succeed exactly once, and reports every failed check by name. tillit runs it against its
//! own stores.
//!
//! ```
//! use tillit::token::{MemoryTokenStore, conformance};
//! let report = conformance::run(&|| Box::new(MemoryTokenStore::new()));
//! assert!(report.is_ok(), "{report:?}");
//! ```

use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::token::error::StoreError;
use crate::token::format::Selector;
use crate::token::store::{RequestEvent, TokenRecord, TokenStore};

/// The checks that failed, each with its name and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token store failed {} conformance check(s): {}", failures.len(), failures.join("; "))]
pub struct ConformanceError {
    /// One line per failed check: `name: what happened`.
    pub failures: Vec<String>,
}

/// Threads racing for one token in the concurrency check.
pub const RACE_THREADS: usize = 8;
/// Trials of the concurrency check.
pub const RACE_TRIALS: usize = 10;

type Check = (&'static str, fn(&dyn TokenStore) -> Result<(), String>);

const CHECKS: &[Check] = &[
    ("insert_then_peek_returns_the_record", insert_then_peek),
    ("peek_of_unknown_selector_is_none", peek_unknown),
    ("duplicate_selector_is_refused", duplicate_selector),
    ("take_marks_consumed_and_returns_the_record_once", take_once),
    ("take_of_unknown_selector_is_none", take_unknown),
    (
        "revoke_all_removes_only_the_accounts_unused_tokens",
        revoke_all,
    ),
    ("request_counts_respect_key_and_window", request_counts),
    ("purge_removes_expired_tokens_and_old_requests", purge),
    ("text_fields_round_trip", text_round_trip),
    ("concurrent_takes_succeed_exactly_once", concurrent_takes),
];

/// Runs every check, each on a fresh store from `factory`.
///
/// # Errors
/// [`ConformanceError`] listing every failed check.
pub fn run(factory: &dyn Fn() -> Box<dyn TokenStore>) -> Result<usize, ConformanceError> {
    let mut failures = Vec::new();
    for (name, check) in CHECKS {
        let store = factory();
        if let Err(why) = check(store.as_ref()) {
            failures.push(format!("{name}: {why}"));
        }
    }
    if failures.is_empty() {
        Ok(CHECKS.len())
    } else {
        Err(ConformanceError { failures })
    }
}

/// The names of the checks, in the order [`run`] runs them.
pub fn check_names() -> Vec<&'static str> {
    CHECKS.iter().map(|(name, _)| *name).collect()
}

fn selector(n: u8) -> Selector {
    let mut bytes = [0xA5u8; 12];
    bytes[0] = n;
    Selector(bytes)
}

fn record(n: u8, account: &str, expires_at: i64) -> TokenRecord {
    TokenRecord {
        selector: selector(n),
        verifier_digest: [n; 32],
        account_id: account.to_owned(),
        purpose: "password-reset".to_owned(),
        fingerprint: [n.wrapping_add(1); 32],
        issued_at: 1_000,
        expires_at,
        consumed_at: None,
    }
}

fn err(e: StoreError) -> String {
    format!("store error: {e}")
}

fn insert_then_peek(s: &dyn TokenStore) -> Result<(), String> {
    let r = record(1, "acct-1", 2_800);
    s.insert(&r).map_err(err)?;
    match s.peek(&r.selector).map_err(err)? {
        Some(found) if found == r => Ok(()),
        other => Err(format!("expected {r:?}, got {other:?}")),
    }
}

fn peek_unknown(s: &dyn TokenStore) -> Result<(), String> {
    s.insert(&record(1, "acct-1", 2_800)).map_err(err)?;
    match s.peek(&selector(2)).map_err(err)? {
        None => Ok(()),
        Some(found) => Err(format!("expected nothing, got {found:?}")),
    }
}

fn duplicate_selector(s: &dyn TokenStore) -> Result<(), String> {
    s.insert(&record(1, "acct-1", 2_800)).map_err(err)?;
    match s.insert(&record(1, "acct-2", 2_900)) {
        Err(StoreError::DuplicateSelector) => {}
        other => return Err(format!("expected DuplicateSelector, got {other:?}")),
    }
    match s.peek(&selector(1)).map_err(err)? {
        Some(found) if found.account_id == "acct-1" => Ok(()),
        other => Err(format!("the first record must survive, found {other:?}")),
    }
}

fn take_once(s: &dyn TokenStore) -> Result<(), String> {
    let r = record(1, "acct-1", 2_800);
    s.insert(&r).map_err(err)?;
    match s.take(&r.selector, 1_500).map_err(err)? {
        Some(found) if found == r => {}
        other => return Err(format!("first take: expected {r:?}, got {other:?}")),
    }
    match s.peek(&r.selector).map_err(err)? {
        Some(found) if found.consumed_at == Some(1_500) => {}
        other => {
            return Err(format!(
                "after take, peek must show consumed_at 1500: {other:?}"
            ));
        }
    }
    match s.take(&r.selector, 1_600).map_err(err)? {
        None => {}
        Some(found) => return Err(format!("second take must find nothing, got {found:?}")),
    }
    match s.peek(&r.selector).map_err(err)? {
        Some(found) if found.consumed_at == Some(1_500) => Ok(()),
        other => Err(format!(
            "a second take must not change consumed_at: {other:?}"
        )),
    }
}

fn take_unknown(s: &dyn TokenStore) -> Result<(), String> {
    s.insert(&record(1, "acct-1", 2_800)).map_err(err)?;
    match s.take(&selector(9), 1_500).map_err(err)? {
        None => Ok(()),
        Some(found) => Err(format!("expected nothing, got {found:?}")),
    }
}

fn revoke_all(s: &dyn TokenStore) -> Result<(), String> {
    for (n, account) in [(1, "a"), (2, "a"), (3, "a"), (4, "b")] {
        s.insert(&record(n, account, 2_800)).map_err(err)?;
    }
    s.take(&selector(3), 1_500).map_err(err)?;
    let n = s.revoke_all("a").map_err(err)?;
    if n != 2 {
        return Err(format!(
            "expected 2 unused tokens of account a revoked, got {n}"
        ));
    }
    for n in [1, 2] {
        if s.peek(&selector(n)).map_err(err)?.is_some() {
            return Err(format!("token {n} of account a survived revoke_all"));
        }
    }
    if s.peek(&selector(3)).map_err(err)?.is_none() {
        return Err("the used token of account a must stay (so reuse reports 'used')".into());
    }
    if s.peek(&selector(4)).map_err(err)?.is_none() {
        return Err("revoke_all(a) removed account b's token".into());
    }
    match s.revoke_all("nobody").map_err(err)? {
        0 => Ok(()),
        n => Err(format!("revoke_all of an unknown account returned {n}")),
    }
}

fn request_counts(s: &dyn TokenStore) -> Result<(), String> {
    let (a, b) = ([1u8; 32], [2u8; 32]);
    for (key, who, at) in [
        (a, "ip1", 100),
        (a, "ip2", 200),
        (a, "ip1", 300),
        (b, "ip1", 300),
    ] {
        s.record_request(&RequestEvent {
            email_key: key,
            requester: who.into(),
            at,
        })
        .map_err(err)?;
    }
    let checks = [
        (
            "email a since 100",
            s.count_requests_for_email(&a, 100).map_err(err)?,
            3,
        ),
        (
            "email a since 101",
            s.count_requests_for_email(&a, 101).map_err(err)?,
            2,
        ),
        (
            "email a since 301",
            s.count_requests_for_email(&a, 301).map_err(err)?,
            0,
        ),
        (
            "email b since 0",
            s.count_requests_for_email(&b, 0).map_err(err)?,
            1,
        ),
        (
            "email c since 0",
            s.count_requests_for_email(&[3; 32], 0).map_err(err)?,
            0,
        ),
        (
            "ip1 since 0",
            s.count_requests_for_requester("ip1", 0).map_err(err)?,
            3,
        ),
        (
            "ip1 since 300",
            s.count_requests_for_requester("ip1", 300).map_err(err)?,
            2,
        ),
        (
            "ip2 since 201",
            s.count_requests_for_requester("ip2", 201).map_err(err)?,
            0,
        ),
        (
            "ip3 since 0",
            s.count_requests_for_requester("ip3", 0).map_err(err)?,
            0,
        ),
    ];
    for (what, got, want) in checks {
        if got != want {
            return Err(format!("{what}: counted {got}, expected {want}"));
        }
    }
    Ok(())
}

fn purge(s: &dyn TokenStore) -> Result<(), String> {
    s.insert(&record(1, "a", 2_000)).map_err(err)?;
    s.insert(&record(2, "a", 2_001)).map_err(err)?;
    for at in [100, 200] {
        s.record_request(&RequestEvent {
            email_key: [1; 32],
            requester: "ip".into(),
            at,
        })
        .map_err(err)?;
    }
    let removed = s.purge(2_000, 200).map_err(err)?;
    if removed != 2 {
        return Err(format!(
            "expected 2 rows purged (one token, one request), got {removed}"
        ));
    }
    if s.peek(&selector(1)).map_err(err)?.is_some() {
        return Err("a token expiring at the purge instant must go".into());
    }
    if s.peek(&selector(2)).map_err(err)?.is_none() {
        return Err("a token still live must stay".into());
    }
    match s.count_requests_for_requester("ip", 0).map_err(err)? {
        1 => Ok(()),
        n => Err(format!(
            "expected the request at the cut-off to stay, {n} left"
        )),
    }
}

fn text_round_trip(s: &dyn TokenStore) -> Result<(), String> {
    let mut r = record(7, "konto-Åse-ø-'\"; DROP TABLE x;--", 2_800);
    r.purpose = "email-confirm".into();
    r.issued_at = -5;
    r.expires_at = i64::MAX;
    s.insert(&r).map_err(err)?;
    match s.peek(&r.selector).map_err(err)? {
        Some(found) if found == r => {}
        other => return Err(format!("expected {r:?}, got {other:?}")),
    }
    match s.revoke_all(&r.account_id).map_err(err)? {
        1 => Ok(()),
        n => Err(format!(
            "revoke_all by an account id with quotes and non-ASCII returned {n}"
        )),
    }
}

fn concurrent_takes(s: &dyn TokenStore) -> Result<(), String> {
    for trial in 0..RACE_TRIALS {
        let n = u8::try_from(trial).map_err(|e| e.to_string())?;
        let r = record(n, "racer", 2_800);
        s.insert(&r).map_err(err)?;
        let wins = AtomicUsize::new(0);
        let errors = AtomicUsize::new(0);
        let barrier = Barrier::new(RACE_THREADS);
        std::thread::scope(|scope| {
            for _ in 0..RACE_THREADS {
                scope.spawn(|| {
                    barrier.wait();
                    match s.take(&r.selector, 1_500) {
                        Ok(Some(_)) => wins.fetch_add(1, Ordering::SeqCst),
                        Ok(None) => 0,
                        Err(_) => errors.fetch_add(1, Ordering::SeqCst),
                    };
                });
            }
        });
        let (w, e) = (wins.load(Ordering::SeqCst), errors.load(Ordering::SeqCst));
        if w != 1 || e != 0 {
            return Err(format!(
                "trial {trial}: {w} of {RACE_THREADS} concurrent takes succeeded and {e} failed \
                 with an error; exactly one must succeed"
            ));
        }
    }
    Ok(())
}
