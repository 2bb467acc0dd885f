//! Retention for Python: `FiscalYear`, `RetentionPolicy` (presets, single-record decisions,
//! cut-offs, the columnar planner), `Decision`, `Plan` and `disclosure`.
//!
//! Dates are `datetime.date` (through pyo3's `time` conversions). The planner takes columns:
//! NumPy `datetime64[D]` arrays, or any buffer of int32 or int64 day numbers since 1970-01-01,
//! so millions of rows cross the boundary as a few memory copies instead of millions of
//! objects; the planning itself runs with the GIL released.

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyIndexError, PyKeyError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyMapping};
use tillit::retention::{
    self, AccountColumns, AccountRecord, AttachmentRecord, Decision, FiscalYear, InvoiceRecord,
    LegalBasis, NO_DATE, Period, PlanColumns, RecordColumns, RecordKind, Requester,
    RetentionPolicy,
};
use time::Date;

use crate::errors::{retention_error, retention_to_py};

/// Action names, indexed by the action code in plan columns.
const ACTIONS: [&str; 4] = ["keep", "notify", "delete", "anonymise"];

/// Reason names, indexed by the reason code in plan columns.
const REASONS: [&str; 12] = [
    "invoice_retained",
    "invoice_eligible",
    "attachment_retained",
    "attachment_account_active",
    "attachment_notice_due",
    "attachment_notice_pending",
    "attachment_eligible",
    "account_active",
    "account_retained",
    "account_invoices_retained",
    "account_anonymisable",
    "legal_hold",
];

/// Record-kind names, indexed by the kind code.
const KINDS: [&str; 4] = ["invoice", "attachment", "sale_attachment", "account_data"];

fn name_of<const N: usize>(names: &[&'static str; N], code: u8) -> &'static str {
    names.get(usize::from(code)).copied().unwrap_or("unknown")
}

fn kind_from_name(name: &str) -> PyResult<RecordKind> {
    KINDS
        .iter()
        .position(|k| *k == name)
        .and_then(|i| u8::try_from(i).ok())
        .and_then(RecordKind::from_code)
        .ok_or_else(|| {
            retention_error(format!(
                "unknown record kind {name:?}; expected invoice, attachment, sale_attachment or account_data"
            ))
        })
}

/// A business's fiscal year, named by the month it ends in (12 for the calendar year).
#[pyclass(frozen, eq, hash, module = "tillit", name = "FiscalYear")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PyFiscalYear {
    pub(crate) inner: FiscalYear,
}

#[pymethods]
impl PyFiscalYear {
    #[new]
    #[pyo3(signature = (end_month = 12))]
    fn new(end_month: u8) -> PyResult<Self> {
        FiscalYear::new(end_month)
            .map(|inner| Self { inner })
            .map_err(retention_to_py)
    }

    /// The month (1 to 12) whose last day ends the fiscal year.
    #[getter]
    fn end_month(&self) -> u8 {
        self.inner.end_month as u8
    }

    /// The end of the fiscal year `date` belongs to (the first end on or after it).
    fn fiscal_year_end(&self, date: Date) -> PyResult<Date> {
        self.inner.fiscal_year_end(date).map_err(retention_to_py)
    }

    fn __repr__(&self) -> String {
        format!("FiscalYear(end_month={})", self.end_month())
    }
}

/// The outcome for one record, with the rule and the dates that decided.
#[pyclass(frozen, module = "tillit", name = "RetentionDecision")]
#[derive(Debug)]
pub struct PyDecision {
    pub(crate) inner: Decision,
}

#[pymethods]
impl PyDecision {
    /// `invoice`, `attachment`, `sale_attachment` or `account_data`.
    #[getter]
    fn kind(&self) -> &'static str {
        name_of(&KINDS, self.inner.kind as u8)
    }
    /// `keep`, `notify`, `delete` or `anonymise`.
    #[getter]
    fn action(&self) -> &'static str {
        name_of(&ACTIONS, self.inner.action as u8)
    }
    /// The rule that decided, for example `invoice_retained`.
    #[getter]
    fn reason(&self) -> &'static str {
        name_of(&REASONS, self.inner.reason as u8)
    }
    /// The policy's period for the kind, as `(years, months)`.
    #[getter]
    fn period(&self) -> (u16, u16) {
        (self.inner.period.years, self.inner.period.months)
    }
    /// The name of the policy applied.
    #[getter]
    fn policy(&self) -> &str {
        &self.inner.policy
    }
    /// The end of the record's fiscal year (`None` for account data).
    #[getter]
    fn fiscal_year_end(&self) -> Option<Date> {
        self.inner.fiscal_year_end
    }
    /// The last day keeping is required by the period (inclusive).
    #[getter]
    fn retained_through(&self) -> Date {
        self.inner.retained_through
    }
    /// The first day the period allows deletion or anonymisation.
    #[getter]
    fn eligible_from(&self) -> Date {
        self.inner.eligible_from
    }
    /// The first day the action may happen given everything known, or `None`.
    #[getter]
    fn action_from(&self) -> Option<Date> {
        self.inner.action_from
    }
    /// An English sentence naming the action, the rule and the dates.
    fn explain(&self) -> String {
        self.inner.explain()
    }
    fn __repr__(&self) -> String {
        format!(
            "RetentionDecision(kind={:?}, action={:?}, reason={:?}, retained_through={}, eligible_from={}, action_from={:?})",
            self.kind(),
            self.action(),
            self.reason(),
            self.inner.retained_through,
            self.inner.eligible_from,
            self.inner.action_from.map(|d| d.to_string()),
        )
    }
}

