//! Retention for Kotlin: `FiscalYear`, `RetentionPolicy` (presets, single-record decisions,
//! cut-offs, the columnar planner) and `disclosure`.
//!
//! Dates cross the boundary as epoch days and appear in Kotlin as `java.time.LocalDate` (the
//! custom type `Date` of `types.rs`, mapped in `uniffi.toml`). Plan columns are lists of day numbers, the
//! same numbers `LocalDate.toEpochDay()` gives.

use std::sync::Arc;

use tillit::retention::{self as core, NO_DATE};
use time::Date;

use crate::error::TillitError;

/// A business's fiscal year, named by the month (1 to 12) it ends in.
#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct FiscalYear {
    /// The month whose last day ends the fiscal year; 12 is the calendar year.
    pub end_month: u8,
}

impl FiscalYear {
    fn core(self) -> Result<core::FiscalYear, TillitError> {
        Ok(core::FiscalYear::new(self.end_month)?)
    }
}

/// The end of the fiscal year `date` belongs to.
#[uniffi::export]
pub fn fiscal_year_end(fiscal_year: FiscalYear, date: Date) -> Result<Date, TillitError> {
    Ok(fiscal_year.core()?.fiscal_year_end(date)?)
}

/// Adds `period` to `start` by the month-end rule used from a fiscal-year end.
#[uniffi::export]
pub fn add_from_fiscal_year_end(start: Date, period: Period) -> Result<Date, TillitError> {
    Ok(core::add_from_fiscal_year_end(
        start,
        core::Period::new(period.years, period.months),
    )?)
}

/// Adds `period` to `start` by domstolloven § 148, the rule from an event date.
#[uniffi::export]
pub fn add_from_event(start: Date, period: Period) -> Result<Date, TillitError> {
    Ok(core::add_from_event(
        start,
        core::Period::new(period.years, period.months),
    )?)
}

/// A period in years and months.
#[derive(Clone, Copy, Debug, uniffi::Record)]
pub struct Period {
    /// Whole years.
    pub years: u16,
    /// Months on top of the years.
    pub months: u16,
}

/// The kinds of record a retention policy covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum RecordKind {
    /// An invoice or credit note.
    Invoice,
    /// An attachment that does not document the sale.
    Attachment,
    /// An attachment that documents the sale.
    SaleAttachment,
    /// The account's buyers, products and receivables.
    AccountData,
}

impl RecordKind {
    const fn core(self) -> core::RecordKind {
        match self {
            Self::Invoice => core::RecordKind::Invoice,
            Self::Attachment => core::RecordKind::Attachment,
            Self::SaleAttachment => core::RecordKind::SaleAttachment,
            Self::AccountData => core::RecordKind::AccountData,
        }
    }
    const fn from_core(kind: core::RecordKind) -> Self {
        match kind {
            core::RecordKind::Invoice => Self::Invoice,
            core::RecordKind::Attachment => Self::Attachment,
            core::RecordKind::SaleAttachment => Self::SaleAttachment,
            core::RecordKind::AccountData => Self::AccountData,
        }
    }
}

/// What to do with a record today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum RetentionAction {
    /// Keep the record.
    Keep,
    /// Tell the account holder now; the attachment goes later.
    Notify,
    /// The record may be deleted today.
    Delete,
    /// The account data may be anonymised today.
    Anonymise,
}

/// The rule that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum RetentionReason {
    /// The invoice is inside its period.
    InvoiceRetained,
    /// The invoice's period is over.
    InvoiceEligible,
    /// The attachment is inside its period and its notice is not due.
    AttachmentRetained,
    /// The account is active.
    AttachmentAccountActive,
    /// The notice to the account holder is due now.
    AttachmentNoticeDue,
    /// The notice was sent; deletion waits.
    AttachmentNoticePending,
    /// The attachment may be deleted.
    AttachmentEligible,
    /// The account is active, so its data is kept.
    AccountActive,
    /// The period after the last activity is not over.
    AccountRetained,
    /// An invoice naming the account's buyers is still retained.
    AccountInvoicesRetained,
    /// The account data may be anonymised.
    AccountAnonymisable,
    /// A legal hold blocks deletion and anonymisation.
    LegalHold,
}

const fn action(action: core::Action) -> RetentionAction {
    match action {
        core::Action::Keep => RetentionAction::Keep,
        core::Action::Notify => RetentionAction::Notify,
        core::Action::Delete => RetentionAction::Delete,
        core::Action::Anonymise => RetentionAction::Anonymise,
    }
}

