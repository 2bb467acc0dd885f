//! Gapless invoice number series for Kotlin: `MemoryNumberSeries` and `SqliteNumberSeries`,
//! each with `nextNumber` and `issue`.
//!
//! `issue` hands the next number to a `NumberIssuer` (a Kotlin object, typically the code that
//! stores the invoice) and uses the number only if the issuer returns. An issuer refuses by
//! throwing: `NumberIssuerException.Refused` with a reason, or any other exception, whose
//! first line then becomes the reason. The number goes back to the series and `issue` throws
//! `TillitException.IssueRefused`. The flat `TillitException` cannot travel from Kotlin into
//! Rust, which is why issuers have their own small exception. Names follow the Python binding
//! in Kotlin casing.

use std::sync::Arc;

use tillit::invoice::{self as core, InvoiceError, NumberSeries};

use crate::TillitError;

/// What a `NumberIssuer` throws to refuse a number.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum NumberIssuerError {
    /// The document was not issued; the number goes back to the series.
    #[error("{reason}")]
    Refused {
        /// Why the document was not issued, in the issuer's words.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for NumberIssuerError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Refused {
            reason: format!("the issuer threw {}", crate::error::thrown(&e)),
        }
    }
}

/// Issues a document under a number: called by `issue` with the number the document gets.
/// Return to keep the number; throw to refuse it. Called from the thread that calls `issue`,
/// while the series is locked, so it must not issue from the same series itself.
#[uniffi::export(with_foreign)]
pub trait NumberIssuer: Send + Sync {
    /// Issues the document numbered `number`; throws to refuse it.
    fn issue(&self, number: u64) -> Result<(), NumberIssuerError>;
}

/// Why an issue failed inside the core: the store, or the issuer's refusal.
enum IssueFailure {
    Store(InvoiceError),
    Refused { number: u64, reason: String },
}

impl From<InvoiceError> for IssueFailure {
    fn from(e: InvoiceError) -> Self {
        Self::Store(e)
    }
}

/// Runs one issue on `store`, turning a refusal into `TillitError::IssueRefused`.
fn issue_on(
    store: &impl NumberSeries,
    series: &str,
    issuer: &dyn NumberIssuer,
) -> Result<u64, TillitError> {
    let issued = store.issue(series, |number| match issuer.issue(number) {
        Ok(()) => Ok(number),
        Err(NumberIssuerError::Refused { reason }) => Err(IssueFailure::Refused { number, reason }),
    });
    issued.map_err(|failure| match failure {
        IssueFailure::Store(e) => e.into(),
        IssueFailure::Refused { number, reason } => TillitError::IssueRefused(format!(
            "number {number} of series {series:?} was refused and given back to the series: \
             {reason}"
        )),
    })
}

/// Gapless number series in process memory.
#[derive(Debug, uniffi::Object)]
pub struct MemoryNumberSeries {
    inner: core::MemoryNumberSeries,
}

#[uniffi::export]
impl MemoryNumberSeries {
    /// An empty store: every series starts at 1.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            inner: core::MemoryNumberSeries::new(),
        })
    }

    /// The number the next successful issue of `series` will get, without taking it.
    pub fn next_number(&self, series: String) -> Result<u64, TillitError> {
        Ok(self.inner.next_number(&series)?)
    }

    /// Calls `issuer` with the next number of `series` and returns that number once the
    /// issuer returns. When the issuer throws, the number goes back to the series and this
    /// throws `TillitException.IssueRefused`.
    pub fn issue(&self, series: String, issuer: Arc<dyn NumberIssuer>) -> Result<u64, TillitError> {
        issue_on(&self.inner, &series, issuer.as_ref())
    }
}

/// Gapless number series in an SQLite database file, safe across threads and processes.
#[derive(Debug, uniffi::Object)]
pub struct SqliteNumberSeries {
    inner: core::SqliteNumberSeries,
}

#[uniffi::export]
impl SqliteNumberSeries {
    /// Opens (and creates, if needed) the database at `path`.
    #[uniffi::constructor]
    pub fn new(path: String) -> Result<Arc<Self>, TillitError> {
        Ok(Arc::new(Self {
            inner: core::SqliteNumberSeries::open(path)?,
        }))
    }

    /// The number the next successful issue of `series` will get, without taking it.
    pub fn next_number(&self, series: String) -> Result<u64, TillitError> {
        Ok(self.inner.next_number(&series)?)
    }

    /// Calls `issuer` with the next number of `series` in one transaction and returns that
    /// number once the issuer returns. When the issuer throws, the transaction rolls back,
    /// the number goes back to the series and this throws `TillitException.IssueRefused`.
    pub fn issue(&self, series: String, issuer: Arc<dyn NumberIssuer>) -> Result<u64, TillitError> {
        issue_on(&self.inner, &series, issuer.as_ref())
    }
}
