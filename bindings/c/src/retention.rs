//! Retention for C: policies as opaque handles, dates as a plain `{year, month, day}` struct,
//! single-record decisions, cut-offs, the columnar planner over caller-owned arrays, and the
//! disclosure decision.
//!
//! Codes match the core's byte codes: kinds 0 invoice, 1 attachment, 2 sale attachment,
//! 3 account data; actions 0 keep, 1 notify, 2 delete, 3 anonymise; reasons in the order of
//! the core's `Reason`. Day numbers in plan columns count days since 1970-01-01, and
//! `INT32_MIN` marks "no date".

use std::ffi::c_char;

use tillit::retention::{
    self as core, AccountColumns, AccountRecord, AttachmentRecord, FiscalYear, InvoiceRecord,
    Period, RecordColumns, RecordKind, RetentionError, RetentionPolicy,
};
use time::{Date, Month};

use crate::error::{Failure, guard, out_arg, str_arg, write_string};

/// A calendar date (a Norwegian date, no time zone).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct tillit_date {
    /// The year, for example 2024.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

impl tillit_date {
    pub(crate) fn to_core(self, name: &str) -> Result<Date, Failure> {
        Month::try_from(self.month)
            .ok()
            .and_then(|month| Date::from_calendar_date(self.year, month, self.day).ok())
            .ok_or_else(|| {
                Failure::invalid(format!(
                    "argument `{name}` ({}-{:02}-{:02}) is not a calendar date",
                    self.year, self.month, self.day
                ))
            })
    }

    pub(crate) fn from_core(date: Date) -> Self {
        Self {
            year: date.year(),
            month: date.month() as u8,
            day: date.day(),
        }
    }
}

/// Reads an optional date: NULL means absent.
///
/// # Safety
/// `ptr` must be NULL or point to a readable `tillit_date`.
unsafe fn opt_date(ptr: *const tillit_date, name: &str) -> Result<Option<Date>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: checked non-NULL; the caller promises it is readable.
    let date = unsafe { *ptr };
    date.to_core(name).map(Some)
}

pub(crate) fn core_failure(error: RetentionError) -> Failure {
    Failure::invalid(error.to_string())
}

/// An opaque retention policy; release it with `tillit_retention_policy_free`.
#[derive(Debug)]
pub struct tillit_retention_policy {
    inner: RetentionPolicy,
}

/// The outcome for one record: codes and dates.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_retention_decision {
    /// The record kind code.
    pub kind: u8,
    /// The action code.
    pub action: u8,
    /// The reason code.
    pub reason: u8,
    /// Whether `fiscal_year_end` is set (false for account data).
    pub has_fiscal_year_end: bool,
    /// The end of the record's fiscal year.
    pub fiscal_year_end: tillit_date,
    /// The last day keeping is required by the period.
    pub retained_through: tillit_date,
    /// The first day the period allows the action.
    pub eligible_from: tillit_date,
    /// Whether `action_from` is set.
    pub has_action_from: bool,
    /// The first day the action may happen given everything known.
    pub action_from: tillit_date,
}

impl tillit_retention_decision {
    pub(crate) fn from_core(d: &core::Decision) -> Self {
        let none = tillit_date {
            year: 0,
            month: 0,
            day: 0,
        };
        Self {
            kind: d.kind as u8,
            action: d.action as u8,
            reason: d.reason as u8,
            has_fiscal_year_end: d.fiscal_year_end.is_some(),
            fiscal_year_end: d.fiscal_year_end.map_or(none, tillit_date::from_core),
            retained_through: tillit_date::from_core(d.retained_through),
            eligible_from: tillit_date::from_core(d.eligible_from),
            has_action_from: d.action_from.is_some(),
            action_from: d.action_from.map_or(none, tillit_date::from_core),
        }
    }
}

/// Checks a policy handle and borrows it.
///
/// # Safety
/// `policy` must be NULL or a live handle from `tillit_retention_policy_new`.
pub(crate) unsafe fn policy_arg<'a>(
    policy: *const tillit_retention_policy,
) -> Result<&'a RetentionPolicy, Failure> {
    if policy.is_null() {
        return Err(Failure::null("policy"));
    }
    // SAFETY: non-NULL and, by the caller's promise, a live handle.
    Ok(unsafe { &(*policy).inner })
}

