//! Dunning: reminder fees (purregebyr) and late-payment interest (forsinkelsesrente).
//!
//! Reminder fees follow inkassoloven § 10 and inkassoforskriften § 1-2: at most 1/20 of the
//! collection rate (inkassosatsen, 700 kr), so 35 kr for claims due on or after 2020-10-01
//! and 70 kr (1/10) before; a fee only when at least 14 days have passed since the due date
//! (and since the previous fee-bearing reminder); at most two fee-bearing reminders per
//! claim. The fee table is data the caller can replace.
//!
//! Late-payment interest follows forsinkelsesrenteloven §§ 2 and 3: the rate is Norges
//! Bank's policy rate plus 8 percentage points, fixed by the Ministry of Finance for each
//! half-year (from 1 January and 1 July). Each day after the due date earns 1/365 of the
//! yearly rate (1/366 in a leap year) at the rate in force that day. Interest runs on the
//! principal only, never on interest or fees.
//!
//! **Update the rate table** ([`LateInterestTable::norway`]) every half-year: past its last
//! half-year the calculation refuses to guess and returns [`InvoiceError::RateUnknown`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Duration, Month};

use super::{Currency, InvoiceError, round_money, serde_fmt};

/// One row of the reminder-fee table: the most a reminder may cost for claims due on or
/// after `due_on_or_after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderFeeRow {
    /// First due date the row applies to.
    #[serde(with = "serde_fmt::date")]
    pub due_on_or_after: Date,
    /// The highest fee, in NOK.
    #[serde(with = "serde_fmt::dec")]
    pub max_fee: Decimal,
}

/// The highest reminder fee by the claim's due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderFeeTable {
    /// Rows in ascending order of date.
    pub rows: Vec<ReminderFeeRow>,
}

impl ReminderFeeTable {
    /// The Norwegian table: 70 kr (1/10 of the 700 kr collection rate) for claims due
    /// before 2020-10-01, 35 kr (1/20) from then (inkassoforskriften § 1-2, as amended with
    /// effect from 1 October 2020).
    #[must_use]
    pub fn norway() -> Self {
        Self {
            rows: vec![
                ReminderFeeRow {
                    due_on_or_after: Date::MIN,
                    max_fee: Decimal::from(70),
                },
                ReminderFeeRow {
                    due_on_or_after: date!(2020 - 10 - 01),
                    max_fee: Decimal::from(35),
                },
            ],
        }
    }

    /// The highest fee for a claim due on `due_date`, if the table covers it.
    #[must_use]
    pub fn max_fee(&self, due_date: Date) -> Option<Decimal> {
        self.rows
            .iter()
            .filter(|r| r.due_on_or_after <= due_date)
            .max_by_key(|r| r.due_on_or_after)
            .map(|r| r.max_fee)
    }
}

impl Default for ReminderFeeTable {
    fn default() -> Self {
        Self::norway()
    }
}

/// The rules for reminders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DunningPolicy {
    /// The fee table.
    pub fees: ReminderFeeTable,
    /// Days after the due date (and after the previous fee-bearing reminder) before a fee
    /// may be charged.
    pub min_days: u16,
    /// Most fee-bearing reminders per claim.
    pub max_fee_reminders: u8,
}

impl Default for DunningPolicy {
    fn default() -> Self {
        Self {
            fees: ReminderFeeTable::norway(),
            min_days: 14,
            max_fee_reminders: 2,
        }
    }
}

/// Whether a reminder may carry a fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum FeeDecision {
    /// A fee up to `max_fee` may be charged.
    Allowed {
        /// The highest lawful fee.
        #[serde(with = "serde_fmt::dec")]
        max_fee: Decimal,
    },
    /// No fee may be charged; the reminder can still be sent without one.
    Refused {
        /// Why.
        reason: FeeRefusal,
    },
}

/// Why a reminder may not carry a fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FeeRefusal {
    /// Too soon after the due date or the previous fee-bearing reminder.
    TooEarly {
        /// First day a fee may be charged.
        #[serde(with = "serde_fmt::date")]
        earliest: Date,
    },
    /// The claim has had the most fee-bearing reminders already.
    TooMany {
        /// The limit.
        max: u8,
    },
    /// The fee table has no row for the due date.
    NoFeeForDueDate,
}

