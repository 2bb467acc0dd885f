//! The password capability for C: opaque `tillit_password_hasher` and
//! `tillit_password_policy` handles, hashing, verification with upgrade on login,
//! `needs_rehash`, the dummy verify for unknown users, and the new-password policy.
//!
//! Passwords are passed as a pointer and a length of UTF-8 bytes (not NUL-terminated, so a
//! caller can wipe its buffer afterwards); tillit never keeps a copy beyond the call.

use std::ffi::c_char;

use tillit::password::{self as core, Params, Verification};

use crate::error::{Failure, guard, out_arg, str_arg, tillit_status, write_string};

/// An argon2id password hasher; make with `tillit_password_hasher_new`, release with
/// `tillit_password_hasher_free`. Safe to share between threads.
pub struct tillit_password_hasher {
    inner: core::PasswordHasher,
}

/// A policy for new passwords; make with `tillit_password_policy_new`, release with
/// `tillit_password_policy_free`.
pub struct tillit_password_policy {
    inner: core::PasswordPolicy,
}

impl From<core::PasswordError> for Failure {
    fn from(e: core::PasswordError) -> Self {
        let status = if e.is_invalid_hash() {
            tillit_status::TILLIT_ERR_INVALID_HASH
        } else {
            match e {
                core::PasswordError::Busy { .. } => tillit_status::TILLIT_ERR_BUSY,
                core::PasswordError::OutOfMemory { .. }
                | core::PasswordError::RandomUnavailable
                | core::PasswordError::Argon2 { .. } => tillit_status::TILLIT_ERR_RESOURCE,
                _ => tillit_status::TILLIT_ERR_INVALID_ARGUMENT,
            }
        };
        Failure::new(status, e.to_string())
    }
}

/// Reads a (pointer, length) byte argument; NULL is accepted only with length 0.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes that stay valid for `'a`.
unsafe fn bytes_arg<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(name))
        };
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// # Safety
/// `h` must be NULL or a live handle from `tillit_password_hasher_new`.
unsafe fn hasher_arg<'a>(
    h: *const tillit_password_hasher,
) -> Result<&'a core::PasswordHasher, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    unsafe { h.as_ref() }
        .map(|h| &h.inner)
        .ok_or_else(|| Failure::null("hasher"))
}

/// Makes a hasher at `memory_kib`, `time_cost`, `parallelism` (OWASP's minimum is 19456, 2,
/// 1) with the default ceilings (raised to fit), memory budget and 4096-byte cap.
///
/// # Safety
/// `out` must be NULL or point to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_hasher_new(
    memory_kib: u32,
    time_cost: u32,
    parallelism: u32,
    out: *mut *mut tillit_password_hasher,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        let params = Params::new(memory_kib, time_cost, parallelism)?;
        let inner = core::PasswordHasher::new(params)?;
        let handle = Box::into_raw(Box::new(tillit_password_hasher { inner }));
        // SAFETY: checked non-NULL above; the caller promises it is writable.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Releases a hasher. NULL is accepted and ignored.
///
/// # Safety
/// `h` must be NULL or a handle from `tillit_password_hasher_new` not released before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_hasher_free(h: *mut tillit_password_hasher) {
    if !h.is_null() {
        // SAFETY: the caller promises the handle came from Box::into_raw and is released once.
        drop(unsafe { Box::from_raw(h) });
    }
}

/// Hashes `password` (`password_len` UTF-8 bytes) into an argon2id PHC string written to
/// `*out_hash` (release with `tillit_string_free`).
///
/// # Safety
/// `h` a live hasher; `password` NULL (with length 0) or `password_len` readable bytes;
/// `out_hash` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_hash(
    h: *const tillit_password_hasher,
    password: *const u8,
    password_len: usize,
    out_hash: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises.
        let hasher = unsafe { hasher_arg(h) }?;
        // SAFETY: forwarded caller promises.
        let pw = unsafe { bytes_arg(password, password_len, "password") }?;
        out_arg(out_hash, "out_hash")?;
        let stored = hasher.hash_bytes(pw)?;
        // SAFETY: forwarded caller promise; checked non-NULL.
        unsafe { write_string(out_hash, "out_hash", &stored) }
    })
}

/// Verifies `password` against `stored` in constant time. `*out_valid` receives whether it
/// matched; when `out_new_hash` is not NULL, `*out_new_hash` receives a fresh hash to store
/// in place of the old one (release with `tillit_string_free`), or NULL when none is needed.
///
/// A malformed or hostile stored hash gives `TILLIT_ERR_INVALID_HASH`; a full memory budget
/// `TILLIT_ERR_BUSY`.
///
/// # Safety
/// As for `tillit_password_hash`; `stored` a NUL-terminated string; `out_valid` writable;
/// `out_new_hash` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_verify(
    h: *const tillit_password_hasher,
    password: *const u8,
    password_len: usize,
    stored: *const c_char,
    out_valid: *mut bool,
    out_new_hash: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises.
        let hasher = unsafe { hasher_arg(h) }?;
        // SAFETY: forwarded caller promises.
        let pw = unsafe { bytes_arg(password, password_len, "password") }?;
        // SAFETY: forwarded caller promise.
        let stored = unsafe { str_arg(stored, "stored") }?;
        out_arg(out_valid, "out_valid")?;
        let v = hasher.verify_bytes(pw, stored)?;
        if !out_new_hash.is_null() {
            match &v {
                Verification::ValidNeedsUpgrade { new_hash } => {
                    // SAFETY: checked non-NULL; the caller promises it is writable.
                    unsafe { write_string(out_new_hash, "out_new_hash", new_hash) }?;
                }
                // SAFETY: checked non-NULL; the caller promises it is writable.
                _ => unsafe { *out_new_hash = std::ptr::null_mut() },
            }
        }
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out_valid = v.is_valid() };
        Ok(())
    })
}

