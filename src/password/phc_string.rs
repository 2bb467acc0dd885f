//! Reading and writing argon2 PHC strings (`$argon2id$v=19$m=..,t=..,p=..$salt$tag`).
//!
//! A stored hash is data from a database that may have been tampered with, so the reader is
//! strict and checks every bound (string length, each parameter against the ceilings, salt and
//! tag lengths from their encoded length) before anything is decoded or allocated. It is
//! written here rather than taken from the generic `phc` crate because the checks must run
//! field by field, in that order, each with its own typed error; the base64 decoding itself is
//! the `base64` crate's (standard alphabet, no padding, canonical trailing bits).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;

use super::canon::Canonicalization;
use super::error::PasswordError;
use super::params::{Ceilings, Params};
use super::pepper::valid_key_id;

/// Longest stored hash read at all; every legitimate argon2 PHC string is far shorter.
pub(crate) const MAX_STORED_LEN: usize = 512;

/// Longest associated data argon2 PHC strings carry.
const MAX_DATA_LEN: usize = 32;

/// The argon2 variants a stored hash can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    Argon2id,
    Argon2i,
}

/// A parsed stored hash, every field within the ceilings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredHash {
    pub variant: Variant,
    pub version: argon2::Version,
    pub params: Params,
    pub key_id: Option<String>,
    pub data: Vec<u8>,
    pub canon: Canonicalization,
    pub salt: Vec<u8>,
    pub tag: Vec<u8>,
}

/// Options of the reader that come from the hasher's policy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadPolicy<'a> {
    pub ceilings: &'a Ceilings,
    pub allow_argon2i: bool,
}

fn cut(s: &str) -> String {
    s.chars().take(32).flat_map(char::escape_debug).collect()
}

fn decimal(name: &str, value: &str) -> Result<u64, PasswordError> {
    let ok = !value.is_empty()
        && value.len() <= 10
        && value.bytes().all(|b| b.is_ascii_digit())
        && !(value.len() > 1 && value.starts_with('0'));
    if !ok {
        return Err(PasswordError::invalid_hash(format!(
            "parameter {name} must be a decimal of 1 to 10 digits without leading zeros, found `{}`",
            cut(value)
        )));
    }
    value
        .parse::<u64>()
        .map_err(|_| PasswordError::invalid_hash(format!("parameter {name} is not a decimal")))
}

fn bounded(param: &'static str, value: u64, min: u64, max: u64) -> Result<u32, PasswordError> {
    if value < min || value > max {
        return Err(PasswordError::HashExceedsCeiling {
            param,
            value,
            min,
            max,
        });
    }
    u32::try_from(value).map_err(|_| PasswordError::HashExceedsCeiling {
        param,
        value,
        min,
        max,
    })
}

/// Decodes a base64 field after checking, from its encoded length, that the decoded length
/// lies in `min..=max` bytes.
fn b64_field(
    param: &'static str,
    text: &str,
    min: usize,
    max: usize,
) -> Result<Vec<u8>, PasswordError> {
    // Unpadded base64: 4 characters per 3 bytes, a trailing group of 2 or 3 characters.
    let decoded_len = text.len() / 4 * 3 + (text.len() % 4).saturating_sub(1);
    if text.len() % 4 == 1 {
        return Err(PasswordError::invalid_hash(format!(
            "{param} is not valid base64"
        )));
    }
    if decoded_len < min || decoded_len > max {
        return Err(PasswordError::HashExceedsCeiling {
            param,
            value: decoded_len as u64,
            min: min as u64,
            max: max as u64,
        });
    }
    B64.decode(text)
        .map_err(|e| PasswordError::invalid_hash(format!("{param} is not valid base64: {e}")))
}

