//! Types that several capabilities share across the boundary.
//!
//! Calendar dates (`time::Date`) cross as epoch days and appear in Kotlin as
//! `java.time.LocalDate` (mapped in `uniffi.toml`): the same numbers `LocalDate.toEpochDay()`
//! gives, so no date is ever formatted and parsed on the way.

use tillit::retention as core;
use time::Date;

uniffi::custom_type!(Date, i64, {
    remote,
    lower: |date| i64::from(core::day_number(date)),
    try_lift: |day| {
        let day = i32::try_from(day).map_err(|_| uniffi::deps::anyhow::anyhow!("epoch day {day} is outside the supported dates"))?;
        core::date_from_day_number(day).map_err(|e| uniffi::deps::anyhow::anyhow!("{e}"))
    },
});
