//! Mistakes at the till: void the sale just made (a reversal entry, never a
//! deletion), or refund a line of an earlier sale with a manager's PIN.

use saldo_core::ids::EntryId;
use saldo_core::ledger::Entry;
use saldo_core::Money;
use saldo_store::{Claim, EntryMeta, PostError, StoreError, TillRow};
use serde::{Deserialize, Serialize};

use crate::idempotency::{request_hash, IdempotencyKey};

use crate::till_setup::{staff_by_pin, TillSetupError, TillStaff};
use crate::App;

/// A sale may be voided this long after it was made.
pub const VOID_MINUTES: i64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum MistakeError {
    #[error("no such sale at this till")]
    UnknownSale,
    #[error("the sale is more than {VOID_MINUTES} minutes old; refund a line instead")]
    TooLate,
    #[error("the sale is already voided or partly refunded")]
    AlreadyUndone,
    #[error("no such line, or not that many left to refund")]
    NothingToRefund,
    #[error("the wallet is closed")]
    WalletClosed,
    #[error("this idempotency key was used for another refund")]
    KeyReused,
    #[error(transparent)]
    Setup(#[from] TillSetupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What was given back, and the wallet's balance after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenBack {
    pub entry_id: EntryId,
    pub amount: Money,
    pub balance: Money,
}

/// Today's newest sales at the till's sales point, for finding the one a
/// line is refunded from. Staff see the child's first name, as at the sale.
pub async fn recent_sales(app: &App, till: &TillRow) -> Result<Vec<saldo_store::RecentSale>, StoreError> {
    const SHOWN: i64 = 30;
    let midnight = saldo_core::day::local_day(app.now())
        .to_zoned(saldo_core::day::local_tz())
        .map(|z| z.timestamp())
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    app.store.recent_sales(&till.sales_point_id, midnight.as_microsecond(), SHOWN).await
}

/// Voids a sale this till made a moment ago: the whole amount goes back to
/// the wallet and the day's spend with it. Twice is refused, never paid twice.
pub async fn void(
    app: &App,
    till: &TillRow,
    staff: &TillStaff,
    purchase_id: &EntryId,
) -> Result<GivenBack, MistakeError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let sale = tx.sale(purchase_id).await?.filter(|s| s.till_id == till.id).ok_or(MistakeError::UnknownSale)?;
    if now.as_microsecond() - sale.created_at > VOID_MINUTES * 60_000_000 {
        return Err(MistakeError::TooLate);
    }
    if !tx.claim_void(&sale.id).await? {
        return Err(MistakeError::AlreadyUndone);
    }
    let entry = Entry::purchase(&sale.wallet_id, &sale.sales_point_id, sale.total)
        .and_then(|e| e.reversal())
        .map_err(|e| StoreError::Corrupt(format!("void entry: {e}")))?;
    let actor = format!("person:{}", staff.person_id);
    let meta =
        EntryMeta { actor: &actor, memo: "void", at: now, reverses: Some(&sale.id), spend_day: Some(&sale.spend_day) };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) => return Err(MistakeError::WalletClosed),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    tx.note_void(&sale.id, &posted.entry_id).await?;
    tx.audit(&actor, "till.void", &sale.id, &format!("till {}", till.id), "", now).await?;
    let balance = posted.wallet(&sale.wallet_id).map(|w| w.balance).unwrap_or_default();
    tx.commit().await?;
    Ok(GivenBack { entry_id: posted.entry_id, amount: sale.total, balance })
}

/// Which line of which sale, and how many of it, go back.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LineRefund<'a> {
    pub purchase_id: &'a EntryId,
    pub seq: i64,
    pub quantity: i64,
}

/// Refunds `quantity` of line `seq` of a sale of this sales point. A
/// manager's PIN is the permission; the refunds of a line never exceed what
/// was sold; the same key again answers the first refund and gives nothing more.
pub async fn refund_line(
    app: &App,
    till: &TillRow,
    refund: &LineRefund<'_>,
    manager_pin: &str,
    key: &IdempotencyKey,
) -> Result<GivenBack, MistakeError> {
    let manager = staff_by_pin(app, till, manager_pin, true).await?;
    if refund.quantity < 1 {
        return Err(MistakeError::NothingToRefund);
    }
    let now = app.now();
    let scope = format!("till_refund:{}", till.id);
    let mut tx = app.store.begin().await?;
    match tx.claim_idempotency_key(&scope, key.as_str(), &request_hash(refund), now).await? {
        Claim::New => {}
        Claim::Replay { response, .. } => {
            return serde_json::from_str(&response).map_err(|e| StoreError::Corrupt(e.to_string()).into())
        }
        Claim::Mismatch => return Err(MistakeError::KeyReused),
    }
    let sale = tx
        .sale(refund.purchase_id)
        .await?
        .filter(|s| s.sales_point_id == till.sales_point_id)
        .ok_or(MistakeError::UnknownSale)?;
    if sale.voided {
        return Err(MistakeError::AlreadyUndone);
    }
    let (seq, quantity) = (refund.seq, refund.quantity);
    let line =
        tx.sale_lines(&sale.id).await?.into_iter().find(|l| l.seq == seq).ok_or(MistakeError::NothingToRefund)?;
    let amount = line.unit_price.checked_mul(quantity).map_err(|_| MistakeError::NothingToRefund)?;
    if !tx.claim_line_refund(&sale.id, seq, quantity).await? || !tx.mark_refunded(&sale.id, amount).await? {
        return Err(MistakeError::NothingToRefund);
    }
    let entry = Entry::refund(&sale.wallet_id, &sale.sales_point_id, amount)
        .map_err(|e| StoreError::Corrupt(format!("refund entry: {e}")))?;
    let actor = format!("person:{}", manager.person_id);
    let meta = EntryMeta { actor: &actor, memo: sale.id.as_str(), at: now, reverses: None, spend_day: None };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) => return Err(MistakeError::WalletClosed),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    tx.audit(&actor, "till.refund_line", &sale.id, &format!("line {seq} × {quantity}: {}", line.name), "", now).await?;
    let balance = posted
        .wallet(&sale.wallet_id)
        .map(|w| w.balance)
        .ok_or_else(|| StoreError::Corrupt("posted refund without its wallet".into()))?;
    let back = GivenBack { entry_id: posted.entry_id, amount, balance };
    let answer = serde_json::to_string(&back).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.remember_answer(&scope, key.as_str(), 200, &answer).await?;
    tx.commit().await?;
    Ok(back)
}
