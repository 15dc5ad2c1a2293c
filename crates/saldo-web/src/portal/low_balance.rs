//! The low-balance notice: a mail when a child's balance falls below a threshold.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use saldo_core::ids::ChildId;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{internal, PageError};
use crate::paths::To;
use crate::visitor::Signed;
use crate::AppState;
use saldo_app::low_balance::{self, NoticeError};
use saldo_core::Money;

use super::NoFields;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/low-balance", post(low_balance_set))
        .route("/portal/children/{child}/low-balance/stop", post(low_balance_stop))
}

#[derive(Deserialize)]
struct LowBalanceForm {
    threshold: String,
}

async fn low_balance_set(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<LowBalanceForm>,
) -> Result<Response, PageError> {
    let to = |to: To| Ok(to.at("low-balance").redirect());
    let Ok(threshold) = form.threshold.parse::<Money>() else {
        return to(To::child(&child).error("low_balance.bad_threshold"));
    };
    match low_balance::set(&state.app, &actor, &child, threshold).await {
        Ok(()) => to(To::child(&child).done("low_balance.saved")),
        Err(NoticeError::Threshold(_)) => to(To::child(&child).error("low_balance.bad_threshold")),
        Err(NoticeError::Refused(r)) => Err(PageError::from(r)),
        Err(e) => Err(internal(e)),
    }
}

async fn low_balance_stop(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    match low_balance::stop(&state.app, &actor, &child).await {
        Ok(()) => Ok(To::child(&child).done("low_balance.stopped").at("low-balance").redirect()),
        Err(NoticeError::Refused(r)) => Err(PageError::from(r)),
        Err(e) => Err(internal(e)),
    }
}
