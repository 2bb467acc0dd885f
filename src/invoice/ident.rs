//! Norwegian identifiers with check digits: organisation number, VAT number, bank account
//! number and IBAN.
//!
//! Each type parses loosely (spaces, dots, a `NO` prefix and `MVA` suffix where they make
//! sense), keeps only the canonical digits, and prints canonically, so two spellings of one
//! identifier compare equal. A parse error says what was wrong and what would be right.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{IdKind, InvoiceError, clip};

/// Weights for the organisation number's MOD11 check digit (Brønnøysundregistrene).
const ORG_WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
/// Weights for the bank account number's MOD11 check digit (Bits / the Norwegian banks).
const ACCOUNT_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

fn err(kind: IdKind, input: &str, reason: impl Into<String>) -> InvoiceError {
    InvoiceError::Identifier { kind, input: clip(input), reason: reason.into() }
}

/// Removes the separators people type (whitespace, dots, hyphens) and upper-cases letters.
fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Parses exactly `n` ASCII digits, or says what is wrong with them.
fn digits<const N: usize>(kind: IdKind, input: &str, s: &str) -> Result<[u8; N], InvoiceError> {
    if let Some(bad) = s.chars().find(|c| !c.is_ascii_digit()) {
        return Err(err(kind, input, format!("contains {bad:?}; only digits 0-9 are allowed")));
    }
    let bytes = s.as_bytes();
    if bytes.len() != N {
        return Err(err(kind, input, format!("has {} digits; a {kind} has {N}", bytes.len())));
    }
    let mut out = [0u8; N];
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = b - b'0';
    }
    Ok(out)
}

/// MOD11 check digit with the given weights: `None` when the remainder makes it impossible
/// (a check digit of 10), which means no valid number has these leading digits.
fn mod11(payload: &[u8], weights: &[u32]) -> Option<u8> {
    let sum: u32 = payload.iter().zip(weights).map(|(d, w)| u32::from(*d) * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        // The match arms above cover 10 and 11; everything else is 1..=9.
        d => u8::try_from(d).ok(),
    }
}

fn to_string(d: &[u8]) -> String {
    d.iter().map(|d| char::from(b'0' + d)).collect()
}

/// A Norwegian organisation number: 9 digits, the last a MOD11 check digit with weights
/// 3, 2, 7, 6, 5, 4, 3, 2.
///
/// Parsing accepts spaces and dots and a `NO` prefix or `MVA` suffix as written on invoices;
/// it prints as the 9 bare digits.
///
/// # Examples
///
/// ```
/// use tillit::invoice::OrgNumber;
///
/// let org: OrgNumber = "NO 988 077 917 MVA".parse()?;
/// assert_eq!(org.to_string(), "988077917");
/// assert_eq!(org.formatted(), "988 077 917");
/// assert!("988077918".parse::<OrgNumber>().is_err());
/// assert_eq!(OrgNumber::check_digit("12345678"), Some(5));
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNumber([u8; 9]);

impl OrgNumber {
    /// Parses an organisation number loosely and checks its check digit.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when the input is not 9 digits or the check digit is wrong.
    pub fn parse(input: &str) -> Result<Self, InvoiceError> {
        let mut s = compact(input);
        if let Some(rest) = s.strip_prefix("NO") {
            s = rest.to_owned();
        }
        if let Some(rest) = s.strip_suffix("MVA") {
            s = rest.to_owned();
        }
        let d: [u8; 9] = digits(IdKind::OrgNumber, input, &s)?;
        match mod11(&d[..8], &ORG_WEIGHTS) {
            None => Err(err(
                IdKind::OrgNumber,
                input,
                format!(
                    "no organisation number can start with {}: its check digit would be 10",
                    to_string(&d[..8])
                ),
            )),
            Some(c) if c != d[8] => Err(err(
                IdKind::OrgNumber,
                input,
                format!("check digit is {} but should be {c}", d[8]),
            )),
            Some(_) => Ok(Self(d)),
        }
    }

    /// The check digit for 8 leading digits, or `None` when the input is not 8 digits or no
    /// check digit exists for it (remainder 10).
    #[must_use]
    pub fn check_digit(first_eight: &str) -> Option<u8> {
        let d: [u8; 8] = digits(IdKind::OrgNumber, first_eight, first_eight).ok()?;
        mod11(&d, &ORG_WEIGHTS)
    }

    /// The number grouped as people write it: `988 077 917`.
    #[must_use]
    pub fn formatted(&self) -> String {
        let s = self.to_string();
        format!("{} {} {}", &s[..3], &s[3..6], &s[6..])
    }

    /// The VAT number of a VAT-registered party with this organisation number.
    #[must_use]
    pub fn vat_number(self) -> VatNumber {
        VatNumber(self)
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_string(&self.0))
    }
}

impl fmt::Debug for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgNumber({self})")
    }
}

