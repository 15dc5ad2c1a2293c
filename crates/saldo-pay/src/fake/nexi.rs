//! A local Nexi Checkout: the Payment API's paths and answers, a hosted
//! payment page, unscheduled subscriptions, charges and refunds, and
//! webhooks that echo the merchant's `authorization` (unsigned, as Nexi's).
//!
//! Test cards (any expiry in the future): numbers ending `0002` are
//! declined on the page; `…0341` saves fine but its later charges are
//! declined; every other 16-digit number pays. Charges and refunds settle at
//! once, or, after [`FakeNexi::defer_settling`], only at [`FakeNexi::settle`]
//! (Nexi's asynchronous charges).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::nexi_hooks::webhooks_for;
use super::nexi_page::brand;
use super::{digits, uuid, Delivery, Webhooks};
use crate::nexi::{Charge, OrderDetails, Payment, Refund, Summary, UnscheduledSubscription};

/// A test card that pays.
pub const APPROVED_CARD: &str = "4925 0000 0000 0004";
/// Declined on the page.
pub const DECLINED_CARD: &str = "4000 0000 0000 0002";
/// Saves fine; later charges are declined.
pub const DECLINES_LATER_CARD: &str = "4000 0000 0000 0341";

#[derive(Clone)]
pub struct FakeNexi {
    state: Arc<Mutex<NexiState>>,
    pub(super) webhooks: Webhooks,
    base: String,
}

pub(super) struct NexiState {
    secret_key: String,
    pub(super) payments: HashMap<String, FakePayment>,
    /// Unscheduled subscription id → the card it charges.
    subscriptions: HashMap<String, String>,
    defer: bool,
    /// Charges and refunds waiting for [`FakeNexi::settle`].
    unsettled: Vec<Unsettled>,
}

enum Unsettled {
    Charge { payment_id: String, charge_id: String, amount: i64 },
    Refund { payment_id: String, refund_id: String },
}

pub(super) struct FakePayment {
    pub(super) payment: Payment,
    pub(super) return_url: String,
    pub(super) cancel_url: String,
    pub(super) webhooks: Vec<(String, String, String)>,
    pub(super) save_card: bool,
    /// The methods `paymentMethodsConfiguration` enabled; empty: all.
    pub(super) methods: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateRequest {
    order: OrderIn,
    checkout: CheckoutIn,
    #[serde(default)]
    notifications: Option<Notifications>,
    #[serde(default)]
    unscheduled_subscription: Option<Value>,
    #[serde(default)]
    payment_methods_configuration: Vec<MethodIn>,
}

#[derive(Deserialize)]
struct MethodIn {
    name: String,
    enabled: bool,
}

#[derive(Deserialize)]
struct OrderIn {
    items: Vec<ItemIn>,
    amount: i64,
    currency: String,
    #[serde(default)]
    reference: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemIn {
    gross_total_amount: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckoutIn {
    integration_type: String,
    pub(super) return_url: String,
    #[serde(default)]
    pub(super) cancel_url: Option<String>,
    terms_url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Notifications {
    #[serde(default)]
    web_hooks: Vec<WebHookIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebHookIn {
    event_name: String,
    url: String,
    authorization: String,
}

#[derive(Deserialize)]
struct ChargeRequest {
    order: OrderIn,
}

#[derive(Deserialize)]
struct RefundRequest {
    amount: i64,
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "errors": { "message": [message] } }))).into_response()
}

impl FakeNexi {
    /// Starts a fake on a free loopback port, taking `secret_key`.
    pub async fn start(secret_key: &str) -> std::io::Result<FakeNexi> {
        FakeNexi::start_at(secret_key, ([127, 0, 0, 1], 0).into()).await
    }

