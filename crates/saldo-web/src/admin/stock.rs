//! The operator's minimal card-stock page: register a batch of blank cards
//! (generated, with the printer's file offered once; or imported from the
//! printer's file) and allocate cards from the central stock to offices.

use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::card_stock;
use saldo_app::cards::CardError;
use saldo_app::Actor;
use saldo_core::ids::InstitutionId;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(stock))
        .route("/admin/batches", post(generate))
        .route("/admin/batches/import", post(import))
        .route("/admin/allocate", post(allocate))
}

struct Office {
    id: InstitutionId,
    name: String,
    in_stock: i64,
}

#[derive(Template)]
#[template(path = "admin/stock.html")]
struct StockPage {
    p: Page,
    central: i64,
    offices: Vec<Office>,
    max: i64,
    error: Option<String>,
}

async fn stock_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let (central, institutions) = card_stock::overview(&state.app, actor).await?;
    let offices = institutions.into_iter().map(|i| Office { id: i.id, name: i.name, in_stock: i.in_stock }).collect();
    Ok(render(StockPage { central, offices, max: card_stock::MAX_BATCH, error, p: v.page(notice) }))
}

async fn stock(State(state): State<AppState>, Signed(v, actor): Signed) -> Result<Response, PageError> {
    stock_page(&state, &v, &actor, None, None).await
}

#[derive(Deserialize)]
struct BatchForm {
    #[serde(default)]
    count: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    file: String,
}

fn office(form: &BatchForm) -> Option<InstitutionId> {
    Some(form.office.trim()).filter(|o| !o.is_empty()).map(InstitutionId::from)
}

async fn failed(state: &AppState, v: &Visitor, actor: &Actor, e: CardError) -> Result<Response, PageError> {
    let tr = v.tr;
    let error = match e {
        CardError::BatchSize { max } => tr.fill("admin.batch_size", &[("max", max.to_string())]),
        CardError::BadLine(line) => tr.fill("admin.bad_line", &[("line", line.to_string())]),
        e => return Err(PageError::from(e)),
    };
    let page = stock_page(state, v, actor, None, Some(error)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Generates a batch and answers with the printer's file: the codes are shown this once.
async fn generate(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<Response, PageError> {
    let count = form.count.trim().parse::<i64>().unwrap_or(0);
    match card_stock::generate_batch(&state.app, &actor, count, office(&form).as_ref()).await {
        Ok(cards) => {
            let csv = card_stock::printer_file(&cards, state.app.settings.base());
            Ok((
                [
                    (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (CONTENT_DISPOSITION, "attachment; filename=\"kortbatch.csv\"".to_owned()),
                ],
                csv,
            )
                .into_response())
        }
        Err(e) => failed(&state, &v, &actor, e).await,
    }
}

async fn import(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<Response, PageError> {
    match card_stock::import_batch(&state.app, &actor, &form.file, office(&form).as_ref()).await {
        Ok(n) => {
            let notice = v.tr.fill("admin.imported", &[("count", n.to_string())]);
            stock_page(&state, &v, &actor, Some(notice), None).await
        }
        Err(e) => failed(&state, &v, &actor, e).await,
    }
}

async fn allocate(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<Response, PageError> {
    let count = form.count.trim().parse::<i64>().unwrap_or(0);
    match card_stock::allocate(&state.app, &actor, &InstitutionId::from(form.office.trim()), count).await {
        Ok(n) => {
            let notice = v.tr.fill("admin.allocated", &[("count", n.to_string())]);
            stock_page(&state, &v, &actor, Some(notice), None).await
        }
        Err(e) => failed(&state, &v, &actor, e).await,
    }
}
