//! The uniffi component behind the Kotlin bindings (package `no.tillit`).
//!
//! Each capability has its own file of `#[uniffi::export]` objects and functions; `error.rs`
//! holds the single error type every exported function returns, so Kotlin callers catch one
//! sealed `TillitException` hierarchy. The Kotlin sources are generated from the compiled
//! library by the in-workspace `uniffi-bindgen`, never committed.

mod backup;
mod ehf;
mod erasure;
mod error;
mod invoice;
mod password;
mod retention;
mod series;
mod token;
mod types;

pub use error::TillitError;

uniffi::setup_scaffolding!("tillit");

/// The version of the tillit core this library was built from.
#[uniffi::export]
pub fn version() -> String {
    tillit::version().to_owned()
}
