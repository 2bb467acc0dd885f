//! The EHF writer: an invoice or credit note of the models becomes a UBL 2.1 document in the
//! PEPPOL BIS Billing 3.0 profile, elements in the order the UBL schema prescribes.
//!
//! Totals are not copied from anywhere: they are computed by [`Invoice::totals`], the same
//! EN 16931 arithmetic the official rules check (BR-CO-10 to BR-CO-17), so a document the
//! models accept is written with totals that add up. What EHF cannot carry as it is (no
//! endpoint, a foreign currency without a NOK rate, an attachment without bytes or URI, a
//! character XML cannot hold) is refused with [`EhfError::Unwritable`] naming the field.

use base64::Engine as _;
use rust_decimal::Decimal;
use time::Date;

use crate::invoice::{
    AllowanceCharge, AttachmentRef, CreditNote, Currency, Invoice, InvoiceReference, Kid,
    LegalForm, Line, Party, PaymentTerms, Period, Totals, VatCategory, VatTag,
};

use super::read;
use super::xml::{self, XmlWriter};
use super::{Attachment, CUSTOMIZATION_ID, EhfError, PROFILE_ID};

/// MIME types PEPPOL BIS Billing 3.0 accepts for embedded attachments (BR-CL-24 as
/// restricted by the PEPPOL code lists).
pub(crate) const EMBEDDED_MIME_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
];

/// Payment means code for payment to a bank account (UNCL 4461 `31`), as EHF uses with KID.
pub(crate) const PAYMENT_MEANS_CODE: &str = "31";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invoice,
    CreditNote,
}

impl Kind {
    fn root(self) -> &'static str {
        match self {
            Kind::Invoice => "Invoice",
            Kind::CreditNote => "CreditNote",
        }
    }
    fn namespace(self) -> &'static str {
        match self {
            Kind::Invoice => xml::NS_INVOICE,
            Kind::CreditNote => xml::NS_CREDIT_NOTE,
        }
    }
    fn line(self) -> &'static str {
        match self {
            Kind::Invoice => "cac:InvoiceLine",
            Kind::CreditNote => "cac:CreditNoteLine",
        }
    }
    fn quantity(self) -> &'static str {
        match self {
            Kind::Invoice => "cbc:InvoicedQuantity",
            Kind::CreditNote => "cbc:CreditedQuantity",
        }
    }
}

/// What the writer needs of either document type.
struct Doc<'a> {
    kind: Kind,
    number: &'a str,
    issue_date: Date,
    due_date: Option<Date>,
    delivery_date: Option<Date>,
    period: Option<Period>,
    currency: Currency,
    seller: &'a Party,
    buyer: &'a Party,
    lines: &'a [Line],
    allowances_charges: &'a [AllowanceCharge],
    kid: Option<&'a Kid>,
    payment_terms: Option<&'a PaymentTerms>,
    buyer_reference: Option<&'a str>,
    order_reference: Option<&'a str>,
    note: Option<String>,
    attachments: &'a [AttachmentRef],
    credited: Option<&'a InvoiceReference>,
    totals: Totals,
}

