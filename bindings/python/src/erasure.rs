//! Python surface of erasure requests and anonymisation: `InvoiceRecord` and
//! `AttachmentRecord` (the records an erasure answer is computed from), `ErasureAnswer`, and
//! `Buyer`, `Product`, `Receivable` with their anonymised forms.
//!
//! Anonymising in Python mirrors the core's guarantee as far as Python allows: `anonymise()`
//! takes the personal record out of the Python object, wipes its strings in Rust and returns
//! a different class with no personal field; the original object refuses every further use.
//! Copies the caller made of the strings before (in Python variables, in a database) are the
//! caller's to remove.

use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rust_decimal::Decimal;
use time::Date;

use tillit::retention::{
    self, AttachmentRecord, ErasureAnswer, ErasureItem, ErasureTiming, InvoiceRecord,
};

use crate::retention::{PyDecision, PyFiscalYear, document};

/// An invoice or credit note as retention sees it: its dates, fiscal year and legal hold.
#[pyclass(frozen, module = "tillit", name = "InvoiceRecord")]
#[derive(Clone, Copy)]
pub struct PyInvoiceRecord {
    pub(crate) inner: InvoiceRecord,
}

#[pymethods]
impl PyInvoiceRecord {
    #[new]
    #[pyo3(signature = (date, *, fiscal_year = None, booking_date = None, fiscal_year_end = None, legal_hold = false))]
    fn new(
        date: Date,
        fiscal_year: Option<PyRef<'_, PyFiscalYear>>,
        booking_date: Option<Date>,
        fiscal_year_end: Option<Date>,
        legal_hold: bool,
    ) -> Self {
        Self {
            inner: document(date, fiscal_year, booking_date, fiscal_year_end, legal_hold),
        }
    }

    /// The document date.
    #[getter]
    fn date(&self) -> Date {
        self.inner.date
    }

    /// Whether a legal hold is set.
    #[getter]
    fn legal_hold(&self) -> bool {
        self.inner.legal_hold
    }

