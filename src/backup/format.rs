//! The byte layout of a sealed backup: header encoding and parsing, and chunk nonces.
//!
//! The layout is described for people in `docs/backup-format.md`; this file is its one
//! implementation. Parsing checks every field against its documented range before anything
//! is allocated from it, because a header is attacker-controlled until its tag verifies.

use std::io::Read;

use super::error::BackupError;
use super::key::{KdfParams, validate_key_id};

/// The eight bytes every sealed backup starts with.
pub const MAGIC: [u8; 8] = *b"TILLITBK";

/// The format version this library writes and the only one it reads.
pub const FORMAT_VERSION: u8 = 1;

/// The default plaintext chunk size: 64 KiB.
pub const DEFAULT_CHUNK_SIZE: u32 = 64 * 1024;

/// The smallest allowed plaintext chunk size in bytes.
pub const MIN_CHUNK_SIZE: u32 = 64;

/// The largest allowed plaintext chunk size in bytes (16 MiB), which also caps the buffer a
/// hostile header can make `open` allocate.
pub const MAX_CHUNK_SIZE: u32 = 16 * 1024 * 1024;

/// Length of the AEAD tag after every chunk and after the header.
pub const TAG_LEN: usize = 16;

/// Length of the random per-archive nonce prefix.
pub const NONCE_PREFIX_LEN: usize = 7;

/// Shortest allowed argon2 salt in a header.
pub const MIN_SALT_LEN: usize = 16;

/// Longest allowed argon2 salt in a header.
pub const MAX_SALT_LEN: usize = 64;

/// Longest key id in bytes.
pub const MAX_KEY_ID_LEN: usize = 64;

/// Length of the fixed part of the header, before the key id.
const FIXED_LEN: usize = 23;

/// Nonce flag byte of a chunk that is not the last.
const FLAG_CHUNK: u8 = 0;
/// Nonce flag byte of the last chunk.
const FLAG_FINAL: u8 = 1;
/// Nonce flag byte of the header tag, which no chunk nonce can equal.
const FLAG_HEADER: u8 = 2;

/// The AEAD that seals every chunk of an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Algorithm {
    /// AES-256 in Galois/Counter Mode, fastest where the CPU has AES instructions.
    #[default]
    Aes256Gcm,
    /// ChaCha20-Poly1305, fast in software on CPUs without AES instructions.
    ChaCha20Poly1305,
}

impl Algorithm {
    /// The code of the algorithm in the header.
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Self::Aes256Gcm => 1,
            Self::ChaCha20Poly1305 => 2,
        }
    }

    /// The algorithm for a header code.
    ///
    /// # Errors
    ///
    /// [`BackupError::UnknownAlgorithm`] for any code other than 1 or 2.
    pub const fn from_code(code: u8) -> Result<Self, BackupError> {
        match code {
            1 => Ok(Self::Aes256Gcm),
            2 => Ok(Self::ChaCha20Poly1305),
            _ => Err(BackupError::UnknownAlgorithm { code }),
        }
    }

    /// The usual name of the algorithm ("AES-256-GCM" or "ChaCha20-Poly1305").
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Aes256Gcm => "AES-256-GCM",
            Self::ChaCha20Poly1305 => "ChaCha20-Poly1305",
        }
    }

    pub(crate) fn ring_algorithm(self) -> &'static ring::aead::Algorithm {
        match self {
            Self::Aes256Gcm => &ring::aead::AES_256_GCM,
            Self::ChaCha20Poly1305 => &ring::aead::CHACHA20_POLY1305,
        }
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The salt and argon2id parameters recorded in the header of a passphrase archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KdfRecord {
    /// The random salt used to derive the key.
    pub salt: Vec<u8>,
    /// The argon2id parameters used to derive the key.
    pub params: KdfParams,
}

/// The decoded header of a sealed backup, readable without any key with [`inspect`].
///
/// [`inspect`]: super::inspect
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupHeader {
    /// The format version (always [`FORMAT_VERSION`] for headers this library parsed).
    pub version: u8,
    /// The AEAD that seals the chunks.
    pub algorithm: Algorithm,
    /// The id of the key (or passphrase) the archive was sealed with.
    pub key_id: String,
    /// The plaintext size of every chunk but the last.
    pub chunk_size: u32,
    /// The random nonce prefix of this archive.
    pub nonce_prefix: [u8; NONCE_PREFIX_LEN],
    /// For passphrase archives, the salt and argon2id parameters; `None` for raw keys.
    pub kdf: Option<KdfRecord>,
}

