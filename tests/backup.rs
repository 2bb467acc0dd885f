//! Integration tests of sealed backups: round trips around chunk boundaries, the tamper
//! matrix (truncation, reordering, duplication, splicing, bit flips, wrong and unknown keys,
//! future versions), passphrase archives, the path helpers and the committed fixture that
//! the Python, Kotlin and C bindings also open.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tillit::backup::{
    self, Algorithm, BackupError, BackupKey, BackupKeyRing, KdfLimits, KdfParams, OpenOptions,
    SealOptions, StreamSummary, TAG_LEN,
};

const CHUNK: u32 = 64;
const FAST_KDF: KdfParams = KdfParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

fn key(id: &str, byte: u8) -> BackupKey {
    BackupKey::from_bytes(id, &[byte; 32]).expect("valid test key")
}

fn ring_with(keys: Vec<BackupKey>) -> BackupKeyRing {
    let mut ring = BackupKeyRing::new();
    for k in keys {
        ring.add_key(k).expect("distinct test key ids");
    }
    ring
}

fn options(algorithm: Algorithm) -> SealOptions {
    SealOptions {
        algorithm,
        chunk_size: CHUNK,
        ..SealOptions::default()
    }
}

fn data(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| u8::try_from(i % 251).expect("below 251"))
        .collect()
}

fn seal_bytes(plain: &[u8], key: &BackupKey, options: &SealOptions) -> Vec<u8> {
    let mut out = Vec::new();
    backup::seal_with_options(plain, &mut out, key, options).expect("sealing into memory works");
    out
}

fn open_bytes(archive: &[u8], ring: &BackupKeyRing) -> (Result<Vec<u8>, BackupError>, Vec<u8>) {
    let mut out = Vec::new();
    let result = backup::open(archive, &mut out, ring).map(|_| out.clone());
    (result, out)
}

/// Header length of an archive sealed with the raw key "k".
fn header_len(archive: &[u8]) -> usize {
    let header = backup::inspect(archive).expect("valid header");
    8 + 1 + 1 + 1 + 1 + 4 + 7 + header.key_id.len() + TAG_LEN
}

#[test]
fn round_trips_around_chunk_boundaries() {
    let c = CHUNK as usize;
    for algorithm in [Algorithm::Aes256Gcm, Algorithm::ChaCha20Poly1305] {
        for len in [0, 1, c - 1, c, c + 1, 2 * c, 10 * c + 7, 100 * c] {
            let plain = data(len);
            let k = key("k", 1);
            let mut archive = Vec::new();
            let sealed =
                backup::seal_with_options(&plain[..], &mut archive, &k, &options(algorithm))
                    .expect("seals");
            let chunks = if len == 0 { 1 } else { len.div_ceil(c) };
            assert_eq!(sealed.chunks, chunks as u64, "{algorithm} len {len}");
            assert_eq!(sealed.plaintext_bytes, len as u64);
            assert_eq!(archive.len(), header_len(&archive) + len + chunks * TAG_LEN);
            assert_eq!(sealed.sealed_bytes, archive.len() as u64);

            let mut out = Vec::new();
            let opened =
                backup::open(archive.as_slice(), &mut out, &ring_with(vec![k])).expect("opens");
            assert_eq!(out, plain, "{algorithm} len {len}");
            assert_eq!(opened.chunks, sealed.chunks);
            assert_eq!(opened.header.algorithm, algorithm);
        }
    }
}

#[test]
fn the_same_input_seals_differently_each_time() {
    let k = key("k", 1);
    let a = seal_bytes(b"same", &k, &options(Algorithm::Aes256Gcm));
    let b = seal_bytes(b"same", &k, &options(Algorithm::Aes256Gcm));
    assert_ne!(a, b, "the nonce prefix must be fresh for every archive");
}

#[test]
fn plaintext_does_not_appear_in_the_archive() {
    let plain = b"Org.nr 988077917 Kari Nordmann".repeat(10);
    let archive = seal_bytes(&plain, &key("k", 1), &options(Algorithm::Aes256Gcm));
    assert!(!archive.windows(12).any(|w| w == &plain[..12]));
}

