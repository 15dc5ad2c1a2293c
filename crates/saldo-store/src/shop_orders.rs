//! Webshop orders: paid baskets, each dish for each day, their moves from
//! paid (cancelled, handed out, not collected), and the kitchen's lists.

use saldo_core::ids::{ChildId, EntryId, PersonId, SalesPointId, WalletId};
use saldo_core::shop::ShopOrderState;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{micros, new_id, state_from, Result, Store, Tx};

/// One dish for one day, as ordered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopOrderRow {
    pub id: String,
    pub basket_id: String,
    pub child_id: ChildId,
    pub wallet_id: WalletId,
    pub sales_point_id: SalesPointId,
    pub dish_id: String,
    pub day: String,
    pub name: String,
    pub quantity: i64,
    pub amount: Money,
    pub state: ShopOrderState,
    /// When it was cancelled, handed out or closed as not collected (µs).
    pub closed_at: Option<i64>,
    pub created_at: i64,
}

/// A dish to write into a paid basket.
#[derive(Clone, Debug)]
pub struct NewShopOrder<'a> {
    pub basket_id: &'a str,
    pub child_id: &'a ChildId,
    pub wallet_id: &'a WalletId,
    pub sales_point_id: &'a SalesPointId,
    pub dish_id: &'a str,
    pub day: &'a str,
    pub name: &'a str,
    pub quantity: i64,
    pub amount: Money,
}

/// One line of the kitchen's pick list: a child's dish on the day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickRow {
    pub order_id: String,
    pub child_id: ChildId,
    pub first_name: String,
    pub last_name: String,
    pub class_name: Option<String>,
    /// The custodian's note for the staff (the till's note).
    pub note: String,
    pub name: String,
    pub quantity: i64,
    pub state: ShopOrderState,
    /// When it was cancelled, handed out or closed (µs).
    pub closed_at: Option<i64>,
}

const ORDER_COLUMNS: &str = "id, basket_id, child_id, wallet_id, sales_point_id, dish_id, day, name, quantity,
                             amount_ore, state, closed_at, created_at";

