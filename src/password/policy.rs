//! The policy for new passwords, after NIST SP 800-63B-4 §3.1.1.2: a minimum length in code
//! points (15 when the password is the only factor, 8 with a second factor), at least 64
//! allowed, a byte cap, no composition rules, a list of common and breached passwords shipped
//! with the library, no password equal to the user's e-mail, e-mail local part or name, no
//! password of one repeated character or one run of consecutive characters, and a matching
//! confirmation. Every refusal names its rule.
//!
//! The common-password list is the 8354 entries of at least 8 characters from the list of
//! 20,000 common passwords that Django ships (compiled by Royce Williams from breach corpora;
//! BSD-3-Clause, see `data/LICENSE-common-passwords`). Shorter entries are never reachable,
//! since no policy accepts fewer than 8 code points.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use super::canon::{canonicalize, code_points};
use super::hasher::DEFAULT_MAX_BYTES;

static COMMON_LIST: &str = include_str!("data/common-passwords.txt");

fn common_set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_LIST.lines().filter(|l| !l.is_empty()).collect())
}

/// True when `password` (compared lower-cased after canonicalisation) is on the shipped list of
/// common and breached passwords.
///
/// # Examples
/// ```
/// assert!(tillit::password::is_common_password("Password123"));
/// assert!(!tillit::password::is_common_password("violet kettle under the bridge"));
/// ```
#[must_use]
pub fn is_common_password(password: &str) -> bool {
    let lowered = zeroize::Zeroizing::new(canonicalize(password).to_lowercase());
    common_set().contains(lowered.as_str())
}

/// Shortest minimum length accepted by any policy (SP 800-63B-4's floor).
pub const FLOOR_MIN_LENGTH: usize = 8;
/// Smallest maximum length accepted by any policy (SP 800-63B-4: at least 64 allowed).
pub const FLOOR_MAX_LENGTH: usize = 64;

/// The rule a refused password broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyRule {
    /// Fewer code points than the minimum.
    TooShort,
    /// More code points than the maximum.
    TooLong,
    /// More bytes than the byte cap.
    TooManyBytes,
    /// On the list of common and breached passwords.
    Common,
    /// Equal to the user's e-mail, e-mail local part or name (or containing the e-mail).
    MatchesUserInput,
    /// One repeated character, or one run of consecutive characters ("abcdef…", "98765…").
    Repetitive,
    /// The confirmation differs from the password.
    ConfirmationMismatch,
}

impl PolicyRule {
    /// Stable snake-case name of the rule, the same in every binding.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            PolicyRule::TooShort => "too_short",
            PolicyRule::TooLong => "too_long",
            PolicyRule::TooManyBytes => "too_many_bytes",
            PolicyRule::Common => "common",
            PolicyRule::MatchesUserInput => "matches_user_input",
            PolicyRule::Repetitive => "repetitive",
            PolicyRule::ConfirmationMismatch => "confirmation_mismatch",
        }
    }
}

impl fmt::Display for PolicyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One refusal: which rule, and a sentence saying why (never containing the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule broken.
    pub rule: PolicyRule,
    /// Why, in a sentence fit to show the user.
    pub message: String,
}

/// Rules for new passwords. `Default` is the single-factor policy (minimum 15 code points).
///
/// # Examples
/// ```
/// use tillit::password::{PasswordPolicy, PolicyRule};
/// let policy = PasswordPolicy::default();
/// assert!(policy.check("violet kettle under the bridge", None, &[]).is_empty());
/// let refused = policy.check("short", None, &[]);
/// assert_eq!(refused[0].rule, PolicyRule::TooShort);
/// assert_eq!(refused[0].rule.name(), "too_short");
/// let second_factor = PasswordPolicy::default().second_factor(true);
/// assert!(second_factor.check("plum-tree-42", Some("plum-tree-42"), &["ola@example.no"]).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    min_length: usize,
    min_length_second_factor: usize,
    second_factor: bool,
    max_length: usize,
    max_bytes: usize,
    check_common: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 15,
            min_length_second_factor: 8,
            second_factor: false,
            max_length: 256,
            max_bytes: DEFAULT_MAX_BYTES,
            check_common: true,
        }
    }
}

