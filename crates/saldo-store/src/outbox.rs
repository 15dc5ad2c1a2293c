//! The outbox: side effects written with the change that causes them, and
//! claimed by the job runner with a lease, so each is done at least once.

use sqlx::Row;

use crate::{micros, new_id, Result, Store, Tx};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

impl Tx {
    /// Queues a side effect, due at `due`; it happens only if this transaction commits.
    pub async fn queue(
        &mut self,
        kind: &str,
        payload: &str,
        at: jiff::Timestamp,
        due: jiff::Timestamp,
    ) -> Result<String> {
        let id = new_id("job");
        sqlx::query("INSERT INTO outbox (id, kind, payload, created_at, available_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(kind)
            .bind(payload)
            .bind(micros(at))
            .bind(micros(due))
            .execute(self.conn())
            .await?;
        Ok(id)
    }
}

impl Store {
    /// Takes up to `limit` due jobs for `lease`: no other worker takes them
    /// until the lease runs out. PostgreSQL skips rows another worker is
    /// claiming; SQLite has one writer, so claims cannot overlap.
    pub async fn claim_jobs(&self, at: jiff::Timestamp, lease_until: jiff::Timestamp, limit: i64) -> Result<Vec<Job>> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM outbox
                          WHERE done_at IS NULL AND available_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2)
                          ORDER BY available_at LIMIT $3 {})
             RETURNING id, kind, payload, attempts",
            self.engine().skip_locked()
        );
        let rows =
            sqlx::query(&sql).bind(micros(lease_until)).bind(micros(at)).bind(limit).fetch_all(tx.conn()).await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(Job {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Extends this worker's claim on a job; false when the job is no longer
    /// this claim's (taken again after the lease ran out, each claim counting
    /// an attempt, or done).
    pub async fn renew_lease(&self, id: &str, attempts: i64, until: jiff::Timestamp) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done =
            sqlx::query("UPDATE outbox SET claimed_until = $1 WHERE id = $2 AND attempts = $3 AND done_at IS NULL")
                .bind(micros(until))
                .bind(id)
                .bind(attempts)
                .execute(tx.conn())
                .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn finish_job(&self, id: &str, at: jiff::Timestamp) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE outbox SET done_at = $1, claimed_until = NULL, last_error = NULL WHERE id = $2")
            .bind(micros(at))
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }

    /// Records a failure; the job is tried again at `retry_at`, or never if `None`.
    pub async fn fail_job(
        &self,
        id: &str,
        error: &str,
        retry_at: Option<jiff::Timestamp>,
        at: jiff::Timestamp,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let (available, done) = match retry_at {
            Some(retry) => (Some(micros(retry)), None),
            None => (None, Some(micros(at))),
        };
        sqlx::query(
            "UPDATE outbox SET last_error = $1, claimed_until = NULL,
                 available_at = COALESCE($2, available_at), done_at = $3 WHERE id = $4",
        )
        .bind(error)
        .bind(available)
        .bind(done)
        .bind(id)
        .execute(tx.conn())
        .await?;
        tx.commit().await
    }

    /// The newest jobs of a kind, newest first (the demo's mailbox).
    pub async fn recent_jobs(&self, kind: &str, limit: i64) -> Result<Vec<(Job, i64, Option<String>)>> {
        let rows = sqlx::query(
            "SELECT id, kind, payload, attempts, created_at, last_error FROM outbox WHERE kind = $1
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(kind)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    Job {
                        id: r.try_get("id")?,
                        kind: r.try_get("kind")?,
                        payload: r.try_get("payload")?,
                        attempts: r.try_get("attempts")?,
                    },
                    r.try_get("created_at")?,
                    r.try_get("last_error")?,
                ))
            })
            .collect()
    }
}

/// The outbox at a glance, for `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobStats {
    pub pending: i64,
    pub oldest_pending_created_at: Option<i64>,
    pub failing: i64,
    pub given_up: i64,
}

