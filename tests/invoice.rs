//! Integration tests of the invoice models: the DOMAIN vectors, the official Norwegian
//! PEPPOL example's figures, credit notes, currency, cash rounding, validation, JSON, and
//! dunning.

use rust_decimal::Decimal;
use serde_json::Value;
use tillit::invoice::{
    AccountNumber, Address, AllowanceCharge, AttachmentRef, CreditNote, Currency, DunningPolicy,
    FeeDecision, FeeRefusal, Iban, Invoice, InvoiceError, Kid, KidAlgorithm, LateInterestRate,
    LateInterestTable, LegalForm, Line, OrgNumber, Party, PaymentTerms, VatCategory, VatTag,
    Versioned, late_interest,
};
use time::macros::date;

fn d(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/invoice_vectors.json")).expect("vectors parse")
}

fn peppol_example() -> Invoice {
    Invoice::from_json(include_str!("data/invoice_peppol_no_example.json")).expect("example")
}

fn seller() -> Party {
    let mut p = Party::new("Selger AS").with_org_number("988077917".parse().expect("valid"));
    p.vat_registered = true;
    p.legal_form = Some(LegalForm::As);
    p.address = Address::norwegian("Storgata 1", "0150", "Oslo");
    p.bank_account = Some("86011117947".parse().expect("valid"));
    p
}

fn buyer() -> Party {
    let mut p = Party::new("Kjøper AS");
    p.address = Address::norwegian("Bryggen 2", "5003", "Bergen");
    p
}

fn invoice(lines: Vec<Line>) -> Invoice {
    let mut inv = Invoice::new(
        "2024-0001",
        date!(2024 - 03 - 15),
        Currency::NOK,
        seller(),
        buyer(),
    );
    inv.delivery_date = Some(date!(2024 - 03 - 15));
    inv.payment_terms = Some(PaymentTerms {
        days: Some(14),
        note: None,
    });
    inv.lines = lines;
    inv
}

fn line(qty: &str, price: &str, pct: &str) -> Line {
    Line::new("Item", d(qty), "EA", d(price), VatTag::standard(d(pct)))
}

#[test]
fn check_digit_vectors_from_data_file() {
    let v = vectors();
    for pair in v["org_number_check_digits"].as_array().expect("array") {
        let payload = pair[0].as_str().expect("str");
        let check = u8::try_from(pair[1].as_u64().expect("u64")).expect("digit");
        assert_eq!(OrgNumber::check_digit(payload), Some(check), "{payload}");
    }
    for s in v["org_numbers_valid"].as_array().expect("array") {
        assert!(OrgNumber::parse(s.as_str().expect("str")).is_ok(), "{s}");
    }
    for s in v["org_numbers_invalid"].as_array().expect("array") {
        assert!(OrgNumber::parse(s.as_str().expect("str")).is_err(), "{s}");
    }
    for s in v["accounts_valid"].as_array().expect("array") {
        assert!(
            AccountNumber::parse(s.as_str().expect("str")).is_ok(),
            "{s}"
        );
    }
    for s in v["accounts_invalid"].as_array().expect("array") {
        assert!(
            AccountNumber::parse(s.as_str().expect("str")).is_err(),
            "{s}"
        );
    }
    for pair in v["ibans"].as_array().expect("array") {
        let acc = AccountNumber::parse(pair[0].as_str().expect("str")).expect("valid");
        assert_eq!(acc.to_iban().to_string(), pair[1].as_str().expect("str"));
        assert_eq!(
            Iban::parse(pair[1].as_str().expect("str"))
                .expect("valid")
                .account_number(),
            acc
        );
    }
    for s in v["ibans_invalid"].as_array().expect("array") {
        assert!(Iban::parse(s.as_str().expect("str")).is_err(), "{s}");
    }
    let alg = |s: &Value| match s.as_str() {
        Some("mod10") => KidAlgorithm::Mod10,
        _ => KidAlgorithm::Mod11,
    };
    for k in v["kids"].as_array().expect("array") {
        let kid =
            Kid::generate(k["payload"].as_str().expect("str"), alg(&k["algorithm"])).expect("ok");
        assert_eq!(kid.as_str(), k["kid"].as_str().expect("str"));
        assert!(Kid::parse(kid.as_str(), alg(&k["algorithm"])).is_ok());
    }
    for k in v["kids_invalid"].as_array().expect("array") {
        assert!(
            Kid::parse(k["kid"].as_str().expect("str"), alg(&k["algorithm"])).is_err(),
            "{k}"
        );
    }
}

