//! What the webshop's use cases share: one error type saying what went
//! wrong (each refusal with what a parent needs to hear), and a sales
//! point's terms and calendar read from the store into saldo-core's rules.

use jiff::civil::{Date, Time};
use saldo_core::allergen::Allergen;
use saldo_core::ids::SalesPointId;
use saldo_core::shop::{Calendar, DayRefusal, ShopTerms, Uncollected};
use saldo_store::{StoreError, TermsRow, Tx};

use crate::auth::Refusal;
use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    // What a manager typed.
    #[error("not a day (YYYY-MM-DD)")]
    BadDay,
    #[error("a dish name is 1 to 60 characters")]
    BadName,
    #[error("a price is a positive amount of at most 1.000 kr.")]
    BadPrice,
    #[error("a category is 1 to 30 characters")]
    BadCategory,
    // What a custodian setting up a standing order chose.
    #[error("a standing order needs at least one weekday")]
    NoWeekdays,
    #[error("a standing order runs from a day to a later one, within a year, not in the past")]
    BadTerm,
    #[error("no dish at the sales point has the category {0:?}")]
    UnknownCategory(String),
    #[error("{0:?} is not one of the EU's fourteen allergens")]
    BadAllergen(String),
    #[error("a portion limit is a whole number from 1 to 10000, or empty")]
    BadPortions,
    #[error("deadlines are a time (HH:MM) and 0 to 10 school days")]
    BadTerms,
    #[error("line {0} of the calendar is not `YYYY-MM-DD reason`")]
    BadCalendarLine(usize),
    #[error("a day's menu has at most {MAX_DISHES_A_DAY} dishes")]
    TooManyDishes,
    #[error("someone has ordered the dish: it stays on the menu")]
    DishOrdered,
    #[error("no such dish")]
    UnknownDish,
    #[error("no such order")]
    UnknownOrder,

    // Why a basket, or a line of it, is refused.
    #[error("the basket is empty")]
    EmptyBasket,
    #[error("a basket has at most {MAX_BASKET_LINES} dishes, at most {MAX_QUANTITY} of each")]
    BasketTooBig,
    #[error("the basket changed in another window")]
    BasketChanged,
    #[error("{day}: the canteen is closed")]
    DayClosed { day: Date },
    #[error("{day}: the order deadline has passed")]
    PastOrderDeadline { day: Date },
    #[error("{day}: too far ahead")]
    TooFarAhead { day: Date },
    #[error("{dish} on {day}: sold out")]
    SoldOut { dish: String, day: Date },
    #[error("{dish}: contains {allergen:?}, which is marked for the child")]
    Allergen { dish: String, allergen: Allergen },
    #[error("{dish}: its category is blocked for the child")]
    CategoryBlocked { dish: String },
    #[error("the balance does not cover the basket")]
    InsufficientFunds,
    #[error("{day}: the orders pass the daily limit")]
    DailyLimit { day: Date },
    #[error("the wallet is closed")]
    WalletClosed,
    #[error("the cancel deadline has passed")]
    PastCancelDeadline,
    #[error("the order is no longer open (cancelled, handed out or closed)")]
    NotOpen,
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ShopError {
    /// A day's refusal by saldo-core's rules, for `day`.
    pub fn on_day(refusal: DayRefusal, day: Date) -> ShopError {
        match refusal {
            DayRefusal::Closed => ShopError::DayClosed { day },
            DayRefusal::PastOrderDeadline => ShopError::PastOrderDeadline { day },
            DayRefusal::TooFarAhead => ShopError::TooFarAhead { day },
            DayRefusal::PastCancelDeadline => ShopError::PastCancelDeadline,
        }
    }
}

/// A day's menu is a handful of dishes, not a shop's catalogue.
pub const MAX_DISHES_A_DAY: usize = 12;
pub const MAX_BASKET_LINES: usize = 40;
pub const MAX_QUANTITY: i64 = 5;

/// Reads a stored day (`2026-12-09`).
pub fn parse_day(text: &str) -> Result<Date, ShopError> {
    text.trim().parse::<Date>().map_err(|_| ShopError::BadDay)
}

fn minute(m: i64) -> Time {
    let m = m.clamp(0, 24 * 60 - 1);
    Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).unwrap_or(Time::midnight())
}

/// The stored terms as the rules take them; no row means the defaults.
pub fn terms_from(row: Option<TermsRow>) -> ShopTerms {
    let Some(row) = row else { return ShopTerms::default() };
    ShopTerms {
        order_days_before: u8::try_from(row.order_days_before).unwrap_or(1),
        order_until: minute(row.order_until_minute),
        cancel_until: minute(row.cancel_until_minute),
        uncollected: Uncollected::parse(&row.uncollected).unwrap_or(Uncollected::Kept),
    }
}

pub fn calendar_from(days: &[String]) -> Calendar {
    Calendar::new(days.iter().filter_map(|d| d.parse::<Date>().ok()))
}

/// A sales point's terms and its institution's calendar from `from` on.
pub async fn rules_of(app: &App, sales_point: &SalesPointId, from: Date) -> Result<(ShopTerms, Calendar), StoreError> {
    let terms = terms_from(app.store.shop_terms(sales_point).await?);
    let closed = app.store.closed_days_of(sales_point, &from.to_string()).await?;
    Ok((terms, calendar_from(&closed)))
}

/// The same, read in a transaction (the basket's, a cancel's).
pub async fn rules_in(
    tx: &mut Tx,
    sales_point: &SalesPointId,
    from: Date,
) -> Result<(ShopTerms, Calendar), StoreError> {
    let terms = terms_from(tx.shop_terms(sales_point).await?);
    let closed = tx.closed_days_of(sales_point, &from.to_string()).await?;
    Ok((terms, calendar_from(&closed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_minutes_become_times_and_no_row_is_the_default() {
        assert_eq!(terms_from(None), ShopTerms::default());
        let row = TermsRow {
            order_days_before: 2,
            order_until_minute: 9 * 60 + 30,
            cancel_until_minute: 7 * 60,
            uncollected: "refunded".into(),
        };
        let terms = terms_from(Some(row));
        assert_eq!(terms.order_until, Time::constant(9, 30, 0, 0));
        assert_eq!(terms.cancel_until, Time::constant(7, 0, 0, 0));
        assert_eq!(terms.order_days_before, 2);
        assert_eq!(terms.uncollected, Uncollected::Refunded);
        assert!(parse_day("2026-13-01").is_err());
    }
}
