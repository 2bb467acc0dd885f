//! The invoice capability in C: identifiers and KIDs as strings, whole invoices and credit
//! notes as their versioned JSON form (decimals are JSON strings, so no amount passes through
//! a C `double`).
//!
//! Status codes of this capability are `TILLIT_ERR_INVOICE_*` (1400 and up).

use std::ffi::{c_char, c_int};

use tillit::invoice::{
    AccountNumber, CreditNote, Document, InvoiceError, Kid, KidAlgorithm, LateInterestTable,
    OrgNumber, Versioned, late_interest,
};

use crate::error::{Failure, guard, str_arg, tillit_status, write_string};

impl From<InvoiceError> for Failure {
    fn from(e: InvoiceError) -> Self {
        let status = match &e {
            InvoiceError::Identifier { .. } => tillit_status::TILLIT_ERR_INVOICE_IDENTIFIER,
            InvoiceError::Invalid(_) => tillit_status::TILLIT_ERR_INVOICE_INVALID,
            InvoiceError::Json { .. } | InvoiceError::JsonVersion { .. } => {
                tillit_status::TILLIT_ERR_INVOICE_JSON
            }
            _ => tillit_status::TILLIT_ERR_INVOICE,
        };
        Failure::new(status, e.to_string())
    }
}

fn algorithm(name: &str) -> Result<KidAlgorithm, Failure> {
    match name.to_ascii_lowercase().as_str() {
        "mod10" => Ok(KidAlgorithm::Mod10),
        "mod11" => Ok(KidAlgorithm::Mod11),
        other => Err(Failure::invalid(format!(
            "unknown KID algorithm {other:?}: use \"mod10\" or \"mod11\""
        ))),
    }
}

fn date(s: &str, name: &str) -> Result<time::Date, Failure> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, fmt)
        .map_err(|_| Failure::invalid(format!("{name} {s:?} is not a date; write YYYY-MM-DD")))
}

/// Parses an organisation number loosely ("NO 988 077 917 MVA") and writes its 9 digits to
/// `*canonical_out`. Release it with `tillit_string_free`.
///
/// # Safety
/// `input` must be a NUL-terminated string; `canonical_out` must be writable for one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_org_number_parse(
    input: *const c_char,
    canonical_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises a NUL-terminated string or NULL (checked).
        let s = unsafe { str_arg(input, "input") }?;
        let org = OrgNumber::parse(s)?;
        // SAFETY: the caller promises `canonical_out` is NULL or writable (checked).
        unsafe { write_string(canonical_out, "canonical_out", &org.to_string()) }
    })
}

/// Writes the check digit for 8 leading digits to `*digit_out`; fails with
/// `TILLIT_ERR_INVOICE_IDENTIFIER` when no check digit exists (remainder 10).
///
/// # Safety
/// `first_eight` must be a NUL-terminated string; `digit_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_org_number_check_digit(
    first_eight: *const c_char,
    digit_out: *mut c_int,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let s = unsafe { str_arg(first_eight, "first_eight") }?;
        if digit_out.is_null() {
            return Err(Failure::null("digit_out"));
        }
        let d = OrgNumber::check_digit(s).ok_or_else(|| {
            Failure::new(
                tillit_status::TILLIT_ERR_INVOICE_IDENTIFIER,
                format!("no organisation number check digit exists for {s:?} (8 digits whose remainder is not 10)"),
            )
        })?;
        // SAFETY: checked non-NULL above; the caller promises it is writable.
        unsafe { *digit_out = c_int::from(d) };
        Ok(())
    })
}

/// Parses a bank account number loosely ("8601.11.17947") and writes its 11 digits.
///
/// # Safety
/// `input` must be a NUL-terminated string; `canonical_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_account_number_parse(
    input: *const c_char,
    canonical_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let s = unsafe { str_arg(input, "input") }?;
        let a = AccountNumber::parse(s)?;
        // SAFETY: as documented.
        unsafe { write_string(canonical_out, "canonical_out", &a.to_string()) }
    })
}

/// Writes the Norwegian IBAN of an account number ("NO9386011117947").
///
/// # Safety
/// `account` must be a NUL-terminated string; `iban_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_account_number_iban(
    account: *const c_char,
    iban_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let s = unsafe { str_arg(account, "account") }?;
        let a = AccountNumber::parse(s)?;
        // SAFETY: as documented.
        unsafe { write_string(iban_out, "iban_out", &a.to_iban().to_string()) }
    })
}

