//! Known-answer tests for retention: every row of `tests/data/retention_vectors.json` (the
//! vectors the Python, Kotlin and C bindings check too), plus the decision paths, errors,
//! erasure, anonymisation and disclosure.

use serde_json::Value;
use tillit::retention::{
    AccountRecord, Action, AttachmentRecord, Buyer, Decision, ErasureTiming, FiscalYear,
    InvoiceRecord, LegalBasis, Period, Product, Reason, Receivable, RecordKind, Requester,
    RetentionError, RetentionPolicy, add_from_event, add_from_fiscal_year_end, disclosure,
};
use time::{Date, Month, macros::date};

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/retention_vectors.json"
    ))
    .expect("the vector file ships with the repository");
    serde_json::from_str(&text).expect("the vector file is valid JSON")
}

fn rows<'a>(vectors: &'a Value, section: &str) -> &'a Vec<Value> {
    vectors[section]
        .as_array()
        .expect("each section is an array")
}

fn date_of(value: &Value) -> Option<Date> {
    let text = value.as_str()?;
    let format = time::format_description::well_known::Iso8601::DATE;
    Some(Date::parse(text, &format).expect("vector dates are ISO 8601"))
}

fn required(value: &Value) -> Date {
    date_of(value).expect("a required date is present")
}

fn number(value: &Value) -> u16 {
    u16::try_from(value.as_u64().expect("a number")).expect("small numbers")
}

fn policy(value: &Value) -> RetentionPolicy {
    RetentionPolicy::preset(value.as_str().expect("a preset name")).expect("a known preset")
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Keep => "keep",
        Action::Notify => "notify",
        Action::Delete => "delete",
        Action::Anonymise => "anonymise",
    }
}

fn reason_name(reason: Reason) -> &'static str {
    match reason {
        Reason::InvoiceRetained => "invoice_retained",
        Reason::InvoiceEligible => "invoice_eligible",
        Reason::AttachmentRetained => "attachment_retained",
        Reason::AttachmentAccountActive => "attachment_account_active",
        Reason::AttachmentNoticeDue => "attachment_notice_due",
        Reason::AttachmentNoticePending => "attachment_notice_pending",
        Reason::AttachmentEligible => "attachment_eligible",
        Reason::AccountActive => "account_active",
        Reason::AccountRetained => "account_retained",
        Reason::AccountInvoicesRetained => "account_invoices_retained",
        Reason::AccountAnonymisable => "account_anonymisable",
        Reason::LegalHold => "legal_hold",
    }
}

fn check(decision: &Decision, expect: &Value, name: &Value) {
    assert_eq!(
        decision.fiscal_year_end,
        date_of(&expect["fiscal_year_end"]),
        "fiscal-year end of {name}"
    );
    assert_eq!(
        decision.retained_through,
        required(&expect["retained_through"]),
        "retained_through of {name}"
    );
    assert_eq!(
        decision.eligible_from,
        required(&expect["eligible_from"]),
        "eligible_from of {name}"
    );
    assert_eq!(
        action_name(decision.action),
        expect["action"],
        "action of {name}"
    );
    assert_eq!(
        reason_name(decision.reason),
        expect["reason"],
        "reason of {name}"
    );
    assert_eq!(
        decision.action_from,
        date_of(&expect["action_from"]),
        "action_from of {name}"
    );
    assert!(!decision.explain().is_empty());
}

fn document(row: &Value) -> InvoiceRecord {
    InvoiceRecord {
        date: required(&row["date"]),
        booking_date: date_of(&row["booking_date"]),
        fiscal_year: FiscalYear::new(u8::try_from(number(&row["end_month"])).expect("a month"))
            .expect("a month"),
        fiscal_year_end: date_of(&row["fiscal_year_end"]),
        legal_hold: row["legal_hold"].as_bool().expect("a flag"),
    }
}

#[test]
fn counting_rules_match_the_vectors() {
    let vectors = vectors();
    let counting = rows(&vectors, "counting");
    assert!(counting.len() >= 30);
    for row in counting {
        let start = required(&row["start"]);
        let period = Period::new(number(&row["years"]), number(&row["months"]));
        let end = match row["rule"].as_str() {
            Some("fiscal_year_end") => add_from_fiscal_year_end(start, period),
            Some("event") => add_from_event(start, period),
            other => panic!("unknown rule {other:?}"),
        };
        assert_eq!(end, Ok(required(&row["end"])), "{row}");
    }
}

