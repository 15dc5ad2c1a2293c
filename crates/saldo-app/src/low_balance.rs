//! Low-balance notices: the family who follow a child (custodians and
//! relatives: those who may put money in) may ask for a mail when the
//! balance falls below an amount of their choice. Opt-in, per person.

use saldo_core::ids::ChildId;
use saldo_core::rights::Action;
use saldo_core::Money;
use saldo_store::{StoreError, Tx};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::outbox::queue_mail;
use crate::{mail, App};

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("the amount must be between 1 kr. and {0}")]
    Threshold(Money),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The person's threshold for the child, if they asked to be told.
pub async fn of(app: &App, actor: &Actor, child_id: &ChildId) -> Result<Option<Money>, Refusal> {
    authorize_child(app, actor, Action::SeeStatement, child_id).await?;
    Ok(app.store.low_balance_notice(&actor.person_id, child_id).await?)
}

/// Asks for a mail when the child's balance falls below `threshold`.
pub async fn set(app: &App, actor: &Actor, child_id: &ChildId, threshold: Money) -> Result<(), NoticeError> {
    authorize_child(app, actor, Action::Deposit, child_id).await?;
    let cap = app.settings.deposits.max_balance();
    if threshold < Money::kr(1) || threshold > cap {
        return Err(NoticeError::Threshold(cap));
    }
    let mut tx = app.store.begin().await?;
    tx.set_low_balance_notice(&actor.person_id, child_id, threshold, app.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// No more low-balance mails about the child for this person.
pub async fn stop(app: &App, actor: &Actor, child_id: &ChildId) -> Result<(), NoticeError> {
    authorize_child(app, actor, Action::Deposit, child_id).await?;
    let mut tx = app.store.begin().await?;
    tx.clear_low_balance_notice(&actor.person_id, child_id).await?;
    tx.commit().await?;
    Ok(())
}

/// In the debit's transaction: tells whoever's threshold the balance just
/// went below (it was at or above before this debit), once per dip.
pub(crate) async fn after_debit(
    tx: &mut Tx,
    child_id: &ChildId,
    child_name: &str,
    before: Money,
    after: Money,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    for watcher in tx.low_balance_crossed(child_id, before, after).await? {
        let Some(email) = &watcher.email else { continue };
        queue_mail(tx, &mail::low_balance(email, child_name, watcher.threshold, after, &watcher.lang), now).await?;
    }
    Ok(())
}
