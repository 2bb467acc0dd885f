//! Invoice JSON: the versioned form a service receives from its own front end or an API
//! client. Whatever is accepted must round-trip exactly, carry only valid identifiers, and
//! survive every later step (totals, validation, EHF writing) without a panic; what EHF
//! writes must read back strictly to the same totals and write again to the same bytes.
//!
//! Input: the JSON text.

use tillit::ehf::{self, ReadOptions};
use tillit::invoice::{Document, Kid, Party};

/// The models' totals and the identifiers inside, checked for validity.
pub(crate) fn check_document(doc: &Document) {
    let (seller, buyer, kid) = match doc {
        Document::Invoice(i) => (&i.seller, &i.buyer, i.kid.as_ref()),
        Document::CreditNote(c) => (&c.seller, &c.buyer, None),
    };
    for party in [seller, buyer] {
        check_party(party);
    }
    if let Some(kid) = kid {
        assert_eq!(
            Kid::parse(kid.as_str(), kid.algorithm()).ok().as_ref(),
            Some(kid),
            "a KID in an accepted document is valid"
        );
    }
    let _ = totals(doc);
    let _ = match doc {
        Document::Invoice(i) => i.validate(),
        Document::CreditNote(c) => c.validate(),
    };
}

fn check_party(party: &Party) {
    if let Some(org) = party.org_number {
        assert_eq!(org.to_string().parse().ok(), Some(org));
    }
    if let Some(account) = party.bank_account {
        assert_eq!(account.to_string().parse().ok(), Some(account));
    }
    if let Some(iban) = party.iban {
        assert_eq!(iban.to_string().parse().ok(), Some(iban));
    }
}

pub(crate) fn totals(doc: &Document) -> Option<tillit::invoice::Totals> {
    match doc {
        Document::Invoice(i) => i.totals(),
        Document::CreditNote(c) => c.totals(),
    }
    .ok()
}

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = Document::from_json(text) else {
        return;
    };

    // Exact round trip, and the written form is a fixpoint.
    let json = doc.to_json().expect("an accepted document serialises");
    let again = Document::from_json(&json)
        .unwrap_or_else(|e| panic!("written JSON does not read back: {e}\n{json}"));
    assert_eq!(again, doc, "JSON round trip changed the document");
    assert_eq!(again.to_json().expect("serialises"), json);
    check_document(&doc);

    // What EHF accepts to write reads back strictly with the same totals, and the written
    // form is a fixpoint of reading and writing.
    if let Ok(xml) = ehf::document_to_ehf(&doc, &[]) {
        let read = ehf::read(&xml, &ReadOptions { strict: true })
            .unwrap_or_else(|e| panic!("written EHF does not read back: {e}\n{xml}"));
        assert_eq!(
            totals(&read.document),
            totals(&doc),
            "EHF changed the totals"
        );
        let rewritten = ehf::document_to_ehf(&read.document, &read.attachments)
            .unwrap_or_else(|e| panic!("EHF that was read does not write again: {e}"));
        assert_eq!(rewritten, xml, "EHF writing is not a fixpoint");
    }
}
