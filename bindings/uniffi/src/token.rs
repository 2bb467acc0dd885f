//! Reset tokens for Kotlin: the `PasswordReset` flow, the shipped `MemoryTokenStore` and
//! `SqliteTokenStore`, stores written in Kotlin, stateless tokens, reset links and the reset
//! page's headers.
//!
//! A store is anything that implements the `TokenStore` interface: the two shipped classes
//! implement it in Rust, and a Kotlin object over the service's own database implements it by
//! hand (records cross as `TokenRecord` with `ByteArray` fields). Whatever such an object
//! throws comes back as a typed `TillitException.TokenStore`, never as a crash. Times are unix
//! seconds; where `now` is null the binding reads the system clock (the core never does), so
//! tests pass `now` and production code leaves it out. The names follow the Python binding in
//! Kotlin casing.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tillit::token::{self as core, StoreError};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::TillitError;
use crate::password::{PasswordHasher, PasswordPolicy};

impl From<core::TokenError> for TillitError {
    fn from(e: core::TokenError) -> Self {
        use core::TokenErrorKind as K;
        let message = e.to_string();
        match (e.kind(), &e) {
            (K::Expired, _) => Self::TokenExpired(message),
            (K::Invalid, _) => Self::TokenInvalid(message),
            (K::Used, _) => Self::TokenUsed(message),
            (K::Throttled, _) => Self::Throttled(message),
            (K::Policy, _) => Self::PasswordPolicy(message),
            (K::Config, _) => Self::InvalidArgument(message),
            (_, core::TokenError::Store(_)) => Self::TokenStore(message),
            _ => Self::Internal(message),
        }
    }
}

impl From<StoreError> for TillitError {
    fn from(e: StoreError) -> Self {
        core::TokenError::Store(e).into()
    }
}

/// The instant `now` seconds after the epoch, or the system clock's when `now` is null.
fn instant(now: Option<i64>) -> Result<OffsetDateTime, TillitError> {
    let secs = match now {
        Some(s) => s,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
            .ok_or_else(|| {
                TillitError::Internal("the system clock is before 1970 or out of range".to_owned())
            })?,
    };
    OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|_| TillitError::InvalidArgument(format!("now={secs} is not a valid unix time")))
}

// ---------------------------------------------------------------------------------------------
// Stores

/// What a `TokenStore` reports. Kotlin stores throw `DuplicateSelector` from `insert` for a
/// selector already stored and `Backend` for anything else; any other exception they throw
/// arrives as `Backend` too.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TokenStoreError {
    /// A token with this selector is already stored; selectors must be unique.
    #[error("a token with this selector is already stored; selectors must be unique")]
    DuplicateSelector,
    /// The store itself failed (I/O, SQL, a host exception); `reason` says why.
    #[error("{reason}")]
    Backend {
        /// What went wrong, in the store's words.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TokenStoreError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Backend {
            reason: format!("the store threw {}", crate::error::thrown(&e)),
        }
    }
}

impl From<StoreError> for TokenStoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::DuplicateSelector => Self::DuplicateSelector,
            other => Self::Backend {
                reason: other.to_string(),
            },
        }
    }
}

impl From<TokenStoreError> for StoreError {
    fn from(e: TokenStoreError) -> Self {
        match e {
            TokenStoreError::DuplicateSelector => Self::DuplicateSelector,
            TokenStoreError::Backend { reason } => Self::backend(reason),
        }
    }
}

/// One issued token as a store keeps it: never the token, only its verifier's digest.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TokenRecord {
    /// The lookup key, 12 bytes, unique.
    pub selector: Vec<u8>,
    /// The verifier's digest, 32 bytes.
    pub verifier_digest: Vec<u8>,
    /// The account the token resets (empty for a decoy that can never be used).
    pub account_id: String,
    /// What the token may be used for.
    pub purpose: String,
    /// Keyed fingerprint of the account's stored hash when the token was issued, 32 bytes.
    pub fingerprint: Vec<u8>,
    /// Unix seconds when the token was issued.
    pub issued_at: i64,
    /// First unix second at which the token no longer works.
    pub expires_at: i64,
    /// Unix seconds when the token was consumed; null while unused.
    #[uniffi(default = None)]
    pub consumed_at: Option<i64>,
}

