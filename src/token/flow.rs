//! The whole "forgot password" flow as one object: [`PasswordReset`].
//!
//! `request` takes the e-mail address, the account found for it (or nothing) and the
//! requester, and does the same work either way: it counts and records the request,
//! generates a token, digests it, fingerprints a stored hash (a dummy one for unknown
//! addresses) and writes one record (an already-expired decoy when no mail goes out). The
//! outcome has one shape; only its [`ResetRequest::mail`] tells the caller, out of band,
//! whether to send a mail and with which link. `peek` checks a token without using it, so
//! mail scanners that open links burn nothing; `consume` uses it exactly once through the
//! store's atomic take; `complete` checks the new password against the policy, hashes it,
//! consumes the token and revokes the account's other tokens.
//!
//! The password policy and hasher sit behind the small [`PasswordSetter`] seam, so the flow
//! can be tested alone and a service can plug in its own rules.

use std::sync::Arc;

use ring::rand::SystemRandom;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use crate::token::digest::{ServerKey, VerifierDigest};
use crate::token::error::TokenError;
use crate::token::format::{Purpose, ResetToken};
use crate::token::link::ResetLinks;
use crate::token::store::{RequestEvent, TokenRecord, TokenStore};
use crate::token::throttle::{ThrottleDecision, ThrottlePolicy};

/// Default token lifetime: 30 minutes.
pub const DEFAULT_LIFETIME: Duration = Duration::minutes(30);
/// Longest lifetime a token may be given: 1 hour. A reset link is read within minutes; a
/// link that lives for days is a standing key to the account in every mailbox backup.
pub const MAX_LIFETIME: Duration = Duration::hours(1);
/// Shortest lifetime a token may be given: 1 minute.
pub const MIN_LIFETIME: Duration = Duration::minutes(1);

/// Longest accepted e-mail address in bytes (RFC 5321 path limit, rounded up).
const MAX_EMAIL_BYTES: usize = 320;
/// Longest accepted requester identifier in bytes.
const MAX_REQUESTER_BYTES: usize = 256;
/// Longest accepted account id in bytes.
const MAX_ACCOUNT_BYTES: usize = 255;

/// Fingerprinted in place of a stored hash for unknown addresses, so both paths hash a PHC
/// string of typical length.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$\
                          AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

pub(crate) fn validate_lifetime(lifetime: Duration) -> Result<(), TokenError> {
    if lifetime < MIN_LIFETIME || lifetime > MAX_LIFETIME {
        return Err(TokenError::config(format!(
            "token lifetime is {} s, it must be between {} s and {} s",
            lifetime.whole_seconds(),
            MIN_LIFETIME.whole_seconds(),
            MAX_LIFETIME.whole_seconds()
        )));
    }
    Ok(())
}

/// One rule a new password broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyViolation {
    /// Short name of the rule (for example `too_short`).
    pub rule: String,
    /// What was wrong and what would be right.
    pub message: String,
}

/// The seam to the password policy and hasher used by [`PasswordReset::complete`].
pub trait PasswordSetter: Send + Sync {
    /// Every rule the new password breaks (empty when it is acceptable), including a
    /// confirmation that does not match.
    fn check(
        &self,
        password: &str,
        confirmation: &str,
        user_inputs: &[&str],
    ) -> Vec<PolicyViolation>;

    /// The PHC string to store for an accepted password.
    ///
    /// # Errors
    /// [`TokenError::Hash`] when hashing fails.
    fn hash(&self, password: &str) -> Result<Zeroizing<String>, TokenError>;
}

/// Settings of the flow. Start from [`ResetConfig::new`] and change what you need.
#[derive(Debug, Clone)]
pub struct ResetConfig {
    /// How links are built.
    pub links: ResetLinks,
    /// Token lifetime, between one minute and [`MAX_LIFETIME`].
    pub lifetime: Duration,
    /// Request limits.
    pub throttle: ThrottlePolicy,
    /// How verifiers are digested before they are stored.
    pub digest: VerifierDigest,
    /// The purpose tokens of this flow carry.
    pub purpose: Purpose,
}

