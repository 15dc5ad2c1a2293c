//! Closing a child's account when the child leaves the municipality's schools
//! and clubs, and erasing its personal data after the retention period.

use saldo_core::ids::ChildId;
use saldo_core::rights::{authorize, Action, Target};
use saldo_store::StoreError;

use crate::auth::{authorize_child, Actor, Refusal};
use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum CloseError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("the account still holds money: pay it out first")]
    NotEmpty,
    #[error("the account is already closed")]
    AlreadyClosed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Closes an empty wallet: its cards go out of use for good and its
/// agreements end. A custodian (who may withdraw) or the operator may do it.
pub async fn close(app: &App, actor: &Actor, child_id: &ChildId) -> Result<(), CloseError> {
    let child = app.store.child(child_id).await?.ok_or(Refusal::NotFound)?;
    let institutions = child.institutions();
    let operator = authorize(&actor.grants, Action::ApproveWithdrawal, &Target::child(child_id, &institutions)).is_ok();
    if !operator {
        authorize_child(app, actor, Action::Withdraw, child_id).await?;
        crate::auth::require_recent_login(app, actor).await?;
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let wallet = tx.wallet_of_child(child_id).await?.ok_or(Refusal::NotFound)?;
    if wallet.balance != saldo_core::Money::ZERO {
        return Err(CloseError::NotEmpty);
    }
    if !tx.close_wallet(&wallet.id, now).await? {
        return Err(CloseError::AlreadyClosed);
    }
    let cards = tx.cancel_cards_of_child(child_id, now).await?;
    for agreement in app.store.agreements_on_child(child_id).await? {
        tx.delete_agreement(&agreement.id).await?;
    }
    tx.audit(&actor.label(), "wallet.closed", child_id, &format!("{cards} cards cancelled"), &actor.source, now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Erases the personal data of accounts closed longer ago than the retention
/// period. Safe to run often; answers how many children were erased.
pub async fn erase_expired(app: &App) -> Result<usize, StoreError> {
    let now = app.now();
    let cutoff = now - jiff::SignedDuration::from_hours(24 * app.settings.accounts.retention_days.max(0));
    let mut tx = app.store.begin().await?;
    let erased = tx.erase_closed_children(cutoff, now).await?;
    for child in &erased {
        tx.audit("retention", "child.erased", child, "personal data erased after the retention period", "job", now)
            .await?;
    }
    tx.commit().await?;
    Ok(erased.len())
}
