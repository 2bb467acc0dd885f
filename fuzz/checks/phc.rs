//! Stored PHC strings and verification: a stored hash is database content an attacker may
//! have written, so reading it must never panic, never work above the ceilings, and agree
//! with itself.
//!
//! Input: a flag byte, then the password up to the first `\n`, then the stored hash. The
//! hashers use tiny parameters and ceilings (at most 256 KiB, 2 passes, 2 lanes) so one run
//! stays well under a millisecond.

use std::sync::OnceLock;

use tillit::password::{Ceilings, Params, PasswordHasher, PepperRing, Verification};

use super::split_line;

const MAX_MEMORY_KIB: u64 = 256;
const MAX_TIME_COST: u64 = 2;
const MAX_LANES: u64 = 2;

fn build(pepper: bool) -> PasswordHasher {
    let ceilings = Ceilings::default()
        .with_max_memory_kib(256)
        .and_then(|c| c.with_max_time_cost(2))
        .and_then(|c| c.with_max_parallelism(2))
        .expect("small ceilings are valid");
    let mut builder = PasswordHasher::builder()
        .params(Params::new(64, 1, 1).expect("tiny parameters are valid"))
        .ceilings(ceilings);
    if pepper {
        let ring = PepperRing::new("p2", &[2; 32])
            .and_then(|r| r.with_old_key("p1", &[1; 32]))
            .expect("valid pepper ring");
        builder = builder.pepper(ring);
    }
    builder.build().expect("valid hasher")
}

pub fn hashers() -> &'static [PasswordHasher; 2] {
    static HASHERS: OnceLock<[PasswordHasher; 2]> = OnceLock::new();
    HASHERS.get_or_init(|| [build(false), build(true)])
}

/// The value of `name=` in the parameter segment of a PHC string, if present.
fn param(stored: &str, name: &str) -> Option<u64> {
    stored
        .split('$')
        .flat_map(|segment| segment.split(','))
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
}

pub fn check(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let hasher = &hashers()[usize::from(flags & 1)];
    let (password, stored) = split_line(rest);
    let stored = String::from_utf8_lossy(stored);

    let rehash = hasher.needs_rehash(&stored);
    let verified = hasher.verify_bytes(password, &stored);

    // Both read the stored hash with the same reader: a hash one refuses, the other refuses.
    if rehash.is_err() {
        assert!(
            verified.is_err(),
            "needs_rehash refused {stored:?} but verify read it"
        );
    }
    if verified.is_ok() {
        assert!(
            rehash.is_ok(),
            "verify read {stored:?} but needs_rehash refused it"
        );
    }
    if let Err(err) = &verified {
        assert!(!err.to_string().is_empty());
    }

    // A hash that was read at all stays within the ceilings: no work beyond them is done.
    if rehash.is_ok() {
        for (name, max) in [
            ("m", MAX_MEMORY_KIB),
            ("t", MAX_TIME_COST),
            ("p", MAX_LANES),
        ] {
            let value = param(&stored, name).expect("an accepted hash names m, t and p");
            assert!(
                value <= max,
                "{name}={value} accepted above the ceiling {max}"
            );
        }
    }

    match verified {
        Ok(Verification::Valid) => {
            assert_eq!(
                rehash.ok(),
                Some(false),
                "a Valid hash never needs a rehash"
            );
        }
        Ok(Verification::ValidNeedsUpgrade { new_hash }) => {
            // The upgraded hash verifies the same password and is current.
            let again = hasher
                .verify_bytes(password, &new_hash)
                .expect("own hash reads");
            assert_eq!(again, Verification::Valid, "the upgraded hash verifies");
            assert_eq!(hasher.needs_rehash(&new_hash).ok(), Some(false));
        }
        Ok(Verification::Invalid) | Err(_) => {}
    }

    // A fresh hash of any acceptable password verifies, and only for that password.
    if flags & 2 != 0
        && let Ok(fresh) = hasher.hash_bytes(password)
    {
        assert_eq!(hasher.needs_rehash(&fresh).ok(), Some(false));
        let ok = hasher
            .verify_bytes(password, &fresh)
            .expect("own hash reads");
        assert_eq!(
            ok,
            Verification::Valid,
            "a fresh hash verifies its password"
        );
        let mut other = password.to_vec();
        other.push(b'!');
        if let Ok(bad) = hasher.verify_bytes(&other, &fresh) {
            assert_eq!(
                bad,
                Verification::Invalid,
                "a fresh hash refuses another password"
            );
        }
    }
}