impl ResetConfig {
    /// Defaults: 30 minutes, [`ThrottlePolicy::default`], SHA-256 digests, purpose
    /// `password-reset`.
    pub fn new(links: ResetLinks) -> Self {
        Self {
            links,
            lifetime: DEFAULT_LIFETIME,
            throttle: ThrottlePolicy::default(),
            digest: VerifierDigest::default(),
            purpose: Purpose::password_reset(),
        }
    }
}

/// The account an e-mail address belongs to, as the caller found it.
#[derive(Debug, Clone, Copy)]
pub struct Account<'a> {
    /// The caller's identifier of the account.
    pub id: &'a str,
    /// The account's stored PHC string, which the token is bound to.
    pub stored_hash: &'a str,
}

/// The mail to send: present only when a known account may receive one.
#[derive(Debug, Clone)]
pub struct ResetMail {
    /// The account the token resets.
    pub account_id: String,
    /// The address to send to, as given.
    pub email: String,
    /// The link to put in the mail.
    pub link: Zeroizing<String>,
    /// The bare token (already inside the link).
    pub token: Zeroizing<String>,
    /// When the link stops working.
    pub expires_at: OffsetDateTime,
}

/// The outcome of a reset request. Its shape is the same whether or not the address has an
/// account; answer the requester identically in every case.
#[derive(Debug, Clone)]
pub struct ResetRequest {
    mail: Option<ResetMail>,
    suppressed: bool,
}

impl ResetRequest {
    /// The mail to send, if any. Out-of-band information: never let the response depend on
    /// it.
    pub fn mail(&self) -> Option<&ResetMail> {
        self.mail.as_ref()
    }

    /// Takes the mail out.
    pub fn into_mail(self) -> Option<ResetMail> {
        self.mail
    }

    /// True when the per-address limit silently stopped a mail (for the operator's logs,
    /// never for the requester).
    pub fn suppressed(&self) -> bool {
        self.suppressed
    }
}

/// A token that checked out, not yet used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingReset {
    /// The account it resets.
    pub account_id: String,
    /// When it was issued.
    pub issued_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

/// A token that was consumed by this call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumedToken {
    /// The account it resets.
    pub account_id: String,
}

/// A finished reset: store `new_hash` for `account_id`, with a compare-and-set on the hash
/// that was passed in.
#[derive(Debug, Clone)]
pub struct CompletedReset {
    /// The account whose password changes.
    pub account_id: String,
    /// The new PHC string to store.
    pub new_hash: Zeroizing<String>,
    /// How many other outstanding tokens of the account were revoked.
    pub revoked_tokens: u64,
}

/// The password-reset flow over a token store. Cheap to share (`Send + Sync`).
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use time::OffsetDateTime;
/// use tillit::token::*;
///
/// struct Plain; // a stand-in password policy and hasher, for the example only
/// impl PasswordSetter for Plain {
///     fn check(&self, pw: &str, confirm: &str, _: &[&str]) -> Vec<PolicyViolation> {
///         if pw == confirm { vec![] } else {
///             vec![PolicyViolation { rule: "confirmation".into(), message: "differs".into() }]
///         }
///     }
///     fn hash(&self, pw: &str) -> Result<zeroize::Zeroizing<String>, TokenError> {
///         Ok(format!("$plain${pw}").into())
///     }
/// }
///
/// let links = ResetLinks::new("https://app.example.no/reset", LinkPlacement::Query)?;
/// let reset = PasswordReset::new(
///     Arc::new(MemoryTokenStore::new()),
///     ServerKey::new(&[7u8; 32])?,
///     ResetConfig::new(links),
///     Arc::new(Plain),
/// )?;
/// let now = OffsetDateTime::from_unix_timestamp(1_760_000_000).expect("valid time");
/// let stored = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
/// let account = Account { id: "acct-1", stored_hash: stored };
///
/// let outcome = reset.request("kari@example.no", Some(account), "203.0.113.9", now)?;
/// let mail = outcome.mail().expect("a known account gets a mail");
/// assert!(reset.peek(&mail.link, Some(stored), now).is_ok()); // a scanner opens it
/// let done = reset.complete(&mail.token, "new pw", "new pw", stored, &[], now)?;
/// assert_eq!(done.account_id, "acct-1");
/// assert!(matches!(
///     reset.complete(&mail.token, "new pw", "new pw", stored, &[], now),
///     Err(TokenError::Used)
/// ));
/// # Ok::<(), TokenError>(())
/// ```
pub struct PasswordReset {
    store: Arc<dyn TokenStore>,
    key: ServerKey,
    config: ResetConfig,
    password: Arc<dyn PasswordSetter>,
    rng: SystemRandom,
}