/// Writes a decision to `*out`.
///
/// # Safety
/// `out` must be NULL or writable.
unsafe fn write_decision(
    out: *mut tillit_retention_decision,
    decision: &core::Decision,
) -> Result<(), Failure> {
    out_arg(out, "out")?;
    // SAFETY: checked non-NULL; the caller promises it is writable.
    unsafe { *out = tillit_retention_decision::from_core(decision) };
    Ok(())
}

/// Makes a policy from a preset name: `seed`, `bookkeeping_act`, `construction`,
/// `bank_customer_specifications`, `real_estate_capital_goods` or `petroleum`.
///
/// # Safety
/// `preset` must be a NUL-terminated string; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_policy_new(
    preset: *const c_char,
    out: *mut *mut tillit_retention_policy,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise.
        let name = unsafe { str_arg(preset, "preset") }?;
        out_arg(out, "out")?;
        let inner = RetentionPolicy::preset(name).map_err(core_failure)?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = Box::into_raw(Box::new(tillit_retention_policy { inner })) };
        Ok(())
    })
}

/// Makes a custom policy from periods in years and months and a notice in days.
///
/// # Safety
/// `name` must be a NUL-terminated string; `out` must be writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tillit_retention_policy_custom(
    name: *const c_char,
    invoice_years: u16,
    invoice_months: u16,
    attachment_years: u16,
    attachment_months: u16,
    sale_attachment_years: u16,
    sale_attachment_months: u16,
    account_data_years: u16,
    account_data_months: u16,
    notice_days: u16,
    out: *mut *mut tillit_retention_policy,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise.
        let name = unsafe { str_arg(name, "name") }?;
        out_arg(out, "out")?;
        let inner = RetentionPolicy {
            name: name.to_owned(),
            invoice: Period::new(invoice_years, invoice_months),
            attachment: Period::new(attachment_years, attachment_months),
            sale_attachment: Period::new(sale_attachment_years, sale_attachment_months),
            account_data: Period::new(account_data_years, account_data_months),
            notice_days,
        };
        inner.validate().map_err(core_failure)?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = Box::into_raw(Box::new(tillit_retention_policy { inner })) };
        Ok(())
    })
}

/// Releases a policy; NULL is accepted and ignored.
///
/// # Safety
/// `policy` must be NULL or a handle from `tillit_retention_policy_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_policy_free(policy: *mut tillit_retention_policy) {
    if !policy.is_null() {
        // SAFETY: the caller promises the handle came from Box::into_raw and is freed once.
        drop(unsafe { Box::from_raw(policy) });
    }
}

/// The end of the fiscal year ending in `end_month` (1 to 12) that `date` belongs to.
///
/// # Safety
/// `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_fiscal_year_end(
    end_month: u8,
    date: tillit_date,
    out: *mut tillit_date,
) -> crate::tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        let date = date.to_core("date")?;
        let year = FiscalYear::new(end_month).map_err(core_failure)?;
        let end = year.fiscal_year_end(date).map_err(core_failure)?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = tillit_date::from_core(end) };
        Ok(())
    })
}

/// Adds a period by the month-end rule (periods from a fiscal-year end) when `from_event` is
/// false, or by domstolloven § 148 (periods from an event) when it is true.
///
/// # Safety
/// `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_add_period(
    start: tillit_date,
    years: u16,
    months: u16,
    from_event: bool,
    out: *mut tillit_date,
) -> crate::tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        let start = start.to_core("start")?;
        let period = Period::new(years, months);
        let end = if from_event {
            core::add_from_event(start, period)
        } else {
            core::add_from_fiscal_year_end(start, period)
        }
        .map_err(core_failure)?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = tillit_date::from_core(end) };
        Ok(())
    })
}

