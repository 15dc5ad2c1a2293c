//! The till face: the till page itself (vanilla JS calling the till API) and
//! its script, and the pages of a sales point's staff (`/sales-points/…`): the
//! day report, new tills' pairing codes and PINs, the manager's menu.

mod day_report;
mod products;
mod sales_points;

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::page_error::render;
use crate::visitor::{Page, Visitor};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/till", get(till))
        .route("/static/till.js", get(script))
        .merge(day_report::routes())
        .merge(products::routes())
        .merge(sales_points::routes())
}

#[derive(Template)]
#[template(path = "till/till.html")]
struct TillPage {
    p: Page,
}

async fn till(v: Visitor) -> Response {
    render(TillPage { p: v.page(None) })
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")],
        include_str!("../../assets/till.js"),
    )
}
