//! The text form of a stored-mode reset token, and the purpose a token is bound to.
//!
//! A token reads `tlr1_<selector><verifier>`: the prefix names the kind ("tillit reset") and
//! the format version, so secret scanners can recognise leaked tokens; the selector is 12
//! random bytes (16 base64url characters) used to find the stored record, and the verifier is
//! 32 random bytes (43 characters) of which only a digest is stored. Parsing is strict
//! (exact length, canonical base64url, no padding) and happens before any storage access.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::token::error::TokenError;

/// The fixed prefix of every stored-mode reset token: kind `tlr` (tillit reset), version 1.
pub const RESET_TOKEN_PREFIX: &str = "tlr1_";
/// Length of the selector in bytes (96 bits).
pub const SELECTOR_LEN: usize = 12;
/// Length of the verifier in bytes (256 bits).
pub const VERIFIER_LEN: usize = 32;

const SELECTOR_CHARS: usize = 16;
const VERIFIER_CHARS: usize = 43;
const TOKEN_CHARS: usize = RESET_TOKEN_PREFIX.len() + SELECTOR_CHARS + VERIFIER_CHARS;

/// The lookup key of a token: random, unique, and not secret on its own.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Selector(pub [u8; SELECTOR_LEN]);

impl Selector {
    /// The selector's bytes.
    pub fn as_bytes(&self) -> &[u8; SELECTOR_LEN] {
        &self.0
    }

    /// Builds a selector from exactly 12 bytes, as read back from a store.
    ///
    /// # Errors
    /// [`TokenError::Malformed`] when the slice is not 12 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, TokenError> {
        let array: [u8; SELECTOR_LEN] = bytes.try_into().map_err(|_| {
            TokenError::malformed(format!(
                "selector is {} bytes, expected {SELECTOR_LEN}",
                bytes.len()
            ))
        })?;
        Ok(Self(array))
    }

    /// The selector in base64url without padding (16 characters).
    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }
}

impl std::fmt::Debug for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Selector({})", self.to_base64())
    }
}

/// A stored-mode reset token: selector plus secret verifier. The verifier is wiped on drop
/// and never printed by `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ResetToken {
    #[zeroize(skip)]
    selector: Selector,
    verifier: [u8; VERIFIER_LEN],
}

impl std::fmt::Debug for ResetToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetToken")
            .field("selector", &self.selector)
            .field("verifier", &"<redacted>")
            .finish()
    }
}

impl ResetToken {
    /// Draws a fresh token from the operating system's CSPRNG.
    ///
    /// # Errors
    /// [`TokenError::Random`] when the OS generator fails.
    pub fn generate(rng: &SystemRandom) -> Result<Self, TokenError> {
        // One call for both parts: the OS random call is the floor of issuing cost.
        let mut bytes = Zeroizing::new([0u8; SELECTOR_LEN + VERIFIER_LEN]);
        rng.fill(bytes.as_mut()).map_err(|_| TokenError::Random)?;
        let mut selector = [0u8; SELECTOR_LEN];
        let mut verifier = [0u8; VERIFIER_LEN];
        selector.copy_from_slice(&bytes[..SELECTOR_LEN]);
        verifier.copy_from_slice(&bytes[SELECTOR_LEN..]);
        Ok(Self {
            selector: Selector(selector),
            verifier,
        })
    }

    /// Builds a token from its parts (for tests and known-answer vectors).
    pub fn from_parts(selector: [u8; SELECTOR_LEN], verifier: [u8; VERIFIER_LEN]) -> Self {
        Self {
            selector: Selector(selector),
            verifier,
        }
    }

    /// The token's selector.
    pub fn selector(&self) -> Selector {
        self.selector
    }

    /// The secret verifier bytes.
    pub fn verifier(&self) -> &[u8; VERIFIER_LEN] {
        &self.verifier
    }

    /// The token as text: `tlr1_` followed by selector and verifier in base64url.
    ///
    /// # Examples
    /// ```
    /// use tillit::token::ResetToken;
    /// let token = ResetToken::from_parts([0; 12], [0xff; 32]);
    /// let text = token.to_text();
    /// assert!(text.starts_with("tlr1_AAAAAAAAAAAAAAAA"));
    /// assert_eq!(text.len(), 64);
    /// assert_eq!(ResetToken::parse(&text)?.selector(), token.selector());
    /// # Ok::<(), tillit::token::TokenError>(())
    /// ```
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(TOKEN_CHARS));
        text.push_str(RESET_TOKEN_PREFIX);
        URL_SAFE_NO_PAD.encode_string(self.selector.0, &mut text);
        URL_SAFE_NO_PAD.encode_string(self.verifier, &mut text);
        text
    }

    /// Parses a token's text strictly: exact prefix, exact length, canonical base64url.
    ///
    /// # Errors
    /// [`TokenError::Malformed`] saying what was wrong.
    pub fn parse(text: &str) -> Result<Self, TokenError> {
        let Some(body) = text.strip_prefix(RESET_TOKEN_PREFIX) else {
            return Err(TokenError::malformed(format!(
                "a reset token starts with {RESET_TOKEN_PREFIX:?}"
            )));
        };
        if text.len() != TOKEN_CHARS {
            return Err(TokenError::malformed(format!(
                "a reset token is {TOKEN_CHARS} characters long, this one is {}",
                text.chars().count()
            )));
        }
        // Length is checked in bytes above, so a multi-byte character cannot make the split
        // below land inside a character: the alphabet check comes first.
        if !body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(TokenError::malformed(
                "a reset token holds only base64url characters (A-Z, a-z, 0-9, '-', '_')",
            ));
        }
        let (sel_text, ver_text) = body.split_at(SELECTOR_CHARS);
        let mut selector = [0u8; SELECTOR_LEN];
        let mut verifier = Zeroizing::new([0u8; VERIFIER_LEN]);
        decode_exact(sel_text, &mut selector, "selector")?;
        decode_exact(ver_text, verifier.as_mut(), "verifier")?;
        Ok(Self {
            selector: Selector(selector),
            verifier: *verifier,
        })
    }
}

