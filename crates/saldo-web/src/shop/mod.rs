//! The webshop face: the manager's menu plan and the operator's calendar
//! (`/sales-points/{sp}/menu`), a child's shop on the portal
//! (`/portal/children/{child}/shop`), and the kitchen's counts and pick list
//! (`/sales-points/{sp}/kitchen`). The till's hand-out is in `api/` and the
//! till page. Handlers parse, call `saldo_app`, render.

mod child;
mod kitchen;
mod menus;

use axum::Router;
use saldo_app::shop::ShopError;
use saldo_core::allergen::Allergen;

use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(menus::routes()).merge(child::routes()).merge(kitchen::routes())
}

/// An allergen in words.
pub(crate) fn allergen_name(tr: &Tr, allergen: Allergen) -> &'static str {
    tr.t(&format!("allergen.{}", allergen.code()))
}

/// Allergens in words, joined: `gluten, mælk`.
pub(crate) fn allergen_names(tr: &Tr, allergens: &[Allergen]) -> String {
    allergens.iter().map(|a| allergen_name(tr, *a)).collect::<Vec<_>>().join(", ")
}

/// What a person is told when the shop refuses: what happened and what to
/// do. `None`: not a refusal of the form (a right, a failure): an error page.
pub(crate) fn refusal_text(tr: &Tr, e: &ShopError) -> Option<String> {
    let day = |d: &jiff::civil::Date| tr.date(*d);
    Some(match e {
        ShopError::BadDay => tr.t("shop.error.bad_day").to_owned(),
        ShopError::BadName => tr.t("shop.error.bad_name").to_owned(),
        ShopError::BadPrice => tr.t("shop.error.bad_price").to_owned(),
        ShopError::BadCategory => tr.t("shop.error.bad_category").to_owned(),
        ShopError::NoWeekdays => tr.t("shop.error.no_weekdays").to_owned(),
        ShopError::BadTerm => tr.t("shop.error.bad_term").to_owned(),
        ShopError::UnknownCategory(c) => tr.fill("shop.error.unknown_category", &[("category", c.clone())]),
        ShopError::BadAllergen(_) => tr.t("shop.error.bad_allergen").to_owned(),
        ShopError::BadPortions => tr.t("shop.error.bad_portions").to_owned(),
        ShopError::BadTerms => tr.t("shop.error.bad_terms").to_owned(),
        ShopError::BadCalendarLine(n) => tr.fill("shop.error.bad_calendar_line", &[("line", n.to_string())]),
        ShopError::TooManyDishes => tr.t("shop.error.too_many_dishes").to_owned(),
        ShopError::DishOrdered => tr.t("shop.error.dish_ordered").to_owned(),
        ShopError::EmptyBasket => tr.t("shop.error.empty_basket").to_owned(),
        ShopError::BasketTooBig => tr.t("shop.error.basket_too_big").to_owned(),
        ShopError::BasketChanged => tr.t("shop.error.basket_changed").to_owned(),
        ShopError::DayClosed { day: d } => tr.fill("shop.error.day_closed", &[("day", day(d))]),
        ShopError::PastOrderDeadline { day: d } => tr.fill("shop.error.past_order_deadline", &[("day", day(d))]),
        ShopError::TooFarAhead { day: d } => tr.fill("shop.error.too_far_ahead", &[("day", day(d))]),
        ShopError::SoldOut { dish, day: d } => {
            tr.fill("shop.error.sold_out", &[("dish", dish.clone()), ("day", day(d))])
        }
        ShopError::Allergen { dish, allergen } => tr.fill(
            "shop.error.allergen",
            &[("dish", dish.clone()), ("allergen", allergen_name(tr, *allergen).to_owned())],
        ),
        ShopError::CategoryBlocked { dish } => tr.fill("shop.error.category_blocked", &[("dish", dish.clone())]),
        ShopError::InsufficientFunds => tr.t("shop.error.insufficient_funds").to_owned(),
        ShopError::DailyLimit { day: d } => tr.fill("shop.error.daily_limit", &[("day", day(d))]),
        ShopError::WalletClosed => tr.t("shop.error.wallet_closed").to_owned(),
        ShopError::PastCancelDeadline => tr.t("shop.error.past_cancel_deadline").to_owned(),
        ShopError::NotOpen => tr.t("shop.error.not_open").to_owned(),
        ShopError::UnknownDish | ShopError::UnknownOrder | ShopError::Refused(_) | ShopError::Store(_) => return None,
    })
}

/// Minutes after midnight as a form shows them: `14:00`.
pub(crate) fn clock(time: jiff::civil::Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}
