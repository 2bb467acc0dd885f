//! Erasure requests and anonymisation for C.
//!
//! `tillit_retention_erasure` answers an erasure request from a buyer who is a person: the
//! caller passes the invoices and attachments naming the buyer and two arrays of the same
//! lengths for the answers, so nothing is allocated and nothing needs freeing.
//!
//! `tillit_buyer_anonymise` and `tillit_product_anonymise` apply the core's anonymisation to
//! records the caller owns: the personal strings are overwritten with zero bytes in place
//! (the caller still frees them as it allocated them) and the surviving fields are copied
//! to the anonymised record.

use std::ffi::{CStr, c_char};

use rust_decimal::Decimal;
use tillit::retention::{
    self as core, AttachmentRecord, ERASURE_LEGAL_DUTY, ErasureTiming, FiscalYear, InvoiceRecord,
};
use zeroize::Zeroize;

use crate::error::{Failure, guard, out_arg, str_arg};
use crate::retention::{
    core_failure, policy_arg, tillit_date, tillit_retention_decision, tillit_retention_policy,
};

/// The item can be erased now.
pub const TILLIT_ERASURE_NOW: u8 = 0;
/// The item can be erased from `erase_from`, not before.
pub const TILLIT_ERASURE_LATER: u8 = 1;
/// The date is open: a legal hold is set or the account is still active.
pub const TILLIT_ERASURE_OPEN: u8 = 2;

/// An invoice (or credit note) naming the buyer, as an erasure request sees it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_erasure_invoice {
    /// The document date.
    pub date: tillit_date,
    /// The account's fiscal-year end month (12 for the calendar year).
    pub end_month: u8,
    /// Whether a legal hold is set on the invoice or its account.
    pub legal_hold: bool,
}

/// An attachment naming the buyer, as an erasure request sees it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_erasure_attachment {
    /// The date of the invoice the attachment was sent with.
    pub date: tillit_date,
    /// The account's fiscal-year end month (12 for the calendar year).
    pub end_month: u8,
    /// Whether a legal hold is set.
    pub legal_hold: bool,
    /// Whether the attachment documents the sale.
    pub documents_sale: bool,
    /// Whether the account (the service's subscriber) is active.
    pub account_active: bool,
    /// Whether `notice_sent` is set.
    pub has_notice_sent: bool,
    /// When the account holder was told the attachment will be deleted.
    pub notice_sent: tillit_date,
}

/// The answer for one item of an erasure request.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_erasure_item {
    /// `TILLIT_ERASURE_NOW`, `TILLIT_ERASURE_LATER` or `TILLIT_ERASURE_OPEN`.
    pub timing: u8,
    /// The first day the item may be erased, when `timing` is `TILLIT_ERASURE_LATER`
    /// (zeroes otherwise).
    pub erase_from: tillit_date,
    /// The retention decision behind the answer.
    pub decision: tillit_retention_decision,
}

const NO_DATE: tillit_date = tillit_date {
    year: 0,
    month: 0,
    day: 0,
};

fn timing_parts(timing: ErasureTiming) -> (u8, tillit_date) {
    match timing {
        ErasureTiming::Now => (TILLIT_ERASURE_NOW, NO_DATE),
        ErasureTiming::From(date) => (TILLIT_ERASURE_LATER, tillit_date::from_core(date)),
        ErasureTiming::Open => (TILLIT_ERASURE_OPEN, NO_DATE),
    }
}

