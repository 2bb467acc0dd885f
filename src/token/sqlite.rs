//! The embedded SQLite token store: a real database file, safe across threads and processes.
//!
//! The database runs in WAL mode (readers never block the writer) with a busy timeout, so
//! concurrent processes wait for each other instead of failing. Consumption is one
//! `UPDATE ... WHERE consumed_at IS NULL RETURNING ...` statement: SQLite runs writers one
//! at a time, so of any number of concurrent takes, in this process or another, exactly one
//! changes the row and sees it returned. Each thread borrows its own connection from a small
//! pool, so threads really run concurrently against the file rather than queueing on one
//! connection.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::token::error::StoreError;
use crate::token::format::Selector;
use crate::token::store::{RequestEvent, TokenRecord, TokenStore};

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections kept for reuse; more are opened on demand and closed when returned.
const POOL_MAX_IDLE: usize = 8;
/// Schema version written to `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tillit_reset_tokens (
    selector        BLOB PRIMARY KEY NOT NULL,
    verifier_digest BLOB NOT NULL,
    account_id      TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    fingerprint     BLOB NOT NULL,
    issued_at       INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    consumed_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tillit_reset_tokens_account ON tillit_reset_tokens (account_id);
CREATE INDEX IF NOT EXISTS tillit_reset_tokens_expiry ON tillit_reset_tokens (expires_at);
CREATE TABLE IF NOT EXISTS tillit_reset_requests (
    email_key BLOB NOT NULL,
    requester TEXT NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tillit_reset_requests_email ON tillit_reset_requests (email_key, at);
CREATE INDEX IF NOT EXISTS tillit_reset_requests_requester
    ON tillit_reset_requests (requester, at);
";

const COLUMNS: &str = "selector, verifier_digest, account_id, purpose, fingerprint, issued_at, expires_at, \
     consumed_at";

/// Tokens in an SQLite database file (the bundled SQLite), shared by threads and processes.
///
/// # Examples
/// ```
/// use tillit::token::{SqliteTokenStore, TokenStore};
/// let dir = tempfile::tempdir()?;
/// let store = SqliteTokenStore::open(dir.path().join("tokens.db"))?;
/// assert_eq!(store.revoke_all("no-such-account")?, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SqliteTokenStore {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl SqliteTokenStore {
    /// Opens (creating if needed) the database at `path` and its tables.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the file cannot be opened or the schema not created.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let conn = open_connection(&path)?;
        conn.execute_batch(SCHEMA)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == 0 {
            conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        } else if version != SCHEMA_VERSION {
            return Err(StoreError::backend(format!(
                "token database schema version is {version}, this tillit reads version \
                 {SCHEMA_VERSION}"
            )));
        }
        Ok(Self {
            path,
            idle: Mutex::new(vec![conn]),
        })
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with_conn<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, rusqlite::Error>,
    ) -> Result<T, StoreError> {
        let pooled = self
            .idle
            .lock()
            .map_err(|_| StoreError::backend("sqlite connection pool lock is poisoned"))?
            .pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_connection(&self.path)?,
        };
        let result = f(&conn);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL_MAX_IDLE
        {
            idle.push(conn);
        }
        Ok(result?)
    }
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL lets readers (peek, counts) run while a writer commits; `journal_mode` answers
    // with the mode now in force, which must be WAL.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::backend(format!(
            "sqlite refused WAL mode (it answered {mode:?}); use a local file system"
        )));
    }
    Ok(conn)
}

fn blob<const N: usize>(row: &Row<'_>, idx: usize) -> Result<[u8; N], rusqlite::Error> {
    let bytes: Vec<u8> = row.get(idx)?;
    bytes.as_slice().try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Blob,
            format!("column holds {} bytes, expected {N}", bytes.len()).into(),
        )
    })
}

