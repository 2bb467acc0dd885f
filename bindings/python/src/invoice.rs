//! Python classes for the invoice models: `OrgNumber`, `AccountNumber`, `Kid`, `Party`,
//! `Line`, `Invoice` and `CreditNote`, with `decimal.Decimal` for money and
//! `datetime.date` for dates, plus the totals, validation, JSON and EHF of the core.
//!
//! The classes wrap the core's models; every rule lives in the core, so Python sees the same
//! figures and the same problems as Rust, Kotlin and C.

use std::collections::HashMap;

use pyo3::prelude::*;
use rust_decimal::Decimal;
use time::Date;

use tillit::invoice::{
    self as core, AccountNumber, Address, Currency, InvoiceError, KidAlgorithm, LegalForm,
    OrgNumber, Versioned,
};

use tillit::ehf;

use crate::errors::{ehf_err, invoice_err};

fn algorithm(name: Option<&str>) -> PyResult<Option<KidAlgorithm>> {
    match name.map(str::to_ascii_lowercase).as_deref() {
        None => Ok(None),
        Some("mod10") => Ok(Some(KidAlgorithm::Mod10)),
        Some("mod11") => Ok(Some(KidAlgorithm::Mod11)),
        Some(other) => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "unknown KID algorithm {other:?}: use \"mod10\" or \"mod11\""
        ))),
    }
}

/// A Norwegian organisation number (9 digits, MOD11).
#[pyclass(name = "OrgNumber", module = "tillit", frozen, eq, hash, str)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PyOrgNumber(OrgNumber);

impl std::fmt::Display for PyOrgNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[pymethods]
impl PyOrgNumber {
    /// Whether `value` is valid, without raising.
    #[staticmethod]
    fn is_valid(value: &str) -> bool {
        OrgNumber::parse(value).is_ok()
    }

    /// Validity of many values in one call (for bulk imports).
    #[staticmethod]
    fn are_valid(values: Vec<String>) -> Vec<bool> {
        values.iter().map(|v| OrgNumber::parse(v).is_ok()).collect()
    }

    /// Parses loosely ("NO 988 077 917 MVA") and checks the check digit.
    #[new]
    fn new(value: &str) -> PyResult<Self> {
        OrgNumber::parse(value).map(Self).map_err(invoice_err)
    }

    /// The check digit for 8 leading digits, or None when none exists.
    #[staticmethod]
    fn check_digit(first_eight: &str) -> Option<u8> {
        OrgNumber::check_digit(first_eight)
    }

    /// The number grouped as "988 077 917".
    fn formatted(&self) -> String {
        self.0.formatted()
    }

    /// The VAT number "NO988077917MVA".
    fn vat_number(&self) -> String {
        self.0.vat_number().to_string()
    }

    fn __repr__(&self) -> String {
        format!("OrgNumber('{}')", self.0)
    }
}

/// A Norwegian bank account number (11 digits, MOD11).
#[pyclass(name = "AccountNumber", module = "tillit", frozen, eq, hash, str)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PyAccountNumber(AccountNumber);

impl std::fmt::Display for PyAccountNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[pymethods]
impl PyAccountNumber {
    /// Whether `value` is valid, without raising.
    #[staticmethod]
    fn is_valid(value: &str) -> bool {
        AccountNumber::parse(value).is_ok()
    }

    /// Validity of many values in one call (for bulk imports).
    #[staticmethod]
    fn are_valid(values: Vec<String>) -> Vec<bool> {
        values
            .iter()
            .map(|v| AccountNumber::parse(v).is_ok())
            .collect()
    }

    /// Parses loosely ("8601.11.17947") and checks the check digit.
    #[new]
    fn new(value: &str) -> PyResult<Self> {
        AccountNumber::parse(value).map(Self).map_err(invoice_err)
    }

    /// Parses a Norwegian IBAN and returns its account number.
    #[staticmethod]
    fn from_iban(iban: &str) -> PyResult<Self> {
        core::Iban::parse(iban)
            .map(|i| Self(i.account_number()))
            .map_err(invoice_err)
    }

    /// The number grouped as "8601.11.17947".
    fn formatted(&self) -> String {
        self.0.formatted()
    }

    /// The Norwegian IBAN, "NO9386011117947".
    fn iban(&self) -> String {
        self.0.to_iban().to_string()
    }