#[test]
fn fiscal_year_ends_match_the_vectors() {
    let vectors = vectors();
    for row in rows(&vectors, "fiscal_year_end") {
        let year = FiscalYear::new(u8::try_from(number(&row["end_month"])).expect("a month"))
            .expect("a month");
        assert_eq!(
            year.fiscal_year_end(required(&row["date"])),
            Ok(required(&row["expected"])),
            "{row}"
        );
    }
}

#[test]
fn invoice_decisions_match_the_vectors() {
    let vectors = vectors();
    for row in rows(&vectors, "invoices") {
        let decision = policy(&row["policy"])
            .invoice(&document(row), required(&row["today"]))
            .expect("valid");
        check(&decision, &row["expect"], &row["name"]);
    }
}

#[test]
fn attachment_decisions_match_the_vectors() {
    let vectors = vectors();
    for row in rows(&vectors, "attachments") {
        let mut document_row = row.clone();
        document_row["booking_date"] = Value::Null;
        document_row["fiscal_year_end"] = Value::Null;
        let attachment = AttachmentRecord {
            document: document(&document_row),
            documents_sale: row["documents_sale"].as_bool().expect("a flag"),
            account_active: row["account_active"].as_bool().expect("a flag"),
            notice_sent: date_of(&row["notice_sent"]),
        };
        let decision = policy(&row["policy"])
            .attachment(&attachment, required(&row["today"]))
            .expect("valid");
        check(&decision, &row["expect"], &row["name"]);
    }
}

#[test]
fn account_decisions_match_the_vectors() {
    let vectors = vectors();
    for row in rows(&vectors, "accounts") {
        let account = AccountRecord {
            last_activity: required(&row["last_activity"]),
            active: row["active"].as_bool().expect("a flag"),
            latest_invoice_eligible_from: date_of(&row["latest_invoice_eligible_from"]),
            legal_hold: row["legal_hold"].as_bool().expect("a flag"),
        };
        let decision = policy(&row["policy"])
            .account(&account, required(&row["today"]))
            .expect("valid");
        check(&decision, &row["expect"], &row["name"]);
    }
}

#[test]
fn cutoffs_match_the_vectors() {
    let vectors = vectors();
    for row in rows(&vectors, "cutoffs") {
        let kind = match row["kind"].as_str() {
            Some("invoice") => RecordKind::Invoice,
            Some("attachment") => RecordKind::Attachment,
            Some("sale_attachment") => RecordKind::SaleAttachment,
            Some("account_data") => RecordKind::AccountData,
            other => panic!("unknown kind {other:?}"),
        };
        let cutoff = policy(&row["policy"]).cutoff(kind, required(&row["today"]));
        assert_eq!(cutoff, Ok(required(&row["cutoff"])), "{row}");
    }
}

#[test]
fn cutoff_separates_eligible_from_retained_records() {
    // Every fiscal-year end on or before the cut-off is eligible that day; the next is not.
    let seed = RetentionPolicy::seed();
    for today in [
        date!(2035 - 01 - 01),
        date!(2034 - 12 - 31),
        date!(2031 - 03 - 01),
        date!(2030 - 02 - 28),
    ] {
        for kind in [RecordKind::Invoice, RecordKind::Attachment] {
            let cutoff = seed.cutoff(kind, today).expect("in range");
            let period = seed.period(kind);
            let eligible = add_from_fiscal_year_end(cutoff, period).expect("in range") < today;
            let next_end = FiscalYear::ending_in(Month::January)
                .fiscal_year_end(cutoff.next_day().expect("in range"))
                .expect("in range");
            let next_end = FiscalYear::ending_in(next_end.month())
                .fiscal_year_end(next_end)
                .expect("in range");
            let later_eligible =
                add_from_fiscal_year_end(next_end, period).expect("in range") < today;
            assert!(
                eligible && !later_eligible,
                "{kind:?} on {today}: cut-off {cutoff}"
            );
        }
    }
}