/// Writes an invoice as an EHF UBL `Invoice`, embedding the attachment bytes given (matched
/// to the invoice's attachment references by id).
///
/// # Errors
/// [`EhfError::Unwritable`] naming the field EHF cannot carry as it is, or
/// [`EhfError::Invoice`] when the totals overflow.
///
/// # Examples
///
/// ```
/// # use rust_decimal::Decimal;
/// # use tillit::ehf::{self, Attachment};
/// # use tillit::invoice::{Address, AttachmentRef, Currency, Invoice, Line, Party, VatTag};
/// # use time::macros::date;
/// # let mut seller = Party::new("Selger AS").with_org_number("988077917".parse()?);
/// # seller.vat_registered = true;
/// # seller.address = Address::norwegian("Storgata 1", "0155", "Oslo");
/// # let mut buyer = Party::new("Kjøper AS").with_org_number("123456785".parse()?);
/// # buyer.address = Address::norwegian("Kirkegata 2", "5003", "Bergen");
/// let mut invoice = Invoice::new("1002", date!(2024 - 04 - 02), Currency::NOK, seller, buyer);
/// # invoice.due_date = Some(date!(2024 - 04 - 16));
/// # invoice.delivery_date = Some(date!(2024 - 04 - 02));
/// # invoice.order_reference = Some("PO-7".into());
/// # invoice.lines.push(Line::new("Timer", Decimal::ONE, "HUR", Decimal::from(900),
/// #     VatTag::standard(Decimal::from(25))));
/// invoice.attachments.push(AttachmentRef {
///     id: "timeliste".into(),
///     description: Some("Timeliste mars".into()),
///     mime_type: "text/csv".into(),
///     file_name: "timer.csv".into(),
///     uri: None,
/// });
/// let xml = ehf::write_invoice(&invoice, &[Attachment::new("timeliste", "dato;timer\n")])?;
/// assert!(xml.contains(r#"mimeCode="text/csv" filename="timer.csv">ZGF0bzt0aW1lcgo="#));
///
/// // Without the bytes (and without a URI) the attachment cannot be written.
/// assert!(ehf::write_invoice(&invoice, &[]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_invoice(invoice: &Invoice, attachments: &[Attachment]) -> Result<String, EhfError> {
    let doc = Doc {
        kind: Kind::Invoice,
        number: &invoice.number,
        issue_date: invoice.issue_date,
        due_date: invoice.effective_due_date(),
        delivery_date: invoice.delivery_date,
        period: invoice.period,
        currency: invoice.currency,
        seller: &invoice.seller,
        buyer: &invoice.buyer,
        lines: &invoice.lines,
        allowances_charges: &invoice.allowances_charges,
        kid: invoice.kid.as_ref(),
        payment_terms: invoice.payment_terms.as_ref(),
        buyer_reference: invoice.buyer_reference.as_deref(),
        order_reference: invoice.order_reference.as_deref(),
        note: invoice.note.clone(),
        attachments: &invoice.attachments,
        credited: None,
        totals: invoice.totals()?,
    };
    write(&doc, invoice.nok_exchange_rate.is_some(), attachments)
}

/// Writes a credit note as an EHF UBL `CreditNote`, embedding the attachment bytes given.
///
/// The credit note's reason and note share the one document note EHF allows
/// (PEPPOL-EN16931-R002): the reason first, then the note on a new line. Read back, that
/// note is the credit note's reason.
///
/// # Errors
/// As [`write_invoice`].
pub fn write_credit_note(
    credit_note: &CreditNote,
    attachments: &[Attachment],
) -> Result<String, EhfError> {
    // Limitation: PEPPOL allows one document note, so a credit note's reason and note are
    // joined in it and come back from the reader as the reason alone.
    let note = match (credit_note.reason.as_deref(), credit_note.note.as_deref()) {
        (Some(r), Some(n)) if !r.trim().is_empty() && !n.trim().is_empty() => {
            Some(format!("{r}\n{n}"))
        }
        (Some(r), _) if !r.trim().is_empty() => Some(r.to_owned()),
        (_, n) => n.map(str::to_owned),
    };
    let doc = Doc {
        kind: Kind::CreditNote,
        number: &credit_note.number,
        issue_date: credit_note.issue_date,
        due_date: credit_note.effective_due_date(),
        delivery_date: credit_note.delivery_date,
        period: credit_note.period,
        currency: credit_note.currency,
        seller: &credit_note.seller,
        buyer: &credit_note.buyer,
        lines: &credit_note.lines,
        allowances_charges: &credit_note.allowances_charges,
        kid: None,
        payment_terms: credit_note.payment_terms.as_ref(),
        buyer_reference: credit_note.buyer_reference.as_deref(),
        order_reference: credit_note.order_reference.as_deref(),
        note,
        attachments: &credit_note.attachments,
        credited: Some(&credit_note.credited),
        totals: credit_note.totals()?,
    };
    write(&doc, credit_note.nok_exchange_rate.is_some(), attachments)
}

fn unwritable(field: impl Into<String>, reason: impl Into<String>) -> EhfError {
    EhfError::Unwritable {
        field: field.into(),
        reason: reason.into(),
    }
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// An amount as EHF writes it: never `-0`. Formatted straight into the document.
struct Amount(Decimal);

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_zero() {
            f.write_str("0")
        } else {
            std::fmt::Display::fmt(&self.0, f)
        }
    }
}

