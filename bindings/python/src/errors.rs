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
    BusyError,
    TillitError,
    "The memory budget for password hashing stayed full for the whole wait; retry later."
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

/// `tillit.InvoiceError(TillitError, ValueError)`: an invoice identifier, amount, JSON
/// document or table was not acceptable.
fn invoice_error_class(py: Python<'_>) -> PyResult<&Py<PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS.get_or_try_init(py, || {
        let bases = pyo3::types::PyTuple::new(
            py,
            [
                py.get_type::<TillitError>(),
                py.get_type::<TillitValueError>(),
            ],
        )?;
        new_class(
            py,
            "InvoiceError",
            "An invoice identifier, amount, JSON document or table was not acceptable.",
            bases,
        )
    })
}

/// `tillit.InvoiceValidationError(InvoiceError)`: an invoice or credit note broke one or more
/// rules; the message lists every problem.
fn invoice_validation_error_class(py: Python<'_>) -> PyResult<&Py<PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS.get_or_try_init(py, || {
        let bases = pyo3::types::PyTuple::new(py, [invoice_error_class(py)?.bind(py).clone()])?;
        new_class(
            py,
            "InvoiceValidationError",
            "An invoice or credit note broke one or more rules; the message lists every problem.",
            bases,
        )
    })
}

/// Converts an invoice error into `InvoiceValidationError` (broken rules) or `InvoiceError`.
pub(crate) fn invoice_err(e: tillit::invoice::InvoiceError) -> PyErr {
    let message = e.to_string();
    Python::attach(|py| {
        let class = match e {
            tillit::invoice::InvoiceError::Invalid(_) => invoice_validation_error_class(py),
            _ => invoice_error_class(py),
        };
        match class {
            Ok(class) => PyErr::from_type(class.bind(py).clone(), message),
            Err(err) => err,
        }
    })
}

create_exception!(
    tillit,
    TokenExpiredError,
    TillitError,
    "The reset token was genuine but its lifetime is over; ask for a new link."
);
create_exception!(
    tillit,
    TokenInvalidError,
    TillitError,
    "The reset token is malformed, unknown, for another purpose or account, or the password \
     hash changed since it was issued."
);
create_exception!(
    tillit,
    TokenUsedError,
    TillitError,
    "The reset token was already used; each link works once."
);
create_exception!(
    tillit,
    ThrottledError,
    TillitError,
    "The requester asked for too many resets; `retry_after_seconds` says when to try again."
);
/// `tillit.PasswordPolicyError(TillitError, ValueError)`: the new password breaks the
/// password policy; `violations` lists (rule, message) pairs.
fn password_policy_error_class(py: Python<'_>) -> PyResult<&Py<PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS.get_or_try_init(py, || {
        let bases = pyo3::types::PyTuple::new(
            py,
            [
                py.get_type::<TillitError>(),
                py.get_type::<TillitValueError>(),
            ],
        )?;
        new_class(
            py,
            "PasswordPolicyError",
            "The new password breaks the password policy; `violations` lists (rule, message) \
             pairs.",
            bases,
        )
    })
}

/// The one mapping from reset-token errors to Python exceptions.
pub(crate) fn token_error(err: tillit::token::TokenError) -> PyErr {
    use tillit::token::{TokenError, TokenErrorKind};
    let msg = err.to_string();
    match (&err, err.kind()) {
        (
            TokenError::Throttled {
                retry_after_seconds,
                ..
            },
            _,
        ) => {
            let e = ThrottledError::new_err(msg);
            Python::attach(|py| {
                let _ = e
                    .value(py)
                    .setattr("retry_after_seconds", *retry_after_seconds);
            });
            e
        }
        (TokenError::Policy { violations }, _) => {
            let e = Python::attach(|py| match password_policy_error_class(py) {
                Ok(class) => PyErr::from_type(class.bind(py).clone(), msg),
                Err(err) => err,
            });
            let pairs: Vec<(String, String)> = violations
                .iter()
                .map(|v| (v.rule.clone(), v.message.clone()))
                .collect();
            Python::attach(|py| {
                let _ = e.value(py).setattr("violations", pairs);
            });
            e
        }
        (_, TokenErrorKind::Expired) => TokenExpiredError::new_err(msg),
        (_, TokenErrorKind::Invalid) => TokenInvalidError::new_err(msg),
        (_, TokenErrorKind::Used) => TokenUsedError::new_err(msg),
        (_, TokenErrorKind::Config) => Python::attach(|py| match password_error_class(py) {
            Ok(class) => PyErr::from_type(class.bind(py).clone(), msg),
            Err(err) => err,
        }),
        _ => TillitError::new_err(msg),
    }
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TillitError", py.get_type::<TillitError>())?;
    m.add("TillitValueError", py.get_type::<TillitValueError>())?;
    m.add("BusyError", py.get_type::<BusyError>())?;
    m.add("PasswordError", password_error_class(py)?.bind(py).clone())?;
    m.add("InvalidHashError", invalid_hash_class(py)?.bind(py).clone())?;
    m.add("RetentionError", retention_error_type(py)?.bind(py))?;
    m.add("BackupError", py.get_type::<BackupError>())?;
    m.add(
        "BackupIntegrityError",
        py.get_type::<BackupIntegrityError>(),
    )?;
    m.add("BackupKeyError", py.get_type::<BackupKeyError>())?;
    m.add("BackupFormatError", py.get_type::<BackupFormatError>())?;
    m.add("BackupIoError", py.get_type::<BackupIoError>())?;
    m.add("BackupValueError", backup_value_error(py)?)?;
    m.add("InvoiceError", invoice_error_class(py)?.bind(py).clone())?;
    m.add(
        "InvoiceValidationError",
        invoice_validation_error_class(py)?.bind(py).clone(),
    )?;
    m.add("TokenExpiredError", py.get_type::<TokenExpiredError>())?;
    m.add("TokenInvalidError", py.get_type::<TokenInvalidError>())?;
    m.add("TokenUsedError", py.get_type::<TokenUsedError>())?;
    m.add("ThrottledError", py.get_type::<ThrottledError>())?;
    m.add(
        "PasswordPolicyError",
        password_policy_error_class(py)?.bind(py).clone(),
    )?;
    Ok(())
}

