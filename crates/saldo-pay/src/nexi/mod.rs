//! Nexi Checkout (formerly Nets Easy): Dankort and Visa/Mastercard on Nexi's
//! hosted payment page, cards saved as unscheduled subscriptions, refunds
//! against a charge.
//!
//! The protocol, as Nexi documents it (developer.nexigroup.com/nexi-checkout)
//! and as open-source integrations use it:
//! - The secret key is the `Authorization` header's value, as is. Test:
//!   `https://test.api.dibspayment.eu`, live `https://api.dibspayment.eu`.
//! - `POST /v1/payments` with `order{items[], amount, currency, reference}`
//!   (øre; the amount is the sum of the items' `netTotalAmount`/`grossTotalAmount`),
//!   `checkout{integrationType:"HostedPaymentPage", returnUrl, cancelUrl,
//!   termsUrl, charge:true, publicDevice:true}` and
//!   `notifications.webHooks[{eventName, url, authorization}]` answers
//!   `{paymentId, hostedPaymentPageUrl}`.
//! - `GET /v1/payments/{paymentId}` answers `{payment:{paymentId,
//!   orderDetails{amount,currency,reference}, summary{reservedAmount,
//!   chargedAmount, refundedAmount, cancelledAmount}, charges[], refunds[],
//!   unscheduledSubscription{unscheduledSubscriptionId}, paymentDetails
//!   {cardDetails{maskedPan, expiryDate}}}}`.
//! - Webhooks are **not signed**: Nexi echoes the `authorization` value the
//!   merchant gave at creation in the `Authorization` header. Saldo gives
//!   each payment its own value, an HMAC of the payment's reference under
//!   the webhook key (unguessable without the key, and nothing to store),
//!   and puts the reference in the callback's query (`?ref=`). A callback is
//!   believed only if the echoed value matches (constant time); then the
//!   payment is read back with `GET` before any money moves.
//! - A card on file: a payment of amount 0 with
//!   `unscheduledSubscription{create:true}` (never a small test charge);
//!   the read-back then carries `unscheduledSubscriptionId`.
//!   `POST /v1/unscheduledsubscriptions/{id}/charges` with `{order,
//!   notifications}` answers `{paymentId, chargeId}`; the charge may still
//!   be processing, so the payment is read back and, if not yet charged,
//!   the charge is `Pending` and asked after later.
//! - `POST /v1/charges/{chargeId}/refunds` with `{amount}` answers
//!   `{refundId}`; the refund completes later (`payment.refund.completed`).
//!
//! Not confirmed from the documentation at hand, and so marked here: the
//! `authorization` value's allowed length (kept to 32 alphanumerics); the
//! exact names of the charge and refund webhooks beyond
//! `payment.checkout.completed`, `payment.charge.created.v2` and
//! `payment.refund.completed` (the others are registered, but nothing
//! depends on them: every callback only makes Saldo read the payment back);
//! the state names in `refunds[].state`; whether Nexi honours an
//! idempotency key on a single unscheduled charge (none is documented for
//! it: a retry after a lost answer could charge twice, so the app retries a
//! `Pending` charge by asking after it, never by charging again).

use hmac::{Hmac, Mac};
use saldo_core::Money;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::{
    ore, read_json, BoxFuture, Callback, CallbackEvent, CardInfo, ChargeOutcome, PayError, PaymentMethod,
    PaymentProvider, PaymentRequest, PaymentSnapshot, PaymentState, RefundOutcome, StartedPayment,
};

mod payment;

pub use payment::{
    CardDetails, Charge, OrderDetails, Payment, PaymentDetails, Refund, Summary, UnscheduledSubscription,
};

/// The test environment.
pub const TEST_BASE_URL: &str = "https://test.api.dibspayment.eu";

/// The events Saldo asks to hear about for each payment.
pub const EVENTS: &[&str] = &[
    "payment.checkout.completed",
    "payment.charge.created.v2",
    "payment.charge.failed",
    "payment.cancel.created",
    "payment.refund.completed",
    "payment.refund.failed",
];