/// Appends the check character to a payload of digits; `algorithm` is "mod10" or "mod11".
///
/// # Safety
/// `payload` and `algorithm` must be NUL-terminated strings; `kid_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_kid_generate(
    payload: *const c_char,
    algorithm: *const c_char,
    kid_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let p = unsafe { str_arg(payload, "payload") }?;
        // SAFETY: as documented.
        let a = self::algorithm(unsafe { str_arg(algorithm, "algorithm") }?)?;
        let kid = Kid::generate(p, a)?;
        // SAFETY: as documented.
        unsafe { write_string(kid_out, "kid_out", kid.as_str()) }
    })
}

/// Checks a KID's length and check character; `TILLIT_OK` when valid.
///
/// # Safety
/// `kid` and `algorithm` must be NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_kid_validate(
    kid: *const c_char,
    algorithm: *const c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let k = unsafe { str_arg(kid, "kid") }?;
        // SAFETY: as documented.
        let a = self::algorithm(unsafe { str_arg(algorithm, "algorithm") }?)?;
        Kid::parse(k, a)?;
        Ok(())
    })
}

/// Computes the totals of an invoice or credit note given in the versioned JSON form and
/// writes them as `{"version":1,"totals":{...}}` with decimals as strings.
///
/// # Safety
/// `document_json` must be a NUL-terminated string; `totals_json_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_invoice_totals_json(
    document_json: *const c_char,
    totals_json_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let json = unsafe { str_arg(document_json, "document_json") }?;
        let totals = match Document::from_json(json)? {
            Document::Invoice(i) => i.totals()?,
            Document::CreditNote(c) => c.totals()?,
        };
        // SAFETY: as documented.
        unsafe { write_string(totals_json_out, "totals_json_out", &totals.to_json()?) }
    })
}

/// Validates an invoice or credit note given in the versioned JSON form and writes every
/// problem as a JSON array of `{"path","rule","message"}` (`[]` when lawful). Malformed JSON
/// fails with `TILLIT_ERR_INVOICE_JSON`.
///
/// # Safety
/// `document_json` must be a NUL-terminated string; `problems_json_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_invoice_problems_json(
    document_json: *const c_char,
    problems_json_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let json = unsafe { str_arg(document_json, "document_json") }?;
        let report = match Document::from_json(json)? {
            Document::Invoice(i) => i.validate(),
            Document::CreditNote(c) => c.validate(),
        }
        .err()
        .unwrap_or_default();
        let out =
            serde_json::to_string(&report.problems).map_err(|e| Failure::invalid(e.to_string()))?;
        // SAFETY: as documented.
        unsafe { write_string(problems_json_out, "problems_json_out", &out) }
    })
}

/// Builds a credit note that credits the given invoice in full, with its own `number` and
/// `issue_date` (YYYY-MM-DD), and writes it in the versioned JSON form.
///
/// # Safety
/// All inputs must be NUL-terminated strings; `credit_note_json_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_credit_note_full_json(
    invoice_json: *const c_char,
    number: *const c_char,
    issue_date: *const c_char,
    credit_note_json_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let json = unsafe { str_arg(invoice_json, "invoice_json") }?;
        // SAFETY: as documented.
        let number = unsafe { str_arg(number, "number") }?;
        // SAFETY: as documented.
        let day = date(unsafe { str_arg(issue_date, "issue_date") }?, "issue_date")?;
        let invoice = tillit::invoice::Invoice::from_json(json)?;
        let credit = CreditNote::full(&invoice, number, day);
        // SAFETY: as documented.
        unsafe {
            write_string(
                credit_note_json_out,
                "credit_note_json_out",
                &credit.to_json()?,
            )
        }
    })
}

/// Late-payment interest on `principal` (a decimal string) for the days after `due_date`
/// through `paid_on` (YYYY-MM-DD) from the built-in Norwegian rate table, written as a
/// decimal string.
///
/// # Safety
/// All inputs must be NUL-terminated strings; `interest_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_late_interest(
    principal: *const c_char,
    due_date: *const c_char,
    paid_on: *const c_char,
    interest_out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: as documented.
        let p = unsafe { str_arg(principal, "principal") }?;
        let p: rust_decimal::Decimal = p.parse().map_err(|_| {
            Failure::invalid(format!(
                "principal {p:?} is not a decimal such as \"1000.00\""
            ))
        })?;
        // SAFETY: as documented.
        let due = date(unsafe { str_arg(due_date, "due_date") }?, "due_date")?;
        // SAFETY: as documented.
        let paid = date(unsafe { str_arg(paid_on, "paid_on") }?, "paid_on")?;
        let i = late_interest(p, due, paid, &LateInterestTable::norway())?;
        // SAFETY: as documented.
        unsafe { write_string(interest_out, "interest_out", &i.total.to_string()) }
    })
}
