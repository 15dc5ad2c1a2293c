//! Standing orders on the engine the run selects: each day charged once when
//! its order deadline passes, a closed day skipped, a day the money does not
//! cover skipped with one mail to the custodian. `saldo verify` holds after each.

use jiff::civil::Date;
use saldo_app::menus::{self, DishInput};
use saldo_app::shop::ShopError;
use saldo_app::standing_orders::{charge_due, create, StandingInput};
use saldo_app::testing::World;
use saldo_core::ledger::AccountId;
use saldo_core::shop::{Calendar, ShopTerms};
use saldo_core::Money;

fn iso(day: Date) -> String {
    (day.weekday().to_monday_one_offset()).to_string()
}

async fn hot_dish(world: &World, day: Date, kr: i64) {
    let manager = world.actor(&world.till_staff(&world.canteen, true, "2468").await).await;
    let input = DishInput {
        day: day.to_string(),
        name: "Lasagne".into(),
        category: "varm ret".into(),
        price: kr.to_string(),
        ..DishInput::default()
    };
    menus::add_dish(&world.app, &manager, &world.canteen, &input).await.expect("dish");
}

/// Moves the clock past the order deadline of `day` (default terms).
fn past_deadline(world: &World, day: Date) {
    let deadline = ShopTerms::default().order_deadline(&Calendar::default(), day);
    let wait = world.app.now().duration_until(deadline);
    if wait.is_positive() {
        world.app.clock.advance(wait + jiff::SignedDuration::from_secs(1));
    }
}

async fn orders_account(world: &World) -> Money {
    world.app.store.account_balance(&AccountId::Orders(world.canteen.clone())).await.unwrap()
}

#[tokio::test]
async fn a_standing_order_is_charged_once_when_the_deadline_passes_and_skips_a_closed_day() {
    let world = World::new().await;
    let days = ShopTerms::default().days_open_for_orders(&Calendar::default(), world.app.now());
    let (first, second) = (days[0], days[1]);
    hot_dish(&world, first, 35).await;
    hot_dish(&world, second, 35).await;
    let ida = world.child("Ida", Money::kr(100), None).await;
    let custodian = world.actor(&ida.custodian_id).await;
    let input = StandingInput {
        sales_point: world.canteen.to_string(),
        category: "Varm ret".into(),
        weekdays: vec![iso(first), iso(second)],
        from: first.to_string(),
        to: second.to_string(),
    };
    let id = create(&world.app, &custodian, &ida.child_id, &input).await.expect("standing order");
    let operator = world.actor(&world.operator().await).await;
    menus::fill_calendar(&world.app, &operator, &world.canteen, &format!("{second} Skolefest")).await.unwrap();

    assert_eq!(charge_due(&world.app).await.unwrap(), 1, "the closed day is skipped at once");
    assert_eq!(world.balance(&ida).await, Money::kr(100), "nothing before the deadline");
    past_deadline(&world, first);
    assert_eq!(charge_due(&world.app).await.unwrap(), 1);
    assert_eq!(charge_due(&world.app).await.unwrap(), 0, "a day is charged once");

    assert_eq!(world.balance(&ida).await, Money::kr(65));
    assert_eq!(orders_account(&world).await, Money::kr(35));
    let looked = world.app.store.standing_days(&id).await.unwrap();
    assert_eq!(looked, vec![(first.to_string(), "ordered".to_owned()), (second.to_string(), "closed".to_owned())]);
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_day_the_money_does_not_cover_is_skipped_and_the_custodian_mailed_once() {
    let world = World::new().await;
    let days = ShopTerms::default().days_open_for_orders(&Calendar::default(), world.app.now());
    let (first, second) = (days[0], days[1]);
    hot_dish(&world, first, 35).await;
    hot_dish(&world, second, 35).await;
    let ida = world.child("Ida", Money::kr(10), None).await;
    let custodian = world.actor(&ida.custodian_id).await;
    let input = StandingInput {
        sales_point: world.canteen.to_string(),
        category: "varm ret".into(),
        weekdays: vec![iso(first), iso(second)],
        from: first.to_string(),
        to: second.to_string(),
    };
    let id = create(&world.app, &custodian, &ida.child_id, &input).await.expect("standing order");
    let before = world.snapshot().await;

    past_deadline(&world, second);
    assert_eq!(charge_due(&world.app).await.unwrap(), 2);

    let outcomes: Vec<String> = world.app.store.standing_days(&id).await.unwrap().into_iter().map(|(_, o)| o).collect();
    assert_eq!(outcomes, vec!["no_money", "no_money"]);
    let money = |s: &[(String, i64)]| {
        s.iter().filter(|(k, _)| k.ends_with("_ore") || k == "postings").cloned().collect::<Vec<_>>()
    };
    assert_eq!(money(&world.snapshot().await), money(&before), "no money moved");
    let mails = world.app.store.recent_jobs("mail", 20).await.unwrap();
    let skipped = mails.iter().filter(|(job, ..)| job.payload.contains("Fast bestilling")).count();
    assert_eq!(skipped, 1, "mailed once");
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_relative_cannot_set_up_a_standing_order() {
    let world = World::new().await;
    let ida = world.child("Ida", Money::kr(10), None).await;
    let relative = world.actor(&world.relative(&ida, "Mormor").await).await;
    let day = ShopTerms::default().days_open_for_orders(&Calendar::default(), world.app.now())[0];
    let input = StandingInput {
        sales_point: world.canteen.to_string(),
        category: "varm ret".into(),
        weekdays: vec![iso(day)],
        from: day.to_string(),
        to: day.to_string(),
    };
    assert!(create(&world.app, &relative, &ida.child_id, &input).await.is_err());
}

#[tokio::test]
async fn a_standing_order_that_could_never_order_anything_is_refused_with_the_reason() {
    let world = World::new().await;
    let days = ShopTerms::default().days_open_for_orders(&Calendar::default(), world.app.now());
    hot_dish(&world, days[0], 35).await;
    let ida = world.child("Ida", Money::kr(100), None).await;
    let custodian = world.actor(&ida.custodian_id).await;
    let step = |d: Date, n: i64| d.checked_add(jiff::Span::new().days(n)).unwrap();
    let good = StandingInput {
        sales_point: world.canteen.to_string(),
        category: "Varm ret".into(),
        weekdays: vec![iso(days[0])],
        from: days[0].to_string(),
        to: step(days[0], 28).to_string(),
    };
    let refused = |input: StandingInput| {
        let (app, custodian, child) = (&world.app, &custodian, &ida.child_id);
        async move { create(app, custodian, child, &input).await.unwrap_err() }
    };

    let none = refused(StandingInput { weekdays: vec![], ..good.clone() }).await;
    assert!(matches!(none, ShopError::NoWeekdays), "{none:?}");
    let backwards =
        refused(StandingInput { from: step(days[0], 28).to_string(), to: days[0].to_string(), ..good.clone() });
    assert!(matches!(backwards.await, ShopError::BadTerm));
    let over = refused(StandingInput { from: "2020-01-01".into(), to: "2020-02-01".into(), ..good.clone() }).await;
    assert!(matches!(over, ShopError::BadTerm), "{over:?}");
    let unknown = refused(StandingInput { category: "xyz".into(), ..good.clone() }).await;
    assert!(matches!(unknown, ShopError::UnknownCategory(c) if c == "xyz"));
    assert!(world.app.store.standing_orders_of(&ida.child_id).await.unwrap().is_empty(), "none saved");
    create(&world.app, &custodian, &ida.child_id, &good).await.expect("the right one is saved");
}
