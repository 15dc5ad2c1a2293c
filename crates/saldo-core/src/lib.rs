//! The Saldo domain, pure: no IO, no async, no SQL, no HTTP.
//!
//! Everything here can only exist valid (parse, don't validate), and every
//! rule the rest of the system relies on lives next to the type it governs.

pub mod allergen;
pub mod card;
pub mod day;
pub mod email;
pub mod ids;
pub mod ledger;
pub mod lifecycle;
pub mod login;
pub mod money;
pub mod payout;
pub mod period;
pub mod purchase;
pub mod rights;
pub mod shop;
pub mod top_up;

pub use card::{CardIdentifier, CardNumber, CardState, ChipUid};
pub use email::Email;
pub use ids::{
    AgreementId, CardId, CardOrderId, ChildId, DepositId, EntryId, InstitutionId, PersonId, ProductId, SalesPointId,
    TillId, WalletId, WithdrawalId,
};
pub use ledger::{AccountId, Entry, EntryKind, Posting};
pub use money::Money;
