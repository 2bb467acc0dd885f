//! The Python exception hierarchy and the one place where core errors become Python
//! exceptions.
//!
//! Every exception derives from `tillit.TillitError`. Errors a caller would treat as bad
//! input also derive from `ValueError`, so code that already catches `ValueError` keeps
//! working. Each capability adds its exceptions here and a `From<CoreError> for PyErr`
//! (through [`to_py`]-style helpers), so bindings never build exceptions by hand.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

create_exception!(
    tillit,
    TillitError,
    PyException,
    "Base class of every error raised by tillit."
);
create_exception!(
    tillit,
    TillitValueError,
    PyValueError,
    "Mixin base for tillit errors that are also ValueError (bad input)."
);

create_exception!(
    tillit,
    BackupError,
    TillitError,
    "Base class of every sealed-backup error."
);
create_exception!(
    tillit,
    BackupIntegrityError,
    BackupError,
    "The archive is damaged, altered or truncated, or the key or passphrase is wrong; discard \
     anything written so far."
);
create_exception!(
    tillit,
    BackupKeyError,
    BackupError,
    "The key ring has no key of the right kind for the archive's key id."
);
create_exception!(
    tillit,
    BackupFormatError,
    BackupError,
    "The archive uses a format version, algorithm or key kind this tillit cannot read."
);
create_exception!(
    tillit,
    BackupIoError,
    BackupError,
    "Reading, writing or renaming a file failed while sealing or opening a backup."
);

static BACKUP_VALUE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `tillit.BackupValueError`, a subclass of both `BackupError` and `ValueError`, which a
/// single-base `create_exception!` cannot express, so it is made with `type()` once.
fn backup_value_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    let ty = BACKUP_VALUE_ERROR.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let bases = (py.get_type::<BackupError>(), py.get_type::<PyValueError>());
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "tillit")?;
        namespace.set_item(
            "__doc__",
            "A bad argument to a sealed-backup function (key id, key length, passphrase, \
             argon2 parameters, chunk size).",
        )?;
        let created = py
            .get_type::<PyType>()
            .call1(("BackupValueError", bases, namespace))?;
        Ok(created.cast_into::<PyType>()?.unbind())
    })?;
    Ok(ty.bind(py))
}

/// Turns a sealed-backup error into the matching Python exception.
pub(crate) fn backup_error(e: tillit::backup::BackupError) -> PyErr {
    use tillit::backup::BackupError as E;
    let message = e.to_string();
    match e {
        e if e.is_integrity_failure() => BackupIntegrityError::new_err(message),
        E::UnknownKeyId { .. } | E::KeyKindMismatch { .. } => BackupKeyError::new_err(message),
        E::UnsupportedVersion { .. } | E::UnknownAlgorithm { .. } | E::UnknownKeyKind { .. } => {
            BackupFormatError::new_err(message)
        }
        E::Io { .. } | E::Random => BackupIoError::new_err(message),
        _ => Python::attach(|py| match backup_value_error(py) {
            Ok(ty) => PyErr::from_type(ty.clone(), message),
            Err(err) => err,
        }),
    }
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TillitError", py.get_type::<TillitError>())?;
    m.add("BackupError", py.get_type::<BackupError>())?;
    m.add(
        "BackupIntegrityError",
        py.get_type::<BackupIntegrityError>(),
    )?;
    m.add("BackupKeyError", py.get_type::<BackupKeyError>())?;
    m.add("BackupFormatError", py.get_type::<BackupFormatError>())?;
    m.add("BackupIoError", py.get_type::<BackupIoError>())?;
    m.add("BackupValueError", backup_value_error(py)?)?;
    Ok(())
}
