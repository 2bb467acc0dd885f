//! Calendar arithmetic for retention: day numbers, periods in years and months, fiscal years,
//! and the two counting rules the law uses.
//!
//! Retention periods are never counted in days. A period counted from the end of a fiscal year
//! ends at the end of the matching month (the *month-end rule*), so a period that starts on the
//! last day of February ends on the last day of February, leap day or not, and data is never
//! kept too briefly. A period counted from an event (an account's last activity) follows
//! domstolloven § 148: it ends on the same day number in the final month, or on that month's
//! last day where the month has no such day.
//!
//! The planner works on `i32` day numbers counted from 1970-01-01 (the unit of NumPy's
//! `datetime64[D]`); [`day_number`] and [`date_from_day_number`] convert.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::RetentionError;

/// Marks "no date" in a column of day numbers (for example "no notice sent yet").
///
/// It is `i32::MIN`, which is also what NumPy stores for `NaT` in a `datetime64[D]` array
/// narrowed to 32 bits, so missing values survive the trip from Python.
pub const NO_DATE: i32 = i32::MIN;

/// Julian day number of 1970-01-01, the origin of day numbers.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// The longest period a policy may hold: 200 years, far beyond any statutory period.
pub const MAX_PERIOD_MONTHS: u32 = 200 * 12;

/// Returns the number of days from 1970-01-01 to `date` (negative before it).
///
/// # Examples
///
/// ```
/// use tillit::retention::day_number;
/// use time::macros::date;
///
/// assert_eq!(day_number(date!(1970 - 01 - 01)), 0);
/// assert_eq!(day_number(date!(2024 - 03 - 15)), 19_797);
/// ```
#[must_use]
pub const fn day_number(date: Date) -> i32 {
    date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY
}

/// Converts a day number (days since 1970-01-01) back to a date.
///
/// # Errors
///
/// [`RetentionError::DayOutOfRange`] when the day number is [`NO_DATE`] or lies outside the
/// years -9999 to 9999.
pub fn date_from_day_number(day: i32) -> Result<Date, RetentionError> {
    day.checked_add(UNIX_EPOCH_JULIAN_DAY)
        .and_then(|julian| Date::from_julian_day(julian).ok())
        .ok_or(RetentionError::DayOutOfRange { day })
}

/// A retention period in whole years and months (never days).
///
/// # Examples
///
/// ```
/// use tillit::retention::Period;
///
/// let period = Period::new(3, 6);
/// assert_eq!(period.total_months(), 42);
/// assert_eq!(period.to_string(), "3 years 6 months");
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Period {
    /// Whole years.
    pub years: u16,
    /// Months on top of the years (normally 0 to 11; larger values are carried into years).
    pub months: u16,
}

impl Period {
    /// No time at all: the period ends on the day it starts.
    pub const ZERO: Self = Self::new(0, 0);

    /// A period of `years` years and `months` months.
    #[must_use]
    pub const fn new(years: u16, months: u16) -> Self {
        Self { years, months }
    }

    /// A period of whole years.
    #[must_use]
    pub const fn years(years: u16) -> Self {
        Self::new(years, 0)
    }

    /// The period in months.
    #[must_use]
    pub const fn total_months(self) -> u32 {
        self.years as u32 * 12 + self.months as u32
    }

    /// Checks the period against [`MAX_PERIOD_MONTHS`].
    ///
    /// # Errors
    ///
    /// [`RetentionError::PeriodTooLong`] when the period exceeds the ceiling.
    pub const fn validate(self) -> Result<Self, RetentionError> {
        let months = self.total_months();
        if months > MAX_PERIOD_MONTHS {
            return Err(RetentionError::PeriodTooLong { months });
        }
        Ok(self)
    }

