//! Validation: every rule of an invoice or credit note is checked and every problem is
//! reported at once, each with the path of the field (`lines[2].quantity`) and a rule id.
//!
//! The rules come from bokføringsforskriften § 5-1-1 (what an invoice must state), EN 16931
//! (the business rules `BR-…` that EHF enforces, quoted in the messages where one applies)
//! and the Norwegian VAT rate table.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::model::{AllowanceCharge, AttachmentRef, CreditNote, Invoice, Line, Party};
use super::{Currency, VatCategory, VatRateTable, round_money};

/// MIME types EHF accepts for embedded attachments (PEPPOL BIS Billing 3.0, BR-CL-24 list
/// as restricted by the PEPPOL rules).
const ATTACHMENT_MIME_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
];

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Path of the field, as in the JSON form: `lines[2].quantity`, `seller.org_number`.
    pub path: String,
    /// A stable rule id, such as `line-quantity-nonzero`.
    pub rule: String,
    /// What is wrong and what would be right.
    pub message: String,
}

/// Every problem found in one document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ValidationReport {
    /// The problems, in field order.
    pub problems: Vec<Problem>,
}

impl ValidationReport {
    fn push(&mut self, path: impl Into<String>, rule: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            rule: rule.to_owned(),
            message: message.into(),
        });
    }

    /// Whether a rule fired at a path, for tests and for callers mapping problems to form
    /// fields.
    #[must_use]
    pub fn has(&self, path: &str, rule: &str) -> bool {
        self.problems
            .iter()
            .any(|p| p.path == path && p.rule == rule)
    }

    pub(crate) fn into_result(self) -> Result<(), Self> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "{n} problem{}: ", if n == 1 { "" } else { "s" })?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{} ({}): {}", p.path, p.rule, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationReport {}

/// The fields invoices and credit notes share, borrowed for validation.
struct Common<'a> {
    number: &'a str,
    issue_date: Date,
    due_date: Option<Date>,
    delivery_date: Option<Date>,
    period: Option<super::Period>,
    currency: Currency,
    nok_exchange_rate: Option<Decimal>,
    seller: &'a Party,
    buyer: &'a Party,
    lines: &'a [Line],
    allowances_charges: &'a [AllowanceCharge],
    attachments: &'a [AttachmentRef],
    prepaid_amount: Decimal,
    has_terms: bool,
}

pub(crate) fn invoice(inv: &Invoice, rates: &VatRateTable) -> ValidationReport {
    let mut r = ValidationReport::default();
    let c = Common {
        number: &inv.number,
        issue_date: inv.issue_date,
        due_date: inv.due_date,
        delivery_date: inv.delivery_date,
        period: inv.period,
        currency: inv.currency,
        nok_exchange_rate: inv.nok_exchange_rate,
        seller: &inv.seller,
        buyer: &inv.buyer,
        lines: &inv.lines,
        allowances_charges: &inv.allowances_charges,
        attachments: &inv.attachments,
        prepaid_amount: inv.prepaid_amount,
        has_terms: inv
            .payment_terms
            .as_ref()
            .is_some_and(|t| t.days.is_some() || t.note.is_some()),
    };
    common(&c, rates, &mut r);
    match inv.totals() {
        Ok(t) => {
            if t.payable > Decimal::ZERO && c.due_date.is_none() && !c.has_terms {
                r.push(
                    "due_date",
                    "due-date-or-terms-required",
                    "an invoice with an amount due needs a due date or payment terms (BR-CO-25)",
                );
            }
            if !c.currency.is_nok() && t.vat_total != Decimal::ZERO && c.nok_exchange_rate.is_none()
            {
                r.push(
                    "nok_exchange_rate",
                    "nok-rate-required",
                    format!(
                        "an invoice in {} with VAT must state the VAT in NOK; give the NOK \
                         exchange rate",
                        c.currency
                    ),
                );
            }
        }
        Err(e) => r.push(".", "amount-overflow", e.to_string()),
    }
    r
}

