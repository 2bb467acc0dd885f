//! The one error type of the Kotlin surface.
//!
//! It is a flat error: Kotlin sees a sealed class `TillitException` with one subclass per
//! variant, whose `message` is the core error's own sentence (what was wrong and what would be
//! right). Each capability adds its variants and a `From<CoreError>` here.

/// Every failure a tillit call can report to Kotlin.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum TillitError {
    /// An argument was outside what the function accepts.
    #[error("{0}")]
    InvalidArgument(String),
    /// A bug inside tillit; the message says where. Please report it.
    #[error("{0}")]
    Internal(String),
}
