//! The EHF test corpus: invoices and credit notes that together exercise every part of the
//! writer (several VAT rates, zero-rated, exempt, reverse charge and outside-scope lines,
//! credit notes, foreign currencies, allowances and charges, attachments, texts that need
//! escaping). The `ehf_corpus` example writes them for the official validator; the
//! integration tests read every one back.

// Shared by the example, the integration tests and the bench; each uses part of it.
#![allow(dead_code)]

use rust_decimal::Decimal;
use tillit::ehf::Attachment;
use tillit::invoice::{
    Address, AllowanceCharge, AttachmentRef, CreditNote, Currency, Document, Endpoint, Invoice,
    Kid, KidAlgorithm, LegalForm, Line, Party, PaymentTerms, Period, VatCategory, VatTag,
};
use time::Date;
use time::macros::date;

/// One corpus document.
pub struct Case {
    /// File name without extension.
    pub name: &'static str,
    /// The document.
    pub document: Document,
    /// Attachment bytes to embed.
    pub attachments: Vec<Attachment>,
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal literal in the corpus")
}

fn s25() -> VatTag {
    VatTag::standard(d("25"))
}

fn seller(name: &str, org: &str, form: Option<LegalForm>) -> Party {
    let mut p = Party::new(name).with_org_number(org.parse().expect("valid organisation number"));
    p.vat_registered = true;
    p.legal_form = form;
    p.address = Address::norwegian("Storgata 1", "0155", "Oslo");
    p.bank_account = Some("86011117947".parse().expect("valid account"));
    p.contact_name = Some("Ola Nordmann".into());
    p.email = Some("faktura@selger.no".into());
    p.phone = Some("+47 22 33 44 55".into());
    p
}

fn seller_as() -> Party {
    seller("Selger AS", "988077917", Some(LegalForm::As))
}

fn buyer() -> Party {
    let mut p = Party::new("Kjøper AS").with_org_number("923456783".parse().expect("valid"));
    p.address = Address::norwegian("Kirkegata 2", "5003", "Bergen");
    p.vat_registered = true;
    p
}

fn foreign_buyer() -> Party {
    let mut p = Party::new("Köpare AB");
    p.address = Address {
        street: Some("Drottninggatan 5".into()),
        additional_street: None,
        postal_code: Some("111 51".into()),
        city: Some("Stockholm".into()),
        country: "SE".into(),
    };
    p.endpoint = Some(Endpoint {
        scheme: "0007".into(),
        id: "5567321707".into(),
    });
    p.foreign_vat_id = Some("SE556732170701".into());
    p
}

fn invoice(number: &str, issue: Date, currency: Currency, seller: Party, buyer: Party) -> Invoice {
    let mut i = Invoice::new(number, issue, currency, seller, buyer);
    i.delivery_date = Some(issue);
    i.due_date = issue.checked_add(time::Duration::days(14));
    i.buyer_reference = Some("Kari Nordmann".into());
    i
}

fn line(desc: &str, qty: &str, unit: &str, price: &str, vat: VatTag) -> Line {
    Line::new(desc, d(qty), unit, d(price), vat)
}

fn kid(payload: &str, algorithm: KidAlgorithm) -> Kid {
    Kid::generate(payload, algorithm).expect("valid KID payload")
}

/// A tiny valid PDF, enough for a receiver to open.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

fn attachment(id: &str, mime: &str, file: &str) -> AttachmentRef {
    AttachmentRef {
        id: id.into(),
        description: Some(format!("Vedlegg {id}")),
        mime_type: mime.into(),
        file_name: file.into(),
        uri: None,
    }
}

fn case(name: &'static str, document: Document) -> Case {
    Case {
        name,
        document,
        attachments: Vec::new(),
    }
}