    fn __repr__(&self) -> String {
        format!("AccountNumber('{}')", self.0)
    }
}

/// A KID payment reference (2 to 25 characters, MOD10 or MOD11).
#[pyclass(name = "Kid", module = "tillit", frozen, eq, hash, str, from_py_object)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PyKid(core::Kid);

impl std::fmt::Display for PyKid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[pymethods]
impl PyKid {
    /// Validates a KID; with no algorithm, MOD10 and then MOD11 are tried.
    #[new]
    #[pyo3(signature = (value, algorithm=None))]
    fn new(value: &str, algorithm: Option<&str>) -> PyResult<Self> {
        match self::algorithm(algorithm)? {
            Some(a) => core::Kid::parse(value, a),
            None => core::Kid::parse_any(value),
        }
        .map(Self)
        .map_err(invoice_err)
    }

    /// Appends the check character ("mod10" or "mod11") to a payload of digits.
    #[staticmethod]
    #[pyo3(signature = (payload, algorithm="mod10"))]
    fn generate(payload: &str, algorithm: &str) -> PyResult<Self> {
        let a = self::algorithm(Some(algorithm))?.unwrap_or(KidAlgorithm::Mod10);
        core::Kid::generate(payload, a)
            .map(Self)
            .map_err(invoice_err)
    }

    /// "mod10" or "mod11".
    #[getter]
    fn algorithm(&self) -> &'static str {
        match self.0.algorithm() {
            KidAlgorithm::Mod10 => "mod10",
            KidAlgorithm::Mod11 => "mod11",
        }
    }

    fn __repr__(&self) -> String {
        format!("Kid('{}')", self.0)
    }
}

fn legal_form(s: Option<&str>) -> PyResult<Option<LegalForm>> {
    Ok(match s.map(str::to_ascii_uppercase).as_deref() {
        None => None,
        Some("AS") => Some(LegalForm::As),
        Some("ASA") => Some(LegalForm::Asa),
        Some("NUF") => Some(LegalForm::Nuf),
        Some("ENK") => Some(LegalForm::Enk),
        Some("ANS") => Some(LegalForm::Ans),
        Some("DA") => Some(LegalForm::Da),
        Some("SA") => Some(LegalForm::Sa),
        Some(_) => Some(LegalForm::Other),
    })
}

/// A seller or buyer.
#[pyclass(name = "Party", module = "tillit", eq, from_py_object)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyParty(pub(crate) core::Party);

#[pymethods]
impl PyParty {
    /// A party. `org_number`, `bank_account` and `iban` are parsed loosely and checked.
    #[new]
    #[pyo3(signature = (name, *, org_number=None, vat_registered=false, legal_form=None,
        street=None, postal_code=None, city=None, country="NO", email=None, bank_account=None,
        iban=None, foreign_vat_id=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        name: String,
        org_number: Option<&str>,
        vat_registered: bool,
        legal_form: Option<&str>,
        street: Option<String>,
        postal_code: Option<String>,
        city: Option<String>,
        country: &str,
        email: Option<String>,
        bank_account: Option<&str>,
        iban: Option<&str>,
        foreign_vat_id: Option<String>,
    ) -> PyResult<Self> {
        let mut p = core::Party::new(name);
        p.org_number = org_number
            .map(OrgNumber::parse)
            .transpose()
            .map_err(invoice_err)?;
        p.vat_registered = vat_registered;
        p.legal_form = self::legal_form(legal_form)?;
        p.address = Address {
            street,
            additional_street: None,
            postal_code,
            city,
            country: country.to_owned(),
        };
        p.email = email;
        p.bank_account = bank_account
            .map(AccountNumber::parse)
            .transpose()
            .map_err(invoice_err)?;
        p.iban = iban
            .map(core::Iban::parse)
            .transpose()
            .map_err(invoice_err)?;
        p.foreign_vat_id = foreign_vat_id;
        Ok(Self(p))
    }

    /// The name.
    #[getter]
    fn name(&self) -> String {
        self.0.name.clone()
    }

    /// The organisation number, if any.
    #[getter]
    fn org_number(&self) -> Option<PyOrgNumber> {
        self.0.org_number.map(PyOrgNumber)
    }

    /// "NO…MVA" when VAT registered.
    #[getter]
    fn vat_number(&self) -> Option<String> {
        self.0.vat_number().map(|v| v.to_string())
    }

    /// Whether "Foretaksregisteret" must be written (AS, ASA, NUF).
    #[getter]
    fn in_foretaksregisteret(&self) -> bool {
        self.0.in_foretaksregisteret()
    }

    fn __repr__(&self) -> String {
        format!("Party({:?})", self.0.name)
    }
}