/// Writes to `*out` whether `stored` would be upgraded on the next successful login.
///
/// # Safety
/// `h` a live hasher; `stored` a NUL-terminated string; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_needs_rehash(
    h: *const tillit_password_hasher,
    stored: *const c_char,
    out: *mut bool,
) -> tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises.
        let hasher = unsafe { hasher_arg(h) }?;
        // SAFETY: forwarded caller promise.
        let stored = unsafe { str_arg(stored, "stored") }?;
        out_arg(out, "out")?;
        let needs = hasher.needs_rehash(stored)?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = needs };
        Ok(())
    })
}

/// Does the work of a verify for a user that does not exist; `*out_valid` is always false.
///
/// # Safety
/// As for `tillit_password_hash`; `out_valid` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_verify_unknown_user(
    h: *const tillit_password_hasher,
    password: *const u8,
    password_len: usize,
    out_valid: *mut bool,
) -> tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises.
        let hasher = unsafe { hasher_arg(h) }?;
        // SAFETY: forwarded caller promises.
        let pw = unsafe { bytes_arg(password, password_len, "password") }?;
        out_arg(out_valid, "out_valid")?;
        let pw = utf8(pw)?;
        let v = hasher.verify_unknown_user(pw)?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out_valid = v.is_valid() };
        Ok(())
    })
}

/// Makes a policy for new passwords: minimum 15 code points, or 8 when `second_factor`;
/// 256 maximum, 4096-byte cap, common-password list on.
///
/// # Safety
/// `out` must be NULL or point to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_policy_new(
    second_factor: bool,
    out: *mut *mut tillit_password_policy,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        let inner = core::PasswordPolicy::default().second_factor(second_factor);
        let handle = Box::into_raw(Box::new(tillit_password_policy { inner }));
        // SAFETY: checked non-NULL above; the caller promises it is writable.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Releases a policy. NULL is accepted and ignored.
///
/// # Safety
/// `p` must be NULL or a handle from `tillit_password_policy_new` not released before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_policy_free(p: *mut tillit_password_policy) {
    if !p.is_null() {
        // SAFETY: the caller promises the handle came from Box::into_raw and is released once.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// Checks a new password. `*out_rules` receives the names of the broken rules separated by
/// commas (for example `"too_short,common"`), or an empty string when the password is
/// accepted; release it with `tillit_string_free`. `confirmation` may be NULL (not checked);
/// `user_inputs` is an array of `user_inputs_len` NUL-terminated strings (e-mail, name), NULL
/// when the length is 0.
///
/// # Safety
/// `p` a live policy; `password`/`confirmation` NULL (with length 0) or readable for their
/// length; `user_inputs` NULL or `user_inputs_len` valid string pointers; `out_rules` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_password_policy_check(
    p: *const tillit_password_policy,
    password: *const u8,
    password_len: usize,
    confirmation: *const u8,
    confirmation_len: usize,
    user_inputs: *const *const c_char,
    user_inputs_len: usize,
    out_rules: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let policy = unsafe { p.as_ref() }.ok_or_else(|| Failure::null("policy"))?;
        out_arg(out_rules, "out_rules")?;
        // SAFETY: forwarded caller promises.
        let pw = utf8(unsafe { bytes_arg(password, password_len, "password") }?)?;
        let confirmation = if confirmation.is_null() {
            None
        } else {
            // SAFETY: forwarded caller promises.
            Some(utf8(unsafe {
                bytes_arg(confirmation, confirmation_len, "confirmation")
            }?)?)
        };
        // SAFETY: forwarded caller promises.
        let input_ptrs = unsafe { bytes_like_array(user_inputs, user_inputs_len, "user_inputs") }?;
        let mut inputs = Vec::with_capacity(input_ptrs.len());
        for &ptr in input_ptrs {
            // SAFETY: the caller promises every element is a NUL-terminated string.
            inputs.push(unsafe { str_arg(ptr, "user_inputs[i]") }?);
        }
        let rules: Vec<&str> = policy
            .inner
            .check(pw, confirmation, &inputs)
            .iter()
            .map(|v| v.rule.name())
            .collect();
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { write_string(out_rules, "out_rules", &rules.join(",")) }
    })
}

fn utf8(bytes: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::from(core::PasswordError::InvalidUtf8 {
            valid_up_to: e.valid_up_to(),
        })
    })
}

/// Reads an array of `len` string pointers; NULL only with length 0.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable pointers valid for `'a`.
unsafe fn bytes_like_array<'a>(
    ptr: *const *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a [*const c_char], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(name))
        };
    }
    // SAFETY: non-NULL, and the caller promises `len` readable elements.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}
