//! Reset tokens and links: the token a user pastes and the link in the mail are attacker
//! text. Parsing is strict and canonical, so a token that parses prints back to exactly its
//! input; a link built for a token gives that token back when pasted.
//!
//! Input: the base of a reset link up to the first `\n`, then text that is parsed as a token,
//! extracted as a pasted link, and also carried as a token through a built link.

use tillit::token::{LinkPlacement, RESET_TOKEN_PREFIX, ResetLinks, ResetToken, SELECTOR_LEN};

use super::split_line;

pub fn check(data: &[u8]) {
    let (base, rest) = split_line(data);
    let base = String::from_utf8_lossy(base);
    let text = String::from_utf8_lossy(rest);

    for input in [&*base, &*text] {
        // Strict parsing: what parses prints back byte for byte.
        if let Ok(token) = ResetToken::parse(input) {
            assert_eq!(
                token.to_text().as_str(),
                input,
                "a parsed token prints back as given"
            );
        }
        // Extraction from pasted text never invents a token out of nothing.
        if let Ok(found) = ResetLinks::extract_token(input) {
            let trimmed = input.trim();
            if trimmed.starts_with(RESET_TOKEN_PREFIX) {
                assert_eq!(found, trimmed);
            }
            if let Ok(token) = ResetToken::parse(&found) {
                assert_eq!(token.to_text().as_str(), found);
            }
        }
    }

    // Any selector and verifier make a token that round-trips through text.
    let mut bytes = [0u8; SELECTOR_LEN + 32];
    for (b, d) in bytes.iter_mut().zip(data.iter().rev()) {
        *b = *d;
    }
    let (selector, verifier) = bytes.split_at(SELECTOR_LEN);
    let token = ResetToken::from_parts(
        selector.try_into().expect("selector length"),
        verifier.try_into().expect("verifier length"),
    );
    let printed = token.to_text();
    let parsed = ResetToken::parse(&printed).expect("a printed token parses");
    assert_eq!(parsed.selector(), token.selector());
    assert_eq!(parsed.verifier(), token.verifier());

    // A link built from a valid base carries any token text back out unchanged.
    for placement in [LinkPlacement::Query, LinkPlacement::Fragment] {
        let Ok(links) = ResetLinks::new(&base, placement) else {
            continue;
        };
        assert!(links.base().starts_with("https://"), "{}", links.base());
        for carried in [printed.as_str(), text.as_ref()] {
            let link = links.build(carried);
            let extracted = ResetLinks::extract_token(&link);
            if carried.is_empty() {
                // A link with nothing after `token=` is a truncated paste, refused by name.
                assert!(extracted.is_err(), "{link:?} carries an empty token");
                continue;
            }
            let back = extracted.unwrap_or_else(|e| panic!("{link:?} built for {carried:?}: {e}"));
            assert_eq!(back, carried, "the link {link:?} gives back its token");
        }
    }
}
