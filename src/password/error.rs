//! The one error type of the password module: every way hashing, verifying, configuring or
//! calibrating can fail, each variant carrying the data a caller or an operator needs, with a
//! lowercase message that says what was wrong and what would be right.

use std::time::Duration;

/// Everything that can go wrong in [`crate::password`].
///
/// A stored hash that is malformed, of an unsupported algorithm or above the policy's ceilings
/// gives [`PasswordError::InvalidHash`], [`PasswordError::UnsupportedAlgorithm`] or
/// [`PasswordError::HashExceedsCeiling`]; [`PasswordError::is_invalid_hash`] groups the three.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    /// The stored hash is not a well-formed argon2 PHC string.
    #[error("invalid stored hash: {reason}")]
    InvalidHash {
        /// What is wrong with the string, and what a valid one would have.
        reason: String,
    },

    /// The stored hash names an algorithm other than argon2id.
    #[error("unsupported algorithm `{algorithm}`: only argon2id hashes are verified")]
    UnsupportedAlgorithm {
        /// The algorithm identifier found in the stored hash (cut to 32 characters).
        algorithm: String,
    },

    /// A parameter of the stored hash is above (or below) the policy's ceilings, so it is
    /// refused before any memory is allocated.
    #[error("stored hash {param} {value} is outside the allowed range {min}..={max}")]
    HashExceedsCeiling {
        /// Which parameter: `memory_kib`, `time_cost`, `parallelism`, `salt_len` or `tag_len`.
        param: &'static str,
        /// The value found in the stored hash.
        value: u64,
        /// The smallest value the policy accepts.
        min: u64,
        /// The largest value the policy accepts.
        max: u64,
    },

    /// A configured parameter (hash parameters, ceilings, budget, byte cap) is out of range.
    #[error("{param} {value} is outside the allowed range {min}..={max}")]
    ParamsOutOfRange {
        /// Which setting.
        param: &'static str,
        /// The value given.
        value: u64,
        /// The smallest allowed value.
        min: u64,
        /// The largest allowed value.
        max: u64,
    },

    /// Every permit of the memory budget stayed taken for the whole wait.
    #[error(
        "busy: no memory permit for {needed_kib} KiB became free within {waited:?}; retry later"
    )]
    Busy {
        /// Memory the hash needed, in KiB.
        needed_kib: u64,
        /// How long the call waited before giving up.
        waited: Duration,
    },

    /// The hash needs more memory than the whole budget holds, so it could never run.
    #[error("hash needs {needed_kib} KiB but the memory budget holds only {budget_kib} KiB")]
    ExceedsBudget {
        /// Memory the hash needs, in KiB.
        needed_kib: u64,
        /// The budget's capacity, in KiB.
        budget_kib: u64,
    },

    /// The allocator refused the hash's working memory.
    #[error("could not allocate {needed_kib} KiB of argon2 working memory")]
    OutOfMemory {
        /// Memory asked for, in KiB.
        needed_kib: u64,
    },

    /// The password is longer than the byte cap (checked on the raw and on the canonical form).
    #[error("password is {bytes} bytes, more than the cap of {max_bytes} bytes")]
    TooLong {
        /// Length found, in bytes.
        bytes: usize,
        /// The configured cap.
        max_bytes: usize,
    },

    /// A password given as bytes is not UTF-8.
    #[error("password bytes are not valid UTF-8 (valid up to byte {valid_up_to})")]
    InvalidUtf8 {
        /// Length of the longest valid UTF-8 prefix.
        valid_up_to: usize,
    },

    /// The stored hash names a pepper key id that the key ring does not hold.
    #[error("stored hash uses pepper key id `{key_id}`, which the key ring does not hold")]
    UnknownPepperKey {
        /// The key id found in the stored hash (printable form).
        key_id: String,
    },

    /// A pepper key or key id given to the key ring is unusable.
    #[error("invalid pepper: {reason}")]
    InvalidPepper {
        /// What is wrong and what would be right.
        reason: String,
    },

    /// The operating system's random generator failed.
    #[error("the operating system's random number generator failed")]
    RandomUnavailable,

    /// Calibration could not find parameters for the request.
    #[error("calibration failed: {reason}")]
    Calibration {
        /// Why, and what to change.
        reason: String,
    },

    /// The argon2 implementation refused its input; parameters are validated earlier, so this
    /// points at an inconsistency rather than at bad input.
    #[error("argon2 refused its input: {reason}")]
    Argon2 {
        /// The implementation's own message.
        reason: String,
    },
}

impl PasswordError {
    /// True when the error is about the stored hash itself (malformed, unsupported algorithm,
    /// parameters outside the ceilings): what a tampered or foreign database row gives.
    ///
    /// # Examples
    /// ```
    /// use tillit::password::PasswordHasher;
    /// let hasher = PasswordHasher::builder().build()?;
    /// let err = hasher.verify("pw", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
    ///     .expect_err("memory above the ceiling");
    /// assert!(err.is_invalid_hash());
    /// # Ok::<(), tillit::password::PasswordError>(())
    /// ```
    #[must_use]
    pub fn is_invalid_hash(&self) -> bool {
        matches!(
            self,
            Self::InvalidHash { .. }
                | Self::UnsupportedAlgorithm { .. }
                | Self::HashExceedsCeiling { .. }
        )
    }

    /// True for [`PasswordError::Busy`]: the caller may retry later.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Busy { .. })
    }

    pub(crate) fn invalid_hash(reason: impl Into<String>) -> Self {
        Self::InvalidHash {
            reason: reason.into(),
        }
    }
}

impl From<argon2::Error> for PasswordError {
    fn from(err: argon2::Error) -> Self {
        Self::Argon2 {
            reason: err.to_string(),
        }
    }
}