/// Borrows `len` items at `ptr`; NULL is allowed only when `len` is 0.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable items.
unsafe fn slice_arg<'a, T>(ptr: *const T, len: usize, name: &str) -> Result<&'a [T], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL; the caller promises `len` readable items.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows `len` writable items at `ptr`; NULL is allowed only when `len` is 0.
///
/// # Safety
/// `ptr` must be NULL or point to `len` writable items.
unsafe fn slice_out<'a, T>(ptr: *mut T, len: usize, name: &str) -> Result<&'a mut [T], Failure> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL; the caller promises `len` writable items.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// Answers an erasure request from a buyer who is a person. `invoice_answers` and
/// `attachment_answers` must hold `invoices_len` and `attachments_len` items; each gets the
/// answer for the item at the same position. `buyer_entry_timing` and `buyer_entry_from` get
/// when the buyer's entry in the customer list can go. Arrays may be NULL when their length
/// is 0. See `tillit_erasure_legal_duty` for the duty to cite for what must stay.
///
/// # Safety
/// `policy` must be a live handle; each array readable or writable for its length; the two
/// buyer-entry outputs writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tillit_retention_erasure(
    policy: *const tillit_retention_policy,
    invoices: *const tillit_erasure_invoice,
    invoices_len: usize,
    attachments: *const tillit_erasure_attachment,
    attachments_len: usize,
    today: tillit_date,
    invoice_answers: *mut tillit_erasure_item,
    attachment_answers: *mut tillit_erasure_item,
    buyer_entry_timing: *mut u8,
    buyer_entry_from: *mut tillit_date,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises for every pointer and length.
        let (policy, invoices, attachments, invoice_answers, attachment_answers) = unsafe {
            (
                policy_arg(policy)?,
                slice_arg(invoices, invoices_len, "invoices")?,
                slice_arg(attachments, attachments_len, "attachments")?,
                slice_out(invoice_answers, invoices_len, "invoice_answers")?,
                slice_out(attachment_answers, attachments_len, "attachment_answers")?,
            )
        };
        out_arg(buyer_entry_timing, "buyer_entry_timing")?;
        out_arg(buyer_entry_from, "buyer_entry_from")?;
        let invoice_records = invoices
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Ok(InvoiceRecord {
                    fiscal_year: FiscalYear::new(r.end_month).map_err(core_failure)?,
                    legal_hold: r.legal_hold,
                    ..InvoiceRecord::dated(r.date.to_core(&format!("invoices[{i}].date"))?)
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        let attachment_records = attachments
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Ok(AttachmentRecord {
                    document: InvoiceRecord {
                        fiscal_year: FiscalYear::new(r.end_month).map_err(core_failure)?,
                        legal_hold: r.legal_hold,
                        ..InvoiceRecord::dated(r.date.to_core(&format!("attachments[{i}].date"))?)
                    },
                    documents_sale: r.documents_sale,
                    account_active: r.account_active,
                    notice_sent: if r.has_notice_sent {
                        Some(
                            r.notice_sent
                                .to_core(&format!("attachments[{i}].notice_sent"))?,
                        )
                    } else {
                        None
                    },
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        let answer = policy
            .erasure(
                &invoice_records,
                &attachment_records,
                today.to_core("today")?,
            )
            .map_err(core_failure)?;
        for (slot, item) in invoice_answers
            .iter_mut()
            .zip(&answer.invoices)
            .chain(attachment_answers.iter_mut().zip(&answer.attachments))
        {
            let (timing, erase_from) = timing_parts(item.timing);
            *slot = tillit_erasure_item {
                timing,
                erase_from,
                decision: tillit_retention_decision::from_core(&item.decision),
            };
        }
        let (timing, from) = timing_parts(answer.buyer_entry);
        // SAFETY: both checked non-NULL; the caller promises they are writable.
        unsafe {
            *buyer_entry_timing = timing;
            *buyer_entry_from = from;
        }
        Ok(())
    })
}

/// The legal duty to cite for what an erasure request cannot remove yet (GDPR Art. 17(3)(b)
/// and the bookkeeping act). A static string: do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn tillit_erasure_legal_duty() -> *const c_char {
    static DUTY: std::sync::OnceLock<std::ffi::CString> = std::sync::OnceLock::new();
    DUTY.get_or_init(|| {
        std::ffi::CString::new(ERASURE_LEGAL_DUTY).unwrap_or_else(|_| std::ffi::CString::default())
    })
    .as_ptr()
}

/// A receivable from a buyer: amounts and dates, which anonymising keeps.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_receivable {
    /// The amount as a decimal string ("1250.00").
    pub amount: *const c_char,
    /// The ISO 4217 currency code, NUL-terminated ("NOK").
    pub currency: [c_char; 4],
    /// The invoice date.
    pub issued: tillit_date,
    /// The due date.
    pub due: tillit_date,
    /// Whether `settled` is set.
    pub has_settled: bool,
    /// When it was settled.
    pub settled: tillit_date,
}

/// A buyer in an account's customer list, with personal fields the caller owns. Optional
/// strings may be NULL.
#[repr(C)]
#[derive(Debug)]
pub struct tillit_buyer {
    /// The service's internal key (not personal data).
    pub id: u64,
    /// The buyer's name.
    pub name: *mut c_char,
    /// Postal address.
    pub address: *mut c_char,
    /// Organisation or national identity number, or NULL.
    pub identifier: *mut c_char,
    /// E-mail address, or NULL.
    pub email: *mut c_char,
    /// Phone number, or NULL.
    pub phone: *mut c_char,
    /// Free-text notes, or NULL.
    pub notes: *mut c_char,
    /// The buyer's receivables.
    pub receivables: *const tillit_receivable,
    /// How many receivables there are.
    pub receivables_len: usize,
    /// When the buyer was added to the list.
    pub created: tillit_date,
}

/// A buyer after anonymisation: the key, the creation date and the receivables (the same
/// array as the buyer's, which the caller still owns).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_anonymised_buyer {
    /// The service's internal key.
    pub id: u64,
    /// The receivables, unchanged.
    pub receivables: *const tillit_receivable,
    /// How many receivables there are.
    pub receivables_len: usize,
    /// When the buyer was added to the list.
    pub created: tillit_date,
}

