//! Stripe: PaymentIntents for deposits, a SetupIntent then off-session
//! PaymentIntents for automatic top-ups, Refunds for payouts, webhooks
//! verified by `Stripe-Signature`.
//!
//! The payer types the card on Saldo's own page with Stripe's script
//! (Stripe Elements: the card never touches Saldo), which gives the page a
//! PaymentMethod id; Saldo's server then attaches it to the intent and
//! confirms ([`PaymentProvider::complete_on_page`]). Checkout Sessions are
//! not used: the local fake Saldo is tested against (localstripe) has none.
//!
//! The protocol (stripe.com/docs/api): form-encoded `POST`s with the secret
//! key as bearer, `Idempotency-Key` on every `POST` (localstripe ignores it,
//! so the tests do not depend on it); `Stripe-Signature: t=<unix>,v1=<hex>`
//! where `v1` is the HMAC-SHA256 of `"<t>.<raw body>"` under the endpoint's
//! signing secret, refused when `t` is more than [`TOLERANCE_SECS`] away.
//! PaymentIntent states map: `succeeded` → captured, `requires_capture` →
//! authorized, `processing`/`requires_confirmation`/`requires_action` →
//! pending, `canceled` → cancelled, `requires_payment_method` after an
//! attempt (a `last_payment_error`) → failed.

use hmac::{Hmac, Mac};
use saldo_core::Money;
use serde::Deserialize;
use sha2::Sha256;

use crate::{
    ore, read_json, BoxFuture, Callback, CallbackEvent, CardInfo, ChargeOutcome, PayError, PaymentProvider,
    PaymentRequest, PaymentSnapshot, PaymentState, RefundOutcome, StartedPayment,
};

/// How far a webhook's timestamp may be from now (Stripe's libraries default to five minutes).
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Clone, Debug)]
pub struct StripeConfig {
    /// `https://api.stripe.com`, or a localstripe.
    pub base_url: String,
    pub secret_key: String,
    /// For the page's script.
    pub publishable_key: String,
    /// The endpoint's signing secret (`whsec_…`).
    pub webhook_secret: String,
    /// Saldo's page where the payer types the card: `{page_url}/{intent id}`.
    pub page_url: String,
}

pub struct Stripe {
    config: StripeConfig,
    http: reqwest::Client,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub amount: i64,
    pub status: String,
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
    #[serde(default)]
    pub last_payment_error: Option<serde_json::Value>,
    #[serde(default)]
    pub amount_received: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SetupIntent {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub payment_method: Option<String>,
    #[serde(default)]
    pub metadata: std::collections::HashMap<String, String>,
}

#[derive(Deserialize)]
struct Customer {
    id: String,
}

#[derive(Deserialize)]
struct PaymentMethod {
    #[serde(default)]
    card: Option<PmCard>,
}

#[derive(Deserialize)]
struct PmCard {
    last4: String,
    exp_month: u32,
    exp_year: u32,
}

#[derive(Deserialize)]
struct RefundAnswer {
    id: String,
    status: String,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: StripeError,
}

#[derive(Deserialize)]
struct StripeError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    charge: Option<String>,
    #[serde(default)]
    payment_intent: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: EventObject,
}

#[derive(Deserialize)]
struct EventObject {
    id: String,
}

type HmacSha256 = Hmac<Sha256>;