impl FromStr for OrgNumber {
    type Err = InvoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for OrgNumber {
    type Error = InvoiceError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgNumber> for String {
    fn from(v: OrgNumber) -> Self {
        v.to_string()
    }
}

/// A Norwegian VAT number: `NO`, the organisation number and `MVA`, as a VAT-registered
/// party writes it on invoices (merverdiavgiftsloven § 15-1, bokføringsforskriften § 5-1-1).
///
/// # Examples
///
/// ```
/// use tillit::invoice::VatNumber;
///
/// let vat: VatNumber = "no 988.077.917 mva".parse()?;
/// assert_eq!(vat.to_string(), "NO988077917MVA");
/// assert_eq!(vat.org_number().to_string(), "988077917");
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VatNumber(OrgNumber);

impl VatNumber {
    /// Parses a VAT number loosely: the `NO` prefix and `MVA` suffix may be missing, spaced
    /// or in lower case; the organisation number inside must be valid.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] naming what is wrong with the number inside.
    pub fn parse(input: &str) -> Result<Self, InvoiceError> {
        OrgNumber::parse(input).map(Self).map_err(|e| match e {
            InvoiceError::Identifier { reason, .. } => err(
                IdKind::VatNumber,
                input,
                format!("{reason} (a VAT number is NO, a 9-digit organisation number and MVA)"),
            ),
            other => other,
        })
    }

    /// The organisation number inside.
    #[must_use]
    pub fn org_number(&self) -> OrgNumber {
        self.0
    }
}

impl fmt::Display for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NO{}MVA", self.0)
    }
}

impl fmt::Debug for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VatNumber({self})")
    }
}

impl FromStr for VatNumber {
    type Err = InvoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for VatNumber {
    type Error = InvoiceError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<VatNumber> for String {
    fn from(v: VatNumber) -> Self {
        v.to_string()
    }
}

/// A Norwegian bank account number: 11 digits (4 bank, 2 account group, 5 serial), the last
/// a MOD11 check digit with weights 5, 4, 3, 2, 7, 6, 5, 4, 3, 2.
///
/// # Examples
///
/// ```
/// use tillit::invoice::AccountNumber;
///
/// let account: AccountNumber = "8601.11.17947".parse()?;
/// assert_eq!(account.to_string(), "86011117947");
/// assert_eq!(account.formatted(), "8601.11.17947");
/// assert_eq!(account.to_iban().to_string(), "NO9386011117947");
/// assert!("86011117949".parse::<AccountNumber>().is_err());
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountNumber([u8; 11]);

impl AccountNumber {
    /// Parses an account number loosely (spaces, dots) and checks its check digit.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when the input is not 11 digits or the check digit is
    /// wrong.
    pub fn parse(input: &str) -> Result<Self, InvoiceError> {
        let d: [u8; 11] = digits(IdKind::AccountNumber, input, &compact(input))?;
        match mod11(&d[..10], &ACCOUNT_WEIGHTS) {
            None => Err(err(
                IdKind::AccountNumber,
                input,
                format!(
                    "no account number can start with {}: its check digit would be 10",
                    to_string(&d[..10])
                ),
            )),
            Some(c) if c != d[10] => Err(err(
                IdKind::AccountNumber,
                input,
                format!("check digit is {} but should be {c}", d[10]),
            )),
            Some(_) => Ok(Self(d)),
        }
    }

    /// The check digit for 10 leading digits, or `None` when the input is not 10 digits or
    /// no check digit exists for it.
    #[must_use]
    pub fn check_digit(first_ten: &str) -> Option<u8> {
        let d: [u8; 10] = digits(IdKind::AccountNumber, first_ten, first_ten).ok()?;
        mod11(&d, &ACCOUNT_WEIGHTS)
    }

    /// The number grouped as banks print it: `8601.11.17947`.
    #[must_use]
    pub fn formatted(&self) -> String {
        let s = self.to_string();
        format!("{}.{}.{}", &s[..4], &s[4..6], &s[6..])
    }

    /// The Norwegian IBAN for this account.
    #[must_use]
    pub fn to_iban(self) -> Iban {
        Iban(self)
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_string(&self.0))
    }
}

impl fmt::Debug for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountNumber({self})")
    }
}

