//! Python surface of the stateless reset tokens, reset links, token extraction from a pasted
//! link and the reset page's recommended response headers.

use pyo3::prelude::*;
use tillit::token as core;
use zeroize::Zeroizing;

use crate::errors::token_error;
use crate::token::instant;

/// A signing key for stateless tokens: an id (1 to 16 of `A-Z a-z 0-9 - _`) that travels in
/// the token, and at least 32 secret bytes that never do.
#[pyclass(module = "tillit", name = "StatelessKey", frozen)]
pub struct PyStatelessKey {
    key_id: String,
    secret: Zeroizing<Vec<u8>>,
}

impl PyStatelessKey {
    fn core(&self) -> PyResult<core::StatelessKey> {
        core::StatelessKey::new(&self.key_id, &self.secret).map_err(token_error)
    }
}

#[pymethods]
impl PyStatelessKey {
    #[new]
    fn new(key_id: String, secret: Vec<u8>) -> PyResult<Self> {
        let key = Self {
            key_id,
            secret: Zeroizing::new(secret),
        };
        // Refuse a bad id or a short secret here rather than at first use.
        key.core()?;
        Ok(key)
    }

    /// The key's id (the secret is never readable back).
    #[getter]
    fn key_id(&self) -> &str {
        &self.key_id
    }

    fn __repr__(&self) -> String {
        format!("StatelessKey(key_id={:?}, secret=<hidden>)", self.key_id)
    }
}

/// What a verified stateless token says.
#[pyclass(module = "tillit", name = "StatelessClaims", frozen, get_all)]
pub struct PyStatelessClaims {
    account_id: String,
    purpose: String,
    issued_at: i64,
    expires_at: i64,
    key_id: String,
}

#[pymethods]
impl PyStatelessClaims {
    fn __repr__(&self) -> String {
        format!(
            "StatelessClaims(account_id={:?}, purpose={:?}, issued_at={}, expires_at={}, key_id={:?})",
            self.account_id, self.purpose, self.issued_at, self.expires_at, self.key_id
        )
    }
}

/// HMAC-signed reset tokens for services with no token table. They keep no state: single
/// use holds only when the caller stores the new password hash with a compare-and-set on
/// the old one (the token is bound to it), and revoking means changing the hash or dropping
/// the key from the ring. `PasswordReset` over a store has neither limit and is the default.
#[pyclass(module = "tillit", name = "StatelessTokens", frozen)]
pub struct PyStatelessTokens {
    inner: core::StatelessTokens,
}

#[pymethods]
impl PyStatelessTokens {
    /// Signs with `current`; tokens signed by a key in `retired` still verify. Tokens live
    /// `lifetime_seconds` (1 minute to 1 hour; 30 minutes by default).
    #[new]
    #[pyo3(signature = (current, retired = Vec::new(), lifetime_seconds = 1800))]
    fn new(
        current: PyRef<'_, PyStatelessKey>,
        retired: Vec<PyRef<'_, PyStatelessKey>>,
        lifetime_seconds: i64,
    ) -> PyResult<Self> {
        let mut inner = core::StatelessTokens::new(current.core()?)
            .and_then(|t| t.with_lifetime(time::Duration::seconds(lifetime_seconds)))
            .map_err(token_error)?;
        for key in retired {
            inner = inner.with_retired(key.core()?).map_err(token_error)?;
        }
        Ok(Self { inner })
    }

    /// Issues a token for an account, bound to its current stored PHC string.
    #[pyo3(signature = (account_id, stored_hash, purpose = "password-reset", now = None))]
    fn issue(
        &self,
        account_id: &str,
        stored_hash: &str,
        purpose: &str,
        now: Option<i64>,
    ) -> PyResult<String> {
        let token = self
            .inner
            .issue(account_id, purpose, stored_hash, instant(now)?)
            .map_err(token_error)?;
        Ok(token.to_string())
    }

