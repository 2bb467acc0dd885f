//! Erasure requests (GDPR Art. 17) from a buyer who is a person: what can be erased now, what
//! only later and from which date, and the legal duty that keeps the rest.
//!
//! The answer applies the same retention rules as everything else: the bookkeeping act's duty
//! to keep invoices is exactly the exception of GDPR Art. 17(3)(b) (processing necessary for
//! compliance with a legal obligation), so nothing here is more or less lenient than the
//! planner.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Action, AttachmentRecord, Decision, InvoiceRecord, RetentionError, RetentionPolicy};

/// The legal duty cited for whatever cannot be erased yet.
pub const ERASURE_LEGAL_DUTY: &str = "GDPR Art. 17(3)(b): the right to erasure does not apply \
    where keeping the data is necessary to comply with a legal obligation; bokføringsloven § 13 \
    and bokføringsforskriften kap. 13 require invoices and their documentation to be kept for \
    the stated period";

/// When one item named in an erasure request can go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErasureTiming {
    /// The item can be erased now.
    Now,
    /// The item can be erased from this date, not before.
    From(Date),
    /// The date is open: a legal hold is set or the account is still active.
    Open,
}

/// The answer for one item (an invoice or an attachment naming the buyer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureItem {
    /// The item's position in the request's list of its kind.
    pub index: usize,
    /// When it can go.
    pub timing: ErasureTiming,
    /// The decision behind it, with its dates and sentence.
    pub decision: Decision,
}

/// The answer to an erasure request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureAnswer {
    /// One answer per invoice naming the buyer, in request order.
    pub invoices: Vec<ErasureItem>,
    /// One answer per attachment naming the buyer, in request order.
    pub attachments: Vec<ErasureItem>,
    /// When the buyer's entry in the account's customer list (name, address, contact details)
    /// can go: it is needed while any invoice naming the buyer is kept.
    pub buyer_entry: ErasureTiming,
    /// The legal duty that keeps what cannot go now ([`ERASURE_LEGAL_DUTY`]).
    pub legal_duty: &'static str,
}

impl ErasureAnswer {
    /// Whether everything named in the request can be erased now.
    #[must_use]
    pub fn complete_now(&self) -> bool {
        self.buyer_entry == ErasureTiming::Now
            && self
                .invoices
                .iter()
                .chain(&self.attachments)
                .all(|item| item.timing == ErasureTiming::Now)
    }
}

fn timing(decision: &Decision) -> ErasureTiming {
    match (decision.action, decision.action_from) {
        (Action::Delete | Action::Anonymise, _) => ErasureTiming::Now,
        (_, Some(from)) => ErasureTiming::From(from),
        (_, None) => ErasureTiming::Open,
    }
}

impl RetentionPolicy {
    /// Answers an erasure request from a buyer who is a person, given the invoices and
    /// attachments that name them.
    ///
    /// # Errors
    ///
    /// As for [`RetentionPolicy::invoice`].
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::{ErasureTiming, InvoiceRecord, RetentionPolicy};
    /// use time::macros::date;
    ///
    /// let invoices = [InvoiceRecord::dated(date!(2013 - 05 - 02)), InvoiceRecord::dated(date!(2024 - 03 - 15))];
    /// let answer = RetentionPolicy::seed().erasure(&invoices, &[], date!(2026 - 12 - 03))?;
    /// assert_eq!(answer.invoices[0].timing, ErasureTiming::Now);
    /// assert_eq!(answer.invoices[1].timing, ErasureTiming::From(date!(2035 - 01 - 01)));
    /// assert_eq!(answer.buyer_entry, ErasureTiming::From(date!(2035 - 01 - 01)));
    /// # Ok::<(), tillit::retention::RetentionError>(())
    /// ```
    pub fn erasure(
        &self,
        invoices: &[InvoiceRecord],
        attachments: &[AttachmentRecord],
        today: Date,
    ) -> Result<ErasureAnswer, RetentionError> {
        let decide = |index, decision: Decision| ErasureItem {
            index,
            timing: timing(&decision),
            decision,
        };
        let invoices = invoices
            .iter()
            .enumerate()
            .map(|(index, invoice)| self.invoice(invoice, today).map(|d| decide(index, d)))
            .collect::<Result<Vec<_>, _>>()?;
        let attachments = attachments
            .iter()
            .enumerate()
            .map(|(index, attachment)| self.attachment(attachment, today).map(|d| decide(index, d)))
            .collect::<Result<Vec<_>, _>>()?;

        // The buyer's entry goes with the last invoice naming them; a held invoice holds it.
        let mut buyer_entry = ErasureTiming::Now;
        for item in &invoices {
            buyer_entry = match (buyer_entry, item.timing) {
                (ErasureTiming::Open, _) | (_, ErasureTiming::Open) => ErasureTiming::Open,
                (ErasureTiming::Now, later) | (later, ErasureTiming::Now) => later,
                (ErasureTiming::From(a), ErasureTiming::From(b)) => ErasureTiming::From(a.max(b)),
            };
        }
        Ok(ErasureAnswer {
            invoices,
            attachments,
            buyer_entry,
            legal_duty: ERASURE_LEGAL_DUTY,
        })
    }
}
