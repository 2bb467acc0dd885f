//! Argon2id cost parameters (with the named presets of OWASP, RFC 9106 and libsodium) and the
//! ceilings that bound what a stored hash may ask for before any memory is allocated.

use super::error::PasswordError;

/// Salt length, in bytes, of every hash this module writes.
pub const SALT_LEN: usize = 16;

/// Tag (output) length, in bytes, of every hash this module writes.
pub const TAG_LEN: usize = 32;

/// Argon2id cost parameters: memory in KiB, passes (time cost) and lanes (parallelism).
///
/// The constructor checks argon2's own limits (at least one pass, 1 to 2^24 - 1 lanes, at
/// least 8 KiB per lane); whether a hasher accepts them is then decided against its
/// [`Ceilings`].
///
/// # Examples
/// ```
/// use tillit::password::Params;
/// let p = Params::new(65536, 3, 4)?;
/// assert_eq!(p, Params::RFC9106_SECOND);
/// assert!(Params::new(1024, 0, 1).is_err());
/// # Ok::<(), tillit::password::PasswordError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params {
    memory_kib: u32,
    time_cost: u32,
    parallelism: u32,
}

/// Largest lane count argon2 defines (2^24 - 1).
const MAX_LANES: u32 = 0x00FF_FFFF;

impl Params {
    /// OWASP's minimum for argon2id: m = 19456 KiB (19 MiB), t = 2, p = 1. The default.
    pub const OWASP: Params = Params {
        memory_kib: 19_456,
        time_cost: 2,
        parallelism: 1,
    };

    /// RFC 9106 §4 first recommended option: m = 2 GiB, t = 1, p = 4. Above the default
    /// ceilings: raise them to use it.
    pub const RFC9106_FIRST: Params = Params {
        memory_kib: 2 * 1024 * 1024,
        time_cost: 1,
        parallelism: 4,
    };

    /// RFC 9106 §4 second recommended option: m = 64 MiB, t = 3, p = 4 (also argon2-cffi's
    /// default).
    pub const RFC9106_SECOND: Params = Params {
        memory_kib: 64 * 1024,
        time_cost: 3,
        parallelism: 4,
    };

    /// libsodium's `OPSLIMIT_INTERACTIVE` / `MEMLIMIT_INTERACTIVE`: m = 64 MiB, t = 2, p = 1.
    pub const SODIUM_INTERACTIVE: Params = Params {
        memory_kib: 64 * 1024,
        time_cost: 2,
        parallelism: 1,
    };

    /// libsodium's moderate limits: m = 256 MiB, t = 3, p = 1.
    pub const SODIUM_MODERATE: Params = Params {
        memory_kib: 256 * 1024,
        time_cost: 3,
        parallelism: 1,
    };

    /// libsodium's sensitive limits: m = 1 GiB, t = 4, p = 1. Above the default ceilings.
    pub const SODIUM_SENSITIVE: Params = Params {
        memory_kib: 1024 * 1024,
        time_cost: 4,
        parallelism: 1,
    };

    /// Validated custom parameters.
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when `time_cost` is 0, `parallelism` is 0 or above
    /// 2^24 - 1, or `memory_kib` is below 8 KiB per lane.
    pub fn new(memory_kib: u32, time_cost: u32, parallelism: u32) -> Result<Params, PasswordError> {
        if time_cost == 0 {
            return Err(out_of_range("time_cost", time_cost, 1u32, u32::MAX));
        }
        if parallelism == 0 || parallelism > MAX_LANES {
            return Err(out_of_range("parallelism", parallelism, 1u32, MAX_LANES));
        }
        let min_memory = parallelism.saturating_mul(8);
        if memory_kib < min_memory {
            return Err(out_of_range("memory_kib", memory_kib, min_memory, u32::MAX));
        }
        Ok(Params {
            memory_kib,
            time_cost,
            parallelism,
        })
    }

    /// Memory cost in KiB.
    #[must_use]
    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    /// Number of passes over the memory.
    #[must_use]
    pub fn time_cost(&self) -> u32 {
        self.time_cost
    }

    /// Number of lanes.
    #[must_use]
    pub fn parallelism(&self) -> u32 {
        self.parallelism
    }

    /// Working memory argon2 really uses, in 1 KiB blocks: the memory cost rounded down to a
    /// multiple of 4 blocks per lane.
    pub(crate) fn block_count(&self) -> u64 {
        let per_segment = u64::from(self.memory_kib) / (4 * u64::from(self.parallelism));
        per_segment * 4 * u64::from(self.parallelism)
    }

    /// Checks these parameters against `ceilings`, naming the first one outside.
    pub(crate) fn check_within(&self, ceilings: &Ceilings) -> Result<(), PasswordError> {
        let c = ceilings;
        if self.memory_kib > c.max_memory_kib {
            return Err(out_of_range(
                "memory_kib",
                self.memory_kib,
                8u32,
                c.max_memory_kib,
            ));
        }
        if self.time_cost > c.max_time_cost {
            return Err(out_of_range(
                "time_cost",
                self.time_cost,
                1u32,
                c.max_time_cost,
            ));
        }
        if self.parallelism > c.max_parallelism {
            return Err(out_of_range(
                "parallelism",
                self.parallelism,
                1u32,
                c.max_parallelism,
            ));
        }
        Ok(())
    }
}

