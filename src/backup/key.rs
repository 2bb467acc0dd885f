//! Backup keys: raw 256-bit keys, keys derived from passphrases with argon2id, and the key
//! ring that finds the right one for an archive by the key id in its header.
//!
//! A key ring holds every key an operator may still need, so archives sealed before a new
//! key was introduced keep opening. Passphrases are held in the ring as text and derived
//! only when an archive names them, with the salt and parameters from its header; those
//! parameters are bounded first, so a hostile header cannot make `open` allocate gigabytes.

use std::fmt;

use ring::rand::{SecureRandom, SystemRandom};
use unicode_normalization::UnicodeNormalization;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::error::BackupError;
use super::format::{BackupHeader, KdfRecord, MAX_KEY_ID_LEN, MIN_SALT_LEN};

/// Length of a backup key in bytes (256 bits).
pub const KEY_LEN: usize = 32;

/// Longest accepted passphrase in bytes after NFC normalisation, a cap against denial of
/// service through argon2's password input.
pub const MAX_PASSPHRASE_LEN: usize = 4096;

/// Checks a key id: 1 to 64 bytes of printable ASCII without spaces.
pub(crate) fn validate_key_id(id: &[u8]) -> Result<String, BackupError> {
    let refuse = |reason| BackupError::InvalidKeyId {
        key_id: String::from_utf8_lossy(id).into(),
        reason,
    };
    if id.is_empty() {
        return Err(refuse(
            "it is empty; use 1 to 64 printable ASCII characters",
        ));
    }
    if id.len() > MAX_KEY_ID_LEN {
        return Err(refuse(
            "it is longer than 64 bytes; use 1 to 64 printable ASCII characters",
        ));
    }
    if !id.iter().all(|b| b.is_ascii_graphic()) {
        return Err(refuse(
            "it has a character outside printable ASCII (spaces included); use 1 to 64 \
             printable ASCII characters",
        ));
    }
    // Every byte is ASCII, so this cannot fail; map the impossible case to the same error.
    String::from_utf8(id.to_vec()).map_err(|_| refuse("it is not ASCII"))
}

/// argon2id parameters for deriving a backup key from a passphrase.
///
/// The default is the second recommendation of RFC 9106 §4 (64 MiB, 3 passes, 4 lanes):
/// backups are sealed and opened rarely, so a stronger setting than for logins is affordable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub m_cost_kib: u32,
    /// Number of passes over memory.
    pub t_cost: u32,
    /// Degree of parallelism (lanes).
    pub p_cost: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        Self {
            m_cost_kib: 64 * 1024,
            t_cost: 3,
            p_cost: 4,
        }
    }
}

impl KdfParams {
    /// Checks the parameters against argon2's own rules and against `limits`.
    ///
    /// # Errors
    ///
    /// [`BackupError::KdfParameterTooHigh`] when a value is above its ceiling, and
    /// [`BackupError::InvalidKdfParams`] when argon2 refuses the combination.
    pub fn check(&self, limits: &KdfLimits) -> Result<(), BackupError> {
        let ceilings = [
            ("memory cost (KiB)", self.m_cost_kib, limits.max_m_cost_kib),
            ("time cost", self.t_cost, limits.max_t_cost),
            ("parallelism", self.p_cost, limits.max_p_cost),
        ];
        for (parameter, value, ceiling) in ceilings {
            if value > ceiling {
                return Err(BackupError::KdfParameterTooHigh {
                    parameter,
                    value,
                    ceiling,
                });
            }
        }
        self.argon2_params().map(|_| ())
    }

    fn argon2_params(&self) -> Result<argon2::Params, BackupError> {
        argon2::Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(KEY_LEN)).map_err(|e| {
            BackupError::InvalidKdfParams {
                m_cost: self.m_cost_kib,
                t_cost: self.t_cost,
                p_cost: self.p_cost,
                reason: format!("{e}; argon2 needs t >= 1, p >= 1 and m >= 8 * p KiB"),
            }
        })
    }
}