#[test]
fn vat_vectors_per_rate_not_per_line() {
    for v in vectors()["vat"].as_array().expect("array") {
        let inv = invoice(vec![line(
            "1",
            v["amount"].as_str().expect("str"),
            v["percent"].as_str().expect("str"),
        )]);
        assert_eq!(
            inv.totals().expect("totals").vat_total,
            d(v["vat"].as_str().expect("str")),
            "{v}"
        );
    }
    // Three lines of 0.10 at 25 %: per line it would be 3 × 0.03 = 0.09; per rate it is 0.08.
    let inv = invoice(vec![
        line("1", "0.10", "25"),
        line("1", "0.10", "25"),
        line("1", "0.10", "25"),
    ]);
    assert_eq!(inv.totals().expect("totals").vat_total, d("0.08"));
    // Half away from zero for negative amounts too.
    let inv = invoice(vec![line("-1", "1460.50", "25")]);
    assert_eq!(inv.totals().expect("totals").vat_total, d("-365.13"));
}

#[test]
fn official_norwegian_peppol_example_figures() {
    let inv = peppol_example();
    let t = inv.totals().expect("totals");
    let want = &vectors()["peppol_no_example_totals"];
    let field = |k: &str| d(want[k].as_str().expect("str"));
    assert_eq!(
        t.line_amounts,
        vec![d("1273"), d("-3.96"), d("4.96"), d("-25"), d("187.5")]
    );
    assert_eq!(t.line_extension, field("line_extension"));
    assert_eq!(t.allowance_total, field("allowance_total"));
    assert_eq!(t.charge_total, field("charge_total"));
    assert_eq!(t.tax_exclusive, field("tax_exclusive"));
    assert_eq!(t.vat_total, field("vat_total"));
    assert_eq!(t.tax_inclusive, field("tax_inclusive"));
    assert_eq!(t.prepaid, field("prepaid"));
    assert_eq!(t.rounding, field("rounding"));
    assert_eq!(t.payable, field("payable"));
    let groups = want["vat_breakdown"].as_array().expect("array");
    assert_eq!(t.vat_breakdown.len(), groups.len());
    for (g, w) in t.vat_breakdown.iter().zip(groups) {
        assert_eq!(g.category.code(), w["category"].as_str().expect("str"));
        assert_eq!(g.percent, d(w["percent"].as_str().expect("str")));
        assert_eq!(
            g.taxable_amount,
            d(w["taxable_amount"].as_str().expect("str"))
        );
        assert_eq!(g.vat_amount, d(w["vat_amount"].as_str().expect("str")));
    }
    assert_eq!(
        t.vat_breakdown[2].exemption_reason.as_deref(),
        Some("Exempt New Means of Transport")
    );
    inv.validate()
        .expect("the official example is a valid invoice");
}

/// The official example from `shared/peppol`, looked up in the ancestors of the crate (it
/// is not part of the repository); `None` where it is absent, as in a user's own clone.
fn official_example_xml() -> Option<String> {
    let mut dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared/peppol/Norwegian-example-1.xml");
        if let Ok(text) = std::fs::read_to_string(&candidate) {
            return Some(text);
        }
        if !dir.pop() {
            return None;
        }
    }
}

