//! The webshop in a wallet's statement: beside the entry that paid a basket,
//! its dishes and what became of each; beside a cancel's reversal, the order
//! it gave back.

use saldo_core::shop::ShopOrderState;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{state_from, Result, StatementLine, Store};

/// One ordered dish as a statement line shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopLine {
    pub day: String,
    pub name: String,
    pub quantity: i64,
    pub amount: Money,
    pub state: ShopOrderState,
}

fn shop_line(r: &AnyRow) -> Result<ShopLine> {
    Ok(ShopLine {
        day: r.try_get("day")?,
        name: r.try_get("name")?,
        quantity: r.try_get("quantity")?,
        amount: Money::from_ore(r.try_get("amount_ore")?),
        state: state_from(r, "state")?,
    })
}

/// The order a reversal gave back, by its memo (a cancel's, or a refund after the day's).
fn order_in_memo(memo: &str) -> Option<&str> {
    let id = memo.strip_prefix("not collected: ").unwrap_or(memo);
    id.starts_with("sho_").then_some(id)
}

fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

impl Store {
    pub(crate) async fn shop_lines(&self, lines: &mut [StatementLine]) -> Result<()> {
        let baskets: Vec<String> =
            lines.iter().filter(|l| l.kind == "shop_order").map(|l| l.entry_id.to_string()).collect();
        if !baskets.is_empty() {
            let sql = format!(
                "SELECT b.entry_id, o.day, o.name, o.quantity, o.amount_ore, o.state
                 FROM shop_order o JOIN shop_basket b ON b.id = o.basket_id WHERE b.entry_id IN ({})
                 ORDER BY o.day, o.created_at, o.id",
                placeholders(baskets.len())
            );
            let mut query = sqlx::query(&sql);
            for id in &baskets {
                query = query.bind(id);
            }
            for r in query.fetch_all(self.pool()).await? {
                let entry: String = r.try_get("entry_id")?;
                let shop = shop_line(&r)?;
                if let Some(line) = lines.iter_mut().find(|l| l.entry_id == entry) {
                    line.shop.push(shop);
                }
            }
        }
        let orders: Vec<String> = lines
            .iter()
            .filter(|l| l.kind == "reversal")
            .filter_map(|l| order_in_memo(&l.memo).map(str::to_owned))
            .collect();
        if !orders.is_empty() {
            let sql = format!(
                "SELECT id, day, name, quantity, amount_ore, state FROM shop_order WHERE id IN ({})",
                placeholders(orders.len())
            );
            let mut query = sqlx::query(&sql);
            for id in &orders {
                query = query.bind(id);
            }
            for r in query.fetch_all(self.pool()).await? {
                let id: String = r.try_get("id")?;
                let shop = shop_line(&r)?;
                for line in
                    lines.iter_mut().filter(|l| l.kind == "reversal" && order_in_memo(&l.memo) == Some(id.as_str()))
                {
                    line.shop.push(shop.clone());
                }
            }
        }
        Ok(())
    }
}