/// Refuses what EHF cannot carry before any XML is written, each with the model field.
fn check(doc: &Doc<'_>, has_rate: bool, attachments: &[Attachment]) -> Result<(), EhfError> {
    if doc.number.trim().is_empty() {
        return Err(unwritable(
            "number",
            "EHF needs the document number (BT-1); issue it first",
        ));
    }
    if doc.lines.is_empty() {
        return Err(unwritable("lines", "EHF needs at least one line (BR-16)"));
    }
    if let Some(i) = doc
        .lines
        .iter()
        .position(|l| l.description.trim().is_empty())
    {
        // A name of only spaces would be written, then read back as absent.
        return Err(unwritable(
            format!("lines[{i}].description"),
            "EHF needs the item name of every line (BT-153, BR-25); it is empty",
        ));
    }
    if blank(doc.buyer_reference) && blank(doc.order_reference) {
        return Err(unwritable(
            "buyer_reference",
            "PEPPOL requires a buyer reference or an order reference (PEPPOL-EN16931-R003); \
             set buyer_reference (\"Deres ref.\") or order_reference",
        ));
    }
    for (party, path) in [(doc.seller, "seller"), (doc.buyer, "buyer")] {
        if party.endpoint_or_default().is_none() {
            return Err(unwritable(
                format!("{path}.endpoint"),
                format!(
                    "the {path} needs an e-invoice endpoint (PEPPOL-EN16931-R010/R020): give \
                     an organisation number (scheme 0192) or an endpoint"
                ),
            ));
        }
        if party.name.trim().is_empty() {
            return Err(unwritable(
                format!("{path}.name"),
                "EHF needs the party's name (BR-6, BR-7)",
            ));
        }
    }
    // Limitation: EHF says only "Foretaksregisteret" for an AS, ASA or NUF seller, so a
    // reader tells the form from the registered name's ending; a seller whose name would
    // read back as another form (or none, as with "AS Vinmonopolet") is refused rather than
    // written as a document that does not read back the same.
    let seller = doc.seller;
    if seller.in_foretaksregisteret() && read::legal_form_from_name(seller) != seller.legal_form {
        return Err(unwritable(
            "seller.legal_form",
            format!(
                "EHF carries the seller's registration only as \"Foretaksregisteret\", and a \
                 reader tells {:?} from the registered name's ending; end legal_name (or name) \
                 with the legal form",
                seller.legal_form.unwrap_or(LegalForm::Other)
            ),
        ));
    }
    if !doc.currency.is_nok() && !doc.totals.vat_total.is_zero() && !has_rate {
        return Err(unwritable(
            "nok_exchange_rate",
            format!(
                "a document in {} with VAT must state the VAT total in NOK; give the NOK \
                 exchange rate",
                doc.currency
            ),
        ));
    }
    if doc.kind == Kind::Invoice
        && doc.totals.payable > Decimal::ZERO
        && doc.due_date.is_none()
        && blank(doc.payment_terms.and_then(|t| t.note.as_deref()))
    {
        return Err(unwritable(
            "due_date",
            "an amount due needs a due date or payment terms (BR-CO-25)",
        ));
    }
    for (i, line) in doc.lines.iter().enumerate() {
        if let Some(gross) = line.gross_price
            && gross < line.unit_price
        {
            return Err(unwritable(
                format!("lines[{i}].gross_price"),
                format!(
                    "gross price {gross} is below the net price {}: EHF allows only a price \
                     discount, not a price surcharge (PEPPOL-EN16931-R044)",
                    line.unit_price
                ),
            ));
        }
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        let embedded = attachments.iter().any(|b| b.id == a.id);
        if embedded && !EMBEDDED_MIME_TYPES.contains(&a.mime_type.as_str()) {
            return Err(unwritable(
                format!("attachments[{i}].mime_type"),
                format!(
                    "EHF does not accept embedded {:?}; use one of {}",
                    a.mime_type,
                    EMBEDDED_MIME_TYPES.join(", ")
                ),
            ));
        }
        if embedded && a.file_name.trim().is_empty() {
            return Err(unwritable(
                format!("attachments[{i}].file_name"),
                "an embedded attachment needs a file name (PEPPOL-EN16931-R008)",
            ));
        }
        if !embedded && blank(a.uri.as_deref()) {
            return Err(unwritable(
                format!("attachments[{i}]"),
                format!(
                    "no bytes were supplied for attachment {:?} and it has no URI; pass its \
                     bytes when writing",
                    a.id
                ),
            ));
        }
    }
    if let Some(b) = attachments
        .iter()
        .find(|b| !doc.attachments.iter().any(|a| a.id == b.id))
    {
        return Err(unwritable(
            "attachments",
            format!(
                "bytes were supplied for {:?}, which no attachment reference names",
                b.id
            ),
        ));
    }
    Ok(())
}

