//! Status codes, the per-thread last error message, and the guard every exported function
//! body runs inside.
//!
//! The guard catches panics (unwinding across `extern "C"` aborts the process) and turns a
//! [`Failure`] into a status code while keeping its sentence for
//! `tillit_last_error_message`. Each capability adds its status codes to [`tillit_status`],
//! its names to [`tillit_status_name`] and a `From<CoreError> for Failure`.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The result of every tillit C function. Zero is success; errors start at 1000.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum tillit_status {
    /// Success.
    TILLIT_OK = 0,
    /// A required pointer argument was NULL.
    TILLIT_ERR_NULL_ARGUMENT = 1000,
    /// An argument was not acceptable (not UTF-8, out of range, malformed); see the message.
    TILLIT_ERR_INVALID_ARGUMENT = 1001,
    /// A bug inside tillit: a Rust panic was caught at the boundary. Please report it.
    TILLIT_ERR_PANIC = 1002,
    /// A caller-supplied buffer was too small; the required size was written where the
    /// function documents it.
    TILLIT_ERR_BUFFER_TOO_SMALL = 1003,
    /// A stored password hash is malformed, of an unsupported algorithm or above the ceilings.
    TILLIT_ERR_INVALID_HASH = 1100,
    /// The memory budget for password hashing stayed full for the whole wait; retry later.
    TILLIT_ERR_BUSY = 1101,
    /// The system could not provide memory or randomness for a password hash.
    TILLIT_ERR_RESOURCE = 1102,
    /// Reading, writing or renaming failed (a callback reported an error, a file could not
    /// be opened, the disk is full); see the message.
    TILLIT_ERR_IO = 1004,
    /// A sealed backup is damaged, altered or truncated, or the key or passphrase is wrong:
    /// discard whatever was written.
    TILLIT_ERR_BACKUP_INTEGRITY = 1500,
    /// The key ring has no key for the archive (unknown key id, or a raw key where a
    /// passphrase is needed or the reverse).
    TILLIT_ERR_BACKUP_KEY = 1501,
    /// The archive uses a format version, algorithm or key kind this library cannot read.
    TILLIT_ERR_BACKUP_FORMAT = 1502,
    /// An organisation number, account number, IBAN or KID is malformed or its check digit
    /// is wrong.
    TILLIT_ERR_INVOICE_IDENTIFIER = 1400,
    /// An invoice or credit note broke one or more rules; the message lists every problem.
    TILLIT_ERR_INVOICE_INVALID = 1401,
    /// An invoice JSON document is malformed; the message names the field.
    TILLIT_ERR_INVOICE_JSON = 1402,
    /// Any other invoice error (currency, overflow, tables, storage); see the message.
    TILLIT_ERR_INVOICE = 1403,
    /// A `tillit_issue_fn` callback refused its number, which went back to the series.
    TILLIT_ERR_ISSUE_REFUSED = 1404,
    /// An EHF document was refused: malformed XML, an element the invoice models cannot hold,
    /// or totals that differ from its lines; the message names the element.
    TILLIT_ERR_EHF_REFUSED = 1600,
    /// A document cannot be written as EHF as it is; the message names the field.
    TILLIT_ERR_EHF_UNWRITABLE = 1601,
    /// A reset token was genuine but its lifetime is over.
    TILLIT_ERR_TOKEN_EXPIRED = 1200,
    /// A reset token is malformed, unknown, for another purpose or account, or the account's
    /// password hash changed since it was issued.
    TILLIT_ERR_TOKEN_INVALID = 1201,
    /// A reset token was already used.
    TILLIT_ERR_TOKEN_USED = 1202,
    /// The requester asked for too many resets; the message says when to retry.
    TILLIT_ERR_THROTTLED = 1203,
    /// The new password breaks the password policy; the message lists every rule.
    TILLIT_ERR_PASSWORD_POLICY = 1204,
    /// The token store or the operating system failed; see the message.
    TILLIT_ERR_STORE = 1205,
}