/// One column set of a plan (records or accounts): codes and day numbers as memoryviews that
/// NumPy wraps without copying (`numpy.asarray(columns.eligible_from)`).
#[pyclass(frozen, module = "tillit", name = "RetentionPlanColumns")]
#[derive(Debug)]
pub struct PyPlanColumns {
    inner: PlanColumns,
    policy: RetentionPolicy,
}

fn bytes_view<'py>(py: Python<'py>, bytes: &[u8], format: &str) -> PyResult<Bound<'py, PyAny>> {
    memoryview(PyBytes::new(py, bytes), format)
}

fn memoryview<'py>(bytes: Bound<'py, PyBytes>, format: &str) -> PyResult<Bound<'py, PyAny>> {
    let py = bytes.py();
    let view = py
        .import("builtins")?
        .getattr("memoryview")?
        .call1((bytes,))?;
    view.call_method1("cast", (format,))
}

/// Day numbers as an int32 memoryview, written straight into the bytes object (one pass, no
/// intermediate buffer).
fn day_view<'py>(py: Python<'py>, days: &[i32]) -> PyResult<Bound<'py, PyAny>> {
    let bytes = PyBytes::new_with(py, std::mem::size_of_val(days), |buffer| {
        for (out, day) in buffer.chunks_exact_mut(4).zip(days) {
            out.copy_from_slice(&day.to_ne_bytes());
        }
        Ok(())
    })?;
    memoryview(bytes, "i")
}