/// Decides an invoice or credit note on `today`. `booking_date` and `fiscal_year_end` may be
/// NULL; `end_month` is the account's fiscal-year end month (12 for the calendar year).
///
/// # Safety
/// `policy` must be a live handle; the optional dates NULL or readable; `out` writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tillit_retention_invoice(
    policy: *const tillit_retention_policy,
    date: tillit_date,
    booking_date: *const tillit_date,
    end_month: u8,
    fiscal_year_end: *const tillit_date,
    legal_hold: bool,
    today: tillit_date,
    out: *mut tillit_retention_decision,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises for every pointer.
        let (policy, booking_date, fiscal_year_end) = unsafe {
            (
                policy_arg(policy)?,
                opt_date(booking_date, "booking_date")?,
                opt_date(fiscal_year_end, "fiscal_year_end")?,
            )
        };
        out_arg(out, "out")?;
        let record = InvoiceRecord {
            date: date.to_core("date")?,
            booking_date,
            fiscal_year: FiscalYear::new(end_month).map_err(core_failure)?,
            fiscal_year_end,
            legal_hold,
        };
        let decision = policy
            .invoice(&record, today.to_core("today")?)
            .map_err(core_failure)?;
        // SAFETY: forwarded caller promise.
        unsafe { write_decision(out, &decision) }
    })
}

/// Decides an attachment sent with an invoice dated `date`. `notice_sent` may be NULL (no
/// notice yet).
///
/// # Safety
/// `policy` must be a live handle; `notice_sent` NULL or readable; `out` writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tillit_retention_attachment(
    policy: *const tillit_retention_policy,
    date: tillit_date,
    end_month: u8,
    documents_sale: bool,
    account_active: bool,
    notice_sent: *const tillit_date,
    legal_hold: bool,
    today: tillit_date,
    out: *mut tillit_retention_decision,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises.
        let (policy, notice_sent) =
            unsafe { (policy_arg(policy)?, opt_date(notice_sent, "notice_sent")?) };
        out_arg(out, "out")?;
        let record = AttachmentRecord {
            document: InvoiceRecord {
                fiscal_year: FiscalYear::new(end_month).map_err(core_failure)?,
                legal_hold,
                ..InvoiceRecord::dated(date.to_core("date")?)
            },
            documents_sale,
            account_active,
            notice_sent,
        };
        let decision = policy
            .attachment(&record, today.to_core("today")?)
            .map_err(core_failure)?;
        // SAFETY: forwarded caller promise.
        unsafe { write_decision(out, &decision) }
    })
}

/// Decides an account's data (its buyers, products, receivables).
/// `latest_invoice_eligible_from` may be NULL when the account has no invoices.
///
/// # Safety
/// `policy` must be a live handle; the optional date NULL or readable; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_account(
    policy: *const tillit_retention_policy,
    last_activity: tillit_date,
    active: bool,
    latest_invoice_eligible_from: *const tillit_date,
    legal_hold: bool,
    today: tillit_date,
    out: *mut tillit_retention_decision,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promises.
        let (policy, latest) = unsafe {
            (
                policy_arg(policy)?,
                opt_date(latest_invoice_eligible_from, "latest_invoice_eligible_from")?,
            )
        };
        out_arg(out, "out")?;
        let record = AccountRecord {
            last_activity: last_activity.to_core("last_activity")?,
            active,
            latest_invoice_eligible_from: latest,
            legal_hold,
        };
        let decision = policy
            .account(&record, today.to_core("today")?)
            .map_err(core_failure)?;
        // SAFETY: forwarded caller promise.
        unsafe { write_decision(out, &decision) }
    })
}

/// The cut-off for kind code `kind` on `today` (see the SQL sweep in the retention docs).
///
/// # Safety
/// `policy` must be a live handle; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_cutoff(
    policy: *const tillit_retention_policy,
    kind: u8,
    today: tillit_date,
    out: *mut tillit_date,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise.
        let policy = unsafe { policy_arg(policy) }?;
        out_arg(out, "out")?;
        let kind = RecordKind::from_code(kind)
            .ok_or_else(|| Failure::invalid(format!("record kind {kind} is not 0, 1, 2 or 3")))?;
        let cutoff = policy
            .cutoff(kind, today.to_core("today")?)
            .map_err(core_failure)?;
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = tillit_date::from_core(cutoff) };
        Ok(())
    })
}