impl From<&core::TokenRecord> for TokenRecord {
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

fn selector(bytes: &[u8]) -> Result<core::Selector, StoreError> {
    core::Selector::from_slice(bytes).map_err(|e| StoreError::backend(e.to_string()))
}

impl TryFrom<&TokenRecord> for core::TokenRecord {
    type Error = StoreError;
    fn try_from(r: &TokenRecord) -> Result<Self, StoreError> {
        Ok(Self {
            selector: selector(&r.selector)?,
            verifier_digest: array32(&r.verifier_digest, "verifierDigest")?,
            account_id: r.account_id.clone(),
            purpose: r.purpose.clone(),
            fingerprint: array32(&r.fingerprint, "fingerprint")?,
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            consumed_at: r.consumed_at,
        })
    }
}

/// Storage for reset tokens. `MemoryTokenStore` and `SqliteTokenStore` implement it; implement
/// it in Kotlin to keep tokens in the database the service already uses, and prove the
/// implementation with `runTokenStoreConformance`. Implementations are called from any thread.
#[uniffi::export(with_foreign)]
pub trait TokenStore: Send + Sync {
    /// Stores a new record; throws `DuplicateSelector` when its selector is already stored.
    fn insert(&self, record: TokenRecord) -> Result<(), TokenStoreError>;

    /// The record with this selector, used or not, or null; changes nothing.
    fn peek(&self, selector: Vec<u8>) -> Result<Option<TokenRecord>, TokenStoreError>;

    /// Atomically marks the record consumed at `now` if it is unused, and returns it as it was
    /// before; null when there is no such record or it is used already. Of any number of
    /// concurrent calls for one selector, exactly one may return a record.
    fn take(&self, selector: Vec<u8>, now: i64) -> Result<Option<TokenRecord>, TokenStoreError>;

    /// Deletes every unused record of the account; returns how many there were. Used records
    /// stay until `purge`, so a second use still reports "used".
    fn revoke_all(&self, account_id: String) -> Result<u64, TokenStoreError>;

    /// Records one reset request (a keyed digest of the address, the requester, the time).
    fn record_request(
        &self,
        email_key: Vec<u8>,
        requester: String,
        at: i64,
    ) -> Result<(), TokenStoreError>;

    /// Requests for this e-mail key at or after `since`.
    fn count_requests_for_email(
        &self,
        email_key: Vec<u8>,
        since: i64,
    ) -> Result<u64, TokenStoreError>;

    /// Requests from this requester at or after `since`.
    fn count_requests_for_requester(
        &self,
        requester: String,
        since: i64,
    ) -> Result<u64, TokenStoreError>;

