//! A form that moves money or changes a card acts once. Each rendering of
//! it carries a key of its own; the first submit claims the key, and a
//! re-submit, the back button or a duplicated tab with the same page finds
//! the claim and is shown where the first one went, instead of acting again.

use saldo_core::ids::PersonId;
use saldo_store::{Claim, StoreError};

use crate::App;

/// What a submitted key says.
#[derive(Debug, PartialEq, Eq)]
pub enum Once {
    /// First use: go ahead.
    New,
    /// Used before; the first submit went here.
    Done(String),
    /// Used before by a submit that has not finished (or was cut off).
    Busy,
}

/// The key a form's page carries: 256 random bits.
pub fn new_key() -> String {
    crate::tills::new_token()
}

/// Whether a submitted key looks like one Saldo minted.
pub fn is_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit())
}

fn scope(person: &PersonId) -> String {
    format!("form:{person}")
}

/// Claims `key` for this person's submit. A second submit with the key waits
/// for the first to commit its claim (the idempotency table's primary key).
pub async fn claim(app: &App, person: &PersonId, key: &str) -> Result<Once, StoreError> {
    let mut tx = app.store.begin().await?;
    let claim = tx.claim_idempotency_key(&scope(person), key, "form", app.now()).await?;
    tx.commit().await?;
    Ok(match claim {
        Claim::New => Once::New,
        Claim::Replay { status: 303, response } => Once::Done(response),
        Claim::Replay { .. } | Claim::Mismatch => Once::Busy,
    })
}

/// The submit with `key` acted and went to `location`.
pub async fn done(app: &App, person: &PersonId, key: &str, location: &str) -> Result<(), StoreError> {
    let mut tx = app.store.begin().await?;
    tx.remember_answer(&scope(person), key, 303, location).await?;
    tx.commit().await
}

/// The submit with `key` changed nothing (the form came back with an error): the key may be used again.
pub async fn unused(app: &App, person: &PersonId, key: &str) -> Result<(), StoreError> {
    let mut tx = app.store.begin().await?;
    tx.forget_idempotency_key(&scope(person), key).await?;
    tx.commit().await
}
