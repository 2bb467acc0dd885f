//! The invoice capability for Kotlin: `OrgNumber`, `AccountNumber` and `Kid` objects, `Party`
//! and `Line` records, `Invoice` and `CreditNote` objects with totals, validation and JSON.
//!
//! Money crosses as `java.math.BigDecimal` and dates as `java.time.LocalDate` (custom types
//! carried as strings, configured in `uniffi.toml`), so no amount passes through a `Double`.

use std::sync::Arc;

use rust_decimal::Decimal;
use time::Date;

use tillit::invoice::{self as core, Currency, InvoiceError, KidAlgorithm, Versioned};

use crate::TillitError;

uniffi::custom_type!(Decimal, String, {
    remote,
    lower: |d| d.to_string(),
    try_lift: |s| s.parse::<Decimal>().map_err(|e| uniffi::deps::anyhow::anyhow!("{s:?} is not a decimal: {e}")),
});

impl From<InvoiceError> for TillitError {
    fn from(e: InvoiceError) -> Self {
        match e {
            InvoiceError::Invalid(_) => TillitError::InvoiceInvalid(e.to_string()),
            other => TillitError::Invoice(other.to_string()),
        }
    }
}

/// The check-digit algorithm of a KID.
#[derive(Debug, Clone, Copy, uniffi::Enum)]
pub enum KidAlgorithmKind {
    /// Luhn.
    Mod10,
    /// Weights 2..7 from the right; remainder 10 gives "-".
    Mod11,
}

impl From<KidAlgorithmKind> for KidAlgorithm {
    fn from(k: KidAlgorithmKind) -> Self {
        match k {
            KidAlgorithmKind::Mod10 => KidAlgorithm::Mod10,
            KidAlgorithmKind::Mod11 => KidAlgorithm::Mod11,
        }
    }
}

/// A Norwegian organisation number (9 digits, MOD11).
#[derive(uniffi::Object, Debug, PartialEq, Eq, Hash)]
#[uniffi::export(Display, Eq, Hash)]
pub struct OrgNumber(core::OrgNumber);

impl std::fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export]
impl OrgNumber {
    /// Parses loosely ("NO 988 077 917 MVA") and checks the check digit.
    #[uniffi::constructor]
    pub fn new(value: String) -> Result<Self, TillitError> {
        Ok(Self(core::OrgNumber::parse(&value)?))
    }

    /// Grouped as "988 077 917".
    pub fn formatted(&self) -> String {
        self.0.formatted()
    }

    /// "NO988077917MVA".
    pub fn vat_number(&self) -> String {
        self.0.vat_number().to_string()
    }
}

/// The check digit for 8 leading digits, or null when none exists (remainder 10).
#[uniffi::export]
pub fn org_number_check_digit(first_eight: String) -> Option<u8> {
    core::OrgNumber::check_digit(&first_eight)
}

/// A Norwegian bank account number (11 digits, MOD11).
#[derive(uniffi::Object, Debug, PartialEq, Eq, Hash)]
#[uniffi::export(Display, Eq, Hash)]
pub struct AccountNumber(core::AccountNumber);

impl std::fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export]
impl AccountNumber {
    /// Parses loosely ("8601.11.17947") and checks the check digit.
    #[uniffi::constructor]
    pub fn new(value: String) -> Result<Self, TillitError> {
        Ok(Self(core::AccountNumber::parse(&value)?))
    }

    /// Grouped as "8601.11.17947".
    pub fn formatted(&self) -> String {
        self.0.formatted()
    }

    /// The Norwegian IBAN.
    pub fn iban(&self) -> String {
        self.0.to_iban().to_string()
    }
}

/// A KID payment reference.
#[derive(uniffi::Object, Debug, PartialEq, Eq, Hash)]
#[uniffi::export(Display, Eq, Hash)]
pub struct Kid(core::Kid);