impl BackupHeader {
    /// Encodes the header without its tag: these bytes are the associated data of the header
    /// tag and of every chunk.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FIXED_LEN + self.key_id.len() + 1 + MAX_SALT_LEN + 12);
        out.extend_from_slice(&MAGIC);
        out.push(self.version);
        out.push(self.algorithm.code());
        out.push(if self.kdf.is_some() {
            KEY_KIND_PASSPHRASE
        } else {
            KEY_KIND_RAW
        });
        // The key id length was validated (1..=64) when the key was made.
        out.push(u8::try_from(self.key_id.len()).expect("key ids are at most 64 bytes"));
        out.extend_from_slice(&self.chunk_size.to_be_bytes());
        out.extend_from_slice(&self.nonce_prefix);
        out.extend_from_slice(self.key_id.as_bytes());
        if let Some(kdf) = &self.kdf {
            // Salts are generated at 16 bytes and parsed at most 64.
            out.push(u8::try_from(kdf.salt.len()).expect("salts are at most 64 bytes"));
            out.extend_from_slice(&kdf.salt);
            out.extend_from_slice(&kdf.params.m_cost_kib.to_be_bytes());
            out.extend_from_slice(&kdf.params.t_cost.to_be_bytes());
            out.extend_from_slice(&kdf.params.p_cost.to_be_bytes());
        }
        out
    }

    /// The nonce of the header tag.
    pub(crate) fn header_nonce(&self) -> ring::aead::Nonce {
        nonce(&self.nonce_prefix, 0, FLAG_HEADER)
    }

    /// The nonce of chunk `index`, flagged as the last chunk or not.
    pub(crate) fn chunk_nonce(&self, index: u32, last: bool) -> ring::aead::Nonce {
        nonce(
            &self.nonce_prefix,
            index,
            if last { FLAG_FINAL } else { FLAG_CHUNK },
        )
    }
}

/// Key kind code of an archive sealed with a raw 256-bit key.
pub(crate) const KEY_KIND_RAW: u8 = 1;
/// Key kind code of an archive sealed with a key derived from a passphrase.
pub(crate) const KEY_KIND_PASSPHRASE: u8 = 2;

/// Builds a 96-bit nonce: prefix (7 bytes) || counter (4 bytes, big-endian) || flag (1 byte).
fn nonce(prefix: &[u8; NONCE_PREFIX_LEN], counter: u32, flag: u8) -> ring::aead::Nonce {
    let mut bytes = [0u8; ring::aead::NONCE_LEN];
    bytes[..NONCE_PREFIX_LEN].copy_from_slice(prefix);
    bytes[NONCE_PREFIX_LEN..NONCE_PREFIX_LEN + 4].copy_from_slice(&counter.to_be_bytes());
    bytes[NONCE_PREFIX_LEN + 4] = flag;
    // Unique per key: the prefix is random per archive and (counter, flag) is unique within it.
    ring::aead::Nonce::assume_unique_for_key(bytes)
}

/// Checks a chunk size against the documented bounds.
pub(crate) fn check_chunk_size(size: u64) -> Result<u32, BackupError> {
    match u32::try_from(size) {
        Ok(s) if (MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&s) => Ok(s),
        _ => Err(BackupError::ChunkSize {
            size,
            min: MIN_CHUNK_SIZE,
            max: MAX_CHUNK_SIZE,
        }),
    }
}

/// Reads exactly `buf.len()` bytes, or reports a truncated header after `consumed` earlier
/// bytes.
fn read_header_part<R: Read>(
    reader: &mut R,
    buf: &mut [u8],
    consumed: &mut usize,
) -> Result<(), BackupError> {
    let n = super::stream::read_full(reader, buf, "reading the archive header")?;
    *consumed += n;
    if n < buf.len() {
        return Err(BackupError::TruncatedHeader { read: *consumed });
    }
    Ok(())
}

