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
    /// A retention rule, policy or input was invalid.
    #[error("{0}")]
    Retention(String),
    /// An invoice identifier, amount, JSON document or table was not acceptable.
    #[error("{0}")]
    Invoice(String),
    /// An invoice or credit note broke rules; the message lists every problem.
    #[error("{0}")]
    InvoiceInvalid(String),
    /// A bug inside tillit; the message says where. Please report it.
    #[error("{0}")]
    Internal(String),
    /// A stored password hash is malformed, of an unsupported algorithm or above the ceilings.
    #[error("{0}")]
    InvalidHash(String),
    /// The memory budget for password hashing stayed full for the whole wait; retry later.
    #[error("{0}")]
    Busy(String),
    /// Reading, writing or renaming failed, or a stream callback reported an error.
    #[error("{0}")]
    Io(String),
    /// A sealed backup is damaged, altered or truncated, or the key or passphrase is wrong;
    /// discard anything written so far.
    #[error("{0}")]
    BackupIntegrity(String),
    /// The key ring has no key of the right kind for the archive's key id.
    #[error("{0}")]
    BackupKey(String),
    /// The archive uses a format version, algorithm or key kind this library cannot read.
    #[error("{0}")]
    BackupFormat(String),
    /// The reset token was genuine but its lifetime is over; ask for a new link.
    #[error("{0}")]
    TokenExpired(String),
    /// The reset token is malformed, unknown, revoked, for another purpose or account, signed
    /// by a key not in the ring, or the account's password hash changed since it was issued.
    #[error("{0}")]
    TokenInvalid(String),
    /// The reset token was already used; each link works once.
    #[error("{0}")]
    TokenUsed(String),
    /// The requester asked for too many resets; the message says after how many seconds to
    /// try again.
    #[error("{0}")]
    Throttled(String),
    /// The new password breaks the password policy; the message lists every broken rule.
    #[error("{0}")]
    PasswordPolicy(String),
    /// An EHF document could not be written or read; the message names the model field or
    /// the document element (by its path) and says what would be right.
    #[error("{0}")]
    Ehf(String),
    /// The token store failed: I/O, SQL, or an exception thrown by a store written in Kotlin.
    #[error("{0}")]
    TokenStore(String),
    /// A `NumberIssuer` refused the number it was given; the number went back to the series.
    #[error("{0}")]
    IssueRefused(String),
}

impl From<tillit::password::PasswordError> for TillitError {
    fn from(e: tillit::password::PasswordError) -> Self {
        use tillit::password::PasswordError as E;
        let message = e.to_string();
        if e.is_invalid_hash() {
            return Self::InvalidHash(message);
        }
        match e {
            E::Busy { .. } => Self::Busy(message),
            E::RandomUnavailable | E::Argon2 { .. } | E::OutOfMemory { .. } => {
                Self::Internal(message)
            }
            _ => Self::InvalidArgument(message),
        }
    }
}

impl From<tillit::retention::RetentionError> for TillitError {
    fn from(error: tillit::retention::RetentionError) -> Self {
        Self::Retention(error.to_string())
    }
}

impl From<tillit::backup::BackupError> for TillitError {
    fn from(e: tillit::backup::BackupError) -> Self {
        use tillit::backup::BackupError as E;
        let message = e.to_string();
        match e {
            e if e.is_integrity_failure() => Self::BackupIntegrity(message),
            E::UnknownKeyId { .. } | E::KeyKindMismatch { .. } => Self::BackupKey(message),
            E::UnsupportedVersion { .. }
            | E::UnknownAlgorithm { .. }
            | E::UnknownKeyKind { .. } => Self::BackupFormat(message),
            E::Io { .. } | E::Random => Self::Io(message),
            _ => Self::InvalidArgument(message),
        }
    }
}

/// The first line of an exception a Kotlin callback threw: uniffi hands over the whole stack
/// trace, whose first line names the exception and its message.
pub(crate) fn thrown(e: &uniffi::UnexpectedUniFFICallbackError) -> &str {
    e.reason.lines().next().unwrap_or_default().trim()
}
