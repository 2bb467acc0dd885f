//! The models: parties, lines, allowances and charges, attachments, invoices, credit notes,
//! customers and products, and [`Issued`], the wrapper that makes an issued document
//! read-only.
//!
//! Fields are public so services can build documents directly; the rules live in
//! [`Invoice::validate`] and the totals in [`Invoice::totals`]. Field names are the stable
//! names of the JSON form. Credit notes state positive amounts, as UBL does: the document
//! type says that they reduce what the buyer owes; [`CreditNote::ledger_totals`] gives the
//! signed effect.

use std::ops::Deref;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::totals::{self, Parts, Totals};
use super::validate::{self, ValidationReport};
use super::{
    AccountNumber, Currency, Iban, InvoiceError, Kid, OrgNumber, VatNumber, VatRateTable, VatTag,
    serde_fmt,
};

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street and number.
    #[serde(default)]
    pub street: Option<String>,
    /// A second address line.
    #[serde(default)]
    pub additional_street: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub postal_code: Option<String>,
    /// City or place.
    #[serde(default)]
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

impl Address {
    /// A Norwegian address.
    #[must_use]
    pub fn norwegian(street: &str, postal_code: &str, city: &str) -> Self {
        Self {
            street: Some(street.to_owned()),
            additional_street: None,
            postal_code: Some(postal_code.to_owned()),
            city: Some(city.to_owned()),
            country: "NO".to_owned(),
        }
    }
}

/// The legal form of a Norwegian business, as registered in Enhetsregisteret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LegalForm {
    /// Aksjeselskap.
    As,
    /// Allmennaksjeselskap.
    Asa,
    /// Norskregistrert utenlandsk foretak.
    Nuf,
    /// Enkeltpersonforetak.
    Enk,
    /// Ansvarlig selskap.
    Ans,
    /// Selskap med delt ansvar.
    Da,
    /// Samvirkeforetak.
    Sa,
    /// Any other form.
    Other,
}

/// An electronic address for e-invoices (PEPPOL endpoint), such as scheme `0192` with an
/// organisation number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// The ISO 6523 ICD scheme (`0192` for Norwegian organisation numbers).
    pub scheme: String,
    /// The identifier within the scheme.
    pub id: String,
}

/// A seller or buyer.
///
/// "Foretaksregisteret" must follow the organisation number of AS, ASA and NUF sellers
/// (foretaksregisterloven § 10-2); [`Party::in_foretaksregisteret`] says when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// The name the party trades under.
    pub name: String,
    /// The registered legal name, when it differs.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// The Norwegian organisation number.
    #[serde(default)]
    pub org_number: Option<OrgNumber>,
    /// Whether the party is in the VAT register ("MVA" after the number).
    #[serde(default)]
    pub vat_registered: bool,
    /// A foreign VAT identifier (for parties outside Norway).
    #[serde(default)]
    pub foreign_vat_id: Option<String>,
    /// The legal form.
    #[serde(default)]
    pub legal_form: Option<LegalForm>,
    /// The postal address.
    #[serde(default)]
    pub address: Address,
    /// The e-invoice endpoint; by default scheme 0192 with the organisation number.
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
    /// A contact person.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Norwegian bank account for payment.
    #[serde(default)]
    pub bank_account: Option<AccountNumber>,
    /// Norwegian IBAN for payment from abroad.
    #[serde(default)]
    pub iban: Option<Iban>,
    /// BIC of the bank.
    #[serde(default)]
    pub bic: Option<String>,
}

