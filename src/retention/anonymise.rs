//! Anonymisation of account data: the account's buyers, products and receivables lose every
//! personal field and keep their amounts and dates.
//!
//! Anonymising is irreversible by construction: it consumes the personal record and returns a
//! different type that has no field a name, address, identifier, e-mail, phone number or free
//! text could live in, and the personal strings are wiped from memory as they are dropped.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A receivable from a buyer: amounts and dates only, which anonymising keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receivable {
    /// The amount owed, in the invoice currency.
    pub amount: Decimal,
    /// The ISO 4217 currency code.
    pub currency: [u8; 3],
    /// The invoice date.
    pub issued: Date,
    /// The due date.
    pub due: Date,
    /// When it was settled, if it was.
    pub settled: Option<Date>,
}

/// A buyer in the account's customer list, with personal fields.
///
/// The buyer is the account's own customer, named on its invoices; not the account itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct Buyer {
    /// The service's internal key for the buyer (not personal data).
    #[zeroize(skip)]
    pub id: u64,
    /// The buyer's name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// Organisation number or national identity number.
    pub identifier: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Free-text notes the account wrote about the buyer.
    pub notes: String,
    /// The buyer's receivables.
    #[zeroize(skip)]
    pub receivables: Vec<Receivable>,
    /// When the buyer was added to the list.
    #[zeroize(skip)]
    pub created: Date,
}

/// A buyer after anonymisation: the key, amounts and dates, nothing that identifies a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymisedBuyer {
    /// The service's internal key, so totals per buyer still add up.
    pub id: u64,
    /// The receivables, unchanged.
    pub receivables: Vec<Receivable>,
    /// When the buyer was added to the list.
    pub created: Date,
}

impl Buyer {
    /// Anonymises the buyer irreversibly, wiping the personal fields from memory.
    ///
    /// # Examples
    ///
    /// ```
    /// use tillit::retention::Buyer;
    /// use time::macros::date;
    ///
    /// let buyer = Buyer {
    ///     id: 7,
    ///     name: "Kari Nordmann".into(),
    ///     address: "Storgata 1, 0155 Oslo".into(),
    ///     identifier: None,
    ///     email: Some("kari@example.no".into()),
    ///     phone: None,
    ///     notes: "prefers e-mail".into(),
    ///     receivables: Vec::new(),
    ///     created: date!(2015 - 01 - 05),
    /// };
    /// let anonymised = buyer.anonymise();
    /// assert_eq!(anonymised.id, 7);
    /// assert!(!serde_json::to_string(&anonymised)?.contains("Kari"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn anonymise(mut self) -> AnonymisedBuyer {
        AnonymisedBuyer {
            id: self.id,
            receivables: std::mem::take(&mut self.receivables),
            created: self.created,
        }
        // `self` drops here and `ZeroizeOnDrop` wipes the strings.
    }
}

/// A product in the account's product list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct Product {
    /// The service's internal key.
    #[zeroize(skip)]
    pub id: u64,
    /// The product name (free text an account may have filled with a person's name).
    pub name: String,
    /// Free-text description.
    pub description: String,
    /// The unit price.
    #[zeroize(skip)]
    pub unit_price: Decimal,
}

/// A product after anonymisation: the key and the price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymisedProduct {
    /// The service's internal key.
    pub id: u64,
    /// The unit price.
    pub unit_price: Decimal,
}

impl Product {
    /// Anonymises the product irreversibly: names and descriptions are free text.
    #[must_use]
    pub fn anonymise(self) -> AnonymisedProduct {
        AnonymisedProduct {
            id: self.id,
            unit_price: self.unit_price,
        }
    }
}
