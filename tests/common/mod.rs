//! Strategies shared by the property tests of invoices and EHF.

use proptest::prelude::*;
use rust_decimal::Decimal;
use tillit::invoice::{VatCategory, VatTag};

/// A VAT tag with one of the Norwegian rates or a zero-rated or exempt category.
pub fn vat_tag() -> impl Strategy<Value = VatTag> {
    prop_oneof![
        Just(VatTag::standard(Decimal::from(25))),
        Just(VatTag::standard(Decimal::from(15))),
        Just(VatTag::standard(Decimal::from(12))),
        Just(VatTag::standard(Decimal::new(1111, 2))),
        Just(VatTag::zero_rated()),
        Just(VatTag::exempt(VatCategory::Exempt, "Exempt")),
    ]
}