impl Default for Params {
    fn default() -> Self {
        Params::OWASP
    }
}

pub(crate) fn out_of_range(
    param: &'static str,
    value: impl Into<u64>,
    min: impl Into<u64>,
    max: impl Into<u64>,
) -> PasswordError {
    PasswordError::ParamsOutOfRange {
        param,
        value: value.into(),
        min: min.into(),
        max: max.into(),
    }
}

/// Upper bounds on what a stored hash may ask for, checked before any memory is allocated.
///
/// The defaults accept the usual defaults of other libraries (argon2-cffi's 64 MiB, t = 3,
/// p = 4; libsodium's interactive and moderate limits, up to 256 MiB), so imported hashes
/// verify:
///
/// | bound | default | hard limit |
/// | --- | --- | --- |
/// | memory | 262144 KiB (256 MiB) | argon2's 2^32 - 1 KiB |
/// | passes | 10 | 2^32 - 1 |
/// | lanes | 16 | 2^24 - 1 |
/// | salt length | 8..=48 bytes | 8..=48 |
/// | tag length | 16..=64 bytes | 10..=64 |
///
/// A hasher refuses to be built with parameters above its ceilings, so no hash it writes is
/// ever refused by its own `verify`.
///
/// # Examples
/// ```
/// use tillit::password::Ceilings;
/// let c = Ceilings::default().with_max_memory_kib(1024 * 1024)?;
/// assert_eq!(c.max_memory_kib(), 1024 * 1024);
/// assert!(Ceilings::default().with_max_time_cost(0).is_err());
/// # Ok::<(), tillit::password::PasswordError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ceilings {
    max_memory_kib: u32,
    max_time_cost: u32,
    max_parallelism: u32,
    min_salt_len: usize,
    max_salt_len: usize,
    min_tag_len: usize,
    max_tag_len: usize,
}

impl Default for Ceilings {
    fn default() -> Self {
        Ceilings {
            max_memory_kib: 256 * 1024,
            max_time_cost: 10,
            max_parallelism: 16,
            min_salt_len: 8,
            max_salt_len: 48,
            min_tag_len: 16,
            max_tag_len: 64,
        }
    }
}

/// Longest salt a PHC string carries in this module (the PHC format's usual 48-byte bound).
const HARD_MAX_SALT: usize = 48;
/// Longest tag accepted (the PHC format's 64-byte bound).
const HARD_MAX_TAG: usize = 64;
/// Shortest tag accepted at all.
const HARD_MIN_TAG: usize = 10;

impl Ceilings {
    /// Sets the largest memory cost accepted, in KiB (at least 8).
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when below 8 KiB.
    pub fn with_max_memory_kib(mut self, kib: u32) -> Result<Self, PasswordError> {
        if kib < 8 {
            return Err(out_of_range("max_memory_kib", kib, 8u32, u32::MAX));
        }
        self.max_memory_kib = kib;
        Ok(self)
    }

    /// Sets the largest number of passes accepted (at least 1).
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when 0.
    pub fn with_max_time_cost(mut self, passes: u32) -> Result<Self, PasswordError> {
        if passes == 0 {
            return Err(out_of_range("max_time_cost", passes, 1u32, u32::MAX));
        }
        self.max_time_cost = passes;
        Ok(self)
    }

    /// Sets the largest number of lanes accepted (1 to 2^24 - 1).
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when 0 or above 2^24 - 1.
    pub fn with_max_parallelism(mut self, lanes: u32) -> Result<Self, PasswordError> {
        if lanes == 0 || lanes > MAX_LANES {
            return Err(out_of_range("max_parallelism", lanes, 1u32, MAX_LANES));
        }
        self.max_parallelism = lanes;
        Ok(self)
    }

    /// Sets the accepted salt lengths in bytes; must include 16 (what this module writes) and
    /// lie within 8..=48.
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when the range is outside 8..=48 or excludes 16.
    pub fn with_salt_len(mut self, min: usize, max: usize) -> Result<Self, PasswordError> {
        if !(8..=SALT_LEN).contains(&min) {
            return Err(out_of_range(
                "min_salt_len",
                min as u64,
                8u32,
                SALT_LEN as u64,
            ));
        }
        if !(SALT_LEN..=HARD_MAX_SALT).contains(&max) {
            return Err(out_of_range(
                "max_salt_len",
                max as u64,
                SALT_LEN as u64,
                HARD_MAX_SALT as u64,
            ));
        }
        self.min_salt_len = min;
        self.max_salt_len = max;
        Ok(self)
    }