/// Reads a stored hash, checking every bound before decoding or allocating.
pub(crate) fn parse(stored: &str, policy: ReadPolicy<'_>) -> Result<StoredHash, PasswordError> {
    let c = policy.ceilings;
    if stored.len() > MAX_STORED_LEN {
        return Err(PasswordError::invalid_hash(format!(
            "stored hash is {} bytes; an argon2 PHC string is at most {MAX_STORED_LEN}",
            stored.len()
        )));
    }
    let mut fields = stored.split('$');
    if fields.next() != Some("") {
        return Err(PasswordError::invalid_hash("a PHC string starts with `$`"));
    }

    let algorithm = fields.next().unwrap_or("");
    let variant = match algorithm {
        "argon2id" => Variant::Argon2id,
        "argon2i" if policy.allow_argon2i => Variant::Argon2i,
        "" => {
            return Err(PasswordError::invalid_hash(
                "the algorithm identifier is missing",
            ));
        }
        other => {
            return Err(PasswordError::UnsupportedAlgorithm {
                algorithm: cut(other),
            });
        }
    };

    let mut next = fields.next();
    // Without a `v=` field the reference implementation means version 0x10.
    let mut version = argon2::Version::V0x10;
    if let Some(v) = next.and_then(|f| f.strip_prefix("v=")) {
        version = match decimal("v", v)? {
            16 => argon2::Version::V0x10,
            19 => argon2::Version::V0x13,
            other => {
                return Err(PasswordError::invalid_hash(format!(
                    "argon2 version {other} is unknown; versions are 16 and 19"
                )));
            }
        };
        next = fields.next();
    }

    let param_field =
        next.ok_or_else(|| PasswordError::invalid_hash("the parameters are missing"))?;
    let (mut m, mut t, mut p) = (None, None, None);
    let mut key_id = None;
    let mut data = Vec::new();
    let mut canon = None;
    let mut seen_data = false;
    for pair in param_field.split(',') {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            PasswordError::invalid_hash(format!("parameter `{}` has no `=value`", cut(pair)))
        })?;
        let duplicate = match name {
            "m" => m.replace(decimal(name, value)?).is_some(),
            "t" => t.replace(decimal(name, value)?).is_some(),
            "p" => p.replace(decimal(name, value)?).is_some(),
            "keyid" => {
                let bytes = b64_field("keyid", value, 1, 8)?;
                let id = String::from_utf8(bytes)
                    .ok()
                    .filter(|id| valid_key_id(id))
                    .ok_or_else(|| {
                        PasswordError::invalid_hash("keyid is not an ASCII key id of this library")
                    })?;
                key_id.replace(id).is_some()
            }
            "data" => {
                data = b64_field("data", value, 0, MAX_DATA_LEN)?;
                std::mem::replace(&mut seen_data, true)
            }
            "canon" => {
                let n = decimal(name, value)?;
                let version = u32::try_from(n)
                    .ok()
                    .and_then(Canonicalization::from_number)
                    .ok_or_else(|| {
                        PasswordError::invalid_hash(format!(
                            "canonicalisation version {n} is unknown to this build"
                        ))
                    })?;
                canon.replace(version).is_some()
            }
            other => {
                return Err(PasswordError::invalid_hash(format!(
                    "unknown parameter `{}`; argon2 hashes have m, t, p, keyid and data",
                    cut(other)
                )));
            }
        };
        if duplicate {
            return Err(PasswordError::invalid_hash(format!(
                "parameter {name} appears twice"
            )));
        }
    }
    let missing = |n: &str| PasswordError::invalid_hash(format!("parameter {n} is missing"));
    let m = bounded(
        "memory_kib",
        m.ok_or_else(|| missing("m"))?,
        1,
        c.max_memory_kib().into(),
    )?;
    let t = bounded(
        "time_cost",
        t.ok_or_else(|| missing("t"))?,
        1,
        c.max_time_cost().into(),
    )?;
    let p = bounded(
        "parallelism",
        p.ok_or_else(|| missing("p"))?,
        1,
        c.max_parallelism().into(),
    )?;
    let params = Params::new(m, t, p).map_err(|_| {
        PasswordError::invalid_hash(format!(
            "memory {m} KiB is below 8 KiB for each of {p} lanes"
        ))
    })?;

    let (salt_min, salt_max) = c.salt_len();
    let salt_text = fields
        .next()
        .ok_or_else(|| PasswordError::invalid_hash("the salt is missing"))?;
    let salt = b64_field("salt_len", salt_text, salt_min, salt_max)?;
    let (tag_min, tag_max) = c.tag_len();
    let tag_text = fields
        .next()
        .ok_or_else(|| PasswordError::invalid_hash("the tag is missing"))?;
    let tag = b64_field("tag_len", tag_text, tag_min, tag_max)?;
    if fields.next().is_some() {
        return Err(PasswordError::invalid_hash(
            "unexpected field after the tag",
        ));
    }

    Ok(StoredHash {
        variant,
        version,
        params,
        key_id,
        data,
        canon: canon.unwrap_or(Canonicalization::V1),
        salt,
        tag,
    })
}