impl Party {
    /// A party with a name and a Norwegian address to be filled in.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            legal_name: None,
            org_number: None,
            vat_registered: false,
            foreign_vat_id: None,
            legal_form: None,
            address: Address {
                country: "NO".into(),
                ..Address::default()
            },
            endpoint: None,
            contact_name: None,
            email: None,
            phone: None,
            bank_account: None,
            iban: None,
            bic: None,
        }
    }

    /// Sets the organisation number.
    #[must_use]
    pub fn with_org_number(mut self, org: OrgNumber) -> Self {
        self.org_number = Some(org);
        self
    }

    /// The VAT number (`NO…MVA`) when the party is VAT registered and has an organisation
    /// number.
    #[must_use]
    pub fn vat_number(&self) -> Option<VatNumber> {
        self.org_number
            .filter(|_| self.vat_registered)
            .map(OrgNumber::vat_number)
    }

    /// Whether "Foretaksregisteret" must be written after the organisation number: AS, ASA
    /// and NUF.
    #[must_use]
    pub fn in_foretaksregisteret(&self) -> bool {
        matches!(
            self.legal_form,
            Some(LegalForm::As | LegalForm::Asa | LegalForm::Nuf)
        )
    }

    /// The e-invoice endpoint: the one set, or scheme 0192 with the organisation number.
    #[must_use]
    pub fn endpoint_or_default(&self) -> Option<Endpoint> {
        self.endpoint.clone().or_else(|| {
            self.org_number.map(|o| Endpoint {
                scheme: "0192".into(),
                id: o.to_string(),
            })
        })
    }
}

/// A period of delivery or service, both days inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day.
    #[serde(with = "serde_fmt::date")]
    pub start: Date,
    /// Last day.
    #[serde(with = "serde_fmt::date")]
    pub end: Date,
}

/// A discount (allowance) or a surcharge (charge), on a line or on the whole document.
///
/// Document-level ones carry their own VAT tag and count in that VAT group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowanceCharge {
    /// `true` for a charge (adds), `false` for an allowance (subtracts).
    pub charge: bool,
    /// The amount, positive, in the document currency.
    #[serde(with = "serde_fmt::dec")]
    pub amount: Decimal,
    /// The amount a percentage applies to.
    #[serde(default, with = "serde_fmt::dec_opt")]
    pub base_amount: Option<Decimal>,
    /// The percentage, when the amount is `base_amount × percent / 100`.
    #[serde(default, with = "serde_fmt::dec_opt")]
    pub percent: Option<Decimal>,
    /// Why, in words.
    #[serde(default)]
    pub reason: Option<String>,
    /// Why, as a UNCL 5189 (allowance) or UNCL 7161 (charge) code.
    #[serde(default)]
    pub reason_code: Option<String>,
    /// VAT of a document-level allowance or charge; absent on lines.
    #[serde(default)]
    pub vat: Option<VatTag>,
}

impl AllowanceCharge {
    /// A discount of `amount` with a reason, for a line.
    #[must_use]
    pub fn discount(amount: Decimal, reason: impl Into<String>) -> Self {
        Self {
            charge: false,
            amount,
            base_amount: None,
            percent: None,
            reason: Some(reason.into()),
            reason_code: None,
            vat: None,
        }
    }

    /// A percentage discount of `base`, rounded to the currency.
    #[must_use]
    pub fn discount_percent(base: Decimal, percent: Decimal, currency: Currency) -> Self {
        let amount = base
            .checked_mul(percent)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .map(|x| super::round_money(x, currency))
            .unwrap_or(Decimal::ZERO);
        Self {
            charge: false,
            amount,
            base_amount: Some(base),
            percent: Some(percent),
            reason: Some("Discount".into()),
            reason_code: Some("95".into()),
            vat: None,
        }
    }

    /// A document-level charge (freight, fees) with its VAT.
    #[must_use]
    pub fn document_charge(amount: Decimal, reason: impl Into<String>, vat: VatTag) -> Self {
        Self {
            charge: true,
            vat: Some(vat),
            ..Self::discount(amount, reason)
        }
    }

    /// A document-level allowance with its VAT.
    #[must_use]
    pub fn document_allowance(amount: Decimal, reason: impl Into<String>, vat: VatTag) -> Self {
        Self {
            vat: Some(vat),
            ..Self::discount(amount, reason)
        }
    }
}