pub(crate) fn credit_note(cn: &CreditNote, rates: &VatRateTable) -> ValidationReport {
    let mut r = ValidationReport::default();
    let c = Common {
        number: &cn.number,
        issue_date: cn.issue_date,
        due_date: cn.due_date,
        delivery_date: cn.delivery_date,
        period: cn.period,
        currency: cn.currency,
        nok_exchange_rate: cn.nok_exchange_rate,
        seller: &cn.seller,
        buyer: &cn.buyer,
        lines: &cn.lines,
        allowances_charges: &cn.allowances_charges,
        attachments: &cn.attachments,
        prepaid_amount: cn.prepaid_amount,
        has_terms: true,
    };
    common(&c, rates, &mut r);
    if cn.credited.number.trim().is_empty() {
        r.push(
            "credited.number",
            "credited-number-required",
            "a credit note must name the invoice it credits",
        );
    } else if cn.credited.number == cn.number {
        r.push(
            "number",
            "credit-note-own-number",
            format!(
                "a credit note has its own number; {:?} is the credited invoice's number",
                cn.number
            ),
        );
    }
    if let Some(d) = cn.credited.issue_date.filter(|d| *d > cn.issue_date) {
        r.push(
            "credited.issue_date",
            "credited-after-credit-note",
            format!(
                "the credited invoice's date {d} is after the credit note's {}",
                cn.issue_date
            ),
        );
    }
    match cn.totals() {
        Ok(t) => {
            if !c.currency.is_nok() && t.vat_total != Decimal::ZERO && c.nok_exchange_rate.is_none()
            {
                r.push(
                    "nok_exchange_rate",
                    "nok-rate-required",
                    format!(
                        "a credit note in {} with VAT must state the VAT in NOK",
                        c.currency
                    ),
                );
            }
        }
        Err(e) => r.push(".", "amount-overflow", e.to_string()),
    }
    r
}

