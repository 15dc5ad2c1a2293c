//! `/portal/children/{child}/shop`: a custodian's webshop for a child: the
//! coming weeks' menus, the basket over several days with the policy for
//! uncollected orders shown before paying, the orders with what can still
//! be cancelled, and the allergens marked for the child.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::shop::ShopError;
use saldo_app::shop_orders;
use saldo_app::shop_view::{self, DishWarning, ShopView};
use saldo_app::standing_orders::{self, StandingInput};
use saldo_app::Actor;
use saldo_app::StandingOrderRow;
use saldo_core::allergen::Allergen;
use saldo_core::ids::ChildId;
use saldo_core::shop::ShopOrderState;
use serde::Deserialize;

use super::{allergen_name, allergen_names, refusal_text};
use crate::csrf::CsrfForm;
use crate::i18n::Tr;
use crate::once::act_once;
use crate::page_error::{render, PageError};
use crate::paths::To;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/shop", get(page))
        .route("/portal/children/{child}/shop/basket", post(basket))
        .route("/portal/children/{child}/shop/pay", post(pay))
        .route("/portal/children/{child}/shop/orders/{order}/cancel", post(cancel_order))
        .route("/portal/children/{child}/shop/days/{day}/cancel", post(cancel_day))
        .route("/portal/children/{child}/shop/allergens", post(allergens))
        .route("/portal/children/{child}/shop/standing", post(standing_create))
        .route("/portal/children/{child}/shop/standing/{id}/stop", post(standing_stop))
}

struct Dish {
    id: String,
    name: String,
    price: String,
    allergens: String,
    left: Option<String>,
    warning: Option<String>,
    in_basket: i64,
}

struct Day {
    words: String,
    deadline: String,
    dishes: Vec<Dish>,
}

struct Place {
    name: String,
    heading: String,
    uncollected: String,
    days: Vec<Day>,
}

struct Line {
    dish_id: String,
    text: String,
    amount: String,
}

struct Order {
    id: String,
    day: String,
    text: String,
    state: String,
    cancellable: bool,
}

#[derive(Template)]
#[template(path = "shop/child.html")]
struct ShopPage {
    p: Page,
    child: ChildId,
    name: String,
    balance: String,
    places: Vec<Place>,
    basket_key: String,
    basket: Vec<Line>,
    total: String,
    pay_label: String,
    orders: Vec<Order>,
    /// Days with an order that can still be cancelled as a whole: (iso, button text).
    cancellable_days: Vec<(String, String)>,
    allergens: Vec<(&'static str, &'static str, bool)>,
    /// Standing orders: (id, in words, active).
    standing: Vec<(String, String, bool)>,
    /// The child's sales points, for a new standing order: (id, name).
    place_choices: Vec<(String, String)>,
    weekdays: Vec<(u8, &'static str)>,
    error: Option<String>,
}

fn warning(tr: &Tr, w: DishWarning) -> String {
    match w {
        DishWarning::Allergen(a) => tr.fill("shop.warning.allergen", &[("allergen", allergen_name(tr, a).to_owned())]),
        DishWarning::CategoryBlocked => tr.t("shop.warning.blocked").to_owned(),
        DishWarning::SoldOut => tr.t("shop.warning.sold_out").to_owned(),
    }
}

fn state_words(tr: &Tr, state: ShopOrderState) -> &'static str {
    tr.t(&format!("shop.state.{}", state.as_str()))
}

