//! Identifiers with check digits: organisation and VAT numbers, bank account numbers,
//! IBANs and KIDs, typed by people and read from documents. Parsing is loose, printing is
//! canonical, so every printed form (plain, grouped, JSON) parses back to the same value, and
//! the check digits hold.
//!
//! Input: the text to parse.

use tillit::invoice::{AccountNumber, Iban, Kid, KidAlgorithm, OrgNumber, VatNumber};

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn json_round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).expect("serialises");
    let back: T = serde_json::from_str(&json).expect("its own JSON reads");
    assert_eq!(&back, value, "JSON round trip of {json}");
}

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    if let Ok(org) = OrgNumber::parse(text) {
        let printed = org.to_string();
        assert!(all_digits(&printed, 9), "{printed:?}");
        assert_eq!(OrgNumber::parse(&printed).ok(), Some(org));
        assert_eq!(OrgNumber::parse(&org.formatted()).ok(), Some(org));
        assert_eq!(
            OrgNumber::check_digit(&printed[..8]),
            printed[8..].parse().ok()
        );
        assert_eq!(
            VatNumber::parse(text).ok().map(|v| v.org_number()),
            Some(org)
        );
        let vat = org.vat_number();
        assert_eq!(VatNumber::parse(&vat.to_string()).ok(), Some(vat));
        json_round_trip(&org);
        json_round_trip(&vat);
    } else {
        assert!(
            VatNumber::parse(text).is_err(),
            "a VAT number needs a valid org number"
        );
    }

    if let Ok(account) = AccountNumber::parse(text) {
        let printed = account.to_string();
        assert!(all_digits(&printed, 11), "{printed:?}");
        assert_eq!(AccountNumber::parse(&printed).ok(), Some(account));
        assert_eq!(
            AccountNumber::parse(&account.formatted()).ok(),
            Some(account)
        );
        assert_eq!(
            AccountNumber::check_digit(&printed[..10]),
            printed[10..].parse().ok()
        );
        let iban = account.to_iban();
        assert_eq!(iban.account_number(), account);
        assert_eq!(Iban::parse(&iban.to_string()).ok(), Some(iban));
        json_round_trip(&account);
    }

    if let Ok(iban) = Iban::parse(text) {
        let printed = iban.to_string();
        assert!(
            printed.starts_with("NO") && all_digits(&printed[2..], 13),
            "{printed:?}"
        );
        assert_eq!(Iban::parse(&printed).ok(), Some(iban));
        assert_eq!(Iban::parse(&iban.formatted()).ok(), Some(iban));
        assert_eq!(iban.account_number().to_iban(), iban);
        json_round_trip(&iban);
    }

    for algorithm in [KidAlgorithm::Mod10, KidAlgorithm::Mod11] {
        if let Ok(kid) = Kid::parse(text, algorithm) {
            check_kid(&kid, algorithm);
        }
    }
    if let Ok(kid) = Kid::parse_any(text) {
        check_kid(&kid, kid.algorithm());
    }
    // A KID read from JSON is as valid as one parsed from text.
    if let Ok(kid) = serde_json::from_str::<Kid>(text) {
        check_kid(&kid, kid.algorithm());
    }

    // Any payload of digits gets a check character that validates.
    let payload: String = text.chars().filter(char::is_ascii_digit).take(30).collect();
    for algorithm in [KidAlgorithm::Mod10, KidAlgorithm::Mod11] {
        match Kid::generate(&payload, algorithm) {
            Ok(kid) => {
                assert!((1..=24).contains(&payload.len()));
                check_kid(&kid, algorithm);
            }
            Err(_) => assert!(payload.is_empty() || payload.len() > 24),
        }
    }
}

fn check_kid(kid: &Kid, algorithm: KidAlgorithm) {
    let value = kid.as_str();
    assert_eq!(kid.algorithm(), algorithm);
    assert!((2..=25).contains(&kid.len()), "{value:?}");
    let (payload, check) = value.split_at(value.len() - 1);
    assert!(payload.bytes().all(|b| b.is_ascii_digit()), "{value:?}");
    assert!(check == "-" && algorithm == KidAlgorithm::Mod11 || all_digits(check, 1));
    assert_eq!(Kid::parse(value, algorithm).ok().as_ref(), Some(kid));
    assert_eq!(Kid::generate(payload, algorithm).ok().as_ref(), Some(kid));
    json_round_trip(kid);
}
