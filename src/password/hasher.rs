//! The password hasher: argon2id PHC strings with a fresh salt, constant-time verification
//! with upgrade on login, ceilings on stored hashes, the memory budget, the pepper key ring,
//! versioned canonicalisation and the dummy verification for unknown users.

use std::sync::Arc;
use std::time::Duration;

use argon2::{Algorithm, Argon2, AssociatedData, ParamsBuilder, Version};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::budget::MemoryBudget;
use super::canon::Canonicalization;
use super::error::PasswordError;
use super::params::{Ceilings, Params, SALT_LEN, TAG_LEN, out_of_range};
use super::pepper::PepperRing;
use super::phc_string::{self, ReadPolicy, StoredHash, Variant};

/// Default cap on a password's length in bytes, for hashing and verifying alike.
pub const DEFAULT_MAX_BYTES: usize = 4096;

/// Default time a caller waits for room in the memory budget.
pub const DEFAULT_BUDGET_WAIT: Duration = Duration::from_secs(5);

/// The outcome of [`PasswordHasher::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Verification {
    /// Wrong password.
    Invalid,
    /// Right password; the stored hash is current.
    Valid,
    /// Right password; store `new_hash` in place of the old one (it was weaker, under an old
    /// pepper key, under another canonicalisation, or matched only the raw input).
    ValidNeedsUpgrade {
        /// A fresh hash of the same password at the hasher's current settings.
        new_hash: String,
    },
}

impl Verification {
    /// True for [`Verification::Valid`] and [`Verification::ValidNeedsUpgrade`].
    #[must_use]
    pub fn is_valid(&self) -> bool {
        !matches!(self, Verification::Invalid)
    }

    /// The replacement hash to store, when there is one.
    #[must_use]
    pub fn new_hash(&self) -> Option<&str> {
        match self {
            Verification::ValidNeedsUpgrade { new_hash } => Some(new_hash),
            _ => None,
        }
    }
}

/// Hashes and verifies passwords. `Send + Sync` and cheap to clone (an `Arc` inside): build
/// one at start-up and share it.
///
/// # Examples
/// ```
/// use tillit::password::{Params, PasswordHasher, Verification};
/// # let params = Params::new(64, 1, 1)?; // tiny parameters keep the example fast
/// let hasher = PasswordHasher::new(params)?; // in production: PasswordHasher::new(Params::OWASP)
/// let stored = hasher.hash("correct horse battery staple")?;
/// assert!(stored.starts_with("$argon2id$v=19$"));
/// assert_eq!(hasher.verify("correct horse battery staple", &stored)?, Verification::Valid);
/// assert_eq!(hasher.verify("wrong", &stored)?, Verification::Invalid);
/// # Ok::<(), tillit::password::PasswordError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    params: Params,
    ceilings: Ceilings,
    pepper: Option<PepperRing>,
    budget: MemoryBudget,
    max_bytes: usize,
    canon: Canonicalization,
    allow_argon2i: bool,
    dummy_salt: [u8; SALT_LEN],
    dummy_tag: [u8; TAG_LEN],
}

/// Builder for [`PasswordHasher`]; every setting has a documented default.
#[derive(Debug, Clone, Default)]
pub struct PasswordHasherBuilder {
    params: Option<Params>,
    ceilings: Option<Ceilings>,
    pepper: Option<PepperRing>,
    budget: Option<MemoryBudget>,
    max_bytes: Option<usize>,
    allow_argon2i: bool,
}

impl PasswordHasherBuilder {
    /// Parameters for new hashes (default [`Params::OWASP`]).
    #[must_use]
    pub fn params(mut self, params: Params) -> Self {
        self.params = Some(params);
        self
    }

    /// Ceilings for stored hashes (default [`Ceilings::default`]). The parameters must lie
    /// within them, or [`build`](Self::build) fails.
    #[must_use]
    pub fn ceilings(mut self, ceilings: Ceilings) -> Self {
        self.ceilings = Some(ceilings);
        self
    }

    /// Pepper key ring (default none).
    #[must_use]
    pub fn pepper(mut self, ring: PepperRing) -> Self {
        self.pepper = Some(ring);
        self
    }

    /// Memory budget (default: room for the memory ceiling or four hashes at the parameters,
    /// whichever is larger, with a 5 s wait). It must hold at least one hash at the
    /// parameters; a stored hash that needs more than the whole budget gives
    /// [`PasswordError::ExceedsBudget`].
    #[must_use]
    pub fn budget(mut self, budget: MemoryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Byte cap on passwords for hash and verify (default 4096, at least 64).
    #[must_use]
    pub fn max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = Some(max_bytes);
        self
    }