fn vat_tag(category: &str, percent: Decimal, reason: Option<String>) -> PyResult<core::VatTag> {
    let cat = core::VatCategory::from_code(category).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "unknown VAT category {category:?}: use S, Z, E, AE, K, G or O"
        ))
    })?;
    let mut tag = core::VatTag::new(cat, percent);
    tag.exemption_reason = reason;
    Ok(tag)
}

/// One invoice line.
#[pyclass(name = "Line", module = "tillit", eq, from_py_object)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyLine(pub(crate) core::Line);

#[pymethods]
impl PyLine {
    /// A line: `quantity × unit_price`, VAT `vat_percent` in category `vat_category`.
    #[new]
    #[pyo3(signature = (description, quantity, unit, unit_price, vat_percent=Decimal::from(25),
        vat_category="S", exemption_reason=None, discount=None))]
    fn new(
        description: String,
        quantity: Decimal,
        unit: String,
        unit_price: Decimal,
        vat_percent: Decimal,
        vat_category: &str,
        exemption_reason: Option<String>,
        discount: Option<Decimal>,
    ) -> PyResult<Self> {
        let tag = vat_tag(vat_category, vat_percent, exemption_reason)?;
        let mut line = core::Line::new(description, quantity, unit, unit_price, tag);
        if let Some(d) = discount {
            line.allowances_charges
                .push(core::AllowanceCharge::discount(d, "Discount"));
        }
        Ok(Self(line))
    }

    /// What is sold.
    #[getter]
    fn description(&self) -> String {
        self.0.description.clone()
    }

    /// How many.
    #[getter]
    fn quantity(&self) -> Decimal {
        self.0.quantity
    }

    /// Net price per unit.
    #[getter]
    fn unit_price(&self) -> Decimal {
        self.0.unit_price
    }

    /// VAT percent.
    #[getter]
    fn vat_percent(&self) -> Decimal {
        self.0.vat.percent
    }

    /// VAT category code.
    #[getter]
    fn vat_category(&self) -> &'static str {
        self.0.vat.category.code()
    }

    /// The rounded line amount in `currency`.
    #[pyo3(signature = (currency="NOK"))]
    fn amount(&self, currency: &str) -> PyResult<Decimal> {
        let c = Currency::from_code(currency).map_err(invoice_err)?;
        self.0.amount(c).map_err(invoice_err)
    }

    fn __repr__(&self) -> String {
        format!(
            "Line({:?}, {}, {:?}, {})",
            self.0.description, self.0.quantity, self.0.unit, self.0.unit_price
        )
    }
}

/// One VAT group of the totals.
#[pyclass(name = "VatSubtotal", module = "tillit", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct PyVatSubtotal {
    category: String,
    percent: Decimal,
    taxable_amount: Decimal,
    vat_amount: Decimal,
}

/// The totals of an invoice or credit note.
#[pyclass(name = "Totals", module = "tillit", frozen, get_all)]
#[derive(Debug)]
pub struct PyTotals {
    line_amounts: Vec<Decimal>,
    line_extension: Decimal,
    allowance_total: Decimal,
    charge_total: Decimal,
    tax_exclusive: Decimal,
    vat_breakdown: Vec<PyVatSubtotal>,
    vat_total: Decimal,
    vat_total_nok: Option<Decimal>,
    tax_inclusive: Decimal,
    prepaid: Decimal,
    rounding: Decimal,
    payable: Decimal,
}

