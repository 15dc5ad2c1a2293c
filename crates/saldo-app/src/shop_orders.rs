//! A custodian orders from the webshop: the child's menus for the coming
//! weeks, a basket over several days, paid from the wallet in one journal
//! entry, and cancelled (a dish or a day) until the cancel deadline.
//!
//! Ordering spends the child's money, so it is the custodians' alone
//! (`Action::ShopOrder`); a relative is refused as for a payout.
//!
//! The daily limit and orders: an order counts on the day it is collected,
//! not the day it is paid. Paying does not go through the wallet's
//! day-spend guard (that guard is for today's counter sales, and a basket
//! is for other days); instead, with the wallet's row held by the basket's
//! guarded debit, each day's orders must fit that day's limit on their
//! own. On the day, the hand-out adds the order to the day's spend, so the
//! counter sales after lunch see less room (see `hand_out`).

use std::collections::BTreeMap;

use jiff::civil::Date;
use saldo_core::allergen::{Allergen, Allergens};
use saldo_core::day::local_day;
use saldo_core::ids::PersonId;
use saldo_core::ids::{ChildId, SalesPointId};
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::rights::Action;
use saldo_core::shop::ShopOrderState;
use saldo_core::Money;
use saldo_store::{ChildRow, Claim, DishRow, EntryMeta, NewShopOrder, PostError, ShopOrderRow, StoreError, Tx};

use crate::auth::{authorize_child, Actor};
use crate::debit::{debit, Debtor, Watch};
use crate::idempotency::request_hash;
use crate::shop::{parse_day, rules_in, ShopError, MAX_BASKET_LINES, MAX_QUANTITY};
use crate::App;

/// A dish in a basket about to be paid, read in the basket's transaction.
pub(crate) struct Line {
    pub dish: DishRow,
    pub day: Date,
    pub quantity: i64,
    pub amount: Money,
}

/// Whether a basket's days must still be open for orders (a custodian's
/// basket), or are charged as their deadline passes (a standing order).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deadlines {
    Check,
    Passed,
}

fn scope(child: &ChildId) -> String {
    format!("shop-basket:{child}")
}

