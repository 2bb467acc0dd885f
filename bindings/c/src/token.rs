//! C surface of reset tokens: the `tillit_password_reset` flow over the memory or the SQLite
//! store.
//!
//! Times are unix seconds passed by the caller. A request always succeeds in the same way for
//! known and unknown addresses (pass NULL account id and hash for an unknown one); whether to
//! send a mail is told by `*link_out` being non-NULL. Token failures have their own status
//! codes (`TILLIT_ERR_TOKEN_EXPIRED`, `..._INVALID`, `..._USED`, `TILLIT_ERR_THROTTLED`,
//! `TILLIT_ERR_PASSWORD_POLICY`).

// Every unsafe block in this file reads or writes a caller's pointer through the NULL-checking
// helpers of `error.rs`, under the contract each function's `# Safety` section states.
#![allow(clippy::undocumented_unsafe_blocks)]

use std::ffi::c_char;
use std::sync::Arc;

use tillit::token::{self as core, TokenErrorKind, TokenStore};

use crate::error::{Failure, guard, opt_str_arg, out_arg, str_arg, tillit_status, write_string};

/// The password-reset flow (opaque). Make it with `tillit_password_reset_new_memory` or
/// `tillit_password_reset_new_sqlite`, release it with `tillit_password_reset_free`.
#[derive(Debug)]
pub struct tillit_password_reset {
    inner: core::PasswordReset,
}

impl From<core::TokenError> for Failure {
    fn from(err: core::TokenError) -> Self {
        let status = match err.kind() {
            TokenErrorKind::Expired => tillit_status::TILLIT_ERR_TOKEN_EXPIRED,
            TokenErrorKind::Invalid => tillit_status::TILLIT_ERR_TOKEN_INVALID,
            TokenErrorKind::Used => tillit_status::TILLIT_ERR_TOKEN_USED,
            TokenErrorKind::Throttled => tillit_status::TILLIT_ERR_THROTTLED,
            TokenErrorKind::Policy => tillit_status::TILLIT_ERR_PASSWORD_POLICY,
            TokenErrorKind::Config => tillit_status::TILLIT_ERR_INVALID_ARGUMENT,
            _ => tillit_status::TILLIT_ERR_STORE,
        };
        Failure::new(status, err.to_string())
    }
}

fn instant(now: i64) -> Result<time::OffsetDateTime, Failure> {
    time::OffsetDateTime::from_unix_timestamp(now)
        .map_err(|_| Failure::invalid(format!("now={now} is not a valid unix time")))
}

/// # Safety
/// `key` must point to `key_len` readable bytes when not NULL.
unsafe fn build(
    store: Arc<dyn TokenStore>,
    key: *const u8,
    key_len: usize,
    base_url: &str,
) -> Result<Box<tillit_password_reset>, Failure> {
    if key.is_null() {
        return Err(Failure::null("server_key"));
    }
    // SAFETY: non-NULL, and the caller promises `key_len` readable bytes.
    let key = unsafe { std::slice::from_raw_parts(key, key_len) };
    let key = core::ServerKey::new(key)?;
    let links = core::ResetLinks::new(base_url, core::LinkPlacement::Query)?;
    let setter = Arc::new(core::PolicyHasher::standard()?);
    let inner = core::PasswordReset::new(store, key, core::ResetConfig::new(links), setter)?;
    Ok(Box::new(tillit_password_reset { inner }))
}

/// Makes a reset flow whose tokens live in process memory.
///
/// # Safety
/// `server_key` points to `server_key_len` (at least 32) bytes; `base_url` is a
/// NUL-terminated `https` URL; `out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_new_memory(
    server_key: *const u8,
    server_key_len: usize,
    base_url: *const c_char,
    out: *mut *mut tillit_password_reset,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: caller promises as documented.
        let base = unsafe { str_arg(base_url, "base_url") }?;
        let store = Arc::new(core::MemoryTokenStore::new());
        // SAFETY: caller promises as documented.
        let reset = unsafe { build(store, server_key, server_key_len, base) }?;
        // SAFETY: checked non-NULL above.
        unsafe { *out = Box::into_raw(reset) };
        Ok(())
    })
}

/// Makes a reset flow whose tokens live in the SQLite database file at `db_path` (created if
/// missing; safe to share between threads and processes).
///
/// # Safety
/// As `tillit_password_reset_new_memory`; `db_path` is a NUL-terminated path.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_new_sqlite(
    db_path: *const c_char,
    server_key: *const u8,
    server_key_len: usize,
    base_url: *const c_char,
    out: *mut *mut tillit_password_reset,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: caller promises as documented.
        let path = unsafe { str_arg(db_path, "db_path") }?;
        // SAFETY: caller promises as documented.
        let base = unsafe { str_arg(base_url, "base_url") }?;
        let store = core::SqliteTokenStore::open(path).map_err(core::TokenError::from)?;
        // SAFETY: caller promises as documented.
        let reset = unsafe { build(Arc::new(store), server_key, server_key_len, base) }?;
        // SAFETY: checked non-NULL above.
        unsafe { *out = Box::into_raw(reset) };
        Ok(())
    })
}

/// Releases a reset flow; NULL is accepted.
///
/// # Safety
/// `reset` is NULL or came from a `tillit_password_reset_new_*` call and is not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_free(reset: *mut tillit_password_reset) {
    if !reset.is_null() {
        // SAFETY: the caller hands back ownership of a pointer made by Box::into_raw.
        drop(unsafe { Box::from_raw(reset) });
    }
}

/// # Safety
/// `reset` is NULL or a live handle.
unsafe fn handle<'a>(
    reset: *const tillit_password_reset,
) -> Result<&'a core::PasswordReset, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    unsafe { reset.as_ref() }
        .map(|r| &r.inner)
        .ok_or_else(|| Failure::null("reset"))
}

