//! EHF e-invoices in C: an invoice or credit note in tillit's versioned JSON form becomes an
//! EHF (PEPPOL BIS Billing 3.0) UBL document, and an EHF document becomes that JSON again.
//!
//! JSON in and out keeps the C surface to three functions for whole documents; the JSON form
//! is the one `tillit::invoice` defines (`{"version": 1, "invoice": {...}}`).

use std::ffi::c_char;

use tillit::ehf::{self, EhfError};
use tillit::invoice::{CreditNote, Document, Invoice, Versioned};

use crate::error::{Failure, guard, str_arg, tillit_status, write_string};

impl From<EhfError> for Failure {
    fn from(e: EhfError) -> Self {
        let status = match e {
            EhfError::Unwritable { .. } => tillit_status::TILLIT_ERR_EHF_UNWRITABLE,
            EhfError::Invoice(_) => tillit_status::TILLIT_ERR_INVALID_ARGUMENT,
            _ => tillit_status::TILLIT_ERR_EHF_REFUSED,
        };
        Failure::new(status, e.to_string())
    }
}

/// Writes an invoice, given in tillit's JSON form, as an EHF UBL `Invoice` document to
/// `*out_xml`.
///
/// Release the string with `tillit_string_free`. Attachments are written as external
/// references (their URI); embedding attachment bytes is not offered in C.
///
/// Errors: `TILLIT_ERR_INVALID_ARGUMENT` for JSON that is not an invoice (the message names
/// the field), `TILLIT_ERR_EHF_UNWRITABLE` when EHF cannot carry the invoice as it is (the
/// message names the field, for example a missing buyer reference).
///
/// # Safety
/// `invoice_json` must be NULL or a NUL-terminated string; `out_xml` must be NULL or point to
/// writable storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_invoice_to_ehf(
    invoice_json: *const c_char,
    out_xml: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise; str_arg checks NULL.
        let json = unsafe { str_arg(invoice_json, "invoice_json") }?;
        let invoice = Invoice::from_json(json).map_err(|e| Failure::invalid(e.to_string()))?;
        let xml = ehf::to_ehf(&invoice)?;
        // SAFETY: forwarded caller promise; write_string checks NULL.
        unsafe { write_string(out_xml, "out_xml", &xml) }
    })
}

/// Writes a credit note, given in tillit's JSON form, as an EHF UBL `CreditNote` document to
/// `*out_xml`. Errors as for `tillit_invoice_to_ehf`.
///
/// # Safety
/// As for `tillit_invoice_to_ehf`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_credit_note_to_ehf(
    credit_note_json: *const c_char,
    out_xml: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise; str_arg checks NULL.
        let json = unsafe { str_arg(credit_note_json, "credit_note_json") }?;
        let credit_note =
            CreditNote::from_json(json).map_err(|e| Failure::invalid(e.to_string()))?;
        let xml = ehf::credit_note_to_ehf(&credit_note)?;
        // SAFETY: forwarded caller promise; write_string checks NULL.
        unsafe { write_string(out_xml, "out_xml", &xml) }
    })
}

/// Reads an EHF `Invoice` or `CreditNote` document and writes it in tillit's JSON form to
/// `*out_json`: `{"version": 1, "invoice": {...}}` or `{"version": 1, "credit_note": {...}}`.
///
/// Release the string with `tillit_string_free`. Informational elements the models do not
/// carry are skipped; embedded attachment bytes are not returned in C.
///
/// Errors: `TILLIT_ERR_EHF_REFUSED` for malformed XML, an element the models cannot hold, or
/// totals that differ from the lines; the message names the element.
///
/// # Safety
/// `xml` must be NULL or a NUL-terminated string; `out_json` must be NULL or point to writable
/// storage for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_from_ehf(
    xml: *const c_char,
    out_json: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise; str_arg checks NULL.
        let xml = unsafe { str_arg(xml, "xml") }?;
        let document = ehf::from_ehf(xml)?;
        let json = match &document {
            Document::Invoice(i) => i.to_json(),
            Document::CreditNote(c) => c.to_json(),
        }
        .map_err(|e| Failure::invalid(e.to_string()))?;
        // SAFETY: forwarded caller promise; write_string checks NULL.
        unsafe { write_string(out_json, "out_json", &json) }
    })
}