/// Every truncation ends in an error, the kind depending on where the cut falls, and only
/// the plaintext of whole authenticated chunks is released before it.
#[test]
fn truncation_at_every_offset_is_detected() {
    let c = CHUNK as usize;
    let record = c + TAG_LEN;
    for len in [0, c, 3 * c, 3 * c + 10] {
        let plain = data(len);
        let k = key("k", 1);
        let archive = seal_bytes(&plain, &k, &options(Algorithm::Aes256Gcm));
        let ring = ring_with(vec![k]);
        let head = header_len(&archive);

        for cut in 0..archive.len() {
            let (result, released) = open_bytes(&archive[..cut], &ring);
            let err = result.expect_err("a truncated archive must not open");
            assert!(err.is_integrity_failure(), "cut {cut}: {err}");
            if cut < head {
                assert!(
                    matches!(err, BackupError::TruncatedHeader { read } if read == cut),
                    "cut {cut} inside the header gave {err:?}"
                );
                assert!(released.is_empty());
            } else if (cut - head).is_multiple_of(record) {
                let whole = (cut - head) / record;
                assert!(
                    matches!(err, BackupError::Truncated { chunks } if chunks == whole as u64),
                    "cut {cut} at a chunk boundary gave {err:?}"
                );
                // The last whole chunk sits at the end of the input, so it was read as the
                // final chunk, failed, and was not released.
                assert_eq!(released, plain[..whole.saturating_sub(1) * c], "cut {cut}");
            } else {
                let index = (cut - head) / record;
                assert!(
                    matches!(err, BackupError::ChunkAuthentication { index: i } if i == index as u64),
                    "cut {cut} inside chunk {index} gave {err:?}"
                );
                assert_eq!(released, plain[..index * c], "cut {cut}");
            }
        }
    }
}

fn split(archive: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let head = header_len(archive);
    let record = CHUNK as usize + TAG_LEN;
    let chunks = archive[head..].chunks(record).map(<[u8]>::to_vec).collect();
    (archive[..head].to_vec(), chunks)
}

fn join(head: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = head.to_vec();
    for chunk in chunks {
        out.extend_from_slice(chunk);
    }
    out
}

fn assert_chunk_failure(archive: &[u8], ring: &BackupKeyRing, index: u64, what: &str) {
    let (result, _) = open_bytes(archive, ring);
    match result {
        Err(BackupError::ChunkAuthentication { index: i }) if i == index => {}
        other => panic!("{what}: expected chunk {index} to fail, got {other:?}"),
    }
}

#[test]
fn reordered_duplicated_dropped_and_spliced_chunks_are_detected() {
    let k = key("k", 1);
    let plain = data(4 * CHUNK as usize + 5);
    let archive = seal_bytes(&plain, &k, &options(Algorithm::Aes256Gcm));
    let other = seal_bytes(&plain, &k, &options(Algorithm::Aes256Gcm));
    let ring = ring_with(vec![k]);
    let (head, chunks) = split(&archive);
    assert_eq!(chunks.len(), 5);

    let mut swapped = chunks.clone();
    swapped.swap(1, 2);
    assert_chunk_failure(&join(&head, &swapped), &ring, 1, "reordered");

    let mut duplicated = chunks.clone();
    duplicated.insert(2, chunks[1].clone());
    assert_chunk_failure(&join(&head, &duplicated), &ring, 2, "duplicated");

    let mut final_twice = chunks.clone();
    final_twice.push(chunks[4].clone());
    assert_chunk_failure(
        &join(&head, &final_twice),
        &ring,
        4,
        "final chunk duplicated",
    );

    let mut dropped = chunks.clone();
    dropped.remove(2);
    assert_chunk_failure(&join(&head, &dropped), &ring, 2, "dropped");

    let (_, foreign) = split(&other);
    let mut spliced = chunks.clone();
    spliced[3] = foreign[3].clone();
    assert_chunk_failure(
        &join(&head, &spliced),
        &ring,
        3,
        "spliced from another archive",
    );

    let mut appended = archive.clone();
    appended.extend_from_slice(b"extra");
    let (result, _) = open_bytes(&appended, &ring);
    assert!(
        matches!(result, Err(BackupError::ChunkAuthentication { index: 4 })),
        "appended data gave {result:?}"
    );

    // A whole chunk cut off the end of a multiple-of-chunk archive is a truncation.
    let exact = seal_bytes(
        &data(3 * CHUNK as usize),
        &key("k", 1),
        &options(Algorithm::Aes256Gcm),
    );
    let (exact_head, exact_chunks) = split(&exact);
    let (result, _) = open_bytes(
        &join(&exact_head, &exact_chunks[..2]),
        &ring_with(vec![key("k", 1)]),
    );
    assert!(
        matches!(result, Err(BackupError::Truncated { chunks: 2 })),
        "{result:?}"
    );
}

