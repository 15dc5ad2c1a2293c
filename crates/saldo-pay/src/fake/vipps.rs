//! A local Vipps MobilePay: the access token, the ePayment API (create,
//! read, capture, cancel, refund, each honouring `Idempotency-Key`), the
//! Webhooks API's registration, a landing page standing in for the app, and
//! webhooks signed with HMAC-SHA256 exactly as the documentation describes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::vipps_hooks::signed;
use super::{html, uuid, Delivery, Webhooks};
use crate::vipps::{Aggregate, Amount, PaymentDetails};

/// The credentials the fake accepts.
#[derive(Clone, Debug)]
pub struct Keys {
    pub client_id: String,
    pub client_secret: String,
    pub subscription_key: String,
    pub merchant_serial_number: String,
}

impl Keys {
    pub fn test() -> Keys {
        Keys {
            client_id: "fake-client-id".into(),
            client_secret: "fake-client-secret".into(),
            subscription_key: "fake-subscription-key".into(),
            merchant_serial_number: "123456".into(),
        }
    }
}

#[derive(Clone)]
pub struct FakeVipps {
    state: Arc<Mutex<VippsState>>,
    webhooks: Webhooks,
    base: String,
}

struct VippsState {
    keys: Keys,
    tokens: Vec<String>,
    /// How many access tokens were handed out (the adapter should cache them).
    tokens_issued: usize,
    payments: HashMap<String, FakePayment>,
    /// (operation path, Idempotency-Key) → the first answer.
    answered: HashMap<(String, String), (u16, Value)>,
    hooks: Vec<(String, String, Vec<String>)>,
}

