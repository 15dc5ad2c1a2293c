//! Top-up agreements (optankningsaftaler): start one, change its terms, pause, resume, delete.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use saldo_core::ids::{AgreementId, ChildId};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{internal, PageError, Problem};
use crate::paths::To;
use crate::visitor::{Signed, Visitor};
use crate::AppState;
use saldo_app::agreements::{self, AgreementError, Change};
use saldo_core::Money;

use super::NoFields;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/agreements", post(agreement_start))
        .route("/portal/children/{child}/agreements/{agreement}/terms", post(agreement_terms))
        .route("/portal/children/{child}/agreements/{agreement}/{change}", post(agreement_change))
}

#[derive(Deserialize)]
struct AgreementForm {
    threshold: String,
    amount: String,
}

async fn agreement_start(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<AgreementForm>,
) -> Result<Response, PageError> {
    let Some((threshold, amount)) = form.terms() else { return terms_refused(&v, &child, AgreementError::BadInput) };
    match agreements::start_setup(&state.app, &actor, &child, threshold, amount, v.tr.code()).await {
        Ok(redirect) => Ok(crate::pay_callback::to_provider(&v, state.app.settings.base(), &redirect)),
        Err(e) => terms_refused(&v, &child, e),
    }
}

impl AgreementForm {
    fn terms(&self) -> Option<(Money, Money)> {
        Some((self.threshold.parse().ok()?, self.amount.parse().ok()?))
    }
}

/// Sends the form's problem back to the child's page as a known key, or fails the request.
fn terms_refused(v: &Visitor, child: &ChildId, e: AgreementError) -> Result<Response, PageError> {
    let key = match e {
        AgreementError::BadInput => "deposit.bad_amount",
        AgreementError::Threshold(_) => "agreement.bad_threshold",
        AgreementError::Amount(..) => "agreement.bad_amount",
        AgreementError::OverCap(_) => "agreement.over_cap",
        AgreementError::Provider(saldo_pay::PayError::NotConfigured) => "deposit.unavailable",
        AgreementError::NotOwner => return Err(v.fail(Problem::Forbidden)),
        AgreementError::Refused(r) => return Err(PageError::from(r)),
        e => return Err(internal(e)),
    };
    Ok(To::child(child).error(key).at("agreements").redirect())
}

async fn agreement_terms(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, agreement)): Path<(ChildId, AgreementId)>,
    CsrfForm(form): CsrfForm<AgreementForm>,
) -> Result<Response, PageError> {
    let Some((threshold, amount)) = form.terms() else { return terms_refused(&v, &child, AgreementError::BadInput) };
    match agreements::change_terms(&state.app, &actor, &child, &agreement, threshold, amount).await {
        Ok(()) => Ok(To::child(&child).done("agreement.changed").at("agreements").redirect()),
        Err(e) => terms_refused(&v, &child, e),
    }
}

async fn agreement_change(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, agreement, change)): Path<(ChildId, AgreementId, String)>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let change = match change.as_str() {
        "pause" => Change::Pause,
        "resume" => Change::Resume,
        "delete" => Change::Delete,
        _ => return Err(v.fail(Problem::NotFound)),
    };
    match agreements::change(&state.app, &actor, &child, &agreement, change).await {
        Ok(()) => Ok(To::child(&child).done("agreement.changed").redirect()),
        Err(AgreementError::NotOwner) => Err(v.fail(Problem::Forbidden)),
        Err(AgreementError::Refused(r)) => Err(PageError::from(r)),
        Err(e) => Err(internal(e)),
    }
}
