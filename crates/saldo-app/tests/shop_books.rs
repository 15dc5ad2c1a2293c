//! The webshop's books and the kitchen's list, on the engine the run selects:
//! `saldo verify` notices money left on an orders account, an uncollected
//! order refunded after its day when the policy says so, and the kitchen's
//! list frozen at the order deadline.

use saldo_app::kitchen::kitchen;
use saldo_app::menus::{self, TermsInput};
use saldo_app::shop_orders::{cancel_order, pay_basket, set_in_basket};
use saldo_app::testing::World;
use saldo_app::uncollected::close_past_days;
use saldo_app::VerifyProblem;
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::shop::{Calendar, ShopOrderState, ShopTerms};
use saldo_core::Money;
use saldo_store::EntryMeta;

#[tokio::test]
async fn verify_notices_money_on_an_orders_account_that_no_order_holds() {
    let world = World::new().await;
    let ida = world.child("Ida", Money::kr(100), None).await;
    let mut tx = world.app.store.begin().await.unwrap();
    tx.ensure_account(&AccountId::Orders(world.canteen.clone())).await.unwrap();
    // Money paid to the orders account with no order written beside it: a bug the books must show.
    let entry = Entry::shop_order(&ida.wallet_id, &[(world.canteen.clone(), Money::kr(30))]).unwrap();
    let meta = EntryMeta { actor: "test", memo: "", at: world.app.now(), reverses: None, spend_day: None };
    tx.post(&entry, &meta).await.unwrap();
    tx.commit().await.unwrap();

    let report = world.app.verify().await.unwrap();

    assert_eq!(
        report.problems,
        vec![VerifyProblem::OrdersAccountDiffers {
            account_id: format!("orders:{}", world.canteen),
            balance_ore: 3_000,
            open_orders_ore: 0,
        }]
    );
}

async fn refund_policy(world: &World) {
    let manager = world.actor(&world.till_staff(&world.canteen, true, "2468").await).await;
    let terms = TermsInput {
        order_days_before: "1".into(),
        order_until: "14:00".into(),
        cancel_until: "08:00".into(),
        uncollected: "refunded".into(),
    };
    menus::set_terms(&world.app, &manager, &world.canteen, &terms).await.expect("terms");
}

async fn order(world: &World, ida: &saldo_app::testing::TestChild, dish: &str) -> String {
    let custodian = world.actor(&ida.custodian_id).await;
    set_in_basket(&world.app, &custodian, &ida.child_id, dish, 1).await.expect("basket");
    let key = world.app.store.cart(&ida.child_id, &custodian.person_id).await.unwrap().key.unwrap();
    pay_basket(&world.app, &custodian, &ida.child_id, &key).await.expect("paid")
}

#[tokio::test]
async fn an_uncollected_order_is_refunded_after_its_day_when_the_policy_says_so() {
    let world = World::new().await;
    refund_policy(&world).await;
    let day = ShopTerms::default().days_open_for_orders(&Calendar::default(), world.app.now())[0];
    let dish = world.dish(&day.to_string(), "Pastasalat", Money::kr(30)).await;
    let ida = world.child("Ida", Money::kr(100), None).await;
    order(&world, &ida, &dish).await;
    assert_eq!(world.balance(&ida).await, Money::kr(70));

    world.app.clock.advance(jiff::SignedDuration::from_hours(24 * 5));
    assert_eq!(close_past_days(&world.app).await.unwrap(), 1);
    assert_eq!(close_past_days(&world.app).await.unwrap(), 0, "closed once");

    assert_eq!(world.balance(&ida).await, Money::kr(100), "the money came back");
    let orders = world.app.store.orders_of_child(&ida.child_id, "2000-01-01").await.unwrap();
    assert_eq!(orders[0].state, ShopOrderState::NotCollected);
    let sales = world.app.store.account_balance(&AccountId::Sales(world.canteen.clone())).await.unwrap();
    assert_eq!(sales, Money::ZERO);
    world.assert_books_balance().await;
}

#[tokio::test]
async fn the_kitchen_list_is_live_until_the_order_deadline_and_frozen_after() {
    let world = World::new().await;
    let day = ShopTerms::default().days_open_for_orders(&Calendar::default(), world.app.now())[0];
    let dish = world.dish(&day.to_string(), "Pastasalat", Money::kr(30)).await;
    let ida = world.child("Ida", Money::kr(100), None).await;
    let bo = world.child("Bo", Money::kr(100), None).await;
    order(&world, &ida, &dish).await;
    order(&world, &bo, &dish).await;
    let cook = world.actor(&world.till_staff(&world.canteen, false, "1111").await).await;
    let operator = world.actor(&world.operator().await).await;

    let live = kitchen(&world.app, &cook, &world.canteen, day).await.expect("kitchen");
    assert!(!live.frozen);
    assert_eq!(live.counts, vec![("Pastasalat".to_owned(), 2)]);
    // Cancelled before the deadline: gone from the list.
    let bo_order = &world.app.store.orders_of_child(&bo.child_id, &day.to_string()).await.unwrap()[0].id;
    cancel_order(&world.app, &world.actor(&bo.custodian_id).await, &bo.child_id, bo_order).await.unwrap();
    assert_eq!(kitchen(&world.app, &cook, &world.canteen, day).await.unwrap().counts, vec![("Pastasalat".into(), 1)]);

    // After the deadline (cancelling is still open until 08:00 on the day) the list stands.
    let deadline = ShopTerms::default().order_deadline(&Calendar::default(), day);
    world.app.clock.advance(world.app.now().duration_until(deadline) + jiff::SignedDuration::from_secs(60));
    let ida_order = &world.app.store.orders_of_child(&ida.child_id, &day.to_string()).await.unwrap()[0].id;
    cancel_order(&world.app, &world.actor(&ida.custodian_id).await, &ida.child_id, ida_order).await.unwrap();
    let frozen = kitchen(&world.app, &operator, &world.canteen, day).await.expect("kitchen");
    assert!(frozen.frozen);
    assert_eq!(frozen.counts, vec![("Pastasalat".to_owned(), 1)], "made before the cancel came");
    assert_eq!(frozen.children.len(), 1);
    assert_eq!(frozen.children[0].dishes[0].state, ShopOrderState::Cancelled, "marked, so it is not handed out");

    // Staff of another sales point see nothing of it.
    let (kiosk, _, _) = world.other_sales_point("slik").await;
    let stranger = world.actor(&world.till_staff(&kiosk, true, "2222").await).await;
    assert!(kitchen(&world.app, &stranger, &world.canteen, day).await.is_err());
    world.assert_books_balance().await;
}
