//! KID (kundeidentifikasjon) payment references: generation and validation with MOD10 (Luhn)
//! or MOD11 check digits, and the lengths a payee's bank agreement allows.
//!
//! A KID is 2 to 25 characters: digits, the last a check digit. With MOD11 a remainder of 10
//! gives the check character `-` (as the banks' KID specification says); with MOD10 every
//! payload has a check digit.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{IdKind, InvoiceError, clip};

/// Shortest KID, check digit included.
pub const MIN_LEN: usize = 2;
/// Longest KID, check digit included.
pub const MAX_LEN: usize = 25;

/// The check-digit algorithm of a KID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KidAlgorithm {
    /// Luhn: digits doubled alternately from the right.
    Mod10,
    /// Weights 2, 3, 4, 5, 6, 7 repeated from the right; remainder 10 gives `-`.
    Mod11,
}

impl KidAlgorithm {
    /// The check character for a payload of digits.
    fn check(self, payload: &[u8]) -> char {
        match self {
            KidAlgorithm::Mod10 => {
                let sum: u32 = payload
                    .iter()
                    .rev()
                    .enumerate()
                    .map(|(i, d)| {
                        let d = u32::from(*d);
                        if i % 2 == 0 {
                            let x = d * 2;
                            if x > 9 { x - 9 } else { x }
                        } else {
                            d
                        }
                    })
                    .sum();
                digit_char((10 - sum % 10) % 10)
            }
            KidAlgorithm::Mod11 => {
                let sum: u32 = payload
                    .iter()
                    .rev()
                    .zip([2u32, 3, 4, 5, 6, 7].into_iter().cycle())
                    .map(|(d, w)| u32::from(*d) * w)
                    .sum();
                match 11 - sum % 11 {
                    11 => '0',
                    10 => '-',
                    d => digit_char(d),
                }
            }
        }
    }
}

fn digit_char(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('?')
}

impl fmt::Display for KidAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KidAlgorithm::Mod10 => "MOD10",
            KidAlgorithm::Mod11 => "MOD11",
        })
    }
}

fn err(input: &str, reason: impl Into<String>) -> InvoiceError {
    InvoiceError::Identifier {
        kind: IdKind::Kid,
        input: clip(input),
        reason: reason.into(),
    }
}

/// A validated KID payment reference.
///
/// # Examples
///
/// ```
/// use tillit::invoice::{Kid, KidAlgorithm};
///
/// assert_eq!(Kid::generate("234567", KidAlgorithm::Mod10)?.to_string(), "2345676");
/// assert_eq!(Kid::generate("1234567890", KidAlgorithm::Mod11)?.to_string(), "12345678903");
/// assert_eq!(Kid::generate("40", KidAlgorithm::Mod11)?.to_string(), "40-");
///
/// let kid = Kid::parse("234 5676", KidAlgorithm::Mod10)?;
/// assert_eq!(kid.as_str(), "2345676");
/// assert!(Kid::parse("2345670", KidAlgorithm::Mod10).is_err());
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "KidFields")]
pub struct Kid {
    value: String,
    algorithm: KidAlgorithm,
}

/// The JSON form of a [`Kid`] before its check character is verified: deserialisation goes
/// through [`Kid::parse`], so a KID read from JSON is as valid as one typed in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KidFields {
    value: String,
    algorithm: KidAlgorithm,
}

impl TryFrom<KidFields> for Kid {
    type Error = InvoiceError;

    fn try_from(fields: KidFields) -> Result<Self, Self::Error> {
        let kid = Kid::parse(&fields.value, fields.algorithm)?;
        // The JSON form is the canonical one that was written: no spaces to remove.
        if kid.value != fields.value {
            return Err(err(
                &fields.value,
                "a KID in JSON is written without spaces",
            ));
        }
        Ok(kid)
    }
}

impl Kid {
    /// Appends the check character to a payload of 1 to 24 digits.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when the payload has a non-digit or a length that would
    /// not give 2 to 25 characters.
    pub fn generate(payload: &str, algorithm: KidAlgorithm) -> Result<Self, InvoiceError> {
        let digits = payload_digits(payload, payload)?;
        if digits.is_empty() || digits.len() > MAX_LEN - 1 {
            return Err(err(
                payload,
                format!(
                    "payload has {} digits; a KID payload has 1 to {} digits",
                    digits.len(),
                    MAX_LEN - 1
                ),
            ));
        }
        let mut value = payload.to_owned();
        value.push(algorithm.check(&digits));
        Ok(Self { value, algorithm })
    }

