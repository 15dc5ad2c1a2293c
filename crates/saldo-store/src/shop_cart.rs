//! A custodian's webshop basket before it is paid: dishes on several days,
//! under one key (the basket's idempotency key).

use saldo_core::ids::{ChildId, PersonId};
use sqlx::Row;

use crate::{micros, new_id, Result, Store, Tx};

/// A basket not yet paid: its key, and (dish, quantity) lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cart {
    pub key: Option<String>,
    pub lines: Vec<(String, i64)>,
}

impl Tx {
    /// Sets a dish's quantity in the basket (0 takes it out); the first dish starts the basket's key.
    pub async fn set_cart_line(
        &mut self,
        child_id: &ChildId,
        person_id: &PersonId,
        dish_id: &str,
        quantity: i64,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO shop_cart (child_id, person_id, cart_key, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (child_id, person_id) DO NOTHING",
        )
        .bind(child_id)
        .bind(person_id)
        .bind(new_id("cart"))
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        sqlx::query("DELETE FROM shop_cart_line WHERE child_id = $1 AND person_id = $2 AND dish_id = $3")
            .bind(child_id)
            .bind(person_id)
            .bind(dish_id)
            .execute(self.conn())
            .await?;
        if quantity > 0 {
            sqlx::query("INSERT INTO shop_cart_line (child_id, person_id, dish_id, quantity) VALUES ($1, $2, $3, $4)")
                .bind(child_id)
                .bind(person_id)
                .bind(dish_id)
                .bind(quantity)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    pub async fn cart(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<Cart> {
        cart_of(self.conn(), child_id, person_id).await
    }

    /// Empties a paid basket; the next dish starts a new key.
    pub async fn clear_cart(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<()> {
        for table in ["shop_cart_line", "shop_cart"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE child_id = $1 AND person_id = $2"))
                .bind(child_id)
                .bind(person_id)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }
}

impl Store {
    pub async fn cart(&self, child_id: &ChildId, person_id: &PersonId) -> Result<Cart> {
        let mut conn = self.pool().acquire().await?;
        cart_of(&mut conn, child_id, person_id).await
    }
}

async fn cart_of(conn: &mut sqlx::AnyConnection, child_id: &ChildId, person_id: &PersonId) -> Result<Cart> {
    let key = sqlx::query("SELECT cart_key FROM shop_cart WHERE child_id = $1 AND person_id = $2")
        .bind(child_id)
        .bind(person_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get::<String, _>("cart_key"))
        .transpose()?;
    let rows = sqlx::query(
        "SELECT l.dish_id, l.quantity FROM shop_cart_line l JOIN shop_dish d ON d.id = l.dish_id
         WHERE l.child_id = $1 AND l.person_id = $2 ORDER BY d.day, d.created_at, d.id",
    )
    .bind(child_id)
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?;
    let lines = rows.iter().map(|r| Ok((r.try_get("dish_id")?, r.try_get("quantity")?))).collect::<Result<_>>()?;
    Ok(Cart { key, lines })
}
