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

    /// Stores the answer to `key`, unclaimed until now, in the same transaction
    /// as its effects. `false`: the key was used first by another request
    /// (committed, or earlier in this transaction): undo this request's
    /// effects and answer with [`Tx::earlier_answer`]. A second request with
    /// the key waits here until the first commits (the primary key on
    /// PostgreSQL, the one writer on SQLite). One statement, where claiming
    /// first and answering after takes two.
    pub async fn remember_first_answer(
        &mut self,
        scope: &str,
        key: &str,
        request_hash: &str,
        status: u16,
        response: &str,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency (scope, idem_key, request_hash, status, response, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, idem_key) DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(request_hash)
        .bind(i64::from(status))
        .bind(response)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// The answer stored under `key`: a replay of the same request, or a mismatch.
    pub async fn earlier_answer(&mut self, scope: &str, key: &str, request_hash: &str) -> Result<Claim> {
        let row =
            sqlx::query("SELECT request_hash, status, response FROM idempotency WHERE scope = $1 AND idem_key = $2")
                .bind(scope)
                .bind(key)
                .fetch_optional(self.conn())
                .await?;
        earlier(row, request_hash)
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

impl crate::Store {
    /// [`Tx::earlier_answer`] outside a transaction (after the request's own was rolled back).
    pub async fn earlier_answer(&self, scope: &str, key: &str, request_hash: &str) -> Result<Claim> {
        let row =
            sqlx::query("SELECT request_hash, status, response FROM idempotency WHERE scope = $1 AND idem_key = $2")
                .bind(scope)
                .bind(key)
                .fetch_optional(self.pool())
                .await?;
        earlier(row, request_hash)
    }
}

fn earlier(row: Option<sqlx::any::AnyRow>, request_hash: &str) -> Result<Claim> {
    let Some(row) = row else { return Ok(Claim::New) };
    if row.try_get::<String, _>("request_hash")? != request_hash {
        return Ok(Claim::Mismatch);
    }
    let status: i64 = row.try_get("status")?;
    Ok(Claim::Replay { status: u16::try_from(status).unwrap_or(500), response: row.try_get("response")? })
}