    pub async fn start_at(secret_key: &str, addr: std::net::SocketAddr) -> std::io::Result<FakeNexi> {
        let state = Arc::new(Mutex::new(NexiState {
            secret_key: secret_key.to_owned(),
            payments: HashMap::new(),
            subscriptions: HashMap::new(),
            defer: false,
            unsettled: Vec::new(),
        }));
        let webhooks = Webhooks::default();
        // The router needs the fake, and the fake its address: bind first.
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let fake = FakeNexi { state, webhooks, base: format!("http://{bound}") };
        let router = Router::new()
            .route("/v1/payments", post(create))
            .route("/v1/payments/{id}", get(read))
            .route("/v1/unscheduledsubscriptions/{id}/charges", post(charge))
            .route("/v1/charges/{id}/refunds", post(refund))
            .route("/hpp/{id}", get(super::nexi_page::page).post(super::nexi_page::decide))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(fake)
    }

    /// The fake's base URL, for [`crate::nexi::NexiConfig::base_url`].
    pub fn url(&self) -> &str {
        &self.base
    }

    pub fn webhooks(&self) -> &Webhooks {
        &self.webhooks
    }

    pub fn set_delivery(&self, delivery: Delivery) {
        self.webhooks.set_delivery(delivery);
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, NexiState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// From now on, charges and refunds wait for [`FakeNexi::settle`].
    pub fn defer_settling(&self, defer: bool) {
        self.lock().defer = defer;
    }

    /// The payer pays (or tries to) on the hosted page, as its form would.
    /// Answers where the browser is sent.
    pub fn pay(&self, payment_id: &str, card: &str) -> Result<String, String> {
        let (outgoing, url) = {
            let mut state = self.lock();
            let state = &mut *state;
            let p = state.payments.get_mut(payment_id).ok_or("no such payment")?;
            if p.payment.terminated.is_some()
                || p.payment.summary.charged_amount > 0
                || p.payment.unscheduled_subscription.is_some()
            {
                return Err("the payment is finished".into());
            }
            let number = digits(card);
            if !p.methods.is_empty() && !p.methods.iter().any(|m| m == brand(&number)) {
                return Err(format!("the page offers only {}", p.methods.join(", ")));
            }
            if number.len() != 16 || number.ends_with("0002") {
                return Ok(format!("{}/hpp/{payment_id}?declined=1", self.base));
            }
            let amount = p.payment.order_details.amount;
            p.payment.payment_details = Some(crate::nexi::PaymentDetails {
                card_details: Some(crate::nexi::CardDetails {
                    masked_pan: format!("{}******{}", &number[..6], &number[12..]),
                    expiry_date: "1230".into(),
                }),
            });
            let mut events = vec!["payment.reservation.created.v2", "payment.checkout.completed"];
            if p.save_card {
                let id = uuid().replace('-', "");
                state.subscriptions.insert(id.clone(), number);
                p.payment.unscheduled_subscription = Some(UnscheduledSubscription { unscheduled_subscription_id: id });
            }
            if amount > 0 {
                let charge_id = uuid().replace('-', "");
                p.payment.summary.reserved_amount = amount;
                p.payment.summary.charged_amount = amount;
                p.payment.charges.push(Charge { charge_id, amount });
                events.push("payment.charge.created.v2");
            }
            let outgoing = events.iter().flat_map(|event| webhooks_for(p, event, json!({}))).collect::<Vec<_>>();
            (outgoing, with_payment_id(&p.return_url, payment_id))
        };
        self.webhooks.send(outgoing);
        Ok(url)
    }

    /// The payer gives up on the page: Nexi sends them to the cancel address.
    pub fn cancel(&self, payment_id: &str) -> Result<String, String> {
        let mut state = self.lock();
        let p = state.payments.get_mut(payment_id).ok_or("no such payment")?;
        if p.payment.summary.charged_amount > 0 {
            return Err("the payment is finished".into());
        }
        p.payment.terminated = Some(super::iso_time(crate::unix_now()));
        Ok(with_payment_id(&p.cancel_url, payment_id))
    }

    /// Nobody finished the payment in time: it is terminated, no webhook.
    pub fn expire(&self, payment_id: &str) {
        if let Some(p) = self.lock().payments.get_mut(payment_id) {
            if p.payment.summary.charged_amount == 0 && p.payment.unscheduled_subscription.is_none() {
                p.payment.terminated = Some(super::iso_time(crate::unix_now()));
            }
        }
    }

    /// Finishes the charges and refunds that wait.
    pub fn settle(&self) -> usize {
        let outgoing = {
            let mut state = self.lock();
            let waiting = std::mem::take(&mut state.unsettled);
            let n = waiting.len();
            let mut outgoing = Vec::new();
            for item in waiting {
                match item {
                    Unsettled::Charge { payment_id, charge_id, amount } => {
                        if let Some(p) = state.payments.get_mut(&payment_id) {
                            p.payment.summary.charged_amount += amount;
                            p.payment.charges.push(Charge { charge_id, amount });
                            outgoing.extend(webhooks_for(p, "payment.charge.created.v2", json!({})));
                        }
                    }
                    Unsettled::Refund { payment_id, refund_id } => {
                        if let Some(p) = state.payments.get_mut(&payment_id) {
                            complete_refund(p, &refund_id);
                            outgoing.extend(webhooks_for(
                                p,
                                "payment.refund.completed",
                                json!({ "refundId": refund_id }),
                            ));
                        }
                    }
                }
            }
            let _ = n;
            outgoing
        };
        let n = outgoing.len();
        self.webhooks.send(outgoing);
        n
    }

    /// A payment as the fake holds it.
    pub fn payment(&self, payment_id: &str) -> Option<Payment> {
        self.lock().payments.get(payment_id).map(|p| p.payment.clone())
    }

    /// Every payment's id, oldest first is not promised.
    pub fn payment_ids(&self) -> Vec<String> {
        self.lock().payments.keys().cloned().collect()
    }
}

fn with_payment_id(url: &str, payment_id: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}paymentid={payment_id}")
}

fn complete_refund(p: &mut FakePayment, refund_id: &str) {
    if let Some(r) = p.payment.refunds.iter_mut().find(|r| r.refund_id == refund_id) {
        if r.state != "Completed" {
            r.state = "Completed".into();
            p.payment.summary.refunded_amount += r.amount;
        }
    }
}

fn authorized(fake: &FakeNexi, headers: &HeaderMap) -> bool {
    let given = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    given == fake.lock().secret_key
}

fn check_order(order: &OrderIn) -> Result<(), &'static str> {
    if order.currency != "DKK" {
        return Err("currency must be DKK here");
    }
    if order.items.is_empty() || order.items.iter().map(|i| i.gross_total_amount).sum::<i64>() != order.amount {
        return Err("order.amount must equal the sum of the items' grossTotalAmount");
    }
    if order.amount < 0 {
        return Err("order.amount must not be negative");
    }
    Ok(())
}

