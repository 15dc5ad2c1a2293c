//! `/portal/children/{child}/till`: a custodian's rules at the till, the
//! categories their child may not buy and a note the till shows on every scan.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_app::till_controls::{self, ControlsError};
use saldo_core::ids::ChildId;

use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError};
use crate::paths::To;
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal/children/{child}/till", get(form).post(save))
}

#[derive(Template)]
#[template(path = "portal/till.html")]
struct ControlsPage {
    p: Page,
    child: ChildId,
    categories: Vec<(String, String, bool)>,
    note: String,
    error: Option<String>,
}

async fn form(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
) -> Result<Response, PageError> {
    let c = till_controls::controls(&state.app, &actor, &child).await?;
    Ok(render(ControlsPage { child, categories: c.categories, note: c.note, error: None, p: v.page(None) }))
}

/// The form's fields as pairs: checkboxes repeat their name.
async fn save(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    let blocked: Vec<String> = fields.iter().filter(|(k, _)| k == "block").map(|(_, v)| v.clone()).collect();
    let note = field("note");
    match till_controls::set_controls(&state.app, &actor, &child, &blocked, note).await {
        Ok(()) => Ok(To::child(&child).done("controls.saved").redirect()),
        Err(ControlsError::NoteTooLong) => {
            let c = till_controls::controls(&state.app, &actor, &child).await?;
            let page = ControlsPage {
                child,
                categories: c.categories,
                note: note.to_owned(),
                error: Some(v.tr.t("controls.too_long").to_owned()),
                p: v.page(None),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
        }
        Err(e) => Err(PageError::from(e)),
    }
}