    /// The period in months as the signed type month arithmetic uses; callers validate first.
    pub(crate) fn signed_months(self) -> Result<i32, RetentionError> {
        let months = self.validate()?.total_months();
        i32::try_from(months).map_err(|_| RetentionError::PeriodTooLong { months })
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let months = self.total_months();
        let (years, months) = (months / 12, months % 12);
        let unit = |n: u32, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        match (years, months) {
            (0, 0) => f.write_str("0 months"),
            (y, 0) => write!(f, "{y} {}", unit(y, "year", "years")),
            (0, m) => write!(f, "{m} {}", unit(m, "month", "months")),
            (y, m) => write!(
                f,
                "{y} {} {m} {}",
                unit(y, "year", "years"),
                unit(m, "month", "months")
            ),
        }
    }
}

/// The month index of a date: `year * 12 + month - 1`, so consecutive months differ by one.
pub(crate) const fn month_index(date: Date) -> i32 {
    date.year() * 12 + date.month() as i32 - 1
}

/// Splits a month index into a year and a month.
fn year_month(index: i32) -> (i32, Month) {
    let year = index.div_euclid(12);
    let month = match index.rem_euclid(12) {
        0 => Month::January,
        1 => Month::February,
        2 => Month::March,
        3 => Month::April,
        4 => Month::May,
        5 => Month::June,
        6 => Month::July,
        7 => Month::August,
        8 => Month::September,
        9 => Month::October,
        10 => Month::November,
        _ => Month::December,
    };
    (year, month)
}

/// The last day of the month with this month index.
pub(crate) fn month_end(index: i32) -> Result<Date, RetentionError> {
    let (year, month) = year_month(index);
    Date::from_calendar_date(year, month, month.length(year))
        .map_err(|_| RetentionError::DateOutOfRange { year })
}

/// Whether `date` is the last day of its month.
#[must_use]
pub fn is_month_end(date: Date) -> bool {
    date.day() == date.month().length(date.year())
}

/// Adds `period` to `start` by the month-end rule used for periods from a fiscal-year end.
///
/// The result is the last day of the month `period` after `start`'s month. A fiscal-year end
/// is always a month's last day, so the period ends on the matching month end: February's end
/// moves with leap years, and a June end plus six months is December 31, never December 30.
/// Bokføringsloven § 13 counts its periods "etter regnskapsårets slutt"; ending on the month's
/// last day never keeps data too briefly.
///
/// # Errors
///
/// [`RetentionError::PeriodTooLong`] or [`RetentionError::DateOutOfRange`] when the period or
/// the result is out of range.
///
/// # Examples
///
/// ```
/// use tillit::retention::{Period, add_from_fiscal_year_end};
/// use time::macros::date;
///
/// let five = Period::years(5);
/// assert_eq!(add_from_fiscal_year_end(date!(2023 - 02 - 28), five)?, date!(2028 - 02 - 29));
/// let attachments = Period::new(3, 6);
/// assert_eq!(add_from_fiscal_year_end(date!(2024 - 06 - 30), attachments)?, date!(2027 - 12 - 31));
/// # Ok::<(), tillit::retention::RetentionError>(())
/// ```
pub fn add_from_fiscal_year_end(start: Date, period: Period) -> Result<Date, RetentionError> {
    let index = month_index(start)
        .checked_add(period.signed_months()?)
        .ok_or(RetentionError::DateOutOfRange { year: start.year() })?;
    month_end(index)
}

/// Adds `period` to `start` by domstolloven § 148, the rule for periods from an event date.
///
/// The period ends on the day of the final month with the same number as `start`'s day, or on
/// that month's last day when it has no such day (so 2024-02-29 plus 10 years is 2034-02-28,
/// and 2024-01-31 plus one month is 2024-02-29).
///
/// # Errors
///
/// [`RetentionError::PeriodTooLong`] or [`RetentionError::DateOutOfRange`] when the period or
/// the result is out of range.
///
/// # Examples
///
/// ```
/// use tillit::retention::{Period, add_from_event};
/// use time::macros::date;
///
/// assert_eq!(add_from_event(date!(2024 - 02 - 29), Period::years(10))?, date!(2034 - 02 - 28));
/// assert_eq!(add_from_event(date!(2024 - 03 - 15), Period::years(10))?, date!(2034 - 03 - 15));
/// # Ok::<(), tillit::retention::RetentionError>(())
/// ```
pub fn add_from_event(start: Date, period: Period) -> Result<Date, RetentionError> {
    let index = month_index(start)
        .checked_add(period.signed_months()?)
        .ok_or(RetentionError::DateOutOfRange { year: start.year() })?;
    let (year, month) = year_month(index);
    let day = start.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).map_err(|_| RetentionError::DateOutOfRange { year })
}