/// Writes the audit sentence for a decision to `*out` (release it with `tillit_string_free`).
///
/// # Safety
/// `policy` must be a live handle (the one that made the decision); `decision` readable;
/// `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_explain(
    policy: *const tillit_retention_policy,
    decision: *const tillit_retention_decision,
    out: *mut *mut c_char,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise.
        let policy = unsafe { policy_arg(policy) }?;
        if decision.is_null() {
            return Err(Failure::null("decision"));
        }
        // SAFETY: checked non-NULL; the caller promises it is readable.
        let d = unsafe { *decision };
        let day = |date: tillit_date, name| date.to_core(name).map(core::day_number);
        let columns = core::PlanColumns {
            kind: vec![d.kind],
            action: vec![d.action],
            reason: vec![d.reason],
            fiscal_year_end: vec![if d.has_fiscal_year_end {
                day(d.fiscal_year_end, "fiscal_year_end")?
            } else {
                core::NO_DATE
            }],
            eligible_from: vec![day(d.eligible_from, "eligible_from")?],
            action_from: vec![if d.has_action_from {
                day(d.action_from, "action_from")?
            } else {
                core::NO_DATE
            }],
        };
        let text = columns.decision(0, policy).map_err(core_failure)?.explain();
        // SAFETY: forwarded caller promise.
        unsafe { write_string(out, "out", &text) }
    })
}

/// Records to plan: `len` rows; `kind`, `date` and `account` are required, the other arrays
/// may be NULL.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_retention_records {
    /// Number of rows in every array.
    pub len: usize,
    /// Kind codes (0, 1 or 2).
    pub kind: *const u8,
    /// Document dates, as day numbers.
    pub date: *const i32,
    /// Account rows.
    pub account: *const u32,
    /// Booking dates or NULL.
    pub booking_date: *const i32,
    /// Explicit fiscal-year ends or NULL.
    pub fiscal_year_end: *const i32,
    /// Non-zero where held, or NULL.
    pub legal_hold: *const u8,
    /// Notice dates or NULL.
    pub notice_sent: *const i32,
}

/// Accounts: `len` rows; `active` and `last_activity` are required.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_retention_accounts {
    /// Number of rows in every array.
    pub len: usize,
    /// Non-zero while active.
    pub active: *const u8,
    /// Last activity, as day numbers.
    pub last_activity: *const i32,
    /// Fiscal-year end months or NULL (December).
    pub fiscal_year_end_month: *const u8,
    /// Non-zero where held, or NULL.
    pub legal_hold: *const u8,
}

/// Caller-owned output arrays for one column set, each as long as its input.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct tillit_retention_plan_columns {
    /// Action codes.
    pub action: *mut u8,
    /// Reason codes.
    pub reason: *mut u8,
    /// Fiscal-year ends as day numbers (`INT32_MIN` for account data).
    pub fiscal_year_end: *mut i32,
    /// `eligible_from` as day numbers.
    pub eligible_from: *mut i32,
    /// Action dates as day numbers (`INT32_MIN` where open).
    pub action_from: *mut i32,
}

/// Borrows a required input array.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable elements.
unsafe fn slice<'a, T>(ptr: *const T, len: usize, name: &str) -> Result<&'a [T], Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::null(name))
        };
    }
    // SAFETY: non-NULL, and the caller promises `len` readable elements.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows an optional input array.
