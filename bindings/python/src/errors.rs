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
    InvoiceError,
    TillitError,
    "An invoice identifier, amount, JSON document or table was not acceptable."
);
create_exception!(
    tillit,
    InvoiceValidationError,
    InvoiceError,
    "An invoice or credit note broke one or more rules; the message lists every problem."
);

/// Converts an invoice error into `InvoiceValidationError` (broken rules) or `InvoiceError`.
pub(crate) fn invoice_err(e: tillit::invoice::InvoiceError) -> PyErr {
    match e {
        tillit::invoice::InvoiceError::Invalid(_) => InvoiceValidationError::new_err(e.to_string()),
        other => InvoiceError::new_err(other.to_string()),
    }
}

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TillitError", py.get_type::<TillitError>())?;
    m.add("InvoiceError", py.get_type::<InvoiceError>())?;
    m.add("InvoiceValidationError", py.get_type::<InvoiceValidationError>())?;
    Ok(())
}
