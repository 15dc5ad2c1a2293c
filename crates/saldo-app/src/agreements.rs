//! Top-up agreements (optankningsaftaler): "when the balance falls below X,
//! add Y" from a saved card. A debit that dips the balance starts one
//! charge (`debit::start_top_up`: never two per dip, never while one is in flight); the job runner
//! charges the provider by token with an idempotency key, credits on success,
//! retries declines, and pauses the agreement after repeated declines.

use crate::views::{card_month, AgreementView};
use saldo_core::day::day_key;
use saldo_core::ids::{AgreementId, ChildId, EntryId};
use saldo_core::lifecycle::ChargeStatus;
use saldo_core::rights::Action;
pub use saldo_core::top_up::PauseReason;
use saldo_core::Money;
use saldo_pay::{ChargeOutcome, Notification, PayError, PaymentRequest, PaymentStatus};
use saldo_store::{Agreement, PostError, StoreError, Tx};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::credit::{credit_in, CreditIn, Payment};
use crate::deposits::{DepositError, Settled};
use crate::outbox::queue_mail;
use crate::{mail, App};

/// Ids of pending set-ups start with this, so the provider's callback finds its way.
pub const SETUP_PREFIX: &str = "tus_";

/// The job: charges the saved card for one charge attempt. An `Err` is a
/// passing trouble (the provider unreachable): the runner tries again later,
/// with the same idempotency key, so the card is charged at most once.
pub async fn run_charge(app: &App, charge_id: &str) -> Result<(), String> {
    let (charge, agreement) = {
        let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
        let Some(charge) = tx.charge(charge_id).await.map_err(|e| e.to_string())? else { return Ok(()) };
        let agreement = tx.agreement(&charge.agreement_id).await.map_err(|e| e.to_string())?;
        (charge, agreement)
    };
    let Some(agreement) = agreement else { return Ok(()) };
    if charge.status != ChargeStatus::Pending {
        return Ok(());
    }
    let now = app.now();
    if !agreement.active && charge.provider_ref.is_none() {
        // Paused or ended while the charge waited: it is not made.
        let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
        tx.settle_charge(&charge.id, ChargeStatus::Declined, None, None, now).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        return Ok(());
    }
    let Some(provider) = app.provider_named(&agreement.provider) else {
        return Err(format!("the agreement's provider {} is not turned on", agreement.provider));
    };
    // A charge the provider already took on is asked after, never charged again.
    let outcome = match &charge.provider_ref {
        Some(provider_ref) => provider.charge_status(provider_ref).await,
        None => provider.charge_saved(&agreement.token, charge.amount, &charge.idem_key, charge.id.as_str()).await,
    }
    .map_err(|e| e.to_string())?;
    if let ChargeOutcome::Pending { provider_ref } = &outcome {
        let now = app.now();
        let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
        tx.set_charge_provider_ref(charge.id.as_str(), provider_ref).await.map_err(|e| e.to_string())?;
        let after = jiff::SignedDuration::from_secs(i64::try_from(app.settings.payments.poll_after_secs).unwrap_or(60));
        tx.queue("top_up", charge.id.as_str(), now, now + after).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        return Ok(());
    }
    settle(app, &charge, &agreement, outcome).await.map_err(|e| e.to_string())
}

/// One charge's outcome being booked, with whom to tell.
struct Settling<'a> {
    app: &'a App,
    charge: &'a saldo_store::ChargeRow,
    agreement: &'a Agreement,
    owner: Option<saldo_store::PersonRow>,
    child: String,
    now: jiff::Timestamp,
}

async fn settle(
    app: &App,
    charge: &saldo_store::ChargeRow,
    agreement: &Agreement,
    outcome: ChargeOutcome,
) -> Result<(), StoreError> {
    let mut tx = app.store.begin().await?;
    let owner = app.store.person(&agreement.person_id).await?;
    let child = app.store.child(&agreement.child_id).await?.map(|c| c.first_name).unwrap_or_default();
    let s = Settling { app, charge, agreement, owner, child, now: app.now() };
    let moved_on = match outcome {
        ChargeOutcome::Succeeded { provider_ref } => succeeded(&mut tx, &s, &provider_ref).await?,
        ChargeOutcome::Declined { provider_ref } => declined(&mut tx, &s, &provider_ref).await?,
        // Nothing is settled while the provider is still processing (see `run_charge`).
        ChargeOutcome::Pending { .. } => false,
        ChargeOutcome::NeedsCardholder { provider_ref } => {
            let to = ChargeStatus::NeedsCardholder;
            let settled = tx.settle_charge(&charge.id, to, Some(&provider_ref), None, s.now).await?;
            if settled {
                pause(&mut tx, agreement, s.owner.as_ref(), &s.child, PauseReason::NeedsCardholder, s.now).await?;
            }
            settled
        }
    };
    // A run that found the charge settled by another changes nothing.
    if moved_on {
        tx.commit().await?;
    }
    Ok(())
}

