//! Integration tests of the EHF writer and reader: every corpus document round-trips through
//! UBL, the Norwegian specifics appear where the rules want them, hostile or unsupported input
//! is refused with the element named, and the official examples in `../shared/peppol` read
//! (or are refused with a reason) when that folder is present.
//!
//! Validity against the official rules themselves is proved by `scripts/test-ehf`, which runs
//! the official validator over the same corpus.

#[path = "../examples/ehf_corpus/corpus.rs"]
mod corpus;

use std::path::PathBuf;

use rust_decimal::Decimal;
use tillit::ehf::{self, Attachment, EhfError, ReadOptions};
use tillit::invoice::{
    CreditNote, Currency, Document, Invoice, LegalForm, Line, Party, Totals, VatTag,
};

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

fn invoice_of(case: &str) -> Invoice {
    let found = corpus::cases()
        .into_iter()
        .find(|c| c.name == case)
        .expect("corpus case");
    match found.document {
        Document::Invoice(i) => i,
        Document::CreditNote(_) => panic!("{case} is a credit note"),
    }
}

fn write(document: &Document, attachments: &[Attachment]) -> String {
    ehf::document_to_ehf(document, attachments).expect("corpus documents are writable")
}

fn totals(document: &Document) -> Totals {
    match document {
        Document::Invoice(i) => i.totals(),
        Document::CreditNote(c) => c.totals(),
    }
    .expect("totals")
}

