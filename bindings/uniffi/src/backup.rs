//! The Kotlin surface of sealed backups: `BackupKey` and `BackupKeyRing` objects, and
//! sealing and opening over byte arrays, file paths, or streams.
//!
//! Streams cross the boundary as two small callback interfaces, `BackupSource` and
//! `BackupSink`, which Kotlin implements over an `InputStream` and an `OutputStream` in a few
//! lines; the core then pulls and pushes one chunk at a time, so memory stays flat whatever
//! the size of the backup.

use std::io::{self, Read, Write};
use std::sync::{Arc, PoisonError, RwLock};

use tillit::backup as core;

use crate::TillitError;

/// The AEAD that seals every chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum BackupAlgorithm {
    /// AES-256-GCM, the default: fastest where the CPU has AES instructions.
    Aes256Gcm,
    /// ChaCha20-Poly1305: fast in software on CPUs without AES instructions.
    Chacha20Poly1305,
}

impl From<BackupAlgorithm> for core::Algorithm {
    fn from(a: BackupAlgorithm) -> Self {
        match a {
            BackupAlgorithm::Aes256Gcm => Self::Aes256Gcm,
            BackupAlgorithm::Chacha20Poly1305 => Self::ChaCha20Poly1305,
        }
    }
}

impl From<core::Algorithm> for BackupAlgorithm {
    fn from(a: core::Algorithm) -> Self {
        match a {
            core::Algorithm::ChaCha20Poly1305 => Self::Chacha20Poly1305,
            _ => Self::Aes256Gcm,
        }
    }
}

/// What a seal or an open did.
#[derive(Debug, Clone, uniffi::Record)]
pub struct BackupSummary {
    /// Plaintext bytes read (seal) or written (open).
    pub plaintext_bytes: u64,
    /// Archive bytes written (seal) or read (open).
    pub sealed_bytes: u64,
    /// Number of chunks, the final one included.
    pub chunks: u64,
    /// The key id in the header.
    pub key_id: String,
    /// The AEAD of the archive.
    pub algorithm: BackupAlgorithm,
    /// The plaintext chunk size.
    pub chunk_size: u32,
}

impl From<core::StreamSummary> for BackupSummary {
    fn from(s: core::StreamSummary) -> Self {
        Self {
            plaintext_bytes: s.plaintext_bytes,
            sealed_bytes: s.sealed_bytes,
            chunks: s.chunks,
            key_id: s.header.key_id,
            algorithm: s.header.algorithm.into(),
            chunk_size: s.header.chunk_size,
        }
    }
}

/// A 256-bit backup key with its id; the key bytes are wiped when the object is destroyed.
#[derive(Debug, uniffi::Object)]
pub struct BackupKey {
    inner: core::BackupKey,
}

#[uniffi::export]
impl BackupKey {
    /// A new random key from the operating system's generator.
    #[uniffi::constructor]
    pub fn generate(key_id: String) -> Result<Arc<Self>, TillitError> {
        Ok(Arc::new(Self {
            inner: core::BackupKey::generate(&key_id)?,
        }))
    }

    /// Wraps 32 bytes of existing key material.
    #[uniffi::constructor]
    pub fn from_bytes(key_id: String, material: Vec<u8>) -> Result<Arc<Self>, TillitError> {
        let material = zeroize::Zeroizing::new(material);
        Ok(Arc::new(Self {
            inner: core::BackupKey::from_bytes(&key_id, &material)?,
        }))
    }

    /// Derives a key from a passphrase with argon2id (RFC 9106 recommends 65536 KiB, 3
    /// passes, 4 lanes) and a fresh random salt.
    #[uniffi::constructor]
    pub fn derive_from_passphrase(
        key_id: String,
        passphrase: String,
        m_cost_kib: u32,
        t_cost: u32,
        p_cost: u32,
    ) -> Result<Arc<Self>, TillitError> {
        let passphrase = zeroize::Zeroizing::new(passphrase);
        let params = core::KdfParams {
            m_cost_kib,
            t_cost,
            p_cost,
        };
        Ok(Arc::new(Self {
            inner: core::BackupKey::derive_from_passphrase(&key_id, &passphrase, &params)?,
        }))
    }

    /// The key id written into every archive sealed with this key.
    pub fn key_id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// True for keys derived from a passphrase.
    pub fn is_from_passphrase(&self) -> bool {
        self.inner.is_from_passphrase()
    }

    /// The 32 key bytes, for storing a generated key in a secrets manager.
    pub fn secret_bytes(&self) -> Vec<u8> {
        self.inner.secret_bytes().to_vec()
    }
}

/// The keys and passphrases that may open archives, found by the key id in each header.
#[derive(Debug, uniffi::Object)]
pub struct BackupKeyRing {
    inner: RwLock<core::BackupKeyRing>,
}

impl BackupKeyRing {
    fn with_ring<T>(&self, f: impl FnOnce(&core::BackupKeyRing) -> T) -> T {
        // Every update is a single push, so a lock poisoned by a panic elsewhere still holds
        // a consistent ring.
        f(&self.inner.read().unwrap_or_else(PoisonError::into_inner))
    }
}

#[uniffi::export]
impl BackupKeyRing {
    /// An empty key ring with the default argon2id ceilings (1 GiB, 10 passes, 16 lanes).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            inner: RwLock::new(core::BackupKeyRing::new()),
        })
    }

    /// Adds a copy of `key` under its id.
    pub fn add_key(&self, key: Arc<BackupKey>) -> Result<(), TillitError> {
        let mut ring = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        Ok(ring.add_key(key.inner.clone())?)
    }

    /// Adds a passphrase under an id.
    pub fn add_passphrase(&self, key_id: String, passphrase: String) -> Result<(), TillitError> {
        let passphrase = zeroize::Zeroizing::new(passphrase);
        let mut ring = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        Ok(ring.add_passphrase(&key_id, &passphrase)?)
    }

    /// The ids in the ring, in the order they were added.
    pub fn key_ids(&self) -> Vec<String> {
        self.with_ring(|r| r.key_ids().into_iter().map(str::to_owned).collect())
    }
}