/// Finds the first text the document would carry that XML 1.0 cannot hold. Field paths are
/// formatted only for the text that fails, so the common case allocates nothing.
fn check_text(doc: &Doc<'_>) -> Result<(), EhfError> {
    fn bad(field: impl FnOnce() -> String, text: &str) -> Result<(), EhfError> {
        match text.chars().find(|c| !xml::is_xml_char(*c)) {
            Some(c) => Err(unwritable(
                field(),
                format!(
                    "U+{:04X} cannot appear in an XML document; remove it",
                    u32::from(c)
                ),
            )),
            None => Ok(()),
        }
    }
    fn tag(t: &VatTag, path: &dyn Fn() -> String) -> Result<(), EhfError> {
        bad(
            || format!("{}.exemption_reason", path()),
            t.exemption_reason.as_deref().unwrap_or_default(),
        )?;
        bad(path, t.exemption_reason_code.as_deref().unwrap_or_default())
    }
    fn ac(a: &AllowanceCharge, path: &dyn Fn() -> String) -> Result<(), EhfError> {
        bad(
            || format!("{}.reason", path()),
            a.reason.as_deref().unwrap_or_default(),
        )?;
        bad(
            || format!("{}.reason_code", path()),
            a.reason_code.as_deref().unwrap_or_default(),
        )?;
        a.vat
            .as_ref()
            .map_or(Ok(()), |t| tag(t, &|| format!("{}.vat", path())))
    }

    bad(|| "number".into(), doc.number)?;
    for (v, f) in [
        (doc.note.as_deref(), "note"),
        (doc.buyer_reference, "buyer_reference"),
        (doc.order_reference, "order_reference"),
        (
            doc.payment_terms.and_then(|t| t.note.as_deref()),
            "payment_terms.note",
        ),
        (doc.credited.map(|c| c.number.as_str()), "credited.number"),
    ] {
        bad(|| f.into(), v.unwrap_or_default())?;
    }
    for (p, path) in [(doc.seller, "seller"), (doc.buyer, "buyer")] {
        for (v, f) in [
            (Some(p.name.as_str()), "name"),
            (p.legal_name.as_deref(), "legal_name"),
            (p.foreign_vat_id.as_deref(), "foreign_vat_id"),
            (p.address.street.as_deref(), "address.street"),
            (
                p.address.additional_street.as_deref(),
                "address.additional_street",
            ),
            (p.address.postal_code.as_deref(), "address.postal_code"),
            (p.address.city.as_deref(), "address.city"),
            (Some(p.address.country.as_str()), "address.country"),
            (p.contact_name.as_deref(), "contact_name"),
            (p.email.as_deref(), "email"),
            (p.phone.as_deref(), "phone"),
            (p.bic.as_deref(), "bic"),
        ] {
            bad(|| format!("{path}.{f}"), v.unwrap_or_default())?;
        }
        if let Some(e) = &p.endpoint {
            bad(|| format!("{path}.endpoint"), &e.scheme)?;
            bad(|| format!("{path}.endpoint"), &e.id)?;
        }
    }
    for (i, l) in doc.lines.iter().enumerate() {
        for (v, f) in [
            (l.id.as_deref(), "id"),
            (Some(l.description.as_str()), "description"),
            (l.note.as_deref(), "note"),
            (Some(l.unit.as_str()), "unit"),
            (l.product_id.as_deref(), "product_id"),
            (l.accounting_cost.as_deref(), "accounting_cost"),
            (l.order_line_reference.as_deref(), "order_line_reference"),
        ] {
            bad(|| format!("lines[{i}].{f}"), v.unwrap_or_default())?;
        }
        tag(&l.vat, &|| format!("lines[{i}].vat"))?;
        for (j, a) in l.allowances_charges.iter().enumerate() {
            ac(a, &|| format!("lines[{i}].allowances_charges[{j}]"))?;
        }
    }
    for (j, a) in doc.allowances_charges.iter().enumerate() {
        ac(a, &|| format!("allowances_charges[{j}]"))?;
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        for (v, f) in [
            (Some(a.id.as_str()), "id"),
            (a.description.as_deref(), "description"),
            (Some(a.mime_type.as_str()), "mime_type"),
            (Some(a.file_name.as_str()), "file_name"),
            (a.uri.as_deref(), "uri"),
        ] {
            bad(|| format!("attachments[{i}].{f}"), v.unwrap_or_default())?;
        }
    }
    Ok(())
}