/// The name of a status code as a static NUL-terminated string (for example
/// `"TILLIT_ERR_NULL_ARGUMENT"`); never NULL, and never to be freed.
#[unsafe(no_mangle)]
pub extern "C" fn tillit_status_name(status: tillit_status) -> *const c_char {
    let name: &'static CStr = match status {
        tillit_status::TILLIT_OK => c"TILLIT_OK",
        tillit_status::TILLIT_ERR_NULL_ARGUMENT => c"TILLIT_ERR_NULL_ARGUMENT",
        tillit_status::TILLIT_ERR_INVALID_ARGUMENT => c"TILLIT_ERR_INVALID_ARGUMENT",
        tillit_status::TILLIT_ERR_PANIC => c"TILLIT_ERR_PANIC",
        tillit_status::TILLIT_ERR_BUFFER_TOO_SMALL => c"TILLIT_ERR_BUFFER_TOO_SMALL",
        tillit_status::TILLIT_ERR_INVALID_HASH => c"TILLIT_ERR_INVALID_HASH",
        tillit_status::TILLIT_ERR_BUSY => c"TILLIT_ERR_BUSY",
        tillit_status::TILLIT_ERR_RESOURCE => c"TILLIT_ERR_RESOURCE",
        tillit_status::TILLIT_ERR_IO => c"TILLIT_ERR_IO",
        tillit_status::TILLIT_ERR_BACKUP_INTEGRITY => c"TILLIT_ERR_BACKUP_INTEGRITY",
        tillit_status::TILLIT_ERR_BACKUP_KEY => c"TILLIT_ERR_BACKUP_KEY",
        tillit_status::TILLIT_ERR_BACKUP_FORMAT => c"TILLIT_ERR_BACKUP_FORMAT",
        tillit_status::TILLIT_ERR_INVOICE_IDENTIFIER => c"TILLIT_ERR_INVOICE_IDENTIFIER",
        tillit_status::TILLIT_ERR_INVOICE_INVALID => c"TILLIT_ERR_INVOICE_INVALID",
        tillit_status::TILLIT_ERR_INVOICE_JSON => c"TILLIT_ERR_INVOICE_JSON",
        tillit_status::TILLIT_ERR_INVOICE => c"TILLIT_ERR_INVOICE",
        tillit_status::TILLIT_ERR_ISSUE_REFUSED => c"TILLIT_ERR_ISSUE_REFUSED",
        tillit_status::TILLIT_ERR_EHF_REFUSED => c"TILLIT_ERR_EHF_REFUSED",
        tillit_status::TILLIT_ERR_EHF_UNWRITABLE => c"TILLIT_ERR_EHF_UNWRITABLE",
        tillit_status::TILLIT_ERR_TOKEN_EXPIRED => c"TILLIT_ERR_TOKEN_EXPIRED",
        tillit_status::TILLIT_ERR_TOKEN_INVALID => c"TILLIT_ERR_TOKEN_INVALID",
        tillit_status::TILLIT_ERR_TOKEN_USED => c"TILLIT_ERR_TOKEN_USED",
        tillit_status::TILLIT_ERR_THROTTLED => c"TILLIT_ERR_THROTTLED",
        tillit_status::TILLIT_ERR_PASSWORD_POLICY => c"TILLIT_ERR_PASSWORD_POLICY",
        tillit_status::TILLIT_ERR_STORE => c"TILLIT_ERR_STORE",
    };
    name.as_ptr()
}

/// A failed call: the status to return and the sentence to keep for the caller.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: tillit_status,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: tillit_status, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn null(name: &str) -> Self {
        Self::new(
            tillit_status::TILLIT_ERR_NULL_ARGUMENT,
            format!("argument `{name}` is NULL"),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(tillit_status::TILLIT_ERR_INVALID_ARGUMENT, message)
    }
}