impl From<core::Totals> for PyTotals {
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
                .map(|g| PyVatSubtotal {
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

/// One broken rule: `(path, rule, message)`.
#[pyclass(name = "Problem", module = "tillit", frozen, get_all)]
#[derive(Debug, Clone)]
pub struct PyProblem {
    path: String,
    rule: String,
    message: String,
}

#[pymethods]
impl PyProblem {
    fn __repr__(&self) -> String {
        format!(
            "Problem({:?}, {:?}, {:?})",
            self.path, self.rule, self.message
        )
    }
}

fn problems(r: Result<(), core::ValidationReport>) -> Vec<PyProblem> {
    r.err()
        .map(|r| {
            r.problems
                .into_iter()
                .map(|p| PyProblem {
                    path: p.path,
                    rule: p.rule,
                    message: p.message,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// An invoice.
#[pyclass(name = "Invoice", module = "tillit", eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyInvoice(pub(crate) core::Invoice);

#[pymethods]
impl PyInvoice {
    /// An invoice. Validation is separate: call `validate()` or `problems()`.
    #[new]
    #[pyo3(signature = (number, issue_date, seller, buyer, lines, *, currency="NOK",
        due_date=None, delivery_date=None, payment_terms_days=None, kid=None,
        nok_exchange_rate=None, prepaid_amount=Decimal::ZERO, cash_rounding=false,
        buyer_reference=None, order_reference=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        number: String,
        issue_date: Date,
        seller: PyParty,
        buyer: PyParty,
        lines: Vec<PyLine>,
        currency: &str,
        due_date: Option<Date>,
        delivery_date: Option<Date>,
        payment_terms_days: Option<u32>,
        kid: Option<PyKid>,
        nok_exchange_rate: Option<Decimal>,
        prepaid_amount: Decimal,
        cash_rounding: bool,
        buyer_reference: Option<String>,
        order_reference: Option<String>,
    ) -> PyResult<Self> {
        let currency = Currency::from_code(currency).map_err(invoice_err)?;
        let mut inv = core::Invoice::new(number, issue_date, currency, seller.0, buyer.0);
        inv.lines = lines.into_iter().map(|l| l.0).collect();
        inv.due_date = due_date;
        inv.delivery_date = delivery_date;
        inv.payment_terms = payment_terms_days.map(|d| core::PaymentTerms {
            days: Some(d),
            note: None,
        });
        inv.kid = kid.map(|k| k.0);
        inv.nok_exchange_rate = nok_exchange_rate;
        inv.prepaid_amount = prepaid_amount;
        inv.cash_rounding = cash_rounding;
        inv.buyer_reference = buyer_reference;
        inv.order_reference = order_reference;
        Ok(Self(inv))
    }

    /// Reads the versioned JSON form.
    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Self> {
        core::Invoice::from_json(json)
            .map(Self)
            .map_err(invoice_err)
    }

    /// The versioned JSON form.
    fn to_json(&self) -> PyResult<String> {
        self.0.to_json().map_err(invoice_err)
    }

    /// The invoice as an EHF (PEPPOL BIS Billing 3.0) UBL `Invoice` document. `attachments`
    /// maps the id of an attachment reference to the bytes to embed.
    #[pyo3(signature = (attachments=None))]
    fn to_ehf(
        &self,
        py: Python<'_>,
        attachments: Option<HashMap<String, Vec<u8>>>,
    ) -> PyResult<String> {
        let attachments = ehf_attachments(attachments);
        py.detach(|| ehf::write_invoice(&self.0, &attachments))
            .map_err(ehf_err)
    }

    /// The totals.
    fn totals(&self) -> PyResult<PyTotals> {
        self.0.totals().map(PyTotals::from).map_err(invoice_err)
    }

    /// Every broken rule; an empty list for a lawful invoice.
    fn problems(&self) -> Vec<PyProblem> {
        problems(self.0.validate())
    }

    /// Raises `InvoiceValidationError` listing every problem, or returns None.
    fn validate(&self) -> PyResult<()> {
        self.0
            .validate()
            .map_err(|r| invoice_err(InvoiceError::Invalid(r)))
    }

    /// A credit note crediting this invoice: fully, or only `lines`.
    #[pyo3(signature = (number, issue_date, lines=None))]
    fn credit_note(
        &self,
        number: String,
        issue_date: Date,
        lines: Option<Vec<PyLine>>,
    ) -> PyCreditNote {
        PyCreditNote(match lines {
            None => core::CreditNote::full(&self.0, number, issue_date),
            Some(l) => core::CreditNote::partial(
                &self.0,
                number,
                issue_date,
                l.into_iter().map(|l| l.0).collect(),
            ),
        })
    }

    /// The invoice number.
    #[getter]
    fn number(&self) -> String {
        self.0.number.clone()
    }

    /// The issue date.
    #[getter]
    fn issue_date(&self) -> Date {
        self.0.issue_date
    }

    /// The due date: the one set, or the issue date plus the payment terms' days.
    #[getter]
    fn due_date(&self) -> Option<Date> {
        self.0.effective_due_date()
    }

    /// The currency code.
    #[getter]
    fn currency(&self) -> &str {
        self.0.currency.code()
    }

    /// The seller.
    #[getter]
    fn seller(&self) -> PyParty {
        PyParty(self.0.seller.clone())
    }

    /// The buyer.
    #[getter]
    fn buyer(&self) -> PyParty {
        PyParty(self.0.buyer.clone())
    }

    /// The lines.
    #[getter]
    fn lines(&self) -> Vec<PyLine> {
        self.0.lines.iter().cloned().map(PyLine).collect()
    }

    /// The KID, if any.
    #[getter]
    fn kid(&self) -> Option<PyKid> {
        self.0.kid.clone().map(PyKid)
    }

    fn __repr__(&self) -> String {
        format!("Invoice({:?}, {})", self.0.number, self.0.issue_date)
    }
}

/// A credit note: its own number, a reference to the invoice it credits.
#[pyclass(name = "CreditNote", module = "tillit", eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyCreditNote(pub(crate) core::CreditNote);

#[pymethods]
impl PyCreditNote {
    /// Reads the versioned JSON form.
    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Self> {
        core::CreditNote::from_json(json)
            .map(Self)
            .map_err(invoice_err)
    }

    /// The versioned JSON form.
    fn to_json(&self) -> PyResult<String> {
        self.0.to_json().map_err(invoice_err)
    }

    /// The credit note as an EHF (PEPPOL BIS Billing 3.0) UBL `CreditNote` document.
    /// `attachments` maps the id of an attachment reference to the bytes to embed.
    #[pyo3(signature = (attachments=None))]
    fn to_ehf(
        &self,
        py: Python<'_>,
        attachments: Option<HashMap<String, Vec<u8>>>,
    ) -> PyResult<String> {
        let attachments = ehf_attachments(attachments);
        py.detach(|| ehf::write_credit_note(&self.0, &attachments))
            .map_err(ehf_err)
    }

    /// The totals, with positive amounts as the document states them.
    fn totals(&self) -> PyResult<PyTotals> {
        self.0.totals().map(PyTotals::from).map_err(invoice_err)
    }

    /// The totals signed by their effect on what the buyer owes (negative).
    fn ledger_totals(&self) -> PyResult<PyTotals> {
        self.0
            .ledger_totals()
            .map(PyTotals::from)
            .map_err(invoice_err)
    }

    /// Every broken rule, also against the credited invoice when given.
    #[pyo3(signature = (invoice=None))]
    fn problems(&self, invoice: Option<PyRef<'_, PyInvoice>>) -> Vec<PyProblem> {
        match invoice {
            Some(i) => problems(self.0.validate_against(&i.0)),
            None => problems(self.0.validate()),
        }
    }

    /// Raises `InvoiceValidationError` listing every problem, or returns None.
    #[pyo3(signature = (invoice=None))]
    fn validate(&self, invoice: Option<PyRef<'_, PyInvoice>>) -> PyResult<()> {
        match invoice {
            Some(i) => self.0.validate_against(&i.0),
            None => self.0.validate(),
        }
        .map_err(|r| invoice_err(InvoiceError::Invalid(r)))
    }

    /// The credit note's own number.
    #[getter]
    fn number(&self) -> String {
        self.0.number.clone()
    }

    /// The number of the credited invoice.
    #[getter]
    fn credited_number(&self) -> String {
        self.0.credited.number.clone()
    }

    /// The issue date.
    #[getter]
    fn issue_date(&self) -> Date {
        self.0.issue_date
    }

    /// The lines credited.
    #[getter]
    fn lines(&self) -> Vec<PyLine> {
        self.0.lines.iter().cloned().map(PyLine).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "CreditNote({:?}, credits {:?})",
            self.0.number, self.0.credited.number
        )
    }
}

/// Reads an EHF (PEPPOL BIS Billing 3.0) UBL document: an `Invoice` or a `CreditNote` by its
/// root element. Informational elements the models do not carry are skipped; everything
/// else that does not fit raises `EhfError` naming the element.
#[pyfunction]
fn from_ehf(py: Python<'_>, xml: &str) -> PyResult<Py<PyAny>> {
    let document = py.detach(|| ehf::from_ehf(xml)).map_err(ehf_err)?;
    match document {
        core::Document::Invoice(i) => Ok(Py::new(py, PyInvoice(i))?.into_any()),
        core::Document::CreditNote(c) => Ok(Py::new(py, PyCreditNote(c))?.into_any()),
    }
}

/// What `read_ehf` found: the document, the embedded attachments and the skipped elements.
#[pyclass(name = "EhfReadOutcome", module = "tillit", frozen, get_all)]
pub struct PyEhfReadOutcome {
    /// The `Invoice` or `CreditNote`.
    document: Py<PyAny>,
    /// Embedded attachment bytes by the id of their reference.
    attachments: HashMap<String, Vec<u8>>,
    /// `(element, reason)` for each informational element the models do not carry.
    ignored: Vec<(String, String)>,
}

/// Reads an EHF document like `from_ehf`, and also returns the embedded attachments and the
/// informational elements that were skipped; with `strict=True` those are refused instead.
#[pyfunction]
#[pyo3(signature = (xml, *, strict=false))]
fn read_ehf(py: Python<'_>, xml: &str, strict: bool) -> PyResult<PyEhfReadOutcome> {
    let options = ehf::ReadOptions { strict };
    let outcome = py.detach(|| ehf::read(xml, &options)).map_err(ehf_err)?;
    let document = match outcome.document {
        core::Document::Invoice(i) => Py::new(py, PyInvoice(i))?.into_any(),
        core::Document::CreditNote(c) => Py::new(py, PyCreditNote(c))?.into_any(),
    };
    Ok(PyEhfReadOutcome {
        document,
        attachments: outcome
            .attachments
            .into_iter()
            .map(|a| (a.id, a.bytes))
            .collect(),
        ignored: outcome
            .ignored
            .into_iter()
            .map(|i| (i.element, i.reason))
            .collect(),
    })
}

fn ehf_attachments(attachments: Option<HashMap<String, Vec<u8>>>) -> Vec<ehf::Attachment> {
    let mut list: Vec<ehf::Attachment> = attachments
        .unwrap_or_default()
        .into_iter()
        .map(|(id, bytes)| ehf::Attachment::new(id, bytes))
        .collect();
    // A dict's order must not change the document: the writer matches bytes by id, and a
    // sorted list keeps any error message about them deterministic.
    list.sort_by(|a, b| a.id.cmp(&b.id));
    list
}

/// Late-payment interest on `principal` for the days after `due_date` through `paid_on`,
/// from the built-in Norwegian rate table.
#[pyfunction]
fn late_interest(principal: Decimal, due_date: Date, paid_on: Date) -> PyResult<Decimal> {
    core::late_interest(
        principal,
        due_date,
        paid_on,
        &core::LateInterestTable::norway(),
    )
    .map(|i| i.total)
    .map_err(invoice_err)
}

/// The highest lawful reminder fee for a reminder sent on `reminder_date`, or None when no
/// fee is allowed (too early, or two fee-bearing reminders already sent).
#[pyfunction]
#[pyo3(signature = (due_date, reminder_date, earlier_fee_reminders=Vec::new()))]
fn reminder_fee(
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

/// Adds the invoice classes and functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyOrgNumber>()?;
    m.add_class::<PyAccountNumber>()?;
    m.add_class::<PyKid>()?;
    m.add_class::<PyParty>()?;
    m.add_class::<PyLine>()?;
    m.add_class::<PyInvoice>()?;
    m.add_class::<PyCreditNote>()?;
    m.add_class::<PyTotals>()?;
    m.add_class::<PyVatSubtotal>()?;
    m.add_class::<PyProblem>()?;
    m.add_function(wrap_pyfunction!(late_interest, m)?)?;
    m.add_function(wrap_pyfunction!(from_ehf, m)?)?;
    m.add_function(wrap_pyfunction!(read_ehf, m)?)?;
    m.add_class::<PyEhfReadOutcome>()?;
    m.add_function(wrap_pyfunction!(reminder_fee, m)?)?;
    Ok(())
}
