//! Streaming seal and open over any reader and writer, in memory that does not grow with
//! the input.
//!
//! Both directions read the stream in batches of chunks (about 1 MiB), one batch ahead. The
//! read-ahead is how a chunk learns it is the last: a chunk followed by end of input is
//! sealed (and opened) with the final flag, so an archive cut at a chunk boundary fails
//! instead of looking complete. By default the AEAD work on a batch runs on a second thread
//! while the calling thread reads the next batch and writes the previous one (see
//! `pipeline.rs`); memory stays at three batches (two on one thread) whatever the input's size.

use std::io::{self, Read, Write};

use ring::aead::{Aad, LessSafeKey, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use super::error::BackupError;
use super::format::{
    Algorithm, BackupHeader, DEFAULT_CHUNK_SIZE, FORMAT_VERSION, NONCE_PREFIX_LEN, TAG_LEN,
    check_chunk_size, read_header,
};
use super::key::{BackupKey, BackupKeyRing};
use super::pipeline::{BatchReader, Sealer, pipeline};

/// How to seal: the AEAD and the plaintext chunk size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SealOptions {
    /// The AEAD for every chunk (default AES-256-GCM).
    pub algorithm: Algorithm,
    /// Plaintext bytes per chunk, between [`MIN_CHUNK_SIZE`] and [`MAX_CHUNK_SIZE`]
    /// (default 64 KiB).
    ///
    /// [`MIN_CHUNK_SIZE`]: super::MIN_CHUNK_SIZE
    /// [`MAX_CHUNK_SIZE`]: super::MAX_CHUNK_SIZE
    pub chunk_size: u32,
    /// Seal on a second thread while the calling thread reads the input and writes the
    /// archive (default `true`). Only inputs longer than one batch of chunks (about 1 MiB)
    /// start the thread; the reader and writer are used on the calling thread alone. The
    /// archive is the same either way; `false` keeps all work on the calling thread.
    pub pipelined: bool,
}

impl Default for SealOptions {
    fn default() -> Self {
        Self {
            algorithm: Algorithm::default(),
            chunk_size: DEFAULT_CHUNK_SIZE,
            pipelined: true,
        }
    }
}

/// How to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenOptions {
    /// Open on a second thread while the calling thread reads the archive and writes the
    /// plaintext (default `true`), as [`SealOptions::pipelined`] does for sealing. Either
    /// way only authenticated chunks are written, in order.
    pub pipelined: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self { pipelined: true }
    }
}

/// What a seal or an open did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamSummary {
    /// Plaintext bytes read (seal) or written (open).
    pub plaintext_bytes: u64,
    /// Archive bytes written (seal) or read (open), header included.
    pub sealed_bytes: u64,
    /// Number of chunks, the final one included (at least 1).
    pub chunks: u64,
    /// The header of the archive.
    pub header: BackupHeader,
}

/// Reads until `buf` is full or the input ends, retrying interrupted reads. Returns the
/// number of bytes read, which is less than `buf.len()` only at end of input.
pub(crate) fn read_full<R: Read + ?Sized>(
    reader: &mut R,
    buf: &mut [u8],
    operation: &'static str,
) -> Result<usize, BackupError> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(BackupError::Io {
                    operation,
                    source: e,
                });
            }
        }
    }
    Ok(filled)
}

fn aead_key(algorithm: Algorithm, bytes: &[u8]) -> LessSafeKey {
    // Both algorithms take 32-byte keys and every key here is 32 bytes by construction.
    LessSafeKey::new(
        UnboundKey::new(algorithm.ring_algorithm(), bytes)
            .expect("AES-256-GCM and ChaCha20-Poly1305 both take the 32-byte keys tillit holds"),
    )
}