    /// Parses a KID loosely (spaces are removed) and checks its check character.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when the length is outside 2..=25, a character is not a
    /// digit, or the check character is wrong.
    pub fn parse(input: &str, algorithm: KidAlgorithm) -> Result<Self, InvoiceError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let n = s.chars().count();
        if !(MIN_LEN..=MAX_LEN).contains(&n) {
            return Err(err(
                input,
                format!("has {n} characters; a KID has {MIN_LEN} to {MAX_LEN}"),
            ));
        }
        // Split before the last character, not the last byte: the input may be any Unicode.
        let cut = s.char_indices().last().map_or(0, |(i, _)| i);
        let (payload, check) = s.split_at(cut);
        let digits = payload_digits(input, payload)?;
        let expected = algorithm.check(&digits);
        if !check.starts_with(expected) {
            if check == "-" && algorithm == KidAlgorithm::Mod10 {
                return Err(err(input, "ends in '-', which only MOD11 KIDs can"));
            }
            if !check.chars().all(|c| c.is_ascii_digit() || c == '-') {
                return Err(err(
                    input,
                    format!("check character {check:?} must be a digit or '-' (MOD11)"),
                ));
            }
            return Err(err(
                input,
                format!("{algorithm} check character is {check:?} but should be {expected:?}"),
            ));
        }
        Ok(Self {
            value: s,
            algorithm,
        })
    }

    /// Parses a KID that may use either algorithm, trying MOD10 first.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when neither algorithm's check character matches.
    pub fn parse_any(input: &str) -> Result<Self, InvoiceError> {
        Self::parse(input, KidAlgorithm::Mod10).or_else(|e10| {
            Self::parse(input, KidAlgorithm::Mod11).map_err(|e11| match (&e10, &e11) {
                (
                    InvoiceError::Identifier { reason: r10, .. },
                    InvoiceError::Identifier { reason: r11, .. },
                ) if r10 != r11 => err(input, format!("neither MOD10 nor MOD11: {r10}; {r11}")),
                _ => e10,
            })
        })
    }

    /// The KID as the payer types it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The algorithm of the check character.
    #[must_use]
    pub fn algorithm(&self) -> KidAlgorithm {
        self.algorithm
    }

    /// The number of characters, check character included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.value.len()
    }

    /// Always false: a KID has at least two characters. Present for API symmetry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

fn payload_digits(input: &str, payload: &str) -> Result<Vec<u8>, InvoiceError> {
    payload
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| u8::try_from(d).ok())
                .ok_or_else(|| {
                    err(
                        input,
                        format!("contains {c:?}; a KID payload is digits only"),
                    )
                })
        })
        .collect()
}

impl fmt::Display for Kid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// What a payee's KID agreement with its bank allows: one algorithm and a set of total
/// lengths (check character included).
///
/// # Examples
///
/// ```
/// use tillit::invoice::{KidAgreement, KidAlgorithm};
///
/// let agreement = KidAgreement::new(KidAlgorithm::Mod10, [7, 10])?;
/// assert_eq!(agreement.generate("12345")?.as_str(), "0123455"); // zero-padded to 7
/// assert!(agreement.validate("2345676").is_ok());
/// assert!(agreement.validate("12345674").is_err()); // 8 characters: not agreed
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KidAgreement {
    algorithm: KidAlgorithm,
    lengths: Vec<u8>,
}

impl KidAgreement {
    /// An agreement for the given algorithm and total lengths.
    ///
    /// # Errors
    /// [`InvoiceError::Table`] when no length is given or a length is outside 2..=25.
    pub fn new(
        algorithm: KidAlgorithm,
        lengths: impl IntoIterator<Item = u8>,
    ) -> Result<Self, InvoiceError> {
        let mut lengths: Vec<u8> = lengths.into_iter().collect();
        lengths.sort_unstable();
        lengths.dedup();
        if lengths.is_empty() {
            return Err(InvoiceError::Table {
                reason: "a KID agreement needs at least one length between 2 and 25".into(),
            });
        }
        if let Some(bad) = lengths.iter().find(|l| !(2..=25).contains(*l)) {
            return Err(InvoiceError::Table {
                reason: format!("KID length {bad} is not allowed; lengths are 2 to 25"),
            });
        }
        Ok(Self { algorithm, lengths })
    }

