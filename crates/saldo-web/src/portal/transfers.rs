//! Moving money between siblings.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use saldo_core::ids::ChildId;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{internal, render, PageError, Problem};
use crate::paths::To;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;
use saldo_app::family::{self, FamilyError};
use saldo_app::Actor;
use saldo_core::Money;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal/transfer", get(transfer_form).post(transfer_save))
}

#[derive(Template)]
#[template(path = "portal/transfer.html")]
struct TransferPage {
    p: Page,
    children: Vec<(ChildId, String)>,
    key: String,
    error: Option<String>,
}

async fn transfer_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    error: Option<String>,
) -> Result<Response, PageError> {
    let views = family::overview(&state.app, actor).await.map_err(internal)?;
    let children = views
        .iter()
        .filter(|c| c.is_custodian)
        .map(|c| (c.child.child_id.clone(), format!("{} ({})", c.child.first_name, v.tr.money(&c.child.balance))))
        .collect();
    Ok(render(TransferPage { children, key: saldo_app::tills::new_token(), error, p: v.page(None) }))
}

async fn transfer_form(State(state): State<AppState>, Signed(v, actor): Signed) -> Result<Response, PageError> {
    transfer_page(&state, &v, &actor, None).await
}

#[derive(Deserialize)]
struct TransferForm {
    key: String,
    from: ChildId,
    to: ChildId,
    amount: String,
}

async fn transfer_save(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    CsrfForm(form): CsrfForm<TransferForm>,
) -> Result<Response, PageError> {
    let Ok(key) = form.key.parse() else { return Err(v.fail(Problem::Csrf)) };
    let Ok(amount) = form.amount.parse::<Money>() else {
        return transfer_page(&state, &v, &actor, Some(v.tr.t("deposit.bad_amount").into())).await;
    };
    let error = match family::transfer(&state.app, &actor, &form.from, &form.to, amount, &key).await {
        Ok(()) => return Ok(To::portal().done("transfer.done").redirect()),
        Err(FamilyError::InsufficientFunds) => v.tr.t("transfer.insufficient"),
        Err(FamilyError::SameChild) => v.tr.t("transfer.same"),
        Err(FamilyError::NotPositive) => v.tr.t("deposit.bad_amount"),
        Err(e) => return Err(PageError::from(e)),
    };
    transfer_page(&state, &v, &actor, Some(error.into())).await
}