/// Seals `reader` into `writer` with `key`, AES-256-GCM and 64 KiB chunks.
///
/// The writer receives the archive as it is produced; on error, what it received is not a
/// valid archive and must be discarded ([`seal_file`](super::seal_file) does that for you).
///
/// # Errors
///
/// [`BackupError::Io`] when reading or writing fails, [`BackupError::Random`] if the random
/// generator fails, [`BackupError::TooManyChunks`] for inputs beyond 2^32 chunks.
///
/// # Examples
///
/// ```
/// use tillit::backup::{self, BackupKey, BackupKeyRing};
///
/// let key = BackupKey::generate("offsite-2026")?;
/// let mut archive = Vec::new();
/// backup::seal(&b"customer list"[..], &mut archive, &key)?;
///
/// let mut ring = BackupKeyRing::new();
/// ring.add_key(key)?;
/// let mut plain = Vec::new();
/// backup::open(archive.as_slice(), &mut plain, &ring)?;
/// assert_eq!(plain, b"customer list");
/// # Ok::<(), tillit::backup::BackupError>(())
/// ```
pub fn seal<R: Read, W: Write>(
    reader: R,
    writer: W,
    key: &BackupKey,
) -> Result<StreamSummary, BackupError> {
    seal_with_options(reader, writer, key, &SealOptions::default())
}

/// Seals `reader` into `writer` with `key` and the given algorithm and chunk size.
///
/// # Errors
///
/// As [`seal`], and [`BackupError::ChunkSize`] for a chunk size outside the bounds.
pub fn seal_with_options<R: Read, W: Write>(
    mut reader: R,
    mut writer: W,
    key: &BackupKey,
    options: &SealOptions,
) -> Result<StreamSummary, BackupError> {
    let chunk_size = check_chunk_size(u64::from(options.chunk_size))?;
    let mut nonce_prefix = [0u8; NONCE_PREFIX_LEN];
    SystemRandom::new()
        .fill(&mut nonce_prefix)
        .map_err(|_| BackupError::Random)?;
    let header = BackupHeader {
        version: FORMAT_VERSION,
        algorithm: options.algorithm,
        key_id: key.id().to_owned(),
        chunk_size,
        nonce_prefix,
        kdf: key.kdf().cloned(),
    };
    let aad = header.encode();
    let aead = aead_key(options.algorithm, key.secret_bytes());

    let header_tag = aead
        .seal_in_place_separate_tag(header.header_nonce(), Aad::from(&aad), &mut [])
        .expect("ring seals any input up to 64 GiB and the header tag covers none");
    let mut head = Vec::with_capacity(aad.len() + TAG_LEN);
    head.extend_from_slice(&aad);
    head.extend_from_slice(header_tag.as_ref());
    writer
        .write_all(&head)
        .map_err(BackupError::io("writing the archive header"))?;
    let mut sealed_bytes = head.len() as u64;

    let mut input = BatchReader::plaintext(&mut reader, chunk_size);
    let sealer = Sealer {
        aead: &aead,
        header: &header,
        aad: &aad,
    };
    pipeline(
        options.pipelined,
        |spare| input.next_batch(spare),
        |batch| sealer.seal(batch),
        |batch| {
            let sealed = Sealer::sealed(batch);
            writer
                .write_all(sealed)
                .map_err(BackupError::io("writing the archive"))?;
            sealed_bytes += sealed.len() as u64;
            Ok(())
        },
    )?;
    writer
        .flush()
        .map_err(BackupError::io("flushing the archive"))?;

    Ok(StreamSummary {
        plaintext_bytes: input.bytes,
        sealed_bytes,
        chunks: input.chunks,
        header,
    })
}

/// Reads the header of an archive without any key: which key id, algorithm, chunk size and
/// (for passphrase archives) argon2id parameters it uses.
///
/// Nothing in the result is authenticated until the archive is opened.
///
/// # Errors
///
/// The header errors of [`open`]: [`BackupError::NotABackup`],
/// [`BackupError::UnsupportedVersion`], [`BackupError::TruncatedHeader`] and so on.
pub fn inspect<R: Read>(mut reader: R) -> Result<BackupHeader, BackupError> {
    read_header(&mut reader).map(|(header, _, _)| header)
}

