//! Reset-token speed: a token's whole life on the memory store against the floor of one
//! 32-byte OS random call, request time for known versus unknown addresses (which must be
//! the same within noise), and SQLite consume throughput.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ring::rand::{SecureRandom, SystemRandom};
use tillit::token::*;
use time::OffsetDateTime;
use zeroize::Zeroizing;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

struct Accept;

impl PasswordSetter for Accept {
    fn check(&self, _: &str, _: &str, _: &[&str]) -> Vec<PolicyViolation> {
        Vec::new()
    }
    fn hash(&self, pw: &str) -> Result<Zeroizing<String>, TokenError> {
        Ok(Zeroizing::new(pw.to_owned()))
    }
}

fn flow(store: Arc<dyn TokenStore>) -> PasswordReset {
    let mut config = ResetConfig::new(
        ResetLinks::new("https://app.example.no/reset", LinkPlacement::Query).expect("valid"),
    );
    config.throttle = ThrottlePolicy {
        window_seconds: 60,
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

fn at(t: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t).expect("valid time")
}

fn floor(c: &mut Criterion) {
    let rng = SystemRandom::new();
    c.bench_function("os_random_32_bytes", |b| {
        b.iter(|| {
            let mut buf = [0u8; 32];
            rng.fill(&mut buf).expect("OS random");
            black_box(buf)
        })
    });
}

/// Token life at the level the store sees it: generate, digest, insert; peek and verify;
/// take. This is what the 4x-of-one-random-call target is about.
fn token_life(c: &mut Criterion) {
    let store = MemoryTokenStore::new();
    let rng = SystemRandom::new();
    let key = ServerKey::new(&[5u8; 32]).expect("key");
    let fingerprint = key.fingerprint(HASH).0;
    c.bench_function("token_issue_peek_consume_memory", |b| {
        // Purged between batches so the map stays small, as a service's periodic purge keeps it.
        b.iter_batched(
            || store.purge(i64::MAX, 0).expect("purge"),
            |_| {
                let token = ResetToken::generate(&rng).expect("random");
                let record = TokenRecord {
                    selector: token.selector(),
                    verifier_digest: VerifierDigest::Sha256.digest(&key, token.verifier()),
                    account_id: String::from("acct"),
                    purpose: String::from(Purpose::PASSWORD_RESET),
                    fingerprint,
                    issued_at: 0,
                    expires_at: 1800,
                    consumed_at: None,
                };
                store.insert(&record).expect("insert");
                let seen = store
                    .peek(&token.selector())
                    .expect("peek")
                    .expect("present");
                assert!(VerifierDigest::Sha256.verify(
                    &key,
                    token.verifier(),
                    &seen.verifier_digest
                ));
                black_box(store.take(&token.selector(), 1).expect("take"));
            },
            criterion::BatchSize::NumIterations(1000),
        )
    });
}

/// The whole flow: request (counts, record, token, link), peek with the stored hash and
/// consume. Request events are purged every 1000 iterations so counting stays bounded.
fn flow_life(c: &mut Criterion) {
    let reset = flow(Arc::new(MemoryTokenStore::new()));
    c.bench_function("flow_request_peek_consume_memory", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            let mut t = 1_000_000;
            for i in 0..iters {
                if i % 1000 == 0 {
                    t += 100;
                    reset.purge(at(t + 3600)).expect("purge");
                }
                let mail = reset
                    .request(
                        "kari@example.no",
                        Some(Account {
                            id: "a",
                            stored_hash: HASH,
                        }),
                        "ip",
                        at(t),
                    )
                    .expect("request")
                    .into_mail()
                    .expect("mail");
                reset.peek(&mail.token, Some(HASH), at(t)).expect("peek");
                black_box(reset.consume(&mail.token, HASH, at(t)).expect("consume"));
            }
            start.elapsed()
        })
    });
}

/// Known and unknown addresses, interleaved in one measurement loop each so drift hits both.
fn enumeration(c: &mut Criterion) {
    let mut group = c.benchmark_group("request_known_vs_unknown");
    for store_kind in ["memory", "sqlite"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn TokenStore> = if store_kind == "memory" {
            Arc::new(MemoryTokenStore::new())
        } else {
            Arc::new(SqliteTokenStore::open(dir.path().join("e.db")).expect("open"))
        };
        let reset = flow(store);
        for known in [true, false] {
            let name = format!("{store_kind}/{}", if known { "known" } else { "unknown" });
            group.bench_function(name, |b| {
                b.iter_custom(|iters| {
                    let mut t = 2_000_000;
                    let mut total = Duration::ZERO;
                    for i in 0..iters {
                        if i % 500 == 0 {
                            t += 100;
                            reset.purge(at(t + 3600)).expect("purge");
                        }
                        let account = known.then_some(Account {
                            id: "a",
                            stored_hash: HASH,
                        });
                        let start = Instant::now();
                        black_box(
                            reset
                                .request("kari@example.no", account, "ip", at(t))
                                .expect("ok"),
                        );
                        total += start.elapsed();
                    }
                    total
                })
            });
        }
    }
    group.finish();
}

fn sqlite_consume(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let reset = flow(Arc::new(
        SqliteTokenStore::open(dir.path().join("c.db")).expect("open"),
    ));
    let mut group = c.benchmark_group("sqlite");
    group.sample_size(20);
    group.bench_function("consume", |b| {
        b.iter_custom(|iters| {
            let tokens: Vec<_> = (0..iters)
                .map(|_| {
                    reset
                        .request(
                            "kari@example.no",
                            Some(Account {
                                id: "a",
                                stored_hash: HASH,
                            }),
                            "ip",
                            at(10),
                        )
                        .expect("request")
                        .into_mail()
                        .expect("mail")
                        .token
                })
                .collect();
            let start = Instant::now();
            for token in &tokens {
                black_box(reset.consume(token, HASH, at(11)).expect("consume"));
            }
            start.elapsed()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    floor,
    token_life,
    flow_life,
    enumeration,
    sqlite_consume
);
criterion_main!(benches);
