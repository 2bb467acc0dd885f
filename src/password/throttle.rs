//! Login throttling as a pure decision: given the failed attempts counted for an account and
//! for a requester (for example a client address) and the current instant, say whether a
//! login attempt may go ahead now or when it may. Delays grow with each failure past a few
//! free ones and stop growing at a cap, so brute force is slowed but no user is ever locked
//! out for good.
//!
//! The caller keeps the counters (in its own store), resets an account's count on a
//! successful login, and may forget failures older than it cares about.

use std::time::Duration;

use time::OffsetDateTime;

/// Failed attempts counted for one account or one requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureRecord {
    /// Consecutive failures since the last success (or since the caller's window began).
    pub failures: u32,
    /// When the latest of them happened.
    pub last_failure: Option<OffsetDateTime>,
}

/// Which counter caused a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleScope {
    /// The account's failures.
    Account,
    /// The requester's failures.
    Requester,
}

/// What to do with a login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    /// Go ahead and verify the password.
    Allow,
    /// Refuse this attempt without verifying; the next may come at `until`.
    Wait {
        /// The earliest instant another attempt is allowed.
        until: OffsetDateTime,
        /// `until - now`, for a `Retry-After` header.
        retry_after: Duration,
        /// The counter that imposed the wait (the later one when both do).
        scope: ThrottleScope,
    },
}

impl ThrottleDecision {
    /// True for [`ThrottleDecision::Allow`].
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        matches!(self, ThrottleDecision::Allow)
    }
}

/// Growth of delays for one scope: `free` failures cost nothing, then the delay starts at
/// `base` and doubles with each failure up to `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelayCurve {
    /// Failures allowed without delay.
    pub free: u32,
    /// Delay after the first failure past the free ones.
    pub base: Duration,
    /// Longest delay, however many failures.
    pub cap: Duration,
}

impl DelayCurve {
    /// The delay imposed after `failures` consecutive failures.
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use tillit::password::throttle::DelayCurve;
    /// let c = DelayCurve { free: 3, base: Duration::from_secs(1), cap: Duration::from_secs(60) };
    /// assert_eq!(c.delay_after(3), Duration::ZERO);
    /// assert_eq!(c.delay_after(4), Duration::from_secs(1));
    /// assert_eq!(c.delay_after(6), Duration::from_secs(4));
    /// assert_eq!(c.delay_after(u32::MAX), Duration::from_secs(60));
    /// ```
    #[must_use]
    pub fn delay_after(&self, failures: u32) -> Duration {
        if failures <= self.free {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free - 1).min(63);
        let factor = 1u64 << doublings;
        let millis = u64::try_from(self.base.as_millis())
            .unwrap_or(u64::MAX)
            .saturating_mul(factor);
        Duration::from_millis(millis).min(self.cap)
    }
}

/// Throttling settings for accounts and requesters.
///
/// Defaults: an account gets 5 free failures, then 1 s doubling up to 15 minutes; a requester
/// gets 20 free failures, then 1 s doubling up to 1 hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Delays for failures against one account.
    pub account: DelayCurve,
    /// Delays for failures from one requester.
    pub requester: DelayCurve,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            account: DelayCurve {
                free: 5,
                base: Duration::from_secs(1),
                cap: Duration::from_secs(15 * 60),
            },
            requester: DelayCurve {
                free: 20,
                base: Duration::from_secs(1),
                cap: Duration::from_secs(3600),
            },
        }
    }
}

impl LoginThrottle {
    /// Decides whether a login attempt may go ahead at `now`; see [`decide`].
    #[must_use]
    pub fn decide(
        &self,
        account: &FailureRecord,
        requester: &FailureRecord,
        now: OffsetDateTime,
    ) -> ThrottleDecision {
        decide(self, account, requester, now)
    }
}

fn until(curve: &DelayCurve, record: &FailureRecord) -> Option<OffsetDateTime> {
    let last = record.last_failure?;
    let delay = curve.delay_after(record.failures);
    if delay.is_zero() {
        return None;
    }
    let delay = time::Duration::try_from(delay).unwrap_or(time::Duration::MAX);
    Some(last.checked_add(delay).unwrap_or(last))
}

