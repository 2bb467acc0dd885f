//! The password capability for Kotlin: `PasswordHasher`, `PasswordPolicy`, `LoginThrottle`
//! objects and the `canonicalize`, `isCommonPassword` and `calibrate` functions. Passwords may
//! be given as `String` or as `ByteArray` (which the caller can wipe); tillit wipes its own
//! copies. A JVM `String` stays in the heap until collected, outside tillit's reach.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tillit::password::{
    self as core, Ceilings, MemoryBudget, Params, PepperRing, Verification,
    throttle::{DelayCurve, FailureRecord, ThrottleScope},
};
use zeroize::Zeroizing;

use crate::TillitError;

/// A pepper key under its key id (1 to 8 ASCII letters, digits, `-`, `_`, `.`).
#[derive(uniffi::Record)]
pub struct PepperKey {
    /// The id written in the hash's `keyid` field.
    pub key_id: String,
    /// The secret key, 16 to 1024 bytes.
    pub key: Vec<u8>,
}

/// The outcome of `verifyAndUpdate`.
#[derive(uniffi::Record)]
pub struct VerifyOutcome {
    /// True when the password matched.
    pub valid: bool,
    /// A fresh hash to store in place of the old one, when it should be upgraded.
    pub new_hash: Option<String>,
}

/// One refusal of the password policy.
#[derive(uniffi::Record)]
pub struct Violation {
    /// The rule's stable name, e.g. `too_short`.
    pub rule: String,
    /// Why, in a sentence fit to show the user.
    pub message: String,
}

/// Argon2id cost parameters.
#[derive(uniffi::Record)]
pub struct PasswordParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub time_cost: u32,
    /// Lanes.
    pub parallelism: u32,
}

/// What to do with a login attempt.
#[derive(uniffi::Record)]
pub struct ThrottleDecision {
    /// True when the attempt may go ahead.
    pub allowed: bool,
    /// How long to wait before the next attempt (zero when allowed).
    pub retry_after: Duration,
    /// `account` or `requester` when waiting.
    pub scope: Option<String>,
}

fn utf8(bytes: &[u8]) -> Result<&str, TillitError> {
    std::str::from_utf8(bytes).map_err(|e| {
        TillitError::from(core::PasswordError::InvalidUtf8 {
            valid_up_to: e.valid_up_to(),
        })
    })
}

/// Argon2id password hasher (PHC strings, upgrade on login, ceilings, memory budget, pepper).
#[derive(uniffi::Object)]
pub struct PasswordHasher {
    pub(crate) inner: core::PasswordHasher,
}

