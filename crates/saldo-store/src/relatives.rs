//! Relatives of a child (grandparents…), and the invitations that bring them in.

use saldo_core::ids::{AgreementId, ChildId, PersonId};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{micros, RelationKind, Result, Store, StoreError, Tx};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub child_id: ChildId,
    pub invited_by: PersonId,
    pub email: String,
    pub message: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
}

pub(crate) const INVITATION_COLUMNS: &str =
    "id, child_id, invited_by, email, message, created_at, expires_at, accepted_at, withdrawn_at";

pub(crate) fn invitation_from(r: &AnyRow) -> Result<Invitation> {
    Ok(Invitation {
        id: r.try_get("id")?,
        child_id: r.try_get("child_id")?,
        invited_by: r.try_get("invited_by")?,
        email: r.try_get("email")?,
        message: r.try_get("message")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        accepted_at: r.try_get("accepted_at")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
    })
}

/// A relative as the custodians see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelativeRow {
    pub person_id: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub since: i64,
}

pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub child_id: &'a ChildId,
    pub invited_by: &'a PersonId,
    pub email: &'a str,
    pub message: &'a str,
    pub token_hash: &'a str,
    pub at: jiff::Timestamp,
    pub expires: jiff::Timestamp,
}

impl Tx {
    pub async fn create_invitation(&mut self, i: &NewInvitation<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO relative_invitation (id, child_id, invited_by, email, message, token_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(i.id)
        .bind(i.child_id)
        .bind(i.invited_by)
        .bind(i.email)
        .bind(i.message)
        .bind(i.token_hash)
        .bind(micros(i.at))
        .bind(micros(i.expires))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Uses an invitation once: only if it is neither used, withdrawn nor expired.
    pub async fn accept_invitation(
        &mut self,
        token_hash: &str,
        person_id: &PersonId,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE relative_invitation SET accepted_at = $1, accepted_by = $2
             WHERE token_hash = $3 AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > $1",
        )
        .bind(micros(at))
        .bind(person_id)
        .bind(token_hash)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn withdraw_invitation(&mut self, id: &str, child_id: &ChildId, at: jiff::Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE relative_invitation SET withdrawn_at = $1
             WHERE id = $2 AND child_id = $3 AND accepted_at IS NULL AND withdrawn_at IS NULL",
        )
        .bind(micros(at))
        .bind(id)
        .bind(child_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends a relative's link to a child; answers whether there was one.
    pub async fn remove_relative(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM relation WHERE child_id = $1 AND person_id = $2 AND kind = 'relative'")
            .bind(child_id)
            .bind(person_id)
            .execute(self.conn())
            .await?;
        // They no longer follow the child, so they hear nothing more of its balance.
        self.clear_low_balance_notice(person_id, child_id).await?;
        Ok(done.rows_affected() == 1)
    }

    /// The agreements a person keeps for a child (to end them with the relation).
    pub async fn agreement_ids_of(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<Vec<AgreementId>> {
        let rows = sqlx::query("SELECT id FROM top_up_agreement WHERE child_id = $1 AND person_id = $2")
            .bind(child_id)
            .bind(person_id)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(|r| r.try_get("id").map_err(Into::into)).collect()
    }

    /// Whether the person is already related to the child, and how.
    pub async fn relation_of(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<Option<RelationKind>> {
        let row = sqlx::query("SELECT kind FROM relation WHERE child_id = $1 AND person_id = $2")
            .bind(child_id)
            .bind(person_id)
            .fetch_optional(self.conn())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let text: String = row.try_get("kind")?;
        RelationKind::parse(&text).map(Some).ok_or_else(|| StoreError::Corrupt(format!("relation {text:?}")))
    }
}

impl Store {
    pub async fn invitation_by_token(&self, token_hash: &str) -> Result<Option<Invitation>> {
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM relative_invitation WHERE token_hash = $1");
        let row = sqlx::query(&sql).bind(token_hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(invitation_from).transpose()
    }

    /// Invitations not yet accepted, withdrawn or expired.
    pub async fn pending_invitations(&self, child_id: &ChildId, now: jiff::Timestamp) -> Result<Vec<Invitation>> {
        let sql = format!(
            "SELECT {INVITATION_COLUMNS} FROM relative_invitation
             WHERE child_id = $1 AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2 ORDER BY created_at"
        );
        let rows = sqlx::query(&sql).bind(child_id).bind(micros(now)).fetch_all(self.pool()).await?;
        rows.iter().map(invitation_from).collect()
    }

    pub async fn relatives_of(&self, child_id: &ChildId) -> Result<Vec<RelativeRow>> {
        let rows = sqlx::query(
            "SELECT p.id, p.first_name, p.last_name, p.email, r.created_at FROM relation r JOIN person p ON p.id = r.person_id
             WHERE r.child_id = $1 AND r.kind = 'relative' ORDER BY r.created_at, p.id",
        )
        .bind(child_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let first: String = r.try_get("first_name")?;
                let last: String = r.try_get("last_name")?;
                Ok(RelativeRow {
                    person_id: r.try_get("id")?,
                    name: format!("{first} {last}").trim().to_owned(),
                    email: r.try_get("email")?,
                    since: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
