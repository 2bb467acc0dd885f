//! Python surface of reset tokens: `PasswordReset`, the two shipped stores, host stores
//! written in Python, and the store conformance suite as a test helper.
//!
//! A store passed to `PasswordReset` is either one of the shipped classes (used directly, in
//! Rust) or any Python object with the methods of `MemoryTokenStore`; such an object is
//! called back with the GIL held, and raises `KeyError` from `insert` for a duplicate
//! selector. Flow calls release the GIL while they run. `now` arguments are unix seconds;
//! when omitted the binding reads the system clock (the core never does).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::{PyAssertionError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use tillit::token::{self as core, StoreError, TokenStore};
use time::OffsetDateTime;

use crate::errors::token_error;

pub(crate) fn instant(now: Option<i64>) -> PyResult<OffsetDateTime> {
    let secs = match now {
        Some(s) => s,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| PyValueError::new_err("the system clock is before 1970"))?
            .as_secs()
            .try_into()
            .map_err(|_| PyValueError::new_err("the system clock is out of range"))?,
    };
    OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|_| PyValueError::new_err(format!("now={secs} is not a valid unix time")))
}

/// One stored token record, as a Python store keeps it.
#[pyclass(module = "tillit", name = "TokenRecord", frozen, get_all)]
#[derive(Clone, Debug)]
pub struct PyTokenRecord {
    selector: Vec<u8>,
    verifier_digest: Vec<u8>,
    account_id: String,
    purpose: String,
    fingerprint: Vec<u8>,
    issued_at: i64,
    expires_at: i64,
    consumed_at: Option<i64>,
}

#[pymethods]
impl PyTokenRecord {
    #[new]
    #[pyo3(signature = (selector, verifier_digest, account_id, purpose, fingerprint, issued_at, expires_at, consumed_at=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        selector: Vec<u8>,
        verifier_digest: Vec<u8>,
        account_id: String,
        purpose: String,
        fingerprint: Vec<u8>,
        issued_at: i64,
        expires_at: i64,
        consumed_at: Option<i64>,
    ) -> Self {
        Self {
            selector,
            verifier_digest,
            account_id,
            purpose,
            fingerprint,
            issued_at,
            expires_at,
            consumed_at,
        }
    }

    /// A copy marked as consumed at `at`.
    fn with_consumed_at(&self, at: i64) -> Self {
        Self {
            consumed_at: Some(at),
            ..self.clone()
        }
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.selector == other.selector
            && self.verifier_digest == other.verifier_digest
            && self.account_id == other.account_id
            && self.purpose == other.purpose
            && self.fingerprint == other.fingerprint
            && self.issued_at == other.issued_at
            && self.expires_at == other.expires_at
            && self.consumed_at == other.consumed_at
    }

    fn __repr__(&self) -> String {
        format!(
            "TokenRecord(account_id={:?}, purpose={:?}, expires_at={}, consumed_at={:?})",
            self.account_id, self.purpose, self.expires_at, self.consumed_at
        )
    }
}

impl From<&core::TokenRecord> for PyTokenRecord {
    fn from(r: &core::TokenRecord) -> Self {
        Self {
            selector: r.selector.as_bytes().to_vec(),
            verifier_digest: r.verifier_digest.to_vec(),
            account_id: r.account_id.clone(),
            purpose: r.purpose.clone(),
            fingerprint: r.fingerprint.to_vec(),
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            consumed_at: r.consumed_at,
        }
    }
}

fn array32(bytes: &[u8], what: &str) -> Result<[u8; 32], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::backend(format!("{what} is {} bytes, expected 32", bytes.len())))
}

impl TryFrom<&PyTokenRecord> for core::TokenRecord {
    type Error = StoreError;
    fn try_from(r: &PyTokenRecord) -> Result<Self, StoreError> {
        Ok(Self {
            selector: core::Selector::from_slice(&r.selector)
                .map_err(|e| StoreError::backend(e.to_string()))?,
            verifier_digest: array32(&r.verifier_digest, "verifier_digest")?,
            account_id: r.account_id.clone(),
            purpose: r.purpose.clone(),
            fingerprint: array32(&r.fingerprint, "fingerprint")?,
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            consumed_at: r.consumed_at,
        })
    }
}

/// A store written in Python, called back with the GIL held.
struct HostStore(Py<PyAny>);

fn backend(py: Python<'_>, err: PyErr) -> StoreError {
    StoreError::backend(format!("python store raised {}", err.value(py)))
}