const fn reason(reason: core::Reason) -> RetentionReason {
    use core::Reason as R;
    match reason {
        R::InvoiceRetained => RetentionReason::InvoiceRetained,
        R::InvoiceEligible => RetentionReason::InvoiceEligible,
        R::AttachmentRetained => RetentionReason::AttachmentRetained,
        R::AttachmentAccountActive => RetentionReason::AttachmentAccountActive,
        R::AttachmentNoticeDue => RetentionReason::AttachmentNoticeDue,
        R::AttachmentNoticePending => RetentionReason::AttachmentNoticePending,
        R::AttachmentEligible => RetentionReason::AttachmentEligible,
        R::AccountActive => RetentionReason::AccountActive,
        R::AccountRetained => RetentionReason::AccountRetained,
        R::AccountInvoicesRetained => RetentionReason::AccountInvoicesRetained,
        R::AccountAnonymisable => RetentionReason::AccountAnonymisable,
        R::LegalHold => RetentionReason::LegalHold,
    }
}

/// The outcome for one record with the rule and dates that decided, and its sentence.
#[derive(Clone, Debug, uniffi::Record)]
pub struct RetentionDecision {
    /// The kind of record.
    pub kind: RecordKind,
    /// What to do today.
    pub action: RetentionAction,
    /// The rule that decided.
    pub reason: RetentionReason,
    /// The policy's name.
    pub policy: String,
    /// The end of the record's fiscal year (null for account data).
    pub fiscal_year_end: Option<Date>,
    /// The last day keeping is required by the period.
    pub retained_through: Date,
    /// The first day the period allows the action.
    pub eligible_from: Date,
    /// The first day the action may happen given everything known, or null.
    pub action_from: Option<Date>,
    /// The audit sentence.
    pub explanation: String,
}

impl From<core::Decision> for RetentionDecision {
    fn from(d: core::Decision) -> Self {
        Self {
            kind: RecordKind::from_core(d.kind),
            action: action(d.action),
            reason: reason(d.reason),
            explanation: d.explain(),
            policy: d.policy,
            fiscal_year_end: d.fiscal_year_end,
            retained_through: d.retained_through,
            eligible_from: d.eligible_from,
            action_from: d.action_from,
        }
    }
}

/// Records to plan, as columns of equal length. Dates are epoch days; `Int.MIN_VALUE` means
/// absent; empty optional columns are ignored.
#[derive(Clone, Debug, uniffi::Record)]
pub struct RecordColumns {
    /// 0 invoice or credit note, 1 attachment, 2 attachment documenting the sale.
    pub kind: Vec<u8>,
    /// Document dates.
    pub date: Vec<i32>,
    /// Account rows.
    pub account: Vec<u32>,
    /// Booking dates (or empty).
    pub booking_date: Vec<i32>,
    /// Explicit fiscal-year ends (or empty).
    pub fiscal_year_end: Vec<i32>,
    /// Non-zero where a legal hold is set (or empty).
    pub legal_hold: Vec<u8>,
    /// Notice dates (or empty).
    pub notice_sent: Vec<i32>,
}

/// Accounts, as columns of equal length.
#[derive(Clone, Debug, uniffi::Record)]
pub struct AccountColumns {
    /// Non-zero while the account is active.
    pub active: Vec<u8>,
    /// Last registered activity, in epoch days.
    pub last_activity: Vec<i32>,
    /// Fiscal-year end months (or empty for December).
    pub fiscal_year_end_month: Vec<u8>,
    /// Non-zero where a legal hold is set on the account (or empty).
    pub legal_hold: Vec<u8>,
}

/// One column set of a plan.
#[derive(Clone, Debug, uniffi::Record)]
pub struct PlanColumns {
    /// Action codes: 0 keep, 1 notify, 2 delete, 3 anonymise.
    pub action: Vec<u8>,
    /// Reason codes, in the order of `RetentionReason`.
    pub reason: Vec<u8>,
    /// Fiscal-year ends in epoch days (`Int.MIN_VALUE` for account data).
    pub fiscal_year_end: Vec<i32>,
    /// `eligible_from` in epoch days.
    pub eligible_from: Vec<i32>,
    /// Action dates in epoch days (`Int.MIN_VALUE` where open).
    pub action_from: Vec<i32>,
    /// One audit sentence per row.
    pub explanation: Vec<String>,
}

