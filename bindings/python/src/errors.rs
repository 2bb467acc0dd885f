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

/// Adds every exception class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TillitError", py.get_type::<TillitError>())?;
    m.add("RetentionError", retention_error_type(py)?.bind(py))?;
    Ok(())
}

/// `tillit.RetentionError`, made at import time because it derives from two bases:
/// `TillitError` and `ValueError` (every retention failure is bad input).
static RETENTION_ERROR: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> =
    pyo3::sync::PyOnceLock::new();

fn retention_error_type(py: Python<'_>) -> PyResult<&Py<pyo3::types::PyType>> {
    RETENTION_ERROR.get_or_try_init(py, || {
        let namespace = pyo3::types::PyDict::new(py);
        namespace.set_item("__module__", "tillit")?;
        namespace.set_item(
            "__doc__",
            "A retention rule, policy or input was invalid; the message says what would be right.",
        )?;
        let bases = (py.get_type::<TillitError>(), py.get_type::<PyValueError>());
        let class =
            py.import("builtins")?
                .getattr("type")?
                .call1(("RetentionError", bases, namespace))?;
        Ok(class
            .cast_into::<pyo3::types::PyType>()
            .map_err(PyErr::from)?
            .unbind())
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
