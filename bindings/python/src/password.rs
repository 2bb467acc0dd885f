//! Python classes for the password capability: `PasswordHasher`, `PasswordPolicy` (with its
//! `Violation`s), `LoginThrottle`, and the functions `canonicalize`, `is_common_password` and
//! `calibrate`. Hashing and verifying release the GIL. Passwords may be `str`, `bytes` or
//! `bytearray`; the copy tillit makes is wiped after use, the caller's object is not.

use std::time::Duration;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use tillit::password::{
    self as core, Ceilings, MemoryBudget, Params, PepperRing, Verification,
    throttle::{DelayCurve, FailureRecord, ThrottleDecision, ThrottleScope},
};
use zeroize::Zeroizing;

use crate::errors::password_error;

/// Copies a `str`, `bytes` or `bytearray` password into memory that is wiped on drop.
fn password_arg(obj: &Bound<'_, PyAny>) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Zeroizing::new(s.to_str()?.as_bytes().to_vec()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Zeroizing::new(b.as_bytes().to_vec()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Zeroizing::new(b.to_vec()));
    }
    Err(PyTypeError::new_err(
        "password must be str, bytes or bytearray",
    ))
}

/// Argon2id password hasher (PHC strings, upgrade on login, ceilings, memory budget, pepper).
#[pyclass(module = "tillit", frozen)]
#[derive(Debug)]
pub struct PasswordHasher {
    inner: core::PasswordHasher,
}

#[pymethods]
impl PasswordHasher {
    #[new]
    #[pyo3(signature = (
        memory_kib = 19456,
        time_cost = 2,
        parallelism = 1,
        *,
        pepper = None,
        old_peppers = None,
        max_memory_kib = None,
        max_time_cost = None,
        max_parallelism = None,
        budget_bytes = None,
        budget_wait = 5.0,
        max_bytes = 4096,
        allow_argon2i = false,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        memory_kib: u32,
        time_cost: u32,
        parallelism: u32,
        pepper: Option<(String, Vec<u8>)>,
        old_peppers: Option<Vec<(String, Vec<u8>)>>,
        max_memory_kib: Option<u32>,
        max_time_cost: Option<u32>,
        max_parallelism: Option<u32>,
        budget_bytes: Option<u64>,
        budget_wait: f64,
        max_bytes: usize,
        allow_argon2i: bool,
    ) -> PyResult<Self> {
        let params = Params::new(memory_kib, time_cost, parallelism).map_err(password_error)?;
        let mut ceilings = Ceilings::default();
        // Like the Rust `PasswordHasher::new`, default ceilings grow to fit the parameters.
        ceilings = ceilings
            .with_max_memory_kib(
                max_memory_kib.unwrap_or(ceilings.max_memory_kib().max(memory_kib)),
            )
            .and_then(|c| {
                c.with_max_time_cost(max_time_cost.unwrap_or(c.max_time_cost().max(time_cost)))
            })
            .and_then(|c| {
                c.with_max_parallelism(
                    max_parallelism.unwrap_or(c.max_parallelism().max(parallelism)),
                )
            })
            .map_err(password_error)?;
        let mut builder = core::PasswordHasher::builder()
            .params(params)
            .ceilings(ceilings)
            .max_bytes(max_bytes)
            .allow_argon2i(allow_argon2i);
        if let Some((id, key)) = pepper {
            let key = Zeroizing::new(key);
            let mut ring = PepperRing::new(&id, &key).map_err(password_error)?;
            for (old_id, old_key) in old_peppers.unwrap_or_default() {
                let old_key = Zeroizing::new(old_key);
                ring = ring
                    .with_old_key(&old_id, &old_key)
                    .map_err(password_error)?;
            }
            builder = builder.pepper(ring);
        } else if old_peppers.is_some_and(|o| !o.is_empty()) {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "old_peppers needs a current pepper: pass pepper=(key_id, key) too",
            ));
        }
        if let Some(bytes) = budget_bytes {
            if !budget_wait.is_finite() || budget_wait < 0.0 {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "budget_wait must be a finite number of seconds, at least 0",
                ));
            }
            let wait = Duration::try_from_secs_f64(budget_wait)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
            builder = builder.budget(MemoryBudget::new(bytes, wait).map_err(password_error)?);
        }
        Ok(Self {
            inner: builder.build().map_err(password_error)?,
        })
    }

    /// Memory cost of new hashes, in KiB.
    #[getter]
    fn memory_kib(&self) -> u32 {
        self.inner.params().memory_kib()
    }

    /// Passes of new hashes.
    #[getter]
    fn time_cost(&self) -> u32 {
        self.inner.params().time_cost()
    }

    /// Lanes of new hashes.
    #[getter]
    fn parallelism(&self) -> u32 {
        self.inner.params().parallelism()
    }

    /// Hashes a password into an argon2id PHC string.
    fn hash(&self, py: Python<'_>, password: &Bound<'_, PyAny>) -> PyResult<String> {
        let pw = password_arg(password)?;
        let inner = &self.inner;
        py.detach(|| inner.hash_bytes(&pw)).map_err(password_error)
    }

    /// True when the password matches the stored hash.
    fn verify(&self, py: Python<'_>, password: &Bound<'_, PyAny>, stored: &str) -> PyResult<bool> {
        let pw = password_arg(password)?;
        let inner = &self.inner;
        let v = py
            .detach(|| inner.verify_bytes(&pw, stored))
            .map_err(password_error)?;
        Ok(v.is_valid())
    }

    /// `(valid, new_hash)`: `new_hash` is a fresh hash to store when the old one should be
    /// upgraded, else `None`.
    fn verify_and_update(
        &self,
        py: Python<'_>,
        password: &Bound<'_, PyAny>,
        stored: &str,
    ) -> PyResult<(bool, Option<String>)> {
        let pw = password_arg(password)?;
        let inner = &self.inner;
        let v = py
            .detach(|| inner.verify_bytes(&pw, stored))
            .map_err(password_error)?;
        Ok(match v {
            Verification::Invalid => (false, None),
            Verification::Valid => (true, None),
            Verification::ValidNeedsUpgrade { new_hash } => (true, Some(new_hash)),
        })
    }

    /// True when the stored hash would be upgraded on the next successful login.
    fn needs_rehash(&self, stored: &str) -> PyResult<bool> {
        self.inner.needs_rehash(stored).map_err(password_error)
    }

    /// Does the work of a verify for a user that does not exist; always `False`.
    fn verify_unknown_user(&self, py: Python<'_>, password: &Bound<'_, PyAny>) -> PyResult<bool> {
        let pw = password_arg(password)?;
        let inner = &self.inner;
        let s = std::str::from_utf8(&pw).map_err(|e| {
            password_error(core::PasswordError::InvalidUtf8 {
                valid_up_to: e.valid_up_to(),
            })
        })?;
        let v = py
            .detach(|| inner.verify_unknown_user(s))
            .map_err(password_error)?;
        Ok(v.is_valid())
    }

    fn __repr__(&self) -> String {
        let p = self.inner.params();
        format!(
            "PasswordHasher(memory_kib={}, time_cost={}, parallelism={})",
            p.memory_kib(),
            p.time_cost(),
            p.parallelism()
        )
    }
}