#[pymethods]
impl PyPlanColumns {
    /// Action names, indexed by the codes in `action`.
    #[classattr]
    const ACTIONS: [&'static str; 4] = ACTIONS;
    /// Reason names, indexed by the codes in `reason`.
    #[classattr]
    const REASONS: [&'static str; 12] = REASONS;
    /// Kind names, indexed by the codes in `kind`.
    #[classattr]
    const KINDS: [&'static str; 4] = KINDS;
    /// The day number that marks "no date" (also NumPy's NaT narrowed to int32).
    #[classattr]
    const NO_DATE: i32 = NO_DATE;

    fn __len__(&self) -> usize {
        self.inner.len()
    }
    /// Record-kind codes (uint8).
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        bytes_view(py, &self.inner.kind, "B")
    }
    /// Action codes (uint8), see `ACTIONS`.
    #[getter]
    fn action<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        bytes_view(py, &self.inner.action, "B")
    }
    /// Reason codes (uint8), see `REASONS`.
    #[getter]
    fn reason<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        bytes_view(py, &self.inner.reason, "B")
    }
    /// Fiscal-year ends as int32 day numbers (`NO_DATE` for account data).
    #[getter]
    fn fiscal_year_end<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        day_view(py, &self.inner.fiscal_year_end)
    }
    /// `eligible_from` as int32 day numbers.
    #[getter]
    fn eligible_from<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        day_view(py, &self.inner.eligible_from)
    }
    /// Action dates as int32 day numbers (`NO_DATE` where open).
    #[getter]
    fn action_from<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        day_view(py, &self.inner.action_from)
    }
    /// How many rows have each action: `{"keep": n, "notify": n, "delete": n, "anonymise": n}`.
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, count) in ACTIONS.iter().zip(self.inner.counts()) {
            dict.set_item(name, count)?;
        }
        Ok(dict)
    }
    /// Row `row` as a full `Decision`.
    fn decision(&self, row: usize) -> PyResult<PyDecision> {
        if row >= self.inner.len() {
            return Err(PyIndexError::new_err(format!(
                "row {row} is past the end of {} rows",
                self.inner.len()
            )));
        }
        Ok(PyDecision {
            inner: self
                .inner
                .decision(row, &self.policy)
                .map_err(retention_to_py)?,
        })
    }
    /// The sentence for row `row`.
    fn explain(&self, row: usize) -> PyResult<String> {
        Ok(self.decision(row)?.inner.explain())
    }
}

/// The result of `RetentionPolicy.plan`: `records` (one row per record, in input order) and
/// `accounts` (one row per account).
#[pyclass(frozen, module = "tillit", name = "RetentionPlan")]
#[derive(Debug)]
pub struct PyPlan {
    #[pyo3(get)]
    records: Py<PyPlanColumns>,
    #[pyo3(get)]
    accounts: Py<PyPlanColumns>,
}

