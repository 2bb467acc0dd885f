//! Property tests of EHF writing and reading: any invoice or credit note built from random
//! lines, allowances and charges on a valid Norwegian template writes as EHF, reads back
//! strictly with the same lines and totals, and writes again to the same bytes; a line whose
//! item name is blank is refused by name instead of being written.

#[path = "../examples/ehf_corpus/corpus.rs"]
mod corpus;

mod common;

use common::vat_tag;
use proptest::prelude::*;
use rust_decimal::Decimal;
use tillit::ehf::{self, EhfError, ReadOptions};
use tillit::invoice::{AllowanceCharge, CreditNote, Document, Invoice, Line, round_money};
use time::macros::date;

fn line() -> impl Strategy<Value = Line> {
    (
        1i64..100_000,
        0u32..3,
        0i64..10_000_000,
        0u32..3,
        vat_tag(),
        0i64..1000,
        "[A-Za-zÆØÅæøå0-9 <>&\"']{1,30}",
    )
        .prop_map(|(q, qs, p, ps, vat, disc, text)| {
            let mut l = Line::new(text, Decimal::new(q, qs), "EA", Decimal::new(p, ps), vat);
            if disc > 500 {
                l.allowances_charges
                    .push(AllowanceCharge::discount(Decimal::new(disc, 2), "Rabatt"));
            }
            l
        })
}

/// The everyday corpus invoice with its lines, allowances, charges and rounding replaced.
fn invoice() -> impl Strategy<Value = Invoice> {
    (
        prop::collection::vec(line(), 1..20),
        prop::collection::vec((any::<bool>(), 1i64..10_000, vat_tag()), 0..3),
        any::<bool>(),
    )
        .prop_map(|(lines, acs, cash)| {
            let Document::Invoice(mut inv) = corpus::cases()
                .into_iter()
                .find(|c| c.name == "01-basic-nok")
                .expect("the everyday case")
                .document
            else {
                panic!("the everyday case is an invoice")
            };
            inv.lines = lines;
            inv.cash_rounding = cash;
            inv.allowances_charges = acs
                .into_iter()
                .map(|(charge, a, vat)| {
                    let amount = round_money(Decimal::new(a, 2), inv.currency);
                    if charge {
                        AllowanceCharge::document_charge(amount, "Frakt", vat)
                    } else {
                        AllowanceCharge::document_allowance(amount, "Rabatt", vat)
                    }
                })
                .collect();
            inv
        })
}

fn totals(document: &Document) -> tillit::invoice::Totals {
    match document {
        Document::Invoice(i) => i.totals(),
        Document::CreditNote(c) => c.totals(),
    }
    .expect("in range")
}

fn lines(document: &Document) -> Vec<(Decimal, Decimal, String)> {
    let lines = match document {
        Document::Invoice(i) => &i.lines,
        Document::CreditNote(c) => &c.lines,
    };
    lines
        .iter()
        .map(|l| (l.quantity, l.unit_price, l.description.clone()))
        .collect()
}

/// Writes, reads strictly and writes again; returns what was read, or `None` when the
/// writer rightly refused a line whose item name is blank.
fn round_trip(document: &Document) -> Result<Option<Document>, TestCaseError> {
    let blank = lines(document)
        .iter()
        .position(|(_, _, name)| name.trim().is_empty());
    let written = ehf::document_to_ehf(document, &[]);
    if let Some(i) = blank {
        return match written {
            Err(EhfError::Unwritable { field, .. }) => {
                prop_assert_eq!(field, format!("lines[{i}].description"));
                Ok(None)
            }
            other => Err(TestCaseError::fail(format!(
                "a blank item name gave {other:?}"
            ))),
        };
    }
    let xml = written.map_err(|e| TestCaseError::fail(format!("does not write: {e}")))?;
    let read = ehf::read(&xml, &ReadOptions { strict: true })
        .map_err(|e| TestCaseError::fail(format!("does not read back: {e}")))?;
    prop_assert!(read.ignored.is_empty());
    prop_assert_eq!(totals(&read.document), totals(document));
    prop_assert_eq!(lines(&read.document), lines(document));
    let again = ehf::document_to_ehf(&read.document, &read.attachments)
        .map_err(|e| TestCaseError::fail(format!("what was read does not write: {e}")))?;
    prop_assert_eq!(again, xml);
    Ok(Some(read.document))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn invoices_write_and_read_back(inv in invoice()) {
        let Some(read) = round_trip(&Document::Invoice(inv.clone()))? else { return Ok(()) };
        let Document::Invoice(read) = read else { panic!("an invoice reads as an invoice") };
        prop_assert_eq!(read.kid, inv.kid);
        prop_assert_eq!(read.seller.org_number, inv.seller.org_number);
        prop_assert_eq!(read.buyer.org_number, inv.buyer.org_number);
    }

    #[test]
    fn credit_notes_write_and_read_back(inv in invoice()) {
        let credit = CreditNote::full(&inv, "K1", date!(2024 - 03 - 20));
        let Some(read) = round_trip(&Document::CreditNote(credit.clone()))? else { return Ok(()) };
        let Document::CreditNote(read) = read else { panic!("a credit note reads as one") };
        prop_assert_eq!(read.credited, credit.credited);
    }
}
