//! Decisions for one record on a given day: keep, notify, delete or anonymise, with the rule
//! and the dates that decided.
//!
//! The rules themselves live in three small functions over day numbers ([`decide_invoice`],
//! [`decide_attachment`], [`decide_account`]) that the single-record methods here and the
//! columnar planner share, so both always agree. The outcome carries a compact
//! [`Reason`] code; [`Decision::explain`] turns it into an English sentence on demand.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::calendar::{
    self, FiscalYear, NO_DATE, add_from_event, add_from_fiscal_year_end, date_from_day_number,
    day_number,
};
use super::{Period, RecordKind, RetentionError, RetentionPolicy};

/// What to do with a record today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Action {
    /// Keep the record.
    Keep = 0,
    /// Tell the account holder now that the attachment will be deleted (keep it meanwhile).
    Notify = 1,
    /// The record may be deleted today.
    Delete = 2,
    /// The account data may be anonymised today.
    Anonymise = 3,
}

impl Action {
    /// The action with this byte code, if any.
    #[must_use]
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Keep),
            1 => Some(Self::Notify),
            2 => Some(Self::Delete),
            3 => Some(Self::Anonymise),
            _ => None,
        }
    }
}

/// The rule that decided, as a compact code (one byte per record in the planner).
///
/// [`Decision::explain`] renders it with the dates as a sentence a person can audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Reason {
    /// The invoice is inside its retention period.
    InvoiceRetained = 0,
    /// The invoice's retention period is over.
    InvoiceEligible = 1,
    /// The attachment is inside its retention period and its notice is not due yet.
    AttachmentRetained = 2,
    /// The account is active, and attachments are never deleted while it is.
    AttachmentAccountActive = 3,
    /// The notice to the account holder is due now so deletion can follow on time.
    AttachmentNoticeDue = 4,
    /// The notice was sent; deletion waits for the notice period or the retention period.
    AttachmentNoticePending = 5,
    /// Retention and notice periods are over and the account is inactive.
    AttachmentEligible = 6,
    /// The account is active, so its data is kept.
    AccountActive = 7,
    /// The period after the account's last activity is not over.
    AccountRetained = 8,
    /// An invoice naming the account's buyers is still retained.
    AccountInvoicesRetained = 9,
    /// The account data may be anonymised.
    AccountAnonymisable = 10,
    /// A legal hold blocks deletion and anonymisation.
    LegalHold = 11,
}

impl Reason {
    /// The reason with this byte code, if any.
    #[must_use]
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::InvoiceRetained),
            1 => Some(Self::InvoiceEligible),
            2 => Some(Self::AttachmentRetained),
            3 => Some(Self::AttachmentAccountActive),
            4 => Some(Self::AttachmentNoticeDue),
            5 => Some(Self::AttachmentNoticePending),
            6 => Some(Self::AttachmentEligible),
            7 => Some(Self::AccountActive),
            8 => Some(Self::AccountRetained),
            9 => Some(Self::AccountInvoicesRetained),
            10 => Some(Self::AccountAnonymisable),
            11 => Some(Self::LegalHold),
            _ => None,
        }
    }
}

/// The outcome for one record, with every date a person needs to audit it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The kind of record decided.
    pub kind: RecordKind,
    /// What to do today.
    pub action: Action,
    /// The rule that decided.
    pub reason: Reason,
    /// The policy's period for the kind.
    pub period: Period,
    /// The name of the policy applied.
    pub policy: String,
    /// The policy's notice period for attachments, in days.
    pub notice_days: u16,
    /// The end of the fiscal year the record belongs to (`None` for account data).
    pub fiscal_year_end: Option<Date>,
    /// The last day keeping is required by the period alone (inclusive).
    pub retained_through: Date,
    /// The first day the period alone allows deletion or anonymisation.
    pub eligible_from: Date,
    /// The first day the action may actually happen given everything known (notice, account
    /// state, invoices naming the buyers); `None` while a legal hold or an active account
    /// leaves it open.
    pub action_from: Option<Date>,
}