    /// Deletes records that expired at or before `now` and request events before
    /// `requests_before`; returns how many rows went.
    fn purge(&self, now: i64, requests_before: i64) -> Result<u64, TokenStoreError>;
}

/// The `TokenStore` methods over a core store, shared by the two shipped classes.
fn store_insert(s: &dyn core::TokenStore, record: &TokenRecord) -> Result<(), TokenStoreError> {
    let record = core::TokenRecord::try_from(record)?;
    Ok(s.insert(&record)?)
}

fn store_peek(
    s: &dyn core::TokenStore,
    sel: &[u8],
) -> Result<Option<TokenRecord>, TokenStoreError> {
    Ok(s.peek(&selector(sel)?)?.as_ref().map(TokenRecord::from))
}

fn store_take(
    s: &dyn core::TokenStore,
    sel: &[u8],
    now: i64,
) -> Result<Option<TokenRecord>, TokenStoreError> {
    Ok(s.take(&selector(sel)?, now)?
        .as_ref()
        .map(TokenRecord::from))
}

fn store_record_request(
    s: &dyn core::TokenStore,
    email_key: &[u8],
    requester: String,
    at: i64,
) -> Result<(), TokenStoreError> {
    let event = core::RequestEvent {
        email_key: array32(email_key, "emailKey")?,
        requester,
        at,
    };
    Ok(s.record_request(&event)?)
}

fn store_count_email(
    s: &dyn core::TokenStore,
    email_key: &[u8],
    since: i64,
) -> Result<u64, TokenStoreError> {
    Ok(s.count_requests_for_email(&array32(email_key, "emailKey")?, since)?)
}

/// Implements the exported `TokenStore` for a shipped store that derefs to a core store.
macro_rules! shipped_store {
    ($ty:ty) => {
        #[uniffi::export]
        impl TokenStore for $ty {
            fn insert(&self, record: TokenRecord) -> Result<(), TokenStoreError> {
                store_insert(&*self.inner, &record)
            }
            fn peek(&self, selector: Vec<u8>) -> Result<Option<TokenRecord>, TokenStoreError> {
                store_peek(&*self.inner, &selector)
            }
            fn take(
                &self,
                selector: Vec<u8>,
                now: i64,
            ) -> Result<Option<TokenRecord>, TokenStoreError> {
                store_take(&*self.inner, &selector, now)
            }
            fn revoke_all(&self, account_id: String) -> Result<u64, TokenStoreError> {
                Ok(core::TokenStore::revoke_all(&*self.inner, &account_id)?)
            }
            fn record_request(
                &self,
                email_key: Vec<u8>,
                requester: String,
                at: i64,
            ) -> Result<(), TokenStoreError> {
                store_record_request(&*self.inner, &email_key, requester, at)
            }
            fn count_requests_for_email(
                &self,
                email_key: Vec<u8>,
                since: i64,
            ) -> Result<u64, TokenStoreError> {
                store_count_email(&*self.inner, &email_key, since)
            }
            fn count_requests_for_requester(
                &self,
                requester: String,
                since: i64,
            ) -> Result<u64, TokenStoreError> {
                Ok(core::TokenStore::count_requests_for_requester(
                    &*self.inner,
                    &requester,
                    since,
                )?)
            }
            fn purge(&self, now: i64, requests_before: i64) -> Result<u64, TokenStoreError> {
                Ok(core::TokenStore::purge(&*self.inner, now, requests_before)?)
            }
        }
    };
}

/// Tokens in process memory: for tests and single-process services.
#[derive(Debug, uniffi::Object)]
pub struct MemoryTokenStore {
    inner: Arc<core::MemoryTokenStore>,
}

#[uniffi::export]
impl MemoryTokenStore {
    /// An empty store.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            inner: Arc::new(core::MemoryTokenStore::new()),
        })
    }
}

shipped_store!(MemoryTokenStore);

/// Tokens in an SQLite database file, safe across threads and processes.
#[derive(Debug, uniffi::Object)]
pub struct SqliteTokenStore {
    inner: Arc<core::SqliteTokenStore>,
}

#[uniffi::export]
impl SqliteTokenStore {
    /// Opens (and creates, if needed) the database at `path`.
    #[uniffi::constructor]
    pub fn new(path: String) -> Result<Arc<Self>, TillitError> {
        Ok(Arc::new(Self {
            inner: Arc::new(core::SqliteTokenStore::open(path)?),
        }))
    }
}

shipped_store!(SqliteTokenStore);

/// A `TokenStore` as the core sees it: every call goes through the exported interface, so a
/// Kotlin object and a shipped store are used the same way.
struct HostStore(Arc<dyn TokenStore>);

fn host_record(r: Option<TokenRecord>) -> Result<Option<core::TokenRecord>, StoreError> {
    r.as_ref().map(core::TokenRecord::try_from).transpose()
}

impl core::TokenStore for HostStore {
    fn insert(&self, r: &core::TokenRecord) -> Result<(), StoreError> {
        Ok(self.0.insert(TokenRecord::from(r))?)
    }
    fn peek(&self, s: &core::Selector) -> Result<Option<core::TokenRecord>, StoreError> {
        host_record(self.0.peek(s.as_bytes().to_vec())?)
    }
    fn take(&self, s: &core::Selector, now: i64) -> Result<Option<core::TokenRecord>, StoreError> {
        host_record(self.0.take(s.as_bytes().to_vec(), now)?)
    }
    fn revoke_all(&self, account_id: &str) -> Result<u64, StoreError> {
        Ok(self.0.revoke_all(account_id.to_owned())?)
    }
    fn record_request(&self, e: &core::RequestEvent) -> Result<(), StoreError> {
        Ok(self
            .0
            .record_request(e.email_key.to_vec(), e.requester.clone(), e.at)?)
    }
    fn count_requests_for_email(&self, k: &[u8; 32], since: i64) -> Result<u64, StoreError> {
        Ok(self.0.count_requests_for_email(k.to_vec(), since)?)
    }
    fn count_requests_for_requester(&self, r: &str, since: i64) -> Result<u64, StoreError> {
        Ok(self.0.count_requests_for_requester(r.to_owned(), since)?)
    }
    fn purge(&self, now: i64, before: i64) -> Result<u64, StoreError> {
        Ok(self.0.purge(now, before)?)
    }
}