pub(crate) fn credit_against(cn: &CreditNote, inv: &Invoice, r: &mut ValidationReport) {
    if cn.credited.number != inv.number {
        r.push(
            "credited.number",
            "credit-reference-mismatch",
            format!(
                "the credit note credits {:?}, not invoice {:?}",
                cn.credited.number, inv.number
            ),
        );
    }
    if cn.currency != inv.currency {
        r.push(
            "currency",
            "credit-currency-mismatch",
            format!(
                "the credit note is in {} but the invoice is in {}",
                cn.currency, inv.currency
            ),
        );
    }
    if cn.seller.org_number != inv.seller.org_number {
        r.push(
            "seller.org_number",
            "credit-seller-mismatch",
            "the credit note's seller must be the invoice's seller",
        );
    }
    if let (Ok(ct), Ok(it)) = (cn.totals(), inv.totals())
        && ct.tax_inclusive > it.tax_inclusive
    {
        r.push(
            "lines",
            "credit-exceeds-invoice",
            format!(
                "the credit note's total {} exceeds the invoice's total {}",
                ct.tax_inclusive, it.tax_inclusive
            ),
        );
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn blank_opt(s: Option<&String>) -> bool {
    s.is_none_or(|s| blank(s))
}

fn common(c: &Common<'_>, rates: &VatRateTable, r: &mut ValidationReport) {
    if blank(c.number) {
        r.push(
            "number",
            "number-required",
            "the document needs a number from its series",
        );
    }
    if let Some(d) = c.due_date.filter(|d| *d < c.issue_date) {
        r.push(
            "due_date",
            "due-date-before-issue",
            format!("due date {d} is before the issue date {}", c.issue_date),
        );
    }
    if c.delivery_date.is_none() && c.period.is_none() {
        r.push(
            "delivery_date",
            "delivery-date-required",
            "state the delivery date or the period (bokføringsforskriften § 5-1-1 first \
             paragraph no. 4)",
        );
    }
    if let Some(p) = c.period.filter(|p| p.end < p.start) {
        r.push(
            "period.end",
            "period-end-before-start",
            format!("the period ends {} before it starts {}", p.end, p.start),
        );
    }
    if let Some(rate) = c.nok_exchange_rate.filter(|r| *r <= Decimal::ZERO) {
        r.push(
            "nok_exchange_rate",
            "nok-rate-positive",
            format!("exchange rate {rate} must be above zero"),
        );
    }
    decimals(c.currency, c.prepaid_amount, "prepaid_amount", r);
    if c.prepaid_amount < Decimal::ZERO {
        r.push(
            "prepaid_amount",
            "prepaid-negative",
            "the prepaid amount cannot be negative",
        );
    }

    party(c.seller, "seller", true, r);
    party(c.buyer, "buyer", false, r);

    if c.lines.is_empty() {
        r.push(
            "lines",
            "lines-required",
            "a document needs at least one line (BR-16)",
        );
    }
    let mut ids: Vec<&str> = Vec::new();
    // The (category, rate) pairs already found lawful on the issue date: a document has
    // one to three of them over any number of lines, so each is looked up in the table once.
    let mut lawful: Vec<(VatCategory, Decimal)> = Vec::new();
    for (i, line) in c.lines.iter().enumerate() {
        // Paths are formatted only when a problem is pushed, so a lawful invoice allocates
        // no strings here.
        let p = super::totals::Place::LineAt(i);
        if let Some(id) = &line.id {
            if ids.contains(&id.as_str()) {
                r.push(
                    format!("{p}.id"),
                    "line-id-duplicate",
                    format!("line id {id:?} is used twice"),
                );
            }
            ids.push(id);
        }
        if blank(&line.description) {
            r.push(
                format!("{p}.description"),
                "line-description-required",
                "describe what is sold",
            );
        }
        if blank(&line.unit) {
            r.push(
                format!("{p}.unit"),
                "line-unit-required",
                "give a unit of measure (UN/ECE Recommendation 20, such as EA or HUR)",
            );
        }
        if line.quantity.is_zero() {
            r.push(
                format!("{p}.quantity"),
                "line-quantity-nonzero",
                "quantity must not be zero",
            );
        }
        if line.unit_price < Decimal::ZERO {
            r.push(
                format!("{p}.unit_price"),
                "line-price-negative",
                "the unit price cannot be negative; use a negative quantity for returns (BR-27)",
            );
        }
        if line.base_quantity.is_some_and(|b| b <= Decimal::ZERO) {
            r.push(
                format!("{p}.base_quantity"),
                "line-base-quantity-positive",
                "the base quantity must be above zero",
            );
        }
        if let Some(g) = line.gross_price
            && g < line.unit_price
        {
            r.push(
                format!("{p}.gross_price"),
                "line-gross-below-net",
                format!(
                    "gross price {g} is below the net unit price {}",
                    line.unit_price
                ),
            );
        }
        for (j, ac) in line.allowances_charges.iter().enumerate() {
            allowance(
                ac,
                c.currency,
                &format!("{p}.allowances_charges[{j}]"),
                false,
                r,
            );
        }
        vat(
            &line.vat,
            c.issue_date,
            rates,
            &mut lawful,
            &Field(&p, "vat"),
            r,
        );
        if line.vat.category == VatCategory::Standard && !c.seller.vat_registered {
            r.push(
                format!("{p}.vat"),
                "vat-seller-not-registered",
                "only a VAT-registered seller may charge VAT; set seller.vat_registered or use \
                 category O",
            );
        }
        if line.vat.category == VatCategory::ReverseCharge
            && c.buyer.org_number.is_none()
            && blank_opt(c.buyer.foreign_vat_id.as_ref())
        {
            r.push(
                "buyer.org_number",
                "reverse-charge-buyer-id",
                "reverse charge needs the buyer's VAT identifier (BR-AE-02)",
            );
        }
    }
    for (j, ac) in c.allowances_charges.iter().enumerate() {
        let p = format!("allowances_charges[{j}]");
        allowance(ac, c.currency, &p, true, r);
        if let Some(tag) = &ac.vat {
            vat(tag, c.issue_date, rates, &mut lawful, &Field(&p, "vat"), r);
        }
    }
    for (j, a) in c.attachments.iter().enumerate() {
        let p = format!("attachments[{j}]");
        if blank(&a.id) {
            r.push(
                format!("{p}.id"),
                "attachment-id-required",
                "an attachment needs an id",
            );
        }
        if blank(&a.file_name) {
            r.push(
                format!("{p}.file_name"),
                "attachment-file-name-required",
                "an attachment needs a file name",
            );
        }
        if !ATTACHMENT_MIME_TYPES.contains(&a.mime_type.as_str()) {
            r.push(
                format!("{p}.mime_type"),
                "attachment-mime-type",
                format!(
                    "MIME type {:?} is not accepted in EHF; use one of {}",
                    a.mime_type,
                    ATTACHMENT_MIME_TYPES.join(", ")
                ),
            );
        }
    }
}

fn party(p: &Party, path: &str, seller: bool, r: &mut ValidationReport) {
    if blank(&p.name) {
        r.push(
            format!("{path}.name"),
            "party-name-required",
            format!("the {path} needs a name"),
        );
    }
    if blank_opt(p.address.city.as_ref()) {
        r.push(
            format!("{path}.address.city"),
            "party-address-required",
            format!("the {path}'s address needs a city (bokføringsforskriften § 5-1-1)"),
        );
    }
    if p.address.country.len() != 2 || !p.address.country.bytes().all(|b| b.is_ascii_uppercase()) {
        r.push(
            format!("{path}.address.country"),
            "party-country-code",
            format!(
                "{:?} is not an ISO 3166-1 alpha-2 code such as NO",
                p.address.country
            ),
        );
    }
    if seller {
        if p.org_number.is_none() {
            r.push(
                "seller.org_number",
                "seller-org-number-required",
                "the seller's organisation number must be stated (bokføringsforskriften § 5-1-1 \
                 first paragraph no. 3)",
            );
        }
        if p.in_foretaksregisteret() && p.org_number.is_none() {
            r.push(
                "seller.legal_form",
                "foretaksregisteret-needs-org-number",
                "an AS, ASA or NUF is in Foretaksregisteret and must state its organisation number",
            );
        }
    }
}

fn decimals(cur: Currency, amount: Decimal, path: &str, r: &mut ValidationReport) {
    if round_money(amount, cur) != amount {
        r.push(
            path,
            "amount-decimals",
            format!(
                "{amount} has more than the {} decimals {cur} allows",
                cur.amount_decimals()
            ),
        );
    }
}

fn allowance(ac: &AllowanceCharge, cur: Currency, p: &str, doc: bool, r: &mut ValidationReport) {
    decimals(cur, ac.amount, &format!("{p}.amount"), r);
    if ac.amount < Decimal::ZERO {
        r.push(
            format!("{p}.amount"),
            "allowance-amount-negative",
            "the amount is positive; `charge` says whether it adds or subtracts",
        );
    }
    if blank_opt(ac.reason.as_ref()) && blank_opt(ac.reason_code.as_ref()) {
        r.push(
            format!("{p}.reason"),
            "allowance-reason-required",
            "give a reason or a reason code (BR-33, BR-38, BR-42, BR-44)",
        );
    }
    if let (Some(base), Some(pct)) = (ac.base_amount, ac.percent) {
        let expected = base
            .checked_mul(pct)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .map(|x| round_money(x, cur));
        if expected != Some(ac.amount) {
            r.push(
                format!("{p}.amount"),
                "allowance-percent-mismatch",
                format!("{pct} % of {base} is not {}", ac.amount),
            );
        }
    }
    if doc && ac.vat.is_none() {
        r.push(
            format!("{p}.vat"),
            "allowance-vat-required",
            "a document-level allowance or charge needs a VAT category (BR-32, BR-37)",
        );
    }
}

/// A field under a path (`lines[2].vat`), formatted only when a problem names it.
struct Field<'a>(&'a dyn std::fmt::Display, &'static str);

impl std::fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

fn vat(
    tag: &super::VatTag,
    day: Date,
    rates: &VatRateTable,
    lawful: &mut Vec<(VatCategory, Decimal)>,
    p: &dyn std::fmt::Display,
    r: &mut ValidationReport,
) {
    let key = (tag.category, tag.percent);
    let is_lawful = if lawful.contains(&key) {
        true
    } else if rates.is_valid(tag.category, tag.percent, day) {
        lawful.push(key);
        true
    } else {
        false
    };
    if !is_lawful {
        let known = rates.rates_on(tag.category, day);
        let known: Vec<String> = known.iter().map(|d| format!("{d} %")).collect();
        r.push(
            format!("{p}.percent"),
            "vat-rate-invalid",
            format!(
                "{} % is not a rate of category {} on {day}; valid: {}",
                tag.percent,
                tag.category,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        );
    }
    if tag.category.needs_exemption_reason()
        && blank_opt(tag.exemption_reason.as_ref())
        && blank_opt(tag.exemption_reason_code.as_ref())
    {
        r.push(
            format!("{p}.exemption_reason"),
            "vat-exemption-reason-required",
            format!(
                "category {} needs an exemption reason or code",
                tag.category
            ),
        );
    }
}