/// One refusal of the password policy.
#[pyclass(module = "tillit", frozen, get_all)]
#[derive(Debug)]
pub struct Violation {
    /// The rule's stable name, e.g. `"too_short"`.
    rule: String,
    /// Why, in a sentence fit to show the user.
    message: String,
}

#[pymethods]
impl Violation {
    fn __repr__(&self) -> String {
        format!(
            "Violation(rule={:?}, message={:?})",
            self.rule, self.message
        )
    }
}

/// Rules for new passwords (NIST SP 800-63B-4).
#[pyclass(module = "tillit", frozen)]
#[derive(Debug)]
pub struct PasswordPolicy {
    inner: core::PasswordPolicy,
}

#[pymethods]
impl PasswordPolicy {
    #[new]
    #[pyo3(signature = (
        *,
        second_factor = false,
        min_length = 15,
        min_length_second_factor = 8,
        max_length = 256,
        max_bytes = 4096,
        check_common = true,
    ))]
    fn new(
        second_factor: bool,
        min_length: usize,
        min_length_second_factor: usize,
        max_length: usize,
        max_bytes: usize,
        check_common: bool,
    ) -> Self {
        let inner = core::PasswordPolicy::default()
            .second_factor(second_factor)
            .min_length(min_length)
            .min_length_second_factor(min_length_second_factor)
            .max_length(max_length)
            .max_bytes(max_bytes)
            .check_common(check_common);
        Self { inner }
    }

    /// The refusals of a new password; an empty list means accepted.
    #[pyo3(signature = (password, confirmation = None, user_inputs = Vec::new()))]
    fn check(
        &self,
        password: &Bound<'_, PyAny>,
        confirmation: Option<&Bound<'_, PyAny>>,
        user_inputs: Vec<String>,
    ) -> PyResult<Vec<Violation>> {
        let pw = password_arg(password)?;
        let pw = std::str::from_utf8(&pw).map_err(|e| {
            password_error(core::PasswordError::InvalidUtf8 {
                valid_up_to: e.valid_up_to(),
            })
        })?;
        let confirmation = confirmation.map(password_arg).transpose()?;
        let confirmation = match &confirmation {
            Some(c) => Some(std::str::from_utf8(c).map_err(|e| {
                password_error(core::PasswordError::InvalidUtf8 {
                    valid_up_to: e.valid_up_to(),
                })
            })?),
            None => None,
        };
        let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
        Ok(self
            .inner
            .check(pw, confirmation, &inputs)
            .into_iter()
            .map(|v| Violation {
                rule: v.rule.name().to_owned(),
                message: v.message,
            })
            .collect())
    }

    /// The minimum length in force, in code points.
    #[getter]
    fn min_length(&self) -> usize {
        self.inner.effective_min_length()
    }
}

