//! The columnar planner: decisions for millions of records in one pass, from columns of day
//! numbers.
//!
//! A service exports its records as columns (the shape of a SQL result, a NumPy array or an
//! Arrow batch) and gets columns back: an action and a compact [`Reason`] per record, with the
//! fiscal-year end, `eligible_from` and the action date as day numbers. The per-record rules
//! are the same functions the single-record methods use; only the calendar work differs:
//! instead of converting every date, the planner keeps a small table from day number to month
//! and from month to month end for the span of days it has seen, so the hot loop is a few
//! loads and comparisons per record.

use time::Date;

use super::calendar::{
    MAX_FISCAL_YEAR_MONTHS, NO_DATE, add_from_event, date_from_day_number, day_number, month_end,
    month_index,
};
use super::decision::{decide_account, decide_attachment, decide_invoice, next_day};
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

impl PlanColumns {
    fn with_len(len: usize) -> Self {
        Self {
            kind: vec![0; len],
            action: vec![0; len],
            reason: vec![0; len],
            fiscal_year_end: vec![NO_DATE; len],
            eligible_from: vec![NO_DATE; len],
            action_from: vec![NO_DATE; len],
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
/// What the planner's hot loop needs of one account.
#[derive(Clone, Copy, Debug)]
struct AccountFacts {
    fiscal_year: FiscalYear,
    held: bool,
    active: bool,
}

/// Days added on each side when the table grows, so growth is rare.
const GROWTH_MARGIN: i32 = 4096;

/// Day-to-month and month-to-month-end tables over the span of days seen so far.
#[derive(Debug)]
struct CalendarTable {
    first_day: i32,
    month_of_day: Vec<i32>,
    first_month: i32,
    month_end_day: Vec<i32>,
    months_ahead: i32,
}

impl CalendarTable {
    fn new(months_ahead: i32) -> Self {
        Self {
            first_day: 0,
            month_of_day: Vec::new(),
            first_month: 0,
            month_end_day: Vec::new(),
            months_ahead,
        }
    }

    /// The month index of a day number.
    #[inline(always)]
    fn month(&mut self, day: i32) -> Result<i32, RetentionError> {
        let offset = usize::try_from(day.wrapping_sub(self.first_day)).ok();
        match offset.and_then(|offset| self.month_of_day.get(offset)) {
            Some(&month) if day >= self.first_day => Ok(month),
            _ => self.grow(day),
        }
    }

    /// The day number of the last day of month `month`.
    #[inline(always)]
    fn month_end(&self, month: i32) -> Result<i32, RetentionError> {
        let offset = usize::try_from(month.wrapping_sub(self.first_month)).ok();
        match offset.and_then(|offset| self.month_end_day.get(offset)) {
            Some(&day) if month >= self.first_month => Ok(day),
            _ => Self::month_end_slow(month),
        }
    }

    /// Months outside the table only arise from explicit ends far from the data, so this path
    /// is cold; it is exact either way.
    #[cold]
    fn month_end_slow(month: i32) -> Result<i32, RetentionError> {
        month_end(month).map(day_number)
    }

    /// Rebuilds the tables to cover `day`, at least doubling their span so the cost of
    /// growing stays proportional to the span of the data.
    #[cold]
    fn grow(&mut self, day: i32) -> Result<i32, RetentionError> {
        if !(FIRST_SUPPORTED_DAY..=LAST_SUPPORTED_DAY).contains(&day) {
            return Err(RetentionError::DayOutOfRange { day });
        }
        let span = i32::try_from(self.month_of_day.len()).unwrap_or(i32::MAX);
        let (mut first, mut last) = if self.month_of_day.is_empty() {
            (day - GROWTH_MARGIN, day + GROWTH_MARGIN)
        } else {
            (self.first_day, self.first_day + span - 1)
        };
        if day < first {
            first = day - GROWTH_MARGIN.max(span);
        }
        if day > last {
            last = day + GROWTH_MARGIN.max(span);
        }
        let first = first.max(FIRST_SUPPORTED_DAY);
        let last = last.min(LAST_SUPPORTED_DAY);

        let start = date_from_day_number(first)?;
        let end = date_from_day_number(last)?;
        let mut month_of_day = Vec::with_capacity(usize::try_from(last - first + 1).unwrap_or(0));
        let mut date = start;
        loop {
            month_of_day.push(month_index(date));
            if date >= end {
                break;
            }
            date = next_day(date)?;
        }
        let first_month = month_index(start);
        let last_month = month_index(end) + self.months_ahead + 12;
        let month_end_day = (first_month..=last_month)
            .map(|month| month_end(month).map(day_number))
            .collect::<Result<Vec<_>, _>>()?;

        self.first_day = first;
        self.month_of_day = month_of_day;
        self.first_month = first_month;
        self.month_end_day = month_end_day;
        Ok(month_index(date_from_day_number(day)?))
    }
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

        let fiscal_years = match accounts.fiscal_year_end_month {
            Some(months) => months
                .iter()
                .map(|&month| FiscalYear::new(month))
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![FiscalYear::CALENDAR; account_rows],
        };
        let account_hold: Vec<bool> = match accounts.legal_hold {
            Some(holds) => holds.iter().map(|&hold| hold != 0).collect(),
            None => vec![false; account_rows],
        };
        // What the hot loop needs of an account, packed so a record costs one lookup.
        let facts: Vec<AccountFacts> = fiscal_years
            .iter()
            .zip(&account_hold)
            .zip(accounts.active)
            .map(|((&fiscal_year, &held), &active)| AccountFacts {
                fiscal_year,
                held,
                active: active != 0,
            })
            .collect();

        let today = day_number(today);
        let periods =
            [self.invoice, self.attachment, self.sale_attachment].map(|p| p.signed_months());
        let [invoice_months, attachment_months, sale_months] = periods;
        let months = [invoice_months?, attachment_months?, sale_months?];
        let mut calendar = CalendarTable::new(months.iter().copied().max().unwrap_or(0));
        let mut latest_invoice = vec![NO_DATE; account_rows];
        let mut out = PlanColumns::with_len(rows);
        let notice_days = self.notice_days;

        // The outputs are written through one zipped iterator, so the loop has no capacity or
        // bounds checks on them.
        let outputs = out
            .kind
            .iter_mut()
            .zip(out.action.iter_mut())
            .zip(out.reason.iter_mut())
            .zip(out.fiscal_year_end.iter_mut())
            .zip(out.eligible_from.iter_mut())
            .zip(out.action_from.iter_mut());
        for (row, (((((kind_out, action_out), reason_out), end_out), eligible_out), from_out)) in
            outputs.enumerate()
        {
            // Indexing is checked once per column above; `get` keeps the loop panic-free.
            let at = |column: &[i32]| column.get(row).copied().unwrap_or(NO_DATE);
            let code = records.kind.get(row).copied().unwrap_or(u8::MAX);
            let period = *months
                .get(usize::from(code))
                .ok_or(RetentionError::InvalidRecordKind { row, code })?;
            let account_id = records.account.get(row).copied().unwrap_or(u32::MAX);
            let account = usize::try_from(account_id).unwrap_or(usize::MAX);
            let Some(&AccountFacts {
                fiscal_year,
                held: held_account,
                active,
            }) = facts.get(account)
            else {
                return Err(RetentionError::AccountOutOfRange {
                    row,
                    account: account_id,
                    accounts: account_rows,
                });
            };

            let booked = records.booking_date.map_or(NO_DATE, at);
            let date = if booked == NO_DATE {
                at(records.date)
            } else {
                booked
            };
            let date_month = calendar.month(date)?;
            let explicit = records.fiscal_year_end.map_or(NO_DATE, at);
            let end_index = if explicit == NO_DATE {
                fiscal_year.end_index(date_month)
            } else {
                let end_index = calendar.month(explicit)?;
                if calendar.month_end(end_index)? != explicit
                    || explicit < date
                    || end_index - date_month > MAX_FISCAL_YEAR_MONTHS
                {
                    return Err(RetentionError::InvalidFiscalYearEndInRow { row, day: explicit });
                }
                end_index
            };
            let fiscal_year_end = calendar.month_end(end_index)?;
            let eligible_from = calendar.month_end(end_index + period)? + 1;

            let hold = held_account
                || records
                    .legal_hold
                    .and_then(|h| h.get(row))
                    .is_some_and(|&h| h != 0);
            let (action, reason, action_from) = if code == RecordKind::Invoice as u8 {
                if let Some(latest) = latest_invoice.get_mut(account) {
                    *latest = (*latest).max(eligible_from);
                }
                decide_invoice(today, eligible_from, hold)
            } else {
                decide_attachment(
                    today,
                    eligible_from,
                    hold,
                    active,
                    records.notice_sent.map_or(NO_DATE, at),
                    notice_days,
                )
            };
            *kind_out = code;
            *action_out = action as u8;
            *reason_out = reason as u8;
            *end_out = fiscal_year_end;
            *eligible_out = eligible_from;
            *from_out = action_from;
        }

        let mut account_out = PlanColumns::with_len(account_rows);
        for row in 0..account_rows {
            let last_activity = accounts.last_activity.get(row).copied().unwrap_or(NO_DATE);
            let through = add_from_event(date_from_day_number(last_activity)?, self.account_data)?;
            let eligible_from = day_number(through) + 1;
            let outcome = decide_account(
                today,
                eligible_from,
                latest_invoice.get(row).copied().unwrap_or(NO_DATE),
                account_hold.get(row).copied().unwrap_or(false),
                accounts.active.get(row).is_some_and(|&active| active != 0),
            );
            if let (Some(k), Some(a), Some(r), Some(e), Some(x)) = (
                account_out.kind.get_mut(row),
                account_out.action.get_mut(row),
                account_out.reason.get_mut(row),
                account_out.eligible_from.get_mut(row),
                account_out.action_from.get_mut(row),
            ) {
                (*k, *a, *r, *e, *x) = (
                    RecordKind::AccountData as u8,
                    outcome.0 as u8,
                    outcome.1 as u8,
                    eligible_from,
                    outcome.2,
                );
            }
        }
        Ok(Plan {
            records: out,
            accounts: account_out,
        })
    }
}
