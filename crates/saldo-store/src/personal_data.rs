//! What Saldo holds about one person, for their copy of it (GDPR art. 15):
//! the person's own row and everything tied to them by their id or address.
//! The child's side (wallet, statement, cards) is read by the queries each
//! face already has.

use saldo_core::ids::{ChildId, PersonId};
use sqlx::Row;

use crate::agreements::{agreement_from, AGREEMENT_SELECT};
use crate::deposits::{deposit_from, DEPOSIT_COLUMNS};
use crate::relatives::{invitation_from, INVITATION_COLUMNS};
use crate::withdrawals::{withdrawal_from, SELECT as WITHDRAWAL_SELECT};
use crate::{Agreement, DepositRow, Invitation, Result, Store, WithdrawalRow};

/// A person's own row, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: String,
    pub created_at: i64,
}

/// A person's tie to a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationRecord {
    pub child_id: ChildId,
    pub child_name: String,
    pub kind: String,
    pub since: i64,
}

/// Lists about one person are whole, but bounded: a copy is a file, not a stream.
const MAX_ROWS: i64 = 10_000;

impl Store {
    pub async fn person_record(&self, person_id: &PersonId) -> Result<Option<PersonRecord>> {
        let row =
            sqlx::query("SELECT id, first_name, last_name, email, phone, lang, created_at FROM person WHERE id = $1")
                .bind(person_id)
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| {
            Ok(PersonRecord {
                id: r.try_get("id")?,
                first_name: r.try_get("first_name")?,
                last_name: r.try_get("last_name")?,
                email: r.try_get("email")?,
                phone: r.try_get("phone")?,
                lang: r.try_get("lang")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .transpose()
    }

    /// The children the person is custodian or relative of.
    pub async fn relations_of_person(&self, person_id: &PersonId) -> Result<Vec<RelationRecord>> {
        let rows = sqlx::query(
            "SELECT r.child_id, c.first_name || ' ' || c.last_name AS name, r.kind, r.created_at
             FROM relation r JOIN child c ON c.id = r.child_id WHERE r.person_id = $1 ORDER BY r.created_at, r.child_id",
        )
        .bind(person_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RelationRecord {
                    child_id: r.try_get("child_id")?,
                    child_name: r.try_get("name")?,
                    kind: r.try_get("kind")?,
                    since: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// The deposits the person paid, for any child.
    pub async fn deposits_by_person(&self, person_id: &PersonId) -> Result<Vec<DepositRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {DEPOSIT_COLUMNS} FROM deposit WHERE person_id = $1 ORDER BY created_at, id LIMIT $2"
        ))
        .bind(person_id)
        .bind(MAX_ROWS)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(deposit_from).collect()
    }

    /// The top-up agreements the person set up.
    pub async fn agreements_of_person(&self, person_id: &PersonId) -> Result<Vec<Agreement>> {
        let rows = sqlx::query(&format!("{AGREEMENT_SELECT} WHERE a.person_id = $1 ORDER BY a.id"))
            .bind(person_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(agreement_from).collect()
    }

    /// The payouts the person asked for.
    pub async fn withdrawals_by_person(&self, person_id: &PersonId) -> Result<Vec<WithdrawalRow>> {
        let rows = sqlx::query(&format!("{WITHDRAWAL_SELECT} WHERE w.person_id = $1 ORDER BY w.created_at, w.id"))
            .bind(person_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(withdrawal_from).collect()
    }

    /// Invitations the person sent, or that were sent to their address.
    pub async fn invitations_of_person(&self, person_id: &PersonId, email: &str) -> Result<Vec<Invitation>> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITATION_COLUMNS} FROM relative_invitation WHERE invited_by = $1 OR LOWER(email) = $2
             ORDER BY created_at, id"
        ))
        .bind(person_id)
        .bind(email.to_lowercase())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(invitation_from).collect()
    }
}