#[derive(Clone, Debug)]
pub struct NexiConfig {
    pub base_url: String,
    /// The secret key (`test-secret-key-…` or `live-secret-key-…`).
    pub secret_key: String,
    /// The key Saldo derives each payment's webhook authorization from.
    pub webhook_key: String,
    /// The municipality's terms for paying into Saldo (Nexi requires a link).
    pub terms_url: String,
}

pub struct Nexi {
    config: NexiConfig,
    http: reqwest::Client,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub reference: String,
    pub name: String,
    pub quantity: i64,
    pub unit: String,
    pub unit_price: i64,
    pub gross_total_amount: i64,
    pub net_total_amount: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Order {
    pub items: Vec<Item>,
    pub amount: i64,
    pub currency: String,
    pub reference: String,
}

impl Order {
    /// One line, so the amount is the sum of the items as Nexi requires.
    pub fn single(reference: &str, name: &str, amount: i64) -> Order {
        let name: String = name.chars().take(128).collect();
        Order {
            items: vec![Item {
                reference: reference.to_owned(),
                name,
                quantity: 1,
                unit: "pcs".into(),
                unit_price: amount,
                gross_total_amount: amount,
                net_total_amount: amount,
            }],
            amount,
            currency: "DKK".into(),
            reference: reference.to_owned(),
        }
    }
}

#[derive(Deserialize)]
struct PaymentAnswer {
    payment: Payment,
}

/// A webhook's body: `{id, merchantId, timestamp, event, data:{paymentId, …}}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    pub id: String,
    #[serde(default)]
    pub merchant_id: serde_json::Value,
    #[serde(default)]
    pub timestamp: String,
    pub event: String,
    pub data: WebhookData,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookData {
    pub payment_id: String,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

type HmacSha256 = Hmac<Sha256>;

/// The `authorization` Nexi will echo for the payment with this reference.
pub fn webhook_authorization(webhook_key: &str, reference: &str) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(webhook_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(b"nexi-webhook:");
    mac.update(reference.as_bytes());
    mac.finalize().into_bytes().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Saldo's reading of a Nexi payment.
pub fn state_of(payment: &Payment) -> PaymentState {
    let amount = payment.order_details.amount;
    let s = &payment.summary;
    if amount == 0 {
        // A card set-up: done once the subscription exists.
        return if payment.unscheduled_subscription.is_some() {
            PaymentState::Captured
        } else if payment.terminated.is_some() {
            PaymentState::Cancelled
        } else {
            PaymentState::Pending
        };
    }
    if s.charged_amount > 0 && s.refunded_amount >= s.charged_amount {
        PaymentState::Refunded
    } else if s.charged_amount >= amount {
        PaymentState::Captured
    } else if s.cancelled_amount > 0 || payment.terminated.is_some() {
        PaymentState::Cancelled
    } else if s.reserved_amount > 0 {
        PaymentState::Authorized
    } else {
        PaymentState::Pending
    }
}

/// The card as the payer may see it: last four digits, `YYYY-MM`.
fn card_info(payment: &Payment) -> Option<CardInfo> {
    let card = payment.payment_details.as_ref()?.card_details.as_ref()?;
    let digits: String = card.masked_pan.chars().filter(char::is_ascii_digit).collect();
    let expiry = card.expiry_date.trim();
    if digits.len() < 4 || expiry.len() != 4 || !expiry.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(CardInfo {
        last4: digits[digits.len() - 4..].to_owned(),
        expires: format!("20{}-{}", &expiry[2..], &expiry[..2]),
    })
}

fn query_param<'a>(path_and_query: &'a str, name: &str) -> Option<&'a str> {
    let query = path_and_query.split_once('?')?.1;
    query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

impl Nexi {
    pub fn new(config: NexiConfig) -> Nexi {
        let mut config = config;
        config.base_url = config.base_url.trim_end_matches('/').to_owned();
        Nexi { config, http: crate::http_client() }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.config.base_url))
            .header("Authorization", &self.config.secret_key)
            .header("CommercePlatformTag", "saldo")
    }