fn write(doc: &Doc<'_>, has_rate: bool, attachments: &[Attachment]) -> Result<String, EhfError> {
    check(doc, has_rate, attachments)?;
    check_text(doc)?;

    // Room for the whole document up front: about 3 KiB of header, parties and totals, under
    // 1.5 KiB a line, and the attachments in base64.
    let embedded: usize = attachments
        .iter()
        .map(|a| a.bytes.len() / 3 * 4 + 256)
        .sum();
    let mut w = XmlWriter::with_capacity(3072 + 1536 * doc.lines.len() + embedded);
    let cur = doc.currency.code();
    w.open_with(
        doc.kind.root(),
        &[
            ("xmlns", doc.kind.namespace()),
            ("xmlns:cac", xml::NS_CAC),
            ("xmlns:cbc", xml::NS_CBC),
        ],
    );
    w.leaf("cbc:CustomizationID", CUSTOMIZATION_ID);
    w.leaf("cbc:ProfileID", PROFILE_ID);
    w.leaf("cbc:ID", doc.number);
    w.leaf_display("cbc:IssueDate", &doc.issue_date);
    match doc.kind {
        Kind::Invoice => {
            if let Some(d) = doc.due_date {
                w.leaf_display("cbc:DueDate", &d);
            }
            w.leaf("cbc:InvoiceTypeCode", "380");
        }
        Kind::CreditNote => w.leaf("cbc:CreditNoteTypeCode", "381"),
    }
    w.leaf_opt("cbc:Note", doc.note.as_deref());
    w.leaf("cbc:DocumentCurrencyCode", cur);
    let nok_vat = doc.totals.vat_total_nok.filter(|_| !doc.currency.is_nok());
    if nok_vat.is_some() {
        w.leaf("cbc:TaxCurrencyCode", Currency::NOK.code());
    }
    w.leaf_opt("cbc:BuyerReference", doc.buyer_reference);
    if let Some(p) = doc.period {
        w.open("cac:InvoicePeriod");
        w.leaf_display("cbc:StartDate", &p.start);
        w.leaf_display("cbc:EndDate", &p.end);
        w.close("cac:InvoicePeriod");
    }
    if !blank(doc.order_reference) {
        w.open("cac:OrderReference");
        w.leaf_opt("cbc:ID", doc.order_reference);
        w.close("cac:OrderReference");
    }
    if let Some(c) = doc.credited.filter(|c| !c.number.trim().is_empty()) {
        w.open("cac:BillingReference");
        w.open("cac:InvoiceDocumentReference");
        w.leaf("cbc:ID", &c.number);
        if let Some(d) = c.issue_date {
            w.leaf_display("cbc:IssueDate", &d);
        }
        w.close("cac:InvoiceDocumentReference");
        w.close("cac:BillingReference");
    }
    for a in doc.attachments {
        write_attachment(&mut w, a, attachments.iter().find(|b| b.id == a.id));
    }

    w.open("cac:AccountingSupplierParty");
    write_party(&mut w, doc.seller, true);
    w.close("cac:AccountingSupplierParty");
    w.open("cac:AccountingCustomerParty");
    write_party(&mut w, doc.buyer, false);
    w.close("cac:AccountingCustomerParty");

    if let Some(d) = doc.delivery_date {
        w.open("cac:Delivery");
        w.leaf_display("cbc:ActualDeliveryDate", &d);
        w.close("cac:Delivery");
    }
    write_payment_means(&mut w, doc);
    if let Some(note) = doc
        .payment_terms
        .and_then(|t| t.note.as_deref())
        .filter(|n| !n.trim().is_empty())
    {
        w.open("cac:PaymentTerms");
        w.leaf("cbc:Note", note);
        w.close("cac:PaymentTerms");
    }
    for ac in doc.allowances_charges {
        write_allowance_charge(&mut w, ac, cur, true);
    }
    write_tax_total(&mut w, doc, nok_vat);
    write_monetary_total(&mut w, &doc.totals, cur);
    for (i, line) in doc.lines.iter().enumerate() {
        let amount = doc.totals.line_amounts.get(i).copied().unwrap_or_default();
        write_line(&mut w, doc.kind, i, line, amount, cur);
    }
    w.close(doc.kind.root());
    Ok(w.finish())
}

fn write_attachment(w: &mut XmlWriter, a: &AttachmentRef, bytes: Option<&Attachment>) {
    w.open("cac:AdditionalDocumentReference");
    w.leaf("cbc:ID", &a.id);
    w.leaf_opt("cbc:DocumentDescription", a.description.as_deref());
    w.open("cac:Attachment");
    if let Some(b) = bytes {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&b.bytes);
        w.leaf_with(
            "cbc:EmbeddedDocumentBinaryObject",
            &[
                ("mimeCode", a.mime_type.as_str()),
                ("filename", a.file_name.as_str()),
            ],
            &encoded,
        );
    } else {
        w.open("cac:ExternalReference");
        w.leaf_opt("cbc:URI", a.uri.as_deref());
        w.close("cac:ExternalReference");
    }
    w.close("cac:Attachment");
    w.close("cac:AdditionalDocumentReference");
}

