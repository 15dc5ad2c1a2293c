//! Low-balance notices: "mail me when the balance falls below X", per
//! person and child.

use saldo_core::ids::{ChildId, PersonId};
use saldo_core::Money;
use sqlx::Row;

use crate::{micros, Result, Store, Tx};

/// Someone to tell that a child's balance fell below their threshold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LowBalanceWatcher {
    pub person_id: PersonId,
    pub email: Option<String>,
    pub lang: String,
    pub threshold: Money,
}

impl Tx {
    /// Sets (or changes) the person's threshold for the child.
    pub async fn set_low_balance_notice(
        &mut self,
        person_id: &PersonId,
        child_id: &ChildId,
        threshold: Money,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO low_balance_notice (person_id, child_id, threshold_ore, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (person_id, child_id) DO UPDATE SET threshold_ore = $3",
        )
        .bind(person_id)
        .bind(child_id)
        .bind(threshold.ore())
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Ends the person's notice for the child; answers whether there was one.
    pub async fn clear_low_balance_notice(&mut self, person_id: &PersonId, child_id: &ChildId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM low_balance_notice WHERE person_id = $1 AND child_id = $2")
            .bind(person_id)
            .bind(child_id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whoever's threshold the balance just crossed on its way down: at or
    /// above it `before`, below it `after`. One mail per dip, with no state to
    /// keep: the next dip is the next crossing.
    pub async fn low_balance_crossed(
        &mut self,
        child_id: &ChildId,
        before: Money,
        after: Money,
    ) -> Result<Vec<LowBalanceWatcher>> {
        let rows = sqlx::query(
            "SELECT n.person_id, p.email, p.lang, n.threshold_ore FROM low_balance_notice n
             JOIN person p ON p.id = n.person_id
             JOIN relation r ON r.person_id = n.person_id AND r.child_id = n.child_id
             WHERE n.child_id = $1 AND n.threshold_ore <= $2 AND n.threshold_ore > $3
             ORDER BY n.person_id",
        )
        .bind(child_id)
        .bind(before.ore())
        .bind(after.ore())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LowBalanceWatcher {
                    person_id: r.try_get("person_id")?,
                    email: r.try_get("email")?,
                    lang: r.try_get("lang")?,
                    threshold: Money::from_ore(r.try_get("threshold_ore")?),
                })
            })
            .collect()
    }
}

impl Store {
    /// The person's threshold for the child, if they asked to be told.
    pub async fn low_balance_notice(&self, person_id: &PersonId, child_id: &ChildId) -> Result<Option<Money>> {
        let row = sqlx::query("SELECT threshold_ore FROM low_balance_notice WHERE person_id = $1 AND child_id = $2")
            .bind(person_id)
            .bind(child_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok(Money::from_ore(r.try_get("threshold_ore")?))).transpose()
    }
}