#[test]
fn example_figures_read_from_the_xml_itself() {
    // Read the totals straight from the official document, so the test fails if our copy
    // of the figures drifts from the source.
    let Some(xml) = official_example_xml() else {
        eprintln!("skipped: shared/peppol/Norwegian-example-1.xml is not present");
        return;
    };
    let totals = &xml[xml
        .find("<cac:LegalMonetaryTotal>")
        .expect("totals element")..];
    let grab = |tag: &str| -> Decimal {
        let start = totals.find(&format!("<cbc:{tag} ")).expect("tag present");
        let rest = &totals[start..];
        let open = rest.find('>').expect("end of open tag") + 1;
        let close = rest.find("</").expect("close tag");
        d(rest[open..close].trim())
    };
    let t = peppol_example().totals().expect("totals");
    assert_eq!(t.line_extension, grab("LineExtensionAmount"));
    assert_eq!(t.tax_exclusive, grab("TaxExclusiveAmount"));
    assert_eq!(t.tax_inclusive, grab("TaxInclusiveAmount"));
    assert_eq!(t.allowance_total, grab("AllowanceTotalAmount"));
    assert_eq!(t.charge_total, grab("ChargeTotalAmount"));
    assert_eq!(t.prepaid, grab("PrepaidAmount"));
    assert_eq!(t.rounding, grab("PayableRoundingAmount"));
    assert_eq!(t.payable, grab("PayableAmount"));
}

#[test]
fn validation_reports_every_problem_with_path_and_rule() {
    let mut inv = invoice(vec![
        line("1", "100", "25"),
        line("1", "100", "25"),
        line("0", "-5", "20"),
    ]);
    inv.number = String::new();
    inv.lines[1].description = " ".into();
    inv.seller.org_number = None;
    inv.due_date = Some(date!(2024 - 03 - 01));
    inv.attachments.push(AttachmentRef {
        id: "a1".into(),
        description: None,
        mime_type: "application/zip".into(),
        file_name: "x.zip".into(),
        uri: None,
    });
    inv.allowances_charges
        .push(AllowanceCharge::discount(d("10.005"), ""));
    let report = inv.validate().expect_err("broken");
    for (path, rule) in [
        ("number", "number-required"),
        ("lines[1].description", "line-description-required"),
        ("lines[2].quantity", "line-quantity-nonzero"),
        ("lines[2].unit_price", "line-price-negative"),
        ("lines[2].vat.percent", "vat-rate-invalid"),
        ("seller.org_number", "seller-org-number-required"),
        ("due_date", "due-date-before-issue"),
        ("attachments[0].mime_type", "attachment-mime-type"),
        ("allowances_charges[0].amount", "amount-decimals"),
        ("allowances_charges[0].reason", "allowance-reason-required"),
        ("allowances_charges[0].vat", "allowance-vat-required"),
    ] {
        assert!(report.has(path, rule), "missing {path} {rule} in {report}");
    }
    assert!(report.problems.len() >= 11);
    let msg = report.to_string();
    assert!(msg.contains("20 % is not a rate of category S"), "{msg}");
}

#[test]
fn every_line_with_an_unlawful_rate_is_reported_and_lawful_rates_depend_on_the_day() {
    // Validation looks each distinct rate up once per document; that must neither hide a
    // repeated unlawful rate nor let a rate lawful on one day pass on another.
    let inv = invoice(vec![
        line("1", "100", "25"),
        line("1", "100", "6"),
        line("1", "100", "25"),
        line("1", "100", "6"),
    ]);
    let report = inv.validate().expect_err("6 % was not a rate in 2024");
    assert!(
        report.has("lines[1].vat.percent", "vat-rate-invalid"),
        "{report}"
    );
    assert!(
        report.has("lines[3].vat.percent", "vat-rate-invalid"),
        "{report}"
    );
    assert!(
        !report.has("lines[0].vat.percent", "vat-rate-invalid"),
        "{report}"
    );
    assert!(
        !report.has("lines[2].vat.percent", "vat-rate-invalid"),
        "{report}"
    );

    // The pandemic low rate of 6 % was lawful in June 2020.
    let mut in_2020 = inv.clone();
    in_2020.issue_date = date!(2020 - 06 - 01);
    in_2020.delivery_date = Some(date!(2020 - 06 - 01));
    in_2020.validate().expect("6 % was lawful on 2020-06-01");
    inv.validate().expect_err("and still not in 2024");
}

