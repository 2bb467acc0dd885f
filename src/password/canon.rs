//! Password canonicalisation: the normalisation steps of RFC 8265's OpaqueString profile
//! (non-ASCII spaces mapped to U+0020, then Unicode NFC) without its refusal of code points,
//! and without case folding. Versioned, so a later rule can be introduced while hashes made
//! under the current one still verify and are upgraded on login.
//!
//! NFKC is deliberately not used: it merges distinct characters ("ﬁ" and "fi", full-width and
//! ASCII digits), which would let different passwords verify against each other.

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// A version of the canonicalisation rule, recorded in each stored hash.
///
/// Version 1 (today's) writes a plain PHC string, which other argon2 implementations verify
/// given the same canonical bytes. A later version will add the PHC parameter
/// `canon=<version>` to the hashes it writes; a hash without that parameter is version 1.
/// A stored hash whose version differs from the hasher's is upgraded on login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Canonicalization {
    /// NFC after mapping every non-ASCII space (general category Zs) to U+0020.
    V1,
}

impl Canonicalization {
    /// The version new hashes use.
    pub const CURRENT: Canonicalization = Canonicalization::V1;

    /// The number written in the `canon` PHC parameter.
    #[must_use]
    pub fn number(self) -> u32 {
        match self {
            Canonicalization::V1 => 1,
        }
    }

    /// The version with that number, if this build knows it.
    #[must_use]
    pub fn from_number(n: u32) -> Option<Self> {
        match n {
            1 => Some(Canonicalization::V1),
            _ => None,
        }
    }

    /// True when hashes of this version carry no marker (plain PHC strings).
    #[must_use]
    pub fn is_plain(self) -> bool {
        matches!(self, Canonicalization::V1)
    }

    /// Applies this version's rule.
    #[must_use]
    pub fn apply(self, password: &str) -> Zeroizing<String> {
        match self {
            Canonicalization::V1 => v1(password),
        }
    }
}

/// Canonicalises a password with the current rule (NFC after mapping non-ASCII spaces to
/// U+0020; no case folding, no NFKC). The result is wiped when dropped.
///
/// # Examples
/// ```
/// use tillit::password::canonicalize;
/// // "e" + combining acute accent becomes the precomposed "é" (NFC).
/// assert_eq!(canonicalize("cafe\u{301}").as_str(), "caf\u{e9}");
/// // A no-break space becomes an ASCII space.
/// assert_eq!(canonicalize("a\u{a0}b").as_str(), "a b");
/// // Compatibility characters are kept: "ﬁ" is not "fi", "Ａ" is not "A".
/// assert_eq!(canonicalize("\u{fb01}").as_str(), "\u{fb01}");
/// assert_eq!(canonicalize("Pass").as_str(), "Pass");
/// ```
#[must_use]
pub fn canonicalize(password: &str) -> Zeroizing<String> {
    Canonicalization::CURRENT.apply(password)
}

/// Code points of general category Zs other than U+0020. The category is stable: Unicode's
/// stability policy keeps these assignments, and the list has not changed since Unicode 6.
fn is_non_ascii_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn v1(password: &str) -> Zeroizing<String> {
    // RFC 8265 §4.2.2 order: the additional mapping rule (spaces) first, then normalisation.
    // The intermediate string is wiped too.
    let mut mapped = Zeroizing::new(String::with_capacity(password.len()));
    mapped.extend(
        password
            .chars()
            .map(|c| if is_non_ascii_space(c) { ' ' } else { c }),
    );
    let mut out = Zeroizing::new(String::with_capacity(mapped.len()));
    out.extend(mapped.nfc());
    out
}

/// Length of a password in code points after canonicalisation.
#[must_use]
pub fn code_points(canonical: &str) -> usize {
    canonical.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_and_nfkc_equivalents_stay_distinct() {
        assert_eq!(canonicalize("A\u{30a}").as_str(), "\u{c5}");
        assert_eq!(canonicalize("\u{212b}").as_str(), "\u{c5}"); // Angstrom sign is NFC-equal to Å
        assert_ne!(canonicalize("\u{fb01}").as_str(), "fi");
        assert_ne!(canonicalize("\u{ff11}\u{ff12}").as_str(), "12");
        assert_ne!(canonicalize("x\u{b2}").as_str(), "x2");
    }

    #[test]
    fn every_non_ascii_space_maps_to_ascii_space() {
        for c in [
            '\u{a0}', '\u{1680}', '\u{2000}', '\u{2005}', '\u{200a}', '\u{202f}', '\u{205f}',
            '\u{3000}',
        ] {
            let s = format!("a{c}b");
            assert_eq!(canonicalize(&s).as_str(), "a b", "{:04x}", c as u32);
        }
        // Not spaces of category Zs: kept as they are.
        for c in ['\t', '\u{200b}', '\u{2028}', '\u{feff}'] {
            let s = format!("a{c}b");
            assert_eq!(canonicalize(&s).as_str(), s);
        }
    }

    #[test]
    fn no_case_folding_and_no_trimming() {
        assert_eq!(canonicalize(" Straße ").as_str(), " Straße ");
    }

    #[test]
    fn version_numbers_round_trip() {
        assert_eq!(Canonicalization::from_number(1), Some(Canonicalization::V1));
        assert_eq!(Canonicalization::from_number(2), None);
        assert_eq!(Canonicalization::CURRENT.number(), 1);
        assert!(Canonicalization::CURRENT.is_plain());
    }

    #[test]
    fn length_counts_code_points() {
        assert_eq!(code_points(&canonicalize("e\u{301}")), 1);
        assert_eq!(code_points("😀😀"), 2);
    }
}
