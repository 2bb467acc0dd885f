//! C surface of stateless reset tokens, reset links, token extraction from a pasted link and
//! the reset page's recommended response headers.
//!
//! Stateless tokens keep no state: single use holds only when the caller stores the new
//! password hash with a compare-and-set on the old one (the token is bound to it). The
//! `tillit_password_reset` flow over a store has no such limit and is the default.

use std::ffi::{CStr, c_char};

use tillit::token as core;
use zeroize::Zeroizing;

use crate::error::{Failure, guard, opt_str_arg, out_arg, str_arg, tillit_status, write_string};

/// The purpose used when a `purpose` argument is NULL.
const DEFAULT_PURPOSE: &str = "password-reset";

/// How many headers `tillit_reset_page_header` describes.
pub const TILLIT_RESET_PAGE_HEADER_COUNT: usize = 3;

/// A signing key for stateless tokens: an id (1 to 16 of `A-Z a-z 0-9 - _`) that travels in
/// the token, and `secret_len` (at least 32) secret bytes that never do. tillit copies what
/// it needs; the caller keeps ownership of both pointers.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct tillit_stateless_key {
    /// NUL-terminated key id.
    pub key_id: *const c_char,
    /// The secret bytes.
    pub secret: *const u8,
    /// Length of `secret`.
    pub secret_len: usize,
}

/// Issues and verifies stateless tokens with a key ring (opaque). Make it with
/// `tillit_stateless_tokens_new`, release it with `tillit_stateless_tokens_free`.
#[derive(Debug)]
pub struct tillit_stateless_tokens {
    inner: core::StatelessTokens,
}

/// # Safety
/// `key` is NULL or points to a key whose pointers follow its documentation.
unsafe fn stateless_key(
    key: *const tillit_stateless_key,
    name: &str,
) -> Result<core::StatelessKey, Failure> {
    // SAFETY: the caller promises NULL or a readable key.
    let key = unsafe { key.as_ref() }.ok_or_else(|| Failure::null(name))?;
    // SAFETY: the caller promises a NUL-terminated id or NULL.
    let id = unsafe { str_arg(key.key_id, "key_id") }?;
    if key.secret.is_null() {
        return Err(Failure::null("secret"));
    }
    // SAFETY: non-NULL, and the caller promises `secret_len` readable bytes.
    let secret = unsafe { std::slice::from_raw_parts(key.secret, key.secret_len) };
    Ok(core::StatelessKey::new(id, secret)?)
}

/// # Safety
/// `tokens` is NULL or a live handle.
unsafe fn handle<'a>(
    tokens: *const tillit_stateless_tokens,
) -> Result<&'a core::StatelessTokens, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    unsafe { tokens.as_ref() }
        .map(|t| &t.inner)
        .ok_or_else(|| Failure::null("tokens"))
}

fn instant(now: i64) -> Result<time::OffsetDateTime, Failure> {
    time::OffsetDateTime::from_unix_timestamp(now)
        .map_err(|_| Failure::invalid(format!("now={now} is not a valid unix time")))
}

/// Makes stateless tokens signed with `current`; tokens signed by one of the `retired_len`
/// keys at `retired` still verify. Tokens live `lifetime_seconds` (60 to 3600), or 30
/// minutes when it is 0.
///
/// # Safety
/// `current` points to a valid key; `retired` points to `retired_len` keys (it may be NULL
/// when `retired_len` is 0); `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_stateless_tokens_new(
    current: *const tillit_stateless_key,
    retired: *const tillit_stateless_key,
    retired_len: usize,
    lifetime_seconds: i64,
    out: *mut *mut tillit_stateless_tokens,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: caller promises as documented.
        let mut inner = core::StatelessTokens::new(unsafe { stateless_key(current, "current") }?)?;
        if lifetime_seconds != 0 {
            inner = inner.with_lifetime(time::Duration::seconds(lifetime_seconds))?;
        }
        if retired_len > 0 {
            if retired.is_null() {
                return Err(Failure::null("retired"));
            }
            for i in 0..retired_len {
                // SAFETY: the caller promises `retired_len` keys at `retired`.
                let key = unsafe { stateless_key(retired.add(i), "retired") }?;
                inner = inner.with_retired(key)?;
            }
        }
        // SAFETY: checked non-NULL above.
        unsafe { *out = Box::into_raw(Box::new(tillit_stateless_tokens { inner })) };
        Ok(())
    })
}

/// Releases stateless tokens made by `tillit_stateless_tokens_new` (NULL is ignored).
///
/// # Safety
/// `tokens` is NULL or a live handle that is not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_stateless_tokens_free(tokens: *mut tillit_stateless_tokens) {
    if !tokens.is_null() {
        // SAFETY: made by Box::into_raw in tillit_stateless_tokens_new, released once.
        drop(unsafe { Box::from_raw(tokens) });
    }
}

/// Issues a token for an account, bound to its current stored PHC string, for `purpose`
/// (NULL: "password-reset"); writes it to `*token_out` (free with `tillit_string_free`).
///
/// # Safety
/// Strings are NUL-terminated (`purpose` may be NULL); `token_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_stateless_tokens_issue(
    tokens: *const tillit_stateless_tokens,
    account_id: *const c_char,
    stored_hash: *const c_char,
    purpose: *const c_char,
    now: i64,
    token_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        out_arg(token_out, "token_out")?;
        // SAFETY: the caller promises a live handle or NULL, as documented.
        let tokens = unsafe { handle(tokens) }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let account_id = unsafe { str_arg(account_id, "account_id") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let stored_hash = unsafe { str_arg(stored_hash, "stored_hash") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let purpose = unsafe { opt_str_arg(purpose, "purpose") }?.unwrap_or(DEFAULT_PURPOSE);
        let token = tokens.issue(account_id, purpose, stored_hash, instant(now)?)?;
        let token = Zeroizing::new(token.to_string());
        // SAFETY: checked non-NULL above.
        unsafe { write_string(token_out, "token_out", &token) }
    })
}

