//! Python surface of sealed backups: `BackupKey`, `BackupKeyRing`, and sealing and opening
//! over binary file-like objects, paths and bytes.
//!
//! File-like objects are driven through their `read(n)` and `write(b)` methods while the
//! thread holds the interpreter; an exception raised by one of them is re-raised unchanged
//! so callers see their own error. Paths and bytes run with the interpreter released.

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::RwLock;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes};
use tillit::backup as core;

use crate::errors::backup_error;

/// Parses an algorithm name as Python callers write it.
fn parse_algorithm(name: &str) -> PyResult<core::Algorithm> {
    match name.to_ascii_lowercase().as_str() {
        "aes-256-gcm" | "aes256gcm" => Ok(core::Algorithm::Aes256Gcm),
        "chacha20-poly1305" | "chacha20poly1305" => Ok(core::Algorithm::ChaCha20Poly1305),
        _ => Err(PyValueError::new_err(format!(
            "algorithm {name:?} is unknown: use \"aes-256-gcm\" or \"chacha20-poly1305\""
        ))),
    }
}

fn algorithm_name(algorithm: core::Algorithm) -> &'static str {
    match algorithm {
        core::Algorithm::ChaCha20Poly1305 => "chacha20-poly1305",
        _ => "aes-256-gcm",
    }
}

/// A 256-bit backup key with its id; the key bytes are wiped when the object is freed.
#[pyclass(name = "BackupKey", module = "tillit", frozen)]
pub struct PyBackupKey {
    inner: core::BackupKey,
}

#[pymethods]
impl PyBackupKey {
    /// A new random key from the operating system's generator.
    #[staticmethod]
    fn generate(key_id: &str) -> PyResult<Self> {
        Ok(Self {
            inner: core::BackupKey::generate(key_id).map_err(backup_error)?,
        })
    }

    /// Wraps 32 bytes of existing key material.
    #[staticmethod]
    fn from_bytes(key_id: &str, material: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: core::BackupKey::from_bytes(key_id, material).map_err(backup_error)?,
        })
    }

    /// Derives a key from a passphrase with argon2id and a fresh random salt.
    #[staticmethod]
    #[pyo3(signature = (key_id, passphrase, *, m_cost_kib = 65536, t_cost = 3, p_cost = 4))]
    fn derive_from_passphrase(
        py: Python<'_>,
        key_id: &str,
        passphrase: &str,
        m_cost_kib: u32,
        t_cost: u32,
        p_cost: u32,
    ) -> PyResult<Self> {
        let params = core::KdfParams {
            m_cost_kib,
            t_cost,
            p_cost,
        };
        let inner = py
            .detach(|| core::BackupKey::derive_from_passphrase(key_id, passphrase, &params))
            .map_err(backup_error)?;
        Ok(Self { inner })
    }

    /// The key id written into every archive sealed with this key.
    #[getter]
    fn key_id(&self) -> &str {
        self.inner.id()
    }

    /// True for keys derived from a passphrase.
    #[getter]
    fn is_from_passphrase(&self) -> bool {
        self.inner.is_from_passphrase()
    }

    /// The 32 key bytes, for storing a generated key in a secrets manager.
    fn secret_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.secret_bytes())
    }

    fn __repr__(&self) -> String {
        format!("BackupKey(key_id={:?})", self.inner.id())
    }
}

/// The keys and passphrases that may open archives, found by the key id in each header.
#[pyclass(name = "BackupKeyRing", module = "tillit", frozen)]
pub struct PyBackupKeyRing {
    inner: RwLock<core::BackupKeyRing>,
}