/// What EHF carries of a model: the same document in the form the reader gives back.
fn normalised(document: &Document, read: &Document) -> Document {
    fn lines(lines: &mut [Line], groups: &Totals) {
        for (n, l) in lines.iter_mut().enumerate() {
            if l.id.as_deref() == Some(&(n + 1).to_string()) {
                l.id = None;
            }
            tag(&mut l.vat, groups);
        }
    }
    fn tag(t: &mut VatTag, groups: &Totals) {
        let g = groups
            .vat_breakdown
            .iter()
            .find(|g| g.category == t.category && g.percent == t.percent)
            .expect("group");
        if t.category.needs_exemption_reason() {
            t.exemption_reason.clone_from(&g.exemption_reason);
            t.exemption_reason_code.clone_from(&g.exemption_reason_code);
        } else {
            t.exemption_reason = None;
            t.exemption_reason_code = None;
        }
    }
    fn party(p: &mut Party) {
        if p.endpoint.is_some()
            && p.endpoint
                == (Party {
                    endpoint: None,
                    ..p.clone()
                })
                .endpoint_or_default()
        {
            p.endpoint = None;
        }
        if p.legal_name.as_deref() == Some(p.name.as_str()) {
            p.legal_name = None;
        }
        if !p.in_foretaksregisteret() {
            p.legal_form = None;
        }
        if p.iban.is_none() {
            p.bic = None;
        }
    }
    let t = totals(document);
    let mut out = document.clone();
    match (&mut out, read) {
        (Document::Invoice(i), Document::Invoice(r)) => {
            i.due_date = i.effective_due_date();
            if let Some(terms) = &mut i.payment_terms {
                terms.days = None;
            }
            if i.payment_terms.as_ref().is_some_and(|t| t.note.is_none()) {
                i.payment_terms = None;
            }
            lines(&mut i.lines, &t);
            for ac in &mut i.allowances_charges {
                if let Some(v) = &mut ac.vat {
                    tag(v, &t);
                }
            }
            party(&mut i.seller);
            party(&mut i.buyer);
            if i.kid.as_ref().map(|k| k.as_str()) == r.kid.as_ref().map(|k| k.as_str()) {
                i.kid.clone_from(&r.kid);
            }
            if i.nok_exchange_rate.is_some()
                && r.totals().expect("t").vat_total_nok == t.vat_total_nok
            {
                i.nok_exchange_rate = r.nok_exchange_rate;
            }
        }
        (Document::CreditNote(c), Document::CreditNote(r)) => {
            c.due_date = c.effective_due_date();
            c.reason = match (c.reason.take(), c.note.take()) {
                (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
                (a, b) => a.or(b),
            };
            if let Some(terms) = &mut c.payment_terms {
                terms.days = None;
            }
            if c.payment_terms.as_ref().is_some_and(|t| t.note.is_none()) {
                c.payment_terms = None;
            }
            lines(&mut c.lines, &t);
            for ac in &mut c.allowances_charges {
                if let Some(v) = &mut ac.vat {
                    tag(v, &t);
                }
            }
            party(&mut c.seller);
            party(&mut c.buyer);
            if c.nok_exchange_rate.is_some()
                && r.totals().expect("t").vat_total_nok == t.vat_total_nok
            {
                c.nok_exchange_rate = r.nok_exchange_rate;
            }
        }
        _ => panic!("document type changed in the round trip"),
    }
    out
}

#[test]
fn corpus_has_at_least_twenty_varied_documents() {
    let cases = corpus::cases();
    assert!(cases.len() >= 20, "{} documents", cases.len());
    let credit_notes = cases
        .iter()
        .filter(|c| matches!(c.document, Document::CreditNote(_)))
        .count();
    assert!(credit_notes >= 3);
    let currencies: std::collections::BTreeSet<&str> = cases
        .iter()
        .map(|c| match &c.document {
            Document::Invoice(i) => i.currency.code(),
            Document::CreditNote(c) => c.currency.code(),
        })
        .collect();
    assert!(currencies.len() >= 4, "{currencies:?}");
}

#[test]
fn every_corpus_document_round_trips() {
    for case in corpus::cases() {
        let xml = write(&case.document, &case.attachments);
        let outcome = ehf::read(&xml, &ReadOptions { strict: true })
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert!(
            outcome.ignored.is_empty(),
            "{}: {:?}",
            case.name,
            outcome.ignored
        );
        let expected = normalised(&case.document, &outcome.document);
        assert_eq!(outcome.document, expected, "{}", case.name);
        assert_eq!(
            totals(&outcome.document),
            totals(&case.document),
            "{}",
            case.name
        );
        assert_eq!(outcome.attachments, case.attachments, "{}", case.name);

        // Writing what was read gives the same bytes: the form is a fixpoint.
        let again = write(&outcome.document, &outcome.attachments);
        assert_eq!(again, xml, "{}", case.name);
    }
}

#[test]
fn writing_is_deterministic() {
    for case in corpus::cases() {
        assert_eq!(
            write(&case.document, &case.attachments),
            write(&case.document, &case.attachments)
        );
    }
}

#[test]
fn norwegian_specifics_are_written() {
    let xml = write(&Document::Invoice(invoice_of("01-basic-nok")), &[]);
    for expected in [
        "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"",
        "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>",
        "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>",
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        "<cbc:EndpointID schemeID=\"0192\">988077917</cbc:EndpointID>",
        "<cbc:EndpointID schemeID=\"0192\">923456783</cbc:EndpointID>",
        "<cbc:CompanyID>NO988077917MVA</cbc:CompanyID>",
        "<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>",
        "<cbc:CompanyID schemeID=\"0192\">988077917</cbc:CompanyID>",
        "<cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>",
        "<cbc:PaymentID>10001006</cbc:PaymentID>",
        "<cbc:ID>86011117947</cbc:ID>",
        "<cbc:DueDate>2024-03-29</cbc:DueDate>",
        "<cbc:BuyerReference>Kari Nordmann</cbc:BuyerReference>",
        "<cbc:TaxAmount currencyID=\"NOK\">365.13</cbc:TaxAmount>",
        "<cbc:PayableAmount currencyID=\"NOK\">1825.63</cbc:PayableAmount>",
    ] {
        assert!(xml.contains(expected), "missing {expected}");
    }
    // "Foretaksregisteret" belongs to the seller only.
    assert_eq!(xml.matches("Foretaksregisteret").count(), 1);
    assert!(
        !xml.contains("cbc:TaxCurrencyCode"),
        "NOK invoices state no tax currency"
    );
}

#[test]
fn foretaksregisteret_only_for_as_asa_nuf() {
    for (case, expected) in [
        ("01-basic-nok", true),
        ("19-asa-iban-foreign-buyer", true),
        ("20-nuf-seller", true),
        ("21-enk-control", false),
    ] {
        let xml = write(&Document::Invoice(invoice_of(case)), &[]);
        assert_eq!(xml.contains("Foretaksregisteret"), expected, "{case}");
    }
}

#[test]
fn vat_breakdown_and_exemption_reasons() {
    let xml = write(&Document::Invoice(invoice_of("05-exempt")), &[]);
    assert!(xml.contains(
        "<cbc:TaxExemptionReason>Utleie av fast eiendom (mval. § 3-11)</cbc:TaxExemptionReason>"
    ));
    assert!(xml.contains("<cbc:TaxExemptionReasonCode>VATEX-EU-132</cbc:TaxExemptionReasonCode>"));
    assert_eq!(xml.matches("<cac:TaxSubtotal>").count(), 2);

    let xml = write(&Document::Invoice(invoice_of("06-reverse-charge")), &[]);
    assert!(xml.contains("<cbc:ID>AE</cbc:ID>"));
    assert!(xml.contains("<cbc:TaxExemptionReasonCode>VATEX-EU-AE</cbc:TaxExemptionReasonCode>"));

    // Zero-rated has no exemption reason (BR-Z-10).
    let xml = write(&Document::Invoice(invoice_of("04-zero-rated")), &[]);
    assert!(xml.contains("<cbc:ID>Z</cbc:ID>"));
    assert!(!xml.contains("TaxExemptionReason"));

    // Outside scope: no rate (BR-O-05) and no VAT identifiers (BR-O-02).
    let xml = write(&Document::Invoice(invoice_of("22-outside-scope")), &[]);
    assert!(xml.contains("<cbc:ID>O</cbc:ID>"));
    assert!(!xml.contains("<cbc:Percent>"));
    assert!(!xml.contains("MVA</cbc:CompanyID>"));
}

#[test]
fn foreign_currency_states_vat_in_nok() {
    let invoice = invoice_of("08-eur-with-nok-vat");
    let t = invoice.totals().expect("totals");
    let nok = t.vat_total_nok.expect("NOK total");
    let xml = write(&Document::Invoice(invoice.clone()), &[]);
    assert!(xml.contains("<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"));
    assert!(xml.contains("<cbc:TaxCurrencyCode>NOK</cbc:TaxCurrencyCode>"));
    assert!(xml.contains(&format!(
        "<cbc:TaxAmount currencyID=\"NOK\">{nok}</cbc:TaxAmount>"
    )));

    // Without the rate a foreign-currency invoice with VAT cannot be written.
    let mut no_rate = invoice;
    no_rate.nok_exchange_rate = None;
    let err = ehf::to_ehf(&no_rate).expect_err("needs the NOK rate");
    assert!(
        matches!(&err, EhfError::Unwritable { field, .. } if field == "nok_exchange_rate"),
        "{err}"
    );
}

#[test]
fn jpy_amounts_have_no_decimals() {
    let xml = write(&Document::Invoice(invoice_of("10-jpy")), &[]);
    // 7 × 4321 = 30247 at 25 % and 3 × 1999 = 5997 at 15 %.
    assert!(
        xml.contains("<cbc:LineExtensionAmount currencyID=\"JPY\">36244</cbc:LineExtensionAmount>")
    );
    assert!(
        xml.contains("<cbc:TaxAmount currencyID=\"JPY\">8462</cbc:TaxAmount>"),
        "{xml}"
    );
}

#[test]
fn credit_notes_use_the_credit_note_vocabulary() {
    let case = corpus::cases()
        .into_iter()
        .find(|c| c.name == "16-credit-note-partial")
        .expect("case");
    let xml = write(&case.document, &[]);
    for expected in [
        "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"",
        "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        "<cac:InvoiceDocumentReference>",
        "<cbc:ID>10001</cbc:ID>",
        "<cbc:IssueDate>2024-03-15</cbc:IssueDate>",
        "<cac:CreditNoteLine>",
        "<cbc:CreditedQuantity unitCode=\"HUR\">1</cbc:CreditedQuantity>",
        "<cbc:PaymentDueDate>2024-04-08</cbc:PaymentDueDate>",
        "<cbc:Note>Én time for mye fakturert</cbc:Note>",
    ] {
        assert!(xml.contains(expected), "missing {expected}");
    }
    assert!(
        !xml.contains("<cbc:DueDate>"),
        "UBL 2.1 credit notes have no DueDate"
    );
    assert!(!xml.contains("InvoiceLine"));
}

#[test]
fn texts_are_escaped_and_survive() {
    let invoice = invoice_of("14-escaping-long-texts");
    let xml = write(&Document::Invoice(invoice.clone()), &[]);
    assert!(xml.contains("Bøker &amp; Blekk &lt;Oslo&gt; AS"));
    assert!(xml.contains("]]&gt;"));
    assert!(
        xml.contains("&#13;"),
        "carriage returns are kept as references"
    );
    assert!(!xml.contains("<Oslo>"));
    let Document::Invoice(read) = ehf::from_ehf(&xml).expect("reads") else {
        panic!("invoice")
    };
    assert_eq!(read.note, invoice.note);
    assert_eq!(read.lines[0].description, invoice.lines[0].description);
    assert_eq!(read.seller.name, invoice.seller.name);
}

#[test]
fn attachments_are_embedded_as_base64_and_read_back() {
    let case = corpus::cases()
        .into_iter()
        .find(|c| c.name == "13-attachments")
        .expect("case");
    let xml = write(&case.document, &case.attachments);
    assert!(
        xml.contains("mimeCode=\"application/pdf\" filename=\"faktura-10013.pdf\">JVBERi0xLjQK")
    );
    assert!(xml.contains(
        "<cbc:URI>https://selger.example/kontrakter/kontrakt.pdf?id=7&amp;v=2</cbc:URI>"
    ));
    let outcome = ehf::read(&xml, &ReadOptions::default()).expect("reads");
    assert_eq!(outcome.attachments, case.attachments);
}

#[test]
fn writer_refuses_what_ehf_cannot_carry() {
    let base = invoice_of("01-basic-nok");
    let field = |invoice: &Invoice, attachments: &[Attachment]| match ehf::write_invoice(
        invoice,
        attachments,
    ) {
        Err(EhfError::Unwritable { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    };

    let mut i = base.clone();
    i.buyer_reference = None;
    assert_eq!(field(&i, &[]), "buyer_reference");

    let mut i = base.clone();
    i.number = String::new();
    assert_eq!(field(&i, &[]), "number");

    let mut i = base.clone();
    i.lines.clear();
    assert_eq!(field(&i, &[]), "lines");

    let mut i = base.clone();
    i.buyer.org_number = None;
    assert_eq!(field(&i, &[]), "buyer.endpoint");

    let mut i = base.clone();
    i.due_date = None;
    assert_eq!(field(&i, &[]), "due_date");

    let mut i = base.clone();
    i.lines[0].gross_price = Some(d("1"));
    assert_eq!(field(&i, &[]), "lines[0].gross_price");

    let mut i = base.clone();
    i.lines[0].description = "nul \u{0} byte".into();
    assert_eq!(field(&i, &[]), "lines[0].description");

    let mut i = base.clone();
    i.attachments.push(tillit::invoice::AttachmentRef {
        id: "a".into(),
        description: None,
        mime_type: "application/pdf".into(),
        file_name: "a.pdf".into(),
        uri: None,
    });
    assert_eq!(field(&i, &[]), "attachments[0]");
    assert_eq!(
        field(&base, &[Attachment::new("nobody", "x")]),
        "attachments"
    );
    i.attachments[0].mime_type = "application/x-msdownload".into();
    assert_eq!(
        field(&i, &[Attachment::new("a", "MZ")]),
        "attachments[0].mime_type"
    );
}

const MINIMAL_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">"#;

fn basic_xml() -> String {
    write(&Document::Invoice(invoice_of("01-basic-nok")), &[])
}

fn read_err(xml: &str) -> EhfError {
    ehf::read(xml, &ReadOptions::default()).expect_err("refused")
}

#[test]
fn reader_names_unsupported_elements() {
    let xml = basic_xml().replace(
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:UUID>x</cbc:UUID>",
    );
    let err = read_err(&xml);
    assert!(
        matches!(&err, EhfError::Unsupported { element, .. } if element == "Invoice/cbc:UUID"),
        "{err}"
    );

    let xml = basic_xml().replace("<cbc:InvoiceTypeCode>380<", "<cbc:InvoiceTypeCode>383<");
    let err = read_err(&xml);
    assert!(
        matches!(&err, EhfError::Unsupported { element, .. } if element == "Invoice/cbc:InvoiceTypeCode"),
        "{err}"
    );

    let xml = basic_xml().replace("<cbc:ID>S</cbc:ID>", "<cbc:ID>L</cbc:ID>");
    let err = read_err(&xml);
    assert!(err.to_string().contains("VAT category \"L\""), "{err}");
    assert!(
        err.to_string().contains("cac:ClassifiedTaxCategory/cbc:ID"),
        "{err}"
    );

    // Another namespace's element is named with its namespace.
    let xml = basic_xml().replace(
        "<cbc:ProfileID>",
        "<x:Extra xmlns:x=\"urn:example\">1</x:Extra><cbc:ProfileID>",
    );
    let err = read_err(&xml);
    assert!(
        err.to_string().contains("Invoice/{urn:example}Extra"),
        "{err}"
    );
}

#[test]
fn reader_refuses_totals_the_lines_do_not_give() {
    let xml = basic_xml().replace(
        "<cbc:PayableAmount currencyID=\"NOK\">1825.63</cbc:PayableAmount>",
        "<cbc:PayableAmount currencyID=\"NOK\">1825.64</cbc:PayableAmount>",
    );
    let err = read_err(&xml);
    assert!(
        matches!(&err, EhfError::TotalsMismatch { element, stated, computed }
            if element == "Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"
                && stated == "1825.64" && computed == "1825.63"),
        "{err}"
    );

    let xml = basic_xml().replace(
        "<cbc:TaxAmount currencyID=\"NOK\">365.13</cbc:TaxAmount>\n    <cac:TaxSubtotal>",
        "<cbc:TaxAmount currencyID=\"NOK\">365.12</cbc:TaxAmount>\n    <cac:TaxSubtotal>",
    );
    let err = read_err(&xml);
    assert!(
        matches!(&err, EhfError::TotalsMismatch { element, .. } if element == "Invoice/cac:TaxTotal/cbc:TaxAmount"),
        "{err}"
    );

    let xml = basic_xml().replace("currencyID=\"NOK\">1460.5", "currencyID=\"SEK\">1460.5");
    let err = read_err(&xml);
    assert!(err.to_string().contains("@currencyID"), "{err}");
}

#[test]
fn reader_refuses_hostile_and_malformed_xml() {
    assert!(matches!(read_err("<Invoice"), EhfError::Xml { .. }));
    assert!(matches!(read_err(""), EhfError::Xml { .. }));
    assert!(matches!(
        read_err(&basic_xml().replace("</cac:Item>", "</cac:Itm>")),
        EhfError::Xml { .. }
    ));

    let bomb = format!(
        "<!DOCTYPE Invoice [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>{}",
        &basic_xml()["<?xml version=\"1.0\" encoding=\"UTF-8\"?>".len()..]
    );
    let err = read_err(&bomb);
    assert!(
        err.to_string().contains("document type declaration"),
        "{err}"
    );

    let deep = format!(
        "{MINIMAL_HEAD}{}{}</Invoice>",
        "<cac:X>".repeat(10_000),
        "</cac:X>".repeat(10_000)
    );
    let err = read_err(&deep);
    assert!(err.to_string().contains("nest deeper"), "{err}");

    let err = read_err("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>");
    assert!(
        matches!(&err, EhfError::Unsupported { element, .. } if element.ends_with("}Order")),
        "{err}"
    );

    let xml = basic_xml().replace(
        "<cbc:IssueDate>2024-03-15</cbc:IssueDate>",
        "<cbc:IssueDate>15.03.2024</cbc:IssueDate>",
    );
    let err = read_err(&xml);
    assert!(
        matches!(&err, EhfError::InvalidValue { element, .. } if element == "Invoice/cbc:IssueDate"),
        "{err}"
    );

    let xml = basic_xml().replace("<cbc:ID>10001</cbc:ID>\n", "");
    let err = read_err(&xml);
    assert!(
        matches!(&err, EhfError::Missing { element, .. } if element == "Invoice/cbc:ID"),
        "{err}"
    );
}

#[test]
fn reader_accepts_other_prefixes() {
    let xml = basic_xml()
        .replace("cbc:", "b:")
        .replace("cac:", "a:")
        .replace("xmlns:cbc=", "xmlns:b=")
        .replace("xmlns:cac=", "xmlns:a=");
    let Document::Invoice(read) = ehf::from_ehf(&xml).expect("reads") else {
        panic!("invoice")
    };
    assert_eq!(read.number, "10001");
}

fn peppol_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("TILLIT_PEPPOL_DIR").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/peppol")),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/peppol")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("Norwegian-example-1.xml").is_file());
    if found.is_none() {
        eprintln!("skipped: the official PEPPOL examples (../shared/peppol) are not present");
    }
    found
}

