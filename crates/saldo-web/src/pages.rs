//! Server-rendered pages. For now the landing page; the portal, office and
//! admin faces grow here, one module each.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(landing)).route("/static/style.css", get(stylesheet))
}

/// Support's contact details, on every page.
pub struct Support {
    pub phone: &'static str,
    pub phone_href: &'static str,
    pub hours: &'static str,
    pub email: &'static str,
}

pub const SUPPORT: Support = Support {
    phone: "71 99 54 45",
    phone_href: "+4571995445",
    hours: "hverdage 8–15",
    email: "borgersupport@skoleogklub.example.dk",
};

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    support: &'static Support,
}

async fn landing() -> Response {
    render(Landing { support: &SUPPORT })
}

fn render(page: impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Der skete en fejl. Prøv igen om lidt.").into_response()
        }
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../assets/style.css"),
    )
}
