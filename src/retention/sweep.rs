//! Cut-off dates for bulk deletion in SQL: on a given day, every record of a kind whose fiscal
//! year ended on or before the cut-off has passed its retention period.
//!
//! A service rarely loads millions of rows to decide them one by one; it asks for the cut-off
//! and lets the database do the sweep. The cut-off answers only the period question: the
//! sweep must still skip legal holds and, for attachments, active accounts and missing
//! notices (see the module documentation for a worked example).

use time::Date;

use super::calendar::{
    add_from_event, add_from_fiscal_year_end, is_month_end, month_end, month_index,
};
use super::decision::next_day;
use super::{RecordKind, RetentionError, RetentionPolicy};

impl RetentionPolicy {
    /// The cut-off for `kind` on `today`.
    ///
    /// For invoices and attachments: every record whose fiscal year ended on or before the
    /// cut-off is eligible today, and no record whose fiscal year ended later is. For account
    /// data: every account whose last activity is on or before the cut-off has passed the
    /// account-data period (anonymising still needs an inactive account and eligible invoices).
    ///
    /// # Errors
    ///
    /// An error when the policy is invalid or the result is out of range.
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::{RecordKind, RetentionPolicy};
    /// use time::macros::date;
    ///
    /// let seed = RetentionPolicy::seed();
    /// // On 2035-01-01 invoices from fiscal years ending on or before 2024-12-31 may go.
    /// assert_eq!(seed.cutoff(RecordKind::Invoice, date!(2035 - 01 - 01))?, date!(2024 - 12 - 31));
    /// assert_eq!(seed.cutoff(RecordKind::Invoice, date!(2034 - 12 - 31))?, date!(2024 - 11 - 30));
    /// # Ok::<(), tillit::retention::RetentionError>(())
    /// ```
    pub fn cutoff(&self, kind: RecordKind, today: Date) -> Result<Date, RetentionError> {
        self.validate()?;
        let period = self.period(kind);
        // Eligible today means the retained-through day is yesterday or earlier.
        let yesterday = today
            .previous_day()
            .ok_or(RetentionError::DateOutOfRange { year: today.year() })?;
        if kind == RecordKind::AccountData {
            return event_cutoff(yesterday, period);
        }
        // A period from a fiscal-year end ends on a month end; the last such end not after
        // yesterday is yesterday's month if yesterday is its last day, else the month before.
        let last_month = month_index(yesterday) - i32::from(!is_month_end(yesterday));
        let months = period.signed_months()?;
        let cutoff = month_end(last_month - months)?;
        debug_assert!(add_from_fiscal_year_end(cutoff, period).is_ok_and(|d| d <= yesterday));
        Ok(cutoff)
    }
}

/// The latest event date whose period, counted by domstolloven § 148, ends on or before
/// `last_end`.
fn event_cutoff(last_end: Date, period: super::Period) -> Result<Date, RetentionError> {
    let months = period.signed_months()?;
    let index = month_index(last_end) - months;
    // Start from the same day number `months` earlier (clamped to that month), which always
    // qualifies, then walk forward over the days that § 148 maps onto the same month end.
    let start_month_end = month_end(index)?;
    let day = last_end.day().min(start_month_end.day());
    let mut cutoff =
        start_month_end
            .replace_day(day)
            .map_err(|_| RetentionError::DateOutOfRange {
                year: last_end.year(),
            })?;
    for _ in 0..3 {
        let next = next_day(cutoff)?;
        if add_from_event(next, period)? <= last_end {
            cutoff = next;
        } else {
            break;
        }
    }
    Ok(cutoff)
}
