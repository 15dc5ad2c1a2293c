//! The custodian's card pages: block and unblock a card, order a replacement
//! card, follow the order, and activate the new card at home (also from the QR
//! code on the card).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::cards::{self, CardError};
use saldo_app::family::{self, FamilyError};
use saldo_app::Actor;
use saldo_app::{CardOrderView, OrderState};
use saldo_core::card::last4;
use saldo_core::ids::{CardId, CardOrderId, ChildId};
use saldo_core::rights::Action;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::i18n::Tr;
use crate::once::act_once;
use crate::page_error::{internal, render, PageError, Problem};
use crate::paths::To;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/replacement", get(order_form).post(order_save))
        .route("/portal/children/{child}/replacement/{order}/cancel", post(order_cancel))
        .route("/portal/children/{child}/activate", get(activate_form).post(activate_save))
        .route("/portal/children/{child}/cards/{card}/block", post(block_card))
        .route("/portal/children/{child}/cards/{card}/unblock", post(unblock_card))
        .route("/activate", get(activate_from_code).post(activate_chosen))
}

/// An order, as a line a parent or a clerk reads.
pub struct OrderLine {
    pub id: CardOrderId,
    pub child: String,
    pub state: String,
    pub where_: String,
    pub date: String,
    pub card: Option<String>,
    pub waiting: bool,
}

impl OrderLine {
    pub fn new(tr: &Tr, o: &CardOrderView) -> OrderLine {
        let state = tr.t(match o.state {
            OrderState::Ordered if o.ready => "order.ordered",
            OrderState::Ordered => "order.waiting_for_cards",
            OrderState::HandedOut => "order.handed_out",
            OrderState::Activated => "order.activated",
            OrderState::Cancelled => "order.cancelled",
        });
        OrderLine {
            id: o.id.clone(),
            child: o.child_name.clone(),
            state: state.to_owned(),
            where_: tr.fill("order.fetch_at", &[("office", o.office_name.clone())]),
            date: tr.datetime(&o.created_at),
            card: o.card_number.as_deref().map(|n| last4(n).to_owned()),
            waiting: o.state == OrderState::Ordered,
        }
    }
}

#[derive(Template)]
#[template(path = "portal/replacement.html")]
struct OrderPage {
    p: Page,
    child_id: ChildId,
    name: String,
    fee: String,
    balance: String,
    active_card: Option<String>,
    open: Option<OrderLine>,
    error: Option<String>,
}

async fn order_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    error: Option<String>,
) -> Result<Response, PageError> {
    use saldo_app::family::ActiveCard;
    let view = cards::replacement_view(&state.app, actor, child).await?;
    let tr = v.tr;
    let c = &view.child.child;
    let page = OrderPage {
        child_id: c.child_id.clone(),
        name: c.first_name.clone(),
        fee: tr.money(&view.fee),
        balance: tr.money(&c.balance),
        active_card: c.active_card().map(|card| last4(&card.number).to_owned()),
        open: view.open_order.as_ref().map(|o| OrderLine::new(&tr, o)),
        error,
        p: v.page(None),
    };
    Ok(render(page))
}

async fn order_form(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
) -> Result<Response, PageError> {
    order_page(&state, &v, &actor, &child, None).await
}

#[derive(Deserialize)]
struct OnceOnly {
    #[serde(default)]
    once: String,
}

async fn order_save(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<OnceOnly>,
) -> Result<Response, PageError> {
    act_once(&state, &actor, &form.once, place_order(&state, &v, &actor, &child)).await
}

async fn place_order(state: &AppState, v: &Visitor, actor: &Actor, child: &ChildId) -> Result<Response, PageError> {
    let tr = v.tr;
    let error = match cards::order_replacement(&state.app, actor, child).await {
        Ok(ordered) => {
            let done = if ordered.ready { "order.done" } else { "order.done_waiting" };
            return Ok(To::child(child).done(done).redirect());
        }
        Err(CardError::InsufficientFunds { fee }) => tr.fill("order.insufficient", &[("fee", tr.money(&fee))]),
        Err(CardError::AlreadyOrdered) => tr.t("order.already").to_owned(),
        Err(CardError::NoOffice) => tr.t("order.no_office").to_owned(),
        Err(e) => return Err(PageError::from(e)),
    };
    let page = order_page(state, v, actor, child, Some(error)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn order_cancel(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, order)): Path<(ChildId, CardOrderId)>,
    CsrfForm(form): CsrfForm<OnceOnly>,
) -> Result<Response, PageError> {
    act_once(&state, &actor, &form.once, cancel_order(&state, &v, &actor, &child, &order)).await
}

async fn cancel_order(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    order: &CardOrderId,
) -> Result<Response, PageError> {
    match cards::cancel_order(&state.app, actor, child, order).await {
        Ok(_) => Ok(To::child(child).done("order.cancelled_done").redirect()),
        Err(e @ (CardError::OrderNotOpen | CardError::WalletClosed)) => {
            let key =
                if matches!(e, CardError::WalletClosed) { "order.wallet_closed" } else { "order.not_cancellable" };
            let page = order_page(state, v, actor, child, Some(v.tr.t(key).to_owned())).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError::from(e)),
    }
}