impl DunningPolicy {
    /// Whether a reminder sent on `reminder_date` may carry a fee, given the dates of the
    /// fee-bearing reminders already sent for the claim.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use tillit::invoice::{DunningPolicy, FeeDecision};
    /// use time::macros::date;
    ///
    /// let policy = DunningPolicy::default();
    /// let due = date!(2024 - 03 - 01);
    /// assert_eq!(
    ///     policy.reminder_fee(due, date!(2024 - 03 - 15), &[]),
    ///     FeeDecision::Allowed { max_fee: Decimal::from(35) },
    /// );
    /// assert!(matches!(policy.reminder_fee(due, date!(2024 - 03 - 14), &[]),
    ///     FeeDecision::Refused { .. }));
    /// ```
    #[must_use]
    pub fn reminder_fee(
        &self,
        due_date: Date,
        reminder_date: Date,
        earlier: &[Date],
    ) -> FeeDecision {
        if earlier.len() >= usize::from(self.max_fee_reminders) {
            return FeeDecision::Refused {
                reason: FeeRefusal::TooMany {
                    max: self.max_fee_reminders,
                },
            };
        }
        let from = earlier
            .iter()
            .copied()
            .max()
            .unwrap_or(due_date)
            .max(due_date);
        let earliest = from.saturating_add(Duration::days(i64::from(self.min_days)));
        if reminder_date < earliest {
            return FeeDecision::Refused {
                reason: FeeRefusal::TooEarly { earliest },
            };
        }
        match self.fees.max_fee(due_date) {
            Some(max_fee) => FeeDecision::Allowed { max_fee },
            None => FeeDecision::Refused {
                reason: FeeRefusal::NoFeeForDueDate,
            },
        }
    }
}

/// One half-year's late-payment interest rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LateInterestRate {
    /// First day of the half-year (1 January or 1 July).
    #[serde(with = "serde_fmt::date")]
    pub from: Date,
    /// The yearly rate in percent.
    #[serde(with = "serde_fmt::dec")]
    pub percent: Decimal,
}

/// Late-payment interest rates by half-year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LateInterestTable {
    rates: Vec<LateInterestRate>,
}

impl LateInterestTable {
    /// A table from half-year rates.
    ///
    /// # Errors
    /// [`InvoiceError::Table`] when it is empty, a row does not start on 1 January or
    /// 1 July, rows are not consecutive half-years, or a rate is negative.
    pub fn new(mut rates: Vec<LateInterestRate>) -> Result<Self, InvoiceError> {
        rates.sort_by_key(|r| r.from);
        if rates.is_empty() {
            return Err(InvoiceError::Table {
                reason: "the interest table needs at least one half-year".into(),
            });
        }
        for (i, r) in rates.iter().enumerate() {
            if r.from.day() != 1 || !matches!(r.from.month(), Month::January | Month::July) {
                return Err(InvoiceError::Table {
                    reason: format!(
                        "rate from {} does not start a half-year; use 1 January or 1 July",
                        r.from
                    ),
                });
            }
            if r.percent < Decimal::ZERO {
                return Err(InvoiceError::Table {
                    reason: format!("rate {} % from {} is negative", r.percent, r.from),
                });
            }
            if let Some(prev) = i.checked_sub(1).and_then(|p| rates.get(p))
                && half_year_after(prev.from) != Some(r.from)
            {
                return Err(InvoiceError::Table {
                    reason: format!(
                        "the table jumps from {} to {}; give every half-year",
                        prev.from, r.from
                    ),
                });
            }
        }
        Ok(Self { rates })
    }

    /// Norwegian late-payment interest (forsinkelsesrente) by half-year, 2014 to the first
    /// half of 2026: Norges Bank's policy rate in force on 1 January or 1 July plus 8 points,
    /// as fixed for each half-year by a regulation of the Ministry of Finance under
    /// forsinkelsesrenteloven § 3 (for example 12.5 % from 1 January 2025 by
    /// FOR-2024-12-19-3279).
    ///
    /// Limitation: the rows for the second half of 2025 (12.25 %) and the first half of 2026
    /// (12 %) follow from the policy rate on those dates (4.25 % and 4 %) rather than from the
    /// regulations' text; check them against Lovdata before relying on them in a claim.
    ///
    /// Callers must add each new half-year's rate when it is announced; until they do,
    /// dates after 2026-06-30 are refused.
    #[must_use]
    pub fn norway() -> Self {
        // (year, month, percent × 100)
        const ROWS: &[(i32, u8, i64)] = &[
            (2014, 1, 950),
            (2014, 7, 950),
            (2015, 1, 925),
            (2015, 7, 900),
            (2016, 1, 875),
            (2016, 7, 850),
            (2017, 1, 850),
            (2017, 7, 850),
            (2018, 1, 850),
            (2018, 7, 850),
            (2019, 1, 875),
            (2019, 7, 925),
            (2020, 1, 950),
            (2020, 7, 800),
            (2021, 1, 800),
            (2021, 7, 800),
            (2022, 1, 850),
            (2022, 7, 925),
            (2023, 1, 1075),
            (2023, 7, 1175),
            (2024, 1, 1250),
            (2024, 7, 1250),
            (2025, 1, 1250),
            (2025, 7, 1225),
            (2026, 1, 1200),
        ];
        let rates = ROWS
            .iter()
            .filter_map(|(y, m, p)| {
                let month = Month::try_from(*m).ok()?;
                Some(LateInterestRate {
                    from: Date::from_calendar_date(*y, month, 1).ok()?,
                    percent: Decimal::new(*p, 2),
                })
            })
            .collect();
        Self { rates }
    }

    /// The rows, ascending.
    #[must_use]
    pub fn rates(&self) -> &[LateInterestRate] {
        &self.rates
    }

