//! The columnar planner: decisions for millions of records in one pass, from columns of day
//! numbers.
//!
//! A service exports its records as columns (the shape of a SQL result, a NumPy array or an
//! Arrow batch) and gets columns back: an action and a compact [`Reason`] per record, with the
//! fiscal-year end, `eligible_from` and the action date as day numbers. Records go in chunks
//! through two passes. The calendar pass takes a record's month and its period's last day
//! from tables built once per process (a day's month, a month's last day), so it does no
//! date arithmetic. The rules pass reads only columns and decides with selects between
//! values, never a branch on the data, so the compiler runs it on several records per
//! instruction. The unit tests check the rules against the single-record rule functions and
//! the property tests the whole plan against the single-record methods, which decide with
//! dates.

use std::sync::LazyLock;

use time::{Date, Month};

use super::calendar::{
    MAX_FISCAL_YEAR_MONTHS, MAX_PERIOD_MONTHS, NO_DATE, add_from_event, date_from_day_number,
    day_number,
};
use super::decision::decide_account;
use super::{Action, Decision, FiscalYear, Reason, RecordKind, RetentionError, RetentionPolicy};

/// The records to plan, as columns of equal length (one entry per invoice or attachment).
///
/// Dates are day numbers since 1970-01-01; [`NO_DATE`] marks a missing optional date.
#[derive(Clone, Copy, Debug, Default)]
pub struct RecordColumns<'a> {
    /// [`RecordKind`] codes: 0 invoice or credit note, 1 attachment, 2 attachment
    /// documenting the sale.
    pub kind: &'a [u8],
    /// Document dates.
    pub date: &'a [i32],
    /// Booking dates, which decide the fiscal year where present.
    pub booking_date: Option<&'a [i32]>,
    /// Explicit fiscal-year ends (short or long first years), where present.
    pub fiscal_year_end: Option<&'a [i32]>,
    /// The row in [`AccountColumns`] of the account the record belongs to.
    pub account: &'a [u32],
    /// Non-zero where a legal hold is set on the record.
    pub legal_hold: Option<&'a [u8]>,
    /// The day the account holder was told the attachment will be deleted, where they were.
    pub notice_sent: Option<&'a [i32]>,
}

/// The accounts (the service's subscribers) the records belong to, as columns.
#[derive(Clone, Copy, Debug, Default)]
pub struct AccountColumns<'a> {
    /// Non-zero while the account is an active customer of the service.
    pub active: &'a [u8],
    /// The account's last registered activity.
    pub last_activity: &'a [i32],
    /// The month (1 to 12) the account's fiscal year ends in; December where absent.
    pub fiscal_year_end_month: Option<&'a [u8]>,
    /// Non-zero where a legal hold is set on the whole account.
    pub legal_hold: Option<&'a [u8]>,
}

/// One column set of a plan: what to do with each row and the dates that decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanColumns {
    /// [`RecordKind`] codes.
    pub kind: Vec<u8>,
    /// [`Action`] codes.
    pub action: Vec<u8>,
    /// [`Reason`] codes.
    pub reason: Vec<u8>,
    /// The fiscal-year end as a day number ([`NO_DATE`] for account data).
    pub fiscal_year_end: Vec<i32>,
    /// The first day the period alone allows the action (`retained_through` is the day before).
    pub eligible_from: Vec<i32>,
    /// The first day the action may happen given everything known, or [`NO_DATE`].
    pub action_from: Vec<i32>,
}

/// Makes `column` exactly `len` long. A column without room gets fresh zeroed memory, which
/// the allocator hands over without writing it (the pages are zero when first touched), so a
/// new plan is written once, by the planner, rather than cleared first.
fn fit<T: Copy + Default>(column: &mut Vec<T>, len: usize) {
    if column.capacity() < len {
        *column = vec![T::default(); len];
    } else {
        column.resize(len, T::default());
    }
}