/// The `v1` signature Stripe puts on a webhook sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks `Stripe-Signature` over the raw body, within the tolerance of `now`.
pub fn verify_signature(secret: &str, header: &str, body: &[u8], now: i64) -> Result<(), PayError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(PayError::BadSignature)?;
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(PayError::BadSignature);
    }
    // `verify_slice` compares in constant time.
    let valid = signatures.iter().any(|hex| {
        decode_hex(hex).is_some_and(|sig| {
            let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
            mac.update(timestamp.to_string().as_bytes());
            mac.update(b".");
            mac.update(body);
            mac.verify_slice(&sig).is_ok()
        })
    });
    if valid {
        Ok(())
    } else {
        Err(PayError::BadSignature)
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || s.len() > 128 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// Saldo's reading of a PaymentIntent.
pub fn intent_state(intent: &PaymentIntent) -> PaymentState {
    match intent.status.as_str() {
        "succeeded" => PaymentState::Captured,
        "requires_capture" => PaymentState::Authorized,
        "canceled" => PaymentState::Cancelled,
        "requires_payment_method" if intent.last_payment_error.is_some() => PaymentState::Failed,
        _ => PaymentState::Pending,
    }
}

impl Stripe {
    pub fn new(config: StripeConfig) -> Stripe {
        let mut config = config;
        config.base_url = config.base_url.trim_end_matches('/').to_owned();
        config.page_url = config.page_url.trim_end_matches('/').to_owned();
        Stripe { config, http: crate::http_client() }
    }

    pub fn publishable_key(&self) -> &str {
        &self.config.publishable_key
    }

    /// Where Stripe's script is loaded from: Stripe's own, or the localstripe's fake.
    pub fn script_url(&self) -> String {
        if self.config.base_url.starts_with("https://api.stripe.com") {
            "https://js.stripe.com/v3/".to_owned()
        } else {
            format!("{}/js.stripe.com/v3/", self.config.base_url)
        }
    }

    async fn post(
        &self,
        path: &str,
        form: &[(&str, String)],
        idempotency_key: Option<&str>,
    ) -> Result<reqwest::Response, PayError> {
        let mut request =
            self.http.post(format!("{}{path}", self.config.base_url)).bearer_auth(&self.config.secret_key).form(form);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.map_err(|e| PayError::Provider(format!("{path}: {e}")))
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, PayError> {
        let response = self
            .http
            .get(format!("{}{path}", self.config.base_url))
            .bearer_auth(&self.config.secret_key)
            .send()
            .await
            .map_err(|e| PayError::Provider(format!("{path}: {e}")))?;
        read_json(path, response).await
    }

    fn check_id(id: &str, prefix: &str) -> Result<(), PayError> {
        if id.starts_with(prefix) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            Ok(())
        } else {
            Err(PayError::Malformed(format!("not a Stripe {prefix} id: {id:?}")))
        }
    }

    async fn intent_snapshot(&self, id: &str) -> Result<PaymentSnapshot, PayError> {
        let intent: PaymentIntent = self.get(&format!("/v1/payment_intents/{id}")).await?;
        let state = intent_state(&intent);
        Ok(PaymentSnapshot {
            provider_ref: intent.id.clone(),
            reference: intent.metadata.get("reference").cloned().unwrap_or_default(),
            amount_ore: intent.amount,
            state,
            captured_ore: if state == PaymentState::Captured {
                intent.amount_received.unwrap_or(intent.amount)
            } else {
                0
            },
            refunded_ore: 0,
            token: None,
            card: None,
        })
    }

    async fn setup_snapshot(&self, id: &str) -> Result<PaymentSnapshot, PayError> {
        let setup: SetupIntent = self.get(&format!("/v1/setup_intents/{id}")).await?;
        let state = match setup.status.as_str() {
            "succeeded" => PaymentState::Captured,
            "canceled" => PaymentState::Cancelled,
            _ => PaymentState::Pending,
        };
        let (mut token, mut card) = (None, None);
        if let (PaymentState::Captured, Some(customer), Some(method)) =
            (state, setup.customer.as_ref(), setup.payment_method.as_ref())
        {
            token = Some(format!("{customer}:{method}"));
            let pm: PaymentMethod = self.get(&format!("/v1/payment_methods/{method}")).await?;
            card =
                pm.card.map(|c| CardInfo { last4: c.last4, expires: format!("{:04}-{:02}", c.exp_year, c.exp_month) });
        }
        Ok(PaymentSnapshot {
            provider_ref: setup.id.clone(),
            reference: setup.metadata.get("reference").cloned().unwrap_or_default(),
            amount_ore: 0,
            state,
            captured_ore: 0,
            refunded_ore: 0,
            token,
            card,
        })
    }
}

impl PaymentProvider for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn start<'a>(&'a self, request: &'a PaymentRequest<'a>) -> BoxFuture<'a, Result<StartedPayment, PayError>> {
        Box::pin(async move {
            let key = format!("start-{}", request.reference);
            let id = if request.save_card {
                let customer =
                    self.post("/v1/customers", &[("metadata[reference]", request.reference.to_owned())], None).await?;
                let customer: Customer = read_json("customer", customer).await?;
                let form = [
                    ("customer", customer.id),
                    ("usage", "off_session".to_owned()),
                    ("metadata[reference]", request.reference.to_owned()),
                ];
                let response = self.post("/v1/setup_intents", &form, Some(&key)).await?;
                read_json::<SetupIntent>("setup intent", response).await?.id
            } else {
                let form = [
                    ("amount", ore(request.amount)?.to_string()),
                    ("currency", "dkk".to_owned()),
                    ("payment_method_types[]", "card".to_owned()),
                    ("metadata[reference]", request.reference.to_owned()),
                    ("metadata[description]", request.description.chars().take(200).collect()),
                    ("metadata[return_url]", request.return_url.to_owned()),
                ];
                let response = self.post("/v1/payment_intents", &form, Some(&key)).await?;
                read_json::<PaymentIntent>("payment intent", response).await?.id
            };
            Ok(StartedPayment { redirect_url: format!("{}/{id}", self.config.page_url), provider_ref: id })
        })
    }

    fn charge_saved<'a>(
        &'a self,
        token: &'a str,
        amount: Money,
        idempotency_key: &'a str,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<ChargeOutcome, PayError>> {
        Box::pin(async move {
            let (customer, method) =
                token.split_once(':').ok_or_else(|| PayError::Malformed("not a Stripe card token".into()))?;
            Stripe::check_id(customer, "cus_")?;
            let form = [
                ("amount", ore(amount)?.to_string()),
                ("currency", "dkk".to_owned()),
                ("customer", customer.to_owned()),
                ("payment_method", method.to_owned()),
                ("confirm", "true".to_owned()),
                ("off_session", "true".to_owned()),
                ("metadata[reference]", reference.to_owned()),
            ];
            let response = self.post("/v1/payment_intents", &form, Some(idempotency_key)).await?;
            if response.status() == reqwest::StatusCode::PAYMENT_REQUIRED {
                let error: ErrorAnswer = read_json_any(response).await?;
                let intent = error.error.payment_intent.as_ref().and_then(|pi| pi.get("id")).and_then(|v| v.as_str());
                let provider_ref =
                    intent.map(str::to_owned).or(error.error.charge).unwrap_or_else(|| idempotency_key.to_owned());
                return Ok(if error.error.code.as_deref() == Some("authentication_required") {
                    ChargeOutcome::NeedsCardholder { provider_ref }
                } else {
                    ChargeOutcome::Declined { provider_ref }
                });
            }
            let intent: PaymentIntent = read_json("off-session payment", response).await?;
            let provider_ref = intent.id.clone();
            Ok(match (intent.status.as_str(), intent_state(&intent)) {
                ("requires_action", _) => ChargeOutcome::NeedsCardholder { provider_ref },
                (_, PaymentState::Captured) => ChargeOutcome::Succeeded { provider_ref },
                (_, PaymentState::Failed | PaymentState::Cancelled) => ChargeOutcome::Declined { provider_ref },
                _ => ChargeOutcome::Pending { provider_ref },
            })
        })
    }

    fn refund<'a>(
        &'a self,
        payment_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async move {
            Stripe::check_id(payment_ref, "pi_")?;
            let form = [("payment_intent", payment_ref.to_owned()), ("amount", ore(amount)?.to_string())];
            let response = self.post("/v1/refunds", &form, Some(idempotency_key)).await?;
            if response.status().is_client_error() && response.status() != reqwest::StatusCode::UNAUTHORIZED {
                return Ok(RefundOutcome::Refused { refund_ref: idempotency_key.to_owned() });
            }
            let refund: RefundAnswer = read_json("refund", response).await?;
            Ok(match refund.status.as_str() {
                "succeeded" => RefundOutcome::Refunded { refund_ref: refund.id },
                "failed" | "canceled" => RefundOutcome::Refused { refund_ref: refund.id },
                _ => RefundOutcome::Pending { refund_ref: refund.id },
            })
        })
    }

    fn verify_callback(&self, callback: &Callback<'_>) -> Result<CallbackEvent, PayError> {
        let header = callback.header("stripe-signature").ok_or(PayError::BadSignature)?;
        verify_signature(&self.config.webhook_secret, header, callback.body, callback.received_at)?;
        let event: Event = serde_json::from_slice(callback.body).map_err(|e| PayError::Malformed(e.to_string()))?;
        Ok(CallbackEvent { provider_ref: event.data.object.id, event: event.kind, payment: None })
    }

    fn payment<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        Box::pin(async move {
            if provider_ref.starts_with("seti_") {
                Stripe::check_id(provider_ref, "seti_")?;
                self.setup_snapshot(provider_ref).await
            } else {
                Stripe::check_id(provider_ref, "pi_")?;
                self.intent_snapshot(provider_ref).await
            }
        })
    }

    fn cancel<'a>(&'a self, provider_ref: &'a str, idempotency_key: &'a str) -> BoxFuture<'a, Result<(), PayError>> {
        Box::pin(async move {
            let path = if provider_ref.starts_with("seti_") {
                Stripe::check_id(provider_ref, "seti_")?;
                format!("/v1/setup_intents/{provider_ref}/cancel")
            } else {
                Stripe::check_id(provider_ref, "pi_")?;
                format!("/v1/payment_intents/{provider_ref}/cancel")
            };
            let response = self.post(&path, &[], Some(idempotency_key)).await?;
            let _: serde_json::Value = read_json("cancel", response).await?;
            Ok(())
        })
    }

    fn refund_status<'a>(
        &'a self,
        _payment_ref: &'a str,
        refund_ref: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async move {
            Stripe::check_id(refund_ref, "re_")?;
            let refund: RefundAnswer = self.get(&format!("/v1/refunds/{refund_ref}")).await?;
            Ok(match refund.status.as_str() {
                "succeeded" => RefundOutcome::Refunded { refund_ref: refund.id },
                "failed" | "canceled" => RefundOutcome::Refused { refund_ref: refund.id },
                _ => RefundOutcome::Pending { refund_ref: refund.id },
            })
        })
    }

    /// Attaches the card the payer typed and confirms: a PaymentIntent is
    /// updated with the method, then confirmed (two calls, because
    /// localstripe does not take the method in `confirm`); a SetupIntent is
    /// confirmed with it. A declined card answers the snapshot, failed.
    fn complete_on_page<'a>(
        &'a self,
        provider_ref: &'a str,
        method: &'a str,
    ) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        Box::pin(async move {
            Stripe::check_id(method, "pm_")?;
            let key = format!("confirm-{provider_ref}-{method}");
            let response = if provider_ref.starts_with("seti_") {
                Stripe::check_id(provider_ref, "seti_")?;
                let form = [("payment_method", method.to_owned())];
                self.post(&format!("/v1/setup_intents/{provider_ref}/confirm"), &form, Some(&key)).await?
            } else {
                Stripe::check_id(provider_ref, "pi_")?;
                let form = [("payment_method", method.to_owned())];
                let updated = self.post(&format!("/v1/payment_intents/{provider_ref}"), &form, None).await?;
                let _: serde_json::Value = read_json("attach the card", updated).await?;
                self.post(&format!("/v1/payment_intents/{provider_ref}/confirm"), &[], Some(&key)).await?
            };
            if !response.status().is_success() && response.status() != reqwest::StatusCode::PAYMENT_REQUIRED {
                let _: serde_json::Value = read_json("confirm", response).await?;
            }
            self.payment(provider_ref).await
        })
    }
}