    fn __repr__(&self) -> String {
        format!(
            "InvoiceRecord({}, legal_hold={})",
            self.inner.date,
            if self.inner.legal_hold {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// An attachment as retention sees it: the invoice it was sent with, whether it documents
/// the sale, the account's state and the notice sent to the account holder.
#[pyclass(frozen, module = "tillit", name = "AttachmentRecord")]
#[derive(Clone, Copy)]
pub struct PyAttachmentRecord {
    pub(crate) inner: AttachmentRecord,
}

#[pymethods]
impl PyAttachmentRecord {
    #[new]
    #[pyo3(signature = (date, *, account_active, notice_sent = None, documents_sale = false, fiscal_year = None, booking_date = None, fiscal_year_end = None, legal_hold = false))]
    fn new(
        date: Date,
        account_active: bool,
        notice_sent: Option<Date>,
        documents_sale: bool,
        fiscal_year: Option<PyRef<'_, PyFiscalYear>>,
        booking_date: Option<Date>,
        fiscal_year_end: Option<Date>,
        legal_hold: bool,
    ) -> Self {
        Self {
            inner: AttachmentRecord {
                document: document(date, fiscal_year, booking_date, fiscal_year_end, legal_hold),
                documents_sale,
                account_active,
                notice_sent,
            },
        }
    }

    /// The date of the invoice the attachment was sent with.
    #[getter]
    fn date(&self) -> Date {
        self.inner.document.date
    }

    fn __repr__(&self) -> String {
        format!(
            "AttachmentRecord({}, account_active={})",
            self.inner.document.date,
            if self.inner.account_active {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// Accepts an `InvoiceRecord` or a plain `datetime.date` (a calendar-year invoice, no hold).
pub(crate) fn invoice_record(item: &Bound<'_, PyAny>) -> PyResult<InvoiceRecord> {
    if let Ok(record) = item.cast::<PyInvoiceRecord>() {
        return Ok(record.get().inner);
    }
    match item.extract::<Date>() {
        Ok(date) => Ok(InvoiceRecord::dated(date)),
        Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "an invoice must be a tillit.InvoiceRecord or a datetime.date, not {}",
            item.get_type().name()?
        ))),
    }
}

/// When one item of an erasure request can go.
#[pyclass(frozen, module = "tillit", name = "ErasureItem")]
pub struct PyErasureItem {
    inner: ErasureItem,
}

fn timing_name(timing: ErasureTiming) -> &'static str {
    match timing {
        ErasureTiming::Now => "now",
        ErasureTiming::From(_) => "later",
        ErasureTiming::Open => "open",
    }
}

fn timing_date(timing: ErasureTiming) -> Option<Date> {
    match timing {
        ErasureTiming::From(date) => Some(date),
        ErasureTiming::Now | ErasureTiming::Open => None,
    }
}

#[pymethods]
impl PyErasureItem {
    /// The item's position in the request's list of its kind.
    #[getter]
    fn index(&self) -> usize {
        self.inner.index
    }

    /// `now`, `later` (from `erase_from`) or `open` (a legal hold, or the account is active).
    #[getter]
    fn timing(&self) -> &'static str {
        timing_name(self.inner.timing)
    }

    /// The first day the item may be erased, when `timing` is `later`.
    #[getter]
    fn erase_from(&self) -> Option<Date> {
        timing_date(self.inner.timing)
    }

    /// The retention decision behind the answer, with its dates and sentence.
    #[getter]
    fn decision(&self) -> PyDecision {
        PyDecision {
            inner: self.inner.decision.clone(),
        }
    }

    fn __repr__(&self) -> String {
        match self.inner.timing {
            ErasureTiming::From(date) => {
                format!("ErasureItem({}, later from {date})", self.inner.index)
            }
            other => format!("ErasureItem({}, {})", self.inner.index, timing_name(other)),
        }
    }
}

/// The answer to an erasure request from a buyer who is a person.
#[pyclass(frozen, module = "tillit", name = "ErasureAnswer")]
pub struct PyErasureAnswer {
    inner: ErasureAnswer,
}

fn items(list: &[ErasureItem]) -> Vec<PyErasureItem> {
    list.iter()
        .map(|item| PyErasureItem {
            inner: item.clone(),
        })
        .collect()
}

#[pymethods]
impl PyErasureAnswer {
    /// One answer per invoice, in request order.
    #[getter]
    fn invoices(&self) -> Vec<PyErasureItem> {
        items(&self.inner.invoices)
    }

    /// One answer per attachment, in request order.
    #[getter]
    fn attachments(&self) -> Vec<PyErasureItem> {
        items(&self.inner.attachments)
    }

    /// When the buyer's entry in the customer list can go: `now`, `later` or `open`.
    #[getter]
    fn buyer_entry(&self) -> &'static str {
        timing_name(self.inner.buyer_entry)
    }

    /// The first day the buyer's entry may be erased, when `buyer_entry` is `later`.
    #[getter]
    fn buyer_entry_from(&self) -> Option<Date> {
        timing_date(self.inner.buyer_entry)
    }

    /// The legal duty that keeps what cannot go now, to cite in the reply to the buyer.
    #[getter]
    fn legal_duty(&self) -> &'static str {
        self.inner.legal_duty
    }

    /// Whether everything named in the request can be erased now.
    fn complete_now(&self) -> bool {
        self.inner.complete_now()
    }

    fn __repr__(&self) -> String {
        format!(
            "ErasureAnswer({} invoices, {} attachments, buyer entry {})",
            self.inner.invoices.len(),
            self.inner.attachments.len(),
            timing_name(self.inner.buyer_entry)
        )
    }
}

/// Computes the erasure answer; called by `RetentionPolicy.erasure`.
pub(crate) fn erasure(
    policy: &retention::RetentionPolicy,
    invoices: &[InvoiceRecord],
    attachments: &[AttachmentRecord],
    today: Date,
) -> PyResult<PyErasureAnswer> {
    policy
        .erasure(invoices, attachments, today)
        .map(|inner| PyErasureAnswer { inner })
        .map_err(crate::errors::retention_to_py)
}

/// A receivable from a buyer: amounts and dates, which anonymising keeps.
#[pyclass(frozen, eq, module = "tillit", name = "Receivable", get_all)]
#[derive(Clone, PartialEq)]
pub struct PyReceivable {
    amount: Decimal,
    currency: String,
    issued: Date,
    due: Date,
    settled: Option<Date>,
}

impl PyReceivable {
    fn to_core(&self) -> PyResult<retention::Receivable> {
        let currency: [u8; 3] = self
            .currency
            .as_bytes()
            .try_into()
            .ok()
            .filter(|c: &[u8; 3]| c.iter().all(u8::is_ascii_uppercase))
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "currency {:?} is not an ISO 4217 code: use three capital letters such as NOK",
                    self.currency
                ))
            })?;
        Ok(retention::Receivable {
            amount: self.amount,
            currency,
            issued: self.issued,
            due: self.due,
            settled: self.settled,
        })
    }

    fn from_core(r: &retention::Receivable) -> Self {
        Self {
            amount: r.amount,
            currency: String::from_utf8_lossy(&r.currency).into_owned(),
            issued: r.issued,
            due: r.due,
            settled: r.settled,
        }
    }
}

#[pymethods]
impl PyReceivable {
    #[new]
    #[pyo3(signature = (amount, currency, issued, due, settled = None))]
    fn new(
        amount: Decimal,
        currency: String,
        issued: Date,
        due: Date,
        settled: Option<Date>,
    ) -> PyResult<Self> {
        let receivable = Self {
            amount,
            currency,
            issued,
            due,
            settled,
        };
        receivable.to_core()?;
        Ok(receivable)
    }

    fn __repr__(&self) -> String {
        format!(
            "Receivable({} {}, due {})",
            self.amount, self.currency, self.due
        )
    }
}