impl PlanColumns {
    /// Empties the columns and makes room for `len` rows, keeping their memory.
    fn reset(&mut self, len: usize) {
        for column in [&mut self.kind, &mut self.action, &mut self.reason] {
            column.clear();
            column.reserve(len);
        }
        for column in [
            &mut self.fiscal_year_end,
            &mut self.eligible_from,
            &mut self.action_from,
        ] {
            column.clear();
            column.reserve(len);
        }
    }

    /// Makes the columns exactly `len` rows long, keeping their memory and, where the
    /// length does not change, their contents: the planner then overwrites every row in
    /// place, with no clearing pass and no copy through a buffer.
    fn resize(&mut self, len: usize) {
        for column in [&mut self.kind, &mut self.action, &mut self.reason] {
            fit(column, len);
        }
        for column in [
            &mut self.fiscal_year_end,
            &mut self.eligible_from,
            &mut self.action_from,
        ] {
            fit(column, len);
        }
    }

    /// The number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.action.len()
    }

    /// Whether there are no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.action.is_empty()
    }

    /// How many rows have each action, indexed by the [`Action`] code.
    #[must_use]
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for &action in &self.action {
            if let Some(count) = counts.get_mut(usize::from(action)) {
                *count += 1;
            }
        }
        counts
    }

    /// Row `row` as a full [`Decision`], for audit sentences.
    ///
    /// # Errors
    ///
    /// [`RetentionError::RowOutOfRange`] for a row past the end; a date error if a column was
    /// altered after planning.
    pub fn decision(
        &self,
        row: usize,
        policy: &RetentionPolicy,
    ) -> Result<Decision, RetentionError> {
        let out_of_range = RetentionError::RowOutOfRange {
            row,
            rows: self.len(),
        };
        let get = |column: &[u8]| column.get(row).copied().ok_or(out_of_range.clone());
        let kind = get(&self.kind)?;
        let kind = RecordKind::from_code(kind)
            .ok_or(RetentionError::InvalidRecordKind { row, code: kind })?;
        let action = get(&self.action)?;
        let action =
            Action::from_code(action).ok_or(RetentionError::InvalidCode { row, code: action })?;
        let reason = get(&self.reason)?;
        let reason =
            Reason::from_code(reason).ok_or(RetentionError::InvalidCode { row, code: reason })?;
        let day = |column: &[i32]| column.get(row).copied().ok_or(out_of_range.clone());
        let eligible_from = date_from_day_number(day(&self.eligible_from)?)?;
        let fiscal_year_end = match day(&self.fiscal_year_end)? {
            NO_DATE => None,
            end => Some(date_from_day_number(end)?),
        };
        let retained_through =
            eligible_from
                .previous_day()
                .ok_or(RetentionError::DateOutOfRange {
                    year: eligible_from.year(),
                })?;
        policy.decision(
            kind,
            (action, reason, day(&self.action_from)?),
            fiscal_year_end,
            retained_through,
            eligible_from,
        )
    }
}

/// The result of [`RetentionPolicy::plan`]: one row per record and one per account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Invoices and attachments, in input order.
    pub records: PlanColumns,
    /// Account data (the account's buyers, products and receivables), one row per account.
    pub accounts: PlanColumns,
}

/// The earliest day the planner accepts: 1600-01-01, before any record a service keeps.
const FIRST_SUPPORTED_DAY: i32 = -135_140;
/// The latest day the planner accepts: 2599-12-31, past any retention period.
const LAST_SUPPORTED_DAY: i32 = 230_114;
/// The first year of the tables; months are counted from its January.
const FIRST_YEAR: i32 = 1600;
/// Months the tables cover: the supported years, one more year for fiscal years that end
/// after 2599, and the longest period a policy may hold on top.
const TABLE_MONTHS: usize = 1000 * 12 + 12 + MAX_PERIOD_MONTHS as usize + 1;

/// Calendar facts precomputed once per process for every supported day, so the planner's
/// hot loop does no date arithmetic: a day's month is one load, a month's last day another.
struct DayTables {
    /// For each day from [`FIRST_SUPPORTED_DAY`], its month counted from January 1600.
    month_of_day: Box<[u16]>,
    /// For each month counted from January 1600, the day number of its last day.
    month_end: Box<[i32]>,
}

