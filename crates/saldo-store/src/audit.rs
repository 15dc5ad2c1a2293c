//! The audit log: who changed rights, money or card state, when, from where.

use crate::{micros, new_id, Result, Tx};

impl Tx {
    pub async fn audit(
        &mut self,
        actor: &str,
        action: &str,
        subject: impl AsRef<str>,
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
        .bind(subject.as_ref())
        .bind(detail)
        .bind(source)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

impl crate::Store {
    /// The audit log about one subject, oldest first.
    pub async fn audit_of(&self, subject: impl AsRef<str>) -> Result<Vec<AuditEntry>> {
        use sqlx::Row;
        let rows =
            sqlx::query("SELECT actor, action, subject, detail FROM audit_log WHERE subject = $1 ORDER BY at, id")
                .bind(subject.as_ref())
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
