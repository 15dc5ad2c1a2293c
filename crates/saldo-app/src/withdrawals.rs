//! Withdrawals (udbetalinger): money back to a custodian, typically when a
//! child leaves the school. The amount is reserved at once, so it cannot be
//! spent twice; the operator approves (paid out through the provider as a
//! refund of earlier deposits, or to a bank account) or rejects (released).

use crate::views::{PayoutView, RefundView};
use saldo_core::ids::{ChildId, EntryId, PersonId, WithdrawalId};
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::lifecycle::{RefundStatus, WithdrawalStatus};
use saldo_core::payout::{BankAccount, PayoutMethod};
use saldo_core::rights::{authorize, Action, Denied, Target};
use saldo_core::Money;
use saldo_store::{EntryMeta, NewWithdrawal, PayoutRefundRow, PostError, StoreError, Tx, WithdrawalRow};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::debit::{debit, Debtor, Watch};
use crate::outbox::queue_mail;
use crate::{mail, App};

#[derive(Debug, thiserror::Error)]
pub enum WithdrawalError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("an amount must be positive")]
    NotPositive,
    #[error("the amount is more than the balance")]
    InsufficientFunds,
    #[error("no such withdrawal, or it is already decided")]
    NotPending,
    /// Only the custodian's own deposits can go back to their card.
    #[error("at most {0} can go back to the card that paid it in")]
    CardRefundTooSmall(Money),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A custodian asks for `amount` to be paid out; it is reserved at once.