#[test]
fn lawful_invoice_passes_and_issues_read_only() {
    let inv = invoice(vec![line("2", "730.25", "25")]);
    inv.validate().expect("valid");
    let issued = inv.clone().issue("2024-0002").expect("issued");
    assert_eq!(issued.number, "2024-0002");
    assert_eq!(issued.totals().expect("totals").payable, d("1825.63"));
}

#[test]
fn vat_rules() {
    // A seller outside the VAT register cannot charge VAT.
    let mut inv = invoice(vec![line("1", "100", "25")]);
    inv.seller.vat_registered = false;
    assert!(
        inv.validate()
            .expect_err("not registered")
            .has("lines[0].vat", "vat-seller-not-registered")
    );
    // Exempt lines need a reason.
    let mut inv = invoice(vec![Line::new(
        "Fish",
        d("1"),
        "KGM",
        d("10"),
        VatTag::new(VatCategory::Exempt, Decimal::ZERO),
    )]);
    assert!(inv.validate().expect_err("no reason").has(
        "lines[0].vat.exemption_reason",
        "vat-exemption-reason-required"
    ));
    inv.lines[0].vat.exemption_reason = Some("Exempt".into());
    inv.validate().expect("valid with reason");
    // Reverse charge needs the buyer's VAT id.
    let inv = invoice(vec![Line::new(
        "Service",
        d("1"),
        "EA",
        d("10"),
        VatTag::exempt(VatCategory::ReverseCharge, "Reverse charge"),
    )]);
    assert!(
        inv.validate()
            .expect_err("no buyer id")
            .has("buyer.org_number", "reverse-charge-buyer-id")
    );
    // Rates by date: 6 % only during the pandemic reduction.
    let mut inv = invoice(vec![line("1", "100", "6")]);
    assert!(inv.validate().is_err());
    inv.issue_date = date!(2021 - 01 - 10);
    inv.delivery_date = Some(inv.issue_date);
    inv.validate().expect("6 % was valid in 2021");
    // 11.11 % for raw fish.
    invoice(vec![line("1", "100", "11.11")])
        .validate()
        .expect("raw fish rate");
}

#[test]
fn due_date_or_terms_required() {
    let mut inv = invoice(vec![line("1", "100", "25")]);
    inv.payment_terms = None;
    assert!(
        inv.validate()
            .expect_err("no terms")
            .has("due_date", "due-date-or-terms-required")
    );
    inv.due_date = Some(date!(2024 - 03 - 29));
    inv.validate().expect("due date given");
    inv.due_date = None;
    inv.payment_terms = Some(PaymentTerms {
        days: Some(10),
        note: None,
    });
    assert_eq!(inv.effective_due_date(), Some(date!(2024 - 03 - 25)));
}

#[test]
fn foreign_currency_states_vat_in_nok() {
    let mut inv = invoice(vec![line("3", "33.33", "25")]);
    inv.currency = Currency::EUR;
    assert!(
        inv.validate()
            .expect_err("no rate")
            .has("nok_exchange_rate", "nok-rate-required")
    );
    inv.nok_exchange_rate = Some(d("11.4567"));
    let t = inv.totals().expect("totals");
    // 99.99 × 25 % = 24.9975 → 25.00 EUR; × 11.4567 = 286.4175 → 286.42 NOK.
    assert_eq!(t.vat_total, d("25.00"));
    assert_eq!(t.vat_total_nok, Some(d("286.42")));
    inv.validate().expect("valid");
}

