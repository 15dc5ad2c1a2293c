//! The daily limit (dagsgrænse) a custodian sets for a child.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_core::ids::ChildId;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError};
use crate::paths::To;
use crate::visitor::{Page, Signed};
use crate::AppState;
use saldo_app::family::{self, FamilyError};
use saldo_core::rights::Action;
use saldo_core::Money;

use super::ChildCard;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal/children/{child}/limit", get(limit_form).post(limit_save))
}

#[derive(Template)]
#[template(path = "portal/limit.html")]
struct LimitPage {
    p: Page,
    c: ChildCard,
    current: String,
    has_limit: bool,
    error: Option<String>,
}

async fn limit_form(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
) -> Result<Response, PageError> {
    let view = family::child(&state.app, &actor, &child, Action::ChangeLimits).await?;
    let current = view.child.daily_limit.map(|l| l.plain_da()).unwrap_or_default();
    let has_limit = view.child.daily_limit.is_some();
    Ok(render(LimitPage { c: ChildCard::new(&view, &v.tr), current, has_limit, error: None, p: v.page(None) }))
}

#[derive(Deserialize)]
struct LimitForm {
    #[serde(default)]
    limit: String,
    #[serde(default)]
    action: String,
}

async fn limit_save(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<LimitForm>,
) -> Result<Response, PageError> {
    let remove = form.action == "remove" || form.limit.trim().is_empty();
    let limit = if remove { None } else { form.limit.parse::<Money>().ok() };
    let result = match (remove, limit) {
        (false, None) => Err(FamilyError::LimitOutOfRange),
        _ => family::set_daily_limit(&state.app, &actor, &child, limit).await,
    };
    match result {
        Ok(()) => {
            let done = if remove { "limit.removed" } else { "limit.saved" };
            Ok(To::child(&child).done(done).redirect())
        }
        Err(FamilyError::LimitOutOfRange) => {
            let view = family::child(&state.app, &actor, &child, Action::ChangeLimits).await?;
            let error = Some(v.tr.t("limit.out_of_range").to_owned());
            let page = LimitPage {
                c: ChildCard::new(&view, &v.tr),
                current: form.limit,
                has_limit: view.child.daily_limit.is_some(),
                error,
                p: v.page(None),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
        }
        Err(e) => Err(PageError::from(e)),
    }
}