fn record_from_row(row: &Row<'_>) -> Result<TokenRecord, rusqlite::Error> {
    Ok(TokenRecord {
        selector: Selector(blob(row, 0)?),
        verifier_digest: blob(row, 1)?,
        account_id: row.get(2)?,
        purpose: row.get(3)?,
        fingerprint: blob(row, 4)?,
        issued_at: row.get(5)?,
        expires_at: row.get(6)?,
        consumed_at: row.get(7)?,
    })
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl TokenStore for SqliteTokenStore {
    fn insert(&self, r: &TokenRecord) -> Result<(), StoreError> {
        let result = self.with_conn(|c| {
            c.execute(
                "INSERT INTO tillit_reset_tokens (selector, verifier_digest, account_id, purpose, \
                 fingerprint, issued_at, expires_at, consumed_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    r.selector.as_bytes().as_slice(),
                    r.verifier_digest.as_slice(),
                    r.account_id,
                    r.purpose,
                    r.fingerprint.as_slice(),
                    r.issued_at,
                    r.expires_at,
                    r.consumed_at,
                ],
            )
        });
        match result {
            Err(StoreError::Backend { message }) if message.contains("UNIQUE constraint") => {
                Err(StoreError::DuplicateSelector)
            }
            other => other.map(|_| ()),
        }
    }

    fn peek(&self, selector: &Selector) -> Result<Option<TokenRecord>, StoreError> {
        self.with_conn(|c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM tillit_reset_tokens WHERE selector = ?1"),
                [selector.as_bytes().as_slice()],
                record_from_row,
            )
            .optional()
        })
    }

    fn take(&self, selector: &Selector, now: i64) -> Result<Option<TokenRecord>, StoreError> {
        // One statement is one implicit write transaction: the row changes for exactly one
        // caller, the others find `consumed_at` set and match nothing.
        self.with_conn(|c| {
            c.query_row(
                &format!(
                    "UPDATE tillit_reset_tokens SET consumed_at = ?2 \
                     WHERE selector = ?1 AND consumed_at IS NULL RETURNING {COLUMNS}"
                ),
                params![selector.as_bytes().as_slice(), now],
                record_from_row,
            )
            .optional()
        })
        .map(|found| {
            found.map(|mut record| {
                // RETURNING shows the row after the update; report it as it was before.
                record.consumed_at = None;
                record
            })
        })
    }

    fn revoke_all(&self, account_id: &str) -> Result<u64, StoreError> {
        self.with_conn(|c| {
            c.execute(
                "DELETE FROM tillit_reset_tokens WHERE account_id = ?1 AND consumed_at IS NULL",
                [account_id],
            )
        })
        .map(|n| n as u64)
    }

    fn record_request(&self, e: &RequestEvent) -> Result<(), StoreError> {
        self.with_conn(|c| {
            c.execute(
                "INSERT INTO tillit_reset_requests (email_key, requester, at) VALUES (?1, ?2, ?3)",
                params![e.email_key.as_slice(), e.requester, e.at],
            )
        })
        .map(|_| ())
    }

    fn count_requests_for_email(
        &self,
        email_key: &[u8; 32],
        since: i64,
    ) -> Result<u64, StoreError> {
        self.with_conn(|c| {
            c.query_row(
                "SELECT count(*) FROM tillit_reset_requests WHERE email_key = ?1 AND at >= ?2",
                params![email_key.as_slice(), since],
                |r| r.get::<_, i64>(0),
            )
        })
        .map(count)
    }

    fn count_requests_for_requester(&self, requester: &str, since: i64) -> Result<u64, StoreError> {
        self.with_conn(|c| {
            c.query_row(
                "SELECT count(*) FROM tillit_reset_requests WHERE requester = ?1 AND at >= ?2",
                params![requester, since],
                |r| r.get::<_, i64>(0),
            )
        })
        .map(count)
    }

    fn purge(&self, now: i64, requests_before: i64) -> Result<u64, StoreError> {
        self.with_conn(|c| {
            let tokens = c.execute(
                "DELETE FROM tillit_reset_tokens WHERE expires_at <= ?1",
                [now],
            )?;
            let requests = c.execute(
                "DELETE FROM tillit_reset_requests WHERE at < ?1",
                [requests_before],
            )?;
            Ok((tokens + requests) as u64)
        })
    }
}
