//! Vipps MobilePay's ePayment API (MobilePay in Denmark): the payer approves
//! in the app, Saldo captures, and only a captured payment is credited.
//!
//! The protocol, as Vipps MobilePay documents it (developer.vippsmobilepay.com):
//! - `POST /accessToken/get` with the headers `client_id`, `client_secret`,
//!   `Ocp-Apim-Subscription-Key` and `Merchant-Serial-Number` answers a
//!   bearer token (`access_token`, `expires_in` in seconds, sent as a string
//!   in some examples and a number in others: both are read). It is cached
//!   until a minute before it runs out.
//! - `POST /epayment/v1/payments` with `amount{currency,value}` (øre),
//!   `paymentMethod{type:"WALLET"}`, `reference`, `userFlow:"WEB_REDIRECT"`,
//!   `returnUrl`, `paymentDescription` answers `{redirectUrl, reference}`.
//!   Every call carries an `Idempotency-Key`.
//! - `GET /epayment/v1/payments/{reference}` answers `state` (CREATED,
//!   AUTHORIZED, ABORTED, EXPIRED, TERMINATED) and `aggregate`
//!   (`authorizedAmount`, `capturedAmount`, `refundedAmount`,
//!   `cancelledAmount`). A captured or refunded payment stays AUTHORIZED;
//!   the aggregate says what happened.
//! - `POST …/{reference}/capture`, `…/refund` with `modificationAmount`, and
//!   `…/cancel`.
//! - Webhooks (`POST /webhooks/v1/webhooks` answers the secret) carry
//!   `x-ms-date`, `x-ms-content-sha256` (base64 SHA-256 of the raw body) and
//!   `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…`,
//!   the base64 HMAC-SHA256, keyed with the secret's UTF-8 bytes, of
//!   `"POST\n" + pathAndQuery + "\n" + date + ";" + host + ";" + contentHash`.
//!   The documentation's own example is a unit test below.
//! - The `reference` must match `^[a-zA-Z0-9-]{8,50}$` (the error page says
//!   64): Saldo's ids (`dep_01j…`) go with `-` for `_`.
//!
//! Not confirmed from the documentation, and so handled defensively: whether
//! a webhook retried by Vipps carries a fresh `x-ms-date` (so no freshness
//! window is enforced; a replayed webhook is harmless because the payment is
//! read back and credited once); the exact body of the capture and refund
//! answers (only `pspReference` is read from them, then the payment is read
//! back).
//!
//! Saved cards for automatic top-ups need the separate Recurring API
//! (agreements, then charges with a due date, at least a day ahead for
//! ordinary charges). It is left out: `charge_saved` and `save_card` answer
//! [`PayError::Unsupported`].

use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hmac::{Hmac, Mac};
use saldo_core::Money;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{
    ore, read_json, unix_now, BoxFuture, Callback, CallbackEvent, ChargeOutcome, PayError, PaymentProvider,
    PaymentRequest, PaymentSnapshot, PaymentState, RefundOutcome, StartedPayment,
};

/// The test environment; live is `https://api.vipps.no`.
pub const TEST_BASE_URL: &str = "https://apitest.vipps.no";

/// The events Saldo registers for.
pub const EVENTS: &[&str] = &[
    "epayments.payment.authorized.v1",
    "epayments.payment.captured.v1",
    "epayments.payment.aborted.v1",
    "epayments.payment.expired.v1",
    "epayments.payment.cancelled.v1",
    "epayments.payment.terminated.v1",
    "epayments.payment.refunded.v1",
];

#[derive(Clone, Debug)]
pub struct VippsConfig {
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub subscription_key: String,
    pub merchant_serial_number: String,
    /// The secret `POST /webhooks/v1/webhooks` answered.
    pub webhook_secret: String,
}

pub struct Vipps {
    config: VippsConfig,
    http: reqwest::Client,
    /// The bearer token and when (seconds since 1970) to fetch a new one.
    token: Mutex<Option<(String, i64)>>,
}

