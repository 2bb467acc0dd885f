//! Criterion benchmarks of password hashing and verification at OWASP parameters
//! (m = 19456 KiB, t = 2, p = 1), plus RFC 9106's second option (p = 4) to show lane
//! parallelism, and the cost of a policy check.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tillit::password::{Params, PasswordHasher, PasswordPolicy};

fn owasp(c: &mut Criterion) {
    let hasher = PasswordHasher::new(Params::OWASP).expect("OWASP hasher");
    let stored = hasher.hash("correct horse battery staple").expect("hash");
    let mut group = c.benchmark_group("password");
    group.sample_size(20);
    group.bench_function("hash_owasp", |b| {
        b.iter(|| {
            hasher
                .hash(black_box("correct horse battery staple"))
                .expect("hash")
        });
    });
    group.bench_function("verify_owasp", |b| {
        b.iter(|| {
            hasher
                .verify(black_box("correct horse battery staple"), &stored)
                .expect("verify")
        });
    });
    group.bench_function("verify_unknown_user_owasp", |b| {
        b.iter(|| {
            hasher
                .verify_unknown_user(black_box("correct horse battery staple"))
                .expect("dummy")
        });
    });
    let rfc = PasswordHasher::new(Params::RFC9106_SECOND).expect("RFC 9106 hasher");
    group.bench_function("hash_rfc9106_second_p4", |b| {
        b.iter(|| {
            rfc.hash(black_box("correct horse battery staple"))
                .expect("hash")
        });
    });
    let policy = PasswordPolicy::default();
    group.bench_function("policy_check", |b| {
        b.iter(|| {
            policy.check(
                black_box("violet kettle under the bridge"),
                None,
                &["kari@example.no"],
            )
        });
    });
    group.finish();
}

criterion_group!(benches, owasp);
criterion_main!(benches);