impl std::fmt::Display for Kid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export]
impl Kid {
    /// Validates a KID; with a null algorithm MOD10 and then MOD11 are tried.
    #[uniffi::constructor]
    pub fn new(value: String, algorithm: Option<KidAlgorithmKind>) -> Result<Self, TillitError> {
        Ok(Self(match algorithm {
            Some(a) => core::Kid::parse(&value, a.into())?,
            None => core::Kid::parse_any(&value)?,
        }))
    }

    /// Appends the check character to a payload of digits.
    #[uniffi::constructor]
    pub fn generate(payload: String, algorithm: KidAlgorithmKind) -> Result<Self, TillitError> {
        Ok(Self(core::Kid::generate(&payload, algorithm.into())?))
    }
}

/// A seller or buyer.
#[derive(uniffi::Record, Clone)]
pub struct Party {
    /// Name.
    pub name: String,
    /// Organisation number, parsed loosely.
    #[uniffi(default = None)]
    pub org_number: Option<String>,
    /// In the VAT register.
    #[uniffi(default = false)]
    pub vat_registered: bool,
    /// Legal form: AS, ASA, NUF, ENK, ANS, DA, SA.
    #[uniffi(default = None)]
    pub legal_form: Option<String>,
    /// Street.
    #[uniffi(default = None)]
    pub street: Option<String>,
    /// Postal code.
    #[uniffi(default = None)]
    pub postal_code: Option<String>,
    /// City.
    #[uniffi(default = None)]
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[uniffi(default = "NO")]
    pub country: String,
    /// E-mail.
    #[uniffi(default = None)]
    pub email: Option<String>,
    /// Bank account, parsed loosely.
    #[uniffi(default = None)]
    pub bank_account: Option<String>,
}

impl Party {
    fn to_core(&self) -> Result<core::Party, TillitError> {
        let mut p = core::Party::new(self.name.clone());
        p.org_number = self
            .org_number
            .as_deref()
            .map(core::OrgNumber::parse)
            .transpose()?;
        p.vat_registered = self.vat_registered;
        p.legal_form = self
            .legal_form
            .as_deref()
            .map(|f| match f.to_ascii_uppercase().as_str() {
                "AS" => core::LegalForm::As,
                "ASA" => core::LegalForm::Asa,
                "NUF" => core::LegalForm::Nuf,
                "ENK" => core::LegalForm::Enk,
                "ANS" => core::LegalForm::Ans,
                "DA" => core::LegalForm::Da,
                "SA" => core::LegalForm::Sa,
                _ => core::LegalForm::Other,
            });
        p.address = core::Address {
            street: self.street.clone(),
            additional_street: None,
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
        };
        p.email = self.email.clone();
        p.bank_account = self
            .bank_account
            .as_deref()
            .map(core::AccountNumber::parse)
            .transpose()?;
        Ok(p)
    }
}

/// One invoice line.
#[derive(uniffi::Record, Clone)]
pub struct Line {
    /// What is sold.
    pub description: String,
    /// How many.
    pub quantity: Decimal,
    /// Unit (UN/ECE Rec. 20).
    pub unit: String,
    /// Net price per unit.
    pub unit_price: Decimal,
    /// VAT percent.
    pub vat_percent: Decimal,
    /// VAT category code (S, Z, E, AE, K, G, O).
    #[uniffi(default = "S")]
    pub vat_category: String,
    /// Exemption reason for categories other than S and Z.
    #[uniffi(default = None)]
    pub exemption_reason: Option<String>,
}

impl Line {
    fn to_core(&self) -> Result<core::Line, TillitError> {
        let cat = core::VatCategory::from_code(&self.vat_category).ok_or_else(|| {
            TillitError::InvalidArgument(format!(
                "unknown VAT category {:?}: use S, Z, E, AE, K, G or O",
                self.vat_category
            ))
        })?;
        let mut tag = core::VatTag::new(cat, self.vat_percent);
        tag.exemption_reason.clone_from(&self.exemption_reason);
        Ok(core::Line::new(
            self.description.clone(),
            self.quantity,
            self.unit.clone(),
            self.unit_price,
            tag,
        ))
    }
}