impl Store {
    pub async fn job_stats(&self) -> Result<JobStats> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM outbox WHERE done_at IS NULL) AS pending,
                    (SELECT MIN(created_at) FROM outbox WHERE done_at IS NULL) AS oldest,
                    (SELECT COUNT(*) FROM outbox WHERE done_at IS NULL AND last_error IS NOT NULL) AS failing,
                    (SELECT COUNT(*) FROM outbox WHERE done_at IS NOT NULL AND last_error IS NOT NULL) AS given_up",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(JobStats {
            pending: row.try_get("pending")?,
            oldest_pending_created_at: row.try_get("oldest")?,
            failing: row.try_get("failing")?,
            given_up: row.try_get("given_up")?,
        })
    }
}

/// One kind of job at a glance, for the operator's job queue page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobKindStats {
    pub kind: String,
    /// Not done yet, those failing included.
    pub waiting: i64,
    /// Waiting, and the last attempt failed: it will be tried again.
    pub failing: i64,
    /// Tried too often: done, with the last error kept.
    pub given_up: i64,
    /// Done without error since the `since` asked for.
    pub done_recently: i64,
    pub oldest_waiting_created_at: Option<i64>,
}

/// A job that failed, as the operator's page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TroubledJob {
    pub job: Job,
    pub created_at: i64,
    /// When it is tried next; `None` once given up.
    pub available_at: Option<i64>,
    pub given_up: bool,
    pub last_error: String,
}

impl Store {
    /// Every kind of job with its counts; done jobs count only since `since`
    /// (the outbox keeps them all).
    pub async fn job_kind_stats(&self, since: jiff::Timestamp) -> Result<Vec<JobKindStats>> {
        let rows = sqlx::query(
            "SELECT kind,
                    COUNT(CASE WHEN done_at IS NULL THEN 1 END) AS waiting,
                    COUNT(CASE WHEN done_at IS NULL AND last_error IS NOT NULL THEN 1 END) AS failing,
                    COUNT(CASE WHEN done_at IS NOT NULL AND last_error IS NOT NULL THEN 1 END) AS given_up,
                    COUNT(CASE WHEN done_at >= $1 AND last_error IS NULL THEN 1 END) AS done_recently,
                    MIN(CASE WHEN done_at IS NULL THEN created_at END) AS oldest
             FROM outbox GROUP BY kind ORDER BY kind",
        )
        .bind(micros(since))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(JobKindStats {
                    kind: r.try_get("kind")?,
                    waiting: r.try_get("waiting")?,
                    failing: r.try_get("failing")?,
                    given_up: r.try_get("given_up")?,
                    done_recently: r.try_get("done_recently")?,
                    oldest_waiting_created_at: r.try_get("oldest")?,
                })
            })
            .collect()
    }

    /// Jobs failing or given up, newest first.
    pub async fn troubled_jobs(&self, limit: i64) -> Result<Vec<TroubledJob>> {
        let rows = sqlx::query(
            "SELECT id, kind, payload, attempts, created_at, available_at, done_at, last_error FROM outbox
             WHERE last_error IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT $1",
        )
        .bind(limit.clamp(1, 500))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let done_at: Option<i64> = r.try_get("done_at")?;
                Ok(TroubledJob {
                    job: Job {
                        id: r.try_get("id")?,
                        kind: r.try_get("kind")?,
                        payload: r.try_get("payload")?,
                        attempts: r.try_get("attempts")?,
                    },
                    created_at: r.try_get("created_at")?,
                    available_at: if done_at.is_some() { None } else { Some(r.try_get("available_at")?) },
                    given_up: done_at.is_some(),
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// Makes a given-up job due at `at`, with its attempts counted from zero;
    /// its last error stays until it runs. Answers the job's kind, or `None`
    /// if there is no such given-up job (already taken up again, or never failed).
    pub async fn retry_given_up_job(&mut self, id: &str, at: jiff::Timestamp) -> Result<Option<String>> {
        let row = sqlx::query(
            "UPDATE outbox SET done_at = NULL, available_at = $1, attempts = 0, claimed_until = NULL
             WHERE id = $2 AND done_at IS NOT NULL AND last_error IS NOT NULL
             RETURNING kind",
        )
        .bind(micros(at))
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| r.try_get("kind")).transpose().map_err(Into::into)
    }
}
