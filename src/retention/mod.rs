//! Retention: what must be kept, until when, and what may go.
//!
//! The seed service promises to keep invoices at least 10 years after the end of the fiscal
//! year, attachments at least 3 years 6 months (never removed while the account is active, and
//! only after the account holder was told), and to anonymise account data 10 years after the
//! account's last activity. The law behind it (bokføringsloven § 13, bokføringsforskriften
//! kap. 13) asks for less and services differ, so retention is policy as data
//! ([`RetentionPolicy`]) with presets, and every date is computed exactly.
//!
//! Two parties are kept apart throughout: the **account** (the business that subscribes to
//! the service) and the **buyer** (the account's own customer, named on its invoices).
//!
//! # Counting
//!
//! Periods are years and months, never days ([`Period`]). From a fiscal-year end they end at
//! the end of the matching month ([`add_from_fiscal_year_end`]); from an event date, such as
//! an account's last activity, they follow domstolloven § 148 ([`add_from_event`]). A record
//! is retained through `retained_through` and eligible from the next day, `eligible_from`.
//!
//! ```
//! use tillit::retention::{Action, InvoiceRecord, RetentionPolicy};
//! use time::macros::date;
//!
//! let seed = RetentionPolicy::seed();
//! let decision = seed.invoice(&InvoiceRecord::dated(date!(2024 - 03 - 15)), date!(2026 - 12 - 03))?;
//! assert_eq!(decision.fiscal_year_end, Some(date!(2024 - 12 - 31)));
//! assert_eq!(decision.retained_through, date!(2034 - 12 - 31));
//! assert_eq!(decision.eligible_from, date!(2035 - 01 - 01));
//! assert_eq!(decision.action, Action::Keep);
//! # Ok::<(), tillit::retention::RetentionError>(())
//! ```
//!
//! # Sweeping with SQL
//!
//! [`RetentionPolicy::cutoff`] gives, for a day and a record kind, the latest fiscal-year end
//! whose records are eligible, so a service can delete in bulk in its own database. The
//! cut-off settles the period only; the sweep keeps the other rules in its `WHERE` clause:
//! legal holds for everything, and for attachments an inactive account and a notice sent at
//! least `notice_days` ago.
//!
//! ```
//! use tillit::retention::{RecordKind, RetentionPolicy};
//! use time::macros::date;
//!
//! let seed = RetentionPolicy::seed();
//! let today = date!(2035 - 01 - 01);
//! let invoices = seed.cutoff(RecordKind::Invoice, today)?; // 2024-12-31
//! let attachments = seed.cutoff(RecordKind::Attachment, today)?; // 2031-06-30
//! let sql = format!(
//!     "DELETE FROM invoices i
//!       WHERE i.fiscal_year_end <= DATE '{invoices}'
//!         AND NOT i.legal_hold
//!         AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = i.account_id AND a.legal_hold);
//!      DELETE FROM attachments t
//!       USING accounts a
//!       WHERE t.account_id = a.id
//!         AND t.fiscal_year_end <= DATE '{attachments}'
//!         AND NOT t.documents_sale
//!         AND NOT a.active
//!         AND NOT t.legal_hold AND NOT a.legal_hold
//!         AND t.notice_sent IS NOT NULL
//!         AND t.notice_sent <= DATE '{today}' - INTERVAL '{} days';",
//!     seed.notice_days,
//! );
//! assert!(sql.contains("DATE '2024-12-31'") && sql.contains("DATE '2031-06-30'"));
//! # Ok::<(), tillit::retention::RetentionError>(())
//! ```
//!
//! Store each row's `fiscal_year_end` when it is written (from [`FiscalYear`] or the explicit
//! end of a short or long first year): the sweep then needs no date arithmetic in SQL. Run the
//! same sweep with [`RecordKind::SaleAttachment`]'s cut-off for attachments that document the
//! sale, and use [`RetentionPolicy::plan`] to propose the notices ahead of time.
//!
//! # What else is here
//!
//! - [`RetentionPolicy::invoice`], [`attachment`](RetentionPolicy::attachment) and
//!   [`account`](RetentionPolicy::account) decide one record; [`Decision::explain`] renders
//!   the rule and dates as a sentence.
//! - [`RetentionPolicy::plan`] decides many records from columns of day numbers.
//! - [`RetentionPolicy::erasure`] answers a buyer's erasure request (GDPR Art. 17).
//! - [`Buyer::anonymise`] anonymises account data irreversibly.
//! - [`disclosure`] decides whether data may go to someone.

mod anonymise;
mod calendar;
mod decision;
mod disclosure;
mod erasure;
mod plan;
mod policy;
mod sweep;

