//! Integration tests of `tillit::password`: the RFC 9106 known answer, PHC round trips,
//! hashes from other implementations, hostile stored hashes, the memory budget under load,
//! upgrade on login, pepper rotation, canonicalisation and the byte cap.

use std::sync::Arc;
use std::time::Duration;

use proptest::prelude::*;
use tillit::password::{
    Ceilings, MemoryBudget, Params, PasswordError, PasswordHasher, PepperRing, Verification,
    argon2id_raw, canonicalize,
};

fn tiny(m: u32, t: u32, p: u32) -> Params {
    Params::new(m, t, p).expect("valid test parameters")
}

fn hasher(params: Params) -> PasswordHasher {
    PasswordHasher::builder()
        .params(params)
        .build()
        .expect("hasher builds")
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit pair"))
        .collect()
}

#[test]
fn rfc9106_argon2id_known_answer_with_secret_and_associated_data() {
    let text = include_str!("data/rfc9106_argon2id.txt");
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("field {name} in the vector file"))
    };
    let num = |name: &str| field(name).parse::<u32>().expect("decimal");
    let params = tiny(num("memory_kib"), num("time_cost"), num("parallelism"));
    let mut out = [0u8; 32];
    argon2id_raw(
        params,
        &hex(field("password")),
        &hex(field("salt")),
        Some(&hex(field("secret"))),
        &hex(field("associated_data")),
        &mut out,
    )
    .expect("argon2id runs");
    assert_eq!(out.to_vec(), hex(field("tag")));
}

#[test]
fn phc_round_trip_with_fresh_salts() {
    let h = hasher(tiny(64, 1, 1));
    let a = h.hash("correct horse battery staple").expect("hash");
    let b = h.hash("correct horse battery staple").expect("hash");
    assert_ne!(a, b, "each hash has its own salt");
    let parts: Vec<&str> = a.split('$').collect();
    assert_eq!(&parts[..4], ["", "argon2id", "v=19", "m=64,t=1,p=1"]);
    assert_eq!(parts[4].len(), 22, "16-byte salt, unpadded base64");
    assert_eq!(parts[5].len(), 43, "32-byte tag, unpadded base64");
    assert_eq!(
        h.verify("correct horse battery staple", &a)
            .expect("verify"),
        Verification::Valid
    );
    assert_eq!(
        h.verify("correct horse battery stapler", &a)
            .expect("verify"),
        Verification::Invalid
    );
    assert!(!h.needs_rehash(&a).expect("parses"));
}