/// Reads a column of day numbers: NumPy `datetime64[D]`, a buffer of int32 or int64, or a
/// sequence of `datetime.date` / `None`.
fn day_column(column: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<i32>> {
    let py = column.py();
    let mut column = column.clone();
    if let Ok(dtype) = column.getattr("dtype") {
        let kind: String = dtype.getattr("kind")?.extract()?;
        if kind == "M" {
            let dtype_name: String = dtype.getattr("name")?.extract()?;
            if dtype_name != "datetime64[D]" {
                return Err(retention_error(format!(
                    "column {name} is {dtype_name}; expected datetime64[D] (convert with .astype('datetime64[D]'))"
                )));
            }
            // NumPy will not export datetime64 through the buffer protocol; its int64 view is
            // the same memory as day numbers, with NaT as the most negative int64.
            column = column.call_method1("view", ("int64",))?;
        }
    }
    if let Ok(buffer) = PyBuffer::<i32>::get(&column) {
        return buffer.to_vec(py);
    }
    if let Ok(buffer) = PyBuffer::<i64>::get(&column) {
        let values = buffer.to_vec(py)?;
        return py
            .detach(|| {
                values
                    .into_iter()
                    .map(|v| {
                        if v == i64::MIN {
                            Ok(NO_DATE)
                        } else {
                            i32::try_from(v).map_err(|_| v)
                        }
                    })
                    .collect::<Result<Vec<_>, i64>>()
            })
            .map_err(|v| {
                retention_error(format!(
                    "column {name} holds day number {v}, outside the supported dates"
                ))
            });
    }
    let dates: Vec<Option<Date>> = column.extract().map_err(|_| {
        retention_error(format!(
            "column {name} must be a datetime64[D] array, a contiguous buffer of int32 or int64 day numbers, or a sequence of dates"
        ))
    })?;
    Ok(dates
        .into_iter()
        .map(|d| d.map_or(NO_DATE, retention::day_number))
        .collect())
}

/// Reads a column of small codes or flags: a buffer of uint8/bool/int32/int64 or a sequence.
fn byte_column(column: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<u8>> {
    let py = column.py();
    let mut column = column.clone();
    if let Ok(dtype) = column.getattr("dtype") {
        let kind: String = dtype.getattr("kind")?.extract()?;
        if kind == "b" {
            column = column.call_method1("view", ("uint8",))?;
        }
    }
    let narrow = |values: Vec<i64>| {
        values
            .into_iter()
            .map(|v| {
                u8::try_from(v).map_err(|_| {
                    retention_error(format!("column {name} holds {v}; expected 0 to 255"))
                })
            })
            .collect::<PyResult<Vec<u8>>>()
    };
    if let Ok(buffer) = PyBuffer::<u8>::get(&column) {
        return buffer.to_vec(py);
    }
    if let Ok(buffer) = PyBuffer::<i32>::get(&column) {
        return narrow(buffer.to_vec(py)?.into_iter().map(i64::from).collect());
    }
    if let Ok(buffer) = PyBuffer::<i64>::get(&column) {
        return narrow(buffer.to_vec(py)?);
    }
    let values: Vec<i64> = column.extract().map_err(|_| {
        retention_error(format!("column {name} must be a buffer of uint8, bool, int32 or int64, or a sequence of integers"))
    })?;
    narrow(values)
}

/// Reads a column of account rows.
fn account_column(column: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<u32>> {
    let py = column.py();
    let widen = |values: Vec<i64>| {
        values
            .into_iter()
            .map(|v| {
                u32::try_from(v).map_err(|_| {
                    retention_error(format!("column {name} holds {v}; expected an account row"))
                })
            })
            .collect::<PyResult<Vec<u32>>>()
    };
    if let Ok(buffer) = PyBuffer::<u32>::get(column) {
        return buffer.to_vec(py);
    }
    if let Ok(buffer) = PyBuffer::<i32>::get(column) {
        return widen(buffer.to_vec(py)?.into_iter().map(i64::from).collect());
    }
    if let Ok(buffer) = PyBuffer::<i64>::get(column) {
        return widen(buffer.to_vec(py)?);
    }
    let values: Vec<i64> = column.extract().map_err(|_| {
        retention_error(format!(
            "column {name} must be a buffer of int32, uint32 or int64, or a sequence of integers"
        ))
    })?;
    widen(values)
}

/// Takes the named columns out of a mapping, refusing unknown names.
fn columns<'py>(
    mapping: &Bound<'py, PyAny>,
    what: &str,
    known: &[&str],
) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
    let mapping = mapping.cast::<PyMapping>().map_err(|_| {
        retention_error(format!(
            "{what} must be a mapping of column names to arrays (a dict)"
        ))
    })?;
    let mut out = Vec::new();
    for item in mapping.items()?.iter() {
        let (key, value): (String, Bound<'py, PyAny>) = item.extract()?;
        if !known.contains(&key.as_str()) {
            return Err(retention_error(format!(
                "unknown {what} column {key:?}; expected one of {}",
                known.join(", ")
            )));
        }
        if !value.is_none() {
            out.push((key, value));
        }
    }
    Ok(out)
}

fn required<'a, T>(value: &'a Option<T>, what: &str, name: &str) -> PyResult<&'a T> {
    value
        .as_ref()
        .ok_or_else(|| PyKeyError::new_err(format!("{what} column {name:?} is required")))
}

fn to_requester(name: &str) -> PyResult<Requester> {
    Ok(match name {
        "account_holder" => Requester::AccountHolder,
        "accountant" => Requester::Accountant,
        "auditor" => Requester::Auditor,
        "tax_authority" => Requester::TaxAuthority,
        "police" => Requester::Police,
        "other" => Requester::Other,
        other => {
            return Err(retention_error(format!(
                "unknown requester {other:?}; expected account_holder, accountant, auditor, tax_authority, police or other"
            )));
        }
    })
}