impl DayTables {
    /// The tables, built on first use (about 0.8 MB, a millisecond of work).
    fn get() -> &'static Self {
        static TABLES: LazyLock<DayTables> = LazyLock::new(DayTables::build);
        &TABLES
    }

    fn build() -> Self {
        let days = usize::try_from(LAST_SUPPORTED_DAY - FIRST_SUPPORTED_DAY + 1).unwrap_or(0);
        let mut month_of_day = Vec::with_capacity(days);
        let mut month_end = Vec::with_capacity(TABLE_MONTHS);
        let mut last_day = FIRST_SUPPORTED_DAY - 1;
        for (index, year) in (FIRST_YEAR..)
            .flat_map(|y| std::iter::repeat_n(y, 12))
            .enumerate()
        {
            if index == TABLE_MONTHS {
                break;
            }
            let month = MONTHS_OF_YEAR[index % 12];
            let length = month.length(year);
            last_day += i32::from(length);
            month_end.push(last_day);
            if month_of_day.len() < days {
                let index = u16::try_from(index).unwrap_or(u16::MAX);
                month_of_day.extend(std::iter::repeat_n(index, usize::from(length)));
            }
        }
        month_of_day.truncate(days);
        Self {
            month_of_day: month_of_day.into_boxed_slice(),
            month_end: month_end.into_boxed_slice(),
        }
    }

    /// The month (counted from January 1600) of a supported day.
    #[inline(always)]
    fn month(&self, day: i32) -> Option<usize> {
        let offset = usize::try_from(day.wrapping_sub(FIRST_SUPPORTED_DAY)).ok()?;
        self.month_of_day
            .get(offset)
            .map(|&month| usize::from(month))
    }

    /// The last day of a month counted from January 1600.
    #[inline(always)]
    fn month_end(&self, month: usize) -> Option<i32> {
        self.month_end.get(month).copied()
    }

    /// [`add_from_event`] over day numbers, for days in the tables: the same day number in
    /// the final month, or that month's last day where it has none.
    fn add_from_event(&self, day: i32, months: usize) -> Option<i32> {
        let month = self.month(day)?;
        let month_start = self.month_end(month.checked_sub(1)?)? + 1;
        let target = month + months;
        let target_start = self.month_end(target - 1)? + 1;
        let target_end = self.month_end(target)?;
        Some((target_start + (day - month_start)).min(target_end))
    }
}

const MONTHS_OF_YEAR: [Month; 12] = [
    Month::January,
    Month::February,
    Month::March,
    Month::April,
    Month::May,
    Month::June,
    Month::July,
    Month::August,
    Month::September,
    Month::October,
    Month::November,
    Month::December,
];

/// Bits of the packed per-account byte: the fiscal year's end month (0 for January) in the
/// low four bits, then whether the account is active and whether it is held.
const ACCOUNT_ACTIVE: u8 = 1 << 4;
const ACCOUNT_HELD: u8 = 1 << 5;
const ACCOUNT_END_MONTH: u8 = 0x0f;

/// `if condition { yes } else { no }` as bit operations, so the compiler cannot turn it
/// into a branch on unpredictable data.
#[inline(always)]
const fn select(condition: bool, yes: i32, no: i32) -> i32 {
    let mask = -(condition as i32);
    (yes & mask) | (no & !mask)
}

/// What the document rules need to know about one invoice or attachment.
struct Document {
    /// An attachment (either kind) rather than an invoice.
    is_attachment: bool,
    /// A legal hold on the record or its account.
    held: bool,
    /// The account is active.
    active: bool,
    /// The first day the period alone allows deletion.
    eligible_from: i32,
    /// When the account holder was told, or [`NO_DATE`].
    notice_sent: i32,
}

