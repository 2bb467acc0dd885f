//! tillit ("trust" in Norwegian) is the security and compliance core of a Norwegian invoicing
//! service, as a library: password hashing, single-use reset tokens, retention rules from the
//! Norwegian Bookkeeping Act, invoice models with EHF (PEPPOL BIS Billing 3.0) e-invoices, and
//! sealed backups.
//!
//! This crate is the pure core: it has no FFI code and reads no clock of its own. Everything
//! that depends on time takes the current instant or date as an argument, so it can be tested.
//! The Python, Kotlin and C surfaces live in the `bindings/` crates of the repository and are
//! thin mappings of the types here.
//!
//! # Examples
//!
//! ```
//! assert!(tillit::version().starts_with("0."));
//! ```
//!
//! The rest of this page is the repository's README; its Rust example runs as a doctest.
#![doc = include_str!("../README.md")]
// The one exception is a system call advising huge pages for argon2 memory (password/budget.rs).
#![deny(unsafe_code)]

pub mod backup;
pub mod ehf;
pub mod invoice;
pub mod password;
pub mod retention;
pub mod token;

/// The version of this crate, as Cargo knows it (for example `"0.1.0"`).
///
/// Every binding exposes the same function, so a service can log which core it runs on.
///
/// # Examples
///
/// ```
/// let v = tillit::version();
/// assert_eq!(v.split('.').count(), 3);
/// ```
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