fn to_basis(name: &str) -> PyResult<LegalBasis> {
    Ok(match name {
        "none" => LegalBasis::None,
        "account_holder_consent" => LegalBasis::AccountHolderConsent,
        "authority_decision" => LegalBasis::AuthorityDecision,
        other => {
            return Err(retention_error(format!(
                "unknown legal basis {other:?}; expected none, account_holder_consent or authority_decision"
            )));
        }
    })
}

/// Adds `(years, months)` to `start` by the month-end rule used from a fiscal-year end.
#[pyfunction]
fn add_from_fiscal_year_end(start: Date, years: u16, months: u16) -> PyResult<Date> {
    retention::add_from_fiscal_year_end(start, Period::new(years, months)).map_err(retention_to_py)
}

/// Adds `(years, months)` to `start` by domstolloven § 148, the rule from an event date.
#[pyfunction]
fn add_from_event(start: Date, years: u16, months: u16) -> PyResult<Date> {
    retention::add_from_event(start, Period::new(years, months)).map_err(retention_to_py)
}

/// Whether data may go to `requester` on `basis`: returns `(allowed, sentence)`.
///
/// Only a decision by the authorities, with its reference, lets data go to a third party.
#[pyfunction]
#[pyo3(signature = (requester, basis, reference = None))]
fn disclosure(
    requester: &str,
    basis: &str,
    reference: Option<&str>,
) -> PyResult<(bool, &'static str)> {
    let decision = retention::disclosure(to_requester(requester)?, to_basis(basis)?, reference);
    Ok((decision.allowed, decision.explain()))
}

/// A retention policy: periods per record kind and the notice for attachments.
#[pyclass(frozen, module = "tillit", name = "RetentionPolicy")]
#[derive(Debug)]
pub struct PyRetentionPolicy {
    pub(crate) inner: RetentionPolicy,
}

fn period((years, months): (u16, u16)) -> Period {
    Period::new(years, months)
}

pub(crate) fn document(
    date: Date,
    fiscal_year: Option<PyRef<'_, PyFiscalYear>>,
    booking_date: Option<Date>,
    fiscal_year_end: Option<Date>,
    legal_hold: bool,
) -> InvoiceRecord {
    InvoiceRecord {
        date,
        booking_date,
        fiscal_year: fiscal_year.map_or(FiscalYear::CALENDAR, |f| f.inner),
        fiscal_year_end,
        legal_hold,
    }
}

#[pymethods]
impl PyRetentionPolicy {
    /// A custom policy; periods are `(years, months)` tuples.
    #[new]
    #[pyo3(signature = (*, name, invoice, attachment, sale_attachment, account_data, notice_days = retention::DEFAULT_NOTICE_DAYS))]
    fn new(
        name: String,
        invoice: (u16, u16),
        attachment: (u16, u16),
        sale_attachment: (u16, u16),
        account_data: (u16, u16),
        notice_days: u16,
    ) -> PyResult<Self> {
        let inner = RetentionPolicy {
            name,
            invoice: period(invoice),
            attachment: period(attachment),
            sale_attachment: period(sale_attachment),
            account_data: period(account_data),
            notice_days,
        };
        inner.validate().map_err(retention_to_py)?;
        Ok(Self { inner })
    }

    /// The seed service's promise (the default).
    #[staticmethod]
    fn seed() -> Self {
        Self {
            inner: RetentionPolicy::seed(),
        }
    }

    /// The legal minimum of the bookkeeping act since 2015.
    #[staticmethod]
    fn bookkeeping_act() -> Self {
        Self {
            inner: RetentionPolicy::bookkeeping_act(),
        }
    }

    /// A preset by name (`seed`, `bookkeeping_act`, `construction`,
    /// `bank_customer_specifications`, `real_estate_capital_goods`, `petroleum`).
    #[staticmethod]
    fn preset(name: &str) -> PyResult<Self> {
        Ok(Self {
            inner: RetentionPolicy::preset(name).map_err(retention_to_py)?,
        })
    }

