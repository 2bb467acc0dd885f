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
create_exception!(
    tillit,
    PasswordPolicyError,
    TillitValueError,
    "The new password breaks the password policy; `violations` lists (rule, message) pairs."
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
            let e = PasswordPolicyError::new_err(msg);
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
        (_, TokenErrorKind::Config) => TillitValueError::new_err(msg),
        _ => TillitError::new_err(msg),
    }
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TillitError", py.get_type::<TillitError>())?;
    m.add("TokenExpiredError", py.get_type::<TokenExpiredError>())?;
    m.add("TokenInvalidError", py.get_type::<TokenInvalidError>())?;
    m.add("TokenUsedError", py.get_type::<TokenUsedError>())?;
    m.add("ThrottledError", py.get_type::<ThrottledError>())?;
    m.add("PasswordPolicyError", py.get_type::<PasswordPolicyError>())?;
    Ok(())
}