/// Ceilings on the argon2id parameters that `open` accepts from a header.
///
/// A header is attacker-controlled until its tag verifies, and the tag can only be checked
/// after the key is derived, so these ceilings are what stops a forged header from asking
/// for terabytes of memory. The defaults (1 GiB, 10 passes, 16 lanes) accept every
/// parameter set [`KdfParams::check`] lets `seal` use under the same limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfLimits {
    /// Largest memory cost in KiB.
    pub max_m_cost_kib: u32,
    /// Largest number of passes.
    pub max_t_cost: u32,
    /// Largest degree of parallelism.
    pub max_p_cost: u32,
}

impl Default for KdfLimits {
    fn default() -> Self {
        Self {
            max_m_cost_kib: 1024 * 1024,
            max_t_cost: 10,
            max_p_cost: 16,
        }
    }
}

/// Normalises a passphrase to NFC (so the same words typed on systems that compose accents
/// differently give the same key) and checks its length.
fn normalise_passphrase(passphrase: &str) -> Result<Zeroizing<String>, BackupError> {
    let normalised: Zeroizing<String> = Zeroizing::new(passphrase.nfc().collect());
    if normalised.is_empty() || normalised.len() > MAX_PASSPHRASE_LEN {
        return Err(BackupError::PassphraseLength {
            len: normalised.len(),
            max: MAX_PASSPHRASE_LEN,
        });
    }
    Ok(normalised)
}

/// Runs argon2id over an already-normalised passphrase.
fn derive(
    passphrase: &str,
    salt: &[u8],
    params: &KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, BackupError> {
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params.argon2_params()?,
    );
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| BackupError::InvalidKdfParams {
            m_cost: params.m_cost_kib,
            t_cost: params.t_cost,
            p_cost: params.p_cost,
            reason: e.to_string(),
        })?;
    Ok(out)
}

/// A 256-bit backup key with its id. The key bytes are wiped when the key is dropped.
///
/// A key made by [`BackupKey::derive_from_passphrase`] also carries the salt and argon2id
/// parameters it was derived with; archives sealed with it record them in their header, so
/// the passphrase alone opens them later. Clones are wiped on drop too.
#[derive(Clone, ZeroizeOnDrop)]
pub struct BackupKey {
    bytes: [u8; KEY_LEN],
    #[zeroize(skip)]
    id: String,
    #[zeroize(skip)]
    kdf: Option<KdfRecord>,
}

impl fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupKey")
            .field("id", &self.id)
            .field("from_passphrase", &self.kdf.is_some())
            .finish_non_exhaustive()
    }
}

