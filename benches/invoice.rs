//! Speed of the invoice module: check-digit validation of identifiers and KIDs, and the
//! totals and validation of a 100-line invoice.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use tillit::invoice::{
    AccountNumber, Address, Currency, Invoice, Kid, KidAlgorithm, Line, OrgNumber, Party,
    PaymentTerms, VatTag,
};
use time::macros::date;

fn hundred_line_invoice() -> Invoice {
    let mut seller = Party::new("Selger AS").with_org_number("988077917".parse().expect("valid"));
    seller.vat_registered = true;
    seller.address = Address::norwegian("Gate 1", "0150", "Oslo");
    let mut buyer = Party::new("Kjøper AS");
    buyer.address = Address::norwegian("Vei 2", "5003", "Bergen");
    let mut inv = Invoice::new("1", date!(2024 - 03 - 15), Currency::NOK, seller, buyer);
    inv.delivery_date = Some(date!(2024 - 03 - 15));
    inv.payment_terms = Some(PaymentTerms { days: Some(14), note: None });
    let rates = [25, 15, 12];
    for i in 0..100i64 {
        inv.lines.push(Line::new(
            format!("Item {i}"),
            Decimal::new(i % 7 + 1, 0),
            "EA",
            Decimal::new(12_345 + i * 17, 2),
            VatTag::standard(Decimal::from(rates[usize::try_from(i % 3).unwrap_or(0)])),
        ));
    }
    inv
}

fn check_digits(c: &mut Criterion) {
    c.bench_function("org_number_parse", |b| {
        b.iter(|| OrgNumber::parse(black_box("988077917")))
    });
    c.bench_function("account_number_parse", |b| {
        b.iter(|| AccountNumber::parse(black_box("86011117947")))
    });
    c.bench_function("kid_mod10_parse", |b| {
        b.iter(|| Kid::parse(black_box("2345676"), KidAlgorithm::Mod10))
    });
    c.bench_function("kid_mod11_generate", |b| {
        b.iter(|| Kid::generate(black_box("1234567890"), KidAlgorithm::Mod11))
    });
}

fn totals(c: &mut Criterion) {
    let inv = hundred_line_invoice();
    c.bench_function("totals_100_lines", |b| b.iter(|| black_box(&inv).totals()));
    c.bench_function("validate_100_lines", |b| b.iter(|| black_box(&inv).validate()));
}

criterion_group!(benches, check_digits, totals);
criterion_main!(benches);