/// Verifies a token (or the pasted link) for `purpose` (NULL: "password-reset") against the
/// account's current stored PHC string. On success writes the account id to `*account_id_out`
/// (free with `tillit_string_free`) and, when `expires_at_out` is not NULL, the first unix
/// second at which the token no longer works. Fails with `TILLIT_ERR_TOKEN_EXPIRED` or
/// `TILLIT_ERR_TOKEN_INVALID`.
///
/// # Safety
/// Strings are NUL-terminated (`purpose` may be NULL); `account_id_out` is writable;
/// `expires_at_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_stateless_tokens_verify(
    tokens: *const tillit_stateless_tokens,
    token: *const c_char,
    stored_hash: *const c_char,
    purpose: *const c_char,
    now: i64,
    account_id_out: *mut *mut c_char,
    expires_at_out: *mut i64,
) -> tillit_status {
    guard(|| {
        out_arg(account_id_out, "account_id_out")?;
        // SAFETY: the caller promises a live handle or NULL, as documented.
        let tokens = unsafe { handle(tokens) }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let token = unsafe { str_arg(token, "token") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let stored_hash = unsafe { str_arg(stored_hash, "stored_hash") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let purpose = unsafe { opt_str_arg(purpose, "purpose") }?.unwrap_or(DEFAULT_PURPOSE);
        let token = Zeroizing::new(core::ResetLinks::extract_token(token)?);
        let claims = tokens.verify(&token, purpose, stored_hash, instant(now)?)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_string(account_id_out, "account_id_out", &claims.account_id) }?;
        if !expires_at_out.is_null() {
            // SAFETY: non-NULL, and the caller promises it is writable.
            unsafe { *expires_at_out = claims.expires_at.unix_timestamp() };
        }
        Ok(())
    })
}

/// Builds the reset link for `token` under an `https` base URL: the token in the query
/// (`?token=`), or in the fragment (`#token=`, never sent to the server) when `fragment` is
/// true. Writes it to `*link_out` (free with `tillit_string_free`).
///
/// # Safety
/// Strings are NUL-terminated; `link_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_reset_link(
    base_url: *const c_char,
    fragment: bool,
    token: *const c_char,
    link_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        out_arg(link_out, "link_out")?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let base_url = unsafe { str_arg(base_url, "base_url") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string, as documented.
        let token = unsafe { str_arg(token, "token") }?;
        let placement = if fragment {
            core::LinkPlacement::Fragment
        } else {
            core::LinkPlacement::Query
        };
        let link = core::ResetLinks::new(base_url, placement)?.build(token);
        // SAFETY: checked non-NULL above.
        unsafe { write_string(link_out, "link_out", &link) }
    })
}

/// Reads a token from what a user pasted: the whole link (token in query or fragment) or the
/// bare token, surrounding white space ignored. Writes it to `*token_out` (free with
/// `tillit_string_free`); fails with `TILLIT_ERR_TOKEN_INVALID` saying what is wrong.
///
/// # Safety
/// `pasted` is NUL-terminated; `token_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_extract_token(
    pasted: *const c_char,
    token_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        out_arg(token_out, "token_out")?;
        // SAFETY: caller promises as documented.
        let pasted = unsafe { str_arg(pasted, "pasted") }?;
        let token = Zeroizing::new(core::ResetLinks::extract_token(pasted)?);
        // SAFETY: checked non-NULL above.
        unsafe { write_string(token_out, "token_out", &token) }
    })
}

const HEADERS: [(&CStr, &CStr); TILLIT_RESET_PAGE_HEADER_COUNT] = [
    (c"Referrer-Policy", c"no-referrer"),
    (c"Cache-Control", c"no-store"),
    (
        c"Strict-Transport-Security",
        c"max-age=63072000; includeSubDomains",
    ),
];

/// One of the reset page's recommended response headers, `index` 0 to
/// `TILLIT_RESET_PAGE_HEADER_COUNT - 1`: `Referrer-Policy: no-referrer`,
/// `Cache-Control: no-store` and `Strict-Transport-Security` (two years with subdomains).
/// The strings are static: never free them.
///
/// # Safety
/// `name_out` and `value_out` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_reset_page_header(
    index: usize,
    name_out: *mut *const c_char,
    value_out: *mut *const c_char,
) -> tillit_status {
    guard(|| {
        out_arg(name_out, "name_out")?;
        out_arg(value_out, "value_out")?;
        let (name, value) = HEADERS.get(index).ok_or_else(|| {
            Failure::invalid(format!(
                "header index {index} is out of range; there are {TILLIT_RESET_PAGE_HEADER_COUNT}"
            ))
        })?;
        // SAFETY: both checked non-NULL above; the strings are 'static.
        unsafe {
            *name_out = name.as_ptr();
            *value_out = value.as_ptr();
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_headers_are_the_cores() {
        let core_headers = core::reset_page_headers();
        for ((name, value), (core_name, core_value)) in HEADERS.iter().zip(core_headers) {
            assert_eq!(name.to_str().ok(), Some(core_name));
            assert_eq!(value.to_str().ok(), Some(core_value));
        }
    }
}