    /// Also verify (and upgrade on login) argon2i hashes imported from older systems
    /// (default off: argon2i hashes are refused as an unsupported algorithm).
    #[must_use]
    pub fn allow_argon2i(mut self, allow: bool) -> Self {
        self.allow_argon2i = allow;
        self
    }

    /// Builds the hasher.
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when the parameters exceed the ceilings, the budget
    /// cannot hold one hash at the parameters, or the byte cap is below 64;
    /// [`PasswordError::RandomUnavailable`] when the OS random generator fails.
    pub fn build(self) -> Result<PasswordHasher, PasswordError> {
        let params = self.params.unwrap_or_default();
        let ceilings = self.ceilings.unwrap_or_default();
        params.check_within(&ceilings)?;
        let own_bytes = params.block_count() * 1024;
        let budget = match self.budget {
            Some(b) => b,
            None => {
                let ceiling_bytes =
                    Params::new(ceilings.max_memory_kib(), 1, 1)?.block_count() * 1024;
                MemoryBudget::new(ceiling_bytes.max(own_bytes * 4), DEFAULT_BUDGET_WAIT)?
            }
        };
        if budget.capacity_bytes() < own_bytes {
            // Otherwise no hash at the configured parameters could ever run.
            return Err(out_of_range(
                "budget_bytes",
                budget.capacity_bytes(),
                own_bytes,
                u64::MAX,
            ));
        }
        let max_bytes = self.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
        if max_bytes < 64 {
            return Err(out_of_range("max_bytes", max_bytes as u64, 64u32, u64::MAX));
        }
        let mut dummy_salt = [0u8; SALT_LEN];
        let mut dummy_tag = [0u8; TAG_LEN];
        fill_random(&mut dummy_salt)?;
        fill_random(&mut dummy_tag)?;
        Ok(PasswordHasher {
            inner: Arc::new(Inner {
                params,
                ceilings,
                pepper: self.pepper,
                budget,
                max_bytes,
                canon: Canonicalization::CURRENT,
                allow_argon2i: self.allow_argon2i,
                dummy_salt,
                dummy_tag,
            }),
        })
    }
}

fn fill_random(buf: &mut [u8]) -> Result<(), PasswordError> {
    use ring::rand::SecureRandom as _;
    ring::rand::SystemRandom::new()
        .fill(buf)
        .map_err(|_| PasswordError::RandomUnavailable)
}

/// One argon2 computation's inputs besides the password.
struct Job<'a> {
    variant: Variant,
    version: Version,
    params: Params,
    secret: Option<&'a [u8]>,
    data: &'a [u8],
    salt: &'a [u8],
}

impl PasswordHasher {
    /// A hasher at `params` with the other settings at their defaults; the ceilings are raised
    /// where needed so that `params` fit (use the builder for strict ceilings).
    ///
    /// # Errors
    /// As [`PasswordHasherBuilder::build`].
    pub fn new(params: Params) -> Result<Self, PasswordError> {
        Self::builder()
            .params(params)
            .ceilings(Ceilings::default().raised_to_fit(&params))
            .build()
    }

    /// A builder with every setting at its default.
    #[must_use]
    pub fn builder() -> PasswordHasherBuilder {
        PasswordHasherBuilder::default()
    }

    /// Parameters of new hashes.
    #[must_use]
    pub fn params(&self) -> Params {
        self.inner.params
    }

    /// Ceilings applied to stored hashes.
    #[must_use]
    pub fn ceilings(&self) -> Ceilings {
        self.inner.ceilings
    }

    /// The memory budget this hasher draws from.
    #[must_use]
    pub fn budget(&self) -> &MemoryBudget {
        &self.inner.budget
    }

    /// Byte cap on passwords.
    #[must_use]
    pub fn max_bytes(&self) -> usize {
        self.inner.max_bytes
    }

    fn check_len(&self, password: &str) -> Result<(), PasswordError> {
        if password.len() > self.inner.max_bytes {
            return Err(PasswordError::TooLong {
                bytes: password.len(),
                max_bytes: self.inner.max_bytes,
            });
        }
        Ok(())
    }

    fn canonical(
        &self,
        canon: Canonicalization,
        password: &str,
    ) -> Result<Zeroizing<String>, PasswordError> {
        self.check_len(password)?;
        let canonical = canon.apply(password);
        self.check_len(&canonical)?;
        Ok(canonical)
    }