/// What to do with a login attempt: `allowed`, else wait `retry_after` seconds.
#[pyclass(module = "tillit", name = "ThrottleDecision", frozen, get_all)]
#[derive(Debug)]
pub struct ThrottleDecisionPy {
    /// True when the attempt may go ahead.
    allowed: bool,
    /// Seconds to wait before the next attempt (0 when allowed).
    retry_after: f64,
    /// `"account"` or `"requester"` when waiting, else `None`.
    scope: Option<String>,
}

/// Login throttling: growing delays per account and per requester, capped, never a lockout.
#[pyclass(module = "tillit", frozen)]
#[derive(Debug)]
pub struct LoginThrottle {
    inner: core::throttle::LoginThrottle,
}

fn unix_time(seconds: f64) -> PyResult<time::OffsetDateTime> {
    if !seconds.is_finite() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "timestamps must be finite",
        ));
    }
    let nanos = (seconds * 1e9).round();
    // The range check keeps the cast exact.
    if nanos.abs() > 9.0e18 {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "timestamp out of range",
        ));
    }
    #[allow(clippy::cast_possible_truncation)]
    let nanos = nanos as i128;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

#[pymethods]
impl LoginThrottle {
    #[new]
    #[pyo3(signature = (
        *,
        account_free = 5,
        account_base = 1.0,
        account_cap = 900.0,
        requester_free = 20,
        requester_base = 1.0,
        requester_cap = 3600.0,
    ))]
    fn new(
        account_free: u32,
        account_base: f64,
        account_cap: f64,
        requester_free: u32,
        requester_base: f64,
        requester_cap: f64,
    ) -> PyResult<Self> {
        let secs = |s: f64| {
            Duration::try_from_secs_f64(s)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
        };
        Ok(Self {
            inner: core::throttle::LoginThrottle {
                account: DelayCurve {
                    free: account_free,
                    base: secs(account_base)?,
                    cap: secs(account_cap)?,
                },
                requester: DelayCurve {
                    free: requester_free,
                    base: secs(requester_base)?,
                    cap: secs(requester_cap)?,
                },
            },
        })
    }

    /// Decides at `now` (Unix seconds) given each counter's failures and the Unix time of its
    /// latest failure (`None` when there is none).
    #[pyo3(signature = (account_failures, account_last_failure, requester_failures, requester_last_failure, now))]
    fn decide(
        &self,
        account_failures: u32,
        account_last_failure: Option<f64>,
        requester_failures: u32,
        requester_last_failure: Option<f64>,
        now: f64,
    ) -> PyResult<ThrottleDecisionPy> {
        let account = FailureRecord {
            failures: account_failures,
            last_failure: account_last_failure.map(unix_time).transpose()?,
        };
        let requester = FailureRecord {
            failures: requester_failures,
            last_failure: requester_last_failure.map(unix_time).transpose()?,
        };
        Ok(
            match self.inner.decide(&account, &requester, unix_time(now)?) {
                ThrottleDecision::Allow => ThrottleDecisionPy {
                    allowed: true,
                    retry_after: 0.0,
                    scope: None,
                },
                ThrottleDecision::Wait {
                    retry_after, scope, ..
                } => ThrottleDecisionPy {
                    allowed: false,
                    retry_after: retry_after.as_secs_f64(),
                    scope: Some(
                        match scope {
                            ThrottleScope::Account => "account",
                            ThrottleScope::Requester => "requester",
                        }
                        .to_owned(),
                    ),
                },
            },
        )
    }
}

/// The canonical form tillit hashes: NFC after mapping non-ASCII spaces to U+0020.
#[pyfunction]
fn canonicalize(password: &str) -> String {
    core::canonicalize(password).to_string()
}

/// True when the password is on the shipped list of common and breached passwords.
#[pyfunction]
fn is_common_password(password: &str) -> bool {
    core::is_common_password(password)
}

/// `(memory_kib, time_cost, parallelism)` taking about `target_seconds` here.
#[pyfunction]
fn calibrate(
    py: Python<'_>,
    target_seconds: f64,
    max_memory_kib: u32,
) -> PyResult<(u32, u32, u32)> {
    let target = Duration::try_from_secs_f64(target_seconds)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let p = py
        .detach(|| core::calibrate(target, max_memory_kib))
        .map_err(password_error)?;
    Ok((p.memory_kib(), p.time_cost(), p.parallelism()))
}

/// Adds the password classes and functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PasswordHasher>()?;
    m.add_class::<PasswordPolicy>()?;
    m.add_class::<Violation>()?;
    m.add_class::<LoginThrottle>()?;
    m.add_class::<ThrottleDecisionPy>()?;
    m.add_function(wrap_pyfunction!(canonicalize, m)?)?;
    m.add_function(wrap_pyfunction!(is_common_password, m)?)?;
    m.add_function(wrap_pyfunction!(calibrate, m)?)?;
    Ok(())
}