#[uniffi::export]
impl PasswordHasher {
    /// A hasher; the defaults are OWASP's parameters, the default ceilings (raised to fit the
    /// parameters), a budget of max(256 MiB, 4 hashes) with a 5 s wait and a 4096-byte cap.
    #[uniffi::constructor(default(
        memory_kib = 19456,
        time_cost = 2,
        parallelism = 1,
        pepper = None,
        old_peppers = [],
        max_memory_kib = None,
        max_time_cost = None,
        max_parallelism = None,
        budget_bytes = None,
        budget_wait = None,
        max_bytes = 4096,
        allow_argon2i = false
    ))]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        memory_kib: u32,
        time_cost: u32,
        parallelism: u32,
        pepper: Option<PepperKey>,
        old_peppers: Vec<PepperKey>,
        max_memory_kib: Option<u32>,
        max_time_cost: Option<u32>,
        max_parallelism: Option<u32>,
        budget_bytes: Option<u64>,
        budget_wait: Option<Duration>,
        max_bytes: u32,
        allow_argon2i: bool,
    ) -> Result<Arc<Self>, TillitError> {
        let params = Params::new(memory_kib, time_cost, parallelism)?;
        let d = Ceilings::default();
        let ceilings = d
            .with_max_memory_kib(max_memory_kib.unwrap_or(d.max_memory_kib().max(memory_kib)))?
            .with_max_time_cost(max_time_cost.unwrap_or(d.max_time_cost().max(time_cost)))?
            .with_max_parallelism(
                max_parallelism.unwrap_or(d.max_parallelism().max(parallelism)),
            )?;
        let max_bytes = usize::try_from(max_bytes)
            .map_err(|_| TillitError::InvalidArgument("max_bytes does not fit".to_owned()))?;
        let mut builder = core::PasswordHasher::builder()
            .params(params)
            .ceilings(ceilings)
            .max_bytes(max_bytes)
            .allow_argon2i(allow_argon2i);
        match pepper {
            Some(current) => {
                let key = Zeroizing::new(current.key);
                let mut ring = PepperRing::new(&current.key_id, &key)?;
                for old in old_peppers {
                    let old_key = Zeroizing::new(old.key);
                    ring = ring.with_old_key(&old.key_id, &old_key)?;
                }
                builder = builder.pepper(ring);
            }
            None if !old_peppers.is_empty() => {
                return Err(TillitError::InvalidArgument(
                    "old_peppers needs a current pepper: pass pepper too".to_owned(),
                ));
            }
            None => {}
        }
        if let Some(bytes) = budget_bytes {
            let wait = budget_wait.unwrap_or(core::DEFAULT_BUDGET_WAIT);
            builder = builder.budget(MemoryBudget::new(bytes, wait)?);
        }
        Ok(Arc::new(Self {
            inner: builder.build()?,
        }))
    }

    /// Memory cost of new hashes, in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.inner.params().memory_kib()
    }

    /// Passes of new hashes.
    pub fn time_cost(&self) -> u32 {
        self.inner.params().time_cost()
    }

    /// Lanes of new hashes.
    pub fn parallelism(&self) -> u32 {
        self.inner.params().parallelism()
    }

    /// Hashes a password into an argon2id PHC string.
    pub fn hash(&self, password: String) -> Result<String, TillitError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.hash(&password)?)
    }

    /// Hashes a password given as UTF-8 bytes (wipe your array after the call).
    pub fn hash_bytes(&self, password: Vec<u8>) -> Result<String, TillitError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.hash_bytes(&password)?)
    }

    /// True when the password matches the stored hash.
    pub fn verify(&self, password: String, stored: String) -> Result<bool, TillitError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.verify(&password, &stored)?.is_valid())
    }

    /// As `verify`, for a password given as UTF-8 bytes.
    pub fn verify_bytes(&self, password: Vec<u8>, stored: String) -> Result<bool, TillitError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.verify_bytes(&password, &stored)?.is_valid())
    }

    /// Verifies and, when the stored hash should be upgraded, returns a fresh one to store.
    pub fn verify_and_update(
        &self,
        password: String,
        stored: String,
    ) -> Result<VerifyOutcome, TillitError> {
        let password = Zeroizing::new(password);
        Ok(outcome(self.inner.verify(&password, &stored)?))
    }

    /// As `verifyAndUpdate`, for a password given as UTF-8 bytes.
    pub fn verify_and_update_bytes(
        &self,
        password: Vec<u8>,
        stored: String,
    ) -> Result<VerifyOutcome, TillitError> {
        let password = Zeroizing::new(password);
        Ok(outcome(self.inner.verify_bytes(&password, &stored)?))
    }

    /// True when the stored hash would be upgraded on the next successful login.
    pub fn needs_rehash(&self, stored: String) -> Result<bool, TillitError> {
        Ok(self.inner.needs_rehash(&stored)?)
    }

    /// Does the work of a verify for a user that does not exist; always false.
    pub fn verify_unknown_user(&self, password: String) -> Result<bool, TillitError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.verify_unknown_user(&password)?.is_valid())
    }

    /// As `verifyUnknownUser`, for a password given as UTF-8 bytes.
    pub fn verify_unknown_user_bytes(&self, password: Vec<u8>) -> Result<bool, TillitError> {
        let password = Zeroizing::new(password);
        Ok(self.inner.verify_unknown_user(utf8(&password)?)?.is_valid())
    }
}

fn outcome(v: Verification) -> VerifyOutcome {
    match v {
        Verification::Invalid => VerifyOutcome {
            valid: false,
            new_hash: None,
        },
        Verification::Valid => VerifyOutcome {
            valid: true,
            new_hash: None,
        },
        Verification::ValidNeedsUpgrade { new_hash } => VerifyOutcome {
            valid: true,
            new_hash: Some(new_hash),
        },
    }
}

/// Rules for new passwords (NIST SP 800-63B-4).
#[derive(uniffi::Object)]
pub struct PasswordPolicy {
    pub(crate) inner: core::PasswordPolicy,
}

