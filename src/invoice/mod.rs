//! Invoice models for a Norwegian invoicing service: identifiers with check digits, KID
//! payment references, money in ISO 4217 currencies, VAT as dated data, invoices and credit
//! notes with their totals, validation that reports every problem at once, a versioned JSON
//! form, gapless number series and dunning (reminder fees and late-payment interest).
//!
//! The rules come from bokføringsforskriften § 5-1-1 ff. (what an invoice must state), the
//! European norm EN 16931 (how totals are computed and rounded, as PEPPOL BIS Billing 3.0 and
//! EHF use it), inkassoloven and inkassoforskriften (reminder fees) and
//! forsinkelsesrenteloven (late-payment interest).
//!
//! Money is always [`rust_decimal::Decimal`], never floating point. Line amounts are rounded
//! to the currency's minor unit (at most two decimals, as EN 16931 allows) before they are
//! summed, and VAT is computed per VAT category and rate on the sum of line amounts, rounded
//! half away from zero.
//!
//! # Limitations
//!
//! - The late-payment interest table ends with the first half of 2026 and the VAT table
//!   holds the rates known when it was written: callers must add new rates when they are
//!   announced (dates past the interest table are refused, never guessed).
//! - The currency table covers the common trading currencies, not all of ISO 4217.
//! - Only Norwegian IBANs are parsed; foreign parties' bank details are not modelled.
//!
//! # Examples
//!
//! ```
//! use rust_decimal::Decimal;
//! use tillit::invoice::{Currency, Invoice, Line, Party, VatCategory, VatTag};
//! use time::macros::date;
//!
//! let seller = Party::new("Selger AS").with_org_number("988077917".parse()?);
//! let buyer = Party::new("Kjøper AS");
//! let mut invoice = Invoice::new("1001", date!(2024 - 03 - 15), Currency::NOK, seller, buyer);
//! invoice.lines.push(Line::new("Consulting", Decimal::from(2), "HUR", "730.25".parse()?,
//!     VatTag::standard(Decimal::from(25))));
//!
//! let totals = invoice.totals()?;
//! assert_eq!(totals.tax_exclusive, "1460.50".parse()?);
//! assert_eq!(totals.vat_total, "365.13".parse()?);
//! assert_eq!(totals.payable, "1825.63".parse()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dunning;
mod ident;
mod json;
mod kid;
mod model;
mod money;
mod serde_fmt;
mod series;
mod totals;
mod validate;
mod vat;

pub use dunning::{
    DunningPolicy, FeeDecision, FeeRefusal, InterestPeriod, LateInterest, LateInterestRate,
    LateInterestTable, ReminderFeeRow, ReminderFeeTable, late_interest,
};
pub use ident::{AccountNumber, Iban, OrgNumber, VatNumber};
pub use json::{Document, JSON_VERSION, Versioned};
pub use kid::{Kid, KidAgreement, KidAlgorithm};
pub use model::{
    Address, AllowanceCharge, AttachmentRef, CreditNote, Customer, Endpoint, Invoice,
    InvoiceReference, Issued, LegalForm, Line, Party, PaymentTerms, Period, Product,
};
pub use money::{Currency, round_money};
pub use series::{MemoryNumberSeries, NumberSeries, SqliteNumberSeries};
pub use totals::{Totals, VatSubtotal};
pub use validate::{Problem, ValidationReport};
pub use vat::{VatCategory, VatRate, VatRateTable, VatTag};

use time::Date;

/// Which identifier a parsing error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A Norwegian organisation number (9 digits, MOD11).
    OrgNumber,
    /// A Norwegian VAT number (`NO` + organisation number + `MVA`).
    VatNumber,
    /// A Norwegian bank account number (11 digits, MOD11).
    AccountNumber,
    /// A Norwegian IBAN (`NO` + 2 check digits + 11-digit account, mod 97).
    Iban,
    /// A KID payment reference (2 to 25 digits, MOD10 or MOD11).
    Kid,
}

impl std::fmt::Display for IdKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IdKind::OrgNumber => "organisation number",
            IdKind::VatNumber => "VAT number",
            IdKind::AccountNumber => "account number",
            IdKind::Iban => "IBAN",
            IdKind::Kid => "KID",
        })
    }
}

/// Everything that can go wrong in the invoice module.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvoiceError {
    /// An identifier did not parse or its check digit is wrong.
    #[error("invalid {kind} {input:?}: {reason}")]
    Identifier {
        /// Which identifier.
        kind: IdKind,
        /// The input as given (truncated to 64 characters).
        input: String,
        /// What was wrong and what would be right.
        reason: String,
    },
    /// A currency code is not a known ISO 4217 code.
    #[error("unknown currency code {code:?}: expected an ISO 4217 code such as NOK, EUR or JPY")]
    UnknownCurrency {
        /// The code as given (truncated).
        code: String,
    },
    /// An amount grew beyond what exact decimal arithmetic can hold.
    #[error("amount overflow while computing {what}: amounts must stay below 10^20")]
    Overflow {
        /// What was being computed, with its field path.
        what: String,
    },
    /// The document broke one or more rules; every problem is listed.
    #[error("{0}")]
    Invalid(ValidationReport),
    /// JSON did not match the versioned form.
    #[error("invalid JSON at {path}: {message}")]
    Json {
        /// Path of the offending field (`invoice.lines[2].quantity`), or `.` for the root.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// JSON was written by a version of the form this library does not read.
    #[error("unsupported JSON version {found}: this library reads version {JSON_VERSION}")]
    JsonVersion {
        /// The version found.
        found: u64,
    },
    /// A number series name is empty or too long.
    #[error("invalid number series name {name:?}: use 1 to 64 characters")]
    SeriesName {
        /// The name as given (truncated).
        name: String,
    },
    /// A number series has reached the largest number it can issue.
    #[error("number series {series:?} is exhausted: no number after {last}")]
    SeriesExhausted {
        /// The series.
        series: String,
        /// The last number issued.
        last: u64,
    },
    /// The number series' storage failed.
    #[error("number series storage failed: {0}")]
    Storage(#[from] rusqlite::Error),
    /// A rate or fee table is malformed.
    #[error("invalid table: {reason}")]
    Table {
        /// What was wrong and what would be right.
        reason: String,
    },
    /// No late-payment interest rate is known for a day.
    #[error(
        "no late-payment interest rate is known for {date}: the table covers {first} through \
         {last}; add the rate in force to the table"
    )]
    RateUnknown {
        /// The day without a rate.
        date: Date,
        /// First day the table covers.
        first: Date,
        /// Last day the table covers.
        last: Date,
    },
}

/// Keeps user input in error messages short, so a hostile megabyte string does not end up
/// in logs.
pub(crate) fn clip(input: &str) -> String {
    const MAX: usize = 64;
    if input.chars().count() <= MAX {
        input.to_owned()
    } else {
        let mut s: String = input.chars().take(MAX).collect();
        s.push('…');
        s
    }
}