    /// The webhooks for a payment, each echoing the payment's own authorization.
    fn webhooks(&self, callback_url: &str, reference: &str) -> serde_json::Value {
        let separator = if callback_url.contains('?') { '&' } else { '?' };
        let url = format!("{callback_url}{separator}ref={reference}");
        let authorization = webhook_authorization(&self.config.webhook_key, reference);
        let hooks: Vec<_> = EVENTS
            .iter()
            .map(|event| serde_json::json!({ "eventName": event, "url": url, "authorization": authorization }))
            .collect();
        serde_json::json!({ "webHooks": hooks })
    }

    pub async fn read(&self, payment_id: &str) -> Result<Payment, PayError> {
        if payment_id.is_empty() || !payment_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(PayError::Malformed(format!("not a Nexi payment id: {payment_id:?}")));
        }
        let response = self
            .request(reqwest::Method::GET, &format!("/v1/payments/{payment_id}"))
            .send()
            .await
            .map_err(|e| PayError::Provider(format!("payment: {e}")))?;
        Ok(read_json::<PaymentAnswer>("payment", response).await?.payment)
    }

    fn snapshot(payment: &Payment) -> PaymentSnapshot {
        let state = state_of(payment);
        PaymentSnapshot {
            provider_ref: payment.payment_id.clone(),
            reference: payment.order_details.reference.clone(),
            amount_ore: payment.order_details.amount,
            state,
            captured_ore: payment.summary.charged_amount,
            refunded_ore: payment.summary.refunded_amount,
            token: payment.unscheduled_subscription.as_ref().map(|s| s.unscheduled_subscription_id.clone()),
            card: card_info(payment),
        }
    }
}

