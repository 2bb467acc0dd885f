//! EHF e-invoices: invoices and credit notes written as UBL 2.1 in the PEPPOL BIS Billing 3.0
//! profile with the Norwegian rules, and read back into the [`crate::invoice`] models.
//!
//! EHF is what Norwegian businesses send each other and the public sector: PEPPOL BIS
//! Billing 3.0, which is the European norm EN 16931 bound to UBL 2.1, plus the Norwegian
//! rules NO-R-001 (the seller's VAT number is `NO` + a valid organisation number + `MVA`) and
//! NO-R-002 ("Foretaksregisteret" for sellers that are AS, ASA or NUF). The writer emits
//! exactly what those rules ask of the models' data:
//!
//! - endpoint and party identifiers with scheme `0192` (Norwegian organisation numbers),
//!   the seller's `NO…MVA` VAT identifier and, for AS/ASA/NUF sellers,
//!   "Foretaksregisteret" as the seller's tax registration;
//! - payment means `31` with the KID as payment id and the bank account or IBAN;
//! - the VAT breakdown per category and rate with exemption reasons where EN 16931 requires
//!   them, and the VAT total in NOK for invoices in another currency;
//! - document and line allowances and charges, price discounts, embedded attachments (bytes
//!   supplied when writing, base64 in the document), buyer and order references, due date
//!   and payment terms.
//!
//! Output is written straight into one pre-sized string, every text and attribute escaped
//! (byte for byte as `quick-xml`'s writer did, which a unit test checks), and it is
//! deterministic: the same document always gives the same bytes. Documents are read with
//! `quick-xml`.
//!
//! The reader maps a UBL `Invoice` or `CreditNote` back into the models. It refuses what the
//! models cannot hold with an [`EhfError`] naming the element (by its path, such as
//! `Invoice/cac:InvoiceLine[2]/cac:Item/cbc:Name`), and it recomputes the totals from the lines
//! and refuses a document whose stated totals differ, so a document read is a document the
//! models agree with. A few informational elements that EN 16931 allows but the models do
//! not carry (for example the payee or tax representative party, item classifications,
//! delivery locations) are skipped by default and listed in [`ReadOutcome::ignored`]; with
//! [`ReadOptions::strict`] they are refused instead.
//!
//! # Examples
//!
//! ```
//! use rust_decimal::Decimal;
//! use tillit::ehf;
//! use tillit::invoice::{Address, Currency, Document, Invoice, LegalForm, Line, Party, VatTag};
//! use time::macros::date;
//!
//! let mut seller = Party::new("Selger AS").with_org_number("988077917".parse()?);
//! seller.vat_registered = true;
//! seller.legal_form = Some(LegalForm::As);
//! seller.address = Address::norwegian("Storgata 1", "0155", "Oslo");
//! seller.bank_account = Some("86011117947".parse()?);
//! let mut buyer = Party::new("Kjøper AS").with_org_number("123456785".parse()?);
//! buyer.address = Address::norwegian("Kirkegata 2", "5003", "Bergen");
//!
//! let mut invoice = Invoice::new("1001", date!(2024 - 03 - 15), Currency::NOK, seller, buyer);
//! invoice.due_date = Some(date!(2024 - 03 - 29));
//! invoice.delivery_date = Some(date!(2024 - 03 - 15));
//! invoice.buyer_reference = Some("Kari Nordmann".into());
//! invoice.lines.push(Line::new("Rådgivning <konsulent>", Decimal::from(2), "HUR",
//!     "730.25".parse()?, VatTag::standard(Decimal::from(25))));
//!
//! let xml = ehf::to_ehf(&invoice)?;
//! assert!(xml.contains("<cbc:CompanyID>NO988077917MVA</cbc:CompanyID>"));
//! assert!(xml.contains("<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>"));
//! assert!(xml.contains("Rådgivning &lt;konsulent&gt;"));
//! assert!(xml.contains(r#"<cbc:PayableAmount currencyID="NOK">1825.63</cbc:PayableAmount>"#));
//!
//! let Document::Invoice(read) = ehf::from_ehf(&xml)? else { panic!("an invoice") };
//! assert_eq!(read.lines, invoice.lines);
//! assert_eq!(read.totals()?, invoice.totals()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod read;
mod write;
mod xml;

use crate::invoice::{CreditNote, Document, Invoice, InvoiceError};

pub use read::{Ignored, ReadOptions, ReadOutcome, read};
pub use write::{write_credit_note, write_invoice};

/// The EN 16931 customization id of PEPPOL BIS Billing 3.0 (BT-24).
pub const CUSTOMIZATION_ID: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";

/// The PEPPOL business process id of billing (BT-23).
pub const PROFILE_ID: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// The bytes of an attachment to embed, matched to an
/// [`AttachmentRef`](crate::invoice::AttachmentRef) of the document by its id.
///
/// The models keep attachments as references because the bytes live in the service's file
/// store; they are supplied when the e-invoice is written and returned when one is read.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The id of the document's attachment reference these bytes belong to.
    pub id: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    // Attachments can be megabytes of PDF: a debug print shows their size, not their bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("id", &self.id)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

