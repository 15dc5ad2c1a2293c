//! Money in (indbetaling): a deposit the payment provider has confirmed.
//!
//! Every deposit flow (portal deposits, top-up agreements) ends in
//! [`credit_in`], with the provider's own payment reference as the
//! idempotency key: a confirmation that arrives twice credits once. There is
//! no way to credit without a payment row behind it (`saldo verify` checks).

use saldo_core::ids::{EntryId, WalletId};
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::Money;
use saldo_store::{Claim, EntryMeta, PostError, Posted, StoreError, Tx};
use serde::{Deserialize, Serialize};

/// What a credit answered, kept with its idempotency key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Credited {
    pub entry_id: EntryId,
    pub balance: Money,
}

/// A payment the provider has taken, to be put in a wallet.
pub(crate) struct Payment<'a> {
    pub wallet_id: &'a WalletId,
    pub provider: &'a str,
    /// The provider's payment id: the idempotency key.
    pub reference: &'a str,
    /// What reaches the wallet.
    pub amount: Money,
    /// What the operator keeps of the payment (the deposit fee).
    pub fee: Money,
    pub actor: &'a str,
    /// Other children's parts the same payment pays (one payment for several children).
    pub others: &'a [(WalletId, Money)],
}

/// What [`credit_in`] did.
pub(crate) enum CreditIn {
    Posted(Posted),
    /// The reference was credited before, to the same `fingerprint`: nothing moved again.
    Already,
    /// The reference was credited before, for something else: nothing moved.
    KeyReused,
}

/// Credits a payment in the caller's transaction, at most once per provider
/// reference. `fingerprint` says what the reference pays for (a deposit's
/// id, a charge's id, or a hash of the request); the same reference with
/// another fingerprint is refused. A closed wallet refuses the entry.
pub(crate) async fn credit_in(
    tx: &mut Tx,
    payment: &Payment<'_>,
    fingerprint: &str,
    now: jiff::Timestamp,
) -> Result<CreditIn, PostError> {
    let scope = format!("credit:{}", payment.provider);
    match tx.claim_idempotency_key(&scope, payment.reference, fingerprint, now).await? {
        Claim::New => {}
        Claim::Mismatch => return Ok(CreditIn::KeyReused),
        Claim::Replay { .. } => return Ok(CreditIn::Already),
    }
    let entry = if payment.others.is_empty() {
        Entry::deposit_with_fee(payment.wallet_id, payment.provider, payment.amount, payment.fee)
    } else {
        let mut parts = vec![(payment.wallet_id.clone(), payment.amount)];
        parts.extend(payment.others.iter().cloned());
        Entry::deposit_for_several(payment.provider, &parts, payment.fee)
    }
    .map_err(|e| StoreError::Corrupt(format!("deposit entry: {e}")))?;
    tx.ensure_account(&AccountId::ProviderClearing(payment.provider.to_owned())).await?;
    let meta = EntryMeta { actor: payment.actor, memo: payment.reference, at: now, reverses: None, spend_day: None };
    let posted = tx.post(&entry, &meta).await?;
    let balance = posted.wallet(payment.wallet_id).map(|w| w.balance).unwrap_or_default();
    let answer = serde_json::to_string(&Credited { entry_id: posted.entry_id.clone(), balance })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.remember_answer(&scope, payment.reference, 201, &answer).await?;
    Ok(CreditIn::Posted(posted))
}
