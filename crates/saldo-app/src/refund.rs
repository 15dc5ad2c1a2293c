//! Money back from a sale: part or all of a purchase returns to the wallet.

use saldo_core::ids::EntryId;
use saldo_core::ledger::Entry;
use saldo_core::Money;
use saldo_store::{EntryMeta, PostError, StoreError};

use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("an amount to refund must be positive")]
    NotPositive,
    #[error("no purchase {0}")]
    UnknownPurchase(EntryId),
    #[error("more than is left to refund on the purchase")]
    MoreThanPurchased,
    #[error("the wallet is closed")]
    WalletClosed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Refunds `amount` of a purchase to the wallet it was paid from. The purchase
/// keeps count, so the refunds of one sale can never add up to more than it cost.
pub async fn refund(
    app: &App,
    purchase_id: &EntryId,
    amount: Money,
    actor: &str,
) -> Result<(EntryId, Money), RefundError> {
    if !amount.is_positive() {
        return Err(RefundError::NotPositive);
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let purchase = tx.purchase(purchase_id).await?.ok_or_else(|| RefundError::UnknownPurchase(purchase_id.clone()))?;
    if !tx.mark_refunded(purchase_id, amount).await? {
        return Err(RefundError::MoreThanPurchased);
    }
    let entry =
        Entry::refund(&purchase.wallet_id, &purchase.sales_point_id, amount).map_err(|_| RefundError::NotPositive)?;
    let meta = EntryMeta { actor, memo: purchase_id.as_str(), at: now, reverses: None, spend_day: None };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) => return Err(RefundError::WalletClosed),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    let balance = posted.wallet(&purchase.wallet_id).map(|w| w.balance).unwrap_or_default();
    tx.commit().await?;
    Ok((posted.entry_id, balance))
}
