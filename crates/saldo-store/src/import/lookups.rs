//! Reads of what an import wrote: agreements and cards of a child, a child by
//! the old system's number, and the counts that show an import changed nothing.

use saldo_core::ids::{ChildId, PersonId};
use saldo_core::Money;
use sqlx::Row;

use crate::Result;

/// Top-up agreements of a child, for the portal and the top-up job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementRow {
    pub id: String,
    pub person_id: PersonId,
    pub threshold: Money,
    pub amount: Money,
    pub provider: String,
    pub active: bool,
}

impl crate::Store {
    pub async fn agreements_of_child(&self, child_id: &ChildId) -> Result<Vec<AgreementRow>> {
        let rows = sqlx::query(
            "SELECT id, person_id, threshold_ore, amount_ore, provider, status FROM top_up_agreement
             WHERE child_id = $1 ORDER BY created_at, id",
        )
        .bind(child_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AgreementRow {
                    id: r.try_get("id")?,
                    person_id: r.try_get("person_id")?,
                    threshold: Money::from_ore(r.try_get("threshold_ore")?),
                    amount: Money::from_ore(r.try_get("amount_ore")?),
                    provider: r.try_get("provider")?,
                    active: r.try_get::<String, _>("status")? == "active",
                })
            })
            .collect()
    }

    /// A child by the old system's number.
    pub async fn child_id_by_legacy_no(&self, legacy_no: &str) -> Result<Option<ChildId>> {
        let row = sqlx::query("SELECT id FROM child WHERE legacy_no = $1")
            .bind(legacy_no)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// The cards of a child, in the order they were issued.
    pub async fn cards_of_child(&self, child_id: &ChildId) -> Result<Vec<crate::CardRow>> {
        let rows = sqlx::query(
            "SELECT id, number, chip_uid, child_id, state FROM card WHERE child_id = $1 ORDER BY issued_at, id",
        )
        .bind(child_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(crate::cards::card_from).collect()
    }

    /// How many rows the tables an import writes hold: equal before and after
    /// means an import (or a dry run) changed nothing.
    pub async fn import_snapshot(&self) -> Result<Vec<(String, i64)>> {
        let tables = [
            "municipality",
            "institution",
            "person",
            "child",
            "wallet",
            "relation",
            "card",
            "top_up_agreement",
            "journal_entry",
            "posting",
            "audit_log",
        ];
        let mut counts = Vec::with_capacity(tables.len() + 1);
        for table in tables {
            let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(self.pool()).await?;
            counts.push((table.to_owned(), row.try_get::<i64, _>("n")?));
        }
        // A fingerprint of what the rows say, not only how many there are.
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(balance_ore), 0) AS BIGINT) AS balances,
                    CAST(COALESCE(SUM(daily_limit_ore), 0) AS BIGINT) AS limits,
                    (SELECT COUNT(*) FROM card WHERE state = 'active') AS active_cards,
                    (SELECT COUNT(*) FROM person WHERE email IS NOT NULL) AS emails,
                    (SELECT COUNT(*) FROM relation WHERE kind = 'custodian') AS custodians,
                    (SELECT CAST(COALESCE(SUM(threshold_ore + amount_ore), 0) AS BIGINT) FROM top_up_agreement)
                        AS agreements
             FROM wallet",
        )
        .fetch_one(self.pool())
        .await?;
        for column in ["balances", "limits", "active_cards", "emails", "custodians", "agreements"] {
            counts.push((column.to_owned(), row.try_get::<i64, _>(column)?));
        }
        Ok(counts)
    }
}