impl Attachment {
    /// Bytes for the attachment reference with id `id`.
    #[must_use]
    pub fn new(id: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            id: id.into(),
            bytes: bytes.into(),
        }
    }
}

/// Everything that can go wrong writing or reading EHF.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EhfError {
    /// The document cannot be written as valid EHF; the field says which part of the model.
    #[error("cannot write {field} as EHF: {reason}")]
    Unwritable {
        /// Path of the field in the model (`seller.org_number`, `lines[2].gross_price`).
        field: String,
        /// What is wrong and what would be right.
        reason: String,
    },
    /// The input is not well-formed XML.
    #[error("malformed XML at byte {position}: {reason}")]
    Xml {
        /// Byte offset where the parser stopped.
        position: u64,
        /// What the parser found.
        reason: String,
    },
    /// The document holds an element the models cannot represent.
    #[error("unsupported element {element}: {reason}")]
    Unsupported {
        /// Path of the element (`Invoice/cac:PayeeParty`).
        element: String,
        /// Why it is refused.
        reason: String,
    },
    /// A required element is absent.
    #[error("missing element {element}: {reason}")]
    Missing {
        /// Path of the element that should be there.
        element: String,
        /// What it is for.
        reason: String,
    },
    /// An element or attribute holds a value that does not parse or is not allowed.
    #[error("invalid value {value:?} in {element}: {reason}")]
    InvalidValue {
        /// Path of the element or attribute.
        element: String,
        /// The value found (shortened).
        value: String,
        /// What was expected.
        reason: String,
    },
    /// A total stated in the document differs from the one the lines give.
    #[error(
        "{element} states {stated} but the document's lines and allowances give {computed}; \
         the models compute totals as EN 16931 does, so this document cannot be read faithfully"
    )]
    TotalsMismatch {
        /// Path of the total.
        element: String,
        /// The amount in the document.
        stated: String,
        /// The amount the models compute.
        computed: String,
    },
    /// The invoice models refused a value (an identifier, a currency) or overflowed.
    #[error(transparent)]
    Invoice(#[from] InvoiceError),
}

/// Writes an invoice as an EHF (PEPPOL BIS Billing 3.0) UBL `Invoice` document, with no
/// embedded attachments (references that have a URI are written as external references).
///
/// Use [`write_invoice`] to embed attachment bytes.
///
/// # Errors
/// [`EhfError::Unwritable`] naming the field that EHF cannot carry as it is, or
/// [`EhfError::Invoice`] when the totals overflow.
pub fn to_ehf(invoice: &Invoice) -> Result<String, EhfError> {
    write_invoice(invoice, &[])
}

/// Writes a credit note as an EHF UBL `CreditNote` document, with no embedded attachments.
///
/// # Errors
/// As [`to_ehf`].
pub fn credit_note_to_ehf(credit_note: &CreditNote) -> Result<String, EhfError> {
    write_credit_note(credit_note, &[])
}

/// Writes either document type.
///
/// # Errors
/// As [`to_ehf`].
pub fn document_to_ehf(
    document: &Document,
    attachments: &[Attachment],
) -> Result<String, EhfError> {
    match document {
        Document::Invoice(i) => write_invoice(i, attachments),
        Document::CreditNote(c) => write_credit_note(c, attachments),
    }
}

/// Reads an EHF `Invoice` or `CreditNote` into the models, by its root element, skipping
/// the informational elements the models do not carry (see [`read`] for the list of what
/// was skipped and for embedded attachments).
///
/// # Errors
/// [`EhfError`] naming the element that is malformed, missing, unsupported or whose totals
/// disagree with the lines.
pub fn from_ehf(xml: &str) -> Result<Document, EhfError> {
    read(xml, &ReadOptions::default()).map(|o| o.document)
}

/// A one-line invoice from an AS seller with an organisation number, for the unit tests of
/// writing and reading the seller's legal form.
#[cfg(test)]
pub(crate) fn as_seller_invoice(seller_name: &str) -> Invoice {
    use rust_decimal::Decimal;

    use crate::invoice::{Currency, LegalForm, Line, OrgNumber, Party, VatTag};

    let org: OrgNumber = "988077917".parse().expect("valid organisation number");
    let mut seller = Party::new(seller_name).with_org_number(org);
    seller.legal_form = Some(LegalForm::As);
    let mut invoice = Invoice::new(
        "1",
        time::macros::date!(2024 - 03 - 15),
        Currency::NOK,
        seller,
        Party::new("Kjøper AS").with_org_number(org),
    );
    let vat = VatTag::standard(Decimal::from(25));
    invoice
        .lines
        .push(Line::new("Stol", Decimal::ONE, "EA", Decimal::TEN, vat));
    invoice.buyer_reference = Some("Kari".into());
    invoice
}