async fn create(State(fake): State<FakeNexi>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if !authorized(&fake, &headers) {
        return error(StatusCode::UNAUTHORIZED, "Authorization header is missing or invalid");
    }
    let request: CreateRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    if let Err(e) = check_order(&request.order) {
        return error(StatusCode::BAD_REQUEST, e);
    }
    if request.checkout.integration_type != "HostedPaymentPage" || request.checkout.terms_url.is_empty() {
        return error(StatusCode::BAD_REQUEST, "checkout.termsUrl and integrationType HostedPaymentPage are required");
    }
    let save_card =
        request.unscheduled_subscription.as_ref().and_then(|u| u.get("create")).and_then(Value::as_bool) == Some(true);
    if request.order.amount == 0 && !save_card {
        return error(StatusCode::BAD_REQUEST, "an amount of 0 only registers a card");
    }
    let webhooks = request
        .notifications
        .map(|n| n.web_hooks.into_iter().map(|w| (w.event_name, w.url, w.authorization)).collect())
        .unwrap_or_default();
    let id = uuid().replace('-', "");
    let payment = Payment {
        payment_id: id.clone(),
        order_details: OrderDetails {
            amount: request.order.amount,
            currency: request.order.currency,
            reference: request.order.reference,
        },
        summary: Summary::default(),
        ..Payment::default()
    };
    let cancel_url = request.checkout.cancel_url.unwrap_or_else(|| request.checkout.return_url.clone());
    let methods = request.payment_methods_configuration.into_iter().filter(|m| m.enabled).map(|m| m.name).collect();
    fake.lock().payments.insert(
        id.clone(),
        FakePayment { payment, return_url: request.checkout.return_url, cancel_url, webhooks, save_card, methods },
    );
    let url = format!("{}/hpp/{id}", fake.base);
    (StatusCode::CREATED, Json(json!({ "paymentId": id, "hostedPaymentPageUrl": url }))).into_response()
}

