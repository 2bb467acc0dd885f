//! Sealed backups: encrypted, authenticated archives that stream in constant memory.
//!
//! The service promises that its backups are encrypted so that no one else can read them.
//! This module keeps that promise for any byte stream: [`seal`] turns a reader into an
//! archive and [`open`] turns an archive back into plaintext, releasing only chunks whose
//! authentication tag verified. The layout follows the STREAM construction: a header (magic,
//! format version, algorithm, key id, random nonce prefix, chunk size, and for passphrase
//! keys the argon2id salt and parameters) authenticated by its own tag and as associated
//! data of every chunk; fixed-size chunks sealed with AES-256-GCM or ChaCha20-Poly1305 from
//! `ring`, each with a nonce made of the prefix, the chunk counter and a final-chunk flag.
//! Truncation, reordering, duplication, splicing between archives and any changed byte are
//! therefore detected. The byte layout is documented in `docs/backup-format.md`.
//!
//! Keys are 256-bit [`BackupKey`]s with ids, wiped on drop, gathered in a [`BackupKeyRing`]
//! so archives sealed under older keys keep opening. A key can also come from a passphrase
//! through argon2id; its salt and parameters travel in the header and are bounded by the
//! ring's [`KdfLimits`] before any memory is allocated.
//!
//! # Examples
//!
//! ```
//! use tillit::backup::{self, BackupKey, BackupKeyRing, BackupError};
//!
//! let key = BackupKey::generate("offsite-2026")?;
//! let mut archive = Vec::new();
//! backup::seal(&b"invoices 2024"[..], &mut archive, &key)?;
//!
//! let mut ring = BackupKeyRing::new();
//! ring.add_key(key)?;
//!
//! // Any change to the archive is detected.
//! let mut tampered = archive.clone();
//! let last = tampered.len() - 1;
//! tampered[last] ^= 1;
//! let err = backup::open(tampered.as_slice(), &mut Vec::new(), &ring).unwrap_err();
//! assert!(matches!(err, BackupError::ChunkAuthentication { index: 0 }));
//!
//! let mut plain = Vec::new();
//! backup::open(archive.as_slice(), &mut plain, &ring)?;
//! assert_eq!(plain, b"invoices 2024");
//! # Ok::<(), BackupError>(())
//! ```

mod error;
mod file;
mod format;
mod key;
mod pipeline;
mod stream;

pub use error::BackupError;
pub use file::{open_file, open_file_with_options, seal_file, seal_file_with_options};
pub use format::{
    Algorithm, BackupHeader, DEFAULT_CHUNK_SIZE, FORMAT_VERSION, KdfRecord, MAGIC, MAX_CHUNK_SIZE,
    MIN_CHUNK_SIZE, TAG_LEN,
};
pub use key::{BackupKey, BackupKeyRing, KEY_LEN, KdfLimits, KdfParams, MAX_PASSPHRASE_LEN};
pub use stream::{
    OpenOptions, SealOptions, StreamSummary, inspect, open, open_with_options, seal,
    seal_with_options,
};
