//! Money out of a wallet (a purchase, a card fee, a transfer to a sibling, a
//! payout's reservation): every debit posts through [`debit`], which then
//! runs what money leaving a wallet sets off, inside the same transaction so
//! it happens exactly when the debit commits: an automatic top-up when the
//! balance dipped under an agreement's threshold, and a mail to whoever asked
//! to hear when it fell below theirs.

use saldo_core::day::day_key;
use saldo_core::ids::{ChildId, WalletId};
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::Money;
use saldo_store::{EntryMeta, PostError, Posted, SaleRecord, StoreError, Tx};

use crate::App;

/// The child whose wallet an entry takes money from.
pub(crate) struct Debtor<'a> {
    pub child_id: &'a ChildId,
    pub first_name: &'a str,
    pub wallet_id: &'a WalletId,
    pub watch: Watch,
}

/// What the caller already knows of the thresholds the after-debit rules
/// act on, so a debit that leaves the balance above them asks nothing more.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Watch {
    /// Not read: look.
    Unknown,
    /// Read in the same transaction: the highest active agreement's
    /// threshold, and the highest amount someone asked to be mailed below.
    Known { top_up_below: Option<Money>, notify_below: Option<Money> },
}

impl Watch {
    fn may_top_up(self, after: Money) -> bool {
        match self {
            Watch::Unknown => true,
            Watch::Known { top_up_below, .. } => top_up_below.is_some_and(|t| after < t),
        }
    }

    fn may_notify(self, after: Money) -> bool {
        match self {
            Watch::Unknown => true,
            Watch::Known { notify_below, .. } => notify_below.is_some_and(|t| after < t),
        }
    }
}

/// Posts `entry`, which takes money from the debtor's wallet, then runs the
/// after-debit rules. A refusal (too little money, past the day's limit, a
/// closed wallet) comes back as `PostError::Refused`, and nothing ran.
pub(crate) async fn debit(
    tx: &mut Tx,
    app: &App,
    debtor: &Debtor<'_>,
    entry: &Entry,
    meta: &EntryMeta<'_>,
) -> Result<Posted, PostError> {
    let taken = taken_from(debtor, entry)?;
    let posted = tx.post(entry, meta).await?;
    after_debit(tx, app, debtor, taken, &posted, meta.at).await?;
    Ok(posted)
}

/// A sale's debit: [`Tx::post_purchase`] writes the entry and the purchase
/// together (one statement on PostgreSQL), then the same after-debit rules.
pub(crate) async fn debit_sale(
    tx: &mut Tx,
    app: &App,
    debtor: &Debtor<'_>,
    entry: &Entry,
    meta: &EntryMeta<'_>,
    sale: &SaleRecord<'_>,
) -> Result<Posted, PostError> {
    let taken = taken_from(debtor, entry)?;
    let posted = tx.post_purchase(entry, meta, sale).await?;
    after_debit(tx, app, debtor, taken, &posted, meta.at).await?;
    Ok(posted)
}

/// What `entry` takes from the debtor's wallet.
fn taken_from(debtor: &Debtor<'_>, entry: &Entry) -> Result<Money, StoreError> {
    let account = AccountId::Wallet(debtor.wallet_id.to_owned());
    entry
        .postings()
        .iter()
        .find(|p| p.account == account && p.amount.is_negative())
        .map(|p| Money::from_ore(-p.amount.ore()))
        .ok_or_else(|| StoreError::Corrupt(format!("a debit that takes nothing from {}", debtor.wallet_id)))
}

/// The rules money leaving a wallet sets off, in the debit's transaction.
async fn after_debit(
    tx: &mut Tx,
    app: &App,
    debtor: &Debtor<'_>,
    taken: Money,
    posted: &Posted,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    let after = posted
        .wallet(debtor.wallet_id)
        .map(|w| w.balance)
        .ok_or_else(|| StoreError::Corrupt(format!("a debit posted without its wallet {}", debtor.wallet_id)))?;
    let before = after.checked_add(taken).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if debtor.watch.may_top_up(after) {
        start_top_up(tx, app, debtor, after, at).await?;
    }
    if debtor.watch.may_notify(after) {
        crate::low_balance::after_debit(tx, debtor.child_id, debtor.first_name, before, after, at).await?;
    }
    Ok(())
}

/// Starts a charge when the balance is now under an agreement's threshold:
/// one per dip, never while one is in flight, at most the day's cap (the
/// claim is one conditional write). The job runner makes the charge.
async fn start_top_up(
    tx: &mut Tx,
    app: &App,
    debtor: &Debtor<'_>,
    balance: Money,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let day = day_key(now);
    let cap = app.settings.top_ups.daily_cap;
    if let Some(agreement) = tx.claim_top_up(debtor.child_id, balance, &day, cap, now).await? {
        let charge = tx.create_charge(&agreement, debtor.wallet_id, 1, now).await?;
        tx.queue("top_up", &charge, now, now).await?;
    }
    Ok(())
}