/// One VAT group of the totals.
#[derive(uniffi::Record)]
pub struct VatSubtotal {
    /// Category code.
    pub category: String,
    /// Percent.
    pub percent: Decimal,
    /// Taxable amount.
    pub taxable_amount: Decimal,
    /// VAT.
    pub vat_amount: Decimal,
}

/// The totals of a document.
#[derive(uniffi::Record)]
pub struct Totals {
    /// Each line's amount.
    pub line_amounts: Vec<Decimal>,
    /// Sum of line amounts.
    pub line_extension: Decimal,
    /// Document-level allowances.
    pub allowance_total: Decimal,
    /// Document-level charges.
    pub charge_total: Decimal,
    /// Total without VAT.
    pub tax_exclusive: Decimal,
    /// VAT per category and rate.
    pub vat_breakdown: Vec<VatSubtotal>,
    /// Total VAT.
    pub vat_total: Decimal,
    /// Total VAT in NOK for foreign currency.
    pub vat_total_nok: Option<Decimal>,
    /// Total with VAT.
    pub tax_inclusive: Decimal,
    /// Already paid.
    pub prepaid: Decimal,
    /// Cash rounding.
    pub rounding: Decimal,
    /// Amount due.
    pub payable: Decimal,
}

impl From<core::Totals> for Totals {
    fn from(t: core::Totals) -> Self {
        Self {
            line_amounts: t.line_amounts,
            line_extension: t.line_extension,
            allowance_total: t.allowance_total,
            charge_total: t.charge_total,
            tax_exclusive: t.tax_exclusive,
            vat_breakdown: t
                .vat_breakdown
                .into_iter()
                .map(|g| VatSubtotal {
                    category: g.category.code().to_owned(),
                    percent: g.percent,
                    taxable_amount: g.taxable_amount,
                    vat_amount: g.vat_amount,
                })
                .collect(),
            vat_total: t.vat_total,
            vat_total_nok: t.vat_total_nok,
            tax_inclusive: t.tax_inclusive,
            prepaid: t.prepaid,
            rounding: t.rounding,
            payable: t.payable,
        }
    }
}

/// One broken rule.
#[derive(uniffi::Record)]
pub struct Problem {
    /// Field path, such as `lines[2].quantity`.
    pub path: String,
    /// Rule id.
    pub rule: String,
    /// What is wrong and what would be right.
    pub message: String,
}

