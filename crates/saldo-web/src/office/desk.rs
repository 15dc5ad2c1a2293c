//! The office's desk: today's hand-out list, the stock on hand, handing a card out, the search.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::cards::CardError;
use saldo_app::office;
use saldo_app::Actor;
use saldo_core::ids::{CardOrderId, ChildId, InstitutionId};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError, Problem};
use crate::paths::To;
use crate::portal::OrderLine;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

use crate::page_error::at_office;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/office", get(start))
        .route("/office/{inst}", get(desk))
        .route("/office/{inst}/orders/{order}/hand-out", post(hand_out))
}

/// A person with one office goes straight to its desk.
async fn start(Signed(v, actor): Signed) -> Result<Response, PageError> {
    match office::offices_of(&actor).first() {
        Some(office) => Ok(To::office(office).redirect()),
        None => Err(v.fail(Problem::OtherInstitution)),
    }
}

#[derive(Template)]
#[template(path = "office/desk.html")]
struct DeskPage {
    p: Page,
    inst: InstitutionId,
    name: String,
    in_stock: i64,
    waiting: Vec<OrderLine>,
    done: Vec<OrderLine>,
    q: String,
    /// The search's matches: id, name, and school and year of birth to tell namesakes apart.
    found: Option<Vec<(ChildId, String, String)>>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct DeskQuery {
    q: Option<String>,
    done: Option<String>,
}

async fn desk_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    inst: &InstitutionId,
    q: DeskQuery,
    error: Option<String>,
) -> Result<Response, PageError> {
    let desk = office::desk(&state.app, actor, inst).await.map_err(at_office)?;
    let found = match q.q.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(query) => Some(
            office::search(&state.app, actor, inst, query)
                .await
                .map_err(at_office)?
                .into_iter()
                .map(|c| {
                    let born = c.birth_date.as_deref().map(|d| {
                        let year = d.get(..4).unwrap_or(d);
                        format!(", {} {year}", v.tr.t("office.born"))
                    });
                    (
                        c.id,
                        format!("{} {}", c.first_name, c.last_name),
                        match &c.class_name {
                            Some(class) => format!("{class}, {}{}", c.school, born.unwrap_or_default()),
                            None => format!("{}{}", c.school, born.unwrap_or_default()),
                        },
                    )
                })
                .collect(),
        ),
        None => None,
    };
    let (waiting, done): (Vec<_>, Vec<_>) =
        desk.orders.iter().map(|o| OrderLine::new(&v.tr, o)).partition(|o| o.waiting);
    let notice = q.done.as_deref().and_then(|d| {
        ["office.handed_out_done", "office.blocked_done", "office.activated_done"]
            .into_iter()
            .find(|k| *k == d)
            .map(|k| v.tr.t(k).to_owned())
    });
    Ok(render(DeskPage {
        inst: desk.institution_id,
        name: desk.name,
        in_stock: desk.in_stock,
        waiting,
        done,
        q: q.q.unwrap_or_default(),
        found,
        error,
        p: v.page(notice),
    }))
}

async fn desk(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(inst): Path<InstitutionId>,
    Query(q): Query<DeskQuery>,
) -> Result<Response, PageError> {
    desk_page(&state, &v, &actor, &inst, q, None).await
}

#[derive(Deserialize)]
struct HandOutForm {
    #[serde(default)]
    card: String,
}

async fn hand_out(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((inst, order)): Path<(InstitutionId, CardOrderId)>,
    CsrfForm(form): CsrfForm<HandOutForm>,
) -> Result<Response, PageError> {
    let tr = v.tr;
    let error = match office::hand_out(&state.app, &actor, &inst, &order, Some(&form.card)).await {
        Ok(()) => return Ok(To::office(&inst).done("office.handed_out_done").redirect()),
        Err(CardError::BadNumber) => tr.t("activate.bad_number"),
        Err(CardError::NotInStock) => tr.t("office.not_in_stock"),
        Err(CardError::OrderNotOpen) => tr.t("office.order_not_open"),
        Err(e) => return Err(at_office(e)),
    };
    let page = desk_page(&state, &v, &actor, &inst, DeskQuery::default(), Some(error.into())).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
