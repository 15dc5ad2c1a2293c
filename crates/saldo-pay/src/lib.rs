//! Payment providers behind one trait: the built-in sandbox and the real
//! adapters (Nexi Checkout, Vipps MobilePay ePayment, Stripe).
//!
//! A deposit goes the way hosted payment windows work at Nordic providers: the
//! merchant (Saldo) sends the payer to the provider's page; the provider tells
//! the merchant the outcome by a server-to-server callback, whether or not the
//! payer's browser ever comes back. A callback is only a hint: it is verified
//! from its headers, raw body and the address it was posted to, and then,
//! unless the provider signed the whole outcome (the sandbox), the payment is
//! read back from the provider before any money moves. A payment whose
//! callback never comes is read back by polling. The ledger side of a
//! confirmed payment is the app's; this crate only speaks the providers'
//! protocols and never touches the database.

pub mod nexi;
pub mod sandbox;
mod signing;
pub mod stripe;
pub mod vipps;

#[cfg(feature = "fake")]
pub mod fake;

use std::future::Future;
use std::pin::Pin;

use saldo_core::Money;
use serde::{Deserialize, Serialize};

pub use reqwest::header::HeaderMap;
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
    /// amount is then zero and the payment's read-back carries the token.
    pub save_card: bool,
    /// The one way of paying the payer chose on Saldo's page (its fee was
    /// shown there); `None`: whatever the provider's page offers.
    pub method: Option<PaymentMethod>,
}

/// A way of paying that a provider's page offers and the operator may price
/// apart (Danish acquirers charge less for Dankort than for Visa/Mastercard).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Dankort,
    VisaMastercard,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 2] = [PaymentMethod::Dankort, PaymentMethod::VisaMastercard];

    /// Its name in settings and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Dankort => "dankort",
            PaymentMethod::VisaMastercard => "visa_mastercard",
        }
    }

    pub fn parse(name: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// A payment the provider has opened; send the payer to `redirect_url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartedPayment {
    pub provider_ref: String,
    pub redirect_url: String,
}

/// What a payment came to, as far as a deposit is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Approved,
    Declined,
    Cancelled,
}

/// Where a payment stands at the provider, in Saldo's words. Every
/// provider's own states map onto these (see each adapter).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Opened; the payer has not finished (or a charge is still processing).
    Pending,
    /// Reserved on the payer's card or wallet, not yet taken (Vipps before capture).
    Authorized,
    /// The money is taken (charged, captured; a saved card is saved).
    Captured,
    /// Stopped by the payer or the merchant before any money was taken.
    Cancelled,
    /// The payer did not finish in time.
    Expired,
    /// Taken, then given back in full.
    Refunded,
    /// Refused by the bank or the provider.
    Failed,
}

impl PaymentState {
    /// What a deposit waiting on this payment becomes, if it is settled.
    /// `Authorized` is not settled: it must be captured first.
    pub fn settles_as(self) -> Option<PaymentStatus> {
        match self {
            PaymentState::Captured => Some(PaymentStatus::Approved),
            PaymentState::Failed => Some(PaymentStatus::Declined),
            PaymentState::Cancelled | PaymentState::Expired => Some(PaymentStatus::Cancelled),
            // Given back before Saldo credited it: a matter for reconciliation, not a credit.
            PaymentState::Pending | PaymentState::Authorized | PaymentState::Refunded => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Pending => "pending",
            PaymentState::Authorized => "authorized",
            PaymentState::Captured => "captured",
            PaymentState::Cancelled => "cancelled",
            PaymentState::Expired => "expired",
            PaymentState::Refunded => "refunded",
            PaymentState::Failed => "failed",
        }
    }
}

/// A payment as read back from the provider (or, for the sandbox, as its
/// signed callback states it): the only thing money moves on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSnapshot {
    pub provider_ref: String,
    /// Saldo's reference for it (a deposit or set-up id), as the provider holds it.
    pub reference: String,
    /// What the payer was asked for, in øre.
    pub amount_ore: i64,
    pub state: PaymentState,
    /// Taken so far, in øre.
    pub captured_ore: i64,
    /// Given back so far, in øre.
    pub refunded_ore: i64,
    /// The saved card's token, when the payment saved one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardInfo>,
}

impl PaymentSnapshot {
    /// The provider's word as a deposit understands it, once the payment is settled.
    pub fn notification(&self) -> Option<Notification> {
        Some(Notification {
            provider_ref: self.provider_ref.clone(),
            reference: self.reference.clone(),
            amount_ore: self.amount_ore,
            status: self.state.settles_as()?,
            token: self.token.clone(),
            card: self.card.clone(),
        })
    }
}

/// The provider's word on a payment, settled.
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

/// A callback as it reached Saldo: everything a provider signs or echoes.
#[derive(Clone, Copy, Debug)]
pub struct Callback<'a> {
    pub headers: &'a HeaderMap,
    /// The raw body, byte for byte (signatures cover it exactly).
    pub body: &'a [u8],
    /// The path and query it was posted to, e.g. `/pay/callback/vipps`.
    pub path_and_query: &'a str,
    /// The host it was posted to, as the provider addressed it (`saldo.kommune.dk`).
    pub host: &'a str,
    /// When it arrived, in seconds since 1970 (for timestamped signatures).
    pub received_at: i64,
}