/// Every corpus document, each valid under the models' own validation.
#[must_use]
pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();

    // 1. The everyday case: one line at 25 %, KID, bank account, due date.
    let mut i = invoice(
        "10001",
        date!(2024 - 03 - 15),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.lines
        .push(line("Rådgivning", "2", "HUR", "730.25", s25()));
    i.kid = Some(kid("1000100", KidAlgorithm::Mod10));
    out.push(case("01-basic-nok", Document::Invoice(i)));

    // 2. Every Norwegian rate on one invoice.
    let mut i = invoice(
        "10002",
        date!(2024 - 04 - 02),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.lines
        .push(line("Kontorstol", "3", "EA", "1999.00", s25()));
    i.lines.push(line(
        "Matvarer",
        "12.5",
        "KGM",
        "84.90",
        VatTag::standard(d("15")),
    ));
    i.lines.push(line(
        "Persontransport",
        "1",
        "EA",
        "450",
        VatTag::standard(d("12")),
    ));
    i.lines.push(line(
        "Råfisk (torsk)",
        "250",
        "KGM",
        "31.20",
        VatTag::standard(d("11.11")),
    ));
    i.kid = Some(kid("123456789", KidAlgorithm::Mod11));
    out.push(case("02-all-rates", Document::Invoice(i)));

    // 3. Three lines of 0.10: VAT per rate on the sum, not per line.
    let mut i = invoice(
        "10003",
        date!(2024 - 05 - 10),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    for _ in 0..3 {
        i.lines.push(line("Binders", "1", "EA", "0.10", s25()));
    }
    out.push(case("03-vat-per-rate", Document::Invoice(i)));

    // 4. Zero-rated goods beside standard-rated ones.
    let mut i = invoice(
        "10004",
        date!(2024 - 05 - 20),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.lines
        .push(line("Aviser", "100", "EA", "39", VatTag::zero_rated()));
    i.lines.push(line("Frakt", "1", "EA", "250", s25()));
    out.push(case("04-zero-rated", Document::Invoice(i)));

    // 5. Exempt services with the reason, beside standard-rated ones.
    let mut i = invoice(
        "10005",
        date!(2024 - 06 - 03),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    let mut exempt = VatTag::exempt(VatCategory::Exempt, "Utleie av fast eiendom (mval. § 3-11)");
    exempt.exemption_reason_code = Some("VATEX-EU-132".into());
    i.lines
        .push(line("Husleie juni", "1", "MON", "18500", exempt));
    i.lines.push(line("Strøm", "1", "EA", "1240.40", s25()));
    out.push(case("05-exempt", Document::Invoice(i)));

    // 6. Reverse charge: the buyer accounts for the VAT.
    let mut i = invoice(
        "10006",
        date!(2024 - 06 - 14),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    let mut ae = VatTag::exempt(VatCategory::ReverseCharge, "Omvendt avgiftsplikt");
    ae.exemption_reason_code = Some("VATEX-EU-AE".into());
    i.lines
        .push(line("Klimakvoter", "100", "EA", "812.50", ae.clone()));
    i.lines
        .push(line("Gull, investeringsgull", "1", "GRM", "950", ae));
    i.note = Some("Omvendt avgiftsplikt: kjøper beregner merverdiavgift.".into());
    out.push(case("06-reverse-charge", Document::Invoice(i)));

    // 7. Export to Sweden in EUR, free of VAT: no NOK total needed.
    let mut i = invoice(
        "10007",
        date!(2024 - 07 - 01),
        Currency::EUR,
        seller_as(),
        foreign_buyer(),
    );
    i.lines.push(line(
        "Eksport av maskindeler",
        "4",
        "EA",
        "1250.00",
        VatTag::exempt(VatCategory::Export, "Utførsel av varer (mval. § 6-21)"),
    ));
    let mut s = i.seller.clone();
    s.iban = Some("NO9386011117947".parse().expect("valid IBAN"));
    s.bic = Some("DNBANOKK".into());
    i.seller = s;
    out.push(case("07-export-eur", Document::Invoice(i)));

    // 8. EUR with Norwegian VAT: the VAT total in NOK as well.
    let mut i = invoice(
        "10008",
        date!(2024 - 07 - 15),
        Currency::EUR,
        seller_as(),
        buyer(),
    );
    i.lines
        .push(line("Konferansepakke", "3", "EA", "420.00", s25()));
    i.lines
        .push(line("Lunsj", "3", "EA", "35.50", VatTag::standard(d("15"))));
    i.nok_exchange_rate = Some(d("11.6125"));
    out.push(case("08-eur-with-nok-vat", Document::Invoice(i)));

    // 9. USD with VAT.
    let mut i = invoice(
        "10009",
        date!(2024 - 08 - 01),
        Currency::USD,
        seller_as(),
        buyer(),
    );
    i.lines
        .push(line("Programvarelisens", "10", "EA", "99.99", s25()));
    i.nok_exchange_rate = Some(d("10.7843"));
    out.push(case("09-usd", Document::Invoice(i)));

    // 10. JPY has no minor unit: whole amounts throughout.
    let mut i = invoice(
        "10010",
        date!(2024 - 08 - 12),
        Currency::JPY,
        seller_as(),
        buyer(),
    );
    i.lines.push(line("Tørrfisk", "7", "KGM", "4321", s25()));
    i.lines
        .push(line("Tran", "3", "EA", "1999", VatTag::standard(d("15"))));
    i.nok_exchange_rate = Some(d("0.0712"));
    out.push(case("10-jpy", Document::Invoice(i)));

    // 11. Document-level allowances and charges, by amount and by percentage.
    let mut i = invoice(
        "10011",
        date!(2024 - 09 - 02),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.lines
        .push(line("Bordplate eik", "4", "EA", "3450", s25()));
    i.lines.push(line(
        "Kaffe",
        "20",
        "KGM",
        "189.50",
        VatTag::standard(d("15")),
    ));
    i.allowances_charges
        .push(AllowanceCharge::document_charge(d("450"), "Frakt", s25()));
    let mut discount = AllowanceCharge::discount_percent(d("13800"), d("5"), Currency::NOK);
    discount.vat = Some(s25());
    i.allowances_charges.push(discount);
    let mut fee = AllowanceCharge::document_charge(d("35"), "Fakturagebyr", s25());
    fee.reason_code = Some("ABK".into());
    i.allowances_charges.push(fee);
    out.push(case("11-document-allowances-charges", Document::Invoice(i)));

    // 12. Line discounts and surcharges, a price discount and a base quantity.
    let mut i = invoice(
        "10012",
        date!(2024 - 09 - 16),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    let mut l = line("Maling, 10 liter", "6", "EA", "899", s25());
    l.allowances_charges
        .push(AllowanceCharge::discount(d("120"), "Mengderabatt"));
    let mut c = AllowanceCharge::discount(d("75"), "Emballasje");
    c.charge = true;
    l.allowances_charges.push(c);
    i.lines.push(l);
    let mut l = line("Skruer", "1500", "EA", "45", s25());
    l.base_quantity = Some(d("100"));
    l.gross_price = Some(d("52"));
    l.product_id = Some("SKR-4x40".into());
    i.lines.push(l);
    out.push(case(
        "12-line-allowances-price-discount",
        Document::Invoice(i),
    ));

    // 13. Attachments: embedded PDF, CSV and PNG, and one by URI.
    let mut i = invoice(
        "10013",
        date!(2024 - 10 - 01),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.lines.push(line(
        "Konsulenttimer september",
        "37.5",
        "HUR",
        "1150",
        s25(),
    ));
    i.attachments.push(attachment(
        "timeliste",
        "text/csv",
        "timeliste-september.csv",
    ));
    i.attachments.push(attachment(
        "faktura-pdf",
        "application/pdf",
        "faktura-10013.pdf",
    ));
    i.attachments
        .push(attachment("signatur", "image/png", "signatur.png"));
    let mut ext = attachment("kontrakt", "application/pdf", "kontrakt.pdf");
    ext.uri = Some("https://selger.example/kontrakter/kontrakt.pdf?id=7&v=2".into());
    i.attachments.push(ext);
    let attachments = vec![
        Attachment::new(
            "timeliste",
            "dato;timer;beskrivelse\n2024-09-02;7.5;\"Møte; planlegging\"\n",
        ),
        Attachment::new("faktura-pdf", PDF),
        Attachment::new("signatur", PNG),
    ];
    out.push(Case {
        name: "13-attachments",
        document: Document::Invoice(i),
        attachments,
    });

    // 14. Texts that need escaping, non-ASCII, a long description and a carriage return.
    let mut i = invoice(
        "10014",
        date!(2024 - 10 - 15),
        Currency::NOK,
        seller("Bøker & Blekk <Oslo> AS", "934567897", Some(LegalForm::As)),
        buyer(),
    );
    i.note = Some(
        "Takk for handelen! \"Sitat\" & 'apostrof' <tag> ]]> æøå ÆØÅ 🧾\nNy linje\r\nmed CRLF"
            .into(),
    );
    let long: String = "Lang beskrivelse med spesialtegn <&>\"' og æøå. ".repeat(40);
    i.lines.push(line(&long, "1", "EA", "100", s25()));
    let mut l = line(
        "Bok: \"Rust & XML\" <2. utgave>",
        "2",
        "EA",
        "499",
        VatTag::zero_rated(),
    );
    l.note = Some("Merknad med & og < og >".into());
    i.lines.push(l);
    i.buyer_reference = Some("Avd. <Innkjøp> & Logistikk".into());
    i.order_reference = Some("PO-2024/10 \"hast\"".into());
    i.payment_terms = Some(PaymentTerms {
        days: None,
        note: Some("Netto 14 dager; purregebyr etter forfall & renter".into()),
    });
    out.push(case("14-escaping-long-texts", Document::Invoice(i)));

    // 15. A full credit note of invoice 10002.
    let original = match &out[1].document {
        Document::Invoice(i) => i.clone(),
        Document::CreditNote(_) => unreachable!("case 2 is an invoice"),
    };
    let mut cn = CreditNote::full(&original, "K-5001", date!(2024 - 04 - 20));
    cn.reason = Some("Feillevering, hele fakturaen krediteres".into());
    out.push(case("15-credit-note-full", Document::CreditNote(cn)));

    // 16. A partial credit note with a refund due date.
    let original = match &out[0].document {
        Document::Invoice(i) => i.clone(),
        Document::CreditNote(_) => unreachable!("case 1 is an invoice"),
    };
    let mut cn = CreditNote::partial(
        &original,
        "K-5002",
        date!(2024 - 03 - 25),
        vec![line(
            "Rådgivning (kreditert time)",
            "1",
            "HUR",
            "730.25",
            s25(),
        )],
    );
    cn.reason = Some("Én time for mye fakturert".into());
    cn.due_date = Some(date!(2024 - 04 - 08));
    out.push(case("16-credit-note-partial", Document::CreditNote(cn)));

    // 17. A credit note in EUR with the NOK VAT.
    let original = match &out[7].document {
        Document::Invoice(i) => i.clone(),
        Document::CreditNote(_) => unreachable!("case 8 is an invoice"),
    };
    let cn = CreditNote::full(&original, "K-5003", date!(2024 - 07 - 20));
    out.push(case("17-credit-note-eur", Document::CreditNote(cn)));

    // 18. Prepaid amount and whole-krone rounding for cash.
    let mut i = invoice(
        "10018",
        date!(2024 - 11 - 01),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.lines
        .push(line("Sykkelservice", "1", "EA", "1273.33", s25()));
    i.lines.push(line("Slange", "2", "EA", "89.90", s25()));
    i.prepaid_amount = d("500");
    i.cash_rounding = true;
    out.push(case("18-prepaid-cash-rounding", Document::Invoice(i)));

    // 19. An ASA seller with IBAN and BIC, invoicing a Swedish buyer in NOK with VAT.
    let mut s = seller(
        "Fjordkraft Teknologi ASA",
        "976543211",
        Some(LegalForm::Asa),
    );
    s.iban = Some("NO9386011117947".parse().expect("valid IBAN"));
    s.bic = Some("DNBANOKK".into());
    s.legal_name = Some("Fjordkraft Teknologi ASA".into());
    let mut i = invoice(
        "10019",
        date!(2024 - 11 - 11),
        Currency::NOK,
        s,
        foreign_buyer(),
    );
    i.lines
        .push(line("Installasjon i Norge", "8", "HUR", "1450", s25()));
    out.push(case("19-asa-iban-foreign-buyer", Document::Invoice(i)));

    // 20. A NUF seller with a trading name different from the registered name.
    let mut s = seller("Nordic Widgets", "998877660", Some(LegalForm::Nuf));
    s.legal_name = Some("Nordic Widgets Ltd NUF".into());
    let mut i = invoice("10020", date!(2024 - 11 - 20), Currency::NOK, s, buyer());
    i.lines.push(line("Widget", "40", "EA", "125.50", s25()));
    out.push(case("20-nuf-seller", Document::Invoice(i)));

    // 21. Sole proprietorship: not in Foretaksregisteret (control: NO-R-002 fires).
    let s = seller("Hansen Snekkerverksted", "812345672", Some(LegalForm::Enk));
    let mut i = invoice("10021", date!(2024 - 12 - 02), Currency::NOK, s, buyer());
    i.lines
        .push(line("Snekkerarbeid", "12", "HUR", "780", s25()));
    out.push(case("21-enk-control", Document::Invoice(i)));

    // 22. A seller outside the VAT register: category O, no VAT identifiers.
    let mut s = seller("Liten Kunst AS", "911223341", Some(LegalForm::As));
    s.vat_registered = false;
    let mut b = buyer();
    b.vat_registered = false;
    let mut i = invoice("10022", date!(2024 - 12 - 05), Currency::NOK, s, b);
    i.lines.push(line(
        "Maleri, olje på lerret",
        "1",
        "EA",
        "12000",
        VatTag::exempt(
            VatCategory::OutsideScope,
            "Selger er ikke registrert i Merverdiavgiftsregisteret",
        ),
    ));
    out.push(case("22-outside-scope", Document::Invoice(i)));

    // 23. A service period instead of a delivery date, payment terms in days and text,
    //     line periods and order line references.
    let mut i = invoice(
        "10023",
        date!(2025 - 01 - 31),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.delivery_date = None;
    i.due_date = None;
    i.period = Some(Period {
        start: date!(2025 - 01 - 01),
        end: date!(2025 - 01 - 31),
    });
    i.payment_terms = Some(PaymentTerms {
        days: Some(30),
        note: Some("30 dager netto".into()),
    });
    i.order_reference = Some("RAMME-2025".into());
    let mut l = line("Drift og vedlikehold, januar", "1", "MON", "15000", s25());
    l.period = i.period;
    l.order_line_reference = Some("3".into());
    l.accounting_cost = Some("6540".into());
    l.id = Some("A-1".into());
    i.lines.push(l);
    out.push(case("23-period-terms", Document::Invoice(i)));

    // 24. A long invoice: 24 lines across rates (the official validator slows down sharply
    //     with the line count, so the corpus stays at a size it checks in minutes).
    let mut i = invoice(
        "10024",
        date!(2025 - 02 - 10),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    for n in 0..24u32 {
        let vat = match n % 3 {
            0 => s25(),
            1 => VatTag::standard(d("15")),
            _ => VatTag::standard(d("12")),
        };
        let price = Decimal::new(1999 + i64::from(n) * 137, 2);
        i.lines.push(Line::new(
            format!("Vare nr. {n}"),
            Decimal::from(n % 7 + 1),
            "EA",
            price,
            vat,
        ));
    }
    i.kid = Some(kid("100240000", KidAlgorithm::Mod10));
    out.push(case("24-many-lines", Document::Invoice(i)));

    // 25. A credit note of an exempt invoice with an attachment.
    let original = match &out[4].document {
        Document::Invoice(i) => i.clone(),
        Document::CreditNote(_) => unreachable!("case 5 is an invoice"),
    };
    let mut cn = CreditNote::full(&original, "K-5004", date!(2024 - 06 - 10));
    cn.note = Some("Husleie for juni krediteres etter avtale.".into());
    cn.attachments
        .push(attachment("avtale", "application/pdf", "avtale.pdf"));
    out.push(Case {
        name: "25-credit-note-attachment",
        document: Document::CreditNote(cn),
        attachments: vec![Attachment::new("avtale", PDF)],
    });

    // 26. Returns on an invoice: a negative quantity.
    let mut i = invoice(
        "10026",
        date!(2025 - 03 - 03),
        Currency::NOK,
        seller_as(),
        buyer(),
    );
    i.lines.push(line("Ny skjerm", "2", "EA", "3290", s25()));
    i.lines
        .push(line("Retur av skjerm", "-1", "EA", "3290", s25()));
    out.push(case("26-returns", Document::Invoice(i)));

    out
}

/// Whether the corpus document's seller must state "Foretaksregisteret".
#[must_use]
pub fn seller_in_foretaksregisteret(document: &Document) -> bool {
    match document {
        Document::Invoice(i) => i.seller.in_foretaksregisteret(),
        Document::CreditNote(c) => c.seller.in_foretaksregisteret(),
    }
}