impl PyBackupKeyRing {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, core::BackupKeyRing> {
        // A panic while the lock was held cannot leave the ring half-updated (every update is
        // a single push), so a poisoned lock is still safe to read.
        self.inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl PyBackupKeyRing {
    /// An empty key ring; the keyword arguments lower or raise the argon2id ceilings that
    /// passphrase archives must respect.
    #[new]
    #[pyo3(signature = (*, max_m_cost_kib = 1_048_576, max_t_cost = 10, max_p_cost = 16))]
    fn new(max_m_cost_kib: u32, max_t_cost: u32, max_p_cost: u32) -> Self {
        let limits = core::KdfLimits {
            max_m_cost_kib,
            max_t_cost,
            max_p_cost,
        };
        Self {
            inner: RwLock::new(core::BackupKeyRing::with_limits(limits)),
        }
    }

    /// Adds a copy of `key` under its id.
    fn add_key(&self, key: &PyBackupKey) -> PyResult<()> {
        let mut ring = self
            .inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        ring.add_key(key.inner.clone()).map_err(backup_error)
    }

    /// Adds a passphrase under an id.
    fn add_passphrase(&self, key_id: &str, passphrase: &str) -> PyResult<()> {
        let mut ring = self
            .inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        ring.add_passphrase(key_id, passphrase)
            .map_err(backup_error)
    }

    /// The ids in the ring, in the order they were added.
    fn key_ids(&self) -> Vec<String> {
        self.read()
            .key_ids()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    fn __len__(&self) -> usize {
        self.read().len()
    }

    fn __contains__(&self, key_id: &str) -> bool {
        self.read().contains(key_id)
    }

    fn __repr__(&self) -> String {
        format!("BackupKeyRing(key_ids={:?})", self.read().key_ids())
    }
}

/// What a seal or an open did.
#[pyclass(name = "BackupSummary", module = "tillit", frozen, get_all)]
pub struct PyBackupSummary {
    /// Plaintext bytes read (seal) or written (open).
    plaintext_bytes: u64,
    /// Archive bytes written (seal) or read (open).
    sealed_bytes: u64,
    /// Number of chunks, the final one included.
    chunks: u64,
    /// The key id in the header.
    key_id: String,
    /// "aes-256-gcm" or "chacha20-poly1305".
    algorithm: &'static str,
    /// The plaintext chunk size.
    chunk_size: u32,
}

#[pymethods]
impl PyBackupSummary {
    fn __repr__(&self) -> String {
        format!(
            "BackupSummary(plaintext_bytes={}, sealed_bytes={}, chunks={}, key_id={:?}, \
             algorithm={:?}, chunk_size={})",
            self.plaintext_bytes,
            self.sealed_bytes,
            self.chunks,
            self.key_id,
            self.algorithm,
            self.chunk_size
        )
    }
}

impl From<core::StreamSummary> for PyBackupSummary {
    fn from(s: core::StreamSummary) -> Self {
        Self {
            plaintext_bytes: s.plaintext_bytes,
            sealed_bytes: s.sealed_bytes,
            chunks: s.chunks,
            key_id: s.header.key_id,
            algorithm: algorithm_name(s.header.algorithm),
            chunk_size: s.header.chunk_size,
        }
    }
}

/// Keeps the first Python exception raised by a file-like object, to re-raise it as is.
#[derive(Default)]
struct Stash(RefCell<Option<PyErr>>);

impl Stash {
    fn keep(&self, err: PyErr) -> io::Error {
        let message = err.to_string();
        self.0.borrow_mut().get_or_insert(err);
        io::Error::other(message)
    }

    /// The Python exception from a file-like object if there was one, else the core error.
    fn into_py_err(self, err: core::BackupError) -> PyErr {
        self.0.into_inner().unwrap_or_else(|| backup_error(err))
    }
}

/// A binary file-like object read through its `read(n)` method.
struct PyReader<'a, 'py> {
    file: &'a Bound<'py, PyAny>,
    stash: &'a Stash,
}

impl Read for PyReader<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let data = self
            .file
            .call_method1("read", (buf.len(),))
            .map_err(|e| self.stash.keep(e))?;
        let bytes: Vec<u8>;
        let slice: &[u8] = if let Ok(b) = data.cast::<PyBytes>() {
            b.as_bytes()
        } else if let Ok(b) = data.cast::<PyByteArray>() {
            bytes = b.to_vec();
            &bytes
        } else {
            return Err(self.stash.keep(PyTypeError::new_err(format!(
                "read() returned {}, not bytes: open the file in binary mode ('rb')",
                data.get_type()
                    .name()
                    .map_or_else(|_| "?".to_owned(), |n| n.to_string())
            ))));
        };
        if slice.len() > buf.len() {
            return Err(self.stash.keep(PyValueError::new_err(format!(
                "read({}) returned {} bytes, more than asked for",
                buf.len(),
                slice.len()
            ))));
        }
        buf[..slice.len()].copy_from_slice(slice);
        Ok(slice.len())
    }
}

/// A binary file-like object written through its `write(b)` method.
struct PyWriter<'a, 'py> {
    file: &'a Bound<'py, PyAny>,
    stash: &'a Stash,
}

impl Write for PyWriter<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let py = self.file.py();
        let written = self
            .file
            .call_method1("write", (PyBytes::new(py, buf),))
            .map_err(|e| self.stash.keep(e))?;
        // Raw streams may write less and say so; buffered ones write all and may return None.
        match written.extract::<usize>() {
            Ok(n) if n <= buf.len() => Ok(n),
            _ => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        // Flushing is the caller's business: a file-like object may not have flush(), and
        // the caller decides when its own file is complete.
        Ok(())
    }
}

/// Seals the binary file-like `reader` into the binary file-like `writer`.
///
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `pipelined=False` keeps all of it on the calling thread.
#[pyfunction]
#[pyo3(signature = (reader, writer, key, *, algorithm = "aes-256-gcm", chunk_size = 65536, pipelined = true))]
fn seal_backup(
    reader: &Bound<'_, PyAny>,
    writer: &Bound<'_, PyAny>,
    key: &PyBackupKey,
    algorithm: &str,
    chunk_size: u32,
    pipelined: bool,
) -> PyResult<PyBackupSummary> {
    let options = core::SealOptions {
        algorithm: parse_algorithm(algorithm)?,
        chunk_size,
        pipelined,
    };
    let stash = Stash::default();
    let result = core::seal_with_options(
        PyReader {
            file: reader,
            stash: &stash,
        },
        PyWriter {
            file: writer,
            stash: &stash,
        },
        &key.inner,
        &options,
    );
    match result {
        Ok(summary) => Ok(summary.into()),
        Err(e) => Err(stash.into_py_err(e)),
    }
}

