//! The one error type of the sealed-backup module.
//!
//! Every way a seal or an open can fail has its own variant with the data a caller needs to
//! act on it, so that a truncated archive, a wrong key and a tampered chunk can be told apart
//! in code as well as in the message.

use std::io;

/// Everything that can go wrong while sealing or opening a backup, or while managing its keys.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The input does not start with the backup magic bytes.
    #[error("input is not a tillit backup: it does not start with the magic bytes \"TILLITBK\"")]
    NotABackup,

    /// The header names a format version this library cannot read.
    #[error(
        "backup format version {found} is not supported: this version of tillit reads format \
         version {supported}"
    )]
    UnsupportedVersion {
        /// The version found in the header.
        found: u8,
        /// The version this library reads and writes.
        supported: u8,
    },

    /// The header names an AEAD algorithm this library does not know.
    #[error(
        "algorithm code {code} in the header is unknown: expected 1 (AES-256-GCM) or 2 \
         (ChaCha20-Poly1305)"
    )]
    UnknownAlgorithm {
        /// The algorithm code found in the header.
        code: u8,
    },

    /// The header names a kind of key this library does not know.
    #[error(
        "key kind code {code} in the header is unknown: expected 1 (raw key) or 2 (argon2id \
         passphrase)"
    )]
    UnknownKeyKind {
        /// The key kind code found in the header.
        code: u8,
    },

    /// The input ended before the header was complete.
    #[error(
        "archive ends after {read} bytes, inside its header: it was truncated or is not a backup"
    )]
    TruncatedHeader {
        /// How many bytes could be read.
        read: usize,
    },

    /// A header field has a value outside its documented range.
    #[error("header field {field} is invalid: {reason}")]
    MalformedHeader {
        /// The name of the field, as in the format description.
        field: &'static str,
        /// What was wrong and what would be right.
        reason: String,
    },

    /// The chunk size asked for (or found in a header) is outside the allowed range.
    #[error("chunk size {size} bytes is outside the allowed range of {min} to {max} bytes")]
    ChunkSize {
        /// The chunk size asked for or found.
        size: u64,
        /// The smallest allowed chunk size.
        min: u32,
        /// The largest allowed chunk size.
        max: u32,
    },

    /// A key id is empty, too long or has characters outside printable ASCII.
    #[error("key id {key_id:?} is invalid: {reason}")]
    InvalidKeyId {
        /// The refused key id (lossily decoded when it was not text).
        key_id: String,
        /// What was wrong and what would be right.
        reason: &'static str,
    },

    /// Raw key material of the wrong length.
    #[error("key material of {len} bytes is refused: a backup key is exactly 32 bytes (256 bits)")]
    InvalidKeyLength {
        /// The length of the refused key material in bytes.
        len: usize,
    },

    /// A key ring already holds a key with this id.
    #[error("key id {key_id:?} is already in the key ring: each key id must be unique")]
    DuplicateKeyId {
        /// The id that was added twice.
        key_id: String,
    },

    /// The archive was sealed with a key id the key ring does not hold.
    #[error("no key with id {key_id:?} in the key ring: add the key this archive was sealed with")]
    UnknownKeyId {
        /// The key id named in the archive header.
        key_id: String,
    },

    /// The key ring holds the id, but as the other kind of key.
    #[error(
        "key {key_id:?} in the key ring is a {found} but the archive was sealed with a {expected}"
    )]
    KeyKindMismatch {
        /// The key id named in the archive header.
        key_id: String,
        /// The kind of key the header asks for.
        expected: &'static str,
        /// The kind of key the ring holds under that id.
        found: &'static str,
    },

    /// A passphrase is empty or longer than the cap.
    #[error("passphrase of {len} bytes is refused: it must be 1 to {max} bytes of UTF-8")]
    PassphraseLength {
        /// The length of the refused passphrase in bytes, after normalisation.
        len: usize,
        /// The largest accepted length in bytes.
        max: usize,
    },

    /// An argon2 parameter is above the ceiling that keeps hostile headers from exhausting
    /// memory or time.
    #[error("argon2 {parameter} {value} exceeds the ceiling of {ceiling}")]
    KdfParameterTooHigh {
        /// Which parameter: "memory cost (KiB)", "time cost" or "parallelism".
        parameter: &'static str,
        /// The value asked for or found in the header.
        value: u32,
        /// The configured ceiling.
        ceiling: u32,
    },

    /// argon2 parameters that argon2 itself refuses (too little memory, no passes, ...).
    #[error("argon2 parameters m={m_cost} KiB, t={t_cost}, p={p_cost} are invalid: {reason}")]
    InvalidKdfParams {
        /// Memory cost in KiB.
        m_cost: u32,
        /// Number of passes.
        t_cost: u32,
        /// Degree of parallelism.
        p_cost: u32,
        /// What argon2 refused, and what would be right.
        reason: String,
    },

    /// The header tag did not verify: wrong key or passphrase, or an altered header.
    #[error(
        "header failed authentication under key {key_id:?}: the key or passphrase is wrong, or \
         the header was altered"
    )]
    HeaderAuthentication {
        /// The key id named in the header.
        key_id: String,
    },

    /// A chunk did not verify: it was altered, moved, or cut.
    #[error(
        "chunk {index} failed authentication: the archive was altered, its chunks reordered, or \
         it was truncated inside a chunk"
    )]
    ChunkAuthentication {
        /// The zero-based position of the chunk in the archive.
        index: u64,
    },

    /// The archive ends on a chunk boundary without its final chunk.
    #[error(
        "archive ends after {chunks} chunks without its final chunk: it was truncated, and the \
         output written so far must be discarded"
    )]
    Truncated {
        /// How many complete, authentic chunks were read before the input ended.
        chunks: u64,
    },

    /// The input needs more chunks than the 32-bit chunk counter can number.
    #[error(
        "input needs more than {max_chunks} chunks of {chunk_size} bytes: seal it with a larger \
         chunk size"
    )]
    TooManyChunks {
        /// The largest number of chunks in one archive.
        max_chunks: u64,
        /// The chunk size in use.
        chunk_size: u32,
    },

    /// The operating system's random generator failed.
    #[error("the operating system's random number generator failed: no backup can be sealed")]
    Random,

    /// Reading, writing, or renaming failed.
    #[error("{operation} failed: {source}")]
    Io {
        /// What was being done, for example "reading the archive".
        operation: &'static str,
        /// The operating system's error.
        source: io::Error,
    },
}

impl BackupError {
    /// Wraps an I/O error with a short description of what was being done.
    pub(crate) fn io(operation: &'static str) -> impl FnOnce(io::Error) -> Self {
        move |source| Self::Io { operation, source }
    }

    /// True when the error means the archive is damaged, altered or incomplete (as opposed
    /// to a missing key, a bad argument or an I/O failure).
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::backup::BackupError;
    ///
    /// assert!(BackupError::Truncated { chunks: 3 }.is_integrity_failure());
    /// assert!(!BackupError::UnknownKeyId { key_id: "k1".into() }.is_integrity_failure());
    /// ```
    #[must_use]
    pub fn is_integrity_failure(&self) -> bool {
        matches!(
            self,
            Self::NotABackup
                | Self::TruncatedHeader { .. }
                | Self::MalformedHeader { .. }
                | Self::HeaderAuthentication { .. }
                | Self::ChunkAuthentication { .. }
                | Self::Truncated { .. }
        )
    }
}