/// The result of `RetentionPolicy.plan`.
#[derive(Clone, Debug, uniffi::Record)]
pub struct RetentionPlan {
    /// One row per record.
    pub records: PlanColumns,
    /// One row per account.
    pub accounts: PlanColumns,
}

fn plan_columns(
    columns: core::PlanColumns,
    policy: &core::RetentionPolicy,
) -> Result<PlanColumns, TillitError> {
    let explanation = (0..columns.len())
        .map(|row| columns.decision(row, policy).map(|d| d.explain()))
        .collect::<Result<_, _>>()?;
    Ok(PlanColumns {
        action: columns.action,
        reason: columns.reason,
        fiscal_year_end: columns.fiscal_year_end,
        eligible_from: columns.eligible_from,
        action_from: columns.action_from,
        explanation,
    })
}

fn optional<T>(column: &[T]) -> Option<&[T]> {
    if column.is_empty() {
        None
    } else {
        Some(column)
    }
}

/// A retention policy: periods per record kind and the notice for attachments.
#[derive(Debug, uniffi::Object)]
pub struct RetentionPolicy {
    pub(crate) inner: core::RetentionPolicy,
}

#[uniffi::export]
impl RetentionPolicy {
    /// The seed service's promise (the default).
    #[uniffi::constructor]
    pub fn seed() -> Arc<Self> {
        Arc::new(Self {
            inner: core::RetentionPolicy::seed(),
        })
    }

    /// The legal minimum of the bookkeeping act since 2015.
    #[uniffi::constructor]
    pub fn bookkeeping_act() -> Arc<Self> {
        Arc::new(Self {
            inner: core::RetentionPolicy::bookkeeping_act(),
        })
    }

    /// A preset by name.
    #[uniffi::constructor]
    pub fn preset(name: String) -> Result<Arc<Self>, TillitError> {
        Ok(Arc::new(Self {
            inner: core::RetentionPolicy::preset(&name)?,
        }))
    }

    /// A custom policy.
    #[uniffi::constructor]
    pub fn custom(
        name: String,
        invoice: Period,
        attachment: Period,
        sale_attachment: Period,
        account_data: Period,
        notice_days: u16,
    ) -> Result<Arc<Self>, TillitError> {
        let p = |p: Period| core::Period::new(p.years, p.months);
        let inner = core::RetentionPolicy {
            name,
            invoice: p(invoice),
            attachment: p(attachment),
            sale_attachment: p(sale_attachment),
            account_data: p(account_data),
            notice_days,
        };
        inner.validate()?;
        Ok(Arc::new(Self { inner }))
    }

    /// The policy's name.
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The period for a kind.
    pub fn period(&self, kind: RecordKind) -> Period {
        let p = self.inner.period(kind.core());
        Period {
            years: p.years,
            months: p.months,
        }
    }

    /// Days between the notice and deleting an attachment.
    pub fn notice_days(&self) -> u16 {
        self.inner.notice_days
    }

    /// Decides an invoice or credit note on `today`.
    #[uniffi::method(default(fiscal_year_end_month = 12, booking_date = None, fiscal_year_end = None, legal_hold = false))]
    pub fn invoice(
        &self,
        date: Date,
        today: Date,
        fiscal_year_end_month: u8,
        booking_date: Option<Date>,
        fiscal_year_end: Option<Date>,
        legal_hold: bool,
    ) -> Result<RetentionDecision, TillitError> {
        let record = document(
            date,
            fiscal_year_end_month,
            booking_date,
            fiscal_year_end,
            legal_hold,
        )?;
        Ok(self.inner.invoice(&record, today)?.into())
    }

    /// Decides an attachment sent with an invoice dated `date` on `today`.
    #[uniffi::method(default(notice_sent = None, documents_sale = false, fiscal_year_end_month = 12, legal_hold = false))]
    #[allow(clippy::too_many_arguments)]
    pub fn attachment(
        &self,
        date: Date,
        today: Date,
        account_active: bool,
        notice_sent: Option<Date>,
        documents_sale: bool,
        fiscal_year_end_month: u8,
        legal_hold: bool,
    ) -> Result<RetentionDecision, TillitError> {
        let record = core::AttachmentRecord {
            document: document(date, fiscal_year_end_month, None, None, legal_hold)?,
            documents_sale,
            account_active,
            notice_sent,
        };
        Ok(self.inner.attachment(&record, today)?.into())
    }