impl Decision {
    /// An English sentence naming the action, the rule and the dates.
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::{InvoiceRecord, RetentionPolicy};
    /// use time::macros::date;
    ///
    /// let decision = RetentionPolicy::seed()
    ///     .invoice(&InvoiceRecord::dated(date!(2024 - 03 - 15)), date!(2026 - 12 - 03))?;
    /// assert_eq!(
    ///     decision.explain(),
    ///     "keep: the invoice is retained through 2034-12-31, 10 years after the fiscal year \
    ///      ending 2024-12-31 (seed policy; bokføringsloven § 13); it may be deleted from 2035-01-01"
    /// );
    /// # Ok::<(), tillit::retention::RetentionError>(())
    /// ```
    #[must_use]
    pub fn explain(&self) -> String {
        let noun = self.kind.noun();
        let (period, policy) = (self.period, &self.policy);
        let (through, from) = (self.retained_through, self.eligible_from);
        let basis = match self.fiscal_year_end {
            Some(end) => format!(
                "{period} after the fiscal year ending {end} ({policy} policy; bokføringsloven § 13)"
            ),
            None => format!(
                "{period} after the account's last activity, counted by domstolloven § 148 \
                 ({policy} policy)"
            ),
        };
        let action_from = self
            .action_from
            .map_or_else(|| "a date not yet known".to_owned(), |d| d.to_string());
        match self.reason {
            Reason::InvoiceRetained => format!(
                "keep: the {noun} is retained through {through}, {basis}; it may be deleted from {from}"
            ),
            Reason::InvoiceEligible => format!(
                "delete: the {noun} was retained through {through}, {basis}; eligible since {from}"
            ),
            Reason::AttachmentRetained => format!(
                "keep: the {noun} is retained through {through}, {basis}; the account holder will be \
                 told {} days ahead so it can go from {action_from} if the account is inactive",
                self.notice_days
            ),
            Reason::AttachmentAccountActive => format!(
                "keep: the account is active and attachments are never deleted while it is; the \
                 {noun} is retained through {through}, {basis}"
            ),
            Reason::AttachmentNoticeDue => format!(
                "notify: tell the account holder now so a copy can be downloaded; the {noun} is \
                 retained through {through}, {basis}, and may be deleted from {action_from}"
            ),
            Reason::AttachmentNoticePending => format!(
                "keep: the account holder has been told; the {noun} is retained through {through}, \
                 {basis}, and may be deleted from {action_from} when the notice period is over"
            ),
            Reason::AttachmentEligible => format!(
                "delete: the {noun} was retained through {through}, {basis}; the account is \
                 inactive and its holder was told; deletable since {action_from}"
            ),
            Reason::AccountActive => format!(
                "keep: the account is active, so its buyers, products and receivables are kept; \
                 the period runs through {through}, {basis}"
            ),
            Reason::AccountRetained => format!(
                "keep: the {noun} is retained through {through}, {basis}; anonymisable from \
                 {action_from}"
            ),
            Reason::AccountInvoicesRetained => format!(
                "keep: the {noun} period ended {through}, {basis}, but an invoice naming the \
                 account's buyers is retained until {action_from}, and invoices must name the \
                 buyer for their whole period"
            ),
            Reason::AccountAnonymisable => format!(
                "anonymise: the {noun} was retained through {through}, {basis}, and every invoice \
                 naming its buyers is eligible; anonymisable since {action_from}"
            ),
            Reason::LegalHold => format!(
                "keep: a legal hold blocks deletion and anonymisation while it is set; without it \
                 the {noun} is retained through {through}, {basis}"
            ),
        }
    }
}

