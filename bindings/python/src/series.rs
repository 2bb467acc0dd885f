//! Python surface of gapless invoice number series: `MemoryNumberSeries` and
//! `SqliteNumberSeries`, each with `next_number` and `issue`.
//!
//! `issue` hands the next number to a Python callable and uses the number only if the callable
//! returns; when it raises, the number goes back to the series and the exception reaches the
//! caller unchanged. The store holds its lock while the callable runs (that is what keeps the
//! series gapless), so every store call runs with the GIL released and the GIL is taken back
//! only inside the store's closure to call Python: a thread waiting for the store's lock then
//! never holds the GIL the lock's holder needs.

use pyo3::prelude::*;
use tillit::invoice::{self as core, InvoiceError, NumberSeries};

use crate::errors::invoice_err;

/// Why an issue failed: the store refused, or the Python callable raised.
enum IssueFailure {
    Store(InvoiceError),
    Raised(PyErr),
}

impl From<InvoiceError> for IssueFailure {
    fn from(e: InvoiceError) -> Self {
        Self::Store(e)
    }
}

impl From<IssueFailure> for PyErr {
    fn from(f: IssueFailure) -> Self {
        match f {
            IssueFailure::Store(e) => invoice_err(e),
            IssueFailure::Raised(e) => e,
        }
    }
}

/// Runs one issue on `store` with the GIL released; `issue` is called with the GIL held.
fn issue_on<S>(py: Python<'_>, store: &S, series: &str, issue: &Py<PyAny>) -> PyResult<Py<PyAny>>
where
    S: NumberSeries + Sync,
{
    let out = py.detach(|| {
        store.issue(series, |number| {
            Python::attach(|py| match issue.bind(py).call1((number,)) {
                Ok(out) => Ok(out.unbind()),
                Err(e) => Err(IssueFailure::Raised(e)),
            })
        })
    })?;
    Ok(out)
}

/// Gapless number series in process memory.
#[pyclass(module = "tillit", name = "MemoryNumberSeries", frozen)]
pub struct PyMemoryNumberSeries {
    inner: core::MemoryNumberSeries,
}

#[pymethods]
impl PyMemoryNumberSeries {
    #[new]
    fn new() -> Self {
        Self {
            inner: core::MemoryNumberSeries::new(),
        }
    }

    /// The number the next successful issue of `series` will get, without taking it.
    fn next_number(&self, py: Python<'_>, series: &str) -> PyResult<u64> {
        py.detach(|| self.inner.next_number(series))
            .map_err(invoice_err)
    }

    /// Calls `issue(number)` with the next number of `series` and returns what it returns;
    /// when it raises, the number goes back to the series and the exception propagates.
    fn issue(&self, py: Python<'_>, series: &str, issue: Py<PyAny>) -> PyResult<Py<PyAny>> {
        issue_on(py, &self.inner, series, &issue)
    }
}

/// Gapless number series in an SQLite database file, safe across threads and processes.
#[pyclass(module = "tillit", name = "SqliteNumberSeries", frozen)]
pub struct PySqliteNumberSeries {
    inner: core::SqliteNumberSeries,
}

#[pymethods]
impl PySqliteNumberSeries {
    #[new]
    fn new(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| core::SqliteNumberSeries::open(path))
            .map_err(invoice_err)?;
        Ok(Self { inner })
    }

    /// The number the next successful issue of `series` will get, without taking it.
    fn next_number(&self, py: Python<'_>, series: &str) -> PyResult<u64> {
        py.detach(|| self.inner.next_number(series))
            .map_err(invoice_err)
    }

    /// Calls `issue(number)` with the next number of `series` and returns what it returns;
    /// when it raises, the number goes back to the series and the exception propagates.
    fn issue(&self, py: Python<'_>, series: &str, issue: Py<PyAny>) -> PyResult<Py<PyAny>> {
        issue_on(py, &self.inner, series, &issue)
    }
}

/// Adds the number series classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyMemoryNumberSeries>()?;
    m.add_class::<PySqliteNumberSeries>()?;
    Ok(())
}
