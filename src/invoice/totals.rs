//! Totals of an invoice or credit note, computed as EN 16931 does (BR-CO-10 to BR-CO-17):
//! each line amount rounded, VAT per category and rate on the rounded sum of that group's
//! line amounts plus its document-level charges minus its allowances, rounded half away
//! from zero; the VAT total is the sum of the rounded group amounts.
//!
//! Every operation is checked, so a hostile quantity yields an overflow error, never a
//! panic.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::round_whole;
use super::{AllowanceCharge, Currency, InvoiceError, Line, VatCategory, round_money, serde_fmt};

/// What the totals are computed from, shared by invoices and credit notes.
pub(crate) struct Parts<'a> {
    pub currency: Currency,
    pub lines: &'a [Line],
    pub allowances_charges: &'a [AllowanceCharge],
    pub prepaid_amount: Decimal,
    pub cash_rounding: bool,
    pub nok_exchange_rate: Option<Decimal>,
}

/// One VAT group: a category and rate with its taxable amount and VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VatSubtotal {
    /// The category.
    pub category: VatCategory,
    /// The rate in percent.
    #[serde(with = "serde_fmt::dec")]
    pub percent: Decimal,
    /// Sum of the group's line amounts, plus charges, minus allowances.
    #[serde(with = "serde_fmt::dec")]
    pub taxable_amount: Decimal,
    /// VAT of the group, rounded half away from zero.
    #[serde(with = "serde_fmt::dec")]
    pub vat_amount: Decimal,
    /// The exemption reason of the group's first line or allowance that has one.
    #[serde(default)]
    pub exemption_reason: Option<String>,
    /// The exemption reason code, likewise.
    #[serde(default)]
    pub exemption_reason_code: Option<String>,
}

/// The totals of a document, all in its currency unless named NOK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// The amount of each line, in line order.
    #[serde(with = "dec_vec")]
    pub line_amounts: Vec<Decimal>,
    /// Sum of line amounts (BT-106).
    #[serde(with = "serde_fmt::dec")]
    pub line_extension: Decimal,
    /// Sum of document-level allowances (BT-107).
    #[serde(with = "serde_fmt::dec")]
    pub allowance_total: Decimal,
    /// Sum of document-level charges (BT-108).
    #[serde(with = "serde_fmt::dec")]
    pub charge_total: Decimal,
    /// Total without VAT (BT-109).
    #[serde(with = "serde_fmt::dec")]
    pub tax_exclusive: Decimal,
    /// VAT per category and rate, ordered by category, then highest rate first.
    pub vat_breakdown: Vec<VatSubtotal>,
    /// Total VAT (BT-110).
    #[serde(with = "serde_fmt::dec")]
    pub vat_total: Decimal,
    /// Total VAT in NOK for foreign-currency documents (BT-111), when a rate is given.
    #[serde(default, with = "serde_fmt::dec_opt")]
    pub vat_total_nok: Option<Decimal>,
    /// Total with VAT (BT-112).
    #[serde(with = "serde_fmt::dec")]
    pub tax_inclusive: Decimal,
    /// Amount already paid (BT-113).
    #[serde(with = "serde_fmt::dec")]
    pub prepaid: Decimal,
    /// Whole-krone cash rounding (BT-114); zero unless asked for.
    #[serde(with = "serde_fmt::dec")]
    pub rounding: Decimal,
    /// Amount due (BT-115).
    #[serde(with = "serde_fmt::dec")]
    pub payable: Decimal,
}

mod dec_vec {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(ToString::to_string))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| super::serde_fmt::dec::parse(s).map_err(serde::de::Error::custom))
            .collect()
    }
}

impl Totals {
    /// Every amount with its sign flipped: the effect of a credit note.
    #[must_use]
    pub fn negated(&self) -> Self {
        Self {
            line_amounts: self.line_amounts.iter().map(|a| -*a).collect(),
            line_extension: -self.line_extension,
            allowance_total: -self.allowance_total,
            charge_total: -self.charge_total,
            tax_exclusive: -self.tax_exclusive,
            vat_breakdown: self
                .vat_breakdown
                .iter()
                .map(|v| VatSubtotal {
                    taxable_amount: -v.taxable_amount,
                    vat_amount: -v.vat_amount,
                    ..v.clone()
                })
                .collect(),
            vat_total: -self.vat_total,
            vat_total_nok: self.vat_total_nok.map(|v| -v),
            tax_inclusive: -self.tax_inclusive,
            prepaid: -self.prepaid,
            rounding: -self.rounding,
            payable: -self.payable,
        }
    }
}

fn overflow(what: impl std::fmt::Display) -> InvoiceError {
    InvoiceError::Overflow {
        what: what.to_string(),
    }
}

fn add(a: Decimal, b: Decimal, what: impl std::fmt::Display) -> Result<Decimal, InvoiceError> {
    a.checked_add(b).ok_or_else(|| overflow(what))
}

/// The field path of a line or an allowance or charge, formatted only when an error names it
/// (totals run per keystroke in an editor and per row in bulk, so the happy path allocates
/// no strings).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Place {
    /// A line on its own (`line`).
    Line,
    /// The line at this index of a document (`lines[3]`).
    LineAt(usize),
    /// The document allowance or charge at this index (`allowances_charges[1]`).
    AllowanceChargeAt(usize),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Line => f.write_str("line"),
            Self::LineAt(i) => write!(f, "lines[{i}]"),
            Self::AllowanceChargeAt(i) => write!(f, "allowances_charges[{i}]"),
        }
    }
}