fn decode_exact(text: &str, out: &mut [u8], part: &str) -> Result<(), TokenError> {
    let mut buf = Zeroizing::new([0u8; 48]);
    let n = URL_SAFE_NO_PAD
        .decode_slice(text, buf.as_mut())
        .map_err(|err| {
            TokenError::malformed(format!("the {part} is not canonical base64url: {err}"))
        })?;
    if n != out.len() {
        return Err(TokenError::malformed(format!(
            "the {part} decodes to {n} bytes, expected {}",
            out.len()
        )));
    }
    out.copy_from_slice(&buf[..n]);
    Ok(())
}

/// What a token may be used for: a short lowercase name such as `password-reset`.
///
/// A token checked for another purpose than it was issued for is refused, so a token minted
/// for, say, e-mail confirmation can never reset a password.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purpose(String);

impl Purpose {
    /// The purpose of password-reset tokens.
    pub const PASSWORD_RESET: &'static str = "password-reset";

    /// Validates a purpose name: 1 to 32 characters of `a-z`, `0-9`, `-`, `_`, `.`.
    ///
    /// # Errors
    /// [`TokenError::Config`] when the name is empty, too long or has other characters.
    pub fn new(name: &str) -> Result<Self, TokenError> {
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
        if name.is_empty() || name.len() > 32 || !name.chars().all(ok_char) {
            return Err(TokenError::config(format!(
                "purpose {name:?} must be 1 to 32 characters of a-z, 0-9, '-', '_' or '.'"
            )));
        }
        Ok(Self(name.to_owned()))
    }

    /// The password-reset purpose.
    pub fn password_reset() -> Self {
        Self(Self::PASSWORD_RESET.to_owned())
    }

    /// The purpose's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_round_trip_and_differ() -> Result<(), TokenError> {
        let rng = SystemRandom::new();
        let a = ResetToken::generate(&rng)?;
        let b = ResetToken::generate(&rng)?;
        assert_ne!(a.selector(), b.selector());
        assert_ne!(a.verifier(), b.verifier());
        let text = a.to_text();
        assert_eq!(text.len(), 64);
        let back = ResetToken::parse(&text)?;
        assert_eq!(back.selector(), a.selector());
        assert_eq!(back.verifier(), a.verifier());
        Ok(())
    }

    #[test]
    fn known_answer_layout() {
        let token = ResetToken::from_parts([0xfb; 12], [0x00; 32]);
        assert_eq!(
            token.to_text().as_str(),
            "tlr1_-_v7-_v7-_v7-_v7AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        );
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let good = ResetToken::from_parts([1; 12], [2; 32]).to_text();
        let cases: Vec<String> = vec![
            String::new(),
            good[1..].to_owned(),
            format!("tlr2_{}", &good[5..]),
            good[..63].to_owned(),
            format!("{}A", good.as_str()),
            format!("{}=", &good[..63]),
            format!("{}+{}", &good[..20], &good[21..]),
            format!("{}é", &good[..62]),
            // Non-canonical trailing bits in the verifier's last character.
            format!("{}B", &good[..63]),
        ];
        for case in cases {
            let err = ResetToken::parse(&case).expect_err("malformed input must be refused");
            assert!(
                matches!(err, TokenError::Malformed { .. }),
                "{case:?}: {err}"
            );
        }
    }

    #[test]
    fn debug_does_not_print_the_verifier() {
        let token = ResetToken::from_parts([1; 12], [2; 32]);
        let shown = format!("{token:?}");
        assert!(shown.contains("redacted"));
        assert!(!shown.contains(&URL_SAFE_NO_PAD.encode([2u8; 32])));
    }

    #[test]
    fn purposes_are_validated() {
        assert!(Purpose::new("password-reset").is_ok());
        assert!(Purpose::new("").is_err());
        assert!(Purpose::new("Password").is_err());
        assert!(Purpose::new(&"a".repeat(33)).is_err());
    }
}