/// An error answer's body, whatever its status.
async fn read_json_any<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> Result<T, PayError> {
    let text = response.text().await.map_err(|e| PayError::Provider(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| PayError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_within_the_tolerance_only() {
        let body = br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}}"#;
        let sig = signature("whsec_test", 1_700_000_000, body);
        let header = format!("t=1700000000,v1={sig}");
        assert!(verify_signature("whsec_test", &header, body, 1_700_000_100).is_ok());
        // Several v1 signatures (a secret being rolled): one matching is enough.
        let rolled = format!("t=1700000000,v1={},v1={sig}", "00".repeat(32));
        assert!(verify_signature("whsec_test", &rolled, body, 1_700_000_000).is_ok());
        let err = Err(PayError::BadSignature);
        assert_eq!(verify_signature("whsec_test", &header, body, 1_700_000_000 + TOLERANCE_SECS + 1), err);
        assert_eq!(verify_signature("whsec_test", &header, body, 1_700_000_000 - TOLERANCE_SECS - 1), err);
        assert_eq!(verify_signature("whsec_other", &header, body, 1_700_000_000), err);
        assert_eq!(verify_signature("whsec_test", &header, b"{}", 1_700_000_000), err);
        // The timestamp is signed: moving it forward breaks the signature.
        assert_eq!(verify_signature("whsec_test", &format!("t=1700000100,v1={sig}"), body, 1_700_000_100), err);
        assert_eq!(verify_signature("whsec_test", "v1=abc", body, 1_700_000_000), err);
        assert_eq!(verify_signature("whsec_test", "", body, 1_700_000_000), err);
    }

    #[test]
    fn intent_states_map() {
        let intent = |status: &str, error: bool| PaymentIntent {
            id: "pi_1".into(),
            amount: 100,
            status: status.into(),
            metadata: Default::default(),
            last_payment_error: error.then(|| serde_json::json!({"code": "card_declined"})),
            amount_received: None,
        };
        assert_eq!(intent_state(&intent("succeeded", false)), PaymentState::Captured);
        assert_eq!(intent_state(&intent("requires_capture", false)), PaymentState::Authorized);
        assert_eq!(intent_state(&intent("processing", false)), PaymentState::Pending);
        assert_eq!(intent_state(&intent("requires_payment_method", false)), PaymentState::Pending);
        assert_eq!(intent_state(&intent("requires_payment_method", true)), PaymentState::Failed);
        assert_eq!(intent_state(&intent("canceled", false)), PaymentState::Cancelled);
    }
}