/// `<place>.quantity × <place>.unit_price`, for an overflow in a line's amount.
struct LineProduct(Place);

impl std::fmt::Display for LineProduct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{0}.quantity × {0}.unit_price", self.0)
    }
}

/// The amount of one line, rounded (BT-131).
pub(crate) fn line_amount(
    line: &Line,
    currency: Currency,
    path: Place,
) -> Result<Decimal, InvoiceError> {
    let base = line.base_quantity.unwrap_or(Decimal::ONE);
    let what = LineProduct(path);
    let gross = line
        .quantity
        .checked_mul(line.unit_price)
        .and_then(|x| {
            if base == Decimal::ONE {
                Some(x)
            } else {
                x.checked_div(base)
            }
        })
        .ok_or_else(|| overflow(&what))?;
    let mut amount = round_money(gross, currency);
    for ac in &line.allowances_charges {
        let a = round_money(ac.amount, currency);
        amount = if ac.charge {
            add(amount, a, &what)?
        } else {
            add(amount, -a, &what)?
        };
    }
    Ok(amount)
}

/// Computes the totals.
pub(crate) fn compute(p: &Parts<'_>) -> Result<Totals, InvoiceError> {
    let cur = p.currency;
    // Groups keyed by (category, percent); a Vec keeps this allocation-light for the usual
    // one to three groups.
    let mut groups: Vec<VatSubtotal> = Vec::new();
    let mut group = |tag: &super::VatTag, amount: Decimal, what: Place| {
        let pos = groups
            .iter()
            .position(|g| g.category == tag.category && g.percent == tag.percent);
        let g = match pos {
            Some(i) => &mut groups[i],
            None => {
                groups.push(VatSubtotal {
                    category: tag.category,
                    percent: tag.percent,
                    taxable_amount: Decimal::ZERO,
                    vat_amount: Decimal::ZERO,
                    exemption_reason: None,
                    exemption_reason_code: None,
                });
                let last = groups.len() - 1;
                &mut groups[last]
            }
        };
        g.taxable_amount = add(g.taxable_amount, amount, what)?;
        if g.exemption_reason.is_none() {
            g.exemption_reason.clone_from(&tag.exemption_reason);
        }
        if g.exemption_reason_code.is_none() {
            g.exemption_reason_code
                .clone_from(&tag.exemption_reason_code);
        }
        Ok::<(), InvoiceError>(())
    };

    let mut line_amounts = Vec::with_capacity(p.lines.len());
    let mut line_extension = Decimal::ZERO;
    for (i, line) in p.lines.iter().enumerate() {
        let path = Place::LineAt(i);
        let a = line_amount(line, cur, path)?;
        line_extension = add(line_extension, a, "line_extension")?;
        group(&line.vat, a, path)?;
        line_amounts.push(a);
    }

    let mut allowance_total = Decimal::ZERO;
    let mut charge_total = Decimal::ZERO;
    for (i, ac) in p.allowances_charges.iter().enumerate() {
        let path = Place::AllowanceChargeAt(i);
        let a = round_money(ac.amount, cur);
        let signed = if ac.charge {
            charge_total = add(charge_total, a, path)?;
            a
        } else {
            allowance_total = add(allowance_total, a, path)?;
            -a
        };
        // Validation reports a missing VAT tag; totals must still be computable, so an
        // untagged one counts as outside the scope of VAT.
        let outside = super::VatTag::new(VatCategory::OutsideScope, Decimal::ZERO);
        group(ac.vat.as_ref().unwrap_or(&outside), signed, path)?;
    }

    let mut vat_total = Decimal::ZERO;
    for g in &mut groups {
        let vat = g
            .taxable_amount
            .checked_mul(g.percent)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(|| overflow("vat_breakdown"))?;
        g.vat_amount = round_money(vat, cur);
        vat_total = add(vat_total, g.vat_amount, "vat_total")?;
    }
    // Category order, then the highest rate first, as the official examples list them.
    groups.sort_by(|a, b| a.category.cmp(&b.category).then(b.percent.cmp(&a.percent)));

    let tax_exclusive = add(
        add(line_extension, -allowance_total, "tax_exclusive")?,
        charge_total,
        "tax_exclusive",
    )?;
    let tax_inclusive = add(tax_exclusive, vat_total, "tax_inclusive")?;
    let prepaid = round_money(p.prepaid_amount, cur);
    let due = add(tax_inclusive, -prepaid, "payable")?;
    let rounding = if p.cash_rounding {
        add(round_whole(due), -due, "rounding")?
    } else {
        Decimal::ZERO
    };
    let payable = add(due, rounding, "payable")?;

    // VAT in NOK is the VAT total converted and rounded to øre (BT-111), as the Norwegian
    // VAT Act requires VAT to be stated in NOK.
    let vat_total_nok = if cur.is_nok() {
        None
    } else {
        p.nok_exchange_rate
            .map(|r| {
                vat_total
                    .checked_mul(r)
                    .map(|x| round_money(x, Currency::NOK))
                    .ok_or_else(|| overflow("vat_total_nok"))
            })
            .transpose()?
    };

    Ok(Totals {
        line_amounts,
        line_extension,
        allowance_total,
        charge_total,
        tax_exclusive,
        vat_breakdown: groups,
        vat_total,
        vat_total_nok,
        tax_inclusive,
        prepaid,
        rounding,
        payable,
    })
}
