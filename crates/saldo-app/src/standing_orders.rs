//! Standing orders (faste bestillinger): "every Tuesday and Thursday, the hot
//! dish" for a term. A job charges each day once, when its order deadline
//! passes, through the same basket charge as a custodian's own order (one
//! entry to the orders account, the balance guarded, the day's limit kept).
//! Closed days are skipped; a day the money does not cover is skipped, and
//! the custodian is mailed the first time that happens.

use jiff::civil::{Date, Weekday};
use saldo_core::day::local_day;
use saldo_core::ids::{ChildId, SalesPointId};
use saldo_core::rights::Action;
use saldo_store::{NewStandingOrder, StandingOrderRow, StoreError};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::shop::{parse_day, rules_of, ShopError};
use crate::shop_orders::{charge, check_lines, Deadlines, Line, Payer};
use crate::App;

/// A term is at most a school year.
pub const MAX_TERM_DAYS: i64 = 366;
/// Standing orders looked at per round of the job.
const BATCH: i64 = 1_000;

/// What a custodian asks for.
#[derive(Clone, Debug, Default)]
pub struct StandingInput {
    pub sales_point: String,
    pub category: String,
    /// ISO weekdays as the form's checkboxes send them, Monday `1`.
    pub weekdays: Vec<String>,
    pub from: String,
    pub to: String,
}

pub async fn create(app: &App, actor: &Actor, child: &ChildId, input: &StandingInput) -> Result<String, ShopError> {
    let (row, _) = authorize_child(app, actor, Action::ShopOrder, child).await?;
    let sales_point = SalesPointId::new(input.sales_point.trim());
    let places = app.store.sales_points_of(&row.institutions()).await?;
    if !places.iter().any(|(id, _)| *id == sales_point) {
        return Err(Refusal::NotFound.into());
    }
    let category = input.category.trim().to_lowercase();
    if category.is_empty() || category.chars().count() > crate::products::MAX_CATEGORY {
        return Err(ShopError::BadCategory);
    }
    let mut weekdays: Vec<i8> =
        input.weekdays.iter().filter_map(|d| d.trim().parse().ok()).filter(|d| (1..=5).contains(d)).collect();
    weekdays.sort();
    weekdays.dedup();
    if weekdays.is_empty() {
        return Err(ShopError::NoWeekdays);
    }
    let (from, to) = (parse_day(&input.from)?, parse_day(&input.to)?);
    let length = from.until(to).map(|s| i64::from(s.get_days())).map_err(|_| ShopError::BadTerm)?;
    let today = local_day(app.now());
    if !(0..=MAX_TERM_DAYS).contains(&length) || to < today {
        return Err(ShopError::BadTerm);
    }
    // A category no dish there has would never order anything.
    let ahead = today.checked_add(jiff::Span::new().days(MAX_TERM_DAYS)).unwrap_or(today).to_string();
    let dishes = app.store.dishes(&sales_point, &today.to_string(), &ahead).await?;
    let products = app.store.menu_of(&sales_point).await?;
    let known =
        dishes.iter().map(|d| d.category.to_lowercase()).chain(products.iter().map(|p| p.category.to_lowercase()));
    if !known.into_iter().any(|c| c == category) {
        return Err(ShopError::UnknownCategory(category));
    }
    let order = NewStandingOrder {
        child_id: child,
        person_id: &actor.person_id,
        sales_point_id: &sales_point,
        category: &category,
        weekdays: &weekdays,
        from_day: &from.to_string(),
        to_day: &to.to_string(),
    };
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let id = tx.create_standing_order(&order, now).await?;
    tx.audit(&actor.label(), "shop.standing_order", child, &id, &actor.source, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn stop(app: &App, actor: &Actor, child: &ChildId, id: &str) -> Result<(), ShopError> {
    authorize_child(app, actor, Action::ShopOrder, child).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if !tx.stop_standing_order(child, id).await? {
        return Err(ShopError::UnknownOrder);
    }
    tx.audit(&actor.label(), "shop.standing_order_stopped", child, id, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn of_child(app: &App, actor: &Actor, child: &ChildId) -> Result<Vec<StandingOrderRow>, ShopError> {
    authorize_child(app, actor, Action::ShopOrder, child).await?;
    Ok(app.store.standing_orders_of(child).await?)
}

fn iso_weekday(day: Date) -> i8 {
    match day.weekday() {
        Weekday::Monday => 1,
        Weekday::Tuesday => 2,
        Weekday::Wednesday => 3,
        Weekday::Thursday => 4,
        Weekday::Friday => 5,
        Weekday::Saturday => 6,
        Weekday::Sunday => 7,
    }
}

/// What the job did with one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayOutcome {
    Ordered,
    Closed,
    NoDish,
    NoMoney,
    /// Sold out, blocked, an allergen, the day's limit: the rules said no.
    Refused,
}

impl DayOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            DayOutcome::Ordered => "ordered",
            DayOutcome::Closed => "closed",
            DayOutcome::NoDish => "no_dish",
            DayOutcome::NoMoney => "no_money",
            DayOutcome::Refused => "refused",
        }
    }
}

