//! Money in (indbetaling): a deposit the payment provider has confirmed.
//!
//! The deposit flows (portal, top-up agreements) end here, with the
//! provider's own payment reference as the idempotency key: a confirmation
//! that arrives twice credits once.

use saldo_core::ledger::{AccountId, Entry};
use saldo_core::Money;
use saldo_store::{Claim, EntryMeta, PostError, StoreError};
use serde::{Deserialize, Serialize};

use crate::idempotency::{request_hash, IdempotencyKey};
use crate::App;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credited {
    pub entry_id: String,
    pub balance: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum CreditError {
    #[error("an amount to credit must be positive")]
    NotPositive,
    #[error("no wallet {0}")]
    UnknownWallet(String),
    #[error("the wallet is closed")]
    WalletClosed,
    #[error("the payment reference was already used for another amount or wallet")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Serialize)]
struct Fingerprint<'a> {
    wallet_id: &'a str,
    provider: &'a str,
    amount: Money,
}

/// Credits `amount` to the wallet from `provider`'s clearing account.
pub async fn credit(
    app: &App,
    wallet_id: &str,
    amount: Money,
    provider: &str,
    reference: &IdempotencyKey,
    actor: &str,
) -> Result<Credited, CreditError> {
    let entry = Entry::deposit(wallet_id, provider, amount).map_err(|_| CreditError::NotPositive)?;
    let now = app.now();
    let scope = format!("credit:{provider}");
    let fingerprint = request_hash(&Fingerprint { wallet_id, provider, amount });

    let mut tx = app.store.begin().await?;
    match tx.claim_idempotency_key(&scope, reference.as_str(), &fingerprint, now).await? {
        Claim::New => {}
        Claim::Mismatch => return Err(CreditError::KeyReused),
        Claim::Replay { response, .. } => {
            return serde_json::from_str(&response)
                .map_err(|e| StoreError::Corrupt(format!("stored credit answer: {e}")).into());
        }
    }
    let wallet = tx.wallet(wallet_id).await?.ok_or_else(|| CreditError::UnknownWallet(wallet_id.to_owned()))?;
    if !wallet.open {
        return Err(CreditError::WalletClosed);
    }
    tx.ensure_account(&AccountId::ProviderClearing(provider.to_owned())).await?;
    let meta = EntryMeta { actor, memo: reference.as_str(), at: now, reverses: None, spend_day: None };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) => return Err(CreditError::WalletClosed),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    let balance = posted.wallet(wallet_id).map(|w| w.balance).unwrap_or(wallet.balance);
    let credited = Credited { entry_id: posted.entry_id, balance };
    let answer = serde_json::to_string(&credited).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.remember_answer(&scope, reference.as_str(), 201, &answer).await?;
    tx.commit().await?;
    Ok(credited)
}