struct FakePayment {
    details: PaymentDetails,
    return_url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateRequest {
    amount: Amount,
    payment_method: Value,
    reference: String,
    user_flow: String,
    #[serde(default)]
    return_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Modification {
    modification_amount: Amount,
}

#[derive(Deserialize)]
struct HookRequest {
    url: String,
    events: Vec<String>,
}

#[derive(Deserialize)]
struct LandingForm {
    choice: String,
}

fn problem(status: StatusCode, title: &str) -> Response {
    (status, Json(json!({ "type": format!("https://httpstatuses.io/{}", status.as_u16()), "title": title, "status": status.as_u16() })))
        .into_response()
}

fn valid_reference(reference: &str) -> bool {
    (8..=50).contains(&reference.len()) && reference.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl FakeVipps {
    pub async fn start(keys: Keys) -> std::io::Result<FakeVipps> {
        FakeVipps::start_at(keys, ([127, 0, 0, 1], 0).into()).await
    }

    pub async fn start_at(keys: Keys, addr: std::net::SocketAddr) -> std::io::Result<FakeVipps> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let fake = FakeVipps {
            state: Arc::new(Mutex::new(VippsState {
                keys,
                tokens: Vec::new(),
                tokens_issued: 0,
                payments: HashMap::new(),
                answered: HashMap::new(),
                hooks: Vec::new(),
            })),
            webhooks: Webhooks::default(),
            base: format!("http://{bound}"),
        };
        let router = Router::new()
            .route("/accessToken/get", post(access_token))
            .route("/webhooks/v1/webhooks", post(register))
            .route("/epayment/v1/payments", post(create))
            .route("/epayment/v1/payments/{reference}", get(read))
            .route("/epayment/v1/payments/{reference}/{operation}", post(modify))
            .route("/landing/{reference}", get(landing).post(decide))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(fake)
    }

    pub fn url(&self) -> &str {
        &self.base
    }

    pub fn webhooks(&self) -> &Webhooks {
        &self.webhooks
    }

    pub fn set_delivery(&self, delivery: Delivery) {
        self.webhooks.set_delivery(delivery);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VippsState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a webhook as `POST /webhooks/v1/webhooks` would; answers its secret.
    pub fn register_webhook(&self, url: &str, events: &[&str]) -> String {
        let secret = format!("{}{}", uuid(), uuid());
        self.lock().hooks.push((url.to_owned(), secret.clone(), events.iter().map(|e| (*e).to_owned()).collect()));
        secret
    }

    pub fn tokens_issued(&self) -> usize {
        self.lock().tokens_issued
    }

    pub fn payment(&self, reference: &str) -> Option<PaymentDetails> {
        self.lock().payments.get(reference).map(|p| p.details.clone())
    }

    /// The payer approves in the app: the amount is reserved.
    pub fn approve(&self, reference: &str) -> Result<String, String> {
        self.finish(reference, "AUTHORIZED")
    }

    /// The payer rejects in the app.
    pub fn reject(&self, reference: &str) -> Result<String, String> {
        self.finish(reference, "ABORTED")
    }

    /// Nobody acted in time.
    pub fn expire(&self, reference: &str) -> Result<String, String> {
        self.finish(reference, "EXPIRED")
    }

    fn finish(&self, reference: &str, to: &str) -> Result<String, String> {
        let (outgoing, url) = {
            let mut state = self.lock();
            let state = &mut *state;
            let p = state.payments.get_mut(reference).ok_or("no such payment")?;
            if p.details.state != "CREATED" {
                return Err(format!("the payment is {}", p.details.state));
            }
            p.details.state = to.to_owned();
            if to == "AUTHORIZED" {
                p.details.aggregate.authorized_amount = p.details.amount.clone();
            }
            let outgoing = signed(&state.hooks, &state.keys, &p.details, to, None, p.details.amount.value);
            (outgoing, p.return_url.clone())
        };
        self.webhooks.send(outgoing);
        Ok(url)
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The API's own checks: a live token, the subscription key and the sales unit.
fn authorized(fake: &FakeVipps, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let state = fake.lock();
    let token = header(headers, "authorization").strip_prefix("Bearer ").unwrap_or("");
    if !state.tokens.iter().any(|t| t == token) {
        return Err(Box::new(problem(StatusCode::UNAUTHORIZED, "Unauthorized")));
    }
    if header(headers, "ocp-apim-subscription-key") != state.keys.subscription_key {
        return Err(Box::new(problem(StatusCode::UNAUTHORIZED, "Invalid subscription key")));
    }
    if header(headers, "merchant-serial-number") != state.keys.merchant_serial_number {
        return Err(Box::new(problem(StatusCode::FORBIDDEN, "Merchant-Serial-Number does not match the keys")));
    }
    Ok(())
}

async fn access_token(State(fake): State<FakeVipps>, headers: HeaderMap) -> Response {
    let mut state = fake.lock();
    let keys = &state.keys;
    if header(&headers, "client_id") != keys.client_id
        || header(&headers, "client_secret") != keys.client_secret
        || header(&headers, "ocp-apim-subscription-key") != keys.subscription_key
    {
        return problem(StatusCode::UNAUTHORIZED, "Invalid client credentials");
    }
    let token = format!("eyJ0eXAiOiJKV1Qi.{}", uuid());
    state.tokens.push(token.clone());
    state.tokens_issued += 1;
    Json(json!({
        "token_type": "Bearer",
        "expires_in": "3600",
        "ext_expires_in": "0",
        "expires_on": (crate::unix_now() + 3600).to_string(),
        "not_before": crate::unix_now().to_string(),
        "resource": "00000002-0000-0000-c000-000000000000",
        "access_token": token,
    }))
    .into_response()
}

async fn register(State(fake): State<FakeVipps>, headers: HeaderMap, Json(request): Json<HookRequest>) -> Response {
    if let Err(refused) = authorized(&fake, &headers) {
        return *refused;
    }
    let events: Vec<&str> = request.events.iter().map(String::as_str).collect();
    let secret = fake.register_webhook(&request.url, &events);
    (StatusCode::CREATED, Json(json!({ "id": uuid(), "secret": secret }))).into_response()
}

/// The first answer to an operation with this key, if it was asked before.
fn replayed(fake: &FakeVipps, operation: &str, key: &str) -> Option<Response> {
    let state = fake.lock();
    let (status, body) = state.answered.get(&(operation.to_owned(), key.to_owned()))?;
    Some((StatusCode::from_u16(*status).unwrap_or(StatusCode::OK), Json(body.clone())).into_response())
}

fn remember(fake: &FakeVipps, operation: &str, key: &str, status: StatusCode, body: Value) -> Response {
    fake.lock().answered.insert((operation.to_owned(), key.to_owned()), (status.as_u16(), body.clone()));
    (status, Json(body)).into_response()
}

async fn create(State(fake): State<FakeVipps>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Err(refused) = authorized(&fake, &headers) {
        return *refused;
    }
    let key = header(&headers, "idempotency-key").to_owned();
    if key.is_empty() {
        return problem(StatusCode::BAD_REQUEST, "Idempotency-Key is required");
    }
    if let Some(answer) = replayed(&fake, "create", &key) {
        return answer;
    }
    let request: CreateRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    if !valid_reference(&request.reference) {
        return problem(
            StatusCode::BAD_REQUEST,
            "The field Reference must match the regular expression '^[a-zA-Z0-9-]{8,50}$'.",
        );
    }
    if request.amount.currency != "DKK" || request.amount.value <= 0 {
        return problem(StatusCode::BAD_REQUEST, "amount must be a positive DKK value here");
    }
    if request.payment_method.get("type").and_then(Value::as_str) != Some("WALLET")
        || request.user_flow != "WEB_REDIRECT"
    {
        return problem(StatusCode::BAD_REQUEST, "this fake takes WALLET with WEB_REDIRECT");
    }
    let Some(return_url) = request.return_url else {
        return problem(StatusCode::BAD_REQUEST, "returnUrl is required for WEB_REDIRECT");
    };
    let outgoing = {
        let mut state = fake.lock();
        let state = &mut *state;
        if state.payments.contains_key(&request.reference) {
            return problem(StatusCode::CONFLICT, "A payment with this reference already exists");
        }
        let zero = || Amount::dkk(0);
        let details = PaymentDetails {
            reference: request.reference.clone(),
            state: "CREATED".into(),
            amount: request.amount,
            aggregate: Aggregate {
                authorized_amount: zero(),
                cancelled_amount: zero(),
                captured_amount: zero(),
                refunded_amount: zero(),
            },
            psp_reference: Some(uuid()),
        };
        let outgoing = signed(&state.hooks, &state.keys, &details, "CREATED", Some(&key), details.amount.value);
        state.payments.insert(request.reference.clone(), FakePayment { details, return_url });
        outgoing
    };
    fake.webhooks.send(outgoing);
    let body = json!({ "redirectUrl": format!("{}/landing/{}", fake.base, request.reference), "reference": request.reference });
    remember(&fake, "create", &key, StatusCode::CREATED, body)
}

async fn read(State(fake): State<FakeVipps>, headers: HeaderMap, Path(reference): Path<String>) -> Response {
    if let Err(refused) = authorized(&fake, &headers) {
        return *refused;
    }
    match fake.payment(&reference) {
        Some(details) => Json(details).into_response(),
        None => problem(StatusCode::NOT_FOUND, "Payment not found"),
    }
}

async fn modify(
    State(fake): State<FakeVipps>,
    headers: HeaderMap,
    Path((reference, operation)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    if let Err(refused) = authorized(&fake, &headers) {
        return *refused;
    }
    let key = header(&headers, "idempotency-key").to_owned();
    if key.is_empty() {
        return problem(StatusCode::BAD_REQUEST, "Idempotency-Key is required");
    }
    let op_key = format!("{operation}:{reference}");
    if let Some(answer) = replayed(&fake, &op_key, &key) {
        return answer;
    }
    let amount = if operation == "cancel" {
        0
    } else {
        match serde_json::from_slice::<Modification>(&body) {
            Ok(m) if m.modification_amount.currency == "DKK" && m.modification_amount.value > 0 => {
                m.modification_amount.value
            }
            _ => return problem(StatusCode::BAD_REQUEST, "modificationAmount must be a positive DKK value"),
        }
    };
    let result = {
        let mut state = fake.lock();
        let state = &mut *state;
        let Some(p) = state.payments.get_mut(&reference) else {
            return problem(StatusCode::NOT_FOUND, "Payment not found");
        };
        let Some((name, ok)) = apply(&mut p.details, &operation, amount) else {
            return problem(StatusCode::NOT_FOUND, "No such operation");
        };
        if ok {
            let outgoing = signed(&state.hooks, &state.keys, &p.details, name, Some(&key), amount);
            Ok((outgoing, p.details.clone()))
        } else {
            Err(format!("Cannot {operation} the payment in its state"))
        }
    };
    match result {
        Ok((outgoing, details)) => {
            fake.webhooks.send(outgoing);
            let mut body = serde_json::to_value(&details).unwrap_or_default();
            body["pspReference"] = json!(uuid());
            remember(&fake, &op_key, &key, StatusCode::OK, body)
        }
        Err(title) => problem(StatusCode::BAD_REQUEST, &title),
    }
}

/// A capture, refund or cancel on a payment, as the API allows it: the
/// event it makes and whether it was allowed. `None` for no such operation.
fn apply(details: &mut PaymentDetails, operation: &str, amount: i64) -> Option<(&'static str, bool)> {
    let a = &mut details.aggregate;
    Some(match operation {
        "capture" => {
            let ok = details.state == "AUTHORIZED"
                && a.captured_amount.value + a.cancelled_amount.value + amount <= a.authorized_amount.value;
            if ok {
                a.captured_amount.value += amount;
            }
            ("CAPTURED", ok)
        }
        "refund" => {
            let ok = a.refunded_amount.value + amount <= a.captured_amount.value;
            if ok {
                a.refunded_amount.value += amount;
            }
            ("REFUNDED", ok)
        }
        "cancel" => match details.state.as_str() {
            "CREATED" => {
                details.state = "TERMINATED".into();
                ("TERMINATED", true)
            }
            "AUTHORIZED" if a.captured_amount.value == 0 => {
                a.cancelled_amount = a.authorized_amount.clone();
                ("CANCELLED", true)
            }
            _ => ("CANCELLED", false),
        },
        _ => return None,
    })
}

async fn landing(State(fake): State<FakeVipps>, Path(reference): Path<String>) -> Response {
    let Some(details) = fake.payment(&reference) else {
        return (StatusCode::NOT_FOUND, Html("<p>Unknown payment</p>".to_owned())).into_response();
    };
    let kr = details.amount.value as f64 / 100.0;
    Html(format!(
        "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>MobilePay (local fake)</title></head><body><h1>MobilePay <small>(local fake)</small></h1>\
         <p>{}: <strong>DKK {kr:.2}</strong></p><p>Stands in for the app: approve or reject.</p>\
         <form method=\"post\"><button name=\"choice\" value=\"approve\">Godkend / Approve</button> \
         <button name=\"choice\" value=\"reject\">Afvis / Reject</button></form></body></html>",
        html(&reference)
    ))
    .into_response()
}

async fn decide(
    State(fake): State<FakeVipps>,
    Path(reference): Path<String>,
    Form(form): Form<LandingForm>,
) -> Response {
    let next = if form.choice == "approve" { fake.approve(&reference) } else { fake.reject(&reference) };
    match next {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => (StatusCode::CONFLICT, Html(format!("<p>{}</p>", html(&e)))).into_response(),
    }
}
