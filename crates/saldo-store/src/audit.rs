//! The audit log: who changed rights, money or card state, when, from where.

use crate::{micros, new_id, Result, Tx};

impl Tx {
    pub async fn audit(
        &mut self,
        actor: &str,
        action: &str,
        subject: &str,
        detail: &str,
        source: &str,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor, action, subject, detail, source) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id("aud"))
        .bind(micros(at))
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .bind(source)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
