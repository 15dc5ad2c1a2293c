//! Who at support looked at the child's account: the custodian's view of the access log.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use saldo_app::access_log;
use saldo_core::ids::ChildId;

use crate::page_error::{render, PageError};
use crate::support::{access_line, Happened};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal/children/{child}/access", get(access_page))
}

#[derive(Template)]
#[template(path = "portal/access.html")]
struct AccessPage {
    p: Page,
    child_id: ChildId,
    name: String,
    lines: Vec<Happened>,
}

async fn access_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
) -> Result<Response, PageError> {
    let (view, rows) = access_log::of_child(&state.app, &actor, &child).await?;
    Ok(render(AccessPage {
        child_id: view.child.child_id.clone(),
        name: view.child.first_name.clone(),
        lines: rows.iter().map(|a| access_line(&v.tr, a)).collect(),
        p: v.page(None),
    }))
}