///
/// # Safety
/// As for [`slice`].
unsafe fn opt_slice<'a, T>(ptr: *const T, len: usize) -> Option<&'a [T]> {
    // SAFETY: forwarded caller promise.
    (!ptr.is_null()).then(|| unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Copies a plan's columns to caller arrays (all pointers checked first).
///
/// # Safety
/// Every pointer must be NULL or point to `columns.len()` writable elements.
unsafe fn write_columns(
    out: &tillit_retention_plan_columns,
    columns: &core::PlanColumns,
) -> Result<(), Failure> {
    let len = columns.len();
    if len == 0 {
        return Ok(());
    }
    out_arg(out.action, "action")?;
    out_arg(out.reason, "reason")?;
    out_arg(out.fiscal_year_end, "fiscal_year_end")?;
    out_arg(out.eligible_from, "eligible_from")?;
    out_arg(out.action_from, "action_from")?;
    // SAFETY: every pointer is non-NULL and, by the caller's promise, has `len` elements.
    unsafe {
        std::ptr::copy_nonoverlapping(columns.action.as_ptr(), out.action, len);
        std::ptr::copy_nonoverlapping(columns.reason.as_ptr(), out.reason, len);
        std::ptr::copy_nonoverlapping(columns.fiscal_year_end.as_ptr(), out.fiscal_year_end, len);
        std::ptr::copy_nonoverlapping(columns.eligible_from.as_ptr(), out.eligible_from, len);
        std::ptr::copy_nonoverlapping(columns.action_from.as_ptr(), out.action_from, len);
    }
    Ok(())
}

/// Plans many records at once. Outputs are written only on success.
///
/// # Safety
/// `policy` must be a live handle; `records`, `accounts`, `record_out` and `account_out` must
/// be readable structs whose arrays hold as many elements as their `len` says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_plan(
    policy: *const tillit_retention_policy,
    records: *const tillit_retention_records,
    accounts: *const tillit_retention_accounts,
    today: tillit_date,
    record_out: *const tillit_retention_plan_columns,
    account_out: *const tillit_retention_plan_columns,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise.
        let policy = unsafe { policy_arg(policy) }?;
        for (ptr, name) in [
            (records.cast::<u8>(), "records"),
            (accounts.cast::<u8>(), "accounts"),
            (record_out.cast::<u8>(), "record_out"),
            (account_out.cast::<u8>(), "account_out"),
        ] {
            if ptr.is_null() {
                return Err(Failure::null(name));
            }
        }
        // SAFETY: all four checked non-NULL; the caller promises they are readable.
        let (r, a, record_out, account_out) =
            unsafe { (*records, *accounts, *record_out, *account_out) };
        // SAFETY: the caller promises every array holds `len` elements.
        let (record_columns, account_columns) = unsafe {
            (
                RecordColumns {
                    kind: slice(r.kind, r.len, "records.kind")?,
                    date: slice(r.date, r.len, "records.date")?,
                    account: slice(r.account, r.len, "records.account")?,
                    booking_date: opt_slice(r.booking_date, r.len),
                    fiscal_year_end: opt_slice(r.fiscal_year_end, r.len),
                    legal_hold: opt_slice(r.legal_hold, r.len),
                    notice_sent: opt_slice(r.notice_sent, r.len),
                },
                AccountColumns {
                    active: slice(a.active, a.len, "accounts.active")?,
                    last_activity: slice(a.last_activity, a.len, "accounts.last_activity")?,
                    fiscal_year_end_month: opt_slice(a.fiscal_year_end_month, a.len),
                    legal_hold: opt_slice(a.legal_hold, a.len),
                },
            )
        };
        let plan = policy
            .plan(&record_columns, &account_columns, today.to_core("today")?)
            .map_err(core_failure)?;
        // SAFETY: forwarded caller promise on the output arrays.
        unsafe {
            write_columns(&record_out, &plan.records)?;
            write_columns(&account_out, &plan.accounts)
        }
    })
}

/// Decides whether data may go to `requester` (0 account holder, 1 accountant, 2 auditor,
/// 3 tax authority, 4 police, 5 other) on `basis` (0 none, 1 account holder's consent,
/// 2 decision by the authorities, whose `reference` must then be given; may be NULL).
///
/// # Safety
/// `reference` must be NULL or NUL-terminated; `allowed` writable; `reason` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_retention_disclosure(
    requester: u8,
    basis: u8,
    reference: *const c_char,
    allowed: *mut bool,
    reason: *mut *mut c_char,
) -> crate::tillit_status {
    guard(|| {
        // SAFETY: forwarded caller promise.
        let reference = unsafe { crate::error::opt_str_arg(reference, "reference") }?;
        out_arg(allowed, "allowed")?;
        let requester = match requester {
            0 => core::Requester::AccountHolder,
            1 => core::Requester::Accountant,
            2 => core::Requester::Auditor,
            3 => core::Requester::TaxAuthority,
            4 => core::Requester::Police,
            5 => core::Requester::Other,
            other => return Err(Failure::invalid(format!("requester {other} is not 0 to 5"))),
        };
        let basis = match basis {
            0 => core::LegalBasis::None,
            1 => core::LegalBasis::AccountHolderConsent,
            2 => core::LegalBasis::AuthorityDecision,
            other => {
                return Err(Failure::invalid(format!(
                    "legal basis {other} is not 0, 1 or 2"
                )));
            }
        };
        let decision = core::disclosure(requester, basis, reference);
        if !reason.is_null() {
            // SAFETY: checked non-NULL; the caller promises it is writable.
            unsafe { write_string(reason, "reason", decision.explain()) }?;
        }
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *allowed = decision.allowed };
        Ok(())
    })
}
