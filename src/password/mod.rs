//! Password storage and login: argon2id hashing to PHC strings with presets, ceilings, a
//! memory budget, a pepper key ring and versioned canonicalisation; constant-time
//! verification with upgrade on login; the policy for new passwords (NIST SP 800-63B-4);
//! login throttling; and calibration.
//!
//! # A login, start to end
//! ```
//! use tillit::password::{Params, PasswordHasher, PasswordPolicy, Verification};
//! # let params = Params::new(64, 1, 1)?; // tiny parameters keep the example fast
//! let hasher = PasswordHasher::new(params)?; // in production: Params::OWASP (the default)
//! let policy = PasswordPolicy::default();
//!
//! // Sign-up: check the new password, then store only its hash.
//! let pw = "violet kettle under the bridge";
//! assert!(policy.check(pw, Some(pw), &["kari@example.no", "Kari Nordmann"]).is_empty());
//! let mut stored = hasher.hash(pw)?;
//!
//! // Login: three outcomes; store the fresh hash when one comes back.
//! match hasher.verify(pw, &stored)? {
//!     Verification::Invalid => unreachable!("right password"),
//!     Verification::Valid => {}
//!     Verification::ValidNeedsUpgrade { new_hash } => stored = new_hash,
//! }
//! // Unknown e-mail: same work, always invalid.
//! assert!(!hasher.verify_unknown_user(pw)?.is_valid());
//! # let _ = stored;
//! # Ok::<(), tillit::password::PasswordError>(())
//! ```
//!
//! # Secrets in memory
//! Canonical forms of passwords, peppers, argon2's working memory and derived tags are wiped
//! when dropped. Strings the caller owns (and, in the bindings, host-language strings such as
//! Python `str` or JVM `String`) are outside this module's reach: pass bytes
//! ([`PasswordHasher::hash_bytes`], [`PasswordHasher::verify_bytes`]) to be able to wipe them.

mod budget;
mod calibrate;
mod canon;
mod error;
mod hasher;
mod params;
mod pepper;
mod phc_string;
mod policy;
pub mod throttle;

pub use budget::MemoryBudget;
pub use calibrate::calibrate;
pub use canon::{Canonicalization, canonicalize};
pub use error::PasswordError;
#[doc(hidden)]
pub use hasher::argon2id_raw;
pub use hasher::{
    DEFAULT_BUDGET_WAIT, DEFAULT_MAX_BYTES, PasswordHasher, PasswordHasherBuilder, Verification,
};
pub use params::{Ceilings, Params, SALT_LEN, TAG_LEN};
pub use pepper::{MAX_PEPPER_LEN, MIN_PEPPER_LEN, PepperRing};
pub use policy::{
    FLOOR_MAX_LENGTH, FLOOR_MIN_LENGTH, PasswordPolicy, PolicyRule, Violation, is_common_password,
};