impl Document {
    /// The rules of `decide_invoice` and `decide_attachment` (in `decision.rs`), as the
    /// action code, reason code and action day, computed with selects between values and
    /// no branch, so random kinds, notices and holds cost no mispredictions. The unit tests
    /// check it against those functions.
    #[inline(always)]
    fn decide(&self, today: i32, notice_days: i32) -> (u8, u8, i32) {
        let Self {
            is_attachment,
            held,
            active,
            eligible_from,
            notice_sent,
        } = *self;
        let no_notice = notice_sent == NO_DATE;
        // An attachment goes from max(eligible_from, notice + notice days); with no notice
        // yet, the notice proposed today would end at today + notice days. The notice days
        // are never negative, so the saturating add is a `min` and an add.
        let base = select(no_notice, today, notice_sent);
        let notice_ends = base.min(i32::MAX - notice_days) + notice_days;
        let from = select(is_attachment, notice_ends.max(eligible_from), eligible_from);
        let proposing = is_attachment & no_notice;
        let due = (proposing & (notice_ends >= eligible_from)) | (!proposing & (today >= from));
        let open = held | (is_attachment & active);
        let action = select(
            open | !due,
            Action::Keep as i32,
            select(proposing, Action::Notify as i32, Action::Delete as i32),
        );
        let document = select(
            is_attachment,
            select(
                no_notice,
                select(
                    due,
                    Reason::AttachmentNoticeDue as i32,
                    Reason::AttachmentRetained as i32,
                ),
                select(
                    due,
                    Reason::AttachmentEligible as i32,
                    Reason::AttachmentNoticePending as i32,
                ),
            ),
            select(
                due,
                Reason::InvoiceEligible as i32,
                Reason::InvoiceRetained as i32,
            ),
        );
        let document = select(
            is_attachment & active,
            Reason::AttachmentAccountActive as i32,
            document,
        );
        let reason = select(held, Reason::LegalHold as i32, document);
        (
            action.to_le_bytes()[0],
            reason.to_le_bytes()[0],
            select(open, NO_DATE, from),
        )
    }
}

/// Records are decided in chunks of this many rows: the lengths of every input and output
/// column are checked once per chunk, so the loop over its rows has no bounds checks.
const CHUNK: usize = 512;

/// A chunk of "no legal hold", read where the hold column is absent.
static NO_HOLDS: [u8; CHUNK] = [0; CHUNK];
/// A chunk of "no notice sent", read where the notice column is absent.
static NO_NOTICES: [i32; CHUNK] = [NO_DATE; CHUNK];

/// [`MAX_FISCAL_YEAR_MONTHS`] as a count of table months.
const MAX_EXPLICIT_MONTHS: usize = MAX_FISCAL_YEAR_MONTHS.unsigned_abs() as usize;

/// What the hot loop needs besides the columns.
struct Context<'a> {
    tables: &'a DayTables,
    /// Packed account facts, one byte per account row.
    accounts: &'a [u8],
    /// Period in months by record-kind code.
    months: [usize; 3],
    today: i32,
    notice_days: i32,
}

/// The record columns, with absent optional columns as empty slices that the loop, compiled
/// once per combination of present columns, never reads.
struct Inputs<'a> {
    kind: &'a [u8],
    date: &'a [i32],
    account: &'a [u32],
    booking: &'a [i32],
    explicit: &'a [i32],
    hold: &'a [u8],
    notice: &'a [i32],
}

/// A column's rows `start..end`, or an empty slice for a column the loop does not read.
fn rows<T>(column: &[T], start: usize, end: usize, read: bool) -> &[T] {
    if read {
        column.get(start..end).unwrap_or_default()
    } else {
        &[]
    }
}

/// Decides every record, writing row by row into `out` (already as long as the records) and
/// raising `latest` (one slot per account) to each invoice's `eligible_from`.
#[allow(clippy::too_many_lines)]
fn decide_records<
    const BOOKED: bool,
    const EXPLICIT: bool,
    const HOLD: bool,
    const NOTICE: bool,