#[test]
fn currency_minor_units_decide_rounding() {
    let mut inv = invoice(vec![line("3", "333.5", "25")]);
    inv.currency = Currency::JPY;
    inv.nok_exchange_rate = Some(d("0.07"));
    let t = inv.totals().expect("totals");
    // 1000.5 → 1001 yen; VAT 250.25 → 250.
    assert_eq!(t.line_extension, d("1001"));
    assert_eq!(t.vat_total, d("250"));
    let mut bad = inv.clone();
    bad.prepaid_amount = d("0.5");
    assert!(
        bad.validate()
            .expect_err("decimals")
            .has("prepaid_amount", "amount-decimals")
    );
}

#[test]
fn cash_rounding_only_when_asked_and_shown_separately() {
    let mut inv = invoice(vec![line("1", "10.10", "25")]);
    let t = inv.totals().expect("totals");
    assert_eq!((t.payable, t.rounding), (d("12.63"), Decimal::ZERO));
    inv.cash_rounding = true;
    let t = inv.totals().expect("totals");
    assert_eq!(
        (t.tax_inclusive, t.rounding, t.payable),
        (d("12.63"), d("0.37"), d("13"))
    );
    inv.lines[0].unit_price = d("10.00");
    let t = inv.totals().expect("totals");
    // 12.50 rounds half away from zero to 13.
    assert_eq!(
        (t.tax_inclusive, t.rounding, t.payable),
        (d("12.50"), d("0.50"), d("13"))
    );
}

#[test]
fn line_discounts_and_base_quantity() {
    let mut l = line("3", "200", "25");
    l.base_quantity = Some(d("2"));
    l.allowances_charges.push(AllowanceCharge::discount_percent(
        d("300"),
        d("10"),
        Currency::NOK,
    ));
    let inv = invoice(vec![l]);
    // 3 × 200 / 2 = 300, minus 10 % = 270.
    assert_eq!(inv.totals().expect("totals").line_extension, d("270"));
    inv.validate().expect("valid");
    let mut wrong = inv.clone();
    wrong.lines[0].allowances_charges[0].amount = d("31");
    assert!(wrong.validate().expect_err("mismatch").has(
        "lines[0].allowances_charges[0].amount",
        "allowance-percent-mismatch"
    ));
}

#[test]
fn credit_notes() {
    let inv = invoice(vec![line("2", "730.25", "25"), line("1", "99.90", "15")]);
    let full = CreditNote::full(&inv, "K-1", date!(2024 - 03 - 20));
    full.validate_against(&inv).expect("full credit is valid");
    let it = inv.totals().expect("totals");
    assert_eq!(full.ledger_totals().expect("totals"), it.negated());
    assert_eq!(full.ledger_totals().expect("totals").payable, -it.payable);

    let partial = CreditNote::partial(
        &inv,
        "K-2",
        date!(2024 - 03 - 20),
        vec![line("1", "730.25", "25")],
    );
    partial
        .validate_against(&inv)
        .expect("partial credit is valid");
    assert_eq!(partial.totals().expect("totals").payable, d("912.81"));

    // Its own number, never the invoice's.
    let same = CreditNote::full(&inv, inv.number.clone(), date!(2024 - 03 - 20));
    assert!(
        same.validate()
            .expect_err("same number")
            .has("number", "credit-note-own-number")
    );
    // Not more than invoiced.
    let too_much = CreditNote::partial(
        &inv,
        "K-3",
        date!(2024 - 03 - 20),
        vec![line("10", "730.25", "25")],
    );
    assert!(
        too_much
            .validate_against(&inv)
            .expect_err("too much")
            .has("lines", "credit-exceeds-invoice")
    );
    // A reference is required.
    let mut orphan = full.clone();
    orphan.credited.number = String::new();
    assert!(
        orphan
            .validate()
            .expect_err("orphan")
            .has("credited.number", "credited-number-required")
    );
}

