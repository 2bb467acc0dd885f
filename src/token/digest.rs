//! Digests kept in place of secrets: the verifier digest, the password-hash fingerprint and
//! the e-mail key used for per-address throttling.
//!
//! The store never sees a verifier, only `SHA-256(verifier)` or `HMAC-SHA256(key, verifier)`;
//! with the keyed form a stolen database is useless without the server key too. Digests are
//! compared in constant time. The fingerprint of an account's stored PHC string is always
//! keyed, so it reveals nothing about the hash and cannot be computed by someone who only
//! read the token table. Subkeys for each use are derived from one [`ServerKey`] with HKDF,
//! so the same secret never serves two purposes.

use ring::{digest, hkdf, hmac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::token::error::TokenError;

/// Minimum length of a server key in bytes.
pub const MIN_SERVER_KEY_LEN: usize = 32;

/// A server-side secret from which the module derives its keys (HKDF-SHA256).
///
/// Keep it out of the database that holds the tokens: a key in a secret manager or an
/// environment variable means a leaked token table alone reveals nothing.
pub struct ServerKey {
    fingerprint: hmac::Key,
    email: hmac::Key,
    verifier: hmac::Key,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(<redacted>)")
    }
}

struct HmacLen;

impl hkdf::KeyType for HmacLen {
    fn len(&self) -> usize {
        32
    }
}

fn derive(prk: &hkdf::Prk, label: &'static [u8]) -> hmac::Key {
    let info = [label];
    let mut bytes = Zeroizing::new([0u8; 32]);
    // Expanding 32 bytes from SHA-256 HKDF cannot fail: the limit is 255 * 32 bytes.
    let okm = prk
        .expand(&info, HmacLen)
        .expect("32 bytes is within HKDF-SHA256's output limit");
    okm.fill(bytes.as_mut())
        .expect("the output buffer has the length requested");
    hmac::Key::new(hmac::HMAC_SHA256, bytes.as_ref())
}

impl ServerKey {
    /// Builds the key from at least 32 secret bytes (for example 32 bytes from the OS CSPRNG,
    /// kept in a secret manager).
    ///
    /// # Errors
    /// [`TokenError::Config`] when the secret is shorter than 32 bytes.
    ///
    /// # Examples
    /// ```
    /// use tillit::token::ServerKey;
    /// let key = ServerKey::new(&[7u8; 32])?;
    /// assert!(ServerKey::new(b"short").is_err());
    /// # let _ = key;
    /// # Ok::<(), tillit::token::TokenError>(())
    /// ```
    pub fn new(secret: &[u8]) -> Result<Self, TokenError> {
        if secret.len() < MIN_SERVER_KEY_LEN {
            return Err(TokenError::config(format!(
                "server key is {} bytes, at least {MIN_SERVER_KEY_LEN} are needed",
                secret.len()
            )));
        }
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"tillit reset tokens v1").extract(secret);
        Ok(Self {
            fingerprint: derive(&prk, b"password-hash fingerprint"),
            email: derive(&prk, b"e-mail address key"),
            verifier: derive(&prk, b"verifier digest"),
        })
    }

    /// The keyed fingerprint of an account's stored PHC string.
    pub fn fingerprint(&self, stored_hash: &str) -> Fingerprint {
        Fingerprint(tag(&self.fingerprint, stored_hash.as_bytes()))
    }

    /// The keyed digest of a normalised e-mail address: what the store keeps for
    /// per-address throttling instead of the address itself.
    pub fn email_key(&self, email: &str) -> [u8; 32] {
        tag(&self.email, normalise_email(email).as_bytes())
    }
}

fn tag(key: &hmac::Key, data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(hmac::sign(key, data).as_ref());
    out
}

/// Lowercases and trims an address so that `Kari@Example.no ` and `kari@example.no` count
/// as one address for throttling.
pub(crate) fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A keyed fingerprint of an account's stored PHC string. Any change of the string (new
/// password, upgrade on login) changes the fingerprint and so ends outstanding tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// Constant-time equality.
    pub fn matches(&self, other: &[u8; 32]) -> bool {
        self.0.ct_eq(other).into()
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprint(..)")
    }
}

/// How the verifier is digested before it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum VerifierDigest {
    /// SHA-256 of the verifier: enough, since the verifier has 256 bits of entropy.
    #[default]
    Sha256,
    /// HMAC-SHA256 of the verifier under a key derived from the server key: a stolen token
    /// table cannot even be checked against candidate tokens without that key.
    HmacSha256,
}

impl VerifierDigest {
    /// Digests a verifier.
    pub fn digest(self, key: &ServerKey, verifier: &[u8]) -> [u8; 32] {
        match self {
            Self::Sha256 => {
                let mut out = [0u8; 32];
                out.copy_from_slice(digest::digest(&digest::SHA256, verifier).as_ref());
                out
            }
            Self::HmacSha256 => tag(&key.verifier, verifier),
        }
    }

    /// Checks a verifier against a stored digest in constant time.
    pub fn verify(self, key: &ServerKey, verifier: &[u8], stored: &[u8; 32]) -> bool {
        let computed = self.digest(key, verifier);
        computed.ct_eq(stored).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ServerKey {
        ServerKey::new(&[42u8; 32]).expect("32 bytes is a valid key")
    }

    #[test]
    fn sha256_digest_matches_the_known_answer() {
        // SHA-256 of 32 zero bytes.
        let d = VerifierDigest::Sha256.digest(&key(), &[0u8; 32]);
        let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
    }

    #[test]
    fn hmac_digest_depends_on_the_key() {
        let other = ServerKey::new(&[43u8; 32]).expect("valid key");
        let a = VerifierDigest::HmacSha256.digest(&key(), b"v");
        let b = VerifierDigest::HmacSha256.digest(&other, b"v");
        assert_ne!(a, b);
        assert_ne!(a, VerifierDigest::Sha256.digest(&key(), b"v"));
        assert!(VerifierDigest::HmacSha256.verify(&key(), b"v", &a));
        assert!(!VerifierDigest::HmacSha256.verify(&other, b"v", &a));
    }

    #[test]
    fn verify_refuses_any_changed_byte() {
        let k = key();
        let stored = VerifierDigest::Sha256.digest(&k, &[9u8; 32]);
        for i in 0..32 {
            let mut v = [9u8; 32];
            v[i] ^= 1;
            assert!(!VerifierDigest::Sha256.verify(&k, &v, &stored));
        }
        assert!(VerifierDigest::Sha256.verify(&k, &[9u8; 32], &stored));
    }

    #[test]
    fn fingerprints_change_with_the_hash_and_the_key() {
        let k = key();
        let a = k.fingerprint("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
        let b = k.fingerprint("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaB");
        assert_ne!(a, b);
        assert!(a.matches(&a.0));
        let other = ServerKey::new(&[1u8; 40]).expect("valid key");
        assert_ne!(other.fingerprint("x"), k.fingerprint("x"));
    }

    #[test]
    fn email_keys_ignore_case_and_surrounding_space() {
        let k = key();
        assert_eq!(
            k.email_key(" Kari@Example.NO "),
            k.email_key("kari@example.no")
        );
        assert_ne!(
            k.email_key("kari@example.no"),
            k.email_key("ola@example.no")
        );
    }

    #[test]
    fn short_server_keys_are_refused() {
        let err = ServerKey::new(&[0u8; 31]).expect_err("31 bytes is too short");
        assert!(err.to_string().contains("at least 32"), "{err}");
    }
}
