//! Disclosure: whether data may be handed to someone, asked the same way by every export path.
//!
//! The seed service promises that nothing goes to a third party (an accountant, an auditor,
//! the tax authority, the police or anyone else) except on a decision by the authorities. The
//! account holder's own data may always go to the account holder; an account holder who wants
//! their accountant to have it exports it and hands it over themselves.

use serde::{Deserialize, Serialize};

/// Who asks for the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Requester {
    /// The account holder, asking for the account's own data (not a third party).
    AccountHolder = 0,
    /// The account holder's accountant.
    Accountant = 1,
    /// An auditor.
    Auditor = 2,
    /// The tax authority (Skatteetaten).
    TaxAuthority = 3,
    /// The police or the prosecuting authority.
    Police = 4,
    /// Anyone else.
    Other = 5,
}

/// The legal basis the requester gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum LegalBasis {
    /// None.
    None = 0,
    /// The account holder's consent or instruction.
    AccountHolderConsent = 1,
    /// A decision by the authorities (a court order, a seizure, an order under the tax
    /// administration act), identified by its reference.
    AuthorityDecision = 2,
}

/// Why a disclosure was allowed or refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum DisclosureReason {
    /// The account holder asks for the account's own data.
    OwnData = 0,
    /// A decision by the authorities, with a reference, orders the disclosure.
    AuthorityDecision = 1,
    /// A third party without a decision by the authorities.
    NoAuthorityDecision = 2,
    /// A decision by the authorities was claimed without a reference to record.
    MissingReference = 3,
}

/// The answer to a disclosure request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DisclosureDecision {
    /// Whether the data may be handed over.
    pub allowed: bool,
    /// The rule that decided.
    pub reason: DisclosureReason,
}

impl DisclosureDecision {
    /// An English sentence stating the decision and the rule.
    #[must_use]
    pub const fn explain(&self) -> &'static str {
        match self.reason {
            DisclosureReason::OwnData => {
                "allowed: the account holder may always have the account's own data"
            }
            DisclosureReason::AuthorityDecision => {
                "allowed: a decision by the authorities orders the disclosure; record its reference"
            }
            DisclosureReason::NoAuthorityDecision => {
                "refused: data goes to a third party only on a decision by the authorities; the \
                 account holder may export the data and hand it over themselves"
            }
            DisclosureReason::MissingReference => {
                "refused: a decision by the authorities must be identified by its reference before \
                 anything is disclosed"
            }
        }
    }
}

/// Decides whether `requester` may have the data on `basis`.
///
/// `decision_reference` is the reference of the authorities' decision (case number), which
/// must be given for [`LegalBasis::AuthorityDecision`] so the export can be audited.
///
/// # Examples
///
/// ```
/// use tillit::retention::{LegalBasis, Requester, disclosure};
///
/// assert!(!disclosure(Requester::Accountant, LegalBasis::AccountHolderConsent, None).allowed);
/// assert!(!disclosure(Requester::Police, LegalBasis::None, None).allowed);
/// assert!(disclosure(Requester::Police, LegalBasis::AuthorityDecision, Some("23-123456TVI-OTIR/05")).allowed);
/// ```
#[must_use]
pub fn disclosure(
    requester: Requester,
    basis: LegalBasis,
    decision_reference: Option<&str>,
) -> DisclosureDecision {
    let (allowed, reason) = match (requester, basis) {
        (Requester::AccountHolder, _) => (true, DisclosureReason::OwnData),
        (_, LegalBasis::AuthorityDecision) => {
            if decision_reference.is_some_and(|r| !r.trim().is_empty()) {
                (true, DisclosureReason::AuthorityDecision)
            } else {
                (false, DisclosureReason::MissingReference)
            }
        }
        (_, LegalBasis::None | LegalBasis::AccountHolderConsent) => {
            (false, DisclosureReason::NoAuthorityDecision)
        }
    };
    DisclosureDecision { allowed, reason }
}
