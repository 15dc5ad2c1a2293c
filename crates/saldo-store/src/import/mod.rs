//! The move-over from the old system: what the database already holds, keyed
//! the way the old system's export is (legacy numbers, card numbers), and the
//! batched writes an import of thousands of children needs to take seconds.
//!
//! Balances are not written here: they move by journal entries through
//! [`Tx::post`](crate::Tx::post), like every other balance.

mod batch;
mod existing;
mod lookups;
mod writes;

pub use existing::{
    ExistingAgreement, ExistingCard, ExistingChild, ExistingData, ExistingInstitution, ExistingPerson, ExistingWallet,
};
pub use lookups::AgreementRow;
pub use writes::{NewAgreement, NewCard, NewChild, NewInstitution, NewPerson, NewWallet, SavedCard};
