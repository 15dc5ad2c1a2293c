//! The webshop's menus (madplan): the sales point's manager or the operator
//! puts dishes on serving days, each with price, allergens and a portion
//! limit, and sets the deadlines; the operator keeps each institution's
//! calendar of closed days.

use jiff::civil::Date;
use saldo_core::allergen::Allergens;
use saldo_core::day::local_day;
use saldo_core::ids::{InstitutionId, ProductId, SalesPointId};
use saldo_core::rights::{authorize, Action, Target};
use saldo_core::shop::{Calendar, DayRefusal, ShopTerms, Uncollected};
use saldo_core::Money;
use saldo_store::{DishRow, NewDish, TermsRow};

use crate::auth::{Actor, Refusal};
use crate::products::MAX_PRICE;
use crate::shop::{parse_day, rules_of, ShopError, MAX_DISHES_A_DAY};
use crate::till_setup::authorize_sales_point;
use crate::App;

/// Two school weeks: what a manager plans at a time.
pub const PLAN_DAYS: i64 = 14;

/// One day of the plan.
#[derive(Clone, Debug)]
pub struct PlanDay {
    pub day: Date,
    pub closed: bool,
    pub dishes: Vec<DishRow>,
    pub order_deadline: jiff::Timestamp,
    pub cancel_deadline: jiff::Timestamp,
}

/// The manager's page: the sales point, its terms, and the days from `from`.
#[derive(Clone, Debug)]
pub struct Plan {
    pub sales_point: String,
    pub institution: String,
    pub institution_id: InstitutionId,
    pub terms: ShopTerms,
    pub days: Vec<PlanDay>,
    /// The institution's closed days from `from` on: (day, reason).
    pub closed_days: Vec<(String, String)>,
    /// The actor may change the calendar (the operator).
    pub may_edit_calendar: bool,
    /// The sales point's products shown at the till, to make a dish of: (id, name).
    pub products: Vec<(ProductId, String)>,
}

/// The weekdays of two weeks from `from`, with their dishes and deadlines.
pub async fn plan(app: &App, actor: &Actor, sales_point: &SalesPointId, from: Date) -> Result<Plan, ShopError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point).await?;
    let (name, institution) = app.store.sales_point(sales_point).await?.ok_or(Refusal::NotFound)?;
    let institution_id = app.store.institution_of(sales_point).await?.ok_or(Refusal::NotFound)?;
    let (terms, calendar) = rules_of(app, sales_point, from).await?;
    let to = from.checked_add(jiff::Span::new().days(PLAN_DAYS - 1)).map_err(|_| ShopError::BadDay)?;
    let dishes = app.store.dishes(sales_point, &from.to_string(), &to.to_string()).await?;
    let days = weekdays(from, PLAN_DAYS)
        .into_iter()
        .map(|day| PlanDay {
            day,
            closed: !calendar.is_school_day(day),
            dishes: dishes.iter().filter(|d| d.day == day.to_string()).cloned().collect(),
            order_deadline: terms.order_deadline(&calendar, day),
            cancel_deadline: terms.cancel_deadline(day),
        })
        .collect();
    let closed_days = app.store.closed_days(&institution_id, &from.to_string()).await?;
    let may_edit_calendar = authorize(&actor.grants, Action::ShopCalendar, &Target::default()).is_ok();
    let products = app.store.active_products(sales_point).await?.into_iter().map(|p| (p.id, p.name)).collect();
    Ok(Plan { sales_point: name, institution, institution_id, terms, days, closed_days, may_edit_calendar, products })
}

/// Monday to Friday among the `n` days from `from`.
pub fn weekdays(from: Date, n: i64) -> Vec<Date> {
    (0..n)
        .filter_map(|i| from.checked_add(jiff::Span::new().days(i)).ok())
        .filter(|d| Calendar::default().is_school_day(*d))
        .collect()
}

/// What a manager typed for a dish.
#[derive(Clone, Debug, Default)]
pub struct DishInput {
    pub day: String,
    pub name: String,
    pub category: String,
    pub price: String,
    /// Allergen codes, as the form's checkboxes send them.
    pub allergens: Vec<String>,
    pub portion_limit: String,
    /// A product of the sales point the dish is (empty: a dish only the
    /// shop has). Its name, category and price fill the fields left empty.
    pub product: String,
}

struct DishDraft {
    day: Date,
    name: String,
    category: String,
    price: Money,
    allergens: Allergens,
    portion_limit: Option<i64>,
}

fn one_line(text: &str, max: usize) -> Option<String> {
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return None;
    }
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (1..=max).contains(&joined.chars().count()).then_some(joined)
}

impl DishInput {
    fn parse(&self) -> Result<DishDraft, ShopError> {
        let day = parse_day(&self.day)?;
        let name = one_line(&self.name, crate::products::MAX_NAME).ok_or(ShopError::BadName)?;
        let category =
            one_line(&self.category, crate::products::MAX_CATEGORY).ok_or(ShopError::BadCategory)?.to_lowercase();
        let price = self.price.parse::<Money>().map_err(|_| ShopError::BadPrice)?;
        if !price.is_positive() || price > MAX_PRICE {
            return Err(ShopError::BadPrice);
        }
        let allergens = Allergens::parse(&self.allergens.join(",")).map_err(|e| ShopError::BadAllergen(e.0))?;
        let portion_limit = match self.portion_limit.trim() {
            "" => None,
            text => Some(text.parse::<i64>().ok().filter(|n| (1..=10_000).contains(n)).ok_or(ShopError::BadPortions)?),
        };
        Ok(DishDraft { day, name, category, price, allergens, portion_limit })
    }
}