/// A business's fiscal year, named by the month it ends in.
///
/// The fiscal year is the calendar year unless regnskapsloven § 1-7 allows another; it always
/// ends on the last day of a month. A document belongs to the first fiscal-year end on or
/// after its date.
///
/// # Examples
///
/// ```
/// use tillit::retention::FiscalYear;
/// use time::{Month, macros::date};
///
/// let june = FiscalYear::ending_in(Month::June);
/// assert_eq!(june.fiscal_year_end(date!(2024 - 06 - 30))?, date!(2024 - 06 - 30));
/// assert_eq!(june.fiscal_year_end(date!(2024 - 07 - 01))?, date!(2025 - 06 - 30));
/// assert_eq!(FiscalYear::CALENDAR.fiscal_year_end(date!(2024 - 03 - 15))?, date!(2024 - 12 - 31));
/// # Ok::<(), tillit::retention::RetentionError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FiscalYear {
    /// The month whose last day ends the fiscal year.
    pub end_month: Month,
}

impl Default for FiscalYear {
    fn default() -> Self {
        Self::CALENDAR
    }
}

impl FiscalYear {
    /// The calendar year, ending on December 31 (the rule of regnskapsloven § 1-7).
    pub const CALENDAR: Self = Self {
        end_month: Month::December,
    };

    /// A fiscal year ending on the last day of `end_month`.
    #[must_use]
    pub const fn ending_in(end_month: Month) -> Self {
        Self { end_month }
    }

    /// A fiscal year ending in month number `end_month` (1 = January, 12 = December).
    ///
    /// # Errors
    ///
    /// [`RetentionError::InvalidEndMonth`] when the number is not 1 to 12.
    pub fn new(end_month: u8) -> Result<Self, RetentionError> {
        Month::try_from(end_month)
            .map(Self::ending_in)
            .map_err(|_| RetentionError::InvalidEndMonth { month: end_month })
    }

    /// The end of the fiscal year that `date` belongs to: the first end on or after it.
    ///
    /// # Errors
    ///
    /// [`RetentionError::DateOutOfRange`] in the last months of year 9999.
    pub fn fiscal_year_end(self, date: Date) -> Result<Date, RetentionError> {
        month_end(self.end_index(month_index(date)))
    }

    /// The month index of the fiscal-year end for a date in month `index`.
    pub(crate) const fn end_index(self, index: i32) -> i32 {
        let end = self.end_month as i32 - 1;
        index + (end - index.rem_euclid(12)).rem_euclid(12)
    }
}

/// The longest first fiscal year accepted as an explicit fiscal-year end, in months.
///
/// No fiscal year runs longer than 18 months, so an explicit end further from the document
/// date is refused as a data error rather than silently extending retention.
pub const MAX_FISCAL_YEAR_MONTHS: i32 = 18;

/// Checks an explicit fiscal-year end given for a document dated `date`.
pub(crate) fn check_explicit_end(date: Date, end: Date) -> Result<(), RetentionError> {
    if !is_month_end(end) {
        return Err(RetentionError::FiscalYearEndNotMonthEnd {
            fiscal_year_end: end,
        });
    }
    if end < date {
        return Err(RetentionError::FiscalYearEndBeforeDate {
            fiscal_year_end: end,
            date,
        });
    }
    if month_index(end) - month_index(date) > MAX_FISCAL_YEAR_MONTHS {
        return Err(RetentionError::FiscalYearTooLong {
            fiscal_year_end: end,
            date,
        });
    }
    Ok(())
}
