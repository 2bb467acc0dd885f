//! Retention policies as data: the periods for each record kind, the presets (the seed
//! service's promise, the bookkeeping act's minimum, sector rules) and the notice rule for
//! attachments.
//!
//! The law sets minimums and a service may keep longer, so nothing here is hard-wired: a
//! preset is an ordinary [`RetentionPolicy`] value that a service can copy and change when
//! the law or its promise changes.

use serde::{Deserialize, Serialize};

use super::{Period, RetentionError};

/// The kinds of record a retention policy covers.
///
/// The numeric values are stable: the columnar planner and the bindings pass them as bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum RecordKind {
    /// An invoice or a credit note (primary documentation of a sale).
    Invoice = 0,
    /// An attachment sent with an invoice that does not itself document the sale.
    Attachment = 1,
    /// An attachment that documents the sale (a delivery note, a contract for the sale).
    SaleAttachment = 2,
    /// The account's own data: its buyers (customer list), products and receivables.
    AccountData = 3,
}

impl RecordKind {
    /// The kind with this byte code, if any.
    #[must_use]
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Invoice),
            1 => Some(Self::Attachment),
            2 => Some(Self::SaleAttachment),
            3 => Some(Self::AccountData),
            _ => None,
        }
    }

    /// A short English name for sentences.
    #[must_use]
    pub const fn noun(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::Attachment => "attachment",
            Self::SaleAttachment => "attachment documenting the sale",
            Self::AccountData => "account data",
        }
    }
}

/// A retention policy: how long each kind of record is kept, and how attachments are deleted.
///
/// Periods for invoices and attachments run from the end of the fiscal year by the month-end
/// rule ([`add_from_fiscal_year_end`](super::add_from_fiscal_year_end)); the account-data
/// period runs from the account's last activity by domstolloven § 148
/// ([`add_from_event`](super::add_from_event)).
///
/// # Examples
///
/// ```
/// use tillit::retention::{Period, RetentionPolicy};
///
/// let seed = RetentionPolicy::seed();
/// assert_eq!(seed.invoice, Period::years(10));
/// // A custom policy: the seed's promise with a two-week notice before attachments go.
/// let custom = RetentionPolicy { notice_days: 14, ..RetentionPolicy::seed() };
/// custom.validate()?;
/// # Ok::<(), tillit::retention::RetentionError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    /// A short name that audit sentences quote (for example `seed`).
    pub name: String,
    /// Invoices and credit notes, from the fiscal-year end.
    pub invoice: Period,
    /// Attachments that do not document the sale, from the fiscal-year end.
    pub attachment: Period,
    /// Attachments that document the sale, from the fiscal-year end.
    pub sale_attachment: Period,
    /// Account data, from the account's last registered activity, before it may be
    /// anonymised (it also waits for every invoice naming the account's buyers).
    pub account_data: Period,
    /// Days that must pass between telling the account holder and deleting an attachment.
    pub notice_days: u16,
}

impl Default for RetentionPolicy {
    /// The seed service's promise, [`RetentionPolicy::seed`].
    fn default() -> Self {
        Self::seed()
    }
}

/// The default number of days between the notice to the account holder and deletion.
pub const DEFAULT_NOTICE_DAYS: u16 = 30;

/// The longest notice period a policy may hold, in days (about three years).
pub const MAX_NOTICE_DAYS: u16 = 1100;

impl RetentionPolicy {
    /// The seed service's promise, the default: invoices 10 years and attachments 3 years
    /// 6 months after the fiscal-year end (5 years for attachments that document the sale,
    /// the legal minimum for them); account data anonymised 10 years after the
    /// account's last activity; 30 days' notice before attachments are deleted.
    ///
    /// The seed's sentence on account data can also be read as "kept anonymised for 10
    /// years"; this preset takes the first reading, and a custom policy with a zero
    /// `account_data` period expresses the other.
    #[must_use]
    pub fn seed() -> Self {
        Self {
            name: "seed".to_owned(),
            invoice: Period::years(10),
            attachment: Period::new(3, 6),
            // The seed promises "at least" 3 years 6 months; an attachment that documents the
            // sale is primary documentation, which the act keeps 5 years, so the law governs.
            sale_attachment: Period::years(5),
            account_data: Period::years(10),
            notice_days: DEFAULT_NOTICE_DAYS,
        }
    }

