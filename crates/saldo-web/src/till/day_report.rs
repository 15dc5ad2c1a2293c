//! `/sales-points/…`: a sales point's pages for its own staff: the day report
//! (on screen, printable, as CSV, with a chart by hour) and new tills' pairing codes.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::day_report::{self, DayReport, ReportError};
use saldo_app::till_setup::{self, TillSetupError};
use saldo_core::ids::SalesPointId;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sales-points/{sales_point}/day", get(day_page))
        .route("/sales-points/{sales_point}/day.csv", get(day_csv))
        .route("/sales-points/{sales_point}/pairing", post(pairing))
        .route("/sales-points/{sales_point}/pin", post(set_pin))
}

#[derive(Deserialize)]
struct DayQuery {
    #[serde(default)]
    day: String,
}

/// One bar of the chart, in SVG units (no inline styles: the CSP forbids them).
struct Bar {
    x: i64,
    y: i64,
    height: i64,
    label: String,
    value: String,
}

struct Row {
    name: String,
    quantity: i64,
    amount: String,
}

#[derive(Template)]
#[template(path = "sales_points/day.html")]
struct DayPage {
    p: Page,
    r: DayReport,
    /// The day for the field and links (`2026-12-03`).
    day: String,
    /// The day as the report reads it (`torsdag 3. december 2026`).
    day_words: String,
    gross: String,
    voided: String,
    refunded: String,
    net: String,
    products: Vec<Row>,
    hours: Vec<Row>,
    /// Webshop orders for the day, counted apart from the counter's sales.
    shop: Vec<Row>,
    shop_total: String,
    bars: Vec<Bar>,
    manager: bool,
    code: Option<String>,
}

async fn report(
    state: &AppState,
    _v: &Visitor,
    actor: &saldo_app::Actor,
    sales_point: &SalesPointId,
    day: &str,
) -> Result<DayReport, PageError> {
    let today = saldo_core::day::local_day(state.app.now());
    let day = day.parse::<jiff::civil::Date>().unwrap_or(today);
    day_report::day_report(&state.app, actor, sales_point, day).await.map_err(|e| match e {
        ReportError::Refused(r) => PageError::from(r),
        other => internal(other),
    })
}

async fn day_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    Query(q): Query<DayQuery>,
) -> Result<Response, PageError> {
    let r = report(&state, &v, &actor, &sales_point, &q.day).await?;
    let manager =
        till_setup::authorize_sales_point(&state.app, &actor, saldo_core::rights::Action::ManageProducts, &sales_point)
            .await
            .is_ok();
    Ok(render(page(&v, r, manager, None, None)))
}

fn page(v: &Visitor, r: DayReport, manager: bool, code: Option<String>, notice: Option<String>) -> DayPage {
    let tr = v.tr;
    let max = r.by_hour.iter().map(|h| h.amount.ore()).max().unwrap_or(0).max(1);
    let bars = r
        .by_hour
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let height = (h.amount.ore() * 100 / max).max(1);
            Bar {
                x: 10 + i as i64 * 40,
                y: 110 - height,
                height,
                label: format!("{:02}", h.hour),
                value: tr.money(&h.amount),
            }
        })
        .collect();
    DayPage {
        day: r.day.to_string(),
        day_words: tr.date(r.day),
        gross: tr.money(&r.gross),
        voided: tr.money(&r.voided),
        refunded: tr.money(&r.refunded),
        net: tr.money(&r.net),
        products: r
            .by_product
            .iter()
            .map(|p| Row { name: p.name.clone(), quantity: p.quantity, amount: tr.money(&p.amount) })
            .collect(),
        hours: r
            .by_hour
            .iter()
            .map(|h| Row { name: format!("{:02}:00", h.hour), quantity: h.purchases, amount: tr.money(&h.amount) })
            .collect(),
        shop: r
            .shop
            .iter()
            .map(|p| Row { name: p.name.clone(), quantity: p.quantity, amount: tr.money(&p.amount) })
            .collect(),
        shop_total: tr.money(&r.shop_total),
        bars,
        manager,
        code,
        r,
        p: v.page(notice),
    }
}

async fn day_csv(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    Query(q): Query<DayQuery>,
) -> Result<Response, PageError> {
    let r = report(&state, &v, &actor, &sales_point, &q.day).await?;
    let disposition = format!("attachment; filename=\"salg-{}.csv\"", r.day);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        r.csv(),
    )
        .into_response())
}

#[derive(Deserialize)]
struct PairingForm {
    name: String,
}

/// A manager (or the operator) makes a one-time code for a new till; it is shown once.
async fn pairing(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    CsrfForm(form): CsrfForm<PairingForm>,
) -> Result<Response, PageError> {
    let code =
        till_setup::create_pairing_code(&state.app, &actor, &sales_point, &form.name).await.map_err(|e| match e {
            TillSetupError::Refused(r) => PageError::from(r),
            other => internal(other),
        })?;
    let r = report(&state, &v, &actor, &sales_point, "").await?;
    Ok(render(page(&v, r, true, Some(code.code), None)))
}

#[derive(Deserialize)]
struct PinForm {
    pin: String,
}

/// A staff member sets their own PIN for this sales point's tills.
async fn set_pin(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    CsrfForm(form): CsrfForm<PinForm>,
) -> Result<Response, PageError> {
    let notice = match till_setup::set_pin(&state.app, &actor, &sales_point, form.pin.trim()).await {
        Ok(()) => v.tr.t("report.pin_saved"),
        Err(TillSetupError::BadPin) => v.tr.t("report.pin_bad"),
        Err(TillSetupError::Refused(r)) => return Err(PageError::from(r)),
        Err(other) => return Err(internal(other)),
    };
    let r = report(&state, &v, &actor, &sales_point, "").await?;
    let manager =
        till_setup::authorize_sales_point(&state.app, &actor, saldo_core::rights::Action::ManageProducts, &sales_point)
            .await
            .is_ok();
    Ok(render(page(&v, r, manager, None, Some(notice.to_owned()))))
}
