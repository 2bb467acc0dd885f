//! EHF (PEPPOL BIS Billing 3.0) e-invoices for Kotlin: `Invoice.toEhf`, `CreditNote.toEhf`,
//! `fromEhf` and `readEhf`, named as in the Python binding.
//!
//! Writing fails with `TillitException.Ehf` naming the model field EHF cannot carry; reading
//! fails with `TillitException.Ehf` naming the element (by its path in the document) that is
//! malformed, missing, unsupported or whose totals disagree with the lines. A value the
//! invoice models refuse arrives as `TillitException.Invoice` or `InvoiceInvalid`, as
//! everywhere else.

use std::collections::HashMap;
use std::sync::Arc;

use tillit::ehf;
use tillit::invoice::Document;

use crate::TillitError;
use crate::invoice::{CreditNote, Invoice};

impl From<ehf::EhfError> for TillitError {
    fn from(e: ehf::EhfError) -> Self {
        match e {
            ehf::EhfError::Invoice(inner) => inner.into(),
            other => Self::Ehf(other.to_string()),
        }
    }
}

/// Attachment bytes by reference id, sorted by id so that the order of a map never changes
/// the document or an error message about it.
fn attachments(map: Option<HashMap<String, Vec<u8>>>) -> Vec<ehf::Attachment> {
    let mut list: Vec<ehf::Attachment> = map
        .unwrap_or_default()
        .into_iter()
        .map(|(id, bytes)| ehf::Attachment::new(id, bytes))
        .collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    list
}

#[uniffi::export]
impl Invoice {
    /// The invoice as an EHF UBL `Invoice` document. `attachments` maps the id of an
    /// attachment reference to the bytes to embed (base64 in the document).
    #[uniffi::method(default(attachments = None))]
    pub fn to_ehf(
        &self,
        attachments: Option<HashMap<String, Vec<u8>>>,
    ) -> Result<String, TillitError> {
        Ok(ehf::write_invoice(
            &self.0,
            &self::attachments(attachments),
        )?)
    }
}

#[uniffi::export]
impl CreditNote {
    /// The credit note as an EHF UBL `CreditNote` document, with attachments as for
    /// `Invoice.toEhf`.
    #[uniffi::method(default(attachments = None))]
    pub fn to_ehf(
        &self,
        attachments: Option<HashMap<String, Vec<u8>>>,
    ) -> Result<String, TillitError> {
        Ok(ehf::write_credit_note(
            &self.0,
            &self::attachments(attachments),
        )?)
    }
}

/// An EHF document read back: an invoice or a credit note, by the document's root element.
#[derive(uniffi::Enum)]
pub enum EhfDocument {
    /// A UBL `Invoice`.
    Invoice {
        /// The invoice.
        invoice: Arc<Invoice>,
    },
    /// A UBL `CreditNote`.
    CreditNote {
        /// The credit note.
        credit_note: Arc<CreditNote>,
    },
}

impl From<Document> for EhfDocument {
    fn from(d: Document) -> Self {
        match d {
            Document::Invoice(i) => Self::Invoice {
                invoice: Arc::new(Invoice(i)),
            },
            Document::CreditNote(c) => Self::CreditNote {
                credit_note: Arc::new(CreditNote(c)),
            },
        }
    }
}

/// An informational element the models do not carry, skipped while reading.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct IgnoredElement {
    /// Path of the element, such as `Invoice/cac:PayeeParty`.
    pub element: String,
    /// Why it was skipped.
    pub reason: String,
}

/// What `readEhf` found.
#[derive(uniffi::Record)]
pub struct EhfReadOutcome {
    /// The invoice or credit note.
    pub document: EhfDocument,
    /// The embedded attachments' bytes, by the id of their reference in the document.
    pub attachments: HashMap<String, Vec<u8>>,
    /// The informational elements that were skipped (always empty when reading strictly).
    pub ignored: Vec<IgnoredElement>,
}

/// Reads an EHF UBL document, an `Invoice` or a `CreditNote` by its root element, skipping
/// the informational elements the models do not carry.
#[uniffi::export]
pub fn from_ehf(xml: String) -> Result<EhfDocument, TillitError> {
    Ok(ehf::from_ehf(&xml)?.into())
}

/// Reads an EHF document like `fromEhf`, and also returns the embedded attachments and the
/// skipped elements; with `strict = true` those elements are refused instead.
#[uniffi::export(default(strict = false))]
pub fn read_ehf(xml: String, strict: bool) -> Result<EhfReadOutcome, TillitError> {
    let outcome = ehf::read(&xml, &ehf::ReadOptions { strict })?;
    Ok(EhfReadOutcome {
        document: outcome.document.into(),
        attachments: outcome
            .attachments
            .into_iter()
            .map(|a| (a.id, a.bytes))
            .collect(),
        ignored: outcome
            .ignored
            .into_iter()
            .map(|i| IgnoredElement {
                element: i.element,
                reason: i.reason,
            })
            .collect(),
    })
}
