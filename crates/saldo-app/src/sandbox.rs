//! The sandbox provider's own side: what its hosted page decides, and the
//! signed callback it then sends to Saldo, later and over HTTP, as a real
//! provider would. Lives here because its record sits in Saldo's database.

use saldo_pay::sandbox::{CardOutcome, HostedPayment, Sandbox};
use saldo_pay::{PayError, PaymentStatus};
use saldo_store::StoreError;
use serde::{Deserialize, Serialize};

use crate::App;

/// A callback waiting in the outbox to be posted.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Callback {
    pub url: String,
    pub body: String,
    pub signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(transparent)]
    Pay(#[from] PayError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The payer's choice on the hosted page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Pay,
    Cancel,
}

fn sandbox(app: &App) -> Sandbox {
    Sandbox::new(&app.settings.sandbox.secret, app.settings.base())
}

/// Reads the hosted page's signed parameters.
pub fn open(app: &App, query: &str) -> Result<HostedPayment, PayError> {
    sandbox(app).open_hosted(query)
}

/// Decides a payment once (a double click changes nothing) and queues the
/// signed callback. Returns the payment and what was decided.
pub async fn decide(
    app: &App,
    query: &str,
    choice: Choice,
    card_number: &str,
    expiry: &str,
) -> Result<(HostedPayment, PaymentStatus), SandboxError> {
    let sandbox = sandbox(app);
    let payment = sandbox.open_hosted(query)?;
    let now = app.now();
    let this_month = saldo_core::day::month_key(now);
    // A card is saved only with an expiry in the future, as a provider checks.
    let saved = payment.save_card.then(|| Sandbox::saved_card(card_number, expiry, &this_month));
    let wanted = match (choice, Sandbox::card_outcome(card_number), &saved) {
        (Choice::Cancel, ..) => PaymentStatus::Cancelled,
        (Choice::Pay, CardOutcome::Approve, None | Some(Some(_))) => PaymentStatus::Approved,
        (Choice::Pay, ..) => PaymentStatus::Declined,
    };
    let mut tx = app.store.begin().await?;
    let (recorded, first) = tx
        .record_sandbox_decision(
            &payment.provider_ref,
            &payment.reference,
            payment.amount_ore,
            status_name(wanted),
            now,
        )
        .await?;
    let status = match recorded.as_str() {
        "approved" => PaymentStatus::Approved,
        "declined" => PaymentStatus::Declined,
        _ => PaymentStatus::Cancelled,
    };
    if first {
        let card = saved.flatten().filter(|_| status == PaymentStatus::Approved);
        let token = card.as_ref().map(|_| Sandbox::token_for(card_number));
        let signed = sandbox.callback_for(&payment, status, token, card);
        let callback = Callback { url: payment.callback_url.clone(), body: signed.body, signature: signed.signature };
        let payload = serde_json::to_string(&callback).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let delay =
            jiff::SignedDuration::from_millis(i64::try_from(app.settings.sandbox.callback_delay_ms).unwrap_or(0));
        tx.queue("sandbox_callback", &payload, now, now + delay).await?;
    }
    tx.commit().await?;
    Ok((payment, status))
}

fn status_name(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Approved => "approved",
        PaymentStatus::Declined => "declined",
        PaymentStatus::Cancelled => "cancelled",
    }
}

/// The sandbox's charge-by-token API: verifies the merchant's signature and
/// charges once per idempotency key, answering the first outcome again.
pub async fn charge(
    app: &App,
    signature: &str,
    body: &[u8],
    idempotency_key: &str,
) -> Result<saldo_pay::ChargeOutcome, SandboxError> {
    let request: saldo_pay::sandbox::ChargeRequest = sandbox(app).verify_api_request(signature, body)?;
    if idempotency_key.is_empty() || idempotency_key.len() > 200 {
        return Err(SandboxError::Pay(PayError::Malformed("an Idempotency-Key is required".into())));
    }
    let mut tx = app.store.begin().await?;
    let outcome = Sandbox::charge_outcome(&request.token);
    let (outcome, provider_ref) =
        tx.sandbox_charge(idempotency_key, &request.token, request.amount_ore, outcome, app.now()).await?;
    tx.commit().await?;
    Ok(match outcome.as_str() {
        "succeeded" => saldo_pay::ChargeOutcome::Succeeded { provider_ref },
        "needs_cardholder" => saldo_pay::ChargeOutcome::NeedsCardholder { provider_ref },
        _ => saldo_pay::ChargeOutcome::Declined { provider_ref },
    })
}

/// The sandbox's refund API: verifies the merchant's signature and refunds
/// once per idempotency key, never more of a payment than was paid.
pub async fn refund(
    app: &App,
    signature: &str,
    body: &[u8],
    idempotency_key: &str,
) -> Result<saldo_pay::RefundOutcome, SandboxError> {
    let request: saldo_pay::sandbox::RefundRequest = sandbox(app).verify_api_request(signature, body)?;
    if idempotency_key.is_empty() || idempotency_key.len() > 200 {
        return Err(SandboxError::Pay(PayError::Malformed("an Idempotency-Key is required".into())));
    }
    let mut tx = app.store.begin().await?;
    let amount = saldo_core::Money::from_ore(request.amount_ore);
    let (outcome, refund_ref) = tx.sandbox_refund(idempotency_key, &request.payment_ref, amount, app.now()).await?;
    tx.commit().await?;
    Ok(match outcome.as_str() {
        "refunded" => saldo_pay::RefundOutcome::Refunded { refund_ref },
        _ => saldo_pay::RefundOutcome::Refused { refund_ref },
    })
}