/// Writes an argon2id v19 PHC string; the `canon` marker only for versions that need one.
pub(crate) fn encode(
    params: &Params,
    key_id: Option<&str>,
    canon: Canonicalization,
    salt: &[u8],
    tag: &[u8],
) -> String {
    let mut out = format!(
        "$argon2id$v=19$m={},t={},p={}",
        params.memory_kib(),
        params.time_cost(),
        params.parallelism()
    );
    if let Some(id) = key_id {
        out.push_str(",keyid=");
        out.push_str(&B64.encode(id.as_bytes()));
    }
    if !canon.is_plain() {
        out.push_str(&format!(",canon={}", canon.number()));
    }
    out.push('$');
    out.push_str(&B64.encode(salt));
    out.push('$');
    out.push_str(&B64.encode(tag));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<StoredHash, PasswordError> {
        parse(
            s,
            ReadPolicy {
                ceilings: &Ceilings::default(),
                allow_argon2i: false,
            },
        )
    }

    const GOOD: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    #[test]
    fn reads_a_plain_argon2id_string() {
        let h = read(GOOD).expect("valid");
        assert_eq!(h.params, Params::OWASP);
        assert_eq!(h.version, argon2::Version::V0x13);
        assert_eq!(h.salt, b"somesaltsomesalt");
        assert_eq!(h.tag.len(), 32);
        assert_eq!(h.key_id, None);
        assert_eq!(h.canon, Canonicalization::V1);
        assert_eq!(encode(&h.params, None, h.canon, &h.salt, &h.tag), GOOD);
    }

    #[test]
    fn key_id_round_trips() {
        let s = encode(
            &Params::OWASP,
            Some("k2026"),
            Canonicalization::V1,
            b"somesaltsomesalt",
            &[7; 32],
        );
        assert!(s.contains(",keyid=azIwMjY$"), "{s}");
        assert_eq!(read(&s).expect("valid").key_id.as_deref(), Some("k2026"));
    }

    #[test]
    fn version_defaults_to_16_when_absent() {
        let s = GOOD.replace("$v=19", "");
        assert_eq!(read(&s).expect("valid").version, argon2::Version::V0x10);
        assert!(read(&GOOD.replace("v=19", "v=18")).is_err());
    }

    #[test]
    fn canon_marker_is_read() {
        let s = GOOD.replace("p=1$", "p=1,canon=1$");
        assert_eq!(read(&s).expect("valid").canon, Canonicalization::V1);
        let unknown = GOOD.replace("p=1$", "p=1,canon=2$");
        assert!(
            read(&unknown)
                .expect_err("unknown")
                .to_string()
                .contains("canonicalisation")
        );
    }

    #[test]
    fn hostile_fields_give_typed_errors() {
        let cases: &[(&str, &str)] = &[
            ("m=19456", "m=4294967295"),
            ("t=2", "t=4294967295"),
            ("p=1", "p=255"),
            ("m=19456", "m=99999999999"),
            ("m=19456", "m=019456"),
            ("m=19456,", ""),
            ("t=2,", "t=2,t=3,"),
            ("p=1", "p=1,x=1"),
            ("p=1", "p=0"),
            ("m=19456", "m=7"),
        ];
        for (from, to) in cases {
            let s = GOOD.replace(from, to);
            let err = read(&s).expect_err(&s);
            assert!(err.is_invalid_hash(), "{s}: {err}");
        }
        for bad in [
            "",
            "argon2id",
            "$",
            "$argon2id",
            "$argon2id$v=19",
            "$argon2id$v=19$m=19456,t=2,p=1",
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA",
            "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2d$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
        ] {
            assert!(read(bad).expect_err(bad).is_invalid_hash(), "{bad}");
        }
    }

    #[test]
    fn salt_and_tag_lengths_are_checked_from_their_encoding() {
        let short_salt = GOOD.replace("c29tZXNhbHRzb21lc2FsdA", "c2FsdA");
        assert!(matches!(
            read(&short_salt),
            Err(PasswordError::HashExceedsCeiling {
                param: "salt_len",
                value: 4,
                ..
            })
        ));
        let long_tag = format!("{}{}", GOOD, "A".repeat(100));
        assert!(matches!(
            read(&long_tag),
            Err(PasswordError::HashExceedsCeiling {
                param: "tag_len",
                ..
            })
        ));
        let bad_b64 = GOOD.replace("c29tZXNhbHRzb21lc2FsdA", "c29tZXNh!HRzb21lc2FsdA");
        assert!(matches!(
            read(&bad_b64),
            Err(PasswordError::InvalidHash { .. })
        ));
        let padded = GOOD.replace("c29tZXNhbHRzb21lc2FsdA", "c29tZXNhbHRzb21lc2FsdA==");
        assert!(read(&padded).is_err());
        let huge = "$".repeat(MAX_STORED_LEN + 1);
        assert!(matches!(
            read(&huge),
            Err(PasswordError::InvalidHash { .. })
        ));
    }

    #[test]
    fn argon2i_is_read_only_when_allowed() {
        let s = GOOD.replace("argon2id", "argon2i");
        let h = parse(
            &s,
            ReadPolicy {
                ceilings: &Ceilings::default(),
                allow_argon2i: true,
            },
        )
        .expect("allowed");
        assert_eq!(h.variant, Variant::Argon2i);
    }
}
