//! C surface of gapless invoice number series: the `tillit_number_series` handle over the
//! memory or the SQLite store.
//!
//! `tillit_number_series_issue` hands the next number to a caller's callback and uses the
//! number only if the callback returns 0; on any other value the number goes back to the
//! series and the call returns `TILLIT_ERR_ISSUE_REFUSED`. One handle may be shared by any
//! number of threads: issues on it are serialised, and the SQLite store also serialises
//! issues across processes.

// Every unsafe block in this file reads or writes a caller's pointer through the NULL-checking
// helpers of `error.rs`, or calls the caller's callback, under the contract each function's
// `# Safety` section states.
#![allow(clippy::undocumented_unsafe_blocks)]

use std::ffi::{c_char, c_void};

use tillit::invoice::{InvoiceError, MemoryNumberSeries, NumberSeries, SqliteNumberSeries};

use crate::error::{Failure, guard, out_arg, str_arg, tillit_status};

/// Issues a document under `number`, with the `ctx` passed to `tillit_number_series_issue`.
/// Returns 0 to keep the number, anything else to refuse it (the number then goes back to
/// the series). It runs while the series is locked, so it must not issue from the same
/// series itself, and it must return normally (no `longjmp` out of it).
pub type tillit_issue_fn = Option<unsafe extern "C" fn(ctx: *mut c_void, number: u64) -> i32>;

/// Gapless number series (opaque). Make one with `tillit_number_series_new_memory` or
/// `tillit_number_series_open_sqlite`, release it with `tillit_number_series_free`. Safe to
/// share between threads.
#[derive(Debug)]
pub struct tillit_number_series {
    inner: Store,
}

/// The store behind a handle; `NumberSeries` has generic methods, so it cannot be boxed.
#[derive(Debug)]
enum Store {
    Memory(MemoryNumberSeries),
    Sqlite(SqliteNumberSeries),
}

impl Store {
    fn next_number(&self, series: &str) -> Result<u64, InvoiceError> {
        match self {
            Self::Memory(s) => s.next_number(series),
            Self::Sqlite(s) => s.next_number(series),
        }
    }

    fn issue<F>(&self, series: &str, issue: F) -> Result<u64, Failure>
    where
        F: FnOnce(u64) -> Result<u64, Failure>,
    {
        match self {
            Self::Memory(s) => s.issue(series, issue),
            Self::Sqlite(s) => s.issue(series, issue),
        }
    }
}

/// Writes a new handle to `*out`, which the caller checked for NULL.
///
/// # Safety
/// `out` must be non-NULL and writable.
unsafe fn give(out: *mut *mut tillit_number_series, inner: Store) {
    let handle = Box::new(tillit_number_series { inner });
    // SAFETY: the caller checked `out` and promises it is writable.
    unsafe { *out = Box::into_raw(handle) };
}

/// # Safety
/// `handle` must be NULL or a live handle.
unsafe fn series_arg<'a>(
    handle: *const tillit_number_series,
) -> Result<&'a tillit_number_series, Failure> {
    // SAFETY: the caller promises NULL or a live handle.
    unsafe { handle.as_ref() }.ok_or_else(|| Failure::null("series_handle"))
}

/// Makes number series in process memory; every series starts at 1.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_number_series_new_memory(
    out: *mut *mut tillit_number_series,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: checked non-NULL above.
        unsafe { give(out, Store::Memory(MemoryNumberSeries::new())) };
        Ok(())
    })
}

/// Opens (and creates, if missing) number series in the SQLite database file at `path`
/// (WAL mode; safe to share between threads and processes). Fails with `TILLIT_ERR_INVOICE`
/// when the file cannot be opened.
///
/// # Safety
/// `path` must be NULL or a NUL-terminated string; `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_number_series_open_sqlite(
    path: *const c_char,
    out: *mut *mut tillit_number_series,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: caller promises as documented.
        let path = unsafe { str_arg(path, "path") }?;
        let store = SqliteNumberSeries::open(path)?;
        // SAFETY: checked non-NULL above.
        unsafe { give(out, Store::Sqlite(store)) };
        Ok(())
    })
}

/// Releases number series; NULL is accepted.
///
/// # Safety
/// `series_handle` is NULL or came from `tillit_number_series_new_memory` or
/// `tillit_number_series_open_sqlite`, is not used again, and no other thread is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_number_series_free(series_handle: *mut tillit_number_series) {
    if !series_handle.is_null() {
        // SAFETY: the caller hands back ownership of a pointer made by Box::into_raw.
        drop(unsafe { Box::from_raw(series_handle) });
    }
}

/// Writes the number the next successful issue of the series `name` will get to `*out`,
/// without taking it. A name has 1 to 64 characters (`TILLIT_ERR_INVOICE` otherwise).
///
/// # Safety
/// `series_handle` must be NULL or a live handle; `name` NULL or NUL-terminated; `out` NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_number_series_next(
    series_handle: *const tillit_number_series,
    name: *const c_char,
    out: *mut u64,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: caller promises as documented.
        let handle = unsafe { series_arg(series_handle) }?;
        // SAFETY: caller promises as documented.
        let name = unsafe { str_arg(name, "name") }?;
        let next = handle.inner.next_number(name)?;
        // SAFETY: checked non-NULL above.
        unsafe { *out = next };
        Ok(())
    })
}

/// Takes the next number of the series `name` and calls `callback(ctx, number)` with it, in
/// one transaction. When the callback returns 0 the number is used and written to
/// `*number_out`. Any other value refuses it: the number goes back to the series (the next
/// issue gets it) and the call returns `TILLIT_ERR_ISSUE_REFUSED`, with a message naming the
/// number and the callback's value. Concurrent issues on one handle are serialised; the
/// callback runs on the calling thread.
///
/// # Safety
/// `series_handle` must be NULL or a live handle; `name` NULL or NUL-terminated; `callback`
/// NULL or a function honouring the `tillit_issue_fn` contract with `ctx`; `number_out` NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_number_series_issue(
    series_handle: *const tillit_number_series,
    name: *const c_char,
    callback: tillit_issue_fn,
    ctx: *mut c_void,
    number_out: *mut u64,
) -> tillit_status {
    guard(|| {
        out_arg(number_out, "number_out")?;
        // SAFETY: caller promises as documented.
        let handle = unsafe { series_arg(series_handle) }?;
        // SAFETY: caller promises as documented.
        let name = unsafe { str_arg(name, "name") }?;
        let callback = callback.ok_or_else(|| Failure::null("callback"))?;

        let number = handle.inner.issue(name, |number| {
            // SAFETY: the caller promises the callback honours its contract with `ctx`.
            match unsafe { callback(ctx, number) } {
                0 => Ok(number),
                refusal => Err(Failure::new(
                    tillit_status::TILLIT_ERR_ISSUE_REFUSED,
                    format!(
                        "the callback refused number {number} of series {name:?} (it returned \
                         {refusal}); the number was given back to the series"
                    ),
                )),
            }
        })?;
        // SAFETY: checked non-NULL above.
        unsafe { *number_out = number };
        Ok(())
    })
}