fn problems(r: Result<(), core::ValidationReport>) -> Vec<Problem> {
    r.err()
        .map(|r| {
            r.problems
                .into_iter()
                .map(|p| Problem {
                    path: p.path,
                    rule: p.rule,
                    message: p.message,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// An invoice.
#[derive(uniffi::Object)]
pub struct Invoice(pub(crate) core::Invoice);

#[uniffi::export]
impl Invoice {
    /// An invoice; validation is separate (`problems()` or `validate()`).
    /// `buyerReference` (or `orderReference`) is what EHF requires to route the invoice at
    /// the buyer; `kid` is the payment reference.
    #[uniffi::constructor(default(currency = "NOK", due_date = None, delivery_date = None, payment_terms_days = None, kid = None, buyer_reference = None, order_reference = None))]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        number: String,
        issue_date: Date,
        seller: Party,
        buyer: Party,
        lines: Vec<Line>,
        currency: String,
        due_date: Option<Date>,
        delivery_date: Option<Date>,
        payment_terms_days: Option<u32>,
        kid: Option<Arc<Kid>>,
        buyer_reference: Option<String>,
        order_reference: Option<String>,
    ) -> Result<Self, TillitError> {
        let currency = Currency::from_code(&currency)?;
        let mut inv = core::Invoice::new(
            number,
            issue_date,
            currency,
            seller.to_core()?,
            buyer.to_core()?,
        );
        inv.lines = lines.iter().map(Line::to_core).collect::<Result<_, _>>()?;
        inv.due_date = due_date;
        inv.delivery_date = delivery_date;
        inv.payment_terms = payment_terms_days.map(|d| core::PaymentTerms {
            days: Some(d),
            note: None,
        });
        inv.kid = kid.map(|k| k.0.clone());
        inv.buyer_reference = buyer_reference;
        inv.order_reference = order_reference;
        Ok(Self(inv))
    }

    /// Reads the versioned JSON form.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Self, TillitError> {
        Ok(Self(core::Invoice::from_json(&json)?))
    }

    /// The versioned JSON form.
    pub fn to_json(&self) -> Result<String, TillitError> {
        Ok(self.0.to_json()?)
    }

    /// The totals.
    pub fn totals(&self) -> Result<Totals, TillitError> {
        Ok(self.0.totals()?.into())
    }

    /// Every broken rule; empty for a lawful invoice.
    pub fn problems(&self) -> Vec<Problem> {
        problems(self.0.validate())
    }

    /// Throws `TillitException.InvoiceInvalid` listing every problem.
    pub fn validate(&self) -> Result<(), TillitError> {
        self.0
            .validate()
            .map_err(|r| InvoiceError::Invalid(r).into())
    }

    /// A credit note crediting this invoice in full.
    pub fn credit_note(&self, number: String, issue_date: Date) -> Arc<CreditNote> {
        Arc::new(CreditNote(core::CreditNote::full(
            &self.0, number, issue_date,
        )))
    }

    /// The invoice number.
    pub fn number(&self) -> String {
        self.0.number.clone()
    }

    /// The issue date.
    pub fn issue_date(&self) -> Date {
        self.0.issue_date
    }

    /// The KID (payment reference), if any.
    pub fn kid(&self) -> Option<Arc<Kid>> {
        self.0.kid.clone().map(|k| Arc::new(Kid(k)))
    }

    /// The buyer's reference, if any.
    pub fn buyer_reference(&self) -> Option<String> {
        self.0.buyer_reference.clone()
    }

    /// The number of lines.
    pub fn line_count(&self) -> u64 {
        self.0.lines.len() as u64
    }

    /// The currency code.
    pub fn currency(&self) -> String {
        self.0.currency.code().to_owned()
    }
}

/// A credit note.
#[derive(uniffi::Object)]
pub struct CreditNote(pub(crate) core::CreditNote);

#[uniffi::export]
impl CreditNote {
    /// Reads the versioned JSON form.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Self, TillitError> {
        Ok(Self(core::CreditNote::from_json(&json)?))
    }

    /// The versioned JSON form.
    pub fn to_json(&self) -> Result<String, TillitError> {
        Ok(self.0.to_json()?)
    }

    /// The totals, positive as the document states them.
    pub fn totals(&self) -> Result<Totals, TillitError> {
        Ok(self.0.totals()?.into())
    }

    /// The totals signed by their effect on what the buyer owes (negative).
    pub fn ledger_totals(&self) -> Result<Totals, TillitError> {
        Ok(self.0.ledger_totals()?.into())
    }

    /// Every broken rule.
    pub fn problems(&self) -> Vec<Problem> {
        problems(self.0.validate())
    }

    /// The credit note's own number.
    pub fn number(&self) -> String {
        self.0.number.clone()
    }

    /// The credited invoice's number.
    pub fn credited_number(&self) -> String {
        self.0.credited.number.clone()
    }
}

/// Late-payment interest from the built-in Norwegian rate table.
#[uniffi::export]
pub fn late_interest(
    principal: Decimal,
    due_date: Date,
    paid_on: Date,
) -> Result<Decimal, TillitError> {
    Ok(core::late_interest(
        principal,
        due_date,
        paid_on,
        &core::LateInterestTable::norway(),
    )?
    .total)
}

/// The highest lawful reminder fee, or null when none is allowed.
#[uniffi::export]
pub fn reminder_fee(
    due_date: Date,
    reminder_date: Date,
    earlier_fee_reminders: Vec<Date>,
) -> Option<Decimal> {
    match core::DunningPolicy::default().reminder_fee(
        due_date,
        reminder_date,
        &earlier_fee_reminders,
    ) {
        core::FeeDecision::Allowed { max_fee } => Some(max_fee),
        core::FeeDecision::Refused { .. } => None,
    }
}
