//! What support may do on a call (domain.md: block or unblock a card, order a
//! replacement; and the help desk's own: resend a login link, cancel a pending
//! invitation, ask the provider again about a pending deposit). Each asks for
//! a reason, is recorded with it, and goes through the use case the portal or
//! the job runner uses, so the rules are the same whoever acts.

use saldo_core::ids::{CardId, ChildId, DepositId, PersonId};
use saldo_core::lifecycle::DepositStatus;

use saldo_core::rights::Action;

use crate::auth::{authorize_child, Actor};
use crate::cards::{self, Ordered};
use crate::support::{adult_of, authorize_console, record, Asked, SupportError};
use crate::App;

/// Blocks (lost, stolen) or unblocks (found again) one of the child's cards.
pub async fn set_card_blocked(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    card_id: &CardId,
    block: bool,
    asked: &Asked,
) -> Result<(), SupportError> {
    authorize_console(app, actor).await?;
    authorize_child(app, actor, Action::BlockCard, child_id).await?;
    crate::family::apply_card_blocked(app, actor, child_id, card_id, block).await?;
    let action = if block { "card_block" } else { "card_unblock" };
    record(app, actor, child_id, action, asked, &format!("card {card_id}")).await?;
    Ok(())
}

/// Orders a replacement card as a custodian would: the fee from the balance,
/// the order on the office's hand-out list.
pub async fn order_replacement(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    asked: &Asked,
) -> Result<Ordered, SupportError> {
    authorize_console(app, actor).await?;
    let (child, _) = authorize_child(app, actor, Action::OrderReplacementCard, child_id).await?;
    let ordered = cards::place_replacement(app, actor, &child).await?;
    record(app, actor, child_id, "card_order", asked, &format!("order {}", ordered.order_id)).await?;
    Ok(ordered)
}

/// Sends a custodian or relative of the child a new login link, by the same
/// way (and limits) as the login page. The link goes to their address only.
pub async fn resend_login_link(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    person_id: &PersonId,
    asked: &Asked,
) -> Result<(), SupportError> {
    authorize_console(app, actor).await?;
    let adult = adult_of(app, child_id, person_id).await?;
    let email = adult.email.as_deref().ok_or(SupportError::NoSuchAdult)?;
    // The help desk shares one address; its links are limited per support person instead.
    let source = format!("support:{}", actor.person_id);
    crate::auth::request_login_link(app, email, &source, &adult.lang).await?;
    record(app, actor, child_id, "login_link", asked, &format!("to person {person_id}")).await?;
    Ok(())
}

/// Cancels an invitation of a relative that is still pending (sent to a wrong address, say).
pub async fn cancel_invitation(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    invitation_id: &str,
    asked: &Asked,
) -> Result<(), SupportError> {
    authorize_console(app, actor).await?;
    if !crate::relatives::withdraw_unchecked(app, actor, child_id, invitation_id).await? {
        return Err(SupportError::NotPending);
    }
    record(app, actor, child_id, "invitation_cancel", asked, &format!("invitation {invitation_id}")).await?;
    Ok(())
}

/// Asks the provider now about a deposit still pending (the job does the same
/// a minute later): it is credited, declined or left pending as the provider says.
pub async fn repoll_deposit(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    deposit_id: &DepositId,
    asked: &Asked,
) -> Result<DepositStatus, SupportError> {
    authorize_console(app, actor).await?;
    let deposit = app
        .store
        .deposit(deposit_id)
        .await?
        .filter(|d| d.child_id == *child_id && d.status == DepositStatus::Pending)
        .ok_or(SupportError::NotPending)?;
    let polled = crate::payments::poll_deposit(app, deposit.id.as_str()).await;
    let after = app.store.deposit(deposit_id).await?.map_or(deposit.status, |d| d.status);
    let detail = format!("deposit {deposit_id}: {}", after.as_str());
    record(app, actor, child_id, "deposit_poll", asked, &detail).await?;
    polled.map_err(SupportError::Provider)?;
    Ok(after)
}
