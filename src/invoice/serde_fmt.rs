//! Serde formats for the JSON form: decimals as strings (so no reader turns money into a
//! floating-point number) and dates as `YYYY-MM-DD`.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer};

time::serde::format_description!(pub(crate) date, Date, "[year]-[month]-[day]");

/// A decimal as a JSON string such as `"1460.50"`; numbers are refused, because a JSON
/// number may already have passed through a float in the writer.
pub(crate) mod dec {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(serde::de::Error::custom)
    }

    pub(crate) fn parse(s: &str) -> Result<Decimal, String> {
        if s.is_empty() || s.len() > 40 || s.contains(['e', 'E', '_', ' ', '+']) {
            return Err(format!("{s:?} is not a decimal; write digits such as \"1460.50\""));
        }
        s.parse::<Decimal>()
            .map_err(|_| format!("{s:?} is not a decimal; write digits such as \"1460.50\""))
    }
}

/// An optional decimal as a JSON string or null.
pub(crate) mod dec_opt {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| dec::parse(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}
