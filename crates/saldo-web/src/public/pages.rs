//! The open pages: landing, help, the accessibility statement, the stylesheet,
//! and the demo's mailbox.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::page_error::{internal, render, PageError, Problem};
use crate::visitor::{Page, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/help", get(help))
        .route("/accessibility", get(accessibility))
        .route("/dev/mailbox", get(mailbox))
        .route("/static/style.css", get(stylesheet))
        .route("/static/receipt.js", get(receipt_script))
        .route("/static/deposit.js", get(deposit_script))
        .route("/static/stripe-pay.js", get(stripe_script))
}

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    p: Page,
}

async fn landing(v: Visitor) -> Response {
    render(Landing { p: v.page(None) })
}

#[derive(Template)]
#[template(path = "help.html")]
struct Help {
    p: Page,
}

async fn help(v: Visitor) -> Response {
    render(Help { p: v.page(None) })
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct Accessibility {
    p: Page,
}

async fn accessibility(v: Visitor) -> Response {
    render(Accessibility { p: v.page(None) })
}

struct ShownMail {
    to: String,
    subject: String,
    text: String,
    at: String,
}

#[derive(Template)]
#[template(path = "mailbox.html")]
struct Mailbox {
    p: Page,
    mails: Vec<ShownMail>,
}

/// Demo only: what would have been mailed, so the login link can be followed.
async fn mailbox(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    if !state.app.settings.demo {
        return Err(v.fail(Problem::NotFound));
    }
    let jobs = state.app.store.recent_jobs("mail", 50).await.map_err(internal)?;
    let mails = jobs
        .into_iter()
        .filter_map(|(job, at, _)| {
            let mail: saldo_app::mail::Mail = serde_json::from_str(&job.payload).ok()?;
            Some(ShownMail { to: mail.to, subject: mail.subject, text: mail.text, at: v.tr.datetime(&at) })
        })
        .collect();
    Ok(render(Mailbox { p: v.page(None), mails }))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/style.css"),
    )
}

async fn receipt_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/receipt.js"),
    )
}

async fn deposit_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/deposit.js"),
    )
}

async fn stripe_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/stripe-pay.js"),
    )
}
