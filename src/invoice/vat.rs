//! VAT categories (UNCL 5305 codes as EN 16931 and EHF use them) and Norwegian VAT rates as
//! data with validity dates.
//!
//! A line names its category and percent in a [`VatTag`]; a [`VatRateTable`] says which
//! pairs were lawful on a given day. The default table holds the Norwegian rates
//! (merverdiavgiftsloven §§ 5-1 to 5-4 and the yearly Storting decision on rates); a caller
//! replaces or extends it when the rates change.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use super::serde_fmt;

/// A VAT category, by its UNCL 5305 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum VatCategory {
    /// `S`: standard or reduced rate (25, 15, 12 or 11.11 %).
    #[serde(rename = "S")]
    Standard,
    /// `Z`: zero-rated goods and services (merverdiavgiftsloven ch. 6).
    #[serde(rename = "Z")]
    ZeroRated,
    /// `E`: exempt from VAT (merverdiavgiftsloven ch. 3).
    #[serde(rename = "E")]
    Exempt,
    /// `AE`: reverse charge, the buyer accounts for the VAT.
    #[serde(rename = "AE")]
    ReverseCharge,
    /// `K`: intra-community supply (EEA), VAT exempt.
    #[serde(rename = "K")]
    IntraCommunity,
    /// `G`: export outside the EEA, free of VAT.
    #[serde(rename = "G")]
    Export,
    /// `O`: outside the scope of VAT (the seller is not VAT registered, or the supply is
    /// outside the VAT Act).
    #[serde(rename = "O")]
    OutsideScope,
}

impl VatCategory {
    /// The UNCL 5305 code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            VatCategory::Standard => "S",
            VatCategory::ZeroRated => "Z",
            VatCategory::Exempt => "E",
            VatCategory::ReverseCharge => "AE",
            VatCategory::IntraCommunity => "K",
            VatCategory::Export => "G",
            VatCategory::OutsideScope => "O",
        }
    }

    /// The category for a UNCL 5305 code, if it is one tillit knows.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "S" => VatCategory::Standard,
            "Z" => VatCategory::ZeroRated,
            "E" => VatCategory::Exempt,
            "AE" => VatCategory::ReverseCharge,
            "K" => VatCategory::IntraCommunity,
            "G" => VatCategory::Export,
            "O" => VatCategory::OutsideScope,
            _ => return None,
        })
    }

    /// Whether EN 16931 requires an exemption reason (text or code) for this category
    /// (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
    #[must_use]
    pub fn needs_exemption_reason(self) -> bool {
        !matches!(self, VatCategory::Standard | VatCategory::ZeroRated)
    }
}

impl fmt::Display for VatCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The VAT a line or a document-level allowance or charge carries: category, percent and,
/// for categories that need it, the exemption reason.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VatTag {
    /// The category.
    pub category: VatCategory,
    /// The rate in percent (`25`, `11.11`); zero for every category but `S`.
    #[serde(with = "serde_fmt::dec")]
    pub percent: Decimal,
    /// Why no VAT is charged, in words (required for E, AE, K, G and O).
    #[serde(default)]
    pub exemption_reason: Option<String>,
    /// Why no VAT is charged, as a VATEX code (`VATEX-EU-AE`).
    #[serde(default)]
    pub exemption_reason_code: Option<String>,
}

impl VatTag {
    /// Standard or reduced rate at `percent`.
    #[must_use]
    pub fn standard(percent: Decimal) -> Self {
        Self::new(VatCategory::Standard, percent)
    }

    /// Zero-rated.
    #[must_use]
    pub fn zero_rated() -> Self {
        Self::new(VatCategory::ZeroRated, Decimal::ZERO)
    }

    /// A zero-percent category with its exemption reason.
    #[must_use]
    pub fn exempt(category: VatCategory, reason: impl Into<String>) -> Self {
        let mut t = Self::new(category, Decimal::ZERO);
        t.exemption_reason = Some(reason.into());
        t
    }

    /// A category and percent without exemption reason.
    #[must_use]
    pub fn new(category: VatCategory, percent: Decimal) -> Self {
        Self {
            category,
            percent,
            exemption_reason: None,
            exemption_reason_code: None,
        }
    }
}

/// One lawful VAT rate and the days it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VatRate {
    /// The category.
    pub category: VatCategory,
    /// The rate in percent.
    #[serde(with = "serde_fmt::dec")]
    pub percent: Decimal,
    /// First day the rate applied.
    #[serde(with = "serde_fmt::date")]
    pub valid_from: Date,
    /// Last day the rate applied, if it has ended.
    #[serde(default, with = "serde_fmt::date::option")]
    pub valid_to: Option<Date>,
    /// What the rate is for.
    pub description: String,
}