pub use anonymise::{AnonymisedBuyer, AnonymisedProduct, Buyer, Product, Receivable};
pub use calendar::{
    FiscalYear, MAX_FISCAL_YEAR_MONTHS, MAX_PERIOD_MONTHS, NO_DATE, Period, add_from_event,
    add_from_fiscal_year_end, date_from_day_number, day_number, is_month_end,
};
pub use decision::{AccountRecord, Action, AttachmentRecord, Decision, InvoiceRecord, Reason};
pub use disclosure::{DisclosureDecision, DisclosureReason, LegalBasis, Requester, disclosure};
pub use erasure::{ERASURE_LEGAL_DUTY, ErasureAnswer, ErasureItem, ErasureTiming};
pub use plan::{AccountColumns, Plan, PlanColumns, RecordColumns};
pub use policy::{DEFAULT_NOTICE_DAYS, MAX_NOTICE_DAYS, RecordKind, RetentionPolicy};

use time::Date;

/// Everything that can go wrong when computing retention.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RetentionError {
    /// A period exceeds [`MAX_PERIOD_MONTHS`].
    #[error("period of {months} months exceeds the ceiling of {MAX_PERIOD_MONTHS} months")]
    PeriodTooLong {
        /// The period in months.
        months: u32,
    },
    /// A policy's period is shorter than the bookkeeping act allows.
    #[error("{} period of {period} is below the legal minimum of {minimum}", kind.noun())]
    BelowLegalMinimum {
        /// The record kind.
        kind: RecordKind,
        /// The policy's period.
        period: Period,
        /// The bookkeeping act's minimum.
        minimum: Period,
    },
    /// A notice period exceeds [`MAX_NOTICE_DAYS`].
    #[error("notice of {days} days exceeds the ceiling of {MAX_NOTICE_DAYS} days")]
    NoticeTooLong {
        /// The notice in days.
        days: u16,
    },
    /// No preset has this name.
    #[error(
        "unknown retention preset {name:?}; expected seed, bookkeeping_act, construction, \
         bank_customer_specifications, real_estate_capital_goods or petroleum"
    )]
    UnknownPreset {
        /// The name given.
        name: String,
    },
    /// A fiscal-year end month outside 1 to 12.
    #[error("fiscal-year end month {month} is not a month; expected 1 to 12")]
    InvalidEndMonth {
        /// The month given.
        month: u8,
    },
    /// A day number outside the supported range.
    #[error("day number {day} is outside the supported dates (1600-01-01 to 2599-12-31 in plans)")]
    DayOutOfRange {
        /// The day number given.
        day: i32,
    },
    /// A computed date falls outside the representable years.
    #[error("a date computed from year {year} falls outside the years -9999 to 9999")]
    DateOutOfRange {
        /// The year the computation started from.
        year: i32,
    },
    /// An explicit fiscal-year end that is not a month's last day.
    #[error(
        "fiscal-year end {fiscal_year_end} is not the last day of a month, as every fiscal year ends"
    )]
    FiscalYearEndNotMonthEnd {
        /// The end given.
        fiscal_year_end: Date,
    },
    /// An explicit fiscal-year end before the document date.
    #[error(
        "fiscal-year end {fiscal_year_end} is before the document date {date}; it must be on or after it"
    )]
    FiscalYearEndBeforeDate {
        /// The end given.
        fiscal_year_end: Date,
        /// The document (or booking) date.
        date: Date,
    },
    /// An explicit fiscal-year end too far after the document date.
    #[error(
        "fiscal-year end {fiscal_year_end} is more than {MAX_FISCAL_YEAR_MONTHS} months after the \
         document date {date}; no fiscal year is that long"
    )]
    FiscalYearTooLong {
        /// The end given.
        fiscal_year_end: Date,
        /// The document (or booking) date.
        date: Date,
    },
    /// An explicit fiscal-year end in a planner row that fails the checks above.
    #[error(
        "row {row}: fiscal-year end day {day} must be a month's last day, on or after the document \
         date and at most {MAX_FISCAL_YEAR_MONTHS} months after it"
    )]
    InvalidFiscalYearEndInRow {
        /// The row.
        row: usize,
        /// The day number given.
        day: i32,
    },
    /// A record kind code the planner does not know.
    #[error(
        "row {row}: record kind {code} is not 0 (invoice), 1 (attachment) or 2 (sale attachment)"
    )]
    InvalidRecordKind {
        /// The row.
        row: usize,
        /// The code given.
        code: u8,
    },
    /// An action or reason code that is not defined.
    #[error("row {row}: code {code} is not a defined action or reason")]
    InvalidCode {
        /// The row.
        row: usize,
        /// The code given.
        code: u8,
    },
    /// A record names an account row that does not exist.
    #[error("row {row}: account {account} does not exist; there are {accounts} accounts")]
    AccountOutOfRange {
        /// The row.
        row: usize,
        /// The account given.
        account: u32,
        /// The number of account rows.
        accounts: usize,
    },
    /// Columns of different lengths.
    #[error("column {column} has {actual} rows; expected {expected} like the others")]
    ColumnLength {
        /// The column.
        column: &'static str,
        /// The expected length.
        expected: usize,
        /// The actual length.
        actual: usize,
    },
    /// A row past the end of a plan.
    #[error("row {row} is past the end of a plan of {rows} rows")]
    RowOutOfRange {
        /// The row asked for.
        row: usize,
        /// The number of rows.
        rows: usize,
    },
}