/// Makes fresh, empty stores for `runTokenStoreConformance`.
#[uniffi::export(with_foreign)]
pub trait TokenStoreFactory: Send + Sync {
    /// A new, empty store.
    fn create(&self) -> Result<Arc<dyn TokenStore>, TokenStoreError>;
}

/// A store that fails every call with the factory's error, so every check reports it.
struct FailingStore(String);

impl core::TokenStore for FailingStore {
    fn insert(&self, _: &core::TokenRecord) -> Result<(), StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
    fn peek(&self, _: &core::Selector) -> Result<Option<core::TokenRecord>, StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
    fn take(&self, _: &core::Selector, _: i64) -> Result<Option<core::TokenRecord>, StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
    fn revoke_all(&self, _: &str) -> Result<u64, StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
    fn record_request(&self, _: &core::RequestEvent) -> Result<(), StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
    fn count_requests_for_email(&self, _: &[u8; 32], _: i64) -> Result<u64, StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
    fn count_requests_for_requester(&self, _: &str, _: i64) -> Result<u64, StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
    fn purge(&self, _: i64, _: i64) -> Result<u64, StoreError> {
        Err(StoreError::backend(self.0.clone()))
    }
}

/// Runs the token store conformance suite (every duty of `TokenStore`, concurrent takes
/// included) against stores made by `factory`; returns the number of checks passed, or throws
/// `TillitException.TokenStore` listing every failed check by name.
#[uniffi::export]
pub fn run_token_store_conformance(
    factory: Arc<dyn TokenStoreFactory>,
) -> Result<u32, TillitError> {
    let make = || -> Box<dyn core::TokenStore> {
        match factory.create() {
            Ok(store) => Box::new(HostStore(store)),
            Err(e) => Box::new(FailingStore(format!("the factory failed: {e}"))),
        }
    };
    let passed =
        core::conformance::run(&make).map_err(|e| TillitError::TokenStore(e.to_string()))?;
    Ok(u32::try_from(passed).unwrap_or(u32::MAX))
}

// ---------------------------------------------------------------------------------------------
// The flow

/// The mail to send for a reset request.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ResetMail {
    /// The account the token resets.
    pub account_id: String,
    /// The address to send to, trimmed.
    pub email: String,
    /// The link to put in the mail.
    pub link: String,
    /// The bare token (already inside the link).
    pub token: String,
    /// Unix seconds when the link stops working.
    pub expires_at: i64,
}

/// The outcome of `PasswordReset.request`: the same shape for known and unknown addresses.
/// Answer the requester identically whatever it holds.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ResetRequest {
    /// The mail to send, or null (unknown address, or the per-address limit was reached).
    pub mail: Option<ResetMail>,
    /// True when the per-address limit silently stopped a mail: for the operator's logs,
    /// never for the requester.
    pub suppressed: bool,
}

/// A token that checked out and is not used yet.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PendingReset {
    /// The account it resets: load that account's stored hash for `complete`.
    pub account_id: String,
    /// Unix seconds when it was issued.
    pub issued_at: i64,
    /// Unix seconds when it stops working.
    pub expires_at: i64,
}

/// A finished reset: store `new_hash` for `account_id` with a compare-and-set on the hash that
/// was passed to `complete`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CompletedReset {
    /// The account whose password changes.
    pub account_id: String,
    /// The new PHC string to store.
    pub new_hash: String,
    /// How many other outstanding tokens of the account were revoked.
    pub revoked_tokens: u64,
}