#[test]
fn json_round_trips_and_names_bad_fields() {
    let mut inv = peppol_example();
    inv.kid = Some(Kid::generate("1234567890", KidAlgorithm::Mod11).expect("kid"));
    let json = inv.to_json().expect("json");
    assert!(json.starts_with("{\"version\":1,\"invoice\":"));
    assert_eq!(Invoice::from_json(&json).expect("round trip"), inv);
    let credit = CreditNote::full(&inv, "K-9", date!(2013 - 07 - 01));
    assert_eq!(
        CreditNote::from_json(&credit.to_json().expect("json")).expect("round trip"),
        credit
    );

    let mut v: Value = serde_json::from_str(&json).expect("json");
    v["invoice"]["lines"][2]["quantity"] = Value::from("two");
    let e = Invoice::from_json(&v.to_string()).expect_err("bad quantity");
    assert!(
        matches!(&e, InvoiceError::Json { path, .. } if path == "invoice.lines[2].quantity"),
        "{e}"
    );

    let mut v: Value = serde_json::from_str(&json).expect("json");
    v["invoice"]["lines"][0]["quantity"] = Value::from(1.5);
    let e = Invoice::from_json(&v.to_string()).expect_err("float money");
    assert!(e.to_string().contains("invoice.lines[0].quantity"), "{e}");

    let mut v: Value = serde_json::from_str(&json).expect("json");
    v["invoice"]["seller"]["colour"] = Value::from("red");
    let e = Invoice::from_json(&v.to_string()).expect_err("unknown field");
    assert!(
        e.to_string().contains("invoice.seller") && e.to_string().contains("colour"),
        "{e}"
    );

    let mut v: Value = serde_json::from_str(&json).expect("json");
    v["invoice"]
        .as_object_mut()
        .expect("object")
        .remove("currency");
    let e = Invoice::from_json(&v.to_string()).expect_err("missing field");
    assert!(e.to_string().contains("currency"), "{e}");

    let mut v: Value = serde_json::from_str(&json).expect("json");
    v["invoice"]["seller"]["org_number"] = Value::from("988077918");
    let e = Invoice::from_json(&v.to_string()).expect_err("bad org");
    assert!(e.to_string().contains("invoice.seller.org_number"), "{e}");

    let mut v: Value = serde_json::from_str(&json).expect("json");
    v["version"] = Value::from(2);
    assert!(matches!(
        Invoice::from_json(&v.to_string()),
        Err(InvoiceError::JsonVersion { found: 2 })
    ));
    assert!(
        Invoice::from_json("{\"invoice\":{}}")
            .expect_err("no version")
            .to_string()
            .contains("version")
    );
    assert!(Invoice::from_json("[1]").is_err());
    assert!(Invoice::from_json("{\"version\":1,\"credit_note\":{}}").is_err());
}

#[test]
fn reminder_fees() {
    let p = DunningPolicy::default();
    let due = date!(2024 - 01 - 10);
    assert_eq!(
        p.reminder_fee(due, date!(2024 - 01 - 24), &[]),
        FeeDecision::Allowed { max_fee: d("35") }
    );
    assert_eq!(
        p.reminder_fee(due, date!(2024 - 01 - 23), &[]),
        FeeDecision::Refused {
            reason: FeeRefusal::TooEarly {
                earliest: date!(2024 - 01 - 24)
            }
        }
    );
    // 70 kr for claims due before 2020-10-01, 35 kr from that day.
    assert_eq!(
        p.reminder_fee(date!(2020 - 09 - 30), date!(2020 - 10 - 20), &[]),
        FeeDecision::Allowed { max_fee: d("70") }
    );
    assert_eq!(
        p.reminder_fee(date!(2020 - 10 - 01), date!(2020 - 10 - 20), &[]),
        FeeDecision::Allowed { max_fee: d("35") }
    );
    // A second fee 14 days after the first, never a third.
    let first = date!(2024 - 01 - 24);
    assert!(matches!(
        p.reminder_fee(due, date!(2024 - 02 - 01), &[first]),
        FeeDecision::Refused { .. }
    ));
    assert!(matches!(
        p.reminder_fee(due, date!(2024 - 02 - 07), &[first]),
        FeeDecision::Allowed { .. }
    ));
    assert_eq!(
        p.reminder_fee(due, date!(2024 - 06 - 01), &[first, date!(2024 - 02 - 07)]),
        FeeDecision::Refused {
            reason: FeeRefusal::TooMany { max: 2 }
        }
    );
}