/// Charges every standing-order day whose order deadline has passed and
/// that no round has looked at yet; returns how many days it looked at.
pub async fn charge_due(app: &App) -> Result<usize, StoreError> {
    let now = app.now();
    let today = local_day(now);
    let mut looked = 0;
    for order in app.store.active_standing_orders(&today.to_string(), BATCH).await? {
        let (terms, calendar) = rules_of(app, &order.sales_point_id, today).await?;
        let (Ok(from), Ok(to)) = (parse_day(&order.from_day), parse_day(&order.to_day)) else { continue };
        // A day's deadline lies before the day, so the days to look at are
        // today and the next two weeks (never days already past).
        for n in 0..=14 {
            let Ok(day) = today.checked_add(jiff::Span::new().days(n)) else { break };
            if day < from || day > to || !order.weekdays.contains(&iso_weekday(day)) {
                continue;
            }
            let deadline_passed = now >= terms.order_deadline(&calendar, day);
            let closed = !calendar.is_school_day(day);
            if !closed && !deadline_passed {
                continue;
            }
            if charge_day(app, &order, day, closed).await?.is_some() {
                looked += 1;
            }
        }
    }
    Ok(looked)
}

/// One day of one standing order, in its own transaction; `None` if another
/// round had it already.
async fn charge_day(
    app: &App,
    order: &StandingOrderRow,
    day: Date,
    closed: bool,
) -> Result<Option<DayOutcome>, StoreError> {
    let now = app.now();
    let iso = day.to_string();
    let mut tx = app.store.begin().await?;
    if !tx.claim_standing_day(&order.id, &iso, now).await? {
        return Ok(None);
    }
    let dish =
        if closed { None } else { app.store.dish_of_category(&order.sales_point_id, &iso, &order.category).await? };
    let child = tx.child(&order.child_id).await?;
    let (outcome, basket) = match (closed, dish, child) {
        (true, _, _) => (DayOutcome::Closed, None),
        (false, None, _) | (false, _, None) => (DayOutcome::NoDish, None),
        (false, Some(dish), Some(child)) => {
            let savepoint = tx.savepoint().await?;
            let amount = dish.price;
            let lines = [Line { dish, day, quantity: 1, amount }];
            let label = format!("standing_order:{}", order.id);
            let payer =
                Payer { child: &child, person: &order.person_id, label: &label, memo: &order.id, source: "job" };
            let charged = match check_lines(&mut tx, &order.child_id, &lines, now, Deadlines::Passed).await {
                Ok(()) => charge(&mut tx, app, &payer, &lines, now).await,
                Err(e) => Err(e),
            };
            match charged {
                Ok((basket, _)) => {
                    tx.release(savepoint).await?;
                    (DayOutcome::Ordered, Some(basket))
                }
                Err(e) => {
                    tx.rollback_to(savepoint).await?;
                    match e {
                        ShopError::Store(e) => return Err(e),
                        ShopError::InsufficientFunds => (DayOutcome::NoMoney, None),
                        ShopError::DayClosed { .. } => (DayOutcome::Closed, None),
                        _ => (DayOutcome::Refused, None),
                    }
                }
            }
        }
    };
    tx.note_standing_day(&order.id, &iso, outcome.as_str(), basket.as_deref()).await?;
    if outcome == DayOutcome::NoMoney && tx.mark_money_mailed(&order.id).await? {
        crate::shop_mail::queue_standing_skipped(&mut tx, app, order, day, now).await?;
    }
    tx.commit().await?;
    Ok(Some(outcome))
}