/// One invoice line.
///
/// Its amount is `quantity × unit_price / base_quantity`, rounded to the currency, plus
/// its charges and minus its allowances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The line's identifier; by default its position from 1.
    #[serde(default)]
    pub id: Option<String>,
    /// What is sold.
    pub description: String,
    /// A free-text note.
    #[serde(default)]
    pub note: Option<String>,
    /// How many; negative for returns on an invoice.
    #[serde(with = "serde_fmt::dec")]
    pub quantity: Decimal,
    /// Unit of measure, UN/ECE Recommendation 20 (`EA`, `HUR`, `MTR`, `NAR`).
    pub unit: String,
    /// Net price per `base_quantity` units, after any price discount.
    #[serde(with = "serde_fmt::dec")]
    pub unit_price: Decimal,
    /// The number of units the price is for (1 when absent).
    #[serde(default, with = "serde_fmt::dec_opt")]
    pub base_quantity: Option<Decimal>,
    /// The price before the price discount, when there is one.
    #[serde(default, with = "serde_fmt::dec_opt")]
    pub gross_price: Option<Decimal>,
    /// Discounts and surcharges on this line.
    #[serde(default)]
    pub allowances_charges: Vec<AllowanceCharge>,
    /// The line's VAT.
    pub vat: VatTag,
    /// The seller's product number.
    #[serde(default)]
    pub product_id: Option<String>,
    /// The buyer's accounting reference.
    #[serde(default)]
    pub accounting_cost: Option<String>,
    /// The period the line covers.
    #[serde(default)]
    pub period: Option<Period>,
    /// The line of the buyer's order this line delivers.
    #[serde(default)]
    pub order_line_reference: Option<String>,
}

impl Line {
    /// A line with the required fields.
    #[must_use]
    pub fn new(
        description: impl Into<String>,
        quantity: Decimal,
        unit: impl Into<String>,
        unit_price: Decimal,
        vat: VatTag,
    ) -> Self {
        Self {
            id: None,
            description: description.into(),
            note: None,
            quantity,
            unit: unit.into(),
            unit_price,
            base_quantity: None,
            gross_price: None,
            allowances_charges: Vec::new(),
            vat,
            product_id: None,
            accounting_cost: None,
            period: None,
            order_line_reference: None,
        }
    }

    /// A line for `quantity` of a product at its list price.
    #[must_use]
    pub fn from_product(product: &Product, quantity: Decimal) -> Self {
        let mut line = Self::new(
            product.name.clone(),
            quantity,
            product.unit.clone(),
            product.unit_price,
            product.vat.clone(),
        );
        line.product_id = Some(product.id.clone());
        line
    }

    /// The line amount in `currency`, rounded (EN 16931 BT-131).
    ///
    /// # Errors
    /// [`InvoiceError::Overflow`] when the amount exceeds exact decimal range.
    pub fn amount(&self, currency: Currency) -> Result<Decimal, InvoiceError> {
        totals::line_amount(self, currency, totals::Place::Line)
    }
}

/// A reference to an attachment sent with the document; the bytes live elsewhere and are
/// supplied when an e-invoice is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    /// The attachment's identifier within the document.
    pub id: String,
    /// What it is (`Timesheet`).
    #[serde(default)]
    pub description: Option<String>,
    /// MIME type; EHF accepts PDF, PNG, JPEG, CSV, XLSX and ODS.
    pub mime_type: String,
    /// File name.
    pub file_name: String,
    /// Where it can be fetched, for an external reference.
    #[serde(default)]
    pub uri: Option<String>,
}

/// Payment terms: a number of days from the issue date, a text, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentTerms {
    /// Days from the issue date to the due date.
    #[serde(default)]
    pub days: Option<u32>,
    /// The terms in words.
    #[serde(default)]
    pub note: Option<String>,
}

/// A reference to an earlier invoice, as a credit note carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceReference {
    /// The credited invoice's number.
    pub number: String,
    /// Its issue date.
    #[serde(default, with = "serde_fmt::date::option")]
    pub issue_date: Option<Date>,
}

