//! Currencies (ISO 4217 with their minor units) and the rounding rule for money.
//!
//! EN 16931 allows at most two decimals in amounts; currencies whose minor unit has fewer
//! (JPY and ISK: none) are rounded to that. Rounding is always half away from zero, so
//! 365.125 becomes 365.13 and -365.125 becomes -365.13.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::{InvoiceError, clip};

/// ISO 4217 codes with their minor units, for the currencies a Norwegian business invoices
/// in.
// Limitation: the table holds the common trading currencies, not all of ISO 4217; a code
// outside it is refused with an error rather than guessed.
const CURRENCIES: &[(&str, u8)] = &[
    ("NOK", 2),
    ("SEK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("USD", 2),
    ("GBP", 2),
    ("CHF", 2),
    ("JPY", 0),
    ("ISK", 0),
    ("PLN", 2),
    ("CZK", 2),
    ("HUF", 2),
    ("CAD", 2),
    ("AUD", 2),
    ("NZD", 2),
    ("CNY", 2),
    ("HKD", 2),
    ("SGD", 2),
    ("INR", 2),
    ("KRW", 0),
    ("BRL", 2),
    ("MXN", 2),
    ("ZAR", 2),
    ("TRY", 2),
    ("RON", 2),
    ("BGN", 2),
    ("THB", 2),
    ("AED", 2),
    ("SAR", 2),
    ("ILS", 2),
    ("CLP", 0),
    ("VND", 0),
    ("BHD", 3),
    ("KWD", 3),
    ("OMR", 3),
    ("JOD", 3),
    ("TND", 3),
];

fn code3(c: &str) -> [u8; 3] {
    let b = c.as_bytes();
    [b[0], b[1], b[2]]
}

/// An ISO 4217 currency with its minor unit.
///
/// # Examples
///
/// ```
/// use tillit::invoice::Currency;
///
/// let jpy: Currency = "jpy".parse()?;
/// assert_eq!(jpy.code(), "JPY");
/// assert_eq!(jpy.minor_units(), 0);
/// assert_eq!(Currency::NOK.amount_decimals(), 2);
/// assert!("XYZ".parse::<Currency>().is_err());
/// # Ok::<(), tillit::invoice::InvoiceError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

impl Currency {
    /// Norwegian krone.
    pub const NOK: Currency = Currency { code: *b"NOK", minor_units: 2 };
    /// Euro.
    pub const EUR: Currency = Currency { code: *b"EUR", minor_units: 2 };
    /// Swedish krona.
    pub const SEK: Currency = Currency { code: *b"SEK", minor_units: 2 };
    /// US dollar.
    pub const USD: Currency = Currency { code: *b"USD", minor_units: 2 };
    /// Japanese yen (no minor unit).
    pub const JPY: Currency = Currency { code: *b"JPY", minor_units: 0 };

    /// Looks a currency up by its ISO 4217 code, in any case.
    ///
    /// # Errors
    /// [`InvoiceError::UnknownCurrency`] when the code is not in the table.
    pub fn from_code(code: &str) -> Result<Self, InvoiceError> {
        let upper = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == upper)
            .map(|(c, m)| Currency { code: code3(c), minor_units: *m })
            .ok_or_else(|| InvoiceError::UnknownCurrency { code: clip(code) })
    }

    /// The three-letter code.
    #[must_use]
    pub fn code(&self) -> &str {
        // Codes come only from the ASCII table above.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// The ISO 4217 minor unit (decimals of the smallest coin or note unit).
    #[must_use]
    pub fn minor_units(&self) -> u8 {
        self.minor_units
    }

    /// Decimals allowed in invoice amounts: the minor unit, capped at two (EN 16931).
    #[must_use]
    pub fn amount_decimals(&self) -> u32 {
        u32::from(self.minor_units.min(2))
    }

    /// Whether this is the Norwegian krone.
    #[must_use]
    pub fn is_nok(&self) -> bool {
        &self.code == b"NOK"
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl FromStr for Currency {
    type Err = InvoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_code(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = InvoiceError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::from_code(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.code().to_owned()
    }
}

/// Rounds an amount to the currency's invoice decimals, half away from zero.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tillit::invoice::{Currency, round_money};
///
/// let d = |s: &str| s.parse::<Decimal>().expect("decimal");
/// assert_eq!(round_money(d("365.125"), Currency::NOK), d("365.13"));
/// assert_eq!(round_money(d("-365.125"), Currency::NOK), d("-365.13"));
/// assert_eq!(round_money(d("1234.5"), Currency::JPY), d("1235"));
/// ```
#[must_use]
pub fn round_money(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(currency.amount_decimals(), RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds to whole units (kroner), half away from zero, for cash payment.
pub(crate) fn round_whole(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units() {
        for (code, m) in [("NOK", 2), ("SEK", 2), ("DKK", 2), ("EUR", 2), ("USD", 2), ("GBP", 2)]
        {
            assert_eq!(Currency::from_code(code).expect("known").minor_units(), m);
        }
        assert_eq!(Currency::from_code("ISK").expect("known").amount_decimals(), 0);
        assert_eq!(Currency::from_code("BHD").expect("known").amount_decimals(), 2);
        let e = Currency::from_code("NOKK").expect_err("unknown").to_string();
        assert!(e.contains("ISO 4217"), "{e}");
    }

    #[test]
    fn half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(round_money(d("0.005"), Currency::NOK), d("0.01"));
        assert_eq!(round_money(d("-0.005"), Currency::NOK), d("-0.01"));
        assert_eq!(round_money(d("0.0049"), Currency::NOK), d("0.00"));
        assert_eq!(round_whole(d("801.50")), d("802"));
    }
}
