//! The operator's registers (stamdata, issue 19.2): institutions (school,
//! club, youth school) with their numbers and the office that hands out
//! cards, sales points and their tills, staff and their roles; children
//! (add, edit, move to another school or class, leave, come back) and
//! their custodians. Every change is audited. Nothing here touches money:
//! a new child gets an empty account, and a child who leaves keeps theirs
//! until a custodian takes the money out or retention closes it.

mod children;
mod places;

use saldo_store::StoreError;
pub use saldo_store::{ChildEntry, InstitutionEntry, SalesPointEntry, StaffEntry};

pub use children::{
    add_child, add_custodian, child, edit_child, find_children, remove_custodian, set_left, ChildForm, ChildPage,
};
pub use places::{
    add_institution, add_sales_point, edit_institution, grant_role, registers, rename_sales_point, revoke_role,
    set_till_active, Registers, StaffForm,
};

use crate::auth::{Actor, Refusal};
use crate::App;

/// What was wrong with what the operator typed; each has its words in the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// A name is empty or too long.
    Name,
    /// Not school, club or youth school.
    Kind,
    /// A birth date that is not YYYY-MM-DD.
    Date,
    /// The number is another institution's or child's.
    NumberTaken,
    /// Not an e-mail address.
    Email,
    /// Not a role Saldo knows, or a role without the place it is for.
    Role,
    /// The school, club or sales point chosen does not exist (or is of the wrong kind).
    Place,
}

impl Invalid {
    /// The catalogue key of the words for it.
    pub fn key(self) -> &'static str {
        match self {
            Invalid::Name => "master.invalid_name",
            Invalid::Kind => "master.invalid_kind",
            Invalid::Date => "master.invalid_date",
            Invalid::NumberTaken => "master.invalid_number",
            Invalid::Email => "master.invalid_email",
            Invalid::Role => "master.invalid_role",
            Invalid::Place => "master.invalid_place",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("invalid input: {0:?}")]
    Invalid(Invalid),
    #[error("no such institution, sales point, till, person or child")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Invalid> for MasterError {
    fn from(invalid: Invalid) -> Self {
        MasterError::Invalid(invalid)
    }
}

/// Names are one line of at most this many characters.
pub const MAX_NAME: usize = 100;

/// A name as typed, trimmed; refused when empty, too long or with control characters.
pub fn name(text: &str) -> Result<String, Invalid> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_NAME || text.chars().any(char::is_control) {
        return Err(Invalid::Name);
    }
    Ok(text.to_owned())
}

/// An optional short text (a class, a number): empty is none.
pub fn optional(text: &str) -> Result<Option<String>, Invalid> {
    match text.trim() {
        "" => Ok(None),
        text => name(text).map(Some),
    }
}

/// The registers are the operator's; the audit log names them.
fn operator(actor: &Actor) -> Result<String, Refusal> {
    crate::school_sync::must_keep_registers(actor)?;
    Ok(format!("person:{}", actor.person_id))
}

/// Writes a change to the audit log, in the transaction that makes it.
async fn audited(
    app: &App,
    actor: &Actor,
    tx: &mut saldo_store::Tx,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), StoreError> {
    tx.audit(&format!("person:{}", actor.person_id), action, subject, detail, &actor.source, app.now()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_refused_when_empty_or_odd() {
        assert_eq!(name("  Dalum Skole "), Ok("Dalum Skole".into()));
        assert_eq!(name("   "), Err(Invalid::Name));
        assert_eq!(name(&"x".repeat(MAX_NAME + 1)), Err(Invalid::Name));
        assert_eq!(name("a\u{7}b"), Err(Invalid::Name));
        assert_eq!(optional(""), Ok(None));
        assert_eq!(optional(" 3.A "), Ok(Some("3.A".into())));
    }
}