>(
    cx: &Context<'_>,
    cols: &Inputs<'_>,
    out: &mut PlanColumns,
    latest: &mut [i32],
) -> Result<(), RetentionError> {
    let total = cols.kind.len();
    out.kind.copy_from_slice(cols.kind);
    let mut account_facts = [0_u8; CHUNK];
    let (today, notice_days) = (cx.today, cx.notice_days);
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK).min(total);
        let kind = rows(cols.kind, start, end, true);
        let len = kind.len();
        let date = rows(cols.date, start, end, true);
        let account = rows(cols.account, start, end, true);
        let booking = rows(cols.booking, start, end, BOOKED);
        let explicit = rows(cols.explicit, start, end, EXPLICIT);
        let hold = rows(cols.hold, start, end, HOLD);
        let notice = rows(cols.notice, start, end, NOTICE);
        // The lengths were checked before; saying so here lets the compiler drop the bounds
        // checks in the loop.
        if date.len() != len
            || account.len() != len
            || (BOOKED && booking.len() != len)
            || (EXPLICIT && explicit.len() != len)
            || (HOLD && hold.len() != len)
            || (NOTICE && notice.len() != len)
        {
            return Err(RetentionError::RowOutOfRange {
                row: start,
                rows: total,
            });
        }
        let (Some(action), Some(reason), Some(end_out), Some(eligible_out), Some(from_out)) = (
            out.action.get_mut(start..end),
            out.reason.get_mut(start..end),
            out.fiscal_year_end.get_mut(start..end),
            out.eligible_from.get_mut(start..end),
            out.action_from.get_mut(start..end),
        ) else {
            return Err(RetentionError::RowOutOfRange {
                row: start,
                rows: total,
            });
        };
        // Pass 1, the calendar: each record's fiscal-year end and `eligible_from`, with the
        // packed facts of its account kept for pass 2. The loop is short, so the processor
        // overlaps the table loads of many records.
        let calendar = end_out
            .iter_mut()
            .zip(eligible_out.iter_mut())
            .zip(&mut account_facts[..len]);
        for (i, ((end_out, eligible_out), facts_out)) in calendar.enumerate() {
            let row = start + i;
            let code = kind[i];
            let Some(&months) = cx.months.get(usize::from(code)) else {
                return Err(RetentionError::InvalidRecordKind { row, code });
            };
            let account_id = account[i];
            let account_row = usize::try_from(account_id).unwrap_or(usize::MAX);
            let (Some(&facts), Some(latest)) =
                (cx.accounts.get(account_row), latest.get_mut(account_row))
            else {
                return Err(RetentionError::AccountOutOfRange {
                    row,
                    account: account_id,
                    accounts: cx.accounts.len(),
                });
            };

            let day = if BOOKED {
                select(booking[i] == NO_DATE, date[i], booking[i])
            } else {
                date[i]
            };
            let Some(month) = cx.tables.month(day) else {
                return Err(RetentionError::DayOutOfRange { day });
            };
            // The first end on or after the document's month: the end month's distance
            // ahead, modulo 12, without a branch.
            let ahead = usize::from(facts & ACCOUNT_END_MONTH) + 12 - month % 12;
            let mut end_month = month + if ahead >= 12 { ahead - 12 } else { ahead };
            if EXPLICIT && explicit[i] != NO_DATE {
                end_month = explicit_end(cx.tables, explicit[i], day, month, row)?;
            }
            let (Some(fiscal_year_end), Some(period_end)) = (
                cx.tables.month_end(end_month),
                cx.tables.month_end(end_month + months),
            ) else {
                return Err(RetentionError::DayOutOfRange { day });
            };
            let eligible_from = period_end + 1;
            *end_out = fiscal_year_end;
            *eligible_out = eligible_from;
            *facts_out = facts;
            // Invoices raise their account's latest `eligible_from`; an attachment offers
            // NO_DATE, which never raises it.
            let is_attachment = code != RecordKind::Invoice as u8;
            *latest = (*latest).max(select(is_attachment, NO_DATE, eligible_from));
        }

        // Pass 2, the rules, over columns only: no table lookups and no branches.
        // Absent columns read as chunks of "no hold" and "no notice", so every column can
        // be zipped and the loop indexes nothing.
        let hold = if HOLD { hold } else { &NO_HOLDS[..len] };
        let notice = if NOTICE { notice } else { &NO_NOTICES[..len] };
        let rules = action
            .iter_mut()
            .zip(reason)
            .zip(from_out)
            .zip(&*eligible_out)
            .zip(&account_facts[..len])
            .zip(kind)
            .zip(hold)
            .zip(notice);
        for (((((((action, reason), from_out), &eligible_from), &facts), &kind), &hold), &notice) in
            rules
        {
            let document = Document {
                is_attachment: kind != RecordKind::Invoice as u8,
                held: (facts & ACCOUNT_HELD != 0) | (hold != 0),
                active: facts & ACCOUNT_ACTIVE != 0,
                eligible_from,
                notice_sent: notice,
            };
            (*action, *reason, *from_out) = document.decide(today, notice_days);
        }
        start = end;
    }
    Ok(())
}

