//! The webshop's menus: dishes per sales point and day, the sales point's
//! deadlines, and the days an institution does not serve.

use saldo_core::ids::{InstitutionId, ProductId, SalesPointId};
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{micros, new_id, Result, Store, StoreError, Tx};

/// A dish on one day's menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DishRow {
    pub id: String,
    pub sales_point_id: SalesPointId,
    /// `2026-12-09`, the local serving day.
    pub day: String,
    pub name: String,
    pub category: String,
    pub price: Money,
    /// The stored allergen codes (`gluten,milk`).
    pub allergens: String,
    pub portion_limit: Option<i64>,
    /// Portions paid and not cancelled.
    pub ordered: i64,
}

/// A dish to put on a day's menu.
#[derive(Clone, Debug)]
pub struct NewDish<'a> {
    pub sales_point_id: &'a SalesPointId,
    pub day: &'a str,
    pub name: &'a str,
    pub category: &'a str,
    pub price: Money,
    pub allergens: &'a str,
    pub portion_limit: Option<i64>,
    pub product_id: Option<&'a ProductId>,
}

/// A sales point's deadlines as stored: minutes after local midnight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermsRow {
    pub order_days_before: i64,
    pub order_until_minute: i64,
    pub cancel_until_minute: i64,
    pub uncollected: String,
}

const DISH_COLUMNS: &str = "id, sales_point_id, day, name, category, price_ore, allergens, portion_limit, ordered";

pub(crate) fn dish_from(r: &AnyRow) -> Result<DishRow> {
    Ok(DishRow {
        id: r.try_get("id")?,
        sales_point_id: r.try_get("sales_point_id")?,
        day: r.try_get("day")?,
        name: r.try_get("name")?,
        category: r.try_get("category")?,
        price: Money::from_ore(r.try_get("price_ore")?),
        allergens: r.try_get("allergens")?,
        portion_limit: r.try_get("portion_limit")?,
        ordered: r.try_get("ordered")?,
    })
}

