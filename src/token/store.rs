//! The storage interface for reset tokens and the records it keeps.
//!
//! A store keeps token records (never tokens: only the verifier's digest) and request events
//! (for throttling: a keyed digest of the e-mail address, the requester and the time). Its
//! one hard duty is [`TokenStore::take`]: an atomic compare-and-set from "unused" to "used",
//! so that under any number of concurrent attempts exactly one consumption succeeds. The
//! [`conformance`](crate::token::conformance) suite checks every duty of this trait.

use crate::token::error::StoreError;
use crate::token::format::Selector;

/// One issued token as a store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// The lookup key (unique).
    pub selector: Selector,
    /// Digest of the verifier (see [`VerifierDigest`](crate::token::VerifierDigest)).
    pub verifier_digest: [u8; 32],
    /// The account the token resets (the caller's identifier).
    pub account_id: String,
    /// What the token may be used for.
    pub purpose: String,
    /// Keyed fingerprint of the account's stored PHC string when the token was issued.
    pub fingerprint: [u8; 32],
    /// Unix seconds when the token was issued.
    pub issued_at: i64,
    /// First unix second at which the token no longer works.
    pub expires_at: i64,
    /// Unix seconds when the token was consumed, `None` while unused.
    pub consumed_at: Option<i64>,
}

/// One reset request, recorded for throttling whether or not the address has an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestEvent {
    /// Keyed digest of the normalised e-mail address.
    pub email_key: [u8; 32],
    /// Who asked (for example the client's IP address).
    pub requester: String,
    /// Unix seconds of the request.
    pub at: i64,
}

/// Storage for reset tokens. Implementations must be safe to share between threads.
///
/// Write your own for the database your service already uses (PostgreSQL, Redis), then run
/// [`conformance::run`](crate::token::conformance::run) against it in your tests.
pub trait TokenStore: Send + Sync {
    /// Stores a new record.
    ///
    /// # Errors
    /// [`StoreError::DuplicateSelector`] when the selector is already stored; backend errors.
    fn insert(&self, record: &TokenRecord) -> Result<(), StoreError>;

    /// Returns the record with this selector, used or not, without changing anything.
    ///
    /// # Errors
    /// Backend errors only; an unknown selector is `Ok(None)`.
    fn peek(&self, selector: &Selector) -> Result<Option<TokenRecord>, StoreError>;

    /// Atomically marks the record with this selector as consumed at `now`, if it is not
    /// consumed yet, and returns it as it was before. Returns `None` when there is no such
    /// record or it was consumed already. Of any number of concurrent calls for one selector,
    /// exactly one may return `Some`.
    ///
    /// # Errors
    /// Backend errors only.
    fn take(&self, selector: &Selector, now: i64) -> Result<Option<TokenRecord>, StoreError>;

    /// Deletes every unused record of the account and returns how many there were. Used
    /// records stay until [`purge`](Self::purge), so a second use still reports "used".
    ///
    /// # Errors
    /// Backend errors only.
    fn revoke_all(&self, account_id: &str) -> Result<u64, StoreError>;

    /// Records one reset request for throttling.
    ///
    /// # Errors
    /// Backend errors only.
    fn record_request(&self, event: &RequestEvent) -> Result<(), StoreError>;

    /// Counts recorded requests for this e-mail key at or after `since`.
    ///
    /// # Errors
    /// Backend errors only.
    fn count_requests_for_email(&self, email_key: &[u8; 32], since: i64)
    -> Result<u64, StoreError>;

    /// Counts recorded requests from this requester at or after `since`.
    ///
    /// # Errors
    /// Backend errors only.
    fn count_requests_for_requester(&self, requester: &str, since: i64) -> Result<u64, StoreError>;

    /// Deletes token records that expired at or before `now` and request events before
    /// `requests_before`; returns how many rows went. Call it from a periodic job.
    ///
    /// # Errors
    /// Backend errors only.
    fn purge(&self, now: i64, requests_before: i64) -> Result<u64, StoreError>;
}

impl<S: TokenStore + ?Sized> TokenStore for std::sync::Arc<S> {
    fn insert(&self, record: &TokenRecord) -> Result<(), StoreError> {
        (**self).insert(record)
    }
    fn peek(&self, selector: &Selector) -> Result<Option<TokenRecord>, StoreError> {
        (**self).peek(selector)
    }
    fn take(&self, selector: &Selector, now: i64) -> Result<Option<TokenRecord>, StoreError> {
        (**self).take(selector, now)
    }
    fn revoke_all(&self, account_id: &str) -> Result<u64, StoreError> {
        (**self).revoke_all(account_id)
    }
    fn record_request(&self, event: &RequestEvent) -> Result<(), StoreError> {
        (**self).record_request(event)
    }
    fn count_requests_for_email(
        &self,
        email_key: &[u8; 32],
        since: i64,
    ) -> Result<u64, StoreError> {
        (**self).count_requests_for_email(email_key, since)
    }
    fn count_requests_for_requester(&self, requester: &str, since: i64) -> Result<u64, StoreError> {
        (**self).count_requests_for_requester(requester, since)
    }
    fn purge(&self, now: i64, requests_before: i64) -> Result<u64, StoreError> {
        (**self).purge(now, requests_before)
    }
}
