//! Throughput of sealing and opening backups against `ring`'s raw AEAD on the same chunks.
//!
//! The target is for `seal` and `open` to stay within 15 % of the raw AEAD measured in the
//! same run. The raw baseline seals (or opens) 64 KiB chunks of an in-memory buffer in
//! place, on one thread, with no I/O and no copies; the streaming side reads from a slice
//! and writes to `io::sink()`. `seal` and `open` run as callers get them by default, with
//! the AEAD on a worker thread while the calling thread copies chunks in and out;
//! `seal_one_thread` and `open_one_thread` keep everything on the calling thread. A second
//! baseline (`raw_*_with_copy`) adds only the copy of each chunk out of the input, which any
//! streaming over `Read` needs, so the format's own cost shows separately.
//!
//! Run with `cargo bench -p tillit --bench backup`; set `TILLIT_BENCH_MIB` to change the
//! input size (64 MiB by default).

use std::hint::black_box;
use std::io;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ring::aead::{AES_256_GCM, Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use tillit::backup::{
    self, Algorithm, BackupKey, BackupKeyRing, OpenOptions, SealOptions, TAG_LEN,
};

const CHUNK_SIZE: u32 = 64 * 1024;
const CHUNK: usize = CHUNK_SIZE as usize;

fn input_len() -> usize {
    std::env::var("TILLIT_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
        * 1024
        * 1024
}

fn nonce(i: usize) -> Nonce {
    let mut bytes = [0u8; NONCE_LEN];
    bytes[4..].copy_from_slice(&(i as u64).to_be_bytes());
    Nonce::assume_unique_for_key(bytes)
}

fn raw_key(algorithm: Algorithm) -> LessSafeKey {
    let alg = match algorithm {
        Algorithm::ChaCha20Poly1305 => &CHACHA20_POLY1305,
        _ => &AES_256_GCM,
    };
    LessSafeKey::new(UnboundKey::new(alg, &[7; 32]).expect("32-byte key"))
}

/// Seals every chunk of `buf` in place, as the baseline does; returns the sealed records.
fn raw_seal_records(key: &LessSafeKey, plain: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(plain.len() + plain.len() / CHUNK * TAG_LEN + TAG_LEN);
    for (i, chunk) in plain.chunks(CHUNK).enumerate() {
        let start = out.len();
        out.extend_from_slice(chunk);
        let tag = key
            .seal_in_place_separate_tag(nonce(i), Aad::empty(), &mut out[start..])
            .expect("seals");
        out.extend_from_slice(tag.as_ref());
    }
    out
}

fn bench(c: &mut Criterion) {
    let len = input_len();
    let plain: Vec<u8> = (0..len)
        .map(|i| u8::try_from(i % 251).expect("below 251"))
        .collect();

    for algorithm in [Algorithm::Aes256Gcm, Algorithm::ChaCha20Poly1305] {
        let options = SealOptions {
            algorithm,
            chunk_size: CHUNK_SIZE,
            ..SealOptions::default()
        };
        let key = BackupKey::from_bytes("bench", &[7; 32]).expect("32-byte key");
        let raw = raw_key(algorithm);

        let mut group = c.benchmark_group(format!("backup/{algorithm}"));
        group.throughput(Throughput::Bytes(len as u64));
        group.sample_size(10);

        let mut scratch = plain.clone();
        group.bench_function("raw_seal", |b| {
            b.iter(|| {
                for (i, chunk) in scratch.chunks_mut(CHUNK).enumerate() {
                    let tag = raw
                        .seal_in_place_separate_tag(nonce(i), Aad::empty(), chunk)
                        .expect("seals");
                    black_box(&tag);
                }
            });
        });
        // The least any streaming seal over `Read` must do: copy each chunk out of the input
        // into a working buffer, then seal it there.
        let mut work = vec![0u8; CHUNK];
        group.bench_function("raw_seal_with_copy", |b| {
            b.iter(|| {
                for (i, chunk) in plain.chunks(CHUNK).enumerate() {
                    let buf = &mut work[..chunk.len()];
                    buf.copy_from_slice(chunk);
                    let tag = raw
                        .seal_in_place_separate_tag(nonce(i), Aad::empty(), buf)
                        .expect("seals");
                    black_box(&tag);
                }
            });
        });
        group.bench_function("seal", |b| {
            b.iter(|| {
                backup::seal_with_options(plain.as_slice(), io::sink(), &key, &options)
                    .expect("seals")
            });
        });
        let one_thread = SealOptions {
            pipelined: false,
            ..options
        };
        group.bench_function("seal_one_thread", |b| {
            b.iter(|| {
                backup::seal_with_options(plain.as_slice(), io::sink(), &key, &one_thread)
                    .expect("seals")
            });
        });

        let records = raw_seal_records(&raw, &plain);
        group.bench_function("raw_open", |b| {
            b.iter_batched_ref(
                || records.clone(),
                |sealed| {
                    for (i, record) in sealed.chunks_mut(CHUNK + TAG_LEN).enumerate() {
                        black_box(
                            raw.open_in_place(nonce(i), Aad::empty(), record)
                                .expect("opens"),
                        );
                    }
                },
                BatchSize::PerIteration,
            );
        });

        let mut work = vec![0u8; CHUNK + TAG_LEN];
        group.bench_function("raw_open_with_copy", |b| {
            b.iter(|| {
                for (i, record) in records.chunks(CHUNK + TAG_LEN).enumerate() {
                    let buf = &mut work[..record.len()];
                    buf.copy_from_slice(record);
                    black_box(
                        raw.open_in_place(nonce(i), Aad::empty(), buf)
                            .expect("opens"),
                    );
                }
            });
        });

        let mut archive = Vec::new();
        backup::seal_with_options(plain.as_slice(), &mut archive, &key, &options).expect("seals");
        let mut ring = BackupKeyRing::new();
        ring.add_key(BackupKey::from_bytes("bench", &[7; 32]).expect("32-byte key"))
            .expect("one key");
        group.bench_function("open", |b| {
            b.iter(|| backup::open(archive.as_slice(), io::sink(), &ring).expect("opens"));
        });
        let one_thread = OpenOptions { pipelined: false };
        group.bench_function("open_one_thread", |b| {
            b.iter(|| {
                backup::open_with_options(archive.as_slice(), io::sink(), &ring, &one_thread)
                    .expect("opens")
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