/// Opens the archive in `reader` into `writer`, finding the key in `ring` by the key id in
/// the header.
///
/// Only authenticated plaintext is written, chunk by chunk. An archive that was altered,
/// reordered or cut short ends in an error; chunks before the damage were authentic and
/// have been written, so on error a caller must discard the output
/// ([`open_file`](super::open_file) does that for you).
///
/// # Errors
///
/// [`BackupError::UnknownKeyId`] and [`BackupError::KeyKindMismatch`] when the ring lacks
/// the key, [`BackupError::HeaderAuthentication`] for a wrong key or altered header,
/// [`BackupError::ChunkAuthentication`] and [`BackupError::Truncated`] for damaged
/// archives, the header errors of [`inspect`], and [`BackupError::Io`].
pub fn open<R: Read, W: Write>(
    reader: R,
    writer: W,
    ring: &BackupKeyRing,
) -> Result<StreamSummary, BackupError> {
    open_with_options(reader, writer, ring, &OpenOptions::default())
}

/// [`open`] with options: whether to open on a second thread.
///
/// # Errors
///
/// As [`open`].
pub fn open_with_options<R: Read, W: Write>(
    mut reader: R,
    mut writer: W,
    ring: &BackupKeyRing,
    options: &OpenOptions,
) -> Result<StreamSummary, BackupError> {
    let (header, aad, header_tag) = read_header(&mut reader)?;
    let key_bytes = ring.resolve(&header)?;
    let aead = aead_key(header.algorithm, key_bytes.as_ref());
    drop(key_bytes);

    let mut tag_only = header_tag;
    aead.open_in_place(header.header_nonce(), Aad::from(&aad), &mut tag_only)
        .map_err(|_| BackupError::HeaderAuthentication {
            key_id: header.key_id.clone(),
        })?;
    let sealed_bytes = (aad.len() + TAG_LEN) as u64;

    let mut input = BatchReader::records(&mut reader, header.chunk_size);
    let sealer = Sealer {
        aead: &aead,
        header: &header,
        aad: &aad,
    };
    let mut plaintext_bytes = 0_u64;
    pipeline(
        options.pipelined,
        |spare| input.next_batch(spare),
        |batch| sealer.open(batch),
        |batch| {
            sealer.opened(batch, |plain| {
                plaintext_bytes += plain.len() as u64;
                writer
                    .write_all(plain)
                    .map_err(BackupError::io("writing the opened backup"))
            })
        },
    )?;
    writer
        .flush()
        .map_err(BackupError::io("flushing the opened backup"))?;

    Ok(StreamSummary {
        plaintext_bytes,
        sealed_bytes: sealed_bytes + input.bytes,
        chunks: input.chunks,
        header,
    })
}

/// Opens one chunk in place; on failure, works out the most precise error.
pub(super) fn open_chunk<'b>(
    aead: &LessSafeKey,
    header: &BackupHeader,
    aad: &[u8],
    index: u32,
    last: bool,
    record: &'b mut [u8],
) -> Result<&'b [u8], BackupError> {
    // ring wipes the buffer when a tag fails, so a second reading needs a copy made before.
    // Only the last record of a stream gets one (once per archive, off the hot path): if it
    // is full-sized and fails as the final chunk but verifies as an ordinary one, the archive
    // was cut at a chunk boundary.
    // Limitation: a record that fails in the middle of a stream is reported as a chunk
    // authentication failure even when it is a whole chunk followed by appended data, since
    // telling the two apart would need a copy of every chunk.
    let full = record.len() == header.chunk_size as usize + TAG_LEN;
    let copy: Option<Zeroizing<Vec<u8>>> = (last && full).then(|| Zeroizing::new(record.to_vec()));

    if aead
        .open_in_place(header.chunk_nonce(index, last), Aad::from(aad), record)
        .is_ok()
    {
        let plain_len = record.len() - TAG_LEN;
        return Ok(&record[..plain_len]);
    }

    if let Some(mut copy) = copy {
        let not_final = header.chunk_nonce(index, false);
        if aead
            .open_in_place(not_final, Aad::from(aad), copy.as_mut_slice())
            .is_ok()
        {
            return Err(BackupError::Truncated {
                chunks: u64::from(index) + 1,
            });
        }
    }
    Err(BackupError::ChunkAuthentication {
        index: u64::from(index),
    })
}
