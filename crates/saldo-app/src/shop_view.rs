//! What a custodian sees in a child's shop: the coming weeks' menus of the
//! child's sales points (with what would be refused, and why, before they
//! try), the basket, and the orders with what can still be cancelled.

use jiff::civil::Date;
use saldo_core::allergen::{Allergen, Allergens};
use saldo_core::day::local_day;
use saldo_core::ids::{ChildId, SalesPointId};
use saldo_core::rights::Action;
use saldo_core::shop::{ShopOrderState, Uncollected, DAYS_AHEAD};
use saldo_core::Money;
use saldo_store::DishRow;

use crate::auth::{authorize_child, Actor};
use crate::shop::{parse_day, rules_of, ShopError};
use crate::App;

/// Why a dish on the menu cannot go in this child's basket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DishWarning {
    Allergen(Allergen),
    CategoryBlocked,
    SoldOut,
}

#[derive(Clone, Debug)]
pub struct DishView {
    pub id: String,
    pub name: String,
    pub price: Money,
    pub allergens: Vec<Allergen>,
    /// Portions left, when there is a limit.
    pub left: Option<i64>,
    pub warning: Option<DishWarning>,
    pub in_basket: i64,
}

#[derive(Clone, Debug)]
pub struct DayView {
    pub day: Date,
    pub order_deadline: jiff::Timestamp,
    pub cancel_deadline: jiff::Timestamp,
    pub dishes: Vec<DishView>,
}

/// One of the child's sales points, with the days that can still be ordered.
#[derive(Clone, Debug)]
pub struct PlaceView {
    pub sales_point_id: SalesPointId,
    pub name: String,
    pub uncollected: Uncollected,
    pub days: Vec<DayView>,
}

#[derive(Clone, Debug)]
pub struct BasketLine {
    pub dish_id: String,
    pub day: Date,
    pub name: String,
    pub quantity: i64,
    pub amount: Money,
}

#[derive(Clone, Debug)]
pub struct OrderView {
    pub id: String,
    pub day: Date,
    pub name: String,
    pub quantity: i64,
    pub amount: Money,
    pub state: ShopOrderState,
    pub cancellable: bool,
}

#[derive(Clone, Debug)]
pub struct ShopView {
    pub child_id: ChildId,
    pub first_name: String,
    pub balance: Money,
    pub places: Vec<PlaceView>,
    /// The basket's key, which its pay form carries (none while it is empty).
    pub basket_key: Option<String>,
    pub basket: Vec<BasketLine>,
    pub basket_total: Money,
    pub orders: Vec<OrderView>,
    pub marked: Vec<Allergen>,
}

/// The child's shop as the custodian sees it now.
pub async fn shop(app: &App, actor: &Actor, child: &ChildId) -> Result<ShopView, ShopError> {
    let (row, _) = authorize_child(app, actor, Action::ShopOrder, child).await?;
    let now = app.now();
    let today = local_day(now);
    let wallet = app.store.wallet_of_child(child).await?.ok_or(ShopError::WalletClosed)?;
    let marked = Allergens::parse(&app.store.child_allergens(child).await?.join(",")).unwrap_or_default();
    let (blocked, _) = app.store.till_controls(child).await?;
    let cart = app.store.cart(child, &actor.person_id).await?;
    let last = today.checked_add(jiff::Span::new().days(DAYS_AHEAD)).map_err(|_| ShopError::BadDay)?;
    let mut places = Vec::new();
    let mut basket = Vec::new();
    let mut orders = Vec::new();
    for (sales_point_id, name) in app.store.sales_points_of(&row.institutions()).await? {
        let (terms, calendar) = rules_of(app, &sales_point_id, today).await?;
        let dishes = app.store.dishes(&sales_point_id, &today.to_string(), &last.to_string()).await?;
        let in_basket = |d: &DishRow| cart.lines.iter().find(|(id, _)| *id == d.id).map_or(0, |(_, q)| *q);
        let days: Vec<DayView> = terms
            .days_open_for_orders(&calendar, now)
            .into_iter()
            .map(|day| DayView {
                day,
                order_deadline: terms.order_deadline(&calendar, day),
                cancel_deadline: terms.cancel_deadline(day),
                dishes: dishes
                    .iter()
                    .filter(|d| d.day == day.to_string())
                    .map(|d| dish_view(d, marked, &blocked, in_basket(d)))
                    .collect(),
            })
            .filter(|d| !d.dishes.is_empty())
            .collect();
        for d in dishes.iter().filter(|d| in_basket(d) > 0) {
            let quantity = in_basket(d);
            let amount = d.price.checked_mul(quantity).map_err(|_| ShopError::BasketTooBig)?;
            basket.push(BasketLine {
                dish_id: d.id.clone(),
                day: parse_day(&d.day)?,
                name: d.name.clone(),
                quantity,
                amount,
            });
        }
        for o in app
            .store
            .orders_of_child(child, &today.to_string())
            .await?
            .into_iter()
            .filter(|o| o.sales_point_id == sales_point_id)
        {
            let day = parse_day(&o.day)?;
            let cancellable = o.state == ShopOrderState::Paid && terms.may_cancel(day, now).is_ok();
            orders.push(OrderView {
                id: o.id,
                day,
                name: o.name,
                quantity: o.quantity,
                amount: o.amount,
                state: o.state,
                cancellable,
            });
        }
        places.push(PlaceView { sales_point_id, name, uncollected: terms.uncollected, days });
    }
    basket.sort_by_key(|l| l.day);
    orders.sort_by_key(|o| o.day);
    let basket_total = Money::sum(basket.iter().map(|l| l.amount)).map_err(|_| ShopError::BasketTooBig)?;
    Ok(ShopView {
        child_id: child.clone(),
        first_name: row.first_name,
        balance: wallet.balance,
        places,
        basket_key: cart.key,
        basket,
        basket_total,
        orders,
        marked: marked.list(),
    })
}

fn dish_view(d: &DishRow, marked: Allergens, blocked: &[String], in_basket: i64) -> DishView {
    let contains = Allergens::parse(&d.allergens).unwrap_or_default();
    let left = d.portion_limit.map(|limit| (limit - d.ordered).max(0));
    let warning = if let Some(a) = contains.shared_with(marked).first() {
        Some(DishWarning::Allergen(*a))
    } else if blocked.contains(&d.category) {
        Some(DishWarning::CategoryBlocked)
    } else if left == Some(0) {
        Some(DishWarning::SoldOut)
    } else {
        None
    };
    DishView {
        id: d.id.clone(),
        name: d.name.clone(),
        price: d.price,
        allergens: contains.list(),
        left,
        warning,
        in_basket,
    }
}