/// Opens the archive in the binary file-like `reader` into the binary file-like `writer`.
///
/// On error, what was written so far must be discarded.
///
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `pipelined=False` keeps all of it on the calling thread.
#[pyfunction]
#[pyo3(signature = (reader, writer, ring, *, pipelined = true))]
fn open_backup(
    reader: &Bound<'_, PyAny>,
    writer: &Bound<'_, PyAny>,
    ring: &PyBackupKeyRing,
    pipelined: bool,
) -> PyResult<PyBackupSummary> {
    let stash = Stash::default();
    let result = core::open_with_options(
        PyReader {
            file: reader,
            stash: &stash,
        },
        PyWriter {
            file: writer,
            stash: &stash,
        },
        &ring.read(),
        &core::OpenOptions { pipelined },
    );
    match result {
        Ok(summary) => Ok(summary.into()),
        Err(e) => Err(stash.into_py_err(e)),
    }
}

/// Seals bytes into an archive held in memory.
///
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `pipelined=False` keeps all of it on the calling thread.
#[pyfunction]
#[pyo3(signature = (data, key, *, algorithm = "aes-256-gcm", chunk_size = 65536, pipelined = true))]
fn seal_backup_bytes<'py>(
    py: Python<'py>,
    data: &[u8],
    key: &PyBackupKey,
    algorithm: &str,
    chunk_size: u32,
    pipelined: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let options = core::SealOptions {
        algorithm: parse_algorithm(algorithm)?,
        chunk_size,
        pipelined,
    };
    let mut out = Vec::new();
    py.detach(|| core::seal_with_options(data, &mut out, &key.inner, &options))
        .map_err(backup_error)?;
    Ok(PyBytes::new(py, &out))
}

/// Opens an archive held in memory.
///
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `pipelined=False` keeps all of it on the calling thread.
#[pyfunction]
#[pyo3(signature = (archive, ring, *, pipelined = true))]
fn open_backup_bytes<'py>(
    py: Python<'py>,
    archive: &[u8],
    ring: &PyBackupKeyRing,
    pipelined: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let guard = ring.read();
    let ring_ref: &core::BackupKeyRing = &guard;
    let mut out = zeroize::Zeroizing::new(Vec::new());
    let options = core::OpenOptions { pipelined };
    py.detach(|| core::open_with_options(archive, &mut *out, ring_ref, &options))
        .map_err(backup_error)?;
    Ok(PyBytes::new(py, &out))
}

/// Seals the file at `input` into `output`, replacing `output` only on success.
///
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `pipelined=False` keeps all of it on the calling thread.
#[pyfunction]
#[pyo3(signature = (input, output, key, *, algorithm = "aes-256-gcm", chunk_size = 65536, pipelined = true))]
fn seal_backup_file(
    py: Python<'_>,
    input: PathBuf,
    output: PathBuf,
    key: &PyBackupKey,
    algorithm: &str,
    chunk_size: u32,
    pipelined: bool,
) -> PyResult<PyBackupSummary> {
    let options = core::SealOptions {
        algorithm: parse_algorithm(algorithm)?,
        chunk_size,
        pipelined,
    };
    py.detach(|| core::seal_file_with_options(&input, &output, &key.inner, &options))
        .map(Into::into)
        .map_err(backup_error)
}

/// Opens the archive at `input` into `output`, replacing `output` only if the whole archive
/// verified.
///
/// With `pipelined` (the default) the AEAD work runs on a second thread while the calling
/// thread reads and writes; `pipelined=False` keeps all of it on the calling thread.
#[pyfunction]
#[pyo3(signature = (input, output, ring, *, pipelined = true))]
fn open_backup_file(
    py: Python<'_>,
    input: PathBuf,
    output: PathBuf,
    ring: &PyBackupKeyRing,
    pipelined: bool,
) -> PyResult<PyBackupSummary> {
    let guard = ring.read();
    let ring_ref: &core::BackupKeyRing = &guard;
    let options = core::OpenOptions { pipelined };
    py.detach(|| core::open_file_with_options(&input, &output, ring_ref, &options))
        .map(Into::into)
        .map_err(backup_error)
}

/// Adds the backup classes and functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBackupKey>()?;
    m.add_class::<PyBackupKeyRing>()?;
    m.add_class::<PyBackupSummary>()?;
    m.add_function(wrap_pyfunction!(seal_backup, m)?)?;
    m.add_function(wrap_pyfunction!(open_backup, m)?)?;
    m.add_function(wrap_pyfunction!(seal_backup_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(open_backup_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(seal_backup_file, m)?)?;
    m.add_function(wrap_pyfunction!(open_backup_file, m)?)?;
    Ok(())
}
