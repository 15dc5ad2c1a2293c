//! Prometheus metrics at `/metrics`, every name prefixed `saldo_`.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use saldo_app::purchase::PurchaseOutcome;
use subtle::ConstantTimeEq;

use crate::AppState;

/// The process-wide recorder (metrics are global by nature; every app in a
/// test process shares it).
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("saldo_http_request_duration_seconds".into()),
                    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
                )
                .unwrap_or_else(|_| PrometheusBuilder::new());
            // A recorder may already be installed by an embedding program; then
            // render from our own, uninstalled one rather than fail.
            builder.install_recorder().unwrap_or_else(|_| PrometheusBuilder::new().build_recorder().handle())
        })
        .clone()
}

pub fn purchase(outcome: &PurchaseOutcome) {
    match outcome {
        PurchaseOutcome::Approved { .. } => {
            metrics::counter!("saldo_purchases_total", "result" => "approved").increment(1)
        }
        PurchaseOutcome::Declined { reason, .. } => {
            metrics::counter!("saldo_purchases_total", "result" => "declined", "reason" => reason.code()).increment(1)
        }
    }
}

/// Counts and times every request by route (the route's pattern, not the raw path).
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let method = method_label(request.method());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!("saldo_http_request_duration_seconds", "method" => method, "path" => path.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!("saldo_http_requests_total", "method" => method, "path" => path, "status" => status).increment(1);
    response
}

/// A method as a label: the ones HTTP defines, and "other" for any made-up
/// name, so no request can add series.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [(Method, &str); 9] = [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::PATCH, "PATCH"),
        (Method::DELETE, "DELETE"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::CONNECT, "CONNECT"),
        (Method::TRACE, "TRACE"),
    ];
    KNOWN.iter().find(|(known, _)| known == method).map_or("other", |(_, label)| label)
}

/// Renders the metrics, with the job queue read from the database at scrape
/// time (every server process sees the same queue).
pub async fn render(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.app.settings.metrics.token {
        let given = headers.get(AUTHORIZATION).and_then(|h| h.to_str().ok()).and_then(|h| h.strip_prefix("Bearer "));
        let matches = given.is_some_and(|given| bool::from(given.as_bytes().ct_eq(token.as_bytes())));
        if !matches {
            return (StatusCode::UNAUTHORIZED, [(WWW_AUTHENTICATE, "Bearer")], "a token is needed for /metrics\n")
                .into_response();
        }
    }
    match state.app.store.job_stats().await {
        Ok(stats) => {
            let now = state.app.now().as_microsecond();
            let oldest = stats.oldest_pending_created_at.map_or(0.0, |at| (now - at).max(0) as f64 / 1e6);
            metrics::gauge!("saldo_jobs_pending").set(stats.pending as f64);
            metrics::gauge!("saldo_jobs_oldest_pending_seconds").set(oldest);
            metrics::gauge!("saldo_jobs_failing").set(stats.failing as f64);
            metrics::gauge!("saldo_jobs_given_up").set(stats.given_up as f64);
        }
        Err(e) => tracing::warn!(error = %e, "job queue not readable for metrics"),
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}