    /// Decides an account's data on `today`.
    #[uniffi::method(default(latest_invoice_eligible_from = None, legal_hold = false))]
    pub fn account(
        &self,
        last_activity: Date,
        today: Date,
        active: bool,
        latest_invoice_eligible_from: Option<Date>,
        legal_hold: bool,
    ) -> Result<RetentionDecision, TillitError> {
        let record = core::AccountRecord {
            last_activity,
            active,
            latest_invoice_eligible_from,
            legal_hold,
        };
        Ok(self.inner.account(&record, today)?.into())
    }

    /// The cut-off for a kind on `today`.
    pub fn cutoff(&self, kind: RecordKind, today: Date) -> Result<Date, TillitError> {
        Ok(self.inner.cutoff(kind.core(), today)?)
    }

    /// Plans many records at once from columns.
    pub fn plan(
        &self,
        records: RecordColumns,
        accounts: AccountColumns,
        today: Date,
    ) -> Result<RetentionPlan, TillitError> {
        let record_columns = core::RecordColumns {
            kind: &records.kind,
            date: &records.date,
            account: &records.account,
            booking_date: optional(&records.booking_date),
            fiscal_year_end: optional(&records.fiscal_year_end),
            legal_hold: optional(&records.legal_hold),
            notice_sent: optional(&records.notice_sent),
        };
        let account_columns = core::AccountColumns {
            active: &accounts.active,
            last_activity: &accounts.last_activity,
            fiscal_year_end_month: optional(&accounts.fiscal_year_end_month),
            legal_hold: optional(&accounts.legal_hold),
        };
        let plan = self.inner.plan(&record_columns, &account_columns, today)?;
        Ok(RetentionPlan {
            records: plan_columns(plan.records, &self.inner)?,
            accounts: plan_columns(plan.accounts, &self.inner)?,
        })
    }
}

pub(crate) fn document(
    date: Date,
    end_month: u8,
    booking_date: Option<Date>,
    fiscal_year_end: Option<Date>,
    legal_hold: bool,
) -> Result<core::InvoiceRecord, TillitError> {
    Ok(core::InvoiceRecord {
        date,
        booking_date,
        fiscal_year: core::FiscalYear::new(end_month)?,
        fiscal_year_end,
        legal_hold,
    })
}

/// The marker for "no date" in plan columns.
#[uniffi::export]
pub fn retention_no_date() -> i32 {
    NO_DATE
}

/// Who asks for data.
#[derive(Clone, Copy, Debug, uniffi::Enum)]
pub enum Requester {
    /// The account holder, for the account's own data.
    AccountHolder,
    /// The account holder's accountant.
    Accountant,
    /// An auditor.
    Auditor,
    /// The tax authority.
    TaxAuthority,
    /// The police.
    Police,
    /// Anyone else.
    Other,
}

/// The legal basis given.
#[derive(Clone, Copy, Debug, uniffi::Enum)]
pub enum LegalBasis {
    /// None.
    None,
    /// The account holder's consent.
    AccountHolderConsent,
    /// A decision by the authorities.
    AuthorityDecision,
}

/// The answer to a disclosure request.
#[derive(Clone, Debug, uniffi::Record)]
pub struct DisclosureDecision {
    /// Whether the data may be handed over.
    pub allowed: bool,
    /// The rule, as a sentence.
    pub explanation: String,
}

/// Whether data may go to `requester` on `basis` (only a decision by the authorities, with a
/// reference, lets data go to a third party).
#[uniffi::export(default(reference = None))]
pub fn disclosure(
    requester: Requester,
    basis: LegalBasis,
    reference: Option<String>,
) -> DisclosureDecision {
    let requester = match requester {
        Requester::AccountHolder => core::Requester::AccountHolder,
        Requester::Accountant => core::Requester::Accountant,
        Requester::Auditor => core::Requester::Auditor,
        Requester::TaxAuthority => core::Requester::TaxAuthority,
        Requester::Police => core::Requester::Police,
        Requester::Other => core::Requester::Other,
    };
    let basis = match basis {
        LegalBasis::None => core::LegalBasis::None,
        LegalBasis::AccountHolderConsent => core::LegalBasis::AccountHolderConsent,
        LegalBasis::AuthorityDecision => core::LegalBasis::AuthorityDecision,
    };
    let decision = core::disclosure(requester, basis, reference.as_deref());
    DisclosureDecision {
        allowed: decision.allowed,
        explanation: decision.explain().to_owned(),
    }
}