fn order_from(r: &AnyRow) -> Result<ShopOrderRow> {
    Ok(ShopOrderRow {
        id: r.try_get("id")?,
        basket_id: r.try_get("basket_id")?,
        child_id: r.try_get("child_id")?,
        wallet_id: r.try_get("wallet_id")?,
        sales_point_id: r.try_get("sales_point_id")?,
        dish_id: r.try_get("dish_id")?,
        day: r.try_get("day")?,
        name: r.try_get("name")?,
        quantity: r.try_get("quantity")?,
        amount: Money::from_ore(r.try_get("amount_ore")?),
        state: state_from(r, "state")?,
        closed_at: r.try_get("closed_at")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Tx {
    /// Records a paid basket beside its journal entry.
    pub async fn create_basket(
        &mut self,
        child_id: &ChildId,
        wallet_id: &WalletId,
        person_id: &PersonId,
        entry_id: &EntryId,
        total: Money,
        at: jiff::Timestamp,
    ) -> Result<String> {
        let id = new_id("bsk");
        sqlx::query(
            "INSERT INTO shop_basket (id, child_id, wallet_id, person_id, entry_id, total_ore, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(child_id)
        .bind(wallet_id)
        .bind(person_id)
        .bind(entry_id)
        .bind(total.ore())
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    pub async fn add_shop_order(&mut self, o: &NewShopOrder<'_>, at: jiff::Timestamp) -> Result<String> {
        let id = new_id("sho");
        sqlx::query(
            "INSERT INTO shop_order (id, basket_id, child_id, wallet_id, sales_point_id, dish_id, day, name, quantity,
                                     amount_ore, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(o.basket_id)
        .bind(o.child_id)
        .bind(o.wallet_id)
        .bind(o.sales_point_id)
        .bind(o.dish_id)
        .bind(o.day)
        .bind(o.name)
        .bind(o.quantity)
        .bind(o.amount.ore())
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// What a wallet has ordered for `day` and not cancelled: the part of
    /// the day's limit the webshop has taken.
    pub async fn ordered_for_day(&mut self, wallet_id: &WalletId, day: &str) -> Result<Money> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(amount_ore), 0) AS BIGINT) AS total FROM shop_order
             WHERE wallet_id = $1 AND day = $2 AND state IN ('paid', 'handed_out')",
        )
        .bind(wallet_id)
        .bind(day)
        .fetch_one(self.conn())
        .await?;
        Ok(Money::from_ore(row.try_get("total")?))
    }

    pub async fn shop_order(&mut self, order_id: &str) -> Result<Option<ShopOrderRow>> {
        let sql = format!("SELECT {ORDER_COLUMNS} FROM shop_order WHERE id = $1");
        let row = sqlx::query(&sql).bind(order_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(order_from).transpose()
    }

    /// Moves an order from `from` to `to`, only if it is still `from`: of a
    /// cancel and a hand-out racing, exactly one wins.
    pub async fn settle_shop_order(
        &mut self,
        order_id: &str,
        from: ShopOrderState,
        to: ShopOrderState,
        entry_id: Option<&EntryId>,
        by: &str,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        if !saldo_core::lifecycle::Lifecycle::may_become(from, to) {
            return Err(crate::StoreError::NotAllowed(format!("shop order {from} to {to}")));
        }
        let done = sqlx::query(
            "UPDATE shop_order SET state = $1, closed_entry_id = $2, closed_by = $3, closed_at = $4
             WHERE id = $5 AND state = $6",
        )
        .bind(to.as_str())
        .bind(entry_id)
        .bind(by)
        .bind(micros(at))
        .bind(order_id)
        .bind(from.as_str())
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A child's orders at a sales point for a day, every state.
    pub async fn orders_of_child_on(
        &mut self,
        child_id: &ChildId,
        sales_point_id: &SalesPointId,
        day: &str,
    ) -> Result<Vec<ShopOrderRow>> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM shop_order WHERE child_id = $1 AND sales_point_id = $2 AND day = $3
             ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql).bind(child_id).bind(sales_point_id).bind(day).fetch_all(self.conn()).await?;
        rows.iter().map(order_from).collect()
    }

    /// Counts an order's amount towards the wallet's spend on `day`, the day
    /// it is collected. Not a guard: the money was paid and the food made, so
    /// a lunch is never refused here; counter sales after it see less room.
    pub async fn count_towards_day(&mut self, wallet_id: &WalletId, day: &str, amount: Money) -> Result<()> {
        sqlx::query(
            "UPDATE wallet SET
                spent_today_ore = (CASE WHEN spent_day = $1 THEN spent_today_ore ELSE 0 END) + $2,
                spent_day = $1
             WHERE id = $3 AND spent_day <= $1",
        )
        .bind(day)
        .bind(amount.ore())
        .bind(wallet_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    /// A child's orders from `from` on (days), by day.
    pub async fn orders_of_child(&self, child_id: &ChildId, from: &str) -> Result<Vec<ShopOrderRow>> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM shop_order WHERE child_id = $1 AND day >= $2 ORDER BY day, created_at, id"
        );
        let rows = sqlx::query(&sql).bind(child_id).bind(from).fetch_all(self.pool()).await?;
        rows.iter().map(order_from).collect()
    }

    /// Orders still paid for a day before `before`: nobody collected them.
    pub async fn uncollected_before(&self, before: &str, limit: i64) -> Result<Vec<ShopOrderRow>> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM shop_order WHERE state = 'paid' AND day < $1 ORDER BY day, id LIMIT $2"
        );
        let rows = sqlx::query(&sql).bind(before).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(order_from).collect()
    }

    /// The kitchen's pick list: every order of the day, cancelled ones too
    /// (the kitchen's list is frozen at the order deadline), by class and name.
    pub async fn pick_list(&self, sales_point_id: &SalesPointId, day: &str) -> Result<Vec<PickRow>> {
        let rows = sqlx::query(
            "SELECT o.id, o.child_id, c.first_name, c.last_name, c.class_name, c.till_note, o.name, o.quantity, o.state,
                    o.closed_at
             FROM shop_order o JOIN child c ON c.id = o.child_id
             WHERE o.sales_point_id = $1 AND o.day = $2
             ORDER BY c.class_name, c.first_name, c.last_name, o.child_id, o.created_at, o.id",
        )
        .bind(sales_point_id)
        .bind(day)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PickRow {
                    order_id: r.try_get("id")?,
                    child_id: r.try_get("child_id")?,
                    first_name: r.try_get("first_name")?,
                    last_name: r.try_get("last_name")?,
                    class_name: r.try_get("class_name")?,
                    note: r.try_get::<Option<String>, _>("till_note")?.unwrap_or_default(),
                    name: r.try_get("name")?,
                    quantity: r.try_get("quantity")?,
                    state: state_from(r, "state")?,
                    closed_at: r.try_get("closed_at")?,
                })
            })
            .collect()
    }

    /// The allergens marked for the children with orders at a sales point on a day: (child, code).
    pub async fn allergens_on_pick_list(
        &self,
        sales_point_id: &SalesPointId,
        day: &str,
    ) -> Result<Vec<(ChildId, String)>> {
        let rows = sqlx::query(
            "SELECT child_id, allergen FROM child_allergen WHERE child_id IN
                 (SELECT child_id FROM shop_order WHERE sales_point_id = $1 AND day = $2)
             ORDER BY child_id, allergen",
        )
        .bind(sales_point_id)
        .bind(day)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get("child_id")?, r.try_get("allergen")?))).collect()
    }

    /// The allergen codes a custodian marked for a child.
    pub async fn child_allergens(&self, child_id: &ChildId) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT allergen FROM child_allergen WHERE child_id = $1 ORDER BY allergen")
            .bind(child_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("allergen")?)).collect()
    }
}