impl FromStr for AccountNumber {
    type Err = InvoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for AccountNumber {
    type Error = InvoiceError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<AccountNumber> for String {
    fn from(v: AccountNumber) -> Self {
        v.to_string()
    }
}

/// A Norwegian IBAN: `NO`, two ISO 13616 check digits (mod 97) and the 11-digit account
/// number, whose own MOD11 check digit must hold too.
///
/// # Examples
///
/// ```
/// use tillit::invoice::Iban;
///
/// let iban: Iban = "no93 8601 1117 947".parse()?;
/// assert_eq!(iban.to_string(), "NO9386011117947");
/// assert_eq!(iban.formatted(), "NO93 8601 1117 947");
/// assert_eq!(iban.account_number().to_string(), "86011117947");
/// assert!("NO9486011117947".parse::<Iban>().is_err());
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(AccountNumber);

impl Iban {
    /// Parses a Norwegian IBAN loosely (spaces, lower case) and checks both check digits.
    ///
    /// # Errors
    /// [`InvoiceError::Identifier`] when the country is not NO, the length is not 15, or a
    /// check digit is wrong.
    pub fn parse(input: &str) -> Result<Self, InvoiceError> {
        let s = compact(input);
        let Some(rest) = s.strip_prefix("NO") else {
            return Err(err(
                IdKind::Iban,
                input,
                "does not start with NO; only Norwegian IBANs (NO + 13 digits) are supported",
            ));
        };
        let d: [u8; 13] = digits(IdKind::Iban, input, rest).map_err(|_| {
            err(
                IdKind::Iban,
                input,
                format!(
                    "has {} characters; a Norwegian IBAN is NO followed by 13 digits",
                    s.chars().count()
                ),
            )
        })?;
        let account = AccountNumber::parse(&to_string(&d[2..])).map_err(|e| match e {
            InvoiceError::Identifier { reason, .. } => {
                err(IdKind::Iban, input, format!("the account number inside: {reason}"))
            }
            other => other,
        })?;
        let expected = iban_check(&account);
        let given = d[0] * 10 + d[1];
        if given != expected {
            return Err(err(
                IdKind::Iban,
                input,
                format!("IBAN check digits are {given:02} but should be {expected:02}"),
            ));
        }
        Ok(Self(account))
    }

    /// The account number inside.
    #[must_use]
    pub fn account_number(&self) -> AccountNumber {
        self.0
    }

    /// The IBAN in groups of four, as printed on paper.
    #[must_use]
    pub fn formatted(&self) -> String {
        let s = self.to_string();
        s.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// ISO 13616 check digits: the account digits, then `N`=23, `O`=24, `00`, mod 97.
fn iban_check(account: &AccountNumber) -> u8 {
    let mut r: u32 = 0;
    for d in account.0.iter().copied().chain([2, 3, 2, 4, 0, 0]) {
        r = (r * 10 + u32::from(d)) % 97;
    }
    // 98 - r is in 1..=98 because r < 97.
    u8::try_from(98 - r).unwrap_or(0)
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NO{:02}{}", iban_check(&self.0), self.0)
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({self})")
    }
}

impl FromStr for Iban {
    type Err = InvoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Iban {
    type Error = InvoiceError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Iban> for String {
    fn from(v: Iban) -> Self {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_number_vectors() {
        assert_eq!(OrgNumber::check_digit("12345678"), Some(5));
        assert!(OrgNumber::parse("988077917").is_ok());
        assert!(OrgNumber::parse("988077918").is_err());
        assert!(OrgNumber::parse("123456785").is_ok());
        assert!(OrgNumber::parse("987654325").is_ok());
        assert_eq!(
            OrgNumber::parse(" NO 988.077.917 mva ").map(|o| o.to_string()).ok(),
            Some("988077917".into())
        );
    }

    #[test]
    fn org_number_errors_explain() {
        let e = OrgNumber::parse("988077918").expect_err("wrong check digit").to_string();
        assert!(e.contains("check digit is 8 but should be 7"), "{e}");
        let e = OrgNumber::parse("98807791").expect_err("too short").to_string();
        assert!(e.contains("has 8 digits; a organisation number has 9") || e.contains("has 8"));
        let e = OrgNumber::parse("98807791x").expect_err("letter").to_string();
        assert!(e.contains("'X'"), "{e}");
    }

    #[test]
    fn impossible_check_digit() {
        // Find 8 leading digits whose check digit would be 10 and prove no 9-digit number
        // with them is accepted.
        let prefix = (10_000_000u32..10_001_000)
            .map(|n| n.to_string())
            .find(|p| OrgNumber::check_digit(p).is_none())
            .expect("some prefix in a thousand has remainder 10");
        for last in 0..10 {
            let e = OrgNumber::parse(&format!("{prefix}{last}")).expect_err("impossible");
            assert!(e.to_string().contains("would be 10"), "{e}");
        }
    }

    #[test]
    fn account_and_iban_vectors() {
        let a = AccountNumber::parse("86011117947").expect("valid");
        assert!(AccountNumber::parse("86011117949").is_err());
        assert_eq!(a.to_iban().to_string(), "NO9386011117947");
        assert_eq!(Iban::parse("NO93 8601 1117 947").expect("valid").account_number(), a);
        let e = Iban::parse("NO9486011117947").expect_err("bad check").to_string();
        assert!(e.contains("should be 93"), "{e}");
        assert!(Iban::parse("DE89370400440532013000").is_err());
        assert!(Iban::parse("NO93860111179").is_err());
    }
}