#[test]
fn presets_hold_the_domain_figures() {
    let seed = RetentionPolicy::seed();
    assert_eq!(
        (seed.invoice, seed.attachment, seed.account_data),
        (Period::years(10), Period::new(3, 6), Period::years(10))
    );
    let act = RetentionPolicy::bookkeeping_act();
    assert_eq!(
        (act.invoice, act.attachment, act.sale_attachment),
        (Period::years(5), Period::new(3, 6), Period::years(5))
    );
    assert_eq!(RetentionPolicy::petroleum().invoice, Period::years(15));
    for preset in [
        RetentionPolicy::construction(),
        RetentionPolicy::bank_customer_specifications(),
        RetentionPolicy::real_estate_capital_goods(),
    ] {
        assert_eq!(preset.invoice, Period::years(10), "{}", preset.name);
    }
    assert_eq!(RetentionPolicy::default(), seed);
}

#[test]
fn invalid_policies_and_inputs_are_refused_with_clear_errors() {
    let short = RetentionPolicy {
        invoice: Period::years(4),
        ..RetentionPolicy::seed()
    };
    let error = short
        .invoice(
            &InvoiceRecord::dated(date!(2024 - 01 - 01)),
            date!(2026 - 01 - 01),
        )
        .expect_err("below the minimum");
    assert_eq!(
        error.to_string(),
        "invoice period of 4 years is below the legal minimum of 5 years"
    );
    let long = RetentionPolicy {
        account_data: Period::years(201),
        ..RetentionPolicy::seed()
    };
    assert_eq!(
        long.validate(),
        Err(RetentionError::PeriodTooLong { months: 2412 })
    );
    assert!(RetentionPolicy::preset("forever").is_err());
    assert_eq!(
        FiscalYear::new(13),
        Err(RetentionError::InvalidEndMonth { month: 13 })
    );

    let mut invoice = InvoiceRecord::dated(date!(2024 - 03 - 15));
    invoice.fiscal_year_end = Some(date!(2024 - 12 - 30));
    assert!(matches!(
        RetentionPolicy::seed().invoice(&invoice, date!(2026 - 01 - 01)),
        Err(RetentionError::FiscalYearEndNotMonthEnd { .. })
    ));
    invoice.fiscal_year_end = Some(date!(2024 - 02 - 29));
    assert!(matches!(
        RetentionPolicy::seed().invoice(&invoice, date!(2026 - 01 - 01)),
        Err(RetentionError::FiscalYearEndBeforeDate { .. })
    ));
    invoice.fiscal_year_end = Some(date!(2025 - 12 - 31));
    assert!(matches!(
        RetentionPolicy::seed().invoice(&invoice, date!(2026 - 01 - 01)),
        Err(RetentionError::FiscalYearTooLong { .. })
    ));
    // A short first year ending in the document's own month is fine.
    invoice.fiscal_year_end = Some(date!(2024 - 03 - 31));
    let decision = RetentionPolicy::seed()
        .invoice(&invoice, date!(2026 - 01 - 01))
        .expect("a short first year");
    assert_eq!(decision.retained_through, date!(2034 - 03 - 31));
}

#[test]
fn sentences_name_the_rule_and_dates() {
    let seed = RetentionPolicy::seed();
    let attachment = AttachmentRecord {
        document: InvoiceRecord::dated(date!(2024 - 03 - 15)),
        documents_sale: false,
        account_active: false,
        notice_sent: None,
    };
    let text = seed
        .attachment(&attachment, date!(2028 - 06 - 01))
        .expect("valid")
        .explain();
    assert!(
        text.starts_with("notify:") && text.contains("2028-06-30") && text.contains("2028-07-01"),
        "{text}"
    );
    let account = AccountRecord {
        last_activity: date!(2024 - 02 - 29),
        active: false,
        latest_invoice_eligible_from: None,
        legal_hold: false,
    };
    let text = seed
        .account(&account, date!(2034 - 03 - 01))
        .expect("valid")
        .explain();
    assert!(
        text.starts_with("anonymise:")
            && text.contains("domstolloven § 148")
            && text.contains("2034-02-28"),
        "{text}"
    );
}