/// Money the provider took is credited once, whatever became of the charge
/// meanwhile (paused, or settled by another run): the provider's reference
/// is the idempotency key. Only the run that settles the pending charge moves
/// the agreement on.
async fn succeeded(tx: &mut Tx, s: &Settling<'_>, provider_ref: &str) -> Result<bool, StoreError> {
    let (charge, now) = (s.charge, s.now);
    let actor = format!("top_up:{}", s.agreement.id);
    let payment = Payment {
        wallet_id: &charge.wallet_id,
        provider: &s.agreement.provider,
        reference: provider_ref,
        amount: charge.amount,
        fee: Money::ZERO,
        actor: &actor,
        others: &[],
    };
    let posted = match credit_in(tx, &payment, &charge.id, now).await {
        Ok(CreditIn::Posted(posted)) => Some(posted),
        Ok(CreditIn::Already | CreditIn::KeyReused) => None,
        Err(PostError::Refused(wallet)) => {
            return Err(StoreError::Corrupt(format!("wallet {wallet} refused an automatic top-up")))
        }
        Err(PostError::Store(e)) => return Err(e),
    };
    let entry_id = posted.as_ref().map(|p| p.entry_id.as_str());
    if tx
        .settle_charge(
            &charge.id,
            ChargeStatus::Succeeded,
            Some(provider_ref),
            entry_id.map(EntryId::new).as_ref(),
            now,
        )
        .await?
    {
        tx.top_up_succeeded(&s.agreement.id, &day_key(now)).await?;
    } else if posted.is_some() {
        tx.record_late_success(&charge.id, provider_ref, entry_id.map(EntryId::new).as_ref(), now).await?;
    }
    if let (Some(posted), Some(person)) = (&posted, &s.owner) {
        if let Some(email) = &person.email {
            let balance = posted.wallet(&charge.wallet_id).map(|w| w.balance).unwrap_or_default();
            queue_mail(tx, &mail::top_up_done(email, &s.child, charge.amount, balance, &person.lang), now).await?;
        }
    }
    Ok(true)
}

/// A decline is retried after a while; the owner hears at the first one, and
/// the agreement pauses after `max_failures` in a row.
async fn declined(tx: &mut Tx, s: &Settling<'_>, provider_ref: &str) -> Result<bool, StoreError> {
    let (charge, now, limits) = (s.charge, s.now, &s.app.settings.top_ups);
    if !tx.settle_charge(&charge.id, ChargeStatus::Declined, Some(provider_ref), None, now).await? {
        // Another run settled it, or the owner paused or changed the agreement meanwhile.
        return Ok(false);
    }
    let failures = tx.top_up_failed(&s.agreement.id).await?;
    if failures >= limits.max_failures {
        pause(tx, s.agreement, s.owner.as_ref(), &s.child, PauseReason::Declined, now).await?;
        return Ok(true);
    }
    if let (1, Some(person)) = (failures, &s.owner) {
        if let Some(email) = &person.email {
            queue_mail(tx, &mail::top_up_failed(email, &s.child, limits.max_failures, &person.lang), now).await?;
        }
    }
    let next = tx.create_charge(s.agreement, &charge.wallet_id, charge.attempt + 1, now).await?;
    let delay = jiff::SignedDuration::from_millis(i64::try_from(limits.retry_delay_ms).unwrap_or(60_000));
    tx.queue("top_up", &next, now, now + delay).await?;
    Ok(true)
}

/// The last expiry month (`YYYY-MM`) that counts as "expires soon" today:
/// the month `expiry_notice_days` from now. A card works through its month.
pub fn expiry_cutoff(app: &App) -> String {
    let days = jiff::Span::new().days(app.settings.top_ups.expiry_notice_days.clamp(0, 3650));
    let later = saldo_core::day::local_day(app.now()).saturating_add(days);
    later.strftime("%Y-%m").to_string()
}

