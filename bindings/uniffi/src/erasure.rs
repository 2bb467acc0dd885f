//! Erasure requests and anonymisation for Kotlin: what a buyer who is a person may have erased
//! now, what only later and from which date; and buyers and products that lose every personal
//! field irreversibly.
//!
//! The names follow the Python binding in Kotlin casing: `RetentionPolicy.erasure`,
//! `InvoiceRecord`, `AttachmentRecord`, `ErasureAnswer`, `Buyer.anonymise()`,
//! `Product.anonymise()`.

use std::sync::{Mutex, MutexGuard};

use rust_decimal::Decimal;
use tillit::retention as core;
use time::Date;

use crate::TillitError;
use crate::retention::{RetentionDecision, RetentionPolicy, document};

/// An invoice or credit note as retention sees it: its dates, fiscal year and legal hold.
#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct InvoiceRecord {
    /// The document date.
    pub date: Date,
    /// The month (1–12) the account's fiscal year ends in.
    #[uniffi(default = 12)]
    pub fiscal_year_end_month: u8,
    /// When the document was booked, if later than its date.
    #[uniffi(default = None)]
    pub booking_date: Option<Date>,
    /// The exact end of the document's fiscal year, for a first or last year that is not twelve
    /// months long.
    #[uniffi(default = None)]
    pub fiscal_year_end: Option<Date>,
    /// A legal hold (a dispute, an audit, a court order) blocks any deletion.
    #[uniffi(default = false)]
    pub legal_hold: bool,
}

impl InvoiceRecord {
    fn core(&self) -> Result<core::InvoiceRecord, TillitError> {
        document(
            self.date,
            self.fiscal_year_end_month,
            self.booking_date,
            self.fiscal_year_end,
            self.legal_hold,
        )
    }
}

/// An attachment as retention sees it: the invoice it was sent with, whether it documents the
/// sale, the account's state and the notice sent to the account holder.
#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct AttachmentRecord {
    /// The date of the invoice the attachment was sent with.
    pub date: Date,
    /// Whether the account is still active (attachments of active accounts are kept).
    pub account_active: bool,
    /// When the account holder was told the attachment will be deleted, if they were.
    #[uniffi(default = None)]
    pub notice_sent: Option<Date>,
    /// Whether the attachment documents the sale (then it is kept like the invoice).
    #[uniffi(default = false)]
    pub documents_sale: bool,
    /// The month (1–12) the account's fiscal year ends in.
    #[uniffi(default = 12)]
    pub fiscal_year_end_month: u8,
    /// When the invoice was booked, if later than its date.
    #[uniffi(default = None)]
    pub booking_date: Option<Date>,
    /// The exact end of the invoice's fiscal year, when not twelve months after the last.
    #[uniffi(default = None)]
    pub fiscal_year_end: Option<Date>,
    /// A legal hold blocks any deletion.
    #[uniffi(default = false)]
    pub legal_hold: bool,
}

impl AttachmentRecord {
    fn core(&self) -> Result<core::AttachmentRecord, TillitError> {
        Ok(core::AttachmentRecord {
            document: document(
                self.date,
                self.fiscal_year_end_month,
                self.booking_date,
                self.fiscal_year_end,
                self.legal_hold,
            )?,
            documents_sale: self.documents_sale,
            account_active: self.account_active,
            notice_sent: self.notice_sent,
        })
    }
}

/// When one item named in an erasure request can go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum ErasureTiming {
    /// It can be erased now.
    Now,
    /// It can be erased from the item's `eraseFrom` date, not before.
    Later,
    /// The date is open: a legal hold is set or the account is still active.
    Open,
}

fn timing(t: core::ErasureTiming) -> (ErasureTiming, Option<Date>) {
    match t {
        core::ErasureTiming::Now => (ErasureTiming::Now, None),
        core::ErasureTiming::From(date) => (ErasureTiming::Later, Some(date)),
        core::ErasureTiming::Open => (ErasureTiming::Open, None),
    }
}

/// The answer for one invoice or attachment of the request.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ErasureItem {
    /// The item's position in the request's list of its kind.
    pub index: u64,
    /// When it can go.
    pub timing: ErasureTiming,
    /// The first day it may be erased when `timing` is `LATER`; null otherwise.
    pub erase_from: Option<Date>,
    /// The retention decision behind the answer, with its dates and sentence.
    pub decision: RetentionDecision,
}

