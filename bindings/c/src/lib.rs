//! The C ABI of tillit.
//!
//! Conventions, the same for every function (the generated `include/tillit.h` repeats them):
//! - every function returns a `tillit_status`; `TILLIT_OK` (zero) is success, every error code
//!   is 1000 or above, and `tillit_last_error_message` gives the sentence that explains the
//!   last error on the calling thread;
//! - inputs come before outputs; outputs are written only on success;
//! - every pointer is checked for NULL, every string must be NUL-terminated UTF-8;
//! - objects are opaque handles made by `tillit_<type>_new` and released by
//!   `tillit_<type>_free` (which accepts NULL); strings returned by tillit are released with
//!   `tillit_string_free`;
//! - a Rust panic never crosses the boundary: it becomes `TILLIT_ERR_PANIC`.
//!
//! Each capability has its own file; `error.rs` holds the status codes and the helpers that
//! every function body runs inside.

#![allow(non_camel_case_types)]

mod backup;
mod ehf;
mod erasure;
mod error;
mod invoice;
mod links;
mod password;
mod retention;
mod series;
mod token;

pub use backup::*;
pub use ehf::{tillit_credit_note_to_ehf, tillit_from_ehf, tillit_invoice_to_ehf};
pub use erasure::*;
pub use error::{tillit_last_error_message, tillit_status, tillit_status_name, tillit_string_free};
pub use links::*;
pub use retention::*;
pub use series::*;
pub use token::tillit_password_reset;

use std::ffi::c_char;

use error::{guard, write_string};

/// Writes the version of the tillit core (for example `"0.1.0"`) to `*out`.
///
/// Release the string with `tillit_string_free`.
///
/// # Safety
/// `out` must be NULL or point to writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_version(out: *mut *mut c_char) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises `out` is NULL or writable; write_string checks NULL.
        unsafe { write_string(out, "out", tillit::version()) }
    })
}

/// Panics inside tillit on purpose, so tests can prove that a panic comes back as
/// `TILLIT_ERR_PANIC` and never aborts the process. Not for production use.
#[unsafe(no_mangle)]
pub extern "C" fn tillit_test_panic() -> tillit_status {
    guard(|| std::panic::panic_any("deliberate panic raised by tillit_test_panic"))
}
