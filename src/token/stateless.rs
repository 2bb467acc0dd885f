//! Stateless reset tokens, for services with no table for tokens.
//!
//! A stateless token is signed, not stored: `tls1_<payload>.<tag>`, where the payload
//! carries the signing key's id, the purpose, the account, the issue and expiry times, a
//! keyed fingerprint of the account's stored PHC string and a random nonce, and the tag is
//! HMAC-SHA256 over it under the key named by the id. Verification looks the key up in a
//! key ring (the current key plus retired ones, so keys rotate without breaking links in
//! flight), checks the tag in constant time, then purpose, expiry and fingerprint.
//!
//! **What this mode cannot do.** It keeps no state, so nothing here can remember that a
//! token was used. Single use holds only because the fingerprint changes when the password
//! does: the caller must store the new hash with a compare-and-set on the old one
//! (`UPDATE users SET hash = :new WHERE id = :id AND hash = :old`) and treat "no row
//! changed" as "token already used". Revoking outstanding tokens means changing the stored
//! hash or rotating the key out of the ring. Peeking and consuming cannot be told apart.
//! The stored mode ([`PasswordReset`](crate::token::PasswordReset)) has none of these
//! limits and is the default.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use crate::token::error::TokenError;
use crate::token::flow::{DEFAULT_LIFETIME, validate_lifetime};
use crate::token::format::Purpose;

/// The fixed prefix of stateless tokens: kind `tls` (tillit stateless reset), version 1.
pub const STATELESS_TOKEN_PREFIX: &str = "tls1_";

const FORMAT_VERSION: u8 = 1;
const NONCE_LEN: usize = 16;
const FINGERPRINT_LEN: usize = 16;
const TAG_LEN: usize = 32;
const MAX_TOKEN_CHARS: usize = 1024;
const DOMAIN: &[u8] = b"tillit stateless reset token v1\0";

/// One signing key with its id. The id travels in the token, the key never does.
pub struct StatelessKey {
    id: String,
    key: hmac::Key,
}

impl std::fmt::Debug for StatelessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatelessKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl StatelessKey {
    /// A key from its id (1 to 16 characters of `A-Z a-z 0-9 - _`) and at least 32 secret
    /// bytes.
    ///
    /// # Errors
    /// [`TokenError::Config`] for a bad id or a short secret.
    pub fn new(id: &str, secret: &[u8]) -> Result<Self, TokenError> {
        let ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if id.is_empty() || id.len() > 16 || !id.chars().all(ok) {
            return Err(TokenError::config(format!(
                "key id {id:?} must be 1 to 16 characters of A-Z, a-z, 0-9, '-' or '_'"
            )));
        }
        if secret.len() < 32 {
            return Err(TokenError::config(format!(
                "signing key {id:?} is {} bytes, at least 32 are needed",
                secret.len()
            )));
        }
        Ok(Self {
            id: id.to_owned(),
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
        })
    }

    /// The key's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn fingerprint(&self, stored_hash: &str) -> [u8; FINGERPRINT_LEN] {
        let mut ctx = hmac::Context::with_key(&self.key);
        ctx.update(b"tillit stateless fingerprint v1\0");
        ctx.update(stored_hash.as_bytes());
        let mut out = [0u8; FINGERPRINT_LEN];
        out.copy_from_slice(&ctx.sign().as_ref()[..FINGERPRINT_LEN]);
        out
    }
}

/// What a verified stateless token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatelessClaims {
    /// The account the token resets.
    pub account_id: String,
    /// The token's purpose.
    pub purpose: String,
    /// When it was issued.
    pub issued_at: OffsetDateTime,
    /// First instant at which it no longer works.
    pub expires_at: OffsetDateTime,
    /// Id of the key that signed it.
    pub key_id: String,
}

/// Issues and verifies stateless tokens with a key ring. Read the module documentation
/// first: single use rests on the caller's compare-and-set of the password hash.
///
/// # Examples
/// ```
/// use time::OffsetDateTime;
/// use tillit::token::{StatelessKey, StatelessTokens};
/// let tokens = StatelessTokens::new(StatelessKey::new("k2", &[2u8; 32])?)?;
/// let now = OffsetDateTime::from_unix_timestamp(1_760_000_000).expect("valid time");
/// let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
/// let token = tokens.issue("acct-1", "password-reset", hash, now)?;
/// let claims = tokens.verify(&token, "password-reset", hash, now)?;
/// assert_eq!(claims.account_id, "acct-1");
/// assert!(tokens.verify(&token, "password-reset", "$argon2id$other", now).is_err());
/// # Ok::<(), tillit::token::TokenError>(())
/// ```
#[derive(Debug)]
pub struct StatelessTokens {
    current: StatelessKey,
    retired: Vec<StatelessKey>,
    lifetime: Duration,
    rng: SystemRandom,
}