impl BackupKey {
    /// Makes a new random key from the operating system's generator.
    ///
    /// # Errors
    ///
    /// [`BackupError::InvalidKeyId`] for a bad id, [`BackupError::Random`] if the generator
    /// fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::backup::BackupKey;
    ///
    /// let key = BackupKey::generate("offsite-2026")?;
    /// assert_eq!(key.id(), "offsite-2026");
    /// # Ok::<(), tillit::backup::BackupError>(())
    /// ```
    pub fn generate(id: &str) -> Result<Self, BackupError> {
        let id = validate_key_id(id.as_bytes())?;
        let mut bytes = [0u8; KEY_LEN];
        SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| BackupError::Random)?;
        Ok(Self {
            bytes,
            id,
            kdf: None,
        })
    }

    /// Wraps existing key material, for example a key loaded from a secrets manager.
    ///
    /// The slice is copied; wiping the caller's copy is the caller's job.
    ///
    /// # Errors
    ///
    /// [`BackupError::InvalidKeyId`] for a bad id and [`BackupError::InvalidKeyLength`]
    /// unless the material is exactly 32 bytes.
    pub fn from_bytes(id: &str, material: &[u8]) -> Result<Self, BackupError> {
        let id = validate_key_id(id.as_bytes())?;
        let bytes: [u8; KEY_LEN] =
            material
                .try_into()
                .map_err(|_| BackupError::InvalidKeyLength {
                    len: material.len(),
                })?;
        Ok(Self {
            bytes,
            id,
            kdf: None,
        })
    }

    /// Derives a key from a passphrase with argon2id and a fresh random 16-byte salt.
    ///
    /// The passphrase is normalised to NFC first. `params` must pass
    /// [`KdfParams::check`] under the default [`KdfLimits`], so that every archive sealed
    /// with the key opens under a default key ring.
    ///
    /// # Errors
    ///
    /// [`BackupError::InvalidKeyId`], [`BackupError::PassphraseLength`],
    /// [`BackupError::KdfParameterTooHigh`], [`BackupError::InvalidKdfParams`] or
    /// [`BackupError::Random`].
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::backup::{BackupKey, KdfParams};
    ///
    /// // Small parameters keep the example fast; use `KdfParams::default()` in production.
    /// let params = KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 };
    /// let key = BackupKey::derive_from_passphrase("vault", "correct horse battery", &params)?;
    /// assert!(key.is_from_passphrase());
    /// # Ok::<(), tillit::backup::BackupError>(())
    /// ```
    pub fn derive_from_passphrase(
        id: &str,
        passphrase: &str,
        params: &KdfParams,
    ) -> Result<Self, BackupError> {
        let id = validate_key_id(id.as_bytes())?;
        let passphrase = normalise_passphrase(passphrase)?;
        params.check(&KdfLimits::default())?;
        let mut salt = vec![0u8; MIN_SALT_LEN];
        SystemRandom::new()
            .fill(&mut salt)
            .map_err(|_| BackupError::Random)?;
        let derived = derive(&passphrase, &salt, params)?;
        Ok(Self {
            bytes: *derived,
            id,
            kdf: Some(KdfRecord {
                salt,
                params: *params,
            }),
        })
    }

    /// The key id written into the header of every archive sealed with this key.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// True for keys made by [`BackupKey::derive_from_passphrase`].
    #[must_use]
    pub fn is_from_passphrase(&self) -> bool {
        self.kdf.is_some()
    }

    /// The raw key bytes, for storing a generated key in a secrets manager. Handle with care.
    #[must_use]
    pub fn secret_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    pub(crate) fn kdf(&self) -> Option<&KdfRecord> {
        self.kdf.as_ref()
    }
}

/// What a key ring holds under one id.
#[derive(Clone)]
enum Entry {
    Key(BackupKey),
    Passphrase(Zeroizing<String>),
}

impl Entry {
    fn kind(&self) -> &'static str {
        match self {
            Self::Key(_) => "raw key",
            Self::Passphrase(_) => "passphrase",
        }
    }
}

/// The keys and passphrases that may open archives, looked up by the key id in each header.
///
/// # Examples
///
/// ```
/// use tillit::backup::{BackupKey, BackupKeyRing};
///
/// let mut ring = BackupKeyRing::new();
/// ring.add_key(BackupKey::generate("2025")?)?;
/// ring.add_key(BackupKey::generate("2026")?)?;
/// ring.add_passphrase("vault", "correct horse battery")?;
/// assert_eq!(ring.key_ids(), ["2025", "2026", "vault"]);
/// # Ok::<(), tillit::backup::BackupError>(())
/// ```
#[derive(Clone)]
pub struct BackupKeyRing {
    entries: Vec<(String, Entry)>,
    limits: KdfLimits,
}

impl fmt::Debug for BackupKeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupKeyRing")
            .field("key_ids", &self.key_ids())
            .field("limits", &self.limits)
            .finish()
    }
}

impl Default for BackupKeyRing {
    fn default() -> Self {
        Self::new()
    }
}