/// The whole "forgot password" flow over a token store: `request`, `peek`, `consume`,
/// `complete`, `revokeAll` and `purge`. Safe to share between threads.
#[derive(Debug, uniffi::Object)]
pub struct PasswordReset {
    inner: core::PasswordReset,
}

fn links(base_url: &str, fragment: bool) -> Result<core::ResetLinks, TillitError> {
    let placement = if fragment {
        core::LinkPlacement::Fragment
    } else {
        core::LinkPlacement::Query
    };
    Ok(core::ResetLinks::new(base_url, placement)?)
}

#[uniffi::export]
impl PasswordReset {
    /// The flow over `store`, digesting and fingerprinting with `server_key` (at least 32
    /// secret bytes) and linking to the HTTPS page `base_url`. The defaults are Python's: 30
    /// minutes, the token in the query, SHA-256 digests, 3 mails per address and 20 requests
    /// per requester per hour, purpose `password-reset`, and tillit's default password policy
    /// and hasher (pass `hasher` and `policy` to use your own, peppers included).
    #[uniffi::constructor(default(
        lifetime_seconds = 1800,
        fragment = false,
        hmac_digest = false,
        max_per_email = 3,
        max_per_requester = 20,
        window_seconds = 3600,
        purpose = "password-reset",
        hasher = None,
        policy = None
    ))]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        store: Arc<dyn TokenStore>,
        server_key: Vec<u8>,
        base_url: String,
        lifetime_seconds: i64,
        fragment: bool,
        hmac_digest: bool,
        max_per_email: u32,
        max_per_requester: u32,
        window_seconds: u64,
        purpose: String,
        hasher: Option<Arc<PasswordHasher>>,
        policy: Option<Arc<PasswordPolicy>>,
    ) -> Result<Arc<Self>, TillitError> {
        let server_key = Zeroizing::new(server_key);
        let key = core::ServerKey::new(&server_key)?;
        let mut config = core::ResetConfig::new(links(&base_url, fragment)?);
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
        config.purpose = core::Purpose::new(&purpose)?;
        let standard = core::PolicyHasher::standard()?;
        let setter = core::PolicyHasher {
            policy: policy.map_or(standard.policy, |p| p.inner.clone()),
            hasher: hasher.map_or(standard.hasher, |h| h.inner.clone()),
        };
        let inner =
            core::PasswordReset::new(Arc::new(HostStore(store)), key, config, Arc::new(setter))?;
        Ok(Arc::new(Self { inner }))
    }

    /// Handles "forgot password": pass the account found for the address (its id and stored
    /// hash), or null for both. The work done and the answer's shape are the same either way;
    /// only `mail` says, out of band, whether to send. Throws `Throttled` only for the
    /// per-requester limit; the per-address limit silently suppresses the mail.
    #[uniffi::method(default(now = None))]
    pub fn request(
        &self,
        email: String,
        account_id: Option<String>,
        stored_hash: Option<String>,
        requester: String,
        now: Option<i64>,
    ) -> Result<ResetRequest, TillitError> {
        let account = match (&account_id, &stored_hash) {
            (Some(id), Some(stored_hash)) => Some(core::Account { id, stored_hash }),
            (None, None) => None,
            _ => {
                return Err(TillitError::InvalidArgument(
                    "give accountId and storedHash together, or neither for an unknown address"
                        .to_owned(),
                ));
            }
        };
        let out = self
            .inner
            .request(&email, account, &requester, instant(now)?)?;
        let suppressed = out.suppressed();
        let mail = out.into_mail().map(|m| ResetMail {
            account_id: m.account_id,
            email: m.email,
            link: m.link.to_string(),
            token: m.token.to_string(),
            expires_at: m.expires_at.unix_timestamp(),
        });
        Ok(ResetRequest { mail, suppressed })
    }

    /// Checks a token (or the pasted link) without using it, for the reset page's first view,
    /// which mail scanners also open. With `current_hash` the account's stored hash is checked
    /// too.
    #[uniffi::method(default(current_hash = None, now = None))]
    pub fn peek(
        &self,
        token: String,
        current_hash: Option<String>,
        now: Option<i64>,
    ) -> Result<PendingReset, TillitError> {
        let token = Zeroizing::new(token);
        let p = self
            .inner
            .peek(&token, current_hash.as_deref(), instant(now)?)?;
        Ok(PendingReset {
            account_id: p.account_id,
            issued_at: p.issued_at.unix_timestamp(),
            expires_at: p.expires_at.unix_timestamp(),
        })
    }

    /// Uses a token exactly once against the account's current stored hash; returns the
    /// account id. Of concurrent calls one succeeds and the others throw `TokenUsed`.
    #[uniffi::method(default(now = None))]
    pub fn consume(
        &self,
        token: String,
        current_hash: String,
        now: Option<i64>,
    ) -> Result<String, TillitError> {
        let token = Zeroizing::new(token);
        Ok(self
            .inner
            .consume(&token, &current_hash, instant(now)?)?
            .account_id)
    }

    /// Checks the new password (policy and confirmation), hashes it, consumes the token and
    /// revokes the account's other tokens; returns the new hash to store. A password the policy
    /// refuses (`PasswordPolicy`) leaves the token usable.
    #[uniffi::method(default(user_inputs = [], now = None))]
    pub fn complete(
        &self,
        token: String,
        new_password: String,
        confirmation: String,
        current_hash: String,
        user_inputs: Vec<String>,
        now: Option<i64>,
    ) -> Result<CompletedReset, TillitError> {
        let token = Zeroizing::new(token);
        let new_password = Zeroizing::new(new_password);
        let confirmation = Zeroizing::new(confirmation);
        let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
        let done = self.inner.complete(
            &token,
            &new_password,
            &confirmation,
            &current_hash,
            &inputs,
            instant(now)?,
        )?;
        Ok(CompletedReset {
            account_id: done.account_id,
            new_hash: done.new_hash.to_string(),
            revoked_tokens: done.revoked_tokens,
        })
    }

    /// Revokes every outstanding token of an account; returns how many.
    pub fn revoke_all(&self, account_id: String) -> Result<u64, TillitError> {
        Ok(self.inner.revoke_all(&account_id)?)
    }

    /// Removes expired tokens and request events older than the throttle window.
    #[uniffi::method(default(now = None))]
    pub fn purge(&self, now: Option<i64>) -> Result<u64, TillitError> {
        Ok(self.inner.purge(instant(now)?)?)
    }
}

