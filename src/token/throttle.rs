//! The throttling decision for reset requests: a pure function of two counts.
//!
//! Two limits apply within one sliding window. The per-requester limit (for example per
//! client IP address) is the only one the requester may learn about: it applies equally to
//! known and unknown addresses, so refusing reveals nothing. The per-address limit protects
//! a mailbox from being flooded; it applies whether or not the address has an account and
//! only suppresses the mail, silently, so the response still looks the same.

use crate::token::error::TokenError;

/// Limits on reset requests within a sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Length of the window in seconds.
    pub window_seconds: u64,
    /// Mails sent to one address per window; further requests are silently not mailed.
    pub max_per_email: u32,
    /// Requests accepted from one requester per window; further ones are refused.
    pub max_per_requester: u32,
}

impl Default for ThrottlePolicy {
    /// Three mails per address and twenty requests per requester per hour.
    fn default() -> Self {
        Self {
            window_seconds: 3600,
            max_per_email: 3,
            max_per_requester: 20,
        }
    }
}

/// What to do with one reset request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    /// Issue a token and, for a known account, send the mail.
    Issue,
    /// The address had its share of mails: answer as usual but send nothing.
    SuppressMail,
    /// The requester asked too often: refuse, telling when to retry.
    RefuseRequester {
        /// Seconds until the window has room again (an upper bound).
        retry_after_seconds: u64,
    },
}

impl ThrottlePolicy {
    /// Checks the limits: at least one request per window each, a window of at least one
    /// second and at most a week.
    ///
    /// # Errors
    /// [`TokenError::Config`] naming the value out of range.
    pub fn validate(&self) -> Result<(), TokenError> {
        if self.window_seconds == 0 || self.window_seconds > 7 * 24 * 3600 {
            return Err(TokenError::config(format!(
                "throttle window is {} s, it must be between 1 s and 604800 s (a week)",
                self.window_seconds
            )));
        }
        if self.max_per_email == 0 || self.max_per_requester == 0 {
            return Err(TokenError::config(
                "throttle limits must allow at least one request per window",
            ));
        }
        Ok(())
    }

    /// Decides on a request, given how many requests the address and the requester made in
    /// the current window before this one.
    ///
    /// # Examples
    /// ```
    /// use tillit::token::{ThrottleDecision, ThrottlePolicy};
    /// let policy = ThrottlePolicy { window_seconds: 3600, max_per_email: 3, max_per_requester: 5 };
    /// assert_eq!(policy.decide(2, 4), ThrottleDecision::Issue);
    /// assert_eq!(policy.decide(3, 4), ThrottleDecision::SuppressMail);
    /// assert_eq!(
    ///     policy.decide(0, 5),
    ///     ThrottleDecision::RefuseRequester { retry_after_seconds: 3600 }
    /// );
    /// ```
    pub fn decide(&self, email_count: u64, requester_count: u64) -> ThrottleDecision {
        if requester_count >= u64::from(self.max_per_requester) {
            ThrottleDecision::RefuseRequester {
                retry_after_seconds: self.window_seconds,
            }
        } else if email_count >= u64::from(self.max_per_email) {
            ThrottleDecision::SuppressMail
        } else {
            ThrottleDecision::Issue
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ThrottlePolicy = ThrottlePolicy {
        window_seconds: 600,
        max_per_email: 2,
        max_per_requester: 4,
    };

    #[test]
    fn decisions_at_the_limits() {
        assert_eq!(P.decide(0, 0), ThrottleDecision::Issue);
        assert_eq!(P.decide(1, 3), ThrottleDecision::Issue);
        assert_eq!(P.decide(2, 3), ThrottleDecision::SuppressMail);
        assert_eq!(
            P.decide(1, 4),
            ThrottleDecision::RefuseRequester {
                retry_after_seconds: 600
            }
        );
        // The requester limit wins over the address limit.
        assert_eq!(
            P.decide(9, 9),
            ThrottleDecision::RefuseRequester {
                retry_after_seconds: 600
            }
        );
    }

    #[test]
    fn validation_refuses_zero_limits_and_windows() {
        assert!(P.validate().is_ok());
        assert!(
            ThrottlePolicy {
                window_seconds: 0,
                ..P
            }
            .validate()
            .is_err()
        );
        assert!(
            ThrottlePolicy {
                window_seconds: 604_801,
                ..P
            }
            .validate()
            .is_err()
        );
        assert!(
            ThrottlePolicy {
                max_per_email: 0,
                ..P
            }
            .validate()
            .is_err()
        );
        assert!(
            ThrottlePolicy {
                max_per_requester: 0,
                ..P
            }
            .validate()
            .is_err()
        );
    }
}