    /// Last day the table covers (the end of its last half-year).
    #[must_use]
    pub fn covered_through(&self) -> Date {
        self.rates
            .last()
            .and_then(|r| half_year_after(r.from))
            .and_then(Date::previous_day)
            .unwrap_or(Date::MAX)
    }

    /// The rate in force on `day`.
    ///
    /// # Errors
    /// [`InvoiceError::RateUnknown`] when the table does not cover the day.
    pub fn rate_on(&self, day: Date) -> Result<Decimal, InvoiceError> {
        let first = self.rates.first().map_or(Date::MIN, |r| r.from);
        let last = self.covered_through();
        if day < first || day > last {
            return Err(InvoiceError::RateUnknown {
                date: day,
                first,
                last,
            });
        }
        Ok(self
            .rates
            .iter()
            .rev()
            .find(|r| r.from <= day)
            .map_or(Decimal::ZERO, |r| r.percent))
    }
}

impl Default for LateInterestTable {
    fn default() -> Self {
        Self::norway()
    }
}

fn half_year_after(d: Date) -> Option<Date> {
    let (y, m) = if d.month() == Month::January {
        (d.year(), Month::July)
    } else {
        (d.year().checked_add(1)?, Month::January)
    };
    Date::from_calendar_date(y, m, 1).ok()
}

/// A run of days at one rate within one calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestPeriod {
    /// First day.
    #[serde(with = "serde_fmt::date")]
    pub from: Date,
    /// Last day, inclusive.
    #[serde(with = "serde_fmt::date")]
    pub to: Date,
    /// Number of days.
    pub days: u32,
    /// Yearly rate in percent.
    #[serde(with = "serde_fmt::dec")]
    pub percent: Decimal,
    /// Days in the year (365 or 366).
    pub days_in_year: u16,
    /// Unrounded interest for the run.
    #[serde(with = "serde_fmt::dec")]
    pub interest: Decimal,
}

/// Late-payment interest on a principal, with the runs it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateInterest {
    /// Total interest, rounded to øre.
    #[serde(with = "serde_fmt::dec")]
    pub total: Decimal,
    /// The runs of days at one rate and year length.
    pub periods: Vec<InterestPeriod>,
}

/// Late-payment interest on `principal` for the days after `due_date` through `paid_on`
/// (the payment day earns interest, the due date does not).
///
/// Simple interest on the principal only: pass the unpaid principal, never fees or earlier
/// interest (forsinkelsesrenteloven § 3 does not allow interest on interest).
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tillit::invoice::{late_interest, LateInterestTable};
/// use time::macros::date;
///
/// // 10 000 kr, 31 days in January 2024 at 12.5 %: 10000 × 0.125 × 31 / 366 = 105.87.
/// let i = late_interest(Decimal::from(10_000), date!(2023 - 12 - 31), date!(2024 - 01 - 31),
///     &LateInterestTable::norway())?;
/// assert_eq!(i.total, "105.87".parse()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`InvoiceError::RateUnknown`] when a day is outside the table, [`InvoiceError::Overflow`]
/// for absurd principals.
pub fn late_interest(
    principal: Decimal,
    due_date: Date,
    paid_on: Date,
    table: &LateInterestTable,
) -> Result<LateInterest, InvoiceError> {
    let mut periods: Vec<InterestPeriod> = Vec::new();
    let mut total = Decimal::ZERO;
    let Some(mut day) = due_date.next_day() else {
        return Ok(LateInterest { total, periods });
    };
    let overflow = || InvoiceError::Overflow {
        what: "late interest".into(),
    };
    while day <= paid_on {
        let percent = table.rate_on(day)?;
        let days_in_year = time::util::days_in_year(day.year());
        // The run ends at the earliest of: the payment day, the end of the year, the day
        // before the next half-year (rates change only on 1 January and 1 July).
        let year_end =
            Date::from_calendar_date(day.year(), Month::December, 31).map_err(|_| overflow())?;
        let half_end = if day.month() <= Month::June {
            Date::from_calendar_date(day.year(), Month::June, 30).map_err(|_| overflow())?
        } else {
            year_end
        };
        let to = paid_on.min(half_end);
        let days = u32::try_from((to - day).whole_days() + 1).map_err(|_| overflow())?;
        let interest = principal
            .checked_mul(percent)
            .and_then(|x| x.checked_mul(Decimal::from(days)))
            .and_then(|x| x.checked_div(Decimal::from(100 * u32::from(days_in_year))))
            .ok_or_else(overflow)?;
        total = total.checked_add(interest).ok_or_else(overflow)?;
        periods.push(InterestPeriod {
            from: day,
            to,
            days,
            percent,
            days_in_year,
            interest,
        });
        match to.next_day() {
            Some(d) => day = d,
            None => break,
        }
    }
    Ok(LateInterest {
        total: round_money(total, Currency::NOK),
        periods,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_half_year() {
        let t = LateInterestTable::norway();
        assert!(LateInterestTable::new(t.rates().to_vec()).is_ok());
        assert_eq!(t.covered_through(), date!(2026 - 06 - 30));
    }
}