// ---------------------------------------------------------------------------------------------
// Stateless tokens

/// A signing key for stateless tokens: an id (1 to 16 of `A-Z a-z 0-9 - _`) that travels in
/// the token, and at least 32 secret bytes that never do.
#[derive(uniffi::Record)]
pub struct StatelessKey {
    /// The key's id.
    pub key_id: String,
    /// The secret.
    pub secret: Vec<u8>,
}

impl StatelessKey {
    fn core(self) -> Result<core::StatelessKey, TillitError> {
        let secret = Zeroizing::new(self.secret);
        Ok(core::StatelessKey::new(&self.key_id, &secret)?)
    }
}

/// What a verified stateless token says.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StatelessClaims {
    /// The account the token resets.
    pub account_id: String,
    /// The token's purpose.
    pub purpose: String,
    /// Unix seconds when it was issued.
    pub issued_at: i64,
    /// First unix second at which it no longer works.
    pub expires_at: i64,
    /// Id of the key that signed it.
    pub key_id: String,
}

/// HMAC-signed reset tokens for services with no token table. They keep no state: single use
/// holds only when the caller stores the new password hash with a compare-and-set on the old
/// one (the token is bound to it), and revoking means changing the hash or dropping the key
/// from the ring. The stored `PasswordReset` has neither limit and is the default.
#[derive(Debug, uniffi::Object)]
pub struct StatelessTokens {
    inner: core::StatelessTokens,
}

#[uniffi::export]
impl StatelessTokens {
    /// Signs with `current`; tokens signed by a `retired` key still verify. Tokens live
    /// `lifetime_seconds` (1 minute to 1 hour; 30 minutes by default).
    #[uniffi::constructor(default(retired = [], lifetime_seconds = 1800))]
    pub fn new(
        current: StatelessKey,
        retired: Vec<StatelessKey>,
        lifetime_seconds: i64,
    ) -> Result<Arc<Self>, TillitError> {
        let mut inner = core::StatelessTokens::new(current.core()?)?
            .with_lifetime(time::Duration::seconds(lifetime_seconds))?;
        for key in retired {
            inner = inner.with_retired(key.core()?)?;
        }
        Ok(Arc::new(Self { inner }))
    }