    /// Hashes `password` (canonicalised first) into a PHC string with a fresh 16-byte salt.
    ///
    /// # Errors
    /// [`PasswordError::TooLong`] above the byte cap, [`PasswordError::Busy`] when the memory
    /// budget stays full for its whole wait, [`PasswordError::RandomUnavailable`].
    pub fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let canonical = self.canonical(self.inner.canon, password)?;
        let mut salt = [0u8; SALT_LEN];
        fill_random(&mut salt)?;
        let (key_id, secret) = match &self.inner.pepper {
            Some(ring) => (Some(ring.current_id()), Some(ring.current_key())),
            None => (None, None),
        };
        let job = Job {
            variant: Variant::Argon2id,
            version: Version::V0x13,
            params: self.inner.params,
            secret,
            data: &[],
            salt: &salt,
        };
        let mut tag = Zeroizing::new([0u8; TAG_LEN]);
        self.run(&job, &[canonical.as_bytes()], &mut [&mut tag[..]])?;
        Ok(phc_string::encode(
            &self.inner.params,
            key_id,
            self.inner.canon,
            &salt,
            &tag[..],
        ))
    }

    /// As [`hash`](Self::hash), for a password given as UTF-8 bytes (so callers can wipe their
    /// copy).
    ///
    /// # Errors
    /// [`PasswordError::InvalidUtf8`], and those of [`hash`](Self::hash).
    pub fn hash_bytes(&self, password: &[u8]) -> Result<String, PasswordError> {
        self.hash(utf8(password)?)
    }

    /// Verifies `password` against a stored hash in constant time.
    ///
    /// The stored hash is checked against the ceilings before any memory is allocated. When
    /// the canonical form of the password does not match and differs from the raw input, the
    /// raw input is tried too (hashes imported from systems that did not canonicalise); a
    /// match then returns an upgraded hash.
    ///
    /// # Errors
    /// [`PasswordError::InvalidHash`], [`PasswordError::UnsupportedAlgorithm`] or
    /// [`PasswordError::HashExceedsCeiling`] for a bad stored hash;
    /// [`PasswordError::UnknownPepperKey`]; [`PasswordError::TooLong`]; [`PasswordError::Busy`].
    pub fn verify(&self, password: &str, stored: &str) -> Result<Verification, PasswordError> {
        self.check_len(password)?;
        let stored = self.read(stored)?;
        let secret = match (&stored.key_id, &self.inner.pepper) {
            (None, _) => None,
            (Some(id), Some(ring)) => Some(
                ring.key(id)
                    .ok_or_else(|| PasswordError::UnknownPepperKey { key_id: id.clone() })?,
            ),
            (Some(id), None) => return Err(PasswordError::UnknownPepperKey { key_id: id.clone() }),
        };
        let canonical = self.canonical(stored.canon, password)?;
        let job = Job {
            variant: stored.variant,
            version: stored.version,
            params: stored.params,
            secret,
            data: &stored.data,
            salt: &stored.salt,
        };

        let mut canon_tag = Zeroizing::new(vec![0u8; stored.tag.len()]);
        let mut raw_tag = Zeroizing::new(vec![0u8; stored.tag.len()]);
        let try_raw = canonical.as_str() != password;
        if try_raw {
            self.run(
                &job,
                &[canonical.as_bytes(), password.as_bytes()],
                &mut [&mut canon_tag, &mut raw_tag],
            )?;
        } else {
            self.run(&job, &[canonical.as_bytes()], &mut [&mut canon_tag])?;
        }
        let canon_ok = bool::from(canon_tag.ct_eq(&stored.tag));
        let raw_ok = try_raw && bool::from(raw_tag.ct_eq(&stored.tag));

        if !canon_ok && !raw_ok {
            return Ok(Verification::Invalid);
        }
        if raw_ok && !canon_ok || self.is_weaker(&stored) {
            return Ok(Verification::ValidNeedsUpgrade {
                new_hash: self.hash(password)?,
            });
        }
        Ok(Verification::Valid)
    }

    /// As [`verify`](Self::verify), for a password given as UTF-8 bytes.
    ///
    /// # Errors
    /// [`PasswordError::InvalidUtf8`], and those of [`verify`](Self::verify).
    pub fn verify_bytes(
        &self,
        password: &[u8],
        stored: &str,
    ) -> Result<Verification, PasswordError> {
        self.verify(utf8(password)?, stored)
    }

    /// True when a stored hash would be upgraded on login: another algorithm or version,
    /// less memory or fewer passes than the current parameters, another pepper key id (or
    /// none where the ring has one), another canonicalisation, a salt shorter than 16 or a tag
    /// shorter than 32 bytes. The number of lanes alone never triggers it, and a stronger
    /// hash is left alone.
    ///
    /// # Errors
    /// Those of a bad stored hash, as for [`verify`](Self::verify).
    pub fn needs_rehash(&self, stored: &str) -> Result<bool, PasswordError> {
        Ok(self.is_weaker(&self.read(stored)?))
    }

    /// Does the work of a real verify at the current parameters (and pepper) against a dummy
    /// hash, and returns [`Verification::Invalid`]: call it when the user does not exist so
    /// that login takes the same time either way.
    ///
    /// # Errors
    /// [`PasswordError::TooLong`], [`PasswordError::Busy`].
    pub fn verify_unknown_user(&self, password: &str) -> Result<Verification, PasswordError> {
        let canonical = self.canonical(self.inner.canon, password)?;
        let secret = self.inner.pepper.as_ref().map(PepperRing::current_key);
        let job = Job {
            variant: Variant::Argon2id,
            version: Version::V0x13,
            params: self.inner.params,
            secret,
            data: &[],
            salt: &self.inner.dummy_salt,
        };
        let mut a = Zeroizing::new([0u8; TAG_LEN]);
        let mut b = Zeroizing::new([0u8; TAG_LEN]);
        // Same number of argon2 runs as a real verify of the same input.
        if canonical.as_str() != password {
            self.run(
                &job,
                &[canonical.as_bytes(), password.as_bytes()],
                &mut [&mut a[..], &mut b[..]],
            )?;
        } else {
            self.run(&job, &[canonical.as_bytes()], &mut [&mut a[..]])?;
        }
        // The comparison is done for its cost; whatever it says (a match of the random dummy
        // tag has probability 2^-256), an unknown user never verifies.
        std::hint::black_box(a.ct_eq(&self.inner.dummy_tag) | b.ct_eq(&self.inner.dummy_tag));
        Ok(Verification::Invalid)
    }

    fn read(&self, stored: &str) -> Result<StoredHash, PasswordError> {
        phc_string::parse(
            stored,
            ReadPolicy {
                ceilings: &self.inner.ceilings,
                allow_argon2i: self.inner.allow_argon2i,
            },
        )
    }

    // Limitation: legacy formats (bcrypt, Django's PBKDF2-SHA256, scrypt) are not read; only
    // argon2id, and argon2i when allowed, can be verified and upgraded.
    fn is_weaker(&self, stored: &StoredHash) -> bool {
        let want = &self.inner.params;
        let current_key = self.inner.pepper.as_ref().map(PepperRing::current_id);
        stored.variant != Variant::Argon2id
            || stored.version != Version::V0x13
            || stored.params.memory_kib() < want.memory_kib()
            || stored.params.time_cost() < want.time_cost()
            || stored.key_id.as_deref() != current_key
            || stored.canon != self.inner.canon
            || stored.salt.len() < SALT_LEN
            || stored.tag.len() < TAG_LEN
            || !stored.data.is_empty()
    }

    /// Runs argon2 once per password with one permit from the budget, reusing its buffer.
    fn run(
        &self,
        job: &Job<'_>,
        passwords: &[&[u8]],
        outs: &mut [&mut [u8]],
    ) -> Result<(), PasswordError> {
        let p = job.params;
        let mut builder = ParamsBuilder::new();
        builder
            .m_cost(p.memory_kib())
            .t_cost(p.time_cost())
            .p_cost(p.parallelism());
        builder.data(AssociatedData::new(job.data)?);
        let tag_len = outs.first().map_or(TAG_LEN, |o| o.len());
        builder.output_len(tag_len);
        let a2params = builder.build()?;
        let algorithm = match job.variant {
            Variant::Argon2id => Algorithm::Argon2id,
            Variant::Argon2i => Algorithm::Argon2i,
        };
        let ctx = match job.secret {
            Some(secret) => Argon2::new_with_secret(secret, algorithm, job.version, a2params)?,
            None => Argon2::new(algorithm, job.version, a2params),
        };
        let mut permit = self.inner.budget.acquire(p.block_count())?;
        for (password, out) in passwords.iter().zip(outs.iter_mut()) {
            ctx.hash_password_into_with_memory(password, job.salt, out, permit.blocks())?;
        }
        Ok(())
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, PasswordError> {
    std::str::from_utf8(bytes).map_err(|e| PasswordError::InvalidUtf8 {
        valid_up_to: e.valid_up_to(),
    })
}

/// Computes a raw argon2 tag, for known-answer tests against RFC 9106 (secret and associated
/// data included).
#[doc(hidden)]
pub fn argon2id_raw(
    params: Params,
    password: &[u8],
    salt: &[u8],
    secret: Option<&[u8]>,
    data: &[u8],
    out: &mut [u8],
) -> Result<(), PasswordError> {
    let hasher = PasswordHasher::new(params)?;
    let job = Job {
        variant: Variant::Argon2id,
        version: Version::V0x13,
        params,
        secret,
        data,
        salt,
    };
    hasher.run(&job, &[password], &mut [out])
}
