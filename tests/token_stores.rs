//! Both shipped token stores against the public conformance suite, and the SQLite store's
//! single-use guarantee under a race of many threads in several OS processes.
//!
//! The cross-process race re-runs this test binary: with `TILLIT_RACE_DIR` set, the test
//! `race_child` becomes a racer that opens the same database file and tries to consume
//! every token; each process writes which tokens it won, and the parent checks that every
//! token was won exactly once over all processes and threads.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};

use tillit::token::*;
use time::OffsetDateTime;
use zeroize::Zeroizing;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
const TRIALS: usize = 60;
const THREADS: usize = 4;
const CHILDREN: usize = 2;
const NOW: i64 = 1_764_000_000;

#[test]
fn memory_store_passes_the_conformance_suite() {
    let report = conformance::run(&|| Box::new(MemoryTokenStore::new()));
    assert_eq!(report, Ok(conformance::check_names().len()));
}

#[test]
fn sqlite_store_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let report = conformance::run(&|| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        Box::new(SqliteTokenStore::open(dir.path().join(format!("c{n}.db"))).expect("open"))
    });
    assert_eq!(report, Ok(conformance::check_names().len()));
}

/// A store that loses the race guarantee: take is a read followed by a write.
struct RacyStore(MemoryTokenStore);

impl TokenStore for RacyStore {
    fn insert(&self, r: &TokenRecord) -> Result<(), StoreError> {
        self.0.insert(r)
    }
    fn peek(&self, s: &Selector) -> Result<Option<TokenRecord>, StoreError> {
        self.0.peek(s)
    }
    fn take(&self, s: &Selector, now: i64) -> Result<Option<TokenRecord>, StoreError> {
        let seen = self.0.peek(s)?;
        std::thread::sleep(StdDuration::from_millis(2));
        match seen {
            Some(r) if r.consumed_at.is_none() => {
                self.0.take(s, now)?;
                Ok(Some(r))
            }
            _ => Ok(None),
        }
    }
    fn revoke_all(&self, a: &str) -> Result<u64, StoreError> {
        self.0.revoke_all(a)
    }
    fn record_request(&self, e: &RequestEvent) -> Result<(), StoreError> {
        self.0.record_request(e)
    }
    fn count_requests_for_email(&self, k: &[u8; 32], s: i64) -> Result<u64, StoreError> {
        self.0.count_requests_for_email(k, s)
    }
    fn count_requests_for_requester(&self, r: &str, s: i64) -> Result<u64, StoreError> {
        self.0.count_requests_for_requester(r, s)
    }
    fn purge(&self, now: i64, before: i64) -> Result<u64, StoreError> {
        self.0.purge(now, before)
    }
}

#[test]
fn the_conformance_suite_catches_a_read_then_write_take() {
    let err = conformance::run(&|| Box::new(RacyStore(MemoryTokenStore::new())))
        .expect_err("a racy store must fail");
    assert_eq!(err.failures.len(), 1, "{err}");
    assert!(
        err.failures[0].starts_with("concurrent_takes_succeed_exactly_once"),
        "{err}"
    );
}

#[test]
fn sqlite_tokens_survive_reopening_the_file() -> Result<(), TokenError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.db");
    let mail = {
        let reset = flow(Arc::new(SqliteTokenStore::open(&path)?));
        reset
            .request(
                "kari@example.no",
                Some(Account {
                    id: "a",
                    stored_hash: HASH,
                }),
                "ip",
                now(),
            )?
            .into_mail()
            .expect("mail")
    };
    let reset = flow(Arc::new(SqliteTokenStore::open(&path)?));
    assert_eq!(reset.consume(&mail.token, HASH, now())?.account_id, "a");
    assert_eq!(
        reset.consume(&mail.token, HASH, now()),
        Err(TokenError::Used)
    );
    Ok(())
}

struct Accept;