/// Seals `data` into an archive held in memory.
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `false` keeps all of it on the calling thread.
#[uniffi::export(default(pipelined = true))]
pub fn seal_backup_bytes(
    data: Vec<u8>,
    key: Arc<BackupKey>,
    algorithm: BackupAlgorithm,
    chunk_size: u32,
    pipelined: bool,
) -> Result<Vec<u8>, TillitError> {
    let data = zeroize::Zeroizing::new(data);
    let options = core::SealOptions {
        algorithm: algorithm.into(),
        chunk_size,
        pipelined,
    };
    let mut out = Vec::new();
    core::seal_with_options(data.as_slice(), &mut out, &key.inner, &options)?;
    Ok(out)
}

/// Opens an archive held in memory.
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `false` keeps all of it on the calling thread.
#[uniffi::export(default(pipelined = true))]
pub fn open_backup_bytes(
    archive: Vec<u8>,
    ring: Arc<BackupKeyRing>,
    pipelined: bool,
) -> Result<Vec<u8>, TillitError> {
    let mut out = Vec::new();
    let options = core::OpenOptions { pipelined };
    ring.with_ring(|r| core::open_with_options(archive.as_slice(), &mut out, r, &options))?;
    Ok(out)
}

/// Seals the file at `input` into `output`, which is replaced only if sealing succeeds.
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `false` keeps all of it on the calling thread.
#[uniffi::export(default(pipelined = true))]
pub fn seal_backup_file(
    input: String,
    output: String,
    key: Arc<BackupKey>,
    algorithm: BackupAlgorithm,
    chunk_size: u32,
    pipelined: bool,
) -> Result<BackupSummary, TillitError> {
    let options = core::SealOptions {
        algorithm: algorithm.into(),
        chunk_size,
        pipelined,
    };
    Ok(core::seal_file_with_options(input.as_ref(), output.as_ref(), &key.inner, &options)?.into())
}

/// Opens the archive at `input` into `output`, which is replaced only if the whole archive
/// verified.
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `false` keeps all of it on the calling thread.
#[uniffi::export(default(pipelined = true))]
pub fn open_backup_file(
    input: String,
    output: String,
    ring: Arc<BackupKeyRing>,
    pipelined: bool,
) -> Result<BackupSummary, TillitError> {
    let options = core::OpenOptions { pipelined };
    Ok(ring
        .with_ring(|r| core::open_file_with_options(input.as_ref(), output.as_ref(), r, &options))?
        .into())
}

/// The failure a `BackupSource` or `BackupSink` reports.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum BackupStreamError {
    /// Reading or writing failed; `reason` says why.
    #[error("{reason}")]
    Failed {
        /// What went wrong, in the host's words.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for BackupStreamError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed { reason: e.reason }
    }
}

/// Where `seal_backup` and `open_backup` read from; implement it over an `InputStream`.
#[uniffi::export(with_foreign)]
pub trait BackupSource: Send + Sync {
    /// Returns up to `max_len` bytes; an empty array means the end of the input.
    fn read(&self, max_len: u32) -> Result<Vec<u8>, BackupStreamError>;
}

/// Where `seal_backup` and `open_backup` write to; implement it over an `OutputStream`.
#[uniffi::export(with_foreign)]
pub trait BackupSink: Send + Sync {
    /// Writes all of `data`.
    fn write(&self, data: Vec<u8>) -> Result<(), BackupStreamError>;
}

struct SourceReader(Arc<dyn BackupSource>);

impl Read for SourceReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let max = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let data = self.0.read(max).map_err(io::Error::other)?;
        if data.len() > buf.len() {
            return Err(io::Error::other(format!(
                "BackupSource.read({max}) returned {} bytes, more than asked for",
                data.len()
            )));
        }
        buf[..data.len()].copy_from_slice(&data);
        Ok(data.len())
    }
}

struct SinkWriter(Arc<dyn BackupSink>);

impl Write for SinkWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf.to_vec()).map_err(io::Error::other)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Seals everything `source` yields into an archive written to `sink`. On error, what `sink`
/// received is not a valid archive and must be discarded.
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `false` keeps all of it on the calling thread.
#[uniffi::export(default(pipelined = true))]
pub fn seal_backup(
    source: Arc<dyn BackupSource>,
    sink: Arc<dyn BackupSink>,
    key: Arc<BackupKey>,
    algorithm: BackupAlgorithm,
    chunk_size: u32,
    pipelined: bool,
) -> Result<BackupSummary, TillitError> {
    let options = core::SealOptions {
        algorithm: algorithm.into(),
        chunk_size,
        pipelined,
    };
    Ok(
        core::seal_with_options(SourceReader(source), SinkWriter(sink), &key.inner, &options)?
            .into(),
    )
}

/// Opens the archive `source` yields, writing only authenticated plaintext to `sink`. On
/// error, what `sink` received so far must be discarded.
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `false` keeps all of it on the calling thread.
#[uniffi::export(default(pipelined = true))]
pub fn open_backup(
    source: Arc<dyn BackupSource>,
    sink: Arc<dyn BackupSink>,
    ring: Arc<BackupKeyRing>,
    pipelined: bool,
) -> Result<BackupSummary, TillitError> {
    let options = core::OpenOptions { pipelined };
    Ok(ring
        .with_ring(|r| {
            core::open_with_options(SourceReader(source), SinkWriter(sink), r, &options)
        })?
        .into())
}