/// Flipping any single bit anywhere fails the open with a typed integrity or key error, and
/// in the body or a tag it names the chunk.
#[test]
fn every_single_bit_flip_is_detected() {
    for algorithm in [Algorithm::Aes256Gcm, Algorithm::ChaCha20Poly1305] {
        let k = key("k", 1);
        let plain = data(2 * CHUNK as usize + 9);
        let archive = seal_bytes(&plain, &k, &options(algorithm));
        let ring = ring_with(vec![k]);
        let head = header_len(&archive);
        let record = CHUNK as usize + TAG_LEN;

        for byte in 0..archive.len() {
            for bit in 0..8 {
                let mut tampered = archive.clone();
                tampered[byte] ^= 1 << bit;
                let (result, released) = open_bytes(&tampered, &ring);
                let err = result.expect_err("a flipped bit must not open");
                if byte < head {
                    assert!(
                        err.is_integrity_failure()
                            || matches!(
                                err,
                                BackupError::UnsupportedVersion { .. }
                                    | BackupError::UnknownAlgorithm { .. }
                                    | BackupError::UnknownKeyKind { .. }
                                    | BackupError::UnknownKeyId { .. }
                                    | BackupError::InvalidKeyId { .. }
                                    | BackupError::ChunkSize { .. }
                            ),
                        "header byte {byte} bit {bit}: {err:?}"
                    );
                    assert!(
                        released.is_empty(),
                        "nothing is released under a bad header"
                    );
                } else {
                    let index = ((byte - head) / record) as u64;
                    assert!(
                        matches!(err, BackupError::ChunkAuthentication { index: i } if i == index),
                        "{algorithm} body byte {byte} bit {bit}: {err:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn header_tampering_is_caught_by_the_header_tag() {
    let k = key("k", 1);
    let archive = seal_bytes(&data(100), &k, &options(Algorithm::Aes256Gcm));
    let ring = ring_with(vec![k]);
    // Byte 16 is the first byte of the nonce prefix: any value parses, only the tag objects.
    let mut tampered = archive.clone();
    tampered[16] ^= 0x80;
    let (result, released) = open_bytes(&tampered, &ring);
    assert!(
        matches!(result, Err(BackupError::HeaderAuthentication { .. })),
        "{result:?}"
    );
    assert!(released.is_empty());
    // Switching the algorithm byte to the other valid algorithm is caught the same way.
    let mut switched = archive;
    switched[9] = Algorithm::ChaCha20Poly1305.code();
    let (result, _) = open_bytes(&switched, &ring);
    assert!(
        matches!(result, Err(BackupError::HeaderAuthentication { .. })),
        "{result:?}"
    );
}

#[test]
fn wrong_key_unknown_key_and_future_version_are_typed() {
    let archive = seal_bytes(&data(300), &key("k", 1), &options(Algorithm::Aes256Gcm));

    let (result, released) = open_bytes(&archive, &ring_with(vec![key("k", 2)]));
    assert!(
        matches!(&result, Err(BackupError::HeaderAuthentication { key_id }) if key_id == "k"),
        "{result:?}"
    );
    assert!(released.is_empty());

    let (result, _) = open_bytes(&archive, &ring_with(vec![key("other", 1)]));
    assert!(
        matches!(&result, Err(BackupError::UnknownKeyId { key_id }) if key_id == "k"),
        "{result:?}"
    );

    let mut future = archive.clone();
    future[8] = 2;
    let (result, _) = open_bytes(&future, &ring_with(vec![key("k", 1)]));
    assert!(
        matches!(
            result,
            Err(BackupError::UnsupportedVersion {
                found: 2,
                supported: 1
            })
        ),
        "{result:?}"
    );

    let (result, _) = open_bytes(b"PK\x03\x04 a zip file", &ring_with(vec![key("k", 1)]));
    assert!(matches!(result, Err(BackupError::NotABackup)), "{result:?}");
}

#[test]
fn old_archives_open_after_a_new_key_is_added() {
    let old = key("2025", 1);
    let archive_2025 = seal_bytes(b"last year", &old, &options(Algorithm::Aes256Gcm));
    let new = key("2026", 2);
    let archive_2026 = seal_bytes(b"this year", &new, &options(Algorithm::ChaCha20Poly1305));
    let ring = ring_with(vec![old, new]);
    assert_eq!(
        open_bytes(&archive_2025, &ring).0.expect("opens"),
        b"last year"
    );
    assert_eq!(
        open_bytes(&archive_2026, &ring).0.expect("opens"),
        b"this year"
    );
}

#[test]
fn passphrase_archives_open_with_the_passphrase_alone() {
    let derived =
        BackupKey::derive_from_passphrase("vault", "sju fine fjorder", &FAST_KDF).expect("derives");
    let plain = data(500);
    let archive = seal_bytes(&plain, &derived, &options(Algorithm::Aes256Gcm));

    let header = backup::inspect(archive.as_slice()).expect("header");
    let record = header
        .kdf
        .as_ref()
        .expect("passphrase archives record their kdf");
    assert_eq!(record.params, FAST_KDF);
    assert_eq!(record.salt.len(), 16);

    let mut ring = BackupKeyRing::new();
    ring.add_passphrase("vault", "sju fine fjorder")
        .expect("valid passphrase");
    assert_eq!(open_bytes(&archive, &ring).0.expect("opens"), plain);

    // The derived key itself also opens what it sealed.
    assert_eq!(
        open_bytes(&archive, &ring_with(vec![derived]))
            .0
            .expect("opens"),
        plain
    );

    let mut wrong = BackupKeyRing::new();
    wrong
        .add_passphrase("vault", "sju fine fjorder!")
        .expect("valid passphrase");
    let (result, released) = open_bytes(&archive, &wrong);
    assert!(
        matches!(result, Err(BackupError::HeaderAuthentication { .. })),
        "{result:?}"
    );
    assert!(released.is_empty());

    // The ring holds a raw key under the id, but the archive needs a passphrase.
    let (result, _) = open_bytes(&archive, &ring_with(vec![key("vault", 1)]));
    assert!(
        matches!(
            result,
            Err(BackupError::KeyKindMismatch {
                expected: "passphrase",
                found: "raw key",
                ..
            })
        ),
        "{result:?}"
    );
}

#[test]
fn hostile_kdf_parameters_are_refused_before_deriving() {
    let derived =
        BackupKey::derive_from_passphrase("vault", "sju fine fjorder", &FAST_KDF).expect("derives");
    let archive = seal_bytes(b"x", &derived, &options(Algorithm::Aes256Gcm));
    let mut ring = BackupKeyRing::new();
    ring.add_passphrase("vault", "sju fine fjorder")
        .expect("valid passphrase");

    // m_cost sits after magic, version, algorithm, kind, id length, chunk size, prefix, id
    // and the salt length and salt.
    let m_offset = 23 + "vault".len() + 1 + 16;
    let mut hostile = archive.clone();
    hostile[m_offset..m_offset + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    let (result, _) = open_bytes(&hostile, &ring);
    assert!(
        matches!(
            result,
            Err(BackupError::KdfParameterTooHigh {
                value: u32::MAX,
                ceiling: 1_048_576,
                ..
            })
        ),
        "{result:?}"
    );

    // A stricter ring refuses even the honest archive's parameters when they exceed it.
    let mut strict = BackupKeyRing::with_limits(KdfLimits {
        max_m_cost_kib: 32,
        max_t_cost: 1,
        max_p_cost: 1,
    });
    strict
        .add_passphrase("vault", "sju fine fjorder")
        .expect("valid passphrase");
    let (result, _) = open_bytes(&archive, &strict);
    assert!(
        matches!(result, Err(BackupError::KdfParameterTooHigh { .. })),
        "{result:?}"
    );

    assert!(matches!(
        BackupKey::derive_from_passphrase(
            "vault",
            "words",
            &KdfParams {
                m_cost_kib: 2 * 1024 * 1024,
                t_cost: 1,
                p_cost: 1
            }
        ),
        Err(BackupError::KdfParameterTooHigh { .. })
    ));
}

#[test]
fn chunk_size_bounds_are_enforced_when_sealing() {
    let k = key("k", 1);
    for size in [0, 63, 16 * 1024 * 1024 + 1] {
        let result = backup::seal_with_options(
            &b"x"[..],
            &mut Vec::new(),
            &k,
            &SealOptions {
                algorithm: Algorithm::Aes256Gcm,
                chunk_size: size,
                ..SealOptions::default()
            },
        );
        assert!(
            matches!(result, Err(BackupError::ChunkSize { .. })),
            "size {size}"
        );
    }
}

/// A reader that hands out at most three bytes per call and is sometimes interrupted, as
/// pipes and sockets do.
struct Trickle<'a> {
    data: &'a [u8],
    calls: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls.is_multiple_of(5) {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        let n = buf.len().min(3).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn short_and_interrupted_reads_are_handled() {
    let k = key("k", 1);
    let plain = data(5 * CHUNK as usize + 3);
    let mut archive = Vec::new();
    backup::seal_with_options(
        Trickle {
            data: &plain,
            calls: 0,
        },
        &mut archive,
        &k,
        &options(Algorithm::Aes256Gcm),
    )
    .expect("seals");
    let mut out = Vec::new();
    backup::open(
        Trickle {
            data: &archive,
            calls: 0,
        },
        &mut out,
        &ring_with(vec![k]),
    )
    .expect("opens");
    assert_eq!(out, plain);
}

struct FailingWriter;

impl io::Write for FailingWriter {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("disk full"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn io_errors_are_reported_with_what_was_being_done() {
    let err = backup::seal(&b"x"[..], FailingWriter, &key("k", 1)).expect_err("cannot write");
    assert!(matches!(
        err,
        BackupError::Io {
            operation: "writing the archive header",
            ..
        }
    ));
    assert!(err.to_string().contains("disk full"), "{err}");
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".tillit"))
        })
        .collect()
}

#[test]
fn path_helpers_replace_the_output_only_on_success() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let plain_path = dir.path().join("ledger.csv");
    let sealed_path = dir.path().join("ledger.tlb");
    let opened_path = dir.path().join("ledger.opened");
    let plain = data(200_000);
    std::fs::write(&plain_path, &plain).expect("write input");

    let k = key("k", 1);
    let summary = backup::seal_file(&plain_path, &sealed_path, &k).expect("seals");
    assert_eq!(summary.plaintext_bytes, plain.len() as u64);
    let ring = ring_with(vec![k]);
    backup::open_file(&sealed_path, &opened_path, &ring).expect("opens");
    assert_eq!(std::fs::read(&opened_path).expect("read"), plain);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&opened_path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "opened plaintext must not be readable by others"
        );
    }

    // A truncated archive leaves the previous output in place and no temporary file.
    let sealed = std::fs::read(&sealed_path).expect("read archive");
    let cut_path = dir.path().join("cut.tlb");
    std::fs::write(&cut_path, &sealed[..sealed.len() - 100]).expect("write cut archive");
    std::fs::write(&opened_path, b"previous good copy").expect("write previous output");
    let err = backup::open_file(&cut_path, &opened_path, &ring).expect_err("truncated");
    assert!(err.is_integrity_failure(), "{err}");
    assert_eq!(
        std::fs::read(&opened_path).expect("read"),
        b"previous good copy"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );

    // A missing input fails before any output is created.
    let missing = backup::seal_file(
        &dir.path().join("missing"),
        &dir.path().join("never"),
        &key("k", 1),
    );
    assert!(matches!(
        missing,
        Err(BackupError::Io {
            operation: "opening the input file",
            ..
        })
    ));
    assert!(!dir.path().join("never").exists());
}

#[test]
fn path_helpers_seal_and_open_on_one_thread_when_asked() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let plain_path = dir.path().join("ledger.csv");
    let sealed_path = dir.path().join("ledger.tlb");
    let opened_path = dir.path().join("ledger.opened");
    // Several batches, so that the pipelined path would start its thread.
    let plain = data(40 * CHUNK as usize + 5);
    std::fs::write(&plain_path, &plain).expect("write input");
    let k = key("k", 1);
    let options = SealOptions {
        pipelined: false,
        ..options(Algorithm::ChaCha20Poly1305)
    };
    let summary =
        backup::seal_file_with_options(&plain_path, &sealed_path, &k, &options).expect("seals");
    assert_eq!(summary.plaintext_bytes, plain.len() as u64);
    let ring = ring_with(vec![k]);
    for pipelined in [false, true] {
        std::fs::remove_file(&opened_path).ok();
        let summary = backup::open_file_with_options(
            &sealed_path,
            &opened_path,
            &ring,
            &OpenOptions { pipelined },
        )
        .expect("opens");
        assert_eq!(summary.plaintext_bytes, plain.len() as u64);
        assert!(
            std::fs::read(&opened_path).expect("read") == plain,
            "pipelined {pipelined}"
        );
    }

    // On one thread too, a damaged archive leaves the previous output in place.
    let mut sealed = std::fs::read(&sealed_path).expect("read archive");
    let middle = sealed.len() / 2;
    sealed[middle] ^= 1;
    let damaged_path = dir.path().join("damaged.tlb");
    std::fs::write(&damaged_path, &sealed).expect("write damaged archive");
    std::fs::write(&opened_path, b"previous good copy").expect("write previous output");
    let err = backup::open_file_with_options(
        &damaged_path,
        &opened_path,
        &ring,
        &OpenOptions { pipelined: false },
    )
    .expect_err("damaged");
    assert!(err.is_integrity_failure(), "{err}");
    assert_eq!(
        std::fs::read(&opened_path).expect("read"),
        b"previous good copy"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/backup")
        .join(name)
}

fn hex_decode(text: &str) -> Vec<u8> {
    let text = text.trim();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("fixture key is hex"))
        .collect()
}

/// The committed fixture (also opened by every binding's tests) keeps opening: the format
/// has not drifted.
#[test]
fn committed_fixture_opens() {
    let key_hex = std::fs::read_to_string(fixture("fixture.key.hex")).expect("fixture key");
    let k = BackupKey::from_bytes("fixture-2026", &hex_decode(&key_hex)).expect("fixture key");
    let archive = std::fs::read(fixture("fixture.tlb")).expect("fixture archive");
    let expected = std::fs::read(fixture("fixture.txt")).expect("fixture plaintext");
    let (result, _) = open_bytes(&archive, &ring_with(vec![k]));
    assert_eq!(result.expect("fixture opens"), expected);
    let header = backup::inspect(archive.as_slice()).expect("header");
    assert_eq!(header.chunk_size, 64);
    assert_eq!(header.algorithm, Algorithm::Aes256Gcm);

    let mut ring = BackupKeyRing::new();
    ring.add_passphrase("fixture-vault", "korrekt hest batteri stift")
        .expect("passphrase");
    let archive = std::fs::read(fixture("fixture-passphrase.tlb")).expect("fixture archive");
    let (result, _) = open_bytes(&archive, &ring);
    assert_eq!(result.expect("passphrase fixture opens"), expected);
}

/// Writes the fixtures; run by hand with `--ignored` only when the format version changes.
#[test]
#[ignore = "regenerates the committed fixtures"]
fn write_fixtures() {
    let key_hex = std::fs::read_to_string(fixture("fixture.key.hex")).expect("fixture key");
    let k = BackupKey::from_bytes("fixture-2026", &hex_decode(&key_hex)).expect("fixture key");
    let plain = std::fs::read(fixture("fixture.txt")).expect("fixture plaintext");
    let archive = seal_bytes(&plain, &k, &options(Algorithm::Aes256Gcm));
    std::fs::write(fixture("fixture.tlb"), archive).expect("write fixture");
    let derived = BackupKey::derive_from_passphrase(
        "fixture-vault",
        "korrekt hest batteri stift",
        &KdfParams {
            m_cost_kib: 1024,
            t_cost: 1,
            p_cost: 1,
        },
    )
    .expect("derives");
    let archive = seal_bytes(&plain, &derived, &options(Algorithm::ChaCha20Poly1305));
    std::fs::write(fixture("fixture-passphrase.tlb"), archive).expect("write fixture");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn seal_then_open_is_the_identity(
        plain in proptest::collection::vec(any::<u8>(), 0..2000),
        chunk_size in 64u32..300,
        chacha in any::<bool>(),
    ) {
        let algorithm = if chacha { Algorithm::ChaCha20Poly1305 } else { Algorithm::Aes256Gcm };
        let k = key("prop", 7);
        let archive = seal_bytes(&plain, &k, &SealOptions { algorithm, chunk_size, ..SealOptions::default() });
        let (result, _) = open_bytes(&archive, &ring_with(vec![k]));
        prop_assert_eq!(result.expect("opens"), plain);
    }

    #[test]
    fn open_never_panics_on_garbage_after_a_valid_header(
        tail in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let k = key("k", 1);
        let archive = seal_bytes(b"", &k, &options(Algorithm::Aes256Gcm));
        let mut forged = archive[..header_len(&archive)].to_vec();
        forged.extend_from_slice(&tail);
        let (result, released) = open_bytes(&forged, &ring_with(vec![k]));
        prop_assert!(result.is_err());
        prop_assert!(released.is_empty());
    }
}

fn seal_mode(plain: &[u8], key: &BackupKey, pipelined: bool) -> (Vec<u8>, StreamSummary) {
    let mut archive = Vec::new();
    let options = SealOptions {
        pipelined,
        ..options(Algorithm::Aes256Gcm)
    };
    let summary = backup::seal_with_options(plain, &mut archive, key, &options).expect("seals");
    (archive, summary)
}

/// Opens with or without the worker thread: the result (as text, so errors compare too),
/// the summary's counts and the plaintext released.
fn open_mode(archive: &[u8], ring: &BackupKeyRing, pipelined: bool) -> (String, Vec<u8>) {
    let mut out = Vec::new();
    let result = backup::open_with_options(archive, &mut out, ring, &OpenOptions { pipelined });
    let outcome = match result {
        Ok(s) => format!("ok {} {} {}", s.plaintext_bytes, s.sealed_bytes, s.chunks),
        Err(e) => format!("{e:?}"),
    };
    (outcome, out)
}

/// Sealing and opening on a worker thread changes nothing: for inputs that end inside, at
/// and just past the edges of the batches the work is handed over in, both modes write
/// archives of the same length and chunk count, and each mode opens the other's archives.
#[test]
fn pipelined_and_single_thread_agree_on_every_size() {
    let c = CHUNK as usize;
    let k = key("k", 1);
    let ring = ring_with(vec![key("k", 1)]);
    for chunks in 0..=40 {
        for extra in [-1_isize, 0, 1] {
            let Some(len) = (chunks * c).checked_add_signed(extra) else {
                continue;
            };
            let plain = data(len);
            let (piped, piped_summary) = seal_mode(&plain, &k, true);
            let (single, single_summary) = seal_mode(&plain, &k, false);
            assert_eq!(piped.len(), single.len(), "{len} bytes");
            assert_eq!(piped_summary.chunks, single_summary.chunks, "{len} bytes");
            assert_eq!(piped_summary.sealed_bytes, piped.len() as u64);
            assert_eq!(piped_summary.plaintext_bytes, len as u64);
            for archive in [&piped, &single] {
                let expected = format!("ok {len} {} {}", archive.len(), piped_summary.chunks);
                for pipelined in [true, false] {
                    let (outcome, out) = open_mode(archive, &ring, pipelined);
                    assert_eq!(outcome, expected, "{len} bytes, pipelined {pipelined}");
                    assert!(out == plain, "{len} bytes, pipelined {pipelined}");
                }
            }
        }
    }
}

/// Damage anywhere in an archive of many batches gives the same error, and releases the
/// same authenticated prefix, whether it is opened on one thread or two.
#[test]
fn pipelined_and_single_thread_report_the_same_damage() {
    let c = CHUNK as usize;
    let record = c + TAG_LEN;
    let k = key("k", 1);
    let ring = ring_with(vec![key("k", 1)]);
    let plain = data(37 * c + 11);
    let (archive, _) = seal_mode(&plain, &k, true);
    let head = header_len(&archive);
    let mut damaged: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in (head..archive.len()).step_by(7).chain([archive.len() - 1]) {
        damaged.push((format!("cut at {cut}"), archive[..cut].to_vec()));
    }
    for index in 0..38 {
        for offset in [0, c / 2, record - 1] {
            let at = head + index * record + offset;
            if at < archive.len() {
                let mut flipped = archive.clone();
                flipped[at] ^= 0x10;
                damaged.push((format!("bit flip at {at}"), flipped));
            }
        }
    }
    let (head_bytes, chunks) = split(&archive);
    for (a, b) in [(15, 16), (16, 17), (0, 31), (31, 32)] {
        let mut swapped = chunks.clone();
        swapped.swap(a, b);
        damaged.push((
            format!("chunks {a} and {b} swapped"),
            join(&head_bytes, &swapped),
        ));
    }
    let mut doubled = chunks.clone();
    doubled.insert(17, chunks[16].clone());
    damaged.push(("chunk 16 twice".to_owned(), join(&head_bytes, &doubled)));
    let mut appended = archive.clone();
    appended.extend_from_slice(&chunks[3]);
    damaged.push(("a chunk appended".to_owned(), appended));

    for (what, archive) in damaged {
        let (piped, piped_out) = open_mode(&archive, &ring, true);
        let (single, single_out) = open_mode(&archive, &ring, false);
        assert!(
            piped.starts_with("Chunk") || piped.starts_with("Truncated"),
            "{what}: {piped}"
        );
        assert_eq!(piped, single, "{what}");
        assert!(
            piped_out == single_out,
            "{what}: different plaintext released"
        );
        assert!(
            plain.starts_with(&piped_out),
            "{what}: released plaintext is not a prefix"
        );
        assert_eq!(
            piped_out.len() % c,
            0,
            "{what}: only whole chunks are released"
        );
    }
}

/// A reader that fails after handing out `left` bytes.
struct FailsAfter<'a> {
    data: &'a [u8],
    left: usize,
}