/// Reads an optional C string for a personal field.
///
/// # Safety
/// `ptr` must be NULL or a NUL-terminated string.
unsafe fn personal(ptr: *mut c_char, name: &str) -> Result<Option<String>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded caller promise.
    unsafe { str_arg(ptr, name) }.map(|s| Some(s.to_owned()))
}

/// Overwrites a caller-owned C string with zero bytes, keeping its allocation.
///
/// # Safety
/// `ptr` must be NULL or a writable NUL-terminated string.
unsafe fn wipe(ptr: *mut c_char) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: the caller promises a writable NUL-terminated string; its length is found
    // before any byte changes.
    let len = unsafe { CStr::from_ptr(ptr) }.to_bytes().len();
    // SAFETY: `len` bytes before the terminator are writable.
    let bytes = unsafe { std::slice::from_raw_parts_mut(ptr.cast::<u8>(), len) };
    bytes.zeroize();
}

fn receivable_to_core(r: &tillit_receivable, i: usize) -> Result<core::Receivable, Failure> {
    // SAFETY: the caller promises `amount` is a NUL-terminated string.
    let amount = unsafe { str_arg(r.amount, "receivables[].amount") }?;
    let amount: Decimal = amount.parse().map_err(|_| {
        Failure::invalid(format!(
            "receivables[{i}].amount {amount:?} is not a decimal number such as 1250.00"
        ))
    })?;
    let code: Vec<u8> = r.currency[..3].iter().map(|c| c.cast_unsigned()).collect();
    let currency: [u8; 3] = code
        .clone()
        .try_into()
        .ok()
        .filter(|c: &[u8; 3]| c.iter().all(u8::is_ascii_uppercase) && r.currency[3] == 0)
        .ok_or_else(|| {
            Failure::invalid(format!(
                "receivables[{i}].currency is not an ISO 4217 code: use three capital letters \
                 and a NUL, such as \"NOK\""
            ))
        })?;
    Ok(core::Receivable {
        amount,
        currency,
        issued: r.issued.to_core("receivables[].issued")?,
        due: r.due.to_core("receivables[].due")?,
        settled: if r.has_settled {
            Some(r.settled.to_core("receivables[].settled")?)
        } else {
            None
        },
    })
}

/// Anonymises a buyer irreversibly: checks the record, overwrites every personal string in
/// place with zero bytes (name, address, identifier, e-mail, phone, notes) and writes the
/// key, receivables and creation date to `*out`. On an error nothing is wiped.
///
/// # Safety
/// `buyer` must be NULL or point to a buyer whose strings are NULL or writable
/// NUL-terminated strings and whose receivables are readable; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_buyer_anonymise(
    buyer: *mut tillit_buyer,
    out: *mut tillit_anonymised_buyer,
) -> crate::tillit_status {
    guard(|| {
        if buyer.is_null() {
            return Err(Failure::null("buyer"));
        }
        out_arg(out, "out")?;
        // SAFETY: non-NULL; the caller promises a valid buyer.
        let b = unsafe { &mut *buyer };
        // SAFETY: forwarded caller promise for the receivables array.
        let receivables = unsafe { slice_arg(b.receivables, b.receivables_len, "receivables")? };
        // SAFETY: forwarded caller promises for each string.
        let record = unsafe {
            core::Buyer {
                id: b.id,
                name: personal(b.name, "name")?.ok_or_else(|| Failure::null("name"))?,
                address: personal(b.address, "address")?.ok_or_else(|| Failure::null("address"))?,
                identifier: personal(b.identifier, "identifier")?,
                email: personal(b.email, "email")?,
                phone: personal(b.phone, "phone")?,
                notes: personal(b.notes, "notes")?.unwrap_or_default(),
                receivables: receivables
                    .iter()
                    .enumerate()
                    .map(|(i, r)| receivable_to_core(r, i))
                    .collect::<Result<Vec<_>, _>>()?,
                created: b.created.to_core("created")?,
            }
        };
        // The core's anonymisation decides what survives; its copies are wiped as it drops.
        let anonymised = record.anonymise();
        // SAFETY: forwarded caller promises: the strings are writable.
        unsafe {
            for ptr in [b.name, b.address, b.identifier, b.email, b.phone, b.notes] {
                wipe(ptr);
            }
            *out = tillit_anonymised_buyer {
                id: anonymised.id,
                receivables: b.receivables,
                receivables_len: anonymised.receivables.len(),
                created: tillit_date::from_core(anonymised.created),
            };
        }
        Ok(())
    })
}

/// Anonymises a product's texts: overwrites `name` and `description` (either may be NULL)
/// in place with zero bytes. The key and price, which the caller keeps, are not personal.
///
/// # Safety
/// `name` and `description` must each be NULL or a writable NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_product_anonymise(
    name: *mut c_char,
    description: *mut c_char,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises.
        unsafe {
            wipe(name);
            wipe(description);
        }
        Ok(())
    })
}