/// The hosted page offers only the way of paying the parent chose (and
/// whose fee Saldo showed). Not confirmed against Nexi's documentation: the
/// method names "Dankort", "Visa" and "MasterCard" in
/// `paymentMethodsConfiguration[].name`, as its payment read-back names them.
fn methods_configuration(method: PaymentMethod) -> serde_json::Value {
    let names: &[&str] = match method {
        PaymentMethod::Dankort => &["Dankort"],
        PaymentMethod::VisaMastercard => &["Visa", "MasterCard"],
    };
    names.iter().map(|name| serde_json::json!({ "name": name, "enabled": true })).collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    payment_id: String,
    hosted_payment_page_url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChargeAnswer {
    payment_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefundAnswer {
    refund_id: String,
}

impl PaymentProvider for Nexi {
    fn name(&self) -> &'static str {
        "nexi"
    }

    fn methods(&self) -> &'static [PaymentMethod] {
        &PaymentMethod::ALL
    }

    fn start<'a>(&'a self, request: &'a PaymentRequest<'a>) -> BoxFuture<'a, Result<StartedPayment, PayError>> {
        Box::pin(async move {
            let amount = if request.save_card { 0 } else { ore(request.amount)? };
            let mut body = serde_json::json!({
                "order": Order::single(request.reference, request.description, amount),
                "checkout": {
                    "integrationType": "HostedPaymentPage",
                    "returnUrl": request.return_url,
                    "cancelUrl": request.return_url,
                    "termsUrl": self.config.terms_url,
                    "charge": true,
                    // Shared school and library PCs: the page remembers no one.
                    "publicDevice": true,
                },
                "notifications": self.webhooks(request.callback_url, request.reference),
            });
            if request.save_card {
                body["unscheduledSubscription"] = serde_json::json!({ "create": true });
            }
            if let Some(method) = request.method {
                body["paymentMethodsConfiguration"] = methods_configuration(method);
            }
            let response = self
                .request(reqwest::Method::POST, "/v1/payments")
                .json(&body)
                .send()
                .await
                .map_err(|e| PayError::Provider(format!("create payment: {e}")))?;
            let created: Created = read_json("create payment", response).await?;
            let lang = if request.lang == "en" { "en-GB" } else { "da-DK" };
            let separator = if created.hosted_payment_page_url.contains('?') { '&' } else { '?' };
            Ok(StartedPayment {
                provider_ref: created.payment_id,
                redirect_url: format!("{}{separator}language={lang}", created.hosted_payment_page_url),
            })
        })
    }

    fn charge_saved<'a>(
        &'a self,
        token: &'a str,
        amount: Money,
        _idempotency_key: &'a str,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<ChargeOutcome, PayError>> {
        Box::pin(async move {
            if token.is_empty() || !token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(PayError::Malformed("not an unscheduled subscription id".into()));
            }
            let body = serde_json::json!({
                "order": Order::single(reference, "Saldo", ore(amount)?),
            });
            let response = self
                .request(reqwest::Method::POST, &format!("/v1/unscheduledsubscriptions/{token}/charges"))
                .json(&body)
                .send()
                .await
                .map_err(|e| PayError::Provider(format!("charge: {e}")))?;
            let status = response.status();
            if status.is_client_error() && status != reqwest::StatusCode::UNAUTHORIZED {
                // The subscription is invalid (expired, blocked card) or the charge refused.
                return Ok(ChargeOutcome::Declined { provider_ref: reference.to_owned() });
            }
            let answer: ChargeAnswer = read_json("charge", response).await?;
            self.charge_status(&answer.payment_id).await
        })
    }

    fn refund<'a>(
        &'a self,
        payment_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async move {
            let payment = self.read(payment_ref).await?;
            let Some(charge) = payment.charges.first() else {
                return Ok(RefundOutcome::Refused { refund_ref: idempotency_key.to_owned() });
            };
            let response = self
                .request(reqwest::Method::POST, &format!("/v1/charges/{}/refunds", charge.charge_id))
                .json(&serde_json::json!({ "amount": ore(amount)? }))
                .send()
                .await
                .map_err(|e| PayError::Provider(format!("refund: {e}")))?;
            if response.status() == reqwest::StatusCode::BAD_REQUEST {
                return Ok(RefundOutcome::Refused { refund_ref: idempotency_key.to_owned() });
            }
            let answer: RefundAnswer = read_json("refund", response).await?;
            self.refund_status(payment_ref, &answer.refund_id).await
        })
    }

    fn verify_callback(&self, callback: &Callback<'_>) -> Result<CallbackEvent, PayError> {
        let reference = query_param(callback.path_and_query, "ref").ok_or(PayError::BadSignature)?;
        let expected = webhook_authorization(&self.config.webhook_key, reference);
        let given = callback.header("authorization").unwrap_or("").trim();
        if given.len() != expected.len() || !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
            return Err(PayError::BadSignature);
        }
        let event: WebhookEvent =
            serde_json::from_slice(callback.body).map_err(|e| PayError::Malformed(e.to_string()))?;
        Ok(CallbackEvent { provider_ref: event.data.payment_id, event: event.event, payment: None })
    }

    fn payment<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        Box::pin(async move { Ok(Nexi::snapshot(&self.read(provider_ref).await?)) })
    }

    fn refund_status<'a>(
        &'a self,
        payment_ref: &'a str,
        refund_ref: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async move {
            let payment = self.read(payment_ref).await?;
            let refund_ref = refund_ref.to_owned();
            let state = payment.refunds.iter().find(|r| r.refund_id == refund_ref).map(|r| r.state.to_lowercase());
            Ok(match state.as_deref() {
                Some("completed") => RefundOutcome::Refunded { refund_ref },
                Some("failed" | "cancelled") | None => RefundOutcome::Refused { refund_ref },
                Some(_) => RefundOutcome::Pending { refund_ref },
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callback<'a>(headers: &'a reqwest::header::HeaderMap, body: &'a [u8], path: &'a str) -> Callback<'a> {
        Callback { headers, body, path_and_query: path, host: "saldo.example", received_at: 0 }
    }

    fn nexi() -> Nexi {
        Nexi::new(NexiConfig {
            base_url: "http://127.0.0.1:1".into(),
            secret_key: "test-secret-key".into(),
            webhook_key: "a webhook key".into(),
            terms_url: "https://saldo.example/terms".into(),
        })
    }

    #[test]
    fn a_webhook_is_believed_only_with_its_payments_own_authorization() {
        let nexi = nexi();
        let body = br#"{"id":"e1","merchantId":100,"timestamp":"2026-12-05T10:00:00Z","event":"payment.checkout.completed","data":{"paymentId":"p-1","order":{"reference":"dep_1"}}}"#;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("authorization", webhook_authorization("a webhook key", "dep_1").parse().unwrap());
        let event = nexi.verify_callback(&callback(&headers, body, "/pay/callback/nexi?ref=dep_1")).unwrap();
        assert_eq!((event.provider_ref.as_str(), event.payment), ("p-1", None));
        // Another payment's authorization, none, or no reference: refused.
        assert_eq!(
            nexi.verify_callback(&callback(&headers, body, "/pay/callback/nexi?ref=dep_2")).unwrap_err(),
            PayError::BadSignature
        );
        assert_eq!(
            nexi.verify_callback(&callback(&headers, body, "/pay/callback/nexi")).unwrap_err(),
            PayError::BadSignature
        );
        let empty = reqwest::header::HeaderMap::new();
        assert_eq!(
            nexi.verify_callback(&callback(&empty, body, "/pay/callback/nexi?ref=dep_1")).unwrap_err(),
            PayError::BadSignature
        );
        assert_ne!(webhook_authorization("a webhook key", "dep_1"), webhook_authorization("another key", "dep_1"));
        assert_eq!(webhook_authorization("k", "dep_1").len(), 32);
    }

    fn payment(amount: i64, summary: Summary) -> Payment {
        Payment {
            payment_id: "p-1".into(),
            order_details: OrderDetails { amount, currency: "DKK".into(), reference: "dep_1".into() },
            summary,
            ..Payment::default()
        }
    }

    #[test]
    fn states_follow_the_summary() {
        let s = |reserved, charged, refunded, cancelled| Summary {
            reserved_amount: reserved,
            charged_amount: charged,
            refunded_amount: refunded,
            cancelled_amount: cancelled,
        };
        assert_eq!(state_of(&payment(100, s(0, 0, 0, 0))), PaymentState::Pending);
        assert_eq!(state_of(&payment(100, s(100, 0, 0, 0))), PaymentState::Authorized);
        assert_eq!(state_of(&payment(100, s(100, 100, 0, 0))), PaymentState::Captured);
        assert_eq!(state_of(&payment(100, s(100, 100, 30, 0))), PaymentState::Captured);
        assert_eq!(state_of(&payment(100, s(100, 100, 100, 0))), PaymentState::Refunded);
        assert_eq!(state_of(&payment(100, s(100, 0, 0, 100))), PaymentState::Cancelled);
        let mut setup = payment(0, s(0, 0, 0, 0));
        assert_eq!(state_of(&setup), PaymentState::Pending);
        setup.unscheduled_subscription = Some(UnscheduledSubscription { unscheduled_subscription_id: "u1".into() });
        setup.payment_details = Some(PaymentDetails {
            card_details: Some(CardDetails { masked_pan: "492500******0004".into(), expiry_date: "1228".into() }),
        });
        assert_eq!(state_of(&setup), PaymentState::Captured);
        let snapshot = Nexi::snapshot(&setup);
        assert_eq!(snapshot.token.as_deref(), Some("u1"));
        assert_eq!(snapshot.card, Some(CardInfo { last4: "0004".into(), expires: "2028-12".into() }));
    }

    #[test]
    fn the_order_amount_is_the_sum_of_its_items() {
        let order = Order::single("dep_1", "Indbetaling til Idas kort", 20_000);
        assert_eq!(order.items.iter().map(|i| i.gross_total_amount).sum::<i64>(), order.amount);
        assert_eq!(order.currency, "DKK");
    }
}