#[test]
fn erasure_says_what_goes_now_and_what_later() {
    let seed = RetentionPolicy::seed();
    let old = InvoiceRecord::dated(date!(2013 - 05 - 02));
    let recent = InvoiceRecord::dated(date!(2024 - 03 - 15));
    let attachment = AttachmentRecord {
        document: recent,
        documents_sale: false,
        account_active: true,
        notice_sent: None,
    };
    let answer = seed
        .erasure(&[old, recent], &[attachment], date!(2026 - 12 - 03))
        .expect("valid");
    assert_eq!(answer.invoices[0].timing, ErasureTiming::Now);
    assert_eq!(
        answer.invoices[1].timing,
        ErasureTiming::From(date!(2035 - 01 - 01))
    );
    assert_eq!(answer.attachments[0].timing, ErasureTiming::Open);
    assert_eq!(
        answer.buyer_entry,
        ErasureTiming::From(date!(2035 - 01 - 01))
    );
    assert!(answer.legal_duty.contains("Art. 17(3)(b)") && !answer.complete_now());

    let answer = seed
        .erasure(&[old], &[], date!(2026 - 12 - 03))
        .expect("valid");
    assert!(answer.complete_now());
    let held = InvoiceRecord {
        legal_hold: true,
        ..old
    };
    assert_eq!(
        seed.erasure(&[held], &[], date!(2026 - 12 - 03))
            .expect("valid")
            .buyer_entry,
        ErasureTiming::Open
    );
}

#[test]
fn anonymising_removes_personal_fields_and_keeps_amounts_and_dates() {
    let receivable = Receivable {
        amount: "1460.50".parse().expect("a decimal"),
        currency: *b"NOK",
        issued: date!(2015 - 03 - 01),
        due: date!(2015 - 03 - 15),
        settled: Some(date!(2015 - 03 - 10)),
    };
    let buyer = Buyer {
        id: 42,
        name: "Ola Nordmann".into(),
        address: "Kongens gate 2, 7011 Trondheim".into(),
        identifier: Some("01017012345".into()),
        email: Some("ola@example.no".into()),
        phone: Some("+47 912 34 567".into()),
        notes: "ring etter kl. 16".into(),
        receivables: vec![receivable],
        created: date!(2014 - 11 - 20),
    };
    let anonymised = buyer.anonymise();
    let json = serde_json::to_string(&anonymised).expect("serialisable");
    for personal in ["Ola", "Kongens", "01017012345", "ola@", "912", "ring"] {
        assert!(!json.contains(personal), "{personal} survived: {json}");
    }
    assert_eq!(
        (anonymised.id, anonymised.receivables, anonymised.created),
        (42, vec![receivable], date!(2014 - 11 - 20))
    );
    let product = Product {
        id: 3,
        name: "Konsulenttime Ola".into(),
        description: "for Ola".into(),
        unit_price: "950".parse().expect("a decimal"),
    };
    let product = product.anonymise();
    assert!(
        !serde_json::to_string(&product)
            .expect("serialisable")
            .contains("Ola")
    );
}

#[test]
fn disclosure_needs_a_decision_by_the_authorities() {
    use tillit::retention::DisclosureReason as R;
    let cases = [
        (
            Requester::AccountHolder,
            LegalBasis::None,
            None,
            true,
            R::OwnData,
        ),
        (
            Requester::Accountant,
            LegalBasis::AccountHolderConsent,
            None,
            false,
            R::NoAuthorityDecision,
        ),
        (
            Requester::Auditor,
            LegalBasis::None,
            None,
            false,
            R::NoAuthorityDecision,
        ),
        (
            Requester::TaxAuthority,
            LegalBasis::None,
            None,
            false,
            R::NoAuthorityDecision,
        ),
        (
            Requester::Police,
            LegalBasis::AuthorityDecision,
            Some("  "),
            false,
            R::MissingReference,
        ),
        (
            Requester::Police,
            LegalBasis::AuthorityDecision,
            Some("24-1234 TVI-OTIR"),
            true,
            R::AuthorityDecision,
        ),
        (
            Requester::Other,
            LegalBasis::AuthorityDecision,
            Some("ref"),
            true,
            R::AuthorityDecision,
        ),
    ];
    for (requester, basis, reference, allowed, reason) in cases {
        let decision = disclosure(requester, basis, reference);
        assert_eq!(
            (decision.allowed, decision.reason),
            (allowed, reason),
            "{requester:?} {basis:?}"
        );
        assert!(
            decision
                .explain()
                .starts_with(if allowed { "allowed" } else { "refused" })
        );
    }
}
