//! Hand-out (udlevering) at the till: a card is read, the till shows what
//! the child ordered for today at this sales point, and "Udleveret" moves
//! the money from the sales point's orders account to its sales account.
//!
//! This is its own transaction, never part of a sale's: the purchase path
//! stays as it was tuned. A second scan says when it was handed out.

use saldo_core::day::day_key;
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::shop::ShopOrderState;
use saldo_core::{CardIdentifier, CardState, Money};
use saldo_store::{Claim, EntryMeta, PostError, ShopOrderRow, StoreError, TillRow};
use serde::{Deserialize, Serialize};

use crate::idempotency::{request_hash, IdempotencyKey};
use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum HandOutError {
    #[error("the card field is neither a 16-digit card number nor a chip id")]
    UnreadableCard,
    #[error("no card with that number or chip")]
    UnknownCard,
    #[error("the card is blocked or not active")]
    CardNotActive,
    #[error("the idempotency key was used for another card")]
    KeyReused,
    #[error("the order changed meanwhile (cancelled or handed out at another till); read the card again")]
    Changed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One ordered dish as the till shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillOrderLine {
    pub name: String,
    pub quantity: i64,
    pub amount: Money,
    pub state: String,
    /// When it was handed out (or cancelled), µs since the epoch.
    pub closed_at: Option<i64>,
}

/// What the child ordered for today at the till's sales point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TillOrders {
    pub first_name: String,
    pub lines: Vec<TillOrderLine>,
}

impl TillOrders {
    pub fn to_hand_out(&self) -> impl Iterator<Item = &TillOrderLine> {
        self.lines.iter().filter(|l| l.state == ShopOrderState::Paid.as_str())
    }

    /// The last hand-out today, if everything ordered is handed out.
    pub fn handed_out_at(&self) -> Option<i64> {
        let handed: Vec<&TillOrderLine> =
            self.lines.iter().filter(|l| l.state == ShopOrderState::HandedOut.as_str()).collect();
        if handed.is_empty() || self.to_hand_out().next().is_some() {
            return None;
        }
        handed.iter().filter_map(|l| l.closed_at).max()
    }
}

/// The answer to "Udleveret", kept under the till's idempotency key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum HandOutOutcome {
    HandedOut {
        orders: TillOrders,
        total: Money,
    },
    /// Nothing left to hand out: it was, at `at`.
    AlreadyHandedOut {
        orders: TillOrders,
        at: i64,
    },
    NothingOrdered {
        orders: TillOrders,
    },
}

fn lines_of(orders: &[ShopOrderRow]) -> Vec<TillOrderLine> {
    orders
        .iter()
        .filter(|o| o.state != ShopOrderState::Cancelled)
        .map(|o| TillOrderLine {
            name: o.name.clone(),
            quantity: o.quantity,
            amount: o.amount,
            state: o.state.as_str().to_owned(),
            closed_at: o.closed_at,
        })
        .collect()
}

fn read_card(card: &str) -> Result<CardIdentifier, HandOutError> {
    card.trim().parse::<CardIdentifier>().map_err(|_| HandOutError::UnreadableCard)
}

/// Today's orders of the card's child at the till's sales point (a read: the scan).
pub async fn orders_today(app: &App, till: &TillRow, card: &str) -> Result<TillOrders, HandOutError> {
    let card = read_card(card)?;
    let holder = app.store.card_holder(&card).await?.ok_or(HandOutError::UnknownCard)?;
    let today = day_key(app.now());
    let orders = app.store.orders_of_child_on(&holder.child_id, &till.sales_point_id, &today).await?;
    Ok(TillOrders { first_name: holder.first_name, lines: lines_of(&orders) })
}

/// Hands out what the card's child ordered for today and has not collected:
/// one entry from the orders account to the sales account, each order moved
/// from paid only (a cancel or another till that got there first wins, and
/// this one changes nothing). The order counts towards the day's spend.
pub async fn hand_out(
    app: &App,
    till: &TillRow,
    key: &IdempotencyKey,
    card: &str,
) -> Result<HandOutOutcome, HandOutError> {
    let card_id = read_card(card)?;
    let now = app.now();
    let today = day_key(now);
    let scope = format!("hand_out:{}", till.id);
    let mut tx = app.store.begin().await?;
    match tx.claim_idempotency_key(&scope, key.as_str(), &request_hash(&card.trim()), now).await? {
        Claim::New => {}
        Claim::Replay { response, .. } => {
            return serde_json::from_str(&response).map_err(|e| StoreError::Corrupt(e.to_string()).into())
        }
        Claim::Mismatch => return Err(HandOutError::KeyReused),
    }
    let holder = tx.card_holder(&card_id).await?.ok_or(HandOutError::UnknownCard)?;
    if holder.state != CardState::Active {
        return Err(HandOutError::CardNotActive);
    }
    let orders = tx.orders_of_child_on(&holder.child_id, &till.sales_point_id, &today).await?;
    let open: Vec<&ShopOrderRow> = orders.iter().filter(|o| o.state == ShopOrderState::Paid).collect();
    let outcome = if open.is_empty() {
        let view = TillOrders { first_name: holder.first_name.clone(), lines: lines_of(&orders) };
        match view.handed_out_at() {
            Some(at) => HandOutOutcome::AlreadyHandedOut { orders: view, at },
            None => HandOutOutcome::NothingOrdered { orders: view },
        }
    } else {
        let total = Money::sum(open.iter().map(|o| o.amount)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let entry = Entry::hand_out(&till.sales_point_id, total).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.ensure_account(&AccountId::Sales(till.sales_point_id.clone())).await?;
        let by = format!("till:{}", till.id);
        let meta = EntryMeta { actor: &by, memo: key.as_str(), at: now, reverses: None, spend_day: None };
        let posted = tx.post(&entry, &meta).await.map_err(|e| match e {
            PostError::Store(e) => HandOutError::Store(e),
            PostError::Refused(_) => HandOutError::Changed,
        })?;
        for order in &open {
            let moved = tx
                .settle_shop_order(
                    &order.id,
                    ShopOrderState::Paid,
                    ShopOrderState::HandedOut,
                    Some(&posted.entry_id),
                    &by,
                    now,
                )
                .await?;
            if !moved {
                return Err(HandOutError::Changed);
            }
        }
        tx.count_towards_day(&holder.wallet_id, &today, total).await?;
        let after = tx.orders_of_child_on(&holder.child_id, &till.sales_point_id, &today).await?;
        HandOutOutcome::HandedOut {
            orders: TillOrders { first_name: holder.first_name, lines: lines_of(&after) },
            total,
        }
    };
    let answer = serde_json::to_string(&outcome).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.remember_answer(&scope, key.as_str(), 200, &answer).await?;
    tx.commit().await?;
    Ok(outcome)
}
