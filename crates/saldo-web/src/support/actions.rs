//! The help desk's actions on a child's file: each form carries its reason and
//! a one-time key, and comes back to the file with what was done.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use saldo_app::support::SupportError;
use saldo_app::support_actions;
use saldo_app::Actor;
use saldo_core::ids::{CardId, ChildId, DepositId, PersonId};
use saldo_core::lifecycle::DepositStatus;
use serde::Deserialize;

use super::child::show_file;
use super::{problem_words, to_file, ReasonFields};
use crate::csrf::CsrfForm;
use crate::once::act_once;
use crate::page_error::PageError;
use crate::visitor::{Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/support/children/{child}/cards/{card}/block", post(block))
        .route("/support/children/{child}/cards/{card}/unblock", post(unblock))
        .route("/support/children/{child}/replacement", post(replacement))
        .route("/support/children/{child}/login-link", post(login_link))
        .route("/support/children/{child}/invitations/{invitation}/cancel", post(cancel_invitation))
        .route("/support/children/{child}/deposits/{deposit}/poll", post(poll_deposit))
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(flatten)]
    reason: ReasonFields,
    #[serde(default)]
    once: String,
    #[serde(default)]
    person: String,
}

/// After an action: to the file with what was done, or the file again with
/// what went wrong (in words when the person can do something about it).
async fn answer<T>(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    reason: &ReasonFields,
    done: Result<T, SupportError>,
    key: impl Fn(&T) -> &'static str,
) -> Result<Response, PageError> {
    let error = match done {
        Ok(value) => return Ok(to_file(child, reason, key(&value))),
        Err(e) => problem_words(&v.tr, &e).ok_or_else(|| PageError::from(e))?,
    };
    // A missing reason stops the action before anything happens; the file shows why.
    let page = show_file(state, v, actor, child, reason, None, Some(error)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn set_blocked(
    state: AppState,
    v: Visitor,
    actor: Actor,
    (child, card): (ChildId, CardId),
    form: ActionForm,
    block: bool,
) -> Result<Response, PageError> {
    let work = async {
        let done = match form.reason.asked() {
            Ok(asked) => {
                support_actions::set_card_blocked(&state.app, &actor, &child, &card, block, &asked).await.map(|_| block)
            }
            Err(e) => Err(e),
        };
        let key = |b: &bool| if *b { "done_card_block" } else { "done_card_unblock" };
        answer(&state, &v, &actor, &child, &form.reason, done, key).await
    };
    act_once(&state, &actor, &form.once, work).await
}

async fn block(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(ids): Path<(ChildId, CardId)>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    set_blocked(state, v, actor, ids, form, true).await
}

async fn unblock(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(ids): Path<(ChildId, CardId)>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    set_blocked(state, v, actor, ids, form, false).await
}

async fn replacement(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    let work = async {
        let done = match form.reason.asked() {
            Ok(asked) => support_actions::order_replacement(&state.app, &actor, &child, &asked).await,
            Err(e) => Err(e),
        };
        answer(&state, &v, &actor, &child, &form.reason, done, |_| "done_card_order").await
    };
    act_once(&state, &actor, &form.once, work).await
}

async fn login_link(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    let person = PersonId::new(form.person.trim());
    let work = async {
        let done = match form.reason.asked() {
            Ok(asked) => support_actions::resend_login_link(&state.app, &actor, &child, &person, &asked).await,
            Err(e) => Err(e),
        };
        answer(&state, &v, &actor, &child, &form.reason, done, |_| "done_login_link").await
    };
    act_once(&state, &actor, &form.once, work).await
}

async fn cancel_invitation(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, invitation)): Path<(ChildId, String)>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    let work = async {
        let done = match form.reason.asked() {
            Ok(asked) => support_actions::cancel_invitation(&state.app, &actor, &child, &invitation, &asked).await,
            Err(e) => Err(e),
        };
        answer(&state, &v, &actor, &child, &form.reason, done, |_| "done_invitation_cancel").await
    };
    act_once(&state, &actor, &form.once, work).await
}

async fn poll_deposit(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, deposit)): Path<(ChildId, DepositId)>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    let work = async {
        let done = match form.reason.asked() {
            Ok(asked) => support_actions::repoll_deposit(&state.app, &actor, &child, &deposit, &asked).await,
            Err(e) => Err(e),
        };
        let key = |s: &DepositStatus| match s {
            DepositStatus::Pending => "done_deposit_still_pending",
            _ => "done_deposit_poll",
        };
        answer(&state, &v, &actor, &child, &form.reason, done, key).await
    };
    act_once(&state, &actor, &form.once, work).await
}