#[test]
fn official_norwegian_example_reads_and_writes_back() {
    let Some(dir) = peppol_dir() else { return };
    let xml = std::fs::read_to_string(dir.join("Norwegian-example-1.xml")).expect("example");
    let outcome = ehf::read(&xml, &ReadOptions::default()).expect("the Norwegian example reads");
    let Document::Invoice(invoice) = &outcome.document else {
        panic!("an invoice")
    };

    assert_eq!(invoice.number, "TOSL108");
    assert_eq!(invoice.lines.len(), 5);
    assert_eq!(invoice.seller.legal_form, Some(LegalForm::Asa));
    assert!(invoice.seller.vat_registered);
    assert_eq!(
        invoice.seller.iban.map(|i| i.to_string()),
        Some("NO9386011117947".into())
    );
    assert_eq!(invoice.buyer_reference.as_deref(), Some("3150bdn"));
    assert_eq!(invoice.order_reference.as_deref(), Some("123"));
    assert_eq!(invoice.lines[0].gross_price, Some(d("1500")));
    assert_eq!(
        invoice.lines[3].vat.exemption_reason.as_deref(),
        Some("Exempt New Means of Transport")
    );
    let t = invoice.totals().expect("totals");
    assert_eq!(t.vat_total, d("365.28"));
    assert_eq!(t.rounding, d("0.22"));
    assert_eq!(t.payable, d("802.00"));
    assert_eq!(
        outcome.attachments,
        vec![Attachment::new("Doc2", "Test base 64 encoding")]
    );

    // What the models do not carry is listed, never dropped silently.
    let skipped: Vec<&str> = outcome.ignored.iter().map(|i| i.element.as_str()).collect();
    for expected in [
        "Invoice/cac:PayeeParty",
        "Invoice/cac:TaxRepresentativeParty",
        "Invoice/cbc:TaxPointDate",
    ] {
        assert!(skipped.contains(&expected), "{expected} not in {skipped:?}");
    }
    // The payment id is not a valid KID, so it is listed too.
    assert!(
        skipped.iter().any(|s| s.ends_with("cbc:PaymentID")),
        "{skipped:?}"
    );

    // Written back and read again, the document is unchanged.
    let again = ehf::document_to_ehf(&outcome.document, &outcome.attachments).expect("writes");
    let second = ehf::read(&again, &ReadOptions { strict: true }).expect("reads strictly");
    assert_eq!(second.document, outcome.document);
    assert!(again.contains("<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>"));

    // Strict reading refuses the first element it cannot carry, by name.
    let err = ehf::read(&xml, &ReadOptions { strict: true }).expect_err("strict");
    assert!(
        matches!(&err, EhfError::Unsupported { element, .. } if element == "Invoice/cbc:TaxPointDate"),
        "{err}"
    );
}