/// Saldo's id as a Vipps reference.
pub fn to_reference(id: &str) -> String {
    id.replace('_', "-")
}

/// A Vipps reference back as Saldo's id (`dep-01j…` → `dep_01j…`).
pub fn from_reference(reference: &str) -> String {
    reference.replacen('-', "_", 1)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Amount {
    pub currency: String,
    pub value: i64,
}

impl Amount {
    pub fn dkk(value: i64) -> Amount {
        Amount { currency: "DKK".into(), value }
    }
}

/// `GET …/payments/{reference}` as far as Saldo reads it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetails {
    pub reference: String,
    pub state: String,
    pub amount: Amount,
    pub aggregate: Aggregate,
    #[serde(default)]
    pub psp_reference: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Aggregate {
    pub authorized_amount: Amount,
    pub cancelled_amount: Amount,
    pub captured_amount: Amount,
    pub refunded_amount: Amount,
}

/// A webhook's body (the same for every ePayment event).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    pub msn: String,
    pub reference: String,
    pub psp_reference: String,
    /// CREATED, AUTHORIZED, CAPTURED, ABORTED, EXPIRED, CANCELLED, REFUNDED, TERMINATED.
    pub name: String,
    pub amount: Amount,
    pub timestamp: String,
    #[serde(default)]
    pub idempotency_key: Option<String>,
    pub success: bool,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: StringOrNumber,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    Number(i64),
    Text(String),
}

