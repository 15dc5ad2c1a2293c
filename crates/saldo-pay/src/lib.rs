//! Payment providers behind one trait: the built-in sandbox and, later, real adapters.
//!
//! A deposit goes the way hosted payment windows work at Nordic providers: the
//! merchant (Saldo) sends the payer to the provider's page with signed
//! parameters; the provider tells the merchant the outcome by a signed
//! server-to-server callback, whether or not the payer's browser ever comes
//! back. The ledger side of a confirmed payment is the app's; this crate only
//! speaks the provider's protocol.

pub mod sandbox;
mod signing;

use std::future::Future;
use std::pin::Pin;

use saldo_core::Money;
use serde::{Deserialize, Serialize};

pub use sandbox::Sandbox;

/// What the merchant asks the provider to charge.
#[derive(Clone, Debug)]
pub struct PaymentRequest<'a> {
    /// The merchant's own id for the payment (a deposit id).
    pub reference: &'a str,
    /// What the payer is charged, fees included.
    pub amount: Money,
    pub description: &'a str,
    /// Where the payer's browser goes afterwards.
    pub return_url: &'a str,
    /// Where the provider posts the outcome.
    pub callback_url: &'a str,
    /// `da` or `en`: the language of the payment page.
    pub lang: &'a str,
    /// Save the card for later charges by token (a top-up agreement); the
    /// callback then carries the token.
    pub save_card: bool,
}

/// A payment the provider has opened; send the payer to `redirect_url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartedPayment {
    pub provider_ref: String,
    pub redirect_url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Approved,
    Declined,
    Cancelled,
}

/// The provider's word on a payment, from a verified callback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub provider_ref: String,
    pub reference: String,
    pub amount_ore: i64,
    pub status: PaymentStatus,
    /// The saved card's token, when the payment saved one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Which card was saved, so its owner can recognise it and be reminded before it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardInfo>,
}

/// A saved card as the payer may see it: enough to recognise, never to charge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardInfo {
    pub last4: String,
    /// `YYYY-MM`: the card works through the end of that month.
    pub expires: String,
}

/// What a charge by saved token came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ChargeOutcome {
    Succeeded {
        provider_ref: String,
    },
    Declined {
        provider_ref: String,
    },
    /// The bank wants the cardholder present (3-D Secure): no money moved.
    NeedsCardholder {
        provider_ref: String,
    },
}

/// What a refund of an earlier payment came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RefundOutcome {
    /// The money goes back to the card that paid.
    Refunded { refund_ref: String },
    /// The provider will not refund it (too old, already refunded, unknown).
    Refused { refund_ref: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayError {
    #[error("the signature does not match: forged or altered")]
    BadSignature,
    #[error("the provider's message cannot be read: {0}")]
    Malformed(String),
    #[error("the provider is unreachable or refused: {0}")]
    Provider(String),
    #[error("no payment provider is configured")]
    NotConfigured,
}

/// What Saldo uses when the configuration names no provider: nothing is
/// paid, charged or refunded, and no notification is believed. Money comes
/// in only through a provider the operator turned on by name.
pub struct NoProvider;

impl PaymentProvider for NoProvider {
    fn name(&self) -> &'static str {
        "none"
    }

    fn start<'a>(&'a self, _request: &'a PaymentRequest<'a>) -> BoxFuture<'a, Result<StartedPayment, PayError>> {
        Box::pin(async { Err(PayError::NotConfigured) })
    }

    fn charge_saved<'a>(
        &'a self,
        _token: &'a str,
        _amount: Money,
        _idempotency_key: &'a str,
        _reference: &'a str,
    ) -> BoxFuture<'a, Result<ChargeOutcome, PayError>> {
        Box::pin(async { Err(PayError::NotConfigured) })
    }

    fn refund<'a>(
        &'a self,
        _payment_ref: &'a str,
        _amount: Money,
        _idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async { Err(PayError::NotConfigured) })
    }

    fn verify_notification(&self, _signature: &str, _body: &[u8]) -> Result<Notification, PayError> {
        Err(PayError::NotConfigured)
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A payment provider as Saldo uses it.
pub trait PaymentProvider: Send + Sync {
    /// The name used for its clearing account and idempotency scope.
    fn name(&self) -> &'static str;

    /// Opens a payment; real providers call their API here.
    fn start<'a>(&'a self, request: &'a PaymentRequest<'a>) -> BoxFuture<'a, Result<StartedPayment, PayError>>;

    /// Charges a saved card without the cardholder present. The same
    /// `idempotency_key` again returns the first outcome and charges once.
    fn charge_saved<'a>(
        &'a self,
        token: &'a str,
        amount: Money,
        idempotency_key: &'a str,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<ChargeOutcome, PayError>>;

    /// Refunds `amount` of an earlier payment to the card that paid it. The
    /// same `idempotency_key` again returns the first outcome and refunds once.
    fn refund<'a>(
        &'a self,
        payment_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>>;

    /// Checks a callback's signature and reads it. Anything unsigned, altered
    /// or malformed is refused: a forged callback can never move money.
    fn verify_notification(&self, signature: &str, body: &[u8]) -> Result<Notification, PayError>;
}
