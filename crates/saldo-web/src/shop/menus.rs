//! `/sales-points/{sales_point}/menu`: the manager's (and operator's) plan
//! of two school weeks: dishes per day with price, allergens and portion
//! limit, the deadlines and the uncollected-order policy, and (for the
//! operator) the institution's closed days.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::menus::{self, DishInput, TermsInput, PLAN_DAYS};
use saldo_app::shop::ShopError;
use saldo_app::Actor;
use saldo_core::allergen::{Allergen, Allergens};
use saldo_core::day::local_day;
use saldo_core::ids::SalesPointId;
use saldo_core::shop::Uncollected;
use serde::Deserialize;

use super::{allergen_name, allergen_names, clock, refusal_text};
use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError};
use crate::paths::To;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sales-points/{sales_point}/menu", get(page))
        .route("/sales-points/{sales_point}/menu/dishes", post(add))
        .route("/sales-points/{sales_point}/menu/dishes/{dish}/remove", post(remove))
        .route("/sales-points/{sales_point}/menu/terms", post(terms))
        .route("/sales-points/{sales_point}/menu/calendar", post(calendar))
}

struct DishLine {
    id: String,
    name: String,
    price: String,
    allergens: String,
    portions: String,
}

struct DayRow {
    iso: String,
    words: String,
    closed: bool,
    order_deadline: String,
    dishes: Vec<DishLine>,
}

#[derive(Template)]
#[template(path = "shop/menu.html")]
struct MenuPage {
    p: Page,
    sales_point_id: SalesPointId,
    sales_point: String,
    institution: String,
    earlier: String,
    later: String,
    days: Vec<DayRow>,
    allergens: Vec<(&'static str, &'static str)>,
    order_days_before: String,
    order_until: String,
    cancel_until: String,
    uncollected: Vec<(&'static str, &'static str, bool)>,
    closed_days: Vec<(String, String)>,
    may_edit_calendar: bool,
    products: Vec<(String, String)>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct Shown {
    from: Option<String>,
    done: Option<String>,
}

fn notice(v: &Visitor, done: Option<&str>) -> Option<String> {
    const KEYS: &[&str] =
        &["shop.menu.added", "shop.menu.removed", "shop.menu.terms_saved", "shop.menu.calendar_saved"];
    done.and_then(|d| KEYS.iter().find(|k| **k == d)).map(|k| v.tr.t(k).to_owned())
}

async fn page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    let from = shown.from.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok());
    let from = from.unwrap_or_else(|| local_day(state.app.now()));
    let notice = notice(&v, shown.done.as_deref());
    show(&state, &v, &actor, &sales_point, from, None, notice).await
}

async fn show(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    sales_point: &SalesPointId,
    from: jiff::civil::Date,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let plan = menus::plan(&state.app, actor, sales_point, from).await?;
    let tr = v.tr;
    let step = |days: i64| from.checked_add(jiff::Span::new().days(days)).map(|d| d.to_string()).unwrap_or_default();
    let days = plan
        .days
        .iter()
        .map(|d| DayRow {
            iso: d.day.to_string(),
            words: tr.date(d.day),
            closed: d.closed,
            order_deadline: tr.datetime(&d.order_deadline.as_microsecond()),
            dishes: d
                .dishes
                .iter()
                .map(|dish| DishLine {
                    id: dish.id.clone(),
                    name: dish.name.clone(),
                    price: tr.money(&dish.price),
                    allergens: allergen_names(&tr, &Allergens::parse(&dish.allergens).unwrap_or_default().list()),
                    portions: match dish.portion_limit {
                        Some(limit) => tr.fill(
                            "shop.menu.portions_of",
                            &[("ordered", dish.ordered.to_string()), ("limit", limit.to_string())],
                        ),
                        None => tr.fill("shop.menu.portions", &[("ordered", dish.ordered.to_string())]),
                    },
                })
                .collect(),
        })
        .collect();
    let page = MenuPage {
        sales_point_id: sales_point.clone(),
        sales_point: plan.sales_point,
        institution: plan.institution,
        earlier: step(-PLAN_DAYS),
        later: step(PLAN_DAYS),
        days,
        allergens: Allergen::ALL.iter().map(|a| (a.code(), allergen_name(&tr, *a))).collect(),
        order_days_before: plan.terms.order_days_before.to_string(),
        order_until: clock(plan.terms.order_until),
        cancel_until: clock(plan.terms.cancel_until),
        uncollected: Uncollected::ALL
            .iter()
            .map(|u| (u.as_str(), tr.t(&format!("shop.uncollected.{}", u.as_str())), *u == plan.terms.uncollected))
            .collect(),
        closed_days: plan
            .closed_days
            .iter()
            .map(|(d, r)| (d.parse::<jiff::civil::Date>().map(|d| tr.date(d)).unwrap_or_else(|_| d.clone()), r.clone()))
            .collect(),
        may_edit_calendar: plan.may_edit_calendar,
        products: plan.products.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        error: error.clone(),
        p: v.page(notice),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(page)).into_response())
}