    /// The policy's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The period of each kind as `(years, months)`, keyed by kind name.
    #[getter]
    fn periods<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for kind in [
            RecordKind::Invoice,
            RecordKind::Attachment,
            RecordKind::SaleAttachment,
            RecordKind::AccountData,
        ] {
            let p = self.inner.period(kind);
            dict.set_item(name_of(&KINDS, kind as u8), (p.years, p.months))?;
        }
        Ok(dict)
    }
    /// Days between the notice to the account holder and deleting an attachment.
    #[getter]
    fn notice_days(&self) -> u16 {
        self.inner.notice_days
    }

    /// Decides an invoice or credit note on `today`.
    #[pyo3(signature = (date, today, *, fiscal_year = None, booking_date = None, fiscal_year_end = None, legal_hold = false))]
    fn invoice(
        &self,
        date: Date,
        today: Date,
        fiscal_year: Option<PyRef<'_, PyFiscalYear>>,
        booking_date: Option<Date>,
        fiscal_year_end: Option<Date>,
        legal_hold: bool,
    ) -> PyResult<PyDecision> {
        let record = document(date, fiscal_year, booking_date, fiscal_year_end, legal_hold);
        Ok(PyDecision {
            inner: self
                .inner
                .invoice(&record, today)
                .map_err(retention_to_py)?,
        })
    }

    /// Decides an attachment sent with an invoice dated `date` on `today`.
    #[pyo3(signature = (date, today, *, account_active, notice_sent = None, documents_sale = false, fiscal_year = None, booking_date = None, fiscal_year_end = None, legal_hold = false))]
    #[allow(clippy::too_many_arguments)]
    fn attachment(
        &self,
        date: Date,
        today: Date,
        account_active: bool,
        notice_sent: Option<Date>,
        documents_sale: bool,
        fiscal_year: Option<PyRef<'_, PyFiscalYear>>,
        booking_date: Option<Date>,
        fiscal_year_end: Option<Date>,
        legal_hold: bool,
    ) -> PyResult<PyDecision> {
        let record = AttachmentRecord {
            document: document(date, fiscal_year, booking_date, fiscal_year_end, legal_hold),
            documents_sale,
            account_active,
            notice_sent,
        };
        Ok(PyDecision {
            inner: self
                .inner
                .attachment(&record, today)
                .map_err(retention_to_py)?,
        })
    }

    /// Decides an account's data (its buyers, products, receivables) on `today`.
    #[pyo3(signature = (last_activity, today, *, active, latest_invoice_eligible_from = None, legal_hold = false))]
    fn account(
        &self,
        last_activity: Date,
        today: Date,
        active: bool,
        latest_invoice_eligible_from: Option<Date>,
        legal_hold: bool,
    ) -> PyResult<PyDecision> {
        let record = AccountRecord {
            last_activity,
            active,
            latest_invoice_eligible_from,
            legal_hold,
        };
        Ok(PyDecision {
            inner: self
                .inner
                .account(&record, today)
                .map_err(retention_to_py)?,
        })
    }

    /// Answers an erasure request from a buyer who is a person: `invoices` are the invoices
    /// naming them (`InvoiceRecord` or plain `datetime.date`), `attachments` the attachments
    /// (`AttachmentRecord`). The answer says what can go now, what later and from when, and
    /// the legal duty that keeps the rest.
    #[pyo3(signature = (invoices, today, attachments = Vec::new()))]
    fn erasure(
        &self,
        invoices: Vec<Bound<'_, PyAny>>,
        today: Date,
        attachments: Vec<PyRef<'_, crate::erasure::PyAttachmentRecord>>,
    ) -> PyResult<crate::erasure::PyErasureAnswer> {
        let invoices = invoices
            .iter()
            .map(crate::erasure::invoice_record)
            .collect::<PyResult<Vec<_>>>()?;
        let attachments: Vec<AttachmentRecord> = attachments.iter().map(|a| a.inner).collect();
        crate::erasure::erasure(&self.inner, &invoices, &attachments, today)
    }

    /// The cut-off for a kind on `today`: records whose fiscal year ended on or before it
    /// (for `account_data`: whose last activity is on or before it) have passed the period.
    fn cutoff(&self, kind: &str, today: Date) -> PyResult<Date> {
        self.inner
            .cutoff(kind_from_name(kind)?, today)
            .map_err(retention_to_py)
    }

    /// Plans many records at once from columns.
    ///
    /// `records` maps `kind`, `date`, `account` (required) and `booking_date`,
    /// `fiscal_year_end`, `legal_hold`, `notice_sent` (optional) to arrays; `accounts` maps
    /// `active`, `last_activity` (required) and `fiscal_year_end_month`, `legal_hold`.
    fn plan(
        &self,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        accounts: &Bound<'_, PyAny>,
        today: Date,
    ) -> PyResult<PyPlan> {
        let (mut kind, mut date, mut account, mut booking, mut end, mut hold, mut notice) =
            (None, None, None, None, None, None, None);
        let known = [
            "kind",
            "date",
            "account",
            "booking_date",
            "fiscal_year_end",
            "legal_hold",
            "notice_sent",
        ];
        for (name, column) in columns(records, "records", &known)? {
            match name.as_str() {
                "kind" => kind = Some(byte_column(&column, &name)?),
                "date" => date = Some(day_column(&column, &name)?),
                "account" => account = Some(account_column(&column, &name)?),
                "booking_date" => booking = Some(day_column(&column, &name)?),
                "fiscal_year_end" => end = Some(day_column(&column, &name)?),
                "legal_hold" => hold = Some(byte_column(&column, &name)?),
                _ => notice = Some(day_column(&column, &name)?),
            }
        }
        let (mut active, mut last, mut months, mut account_hold) = (None, None, None, None);
        let known = [
            "active",
            "last_activity",
            "fiscal_year_end_month",
            "legal_hold",
        ];
        for (name, column) in columns(accounts, "accounts", &known)? {
            match name.as_str() {
                "active" => active = Some(byte_column(&column, &name)?),
                "last_activity" => last = Some(day_column(&column, &name)?),
                "fiscal_year_end_month" => months = Some(byte_column(&column, &name)?),
                _ => account_hold = Some(byte_column(&column, &name)?),
            }
        }
        let record_columns = RecordColumns {
            kind: required(&kind, "records", "kind")?,
            date: required(&date, "records", "date")?,
            account: required(&account, "records", "account")?,
            booking_date: booking.as_deref(),
            fiscal_year_end: end.as_deref(),
            legal_hold: hold.as_deref(),
            notice_sent: notice.as_deref(),
        };
        let account_columns = AccountColumns {
            active: required(&active, "accounts", "active")?,
            last_activity: required(&last, "accounts", "last_activity")?,
            fiscal_year_end_month: months.as_deref(),
            legal_hold: account_hold.as_deref(),
        };
        let policy = &self.inner;
        let plan = py
            .detach(|| policy.plan(&record_columns, &account_columns, today))
            .map_err(retention_to_py)?;
        let wrap = |inner| {
            Py::new(
                py,
                PyPlanColumns {
                    inner,
                    policy: policy.clone(),
                },
            )
        };
        Ok(PyPlan {
            records: wrap(plan.records)?,
            accounts: wrap(plan.accounts)?,
        })
    }

    fn __repr__(&self) -> String {
        format!("RetentionPolicy(name={:?})", self.inner.name)
    }
}

/// Adds the retention classes and functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFiscalYear>()?;
    m.add_class::<PyRetentionPolicy>()?;
    m.add_class::<PyDecision>()?;
    m.add_class::<PyPlan>()?;
    m.add_class::<PyPlanColumns>()?;
    m.add_function(wrap_pyfunction!(disclosure, m)?)?;
    m.add_function(wrap_pyfunction!(add_from_fiscal_year_end, m)?)?;
    m.add_function(wrap_pyfunction!(add_from_event, m)?)?;
    Ok(())
}