async fn read(State(fake): State<FakeNexi>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !authorized(&fake, &headers) {
        return error(StatusCode::UNAUTHORIZED, "Authorization header is missing or invalid");
    }
    match fake.payment(&id) {
        Some(payment) => Json(json!({ "payment": payment })).into_response(),
        None => error(StatusCode::NOT_FOUND, "Payment not found"),
    }
}

async fn charge(
    State(fake): State<FakeNexi>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    if !authorized(&fake, &headers) {
        return error(StatusCode::UNAUTHORIZED, "Authorization header is missing or invalid");
    }
    let request: ChargeRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    if let Err(e) = check_order(&request.order) {
        return error(StatusCode::BAD_REQUEST, e);
    }
    let mut state = fake.lock();
    let Some(card) = state.subscriptions.get(&id).cloned() else {
        return error(StatusCode::NOT_FOUND, "Unscheduled subscription not found");
    };
    if card.ends_with("0341") {
        return error(StatusCode::PAYMENT_REQUIRED, "The charge was declined by the issuer");
    }
    let payment_id = uuid().replace('-', "");
    let charge_id = uuid().replace('-', "");
    let amount = request.order.amount;
    let mut payment = Payment {
        payment_id: payment_id.clone(),
        order_details: OrderDetails { amount, currency: "DKK".into(), reference: request.order.reference },
        summary: Summary { reserved_amount: amount, ..Summary::default() },
        unscheduled_subscription: Some(UnscheduledSubscription { unscheduled_subscription_id: id }),
        ..Payment::default()
    };
    if state.defer {
        state.unsettled.push(Unsettled::Charge {
            payment_id: payment_id.clone(),
            charge_id: charge_id.clone(),
            amount,
        });
    } else {
        payment.summary.charged_amount = amount;
        payment.charges.push(Charge { charge_id: charge_id.clone(), amount });
    }
    state.payments.insert(
        payment_id.clone(),
        FakePayment {
            payment,
            return_url: String::new(),
            cancel_url: String::new(),
            webhooks: Vec::new(),
            save_card: false,
            methods: Vec::new(),
        },
    );
    (StatusCode::CREATED, Json(json!({ "paymentId": payment_id, "chargeId": charge_id }))).into_response()
}

async fn refund(
    State(fake): State<FakeNexi>,
    headers: HeaderMap,
    Path(charge_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    if !authorized(&fake, &headers) {
        return error(StatusCode::UNAUTHORIZED, "Authorization header is missing or invalid");
    }
    let request: RefundRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let outgoing = {
        let mut state = fake.lock();
        let defer = state.defer;
        let Some(p) = state.payments.values_mut().find(|p| p.payment.charges.iter().any(|c| c.charge_id == charge_id))
        else {
            return error(StatusCode::NOT_FOUND, "Charge not found");
        };
        let asked: i64 = p.payment.refunds.iter().filter(|r| r.state != "Failed").map(|r| r.amount).sum();
        if request.amount <= 0 || asked + request.amount > p.payment.summary.charged_amount {
            return error(StatusCode::BAD_REQUEST, "The amount to refund exceeds what was charged");
        }
        let refund_id = uuid().replace('-', "");
        p.payment.refunds.push(Refund {
            refund_id: refund_id.clone(),
            amount: request.amount,
            state: "Pending".into(),
        });
        let payment_id = p.payment.payment_id.clone();
        let outgoing = if defer {
            None
        } else {
            complete_refund(p, &refund_id);
            Some(webhooks_for(p, "payment.refund.completed", json!({ "refundId": refund_id })))
        };
        if defer {
            state.unsettled.push(Unsettled::Refund { payment_id, refund_id: refund_id.clone() });
        }
        (outgoing, refund_id)
    };
    let (outgoing, refund_id) = outgoing;
    if let Some(outgoing) = outgoing {
        fake.webhooks.send(outgoing);
    }
    (StatusCode::CREATED, Json(json!({ "refundId": refund_id }))).into_response()
}
