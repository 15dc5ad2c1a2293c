//! The console's front page: why, and what to search for.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_app::support_lookup;
use saldo_core::ids::InstitutionId;
use serde::Deserialize;

use super::{file_path, problem_words, reason_options, ReasonFields, ReasonOption};
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/support", get(search_page))
}

/// A match, as a line to choose from.
struct Found {
    href: String,
    name: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "support/search.html")]
struct SearchPage {
    p: Page,
    form: &'static str,
    reasons: Vec<ReasonOption>,
    note: String,
    q: String,
    schools: Vec<(InstitutionId, String, bool)>,
    found: Option<Vec<Found>>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(flatten)]
    reason: ReasonFields,
    #[serde(default)]
    q: String,
    #[serde(default)]
    school: String,
}

async fn search_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(query): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let tr = v.tr;
    let schools = support_lookup::institutions(&state.app, &actor).await?;
    let school = schools.iter().find(|s| s.id.as_str() == query.school).map(|s| s.id.clone());
    let (found, error) = match query.q.trim().is_empty() {
        true => (None, None),
        false => {
            let searched = match query.reason.asked() {
                Ok(asked) => support_lookup::search(&state.app, &actor, &asked, &query.q, school.as_ref()).await,
                Err(e) => Err(e),
            };
            match searched {
                Ok(children) => (Some(children), None),
                Err(e) => match problem_words(&tr, &e) {
                    Some(words) => (None, Some(words)),
                    None => return Err(e.into()),
                },
            }
        }
    };
    let found = found.map(|children| {
        children
            .into_iter()
            .map(|c| Found {
                href: file_path(&c.id, &query.reason, None),
                name: format!("{} {}", c.first_name, c.last_name),
                detail: match &c.class_name {
                    Some(class) => format!("{class}, {}", c.school),
                    None => c.school.clone(),
                },
            })
            .collect()
    });
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = SearchPage {
        form: "search",
        reasons: reason_options(&tr, &query.reason.reason),
        note: query.reason.note.trim().to_owned(),
        q: query.q.trim().to_owned(),
        schools: schools.into_iter().map(|s| (s.id.clone(), s.name, school.as_ref() == Some(&s.id))).collect(),
        found,
        error,
        p: v.page(None),
    };
    Ok((status, render(page)).into_response())
}