/// The answer to an erasure request from a buyer who is a person.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ErasureAnswer {
    /// One answer per invoice naming the buyer, in request order.
    pub invoices: Vec<ErasureItem>,
    /// One answer per attachment naming the buyer, in request order.
    pub attachments: Vec<ErasureItem>,
    /// When the buyer's entry in the customer list can go: it stays while any invoice naming
    /// the buyer is kept.
    pub buyer_entry: ErasureTiming,
    /// The first day the buyer's entry may go when `buyerEntry` is `LATER`; null otherwise.
    pub buyer_entry_from: Option<Date>,
    /// The legal duty that keeps what cannot go now, to quote in the reply to the buyer.
    pub legal_duty: String,
    /// Whether everything named in the request can be erased now.
    pub complete_now: bool,
}

fn items(list: Vec<core::ErasureItem>) -> Vec<ErasureItem> {
    list.into_iter()
        .map(|item| {
            let (timing, erase_from) = timing(item.timing);
            ErasureItem {
                index: item.index as u64,
                timing,
                erase_from,
                decision: item.decision.into(),
            }
        })
        .collect()
}

#[uniffi::export]
impl RetentionPolicy {
    /// Answers an erasure request (GDPR Art. 17) from a buyer who is a person, given the
    /// invoices and attachments that name them, on `today`. What the bookkeeping act keeps
    /// gets a date or stays open, and `legalDuty` names the law that keeps it.
    #[uniffi::method(default(attachments = []))]
    pub fn erasure(
        &self,
        invoices: Vec<InvoiceRecord>,
        today: Date,
        attachments: Vec<AttachmentRecord>,
    ) -> Result<ErasureAnswer, TillitError> {
        let invoices = invoices
            .iter()
            .map(InvoiceRecord::core)
            .collect::<Result<Vec<_>, _>>()?;
        let attachments = attachments
            .iter()
            .map(AttachmentRecord::core)
            .collect::<Result<Vec<_>, _>>()?;
        let answer = self.inner.erasure(&invoices, &attachments, today)?;
        let complete_now = answer.complete_now();
        let (buyer_entry, buyer_entry_from) = timing(answer.buyer_entry);
        Ok(ErasureAnswer {
            invoices: items(answer.invoices),
            attachments: items(answer.attachments),
            buyer_entry,
            buyer_entry_from,
            legal_duty: answer.legal_duty.to_owned(),
            complete_now,
        })
    }
}

/// The legal duty an erasure answer cites for what cannot go yet.
#[uniffi::export]
pub fn erasure_legal_duty() -> String {
    core::ERASURE_LEGAL_DUTY.to_owned()
}

// ---------------------------------------------------------------------------------------------
// Anonymisation

/// A receivable from a buyer: amounts and dates, which anonymising keeps.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Receivable {
    /// The amount owed, as a decimal string such as `"1250.00"`.
    pub amount: Decimal,
    /// The ISO 4217 currency code, three capital letters such as `NOK`.
    pub currency: String,
    /// The invoice date.
    pub issued: Date,
    /// The due date.
    pub due: Date,
    /// When it was settled; null while open.
    #[uniffi(default = None)]
    pub settled: Option<Date>,
}

impl Receivable {
    fn core(&self) -> Result<core::Receivable, TillitError> {
        let currency: [u8; 3] = self
            .currency
            .as_bytes()
            .try_into()
            .ok()
            .filter(|c: &[u8; 3]| c.iter().all(u8::is_ascii_uppercase))
            .ok_or_else(|| {
                TillitError::InvalidArgument(format!(
                    "currency {:?} is not an ISO 4217 code: use three capital letters such as NOK",
                    self.currency
                ))
            })?;
        Ok(core::Receivable {
            amount: self.amount,
            currency,
            issued: self.issued,
            due: self.due,
            settled: self.settled,
        })
    }

    fn from_core(r: &core::Receivable) -> Self {
        Self {
            amount: r.amount,
            currency: String::from_utf8_lossy(&r.currency).into_owned(),
            issued: r.issued,
            due: r.due,
            settled: r.settled,
        }
    }
}

fn anonymised_already() -> TillitError {
    TillitError::InvalidArgument(
        "this record was anonymised: its personal fields are gone; use the anonymised record \
         that anonymise() returned"
            .to_owned(),
    )
}