impl Tx {
    /// Replaces the allergens marked for a child.
    pub async fn set_child_allergens(&mut self, child_id: &ChildId, codes: &[&str]) -> Result<()> {
        sqlx::query("DELETE FROM child_allergen WHERE child_id = $1").bind(child_id).execute(self.conn()).await?;
        for code in codes {
            sqlx::query("INSERT INTO child_allergen (child_id, allergen) VALUES ($1, $2)")
                .bind(child_id)
                .bind(*code)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// The allergen codes marked for a child, read in the basket's transaction.
    pub async fn child_allergens(&mut self, child_id: &ChildId) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT allergen FROM child_allergen WHERE child_id = $1 ORDER BY allergen")
            .bind(child_id)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("allergen")?)).collect()
    }
}

/// Whose a card is, as the hand-out needs it: (child, first name, card state).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardHolder {
    pub child_id: ChildId,
    pub wallet_id: WalletId,
    pub first_name: String,
    pub state: saldo_core::CardState,
}

fn card_holder_sql(card: &saldo_core::CardIdentifier) -> (String, String) {
    let (column, value) = match card {
        saldo_core::CardIdentifier::Number(n) => ("number", n.digits()),
        saldo_core::CardIdentifier::Chip(uid) => ("chip_uid", uid.as_str().to_owned()),
    };
    let sql = format!(
        "SELECT c.child_id, c.state, ch.first_name, w.id AS wallet_id FROM card c
         JOIN child ch ON ch.id = c.child_id JOIN wallet w ON w.child_id = c.child_id WHERE c.{column} = $1"
    );
    (sql, value)
}