#[uniffi::export]
impl PasswordPolicy {
    /// A policy; the defaults are the single-factor policy (15 code points minimum).
    #[uniffi::constructor(default(
        second_factor = false,
        min_length = 15,
        min_length_second_factor = 8,
        max_length = 256,
        max_bytes = 4096,
        check_common = true
    ))]
    pub fn new(
        second_factor: bool,
        min_length: u32,
        min_length_second_factor: u32,
        max_length: u32,
        max_bytes: u32,
        check_common: bool,
    ) -> Arc<Self> {
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        Arc::new(Self {
            inner: core::PasswordPolicy::default()
                .second_factor(second_factor)
                .min_length(n(min_length))
                .min_length_second_factor(n(min_length_second_factor))
                .max_length(n(max_length))
                .max_bytes(n(max_bytes))
                .check_common(check_common),
        })
    }

    /// The refusals of a new password; an empty list means accepted.
    #[uniffi::method(default(confirmation = None, user_inputs = []))]
    pub fn check(
        &self,
        password: String,
        confirmation: Option<String>,
        user_inputs: Vec<String>,
    ) -> Vec<Violation> {
        let password = Zeroizing::new(password);
        let confirmation = confirmation.map(Zeroizing::new);
        let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
        self.inner
            .check(
                &password,
                confirmation.as_deref().map(String::as_str),
                &inputs,
            )
            .into_iter()
            .map(|v| Violation {
                rule: v.rule.name().to_owned(),
                message: v.message,
            })
            .collect()
    }

    /// The minimum length in force, in code points.
    pub fn min_length(&self) -> u32 {
        u32::try_from(self.inner.effective_min_length()).unwrap_or(u32::MAX)
    }
}

/// Login throttling: growing delays per account and per requester, capped, never a lockout.
#[derive(uniffi::Object)]
pub struct LoginThrottle {
    inner: core::throttle::LoginThrottle,
}

fn instant(t: SystemTime) -> Result<time::OffsetDateTime, TillitError> {
    let nanos = match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
        Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
    };
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|e| TillitError::InvalidArgument(format!("instant out of range: {e}")))
}

#[uniffi::export]
impl LoginThrottle {
    /// Throttling with the given delay curves; the defaults are 5 free failures then 1 s
    /// doubling to 15 minutes per account, 20 free then 1 s doubling to 1 hour per requester.
    #[uniffi::constructor(default(
        account_free = 5,
        account_base = None,
        account_cap = None,
        requester_free = 20,
        requester_base = None,
        requester_cap = None
    ))]
    pub fn new(
        account_free: u32,
        account_base: Option<Duration>,
        account_cap: Option<Duration>,
        requester_free: u32,
        requester_base: Option<Duration>,
        requester_cap: Option<Duration>,
    ) -> Arc<Self> {
        let d = core::throttle::LoginThrottle::default();
        Arc::new(Self {
            inner: core::throttle::LoginThrottle {
                account: DelayCurve {
                    free: account_free,
                    base: account_base.unwrap_or(d.account.base),
                    cap: account_cap.unwrap_or(d.account.cap),
                },
                requester: DelayCurve {
                    free: requester_free,
                    base: requester_base.unwrap_or(d.requester.base),
                    cap: requester_cap.unwrap_or(d.requester.cap),
                },
            },
        })
    }

    /// Decides whether a login attempt may go ahead at `now`.
    pub fn decide(
        &self,
        account_failures: u32,
        account_last_failure: Option<SystemTime>,
        requester_failures: u32,
        requester_last_failure: Option<SystemTime>,
        now: SystemTime,
    ) -> Result<ThrottleDecision, TillitError> {
        let account = FailureRecord {
            failures: account_failures,
            last_failure: account_last_failure.map(instant).transpose()?,
        };
        let requester = FailureRecord {
            failures: requester_failures,
            last_failure: requester_last_failure.map(instant).transpose()?,
        };
        Ok(
            match self.inner.decide(&account, &requester, instant(now)?) {
                core::throttle::ThrottleDecision::Allow => ThrottleDecision {
                    allowed: true,
                    retry_after: Duration::ZERO,
                    scope: None,
                },
                core::throttle::ThrottleDecision::Wait {
                    retry_after, scope, ..
                } => {
                    let scope = match scope {
                        ThrottleScope::Account => "account",
                        ThrottleScope::Requester => "requester",
                    };
                    ThrottleDecision {
                        allowed: false,
                        retry_after,
                        scope: Some(scope.to_owned()),
                    }
                }
            },
        )
    }
}

/// The canonical form tillit hashes: NFC after mapping non-ASCII spaces to U+0020.
#[uniffi::export]
pub fn canonicalize(password: String) -> String {
    let password = Zeroizing::new(password);
    core::canonicalize(&password).to_string()
}

/// True when the password is on the shipped list of common and breached passwords.
#[uniffi::export]
pub fn is_common_password(password: String) -> bool {
    let password = Zeroizing::new(password);
    core::is_common_password(&password)
}

/// Parameters taking about `target` per hash here, within `max_memory_kib`.
#[uniffi::export]
pub fn calibrate(target: Duration, max_memory_kib: u32) -> Result<PasswordParams, TillitError> {
    let p = core::calibrate(target, max_memory_kib)?;
    Ok(PasswordParams {
        memory_kib: p.memory_kib(),
        time_cost: p.time_cost(),
        parallelism: p.parallelism(),
    })
}