/// What a decision needs to know about an invoice or credit note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRecord {
    /// The document date.
    pub date: Date,
    /// The booking date, which decides the fiscal year where given.
    pub booking_date: Option<Date>,
    /// The account's fiscal year.
    pub fiscal_year: FiscalYear,
    /// An explicit fiscal-year end (short or long first years), overriding `fiscal_year`.
    pub fiscal_year_end: Option<Date>,
    /// Whether a legal hold (an audit or a dispute) is set on the record or its account.
    pub legal_hold: bool,
}

impl InvoiceRecord {
    /// An invoice dated `date` in a calendar fiscal year, with no hold.
    #[must_use]
    pub const fn dated(date: Date) -> Self {
        Self {
            date,
            booking_date: None,
            fiscal_year: FiscalYear::CALENDAR,
            fiscal_year_end: None,
            legal_hold: false,
        }
    }

    /// The fiscal-year end this document belongs to.
    ///
    /// # Errors
    ///
    /// An error when the explicit end is not a month end, precedes the document, or is more
    /// than 18 months after it.
    pub fn resolved_fiscal_year_end(&self) -> Result<Date, RetentionError> {
        let date = self.booking_date.unwrap_or(self.date);
        match self.fiscal_year_end {
            Some(end) => calendar::check_explicit_end(date, end).map(|()| end),
            None => self.fiscal_year.fiscal_year_end(date),
        }
    }
}

/// What a decision needs to know about an attachment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRecord {
    /// The invoice (document) the attachment was sent with, which fixes its fiscal year.
    pub document: InvoiceRecord,
    /// Whether the attachment documents the sale.
    pub documents_sale: bool,
    /// Whether the account (the service's subscriber) is an active customer of the service.
    pub account_active: bool,
    /// When the account holder was told the attachment will be deleted, if they were.
    pub notice_sent: Option<Date>,
}

/// What a decision needs to know about an account's data (its buyers, products, receivables).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    /// The account's last registered activity.
    pub last_activity: Date,
    /// Whether the account is an active customer of the service.
    pub active: bool,
    /// The latest `eligible_from` among the account's invoices (they name its buyers), if it
    /// has any.
    // Limitation: receivables count through the invoices that created them; a receivable left
    // open for years does not by itself delay anonymisation.
    pub latest_invoice_eligible_from: Option<Date>,
    /// Whether a legal hold is set on the account.
    pub legal_hold: bool,
}

/// The outcome of a rule over day numbers: action, reason and the action date or [`NO_DATE`].
pub(crate) type Outcome = (Action, Reason, i32);

/// The invoice rule: deletable from `eligible_from` unless held.
#[inline]
pub(crate) const fn decide_invoice(today: i32, eligible_from: i32, hold: bool) -> Outcome {
    if hold {
        (Action::Keep, Reason::LegalHold, NO_DATE)
    } else if today >= eligible_from {
        (Action::Delete, Reason::InvoiceEligible, eligible_from)
    } else {
        (Action::Keep, Reason::InvoiceRetained, eligible_from)
    }
}

/// The attachment rule: never while the account is active, never without a notice, and from
/// max(eligible_from, notice + notice days). The notice is proposed `notice_days` ahead of
/// `eligible_from` so deletion can happen on the eligible day.
#[inline]
pub(crate) const fn decide_attachment(
    today: i32,
    eligible_from: i32,
    hold: bool,
    account_active: bool,
    notice_sent: i32,
    notice_days: u16,
) -> Outcome {
    let notice_days = notice_days as i32;
    if hold {
        return (Action::Keep, Reason::LegalHold, NO_DATE);
    }
    if account_active {
        return (Action::Keep, Reason::AttachmentAccountActive, NO_DATE);
    }
    if notice_sent == NO_DATE {
        let notice_ends = today.saturating_add(notice_days);
        if notice_ends >= eligible_from {
            let from = if notice_ends > eligible_from {
                notice_ends
            } else {
                eligible_from
            };
            return (Action::Notify, Reason::AttachmentNoticeDue, from);
        }
        return (Action::Keep, Reason::AttachmentRetained, eligible_from);
    }
    // Limitation: any recorded notice counts, even one sent while the account was still
    // active; a service that wants a fresh notice after a reactivation clears the date itself.
    let notice_ends = notice_sent.saturating_add(notice_days);
    let from = if notice_ends > eligible_from {
        notice_ends
    } else {
        eligible_from
    };
    if today >= from {
        (Action::Delete, Reason::AttachmentEligible, from)
    } else {
        (Action::Keep, Reason::AttachmentNoticePending, from)
    }
}