macro_rules! document_common {
    ($t:ident) => {
        impl $t {
            /// The totals: line sum, allowances and charges, VAT per category and rate,
            /// payable amount.
            ///
            /// # Errors
            /// [`InvoiceError::Overflow`] when an amount exceeds exact decimal range.
            pub fn totals(&self) -> Result<Totals, InvoiceError> {
                totals::compute(&self.parts())
            }

            /// Validates every rule against the default Norwegian VAT table and reports
            /// every problem at once.
            ///
            /// # Errors
            /// A [`ValidationReport`] listing each problem with its field path and rule.
            pub fn validate(&self) -> Result<(), ValidationReport> {
                self.validate_with(VatRateTable::norway_shared())
            }

            /// The due date: the one set, or the issue date plus the payment terms' days.
            #[must_use]
            pub fn effective_due_date(&self) -> Option<Date> {
                self.due_date.or_else(|| {
                    let days = self.payment_terms.as_ref()?.days?;
                    self.issue_date.checked_add(Duration::days(i64::from(days)))
                })
            }

            /// Sets the number and validates, returning a read-only document.
            ///
            /// Call it inside [`NumberSeries::issue`](super::NumberSeries::issue), so that
            /// a refused document gives its number back.
            ///
            /// # Errors
            /// [`InvoiceError::Invalid`] with every problem found.
            pub fn issue(
                mut self,
                number: impl Into<String>,
            ) -> Result<Issued<Self>, InvoiceError> {
                self.number = number.into();
                self.validate().map_err(InvoiceError::Invalid)?;
                Ok(Issued(self))
            }

            fn parts(&self) -> Parts<'_> {
                Parts {
                    currency: self.currency,
                    lines: &self.lines,
                    allowances_charges: &self.allowances_charges,
                    prepaid_amount: self.prepaid_amount,
                    cash_rounding: self.cash_rounding,
                    nok_exchange_rate: self.nok_exchange_rate,
                }
            }
        }
    };
}

/// An invoice (faktura).
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tillit::invoice::{Currency, Invoice, Line, Party, VatTag};
/// use time::macros::date;
///
/// let mut invoice = Invoice::new("", date!(2024 - 03 - 15), Currency::NOK,
///     Party::new("Selger AS"), Party::new("Kjøper AS"));
/// let tenth: Decimal = "0.10".parse()?;
/// for _ in 0..3 {
///     invoice.lines.push(Line::new("Pin", Decimal::ONE, "EA", tenth,
///         VatTag::standard(Decimal::from(25))));
/// }
/// // VAT is computed per rate on the sum (0.30 × 25 % = 0.075 → 0.08), not per line.
/// assert_eq!(invoice.totals()?.vat_total, "0.08".parse()?);
///
/// // The seller has no organisation number or address, and there is no number yet:
/// let report = invoice.validate().expect_err("incomplete");
/// assert!(report.problems.iter().any(|p| p.path == "seller.org_number"));
/// assert!(report.problems.iter().any(|p| p.path == "number"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// The invoice number from a gapless series; empty until issued.
    pub number: String,
    /// Issue date.
    #[serde(with = "serde_fmt::date")]
    pub issue_date: Date,
    /// Due date; when absent, the payment terms' days decide it.
    #[serde(default, with = "serde_fmt::date::option")]
    pub due_date: Option<Date>,
    /// Delivery date (bokføringsforskriften § 5-1-1 requires the date or period of delivery).
    #[serde(default, with = "serde_fmt::date::option")]
    pub delivery_date: Option<Date>,
    /// The period invoiced, instead of a delivery date.
    #[serde(default)]
    pub period: Option<Period>,
    /// The document currency.
    pub currency: Currency,
    /// NOK per unit of `currency`, for stating VAT in NOK on foreign-currency invoices.
    #[serde(default, with = "serde_fmt::dec_opt")]
    pub nok_exchange_rate: Option<Decimal>,
    /// The seller.
    pub seller: Party,
    /// The buyer.
    pub buyer: Party,
    /// The lines.
    pub lines: Vec<Line>,
    /// Document-level allowances and charges.
    #[serde(default)]
    pub allowances_charges: Vec<AllowanceCharge>,
    /// The KID to pay with.
    #[serde(default)]
    pub kid: Option<Kid>,
    /// Payment terms.
    #[serde(default)]
    pub payment_terms: Option<PaymentTerms>,
    /// The buyer's reference ("Deres ref.").
    #[serde(default)]
    pub buyer_reference: Option<String>,
    /// The buyer's order number.
    #[serde(default)]
    pub order_reference: Option<String>,
    /// A free-text note.
    #[serde(default)]
    pub note: Option<String>,
    /// Attachments sent with the invoice.
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
    /// Amount already paid.
    #[serde(default, with = "serde_fmt::dec")]
    pub prepaid_amount: Decimal,
    /// Round the payable amount to whole kroner, for cash payment; the rounding is shown
    /// separately in the totals.
    #[serde(default)]
    pub cash_rounding: bool,
}