impl HostStore {
    fn call<T>(
        &self,
        f: impl for<'py> FnOnce(&Bound<'py, PyAny>) -> PyResult<T>,
    ) -> Result<T, StoreError> {
        Python::attach(|py| f(self.0.bind(py)).map_err(|e| backend(py, e)))
    }

    fn record(out: &Bound<'_, PyAny>) -> PyResult<Option<core::TokenRecord>> {
        let found: Option<PyRef<'_, PyTokenRecord>> = out.extract()?;
        found
            .map(|r| core::TokenRecord::try_from(&*r))
            .transpose()
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

impl TokenStore for HostStore {
    fn insert(&self, r: &core::TokenRecord) -> Result<(), StoreError> {
        Python::attach(|py| {
            match self
                .0
                .bind(py)
                .call_method1("insert", (PyTokenRecord::from(r),))
            {
                Ok(_) => Ok(()),
                Err(e) if e.is_instance_of::<PyKeyError>(py) => Err(StoreError::DuplicateSelector),
                Err(e) => Err(backend(py, e)),
            }
        })
    }
    fn peek(&self, s: &core::Selector) -> Result<Option<core::TokenRecord>, StoreError> {
        self.call(|o| Self::record(&o.call_method1("peek", (s.as_bytes().to_vec(),))?))
    }
    fn take(&self, s: &core::Selector, now: i64) -> Result<Option<core::TokenRecord>, StoreError> {
        self.call(|o| Self::record(&o.call_method1("take", (s.as_bytes().to_vec(), now))?))
    }
    fn revoke_all(&self, account_id: &str) -> Result<u64, StoreError> {
        self.call(|o| o.call_method1("revoke_all", (account_id,))?.extract())
    }
    fn record_request(&self, e: &core::RequestEvent) -> Result<(), StoreError> {
        self.call(|o| {
            o.call_method1(
                "record_request",
                (e.email_key.to_vec(), e.requester.clone(), e.at),
            )?;
            Ok(())
        })
    }
    fn count_requests_for_email(&self, k: &[u8; 32], since: i64) -> Result<u64, StoreError> {
        self.call(|o| {
            o.call_method1("count_requests_for_email", (k.to_vec(), since))?
                .extract()
        })
    }
    fn count_requests_for_requester(&self, r: &str, since: i64) -> Result<u64, StoreError> {
        self.call(|o| {
            o.call_method1("count_requests_for_requester", (r, since))?
                .extract()
        })
    }
    fn purge(&self, now: i64, before: i64) -> Result<u64, StoreError> {
        self.call(|o| o.call_method1("purge", (now, before))?.extract())
    }
}

fn store_err(e: StoreError) -> PyErr {
    token_error(core::TokenError::Store(e))
}

fn selector(bytes: &[u8]) -> PyResult<core::Selector> {
    core::Selector::from_slice(bytes).map_err(token_error)
}

/// The Python methods of a shipped store, the same for both (and the shape a Python store
/// must have).
macro_rules! store_methods {
    ($ty:ty, { $($extra:tt)* }) => {
        #[pymethods]
        impl $ty {
            $($extra)*

            /// Stores a record; raises `KeyError` when its selector is already stored.
            fn insert(&self, py: Python<'_>, record: PyRef<'_, PyTokenRecord>) -> PyResult<()> {
                let r = core::TokenRecord::try_from(&*record).map_err(store_err)?;
                match py.detach(|| self.inner.insert(&r)) {
                    Err(StoreError::DuplicateSelector) => Err(PyKeyError::new_err(
                        "a token with this selector is already stored",
                    )),
                    other => other.map_err(store_err),
                }
            }
            /// The record with this selector, or None.
            fn peek(
                &self,
                py: Python<'_>,
                selector_bytes: Vec<u8>,
            ) -> PyResult<Option<PyTokenRecord>> {
                let s = selector(&selector_bytes)?;
                let found = py.detach(|| self.inner.peek(&s)).map_err(store_err)?;
                Ok(found.as_ref().map(PyTokenRecord::from))
            }
            /// Atomically marks the record consumed and returns it as it was, or None.
            fn take(
                &self,
                py: Python<'_>,
                selector_bytes: Vec<u8>,
                now: i64,
            ) -> PyResult<Option<PyTokenRecord>> {
                let s = selector(&selector_bytes)?;
                let found = py.detach(|| self.inner.take(&s, now)).map_err(store_err)?;
                Ok(found.as_ref().map(PyTokenRecord::from))
            }
            /// Deletes the account's unused records; returns how many.
            fn revoke_all(&self, py: Python<'_>, account_id: &str) -> PyResult<u64> {
                py.detach(|| self.inner.revoke_all(account_id))
                    .map_err(store_err)
            }
            /// Records one reset request for throttling.
            fn record_request(
                &self,
                py: Python<'_>,
                email_key: Vec<u8>,
                requester: String,
                at: i64,
            ) -> PyResult<()> {
                let email_key = array32(&email_key, "email_key").map_err(store_err)?;
                let e = core::RequestEvent {
                    email_key,
                    requester,
                    at,
                };
                py.detach(|| self.inner.record_request(&e))
                    .map_err(store_err)
            }
            /// Requests for this e-mail key at or after `since`.
            fn count_requests_for_email(
                &self,
                py: Python<'_>,
                email_key: Vec<u8>,
                since: i64,
            ) -> PyResult<u64> {
                let k = array32(&email_key, "email_key").map_err(store_err)?;
                py.detach(|| self.inner.count_requests_for_email(&k, since))
                    .map_err(store_err)
            }
            /// Requests from this requester at or after `since`.
            fn count_requests_for_requester(
                &self,
                py: Python<'_>,
                requester: &str,
                since: i64,
            ) -> PyResult<u64> {
                py.detach(|| self.inner.count_requests_for_requester(requester, since))
                    .map_err(store_err)
            }
            /// Deletes expired records and request events before `requests_before`.
            fn purge(&self, py: Python<'_>, now: i64, requests_before: i64) -> PyResult<u64> {
                py.detach(|| self.inner.purge(now, requests_before))
                    .map_err(store_err)
            }
        }
    };
}

/// Tokens in process memory.
#[pyclass(module = "tillit", name = "MemoryTokenStore", frozen)]
#[derive(Debug)]
pub struct PyMemoryTokenStore {
    inner: Arc<core::MemoryTokenStore>,
}

store_methods!(PyMemoryTokenStore, {
    #[new]
    fn new() -> Self {
        Self {
            inner: Arc::new(core::MemoryTokenStore::new()),
        }
    }
});

/// Tokens in an SQLite database file, safe across threads and processes.
#[pyclass(module = "tillit", name = "SqliteTokenStore", frozen)]
#[derive(Debug)]
pub struct PySqliteTokenStore {
    inner: Arc<core::SqliteTokenStore>,
}

store_methods!(PySqliteTokenStore, {
    #[new]
    fn new(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let store = py
            .detach(|| core::SqliteTokenStore::open(path))
            .map_err(store_err)?;
        Ok(Self {
            inner: Arc::new(store),
        })
    }
});

/// The store behind a Python object, and whether its calls can block (SQLite waits on file
/// locks and the disk, so the GIL is released around it). The memory store answers in
/// microseconds, and a store written in Python needs the GIL for every method anyway, so
/// for both the flow keeps the GIL rather than pay for releasing and taking it back.
fn as_store(obj: &Bound<'_, PyAny>) -> (Arc<dyn TokenStore>, bool) {
    if let Ok(s) = obj.cast::<PyMemoryTokenStore>() {
        return (s.get().inner.clone(), false);
    }
    if let Ok(s) = obj.cast::<PySqliteTokenStore>() {
        return (s.get().inner.clone(), true);
    }
    (Arc::new(HostStore(obj.clone().unbind())), false)
}

/// The mail to send for a reset request.
#[pyclass(module = "tillit", name = "ResetMail", frozen, get_all)]
pub struct PyResetMail {
    account_id: String,
    email: String,
    link: String,
    token: String,
    expires_at: i64,
}

/// The outcome of `PasswordReset.request`: the same shape for known and unknown addresses.
#[pyclass(module = "tillit", name = "ResetRequest", frozen, get_all)]
pub struct PyResetRequest {
    mail: Option<Py<PyResetMail>>,
    suppressed: bool,
}

/// A token that checked out and is not used yet.
#[pyclass(module = "tillit", name = "PendingReset", frozen, get_all)]
pub struct PyPendingReset {
    account_id: String,
    issued_at: i64,
    expires_at: i64,
}

/// A finished reset: store `new_hash` for `account_id`.
#[pyclass(module = "tillit", name = "CompletedReset", frozen, get_all)]
pub struct PyCompletedReset {
    account_id: String,
    new_hash: String,
    revoked_tokens: u64,
}

/// The whole "forgot password" flow over a token store.
#[pyclass(module = "tillit", name = "PasswordReset", frozen)]
#[derive(Debug)]
pub struct PyPasswordReset {
    inner: core::PasswordReset,
    /// Whether the store can block, so that store calls run with the GIL released.
    blocking: bool,
}

impl PyPasswordReset {
    /// Runs a call that reaches the store (but hashes no password), releasing the GIL only
    /// when the store can block.
    fn store_call<T, F>(&self, py: Python<'_>, f: F) -> T
    where
        F: FnOnce() -> T + Send + pyo3::marker::Ungil,
        T: Send + pyo3::marker::Ungil,
    {
        if self.blocking { py.detach(f) } else { f() }
    }
}

#[pymethods]
impl PyPasswordReset {
    #[new]
    #[pyo3(signature = (store, server_key, base_url, *, lifetime_seconds=1800, fragment=false, hmac_digest=false, max_per_email=3, max_per_requester=20, window_seconds=3600, purpose="password-reset"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        store: &Bound<'_, PyAny>,
        server_key: Vec<u8>,
        base_url: &str,
        lifetime_seconds: i64,
        fragment: bool,
        hmac_digest: bool,
        max_per_email: u32,
        max_per_requester: u32,
        window_seconds: u64,
        purpose: &str,
    ) -> PyResult<Self> {
        let key =
            core::ServerKey::new(&zeroize::Zeroizing::new(server_key)).map_err(token_error)?;
        let placement = if fragment {
            core::LinkPlacement::Fragment
        } else {
            core::LinkPlacement::Query
        };
        let mut config = core::ResetConfig::new(
            core::ResetLinks::new(base_url, placement).map_err(token_error)?,
        );
        config.lifetime = time::Duration::seconds(lifetime_seconds);
        config.throttle = core::ThrottlePolicy {
            window_seconds,
            max_per_email,
            max_per_requester,
        };
        config.digest = if hmac_digest {
            core::VerifierDigest::HmacSha256
        } else {
            core::VerifierDigest::Sha256
        };
        config.purpose = core::Purpose::new(purpose).map_err(token_error)?;
        let setter = Arc::new(core::PolicyHasher::standard().map_err(token_error)?);
        let (store, blocking) = as_store(store);
        let inner = core::PasswordReset::new(store, key, config, setter).map_err(token_error)?;
        Ok(Self { inner, blocking })
    }

    /// Handles "forgot password": pass the account found for the address (id and stored
    /// hash) or None for both. Raises ThrottledError only for the per-requester limit.
    #[pyo3(signature = (email, account_id, stored_hash, requester, now=None))]
    fn request(
        &self,
        py: Python<'_>,
        email: &str,
        account_id: Option<&str>,
        stored_hash: Option<&str>,
        requester: &str,
        now: Option<i64>,
    ) -> PyResult<PyResetRequest> {
        let account = match (account_id, stored_hash) {
            (Some(id), Some(stored_hash)) => Some(core::Account { id, stored_hash }),
            (None, None) => None,
            _ => {
                return Err(PyValueError::new_err(
                    "give account_id and stored_hash together, or neither for an unknown address",
                ));
            }
        };
        let now = instant(now)?;
        let out = self
            .store_call(py, || self.inner.request(email, account, requester, now))
            .map_err(token_error)?;
        let suppressed = out.suppressed();
        let mail = match out.into_mail() {
            Some(m) => Some(Py::new(
                py,
                PyResetMail {
                    account_id: m.account_id.clone(),
                    email: m.email.clone(),
                    link: m.link.to_string(),
                    token: m.token.to_string(),
                    expires_at: m.expires_at.unix_timestamp(),
                },
            )?),
            None => None,
        };
        Ok(PyResetRequest { mail, suppressed })
    }

    /// Checks a token (or pasted link) without using it.
    #[pyo3(signature = (token, current_hash=None, now=None))]
    fn peek(
        &self,
        py: Python<'_>,
        token: &str,
        current_hash: Option<&str>,
        now: Option<i64>,
    ) -> PyResult<PyPendingReset> {
        let now = instant(now)?;
        let p = self
            .store_call(py, || self.inner.peek(token, current_hash, now))
            .map_err(token_error)?;
        Ok(PyPendingReset {
            account_id: p.account_id,
            issued_at: p.issued_at.unix_timestamp(),
            expires_at: p.expires_at.unix_timestamp(),
        })
    }

    /// Uses a token exactly once; returns the account id.
    #[pyo3(signature = (token, current_hash, now=None))]
    fn consume(
        &self,
        py: Python<'_>,
        token: &str,
        current_hash: &str,
        now: Option<i64>,
    ) -> PyResult<String> {
        let now = instant(now)?;
        let c = self
            .store_call(py, || self.inner.consume(token, current_hash, now))
            .map_err(token_error)?;
        Ok(c.account_id)
    }

    /// Checks the new password, consumes the token, revokes the account's other tokens and
    /// returns the new hash to store.
    #[pyo3(signature = (token, new_password, confirmation, current_hash, user_inputs=Vec::new(), now=None))]
    #[allow(clippy::too_many_arguments)]
    fn complete(
        &self,
        py: Python<'_>,
        token: &str,
        new_password: &str,
        confirmation: &str,
        current_hash: &str,
        user_inputs: Vec<String>,
        now: Option<i64>,
    ) -> PyResult<PyCompletedReset> {
        let now = instant(now)?;
        let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
        let done = py
            .detach(|| {
                self.inner.complete(
                    token,
                    new_password,
                    confirmation,
                    current_hash,
                    &inputs,
                    now,
                )
            })
            .map_err(token_error)?;
        Ok(PyCompletedReset {
            account_id: done.account_id,
            new_hash: done.new_hash.to_string(),
            revoked_tokens: done.revoked_tokens,
        })
    }

    /// Revokes every outstanding token of an account.
    fn revoke_all(&self, py: Python<'_>, account_id: &str) -> PyResult<u64> {
        self.store_call(py, || self.inner.revoke_all(account_id))
            .map_err(token_error)
    }

    /// Removes expired tokens and old request events.
    #[pyo3(signature = (now=None))]
    fn purge(&self, py: Python<'_>, now: Option<i64>) -> PyResult<u64> {
        let now = instant(now)?;
        self.store_call(py, || self.inner.purge(now))
            .map_err(token_error)
    }
}

/// Runs the token store conformance suite against stores made by `factory`; raises
/// AssertionError listing every failed check, returns the number of checks passed.
#[pyfunction]
fn run_token_store_conformance(py: Python<'_>, factory: Py<PyAny>) -> PyResult<usize> {
    let make = || -> Box<dyn TokenStore> {
        Python::attach(|py| match factory.bind(py).call0() {
            Ok(obj) => Box::new(ArcStore(as_store(&obj).0)) as Box<dyn TokenStore>,
            // A store that fails every call makes every check report the factory's error.
            Err(e) => Box::new(HostStore(e.value(py).clone().into_any().unbind())),
        })
    };
    py.detach(|| core::conformance::run(&make))
        .map_err(|e| PyAssertionError::new_err(e.to_string()))
}

struct ArcStore(Arc<dyn TokenStore>);

impl TokenStore for ArcStore {
    fn insert(&self, r: &core::TokenRecord) -> Result<(), StoreError> {
        self.0.insert(r)
    }
    fn peek(&self, s: &core::Selector) -> Result<Option<core::TokenRecord>, StoreError> {
        self.0.peek(s)
    }
    fn take(&self, s: &core::Selector, now: i64) -> Result<Option<core::TokenRecord>, StoreError> {
        self.0.take(s, now)
    }
    fn revoke_all(&self, a: &str) -> Result<u64, StoreError> {
        self.0.revoke_all(a)
    }
    fn record_request(&self, e: &core::RequestEvent) -> Result<(), StoreError> {
        self.0.record_request(e)
    }
    fn count_requests_for_email(&self, k: &[u8; 32], s: i64) -> Result<u64, StoreError> {
        self.0.count_requests_for_email(k, s)
    }
    fn count_requests_for_requester(&self, r: &str, s: i64) -> Result<u64, StoreError> {
        self.0.count_requests_for_requester(r, s)
    }
    fn purge(&self, now: i64, before: i64) -> Result<u64, StoreError> {
        self.0.purge(now, before)
    }
}

/// Adds the token classes and functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTokenRecord>()?;
    m.add_class::<PyMemoryTokenStore>()?;
    m.add_class::<PySqliteTokenStore>()?;
    m.add_class::<PyResetMail>()?;
    m.add_class::<PyResetRequest>()?;
    m.add_class::<PyPendingReset>()?;
    m.add_class::<PyCompletedReset>()?;
    m.add_class::<PyPasswordReset>()?;
    m.add_function(wrap_pyfunction!(run_token_store_conformance, m)?)?;
    Ok(())
}