impl VatRate {
    fn applies(&self, category: VatCategory, percent: Decimal, day: Date) -> bool {
        self.category == category
            && self.percent == percent
            && self.valid_from <= day
            && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// The VAT rates that were lawful, by day.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tillit::invoice::{VatCategory, VatRateTable};
/// use time::macros::date;
///
/// let table = VatRateTable::norway();
/// let p = |s: &str| s.parse::<Decimal>().expect("decimal");
/// assert!(table.is_valid(VatCategory::Standard, p("25"), date!(2024 - 03 - 15)));
/// assert!(table.is_valid(VatCategory::Standard, p("11.11"), date!(2024 - 03 - 15)));
/// // The low rate was 6 % from April 2020 to September 2021.
/// assert!(table.is_valid(VatCategory::Standard, p("6"), date!(2020 - 06 - 01)));
/// assert!(!table.is_valid(VatCategory::Standard, p("6"), date!(2024 - 06 - 01)));
/// assert!(!table.is_valid(VatCategory::Standard, p("20"), date!(2024 - 06 - 01)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VatRateTable {
    /// The rates, in any order.
    pub rates: Vec<VatRate>,
}

impl Default for VatRateTable {
    fn default() -> Self {
        Self::norway()
    }
}

impl VatRateTable {
    /// The Norwegian rates since 2005, from Skatteetaten's published history of VAT rates.
    /// Callers must add new rates when the Storting changes them.
    #[must_use]
    pub fn norway() -> Self {
        let s = |p: i64, scale: u32, from: Date, to: Option<Date>, what: &str| VatRate {
            category: VatCategory::Standard,
            percent: Decimal::new(p, scale),
            valid_from: from,
            valid_to: to,
            description: what.to_owned(),
        };
        let zero = |c: VatCategory, what: &str| VatRate {
            category: c,
            percent: Decimal::ZERO,
            valid_from: date!(2005 - 01 - 01),
            valid_to: None,
            description: what.to_owned(),
        };
        let mut rates = vec![
            s(25, 0, date!(2005 - 01 - 01), None, "general rate"),
            s(
                14,
                0,
                date!(2007 - 01 - 01),
                Some(date!(2011 - 12 - 31)),
                "food",
            ),
            s(15, 0, date!(2012 - 01 - 01), None, "food"),
            s(
                8,
                0,
                date!(2006 - 01 - 01),
                Some(date!(2015 - 12 - 31)),
                "low rate",
            ),
            s(
                10,
                0,
                date!(2016 - 01 - 01),
                Some(date!(2017 - 12 - 31)),
                "low rate",
            ),
            s(
                12,
                0,
                date!(2018 - 01 - 01),
                Some(date!(2020 - 03 - 31)),
                "low rate",
            ),
            s(
                6,
                0,
                date!(2020 - 04 - 01),
                Some(date!(2021 - 09 - 30)),
                "low rate, pandemic",
            ),
            s(12, 0, date!(2021 - 10 - 01), None, "low rate"),
            s(1111, 2, date!(2005 - 01 - 01), None, "raw fish (råfisk)"),
        ];
        rates.extend([
            zero(VatCategory::ZeroRated, "zero-rated"),
            zero(VatCategory::Exempt, "exempt"),
            zero(VatCategory::ReverseCharge, "reverse charge"),
            zero(VatCategory::IntraCommunity, "intra-community supply"),
            zero(VatCategory::Export, "export"),
            zero(VatCategory::OutsideScope, "outside the scope of VAT"),
        ]);
        Self { rates }
    }

    /// The table of [`VatRateTable::norway`], built once and shared: validation against the
    /// default table runs per keystroke in an editor and per row in bulk, and should not
    /// rebuild it each time.
    pub(crate) fn norway_shared() -> &'static Self {
        static NORWAY: std::sync::LazyLock<VatRateTable> =
            std::sync::LazyLock::new(VatRateTable::norway);
        &NORWAY
    }

    /// Whether `percent` was a lawful rate for `category` on `day`.
    #[must_use]
    pub fn is_valid(&self, category: VatCategory, percent: Decimal, day: Date) -> bool {
        self.rates.iter().any(|r| r.applies(category, percent, day))
    }

    /// The rates of a category in force on `day`, for error messages.
    #[must_use]
    pub fn rates_on(&self, category: VatCategory, day: Date) -> Vec<Decimal> {
        let mut v: Vec<Decimal> = self
            .rates
            .iter()
            .filter(|r| r.category == category && r.applies(category, r.percent, day))
            .map(|r| r.percent)
            .collect();
        v.sort();
        v.dedup();
        v
    }
}