document_common!(Invoice);

impl Invoice {
    /// An invoice with the required fields and no lines.
    #[must_use]
    pub fn new(
        number: impl Into<String>,
        issue_date: Date,
        currency: Currency,
        seller: Party,
        buyer: Party,
    ) -> Self {
        Self {
            number: number.into(),
            issue_date,
            due_date: None,
            delivery_date: None,
            period: None,
            currency,
            nok_exchange_rate: None,
            seller,
            buyer,
            lines: Vec::new(),
            allowances_charges: Vec::new(),
            kid: None,
            payment_terms: None,
            buyer_reference: None,
            order_reference: None,
            note: None,
            attachments: Vec::new(),
            prepaid_amount: Decimal::ZERO,
            cash_rounding: false,
        }
    }

    /// Validates every rule against `vat_rates` and reports every problem at once.
    ///
    /// # Errors
    /// A [`ValidationReport`] listing each problem with its field path and rule.
    pub fn validate_with(&self, vat_rates: &VatRateTable) -> Result<(), ValidationReport> {
        validate::invoice(self, vat_rates).into_result()
    }
}

/// A credit note (kreditnota): its own number, a reference to the invoice it credits, and
/// the lines it credits, with positive amounts.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tillit::invoice::{CreditNote, Currency, Invoice, Line, Party, VatTag};
/// use time::macros::date;
///
/// let mut invoice = Invoice::new("1001", date!(2024 - 03 - 15), Currency::NOK,
///     Party::new("Selger AS"), Party::new("Kjøper AS"));
/// invoice.lines.push(Line::new("Consulting", Decimal::from(2), "HUR",
///     Decimal::from(1000), VatTag::standard(Decimal::from(25))));
///
/// let credit = CreditNote::full(&invoice, "", date!(2024 - 03 - 20));
/// assert_eq!(credit.credited.number, "1001");
/// assert_eq!(credit.ledger_totals()?.payable, Decimal::from(-2500));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditNote {
    /// The credit note's own number, from a gapless series; never the credited invoice's.
    pub number: String,
    /// Issue date.
    #[serde(with = "serde_fmt::date")]
    pub issue_date: Date,
    /// The invoice this credit note credits.
    pub credited: InvoiceReference,
    /// Why the invoice is credited.
    #[serde(default)]
    pub reason: Option<String>,
    /// Due date of a refund, if any.
    #[serde(default, with = "serde_fmt::date::option")]
    pub due_date: Option<Date>,
    /// Delivery date of what is credited.
    #[serde(default, with = "serde_fmt::date::option")]
    pub delivery_date: Option<Date>,
    /// The period credited.
    #[serde(default)]
    pub period: Option<Period>,
    /// The document currency (the credited invoice's).
    pub currency: Currency,
    /// NOK per unit of `currency`, for stating VAT in NOK.
    #[serde(default, with = "serde_fmt::dec_opt")]
    pub nok_exchange_rate: Option<Decimal>,
    /// The seller.
    pub seller: Party,
    /// The buyer.
    pub buyer: Party,
    /// The lines credited, with positive quantities for goods taken back.
    pub lines: Vec<Line>,
    /// Document-level allowances and charges credited.
    #[serde(default)]
    pub allowances_charges: Vec<AllowanceCharge>,
    /// Payment terms for a refund.
    #[serde(default)]
    pub payment_terms: Option<PaymentTerms>,
    /// The buyer's reference.
    #[serde(default)]
    pub buyer_reference: Option<String>,
    /// The buyer's order number.
    #[serde(default)]
    pub order_reference: Option<String>,
    /// A free-text note.
    #[serde(default)]
    pub note: Option<String>,
    /// Attachments sent with the credit note.
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
    /// Amount already settled.
    #[serde(default, with = "serde_fmt::dec")]
    pub prepaid_amount: Decimal,
    /// Round to whole kroner for cash.
    #[serde(default)]
    pub cash_rounding: bool,
}