#[test]
fn other_official_examples_read_or_name_what_is_unsupported() {
    let Some(dir) = peppol_dir() else { return };
    let mut read = 0;
    for name in [
        "base-example.xml",
        "base-creditnote-correction.xml",
        "vat-category-E.xml",
        "vat-category-Z.xml",
        "Allowance-example.xml",
    ] {
        let xml = std::fs::read_to_string(dir.join(name)).expect("example");
        match ehf::read(&xml, &ReadOptions::default()) {
            Ok(outcome) => {
                read += 1;
                let again = match ehf::document_to_ehf(&outcome.document, &outcome.attachments) {
                    Ok(xml) => xml,
                    // A foreign-currency document with VAT and no NOK VAT total reads, but
                    // Norwegian law wants the NOK figure before it is sent again.
                    Err(EhfError::Unwritable { field, .. }) if field == "nok_exchange_rate" => {
                        continue;
                    }
                    Err(e) => panic!("{name} reads but does not write back: {e}"),
                };
                let second = ehf::read(&again, &ReadOptions::default()).expect("reads again");
                assert_eq!(second.document, outcome.document, "{name}");
            }
            Err(
                e @ (EhfError::Unsupported { .. }
                | EhfError::TotalsMismatch { .. }
                | EhfError::InvalidValue { .. }
                | EhfError::Missing { .. }),
            ) => {
                let message = e.to_string();
                assert!(
                    message.contains("Invoice") || message.contains("CreditNote"),
                    "{name}: {message}"
                );
                eprintln!("{name}: refused: {message}");
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
    assert!(read >= 1, "at least one other official example reads");
}

#[test]
fn a_credit_note_reads_as_a_credit_note() {
    let case = corpus::cases()
        .into_iter()
        .find(|c| c.name == "15-credit-note-full")
        .expect("case");
    let xml = write(&case.document, &[]);
    let Document::CreditNote(read): Document = ehf::from_ehf(&xml).expect("reads") else {
        panic!("a credit note")
    };
    let Document::CreditNote(original) = &case.document else {
        panic!("credit note")
    };
    assert_eq!(read.credited, original.credited);
    assert_eq!(read.number, "K-5001");
    assert_eq!(
        read.ledger_totals().expect("t").payable,
        original.ledger_totals().expect("t").payable
    );
    let _: Option<&CreditNote> = None;
    let _ = Currency::NOK;
}