    /// The agreed algorithm.
    #[must_use]
    pub fn algorithm(&self) -> KidAlgorithm {
        self.algorithm
    }

    /// The agreed total lengths, ascending.
    #[must_use]
    pub fn lengths(&self) -> &[u8] {
        &self.lengths
    }

    /// Validates a KID against the agreement's algorithm and lengths.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when the check character or the length is wrong.
    pub fn validate(&self, input: &str) -> Result<Kid, InvoiceError> {
        let kid = Kid::parse(input, self.algorithm)?;
        if !self.lengths.iter().any(|l| usize::from(*l) == kid.len()) {
            return Err(err(
                input,
                format!(
                    "has {} characters; the agreement allows {}",
                    kid.len(),
                    self.lengths_text()
                ),
            ));
        }
        Ok(kid)
    }

    /// Generates a KID for a payload, left-padding it with zeros to the shortest agreed
    /// length that fits.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when the payload is not digits or too long for every
    /// agreed length.
    pub fn generate(&self, payload: &str) -> Result<Kid, InvoiceError> {
        payload_digits(payload, payload)?;
        let need = payload.len() + 1;
        let Some(len) = self
            .lengths
            .iter()
            .map(|l| usize::from(*l))
            .find(|l| *l >= need)
        else {
            return Err(err(
                payload,
                format!(
                    "payload of {} digits does not fit the agreed lengths {}",
                    payload.len(),
                    self.lengths_text()
                ),
            ));
        };
        let padded = format!("{payload:0>width$}", width = len - 1);
        Kid::generate(&padded, self.algorithm)
    }

    fn lengths_text(&self) -> String {
        self.lengths
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_vectors() {
        assert_eq!(
            Kid::generate("234567", KidAlgorithm::Mod10)
                .expect("ok")
                .as_str(),
            "2345676"
        );
        assert_eq!(
            Kid::generate("1234567890", KidAlgorithm::Mod11)
                .expect("ok")
                .as_str(),
            "12345678903"
        );
        assert_eq!(
            Kid::generate("40", KidAlgorithm::Mod11)
                .expect("ok")
                .as_str(),
            "40-"
        );
        assert!(Kid::parse("40-", KidAlgorithm::Mod11).is_ok());
        assert!(Kid::parse("400", KidAlgorithm::Mod11).is_err());
        assert!(Kid::parse("40-", KidAlgorithm::Mod10).is_err());
    }

    #[test]
    fn lengths() {
        assert!(Kid::parse("0", KidAlgorithm::Mod10).is_err());
        assert!(Kid::generate("", KidAlgorithm::Mod10).is_err());
        let k24 = "1".repeat(24);
        assert_eq!(
            Kid::generate(&k24, KidAlgorithm::Mod10)
                .expect("25 chars")
                .len(),
            25
        );
        assert!(Kid::generate(&"1".repeat(25), KidAlgorithm::Mod10).is_err());
        let e = Kid::parse(&"1".repeat(26), KidAlgorithm::Mod10).expect_err("26");
        assert!(e.to_string().contains("2 to 25"), "{e}");
    }

    #[test]
    fn json_refuses_a_kid_whose_check_character_is_wrong() {
        // Found by fuzzing: deserialisation used to accept any value unchecked.
        let bad = r#"{"value":"25","algorithm":"mod10"}"#;
        assert!(serde_json::from_str::<Kid>(bad).is_err());
        let spaced = r#"{"value":"234 5676","algorithm":"mod10"}"#;
        assert!(serde_json::from_str::<Kid>(spaced).is_err());
        let good = Kid::generate("234567", KidAlgorithm::Mod10).expect("ok");
        let json = serde_json::to_string(&good).expect("serialises");
        assert_eq!(serde_json::from_str::<Kid>(&json).expect("reads"), good);
    }

    #[test]
    fn every_single_digit_error_is_caught_by_mod10() {
        let kid = Kid::generate("12345678", KidAlgorithm::Mod10).expect("ok");
        let s = kid.as_str().as_bytes().to_vec();
        for i in 0..s.len() {
            for d in b'0'..=b'9' {
                if d == s[i] {
                    continue;
                }
                let mut t = s.clone();
                t[i] = d;
                let t = String::from_utf8(t).expect("ascii");
                assert!(Kid::parse(&t, KidAlgorithm::Mod10).is_err(), "{t}");
            }
        }
    }
}
