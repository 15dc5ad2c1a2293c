//! The sandbox provider's hosted payment page, and Saldo's endpoint for
//! providers' callbacks. The page plays the provider; the callback endpoint
//! is Saldo's own and trusts nothing it cannot verify.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use saldo_app::sandbox::{self, Choice, SandboxError};
use saldo_core::Money;
use serde::Deserialize;
use serde_json::json;

use crate::csrf::CsrfForm;
use crate::page::Message;
use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Visitor};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sandbox-pay/pay", get(hosted_page).post(decide))
        .route("/sandbox-pay/api/charges", post(charge))
        .route("/sandbox-pay/api/refunds", post(refund))
}

#[derive(Template)]
#[template(path = "sandbox.html")]
struct HostedPage {
    p: Page,
    description: String,
    amount: String,
    query: String,
    save_card: bool,
    default_expiry: String,
}

fn bad_link(v: &Visitor) -> Response {
    let page = Message {
        title: v.tr.t("sandbox.title").into(),
        lines: vec![v.tr.t("sandbox.bad").into()],
        link_href: "/portal".into(),
        link_text: v.tr.t("receipt.back").into(),
        p: v.page(None),
    };
    (StatusCode::BAD_REQUEST, render(page)).into_response()
}

async fn hosted_page(State(state): State<AppState>, v: Visitor, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    match sandbox::open(&state.app, &query) {
        Ok(payment) => render(HostedPage {
            description: payment.description,
            amount: v.tr.money(&Money::from_ore(payment.amount_ore)),
            save_card: payment.save_card,
            // Three years on, as a freshly issued card would show.
            default_expiry: saldo_core::day::local_day(state.app.now())
                .saturating_add(jiff::Span::new().years(3))
                .strftime("%m/%y")
                .to_string(),
            query,
            p: v.page(None),
        }),
        Err(_) => bad_link(&v),
    }
}

#[derive(Deserialize)]
struct DecideForm {
    q: String,
    #[serde(default)]
    card: String,
    #[serde(default)]
    expiry: String,
    choice: String,
}

async fn decide(
    State(state): State<AppState>,
    v: Visitor,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> Result<Response, PageError> {
    let choice = if form.choice == "pay" { Choice::Pay } else { Choice::Cancel };
    match sandbox::decide(&state.app, &form.q, choice, &form.card, &form.expiry).await {
        Ok((payment, _)) => Ok(Redirect::to(&payment.return_url).into_response()),
        Err(SandboxError::Pay(_)) => Ok(bad_link(&v)),
        Err(SandboxError::Store(e)) => Err(internal(e)),
    }
}

/// The sandbox provider's charge-by-token API, as Saldo's adapter calls it.
async fn charge(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(saldo_pay::sandbox::SIGNATURE_HEADER).and_then(|h| h.to_str().ok()).unwrap_or("");
    let key = headers.get("idempotency-key").and_then(|h| h.to_str().ok()).unwrap_or("");
    api_answer(sandbox::charge(&state.app, signature, &body, key).await)
}

/// The sandbox API's answer: the outcome, or why the request was refused.
fn api_answer<T: serde::Serialize>(answer: Result<T, SandboxError>) -> Response {
    match answer {
        Ok(outcome) => (StatusCode::OK, Json(outcome)).into_response(),
        Err(SandboxError::Pay(saldo_pay::PayError::BadSignature)) => {
            (StatusCode::UNAUTHORIZED, Json(json!({"error": "bad_signature"}))).into_response()
        }
        Err(SandboxError::Pay(e)) => (StatusCode::BAD_REQUEST, Json(json!({"error": e.to_string()}))).into_response(),
        Err(SandboxError::Store(e)) => {
            tracing::error!(error = %e, "sandbox API failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "internal"}))).into_response()
        }
    }
}

/// The sandbox provider's refund API, as Saldo's adapter calls it.
async fn refund(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(saldo_pay::sandbox::SIGNATURE_HEADER).and_then(|h| h.to_str().ok()).unwrap_or("");
    let key = headers.get("idempotency-key").and_then(|h| h.to_str().ok()).unwrap_or("");
    api_answer(sandbox::refund(&state.app, signature, &body, key).await)
}
