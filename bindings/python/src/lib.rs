//! The `tillit._native` extension module: pyo3 classes and functions over the core crate.
//!
//! Each capability has its own file with a `register` function that adds its classes to the
//! module; `errors.rs` holds the exception hierarchy and the one mapping from core errors to
//! Python exceptions. The pure-Python package `tillit` re-exports everything from here.

// Python sees these classes through __repr__; a Debug impl on every wrapper would be noise.
#![allow(missing_debug_implementations)]
// Python constructors take their fields as keyword arguments, often more than seven.
#![allow(clippy::too_many_arguments)]

mod backup;
mod erasure;
mod errors;
mod invoice;
mod links;
mod password;
mod retention;
mod series;
mod token;

use pyo3::prelude::*;

/// The version of the tillit core this module was built from.
#[pyfunction]
fn version() -> &'static str {
    tillit::version()
}

/// Raises a Rust panic inside the extension, so tests can prove that a panic reaches Python
/// as an exception and never aborts the interpreter.
#[pyfunction]
#[pyo3(name = "_panic_for_tests")]
fn panic_for_tests() -> PyResult<()> {
    std::panic::panic_any("deliberate panic raised by _panic_for_tests");
}

#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    password::register(m)?;
    retention::register(m)?;
    erasure::register(m)?;
    backup::register(m)?;
    invoice::register(m)?;
    series::register(m)?;
    token::register(m)?;
    links::register(m)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(panic_for_tests, m)?)?;
    Ok(())
}
