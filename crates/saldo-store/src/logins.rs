//! Logging in over OpenID Connect: authorization requests in flight (single
//! use, short-lived), subjects bound to people, first MitID logins waiting
//! for their e-mail link, CPR numbers as keyed hashes, and how a session's
//! person last proved who they are.

use saldo_core::ids::PersonId;
use sqlx::Row;

use crate::{micros, Result, StaffRole, Store, Tx};

/// An authorization request as Saldo started it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginFlow {
    pub state_hash: String,
    /// `parents` or `staff`.
    pub audience: String,
    /// `login` or `step_up`.
    pub purpose: String,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub session_hash: Option<String>,
    pub return_to: String,
}

/// A first MitID login waiting to be tied to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSubject {
    pub issuer: String,
    pub subject: String,
    pub name: String,
    pub proved_at: Option<i64>,
}

/// A used binding link: the pending subject and the person it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectLink {
    pub pending: PendingSubject,
    pub person_id: PersonId,
}

impl Tx {
    pub async fn create_login_flow(
        &mut self,
        flow: &LoginFlow,
        at: jiff::Timestamp,
        expires: jiff::Timestamp,
    ) -> Result<()> {
        // Requests nobody came back from are kept a day, then dropped.
        sqlx::query("DELETE FROM login_flow WHERE expires_at < $1")
            .bind(micros(at) - 86_400_000_000)
            .execute(self.conn())
            .await?;
        sqlx::query(
            "INSERT INTO login_flow (state_hash, audience, purpose, browser_hash, nonce, pkce_verifier, session_hash,
                                     return_to, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&flow.state_hash)
        .bind(&flow.audience)
        .bind(&flow.purpose)
        .bind(&flow.browser_hash)
        .bind(&flow.nonce)
        .bind(&flow.pkce_verifier)
        .bind(&flow.session_hash)
        .bind(&flow.return_to)
        .bind(micros(at))
        .bind(micros(expires))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Takes an authorization request once: it is gone whether or not what
    /// follows succeeds, so a callback cannot be replayed.
    pub async fn take_login_flow(&mut self, state_hash: &str, at: jiff::Timestamp) -> Result<Option<LoginFlow>> {
        let row = sqlx::query(
            "UPDATE login_flow SET used_at = $1 WHERE state_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING state_hash, audience, purpose, browser_hash, nonce, pkce_verifier, session_hash, return_to",
        )
        .bind(micros(at))
        .bind(state_hash)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok(LoginFlow {
                state_hash: r.try_get("state_hash")?,
                audience: r.try_get("audience")?,
                purpose: r.try_get("purpose")?,
                browser_hash: r.try_get("browser_hash")?,
                nonce: r.try_get("nonce")?,
                pkce_verifier: r.try_get("pkce_verifier")?,
                session_hash: r.try_get("session_hash")?,
                return_to: r.try_get("return_to")?,
            })
        })
        .transpose()
    }

    /// Binds a subject to a person for good. False when the subject is bound
    /// already, or the person already has a subject for this audience.
    pub async fn bind_subject(
        &mut self,
        issuer: &str,
        subject: &str,
        audience: &str,
        person_id: &PersonId,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let taken = sqlx::query(
            "SELECT COUNT(*) AS n FROM login_subject WHERE (issuer = $1 AND subject = $2) OR (audience = $3 AND person_id = $4)",
        )
        .bind(issuer)
        .bind(subject)
        .bind(audience)
        .bind(person_id)
        .fetch_one(self.conn())
        .await?
        .try_get::<i64, _>("n")?;
        if taken > 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO login_subject (issuer, subject, audience, person_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(issuer)
        .bind(subject)
        .bind(audience)
        .bind(person_id)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(true)
    }

    pub async fn create_pending_subject(
        &mut self,
        pending_hash: &str,
        pending: &PendingSubject,
        at: jiff::Timestamp,
        expires: jiff::Timestamp,
    ) -> Result<()> {
        // First logins nobody finished are kept a day past their end, then dropped with their links.
        let stale = micros(at) - 86_400_000_000;
        sqlx::query(
            "DELETE FROM subject_link WHERE pending_hash IN (SELECT pending_hash FROM pending_subject WHERE expires_at < $1)",
        )
        .bind(stale)
        .execute(self.conn())
        .await?;
        sqlx::query("DELETE FROM pending_subject WHERE expires_at < $1").bind(stale).execute(self.conn()).await?;
        sqlx::query(
            "INSERT INTO pending_subject (pending_hash, issuer, subject, name, proved_at, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(pending_hash)
        .bind(&pending.issuer)
        .bind(&pending.subject)
        .bind(&pending.name)
        .bind(pending.proved_at)
        .bind(micros(at))
        .bind(micros(expires))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn create_subject_link(
        &mut self,
        token_hash: &str,
        pending_hash: &str,
        person_id: &PersonId,
        at: jiff::Timestamp,
        expires: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO subject_link (token_hash, pending_hash, person_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(pending_hash)
        .bind(person_id)
        .bind(micros(at))
        .bind(micros(expires))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Uses a binding link once, and only in the browser that logged in with
    /// MitID (its pending cookie's hash).
    pub async fn use_subject_link(
        &mut self,
        token_hash: &str,
        pending_hash: &str,
        at: jiff::Timestamp,
    ) -> Result<Option<SubjectLink>> {
        let row = sqlx::query(
            "UPDATE subject_link SET used_at = $1
             WHERE token_hash = $2 AND pending_hash = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING person_id",
        )
        .bind(micros(at))
        .bind(token_hash)
        .bind(pending_hash)
        .fetch_optional(self.conn())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let person_id: PersonId = row.try_get("person_id")?;
        let pending =
            sqlx::query("SELECT issuer, subject, name, proved_at FROM pending_subject WHERE pending_hash = $1")
                .bind(pending_hash)
                .fetch_optional(self.conn())
                .await?;
        pending.map(|r| Ok(SubjectLink { pending: pending_from(&r)?, person_id: person_id.clone() })).transpose()
    }

    pub async fn set_person_cpr_hash(&mut self, person_id: &PersonId, cpr_hash: &str) -> Result<()> {
        sqlx::query("UPDATE person SET cpr_hash = $1 WHERE id = $2")
            .bind(cpr_hash)
            .bind(person_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Records how the session's person proved who they are, and when.
    pub async fn set_session_proof(
        &mut self,
        id_hash: &str,
        proof: &str,
        proved_at: Option<jiff::Timestamp>,
        via: &str,
    ) -> Result<()> {
        sqlx::query("UPDATE session SET proof = $1, proved_at = $2, via = $3 WHERE id_hash = $4")
            .bind(proof)
            .bind(proved_at.map(micros))
            .bind(via)
            .bind(id_hash)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// A staff member's hats, as the IdP's groups give them at this login:
    /// the old ones go, the new ones come.
    pub async fn replace_staff_roles(&mut self, person_id: &PersonId, roles: &[(StaffRole, String)]) -> Result<()> {
        sqlx::query("DELETE FROM staff_role WHERE person_id = $1").bind(person_id).execute(self.conn()).await?;
        for (role, scope) in roles {
            self.grant_staff_role(person_id, *role, scope).await?;
        }
        Ok(())
    }
}

fn pending_from(r: &sqlx::any::AnyRow) -> Result<PendingSubject> {
    Ok(PendingSubject {
        issuer: r.try_get("issuer")?,
        subject: r.try_get("subject")?,
        name: r.try_get("name")?,
        proved_at: r.try_get("proved_at")?,
    })
}

impl Store {
    /// The person a provider's subject is bound to.
    pub async fn subject_person(&self, issuer: &str, subject: &str) -> Result<Option<PersonId>> {
        let row = sqlx::query("SELECT person_id FROM login_subject WHERE issuer = $1 AND subject = $2")
            .bind(issuer)
            .bind(subject)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get("person_id")).transpose().map_err(Into::into)
    }

    /// Whether the person has a subject bound for this audience (a MitID, for `parents`).
    pub async fn has_subject(&self, audience: &str, person_id: &PersonId) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM login_subject WHERE audience = $1 AND person_id = $2")
            .bind(audience)
            .bind(person_id)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    pub async fn person_by_cpr_hash(&self, cpr_hash: &str) -> Result<Option<PersonId>> {
        let row =
            sqlx::query("SELECT id FROM person WHERE cpr_hash = $1").bind(cpr_hash).fetch_optional(self.pool()).await?;
        row.map(|r| r.try_get("id")).transpose().map_err(Into::into)
    }

    /// A first MitID login waiting in this browser, if it has not expired.
    pub async fn pending_subject(&self, pending_hash: &str, at: jiff::Timestamp) -> Result<Option<PendingSubject>> {
        let row = sqlx::query(
            "SELECT issuer, subject, name, proved_at FROM pending_subject WHERE pending_hash = $1 AND expires_at > $2",
        )
        .bind(pending_hash)
        .bind(micros(at))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(pending_from).transpose()
    }
}