    /// Issues a token for an account, bound to its current stored PHC string.
    #[uniffi::method(default(purpose = "password-reset", now = None))]
    pub fn issue(
        &self,
        account_id: String,
        stored_hash: String,
        purpose: String,
        now: Option<i64>,
    ) -> Result<String, TillitError> {
        let token = self
            .inner
            .issue(&account_id, &purpose, &stored_hash, instant(now)?)?;
        Ok(token.to_string())
    }

    /// Verifies a token (or the pasted link) for a purpose against the account's current
    /// stored PHC string.
    #[uniffi::method(default(purpose = "password-reset", now = None))]
    pub fn verify(
        &self,
        token: String,
        stored_hash: String,
        purpose: String,
        now: Option<i64>,
    ) -> Result<StatelessClaims, TillitError> {
        let token = Zeroizing::new(core::ResetLinks::extract_token(&token)?);
        let c = self
            .inner
            .verify(&token, &purpose, &stored_hash, instant(now)?)?;
        Ok(StatelessClaims {
            account_id: c.account_id,
            purpose: c.purpose,
            issued_at: c.issued_at.unix_timestamp(),
            expires_at: c.expires_at.unix_timestamp(),
            key_id: c.key_id,
        })
    }

    /// The account id a token names, read **without verifying it**, so the caller can load
    /// that account's stored hash for `verify`. Never act on it otherwise.
    pub fn account_of(&self, token: String) -> Result<String, TillitError> {
        let token = Zeroizing::new(core::ResetLinks::extract_token(&token)?);
        Ok(core::StatelessTokens::account_of(&token)?)
    }
}

// ---------------------------------------------------------------------------------------------
// Links and headers

/// Builds reset links for one HTTPS base URL: the token in the query (`?token=`) by default,
/// or in the fragment (`#token=`), which browsers never send to the server.
#[derive(Debug, uniffi::Object)]
pub struct ResetLinks {
    inner: core::ResetLinks,
}

#[uniffi::export]
impl ResetLinks {
    /// Validates the base: an absolute `https` URL with a host, no credentials, no fragment
    /// and no `token` parameter.
    #[uniffi::constructor(default(fragment = false))]
    pub fn new(base_url: String, fragment: bool) -> Result<Arc<Self>, TillitError> {
        Ok(Arc::new(Self {
            inner: links(&base_url, fragment)?,
        }))
    }

    /// The link for a token.
    pub fn build(&self, token: String) -> String {
        let token = Zeroizing::new(token);
        self.inner.build(&token)
    }

    /// The configured base URL.
    pub fn base_url(&self) -> String {
        self.inner.base().to_owned()
    }

    /// True when the token goes in the fragment.
    pub fn fragment(&self) -> bool {
        self.inner.placement() == core::LinkPlacement::Fragment
    }
}

/// Reads a token from what a user pasted: the whole link (token in query or fragment) or the
/// bare token, surrounding white space ignored. Throws `TokenInvalid` saying what is wrong.
#[uniffi::export]
pub fn extract_token(input: String) -> Result<String, TillitError> {
    let input = Zeroizing::new(input);
    Ok(core::ResetLinks::extract_token(&input)?)
}

/// One HTTP response header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ResponseHeader {
    /// The header's name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// The reset page's recommended response headers: `Referrer-Policy: no-referrer`,
/// `Cache-Control: no-store` and `Strict-Transport-Security` (two years with subdomains, or
/// `hsts` when given).
#[uniffi::export(default(hsts = None))]
pub fn reset_page_headers(hsts: Option<String>) -> Vec<ResponseHeader> {
    let value = hsts.as_deref().unwrap_or(core::DEFAULT_HSTS);
    core::reset_page_headers_with_hsts(value)
        .into_iter()
        .map(|(name, value)| ResponseHeader {
            name: name.to_owned(),
            value: value.to_owned(),
        })
        .collect()
}