impl PasswordSetter for Accept {
    fn check(&self, _: &str, _: &str, _: &[&str]) -> Vec<PolicyViolation> {
        Vec::new()
    }
    fn hash(&self, pw: &str) -> Result<Zeroizing<String>, TokenError> {
        Ok(Zeroizing::new(format!("$test${pw}")))
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(NOW).expect("valid time")
}

fn flow(store: Arc<dyn TokenStore>) -> PasswordReset {
    let mut config = ResetConfig::new(
        ResetLinks::new("https://app.example.no/reset", LinkPlacement::Query).expect("valid"),
    );
    config.throttle = ThrottlePolicy {
        window_seconds: 3600,
        max_per_email: u32::MAX,
        max_per_requester: u32::MAX,
    };
    PasswordReset::new(
        store,
        ServerKey::new(&[5u8; 32]).expect("key"),
        config,
        Arc::new(Accept),
    )
    .expect("valid config")
}

/// Races `THREADS` threads over every token in order; returns which tokens this process won.
fn race(db: &Path, tokens: &[String], start_at_ms: u128) -> Vec<usize> {
    let reset = flow(Arc::new(
        SqliteTokenStore::open(db).expect("open shared database"),
    ));
    while SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis()
        < start_at_ms
    {
        std::thread::sleep(StdDuration::from_millis(1));
    }
    let barrier = Barrier::new(THREADS);
    let failed = AtomicBool::new(false);
    let wins = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for (i, token) in tokens.iter().enumerate() {
                    barrier.wait();
                    match reset.consume(token, HASH, now()) {
                        Ok(_) => wins.lock().expect("lock").push(i),
                        Err(TokenError::Used) => {}
                        Err(other) => {
                            eprintln!("token {i}: unexpected error {other}");
                            failed.store(true, Ordering::SeqCst);
                        }
                    }
                }
            });
        }
    });
    assert!(
        !failed.load(Ordering::SeqCst),
        "a racer hit an unexpected error"
    );
    wins.into_inner().expect("lock")
}

#[test]
fn race_child() {
    let Ok(dir) = std::env::var("TILLIT_RACE_DIR") else {
        return;
    };
    let dir = Path::new(&dir);
    let id = std::env::var("TILLIT_RACE_ID").expect("racer id");
    let start: u128 = std::env::var("TILLIT_RACE_START")
        .expect("start")
        .parse()
        .expect("number");
    let tokens: Vec<String> = std::fs::read_to_string(dir.join("tokens.txt"))
        .expect("tokens file")
        .lines()
        .map(str::to_owned)
        .collect();
    let wins = race(&dir.join("race.db"), &tokens, start);
    let text: Vec<String> = wins.iter().map(ToString::to_string).collect();
    std::fs::write(dir.join(format!("wins-{id}.txt")), text.join("\n")).expect("write wins");
}

#[test]
fn sqlite_consume_race_across_threads_and_processes_has_one_winner_per_token() {
    if std::env::var("TILLIT_RACE_DIR").is_ok() {
        return; // this process is a racer; only the parent runs the race
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("race.db");
    let reset = flow(Arc::new(SqliteTokenStore::open(&db).expect("open")));
    let tokens: Vec<String> = (0..TRIALS)
        .map(|i| {
            let email = format!("user{i}@example.no");
            let mail = reset
                .request(
                    &email,
                    Some(Account {
                        id: "racer",
                        stored_hash: HASH,
                    }),
                    "ip",
                    now(),
                )
                .expect("request")
                .into_mail()
                .expect("mail");
            mail.token.to_string()
        })
        .collect();
    std::fs::write(dir.path().join("tokens.txt"), tokens.join("\n")).expect("write tokens");

    let start = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis()
        + 1500;
    let exe = std::env::current_exe().expect("test binary path");
    let children: Vec<_> = (0..CHILDREN)
        .map(|id| {
            Command::new(&exe)
                .args([
                    "race_child",
                    "--exact",
                    "--nocapture",
                    "--test-threads",
                    "1",
                ])
                .env("TILLIT_RACE_DIR", dir.path())
                .env("TILLIT_RACE_ID", id.to_string())
                .env("TILLIT_RACE_START", start.to_string())
                .spawn()
                .expect("spawn racer process")
        })
        .collect();
    let mut all_wins = race(&db, &tokens, start);
    for (id, mut child) in children.into_iter().enumerate() {
        assert!(
            child.wait().expect("racer exit").success(),
            "racer {id} failed"
        );
        let text = std::fs::read_to_string(dir.path().join(format!("wins-{id}.txt")))
            .expect("racer wrote its wins");
        all_wins.extend(text.lines().map(|l| l.parse::<usize>().expect("index")));
    }
    let mut per_token = vec![0usize; TRIALS];
    for i in all_wins {
        per_token[i] += 1;
    }
    assert!(
        per_token.iter().all(|&n| n == 1),
        "wins per token: {per_token:?}"
    );
}
