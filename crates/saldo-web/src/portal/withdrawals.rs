//! Withdrawals (udbetalinger): the custodian asks for money back, or closes the account.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use saldo_app::withdrawals::{self, WithdrawalError};
use saldo_core::ids::ChildId;
use saldo_core::payout::BankAccount;
use saldo_core::rights::Action;
use saldo_core::Money;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::once::act_once;
use crate::page_error::{internal, render, PageError};
use crate::paths::To;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;
use saldo_app::Actor;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/withdraw", get(form_page).post(request))
        .route("/portal/children/{child}/close", post(close))
}
#[derive(Template)]
#[template(path = "portal/withdraw.html")]
struct WithdrawPage {
    p: Page,
    child_id: ChildId,
    name: String,
    balance: String,
    empty: bool,
    amount: String,
    error: Option<String>,
    /// How much can go back to the visitor's card.
    /// How much may go back to the card, in a sentence.
    back_to_card: String,
    /// Until the person has logged in recently enough: confirm first.
    step_up: Option<crate::public::StepUpBox>,
}

async fn show(
    state: &AppState,
    v: &Visitor,
    actor: &saldo_app::Actor,
    child: &ChildId,
    amount: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let view = saldo_app::family::child(&state.app, actor, child, Action::Withdraw).await?;
    let back_to_card = withdrawals::refundable(&state.app, child, &actor.person_id).await.map_err(internal)?;
    let step_up = crate::public::StepUpBox::for_actor(state, actor, &To::withdraw(child).href()).await?;
    Ok(render(WithdrawPage {
        step_up,
        back_to_card: v.tr.fill("withdraw.card_max", &[("max", v.tr.money(&back_to_card))]),
        child_id: view.child.child_id.clone(),
        name: view.child.first_name.clone(),
        balance: v.tr.money(&view.child.balance),
        empty: view.child.balance == Money::ZERO && view.child.open,
        amount,
        error,
        p: v.page(None),
    }))
}

async fn form_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
) -> Result<Response, PageError> {
    show(&state, &v, &actor, &child, String::new(), None).await
}

#[derive(Deserialize)]
struct RequestForm {
    amount: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    reg_no: String,
    #[serde(default)]
    account_no: String,
    #[serde(default)]
    once: String,
}

async fn request(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(mut form): CsrfForm<RequestForm>,
) -> Result<Response, PageError> {
    let once = std::mem::take(&mut form.once);
    act_once(&state, &actor, &once, place_request(&state, &v, &actor, &child, form)).await
}

async fn place_request(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    form: RequestForm,
) -> Result<Response, PageError> {
    let Ok(amount) = form.amount.parse::<Money>() else {
        return show(state, v, actor, child, form.amount, Some(v.tr.t("deposit.bad_amount").into())).await;
    };
    let bank = if form.method == "bank" {
        match BankAccount::new(&form.reg_no, &form.account_no) {
            Ok(account) => Some(account),
            Err(_) => {
                return show(state, v, actor, child, form.amount, Some(v.tr.t("withdraw.bad_account").into())).await
            }
        }
    } else {
        None
    };
    let error = match withdrawals::request(&state.app, actor, child, amount, bank).await {
        Ok(_) => return Ok(To::child(child).done("withdraw.requested").redirect()),
        Err(WithdrawalError::InsufficientFunds) => v.tr.t("withdraw.too_much").to_owned(),
        Err(WithdrawalError::NotPositive) => v.tr.t("deposit.bad_amount").to_owned(),
        Err(WithdrawalError::CardRefundTooSmall(max)) => {
            v.tr.fill("withdraw.card_too_much", &[("max", v.tr.money(&max))])
        }
        Err(WithdrawalError::Refused(r)) => return Err(PageError::from(r)),
        Err(e) => return Err(internal(e)),
    };
    show(state, v, actor, child, form.amount, Some(error)).await
}

#[derive(Deserialize)]
struct OnceOnly {
    #[serde(default)]
    once: String,
}

async fn close(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<OnceOnly>,
) -> Result<Response, PageError> {
    act_once(&state, &actor, &form.once, close_account(&state, &v, &actor, &child)).await
}

async fn close_account(state: &AppState, v: &Visitor, actor: &Actor, child: &ChildId) -> Result<Response, PageError> {
    match saldo_app::accounts::close(&state.app, actor, child).await {
        Ok(()) | Err(saldo_app::accounts::CloseError::AlreadyClosed) => {
            Ok(To::child(child).done("account.closed").redirect())
        }
        Err(saldo_app::accounts::CloseError::NotEmpty) => {
            show(state, v, actor, child, String::new(), Some(v.tr.t("account.not_empty").into())).await
        }
        Err(saldo_app::accounts::CloseError::Refused(r)) => Err(PageError::from(r)),
        Err(e) => Err(internal(e)),
    }
}