fn write_party(w: &mut XmlWriter, p: &Party, seller: bool) {
    w.open("cac:Party");
    if let Some(e) = p.endpoint_or_default() {
        w.leaf_with("cbc:EndpointID", &[("schemeID", e.scheme.as_str())], &e.id);
    }
    w.open("cac:PartyName");
    w.leaf("cbc:Name", &p.name);
    w.close("cac:PartyName");

    w.open("cac:PostalAddress");
    let a = &p.address;
    w.leaf_opt("cbc:StreetName", a.street.as_deref());
    w.leaf_opt("cbc:AdditionalStreetName", a.additional_street.as_deref());
    w.leaf_opt("cbc:CityName", a.city.as_deref());
    w.leaf_opt("cbc:PostalZone", a.postal_code.as_deref());
    w.open("cac:Country");
    w.leaf("cbc:IdentificationCode", &a.country);
    w.close("cac:Country");
    w.close("cac:PostalAddress");

    let vat_id = p
        .vat_number()
        .map(|v| v.to_string())
        .or_else(|| p.foreign_vat_id.clone().filter(|v| !v.trim().is_empty()));
    if let Some(id) = vat_id {
        tax_scheme(w, &id, "VAT");
    }
    // foretaksregisterloven § 10-2: AS, ASA and NUF state "Foretaksregisteret" (NO-R-002).
    // EN 16931 has the seller's tax registration (BT-32) for it; a buyer has none.
    if seller && p.in_foretaksregisteret() {
        tax_scheme(w, "Foretaksregisteret", "TAX");
    }

    w.open("cac:PartyLegalEntity");
    w.leaf(
        "cbc:RegistrationName",
        p.legal_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&p.name),
    );
    if let Some(org) = p.org_number {
        w.leaf_display_with("cbc:CompanyID", &[("schemeID", "0192")], &org);
    }
    w.close("cac:PartyLegalEntity");

    if !(blank(p.contact_name.as_deref()) && blank(p.phone.as_deref()) && blank(p.email.as_deref()))
    {
        w.open("cac:Contact");
        w.leaf_opt("cbc:Name", p.contact_name.as_deref());
        w.leaf_opt("cbc:Telephone", p.phone.as_deref());
        w.leaf_opt("cbc:ElectronicMail", p.email.as_deref());
        w.close("cac:Contact");
    }
    w.close("cac:Party");
}

fn tax_scheme(w: &mut XmlWriter, company_id: &str, scheme: &str) {
    w.open("cac:PartyTaxScheme");
    w.leaf("cbc:CompanyID", company_id);
    w.open("cac:TaxScheme");
    w.leaf("cbc:ID", scheme);
    w.close("cac:TaxScheme");
    w.close("cac:PartyTaxScheme");
}

/// One payment means per account of the seller: the Norwegian account number for domestic
/// payers, the IBAN (with BIC) for payers abroad, each with the KID.
fn write_payment_means(w: &mut XmlWriter, doc: &Doc<'_>) {
    let s = doc.seller;
    let mut accounts: Vec<(String, Option<&str>)> = Vec::new();
    if let Some(a) = s.bank_account {
        accounts.push((a.to_string(), None));
    }
    if let Some(i) = s.iban {
        accounts.push((
            i.to_string(),
            s.bic.as_deref().filter(|b| !b.trim().is_empty()),
        ));
    }
    // A credit note's due date lives in the payment means (UBL 2.1 CreditNote has no
    // DueDate), so it needs one even without an account.
    let due = doc.due_date.filter(|_| doc.kind == Kind::CreditNote);
    if accounts.is_empty() && (doc.kid.is_some() || due.is_some()) {
        accounts.push((String::new(), None));
    }
    for (account, bic) in accounts {
        w.open("cac:PaymentMeans");
        w.leaf("cbc:PaymentMeansCode", PAYMENT_MEANS_CODE);
        if let Some(d) = due {
            w.leaf_display("cbc:PaymentDueDate", &d);
        }
        if let Some(kid) = doc.kid {
            w.leaf("cbc:PaymentID", kid.as_str());
        }
        if !account.is_empty() {
            w.open("cac:PayeeFinancialAccount");
            w.leaf("cbc:ID", &account);
            if let Some(bic) = bic {
                w.open("cac:FinancialInstitutionBranch");
                w.leaf("cbc:ID", bic);
                w.close("cac:FinancialInstitutionBranch");
            }
            w.close("cac:PayeeFinancialAccount");
        }
        w.close("cac:PaymentMeans");
    }
}