/// Handles "forgot password" for `email`. Pass the account's id and stored hash, or NULL for
/// both when the address has no account: the work and the status are the same. On success
/// `*link_out` and `*token_out` receive the mail's link and token (free them with
/// `tillit_string_free`), or NULL when no mail is to be sent.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `link_out` and `token_out` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_request(
    reset: *const tillit_password_reset,
    email: *const c_char,
    account_id: *const c_char,
    stored_hash: *const c_char,
    requester: *const c_char,
    now: i64,
    link_out: *mut *mut c_char,
    token_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        out_arg(link_out, "link_out")?;
        out_arg(token_out, "token_out")?;
        // SAFETY: caller promises as documented (for every argument below).
        let reset = unsafe { handle(reset) }?;
        let email = unsafe { str_arg(email, "email") }?;
        let id = unsafe { opt_str_arg(account_id, "account_id") }?;
        let hash = unsafe { opt_str_arg(stored_hash, "stored_hash") }?;
        let requester = unsafe { str_arg(requester, "requester") }?;
        let account = match (id, hash) {
            (Some(id), Some(stored_hash)) => Some(core::Account { id, stored_hash }),
            (None, None) => None,
            _ => {
                return Err(Failure::invalid(
                    "give account_id and stored_hash together, or both NULL for an unknown address",
                ));
            }
        };
        let out = reset.request(email, account, requester, instant(now)?)?;
        match out.mail() {
            Some(mail) => {
                let mut link = std::ptr::null_mut();
                // SAFETY: a local, writable pointer.
                unsafe { write_string(&mut link, "link_out", &mail.link) }?;
                let mut token = std::ptr::null_mut();
                // SAFETY: a local, writable pointer.
                if let Err(e) = unsafe { write_string(&mut token, "token_out", &mail.token) } {
                    // SAFETY: `link` was made by write_string just above.
                    unsafe { crate::error::tillit_string_free(link) };
                    return Err(e);
                }
                // SAFETY: both checked non-NULL at the start.
                unsafe {
                    *link_out = link;
                    *token_out = token;
                }
            }
            // SAFETY: both checked non-NULL at the start.
            None => unsafe {
                *link_out = std::ptr::null_mut();
                *token_out = std::ptr::null_mut();
            },
        }
        Ok(())
    })
}

/// Checks a token (or a pasted link) without using it; writes the account id to
/// `*account_id_out`. `current_hash` may be NULL to skip the hash binding check.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `account_id_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_peek(
    reset: *const tillit_password_reset,
    token: *const c_char,
    current_hash: *const c_char,
    now: i64,
    account_id_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        out_arg(account_id_out, "account_id_out")?;
        // SAFETY: caller promises as documented (for every argument below).
        let reset = unsafe { handle(reset) }?;
        let token = unsafe { str_arg(token, "token") }?;
        let hash = unsafe { opt_str_arg(current_hash, "current_hash") }?;
        let pending = reset.peek(token, hash, instant(now)?)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_string(account_id_out, "account_id_out", &pending.account_id) }
    })
}

/// Uses a token exactly once; writes the account id to `*account_id_out`.
///
/// # Safety
/// Strings are NUL-terminated; `account_id_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_consume(
    reset: *const tillit_password_reset,
    token: *const c_char,
    current_hash: *const c_char,
    now: i64,
    account_id_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        out_arg(account_id_out, "account_id_out")?;
        // SAFETY: caller promises as documented (for every argument below).
        let reset = unsafe { handle(reset) }?;
        let token = unsafe { str_arg(token, "token") }?;
        let hash = unsafe { str_arg(current_hash, "current_hash") }?;
        let consumed = reset.consume(token, hash, instant(now)?)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_string(account_id_out, "account_id_out", &consumed.account_id) }
    })
}

/// Finishes a reset: checks the new password and its confirmation against the policy,
/// consumes the token, revokes the account's other tokens, and writes the new PHC hash to
/// store to `*new_hash_out`.
///
/// # Safety
/// Strings are NUL-terminated; `new_hash_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_complete(
    reset: *const tillit_password_reset,
    token: *const c_char,
    new_password: *const c_char,
    confirmation: *const c_char,
    current_hash: *const c_char,
    now: i64,
    new_hash_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        out_arg(new_hash_out, "new_hash_out")?;
        // SAFETY: caller promises as documented (for every argument below).
        let reset = unsafe { handle(reset) }?;
        let token = unsafe { str_arg(token, "token") }?;
        let password = unsafe { str_arg(new_password, "new_password") }?;
        let confirmation = unsafe { str_arg(confirmation, "confirmation") }?;
        let hash = unsafe { str_arg(current_hash, "current_hash") }?;
        let done = reset.complete(token, password, confirmation, hash, &[], instant(now)?)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_string(new_hash_out, "new_hash_out", &done.new_hash) }
    })
}

/// Revokes every outstanding token of an account; writes how many to `*count_out`.
///
/// # Safety
/// `account_id` is NUL-terminated; `count_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_reset_revoke_all(
    reset: *const tillit_password_reset,
    account_id: *const c_char,
    count_out: *mut u64,
) -> tillit_status {
    guard(|| {
        out_arg(count_out, "count_out")?;
        // SAFETY: caller promises as documented (for every argument below).
        let reset = unsafe { handle(reset) }?;
        let account = unsafe { str_arg(account_id, "account_id") }?;
        let n = reset.revoke_all(account)?;
        // SAFETY: checked non-NULL above.
        unsafe { *count_out = n };
        Ok(())
    })
}