/// The menus of the child's sales points, in words.
fn places(tr: &Tr, places: &[shop_view::PlaceView]) -> Vec<Place> {
    let tr = *tr;
    places
        .iter()
        .map(|place| Place {
            name: place.name.clone(),
            heading: tr.fill("shop.menu_of", &[("place", place.name.clone())]),
            uncollected: tr.t(&format!("shop.uncollected_parent.{}", place.uncollected.as_str())).to_owned(),
            days: place
                .days
                .iter()
                .map(|d| Day {
                    words: tr.date(d.day),
                    deadline: tr.datetime(&d.order_deadline.as_microsecond()),
                    dishes: d
                        .dishes
                        .iter()
                        .map(|dish| Dish {
                            id: dish.id.clone(),
                            name: dish.name.clone(),
                            price: tr.money(&dish.price),
                            allergens: allergen_names(&tr, &dish.allergens),
                            left: dish.left.map(|n| tr.fill("shop.left", &[("left", n.to_string())])),
                            warning: dish.warning.map(|w| warning(&tr, w)),
                            in_basket: dish.in_basket,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn standing_words(tr: &Tr, o: &StandingOrderRow, places: &[(String, String)]) -> String {
    let days: Vec<&str> = o.weekdays.iter().map(|d| tr.t(&format!("shop.weekday.{d}"))).collect();
    let place = places.iter().find(|(id, _)| *id == o.sales_point_id.as_str()).map(|(_, n)| n.as_str()).unwrap_or("");
    let from = o.from_day.parse::<jiff::civil::Date>().map(|d| tr.date(d)).unwrap_or_else(|_| o.from_day.clone());
    let to = o.to_day.parse::<jiff::civil::Date>().map(|d| tr.date(d)).unwrap_or_else(|_| o.to_day.clone());
    tr.fill(
        "shop.standing.line",
        &[
            ("days", days.join(", ")),
            ("category", o.category.clone()),
            ("place", place.to_owned()),
            ("from", from),
            ("to", to),
        ],
    )
}

fn shop_page(
    v: &Visitor,
    s: ShopView,
    standing: &[StandingOrderRow],
    error: Option<String>,
    notice: Option<String>,
) -> ShopPage {
    let tr = v.tr;
    let place_choices: Vec<(String, String)> =
        s.places.iter().map(|p| (p.sales_point_id.to_string(), p.name.clone())).collect();
    let standing = standing.iter().map(|o| (o.id.clone(), standing_words(&tr, o, &place_choices), o.active)).collect();
    let places = places(&tr, &s.places);
    let basket = s
        .basket
        .iter()
        .map(|l| Line {
            dish_id: l.dish_id.clone(),
            text: format!("{}: {} × {}", tr.date(l.day), l.quantity, l.name),
            amount: tr.money(&l.amount),
        })
        .collect();
    let mut cancellable_days: Vec<(String, String)> = Vec::new();
    for o in s.orders.iter().filter(|o| o.cancellable) {
        if !cancellable_days.iter().any(|(iso, _)| *iso == o.day.to_string()) {
            cancellable_days.push((o.day.to_string(), tr.fill("shop.orders.cancel_day", &[("day", tr.date(o.day))])));
        }
    }
    let orders = s
        .orders
        .iter()
        .map(|o| Order {
            id: o.id.clone(),
            day: tr.date(o.day),
            text: format!("{} × {}, {}", o.quantity, o.name, tr.money(&o.amount)),
            state: state_words(&tr, o.state).to_owned(),
            cancellable: o.cancellable,
        })
        .collect();
    ShopPage {
        child: s.child_id,
        name: s.first_name,
        balance: tr.money(&s.balance),
        places,
        basket_key: s.basket_key.unwrap_or_default(),
        basket,
        total: tr.money(&s.basket_total),
        pay_label: tr.fill("shop.basket.pay", &[("total", tr.money(&s.basket_total))]),
        orders,
        cancellable_days,
        allergens: Allergen::ALL.iter().map(|a| (a.code(), allergen_name(&tr, *a), s.marked.contains(a))).collect(),
        standing,
        place_choices,
        weekdays: (1..=5u8).map(|d| (d, tr.t(&format!("shop.weekday.{d}")))).collect(),
        error,
        p: v.page(notice),
    }
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
    /// A known catalogue key only: a crafted link cannot put words on the page.
    error: Option<String>,
}

fn problem(tr: &Tr, error: Option<&str>) -> Option<String> {
    const KEYS: &[&str] = &["shop.error.basket_changed", "shop.error.empty_basket"];
    error.and_then(|e| KEYS.iter().find(|k| **k == e)).map(|k| tr.t(k).to_owned())
}

fn notice(tr: &Tr, done: Option<&str>) -> Option<String> {
    const KEYS: &[&str] = &[
        "shop.basket.updated",
        "shop.paid",
        "shop.cancelled",
        "shop.allergens_saved",
        "shop.standing.saved",
        "shop.standing.stopped",
    ];
    done.and_then(|d| KEYS.iter().find(|k| **k == d)).map(|k| tr.t(k).to_owned())
}

async fn page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let view = shop_view::shop(&state.app, &actor, &child).await?;
    let standing = standing_orders::of_child(&state.app, &actor, &child).await?;
    let error = problem(&v.tr, done.error.as_deref());
    Ok(render(shop_page(&v, view, &standing, error, notice(&v.tr, done.done.as_deref()))))
}

/// A refusal shown on the shop page with what went wrong; anything else an error page.
async fn refused(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    e: ShopError,
) -> Result<Response, PageError> {
    let Some(text) = refusal_text(&v.tr, &e) else { return Err(e.into()) };
    let view = shop_view::shop(&state.app, actor, child).await?;
    let standing = standing_orders::of_child(&state.app, actor, child).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(shop_page(v, view, &standing, Some(text), None))).into_response())
}

#[derive(Deserialize)]
struct BasketForm {
    dish: String,
    quantity: String,
}

async fn basket(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(f): CsrfForm<BasketForm>,
) -> Result<Response, PageError> {
    let Ok(quantity) = f.quantity.trim().parse::<i64>() else {
        return refused(&state, &v, &actor, &child, ShopError::BasketTooBig).await;
    };
    match shop_orders::set_in_basket(&state.app, &actor, &child, &f.dish, quantity).await {
        Ok(()) => Ok(To::shop(&child).done("shop.basket.updated").at("basket").redirect()),
        Err(e) => refused(&state, &v, &actor, &child, e).await,
    }
}

#[derive(Deserialize)]
struct PayForm {
    #[serde(default)]
    once: String,
    key: String,
}

async fn pay(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(f): CsrfForm<PayForm>,
) -> Result<Response, PageError> {
    act_once(&state, &actor, &f.once, async {
        match shop_orders::pay_basket(&state.app, &actor, &child, &f.key).await {
            Ok(_) => Ok(To::shop(&child).done("shop.paid").at("orders").redirect()),
            // An old page's basket (paid or changed in another tab): back to the basket as it is now.
            Err(ShopError::BasketChanged) => {
                Ok(To::shop(&child).error("shop.error.basket_changed").at("basket").redirect())
            }
            Err(ShopError::EmptyBasket) => {
                Ok(To::shop(&child).error("shop.error.empty_basket").at("basket").redirect())
            }
            Err(e) => refused(&state, &v, &actor, &child, e).await,
        }
    })
    .await
}

#[derive(Deserialize)]
struct OnceForm {
    #[serde(default)]
    once: String,
}

async fn cancel_order(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, order)): Path<(ChildId, String)>,
    CsrfForm(f): CsrfForm<OnceForm>,
) -> Result<Response, PageError> {
    act_once(&state, &actor, &f.once, async {
        match shop_orders::cancel_order(&state.app, &actor, &child, &order).await {
            Ok(_) => Ok(To::shop(&child).done("shop.cancelled").at("orders").redirect()),
            Err(e) => refused(&state, &v, &actor, &child, e).await,
        }
    })
    .await
}

async fn cancel_day(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, day)): Path<(ChildId, String)>,
    CsrfForm(f): CsrfForm<OnceForm>,
) -> Result<Response, PageError> {
    act_once(&state, &actor, &f.once, async {
        match shop_orders::cancel_day(&state.app, &actor, &child, &day).await {
            Ok(_) => Ok(To::shop(&child).done("shop.cancelled").at("orders").redirect()),
            Err(e) => refused(&state, &v, &actor, &child, e).await,
        }
    })
    .await
}