impl Tx {
    pub async fn add_dish(&mut self, d: &NewDish<'_>, at: jiff::Timestamp) -> Result<String> {
        let id = new_id("dish");
        sqlx::query(
            "INSERT INTO shop_dish (id, sales_point_id, day, name, category, price_ore, allergens, portion_limit,
                                    product_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(d.sales_point_id)
        .bind(d.day)
        .bind(d.name)
        .bind(d.category)
        .bind(d.price.ore())
        .bind(d.allergens)
        .bind(d.portion_limit)
        .bind(d.product_id)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// Takes a dish off its day, only while nobody has it ordered.
    pub async fn remove_dish(&mut self, sales_point_id: &SalesPointId, dish_id: &str) -> Result<bool> {
        let done =
            sqlx::query("UPDATE shop_dish SET removed = 1 WHERE id = $1 AND sales_point_id = $2 AND ordered = 0")
                .bind(dish_id)
                .bind(sales_point_id)
                .execute(self.conn())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn dish(&mut self, dish_id: &str) -> Result<Option<DishRow>> {
        let sql = format!("SELECT {DISH_COLUMNS} FROM shop_dish WHERE id = $1 AND removed = 0");
        let row = sqlx::query(&sql).bind(dish_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(dish_from).transpose()
    }

    /// Takes `quantity` portions of a dish: one conditional write, so two
    /// baskets cannot together take more than the portion limit.
    pub async fn take_portions(&mut self, dish_id: &str, quantity: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE shop_dish SET ordered = ordered + $1
             WHERE id = $2 AND removed = 0 AND (portion_limit IS NULL OR ordered + $1 <= portion_limit)",
        )
        .bind(quantity)
        .bind(dish_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives cancelled portions back to the dish.
    pub async fn release_portions(&mut self, dish_id: &str, quantity: i64) -> Result<()> {
        let done = sqlx::query("UPDATE shop_dish SET ordered = ordered - $1 WHERE id = $2 AND ordered >= $1")
            .bind(quantity)
            .bind(dish_id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Corrupt(format!("dish {dish_id} has fewer than {quantity} portions ordered")));
        }
        Ok(())
    }

    pub async fn set_shop_terms(
        &mut self,
        sales_point_id: &SalesPointId,
        terms: &TermsRow,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO shop_terms (sales_point_id, order_days_before, order_until_minute, cancel_until_minute,
                                     uncollected, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (sales_point_id) DO UPDATE SET order_days_before = $2, order_until_minute = $3,
                 cancel_until_minute = $4, uncollected = $5, updated_at = $6",
        )
        .bind(sales_point_id)
        .bind(terms.order_days_before)
        .bind(terms.order_until_minute)
        .bind(terms.cancel_until_minute)
        .bind(&terms.uncollected)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Marks a day closed (or changes why); weekends need no row.
    pub async fn close_day(&mut self, institution_id: &InstitutionId, day: &str, reason: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO closed_day (institution_id, day, reason) VALUES ($1, $2, $3)
             ON CONFLICT (institution_id, day) DO UPDATE SET reason = $3",
        )
        .bind(institution_id)
        .bind(day)
        .bind(reason)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn open_day(&mut self, institution_id: &InstitutionId, day: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM closed_day WHERE institution_id = $1 AND day = $2")
            .bind(institution_id)
            .bind(day)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn shop_terms(&mut self, sales_point_id: &SalesPointId) -> Result<Option<TermsRow>> {
        let row = sqlx::query(TERMS_SQL).bind(sales_point_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(terms_from).transpose()
    }

    /// The closed days of the institution a sales point belongs to, from `from` on.
    pub async fn closed_days_of(&mut self, sales_point_id: &SalesPointId, from: &str) -> Result<Vec<String>> {
        let rows =
            sqlx::query(CLOSED_OF_SALES_POINT_SQL).bind(sales_point_id).bind(from).fetch_all(self.conn()).await?;
        rows.iter().map(|r| Ok(r.try_get("day")?)).collect()
    }
}

const TERMS_SQL: &str = "SELECT order_days_before, order_until_minute, cancel_until_minute, uncollected
                         FROM shop_terms WHERE sales_point_id = $1";

const CLOSED_OF_SALES_POINT_SQL: &str =
    "SELECT c.day FROM closed_day c JOIN sales_point s ON s.institution_id = c.institution_id
     WHERE s.id = $1 AND c.day >= $2 ORDER BY c.day";

fn terms_from(r: &AnyRow) -> Result<TermsRow> {
    Ok(TermsRow {
        order_days_before: r.try_get("order_days_before")?,
        order_until_minute: r.try_get("order_until_minute")?,
        cancel_until_minute: r.try_get("cancel_until_minute")?,
        uncollected: r.try_get("uncollected")?,
    })
}

impl Store {
    /// The dishes of a sales point from `from` to `to` (days, inclusive), by day and name.
    pub async fn dishes(&self, sales_point_id: &SalesPointId, from: &str, to: &str) -> Result<Vec<DishRow>> {
        let sql = format!(
            "SELECT {DISH_COLUMNS} FROM shop_dish
             WHERE sales_point_id = $1 AND day >= $2 AND day <= $3 AND removed = 0 ORDER BY day, created_at, id"
        );
        let rows = sqlx::query(&sql).bind(sales_point_id).bind(from).bind(to).fetch_all(self.pool()).await?;
        rows.iter().map(dish_from).collect()
    }

    pub async fn shop_terms(&self, sales_point_id: &SalesPointId) -> Result<Option<TermsRow>> {
        let row = sqlx::query(TERMS_SQL).bind(sales_point_id).fetch_optional(self.pool()).await?;
        row.as_ref().map(terms_from).transpose()
    }

    pub async fn closed_days_of(&self, sales_point_id: &SalesPointId, from: &str) -> Result<Vec<String>> {
        let rows =
            sqlx::query(CLOSED_OF_SALES_POINT_SQL).bind(sales_point_id).bind(from).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get("day")?)).collect()
    }

    /// An institution's closed days from `from` on, with why: (day, reason).
    pub async fn closed_days(&self, institution_id: &InstitutionId, from: &str) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT day, reason FROM closed_day WHERE institution_id = $1 AND day >= $2 ORDER BY day")
                .bind(institution_id)
                .bind(from)
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(|r| Ok((r.try_get("day")?, r.try_get("reason")?))).collect()
    }

    /// The sales points of the institutions given (a child's school and club), with their names.
    pub async fn sales_points_of(&self, institutions: &[InstitutionId]) -> Result<Vec<(SalesPointId, String)>> {
        let mut found = Vec::new();
        for institution in institutions {
            let rows = sqlx::query("SELECT id, name FROM sales_point WHERE institution_id = $1 ORDER BY name, id")
                .bind(institution)
                .fetch_all(self.pool())
                .await?;
            for r in rows {
                found.push((r.try_get("id")?, r.try_get("name")?));
            }
        }
        Ok(found)
    }

    /// The institution a sales point belongs to.
    pub async fn institution_of(&self, sales_point_id: &SalesPointId) -> Result<Option<InstitutionId>> {
        let row = sqlx::query("SELECT institution_id FROM sales_point WHERE id = $1")
            .bind(sales_point_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok(r.try_get("institution_id")?)).transpose()
    }
}
