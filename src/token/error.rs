//! Errors of the reset-token module: one enum for the flow and one for storage backends.
//!
//! The flow's errors fall into the families the bindings expose: expired, invalid (malformed,
//! unknown, wrong purpose or account, password hash changed, unknown signing key), used,
//! throttled and password-policy refusals. [`TokenError::kind`] names the family so each
//! binding maps it in one place.

use crate::token::flow::PolicyViolation;

/// Why a storage backend failed. Backends written by users return these too.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A token with the same selector is already stored; selectors must be unique.
    #[error("a token with this selector is already stored; selectors must be unique")]
    DuplicateSelector,
    /// The backend itself failed (I/O, SQL, a host-language exception).
    #[error("token store failed: {message}")]
    Backend {
        /// What the backend reported.
        message: String,
    },
}

impl StoreError {
    /// A backend failure with the given message.
    pub fn backend(message: impl Into<String>) -> Self {
        Self::Backend {
            message: message.into(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        Self::backend(format!("sqlite: {err}"))
    }
}

/// The family an error belongs to, as the bindings expose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenErrorKind {
    /// The token was well formed and genuine but its time is up.
    Expired,
    /// The token is malformed, unknown, for another purpose or account, or no longer
    /// applies because the password hash changed.
    Invalid,
    /// The token has already been consumed.
    Used,
    /// The requester asked for too many resets.
    Throttled,
    /// The new password breaks the password policy.
    Policy,
    /// Configuration or arguments were wrong.
    Config,
    /// The store or the operating system failed.
    Internal,
}

/// Everything that can go wrong when issuing, checking or completing a reset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The text is not a token of the expected kind.
    #[error("reset token is malformed: {reason}")]
    Malformed {
        /// What was wrong with it.
        reason: String,
    },
    /// No stored token matches the selector and verifier (never issued, revoked or purged).
    #[error("reset token is not valid: no live token matches it; ask for a new reset link")]
    Unknown,
    /// The token's lifetime is over.
    #[error("reset token expired at unix time {expired_at} (now {now}); ask for a new reset link")]
    Expired {
        /// First second at which the token no longer worked.
        expired_at: i64,
        /// The instant of the check.
        now: i64,
    },
    /// The token was consumed already; it works only once.
    #[error("reset token has already been used; each link works once, ask for a new one")]
    Used,
    /// The token was issued for another purpose.
    #[error("reset token was issued for purpose {found:?}, not {expected:?}")]
    WrongPurpose {
        /// The purpose the caller expected.
        expected: String,
        /// The purpose the token carries.
        found: String,
    },
    /// The token was issued for another account than the caller expected.
    #[error("reset token was issued for another account than {expected:?}")]
    WrongAccount {
        /// The account the caller expected.
        expected: String,
    },
    /// A stateless token's signature does not match: altered, or signed by another key.
    #[error("reset token's signature does not match: it was altered or not signed by this service")]
    BadSignature,
    /// The account's stored password hash changed since the token was issued.
    #[error(
        "reset token no longer applies: the account's password hash changed since it was issued"
    )]
    HashChanged,
    /// A stateless token names a key id that is not in the key ring.
    #[error("reset token was signed with key id {key_id:?}, which is not in the key ring")]
    UnknownKey {
        /// The key id in the token.
        key_id: String,
    },
    /// The requester asked for too many resets within the window.
    #[error(
        "too many reset requests from this requester ({count} in the last {window_seconds} s, \
         limit {limit}); retry after {retry_after_seconds} s"
    )]
    Throttled {
        /// Requests already made in the window.
        count: u64,
        /// The per-requester limit.
        limit: u32,
        /// Length of the counting window in seconds.
        window_seconds: u64,
        /// Seconds until asking again can succeed.
        retry_after_seconds: u64,
    },
    /// The new password breaks one or more rules of the password policy.
    #[error("new password refused: {}", summarise(violations))]
    Policy {
        /// Every rule the password broke, in policy order.
        violations: Vec<PolicyViolation>,
    },
    /// An argument or a configuration value is out of range.
    #[error("invalid reset configuration: {reason}")]
    Config {
        /// What was wrong and what would be right.
        reason: String,
    },
    /// Hashing the new password failed.
    #[error("hashing the new password failed: {reason}")]
    Hash {
        /// What the hasher reported.
        reason: String,
    },
    /// The operating system's random generator failed.
    #[error("the operating system's random generator failed")]
    Random,
    /// The token store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn summarise(violations: &[PolicyViolation]) -> String {
    let parts: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    parts.join("; ")
}

impl TokenError {
    /// The family of this error, as the bindings expose it.
    pub fn kind(&self) -> TokenErrorKind {
        match self {
            Self::Expired { .. } => TokenErrorKind::Expired,
            Self::Malformed { .. }
            | Self::Unknown
            | Self::WrongPurpose { .. }
            | Self::WrongAccount { .. }
            | Self::HashChanged
            | Self::BadSignature
            | Self::UnknownKey { .. } => TokenErrorKind::Invalid,
            Self::Used => TokenErrorKind::Used,
            Self::Throttled { .. } => TokenErrorKind::Throttled,
            Self::Policy { .. } => TokenErrorKind::Policy,
            Self::Config { .. } => TokenErrorKind::Config,
            Self::Hash { .. } | Self::Random | Self::Store(_) => TokenErrorKind::Internal,
        }
    }

    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        Self::Malformed {
            reason: reason.into(),
        }
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Self::Config {
            reason: reason.into(),
        }
    }
}
