//! Standing orders: a custodian's "every Tuesday and Thursday, the hot dish"
//! for a term, and the days the job has charged (or skipped, and why).

use saldo_core::ids::{ChildId, PersonId, SalesPointId};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{micros, new_id, Result, Store, Tx};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandingOrderRow {
    pub id: String,
    pub child_id: ChildId,
    pub person_id: PersonId,
    pub sales_point_id: SalesPointId,
    pub category: String,
    /// ISO weekdays, Monday 1.
    pub weekdays: Vec<i8>,
    pub from_day: String,
    pub to_day: String,
    pub active: bool,
    pub money_mailed: bool,
}

/// A standing order to write.
#[derive(Clone, Debug)]
pub struct NewStandingOrder<'a> {
    pub child_id: &'a ChildId,
    pub person_id: &'a PersonId,
    pub sales_point_id: &'a SalesPointId,
    pub category: &'a str,
    pub weekdays: &'a [i8],
    pub from_day: &'a str,
    pub to_day: &'a str,
}

const COLUMNS: &str =
    "id, child_id, person_id, sales_point_id, category, weekdays, from_day, to_day, active, money_mailed";

fn row_from(r: &AnyRow) -> Result<StandingOrderRow> {
    let weekdays: String = r.try_get("weekdays")?;
    Ok(StandingOrderRow {
        id: r.try_get("id")?,
        child_id: r.try_get("child_id")?,
        person_id: r.try_get("person_id")?,
        sales_point_id: r.try_get("sales_point_id")?,
        category: r.try_get("category")?,
        weekdays: weekdays.split(',').filter_map(|d| d.trim().parse().ok()).collect(),
        from_day: r.try_get("from_day")?,
        to_day: r.try_get("to_day")?,
        active: crate::flag(r, "active")?,
        money_mailed: crate::flag(r, "money_mailed")?,
    })
}

impl Tx {
    pub async fn create_standing_order(&mut self, o: &NewStandingOrder<'_>, at: jiff::Timestamp) -> Result<String> {
        let id = new_id("sto");
        let weekdays: Vec<String> = o.weekdays.iter().map(|d| d.to_string()).collect();
        sqlx::query(
            "INSERT INTO standing_order (id, child_id, person_id, sales_point_id, category, weekdays, from_day, to_day,
                                         created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(o.child_id)
        .bind(o.person_id)
        .bind(o.sales_point_id)
        .bind(o.category)
        .bind(weekdays.join(","))
        .bind(o.from_day)
        .bind(o.to_day)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    pub async fn stop_standing_order(&mut self, child_id: &ChildId, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE standing_order SET active = 0 WHERE id = $1 AND child_id = $2 AND active = 1")
            .bind(id)
            .bind(child_id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims a day of a standing order for the job: false if it was claimed before.
    pub async fn claim_standing_day(&mut self, id: &str, day: &str, at: jiff::Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO standing_order_day (standing_order_id, day, outcome, at) VALUES ($1, $2, 'refused', $3)
             ON CONFLICT (standing_order_id, day) DO NOTHING",
        )
        .bind(id)
        .bind(day)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// What became of a claimed day.
    pub async fn note_standing_day(&mut self, id: &str, day: &str, outcome: &str, basket: Option<&str>) -> Result<()> {
        sqlx::query(
            "UPDATE standing_order_day SET outcome = $1, basket_id = $2 WHERE standing_order_id = $3 AND day = $4",
        )
        .bind(outcome)
        .bind(basket)
        .bind(id)
        .bind(day)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Marks the custodian as told that money ran short; true the first time only.
    pub async fn mark_money_mailed(&mut self, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE standing_order SET money_mailed = 1 WHERE id = $1 AND money_mailed = 0")
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    /// Active standing orders whose term reaches `from` or later.
    pub async fn active_standing_orders(&self, from: &str, limit: i64) -> Result<Vec<StandingOrderRow>> {
        let sql =
            format!("SELECT {COLUMNS} FROM standing_order WHERE active = 1 AND to_day >= $1 ORDER BY id LIMIT $2");
        let rows = sqlx::query(&sql).bind(from).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(row_from).collect()
    }

    pub async fn standing_orders_of(&self, child_id: &ChildId) -> Result<Vec<StandingOrderRow>> {
        let sql = format!("SELECT {COLUMNS} FROM standing_order WHERE child_id = $1 ORDER BY created_at, id");
        let rows = sqlx::query(&sql).bind(child_id).fetch_all(self.pool()).await?;
        rows.iter().map(row_from).collect()
    }

    /// The days of a standing order the job has looked at: (day, outcome).
    pub async fn standing_days(&self, id: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT day, outcome FROM standing_order_day WHERE standing_order_id = $1 ORDER BY day")
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get("day")?, r.try_get("outcome")?))).collect()
    }

    /// The first dish of a category on a day's menu.
    pub async fn dish_of_category(
        &self,
        sales_point_id: &SalesPointId,
        day: &str,
        category: &str,
    ) -> Result<Option<crate::DishRow>> {
        let row = sqlx::query(
            "SELECT id, sales_point_id, day, name, category, price_ore, allergens, portion_limit, ordered FROM shop_dish
             WHERE sales_point_id = $1 AND day = $2 AND category = $3 AND removed = 0 ORDER BY created_at, id LIMIT 1",
        )
        .bind(sales_point_id)
        .bind(day)
        .bind(category)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(crate::shop_menus::dish_from).transpose()
    }
}