#[test]
fn default_hasher_is_owasp_and_round_trips() {
    let h = PasswordHasher::builder().build().expect("defaults");
    assert_eq!(h.params(), Params::OWASP);
    let s = h.hash("blåbærsyltetøy på søndag").expect("hash");
    assert!(s.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{s}");
    assert!(
        h.verify("blåbærsyltetøy på søndag", &s)
            .expect("verify")
            .is_valid()
    );
}

#[test]
fn hashes_from_argon2_cffi_and_libsodium_verify() {
    let h = PasswordHasher::builder().build().expect("defaults");
    let rows: Vec<Vec<&str>> = include_str!("data/password_foreign_hashes.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 7);
    for row in rows {
        let [source, password, stored] = row[..] else {
            panic!("three columns")
        };
        let v = h
            .verify(password, stored)
            .unwrap_or_else(|e| panic!("{source}: {e}"));
        assert!(v.is_valid(), "{source}");
        // Weaker than OWASP (less memory or fewer passes, or version 16): upgraded.
        let weaker =
            stored.contains("m=8192,t=1") || stored.contains("v=16") || stored.contains("m=8,");
        assert_eq!(v.new_hash().is_some(), weaker, "{source}");
        if let Some(new) = v.new_hash() {
            assert_eq!(
                h.verify(password, new).expect("verify"),
                Verification::Valid
            );
        }
        if !stored.contains("m=65536") {
            assert_eq!(
                h.verify("not the password", stored).expect("verify"),
                Verification::Invalid
            );
        }
    }
}

#[test]
fn raw_input_fallback_upgrades_hashes_of_non_canonical_text() {
    // Made by argon2-cffi from the decomposed "cafe\u{301} au lait" and from a string with
    // no-break spaces, i.e. by a system that did not canonicalise.
    let decomposed = "$argon2id$v=19$m=1024,t=1,p=1$rBgKSXjQKx2sNv9e9wGqrA$/mECtFJg5pS51zKK9uuGuaCXa5Po1Uc2yDgXKYwDQF4";
    let nbsp = "$argon2id$v=19$m=1024,t=1,p=1$69hFTmR+VXnrrK7FKXPT+g$/AjfFVWXwRPiL4q2+csnoJwqGlB3h7ZI5ci9zMx9oyE";
    let h = hasher(tiny(1024, 1, 1));
    for (pw, stored) in [
        ("cafe\u{301} au lait", decomposed),
        ("no\u{a0}break\u{a0}space", nbsp),
    ] {
        let v = h.verify(pw, stored).expect("verify");
        let new = v.new_hash().expect("matched only the raw input: upgraded");
        // The new hash is of the canonical form, so every equivalent spelling verifies.
        assert_eq!(h.verify(pw, new).expect("verify"), Verification::Valid);
        assert_eq!(
            h.verify(&canonicalize(pw), new).expect("verify"),
            Verification::Valid
        );
        // The canonical spelling alone does not match the old raw hash.
        assert_eq!(
            h.verify(&canonicalize(pw), stored).expect("verify"),
            Verification::Invalid
        );
    }
}

#[test]
fn argon2i_is_refused_unless_legacy_import_is_allowed() {
    let stored = "$argon2i$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$zIjsgwZ4M+a25BUaYKOT8+4EYhcEiNGT5dm7vQRGj8A";
    let strict = hasher(tiny(1024, 1, 1));
    assert!(matches!(
        strict.verify("legacy-pass", stored),
        Err(PasswordError::UnsupportedAlgorithm { .. })
    ));
    let legacy = PasswordHasher::builder()
        .params(tiny(1024, 1, 1))
        .allow_argon2i(true)
        .build()
        .expect("builds");
    let v = legacy.verify("legacy-pass", stored).expect("verify");
    let new = v.new_hash().expect("argon2i is upgraded to argon2id");
    assert!(new.starts_with("$argon2id$"));
    assert_eq!(
        legacy.verify("wrong", stored).expect("verify"),
        Verification::Invalid
    );
}

const GOOD_SALT: &str = "c29tZXNhbHRzb21lc2FsdA";
const GOOD_TAG: &str = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

#[test]
fn hostile_stored_hashes_fail_typed_before_any_allocation() {
    let h = PasswordHasher::builder().build().expect("defaults");
    let cases = [
        format!("$argon2id$v=19$m=4294967295,t=2,p=1${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2id$v=19$m=262145,t=2,p=1${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2id$v=19$m=19456,t=4294967295,p=1${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2id$v=19$m=19456,t=2,p=16777215${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${GOOD_TAG}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${GOOD_SALT}$aGFzaA"),
        format!(
            "$argon2id$v=19$m=19456,t=2,p=1${GOOD_SALT}${}",
            "A".repeat(90)
        ),
        format!("$argon2id$v=19$m=19456,t=2,p=1$!!!!${GOOD_TAG}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${GOOD_SALT}$@@@@"),
        format!("$argon2i$v=19$m=19456,t=2,p=1${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2d$v=19$m=19456,t=2,p=1${GOOD_SALT}${GOOD_TAG}"),
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW".to_string(),
        format!("$argon2id$v=19$t=2,p=1${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1${GOOD_TAG}"),
        format!("$argon2id$v=19${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2id$v=99$m=19456,t=2,p=1${GOOD_SALT}${GOOD_TAG}"),
        format!("argon2id$v=19$m=19456,t=2,p=1${GOOD_SALT}${GOOD_TAG}"),
        format!("$argon2id$v=19$m=19456,t=2,p=1,keyid=AAAA${GOOD_SALT}${GOOD_TAG}"),
        String::new(),
        "$".repeat(10_000),
    ];
    for stored in &cases {
        let err = h.verify("password", stored).expect_err(stored);
        assert!(err.is_invalid_hash(), "{stored}: {err}");
        assert!(h.needs_rehash(stored).is_err(), "{stored}");
    }
    assert_eq!(
        h.budget().peak_bytes(),
        0,
        "no hostile hash took any working memory"
    );
    let huge = h.verify("pw", &cases[0]).expect_err("huge m");
    assert_eq!(
        huge.to_string(),
        "stored hash memory_kib 4294967295 is outside the allowed range 1..=262144"
    );
}

#[test]
fn unknown_pepper_key_ids_are_a_typed_error() {
    let ring = PepperRing::new("k1", &[1; 32]).expect("ring");
    let peppered = PasswordHasher::builder()
        .params(tiny(64, 1, 1))
        .pepper(ring)
        .build()
        .expect("builds");
    let stored = peppered.hash("pw").expect("hash");
    let plain = hasher(tiny(64, 1, 1));
    assert!(
        matches!(plain.verify("pw", &stored), Err(PasswordError::UnknownPepperKey { key_id }) if key_id == "k1")
    );
    let other = PasswordHasher::builder()
        .params(tiny(64, 1, 1))
        .pepper(PepperRing::new("k2", &[2; 32]).expect("ring"))
        .build()
        .expect("builds");
    assert!(matches!(
        other.verify("pw", &stored),
        Err(PasswordError::UnknownPepperKey { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_stored_strings_never_panic(s in "\\PC{0,200}") {
        let h = PasswordHasher::builder()
            .params(tiny(8, 1, 1))
            .ceilings(Ceilings::default().with_max_memory_kib(64).expect("ceiling"))
            .build()
            .expect("builds");
        let _ = h.verify("pw", &s);
        let _ = h.needs_rehash(&s);
    }

    #[test]
    fn mutated_hashes_never_panic(pos in 0usize..120, byte in any::<u8>()) {
        let h = PasswordHasher::builder()
            .params(tiny(8, 1, 1))
            .ceilings(Ceilings::default().with_max_memory_kib(64).expect("ceiling"))
            .build()
            .expect("builds");
        let good = h.hash("pw").expect("hash");
        let mut bytes = good.into_bytes();
        let i = pos % bytes.len();
        bytes[i] = byte;
        if let Ok(s) = String::from_utf8(bytes) {
            let _ = h.verify("pw", &s);
        }
    }

    #[test]
    fn every_hash_verifies_under_its_own_policy(m in 8u32..256, t in 1u32..4, p in 1u32..4) {
        prop_assume!(m >= 8 * p);
        let params = tiny(m, t, p);
        let ceilings = Ceilings::default()
            .with_max_memory_kib(m).expect("m")
            .with_max_time_cost(t).expect("t")
            .with_max_parallelism(p).expect("p");
        let h = PasswordHasher::builder().params(params).ceilings(ceilings).build().expect("builds");
        let s = h.hash("pw").expect("hash");
        prop_assert_eq!(h.verify("pw", &s).expect("verify"), Verification::Valid);
    }
}

#[test]
fn params_above_the_ceilings_are_refused_at_construction() {
    let err = PasswordHasher::builder()
        .params(Params::SODIUM_SENSITIVE)
        .build()
        .expect_err("1 GiB above the 256 MiB ceiling");
    assert!(matches!(
        err,
        PasswordError::ParamsOutOfRange {
            param: "memory_kib",
            ..
        }
    ));
    // `new` raises the ceilings to fit instead, so its hashes still verify.
    let h = PasswordHasher::new(Params::RFC9106_FIRST).expect("raised ceilings");
    assert!(h.ceilings().max_memory_kib() >= 2 * 1024 * 1024);
    let small_budget = MemoryBudget::new(1 << 20, Duration::ZERO).expect("budget");
    assert!(
        PasswordHasher::builder()
            .budget(small_budget)
            .build()
            .is_err()
    );
    assert!(PasswordHasher::builder().max_bytes(10).build().is_err());
}

#[test]
fn sixty_four_concurrent_hashes_stay_within_a_four_permit_budget() {
    let params = tiny(512, 1, 1);
    let budget = MemoryBudget::for_permits(4, params, Duration::from_secs(60)).expect("budget");
    let h = PasswordHasher::builder()
        .params(params)
        .ceilings(
            Ceilings::default()
                .with_max_memory_kib(512)
                .expect("ceiling"),
        )
        .budget(budget.clone())
        .build()
        .expect("builds");
    let h = Arc::new(h);
    let threads: Vec<_> = (0..64)
        .map(|i| {
            let h = Arc::clone(&h);
            std::thread::spawn(move || h.hash(&format!("password number {i}")))
        })
        .collect();
    for t in threads {
        t.join().expect("no panic").expect("hash within the wait");
    }
    assert!(
        budget.peak_bytes() <= budget.capacity_bytes(),
        "{} > {}",
        budget.peak_bytes(),
        budget.capacity_bytes()
    );
    assert!(budget.peak_permits() <= 4);
    assert!(budget.peak_permits() >= 1);
}

#[test]
fn upgrade_on_login_follows_the_rules() {
    let policy = hasher(tiny(128, 2, 1));
    let weaker_memory = hasher(tiny(64, 2, 1)).hash("pw").expect("hash");
    let fewer_passes = hasher(tiny(128, 1, 1)).hash("pw").expect("hash");
    let more_memory_fewer_passes = hasher(tiny(256, 1, 1)).hash("pw").expect("hash");
    let stronger = hasher(tiny(256, 3, 1)).hash("pw").expect("hash");
    let more_lanes = hasher(tiny(128, 2, 4)).hash("pw").expect("hash");
    let same = policy.hash("pw").expect("hash");

    for weak in [&weaker_memory, &fewer_passes, &more_memory_fewer_passes] {
        assert!(policy.needs_rehash(weak).expect("parses"), "{weak}");
        let v = policy.verify("pw", weak).expect("verify");
        let new = v.new_hash().expect("upgraded");
        assert!(new.contains("m=128,t=2,p=1"), "{new}");
        assert_eq!(
            policy.verify("pw", new).expect("verify"),
            Verification::Valid
        );
        assert_eq!(
            policy.verify("wrong", weak).expect("verify"),
            Verification::Invalid
        );
    }
    for fine in [&stronger, &more_lanes, &same] {
        assert!(!policy.needs_rehash(fine).expect("parses"), "{fine}");
        assert_eq!(
            policy.verify("pw", fine).expect("verify"),
            Verification::Valid,
            "{fine}"
        );
    }
    // Lanes alone, either way, never trigger an upgrade.
    let four_lanes = hasher(tiny(128, 2, 4));
    assert!(!four_lanes.needs_rehash(&same).expect("parses"));
}

#[test]
fn old_pepper_keys_verify_and_are_rekeyed() {
    let params = tiny(64, 1, 1);
    let k1 = PepperRing::new("k1", &[1; 32]).expect("ring");
    let old = PasswordHasher::builder()
        .params(params)
        .pepper(k1)
        .build()
        .expect("builds");
    let under_k1 = old.hash("pw").expect("hash");
    assert!(under_k1.contains(",keyid="), "{under_k1}");
    let unpeppered = hasher(params).hash("pw").expect("hash");

    let rotated = PepperRing::new("k2", &[2; 32])
        .expect("ring")
        .with_old_key("k1", &[1; 32])
        .expect("old key");
    let new = PasswordHasher::builder()
        .params(params)
        .pepper(rotated)
        .build()
        .expect("builds");
    for stored in [&under_k1, &unpeppered] {
        assert!(new.needs_rehash(stored).expect("parses"));
        let v = new.verify("pw", stored).expect("verify");
        let rekeyed = v.new_hash().expect("rekeyed");
        assert_eq!(
            new.verify("pw", rekeyed).expect("verify"),
            Verification::Valid
        );
        assert!(!new.needs_rehash(rekeyed).expect("parses"));
        assert_eq!(
            new.verify("wrong", stored).expect("verify"),
            Verification::Invalid
        );
    }
    // The pepper is a real input: the same key id with another key does not verify.
    let wrong_key = PasswordHasher::builder()
        .params(params)
        .pepper(PepperRing::new("k1", &[9; 32]).expect("ring"))
        .build()
        .expect("builds");
    assert_eq!(
        wrong_key.verify("pw", &under_k1).expect("verify"),
        Verification::Invalid
    );
    // A peppered hash does not verify without the pepper, in another implementation either:
    // the tag differs from the unpeppered one for the same salt.
    assert_ne!(under_k1.rsplit('$').next(), unpeppered.rsplit('$').next());
}

#[test]
fn nfc_equivalents_verify_each_other_and_nfkc_equivalents_do_not() {
    let h = hasher(tiny(64, 1, 1));
    let composed = h.hash("\u{c5}ngstr\u{f6}m").expect("hash");
    assert_eq!(
        h.verify("A\u{30a}ngstro\u{308}m", &composed)
            .expect("verify"),
        Verification::Valid
    );
    assert_eq!(
        h.verify("\u{212b}ngstr\u{f6}m", &composed).expect("verify"),
        Verification::Valid
    );
    let spaced = h.hash("two words").expect("hash");
    assert_eq!(
        h.verify("two\u{a0}words", &spaced).expect("verify"),
        Verification::Valid
    );
    assert_eq!(
        h.verify("two\u{3000}words", &spaced).expect("verify"),
        Verification::Valid
    );

    for (a, b) in [
        ("\u{fb01}sh and chips", "fish and chips"),
        ("pin \u{ff11}\u{ff12}\u{ff13}\u{ff14}", "pin 1234"),
        ("x\u{b2}", "x2"),
    ] {
        let stored = h.hash(a).expect("hash");
        assert_eq!(
            h.verify(b, &stored).expect("verify"),
            Verification::Invalid,
            "{a} vs {b}"
        );
        let stored = h.hash(b).expect("hash");
        assert_eq!(
            h.verify(a, &stored).expect("verify"),
            Verification::Invalid,
            "{b} vs {a}"
        );
    }
    // No case folding.
    let stored = h.hash("Secret Phrase").expect("hash");
    assert_eq!(
        h.verify("secret phrase", &stored).expect("verify"),
        Verification::Invalid
    );
}

#[test]
fn byte_cap_applies_to_hash_and_verify() {
    let h = hasher(tiny(64, 1, 1));
    let at_cap = "a".repeat(4096);
    let stored = h.hash(&at_cap).expect("at the cap");
    assert!(h.verify(&at_cap, &stored).expect("verify").is_valid());
    let over = "a".repeat(4097);
    assert!(matches!(
        h.hash(&over),
        Err(PasswordError::TooLong {
            bytes: 4097,
            max_bytes: 4096
        })
    ));
    assert!(matches!(
        h.verify(&over, &stored),
        Err(PasswordError::TooLong { .. })
    ));
    assert!(matches!(
        h.verify_unknown_user(&over),
        Err(PasswordError::TooLong { .. })
    ));
    // U+0958 is 3 bytes and becomes 6 under NFC: the canonical form is capped too.
    let grows = "\u{958}".repeat(1365);
    assert!(grows.len() <= 4096);
    assert!(matches!(h.hash(&grows), Err(PasswordError::TooLong { .. })));
    let custom = PasswordHasher::builder()
        .params(tiny(64, 1, 1))
        .max_bytes(100)
        .build()
        .expect("builds");
    assert!(custom.hash(&"a".repeat(101)).is_err());
}

#[test]
fn non_ascii_and_long_passwords_round_trip() {
    let h = hasher(tiny(64, 1, 1));
    let long: String = "é".repeat(500) + &"x".repeat(500);
    for pw in [
        "",
        "🦀 Ærlig talt, ønsker du å bli?",
        long.as_str(),
        "\u{0}nul",
    ] {
        let s = h.hash(pw).expect("hash");
        assert!(h.verify(pw, &s).expect("verify").is_valid(), "{pw}");
    }
}

#[test]
fn unknown_users_cost_a_real_verify_and_never_match() {
    let params = tiny(256, 1, 1);
    let budget = MemoryBudget::new(1 << 20, Duration::from_secs(1)).expect("budget");
    let h = PasswordHasher::builder()
        .params(params)
        .ceilings(
            Ceilings::default()
                .with_max_memory_kib(256)
                .expect("ceiling"),
        )
        .budget(budget.clone())
        .build()
        .expect("builds");
    assert_eq!(
        h.verify_unknown_user("anything").expect("runs"),
        Verification::Invalid
    );
    assert_eq!(
        h.verify_unknown_user("").expect("runs"),
        Verification::Invalid
    );
    assert_eq!(
        budget.peak_bytes(),
        256 * 1024,
        "the dummy verify used the current memory cost"
    );
}

#[test]
fn bytes_input_is_utf8_checked() {
    let h = hasher(tiny(64, 1, 1));
    assert!(matches!(
        h.hash_bytes(b"ab\xffcd"),
        Err(PasswordError::InvalidUtf8 { valid_up_to: 2 })
    ));
    let s = h.hash_bytes("blåbær".as_bytes()).expect("hash");
    assert!(
        h.verify_bytes("blåbær".as_bytes(), &s)
            .expect("verify")
            .is_valid()
    );
    assert!(h.verify("blåbær", &s).expect("verify").is_valid());
}

#[test]
fn the_hasher_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<PasswordHasher>();
    assert_send_sync::<MemoryBudget>();
}