struct Decoded<'a> {
    key_id: &'a str,
    purpose: &'a str,
    account_id: &'a str,
    issued_at: i64,
    expires_at: i64,
    fingerprint: &'a [u8],
    signed: &'a [u8],
    tag: Vec<u8>,
}

impl StatelessTokens {
    /// Signs with `current`, lifetime 30 minutes, no retired keys.
    ///
    /// # Errors
    /// None today; the signature leaves room for validation.
    pub fn new(current: StatelessKey) -> Result<Self, TokenError> {
        Ok(Self {
            current,
            retired: Vec::new(),
            lifetime: DEFAULT_LIFETIME,
            rng: SystemRandom::new(),
        })
    }

    /// Adds a retired key: tokens it signed still verify, new ones are signed with the
    /// current key. Drop a key from the ring to revoke every token it signed.
    ///
    /// # Errors
    /// [`TokenError::Config`] when the id is already in the ring.
    pub fn with_retired(mut self, key: StatelessKey) -> Result<Self, TokenError> {
        if key.id == self.current.id || self.retired.iter().any(|k| k.id == key.id) {
            return Err(TokenError::config(format!(
                "key id {:?} is already in the ring",
                key.id
            )));
        }
        self.retired.push(key);
        Ok(self)
    }

    /// Sets the lifetime of new tokens.
    ///
    /// # Errors
    /// [`TokenError::Config`] when outside 1 minute to [`MAX_LIFETIME`](crate::token::MAX_LIFETIME).
    pub fn with_lifetime(mut self, lifetime: Duration) -> Result<Self, TokenError> {
        validate_lifetime(lifetime)?;
        self.lifetime = lifetime;
        Ok(self)
    }

    /// Issues a token for an account, bound to its current stored PHC string.
    ///
    /// # Errors
    /// [`TokenError::Config`] for an empty or over-long account id or a bad purpose;
    /// [`TokenError::Random`] when the OS generator fails.
    pub fn issue(
        &self,
        account_id: &str,
        purpose: &str,
        stored_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Zeroizing<String>, TokenError> {
        let purpose = Purpose::new(purpose)?;
        if account_id.is_empty() || account_id.len() > 255 {
            return Err(TokenError::config("account id must be 1 to 255 bytes long"));
        }
        let issued_at = now.unix_timestamp();
        let expires_at = (now + self.lifetime).unix_timestamp();
        let mut nonce = [0u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| TokenError::Random)?;

        let key = &self.current;
        let mut payload = Vec::with_capacity(64 + account_id.len());
        payload.push(FORMAT_VERSION);
        for field in [key.id.as_str(), purpose.as_str(), account_id] {
            // Every field is at most 255 bytes: checked above and in the constructors.
            payload.push(u8::try_from(field.len()).expect("field lengths are checked to fit"));
            payload.extend_from_slice(field.as_bytes());
        }
        payload.extend_from_slice(&issued_at.to_be_bytes());
        payload.extend_from_slice(&expires_at.to_be_bytes());
        payload.extend_from_slice(&key.fingerprint(stored_hash));
        payload.extend_from_slice(&nonce);
        let tag = sign(&key.key, &payload);

        let mut text = Zeroizing::new(String::from(STATELESS_TOKEN_PREFIX));
        URL_SAFE_NO_PAD.encode_string(&payload, &mut text);
        text.push('.');
        URL_SAFE_NO_PAD.encode_string(tag.as_ref(), &mut text);
        Ok(text)
    }

    /// Reads the account id from a token **without verifying it**, so the caller can load
    /// that account's stored hash for [`verify`](Self::verify). Never act on it otherwise.
    ///
    /// # Errors
    /// [`TokenError::Malformed`] when the token cannot be parsed.
    pub fn account_of(token: &str) -> Result<String, TokenError> {
        let (payload, tag) = split(token)?;
        Ok(decode(&payload, tag)?.account_id.to_owned())
    }

    /// Verifies a token for a purpose against the account's current stored PHC string.
    ///
    /// # Errors
    /// [`TokenError::Malformed`], [`TokenError::UnknownKey`], [`TokenError::BadSignature`],
    /// [`TokenError::WrongPurpose`], [`TokenError::Expired`], [`TokenError::HashChanged`].
    pub fn verify(
        &self,
        token: &str,
        purpose: &str,
        stored_hash: &str,
        now: OffsetDateTime,
    ) -> Result<StatelessClaims, TokenError> {
        let (payload, tag) = split(token)?;
        let d = decode(&payload, tag)?;
        let key = std::iter::once(&self.current)
            .chain(&self.retired)
            .find(|k| k.id == d.key_id)
            .ok_or_else(|| TokenError::UnknownKey {
                key_id: d.key_id.to_owned(),
            })?;
        let expected = sign(&key.key, d.signed);
        if !bool::from(expected.as_ref().ct_eq(d.tag.as_slice())) {
            return Err(TokenError::BadSignature);
        }
        if d.purpose != purpose {
            return Err(TokenError::WrongPurpose {
                expected: purpose.to_owned(),
                found: d.purpose.to_owned(),
            });
        }
        let now_s = now.unix_timestamp();
        if now_s >= d.expires_at {
            return Err(TokenError::Expired {
                expired_at: d.expires_at,
                now: now_s,
            });
        }
        if !bool::from(key.fingerprint(stored_hash).ct_eq(d.fingerprint)) {
            return Err(TokenError::HashChanged);
        }
        let time = |t: i64| {
            OffsetDateTime::from_unix_timestamp(t)
                .map_err(|_| TokenError::malformed("a time in the token is out of range"))
        };
        Ok(StatelessClaims {
            account_id: d.account_id.to_owned(),
            purpose: d.purpose.to_owned(),
            issued_at: time(d.issued_at)?,
            expires_at: time(d.expires_at)?,
            key_id: d.key_id.to_owned(),
        })
    }
}

fn sign(key: &hmac::Key, payload: &[u8]) -> hmac::Tag {
    let mut ctx = hmac::Context::with_key(key);
    ctx.update(DOMAIN);
    ctx.update(payload);
    ctx.sign()
}

fn split(token: &str) -> Result<(Vec<u8>, &str), TokenError> {
    let token = token.trim();
    if token.len() > MAX_TOKEN_CHARS {
        return Err(TokenError::malformed(format!(
            "a stateless token is at most {MAX_TOKEN_CHARS} characters"
        )));
    }
    let body = token.strip_prefix(STATELESS_TOKEN_PREFIX).ok_or_else(|| {
        TokenError::malformed(format!(
            "a stateless token starts with {STATELESS_TOKEN_PREFIX:?}"
        ))
    })?;
    let (payload, tag) = body
        .split_once('.')
        .ok_or_else(|| TokenError::malformed("a stateless token has a '.' before its signature"))?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|e| TokenError::malformed(format!("the payload is not base64url: {e}")))?;
    Ok((payload, tag))
}

