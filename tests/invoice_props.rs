//! Property tests of the invoice models: totals equal the sum of their parts, a credit note
//! of an invoice negates it, identifiers round-trip, and the models round-trip through their
//! versioned JSON form.

mod common;

use common::vat_tag;
use proptest::prelude::*;
use rust_decimal::Decimal;
use tillit::invoice::{
    AllowanceCharge, CreditNote, Currency, Document, Invoice, Kid, KidAlgorithm, Line, OrgNumber,
    Party, Totals, Versioned, round_money,
};
use time::macros::date;

fn line() -> impl Strategy<Value = Line> {
    (
        -1_000_000i64..1_000_000,
        0u32..4,
        0i64..10_000_000,
        0u32..4,
        vat_tag(),
        0i64..1000,
    )
        .prop_map(|(q, qs, p, ps, vat, disc)| {
            let mut l = Line::new("x", Decimal::new(q, qs), "EA", Decimal::new(p, ps), vat);
            if disc > 500 {
                l.allowances_charges
                    .push(AllowanceCharge::discount(Decimal::new(disc, 2), "d"));
            }
            l
        })
}

fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        Just(Currency::NOK),
        Just(Currency::EUR),
        Just(Currency::JPY)
    ]
}

fn invoice() -> impl Strategy<Value = Invoice> {
    (
        prop::collection::vec(line(), 1..30),
        currency(),
        prop::collection::vec((any::<bool>(), 0i64..100_000, vat_tag()), 0..4),
        any::<bool>(),
    )
        .prop_map(|(lines, cur, acs, cash)| {
            let mut inv = Invoice::new(
                "1",
                date!(2024 - 05 - 01),
                cur,
                Party::new("S"),
                Party::new("B"),
            );
            inv.lines = lines;
            inv.cash_rounding = cash;
            inv.allowances_charges = acs
                .into_iter()
                .map(|(charge, a, vat)| {
                    let amount = round_money(Decimal::new(a, 2), cur);
                    if charge {
                        AllowanceCharge::document_charge(amount, "c", vat)
                    } else {
                        AllowanceCharge::document_allowance(amount, "a", vat)
                    }
                })
                .collect();
            inv
        })
}

proptest! {
    #[test]
    fn totals_equal_the_sum_of_parts(inv in invoice()) {
        let t = inv.totals().expect("in range");
        let sum_lines: Decimal = t.line_amounts.iter().copied().sum();
        prop_assert_eq!(t.line_extension, sum_lines);
        for (l, a) in inv.lines.iter().zip(&t.line_amounts) {
            prop_assert_eq!(*a, l.amount(inv.currency).expect("in range"));
            prop_assert_eq!(round_money(*a, inv.currency), *a);
        }
        prop_assert_eq!(t.tax_exclusive, t.line_extension - t.allowance_total + t.charge_total);
        let taxable: Decimal = t.vat_breakdown.iter().map(|g| g.taxable_amount).sum();
        prop_assert_eq!(taxable, t.tax_exclusive);
        let vat: Decimal = t.vat_breakdown.iter().map(|g| g.vat_amount).sum();
        prop_assert_eq!(t.vat_total, vat);
        for g in &t.vat_breakdown {
            let exact = g.taxable_amount * g.percent / Decimal::ONE_HUNDRED;
            let half_unit = if inv.currency == Currency::JPY { Decimal::new(5, 1) } else { Decimal::new(5, 3) };
            let off = (g.vat_amount - exact).abs();
            prop_assert!(off <= half_unit, "vat {} is off {} from exact", g.vat_amount, off);
        }
        prop_assert_eq!(t.tax_inclusive, t.tax_exclusive + t.vat_total);
        prop_assert_eq!(t.payable, t.tax_inclusive - t.prepaid + t.rounding);
        if inv.cash_rounding {
            prop_assert_eq!(t.payable.fract(), Decimal::ZERO);
            prop_assert!(t.rounding.abs() <= Decimal::new(5, 1));
        } else {
            prop_assert_eq!(t.rounding, Decimal::ZERO);
        }
    }

    #[test]
    fn credit_note_of_an_invoice_negates_it(inv in invoice()) {
        let credit = CreditNote::full(&inv, "K1", date!(2024 - 05 - 02));
        let it = inv.totals().expect("in range");
        let ct = credit.ledger_totals().expect("in range");
        prop_assert_eq!(&ct, &it.negated());
        prop_assert_eq!(ct.payable + it.payable, Decimal::ZERO);
        prop_assert_eq!(ct.vat_total + it.vat_total, Decimal::ZERO);
    }

    #[test]
    fn org_number_round_trip(payload in 10_000_000u32..99_999_999) {
        let p = payload.to_string();
        match OrgNumber::check_digit(&p) {
            Some(c) => {
                let org = OrgNumber::parse(&format!("{p}{c}")).expect("generated is valid");
                prop_assert_eq!(OrgNumber::parse(&org.formatted()).expect("formatted parses"), org);
                for wrong in (0..10).filter(|w| *w != c) {
                    let candidate = format!("{p}{wrong}");
                    prop_assert!(OrgNumber::parse(&candidate).is_err());
                }
            }
            None => for any in 0..10 {
                let candidate = format!("{p}{any}");
                prop_assert!(OrgNumber::parse(&candidate).is_err());
            },
        }
    }

    #[test]
    fn generated_kids_validate(payload in "[0-9]{1,24}", mod11 in any::<bool>()) {
        let alg = if mod11 { KidAlgorithm::Mod11 } else { KidAlgorithm::Mod10 };
        let kid = Kid::generate(&payload, alg).expect("valid payload");
        prop_assert_eq!(Kid::parse(kid.as_str(), alg).expect("validates"), kid);
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = OrgNumber::parse(&s);
        let _ = tillit::invoice::AccountNumber::parse(&s);
        let _ = tillit::invoice::Iban::parse(&s);
        let _ = Kid::parse_any(&s);
        let _ = tillit::invoice::Document::from_json(&s);
    }
}

proptest! {
    #[test]
    fn invoices_round_trip_through_json(inv in invoice(), with_kid in any::<bool>()) {
        let mut inv = inv;
        if with_kid {
            inv.kid = Some(Kid::generate("1234567", KidAlgorithm::Mod11).expect("valid payload"));
        }
        let json = inv.to_json().expect("serialises");
        prop_assert_eq!(&Invoice::from_json(&json).expect("reads back"), &inv);
        let document = Document::from_json(&json).expect("reads as a document");
        prop_assert_eq!(document.to_json().expect("serialises"), json);
    }

    #[test]
    fn credit_notes_and_totals_round_trip_through_json(inv in invoice()) {
        let credit = CreditNote::full(&inv, "K1", date!(2024 - 05 - 02));
        let json = credit.to_json().expect("serialises");
        prop_assert_eq!(&CreditNote::from_json(&json).expect("reads back"), &credit);
        let totals = inv.totals().expect("in range");
        let json = totals.to_json().expect("serialises");
        prop_assert_eq!(Totals::from_json(&json).expect("reads back"), totals);
        for line in &inv.lines {
            prop_assert_eq!(&Line::from_json(&line.to_json().expect("serialises")).expect("reads"), line);
        }
    }
}