fn card_holder_from(r: &AnyRow) -> Result<CardHolder> {
    let state: String = r.try_get("state")?;
    Ok(CardHolder {
        child_id: r.try_get("child_id")?,
        wallet_id: r.try_get("wallet_id")?,
        first_name: r.try_get("first_name")?,
        state: state.parse().map_err(|_| crate::StoreError::Corrupt(format!("card state {state:?}")))?,
    })
}

impl Store {
    pub async fn card_holder(&self, card: &saldo_core::CardIdentifier) -> Result<Option<CardHolder>> {
        let (sql, value) = card_holder_sql(card);
        let row = sqlx::query(&sql).bind(value).fetch_optional(self.pool()).await?;
        row.as_ref().map(card_holder_from).transpose()
    }

    /// A child's orders at a sales point for a day, every state (read only).
    pub async fn orders_of_child_on(
        &self,
        child_id: &ChildId,
        sales_point_id: &SalesPointId,
        day: &str,
    ) -> Result<Vec<ShopOrderRow>> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM shop_order WHERE child_id = $1 AND sales_point_id = $2 AND day = $3
             ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql).bind(child_id).bind(sales_point_id).bind(day).fetch_all(self.pool()).await?;
        rows.iter().map(order_from).collect()
    }
}

impl Tx {
    pub async fn card_holder(&mut self, card: &saldo_core::CardIdentifier) -> Result<Option<CardHolder>> {
        let (sql, value) = card_holder_sql(card);
        let row = sqlx::query(&sql).bind(value).fetch_optional(self.conn()).await?;
        row.as_ref().map(card_holder_from).transpose()
    }
}

impl Store {
    /// An account's balance from its postings (for the books' own checks and tests).
    pub async fn account_balance(&self, account: &saldo_core::ledger::AccountId) -> Result<Money> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(amount_ore), 0) AS BIGINT) AS total FROM posting WHERE account_id = $1",
        )
        .bind(account.key())
        .fetch_one(self.pool())
        .await?;
        Ok(Money::from_ore(row.try_get("total")?))
    }
}

impl Tx {
    /// The children of a school with a wallet and a custodian: (child, wallet, balance, custodian).
    /// For seeding the demo's orders.
    pub async fn children_at_school(
        &mut self,
        school: &saldo_core::ids::InstitutionId,
    ) -> Result<Vec<(ChildId, WalletId, Money, PersonId)>> {
        let rows = sqlx::query(
            "SELECT c.id, w.id AS wallet_id, w.balance_ore,
                    (SELECT MIN(r.person_id) FROM relation r WHERE r.child_id = c.id AND r.kind = 'custodian') AS custodian
             FROM child c JOIN wallet w ON w.child_id = c.id WHERE c.school_id = $1 ORDER BY c.id",
        )
        .bind(school)
        .fetch_all(self.conn())
        .await?;
        let mut children = Vec::new();
        for r in rows {
            let Some(custodian) = r.try_get::<Option<PersonId>, _>("custodian")? else { continue };
            children.push((
                r.try_get("id")?,
                r.try_get("wallet_id")?,
                Money::from_ore(r.try_get("balance_ore")?),
                custodian,
            ));
        }
        Ok(children)
    }
}

impl Store {
    /// The webshop orders of a sales point for a day that became revenue
    /// (handed out, or kept when not collected): (dish, portions, amount in øre, state).
    pub async fn shop_revenue_of_day(
        &self,
        sales_point_id: &SalesPointId,
        day: &str,
    ) -> Result<Vec<(String, i64, Money, ShopOrderState)>> {
        let rows = sqlx::query(
            "SELECT name, quantity, amount_ore, state FROM shop_order
             WHERE sales_point_id = $1 AND day = $2 AND state IN ('handed_out', 'not_collected')
             ORDER BY name, id",
        )
        .bind(sales_point_id)
        .bind(day)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("name")?,
                    r.try_get("quantity")?,
                    Money::from_ore(r.try_get("amount_ore")?),
                    state_from(r, "state")?,
                ))
            })
            .collect()
    }
}