/// The month of an explicit fiscal-year end, checked: a month's last day, on or after the
/// document's day and at most [`MAX_FISCAL_YEAR_MONTHS`] after its month.
fn explicit_end(
    tables: &DayTables,
    explicit: i32,
    day: i32,
    month: usize,
    row: usize,
) -> Result<usize, RetentionError> {
    let Some(end_month) = tables.month(explicit) else {
        return Err(RetentionError::DayOutOfRange { day: explicit });
    };
    let month_end = tables.month_end(end_month);
    if month_end != Some(explicit) || explicit < day || end_month - month > MAX_EXPLICIT_MONTHS {
        return Err(RetentionError::InvalidFiscalYearEndInRow { row, day: explicit });
    }
    Ok(end_month)
}

fn check_len<T>(column: &'static str, values: &[T], expected: usize) -> Result<(), RetentionError> {
    if values.len() == expected {
        Ok(())
    } else {
        Err(RetentionError::ColumnLength {
            column,
            expected,
            actual: values.len(),
        })
    }
}

fn check_optional<T>(
    column: &'static str,
    values: Option<&[T]>,
    expected: usize,
) -> Result<(), RetentionError> {
    values.map_or(Ok(()), |values| check_len(column, values, expected))
}

impl RetentionPolicy {
    /// Plans retention for many records at once: what to delete, anonymise, notify and keep
    /// on `today`, each with the reason and dates that decided.
    ///
    /// Every record is decided exactly as the single-record methods
    /// ([`invoice`](Self::invoice), [`attachment`](Self::attachment),
    /// [`account`](Self::account)) would decide it; an account's data also waits for the
    /// latest `eligible_from` among that account's invoices in `records`. A legal hold on an
    /// account holds all of its records.
    ///
    /// # Errors
    ///
    /// An error naming the column or row when columns differ in length, a kind, month or
    /// account row is invalid, an explicit fiscal-year end is not a month end on or after the
    /// document, or a date lies outside 1600 to 2599.
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::{AccountColumns, Action, RecordColumns, RetentionPolicy, day_number};
    /// use time::macros::date;
    ///
    /// let dates = [day_number(date!(2014 - 03 - 15)), day_number(date!(2024 - 03 - 15))];
    /// let records = RecordColumns {
    ///     kind: &[0, 0],
    ///     date: &dates,
    ///     account: &[0, 0],
    ///     ..RecordColumns::default()
    /// };
    /// let accounts = AccountColumns {
    ///     active: &[1],
    ///     last_activity: &[day_number(date!(2026 - 01 - 10))],
    ///     ..AccountColumns::default()
    /// };
    /// let plan = RetentionPolicy::seed().plan(&records, &accounts, date!(2026 - 12 - 03))?;
    /// assert_eq!(plan.records.action, [Action::Delete as u8, Action::Keep as u8]);
    /// assert_eq!(plan.records.eligible_from[1], day_number(date!(2035 - 01 - 01)));
    /// # Ok::<(), tillit::retention::RetentionError>(())
    /// ```
    pub fn plan(
        &self,
        records: &RecordColumns<'_>,
        accounts: &AccountColumns<'_>,
        today: Date,
    ) -> Result<Plan, RetentionError> {
        let mut plan = Plan::default();
        self.plan_into(records, accounts, today, &mut plan)?;
        Ok(plan)
    }