/// Builds `class <name>(*bases)` in module `tillit`: `create_exception!` takes one base,
/// and bad-input errors need two (`TillitError` and `TillitValueError`).
fn new_class(
    py: Python<'_>,
    name: &str,
    doc: &str,
    bases: Bound<'_, pyo3::types::PyTuple>,
) -> PyResult<Py<pyo3::types::PyType>> {
    let namespace = pyo3::types::PyDict::new(py);
    namespace.set_item("__module__", "tillit")?;
    namespace.set_item("__doc__", doc)?;
    let class = py
        .get_type::<pyo3::types::PyType>()
        .call1((name, bases, namespace))?;
    Ok(class.cast_into::<pyo3::types::PyType>()?.unbind())
}

/// `tillit.PasswordError(TillitError, ValueError)`: a password, setting or argument the
/// password functions refuse.
fn password_error_class(py: Python<'_>) -> PyResult<&Py<pyo3::types::PyType>> {
    static CLASS: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> = pyo3::sync::PyOnceLock::new();
    CLASS.get_or_try_init(py, || {
        let bases = pyo3::types::PyTuple::new(
            py,
            [
                py.get_type::<TillitError>(),
                py.get_type::<TillitValueError>(),
            ],
        )?;
        new_class(
            py,
            "PasswordError",
            "A password, setting or argument was refused.",
            bases,
        )
    })
}

/// `tillit.InvalidHashError(PasswordError)`: a stored hash that is malformed, of an
/// unsupported algorithm, or above the ceilings (so also a `ValueError`).
fn invalid_hash_class(py: Python<'_>) -> PyResult<&Py<pyo3::types::PyType>> {
    static CLASS: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> = pyo3::sync::PyOnceLock::new();
    CLASS.get_or_try_init(py, || {
        let bases = pyo3::types::PyTuple::new(py, [password_error_class(py)?.bind(py).clone()])?;
        new_class(
            py,
            "InvalidHashError",
            "A stored password hash is malformed, of an unsupported algorithm, or above the \
             policy's ceilings.",
            bases,
        )
    })
}

/// The one mapping from the password module's errors to Python exceptions.
pub(crate) fn password_error(e: tillit::password::PasswordError) -> PyErr {
    use tillit::password::PasswordError as E;
    let message = e.to_string();
    Python::attach(|py| {
        let class = if e.is_invalid_hash() {
            invalid_hash_class(py)
        } else {
            match e {
                E::Busy { .. } => return BusyError::new_err(message),
                E::RandomUnavailable | E::Argon2 { .. } | E::OutOfMemory { .. } => {
                    return TillitError::new_err(message);
                }
                _ => password_error_class(py),
            }
        };
        match class {
            Ok(class) => PyErr::from_type(class.bind(py).clone(), message),
            Err(err) => err,
        }
    })
}

/// `tillit.RetentionError(TillitError, ValueError)`: every retention failure is bad input.
fn retention_error_type(py: Python<'_>) -> PyResult<&Py<pyo3::types::PyType>> {
    static CLASS: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> = pyo3::sync::PyOnceLock::new();
    CLASS.get_or_try_init(py, || {
        let bases = pyo3::types::PyTuple::new(
            py,
            [
                py.get_type::<TillitError>(),
                py.get_type::<TillitValueError>(),
            ],
        )?;
        new_class(
            py,
            "RetentionError",
            "A retention rule, policy or input was invalid; the message says what would be right.",
            bases,
        )
    })
}

/// A `tillit.RetentionError` with `message`.
pub(crate) fn retention_error(message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| match retention_error_type(py) {
        Ok(class) => PyErr::from_type(class.bind(py).clone(), message),
        Err(error) => error,
    })
}

/// The one mapping from the core's retention errors to Python.
pub(crate) fn retention_to_py(error: tillit::retention::RetentionError) -> PyErr {
    retention_error(error.to_string())
}