impl PasswordPolicy {
    /// Whether a second factor is required (then the second-factor minimum applies).
    #[must_use]
    pub fn second_factor(mut self, required: bool) -> Self {
        self.second_factor = required;
        self
    }

    /// Minimum length in code points when the password is the only factor (default 15;
    /// raised to 8 if lower).
    #[must_use]
    pub fn min_length(mut self, code_points: usize) -> Self {
        self.min_length = code_points.max(FLOOR_MIN_LENGTH);
        self
    }

    /// Minimum length in code points with a second factor (default 8; raised to 8 if lower).
    #[must_use]
    pub fn min_length_second_factor(mut self, code_points: usize) -> Self {
        self.min_length_second_factor = code_points.max(FLOOR_MIN_LENGTH);
        self
    }

    /// Maximum length in code points (default 256; raised to 64 if lower).
    #[must_use]
    pub fn max_length(mut self, code_points: usize) -> Self {
        self.max_length = code_points.max(FLOOR_MAX_LENGTH);
        self
    }

    /// Byte cap (default 4096, the hasher's default; raised to 256 if lower, so that 64 code
    /// points of any script fit).
    #[must_use]
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes.max(4 * FLOOR_MAX_LENGTH);
        self
    }

    /// Whether to refuse passwords on the shipped common-password list (default on).
    #[must_use]
    pub fn check_common(mut self, on: bool) -> Self {
        self.check_common = on;
        self
    }

    /// The minimum length in force.
    #[must_use]
    pub fn effective_min_length(&self) -> usize {
        if self.second_factor {
            self.min_length_second_factor
        } else {
            self.min_length
        }
    }

    /// Checks a new password; an empty list means accepted.
    ///
    /// `confirmation` is the second entry of the password (checked when given);
    /// `user_inputs` are the user's e-mail address, name and similar, which the password may
    /// not equal (compared case-insensitively after canonicalisation; an e-mail's local part
    /// counts too, and a password containing a whole e-mail address is refused).
    #[must_use]
    pub fn check(
        &self,
        password: &str,
        confirmation: Option<&str>,
        user_inputs: &[&str],
    ) -> Vec<Violation> {
        let mut out = Vec::new();
        if password.len() > self.max_bytes {
            // Nothing else is computed on an oversized input.
            out.push(Violation {
                rule: PolicyRule::TooManyBytes,
                message: format!(
                    "the password is {} bytes long; at most {} bytes are allowed",
                    password.len(),
                    self.max_bytes
                ),
            });
            return out;
        }
        let canonical = canonicalize(password);
        let length = code_points(&canonical);
        let min = self.effective_min_length();
        if length < min {
            out.push(Violation {
                rule: PolicyRule::TooShort,
                message: format!(
                    "the password has {length} characters; at least {min} are required"
                ),
            });
        }
        if length > self.max_length {
            out.push(Violation {
                rule: PolicyRule::TooLong,
                message: format!(
                    "the password has {length} characters; at most {} are allowed",
                    self.max_length
                ),
            });
        }
        if self.check_common && is_common_password(&canonical) {
            out.push(Violation {
                rule: PolicyRule::Common,
                message: "the password is on a list of commonly used or breached passwords"
                    .to_owned(),
            });
        }
        if is_repetitive(&canonical) {
            out.push(Violation {
                rule: PolicyRule::Repetitive,
                message:
                    "the password is one repeated character or one run of consecutive characters"
                        .to_owned(),
            });
        }
        if matches_user_input(&canonical, user_inputs) {
            out.push(Violation {
                rule: PolicyRule::MatchesUserInput,
                message: "the password is the same as your e-mail address or name".to_owned(),
            });
        }
        if let Some(confirmation) = confirmation
            && canonicalize(confirmation).as_str() != canonical.as_str()
        {
            out.push(Violation {
                rule: PolicyRule::ConfirmationMismatch,
                message: "the confirmation does not match the password".to_owned(),
            });
        }
        out
    }
}