/// Mails each owner once per saved card that expires soon, so they can save
/// a new one before the top-ups stop. Answers how many were reminded.
pub async fn remind_expiring_cards(app: &App) -> Result<usize, StoreError> {
    let cutoff = expiry_cutoff(app);
    let mut reminded = 0;
    for agreement in app.store.agreements_to_remind(&cutoff).await? {
        let Some(card) = &agreement.card else { continue };
        let now = app.now();
        let mut tx = app.store.begin().await?;
        if !tx.mark_expiry_reminded(&agreement.id, &card.expires).await? {
            continue;
        }
        let owner = app.store.person(&agreement.person_id).await?;
        let child = app.store.child(&agreement.child_id).await?.map(|c| c.first_name).unwrap_or_default();
        if let Some(owner) = owner {
            if let Some(email) = &owner.email {
                let expired = card.expires < saldo_core::day::month_key(now);
                let mail = mail::card_expiring(email, &child, &card.last4, &card_month(card), expired, &owner.lang);
                queue_mail(&mut tx, &mail, now).await?;
                reminded += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(reminded)
}

async fn pause(
    tx: &mut Tx,
    agreement: &Agreement,
    owner: Option<&saldo_store::PersonRow>,
    child: &str,
    reason: PauseReason,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    tx.set_agreement_status(&agreement.id, false, now).await?;
    tx.audit("top_up", "agreement.paused", &agreement.child_id, &format!("{reason:?}"), "job", now).await?;
    if let Some(email) = owner.and_then(|o| o.email.as_deref()) {
        let lang = owner.map_or("da", |o| o.lang.as_str());
        queue_mail(tx, &mail::top_up_paused(email, child, reason, lang), now).await?;
    }
    Ok(())
}

/// The runner gave up on a charge (the provider unreachable through every
/// retry): the charge is not made, and rather than wait for ever the
/// agreement pauses and its owner is told.
pub async fn give_up(app: &App, charge_id: &str) -> Result<(), StoreError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let Some(charge) = tx.charge(charge_id).await? else { return Ok(()) };
    if !tx.settle_charge(&charge.id, ChargeStatus::Declined, None, None, now).await? {
        return Ok(());
    }
    let Some(agreement) = tx.agreement(&charge.agreement_id).await? else { return tx.commit().await };
    let owner = app.store.person(&agreement.person_id).await?;
    let child = app.store.child(&agreement.child_id).await?.map(|c| c.first_name).unwrap_or_default();
    pause(&mut tx, &agreement, owner.as_ref(), &child, PauseReason::Unreachable, now).await?;
    tx.commit().await
}

#[derive(Debug, thiserror::Error)]
pub enum AgreementError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("the threshold and amount must be amounts in kroner")]
    BadInput,
    #[error("the threshold must be between 1 kr. and {0}")]
    Threshold(Money),
    #[error("the amount must be between {0} and {1}")]
    Amount(Money, Money),
    #[error("threshold and amount together must stay within the balance cap of {0}")]
    OverCap(Money),
    #[error("only its owner can change an agreement")]
    NotOwner,
    #[error("the payment provider: {0}")]
    Provider(#[from] PayError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The agreements on a child as this person may see them: a custodian sees
/// every agreement (whose, threshold and amount), a relative their own.
pub async fn on_child(app: &App, actor: &Actor, child_id: &ChildId) -> Result<Vec<AgreementView>, Refusal> {
    authorize_child(app, actor, Action::SeeStatement, child_id).await?;
    let all = app.store.agreements_on_child(child_id).await?;
    let custodian = actor.is_custodian_of(child_id);
    let cutoff = expiry_cutoff(app);
    let mine = |a: &saldo_store::Agreement| custodian || a.person_id == actor.person_id;
    Ok(all.into_iter().filter(mine).map(|a| AgreementView::new(a, &cutoff)).collect())
}

/// Starts a new agreement (or new terms for the person's own): the person
/// saves a card on the provider's page; the provider's callback finishes it.
pub async fn start_setup(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    threshold: Money,
    amount: Money,
    lang: &str,
) -> Result<String, AgreementError> {
    authorize_child(app, actor, Action::Deposit, child_id).await?;
    check_terms(app, threshold, amount)?;
    let now = app.now();
    let id = saldo_store::new_id(SETUP_PREFIX.trim_end_matches('_'));
    let mut tx = app.store.begin().await?;
    tx.create_top_up_setup(&id, child_id, &actor.person_id, threshold, amount, now).await?;
    tx.commit().await?;
    let base = app.settings.base();
    let return_url = format!("{base}/portal/children/{child_id}?done=agreement.pending");
    let provider = app.providers.for_saved_cards();
    let callback_url = format!("{base}/pay/callback/{}", provider.name());
    let description =
        crate::texts::Texts::new(crate::texts::Lang::parse(lang).unwrap_or_default()).get("pay-save_card");
    let request = PaymentRequest {
        reference: &id,
        amount: Money::ZERO,
        description,
        return_url: &return_url,
        callback_url: &callback_url,
        lang,
        save_card: true,
        method: None,
    };
    Ok(provider.start(&request).await?.redirect_url)
}

/// The threshold is positive and under the balance cap; the amount is one a
/// deposit could be.
fn check_terms(app: &App, threshold: Money, amount: Money) -> Result<(), AgreementError> {
    let limits = &app.settings.deposits;
    if threshold < Money::kr(1) || threshold > limits.max_balance() {
        return Err(AgreementError::Threshold(limits.max_balance()));
    }
    if amount < limits.min() || amount > limits.max() {
        return Err(AgreementError::Amount(limits.min(), limits.max()));
    }
    // A top-up lands just under the threshold: it must fit under the cap.
    if threshold.checked_add(amount).map_or(true, |top| top > limits.max_balance()) {
        return Err(AgreementError::OverCap(limits.max_balance()));
    }
    Ok(())
}

/// The owner changes threshold and amount, keeping the saved card.
pub async fn change_terms(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    agreement_id: &AgreementId,
    threshold: Money,
    amount: Money,
) -> Result<(), AgreementError> {
    authorize_child(app, actor, Action::Deposit, child_id).await?;
    check_terms(app, threshold, amount)?;
    own_agreement(app, actor, child_id, agreement_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.set_agreement_terms(agreement_id, threshold, amount, now).await?;
    let detail = format!("threshold {}, amount {}", threshold.display_da(), amount.display_da());
    tx.audit(&actor.label(), "agreement.terms", child_id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the agreement is the person's own. Reaching for someone else's is
/// refused and audited, like any other reach past one's rights.
async fn own_agreement(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    agreement_id: &AgreementId,
) -> Result<(), AgreementError> {
    let mut tx = app.store.begin().await?;
    let agreement = tx.agreement(agreement_id).await?.filter(|a| a.child_id == child_id).ok_or(Refusal::NotFound)?;
    if agreement.person_id == actor.person_id {
        return Ok(());
    }
    let detail = format!("agreement {agreement_id}: not the owner");
    tx.audit(&actor.label(), "denied", child_id, &detail, &actor.source, app.now()).await?;
    tx.commit().await?;
    Err(AgreementError::NotOwner)
}

/// The provider saved (or did not save) the card for a pending set-up.
pub async fn confirm_setup(app: &App, provider: &str, notification: &Notification) -> Result<Settled, DepositError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let approved = notification.status == PaymentStatus::Approved && notification.token.is_some();
    let Some((child_id, person_id, threshold, amount)) =
        tx.finish_top_up_setup(&notification.reference, approved).await?
    else {
        return Ok(Settled::AlreadySettled);
    };
    if let (true, Some(token)) = (approved, &notification.token) {
        let agreement = saldo_store::NewAgreement {
            id: saldo_store::new_id("agr"),
            child_id: child_id.clone(),
            person_id: person_id.clone(),
            threshold,
            amount,
            provider: provider.to_owned(),
            provider_token: token.clone(),
            status: "active",
            card: notification
                .card
                .as_ref()
                .map(|c| saldo_store::SavedCard { last4: c.last4.clone(), expires: c.expires.clone() }),
        };
        tx.save_agreement(&agreement, now).await?;
        let detail = format!("threshold {}, amount {}", threshold.display_da(), amount.display_da());
        tx.audit(&format!("person:{person_id}"), "agreement.saved", &child_id, &detail, "provider", now).await?;
    }
    tx.commit().await?;
    Ok(if approved { Settled::Credited } else { Settled::NotPaid })
}

/// The owner pauses, resumes or ends their agreement.
pub async fn change(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    agreement_id: &AgreementId,
    change: Change,
) -> Result<(), AgreementError> {
    authorize_child(app, actor, Action::Deposit, child_id).await?;
    own_agreement(app, actor, child_id, agreement_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    match change {
        Change::Pause => {
            tx.set_agreement_status(agreement_id, false, now).await?;
        }
        Change::Resume => {
            tx.set_agreement_status(agreement_id, true, now).await?;
        }
        Change::Delete => tx.delete_agreement(agreement_id).await?,
    }
    tx.audit(
        &actor.label(),
        &format!("agreement.{change:?}").to_lowercase(),
        child_id,
        agreement_id.as_str(),
        &actor.source,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Pause,
    Resume,
    Delete,
}