    /// Verifies a token (or the pasted link) for a purpose against the account's current
    /// stored PHC string; raises `TokenExpiredError` or `TokenInvalidError` saying why not.
    #[pyo3(signature = (token, stored_hash, purpose = "password-reset", now = None))]
    fn verify(
        &self,
        token: &str,
        stored_hash: &str,
        purpose: &str,
        now: Option<i64>,
    ) -> PyResult<PyStatelessClaims> {
        let token = Zeroizing::new(core::ResetLinks::extract_token(token).map_err(token_error)?);
        let c = self
            .inner
            .verify(&token, purpose, stored_hash, instant(now)?)
            .map_err(token_error)?;
        Ok(PyStatelessClaims {
            account_id: c.account_id,
            purpose: c.purpose,
            issued_at: c.issued_at.unix_timestamp(),
            expires_at: c.expires_at.unix_timestamp(),
            key_id: c.key_id,
        })
    }

    /// The account id a token names, read **without verifying it**, so the caller can load
    /// that account's stored hash for `verify`. Never act on it otherwise.
    fn account_of(&self, token: &str) -> PyResult<String> {
        let token = Zeroizing::new(core::ResetLinks::extract_token(token).map_err(token_error)?);
        core::StatelessTokens::account_of(&token).map_err(token_error)
    }
}

/// Builds reset links for one HTTPS base URL: the token in the query (`?token=`) by default,
/// or in the fragment (`#token=`), which browsers never send to the server.
#[pyclass(module = "tillit", name = "ResetLinks", frozen)]
pub struct PyResetLinks {
    inner: core::ResetLinks,
}

#[pymethods]
impl PyResetLinks {
    /// Validates the base: an absolute `https` URL with a host, no credentials, no fragment
    /// and no `token` parameter.
    #[new]
    #[pyo3(signature = (base_url, fragment = false))]
    fn new(base_url: &str, fragment: bool) -> PyResult<Self> {
        let placement = if fragment {
            core::LinkPlacement::Fragment
        } else {
            core::LinkPlacement::Query
        };
        let inner = core::ResetLinks::new(base_url, placement).map_err(token_error)?;
        Ok(Self { inner })
    }

    /// The link for a token.
    fn build(&self, token: &str) -> String {
        self.inner.build(token)
    }

    /// The configured base URL.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base()
    }

    /// True when the token goes in the fragment.
    #[getter]
    fn fragment(&self) -> bool {
        self.inner.placement() == core::LinkPlacement::Fragment
    }

    fn __repr__(&self) -> String {
        format!(
            "ResetLinks({:?}, fragment={})",
            self.inner.base(),
            if self.fragment() { "True" } else { "False" }
        )
    }
}

/// Reads a token from what a user pasted: the whole link (token in query or fragment) or the
/// bare token, surrounding white space ignored. Raises `TokenInvalidError` saying what is
/// wrong.
#[pyfunction]
fn extract_token(pasted: &str) -> PyResult<String> {
    core::ResetLinks::extract_token(pasted).map_err(token_error)
}

/// The reset page's recommended response headers as (name, value) pairs:
/// `Referrer-Policy: no-referrer`, `Cache-Control: no-store` and `Strict-Transport-Security`
/// (two years with subdomains, or `hsts` when given).
#[pyfunction]
#[pyo3(signature = (hsts = None))]
fn reset_page_headers(hsts: Option<&str>) -> Vec<(&'static str, String)> {
    core::reset_page_headers_with_hsts(hsts.unwrap_or(core::DEFAULT_HSTS))
        .into_iter()
        .map(|(name, value)| (name, value.to_owned()))
        .collect()
}

/// Adds the stateless-token, link and header classes and functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyStatelessKey>()?;
    m.add_class::<PyStatelessClaims>()?;
    m.add_class::<PyStatelessTokens>()?;
    m.add_class::<PyResetLinks>()?;
    m.add_function(wrap_pyfunction!(extract_token, m)?)?;
    m.add_function(wrap_pyfunction!(reset_page_headers, m)?)?;
    Ok(())
}