    /// [`plan`](Self::plan), writing into `plan` and reusing the memory of its columns.
    ///
    /// A service that plans batch after batch keeps one [`Plan`] and passes it each time, so
    /// the output columns are not allocated (and their pages not faulted in) again per batch.
    /// On error the contents of `plan` are unspecified.
    ///
    /// # Errors
    ///
    /// As for [`plan`](Self::plan).
    pub fn plan_into(
        &self,
        records: &RecordColumns<'_>,
        accounts: &AccountColumns<'_>,
        today: Date,
        plan: &mut Plan,
    ) -> Result<(), RetentionError> {
        self.validate()?;
        let rows = records.kind.len();
        check_len("date", records.date, rows)?;
        check_len("account", records.account, rows)?;
        check_optional("booking_date", records.booking_date, rows)?;
        check_optional("fiscal_year_end", records.fiscal_year_end, rows)?;
        check_optional("legal_hold", records.legal_hold, rows)?;
        check_optional("notice_sent", records.notice_sent, rows)?;
        let account_rows = accounts.active.len();
        check_len("last_activity", accounts.last_activity, account_rows)?;
        check_optional(
            "fiscal_year_end_month",
            accounts.fiscal_year_end_month,
            account_rows,
        )?;
        check_optional("account legal_hold", accounts.legal_hold, account_rows)?;

        // What the hot loop needs of an account, packed in one byte so a record costs one
        // load from a table that stays in cache.
        let mut account_facts = Vec::with_capacity(account_rows);
        for row in 0..account_rows {
            let end_month = match accounts.fiscal_year_end_month {
                Some(months) => FiscalYear::new(months.get(row).copied().unwrap_or(0))?,
                None => FiscalYear::CALENDAR,
            }
            .end_month as u8
                - 1;
            let active = accounts.active.get(row).is_some_and(|&a| a != 0);
            let held = accounts
                .legal_hold
                .and_then(|h| h.get(row))
                .is_some_and(|&h| h != 0);
            account_facts.push(
                end_month
                    | if active { ACCOUNT_ACTIVE } else { 0 }
                    | if held { ACCOUNT_HELD } else { 0 },
            );
        }

        let months = [self.invoice, self.attachment, self.sale_attachment]
            .map(|p| p.signed_months().map(i32::unsigned_abs));
        let [invoice_months, attachment_months, sale_months] = months;
        let months = [invoice_months?, attachment_months?, sale_months?]
            .map(|m| usize::try_from(m).unwrap_or(usize::MAX));
        let tables = DayTables::get();
        let cx = Context {
            tables,
            accounts: &account_facts,
            months,
            today: day_number(today),
            notice_days: i32::from(self.notice_days),
        };
        let inputs = Inputs {
            kind: records.kind,
            date: records.date,
            account: records.account,
            booking: records.booking_date.unwrap_or_default(),
            explicit: records.fiscal_year_end.unwrap_or_default(),
            hold: records.legal_hold.unwrap_or_default(),
            notice: records.notice_sent.unwrap_or_default(),
        };
        let out = &mut plan.records;
        out.resize(rows);
        // One slot per account for the latest invoice's `eligible_from`.
        let mut latest_invoice = vec![NO_DATE; account_rows];
        let present = (
            records.booking_date.is_some(),
            records.fiscal_year_end.is_some(),
            records.legal_hold.is_some(),
            records.notice_sent.is_some(),
        );
        let run = match present {
            (false, false, false, false) => decide_records::<false, false, false, false>,
            (false, false, false, true) => decide_records::<false, false, false, true>,
            (false, false, true, false) => decide_records::<false, false, true, false>,
            (false, false, true, true) => decide_records::<false, false, true, true>,
            (false, true, false, false) => decide_records::<false, true, false, false>,
            (false, true, false, true) => decide_records::<false, true, false, true>,
            (false, true, true, false) => decide_records::<false, true, true, false>,
            (false, true, true, true) => decide_records::<false, true, true, true>,
            (true, false, false, false) => decide_records::<true, false, false, false>,
            (true, false, false, true) => decide_records::<true, false, false, true>,
            (true, false, true, false) => decide_records::<true, false, true, false>,
            (true, false, true, true) => decide_records::<true, false, true, true>,
            (true, true, false, false) => decide_records::<true, true, false, false>,
            (true, true, false, true) => decide_records::<true, true, false, true>,
            (true, true, true, false) => decide_records::<true, true, true, false>,
            (true, true, true, true) => decide_records::<true, true, true, true>,
        };
        run(&cx, &inputs, out, &mut latest_invoice)?;

        let account_months = self
            .account_data
            .signed_months()
            .map(|m| usize::try_from(m.unsigned_abs()).unwrap_or(usize::MAX))?;
        let account_out = &mut plan.accounts;
        account_out.reset(account_rows);
        for (row, &facts) in account_facts.iter().enumerate() {
            let last_activity = accounts.last_activity.get(row).copied().unwrap_or(NO_DATE);
            let eligible_from = match tables.add_from_event(last_activity, account_months) {
                Some(through) => through + 1,
                // Outside the tables' years the exact calendar decides (or refuses).
                None => {
                    let last_activity = date_from_day_number(last_activity)?;
                    day_number(add_from_event(last_activity, self.account_data)?) + 1
                }
            };
            let (action, reason, action_from) = decide_account(
                cx.today,
                eligible_from,
                latest_invoice.get(row).copied().unwrap_or(NO_DATE),
                facts & ACCOUNT_HELD != 0,
                facts & ACCOUNT_ACTIVE != 0,
            );
            account_out.kind.push(RecordKind::AccountData as u8);
            account_out.action.push(action as u8);
            account_out.reason.push(reason as u8);
            account_out.fiscal_year_end.push(NO_DATE);
            account_out.eligible_from.push(eligible_from);
            account_out.action_from.push(action_from);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::{month_end, month_index};
    use super::*;

    #[test]
    fn document_rules_agree_with_the_single_record_rules() {
        use super::super::decision::{decide_attachment, decide_invoice};
        let days = [
            NO_DATE,
            -5,
            0,
            9,
            10,
            11,
            19,
            20,
            21,
            30,
            i32::MAX - 3,
            i32::MAX,
        ];
        for notice_days in [0_u16, 10, 30] {
            for today in days {
                for eligible_from in days {
                    for notice_sent in days {
                        for facts in 0..8 {
                            let (held, active) = (facts & 1 != 0, facts & 2 != 0);
                            let is_attachment = facts & 4 != 0;
                            let document = Document {
                                is_attachment,
                                held,
                                active,
                                eligible_from,
                                notice_sent,
                            };
                            let (action, reason, from) =
                                document.decide(today, i32::from(notice_days));
                            let expected = if is_attachment {
                                decide_attachment(
                                    today,
                                    eligible_from,
                                    held,
                                    active,
                                    notice_sent,
                                    notice_days,
                                )
                            } else {
                                decide_invoice(today, eligible_from, held)
                            };
                            assert_eq!(
                                (action, reason, from),
                                (expected.0 as u8, expected.1 as u8, expected.2),
                                "{today} {eligible_from} {notice_sent} {facts} {notice_days}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn tables_agree_with_the_calendar_on_every_supported_day() {
        let tables = DayTables::get();
        let first_month =
            usize::try_from(month_index(Date::MIN.replace_year(1600).expect("year"))).unwrap_or(0);
        for day in FIRST_SUPPORTED_DAY..=LAST_SUPPORTED_DAY {
            let date = date_from_day_number(day).expect("supported");
            let month = tables.month(day).expect("in the table");
            let index = usize::try_from(month_index(date)).expect("positive") - first_month;
            assert_eq!(month, index, "{date}");
            let end = month_end(month_index(date)).expect("in range");
            assert_eq!(tables.month_end(month), Some(day_number(end)), "{date}");
        }
        assert_eq!(tables.month(FIRST_SUPPORTED_DAY - 1), None);
        assert_eq!(tables.month(LAST_SUPPORTED_DAY + 1), None);
        assert_eq!(tables.month(NO_DATE), None);
        let last = i32::try_from(TABLE_MONTHS - 1).expect("small") + FIRST_YEAR * 12;
        assert_eq!(
            tables.month_end(TABLE_MONTHS - 1),
            month_end(last).ok().map(day_number)
        );
    }
}
