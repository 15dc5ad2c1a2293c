//! The webshop through its use cases, on the engine the run selects (SQLite
//! by default, PostgreSQL with SALDO_TEST_POSTGRES_URL): a basket paid in
//! one entry to the orders account, refusals that move nothing, cancels
//! that give the money back at once, the hand-out that makes it revenue,
//! and the races at the deadline. `saldo verify` holds after each.

use jiff::civil::Date;
use saldo_app::hand_out::{hand_out, HandOutOutcome};
use saldo_app::menus::{self, DishInput, TermsInput};
use saldo_app::shop::ShopError;
use saldo_app::shop_orders::{cancel_day, cancel_order, pay_basket, set_allergens, set_in_basket};
use saldo_app::testing::{TestChild, World};
use saldo_app::{Actor, IdempotencyKey};
use saldo_core::allergen::Allergen;
use saldo_core::ids::ChildId;
use saldo_core::ledger::AccountId;
use saldo_core::shop::{Calendar, ShopOrderState, ShopTerms};
use saldo_core::Money;

/// The next school days a parent can still order, by the default terms.
fn open_days(world: &World) -> Vec<Date> {
    ShopTerms::default().days_open_for_orders(&Calendar::default(), world.app.now())
}

async fn manager(world: &World) -> Actor {
    let person = world.till_staff(&world.canteen, true, "2468").await;
    world.actor(&person).await
}

async fn dish(
    world: &World,
    manager: &Actor,
    day: Date,
    name: &str,
    kr: i64,
    allergens: &[&str],
    limit: &str,
) -> String {
    let input = DishInput {
        day: day.to_string(),
        name: name.into(),
        category: "mad".into(),
        price: kr.to_string(),
        allergens: allergens.iter().map(|a| (*a).to_owned()).collect(),
        portion_limit: limit.into(),
        product: String::new(),
    };
    menus::add_dish(&world.app, manager, &world.canteen, &input).await.expect("dish")
}

/// Puts dishes in the custodian's basket and pays it with the basket's own key.
async fn order(world: &World, custodian: &Actor, child: &ChildId, dishes: &[(&str, i64)]) -> Result<String, ShopError> {
    for (dish, quantity) in dishes {
        set_in_basket(&world.app, custodian, child, dish, *quantity).await?;
    }
    let key = world.app.store.cart(child, &custodian.person_id).await.expect("cart").key.unwrap_or_default();
    pay_basket(&world.app, custodian, child, &key).await
}

async fn orders_account(world: &World) -> Money {
    world.app.store.account_balance(&AccountId::Orders(world.canteen.clone())).await.expect("balance")
}

async fn sales_account(world: &World) -> Money {
    world.app.store.account_balance(&AccountId::Sales(world.canteen.clone())).await.expect("balance")
}

async fn setup(balance: i64) -> (World, Actor, TestChild, Actor) {
    let world = World::new().await;
    let manager = manager(&world).await;
    let child = world.child("Ida", Money::kr(balance), None).await;
    let custodian = world.actor(&child.custodian_id).await;
    (world, manager, child, custodian)
}

#[tokio::test]
async fn a_basket_for_two_days_is_one_entry_to_the_orders_account_and_a_cancel_gives_a_day_back() {
    let (world, manager, ida, custodian) = setup(100).await;
    let days = open_days(&world);
    let pasta = dish(&world, &manager, days[0], "Pastasalat", 30, &["gluten"], "").await;
    let soup = dish(&world, &manager, days[1], "Suppe", 25, &[], "").await;
    let entries_before = world.snapshot().await;

    let basket = order(&world, &custodian, &ida.child_id, &[(&pasta, 1), (&soup, 1)]).await.expect("paid");

    assert!(basket.starts_with("bsk_"));
    assert_eq!(world.balance(&ida).await, Money::kr(45));
    assert_eq!(orders_account(&world).await, Money::kr(55));
    assert_eq!(sales_account(&world).await, Money::ZERO, "prepaid, not yet revenue");
    let entries = |s: &[(String, i64)]| s.iter().find(|(k, _)| k == "journal_entries").map(|(_, n)| *n).unwrap();
    assert_eq!(entries(&world.snapshot().await), entries(&entries_before) + 1, "one journal entry for the basket");
    assert!(world.app.store.cart(&ida.child_id, &custodian.person_id).await.unwrap().lines.is_empty());

    let back = cancel_day(&world.app, &custodian, &ida.child_id, &days[1].to_string()).await.expect("cancelled");
    assert_eq!(back, Money::kr(25));
    assert_eq!(world.balance(&ida).await, Money::kr(70), "the money is back at once");
    assert_eq!(orders_account(&world).await, Money::kr(30));
    let orders = world.app.store.orders_of_child(&ida.child_id, &days[0].to_string()).await.unwrap();
    let states: Vec<(&str, ShopOrderState)> = orders.iter().map(|o| (o.name.as_str(), o.state)).collect();
    assert_eq!(states, vec![("Pastasalat", ShopOrderState::Paid), ("Suppe", ShopOrderState::Cancelled)]);
    let again = cancel_order(&world.app, &custodian, &ida.child_id, &orders[1].id).await;
    assert!(matches!(again, Err(ShopError::NotOpen)), "{again:?}");
    world.assert_books_balance().await;
}