impl BackupKeyRing {
    /// An empty key ring with the default [`KdfLimits`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_limits(KdfLimits::default())
    }

    /// An empty key ring that refuses argon2id parameters above `limits`.
    #[must_use]
    pub fn with_limits(limits: KdfLimits) -> Self {
        Self {
            entries: Vec::new(),
            limits,
        }
    }

    /// Adds a raw or passphrase-derived key under its id.
    ///
    /// A passphrase-derived key opens only archives with its own salt; add the passphrase
    /// with [`BackupKeyRing::add_passphrase`] to open every archive sealed with it.
    ///
    /// # Errors
    ///
    /// [`BackupError::DuplicateKeyId`] if the id is already in the ring.
    pub fn add_key(&mut self, key: BackupKey) -> Result<(), BackupError> {
        let id = key.id.clone();
        self.insert(id, Entry::Key(key))
    }

    /// Adds a passphrase under an id; archives naming the id derive their key from it with
    /// the salt and parameters in their header.
    ///
    /// # Errors
    ///
    /// [`BackupError::InvalidKeyId`], [`BackupError::PassphraseLength`] or
    /// [`BackupError::DuplicateKeyId`].
    pub fn add_passphrase(&mut self, id: &str, passphrase: &str) -> Result<(), BackupError> {
        let id = validate_key_id(id.as_bytes())?;
        let passphrase = normalise_passphrase(passphrase)?;
        self.insert(id, Entry::Passphrase(passphrase))
    }

    fn insert(&mut self, id: String, entry: Entry) -> Result<(), BackupError> {
        if self.contains(&id) {
            return Err(BackupError::DuplicateKeyId { key_id: id });
        }
        self.entries.push((id, entry));
        Ok(())
    }

    /// True if the ring holds a key or passphrase under `id`.
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        self.entries.iter().any(|(entry_id, _)| entry_id == id)
    }

    /// The ids in the ring, in the order they were added.
    #[must_use]
    pub fn key_ids(&self) -> Vec<&str> {
        self.entries.iter().map(|(id, _)| id.as_str()).collect()
    }

    /// The number of keys and passphrases in the ring.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the ring holds nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The argon2id ceilings this ring applies to headers.
    #[must_use]
    pub fn limits(&self) -> &KdfLimits {
        &self.limits
    }

    /// Finds the key material for an archive, deriving it from a passphrase if need be.
    pub(crate) fn resolve(
        &self,
        header: &BackupHeader,
    ) -> Result<Zeroizing<[u8; KEY_LEN]>, BackupError> {
        let (_, entry) = self
            .entries
            .iter()
            .find(|(id, _)| *id == header.key_id)
            .ok_or_else(|| BackupError::UnknownKeyId {
                key_id: header.key_id.clone(),
            })?;
        let expected = if header.kdf.is_some() {
            "passphrase"
        } else {
            "raw key"
        };
        match (entry, &header.kdf) {
            (Entry::Key(key), None) => Ok(Zeroizing::new(key.bytes)),
            // A derived key also opens archives with its own salt and parameters, which lets
            // a service that derived once at start-up open what it sealed.
            (Entry::Key(key), Some(record)) if key.kdf.as_ref() == Some(record) => {
                Ok(Zeroizing::new(key.bytes))
            }
            (Entry::Passphrase(passphrase), Some(record)) => {
                // Bound the parameters before argon2 allocates anything.
                record.params.check(&self.limits)?;
                derive(passphrase, &record.salt, &record.params)
            }
            (entry, _) => Err(BackupError::KeyKindMismatch {
                key_id: header.key_id.clone(),
                expected,
                found: entry.kind(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    #[test]
    fn key_ids_are_validated() {
        assert!(validate_key_id(b"k").is_ok());
        assert!(validate_key_id(&[b'a'; 64]).is_ok());
        for bad in [
            &b""[..],
            &[b'a'; 65],
            b"has space",
            b"tab\t",
            "blåbær".as_bytes(),
        ] {
            assert!(
                matches!(validate_key_id(bad), Err(BackupError::InvalidKeyId { .. })),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn raw_key_length_is_checked() {
        assert!(BackupKey::from_bytes("k", &[7; 32]).is_ok());
        assert!(matches!(
            BackupKey::from_bytes("k", &[7; 31]),
            Err(BackupError::InvalidKeyLength { len: 31 })
        ));
    }

    #[test]
    fn generated_keys_differ() {
        let a = BackupKey::generate("a").expect("generator works");
        let b = BackupKey::generate("b").expect("generator works");
        assert_ne!(a.secret_bytes(), b.secret_bytes());
    }

    #[test]
    fn debug_does_not_print_key_bytes() {
        let key = BackupKey::from_bytes("k", &[0xAB; 32]).expect("valid key");
        let shown = format!("{key:?}");
        assert!(
            !shown.contains("171") && !shown.to_lowercase().contains("ab, "),
            "{shown}"
        );
    }

    #[test]
    fn duplicate_ids_are_refused_across_kinds() {
        let mut ring = BackupKeyRing::new();
        ring.add_key(BackupKey::generate("x").expect("generator works"))
            .expect("first add");
        assert!(matches!(
            ring.add_passphrase("x", "words"),
            Err(BackupError::DuplicateKeyId { .. })
        ));
        assert_eq!(ring.len(), 1);
    }

    #[test]
    fn passphrase_is_normalised_to_nfc() {
        // "é" precomposed and decomposed derive the same key.
        let salt = [1u8; 16];
        let composed = normalise_passphrase("caf\u{e9}").expect("valid");
        let decomposed = normalise_passphrase("cafe\u{301}").expect("valid");
        assert_eq!(*composed, *decomposed);
        let a = derive(&composed, &salt, &FAST).expect("derives");
        let b = derive(&decomposed, &salt, &FAST).expect("derives");
        assert_eq!(*a, *b);
    }

    #[test]
    fn passphrase_length_is_capped() {
        assert!(matches!(
            normalise_passphrase(""),
            Err(BackupError::PassphraseLength { len: 0, .. })
        ));
        let long = "a".repeat(MAX_PASSPHRASE_LEN + 1);
        assert!(matches!(
            normalise_passphrase(&long),
            Err(BackupError::PassphraseLength { .. })
        ));
        assert!(normalise_passphrase(&long[1..]).is_ok());
    }

    #[test]
    fn argon2id_known_answer() {
        // The reference implementation's test suite (phc-winner-argon2 `src/test.c`):
        // argon2id v0x13, t = 2, m = 2^8 KiB, p = 1, "password", "somesalt", 32-byte output.
        let params = KdfParams {
            m_cost_kib: 256,
            t_cost: 2,
            p_cost: 1,
        };
        let key = derive("password", b"somesalt", &params).expect("derives");
        assert_eq!(
            hex(key.as_ref()),
            "9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe"
        );
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn params_above_the_ceilings_are_refused() {
        let limits = KdfLimits::default();
        let hostile = KdfParams {
            m_cost_kib: u32::MAX,
            t_cost: 1,
            p_cost: 1,
        };
        assert!(matches!(
            hostile.check(&limits),
            Err(BackupError::KdfParameterTooHigh {
                parameter: "memory cost (KiB)",
                ..
            })
        ));
        let slow = KdfParams {
            m_cost_kib: 1024,
            t_cost: 11,
            p_cost: 1,
        };
        assert!(matches!(
            slow.check(&limits),
            Err(BackupError::KdfParameterTooHigh {
                parameter: "time cost",
                ..
            })
        ));
        let zero = KdfParams {
            m_cost_kib: 1024,
            t_cost: 0,
            p_cost: 1,
        };
        assert!(matches!(
            zero.check(&limits),
            Err(BackupError::InvalidKdfParams { .. })
        ));
        assert!(KdfParams::default().check(&limits).is_ok());
    }
}