fn is_repetitive(canonical: &str) -> bool {
    let mut chars = canonical.chars().map(u32::from);
    let (Some(first), Some(second)) = (chars.next(), chars.next()) else {
        return false;
    };
    let step = i64::from(second) - i64::from(first);
    if !(-1..=1).contains(&step) {
        return false;
    }
    let mut prev = second;
    for c in chars {
        if i64::from(c) - i64::from(prev) != step {
            return false;
        }
        prev = c;
    }
    true
}

// Limitation: only equality (and containing a whole e-mail address) is refused; a password
// that merely contains the user's name among other words is accepted, since refusing every
// substring would reject many good passphrases.
fn matches_user_input(canonical: &str, user_inputs: &[&str]) -> bool {
    let password = zeroize::Zeroizing::new(canonical.to_lowercase());
    for input in user_inputs {
        let input = canonicalize(input).trim().to_lowercase();
        if input.is_empty() {
            continue;
        }
        if *password == input {
            return true;
        }
        if let Some((local, domain)) = input.rsplit_once('@') {
            if !domain.is_empty() && password.contains(input.as_str()) {
                return true;
            }
            if !local.is_empty() && *password == local {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(v: &[Violation]) -> Vec<PolicyRule> {
        v.iter().map(|v| v.rule).collect()
    }

    const GOOD: &str = "violet kettle under the bridge";

    #[test]
    fn a_good_password_passes() {
        assert!(
            PasswordPolicy::default()
                .check(GOOD, Some(GOOD), &["ola@example.no", "Ola Nordmann"])
                .is_empty()
        );
    }

    #[test]
    fn too_short_counts_code_points_after_canonicalisation() {
        let p = PasswordPolicy::default();
        // 15 code points once "e" + combining accent is composed; 16 before.
        let fifteen_decomposed = "abcdfghjkmnpqre\u{301}";
        assert_eq!(rules(&p.check(fifteen_decomposed, None, &[])), vec![]);
        let fourteen = "abcdfghjkmnpqr";
        assert_eq!(
            rules(&p.check(fourteen, None, &[])),
            vec![PolicyRule::TooShort]
        );
        // 15 emoji are 60 bytes but 15 code points.
        assert!(
            p.check("🦀🐍☕🦀🐍☕🦀🐍☕🦀🐍☕🦀🐍🐧", None, &[])
                .is_empty()
        );
    }

    #[test]
    fn second_factor_lowers_the_minimum_to_8() {
        let p = PasswordPolicy::default().second_factor(true);
        assert_eq!(p.effective_min_length(), 8);
        assert!(p.check("plum-42!", None, &[]).is_empty());
        assert_eq!(
            rules(&p.check("plum-42", None, &[])),
            vec![PolicyRule::TooShort]
        );
        assert_eq!(
            PasswordPolicy::default()
                .min_length(3)
                .effective_min_length(),
            8
        );
        assert_eq!(
            PasswordPolicy::default()
                .min_length(20)
                .effective_min_length(),
            20
        );
    }

    #[test]
    fn at_least_64_are_allowed_and_the_maximum_applies() {
        let p = PasswordPolicy::default().max_length(10);
        let sixty_four: String = "plum kettle ".repeat(6).chars().take(64).collect();
        assert!(p.check(&sixty_four, None, &[]).is_empty());
        assert_eq!(
            rules(&p.check(&format!("{sixty_four}x"), None, &[])),
            vec![PolicyRule::TooLong]
        );
    }

    #[test]
    fn byte_cap_is_checked_first_and_alone() {
        let huge = "a".repeat(4097);
        assert_eq!(
            rules(&PasswordPolicy::default().check(&huge, None, &[])),
            vec![PolicyRule::TooManyBytes]
        );
        let p = PasswordPolicy::default().max_length(5000).max_bytes(8192);
        assert!(
            !rules(&p.check(&"ab".repeat(2049), None, &[])).contains(&PolicyRule::TooManyBytes)
        );
    }

    #[test]
    fn no_composition_rules() {
        // Lower-case letters and spaces only: accepted.
        assert!(
            PasswordPolicy::default()
                .check("correct horse battery staple", None, &[])
                .is_empty()
        );
    }

    #[test]
    fn common_passwords_are_refused_case_insensitively() {
        let p = PasswordPolicy::default().second_factor(true);
        for pw in ["password1", "PASSWORD1", "Iloveyou1", "qwertyuiop"] {
            assert!(
                rules(&p.check(pw, None, &[])).contains(&PolicyRule::Common),
                "{pw}"
            );
        }
        assert!(common_set().len() > 8000);
        assert!(!rules(&p.check("qwertyuiop", None, &[]).to_vec()).is_empty());
        let off = p.clone().check_common(false);
        assert!(!rules(&off.check("password1", None, &[])).contains(&PolicyRule::Common));
    }

    #[test]
    fn user_inputs_are_refused() {
        let p = PasswordPolicy::default().second_factor(true);
        let inputs = ["Kari.Nordmann@Example.no", "Kari Nordmann"];
        for pw in [
            "kari.nordmann@example.no",
            "KARI.NORDMANN",
            "kari nordmann",
            "xx-kari.nordmann@example.no-yy",
        ] {
            assert!(
                rules(&p.check(pw, None, &inputs)).contains(&PolicyRule::MatchesUserInput),
                "{pw}"
            );
        }
        assert!(p.check("kari-likes-plums", None, &inputs).is_empty());
        // A no-break space in the name is canonicalised like the password.
        assert!(
            rules(&p.check("kari nordmann", None, &["Kari\u{a0}Nordmann"]))
                .contains(&PolicyRule::MatchesUserInput)
        );
        assert!(p.check("plum-tree-42", None, &["", "  "]).is_empty());
    }

    #[test]
    fn repetitive_and_sequential_are_refused() {
        let p = PasswordPolicy::default();
        for pw in ["aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "9876543210/.-,+*"] {
            assert!(
                rules(&p.check(pw, None, &[])).contains(&PolicyRule::Repetitive),
                "{pw}"
            );
        }
        assert!(!is_repetitive("abcdefghijklmnoq"));
    }

    #[test]
    fn confirmation_must_match_after_canonicalisation() {
        let p = PasswordPolicy::default();
        assert_eq!(
            rules(&p.check(GOOD, Some("violet kettle under the bridgE"), &[])),
            vec![PolicyRule::ConfirmationMismatch]
        );
        let composed = "caf\u{e9} on the corner of town";
        let decomposed = "cafe\u{301} on the corner of town";
        assert!(p.check(composed, Some(decomposed), &[]).is_empty());
    }

    #[test]
    fn rule_names_are_stable() {
        let names: Vec<_> = [
            PolicyRule::TooShort,
            PolicyRule::TooLong,
            PolicyRule::TooManyBytes,
            PolicyRule::Common,
            PolicyRule::MatchesUserInput,
            PolicyRule::Repetitive,
            PolicyRule::ConfirmationMismatch,
        ]
        .iter()
        .map(PolicyRule::name)
        .collect();
        assert_eq!(
            names,
            [
                "too_short",
                "too_long",
                "too_many_bytes",
                "common",
                "matches_user_input",
                "repetitive",
                "confirmation_mismatch"
            ]
        );
    }

    #[test]
    fn messages_never_contain_the_password() {
        let pw = "password1";
        for v in PasswordPolicy::default().check(pw, Some("other"), &[pw]) {
            assert!(!v.message.contains(pw), "{}", v.message);
        }
    }
}