impl std::fmt::Debug for PasswordReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordReset")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn unix(t: i64) -> Result<OffsetDateTime, TokenError> {
    OffsetDateTime::from_unix_timestamp(t).map_err(|_| {
        TokenError::Store(crate::token::StoreError::backend(format!(
            "stored time {t} is out of range"
        )))
    })
}

impl PasswordReset {
    /// Builds the flow after validating the configuration.
    ///
    /// # Errors
    /// [`TokenError::Config`] for a lifetime or throttle policy out of range.
    pub fn new(
        store: Arc<dyn TokenStore>,
        key: ServerKey,
        config: ResetConfig,
        password: Arc<dyn PasswordSetter>,
    ) -> Result<Self, TokenError> {
        validate_lifetime(config.lifetime)?;
        config.throttle.validate()?;
        Ok(Self {
            store,
            key,
            config,
            password,
            rng: SystemRandom::new(),
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &ResetConfig {
        &self.config
    }

    /// The store behind the flow.
    pub fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    /// Handles "forgot password" for an address. Pass the account found for the address, or
    /// `None`; the work done and the outcome's shape are the same either way. The
    /// per-address limit silently suppresses the mail; only the per-requester limit is an
    /// error.
    ///
    /// # Errors
    /// [`TokenError::Throttled`] when the requester asked too often (the same for known and
    /// unknown addresses); [`TokenError::Config`] for an empty or over-long address,
    /// requester or account id; store and random-generator failures.
    pub fn request(
        &self,
        email: &str,
        account: Option<Account<'_>>,
        requester: &str,
        now: OffsetDateTime,
    ) -> Result<ResetRequest, TokenError> {
        let trimmed = email.trim();
        if trimmed.is_empty() || trimmed.len() > MAX_EMAIL_BYTES {
            return Err(TokenError::config(format!(
                "e-mail address must be 1 to {MAX_EMAIL_BYTES} bytes long"
            )));
        }
        if requester.is_empty() || requester.len() > MAX_REQUESTER_BYTES {
            return Err(TokenError::config(format!(
                "requester must be 1 to {MAX_REQUESTER_BYTES} bytes long (for example the \
                 client's IP address)"
            )));
        }
        if let Some(a) = account
            && (a.id.is_empty() || a.id.len() > MAX_ACCOUNT_BYTES)
        {
            return Err(TokenError::config(format!(
                "account id must be 1 to {MAX_ACCOUNT_BYTES} bytes long"
            )));
        }

        let now_s = now.unix_timestamp();
        let throttle = self.config.throttle;
        let window = i64::try_from(throttle.window_seconds).unwrap_or(i64::MAX);
        // The window holds the last `window` seconds, this one included.
        let since = now_s.saturating_sub(window).saturating_add(1);
        let email_key = self.key.email_key(trimmed);
        let email_count = self.store.count_requests_for_email(&email_key, since)?;
        let requester_count = self.store.count_requests_for_requester(requester, since)?;
        let decision = throttle.decide(email_count, requester_count);
        if let ThrottleDecision::RefuseRequester {
            retry_after_seconds,
        } = decision
        {
            return Err(TokenError::Throttled {
                count: requester_count,
                limit: throttle.max_per_requester,
                window_seconds: throttle.window_seconds,
                retry_after_seconds,
            });
        }
        self.store.record_request(&RequestEvent {
            email_key,
            requester: requester.to_owned(),
            at: now_s,
        })?;

        // From here on both paths do the same work: one token, one digest, one fingerprint,
        // one insert. Without a mail to send, the record is a decoy that is born expired and
        // belongs to no account, so it can never be used and `purge` removes it.
        let sends = decision == ThrottleDecision::Issue && account.is_some();
        let token = ResetToken::generate(&self.rng)?;
        let verifier_digest = self.config.digest.digest(&self.key, token.verifier());
        let stored_hash = account.map_or(DUMMY_HASH, |a| a.stored_hash);
        let fingerprint = self.key.fingerprint(stored_hash);
        let expires = now + self.config.lifetime;
        let record = TokenRecord {
            selector: token.selector(),
            verifier_digest,
            account_id: if sends {
                account.map_or("", |a| a.id).to_owned()
            } else {
                String::new()
            },
            purpose: self.config.purpose.as_str().to_owned(),
            fingerprint: fingerprint.0,
            issued_at: now_s,
            expires_at: if sends {
                expires.unix_timestamp()
            } else {
                now_s
            },
            consumed_at: None,
        };
        self.store.insert(&record)?;
        let text = token.to_text();
        let link = Zeroizing::new(self.config.links.build(&text));

        let mail = match account {
            Some(a) if sends => Some(ResetMail {
                account_id: a.id.to_owned(),
                email: trimmed.to_owned(),
                link,
                token: text,
                expires_at: expires,
            }),
            _ => None,
        };
        Ok(ResetRequest {
            mail,
            suppressed: decision == ThrottleDecision::SuppressMail,
        })
    }

    /// Finds and checks a token (text or pasted link) without using it.
    fn check(&self, token: &str, now_s: i64) -> Result<(ResetToken, TokenRecord), TokenError> {
        let text = Zeroizing::new(ResetLinks::extract_token(token)?);
        let token = ResetToken::parse(&text)?;
        let record = self
            .store
            .peek(&token.selector())?
            .ok_or(TokenError::Unknown)?;
        // A wrong verifier is reported like an unknown selector: selectors are not secret,
        // and the answer must not confirm that one exists.
        if !self
            .config
            .digest
            .verify(&self.key, token.verifier(), &record.verifier_digest)
            || record.account_id.is_empty()
        {
            return Err(TokenError::Unknown);
        }
        if record.purpose != self.config.purpose.as_str() {
            return Err(TokenError::WrongPurpose {
                expected: self.config.purpose.as_str().to_owned(),
                found: record.purpose,
            });
        }
        if record.consumed_at.is_some() {
            return Err(TokenError::Used);
        }
        if now_s >= record.expires_at {
            return Err(TokenError::Expired {
                expired_at: record.expires_at,
                now: now_s,
            });
        }
        Ok((token, record))
    }

    fn check_fingerprint(&self, record: &TokenRecord, stored_hash: &str) -> Result<(), TokenError> {
        if self
            .key
            .fingerprint(stored_hash)
            .matches(&record.fingerprint)
        {
            Ok(())
        } else {
            Err(TokenError::HashChanged)
        }
    }

    /// Checks a token without using it: for the reset page's first view, which mail link
    /// scanners also open. Pass the account's current stored hash when you have it; without
    /// it the fingerprint is checked only by [`consume`](Self::consume) and
    /// [`complete`](Self::complete). The account id in the answer tells you whose hash to
    /// load.
    ///
    /// # Errors
    /// [`TokenError::Malformed`], [`TokenError::Unknown`], [`TokenError::WrongPurpose`],
    /// [`TokenError::Used`], [`TokenError::Expired`], [`TokenError::HashChanged`], store
    /// failures.
    pub fn peek(
        &self,
        token: &str,
        current_hash: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<PendingReset, TokenError> {
        let (_, record) = self.check(token, now.unix_timestamp())?;
        if let Some(hash) = current_hash {
            self.check_fingerprint(&record, hash)?;
        }
        Ok(PendingReset {
            account_id: record.account_id,
            issued_at: unix(record.issued_at)?,
            expires_at: unix(record.expires_at)?,
        })
    }

    /// Uses a token, exactly once: checks it against the account's current stored hash,
    /// then takes it atomically from the store. Of concurrent calls, one succeeds and the
    /// others get [`TokenError::Used`].
    ///
    /// # Errors
    /// As [`peek`](Self::peek), plus [`TokenError::Used`] when another call won.
    pub fn consume(
        &self,
        token: &str,
        current_hash: &str,
        now: OffsetDateTime,
    ) -> Result<ConsumedToken, TokenError> {
        let now_s = now.unix_timestamp();
        let (token, record) = self.check(token, now_s)?;
        self.check_fingerprint(&record, current_hash)?;
        self.take(&token, &record, now_s)?;
        Ok(ConsumedToken {
            account_id: record.account_id,
        })
    }

    fn take(&self, token: &ResetToken, seen: &TokenRecord, now_s: i64) -> Result<(), TokenError> {
        let taken = self
            .store
            .take(&token.selector(), now_s)?
            .ok_or(TokenError::Used)?;
        // The record taken must be the one checked; a store that swapped it in between is
        // answered as if the token were unknown.
        if !self
            .config
            .digest
            .verify(&self.key, token.verifier(), &taken.verifier_digest)
            || taken.account_id != seen.account_id
        {
            return Err(TokenError::Unknown);
        }
        Ok(())
    }

    /// Finishes a reset: checks the token and the new password (policy and confirmation),
    /// hashes the password, consumes the token, and revokes the account's other tokens.
    /// Store the returned hash with a compare-and-set on `current_hash`.
    ///
    /// A password refused by the policy leaves the token usable, so the user can try again.
    ///
    /// # Errors
    /// As [`consume`](Self::consume), plus [`TokenError::Policy`] with every broken rule and
    /// [`TokenError::Hash`].
    pub fn complete(
        &self,
        token: &str,
        new_password: &str,
        confirmation: &str,
        current_hash: &str,
        user_inputs: &[&str],
        now: OffsetDateTime,
    ) -> Result<CompletedReset, TokenError> {
        let now_s = now.unix_timestamp();
        let (token, record) = self.check(token, now_s)?;
        self.check_fingerprint(&record, current_hash)?;
        let violations = self.password.check(new_password, confirmation, user_inputs);
        if !violations.is_empty() {
            return Err(TokenError::Policy { violations });
        }
        // Hash before taking: a hashing failure must not burn the token.
        let new_hash = self.password.hash(new_password)?;
        self.take(&token, &record, now_s)?;
        let revoked_tokens = self.store.revoke_all(&record.account_id)?;
        Ok(CompletedReset {
            account_id: record.account_id,
            new_hash,
            revoked_tokens,
        })
    }

    /// Revokes every outstanding token of an account (for example after a password change
    /// made elsewhere, or when an administrator locks the account).
    ///
    /// # Errors
    /// Store failures.
    pub fn revoke_all(&self, account_id: &str) -> Result<u64, TokenError> {
        Ok(self.store.revoke_all(account_id)?)
    }

    /// Removes expired tokens and request events older than the throttle window.
    ///
    /// # Errors
    /// Store failures.
    pub fn purge(&self, now: OffsetDateTime) -> Result<u64, TokenError> {
        let now_s = now.unix_timestamp();
        let window = i64::try_from(self.config.throttle.window_seconds).unwrap_or(i64::MAX);
        Ok(self.store.purge(now_s, now_s.saturating_sub(window))?)
    }
}