document_common!(CreditNote);

impl CreditNote {
    /// A credit note that credits `invoice` in full.
    #[must_use]
    pub fn full(invoice: &Invoice, number: impl Into<String>, issue_date: Date) -> Self {
        Self::partial(invoice, number, issue_date, invoice.lines.clone())
    }

    /// A credit note that credits some lines (or parts of lines) of `invoice`; document
    /// level allowances and charges are not carried over.
    #[must_use]
    pub fn partial(
        invoice: &Invoice,
        number: impl Into<String>,
        issue_date: Date,
        lines: Vec<Line>,
    ) -> Self {
        let full = lines == invoice.lines;
        Self {
            number: number.into(),
            issue_date,
            credited: InvoiceReference {
                number: invoice.number.clone(),
                issue_date: Some(invoice.issue_date),
            },
            reason: None,
            due_date: None,
            delivery_date: invoice.delivery_date,
            period: invoice.period,
            currency: invoice.currency,
            nok_exchange_rate: invoice.nok_exchange_rate,
            seller: invoice.seller.clone(),
            buyer: invoice.buyer.clone(),
            lines,
            allowances_charges: if full {
                invoice.allowances_charges.clone()
            } else {
                Vec::new()
            },
            payment_terms: None,
            buyer_reference: invoice.buyer_reference.clone(),
            order_reference: invoice.order_reference.clone(),
            note: None,
            attachments: Vec::new(),
            prepaid_amount: Decimal::ZERO,
            cash_rounding: invoice.cash_rounding,
        }
    }

    /// The totals with the sign of their effect on what the buyer owes: negative.
    ///
    /// # Errors
    /// [`InvoiceError::Overflow`] when an amount exceeds exact decimal range.
    pub fn ledger_totals(&self) -> Result<Totals, InvoiceError> {
        Ok(self.totals()?.negated())
    }

    /// Validates every rule against `vat_rates` and reports every problem at once.
    ///
    /// # Errors
    /// A [`ValidationReport`] listing each problem with its field path and rule.
    pub fn validate_with(&self, vat_rates: &VatRateTable) -> Result<(), ValidationReport> {
        validate::credit_note(self, vat_rates).into_result()
    }

    /// Validates this credit note against the invoice it credits as well: same parties and
    /// currency, and no more credited than invoiced.
    ///
    /// # Errors
    /// A [`ValidationReport`] listing each problem.
    pub fn validate_against(&self, invoice: &Invoice) -> Result<(), ValidationReport> {
        let mut report = validate::credit_note(self, VatRateTable::norway_shared());
        validate::credit_against(self, invoice, &mut report);
        report.into_result()
    }
}

/// An issued document: numbered, validated and read-only. It derefs to the document for
/// reading; there is no way to change it.
///
/// ```compile_fail
/// # use tillit::invoice::*;
/// # fn f(issued: Issued<Invoice>) {
/// issued.lines.clear(); // an issued invoice is never edited
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Issued<T>(T);

impl<T> Issued<T> {
    /// The document, to store or send; changing it means issuing a credit note.
    #[must_use]
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Issued<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A customer of the account (a buyer the account invoices repeatedly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The account's customer number.
    pub id: String,
    /// The customer as a party on invoices.
    pub party: Party,
    /// Default payment terms in days.
    #[serde(default)]
    pub payment_terms_days: Option<u32>,
}

/// A product or service in the account's product list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// The account's product number.
    pub id: String,
    /// Name printed on lines.
    pub name: String,
    /// Unit of measure (UN/ECE Recommendation 20).
    pub unit: String,
    /// List price per unit, excluding VAT.
    #[serde(with = "serde_fmt::dec")]
    pub unit_price: Decimal,
    /// The product's VAT.
    pub vat: VatTag,
}