/// Puts `quantity` of a dish in the custodian's basket for the child (0 takes it out).
pub async fn set_in_basket(
    app: &App,
    actor: &Actor,
    child: &ChildId,
    dish_id: &str,
    quantity: i64,
) -> Result<(), ShopError> {
    let (row, _) = authorize_child(app, actor, Action::ShopOrder, child).await?;
    if !(0..=MAX_QUANTITY).contains(&quantity) {
        return Err(ShopError::BasketTooBig);
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let dish = tx.dish(dish_id).await?.ok_or(ShopError::UnknownDish)?;
    let places = app.store.sales_points_of(&row.institutions()).await?;
    if !places.iter().any(|(id, _)| *id == dish.sales_point_id) {
        return Err(ShopError::UnknownDish);
    }
    let cart = tx.cart(child, &actor.person_id).await?;
    if quantity > 0 && cart.lines.len() >= MAX_BASKET_LINES && !cart.lines.iter().any(|(d, _)| d == dish_id) {
        return Err(ShopError::BasketTooBig);
    }
    tx.set_cart_line(child, &actor.person_id, dish_id, quantity, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Pays the custodian's basket for the child: every dish checked (day open,
/// deadline, portions, blocked categories, marked allergens), one journal
/// entry from the wallet to the sales points' orders accounts, the orders
/// written. `key` is the basket's own key (from the page): a second tab
/// paying the same basket gets the first payment's basket id back.
pub async fn pay_basket(app: &App, actor: &Actor, child: &ChildId, key: &str) -> Result<String, ShopError> {
    let (child_row, _) = authorize_child(app, actor, Action::ShopOrder, child).await?;
    let places = app.store.sales_points_of(&child_row.institutions()).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let cart = tx.cart(child, &actor.person_id).await?;
    // The key is the basket's own: a second tab finds the first's answer
    // (the basket is emptied by then, so its lines cannot be the fingerprint).
    match tx.claim_idempotency_key(&scope(child), key, &request_hash(&child), now).await? {
        Claim::New => {}
        Claim::Replay { response, .. } => return Ok(response),
        Claim::Mismatch => return Err(ShopError::BasketChanged),
    }
    if cart.key.as_deref() != Some(key) {
        return Err(ShopError::BasketChanged);
    }
    if cart.lines.is_empty() {
        return Err(ShopError::EmptyBasket);
    }
    let lines = read_lines(&mut tx, &cart.lines, &places).await?;
    check_lines(&mut tx, child, &lines, now, Deadlines::Check).await?;
    let label = actor.label();
    let payer = Payer { child: &child_row, person: &actor.person_id, label: &label, memo: key, source: &actor.source };
    let (basket, total) = charge(&mut tx, app, &payer, &lines, now).await?;
    tx.clear_cart(child, &actor.person_id).await?;
    tx.remember_answer(&scope(child), key, 201, &basket).await?;
    let mail_lines = lines_for_mail(&lines);
    crate::shop_mail::queue_receipt(&mut tx, app, actor, &child_row.first_name, &basket, &mail_lines, total, now)
        .await?;
    tx.commit().await?;
    Ok(basket)
}

/// Who pays for a basket (a custodian, or their standing order), and how its entry is labelled.
pub(crate) struct Payer<'a> {
    pub child: &'a ChildRow,
    pub person: &'a PersonId,
    pub label: &'a str,
    pub memo: &'a str,
    pub source: &'a str,
}

/// One journal entry from the wallet to the sales points' orders accounts
/// (the balance must cover it: the guarded debit), each day's orders within
/// the daily limit, and the basket and its orders written.
pub(crate) async fn charge(
    tx: &mut Tx,
    app: &App,
    payer: &Payer<'_>,
    lines: &[Line],
    now: jiff::Timestamp,
) -> Result<(String, Money), ShopError> {
    let child = &payer.child.id;
    let wallet = tx.wallet_of_child(child).await?.ok_or(ShopError::WalletClosed)?;
    let mut parts: Vec<(SalesPointId, Money)> = Vec::new();
    for line in lines {
        parts.push((line.dish.sales_point_id.clone(), line.amount));
        tx.ensure_account(&AccountId::Orders(line.dish.sales_point_id.clone())).await?;
    }
    let entry = Entry::shop_order(&wallet.id, &parts).map_err(|e| StoreError::Corrupt(format!("basket: {e}")))?;
    let total = Money::sum(parts.iter().map(|(_, m)| *m)).map_err(|_| ShopError::BasketTooBig)?;
    let debtor =
        Debtor { child_id: child, first_name: &payer.child.first_name, wallet_id: &wallet.id, watch: Watch::Unknown };
    let meta = EntryMeta { actor: payer.label, memo: payer.memo, at: now, reverses: None, spend_day: None };
    let posted = match debit(tx, app, &debtor, &entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) if !wallet.open => return Err(ShopError::WalletClosed),
        Err(PostError::Refused(_)) => return Err(ShopError::InsufficientFunds),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    check_daily_limits(tx, &wallet.id, wallet.daily_limit, lines).await?;
    let basket = tx.create_basket(child, &wallet.id, payer.person, &posted.entry_id, total, now).await?;
    for line in lines {
        let day = line.day.to_string();
        let order = NewShopOrder {
            basket_id: &basket,
            child_id: child,
            wallet_id: &wallet.id,
            sales_point_id: &line.dish.sales_point_id,
            dish_id: &line.dish.id,
            day: &day,
            name: &line.dish.name,
            quantity: line.quantity,
            amount: line.amount,
        };
        tx.add_shop_order(&order, now).await?;
    }
    tx.audit(payer.label, "shop.basket_paid", child, &format!("{basket} {}", total.ore()), payer.source, now).await?;
    Ok((basket, total))
}

fn lines_for_mail(lines: &[Line]) -> Vec<(Date, String, i64, Money)> {
    lines.iter().map(|l| (l.day, l.dish.name.clone(), l.quantity, l.amount)).collect()
}

/// The basket's dishes as they are now, each at one of the child's sales points.
async fn read_lines(
    tx: &mut Tx,
    cart: &[(String, i64)],
    places: &[(SalesPointId, String)],
) -> Result<Vec<Line>, ShopError> {
    let mut lines = Vec::with_capacity(cart.len());
    for (dish_id, quantity) in cart {
        let dish = tx.dish(dish_id).await?.ok_or(ShopError::UnknownDish)?;
        if !places.iter().any(|(id, _)| *id == dish.sales_point_id) {
            return Err(ShopError::UnknownDish);
        }
        let day = parse_day(&dish.day)?;
        let amount = dish.price.checked_mul(*quantity).map_err(|_| ShopError::BasketTooBig)?;
        lines.push(Line { dish, day, quantity: *quantity, amount });
    }
    Ok(lines)
}

/// Every rule a dish must pass before money moves, in the order a parent
/// would want to hear them; the first failure names the dish and the day.
pub(crate) async fn check_lines(
    tx: &mut Tx,
    child: &ChildId,
    lines: &[Line],
    now: jiff::Timestamp,
    deadlines: Deadlines,
) -> Result<(), ShopError> {
    let blocked = tx.blocked_categories(child).await?;
    let marked: Vec<String> = tx.child_allergens(child).await?;
    let marked = Allergens::parse(&marked.join(",")).unwrap_or_default();
    let today = local_day(now);
    for line in lines {
        let (terms, calendar) = rules_in(tx, &line.dish.sales_point_id, today).await?;
        match deadlines {
            Deadlines::Check => {
                terms.may_order(&calendar, line.day, now).map_err(|r| ShopError::on_day(r, line.day))?
            }
            Deadlines::Passed if !calendar.is_school_day(line.day) => {
                return Err(ShopError::DayClosed { day: line.day });
            }
            Deadlines::Passed => {}
        }
        if blocked.contains(&line.dish.category) {
            return Err(ShopError::CategoryBlocked { dish: line.dish.name.clone() });
        }
        let contains = Allergens::parse(&line.dish.allergens).unwrap_or_default();
        if let Some(allergen) = contains.shared_with(marked).first() {
            return Err(ShopError::Allergen { dish: line.dish.name.clone(), allergen: *allergen });
        }
        if !tx.take_portions(&line.dish.id, line.quantity).await? {
            return Err(ShopError::SoldOut { dish: line.dish.name.clone(), day: line.day });
        }
    }
    Ok(())
}

/// Each day's orders, those paid before and this basket's, within the day's
/// limit. Runs after the debit, which holds the wallet's row: a second
/// basket for the same child waits, then sees this one's orders.
async fn check_daily_limits(
    tx: &mut Tx,
    wallet: &saldo_core::ids::WalletId,
    limit: Option<Money>,
    lines: &[Line],
) -> Result<(), ShopError> {
    let Some(limit) = limit else { return Ok(()) };
    let mut per_day: BTreeMap<Date, Money> = BTreeMap::new();
    for line in lines {
        let sum = per_day.entry(line.day).or_insert(Money::ZERO);
        *sum = sum.checked_add(line.amount).map_err(|_| ShopError::BasketTooBig)?;
    }
    for (day, amount) in per_day {
        let before = tx.ordered_for_day(wallet, &day.to_string()).await?;
        if before.checked_add(amount).map_err(|_| ShopError::BasketTooBig)? > limit {
            return Err(ShopError::DailyLimit { day });
        }
    }
    Ok(())
}

/// Cancels one ordered dish before the cancel deadline: the money goes
/// back to the wallet at once (a reversal entry), the portions to the dish.
pub async fn cancel_order(app: &App, actor: &Actor, child: &ChildId, order_id: &str) -> Result<Money, ShopError> {
    authorize_child(app, actor, Action::ShopOrder, child).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let order = tx.shop_order(order_id).await?.filter(|o| o.child_id == *child).ok_or(ShopError::UnknownOrder)?;
    cancel_in(&mut tx, actor, &order, now).await?;
    tx.commit().await?;
    Ok(order.amount)
}

/// Cancels every open order of the child on a day, in one transaction.
pub async fn cancel_day(app: &App, actor: &Actor, child: &ChildId, day: &str) -> Result<Money, ShopError> {
    authorize_child(app, actor, Action::ShopOrder, child).await?;
    let day = parse_day(day)?.to_string();
    let now = app.now();
    let orders: Vec<ShopOrderRow> = app
        .store
        .orders_of_child(child, &day)
        .await?
        .into_iter()
        .filter(|o| o.day == day && o.state == ShopOrderState::Paid)
        .collect();
    if orders.is_empty() {
        return Err(ShopError::UnknownOrder);
    }
    let mut tx = app.store.begin().await?;
    let mut back = Money::ZERO;
    for order in &orders {
        cancel_in(&mut tx, actor, order, now).await?;
        back = back.checked_add(order.amount).map_err(|_| ShopError::BasketTooBig)?;
    }
    tx.commit().await?;
    Ok(back)
}

async fn cancel_in(tx: &mut Tx, actor: &Actor, order: &ShopOrderRow, now: jiff::Timestamp) -> Result<(), ShopError> {
    if order.state != ShopOrderState::Paid {
        return Err(ShopError::NotOpen);
    }
    let day = parse_day(&order.day)?;
    let (terms, _) = rules_in(tx, &order.sales_point_id, day).await?;
    terms.may_cancel(day, now).map_err(|r| ShopError::on_day(r, day))?;
    let entry = Entry::order_cancelled(&order.wallet_id, &order.sales_point_id, order.amount)
        .map_err(|e| StoreError::Corrupt(format!("cancel: {e}")))?;
    let label = actor.label();
    let meta = EntryMeta { actor: &label, memo: &order.id, at: now, reverses: None, spend_day: None };
    let posted = match tx.post(&entry, &meta).await {
        Ok(posted) => posted,
        Err(PostError::Refused(_)) => return Err(ShopError::WalletClosed),
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    // The state moves only from paid: a hand-out that won the race leaves it
    // handed out, this cancel is rolled back, and no money moved twice.
    let by = actor.label();
    if !tx
        .settle_shop_order(&order.id, ShopOrderState::Paid, ShopOrderState::Cancelled, Some(&posted.entry_id), &by, now)
        .await?
    {
        return Err(ShopError::NotOpen);
    }
    tx.release_portions(&order.dish_id, order.quantity).await?;
    tx.audit(&label, "shop.cancelled", &order.child_id, &order.id, &actor.source, now).await?;
    Ok(())
}

/// The allergens a custodian marks for a child: dishes with them are refused.
pub async fn set_allergens(app: &App, actor: &Actor, child: &ChildId, codes: &[String]) -> Result<(), ShopError> {
    authorize_child(app, actor, Action::ChangeLimits, child).await?;
    let set = Allergens::parse(&codes.join(",")).map_err(|e| ShopError::BadAllergen(e.0))?;
    let list: Vec<&str> = set.list().into_iter().map(Allergen::code).collect();
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.set_child_allergens(child, &list).await?;
    tx.audit(&actor.label(), "child.allergens", child, &list.join(","), &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}