    /// Sets the accepted tag lengths in bytes; must include 32 (what this module writes) and
    /// lie within 10..=64.
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when the range is outside 10..=64 or excludes 32.
    pub fn with_tag_len(mut self, min: usize, max: usize) -> Result<Self, PasswordError> {
        if !(HARD_MIN_TAG..=TAG_LEN).contains(&min) {
            return Err(out_of_range(
                "min_tag_len",
                min as u64,
                HARD_MIN_TAG as u64,
                TAG_LEN as u64,
            ));
        }
        if !(TAG_LEN..=HARD_MAX_TAG).contains(&max) {
            return Err(out_of_range(
                "max_tag_len",
                max as u64,
                TAG_LEN as u64,
                HARD_MAX_TAG as u64,
            ));
        }
        self.min_tag_len = min;
        self.max_tag_len = max;
        Ok(self)
    }

    /// Largest memory cost accepted, in KiB.
    #[must_use]
    pub fn max_memory_kib(&self) -> u32 {
        self.max_memory_kib
    }

    /// Largest number of passes accepted.
    #[must_use]
    pub fn max_time_cost(&self) -> u32 {
        self.max_time_cost
    }

    /// Largest number of lanes accepted.
    #[must_use]
    pub fn max_parallelism(&self) -> u32 {
        self.max_parallelism
    }

    /// Accepted salt lengths in bytes, as (min, max).
    #[must_use]
    pub fn salt_len(&self) -> (usize, usize) {
        (self.min_salt_len, self.max_salt_len)
    }

    /// Accepted tag lengths in bytes, as (min, max).
    #[must_use]
    pub fn tag_len(&self) -> (usize, usize) {
        (self.min_tag_len, self.max_tag_len)
    }

    /// Ceilings raised where needed so that `params` fit.
    pub(crate) fn raised_to_fit(mut self, params: &Params) -> Self {
        self.max_memory_kib = self.max_memory_kib.max(params.memory_kib);
        self.max_time_cost = self.max_time_cost.max(params.time_cost);
        self.max_parallelism = self.max_parallelism.max(params.parallelism);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_have_the_published_values() {
        assert_eq!((19456, 2, 1), triple(Params::OWASP));
        assert_eq!((2_097_152, 1, 4), triple(Params::RFC9106_FIRST));
        assert_eq!((65536, 3, 4), triple(Params::RFC9106_SECOND));
        assert_eq!((65536, 2, 1), triple(Params::SODIUM_INTERACTIVE));
        assert_eq!((262_144, 3, 1), triple(Params::SODIUM_MODERATE));
        assert_eq!((1_048_576, 4, 1), triple(Params::SODIUM_SENSITIVE));
        assert_eq!(Params::default(), Params::OWASP);
    }

    fn triple(p: Params) -> (u32, u32, u32) {
        (p.memory_kib(), p.time_cost(), p.parallelism())
    }

    #[test]
    fn custom_params_are_validated() {
        assert!(Params::new(8, 1, 1).is_ok());
        assert!(matches!(
            Params::new(8, 0, 1),
            Err(PasswordError::ParamsOutOfRange {
                param: "time_cost",
                ..
            })
        ));
        assert!(matches!(
            Params::new(64, 1, 0),
            Err(PasswordError::ParamsOutOfRange {
                param: "parallelism",
                ..
            })
        ));
        assert!(matches!(
            Params::new(64, 1, 1 << 24),
            Err(PasswordError::ParamsOutOfRange {
                param: "parallelism",
                ..
            })
        ));
        let err = Params::new(31, 1, 4).expect_err("below 8 KiB per lane");
        assert_eq!(
            err.to_string(),
            "memory_kib 31 is outside the allowed range 32..=4294967295"
        );
    }

    #[test]
    fn default_ceilings_accept_common_library_defaults() {
        let c = Ceilings::default();
        for p in [
            Params::OWASP,
            Params::RFC9106_SECOND,
            Params::SODIUM_INTERACTIVE,
            Params::SODIUM_MODERATE,
        ] {
            assert!(p.check_within(&c).is_ok(), "{p:?}");
        }
        assert!(Params::SODIUM_SENSITIVE.check_within(&c).is_err());
        assert!(Params::RFC9106_FIRST.check_within(&c).is_err());
    }

    #[test]
    fn ceilings_must_admit_what_this_module_writes() {
        assert!(Ceilings::default().with_salt_len(8, 15).is_err());
        assert!(Ceilings::default().with_salt_len(17, 48).is_err());
        assert!(Ceilings::default().with_salt_len(8, 49).is_err());
        assert!(Ceilings::default().with_tag_len(33, 64).is_err());
        assert!(Ceilings::default().with_tag_len(16, 65).is_err());
        assert!(Ceilings::default().with_max_parallelism(0).is_err());
        assert!(Ceilings::default().with_max_memory_kib(7).is_err());
        assert!(Ceilings::default().with_salt_len(16, 16).is_ok());
    }

    #[test]
    fn block_count_rounds_down_to_whole_segments() {
        assert_eq!(Params::OWASP.block_count(), 19456);
        let odd = Params::new(1001, 1, 4).expect("valid");
        assert_eq!(odd.block_count(), 992);
    }
}
