//! Logging in: single-use login links, sessions, and the rate limits around them.

use saldo_core::ids::PersonId;
use sqlx::Row;

use crate::{micros, Result, Store, Tx};

/// A signed-in session, as each request sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub person_id: PersonId,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// How the person last proved who they are (`mitid`, `email_link`, …), and when.
    pub proof: String,
    pub proved_at: Option<i64>,
    /// The OpenID provider the session came through (`parents`, `staff`), or empty.
    pub via: String,
}

impl Tx {
    pub async fn create_login_token(
        &mut self,
        token_hash: &str,
        person_id: &PersonId,
        at: jiff::Timestamp,
        expires: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query("INSERT INTO login_token (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(person_id)
            .bind(micros(at))
            .bind(micros(expires))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Uses a login token once: the person it belongs to, if it was unused and unexpired.
    pub async fn use_login_token(&mut self, token_hash: &str, at: jiff::Timestamp) -> Result<Option<PersonId>> {
        let row = sqlx::query(
            "UPDATE login_token SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING person_id",
        )
        .bind(micros(at))
        .bind(token_hash)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| r.try_get("person_id")).transpose().map_err(Into::into)
    }

    pub async fn create_session(
        &mut self,
        id_hash: &str,
        person_id: &PersonId,
        csrf_token: &str,
        at: jiff::Timestamp,
        expires: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO session (id_hash, person_id, csrf_token, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(id_hash)
        .bind(person_id)
        .bind(csrf_token)
        .bind(micros(at))
        .bind(micros(expires))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn delete_session(&mut self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM session WHERE id_hash = $1").bind(id_hash).execute(self.conn()).await?;
        Ok(())
    }

    pub async fn touch_session(&mut self, id_hash: &str, at: jiff::Timestamp) -> Result<()> {
        sqlx::query("UPDATE session SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(micros(at))
            .bind(id_hash)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Counts an event in a bucket and answers how many there were since `since`, this one included.
    pub async fn count_rate_event(&mut self, bucket: &str, at: jiff::Timestamp, since: jiff::Timestamp) -> Result<i64> {
        sqlx::query("DELETE FROM rate_event WHERE bucket = $1 AND at < $2")
            .bind(bucket)
            .bind(micros(since))
            .execute(self.conn())
            .await?;
        sqlx::query("INSERT INTO rate_event (bucket, at) VALUES ($1, $2)")
            .bind(bucket)
            .bind(micros(at))
            .execute(self.conn())
            .await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM rate_event WHERE bucket = $1")
            .bind(bucket)
            .fetch_one(self.conn())
            .await?;
        Ok(row.try_get("n")?)
    }
}

impl Store {
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query("SELECT person_id, created_at, last_seen_at, expires_at, proof, proved_at, via FROM session WHERE id_hash = $1",)
            .bind(id_hash)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| {
            Ok(SessionRow {
                person_id: r.try_get("person_id")?,
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
                expires_at: r.try_get("expires_at")?,
                proof: r.try_get("proof")?,
                proved_at: r.try_get("proved_at")?,
                via: r.try_get("via")?,
            })
        })
        .transpose()
    }
}
