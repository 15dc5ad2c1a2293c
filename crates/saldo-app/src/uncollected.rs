//! Orders nobody collected: once their day is over, each is closed as the
//! sales point's policy says. Kept (the default): the food was made, the
//! money becomes the sales point's revenue. Refunded: it goes back to the
//! wallet. Either way the orders account is left holding only open orders.

use saldo_core::day::day_key;
use saldo_core::ledger::Entry;
use saldo_core::shop::{ShopOrderState, Uncollected};
use saldo_store::{EntryMeta, PostError, ShopOrderRow, StoreError};

use crate::shop::{parse_day, rules_in};
use crate::App;

/// Orders closed per round; the chores come back for the rest.
const BATCH: i64 = 500;

/// Closes the orders of past days still waiting; returns how many.
pub async fn close_past_days(app: &App) -> Result<usize, StoreError> {
    let now = app.now();
    let today = day_key(now);
    let orders = app.store.uncollected_before(&today, BATCH).await?;
    let mut closed = 0;
    for order in &orders {
        if close_one(app, order, now).await? {
            closed += 1;
        }
    }
    Ok(closed)
}

/// One order, in its own transaction; false if it moved meanwhile.
async fn close_one(app: &App, order: &ShopOrderRow, now: jiff::Timestamp) -> Result<bool, StoreError> {
    let mut tx = app.store.begin().await?;
    let day = parse_day(&order.day).map_err(|_| StoreError::Corrupt(format!("order day {:?}", order.day)))?;
    let (terms, _) = rules_in(&mut tx, &order.sales_point_id, day).await?;
    let entry = match terms.uncollected {
        Uncollected::Kept => Entry::hand_out(&order.sales_point_id, order.amount),
        Uncollected::Refunded => Entry::order_cancelled(&order.wallet_id, &order.sales_point_id, order.amount),
    }
    .map_err(|e| StoreError::Corrupt(format!("uncollected order {}: {e}", order.id)))?;
    let memo = format!("not collected: {}", order.id);
    let meta = EntryMeta { actor: "system", memo: &memo, at: now, reverses: None, spend_day: None };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        // A closed wallet takes no money back: the order stays for the operator to see.
        Err(PostError::Refused(wallet)) => {
            tracing::warn!(order = %order.id, %wallet, "an uncollected order's refund was refused");
            return Ok(false);
        }
        Err(PostError::Store(e)) => return Err(e),
    };
    let moved = tx
        .settle_shop_order(
            &order.id,
            ShopOrderState::Paid,
            ShopOrderState::NotCollected,
            Some(&posted.entry_id),
            "system",
            now,
        )
        .await?;
    if !moved {
        return Ok(false);
    }
    tx.commit().await?;
    Ok(true)
}