impl Callback<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A verified callback: which payment it is about. `payment` is filled only
/// where the provider signed the whole outcome; otherwise the payment must be
/// read back ([`PaymentProvider::payment`]) before any money moves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackEvent {
    pub provider_ref: String,
    /// The provider's name for the event (`payment.checkout.completed`, `epayments.payment.captured.v1`, …).
    pub event: String,
    pub payment: Option<PaymentSnapshot>,
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
    /// Accepted, still processing (Nexi's charges are asynchronous): ask
    /// again with [`PaymentProvider::charge_status`].
    Pending {
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
    /// Accepted, still processing: ask again with [`PaymentProvider::refund_status`].
    Pending { refund_ref: String },
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
    #[error("the provider does not offer this: {0}")]
    Unsupported(&'static str),
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

    fn verify_callback(&self, _callback: &Callback<'_>) -> Result<CallbackEvent, PayError> {
        Err(PayError::NotConfigured)
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A payment provider as Saldo uses it.
pub trait PaymentProvider: Send + Sync {
    /// The name used for its clearing account, idempotency scope and callback path.
    fn name(&self) -> &'static str;

    /// The ways of paying the payer may choose between on Saldo's page, each
    /// with its own fee; empty when the provider's page is the one way
    /// (MobilePay, a card on Stripe's or the sandbox's page).
    fn methods(&self) -> &'static [PaymentMethod] {
        &[]
    }

    /// Opens a payment (or, with `save_card`, a card set-up); real providers call their API here.
    fn start<'a>(&'a self, request: &'a PaymentRequest<'a>) -> BoxFuture<'a, Result<StartedPayment, PayError>>;

    /// Charges a saved card without the cardholder present. The same
    /// `idempotency_key` again must not charge twice (see each adapter for
    /// how far its provider promises that).
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

    /// Checks a callback by what the provider signs or echoes (headers, raw
    /// body, the address it was posted to) and reads which payment it is
    /// about. Anything unsigned, altered or malformed is refused.
    fn verify_callback(&self, callback: &Callback<'_>) -> Result<CallbackEvent, PayError>;

    /// Reads a payment back from the provider: what money moves on, and how
    /// a payment whose callback never came is found settled.
    fn payment<'a>(&'a self, _provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        Box::pin(async { Err(PayError::Unsupported("reading a payment back")) })
    }

    /// Takes an authorized payment's money (Vipps reserves first; others
    /// charge at once, so by default this only reads the payment back).
    fn capture<'a>(
        &'a self,
        provider_ref: &'a str,
        _amount: Money,
        _idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        self.payment(provider_ref)
    }

    /// Stops a payment nobody finished, so it cannot be paid after Saldo gave
    /// up on it. By default there is nothing to stop (the payment lapses).
    fn cancel<'a>(&'a self, _provider_ref: &'a str, _idempotency_key: &'a str) -> BoxFuture<'a, Result<(), PayError>> {
        Box::pin(async { Ok(()) })
    }

    /// Where a charge that answered `Pending` stands now.
    fn charge_status<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<ChargeOutcome, PayError>> {
        Box::pin(async move {
            let snapshot = self.payment(provider_ref).await?;
            let provider_ref = snapshot.provider_ref;
            Ok(match snapshot.state {
                PaymentState::Captured | PaymentState::Refunded => ChargeOutcome::Succeeded { provider_ref },
                PaymentState::Failed | PaymentState::Cancelled | PaymentState::Expired => {
                    ChargeOutcome::Declined { provider_ref }
                }
                PaymentState::Pending | PaymentState::Authorized => ChargeOutcome::Pending { provider_ref },
            })
        })
    }

    /// Where a refund that answered `Pending` stands now.
    fn refund_status<'a>(
        &'a self,
        _payment_ref: &'a str,
        _refund_ref: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async { Err(PayError::Unsupported("asking after a refund")) })
    }

    /// Finishes a payment whose card the payer typed on Saldo's own page
    /// with the provider's script (Stripe Elements): `method` is what the
    /// script gave the page (a Stripe PaymentMethod id).
    fn complete_on_page<'a>(
        &'a self,
        _provider_ref: &'a str,
        _method: &'a str,
    ) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        Box::pin(async { Err(PayError::Unsupported("a card typed on Saldo's page")) })
    }
}

/// Money as a provider's JSON carries it: whole øre, never negative.
pub(crate) fn ore(amount: Money) -> Result<i64, PayError> {
    let ore = amount.ore();
    if ore < 0 {
        return Err(PayError::Malformed(format!("a negative amount {ore}")));
    }
    Ok(ore)
}

/// A shared HTTP client for an adapter: bounded time, no redirects followed.
pub(crate) fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}

/// The answer's body as JSON, or why not: the status and a bounded excerpt.
pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(
    what: &str,
    response: reqwest::Response,
) -> Result<T, PayError> {
    let status = response.status();
    let text = response.text().await.map_err(|e| PayError::Provider(format!("{what}: {e}")))?;
    if !status.is_success() {
        let excerpt: String = text.chars().take(300).collect();
        return Err(PayError::Provider(format!("{what} answered {status}: {excerpt}")));
    }
    serde_json::from_str(&text).map_err(|e| PayError::Malformed(format!("{what}: {e}")))
}

/// Seconds since 1970, for callbacks and token lifetimes.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
