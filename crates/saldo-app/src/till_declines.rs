//! Declines at the till, kept for support ("why was Ida's card refused?").
//! A decline is not a sale: it moves no money and has no journal entry. It is
//! written after the till's answer is decided, in a transaction of its own,
//! and only for declines, so an approved sale never waits for it; if it cannot
//! be written, the till's answer stands and the log says so.

use saldo_core::purchase::Decline;
use saldo_core::{CardIdentifier, Money};
use saldo_store::{NewDecline, StoreError, TillRow};

use crate::purchase::{PurchaseOutcome, PurchaseRequest};
use crate::App;

/// Notes a first answer that said no, for a card that belongs to a child.
pub(crate) async fn note(app: &App, till: &TillRow, request: &PurchaseRequest, outcome: &PurchaseOutcome) {
    let PurchaseOutcome::Declined { reason, balance, item, left_today, .. } = outcome else { return };
    if let Err(e) = write(app, till, request, *reason, *balance, item.as_deref(), *left_today).await {
        tracing::warn!(error = %e, till = %till.id, "could not note a decline for support");
    }
}

async fn write(
    app: &App,
    till: &TillRow,
    request: &PurchaseRequest,
    reason: Decline,
    balance: Option<Money>,
    item: Option<&str>,
    left_today: Option<Money>,
) -> Result<(), StoreError> {
    let Ok(card) = request.card.trim().parse::<CardIdentifier>() else { return Ok(()) };
    // What the basket came to, at today's prices (a decline stores no lines).
    let menu = app.store.active_products(&till.sales_point_id).await?;
    let total = request
        .lines
        .iter()
        .filter_map(|l| menu.iter().find(|p| p.id == l.product_id).and_then(|p| p.price.checked_mul(l.quantity).ok()))
        .try_fold(Money::ZERO, |sum, amount| sum.checked_add(amount))
        .unwrap_or(Money::ZERO);
    let mut tx = app.store.begin().await?;
    let Some(card) = tx.find_card(&card).await? else { return Ok(()) };
    let Some(child_id) = card.child_id.clone() else { return Ok(()) };
    let decline = NewDecline {
        till_id: &till.id,
        card_id: &card.id,
        child_id: &child_id,
        reason: reason.code(),
        total,
        balance,
        left_today,
        item,
        at: app.now(),
    };
    tx.record_decline(&decline).await?;
    tx.commit().await
}