impl StringOrNumber {
    fn secs(&self) -> i64 {
        match self {
            StringOrNumber::Number(n) => *n,
            StringOrNumber::Text(t) => t.trim().parse().unwrap_or(0),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateAnswer {
    redirect_url: String,
    reference: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModificationAnswer {
    #[serde(default)]
    psp_reference: Option<String>,
}

/// Saldo's reading of a Vipps payment.
pub fn state_of(details: &PaymentDetails) -> PaymentState {
    let a = &details.aggregate;
    match details.state.as_str() {
        "AUTHORIZED" => {
            if a.captured_amount.value > 0 && a.refunded_amount.value >= a.captured_amount.value {
                PaymentState::Refunded
            } else if a.captured_amount.value >= details.amount.value {
                PaymentState::Captured
            } else if a.cancelled_amount.value > 0 && a.captured_amount.value == 0 {
                PaymentState::Cancelled
            } else {
                PaymentState::Authorized
            }
        }
        "ABORTED" | "TERMINATED" => PaymentState::Cancelled,
        "EXPIRED" => PaymentState::Expired,
        _ => PaymentState::Pending,
    }
}

impl Vipps {
    pub fn new(config: VippsConfig) -> Vipps {
        let mut config = config;
        config.base_url = config.base_url.trim_end_matches('/').to_owned();
        Vipps { config, http: crate::http_client(), token: Mutex::new(None) }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    /// The cached access token, or a new one.
    async fn access_token(&self) -> Result<String, PayError> {
        let now = unix_now();
        if let Ok(cached) = self.token.lock() {
            if let Some((token, renew_at)) = cached.as_ref() {
                if now < *renew_at {
                    return Ok(token.clone());
                }
            }
        }
        let response = self
            .http
            .post(self.url("/accessToken/get"))
            .header("client_id", &self.config.client_id)
            .header("client_secret", &self.config.client_secret)
            .header("Ocp-Apim-Subscription-Key", &self.config.subscription_key)
            .header("Merchant-Serial-Number", &self.config.merchant_serial_number)
            .header("content-length", "0")
            .send()
            .await
            .map_err(|e| PayError::Provider(format!("access token: {e}")))?;
        let answer: TokenAnswer = read_json("access token", response).await?;
        // Renewed a minute early, never cached for less than nothing.
        let renew_at = now + (answer.expires_in.secs() - 60).max(0);
        if let Ok(mut cached) = self.token.lock() {
            *cached = Some((answer.access_token.clone(), renew_at));
        }
        Ok(answer.access_token)
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        idempotency_key: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Result<reqwest::Response, PayError> {
        let token = self.access_token().await?;
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("Ocp-Apim-Subscription-Key", &self.config.subscription_key)
            .header("Merchant-Serial-Number", &self.config.merchant_serial_number)
            .header("Vipps-System-Name", "saldo")
            .header("Vipps-System-Version", env!("CARGO_PKG_VERSION"));
        if let Some(key) = idempotency_key {
            // Vipps caps the key at 50 characters.
            request = request.header("Idempotency-Key", key.chars().take(50).collect::<String>());
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.map_err(|e| PayError::Provider(format!("{path}: {e}")))
    }

    /// Registers Saldo's callback address; answers the webhook's id and secret.
    pub async fn register_webhook(&self, url: &str) -> Result<(String, String), PayError> {
        #[derive(Deserialize)]
        struct Registered {
            id: String,
            secret: String,
        }
        let body = serde_json::json!({ "url": url, "events": EVENTS });
        let response = self.call(reqwest::Method::POST, "/webhooks/v1/webhooks", None, Some(body)).await?;
        let registered: Registered = read_json("webhook registration", response).await?;
        Ok((registered.id, registered.secret))
    }

    /// Stops a payment the payer has not approved (or releases a reservation).
    pub async fn cancel_payment(&self, reference: &str, idempotency_key: &str) -> Result<(), PayError> {
        let path = format!("/epayment/v1/payments/{reference}/cancel");
        let response = self.call(reqwest::Method::POST, &path, Some(idempotency_key), None).await?;
        let _: serde_json::Value = read_json("cancel", response).await?;
        Ok(())
    }

    async fn details(&self, reference: &str) -> Result<PaymentDetails, PayError> {
        let response =
            self.call(reqwest::Method::GET, &format!("/epayment/v1/payments/{reference}"), None, None).await?;
        read_json("payment", response).await
    }

    fn snapshot(details: &PaymentDetails) -> PaymentSnapshot {
        PaymentSnapshot {
            provider_ref: details.reference.clone(),
            reference: from_reference(&details.reference),
            amount_ore: details.amount.value,
            state: state_of(details),
            captured_ore: details.aggregate.captured_amount.value,
            refunded_ore: details.aggregate.refunded_amount.value,
            token: None,
            card: None,
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// The base64 HMAC-SHA256 Vipps puts in a webhook's `Authorization`.
pub fn webhook_signature(secret: &str, path_and_query: &str, date: &str, host: &str, content_hash: &str) -> String {
    let signed = format!("POST\n{path_and_query}\n{date};{host};{content_hash}");
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(signed.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// The base64 SHA-256 of a body, as in `x-ms-content-sha256`.
pub fn content_hash(body: &[u8]) -> String {
    BASE64.encode(Sha256::digest(body))
}

/// The `Authorization` header value for a signature.
pub fn authorization_header(signature: &str) -> String {
    format!("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}")
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Checks a webhook as Vipps signs it.
pub fn verify_webhook(secret: &str, callback: &Callback<'_>) -> Result<WebhookEvent, PayError> {
    let date = callback.header("x-ms-date").ok_or(PayError::BadSignature)?;
    let claimed_hash = callback.header("x-ms-content-sha256").ok_or(PayError::BadSignature)?;
    let authorization = callback.header("authorization").ok_or(PayError::BadSignature)?;
    let hash = content_hash(callback.body);
    if !same(&hash, claimed_hash.trim()) {
        return Err(PayError::BadSignature);
    }
    let expected =
        authorization_header(&webhook_signature(secret, callback.path_and_query, date, callback.host, &hash));
    if !same(&expected, authorization.trim()) {
        return Err(PayError::BadSignature);
    }
    serde_json::from_slice(callback.body).map_err(|e| PayError::Malformed(e.to_string()))
}

impl PaymentProvider for Vipps {
    fn name(&self) -> &'static str {
        "vipps"
    }

    fn start<'a>(&'a self, request: &'a PaymentRequest<'a>) -> BoxFuture<'a, Result<StartedPayment, PayError>> {
        Box::pin(async move {
            if request.save_card {
                return Err(PayError::Unsupported("saved cards need Vipps MobilePay's Recurring API"));
            }
            let reference = to_reference(request.reference);
            let description: String = request.description.chars().take(100).collect();
            let body = serde_json::json!({
                "amount": Amount::dkk(ore(request.amount)?),
                "paymentMethod": { "type": "WALLET" },
                "reference": reference,
                "userFlow": "WEB_REDIRECT",
                "returnUrl": request.return_url,
                "paymentDescription": description,
            });
            let key = format!("start-{reference}");
            let response = self.call(reqwest::Method::POST, "/epayment/v1/payments", Some(&key), Some(body)).await?;
            let created: CreateAnswer = read_json("create payment", response).await?;
            Ok(StartedPayment { provider_ref: created.reference, redirect_url: created.redirect_url })
        })
    }

    fn charge_saved<'a>(
        &'a self,
        _token: &'a str,
        _amount: Money,
        _idempotency_key: &'a str,
        _reference: &'a str,
    ) -> BoxFuture<'a, Result<ChargeOutcome, PayError>> {
        Box::pin(async { Err(PayError::Unsupported("saved cards need Vipps MobilePay's Recurring API")) })
    }

    fn refund<'a>(
        &'a self,
        payment_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async move {
            let path = format!("/epayment/v1/payments/{payment_ref}/refund");
            let body = serde_json::json!({ "modificationAmount": Amount::dkk(ore(amount)?) });
            let response = self.call(reqwest::Method::POST, &path, Some(idempotency_key), Some(body)).await?;
            let status = response.status();
            if status == reqwest::StatusCode::BAD_REQUEST || status == reqwest::StatusCode::NOT_FOUND {
                // More than was captured, or an unknown payment: a domain refusal.
                return Ok(RefundOutcome::Refused { refund_ref: idempotency_key.to_owned() });
            }
            let answer: ModificationAnswer = read_json("refund", response).await?;
            Ok(RefundOutcome::Refunded { refund_ref: answer.psp_reference.unwrap_or_else(|| idempotency_key.into()) })
        })
    }

    fn verify_callback(&self, callback: &Callback<'_>) -> Result<CallbackEvent, PayError> {
        let event = verify_webhook(&self.config.webhook_secret, callback)?;
        if event.msn != self.config.merchant_serial_number {
            return Err(PayError::Malformed(format!("a webhook for another sales unit {}", event.msn)));
        }
        Ok(CallbackEvent {
            provider_ref: event.reference,
            event: format!("epayments.payment.{}.v1", event.name.to_lowercase()),
            payment: None,
        })
    }

    fn payment<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        Box::pin(async move { Ok(Vipps::snapshot(&self.details(provider_ref).await?)) })
    }

    /// Captures the whole authorized amount; the same key twice captures once.
    fn capture<'a>(
        &'a self,
        provider_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<PaymentSnapshot, PayError>> {
        Box::pin(async move {
            let details = self.details(provider_ref).await?;
            if state_of(&details) != PaymentState::Authorized {
                return Ok(Vipps::snapshot(&details));
            }
            let path = format!("/epayment/v1/payments/{provider_ref}/capture");
            let body = serde_json::json!({ "modificationAmount": Amount::dkk(ore(amount)?) });
            let response = self.call(reqwest::Method::POST, &path, Some(idempotency_key), Some(body)).await?;
            let _: ModificationAnswer = read_json("capture", response).await?;
            Ok(Vipps::snapshot(&self.details(provider_ref).await?))
        })
    }

    fn cancel<'a>(&'a self, provider_ref: &'a str, idempotency_key: &'a str) -> BoxFuture<'a, Result<(), PayError>> {
        Box::pin(self.cancel_payment(provider_ref, idempotency_key))
    }

    fn refund_status<'a>(
        &'a self,
        payment_ref: &'a str,
        refund_ref: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async move {
            let details = self.details(payment_ref).await?;
            let refund_ref = refund_ref.to_owned();
            Ok(if details.aggregate.refunded_amount.value > 0 {
                RefundOutcome::Refunded { refund_ref }
            } else {
                RefundOutcome::Pending { refund_ref }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in Vipps MobilePay's "Request authentication" page of the
    /// Webhooks API: their secret, date, URL and body give their signature.
    #[test]
    fn the_documentations_own_webhook_example_verifies() {
        let secret = "A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==";
        let body = br#"{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}"#;
        let date = "Thu, 30 Mar 2023 08:38:32 GMT";
        let path = "/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63";
        assert_eq!(content_hash(body), "lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=");
        let signature = webhook_signature(secret, path, date, "webhook.site", &content_hash(body));
        assert_eq!(signature, "agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=");

        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-ms-date", date.parse().unwrap());
        headers.insert("x-ms-content-sha256", "lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=".parse().unwrap());
        headers.insert(
            "authorization",
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U="
                .parse()
                .unwrap(),
        );
        let callback = Callback { headers: &headers, body, path_and_query: path, host: "webhook.site", received_at: 0 };
        // The example's body is not an ePayment event, so it verifies and then is not read as one.
        assert!(matches!(verify_webhook(secret, &callback), Err(PayError::Malformed(_))));
        // Any change to what is signed is refused.
        let tampered = br#"{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world!"}"#;
        let altered = Callback { body: tampered, ..callback };
        assert_eq!(verify_webhook(secret, &altered).unwrap_err(), PayError::BadSignature);
        let elsewhere = Callback { path_and_query: "/other", ..callback };
        assert_eq!(verify_webhook(secret, &elsewhere).unwrap_err(), PayError::BadSignature);
        let other_host = Callback { host: "saldo.example", ..callback };
        assert_eq!(verify_webhook(secret, &other_host).unwrap_err(), PayError::BadSignature);
        assert_eq!(verify_webhook("another secret", &callback).unwrap_err(), PayError::BadSignature);
    }

    #[test]
    fn references_round_trip_and_fit_the_pattern() {
        let id = "dep_01jx8m3k2v9q4r5s6t7u8w9x0y";
        let reference = to_reference(id);
        assert!(reference.len() <= 50 && reference.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        assert_eq!(from_reference(&reference), id);
    }

    fn details(state: &str, amount: i64, captured: i64, refunded: i64, cancelled: i64) -> PaymentDetails {
        PaymentDetails {
            reference: "dep-1x".into(),
            state: state.into(),
            amount: Amount::dkk(amount),
            aggregate: Aggregate {
                authorized_amount: Amount::dkk(amount),
                cancelled_amount: Amount::dkk(cancelled),
                captured_amount: Amount::dkk(captured),
                refunded_amount: Amount::dkk(refunded),
            },
            psp_reference: None,
        }
    }

    #[test]
    fn states_map_with_the_aggregate() {
        assert_eq!(state_of(&details("CREATED", 100, 0, 0, 0)), PaymentState::Pending);
        assert_eq!(state_of(&details("AUTHORIZED", 100, 0, 0, 0)), PaymentState::Authorized);
        assert_eq!(state_of(&details("AUTHORIZED", 100, 100, 0, 0)), PaymentState::Captured);
        assert_eq!(state_of(&details("AUTHORIZED", 100, 100, 40, 0)), PaymentState::Captured);
        assert_eq!(state_of(&details("AUTHORIZED", 100, 100, 100, 0)), PaymentState::Refunded);
        assert_eq!(state_of(&details("AUTHORIZED", 100, 0, 0, 100)), PaymentState::Cancelled);
        assert_eq!(state_of(&details("ABORTED", 100, 0, 0, 0)), PaymentState::Cancelled);
        assert_eq!(state_of(&details("TERMINATED", 100, 0, 0, 0)), PaymentState::Cancelled);
        assert_eq!(state_of(&details("EXPIRED", 100, 0, 0, 0)), PaymentState::Expired);
    }
}