/// Locks a record slot; a panic elsewhere while it was held leaves a value that is still
/// whole (every change is a single `take`), so a poisoned lock is used as it is.
fn lock<T>(slot: &Mutex<Option<T>>) -> MutexGuard<'_, Option<T>> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A buyer in the account's customer list, with personal fields. `anonymise()` turns it into
/// an `AnonymisedBuyer` and wipes the personal fields from native memory; afterwards every
/// accessor throws `TillitException.InvalidArgument`.
///
/// Kotlin strings passed in cannot be wiped by tillit: drop references to them.
#[derive(Debug, uniffi::Object)]
pub struct Buyer {
    inner: Mutex<Option<core::Buyer>>,
}

#[uniffi::export]
impl Buyer {
    /// A buyer with its personal fields, receivables and the date it was added.
    #[uniffi::constructor(default(identifier = None, email = None, phone = None, notes = "", receivables = []))]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: u64,
        name: String,
        address: String,
        created: Date,
        identifier: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        notes: String,
        receivables: Vec<Receivable>,
    ) -> Result<Self, TillitError> {
        let receivables = receivables
            .iter()
            .map(Receivable::core)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            inner: Mutex::new(Some(core::Buyer {
                id,
                name,
                address,
                identifier,
                email,
                phone,
                notes,
                receivables,
                created,
            })),
        })
    }

    /// The service's internal key.
    pub fn id(&self) -> Result<u64, TillitError> {
        lock(&self.inner)
            .as_ref()
            .map(|b| b.id)
            .ok_or_else(anonymised_already)
    }

    /// The buyer's name.
    pub fn name(&self) -> Result<String, TillitError> {
        lock(&self.inner)
            .as_ref()
            .map(|b| b.name.clone())
            .ok_or_else(anonymised_already)
    }

    /// Whether `anonymise()` was called.
    pub fn anonymised(&self) -> bool {
        lock(&self.inner).is_none()
    }

    /// Anonymises the buyer irreversibly: returns the key, receivables and creation date, and
    /// wipes the name, address, identifier, e-mail, phone and notes.
    pub fn anonymise(&self) -> Result<AnonymisedBuyer, TillitError> {
        let buyer = lock(&self.inner).take().ok_or_else(anonymised_already)?;
        let anonymised = buyer.anonymise();
        Ok(AnonymisedBuyer {
            id: anonymised.id,
            receivables: anonymised
                .receivables
                .iter()
                .map(Receivable::from_core)
                .collect(),
            created: anonymised.created,
        })
    }
}

/// A buyer after anonymisation: the key, amounts and dates, nothing that identifies a person.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct AnonymisedBuyer {
    /// The service's internal key, so totals per buyer still add up.
    pub id: u64,
    /// The receivables, unchanged.
    pub receivables: Vec<Receivable>,
    /// When the buyer was added to the list.
    pub created: Date,
}

/// A product in the account's product list. Names and descriptions are free text an account
/// may have filled with a person's name, so anonymising keeps only the key and the price.
#[derive(Debug, uniffi::Object)]
pub struct Product {
    inner: Mutex<Option<core::Product>>,
}

#[uniffi::export]
impl Product {
    /// A product with its name, unit price (a decimal string) and description.
    #[uniffi::constructor(default(description = ""))]
    pub fn new(id: u64, name: String, unit_price: Decimal, description: String) -> Self {
        Self {
            inner: Mutex::new(Some(core::Product {
                id,
                name,
                description,
                unit_price,
            })),
        }
    }

    /// The product name.
    pub fn name(&self) -> Result<String, TillitError> {
        lock(&self.inner)
            .as_ref()
            .map(|p| p.name.clone())
            .ok_or_else(anonymised_already)
    }

    /// Whether `anonymise()` was called.
    pub fn anonymised(&self) -> bool {
        lock(&self.inner).is_none()
    }

    /// Anonymises the product irreversibly: the key and the unit price stay.
    pub fn anonymise(&self) -> Result<AnonymisedProduct, TillitError> {
        let product = lock(&self.inner).take().ok_or_else(anonymised_already)?;
        let anonymised = product.anonymise();
        Ok(AnonymisedProduct {
            id: anonymised.id,
            unit_price: anonymised.unit_price,
        })
    }
}

/// A product after anonymisation: the key and the price.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct AnonymisedProduct {
    /// The service's internal key.
    pub id: u64,
    /// The unit price, as a decimal string.
    pub unit_price: Decimal,
}
