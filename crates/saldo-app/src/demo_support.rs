//! The demo's support cases, so the console shows a newcomer what it is for:
//! Ida Nielsen's card was declined yesterday for the daily limit (and support
//! looked, which her parents can see), Noah Jensen's deposit is still waiting
//! for the provider, and William Hansen's card was blocked as lost.

use saldo_core::ids::{ChildId, DepositId};
use saldo_core::{CardState, Money};
use saldo_store::{ChildSearch, NewDecline, NewDeposit, NewPaymentEvent, StoreError};

use crate::App;

/// Seeds the cases into a freshly seeded demo; a demo without those children is left alone.
pub(crate) async fn seed_cases(app: &App) -> Result<(), StoreError> {
    let now = app.now();
    let yesterday = now - jiff::SignedDuration::from_hours(22);
    declined_for_the_limit(app, yesterday).await?;
    deposit_pending(app, now - jiff::SignedDuration::from_mins(10)).await?;
    card_lost(app, yesterday).await
}

async fn child_named(app: &App, name: &str) -> Result<Option<ChildId>, StoreError> {
    let found = app.store.find_children(&ChildSearch::Name { name, institution: None }).await?;
    Ok(found.into_iter().next().map(|c| c.id))
}

/// Ida's basket of 45 kr. at the canteen, over her 40 kr. a day; her father
/// rang, and Kasper at support looked.
async fn declined_for_the_limit(app: &App, at: jiff::Timestamp) -> Result<(), StoreError> {
    let Some(ida) = child_named(app, "Ida Nielsen").await? else { return Ok(()) };
    let Some(card) = app.store.cards_of_child(&ida).await?.into_iter().find(|c| c.state == CardState::Active) else {
        return Ok(());
    };
    let Some(till) = app.store.tills().await?.into_iter().next() else { return Ok(()) };
    let Some(support) = app.store.person_by_email("support@skoleogklub.example.dk").await? else { return Ok(()) };
    let mut tx = app.store.begin().await?;
    tx.record_decline(&NewDecline {
        till_id: &till.id,
        card_id: &card.id,
        child_id: &ida,
        reason: saldo_core::purchase::Decline::DailyLimitExceeded.code(),
        total: Money::kr(45),
        balance: Some(Money::kr(300)),
        left_today: Some(Money::kr(40)),
        item: None,
        at,
    })
    .await?;
    let looked = at + jiff::SignedDuration::from_hours(3);
    let note = "Far ringede: kortet blev afvist i kantinen";
    tx.record_support_access(&support.id, &ida, "look_up", "parent_phone", note, looked).await?;
    let label = format!("person:{}", support.id);
    tx.audit(&label, "support.look_up", &ida, &format!("reason parent_phone: {note}"), "demo", looked).await?;
    tx.commit().await
}

/// Noah's 200 kr. through the sandbox, begun ten minutes ago and not paid yet.
async fn deposit_pending(app: &App, at: jiff::Timestamp) -> Result<(), StoreError> {
    let Some(noah) = child_named(app, "Noah Jensen").await? else { return Ok(()) };
    let Some(wallet) = app.store.wallet_of_child(&noah).await? else { return Ok(()) };
    let adults = app.store.adults_of_child(&noah).await?;
    let Some(parent) = adults.iter().find(|a| a.kind == "custodian") else { return Ok(()) };
    let id = DepositId::new(saldo_store::new_id("dep"));
    let reference = format!("sbx_demo_{}", id.as_str().trim_start_matches("dep_"));
    let mut tx = app.store.begin().await?;
    let deposit = NewDeposit {
        id: &id,
        wallet_id: &wallet.id,
        child_id: &noah,
        person_id: &parent.person_id,
        amount: Money::kr(200),
        fee: Money::ZERO,
        provider: "sandbox",
        at,
        paid_with: None,
    };
    tx.create_deposit(&deposit).await?;
    tx.set_deposit_provider_ref(&id, &reference).await?;
    let event = NewPaymentEvent {
        provider: "sandbox",
        provider_ref: Some(&reference),
        event: "payment.created",
        verified: true,
        detail: "waiting for the payer",
        at,
    };
    tx.record_payment_event(&event).await?;
    tx.commit().await
}

/// William's card, blocked by his mother when he lost it.
async fn card_lost(app: &App, at: jiff::Timestamp) -> Result<(), StoreError> {
    let Some(william) = child_named(app, "William Hansen").await? else { return Ok(()) };
    let Some(card) = app.store.cards_of_child(&william).await?.into_iter().find(|c| c.state == CardState::Active)
    else {
        return Ok(());
    };
    let adults = app.store.adults_of_child(&william).await?;
    let Some(parent) = adults.iter().find(|a| a.kind == "custodian") else { return Ok(()) };
    let mut tx = app.store.begin().await?;
    tx.set_card_state(&card.id, CardState::Active, CardState::Blocked, at).await?;
    let detail = format!("card …{} active → blocked", saldo_core::card::last4(&card.number));
    tx.audit(&format!("person:{}", parent.person_id), "card.block", &william, &detail, "demo", at).await?;
    tx.commit().await
}
