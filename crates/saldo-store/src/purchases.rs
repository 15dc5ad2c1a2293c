//! Sales at a till: the purchase and its lines, beside the journal entry that paid.

use saldo_core::ids::{CardId, EntryId, ProductId, SalesPointId, TillId, WalletId};
use saldo_core::Money;

use sqlx::Row;

use crate::{micros, Result, Tx};

pub struct NewPurchase<'a> {
    /// The journal entry's id: a purchase is the entry that paid for it.
    pub entry_id: &'a EntryId,
    pub till_id: &'a TillId,
    pub sales_point_id: &'a SalesPointId,
    pub card_id: &'a CardId,
    pub wallet_id: &'a WalletId,
    pub total: Money,
    pub at: jiff::Timestamp,
    /// The local day the spend counted towards (a void gives it back to that day).
    pub spend_day: &'a str,
    pub lines: &'a [NewPurchaseLine<'a>],
}

/// A line as sold: name and price copied, so later price changes do not rewrite history.
pub struct NewPurchaseLine<'a> {
    pub product_id: &'a ProductId,
    pub name: &'a str,
    pub unit_price: Money,
    pub quantity: i64,
    pub amount: Money,
}

impl Tx {
    pub async fn record_purchase(&mut self, p: &NewPurchase<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO purchase (id, till_id, sales_point_id, card_id, wallet_id, total_ore, created_at, spend_day)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(p.entry_id)
        .bind(p.till_id)
        .bind(p.sales_point_id)
        .bind(p.card_id)
        .bind(p.wallet_id)
        .bind(p.total.ore())
        .bind(micros(p.at))
        .bind(p.spend_day)
        .execute(self.conn())
        .await?;
        if p.lines.is_empty() {
            return Ok(());
        }
        // Every line in one statement: one round trip, however big the basket.
        let sql = format!(
            "INSERT INTO purchase_line (purchase_id, seq, product_id, name, unit_price_ore, quantity, amount_ore) VALUES {}",
            crate::values_rows(p.lines.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (seq, line) in p.lines.iter().enumerate() {
            query = query
                .bind(p.entry_id)
                .bind(seq as i64)
                .bind(line.product_id)
                .bind(line.name)
                .bind(line.unit_price.ore())
                .bind(line.quantity)
                .bind(line.amount.ore());
        }
        query.execute(self.conn()).await?;
        Ok(())
    }
}

/// A purchase as a refund needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurchaseRow {
    pub id: EntryId,
    pub sales_point_id: SalesPointId,
    pub wallet_id: WalletId,
    pub total: Money,
    pub refunded: Money,
}

impl Tx {
    pub async fn purchase(&mut self, purchase_id: &EntryId) -> Result<Option<PurchaseRow>> {
        let row =
            sqlx::query("SELECT id, sales_point_id, wallet_id, total_ore, refunded_ore FROM purchase WHERE id = $1")
                .bind(purchase_id)
                .fetch_optional(self.conn())
                .await?;
        row.map(|r| {
            Ok(PurchaseRow {
                id: r.try_get("id")?,
                sales_point_id: r.try_get("sales_point_id")?,
                wallet_id: r.try_get("wallet_id")?,
                total: Money::from_ore(r.try_get("total_ore")?),
                refunded: Money::from_ore(r.try_get("refunded_ore")?),
            })
        })
        .transpose()
    }

    /// Counts `amount` as refunded, only if the purchase has that much left to refund.
    pub async fn mark_refunded(&mut self, purchase_id: &EntryId, amount: Money) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE purchase SET refunded_ore = refunded_ore + $1 WHERE id = $2 AND refunded_ore + $1 <= total_ore",
        )
        .bind(amount.ore())
        .bind(purchase_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
