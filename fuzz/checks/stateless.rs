//! Stateless reset tokens: HMAC-signed tokens that a service keeps no table for. Without
//! the key an attacker's text must never verify; a token issued here verifies only for its
//! purpose, its hash and its lifetime, and any changed character breaks it.
//!
//! Input: 8 bytes of Unix time (`now`), one byte choosing a character to change, then text
//! that is verified as a token and also used as the account id of a freshly issued one.

use std::sync::OnceLock;

use tillit::token::{StatelessKey, StatelessTokens, TokenError};
use time::{Duration, OffsetDateTime};

use super::take_u64;

/// The stored hash tokens are bound to. The seeds in the corpus were issued for it.
pub const HASH: &str = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
/// The purpose tokens are issued for.
pub const PURPOSE: &str = "password-reset";

/// The key ring: current key `k2`, retired key `k1`; the corpus seeds were signed with both.
pub fn ring() -> &'static StatelessTokens {
    static RING: OnceLock<StatelessTokens> = OnceLock::new();
    RING.get_or_init(|| {
        StatelessTokens::new(StatelessKey::new("k2", &[2; 32]).expect("valid key"))
            .and_then(|t| t.with_retired(StatelessKey::new("k1", &[1; 32]).expect("valid key")))
            .expect("valid ring")
    })
}

/// The first and last second `time` can hold (years -9999 and 9999).
const MIN_SECS: i64 = -377_705_116_800;
const MAX_SECS: i64 = 253_402_300_799;

/// A time anywhere in the range `time` can hold, edges included, from any 64 bits.
fn instant(raw: u64) -> OffsetDateTime {
    let span = u64::try_from(MAX_SECS - MIN_SECS + 1).expect("positive span");
    let secs = MIN_SECS + i64::try_from(raw % span).expect("below the span");
    OffsetDateTime::from_unix_timestamp(secs).expect("inside the range")
}

pub fn check(data: &[u8]) {
    let (raw_now, rest) = take_u64(data, 8);
    let now = instant(raw_now);
    let (flip, rest) = take_u64(rest, 1);
    let text = String::from_utf8_lossy(rest);
    let tokens = ring();

    // Whatever verifies keeps every promise of its claims.
    let unverified = StatelessTokens::account_of(&text);
    match tokens.verify(&text, PURPOSE, HASH, now) {
        Ok(claims) => {
            assert_eq!(Ok(claims.account_id.clone()), unverified);
            assert_eq!(claims.purpose, PURPOSE);
            assert!(now < claims.expires_at, "an expired token verified");
            assert!(claims.key_id == "k1" || claims.key_id == "k2");
            // Bound to the hash and the purpose.
            assert_eq!(
                tokens.verify(&text, PURPOSE, "$argon2id$other", now),
                Err(TokenError::HashChanged)
            );
            assert!(tokens.verify(&text, "email-confirm", HASH, now).is_err());
        }
        Err(err) => assert!(!err.to_string().is_empty()),
    }

    // A fresh token for any acceptable account id verifies until it expires.
    let Ok(token) = tokens.issue(&text, PURPOSE, HASH, now) else {
        return;
    };
    let claims = tokens
        .verify(&token, PURPOSE, HASH, now)
        .expect("a fresh token verifies");
    assert_eq!(claims.account_id, text);
    assert_eq!(claims.key_id, "k2");
    assert_eq!(StatelessTokens::account_of(&token).as_deref(), Ok(&*text));
    let expired = claims.expires_at;
    assert!(matches!(
        tokens.verify(&token, PURPOSE, HASH, expired),
        Err(TokenError::Expired { .. })
    ));
    assert!(
        tokens
            .verify(&token, PURPOSE, HASH, expired - Duration::SECOND)
            .is_ok()
    );

    // Changing any one character of it breaks it.
    let mut chars: Vec<char> = token.chars().collect();
    let at = usize::try_from(flip).expect("one byte") % chars.len();
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    let changed: String = chars.into_iter().collect();
    assert!(
        tokens.verify(&changed, PURPOSE, HASH, now).is_err(),
        "{changed:?} verified after changing character {at}"
    );
}