fn decode<'a>(payload: &'a [u8], tag_text: &str) -> Result<Decoded<'a>, TokenError> {
    let tag = URL_SAFE_NO_PAD
        .decode(tag_text)
        .map_err(|e| TokenError::malformed(format!("the signature is not base64url: {e}")))?;
    if tag.len() != TAG_LEN {
        return Err(TokenError::malformed(format!(
            "the signature is {} bytes, expected {TAG_LEN}",
            tag.len()
        )));
    }
    let short = || TokenError::malformed("the payload is truncated");
    let (&version, mut rest) = payload.split_first().ok_or_else(short)?;
    if version != FORMAT_VERSION {
        return Err(TokenError::malformed(format!(
            "payload version {version} is not supported (expected {FORMAT_VERSION})"
        )));
    }
    let mut fields = [""; 3];
    for field in &mut fields {
        let (&len, tail) = rest.split_first().ok_or_else(short)?;
        let (bytes, tail) = tail.split_at_checked(usize::from(len)).ok_or_else(short)?;
        *field = std::str::from_utf8(bytes)
            .map_err(|_| TokenError::malformed("a payload field is not UTF-8"))?;
        rest = tail;
    }
    let (issued, rest) = rest.split_first_chunk::<8>().ok_or_else(short)?;
    let (expires, rest) = rest.split_first_chunk::<8>().ok_or_else(short)?;
    if rest.len() != FINGERPRINT_LEN + NONCE_LEN {
        return Err(TokenError::malformed("the payload has the wrong length"));
    }
    let [key_id, purpose, account_id] = fields;
    Ok(Decoded {
        key_id,
        purpose,
        account_id,
        issued_at: i64::from_be_bytes(*issued),
        expires_at: i64::from_be_bytes(*expires),
        fingerprint: &rest[..FINGERPRINT_LEN],
        signed: payload,
        tag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";

    fn at(t: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(t).expect("valid test time")
    }

    fn ring() -> StatelessTokens {
        StatelessTokens::new(StatelessKey::new("new", &[1u8; 32]).expect("valid key"))
            .expect("valid ring")
            .with_retired(StatelessKey::new("old", &[2u8; 32]).expect("valid key"))
            .expect("distinct ids")
    }

    fn old_only() -> StatelessTokens {
        StatelessTokens::new(StatelessKey::new("old", &[2u8; 32]).expect("valid key"))
            .expect("valid ring")
    }

    #[test]
    fn expiry_at_the_boundary() -> Result<(), TokenError> {
        let t = ring();
        let token = t.issue("a", "password-reset", HASH, at(1000))?;
        let expiry = 1000 + 30 * 60;
        assert!(
            t.verify(&token, "password-reset", HASH, at(expiry - 1))
                .is_ok()
        );
        for now in [expiry, expiry + 1] {
            let err = t
                .verify(&token, "password-reset", HASH, at(now))
                .expect_err("expired");
            assert_eq!(
                err,
                TokenError::Expired {
                    expired_at: expiry,
                    now
                }
            );
        }
        Ok(())
    }

    #[test]
    fn wrong_purpose_and_changed_hash_are_refused() -> Result<(), TokenError> {
        let t = ring();
        let token = t.issue("a", "password-reset", HASH, at(0))?;
        assert!(matches!(
            t.verify(&token, "email-confirm", HASH, at(1)),
            Err(TokenError::WrongPurpose { .. })
        ));
        assert_eq!(
            t.verify(&token, "password-reset", "$argon2id$x", at(1)),
            Err(TokenError::HashChanged)
        );
        Ok(())
    }

    #[test]
    fn retired_keys_verify_and_unknown_keys_do_not() -> Result<(), TokenError> {
        let old_token = old_only().issue("a", "password-reset", HASH, at(0))?;
        let claims = ring().verify(&old_token, "password-reset", HASH, at(1))?;
        assert_eq!(claims.key_id, "old");
        let new_only = StatelessTokens::new(StatelessKey::new("new", &[1u8; 32])?)?;
        assert_eq!(
            new_only.verify(&old_token, "password-reset", HASH, at(1)),
            Err(TokenError::UnknownKey {
                key_id: "old".into()
            })
        );
        // Same id, different secret: the signature fails.
        let impostor = StatelessTokens::new(StatelessKey::new("old", &[9u8; 32])?)?;
        assert_eq!(
            impostor.verify(&old_token, "password-reset", HASH, at(1)),
            Err(TokenError::BadSignature)
        );
        Ok(())
    }

    #[test]
    fn every_tampered_byte_is_detected() -> Result<(), TokenError> {
        let t = ring();
        let token = t.issue("acct", "password-reset", HASH, at(0))?;
        let (payload, tag) = split(&token)?;
        let tag = tag.to_owned();
        for i in 0..payload.len() {
            let mut bad = payload.clone();
            bad[i] ^= 0x01;
            let text = format!(
                "{STATELESS_TOKEN_PREFIX}{}.{tag}",
                URL_SAFE_NO_PAD.encode(&bad)
            );
            assert!(
                t.verify(&text, "password-reset", HASH, at(1)).is_err(),
                "byte {i}"
            );
        }
        let mut bad_tag = URL_SAFE_NO_PAD
            .decode(&tag)
            .map_err(|_| TokenError::Random)?;
        bad_tag[0] ^= 0x80;
        let text = format!(
            "{STATELESS_TOKEN_PREFIX}{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(&bad_tag)
        );
        assert_eq!(
            t.verify(&text, "password-reset", HASH, at(1)),
            Err(TokenError::BadSignature)
        );
        Ok(())
    }

    #[test]
    fn account_of_reads_without_verifying_and_malformed_is_refused() -> Result<(), TokenError> {
        let token = ring().issue("kunde-17", "password-reset", HASH, at(0))?;
        assert_eq!(StatelessTokens::account_of(&token)?, "kunde-17");
        for bad in [
            "",
            "tls1_",
            "tls1_AAAA",
            "tls1_AA.AA",
            "tlr1_x.y",
            "tls1_!!.AA",
        ] {
            assert!(
                matches!(
                    ring().verify(bad, "password-reset", HASH, at(0)),
                    Err(TokenError::Malformed { .. })
                ),
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn key_ids_and_secrets_are_validated() {
        assert!(StatelessKey::new("", &[0; 32]).is_err());
        assert!(StatelessKey::new("a b", &[0; 32]).is_err());
        assert!(StatelessKey::new("k", &[0; 31]).is_err());
        assert!(
            ring()
                .with_retired(StatelessKey::new("old", &[3; 32]).expect("valid"))
                .is_err()
        );
    }
}
