//! Idempotency keys: the same key twice moves money once and returns the first answer.

use sqlx::Row;

use crate::{micros, Result, Tx};

/// What the store knows of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First use: go ahead, and `remember` the answer in this transaction.
    New,
    /// Seen before with the same request: here is the first answer.
    Replay { status: u16, response: String },
    /// Seen before with another request: refuse.
    Mismatch,
}

impl Tx {
    /// Claims `key` within `scope` for the request with this hash. A second
    /// request with the same key waits here until the first commits (the
    /// primary key on PostgreSQL, the write lock on SQLite), then sees its answer.
    pub async fn claim_idempotency_key(
        &mut self,
        scope: &str,
        key: &str,
        request_hash: &str,
        at: jiff::Timestamp,
    ) -> Result<Claim> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency (scope, idem_key, request_hash, status, response, created_at)
             VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (scope, idem_key) DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(request_hash)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::New);
        }
        let row =
            sqlx::query("SELECT request_hash, status, response FROM idempotency WHERE scope = $1 AND idem_key = $2")
                .bind(scope)
                .bind(key)
                .fetch_one(self.conn())
                .await?;
        if row.try_get::<String, _>("request_hash")? != request_hash {
            return Ok(Claim::Mismatch);
        }
        let status: i64 = row.try_get("status")?;
        Ok(Claim::Replay { status: u16::try_from(status).unwrap_or(500), response: row.try_get("response")? })
    }

    /// Lets a claimed key go again (the request it was claimed for changed nothing).
    pub async fn forget_idempotency_key(&mut self, scope: &str, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM idempotency WHERE scope = $1 AND idem_key = $2")
            .bind(scope)
            .bind(key)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Stores the answer to a claimed key, in the same transaction as its effects.
    pub async fn remember_answer(&mut self, scope: &str, key: &str, status: u16, response: &str) -> Result<()> {
        sqlx::query("UPDATE idempotency SET status = $1, response = $2 WHERE scope = $3 AND idem_key = $4")
            .bind(i64::from(status))
            .bind(response)
            .bind(scope)
            .bind(key)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
