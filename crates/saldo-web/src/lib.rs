//! Saldo over HTTP: a folder per face (portal, office, admin, till, api),
//! thin handlers, and the shared plumbing: visitor and session, CSRF, page
//! errors, paths, texts.

// The faces: one folder each, each with its own `router()`. The webshop
// (`shop/`) and support (`support/`) join beside them.
pub mod admin;
pub mod api;
pub mod office;
pub mod pay_callback;
pub mod portal;
pub mod public;
pub mod sandbox_pay;
pub mod shop;
pub mod support;
pub mod till;

// The plumbing every face shares.
pub mod chart;
pub mod cookies;
pub mod csrf;
pub mod export;
pub mod forwarded;
pub mod health;
pub mod i18n;
pub mod metrics;
pub mod nul;
pub mod once;
pub mod page;
pub mod page_error;
pub mod paths;
pub mod serve;
pub mod visitor;

pub use serve::serve;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue};
use axum::{middleware, Router};
use metrics_exporter_prometheus::PrometheusHandle;
use saldo_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: PrometheusHandle,
}

/// A till's request is a few hundred bytes; nothing here needs more than this.
const MAX_BODY: usize = 64 * 1024;

pub fn router(app: App) -> Router {
    // The sandbox's pages and callback exist only where it takes payments.
    let sandbox = if app.settings.sandbox_on() { sandbox_pay::router() } else { Router::new() };
    // Browsers that reached Saldo over HTTPS are told to keep to it.
    let hsts = app.settings.secure_cookies().then(|| HeaderValue::from_static("max-age=31536000"));
    let csp = content_security_policy(&app.settings);
    let state = AppState { app, metrics: metrics::handle() };
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(public::router())
        .merge(portal::router())
        .merge(office::router())
        .merge(admin::router())
        .merge(support::router())
        .merge(till::router())
        .merge(shop::router())
        .merge(api::router())
        .merge(sandbox)
        .merge(pay_callback::router())
        .merge(health::router())
        .fallback(unknown_address)
        .route_layer(middleware::from_fn(metrics::track))
        .with_state(state.clone())
        .layer(middleware::from_fn(nul::refuse_in_address))
        .layer(middleware::from_fn(page_error::error_pages))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::csrf_cookie))
        .layer(middleware::from_fn_with_state(state, forwarded::client_address))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, move |_: &_| hsts.clone()))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Forms post to Saldo only, and to the OpenID providers the settings name:
/// the MitID button, the step-up and logging out answer with a redirect to
/// the provider, and browsers hold form redirects to `form-action` too.
fn content_security_policy(settings: &saldo_app::Settings) -> HeaderValue {
    let mut form_action = vec!["'self'".to_owned()];
    for oidc in [&settings.login.parents, &settings.login.staff] {
        if let Some(origin) = oidc.enabled().then(|| saldo_app::oidc::origin(&oidc.issuer)).flatten() {
            if !form_action.contains(&origin) {
                form_action.push(origin);
            }
        }
    }
    let policy = format!("default-src 'self'; frame-ancestors 'none'; form-action {}", form_action.join(" "));
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; form-action 'self'"))
}

/// An address Saldo does not have: the API answers in JSON, everyone else
/// gets Saldo's own "not found" page in their language, with a way back.
async fn unknown_address(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        api::error::ApiError::Refused(saldo_app::auth::Refusal::NotFound).into_response()
    } else {
        page_error::PageError(page_error::Problem::NotFound).into_response()
    }
}