#[test]
fn late_interest_across_a_rate_change_and_leap_year() {
    let t = LateInterestTable::norway();
    // 2023-06-20 due, paid 2023-07-10: 10 days at 10.75 % and 10 days at 11.75 %, 365-day year.
    let i = late_interest(
        d("100000"),
        date!(2023 - 06 - 20),
        date!(2023 - 07 - 10),
        &t,
    )
    .expect("interest");
    assert_eq!(i.periods.len(), 2);
    assert_eq!((i.periods[0].days, i.periods[0].percent), (10, d("10.75")));
    assert_eq!((i.periods[1].days, i.periods[1].percent), (10, d("11.75")));
    // 100000 × (0.1075 × 10 + 0.1175 × 10) / 365 = 616.438…
    assert_eq!(i.total, d("616.44"));
    // Across new year into a leap year: 2023-12-31 at /365, 2024-01-01.. at /366.
    let i = late_interest(d("36500"), date!(2023 - 12 - 30), date!(2024 - 01 - 01), &t)
        .expect("interest");
    assert_eq!(
        i.periods.iter().map(|p| p.days_in_year).collect::<Vec<_>>(),
        vec![365, 366]
    );
    // 36500 × 0.1175 / 365 + 36500 × 0.125 / 366 = 11.75 + 12.4658 = 24.22
    assert_eq!(i.total, d("24.22"));
    // Paying on the due date costs nothing.
    assert_eq!(
        late_interest(d("100"), date!(2024 - 01 - 10), date!(2024 - 01 - 10), &t)
            .expect("zero")
            .total,
        Decimal::ZERO
    );
}

#[test]
fn no_interest_on_interest() {
    // Simple interest: one long period equals the sum of its parts computed on the same
    // principal; compounding would make the long period larger.
    let t = LateInterestTable::new(vec![
        LateInterestRate {
            from: date!(2024 - 01 - 01),
            percent: d("12"),
        },
        LateInterestRate {
            from: date!(2024 - 07 - 01),
            percent: d("12"),
        },
        LateInterestRate {
            from: date!(2025 - 01 - 01),
            percent: d("12"),
        },
    ])
    .expect("table");
    let whole = late_interest(d("1000"), date!(2023 - 12 - 31), date!(2025 - 06 - 30), &t)
        .expect("interest");
    // 366 days at 12 % / 366 + 181 days at 12 % / 365 = 120 + 59.51 = 179.51
    assert_eq!(whole.total, d("179.51"));
}

#[test]
fn interest_table_refuses_to_guess() {
    let t = LateInterestTable::norway();
    let e = late_interest(d("100"), date!(2026 - 06 - 01), date!(2026 - 07 - 05), &t)
        .expect_err("unknown");
    assert!(matches!(e, InvoiceError::RateUnknown { date, .. } if date == date!(2026 - 07 - 01)));
    assert!(
        LateInterestTable::new(vec![LateInterestRate {
            from: date!(2024 - 02 - 01),
            percent: d("1")
        }])
        .is_err()
    );
    assert!(
        LateInterestTable::new(vec![
            LateInterestRate {
                from: date!(2024 - 01 - 01),
                percent: d("1")
            },
            LateInterestRate {
                from: date!(2025 - 01 - 01),
                percent: d("1")
            },
        ])
        .is_err()
    );
}

#[test]
fn hostile_amounts_overflow_cleanly() {
    let inv = invoice(vec![line(
        "79228162514264337593543950335",
        "79228162514264337593543950335",
        "25",
    )]);
    assert!(matches!(inv.totals(), Err(InvoiceError::Overflow { .. })));
    assert!(
        inv.validate()
            .expect_err("overflow")
            .has(".", "amount-overflow")
    );
}