/// Decides whether a login attempt may go ahead at `now`, given the failures counted for the
/// account and for the requester. Pure: same inputs, same answer.
///
/// # Examples
/// ```
/// use time::macros::datetime;
/// use tillit::password::throttle::{decide, FailureRecord, LoginThrottle, ThrottleDecision};
/// let t = LoginThrottle::default();
/// let last = datetime!(2026-12-03 12:00 UTC);
/// let account = FailureRecord { failures: 6, last_failure: Some(last) };
/// let fresh = FailureRecord::default();
/// // Six failures: 1 s wait after the sixth.
/// assert!(!decide(&t, &account, &fresh, last).is_allowed());
/// assert!(decide(&t, &account, &fresh, datetime!(2026-12-03 12:00:01 UTC)).is_allowed());
/// ```
#[must_use]
pub fn decide(
    throttle: &LoginThrottle,
    account: &FailureRecord,
    requester: &FailureRecord,
    now: OffsetDateTime,
) -> ThrottleDecision {
    let a = until(&throttle.account, account).filter(|u| *u > now);
    let r = until(&throttle.requester, requester).filter(|u| *u > now);
    let (until, scope) = match (a, r) {
        (None, None) => return ThrottleDecision::Allow,
        (Some(a), None) => (a, ThrottleScope::Account),
        (None, Some(r)) => (r, ThrottleScope::Requester),
        (Some(a), Some(r)) if r > a => (r, ThrottleScope::Requester),
        (Some(a), Some(_)) => (a, ThrottleScope::Account),
    };
    let retry_after = Duration::try_from(until - now).unwrap_or(Duration::ZERO);
    ThrottleDecision::Wait {
        until,
        retry_after,
        scope,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-12-03 12:00 UTC);

    fn rec(failures: u32) -> FailureRecord {
        FailureRecord {
            failures,
            last_failure: Some(T0),
        }
    }

    #[test]
    fn free_attempts_then_growing_delays() {
        let t = LoginThrottle::default();
        let none = FailureRecord::default();
        for n in 0..=5 {
            assert!(t.decide(&rec(n), &none, T0).is_allowed(), "{n}");
        }
        let mut last = Duration::ZERO;
        for n in 6..=15 {
            let ThrottleDecision::Wait {
                retry_after, scope, ..
            } = t.decide(&rec(n), &none, T0)
            else {
                panic!("{n} failures must wait");
            };
            assert_eq!(scope, ThrottleScope::Account);
            assert!(retry_after > last, "delays grow");
            last = retry_after;
        }
    }

    #[test]
    fn the_delay_is_capped_and_never_permanent() {
        let t = LoginThrottle::default();
        let none = FailureRecord::default();
        let d = t.decide(&rec(u32::MAX), &none, T0);
        assert_eq!(
            d,
            ThrottleDecision::Wait {
                until: T0 + time::Duration::minutes(15),
                retry_after: Duration::from_secs(900),
                scope: ThrottleScope::Account
            }
        );
        assert!(
            t.decide(&rec(u32::MAX), &none, T0 + time::Duration::minutes(15))
                .is_allowed()
        );
    }

    #[test]
    fn requester_counter_applies_on_its_own() {
        let t = LoginThrottle::default();
        let d = t.decide(&FailureRecord::default(), &rec(21), T0);
        assert!(matches!(
            d,
            ThrottleDecision::Wait {
                scope: ThrottleScope::Requester,
                ..
            }
        ));
        // The later of two waits wins.
        let d = t.decide(&rec(7), &rec(30), T0);
        assert!(matches!(
            d,
            ThrottleDecision::Wait {
                scope: ThrottleScope::Requester,
                ..
            }
        ));
        let d = t.decide(&rec(30), &rec(21), T0);
        assert!(matches!(
            d,
            ThrottleDecision::Wait {
                scope: ThrottleScope::Account,
                ..
            }
        ));
    }

    #[test]
    fn failures_without_a_time_never_wait() {
        let t = LoginThrottle::default();
        let r = FailureRecord {
            failures: 100,
            last_failure: None,
        };
        assert!(t.decide(&r, &r, T0).is_allowed());
    }

    #[test]
    fn extreme_times_do_not_panic() {
        let t = LoginThrottle::default();
        let far = FailureRecord {
            failures: 100,
            last_failure: Some(time::PrimitiveDateTime::MAX.assume_utc()),
        };
        let _ = t.decide(&far, &far, T0);
        let curve = DelayCurve {
            free: 0,
            base: Duration::MAX,
            cap: Duration::MAX,
        };
        let _ = curve.delay_after(u32::MAX);
    }
}