/// A refused form is shown again with what was wrong; anything else is an error page.
async fn back(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    sales_point: &SalesPointId,
    e: ShopError,
) -> Result<Response, PageError> {
    match refusal_text(&v.tr, &e) {
        Some(text) => show(state, v, actor, sales_point, local_day(state.app.now()), Some(text), None).await,
        None => Err(e.into()),
    }
}

/// The form's fields as pairs: the allergen checkboxes repeat their name.
type Fields = Vec<(String, String)>;

fn field(fields: &Fields, name: &str) -> String {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

async fn add(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> Result<Response, PageError> {
    let input = DishInput {
        day: field(&fields, "day"),
        name: field(&fields, "name"),
        category: field(&fields, "category"),
        price: field(&fields, "price"),
        allergens: fields.iter().filter(|(k, _)| k == "allergen").map(|(_, v)| v.clone()).collect(),
        portion_limit: field(&fields, "portions"),
        product: field(&fields, "product"),
    };
    match menus::add_dish(&state.app, &actor, &sales_point, &input).await {
        Ok(_) => Ok(To::menu(&sales_point).done("shop.menu.added").redirect()),
        Err(e) => back(&state, &v, &actor, &sales_point, e).await,
    }
}

#[derive(Deserialize)]
struct NoFields {}

async fn remove(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((sales_point, dish)): Path<(SalesPointId, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    match menus::remove_dish(&state.app, &actor, &sales_point, &dish).await {
        Ok(()) => Ok(To::menu(&sales_point).done("shop.menu.removed").redirect()),
        Err(e) => back(&state, &v, &actor, &sales_point, e).await,
    }
}

#[derive(Deserialize)]
struct TermsForm {
    order_days_before: String,
    order_until: String,
    cancel_until: String,
    uncollected: String,
}

async fn terms(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    CsrfForm(f): CsrfForm<TermsForm>,
) -> Result<Response, PageError> {
    let input = TermsInput {
        order_days_before: f.order_days_before,
        order_until: f.order_until,
        cancel_until: f.cancel_until,
        uncollected: f.uncollected,
    };
    match menus::set_terms(&state.app, &actor, &sales_point, &input).await {
        Ok(()) => Ok(To::menu(&sales_point).done("shop.menu.terms_saved").redirect()),
        Err(e) => back(&state, &v, &actor, &sales_point, e).await,
    }
}

#[derive(Deserialize)]
struct CalendarForm {
    #[serde(default)]
    days: String,
}

async fn calendar(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    CsrfForm(f): CsrfForm<CalendarForm>,
) -> Result<Response, PageError> {
    match menus::fill_calendar(&state.app, &actor, &sales_point, &f.days).await {
        Ok(_) => Ok(To::menu(&sales_point).done("shop.menu.calendar_saved").redirect()),
        Err(e) => back(&state, &v, &actor, &sales_point, e).await,
    }
}