fn write_allowance_charge(w: &mut XmlWriter, ac: &AllowanceCharge, cur: &str, document: bool) {
    w.open("cac:AllowanceCharge");
    w.leaf(
        "cbc:ChargeIndicator",
        if ac.charge { "true" } else { "false" },
    );
    w.leaf_opt("cbc:AllowanceChargeReasonCode", ac.reason_code.as_deref());
    w.leaf_opt("cbc:AllowanceChargeReason", ac.reason.as_deref());
    if let Some(p) = ac.percent {
        w.leaf_display("cbc:MultiplierFactorNumeric", &p);
    }
    w.leaf_display_with("cbc:Amount", &[("currencyID", cur)], &Amount(ac.amount));
    if let Some(b) = ac.base_amount {
        w.leaf_display_with("cbc:BaseAmount", &[("currencyID", cur)], &Amount(b));
    }
    if document && let Some(tag) = &ac.vat {
        tax_category(w, "cac:TaxCategory", tag.category, tag.percent, None);
    }
    w.close("cac:AllowanceCharge");
}

/// A tax category; `reason` is written only where EN 16931 asks for an exemption reason,
/// and the rate is left out for category O, which has none (BR-O-05).
fn tax_category(
    w: &mut XmlWriter,
    element: &str,
    category: VatCategory,
    percent: Decimal,
    reason: Option<(Option<&str>, Option<&str>)>,
) {
    w.open(element);
    w.leaf("cbc:ID", category.code());
    if category != VatCategory::OutsideScope {
        w.leaf_display("cbc:Percent", &percent.normalize());
    }
    if let Some((code, text)) = reason.filter(|_| category.needs_exemption_reason()) {
        w.leaf_opt("cbc:TaxExemptionReasonCode", code);
        w.leaf_opt("cbc:TaxExemptionReason", text);
    }
    w.open("cac:TaxScheme");
    w.leaf("cbc:ID", "VAT");
    w.close("cac:TaxScheme");
    w.close(element);
}

fn write_tax_total(w: &mut XmlWriter, doc: &Doc<'_>, nok_vat: Option<Decimal>) {
    let t = &doc.totals;
    let cur = doc.currency.code();
    w.open("cac:TaxTotal");
    w.leaf_display_with(
        "cbc:TaxAmount",
        &[("currencyID", cur)],
        &Amount(t.vat_total),
    );
    for g in &t.vat_breakdown {
        w.open("cac:TaxSubtotal");
        w.leaf_display_with(
            "cbc:TaxableAmount",
            &[("currencyID", cur)],
            &Amount(g.taxable_amount),
        );
        w.leaf_display_with(
            "cbc:TaxAmount",
            &[("currencyID", cur)],
            &Amount(g.vat_amount),
        );
        let reason = (
            g.exemption_reason_code.as_deref(),
            g.exemption_reason.as_deref(),
        );
        tax_category(w, "cac:TaxCategory", g.category, g.percent, Some(reason));
        w.close("cac:TaxSubtotal");
    }
    w.close("cac:TaxTotal");
    // The VAT in NOK (BT-111) is its own tax total without breakdown (PEPPOL-EN16931-R054).
    if let Some(nok) = nok_vat {
        w.open("cac:TaxTotal");
        w.leaf_display_with(
            "cbc:TaxAmount",
            &[("currencyID", Currency::NOK.code())],
            &Amount(nok),
        );
        w.close("cac:TaxTotal");
    }
}

fn write_monetary_total(w: &mut XmlWriter, t: &Totals, cur: &str) {
    let a = [("currencyID", cur)];
    w.open("cac:LegalMonetaryTotal");
    w.leaf_display_with("cbc:LineExtensionAmount", &a, &Amount(t.line_extension));
    w.leaf_display_with("cbc:TaxExclusiveAmount", &a, &Amount(t.tax_exclusive));
    w.leaf_display_with("cbc:TaxInclusiveAmount", &a, &Amount(t.tax_inclusive));
    if !t.allowance_total.is_zero() {
        w.leaf_display_with("cbc:AllowanceTotalAmount", &a, &Amount(t.allowance_total));
    }
    if !t.charge_total.is_zero() {
        w.leaf_display_with("cbc:ChargeTotalAmount", &a, &Amount(t.charge_total));
    }
    if !t.prepaid.is_zero() {
        w.leaf_display_with("cbc:PrepaidAmount", &a, &Amount(t.prepaid));
    }
    if !t.rounding.is_zero() {
        w.leaf_display_with("cbc:PayableRoundingAmount", &a, &Amount(t.rounding));
    }
    w.leaf_display_with("cbc:PayableAmount", &a, &Amount(t.payable));
    w.close("cac:LegalMonetaryTotal");
}

