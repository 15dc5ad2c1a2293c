//! A child at the office: the cards, the orders, blocking and activating at the desk.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::cards::CardError;
use saldo_app::office;
use saldo_app::Actor;
use saldo_core::ids::{CardId, ChildId, InstitutionId};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError};
use crate::portal::{activation_problem, OrderLine};
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

use crate::page_error::at_office;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/office/{inst}/children/{child}", get(child_page))
        .route("/office/{inst}/children/{child}/cards/{card}/block", post(block))
        .route("/office/{inst}/children/{child}/activate", post(activate))
}

struct CardLine {
    id: CardId,
    label: String,
    blockable: bool,
}

#[derive(Template)]
#[template(path = "office/child.html")]
struct ChildPage {
    p: Page,
    inst: InstitutionId,
    child_id: ChildId,
    name: String,
    cards: Vec<CardLine>,
    orders: Vec<OrderLine>,
    error: Option<String>,
}

async fn child_view(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    inst: &InstitutionId,
    child: &ChildId,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let view = office::child(&state.app, actor, inst, child).await.map_err(at_office)?;
    let tr = v.tr;
    let cards = view
        .cards
        .iter()
        .map(|c| CardLine {
            id: c.id.clone(),
            label: format!(
                "{} {} ({})",
                tr.t("card.ending"),
                saldo_core::card::last4(&c.number),
                tr.t(&format!("card.{}", c.state.as_str()))
            ),
            blockable: c.state == saldo_core::CardState::Active,
        })
        .collect();
    Ok(render(ChildPage {
        inst: inst.to_owned(),
        child_id: view.child.id.clone(),
        name: format!("{} {}", view.child.first_name, view.child.last_name),
        cards,
        orders: view.orders.iter().map(|o| OrderLine::new(&tr, o)).collect(),
        error,
        p: v.page(notice),
    }))
}

async fn child_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((inst, child)): Path<(InstitutionId, ChildId)>,
) -> Result<Response, PageError> {
    child_view(&state, &v, &actor, &inst, &child, None, None).await
}

#[derive(Deserialize)]
struct NoFields {}

async fn block(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((inst, child, card)): Path<(InstitutionId, ChildId, CardId)>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    match office::block(&state.app, &actor, &inst, &child, &card).await {
        Ok(()) | Err(CardError::CardState(_)) => {
            let notice = Some(v.tr.t("office.blocked_done").to_owned());
            child_view(&state, &v, &actor, &inst, &child, notice, None).await
        }
        Err(e) => Err(at_office(e)),
    }
}

#[derive(Deserialize)]
struct ActivateForm {
    #[serde(default)]
    card: String,
    #[serde(default)]
    code: String,
}

async fn activate(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((inst, child)): Path<(InstitutionId, ChildId)>,
    CsrfForm(form): CsrfForm<ActivateForm>,
) -> Result<Response, PageError> {
    match office::activate(&state.app, &actor, &inst, &child, &form.card, &form.code).await {
        Ok(()) => {
            let notice = Some(v.tr.t("office.activated_done").to_owned());
            child_view(&state, &v, &actor, &inst, &child, notice, None).await
        }
        Err(e) => match activation_problem(&v.tr, &e) {
            Some(error) => {
                let page = child_view(&state, &v, &actor, &inst, &child, None, Some(error)).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
            None => Err(at_office(e)),
        },
    }
}