/// The account-data rule: anonymisable from max(activity eligible, latest invoice eligible)
/// while the account is inactive and not held.
#[inline]
pub(crate) const fn decide_account(
    today: i32,
    activity_eligible_from: i32,
    invoices_eligible_from: i32,
    hold: bool,
    active: bool,
) -> Outcome {
    if hold {
        return (Action::Keep, Reason::LegalHold, NO_DATE);
    }
    if active {
        return (Action::Keep, Reason::AccountActive, NO_DATE);
    }
    let from = if invoices_eligible_from > activity_eligible_from {
        invoices_eligible_from
    } else {
        activity_eligible_from
    };
    if today >= from {
        (Action::Anonymise, Reason::AccountAnonymisable, from)
    } else if today < activity_eligible_from {
        (Action::Keep, Reason::AccountRetained, from)
    } else {
        (Action::Keep, Reason::AccountInvoicesRetained, from)
    }
}

/// The day after `date`.
pub(crate) fn next_day(date: Date) -> Result<Date, RetentionError> {
    date.checked_add(Duration::DAY)
        .ok_or(RetentionError::DateOutOfRange { year: date.year() })
}

/// Turns an action day number back into a date.
fn optional_date(day: i32) -> Result<Option<Date>, RetentionError> {
    if day == NO_DATE {
        Ok(None)
    } else {
        date_from_day_number(day).map(Some)
    }
}

impl RetentionPolicy {
    /// When an invoice or credit note may be deleted, and what to do with it today.
    ///
    /// The period runs from the end of the fiscal year the invoice belongs to (by its booking
    /// date where given) by the month-end rule; a legal hold blocks deletion.
    ///
    /// # Errors
    ///
    /// An error when the policy or an explicit fiscal-year end is invalid, or a date is out of
    /// range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::{Action, InvoiceRecord, RetentionPolicy};
    /// use time::macros::date;
    ///
    /// let invoice = InvoiceRecord::dated(date!(2024 - 03 - 15));
    /// let decision = RetentionPolicy::seed().invoice(&invoice, date!(2035 - 01 - 01))?;
    /// assert_eq!(decision.retained_through, date!(2034 - 12 - 31));
    /// assert_eq!(decision.eligible_from, date!(2035 - 01 - 01));
    /// assert_eq!(decision.action, Action::Delete);
    /// # Ok::<(), tillit::retention::RetentionError>(())
    /// ```
    pub fn invoice(
        &self,
        invoice: &InvoiceRecord,
        today: Date,
    ) -> Result<Decision, RetentionError> {
        self.validate()?;
        let (fiscal_year_end, through, from) = self.document_dates(invoice, self.invoice)?;
        let (action, reason, action_from) =
            decide_invoice(day_number(today), day_number(from), invoice.legal_hold);
        self.decision(
            RecordKind::Invoice,
            (action, reason, action_from),
            Some(fiscal_year_end),
            through,
            from,
        )
    }

