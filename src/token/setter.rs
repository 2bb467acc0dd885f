//! The flow's password seam filled with tillit's own password policy and argon2id hasher.
//!
//! [`PasswordReset::complete`](crate::token::PasswordReset::complete) asks a
//! [`PasswordSetter`] whether a new password is acceptable and for its hash; [`PolicyHasher`]
//! answers with [`PasswordPolicy::check`] (NIST SP 800-63B-4 rules, the confirmation
//! included) and [`PasswordHasher::hash`].

use zeroize::Zeroizing;

use crate::password::{PasswordHasher, PasswordPolicy};
use crate::token::error::TokenError;
use crate::token::flow::{PasswordSetter, PolicyViolation};

/// tillit's password policy and hasher as a [`PasswordSetter`].
#[derive(Debug)]
pub struct PolicyHasher {
    /// Rules for new passwords.
    pub policy: PasswordPolicy,
    /// The hasher that makes the PHC string to store.
    pub hasher: PasswordHasher,
}

impl PolicyHasher {
    /// The default policy (15 code points minimum, breached-password list, confirmation)
    /// and an argon2id hasher at the OWASP parameters.
    ///
    /// # Errors
    /// [`TokenError::Hash`] when the hasher cannot be built.
    pub fn standard() -> Result<Self, TokenError> {
        let hasher = PasswordHasher::new(crate::password::Params::default()).map_err(|e| {
            TokenError::Hash {
                reason: e.to_string(),
            }
        })?;
        Ok(Self {
            policy: PasswordPolicy::default(),
            hasher,
        })
    }
}

impl PasswordSetter for PolicyHasher {
    fn check(
        &self,
        password: &str,
        confirmation: &str,
        user_inputs: &[&str],
    ) -> Vec<PolicyViolation> {
        self.policy
            .check(password, Some(confirmation), user_inputs)
            .into_iter()
            .map(|v| PolicyViolation {
                rule: v.rule.name().to_owned(),
                message: v.message,
            })
            .collect()
    }

    fn hash(&self, password: &str) -> Result<Zeroizing<String>, TokenError> {
        self.hasher
            .hash(password)
            .map(Zeroizing::new)
            .map_err(|e| TokenError::Hash {
                reason: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_policy_refuses_and_the_real_hasher_verifies() -> Result<(), TokenError> {
        let setter = PolicyHasher::standard()?;
        let rules: Vec<String> = setter
            .check("kort", "kurt", &[])
            .into_iter()
            .map(|v| v.rule)
            .collect();
        assert!(rules.contains(&"too_short".to_owned()), "{rules:?}");
        assert!(
            rules.contains(&"confirmation_mismatch".to_owned()),
            "{rules:?}"
        );
        let pw = "en lang og god passordsetning";
        assert!(setter.check(pw, pw, &["kari@example.no"]).is_empty());
        let hash = setter.hash(pw)?;
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let verified = setter
            .hasher
            .verify(pw, &hash)
            .map_err(|e| TokenError::Hash {
                reason: e.to_string(),
            })?;
        assert!(verified.is_valid());
        Ok(())
    }
}
