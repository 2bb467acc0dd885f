//! Password reset tokens ("Glemt passord"): the time-limited link that works only once.
//!
//! A user who forgot the password asks for a reset with an e-mail address, receives a link
//! holding a token, and on the page it opens sets and confirms a new password. This module
//! keeps every promise of that flow:
//!
//! - [`ResetToken`]: a fixed prefix naming kind and version (`tlr1_`, so secret scanners can
//!   find leaked tokens), a 96-bit selector used as the lookup key and a 256-bit verifier,
//!   both from the OS CSPRNG, base64url without padding. Only a digest of the verifier is
//!   stored ([`VerifierDigest`]: SHA-256, or HMAC-SHA256 under a server key), compared in
//!   constant time.
//! - Life: a token expires (default 30 minutes, at most [`MAX_LIFETIME`]), works once, is
//!   bound to an account, a purpose and a keyed fingerprint of the account's stored PHC
//!   string, so any change of that string ends it.
//! - [`TokenStore`]: the small storage interface, with [`MemoryTokenStore`] and
//!   [`SqliteTokenStore`], and the [`conformance`] suite any other store can run.
//! - [`PasswordReset`]: the whole flow in one object: `request`, `peek`, `consume`,
//!   `complete`, with enumeration-safe requests and throttling ([`ThrottlePolicy`]).
//! - [`StatelessTokens`]: HMAC-signed tokens for services with no token table.
//! - [`ResetLinks`] and [`reset_page_headers`]: the URL in the mail and the reset page's
//!   response headers.
//!
//! Times are passed in by the caller (`now` arguments); nothing here reads a clock.

pub mod conformance;
mod digest;
mod error;
mod flow;
mod format;
mod headers;
mod link;
mod memory;
mod setter;
mod sqlite;
mod stateless;
mod store;
mod throttle;

pub use digest::{Fingerprint, ServerKey, VerifierDigest};
pub use error::{StoreError, TokenError, TokenErrorKind};
pub use flow::{
    Account, CompletedReset, ConsumedToken, DEFAULT_LIFETIME, MAX_LIFETIME, PasswordReset,
    PasswordSetter, PendingReset, PolicyViolation, ResetConfig, ResetMail, ResetRequest,
};
pub use format::{Purpose, RESET_TOKEN_PREFIX, ResetToken, SELECTOR_LEN, Selector, VERIFIER_LEN};
pub use headers::{DEFAULT_HSTS, reset_page_headers, reset_page_headers_with_hsts};
pub use link::{LinkPlacement, ResetLinks};
pub use memory::MemoryTokenStore;
pub use setter::PolicyHasher;
pub use sqlite::SqliteTokenStore;
pub use stateless::{STATELESS_TOKEN_PREFIX, StatelessClaims, StatelessKey, StatelessTokens};
pub use store::{RequestEvent, TokenRecord, TokenStore};
pub use throttle::{ThrottleDecision, ThrottlePolicy};
