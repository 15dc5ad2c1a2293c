//! Saldo's endpoint for payment providers' callbacks:
//! `POST /pay/callback/{nexi,vipps,stripe,sandbox}`. It trusts nothing it
//! cannot verify; what it believes only makes Saldo read the payment back.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use saldo_app::deposits::DepositError;
use saldo_app::payments::{self, CallbackError};
use serde_json::json;

use crate::AppState;

#[derive(askama::Template)]
#[template(path = "pay/continue.html")]
struct Continue {
    p: crate::visitor::Page,
    next: String,
}

/// Sends the payer on to the provider's page after a form. A redirect to
/// another site straight from a form's answer is blocked by the pages'
/// `form-action 'self'` in Chrome and Safari, so a provider elsewhere is
/// reached by a page that goes on by itself (and has a link); Saldo's own
/// pages (the sandbox, the Stripe page) by a redirect.
pub fn to_provider(v: &crate::visitor::Visitor, base: &str, next: &str) -> Response {
    let own = (next.starts_with('/') && !next.starts_with("//")) || next.starts_with(&format!("{base}/"));
    if own {
        return axum::response::Redirect::to(next).into_response();
    }
    crate::page_error::render(Continue { p: v.page(None), next: next.to_owned() }).into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pay/callback/{provider}", post(callback))
        .route("/pay/stripe/{intent}", axum::routing::get(stripe_page).post(stripe_pay))
}

#[derive(askama::Template)]
#[template(path = "pay/stripe.html")]
struct StripePage {
    p: crate::visitor::Page,
    intent: String,
    amount: String,
    saves_card: bool,
    key: String,
    script_url: String,
}

/// Saldo's page where the payer types the card into Stripe's field.
async fn stripe_page(
    State(state): State<AppState>,
    crate::visitor::Signed(v, _actor): crate::visitor::Signed,
    Path(intent): Path<String>,
) -> Result<Response, crate::page_error::PageError> {
    let page = match payments::stripe_page(&state.app, &intent).await {
        Ok(Some(page)) => page,
        Ok(None) => return Ok(axum::response::Redirect::to("/portal").into_response()),
        Err(e) => return Err(crate::page_error::internal(e)),
    };
    let origins = page.origins.join(" ");
    let policy = format!(
        "default-src 'self'; script-src 'self' {origins}; frame-src {origins}; connect-src 'self' {origins}; \
         img-src 'self' data: {origins}; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"
    );
    let html = crate::page_error::render(StripePage {
        intent: page.provider_ref,
        amount: v.tr.money(&page.amount),
        saves_card: page.saves_card,
        key: page.publishable_key,
        script_url: page.script_url,
        p: v.page(None),
    });
    let mut response = html.into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response.headers_mut().insert(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
    Ok(response)
}

#[derive(serde::Deserialize)]
struct StripeForm {
    #[serde(default)]
    payment_method: String,
}

/// The page's form: the PaymentMethod Stripe's script made pays the intent.
async fn stripe_pay(
    State(state): State<AppState>,
    crate::visitor::Signed(_v, _actor): crate::visitor::Signed,
    Path(intent): Path<String>,
    crate::csrf::CsrfForm(form): crate::csrf::CsrfForm<StripeForm>,
) -> Result<Response, crate::page_error::PageError> {
    match payments::complete_on_page(&state.app, &intent, &form.payment_method).await {
        Ok((_, next)) => Ok(axum::response::Redirect::to(&next).into_response()),
        Err(CallbackError::Provider(e)) => {
            tracing::warn!(error = %e, "a card typed on the Stripe page was not taken");
            Ok(axum::response::Redirect::to(&format!("/pay/stripe/{intent}")).into_response())
        }
        Err(e) => Err(crate::page_error::internal(e)),
    }
}

/// The host the providers were given for Saldo (signatures cover it), from
/// the public URL; the request's own `Host` only when there is none.
fn public_host(public_url: &str, headers: &HeaderMap) -> String {
    let from_url = public_url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?']).next().unwrap_or("").to_owned())
        .filter(|host| !host.is_empty());
    from_url.unwrap_or_else(|| headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("").to_owned())
}

async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let host = public_host(&state.app.settings.public_url, &headers);
    let path_and_query = uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let callback = saldo_pay::Callback {
        headers: &headers,
        body: &body,
        path_and_query: &path_and_query,
        host: &host,
        received_at: state.app.now().as_second(),
    };
    match payments::callback(&state.app, &provider, &callback).await {
        Ok(settled) => (StatusCode::OK, Json(json!({"ok": true, "settled": format!("{settled:?}")}))).into_response(),
        Err(CallbackError::UnknownProvider) => {
            (StatusCode::NOT_FOUND, Json(json!({"error": "unknown_provider"}))).into_response()
        }
        Err(CallbackError::Refused(_)) => {
            (StatusCode::UNAUTHORIZED, Json(json!({"error": "bad_signature"}))).into_response()
        }
        Err(CallbackError::Deposit(DepositError::UnknownDeposit(_))) => {
            (StatusCode::NOT_FOUND, Json(json!({"error": "unknown_deposit"}))).into_response()
        }
        Err(CallbackError::Deposit(DepositError::Mismatch)) => {
            (StatusCode::CONFLICT, Json(json!({"error": "mismatch"}))).into_response()
        }
        // The provider could not be asked: it will send the callback again, and the poll job asks too.
        Err(CallbackError::Provider(e)) => {
            tracing::warn!(provider, error = %e, "could not read a payment back");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"error": "provider_unreachable"}))).into_response()
        }
        Err(e) => {
            tracing::error!(provider, error = %e, "payment callback failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "internal"}))).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_host_is_the_public_one() {
        let headers = HeaderMap::new();
        assert_eq!(public_host("https://saldo.kommune.dk/", &headers), "saldo.kommune.dk");
        assert_eq!(public_host("http://127.0.0.1:8080", &headers), "127.0.0.1:8080");
        let mut headers = HeaderMap::new();
        headers.insert("host", "internal:9000".parse().unwrap());
        assert_eq!(public_host("", &headers), "internal:9000");
    }
}