fn taken() -> PyErr {
    PyValueError::new_err(
        "this record was anonymised: its personal fields are gone; use the anonymised record \
         that anonymise() returned",
    )
}

/// A buyer in the account's customer list, with personal fields.
#[pyclass(module = "tillit", name = "Buyer")]
pub struct PyBuyer {
    inner: Mutex<Option<retention::Buyer>>,
}

impl PyBuyer {
    fn with<T>(&self, f: impl FnOnce(&retention::Buyer) -> T) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(f).ok_or_else(taken)
    }
}

#[pymethods]
impl PyBuyer {
    #[new]
    #[pyo3(signature = (id, name, address, *, created, identifier = None, email = None, phone = None, notes = String::new(), receivables = Vec::new()))]
    fn new(
        id: u64,
        name: String,
        address: String,
        created: Date,
        identifier: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        notes: String,
        receivables: Vec<PyRef<'_, PyReceivable>>,
    ) -> PyResult<Self> {
        let receivables = receivables
            .iter()
            .map(|r| r.to_core())
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            inner: Mutex::new(Some(retention::Buyer {
                id,
                name,
                address,
                identifier,
                email,
                phone,
                notes,
                receivables,
                created,
            })),
        })
    }

    /// The service's internal key.
    #[getter]
    fn id(&self) -> PyResult<u64> {
        self.with(|b| b.id)
    }

    /// The buyer's name.
    #[getter]
    fn name(&self) -> PyResult<String> {
        self.with(|b| b.name.clone())
    }

    /// Whether `anonymise()` was called.
    #[getter]
    fn anonymised(&self) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }

    /// Anonymises the buyer irreversibly: returns an `AnonymisedBuyer` with the key,
    /// receivables and creation date, wipes the personal fields, and leaves this object empty.
    fn anonymise(&self) -> PyResult<PyAnonymisedBuyer> {
        let buyer = self
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .ok_or_else(taken)?;
        let anonymised = buyer.anonymise();
        Ok(PyAnonymisedBuyer {
            id: anonymised.id,
            receivables: anonymised
                .receivables
                .iter()
                .map(PyReceivable::from_core)
                .collect(),
            created: anonymised.created,
        })
    }

    fn __repr__(&self) -> String {
        // A repr ends up in logs: it shows the key, never the personal fields.
        match self.with(|b| b.id) {
            Ok(id) => format!("Buyer(id={id})"),
            Err(_) => "Buyer(anonymised)".to_owned(),
        }
    }
}

/// A buyer after anonymisation: the key, the receivables and the creation date.
#[pyclass(frozen, module = "tillit", name = "AnonymisedBuyer", get_all)]
pub struct PyAnonymisedBuyer {
    id: u64,
    receivables: Vec<PyReceivable>,
    created: Date,
}

#[pymethods]
impl PyAnonymisedBuyer {
    fn __repr__(&self) -> String {
        format!(
            "AnonymisedBuyer(id={}, {} receivables)",
            self.id,
            self.receivables.len()
        )
    }
}

/// A product in the account's product list; names and descriptions are free text.
#[pyclass(module = "tillit", name = "Product")]
pub struct PyProduct {
    inner: Mutex<Option<retention::Product>>,
}

#[pymethods]
impl PyProduct {
    #[new]
    #[pyo3(signature = (id, name, unit_price, *, description = String::new()))]
    fn new(id: u64, name: String, unit_price: Decimal, description: String) -> Self {
        Self {
            inner: Mutex::new(Some(retention::Product {
                id,
                name,
                description,
                unit_price,
            })),
        }
    }

    /// The product name.
    #[getter]
    fn name(&self) -> PyResult<String> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(|p| p.name.clone()).ok_or_else(taken)
    }

    /// Anonymises the product irreversibly: returns an `AnonymisedProduct` with the key and
    /// price, wipes the texts, and leaves this object empty.
    fn anonymise(&self) -> PyResult<PyAnonymisedProduct> {
        let product = self
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .ok_or_else(taken)?;
        let anonymised = product.anonymise();
        Ok(PyAnonymisedProduct {
            id: anonymised.id,
            unit_price: anonymised.unit_price,
        })
    }
}

/// A product after anonymisation: the key and the unit price.
#[pyclass(frozen, module = "tillit", name = "AnonymisedProduct", get_all)]
pub struct PyAnonymisedProduct {
    id: u64,
    unit_price: Decimal,
}

/// Adds the classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyInvoiceRecord>()?;
    m.add_class::<PyAttachmentRecord>()?;
    m.add_class::<PyErasureItem>()?;
    m.add_class::<PyErasureAnswer>()?;
    m.add_class::<PyReceivable>()?;
    m.add_class::<PyBuyer>()?;
    m.add_class::<PyAnonymisedBuyer>()?;
    m.add_class::<PyProduct>()?;
    m.add_class::<PyAnonymisedProduct>()?;
    Ok(())
}