/// The words for an activation that did not work.
pub fn activation_problem(tr: &Tr, e: &CardError) -> Option<String> {
    let key = match e {
        CardError::BadNumber => "activate.bad_number",
        CardError::WrongCode => "activate.wrong",
        CardError::AlreadyUsed => "activate.used",
        CardError::TooManyAttempts => "activate.locked",
        CardError::AnotherCardActive => "activate.another_active",
        _ => return None,
    };
    Some(tr.t(key).to_owned())
}

#[derive(Template)]
#[template(path = "portal/activate.html")]
struct ActivatePage {
    p: Page,
    /// The children to choose from (one: fixed).
    children: Vec<(ChildId, String)>,
    action: String,
    card: String,
    code: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct CardCode {
    #[serde(default)]
    card: String,
    #[serde(default)]
    code: String,
}

async fn activate_form(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    Query(q): Query<CardCode>,
) -> Result<Response, PageError> {
    let view = family::child(&state.app, &actor, &child, Action::ActivateCard).await?;
    let children = vec![(view.child.child_id.clone(), view.child.first_name.clone())];
    let page = ActivatePage {
        children,
        action: format!("/portal/children/{child}/activate"),
        card: clip(&q.card, 40),
        code: clip(&q.code, 20),
        error: None,
        p: v.page(None),
    };
    Ok(render(page))
}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[derive(Deserialize)]
struct ActivateForm {
    #[serde(default)]
    child: String,
    #[serde(default)]
    card: String,
    #[serde(default)]
    code: String,
}

async fn activate_save(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<ActivateForm>,
) -> Result<Response, PageError> {
    activate(state, v, actor, child, form).await
}

async fn activate(
    state: AppState,
    v: Visitor,
    actor: Actor,
    child: ChildId,
    form: ActivateForm,
) -> Result<Response, PageError> {
    match cards::activate(&state.app, &actor, &child, &form.card, &form.code).await {
        Ok(()) => Ok(To::child(&child).done("activate.done").redirect()),
        Err(e) => {
            let Some(error) = activation_problem(&v.tr, &e) else { return Err(PageError::from(e)) };
            let children = custodian_children(&state, &v, &actor, Some(&child)).await?;
            let page = ActivatePage {
                children,
                action: format!("/portal/children/{child}/activate"),
                card: clip(&form.card, 40),
                code: String::new(),
                error: Some(error),
                p: v.page(None),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
        }
    }
}

/// The children this person may activate a card for (only `only`, when given).
async fn custodian_children(
    state: &AppState,
    _v: &Visitor,
    actor: &Actor,
    only: Option<&ChildId>,
) -> Result<Vec<(ChildId, String)>, PageError> {
    let views = family::overview(&state.app, actor).await.map_err(internal)?;
    Ok(views
        .into_iter()
        .filter(|c| c.is_custodian && only.is_none_or(|o| *o == c.child.child_id))
        .map(|c| (c.child.child_id, c.child.first_name))
        .collect())
}

/// The QR code's address: fills the form in, never activates on its own.
async fn activate_from_code(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(q): Query<CardCode>,
) -> Result<Response, PageError> {
    let children = custodian_children(&state, &v, &actor, None).await?;
    if children.is_empty() {
        return Err(v.fail(Problem::Forbidden));
    }
    let page = ActivatePage {
        children,
        action: "/activate".into(),
        card: clip(&q.card, 40),
        code: clip(&q.code, 20),
        error: None,
        p: v.page(None),
    };
    Ok(render(page))
}

async fn activate_chosen(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    CsrfForm(form): CsrfForm<ActivateForm>,
) -> Result<Response, PageError> {
    let child = ChildId::new(form.child.clone());
    activate(state, v, actor, child, form).await
}

async fn block_card(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, card)): Path<(ChildId, CardId)>,
    CsrfForm(form): CsrfForm<OnceOnly>,
) -> Result<Response, PageError> {
    // A stale tab or the back button must not undo what was done since (unblock a card blocked again).
    act_once(&state, &actor.clone(), &form.once, set_blocked(state.clone(), v, actor, child, card, true)).await
}

async fn unblock_card(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, card)): Path<(ChildId, CardId)>,
    CsrfForm(form): CsrfForm<OnceOnly>,
) -> Result<Response, PageError> {
    // A stale tab or the back button must not undo what was done since (unblock a card blocked again).
    act_once(&state, &actor.clone(), &form.once, set_blocked(state.clone(), v, actor, child, card, false)).await
}

async fn set_blocked(
    state: AppState,
    _v: Visitor,
    actor: Actor,
    child: ChildId,
    card: CardId,
    block: bool,
) -> Result<Response, PageError> {
    match family::set_card_blocked(&state.app, &actor, &child, &card, block).await {
        // Already in the wanted state (a double click): the page shows how it is.
        Ok(()) | Err(FamilyError::CardState(_) | FamilyError::AnotherCardActive) => {
            let done = if block { "card.blocked_done" } else { "card.unblocked_done" };
            Ok(To::child(&child).done(done).redirect())
        }
        Err(e) => Err(PageError::from(e)),
    }
}
