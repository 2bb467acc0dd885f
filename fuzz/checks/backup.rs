//! Sealed archives: an archive is opened from storage an attacker may have written to. Any
//! archive not sealed under a key of the ring must be refused, and only authenticated
//! plaintext is ever released: whole chunks, in order. Archives sealed here open to exactly
//! their plaintext, and any changed or missing byte is detected.
//!
//! Input: the bytes are opened as an archive, and also sealed as plaintext (with an
//! algorithm and chunk size from the first two bytes), opened again, then tampered with.
//! Every archive is opened twice, pipelined and on one thread, and the two must agree.

use std::sync::OnceLock;

use tillit::backup::{
    self, Algorithm, BackupError, BackupKey, BackupKeyRing, KdfLimits, MIN_CHUNK_SIZE, OpenOptions,
    SealOptions,
};

use super::take_u64;

/// The raw key the corpus seeds were sealed with.
pub fn key() -> BackupKey {
    BackupKey::from_bytes("fuzz", &[7; 32]).expect("valid key")
}

/// The passphrase the corpus seeds of passphrase archives were sealed with.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// A ring with the raw key and a passphrase, whose KDF limits (256 KiB, 2 passes, 2 lanes)
/// keep a forged header from costing more than a millisecond.
pub fn ring() -> &'static BackupKeyRing {
    static RING: OnceLock<BackupKeyRing> = OnceLock::new();
    RING.get_or_init(|| {
        let mut ring = BackupKeyRing::with_limits(KdfLimits {
            max_m_cost_kib: 256,
            max_t_cost: 2,
            max_p_cost: 2,
        });
        ring.add_key(key()).expect("fresh ring");
        ring.add_passphrase("pass", PASSPHRASE).expect("fresh ring");
        ring
    })
}

/// Opens `archive` pipelined and on one thread; both must give the same outcome and release
/// the same plaintext.
fn open(archive: &[u8]) -> (Result<backup::StreamSummary, BackupError>, Vec<u8>) {
    let [(result, out), (single, single_out)] = [true, false].map(|pipelined| {
        let mut out = Vec::new();
        let result =
            backup::open_with_options(archive, &mut out, ring(), &OpenOptions { pipelined });
        (result, out)
    });
    assert_eq!(
        format!("{result:?}"),
        format!("{single:?}"),
        "pipelined and one-thread opening disagree"
    );
    assert!(
        out == single_out,
        "pipelined and one-thread opening released different bytes"
    );
    (result, out)
}

pub fn check(data: &[u8]) {
    // As an archive: refused unless authentic; on refusal only whole chunks were released.
    let header = backup::inspect(data);
    let (result, released) = open(data);
    match (&header, &result) {
        (Err(_), Ok(_)) => panic!("opened an archive whose header does not read"),
        (_, Ok(summary)) => {
            assert_eq!(summary.plaintext_bytes, released.len() as u64);
            assert!(summary.sealed_bytes <= data.len() as u64);
            assert!(summary.chunks >= 1);
        }
        (Ok(h), Err(err)) => {
            assert!(!err.to_string().is_empty());
            assert_eq!(
                released.len() % h.chunk_size as usize,
                0,
                "a partial chunk leaked"
            );
        }
        (Err(_), Err(_)) => assert!(released.is_empty()),
    }

    // As plaintext: seal, open, compare; then every kind of damage is detected.
    let (choice, rest) = take_u64(data, 2);
    let algorithm = if choice & 1 == 0 {
        Algorithm::Aes256Gcm
    } else {
        Algorithm::ChaCha20Poly1305
    };
    let chunk_size = MIN_CHUNK_SIZE + u32::try_from((choice >> 1) % 256).expect("small");
    let options = SealOptions {
        algorithm,
        chunk_size,
        ..SealOptions::default()
    };
    let mut archive = Vec::new();
    let sealed = backup::seal_with_options(rest, &mut archive, &key(), &options)
        .expect("sealing into memory works");
    assert_eq!(sealed.sealed_bytes, archive.len() as u64);
    let (opened, plain) = open(&archive);
    assert!(
        opened.is_ok(),
        "an archive sealed here does not open: {opened:?}"
    );
    assert_eq!(plain, rest, "the archive opened to other plaintext");

    let at = usize::try_from(take_u64(rest, 4).0).expect("fits") % archive.len();
    let mut flipped = archive.clone();
    flipped[at] ^= 1 << (at % 8);
    let mut truncated = archive.clone();
    truncated.truncate(at);
    for damaged in [flipped, truncated] {
        let (result, released) = open(&damaged);
        assert!(result.is_err(), "a damaged archive opened (byte {at})");
        assert!(
            rest.starts_with(&released),
            "released bytes that were not sealed"
        );
        assert_eq!(
            released.len() % chunk_size as usize,
            0,
            "a partial chunk leaked"
        );
    }
}
