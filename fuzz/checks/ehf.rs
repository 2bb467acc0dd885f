//! EHF reading: an e-invoice arrives from any sender on the PEPPOL network. The reader
//! must refuse what it cannot carry with an error (never a panic), and what it reads must
//! be a faithful model: writing it back and reading again gives the same document.
//!
//! Input: the XML text.

use tillit::ehf::{self, EhfError, ReadOptions};

use super::json::{check_document, totals};

pub fn check(data: &[u8]) {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = ehf::read(xml, &ReadOptions::default());
    let strict = ehf::read(xml, &ReadOptions { strict: true });

    // Strict reading accepts a subset of what lenient reading accepts, with nothing skipped.
    if let Ok(s) = &strict {
        assert!(
            s.ignored.is_empty(),
            "strict reading skipped {:?}",
            s.ignored
        );
        let l = lenient.as_ref().expect("lenient reads what strict reads");
        assert_eq!(l.document, s.document);
        assert_eq!(l.attachments, s.attachments);
    }
    let outcome = match lenient {
        Ok(outcome) => outcome,
        Err(err) => {
            assert!(!err.to_string().is_empty());
            return;
        }
    };

    // The reader checked the stated totals against the lines, so the totals compute.
    assert!(
        totals(&outcome.document).is_some(),
        "a document that was read has totals"
    );
    check_document(&outcome.document);

    // Written back and read again, the document is unchanged.
    match ehf::document_to_ehf(&outcome.document, &outcome.attachments) {
        Ok(again) => {
            let second = ehf::read(&again, &ReadOptions { strict: true })
                .unwrap_or_else(|e| panic!("written EHF does not read back: {e}\n{again}"));
            assert_eq!(
                second.document, outcome.document,
                "EHF round trip changed it"
            );
            assert_eq!(second.attachments, outcome.attachments);
        }
        Err(EhfError::Unwritable { .. }) => {}
        Err(e) => panic!("a document that was read fails to write: {e}"),
    }
}