    /// The legal minimum since 2015 (bokføringsloven § 13, bokføringsforskriften kap. 13):
    /// primary documentation 5 years and other documentation 3 years 6 months after the
    /// fiscal-year end; account data anonymised once the account is inactive and every
    /// invoice naming its buyers is eligible.
    #[must_use]
    pub fn bookkeeping_act() -> Self {
        Self {
            name: "bookkeeping_act".to_owned(),
            invoice: Period::years(5),
            attachment: Period::new(3, 6),
            sale_attachment: Period::years(5),
            account_data: Period::ZERO,
            notice_days: DEFAULT_NOTICE_DAYS,
        }
    }

    /// The bookkeeping act's minimum with a longer period for invoices and the attachments
    /// that document them, as the sector rules of bokføringsforskriften kap. 13 require.
    fn sector(name: &str, years: u16) -> Self {
        Self {
            name: name.to_owned(),
            invoice: Period::years(years),
            sale_attachment: Period::years(years),
            ..Self::bookkeeping_act()
        }
    }

    /// Construction project accounts: 10 years.
    #[must_use]
    pub fn construction() -> Self {
        Self::sector("construction", 10)
    }

    /// Specifications of bank customers' accounts: 10 years.
    #[must_use]
    pub fn bank_customer_specifications() -> Self {
        Self::sector("bank_customer_specifications", 10)
    }

    /// Documentation of real-estate capital goods (VAT adjustment): 10 years.
    #[must_use]
    pub fn real_estate_capital_goods() -> Self {
        Self::sector("real_estate_capital_goods", 10)
    }

    /// Petroleum activities: 15 years.
    #[must_use]
    pub fn petroleum() -> Self {
        Self::sector("petroleum", 15)
    }

    /// The preset with this name (`seed`, `bookkeeping_act`, `construction`,
    /// `bank_customer_specifications`, `real_estate_capital_goods`, `petroleum`).
    ///
    /// # Errors
    ///
    /// [`RetentionError::UnknownPreset`] for any other name.
    pub fn preset(name: &str) -> Result<Self, RetentionError> {
        match name {
            "seed" => Ok(Self::seed()),
            "bookkeeping_act" => Ok(Self::bookkeeping_act()),
            "construction" => Ok(Self::construction()),
            "bank_customer_specifications" => Ok(Self::bank_customer_specifications()),
            "real_estate_capital_goods" => Ok(Self::real_estate_capital_goods()),
            "petroleum" => Ok(Self::petroleum()),
            other => Err(RetentionError::UnknownPreset {
                name: other.to_owned(),
            }),
        }
    }

    /// Checks that every period and the notice are within their ceilings and that no
    /// period is shorter than the bookkeeping act's minimum for its kind.
    ///
    /// # Errors
    ///
    /// [`RetentionError::PeriodTooLong`], [`RetentionError::NoticeTooLong`] or
    /// [`RetentionError::BelowLegalMinimum`].
    pub fn validate(&self) -> Result<(), RetentionError> {
        let minimum = Self::bookkeeping_act();
        for (kind, period, floor) in [
            (RecordKind::Invoice, self.invoice, minimum.invoice),
            (RecordKind::Attachment, self.attachment, minimum.attachment),
            (
                RecordKind::SaleAttachment,
                self.sale_attachment,
                minimum.sale_attachment,
            ),
        ] {
            period.validate()?;
            if period.total_months() < floor.total_months() {
                return Err(RetentionError::BelowLegalMinimum {
                    kind,
                    period,
                    minimum: floor,
                });
            }
        }
        self.account_data.validate()?;
        if self.notice_days > MAX_NOTICE_DAYS {
            return Err(RetentionError::NoticeTooLong {
                days: self.notice_days,
            });
        }
        Ok(())
    }

    /// The period for a record kind.
    #[must_use]
    pub const fn period(&self, kind: RecordKind) -> Period {
        match kind {
            RecordKind::Invoice => self.invoice,
            RecordKind::Attachment => self.attachment,
            RecordKind::SaleAttachment => self.sale_attachment,
            RecordKind::AccountData => self.account_data,
        }
    }
}