fn write_line(w: &mut XmlWriter, kind: Kind, i: usize, line: &Line, total: Decimal, cur: &str) {
    let element = kind.line();
    w.open(element);
    match line.id.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(id) => w.leaf("cbc:ID", id),
        None => w.leaf_display("cbc:ID", &(i + 1)),
    }
    w.leaf_opt("cbc:Note", line.note.as_deref());
    w.leaf_display_with(
        kind.quantity(),
        &[("unitCode", line.unit.as_str())],
        &line.quantity,
    );
    w.leaf_display_with(
        "cbc:LineExtensionAmount",
        &[("currencyID", cur)],
        &Amount(total),
    );
    w.leaf_opt("cbc:AccountingCost", line.accounting_cost.as_deref());
    if let Some(p) = line.period {
        w.open("cac:InvoicePeriod");
        w.leaf_display("cbc:StartDate", &p.start);
        w.leaf_display("cbc:EndDate", &p.end);
        w.close("cac:InvoicePeriod");
    }
    if !blank(line.order_line_reference.as_deref()) {
        w.open("cac:OrderLineReference");
        w.leaf_opt("cbc:LineID", line.order_line_reference.as_deref());
        w.close("cac:OrderLineReference");
    }
    for ac in &line.allowances_charges {
        write_allowance_charge(w, ac, cur, false);
    }
    w.open("cac:Item");
    w.leaf("cbc:Name", &line.description);
    if !blank(line.product_id.as_deref()) {
        w.open("cac:SellersItemIdentification");
        w.leaf_opt("cbc:ID", line.product_id.as_deref());
        w.close("cac:SellersItemIdentification");
    }
    tax_category(
        w,
        "cac:ClassifiedTaxCategory",
        line.vat.category,
        line.vat.percent,
        None,
    );
    w.close("cac:Item");

    w.open("cac:Price");
    w.leaf_display_with(
        "cbc:PriceAmount",
        &[("currencyID", cur)],
        &Amount(line.unit_price),
    );
    if let Some(b) = line.base_quantity {
        w.leaf_display_with("cbc:BaseQuantity", &[("unitCode", line.unit.as_str())], &b);
    }
    // A price discount: the gross price and what was taken off it (BT-147, BT-148).
    if let Some(gross) = line.gross_price.filter(|g| *g != line.unit_price) {
        w.open("cac:AllowanceCharge");
        w.leaf("cbc:ChargeIndicator", "false");
        w.leaf_display_with(
            "cbc:Amount",
            &[("currencyID", cur)],
            &Amount(gross - line.unit_price),
        );
        w.leaf_display_with("cbc:BaseAmount", &[("currencyID", cur)], &Amount(gross));
        w.close("cac:AllowanceCharge");
    }
    w.close("cac:Price");
    w.close(element);
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use time::macros::date;

    use super::*;
    use crate::invoice::{Currency, Line, Party, VatTag};

    #[test]
    fn a_blank_item_name_is_refused_not_written() {
        // Found by the EHF round-trip property: " " was written, then read back as missing.
        let mut invoice = Invoice::new(
            "1",
            date!(2024 - 03 - 15),
            Currency::NOK,
            Party::new("Selger AS"),
            Party::new("Kjøper AS"),
        );
        let vat = VatTag::standard(Decimal::from(25));
        invoice.lines.push(Line::new(
            "Stol",
            Decimal::ONE,
            "EA",
            Decimal::TEN,
            vat.clone(),
        ));
        invoice
            .lines
            .push(Line::new(" \t", Decimal::ONE, "EA", Decimal::TEN, vat));
        match write_invoice(&invoice, &[]) {
            Err(EhfError::Unwritable { field, .. }) => assert_eq!(field, "lines[1].description"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_seller_whose_name_hides_its_legal_form_is_refused() {
        // Found by fuzzing: an AS seller named "Selger Aorder_referencS" was written with
        // "Foretaksregisteret", and reading it back could not tell the form.
        let mut invoice = crate::ehf::as_seller_invoice("Selger Handel");
        match write_invoice(&invoice, &[]) {
            Err(EhfError::Unwritable { field, .. }) => assert_eq!(field, "seller.legal_form"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // The same seller with a name that ends in its form is written.
        invoice.seller.legal_name = Some("Selger Handel AS".into());
        if let Err(EhfError::Unwritable { field, .. }) = write_invoice(&invoice, &[]) {
            assert_ne!(field, "seller.legal_form");
        }
    }
}
