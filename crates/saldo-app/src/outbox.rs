//! The outbox: a mail is written in the same transaction as what it tells,
//! so it goes out exactly when that commits (the job runner sends it).

use saldo_store::{StoreError, Tx};

use crate::mail::Mail;

/// Queues `mail` for sending once the transaction commits.
pub(crate) async fn queue_mail(tx: &mut Tx, mail: &Mail, now: jiff::Timestamp) -> Result<(), StoreError> {
    let payload = serde_json::to_string(mail).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.queue("mail", &payload, now, now).await?;
    Ok(())
}