async fn allergens(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let codes: Vec<String> = fields.iter().filter(|(k, _)| k == "allergen").map(|(_, v)| v.clone()).collect();
    match shop_orders::set_allergens(&state.app, &actor, &child, &codes).await {
        Ok(()) => Ok(To::shop(&child).done("shop.allergens_saved").at("allergens").redirect()),
        Err(e) => refused(&state, &v, &actor, &child, e).await,
    }
}

async fn standing_create(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = StandingInput {
        sales_point: field("sales_point"),
        category: field("category"),
        weekdays: fields.iter().filter(|(k, _)| k == "weekday").map(|(_, v)| v.clone()).collect(),
        from: field("from"),
        to: field("to"),
    };
    match standing_orders::create(&state.app, &actor, &child, &input).await {
        Ok(_) => Ok(To::shop(&child).done("shop.standing.saved").at("standing").redirect()),
        Err(e) => refused(&state, &v, &actor, &child, e).await,
    }
}

async fn standing_stop(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, id)): Path<(ChildId, String)>,
    CsrfForm(_): CsrfForm<OnceForm>,
) -> Result<Response, PageError> {
    match standing_orders::stop(&state.app, &actor, &child, &id).await {
        Ok(()) => Ok(To::shop(&child).done("shop.standing.stopped").at("standing").redirect()),
        Err(e) => refused(&state, &v, &actor, &child, e).await,
    }
}
