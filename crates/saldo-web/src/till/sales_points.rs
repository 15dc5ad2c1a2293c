//! `/sales-points`: where canteen and club staff land, their sales points
//! with the day report (and pairing a till) and, for a manager, the menu.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use saldo_app::till_setup::{self, MySalesPoint};

use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/sales-points", get(list))
}

#[derive(Template)]
#[template(path = "sales_points/index.html")]
struct ListPage {
    p: Page,
    points: Vec<MySalesPoint>,
}

async fn list(State(state): State<AppState>, Signed(v, actor): Signed) -> Result<Response, PageError> {
    let points = till_setup::my_sales_points(&state.app, &actor).await.map_err(internal)?;
    Ok(render(ListPage { p: v.page(None), points }))
}
