//! What money leaving a wallet sets off, inside the same transaction, so it
//! happens exactly when the debit commits: an automatic top-up when the
//! balance dipped under an agreement's threshold, and a mail to whoever asked
//! to hear when it fell below theirs.

use saldo_core::Money;
use saldo_store::{StoreError, Tx};

use crate::App;

/// A debit as what follows it needs to know it.
pub(crate) struct Debit<'a> {
    pub child_id: &'a str,
    pub child_name: &'a str,
    pub wallet_id: &'a str,
    pub amount: Money,
    /// The balance the debit left.
    pub balance: Money,
}

pub(crate) async fn after_debit(
    tx: &mut Tx,
    app: &App,
    debit: &Debit<'_>,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    crate::agreements::after_debit(tx, app, debit.child_id, debit.wallet_id, debit.balance, now).await?;
    let before = debit.balance.checked_add(debit.amount).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    crate::low_balance::after_debit(tx, debit.child_id, debit.child_name, before, debit.balance, now).await
}