pub async fn request(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    amount: Money,
    bank: Option<BankAccount>,
) -> Result<WithdrawalId, WithdrawalError> {
    if !amount.is_positive() {
        return Err(WithdrawalError::NotPositive);
    }
    let (child, _) = authorize_child(app, actor, Action::Withdraw, child_id).await?;
    crate::auth::require_recent_login(app, actor).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let wallet = tx.wallet_of_child(child_id).await?.ok_or(Refusal::NotFound)?;
    let entry = Entry::withdrawal(&wallet.id, amount).map_err(|_| WithdrawalError::NotPositive)?;
    let label = actor.label();
    let meta = EntryMeta { actor: &label, memo: "reserved for payout", at: now, reverses: None, spend_day: None };
    let debtor = Debtor { child_id, first_name: &child.first_name, wallet_id: &wallet.id, watch: Watch::Unknown };
    let posted = match debit(&mut tx, app, &debtor, &entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) => return Err(WithdrawalError::InsufficientFunds),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    // Checked after the reservation, which holds the wallet: a second request
    // at the same moment sees this one.
    if bank.is_none() {
        let back_to_card = refundable_in(&mut tx, app, child_id, &actor.person_id).await?;
        if amount > back_to_card {
            return Err(WithdrawalError::CardRefundTooSmall(back_to_card));
        }
    }
    let id = WithdrawalId::new(saldo_store::new_id("wdr"));
    tx.create_withdrawal(&NewWithdrawal {
        id: &id,
        child_id,
        wallet_id: &wallet.id,
        person_id: &actor.person_id,
        amount,
        bank: bank.as_ref().map(|b| (b.reg_no(), b.account_no())),
        reserve_entry_id: &posted.entry_id,
        at: now,
    })
    .await?;
    tx.audit(&label, "withdrawal.requested", child_id, &amount.display_da(), &actor.source, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// How much more can go back to the person's card: what they paid in for
/// the child through the provider, less what they had back (refunds, bank
/// payouts) and what they have asked to have paid to the card already.
pub async fn refundable(app: &App, child_id: &ChildId, person_id: &PersonId) -> Result<Money, StoreError> {
    let mut tx = app.store.begin().await?;
    refundable_in(&mut tx, app, child_id, person_id).await
}

async fn refundable_in(tx: &mut Tx, app: &App, child_id: &ChildId, person_id: &PersonId) -> Result<Money, StoreError> {
    let corrupt = |e: saldo_core::money::MoneyError| StoreError::Corrupt(e.to_string());
    let mut left = Money::ZERO;
    for provider in app.providers.names() {
        for deposit in tx.refundable_deposits(child_id, person_id, provider).await? {
            left = left.checked_add(deposit.left).map_err(corrupt)?;
        }
    }
    let mut owed = tx.pending_card_payouts(child_id, person_id).await?;
    owed.extend(tx.bank_payouts_paid(child_id, person_id).await?);
    for amount in owed {
        left = left.checked_sub(amount).map_err(corrupt)?;
    }
    Ok(if left.is_positive() { left } else { Money::ZERO })
}

/// Splits an approved card payout over the custodian's deposits, newest
/// first, each part set aside on its deposit and refunded by its own job.
async fn plan_refunds(tx: &mut Tx, app: &App, w: &WithdrawalRow, now: jiff::Timestamp) -> Result<(), WithdrawalError> {
    let mut left = w.amount;
    let mut deposits = Vec::new();
    for provider in app.providers.names() {
        deposits.extend(tx.refundable_deposits(&w.child_id, &w.person_id, provider).await?);
    }
    for deposit in deposits {
        if !left.is_positive() {
            break;
        }
        let mut part = if deposit.left < left { deposit.left } else { left };
        if !tx.reserve_deposit_refund(&deposit.id, part).await? {
            // Another approval took some of it since the list was read: take what is left now.
            let now_left = tx.deposit_refund_left(&deposit.id).await?;
            part = if now_left < part { now_left } else { part };
            if !part.is_positive() || !tx.reserve_deposit_refund(&deposit.id, part).await? {
                continue;
            }
        }
        let refund = tx.create_payout_refund(&w.id, &deposit.id, part, now).await?;
        tx.queue("payout_refund", &refund, now, now).await?;
        left = left.checked_sub(part).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    }
    if left.is_positive() {
        let covered = w.amount.checked_sub(left).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        return Err(WithdrawalError::CardRefundTooSmall(covered));
    }
    Ok(())
}

/// The job: asks the provider to refund one part of a card payout. An `Err`
/// is a passing trouble; the runner asks again with the same idempotency key.
pub async fn run_refund(app: &App, refund_id: &str) -> Result<(), String> {
    let refund = {
        let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
        tx.payout_refund(refund_id).await.map_err(|e| e.to_string())?
    };
    let Some(refund) = refund.filter(|r| r.status == RefundStatus::Pending) else { return Ok(()) };
    let Some(provider) = app.provider_named(&refund.provider) else {
        return Err(format!("the deposit's provider {} is not turned on", refund.provider));
    };
    // A refund the provider already took on is asked after, never made again.
    let outcome = match &refund.refund_ref {
        Some(refund_ref) => provider.refund_status(&refund.payment_ref, refund_ref).await,
        None => provider.refund(&refund.payment_ref, refund.amount, &refund.idem_key).await,
    }
    .map_err(|e| e.to_string())?;
    if let saldo_pay::RefundOutcome::Pending { refund_ref } = &outcome {
        let now = app.now();
        let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
        tx.set_refund_provider_ref(&refund.id, refund_ref).await.map_err(|e| e.to_string())?;
        let after = jiff::SignedDuration::from_secs(i64::try_from(app.settings.payments.poll_after_secs).unwrap_or(60));
        tx.queue("payout_refund", &refund.id, now, now + after).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        return Ok(());
    }
    settle_refund(app, &refund, &outcome).await.map_err(|e| e.to_string())
}

/// Books what the provider did with one part. Refunded: the part leaves the
/// books through the provider. Refused: it goes back on the child's account
/// (and its deposit can be refunded again later), and the parent is told.
async fn settle_refund(
    app: &App,
    refund: &PayoutRefundRow,
    outcome: &saldo_pay::RefundOutcome,
) -> Result<(), StoreError> {
    let now = app.now();
    let provider = refund.provider.as_str();
    let mut tx = app.store.begin().await?;
    let (status, provider_ref) = match outcome {
        saldo_pay::RefundOutcome::Refunded { refund_ref } => (RefundStatus::Refunded, refund_ref),
        saldo_pay::RefundOutcome::Refused { refund_ref } => (RefundStatus::Refused, refund_ref),
        // Not settled yet; `run_refund` asks again.
        saldo_pay::RefundOutcome::Pending { .. } => return Ok(()),
    };
    if !tx.settle_payout_refund(&refund.id, status, provider_ref, now).await? {
        return Ok(());
    }
    let entry = if status == RefundStatus::Refunded {
        tx.ensure_account(&AccountId::ProviderClearing(provider.to_owned())).await?;
        Entry::payout(provider, refund.amount)
    } else {
        tx.release_deposit_refund(&refund.deposit_id, refund.amount).await?;
        Entry::withdrawal(&refund.wallet_id, refund.amount).and_then(|e| e.reversal())
    };
    let entry = entry.map_err(|e| StoreError::Corrupt(format!("refund entry: {e}")))?;
    let meta =
        EntryMeta { actor: "payout", memo: refund.withdrawal_id.as_str(), at: now, reverses: None, spend_day: None };
    match tx.post(&entry, &meta).await {
        Ok(_) => {}
        // The account was closed meanwhile: the part stays due, for the operator.
        Err(PostError::Refused(_)) => {}
        Err(PostError::Store(e)) => return Err(e),
    }
    let detail = format!("{} of {}: {status}", refund.amount.display_da(), refund.withdrawal_id);
    tx.audit("payout", &format!("withdrawal.refund_{status}"), &refund.withdrawal_id, &detail, "provider", now).await?;
    if status == RefundStatus::Refused {
        if let Some(person) = app.store.person(&refund.person_id).await? {
            if let Some(email) = &person.email {
                let mail = mail::refund_refused(email, &refund.child_first_name, refund.amount, &person.lang);
                queue_mail(&mut tx, &mail, now).await?;
            }
        }
    }
    tx.commit().await
}

/// Card refunds for the operator's attention: those the provider refused
/// (back on the child's account), and those it never answered (to ask again).
pub async fn refunds_to_watch(app: &App, actor: &Actor) -> Result<(Vec<RefundView>, Vec<RefundView>), Refusal> {
    must_approve(actor)?;
    let views = |rows: Vec<PayoutRefundRow>| rows.into_iter().map(RefundView::from).collect();
    Ok((views(app.store.refused_payout_refunds(200).await?), views(app.store.unanswered_payout_refunds(200).await?)))
}

fn must_approve(actor: &Actor) -> Result<(), Refusal> {
    match authorize(&actor.grants, Action::ApproveWithdrawal, &Target::default()) {
        Ok(_) => Ok(()),
        Err(Denied::NotYours) => Err(Refusal::NotFound),
        Err(denied) => Err(Refusal::Forbidden(denied)),
    }
}

/// The operator's queue: withdrawals waiting for a decision.
pub async fn pending(app: &App, actor: &Actor) -> Result<Vec<PayoutView>, Refusal> {
    must_approve(actor)?;
    Ok(app
        .store
        .withdrawals_with_status(WithdrawalStatus::Requested, 500)
        .await?
        .into_iter()
        .map(PayoutView::from)
        .collect())
}

/// Which approved bank payouts a transfer file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BankFile {
    /// Those not handed to finance yet; they are marked as handed over.
    New,
    /// Those approved in a period, handed over before or not (a file again).
    Period(jiff::Timestamp, jiff::Timestamp),
}

/// The approved bank payouts for finance to transfer. Account numbers leave
/// the system here, so every file is audited.
pub async fn bank_transfers(app: &App, actor: &Actor, file: BankFile) -> Result<Vec<PayoutView>, Refusal> {
    must_approve(actor)?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let (rows, what) = match file {
        BankFile::New => (tx.take_unexported_bank_withdrawals(now).await?, "new".to_owned()),
        BankFile::Period(from, to) => (
            app.store.paid_bank_withdrawals(from.as_microsecond(), to.as_microsecond()).await?,
            format!("{from} to {to}"),
        ),
    };
    let detail = format!("{} bank transfers, {what}", rows.len());
    tx.audit(&actor.label(), "withdrawal.bank_export", "admin", &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(PayoutView::from).collect())
}

/// The operator approves (the money leaves the books) or rejects (the
/// reservation is reversed back to the wallet). Decided once.
pub async fn decide(
    app: &App,
    actor: &Actor,
    withdrawal_id: &WithdrawalId,
    approve: bool,
) -> Result<(), WithdrawalError> {
    must_approve(actor)?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let w = tx
        .withdrawal(withdrawal_id)
        .await?
        .filter(|w| w.status == WithdrawalStatus::Requested)
        .ok_or(WithdrawalError::NotPending)?;
    let label = actor.label();
    let (status, settle_entry) = match (approve, w.method) {
        // Each part leaves the books when the provider has refunded it (`settle_refund`).
        (true, PayoutMethod::Card) => {
            plan_refunds(&mut tx, app, &w, now).await?;
            (WithdrawalStatus::Paid, None)
        }
        (true, _) => {
            tx.ensure_account(&AccountId::ProviderClearing("bank".to_owned())).await?;
            (
                WithdrawalStatus::Paid,
                Some(post_decision(&mut tx, &w, Entry::payout("bank", w.amount), None, &label, now).await?),
            )
        }
        (false, _) => {
            // A rejection reverses the reservation, and says so.
            let reserve_entry = tx.withdrawal_reserve_entry(&w.id).await?;
            let entry = Entry::withdrawal(&w.wallet_id, w.amount).and_then(|e| e.reversal());
            (
                WithdrawalStatus::Rejected,
                Some(post_decision(&mut tx, &w, entry, reserve_entry.as_ref(), &label, now).await?),
            )
        }
    };
    if !tx.decide_withdrawal(&w.id, status, settle_entry.as_ref(), &label, now).await? {
        return Err(WithdrawalError::NotPending);
    }
    tx.audit(&label, &format!("withdrawal.{status}"), &w.child_id, &w.amount.display_da(), &actor.source, now).await?;
    if let Some(person) = app.store.person(&w.person_id).await? {
        if let Some(email) = &person.email {
            let child = w.child_name.split(' ').next().unwrap_or_default();
            // Only the last digits of the account go in a mail.
            let account = w.bank_account.as_deref().map(|a| format!("…{}", &a[a.len().saturating_sub(4)..]));
            let mail = mail::payout_decided(email, child, w.amount, account.as_deref(), approve, &person.lang);
            queue_mail(&mut tx, &mail, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn post_decision(
    tx: &mut Tx,
    w: &WithdrawalRow,
    entry: Result<Entry, saldo_core::ledger::EntryError>,
    reverses: Option<&EntryId>,
    label: &str,
    now: jiff::Timestamp,
) -> Result<EntryId, WithdrawalError> {
    let entry = entry.map_err(|e| StoreError::Corrupt(format!("withdrawal entry: {e}")))?;
    let meta = EntryMeta { actor: label, memo: w.id.as_str(), at: now, reverses, spend_day: None };
    match tx.post(&entry, &meta).await {
        Ok(posted) => Ok(posted.entry_id),
        Err(PostError::Refused(wallet)) => {
            Err(StoreError::Corrupt(format!("wallet {wallet} refused a released reservation")).into())
        }
        Err(PostError::Store(e)) => Err(e.into()),
    }
}
