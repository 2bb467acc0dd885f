//! A plain timing harness for the cross-language comparison in `benches/compare/passwords.py`:
//! hashes with the given parameters a number of times and prints the median seconds per hash
//! as JSON, so the Python script can put Rust beside argon2-cffi and PyNaCl in one run.
//!
//! `cargo bench --bench password_timing -- <memory_kib> <time_cost> <parallelism> <runs>`

#![allow(clippy::print_stdout)]

use std::time::Instant;

use tillit::password::{Params, PasswordHasher};

fn arg(args: &[String], index: usize, default: u32) -> u32 {
    args.get(index)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Cargo passes `--bench` to harness-less benches; keep only the numbers.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (m, t, p, runs) = (
        arg(&args, 0, 19456),
        arg(&args, 1, 2),
        arg(&args, 2, 1),
        arg(&args, 3, 15),
    );
    let hasher = PasswordHasher::new(Params::new(m, t, p)?)?;
    hasher.hash("warm-up password")?;
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        std::hint::black_box(hasher.hash("correct horse battery staple")?);
        samples.push(started.elapsed().as_secs_f64());
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "{{\"memory_kib\": {m}, \"time_cost\": {t}, \"parallelism\": {p}, \"median_s\": {median}}}"
    );
    Ok(())
}
