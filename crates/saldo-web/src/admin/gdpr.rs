//! The operator's copy of a person's data, for someone who asks by letter or
//! phone (GDPR art. 15): found by e-mail, fetched with an audit line naming who.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use saldo_app::gdpr_export;
use serde::Deserialize;

use crate::page_error::{render, PageError, Problem};
use crate::portal::{json_file, personal_data_sections, Section};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/gdpr", get(page)).route("/admin/gdpr/export.json", get(file))
}

#[derive(Template)]
#[template(path = "admin/gdpr.html")]
struct GdprPage {
    p: Page,
    here: &'static str,
    email: String,
    /// The copy when a person was found; `Some(empty)` never happens.
    sections: Vec<Section>,
    searched: bool,
    found: bool,
}

#[derive(Deserialize, Default)]
struct Asked {
    #[serde(default)]
    email: String,
}

async fn page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(asked): Query<Asked>,
) -> Result<Response, PageError> {
    let email = asked.email.trim().to_owned();
    let searched = !email.is_empty();
    let data = match searched {
        true => gdpr_export::for_request(&state.app, &actor, &email).await?,
        // The page itself is the operator's only: the check without a search.
        false => gdpr_export::for_request(&state.app, &actor, "").await.map(|_| None)?,
    };
    Ok(render(GdprPage {
        here: "gdpr",
        found: data.is_some(),
        sections: data.map(|d| personal_data_sections(&v.tr, &d)).unwrap_or_default(),
        email,
        searched,
        p: v.page(None),
    }))
}

async fn file(
    State(state): State<AppState>,
    Signed(_, actor): Signed,
    Query(asked): Query<Asked>,
) -> Result<Response, PageError> {
    match gdpr_export::for_request(&state.app, &actor, &asked.email).await? {
        Some(data) => json_file(&data),
        None => Err(PageError(Problem::NotFound)),
    }
}
