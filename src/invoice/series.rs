//! Gapless number series for invoices and credit notes.
//!
//! Bokføringsforskriften § 5-1-1 requires invoice numbers from a series that is unique and
//! without gaps the auditor cannot explain. A number is therefore taken in the same
//! transaction that issues the document: [`NumberSeries::issue`] hands the next number to a
//! closure, and only when the closure succeeds is the number used. A refused document gives
//! its number back, so the next issue gets it. Issues are serialised per store, which is
//! what a gapless series needs.
//!
//! [`SqliteNumberSeries`] follows the conventions of the other SQLite stores of this crate:
//! WAL journal, a busy timeout, and `BEGIN IMMEDIATE` so that two processes never read the
//! same counter.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{InvoiceError, clip};

/// How long a store waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

fn check_name(series: &str) -> Result<(), InvoiceError> {
    if series.is_empty() || series.chars().count() > 64 {
        return Err(InvoiceError::SeriesName { name: clip(series) });
    }
    Ok(())
}

/// A store of gapless number series, each named (for example `"invoice-2026"` or
/// `"credit-note"`). Numbers start at 1.
pub trait NumberSeries {
    /// The number the next successful issue will get, without taking it.
    ///
    /// # Errors
    /// [`InvoiceError::SeriesName`] for a bad name, [`InvoiceError::Storage`] when the store
    /// fails.
    fn next_number(&self, series: &str) -> Result<u64, InvoiceError>;

    /// Takes the next number of `series` and runs `issue` with it, in one transaction: the
    /// number is used only if `issue` returns `Ok`; on `Err` it is given back, so the series
    /// has no gap. Concurrent issues on one series are serialised.
    ///
    /// # Errors
    /// The closure's error, or the store's converted into the caller's error type.
    fn issue<T, E, F>(&self, series: &str, issue: F) -> Result<T, E>
    where
        F: FnOnce(u64) -> Result<T, E>,
        E: From<InvoiceError>;
}

/// Number series in memory, for tests and single-process services that persist elsewhere.
///
/// # Examples
///
/// ```
/// use tillit::invoice::{InvoiceError, MemoryNumberSeries, NumberSeries};
///
/// let series = MemoryNumberSeries::new();
/// let first: Result<u64, InvoiceError> = series.issue("invoice", |n| Ok(n));
/// assert_eq!(first?, 1);
/// // A refused issue gives its number back:
/// let refused: Result<u64, InvoiceError> =
///     series.issue("invoice", |_| Err(InvoiceError::Table { reason: "refused".into() }));
/// assert!(refused.is_err());
/// assert_eq!(series.issue("invoice", |n| Ok::<_, InvoiceError>(n))?, 2);
/// # Ok::<(), InvoiceError>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryNumberSeries {
    last: Mutex<HashMap<String, u64>>,
}

impl MemoryNumberSeries {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, u64>> {
        // A panic inside an issue closure poisons the lock before the counter moved, so the
        // map is still consistent and can be used.
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn next_after(series: &str, last: u64) -> Result<u64, InvoiceError> {
    last.checked_add(1).ok_or_else(|| InvoiceError::SeriesExhausted { series: clip(series), last })
}

impl NumberSeries for MemoryNumberSeries {
    fn next_number(&self, series: &str) -> Result<u64, InvoiceError> {
        check_name(series)?;
        next_after(series, self.lock().get(series).copied().unwrap_or(0))
    }

    fn issue<T, E, F>(&self, series: &str, issue: F) -> Result<T, E>
    where
        F: FnOnce(u64) -> Result<T, E>,
        E: From<InvoiceError>,
    {
        check_name(series)?;
        let mut map = self.lock();
        let next = next_after(series, map.get(series).copied().unwrap_or(0))?;
        let out = issue(next)?;
        map.insert(series.to_owned(), next);
        Ok(out)
    }
}

/// Number series in an embedded SQLite database (a table `tillit_number_series`), safe
/// across threads and processes.
///
/// Use [`SqliteNumberSeries::issue_in_transaction`] to store the issued document in the same
/// database transaction as the number.
///
/// # Examples
///
/// ```
/// use tillit::invoice::{InvoiceError, NumberSeries, SqliteNumberSeries};
///
/// let dir = tempfile::tempdir().expect("temp dir");
/// let series = SqliteNumberSeries::open(dir.path().join("numbers.db"))?;
/// let n = series.issue("invoice", |n| Ok::<_, InvoiceError>(n))?;
/// assert_eq!(n, 1);
/// assert_eq!(series.next_number("invoice")?, 2);
/// # Ok::<(), InvoiceError>(())
/// ```
#[derive(Debug)]
pub struct SqliteNumberSeries {
    conn: Mutex<Connection>,
}

impl SqliteNumberSeries {
    /// Opens (or creates) the database at `path`, in WAL mode with a busy timeout.
    ///
    /// # Errors
    /// [`InvoiceError::Storage`] when the database cannot be opened or set up.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, InvoiceError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        Self::setup(conn)
    }

    /// A private in-memory database, for tests.
    ///
    /// # Errors
    /// [`InvoiceError::Storage`] when SQLite fails.
    pub fn open_in_memory() -> Result<Self, InvoiceError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Self, InvoiceError> {
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS tillit_number_series (
                 series TEXT PRIMARY KEY NOT NULL,
                 last INTEGER NOT NULL CHECK (last >= 0)
             ) STRICT;",
        )?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic in a closure drops the transaction, which rolls back; the connection is
        // still usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Like [`NumberSeries::issue`], and the closure also gets the open transaction, so the
    /// document is stored atomically with its number.
    ///
    /// # Errors
    /// The closure's error, or the store's converted into the caller's error type.
    pub fn issue_in_transaction<T, E, F>(&self, series: &str, issue: F) -> Result<T, E>
    where
        F: FnOnce(u64, &Transaction<'_>) -> Result<T, E>,
        E: From<InvoiceError>,
    {
        check_name(series)?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(InvoiceError::from)?;
        let last = read_last(&tx, series)?;
        let next = next_after(series, last)?;
        let stored = i64::try_from(next)
            .map_err(|_| InvoiceError::SeriesExhausted { series: clip(series), last })?;
        tx.execute(
            "INSERT INTO tillit_number_series (series, last) VALUES (?1, ?2)
             ON CONFLICT (series) DO UPDATE SET last = excluded.last",
            rusqlite::params![series, stored],
        )
        .map_err(InvoiceError::from)?;
        // On error the transaction is dropped here, which rolls the counter back.
        let out = issue(next, &tx)?;
        tx.commit().map_err(InvoiceError::from)?;
        Ok(out)
    }
}

fn read_last(conn: &Connection, series: &str) -> Result<u64, InvoiceError> {
    let last: Option<i64> = conn
        .query_row("SELECT last FROM tillit_number_series WHERE series = ?1", [series], |r| {
            r.get(0)
        })
        .optional()?;
    // The CHECK constraint keeps `last` non-negative.
    Ok(last.and_then(|l| u64::try_from(l).ok()).unwrap_or(0))
}

impl NumberSeries for SqliteNumberSeries {
    fn next_number(&self, series: &str) -> Result<u64, InvoiceError> {
        check_name(series)?;
        let conn = self.lock();
        next_after(series, read_last(&conn, series)?)
    }

    fn issue<T, E, F>(&self, series: &str, issue: F) -> Result<T, E>
    where
        F: FnOnce(u64) -> Result<T, E>,
        E: From<InvoiceError>,
    {
        self.issue_in_transaction(series, |n, _| issue(n))
    }
}