/// Parses a header and its tag from the start of an archive, checking every field.
///
/// Returns the decoded header, its encoding (the associated data) and the header tag.
pub(crate) fn read_header<R: Read>(
    reader: &mut R,
) -> Result<(BackupHeader, Vec<u8>, [u8; TAG_LEN]), BackupError> {
    let mut consumed = 0usize;

    // Magic and version come first and are checked on their own, so that a file of another
    // kind or a newer format is named as such rather than as a damaged archive.
    let mut magic = [0u8; 8];
    let n = super::stream::read_full(reader, &mut magic, "reading the archive header")?;
    if n < magic.len() {
        return if magic[..n] == MAGIC[..n] {
            Err(BackupError::TruncatedHeader { read: n })
        } else {
            Err(BackupError::NotABackup)
        };
    }
    if magic != MAGIC {
        return Err(BackupError::NotABackup);
    }
    consumed += n;

    let mut fixed = [0u8; FIXED_LEN - 8];
    read_header_part(reader, &mut fixed[..1], &mut consumed)?;
    let version = fixed[0];
    if version != FORMAT_VERSION {
        return Err(BackupError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    read_header_part(reader, &mut fixed[1..], &mut consumed)?;

    let algorithm = Algorithm::from_code(fixed[1])?;
    let kind = fixed[2];
    if kind != KEY_KIND_RAW && kind != KEY_KIND_PASSPHRASE {
        return Err(BackupError::UnknownKeyKind { code: kind });
    }
    let key_id_len = usize::from(fixed[3]);
    if key_id_len == 0 || key_id_len > MAX_KEY_ID_LEN {
        return Err(BackupError::MalformedHeader {
            field: "key id length",
            reason: format!("{key_id_len} is outside 1 to {MAX_KEY_ID_LEN}"),
        });
    }
    let chunk_size = check_chunk_size(u64::from(u32::from_be_bytes([
        fixed[4], fixed[5], fixed[6], fixed[7],
    ])))?;
    let mut nonce_prefix = [0u8; NONCE_PREFIX_LEN];
    nonce_prefix.copy_from_slice(&fixed[8..8 + NONCE_PREFIX_LEN]);

    let mut key_id_bytes = vec![0u8; key_id_len];
    read_header_part(reader, &mut key_id_bytes, &mut consumed)?;
    let key_id = validate_key_id(&key_id_bytes)?;

    let kdf = if kind == KEY_KIND_PASSPHRASE {
        let mut salt_len = [0u8; 1];
        read_header_part(reader, &mut salt_len, &mut consumed)?;
        let salt_len = usize::from(salt_len[0]);
        if !(MIN_SALT_LEN..=MAX_SALT_LEN).contains(&salt_len) {
            return Err(BackupError::MalformedHeader {
                field: "salt length",
                reason: format!("{salt_len} is outside {MIN_SALT_LEN} to {MAX_SALT_LEN}"),
            });
        }
        let mut salt = vec![0u8; salt_len];
        read_header_part(reader, &mut salt, &mut consumed)?;
        let mut costs = [0u8; 12];
        read_header_part(reader, &mut costs, &mut consumed)?;
        let word =
            |i: usize| u32::from_be_bytes([costs[i], costs[i + 1], costs[i + 2], costs[i + 3]]);
        Some(KdfRecord {
            salt,
            params: KdfParams {
                m_cost_kib: word(0),
                t_cost: word(4),
                p_cost: word(8),
            },
        })
    } else {
        None
    };

    let mut tag = [0u8; TAG_LEN];
    read_header_part(reader, &mut tag, &mut consumed)?;

    let header = BackupHeader {
        version,
        algorithm,
        key_id,
        chunk_size,
        nonce_prefix,
        kdf,
    };
    let encoded = header.encode();
    Ok((header, encoded, tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(kdf: bool) -> BackupHeader {
        BackupHeader {
            version: FORMAT_VERSION,
            algorithm: Algorithm::ChaCha20Poly1305,
            key_id: "offsite-2026".to_owned(),
            chunk_size: 4096,
            nonce_prefix: [1, 2, 3, 4, 5, 6, 7],
            kdf: kdf.then(|| KdfRecord {
                salt: vec![9; 16],
                params: KdfParams {
                    m_cost_kib: 65536,
                    t_cost: 3,
                    p_cost: 4,
                },
            }),
        }
    }

    #[test]
    fn header_encoding_round_trips_with_and_without_kdf() {
        for kdf in [false, true] {
            let header = sample(kdf);
            let mut bytes = header.encode();
            bytes.extend_from_slice(&[0xAA; TAG_LEN]);
            let (parsed, encoded, tag) =
                read_header(&mut bytes.as_slice()).expect("a header we encoded parses");
            assert_eq!(parsed, header);
            assert_eq!(encoded, header.encode());
            assert_eq!(tag, [0xAA; TAG_LEN]);
        }
    }

    #[test]
    fn raw_key_header_has_the_documented_layout() {
        let bytes = sample(false).encode();
        assert_eq!(&bytes[..8], b"TILLITBK");
        assert_eq!(bytes[8], 1, "version");
        assert_eq!(bytes[9], 2, "algorithm ChaCha20-Poly1305");
        assert_eq!(bytes[10], 1, "raw key");
        assert_eq!(bytes[11], 12, "key id length");
        assert_eq!(&bytes[12..16], &4096u32.to_be_bytes());
        assert_eq!(&bytes[16..23], &[1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(&bytes[23..], b"offsite-2026");
    }

    #[test]
    fn nonces_are_prefix_counter_flag_and_distinct() {
        let header = sample(false);
        let n = |nonce: ring::aead::Nonce| *nonce.as_ref();
        let chunk = n(header.chunk_nonce(0x0102_0304, false));
        assert_eq!(chunk, [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 0]);
        let last = n(header.chunk_nonce(0x0102_0304, true));
        assert_eq!(last[11], 1);
        assert_eq!(n(header.header_nonce())[11], 2);
        assert_ne!(n(header.header_nonce()), n(header.chunk_nonce(0, false)));
        assert_ne!(n(header.header_nonce()), n(header.chunk_nonce(0, true)));
    }

    #[test]
    fn hostile_fields_are_refused_before_allocation() {
        let mut bytes = sample(true).encode();
        bytes.extend_from_slice(&[0; TAG_LEN]);

        let mut big_chunk = bytes.clone();
        big_chunk[12..16].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            read_header(&mut big_chunk.as_slice()),
            Err(BackupError::ChunkSize { size, .. }) if size == u64::from(u32::MAX)
        ));

        let mut long_id = bytes.clone();
        long_id[11] = 200;
        assert!(matches!(
            read_header(&mut long_id.as_slice()),
            Err(BackupError::MalformedHeader {
                field: "key id length",
                ..
            })
        ));

        let mut long_salt = bytes.clone();
        long_salt[23 + 12] = 255;
        assert!(matches!(
            read_header(&mut long_salt.as_slice()),
            Err(BackupError::MalformedHeader {
                field: "salt length",
                ..
            })
        ));

        let mut kind = bytes.clone();
        kind[10] = 9;
        assert!(matches!(
            read_header(&mut kind.as_slice()),
            Err(BackupError::UnknownKeyKind { code: 9 })
        ));

        let mut alg = bytes;
        alg[9] = 0;
        assert!(matches!(
            read_header(&mut alg.as_slice()),
            Err(BackupError::UnknownAlgorithm { code: 0 })
        ));
    }

    #[test]
    fn every_header_prefix_is_a_truncated_header_or_not_a_backup() {
        let mut bytes = sample(true).encode();
        bytes.extend_from_slice(&[0; TAG_LEN]);
        for len in 0..bytes.len() {
            match read_header(&mut &bytes[..len]) {
                Err(BackupError::TruncatedHeader { read }) => assert_eq!(read, len),
                other => panic!("prefix of {len} bytes gave {other:?}"),
            }
        }
    }

    #[test]
    fn other_files_and_future_versions_are_named() {
        assert!(matches!(
            read_header(&mut b"%PDF-1.7 and so on".as_slice()),
            Err(BackupError::NotABackup)
        ));
        let mut future = sample(false).encode();
        future[8] = 2;
        assert!(matches!(
            read_header(&mut future.as_slice()),
            Err(BackupError::UnsupportedVersion {
                found: 2,
                supported: 1
            })
        ));
    }
}
