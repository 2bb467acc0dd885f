//! The versioned JSON form: `{"version": 1, "invoice": {...}}`, with stable snake_case field
//! names, decimals as strings, dates as `YYYY-MM-DD`, and unknown or missing fields refused
//! with an error that names the field's path.
//!
//! A later version of the form gets a new number; readers refuse numbers they do not know
//! instead of guessing.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::model::{CreditNote, Customer, Invoice, Line, Party, Product};
use super::{InvoiceError, Totals};

/// The version of the JSON form this library writes and reads.
pub const JSON_VERSION: u64 = 1;

/// A model with a versioned JSON form, under the key `KEY`.
pub trait Versioned: Serialize + DeserializeOwned {
    /// The key the model sits under next to `"version"`.
    const KEY: &'static str;

    /// The JSON form.
    ///
    /// # Errors
    /// [`InvoiceError::Json`] only if serialisation fails, which the models do not do.
    fn to_json(&self) -> Result<String, InvoiceError> {
        let body = serde_json::to_string(self)
            .map_err(|e| InvoiceError::Json { path: ".".into(), message: e.to_string() })?;
        Ok(format!("{{\"version\":{JSON_VERSION},\"{}\":{body}}}", Self::KEY))
    }

    /// Reads the JSON form.
    ///
    /// # Errors
    /// [`InvoiceError::JsonVersion`] for an unknown version, [`InvoiceError::Json`] naming
    /// the field for anything else.
    fn from_json(json: &str) -> Result<Self, InvoiceError> {
        let body = envelope(json, &[Self::KEY])?.1;
        body_from(body, Self::KEY)
    }
}

impl Versioned for Invoice {
    const KEY: &'static str = "invoice";
}
impl Versioned for CreditNote {
    const KEY: &'static str = "credit_note";
}
impl Versioned for Party {
    const KEY: &'static str = "party";
}
impl Versioned for Line {
    const KEY: &'static str = "line";
}
impl Versioned for Customer {
    const KEY: &'static str = "customer";
}
impl Versioned for Product {
    const KEY: &'static str = "product";
}
impl Versioned for Totals {
    const KEY: &'static str = "totals";
}

/// An invoice or a credit note, read from JSON by its key.
///
/// # Examples
///
/// ```
/// use tillit::invoice::{Document, Versioned, Invoice, Currency, Party};
/// use time::macros::date;
///
/// let invoice = Invoice::new("7", date!(2024 - 01 - 02), Currency::NOK,
///     Party::new("A AS"), Party::new("B AS"));
/// let json = invoice.to_json()?;
/// assert!(json.starts_with(r#"{"version":1,"invoice":{"number":"7","#));
/// assert_eq!(Document::from_json(&json)?, Document::Invoice(invoice));
///
/// let err = Document::from_json(r#"{"version":1,"invoice":{"numbr":"7"}}"#).unwrap_err();
/// assert!(err.to_string().contains("invoice.numbr"), "{err}");
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// An invoice.
    Invoice(Invoice),
    /// A credit note.
    CreditNote(CreditNote),
}

impl Document {
    /// Reads either document type by the key next to `"version"`.
    ///
    /// # Errors
    /// As [`Versioned::from_json`].
    pub fn from_json(json: &str) -> Result<Self, InvoiceError> {
        let (key, body) = envelope(json, &[Invoice::KEY, CreditNote::KEY])?;
        if key == Invoice::KEY {
            body_from(body, Invoice::KEY).map(Document::Invoice)
        } else {
            body_from(body, CreditNote::KEY).map(Document::CreditNote)
        }
    }

    /// The JSON form of whichever document this is.
    ///
    /// # Errors
    /// As [`Versioned::to_json`].
    pub fn to_json(&self) -> Result<String, InvoiceError> {
        match self {
            Document::Invoice(i) => i.to_json(),
            Document::CreditNote(c) => c.to_json(),
        }
    }
}

fn json_err(path: &str, message: impl Into<String>) -> InvoiceError {
    InvoiceError::Json { path: path.to_owned(), message: message.into() }
}

/// Checks the envelope and returns the key found and the body under it.
fn envelope(json: &str, keys: &[&'static str]) -> Result<(&'static str, serde_json::Value), InvoiceError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| json_err(".", e.to_string()))?;
    let serde_json::Value::Object(mut map) = value else {
        return Err(json_err(".", "expected an object with \"version\" and a document"));
    };
    match map.remove("version") {
        None => return Err(json_err("version", "missing field `version`")),
        Some(v) => match v.as_u64() {
            Some(JSON_VERSION) => {}
            Some(found) => return Err(InvoiceError::JsonVersion { found }),
            None => return Err(json_err("version", format!("expected an integer, found {v}"))),
        },
    }
    let mut found = None;
    for k in map.keys() {
        match keys.iter().find(|key| **key == k) {
            Some(key) if found.is_none() => found = Some(*key),
            _ => {
                return Err(json_err(
                    k,
                    format!("unknown field `{k}`, expected `version` and one of {}", keys.join(", ")),
                ));
            }
        }
    }
    let Some(key) = found else {
        return Err(json_err(keys.first().copied().unwrap_or("."), format!("missing field `{}`", keys.join("` or `"))));
    };
    let body = map.remove(key).unwrap_or(serde_json::Value::Null);
    Ok((key, body))
}

fn body_from<T: DeserializeOwned>(body: serde_json::Value, key: &str) -> Result<T, InvoiceError> {
    serde_path_to_error::deserialize(body).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." { key.to_owned() } else { format!("{key}.{inner}") };
        json_err(&path, e.into_inner().to_string())
    })
}