#[tokio::test]
async fn two_tabs_paying_the_same_basket_pay_once() {
    let (world, manager, ida, custodian) = setup(100).await;
    let day = open_days(&world)[0];
    let pasta = dish(&world, &manager, day, "Pastasalat", 30, &[], "").await;
    set_in_basket(&world.app, &custodian, &ida.child_id, &pasta, 2).await.expect("in basket");
    let key = world.app.store.cart(&ida.child_id, &custodian.person_id).await.unwrap().key.expect("a key");

    let (first, second) = tokio::join!(
        pay_basket(&world.app, &custodian, &ida.child_id, &key),
        pay_basket(&world.app, &custodian, &ida.child_id, &key)
    );

    assert_eq!(first.expect("first tab"), second.expect("second tab"), "both tabs see the same basket");
    assert_eq!(world.balance(&ida).await, Money::kr(40));
    assert_eq!(orders_account(&world).await, Money::kr(60));
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_basket_that_would_overspend_is_refused_and_nothing_moves() {
    let (world, manager, ida, custodian) = setup(50).await;
    let days = open_days(&world);
    let pasta = dish(&world, &manager, days[0], "Pastasalat", 30, &[], "3").await;
    let soup = dish(&world, &manager, days[1], "Suppe", 25, &[], "").await;
    let before = world.snapshot().await;

    let refused = order(&world, &custodian, &ida.child_id, &[(&pasta, 1), (&soup, 1)]).await;

    assert!(matches!(refused, Err(ShopError::InsufficientFunds)), "{refused:?}");
    let after: Vec<(String, i64)> =
        world.snapshot().await.into_iter().filter(|(k, _)| k != "idempotency_keys").collect();
    let before: Vec<(String, i64)> = before.into_iter().filter(|(k, _)| k != "idempotency_keys").collect();
    assert_eq!(after, before, "nothing moved");
    let left = world.app.store.dishes(&world.canteen, &days[0].to_string(), &days[0].to_string()).await.unwrap();
    assert_eq!(left[0].ordered, 0, "the portions were not taken");
    // Taking the soup out, the same basket fits.
    set_in_basket(&world.app, &custodian, &ida.child_id, &soup, 0).await.unwrap();
    let key = world.app.store.cart(&ida.child_id, &custodian.person_id).await.unwrap().key.unwrap();
    pay_basket(&world.app, &custodian, &ida.child_id, &key).await.expect("fits now");
    assert_eq!(world.balance(&ida).await, Money::kr(20));
    world.assert_books_balance().await;
}

#[tokio::test]
async fn refusals_name_the_dish_and_the_reason() {
    let (world, manager, ida, custodian) = setup(500).await;
    let day = open_days(&world)[0];
    let fish = dish(&world, &manager, day, "Fiskefrikadeller", 30, &["fish", "eggs"], "").await;
    let last = dish(&world, &manager, day, "Lasagne", 35, &[], "1").await;
    set_allergens(&world.app, &custodian, &ida.child_id, &["eggs".into()]).await.expect("marked");

    let allergen = order(&world, &custodian, &ida.child_id, &[(&fish, 1)]).await;
    assert!(
        matches!(&allergen, Err(ShopError::Allergen { dish, allergen: Allergen::Eggs }) if dish == "Fiskefrikadeller"),
        "{allergen:?}"
    );
    set_in_basket(&world.app, &custodian, &ida.child_id, &fish, 0).await.unwrap();

    let noah = world.sibling(&ida, "Noah", Money::kr(100)).await;
    let custodian = world.actor(&ida.custodian_id).await; // now a custodian of both
    order(&world, &custodian, &noah.child_id, &[(&last, 1)]).await.expect("the last portion");
    let sold_out = order(&world, &custodian, &ida.child_id, &[(&last, 1)]).await;
    assert!(matches!(&sold_out, Err(ShopError::SoldOut { dish, .. }) if dish == "Lasagne"), "{sold_out:?}");
    world.assert_books_balance().await;
}

#[tokio::test]
async fn blocked_categories_the_daily_limit_deadlines_and_closed_days_refuse() {
    let world = World::new().await;
    let manager = manager(&world).await;
    let ida = world.child("Ida", Money::kr(500), Some(Money::kr(40))).await;
    let custodian = world.actor(&ida.custodian_id).await;
    let days = open_days(&world);
    let big = dish(&world, &manager, days[0], "Stor frokost", 45, &[], "").await;
    let over = order(&world, &custodian, &ida.child_id, &[(&big, 1)]).await;
    assert!(matches!(over, Err(ShopError::DailyLimit { day }) if day == days[0]), "{over:?}");
    set_in_basket(&world.app, &custodian, &ida.child_id, &big, 0).await.unwrap();

    let mut tx = world.app.store.begin().await.unwrap();
    tx.set_till_controls(&ida.child_id, &["slik".to_owned()], "", world.app.now()).await.unwrap();
    tx.commit().await.unwrap();
    let input = DishInput {
        day: days[1].to_string(),
        name: "Kage".into(),
        category: "slik".into(),
        price: "10".into(),
        ..DishInput::default()
    };
    let cake = menus::add_dish(&world.app, &manager, &world.canteen, &input).await.unwrap();
    let blocked = order(&world, &custodian, &ida.child_id, &[(&cake, 1)]).await;
    assert!(matches!(&blocked, Err(ShopError::CategoryBlocked { dish }) if dish == "Kage"), "{blocked:?}");
    set_in_basket(&world.app, &custodian, &ida.child_id, &cake, 0).await.unwrap();

    // The operator closes the day after the dish was planned: it cannot be ordered.
    let operator = world.actor(&world.operator().await).await;
    let soup = dish(&world, &manager, days[2], "Suppe", 20, &[], "").await;
    menus::fill_calendar(&world.app, &operator, &world.canteen, &format!("{} Skolefest", days[2])).await.unwrap();
    let closed = order(&world, &custodian, &ida.child_id, &[(&soup, 1)]).await;
    assert!(matches!(closed, Err(ShopError::DayClosed { day }) if day == days[2]), "{closed:?}");
    set_in_basket(&world.app, &custodian, &ida.child_id, &soup, 0).await.unwrap();

    // Past the order deadline of the first day.
    let soon = dish(&world, &manager, days[0], "Toast", 15, &[], "").await;
    set_in_basket(&world.app, &custodian, &ida.child_id, &soon, 1).await.unwrap();
    let deadline = ShopTerms::default().order_deadline(&Calendar::default(), days[0]);
    world.app.clock.advance(world.app.now().duration_until(deadline) + jiff::SignedDuration::from_secs(1));
    let key = world.app.store.cart(&ida.child_id, &custodian.person_id).await.unwrap().key.unwrap();
    let late = pay_basket(&world.app, &custodian, &ida.child_id, &key).await;
    assert!(matches!(late, Err(ShopError::PastOrderDeadline { day }) if day == days[0]), "{late:?}");
    assert_eq!(world.balance(&ida).await, Money::kr(500));
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_relative_may_not_order_and_a_manager_may_not_fill_the_calendar() {
    let (world, manager, ida, _custodian) = setup(100).await;
    let day = open_days(&world)[0];
    let pasta = dish(&world, &manager, day, "Pastasalat", 30, &[], "").await;
    let relative = world.actor(&world.relative(&ida, "Mormor").await).await;
    let refused = set_in_basket(&world.app, &relative, &ida.child_id, &pasta, 1).await;
    assert!(matches!(refused, Err(ShopError::Refused(saldo_app::auth::Refusal::Forbidden(_)))), "{refused:?}");
    let calendar = menus::fill_calendar(&world.app, &manager, &world.canteen, "2026-12-24 Jul").await;
    assert!(matches!(calendar, Err(ShopError::Refused(_))), "{calendar:?}");
    world.assert_books_balance().await;
}

/// Terms under which today can be ordered and cancelled until late evening.
async fn same_day_terms(world: &World, manager: &Actor) {
    let terms = TermsInput {
        order_days_before: "0".into(),
        order_until: "23:58".into(),
        cancel_until: "23:59".into(),
        uncollected: "kept".into(),
    };
    menus::set_terms(&world.app, manager, &world.canteen, &terms).await.expect("terms");
}

/// Today is a school day, at 10:00: the clock moves to the next weekday morning.
fn today(world: &World) -> Date {
    world.to_next_weekday_morning()
}

fn key() -> IdempotencyKey {
    format!("k-{:032x}", rand::random::<u128>()).parse().unwrap()
}

#[tokio::test]
async fn two_tills_and_a_cancel_racing_at_the_deadline_move_the_money_once() {
    let (world, manager, ida, custodian) = setup(100).await;
    same_day_terms(&world, &manager).await;
    let today = today(&world);
    let pasta = dish(&world, &manager, today, "Pastasalat", 30, &[], "").await;
    order(&world, &custodian, &ida.child_id, &[(&pasta, 1)]).await.expect("paid");
    let order_id = world.app.store.orders_of_child(&ida.child_id, &today.to_string()).await.unwrap()[0].id.clone();

    let (first_key, second_key) = (key(), key());
    let (one, two, cancel) = tokio::join!(
        hand_out(&world.app, &world.tills[0].row, &first_key, &ida.card_number),
        hand_out(&world.app, &world.tills[1].row, &second_key, &ida.card_number),
        cancel_order(&world.app, &custodian, &ida.child_id, &order_id)
    );

    let handed = [&one, &two].iter().filter(|r| matches!(r, Ok(HandOutOutcome::HandedOut { .. }))).count();
    let cancelled = cancel.is_ok() as usize;
    assert_eq!(handed + cancelled, 1, "exactly one wins: {one:?} {two:?} {cancel:?}");
    let expected_balance = if cancelled == 1 { Money::kr(100) } else { Money::kr(70) };
    assert_eq!(world.balance(&ida).await, expected_balance);
    assert_eq!(sales_account(&world).await, Money::kr(30 * handed as i64));
    assert_eq!(orders_account(&world).await, Money::ZERO);
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_second_scan_says_when_it_was_handed_out_and_the_order_counts_towards_the_day() {
    let world = World::new().await;
    let manager = manager(&world).await;
    let ida = world.child("Ida", Money::kr(100), Some(Money::kr(50))).await;
    let custodian = world.actor(&ida.custodian_id).await;
    same_day_terms(&world, &manager).await;
    let today = today(&world);
    let pasta = dish(&world, &manager, today, "Pastasalat", 30, &[], "").await;
    order(&world, &custodian, &ida.child_id, &[(&pasta, 1)]).await.expect("paid");

    let first = hand_out(&world.app, &world.tills[0].row, &key(), &ida.card_number).await.expect("handed out");
    let HandOutOutcome::HandedOut { orders, total } = first else { panic!("{first:?}") };
    assert_eq!((orders.first_name.as_str(), total), ("Ida", Money::kr(30)));
    assert_eq!(sales_account(&world).await, Money::kr(30));
    let wallet = world.app.store.wallet(&ida.wallet_id).await.unwrap().unwrap();
    assert_eq!(wallet.spent_on(&today.to_string()), Money::kr(30), "the lunch counts on the day it is collected");

    let second = hand_out(&world.app, &world.tills[1].row, &key(), &ida.card_number).await.expect("answered");
    assert!(matches!(second, HandOutOutcome::AlreadyHandedOut { .. }), "{second:?}");
    assert_eq!(sales_account(&world).await, Money::kr(30), "handed out once");
    world.assert_books_balance().await;
}

#[tokio::test]
async fn an_uncollected_order_is_kept_after_its_day_by_default() {
    let (world, manager, ida, custodian) = setup(100).await;
    same_day_terms(&world, &manager).await;
    let today = today(&world);
    let pasta = dish(&world, &manager, today, "Pastasalat", 30, &[], "").await;
    order(&world, &custodian, &ida.child_id, &[(&pasta, 1)]).await.expect("paid");
    world.app.clock.advance(jiff::SignedDuration::from_hours(24));

    let closed = saldo_app::uncollected::close_past_days(&world.app).await.expect("closed");

    assert_eq!(closed, 1);
    assert_eq!(orders_account(&world).await, Money::ZERO);
    assert_eq!(sales_account(&world).await, Money::kr(30), "kept: the food was made");
    assert_eq!(world.balance(&ida).await, Money::kr(70));
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_dish_can_be_one_of_the_sales_points_products() {
    let world = World::new().await;
    let manager = manager(&world).await;
    let day = open_days(&world)[0];
    let sandwich = world.product("Sandwich").id.to_string();
    let input = DishInput { day: day.to_string(), product: sandwich, ..DishInput::default() };
    menus::add_dish(&world.app, &manager, &world.canteen, &input).await.expect("dish");
    let dishes = world.app.store.dishes(&world.canteen, &day.to_string(), &day.to_string()).await.unwrap();
    let sold = (dishes[0].name.as_str(), dishes[0].price, dishes[0].category.as_str());
    assert_eq!(sold, ("Sandwich", Money::kr(saldo_app::testing::SANDWICH), "mad"));
    // Another sales point's product is not this menu's to use.
    let foreign =
        DishInput { day: day.to_string(), product: world.foreign_product.to_string(), ..DishInput::default() };
    assert!(matches!(
        menus::add_dish(&world.app, &manager, &world.canteen, &foreign).await,
        Err(ShopError::UnknownDish)
    ));
}

#[tokio::test]
async fn the_finance_report_shows_orders_paid_cancelled_and_handed_out_as_the_orders_account_moved() {
    let (world, manager, ida, ida_custodian) = setup(100).await;
    same_day_terms(&world, &manager).await;
    let today = today(&world);
    let pasta = dish(&world, &manager, today, "Pastasalat", 30, &[], "").await;
    let soup = dish(&world, &manager, today, "Suppe", 20, &[], "").await;
    let bo = world.child("Bo", Money::kr(100), None).await;
    let bo_custodian = world.actor(&bo.custodian_id).await;
    let alma = world.child("Alma", Money::kr(100), None).await;
    let alma_custodian = world.actor(&alma.custodian_id).await;
    order(&world, &ida_custodian, &ida.child_id, &[(&pasta, 1)]).await.expect("paid");
    order(&world, &bo_custodian, &bo.child_id, &[(&soup, 1)]).await.expect("paid");
    order(&world, &alma_custodian, &alma.child_id, &[(&pasta, 1)]).await.expect("paid");
    let bo_order = world.app.store.orders_of_child(&bo.child_id, &today.to_string()).await.unwrap()[0].id.clone();
    cancel_order(&world.app, &bo_custodian, &bo.child_id, &bo_order).await.expect("cancelled");
    hand_out(&world.app, &world.tills[0].row, &key(), &ida.card_number).await.expect("handed out");

    let report =
        saldo_app::reports::build(&world.app, saldo_core::period::Period::month_of(today)).await.expect("report");

    let line = report.shop.iter().find(|l| l.sales_point_id == world.canteen).expect("the canteen's orders");
    assert_eq!(line.ordered, Money::kr(80), "three dishes paid for");
    assert_eq!(line.cancelled, Money::kr(-20), "Bo's soup went back");
    assert_eq!(line.handed_out, Money::kr(-30), "Ida's pasta became revenue");
    // Tied to the ledger: what the report says is held is what the orders account holds.
    assert_eq!(line.held, orders_account(&world).await);
    assert_eq!(line.held, Money::kr(30), "Alma's pasta, not yet collected");
    assert!(report.unlisted_kinds().iter().all(|k| k.account_kind != "orders"), "a section of its own");
    assert!(report.csv(saldo_app::reports::Section::Shop).contains("80,00"));
    assert!(report.text().contains("Webshop orders"));
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_dish_for_a_day_nobody_can_order_is_refused_and_nothing_is_planned() {
    let world = World::new().await;
    let manager = manager(&world).await;
    let operator = world.actor(&world.operator().await).await;
    let open = open_days(&world);
    let closed = open[1];
    menus::fill_calendar(&world.app, &operator, &world.canteen, &format!("{closed} Skolefest")).await.unwrap();
    let step = |d: Date, n: i64| d.checked_add(jiff::Span::new().days(n)).unwrap();
    let saturday = (0..7).map(|n| step(open[0], n)).find(|d| d.weekday() == jiff::civil::Weekday::Saturday).unwrap();
    let past_weekday = (7..14).map(|n| step(open[0], -n)).find(|d| d.weekday().to_monday_one_offset() <= 5).unwrap();
    let add = |day: Date| {
        let input = DishInput {
            day: day.to_string(),
            name: "Suppe".into(),
            category: "mad".into(),
            price: "20".into(),
            ..DishInput::default()
        };
        let (app, manager, canteen) = (&world.app, &manager, &world.canteen);
        async move { menus::add_dish(app, manager, canteen, &input).await }
    };

    assert!(matches!(add(saturday).await, Err(ShopError::DayClosed { .. })), "a weekend");
    assert!(matches!(add(closed).await, Err(ShopError::DayClosed { .. })), "a closed day");
    assert!(matches!(add(past_weekday).await, Err(ShopError::PastOrderDeadline { .. })), "a day gone by");
    for day in [saturday, closed, past_weekday] {
        let planned = world.app.store.dishes(&world.canteen, &day.to_string(), &day.to_string()).await.unwrap();
        assert!(planned.is_empty(), "{day}: {planned:?}");
    }
    add(open[0]).await.expect("an open day takes dishes");
}
