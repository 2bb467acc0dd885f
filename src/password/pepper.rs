//! The pepper key ring: secret keys fed to argon2's secret input, each named by a short key id
//! that is written in the PHC string's `keyid` field. The current key peppers new hashes;
//! older keys still verify, and a hash under an older key (or under none) is upgraded on
//! login, so peppers rotate without mass password resets.

use std::fmt;

use zeroize::Zeroizing;

use super::error::PasswordError;

/// Shortest pepper accepted, in bytes (128 bits).
pub const MIN_PEPPER_LEN: usize = 16;
/// Longest pepper accepted, in bytes.
pub const MAX_PEPPER_LEN: usize = 1024;

/// True for a key id of 1 to 8 ASCII letters, digits, `-`, `_` or `.` (argon2's `keyid` field
/// holds at most 8 bytes).
pub(crate) fn valid_key_id(id: &str) -> bool {
    (1..=8).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A current pepper key and any number of older ones, each under its own key id.
///
/// Keys are wiped from memory when the ring is dropped, and never printed by `Debug`.
///
/// # Examples
/// ```
/// use tillit::password::PepperRing;
/// let ring = PepperRing::new("k2", &[2u8; 32])?.with_old_key("k1", &[1u8; 32])?;
/// assert_eq!(ring.current_id(), "k2");
/// assert!(ring.contains("k1"));
/// assert!(PepperRing::new("much-too-long", &[0u8; 32]).is_err());
/// # Ok::<(), tillit::password::PasswordError>(())
/// ```
#[derive(Clone)]
pub struct PepperRing {
    current: String,
    keys: Vec<(String, Zeroizing<Vec<u8>>)>,
}

impl fmt::Debug for PepperRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PepperRing")
            .field("current", &self.current)
            .field(
                "ids",
                &self
                    .keys
                    .iter()
                    .map(|(id, _)| id.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

fn check(id: &str, key: &[u8]) -> Result<(), PasswordError> {
    if !valid_key_id(id) {
        return Err(PasswordError::InvalidPepper {
            reason: format!(
                "key id `{}` must be 1 to 8 ASCII letters, digits, `-`, `_` or `.`",
                id.escape_debug()
            ),
        });
    }
    if !(MIN_PEPPER_LEN..=MAX_PEPPER_LEN).contains(&key.len()) {
        return Err(PasswordError::InvalidPepper {
            reason: format!(
                "key `{id}` is {} bytes; a pepper is {MIN_PEPPER_LEN} to {MAX_PEPPER_LEN} bytes",
                key.len()
            ),
        });
    }
    Ok(())
}

impl PepperRing {
    /// A ring whose current key is `key` under `id`.
    ///
    /// # Errors
    /// [`PasswordError::InvalidPepper`] when the id is not 1 to 8 ASCII letters, digits, `-`,
    /// `_` or `.`, or the key is not 16 to 1024 bytes.
    pub fn new(id: &str, key: &[u8]) -> Result<Self, PasswordError> {
        check(id, key)?;
        Ok(PepperRing {
            current: id.to_owned(),
            keys: vec![(id.to_owned(), Zeroizing::new(key.to_vec()))],
        })
    }

    /// Adds an older key that still verifies (hashes under it are upgraded on login).
    ///
    /// # Errors
    /// [`PasswordError::InvalidPepper`] for an invalid id or key, or an id already in the ring.
    pub fn with_old_key(mut self, id: &str, key: &[u8]) -> Result<Self, PasswordError> {
        check(id, key)?;
        if self.contains(id) {
            return Err(PasswordError::InvalidPepper {
                reason: format!("key id `{id}` is already in the ring; ids must be unique"),
            });
        }
        self.keys
            .push((id.to_owned(), Zeroizing::new(key.to_vec())));
        Ok(self)
    }

    /// The id of the key that peppers new hashes.
    #[must_use]
    pub fn current_id(&self) -> &str {
        &self.current
    }

    /// True when the ring holds a key under `id`.
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        self.keys.iter().any(|(k, _)| k == id)
    }

    pub(crate) fn key(&self, id: &str) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, key)| key.as_slice())
    }

    pub(crate) fn current_key(&self) -> &[u8] {
        // The current id is always inserted first by `new`.
        self.keys.first().map_or(&[], |(_, key)| key.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_keys_are_validated() {
        assert!(PepperRing::new("k1", &[0; 16]).is_ok());
        assert!(PepperRing::new("", &[0; 16]).is_err());
        assert!(PepperRing::new("k 1", &[0; 16]).is_err());
        assert!(PepperRing::new("kø", &[0; 16]).is_err());
        assert!(PepperRing::new("k1", &[0; 15]).is_err());
        let ring = PepperRing::new("k1", &[0; 16]).expect("valid");
        assert!(ring.clone().with_old_key("k1", &[1; 16]).is_err());
        let ring = ring.with_old_key("k0", &[1; 16]).expect("valid");
        assert_eq!(ring.key("k0"), Some(&[1u8; 16][..]));
        assert_eq!(ring.current_key(), &[0u8; 16][..]);
        assert_eq!(ring.key("k9"), None);
    }

    #[test]
    fn debug_never_prints_keys() {
        let ring = PepperRing::new("k1", &[0xAB; 16]).expect("valid");
        let shown = format!("{ring:?}");
        assert!(shown.contains("k1"));
        assert!(!shown.contains("171") && !shown.to_lowercase().contains("ab, "));
    }
}