impl From<tillit::backup::BackupError> for Failure {
    fn from(e: tillit::backup::BackupError) -> Self {
        use tillit::backup::BackupError as E;
        let status = match &e {
            e if e.is_integrity_failure() => tillit_status::TILLIT_ERR_BACKUP_INTEGRITY,
            E::UnknownKeyId { .. } | E::KeyKindMismatch { .. } => {
                tillit_status::TILLIT_ERR_BACKUP_KEY
            }
            E::UnsupportedVersion { .. }
            | E::UnknownAlgorithm { .. }
            | E::UnknownKeyKind { .. } => tillit_status::TILLIT_ERR_BACKUP_FORMAT,
            E::Io { .. } | E::Random => tillit_status::TILLIT_ERR_IO,
            _ => tillit_status::TILLIT_ERR_INVALID_ARGUMENT,
        };
        Self::new(status, e.to_string())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_last_error(message: String) {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = message);
}

/// Runs an exported function's body: catches panics, records the error message, and maps
/// the outcome to a status code.
pub(crate) fn guard<F>(body: F) -> tillit_status
where
    F: FnOnce() -> Result<(), Failure>,
{
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => tillit_status::TILLIT_OK,
        Ok(Err(failure)) => {
            set_last_error(failure.message);
            failure.status
        }
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_owned());
            set_last_error(format!(
                "internal error (a bug in tillit, please report it): {detail}"
            ));
            tillit_status::TILLIT_ERR_PANIC
        }
    }
}

/// Copies the message of the last error on this thread into `buf` (NUL-terminated) and its
/// length without the NUL into `*len_out` (when not NULL).
///
/// When `buf` is NULL or `buf_len` is too small, nothing is copied, `*len_out` still receives
/// the length, and `TILLIT_ERR_BUFFER_TOO_SMALL` is returned: call again with
/// `*len_out + 1` bytes. The message is empty when no call on this thread has failed yet.
///
/// # Safety
/// `buf` must be NULL or point to `buf_len` writable bytes; `len_out` must be NULL or point to
/// a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    len_out: *mut usize,
) -> tillit_status {
    let message = LAST_ERROR.with(|slot| slot.borrow().clone());
    let bytes = message.as_bytes();
    if !len_out.is_null() {
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *len_out = bytes.len() };
    }
    if buf.is_null() || buf_len < bytes.len() + 1 {
        return tillit_status::TILLIT_ERR_BUFFER_TOO_SMALL;
    }
    // SAFETY: `buf` has at least `bytes.len() + 1` writable bytes, checked above, and cannot
    // overlap the thread-local String we copied from.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.cast::<u8>(), bytes.len());
        *buf.add(bytes.len()) = 0;
    }
    tillit_status::TILLIT_OK
}

/// Releases a string that tillit returned. NULL is accepted and ignored.
///
/// # Safety
/// `s` must be NULL or a pointer tillit returned as a string that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the caller promises `s` came from `CString::into_raw` in `write_string`.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// Reads a NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL, and the caller promises NUL termination and validity.
    let cstr = unsafe { CStr::from_ptr(ptr) };
    cstr.to_str().map_err(|e| {
        Failure::invalid(format!(
            "argument `{name}` is not valid UTF-8 (first bad byte at offset {}); pass UTF-8 text",
            e.valid_up_to()
        ))
    })
}

/// Reads an optional NUL-terminated UTF-8 argument: NULL means `None`.
///
/// # Safety
/// As for [`str_arg`].
#[allow(dead_code)]
pub(crate) unsafe fn opt_str_arg<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded caller promise.
        unsafe { str_arg(ptr, name) }.map(Some)
    }
}

/// Writes a newly allocated copy of `value` to `*out`.
///
/// # Safety
/// `out` must be NULL or point to writable storage for one pointer.
pub(crate) unsafe fn write_string(
    out: *mut *mut c_char,
    name: &str,
    value: &str,
) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null(name));
    }
    let owned = CString::new(value).map_err(|_| {
        Failure::invalid(format!(
            "result for `{name}` contains a NUL byte and cannot be a C string"
        ))
    })?;
    // SAFETY: checked non-NULL; the caller promises it is writable.
    unsafe { *out = owned.into_raw() };
    Ok(())
}

/// Checks an output pointer before any work is done, so a NULL output never costs a hash.
#[allow(dead_code)]
pub(crate) fn out_arg<T>(ptr: *mut T, name: &str) -> Result<(), Failure> {
    if ptr.is_null() {
        Err(Failure::null(name))
    } else {
        Ok(())
    }
}
