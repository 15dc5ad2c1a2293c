//! Withdrawals (udbetalinger): money back to a custodian, typically when a
//! child leaves the school. The amount is reserved at once, so it cannot be
//! spent twice; the operator approves (paid out through the provider as a
//! refund of earlier deposits, or to a bank account) or rejects (released).

use saldo_core::ledger::{AccountId, Entry};
use saldo_core::payout::BankAccount;
use saldo_core::rights::{authorize, Action, Denied, Target};
use saldo_core::Money;
use saldo_store::{EntryMeta, NewWithdrawal, PostError, StoreError, WithdrawalRow};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::App;

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
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A custodian asks for `amount` to be paid out; it is reserved at once.
pub async fn request(
    app: &App,
    actor: &Actor,
    child_id: &str,
    amount: Money,
    bank: Option<BankAccount>,
) -> Result<String, WithdrawalError> {
    if !amount.is_positive() {
        return Err(WithdrawalError::NotPositive);
    }
    authorize_child(app, actor, Action::Withdraw, child_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let wallet = tx.wallet_of_child(child_id).await?.ok_or(Refusal::NotFound)?;
    let entry = Entry::withdrawal(&wallet.id, amount).map_err(|_| WithdrawalError::NotPositive)?;
    let label = actor.label();
    let meta = EntryMeta { actor: &label, memo: "reserved for payout", at: now, reverses: None, spend_day: None };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) => return Err(WithdrawalError::InsufficientFunds),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    let id = saldo_store::new_id("wdr");
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

fn must_approve(actor: &Actor) -> Result<(), Refusal> {
    match authorize(&actor.grants, Action::ApproveWithdrawal, &Target::default()) {
        Ok(_) => Ok(()),
        Err(Denied::NotYours) => Err(Refusal::NotFound),
        Err(denied) => Err(Refusal::Forbidden(denied)),
    }
}

/// The operator's queue: withdrawals waiting for a decision.
pub async fn pending(app: &App, actor: &Actor) -> Result<Vec<WithdrawalRow>, Refusal> {
    must_approve(actor)?;
    Ok(app.store.withdrawals_with_status("requested", 500).await?)
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
pub async fn bank_transfers(app: &App, actor: &Actor, file: BankFile) -> Result<Vec<WithdrawalRow>, Refusal> {
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
    Ok(rows)
}

/// The operator approves (the money leaves the books) or rejects (the
/// reservation is reversed back to the wallet). Decided once.
pub async fn decide(app: &App, actor: &Actor, withdrawal_id: &str, approve: bool) -> Result<(), WithdrawalError> {
    must_approve(actor)?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let w =
        tx.withdrawal(withdrawal_id).await?.filter(|w| w.status == "requested").ok_or(WithdrawalError::NotPending)?;
    let label = actor.label();
    let (entry, status) = if approve {
        let channel = if w.method == "bank" { "bank".to_owned() } else { app.provider.name().to_owned() };
        tx.ensure_account(&AccountId::ProviderClearing(channel.clone())).await?;
        (Entry::payout(&channel, w.amount), "paid")
    } else {
        (Entry::withdrawal(&w.wallet_id, w.amount).and_then(|e| e.reversal()), "rejected")
    };
    let entry = entry.map_err(|e| StoreError::Corrupt(format!("withdrawal entry: {e}")))?;
    // A rejection reverses the reservation, and says so.
    let reserve_entry = if approve { None } else { tx.withdrawal_reserve_entry(&w.id).await? };
    let meta = EntryMeta { actor: &label, memo: &w.id, at: now, reverses: reserve_entry.as_deref(), spend_day: None };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(wallet)) => {
            return Err(StoreError::Corrupt(format!("wallet {wallet} refused a released reservation")).into())
        }
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    if !tx.decide_withdrawal(&w.id, status, &posted.entry_id, &label, now).await? {
        return Err(WithdrawalError::NotPending);
    }
    tx.audit(&label, &format!("withdrawal.{status}"), &w.child_id, &w.amount.display_da(), &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}