impl Read for FailsAfter<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("connection reset"));
        }
        let n = buf.len().min(self.left).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.left -= n;
        Ok(n)
    }
}

/// A writer that accepts `left` bytes, then fails.
struct FullAfter {
    left: usize,
}

impl io::Write for FullAfter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("disk full"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Input and output failures in the middle of a long stream end it with the failure, on
/// either mode, and the worker thread stops with it.
#[test]
fn io_errors_mid_stream_end_the_pipeline() {
    let c = CHUNK as usize;
    let k = key("k", 1);
    let ring = ring_with(vec![key("k", 1)]);
    let plain = data(60 * c);
    let (archive, _) = seal_mode(&plain, &k, true);
    for pipelined in [true, false] {
        let options = SealOptions {
            pipelined,
            ..options(Algorithm::Aes256Gcm)
        };
        for left in [1, 20 * c, 45 * c + 3] {
            let reader = FailsAfter { data: &plain, left };
            let err = backup::seal_with_options(reader, io::sink(), &k, &options)
                .expect_err("the input fails");
            assert!(
                matches!(
                    err,
                    BackupError::Io {
                        operation: "reading the input",
                        ..
                    }
                ),
                "{err:?}"
            );
            let reader = FailsAfter {
                data: &archive,
                left,
            };
            let err =
                backup::open_with_options(reader, io::sink(), &ring, &OpenOptions { pipelined })
                    .expect_err("the archive fails");
            assert!(
                matches!(err, BackupError::Io { operation, .. } if operation.starts_with("reading the archive")),
                "{err:?}"
            );
        }
        for left in [200, 20 * c, 45 * c + 3] {
            let err = backup::seal_with_options(&plain[..], FullAfter { left }, &k, &options)
                .expect_err("the output fails");
            assert!(
                matches!(
                    err,
                    BackupError::Io {
                        operation: "writing the archive",
                        ..
                    }
                ),
                "{err:?}"
            );
            let err = backup::open_with_options(
                archive.as_slice(),
                FullAfter { left },
                &ring,
                &OpenOptions { pipelined },
            )
            .expect_err("the output fails");
            assert!(
                matches!(
                    err,
                    BackupError::Io {
                        operation: "writing the opened backup",
                        ..
                    }
                ),
                "{err:?}"
            );
        }
    }
}

/// The reader and writer stay on the calling thread, so they need not be `Send`.
#[test]
fn readers_and_writers_need_not_be_send() {
    use std::cell::RefCell;
    use std::rc::Rc;

    struct Shared(Rc<RefCell<Vec<u8>>>);
    impl io::Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let k = key("k", 1);
    let plain = data(50 * CHUNK as usize);
    let archive = Rc::new(RefCell::new(Vec::new()));
    backup::seal_with_options(
        &plain[..],
        Shared(Rc::clone(&archive)),
        &k,
        &options(Algorithm::Aes256Gcm),
    )
    .expect("seals");
    let opened = Rc::new(RefCell::new(Vec::new()));
    backup::open(
        archive.borrow().as_slice(),
        Shared(Rc::clone(&opened)),
        &ring_with(vec![k]),
    )
    .expect("opens");
    assert!(*opened.borrow() == plain);
}