    /// When an attachment may be deleted, and what to do with it today (keep, notify the
    /// account holder, or delete).
    ///
    /// # Errors
    ///
    /// As for [`RetentionPolicy::invoice`].
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::{Action, AttachmentRecord, InvoiceRecord, RetentionPolicy};
    /// use time::macros::date;
    ///
    /// let attachment = AttachmentRecord {
    ///     document: InvoiceRecord::dated(date!(2024 - 03 - 15)),
    ///     documents_sale: false,
    ///     account_active: false,
    ///     notice_sent: None,
    /// };
    /// let seed = RetentionPolicy::seed();
    /// // Eligible from 2028-07-01; the notice is proposed 30 days ahead.
    /// let decision = seed.attachment(&attachment, date!(2028 - 06 - 01))?;
    /// assert_eq!(decision.action, Action::Notify);
    /// assert_eq!(decision.action_from, Some(date!(2028 - 07 - 01)));
    /// # Ok::<(), tillit::retention::RetentionError>(())
    /// ```
    pub fn attachment(
        &self,
        attachment: &AttachmentRecord,
        today: Date,
    ) -> Result<Decision, RetentionError> {
        self.validate()?;
        let kind = if attachment.documents_sale {
            RecordKind::SaleAttachment
        } else {
            RecordKind::Attachment
        };
        let (fiscal_year_end, through, from) =
            self.document_dates(&attachment.document, self.period(kind))?;
        let outcome = decide_attachment(
            day_number(today),
            day_number(from),
            attachment.document.legal_hold,
            attachment.account_active,
            attachment.notice_sent.map_or(NO_DATE, day_number),
            self.notice_days,
        );
        self.decision(kind, outcome, Some(fiscal_year_end), through, from)
    }

    /// When an account's data (its buyers, products, receivables) may be anonymised.
    ///
    /// The period runs from the last activity by domstolloven § 148; anonymisation also waits
    /// until every invoice naming the account's buyers is eligible, and only while the account
    /// is inactive and not held.
    ///
    /// # Errors
    ///
    /// As for [`RetentionPolicy::invoice`].
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::{AccountRecord, Action, RetentionPolicy};
    /// use time::macros::date;
    ///
    /// let account = AccountRecord {
    ///     last_activity: date!(2024 - 02 - 29),
    ///     active: false,
    ///     latest_invoice_eligible_from: Some(date!(2035 - 01 - 01)),
    ///     legal_hold: false,
    /// };
    /// let decision = RetentionPolicy::seed().account(&account, date!(2034 - 06 - 01))?;
    /// assert_eq!(decision.retained_through, date!(2034 - 02 - 28));
    /// assert_eq!(decision.action, Action::Keep);
    /// assert_eq!(decision.action_from, Some(date!(2035 - 01 - 01)));
    /// # Ok::<(), tillit::retention::RetentionError>(())
    /// ```
    pub fn account(
        &self,
        account: &AccountRecord,
        today: Date,
    ) -> Result<Decision, RetentionError> {
        self.validate()?;
        let through = add_from_event(account.last_activity, self.account_data)?;
        let from = next_day(through)?;
        let outcome = decide_account(
            day_number(today),
            day_number(from),
            account
                .latest_invoice_eligible_from
                .map_or(NO_DATE, day_number),
            account.legal_hold,
            account.active,
        );
        self.decision(RecordKind::AccountData, outcome, None, through, from)
    }

    /// Fiscal-year end, retained-through and eligible-from dates of a document.
    fn document_dates(
        &self,
        document: &InvoiceRecord,
        period: Period,
    ) -> Result<(Date, Date, Date), RetentionError> {
        let end = document.resolved_fiscal_year_end()?;
        let through = add_from_fiscal_year_end(end, period)?;
        Ok((end, through, next_day(through)?))
    }

    /// Assembles a decision from an outcome and its dates.
    pub(crate) fn decision(
        &self,
        kind: RecordKind,
        (action, reason, action_from): Outcome,
        fiscal_year_end: Option<Date>,
        retained_through: Date,
        eligible_from: Date,
    ) -> Result<Decision, RetentionError> {
        Ok(Decision {
            kind,
            action,
            reason,
            period: self.period(kind),
            policy: self.name.clone(),
            notice_days: self.notice_days,
            fiscal_year_end,
            retained_through,
            eligible_from,
            action_from: optional_date(action_from)?,
        })
    }
}
