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
use pyo3::types::{PyDict, PyTuple, PyType};

/// Defines a function returning an exception class with several bases (which
/// `create_exception!` cannot express), created once per interpreter with `type()`. Each base
/// is either a `create_exception!` type or another function defined by this macro.
macro_rules! two_base_class {
    ($(#[$doc:meta])* $fn_name:ident, $name:literal, [$($base:tt),+], $text:literal) => {
        $(#[$doc])*
        fn $fn_name(py: Python<'_>) -> PyResult<&Py<PyType>> {
            static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            CLASS.get_or_try_init(py, || {
                let bases = PyTuple::new(py, [$(two_base_class!(@base py, $base)),+])?;
                new_class(py, $name, $text, bases)
            })
        }
    };
    (@base $py:ident, TillitError) => { $py.get_type::<TillitError>() };
    (@base $py:ident, TillitValueError) => { $py.get_type::<TillitValueError>() };
    (@base $py:ident, BackupError) => { $py.get_type::<BackupError>() };
    (@base $py:ident, $class:ident) => { $class($py)?.bind($py).clone() };
}

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

two_base_class!(
    /// `tillit.BackupValueError(BackupError, ValueError)`.
    backup_value_error_class,
    "BackupValueError",
    [BackupError, TillitValueError],
    "A bad argument to a sealed-backup function (key id, key length, passphrase, argon2 \
     parameters, chunk size)."
);

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
        _ => raise(backup_value_error_class, message),
    }
}

two_base_class!(
    /// `tillit.InvoiceError(TillitError, ValueError)`.
    invoice_error_class,
    "InvoiceError",
    [TillitError, TillitValueError],
    "An invoice identifier, amount, JSON document or table was not acceptable."
);
two_base_class!(
    /// `tillit.InvoiceValidationError(InvoiceError)`.
    invoice_validation_error_class,
    "InvoiceValidationError",
    [invoice_error_class],
    "An invoice or credit note broke one or more rules; the message lists every problem."
);
two_base_class!(
    /// `tillit.EhfError(InvoiceError)`.
    ehf_error_class,
    "EhfError",
    [invoice_error_class],
    "An EHF document could not be written or read; the message names the field or element."
);
two_base_class!(
    /// `tillit.PasswordError(TillitError, ValueError)`.
    password_error_class,
    "PasswordError",
    [TillitError, TillitValueError],
    "A password, setting or argument was refused."
);
two_base_class!(
    /// `tillit.InvalidHashError(PasswordError)`.
    invalid_hash_class,
    "InvalidHashError",
    [password_error_class],
    "A stored password hash is malformed, of an unsupported algorithm, or above the policy's \
     ceilings."
);
two_base_class!(
    /// `tillit.PasswordPolicyError(TillitError, ValueError)`.
    password_policy_error_class,
    "PasswordPolicyError",
    [TillitError, TillitValueError],
    "The new password breaks the password policy; `violations` lists (rule, message) pairs."
);
two_base_class!(
    /// `tillit.RetentionError(TillitError, ValueError)`: every retention failure is bad input.
    retention_error_class,
    "RetentionError",
    [TillitError, TillitValueError],
    "A retention rule, policy or input was invalid; the message says what would be right."
);

/// The getter of a class made by `two_base_class!`.
type ClassGetter = fn(Python<'_>) -> PyResult<&Py<PyType>>;

/// An exception of a class made by `two_base_class!`, carrying `message`.
fn raise(class: ClassGetter, message: String) -> PyErr {
    Python::attach(|py| match class(py) {
        Ok(class) => PyErr::from_type(class.bind(py).clone(), message),
        Err(err) => err,
    })
}

/// Converts an invoice error into `InvoiceValidationError` (broken rules) or `InvoiceError`.
pub(crate) fn invoice_err(e: tillit::invoice::InvoiceError) -> PyErr {
    let message = e.to_string();
    match e {
        tillit::invoice::InvoiceError::Invalid(_) => raise(invoice_validation_error_class, message),
        _ => raise(invoice_error_class, message),
    }
}

/// Converts an EHF error into `EhfError`, or the invoice error it wraps.
pub(crate) fn ehf_err(e: tillit::ehf::EhfError) -> PyErr {
    match e {
        tillit::ehf::EhfError::Invoice(inner) => invoice_err(inner),
        other => raise(ehf_error_class, other.to_string()),
    }
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
            let e = raise(password_policy_error_class, msg);
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
        (_, TokenErrorKind::Config) => raise(password_error_class, msg),
        _ => TillitError::new_err(msg),
    }
}

/// The one mapping from the password module's errors to Python exceptions.
pub(crate) fn password_error(e: tillit::password::PasswordError) -> PyErr {
    use tillit::password::PasswordError as E;
    let message = e.to_string();
    if e.is_invalid_hash() {
        return raise(invalid_hash_class, message);
    }
    match e {
        E::Busy { .. } => BusyError::new_err(message),
        E::RandomUnavailable | E::Argon2 { .. } | E::OutOfMemory { .. } => {
            TillitError::new_err(message)
        }
        _ => raise(password_error_class, message),
    }
}

/// A `tillit.RetentionError` with `message`.
pub(crate) fn retention_error(message: impl Into<String>) -> PyErr {
    raise(retention_error_class, message.into())
}

/// The one mapping from the core's retention errors to Python.
pub(crate) fn retention_to_py(error: tillit::retention::RetentionError) -> PyErr {
    retention_error(error.to_string())
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TillitError", py.get_type::<TillitError>())?;
    m.add("TillitValueError", py.get_type::<TillitValueError>())?;
    m.add("BusyError", py.get_type::<BusyError>())?;
    m.add("BackupError", py.get_type::<BackupError>())?;
    m.add(
        "BackupIntegrityError",
        py.get_type::<BackupIntegrityError>(),
    )?;
    m.add("BackupKeyError", py.get_type::<BackupKeyError>())?;
    m.add("BackupFormatError", py.get_type::<BackupFormatError>())?;
    m.add("BackupIoError", py.get_type::<BackupIoError>())?;
    m.add("TokenExpiredError", py.get_type::<TokenExpiredError>())?;
    m.add("TokenInvalidError", py.get_type::<TokenInvalidError>())?;
    m.add("TokenUsedError", py.get_type::<TokenUsedError>())?;
    m.add("ThrottledError", py.get_type::<ThrottledError>())?;
    let classes: [(&str, ClassGetter); 8] = [
        ("BackupValueError", backup_value_error_class),
        ("PasswordError", password_error_class),
        ("InvalidHashError", invalid_hash_class),
        ("PasswordPolicyError", password_policy_error_class),
        ("RetentionError", retention_error_class),
        ("InvoiceError", invoice_error_class),
        ("InvoiceValidationError", invoice_validation_error_class),
        ("EhfError", ehf_error_class),
    ];
    for (name, class) in classes {
        m.add(name, class(py)?.bind(py).clone())?;
    }
    Ok(())
}

/// Builds `class <name>(*bases)` in module `tillit` with `type()`.
fn new_class(
    py: Python<'_>,
    name: &str,
    doc: &str,
    bases: Bound<'_, PyTuple>,
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "tillit")?;
    namespace.set_item("__doc__", doc)?;
    let class = py.get_type::<PyType>().call1((name, bases, namespace))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}