/// The fields a manager left empty, from the product the dish is.
fn from_product(input: &DishInput, product: &saldo_store::ProductRow) -> DishInput {
    let or = |typed: &str, from: String| if typed.trim().is_empty() { from } else { typed.to_owned() };
    DishInput {
        name: or(&input.name, product.name.clone()),
        category: or(&input.category, product.category.clone()),
        price: or(&input.price, product.price.plain_da()),
        ..input.clone()
    }
}

/// Puts a dish on a day's menu.
pub async fn add_dish(
    app: &App,
    actor: &Actor,
    sales_point: &SalesPointId,
    input: &DishInput,
) -> Result<String, ShopError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point).await?;
    let product = match input.product.trim() {
        "" => None,
        id => {
            Some(app.store.menu_of(sales_point).await?.into_iter().find(|p| p.id == id).ok_or(ShopError::UnknownDish)?)
        }
    };
    let d = match &product {
        Some(p) => from_product(input, p).parse()?,
        None => input.parse()?,
    };
    // A dish for a day nobody can order (a weekend, a closed day, a day whose
    // order deadline has passed) would sit on a plan no one sees: refused.
    // Planning further ahead than parents may order yet is fine.
    let now = app.now();
    let (terms, calendar) = rules_of(app, sales_point, local_day(now).min(d.day)).await?;
    match terms.may_order(&calendar, d.day, now) {
        Err(DayRefusal::Closed) => return Err(ShopError::DayClosed { day: d.day }),
        Err(DayRefusal::PastOrderDeadline) => return Err(ShopError::PastOrderDeadline { day: d.day }),
        Ok(()) | Err(DayRefusal::TooFarAhead | DayRefusal::PastCancelDeadline) => {}
    }
    let day = d.day.to_string();
    if app.store.dishes(sales_point, &day, &day).await?.len() >= MAX_DISHES_A_DAY {
        return Err(ShopError::TooManyDishes);
    }
    let allergens = d.allergens.to_string();
    let dish = NewDish {
        sales_point_id: sales_point,
        day: &day,
        name: &d.name,
        category: &d.category,
        price: d.price,
        allergens: &allergens,
        portion_limit: d.portion_limit,
        product_id: product.as_ref().map(|p| &p.id),
    };
    let mut tx = app.store.begin().await?;
    let id = tx.add_dish(&dish, now).await?;
    tx.audit(&actor.label(), "shop.dish_added", sales_point, &format!("{day} {}", d.name), &actor.source, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes a dish off its day while nobody has ordered it.
pub async fn remove_dish(app: &App, actor: &Actor, sales_point: &SalesPointId, dish: &str) -> Result<(), ShopError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let row = tx.dish(dish).await?.filter(|d| d.sales_point_id == *sales_point).ok_or(ShopError::UnknownDish)?;
    if !tx.remove_dish(sales_point, dish).await? {
        return Err(ShopError::DishOrdered);
    }
    tx.audit(
        &actor.label(),
        "shop.dish_removed",
        sales_point,
        &format!("{} {}", row.day, row.name),
        &actor.source,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a manager typed for the deadlines.
#[derive(Clone, Debug, Default)]
pub struct TermsInput {
    pub order_days_before: String,
    pub order_until: String,
    pub cancel_until: String,
    pub uncollected: String,
}

fn minutes(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once([':', '.'])?;
    let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m) && m.to_string().len() <= 2).then_some(h * 60 + m)
}

/// Sets the sales point's deadlines and its policy for uncollected orders.
pub async fn set_terms(
    app: &App,
    actor: &Actor,
    sales_point: &SalesPointId,
    input: &TermsInput,
) -> Result<(), ShopError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point).await?;
    let row = TermsRow {
        order_days_before: input
            .order_days_before
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=10).contains(n))
            .ok_or(ShopError::BadTerms)?,
        order_until_minute: minutes(&input.order_until).ok_or(ShopError::BadTerms)?,
        cancel_until_minute: minutes(&input.cancel_until).ok_or(ShopError::BadTerms)?,
        uncollected: Uncollected::parse(input.uncollected.trim()).ok_or(ShopError::BadTerms)?.as_str().to_owned(),
    };
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.set_shop_terms(sales_point, &row, now).await?;
    let detail =
        format!("{} days, {}, {}, {}", row.order_days_before, input.order_until, input.cancel_until, row.uncollected);
    tx.audit(&actor.label(), "shop.terms", sales_point, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The operator fills the calendar of a sales point's institution from a list, one closed day
/// a line: `2026-12-24 Juleferie`. Lines starting with `-` open a day again.
/// The whole list is checked before anything changes.
pub async fn fill_calendar(
    app: &App,
    actor: &Actor,
    sales_point: &SalesPointId,
    list: &str,
) -> Result<usize, ShopError> {
    authorize_sales_point(app, actor, Action::ShopCalendar, sales_point).await?;
    let institution = &app.store.institution_of(sales_point).await?.ok_or(Refusal::NotFound)?;
    let mut changes = Vec::new();
    for (n, line) in list.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).take(400) {
        let line = line.trim();
        let (open, rest) = match line.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        let (day, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let day = parse_day(day).map_err(|_| ShopError::BadCalendarLine(n + 1))?;
        let reason = one_line(reason, 60).unwrap_or_default();
        changes.push((open, day.to_string(), reason));
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    for (open, day, reason) in &changes {
        if *open {
            tx.open_day(institution, day).await?;
        } else {
            tx.close_day(institution, day, reason).await?;
        }
    }
    tx.audit(&actor.label(), "shop.calendar", institution, &format!("{} lines", changes.len()), &actor.source, now)
        .await?;
    tx.commit().await?;
    Ok(changes.len())
}
