//! Support's records beside the sale (issue 19.1): a decline at the till is
//! noted for support after the answer, an approved sale leaves no such note,
//! a replay notes nothing twice, and the notes go with the child's name when
//! the retention period erases it. Runs on the engine the run selects.

use saldo_app::purchase::{self, LineRequest, PurchaseOutcome, PurchaseRequest};
use saldo_app::testing::World;
use saldo_app::IdempotencyKey;
use saldo_core::Money;

fn key() -> IdempotencyKey {
    format!("support-{:032x}", rand::random::<u128>()).parse().expect("key")
}

fn sandwiches(world: &World, card: &str, quantity: i64) -> PurchaseRequest {
    PurchaseRequest {
        card: card.to_owned(),
        lines: vec![LineRequest { product_id: world.product("Sandwich").id.clone(), quantity }],
    }
}

#[tokio::test]
async fn a_decline_is_noted_for_support_and_an_approved_sale_is_not() {
    let world = World::new().await;
    let till = world.tills[0].row.clone();
    let ida = world.child("Ida", Money::kr(100), Some(Money::kr(20))).await;
    let first = purchase::purchase(&world.app, &till, &key(), &sandwiches(&world, &ida.card_number, 1)).await.unwrap();
    assert!(matches!(first.outcome, PurchaseOutcome::Approved { .. }));
    assert!(world.app.store.declines_of_child(&ida.child_id, 10).await.unwrap().is_empty());

    let over = key();
    let request = sandwiches(&world, &ida.card_number, 2);
    let refused = purchase::purchase(&world.app, &till, &over, &request).await.unwrap();
    assert!(matches!(refused.outcome, PurchaseOutcome::Declined { .. }));
    // The till sends it again: the same answer, and no second note.
    let again = purchase::purchase(&world.app, &till, &over, &request).await.unwrap();
    assert!(again.replayed);
    let declines = world.app.store.declines_of_child(&ida.child_id, 10).await.unwrap();
    assert_eq!(declines.len(), 1);
    let decline = &declines[0];
    assert_eq!(decline.reason, "daily_limit_exceeded");
    assert_eq!(
        (decline.total, decline.left_today, decline.balance),
        (Money::kr(20), Some(Money::kr(10)), Some(Money::kr(90)))
    );
    assert_eq!(decline.sales_point, "Kantinen");
    world.assert_books_balance().await;
}

#[tokio::test]
async fn a_card_nobody_holds_is_declined_without_a_note() {
    let world = World::new().await;
    let till = world.tills[0].row.clone();
    let card = saldo_app::testing::random_card_number();
    let answer = purchase::purchase(&world.app, &till, &key(), &sandwiches(&world, &card, 1)).await.unwrap();
    assert!(matches!(answer.outcome, PurchaseOutcome::Declined { .. }));
    world.assert_books_balance().await;
}

#[tokio::test]
async fn support_notes_go_with_the_name_when_the_retention_period_ends() {
    let world = World::new().await;
    let till = world.tills[0].row.clone();
    let bo = world.child("Bo", Money::kr(3), None).await;
    purchase::purchase(&world.app, &till, &key(), &sandwiches(&world, &bo.card_number, 1)).await.unwrap();
    assert_eq!(world.app.store.declines_of_child(&bo.child_id, 10).await.unwrap().len(), 1);
    let support = world.support().await;
    let mut tx = world.app.store.begin().await.unwrap();
    tx.record_support_access(&support, &bo.child_id, "look_up", "parent_phone", "", world.app.now()).await.unwrap();
    tx.commit().await.unwrap();
    world.close_wallet(&bo).await;
    let later = world.app.clone().configure(saldo_app::Settings {
        accounts: saldo_app::settings::AccountSettings { retention_days: 0 },
        ..saldo_app::Settings::default()
    });
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(saldo_app::accounts::erase_expired(&later).await.unwrap(), 1);
    assert!(world.app.store.declines_of_child(&bo.child_id, 10).await.unwrap().is_empty());
    assert!(world.app.store.support_access_of(&bo.child_id, 10).await.unwrap().is_empty());
}

/// The demo's three support cases (issue 19's acceptance), as a newcomer finds them.
#[tokio::test]
async fn the_demo_has_a_limit_decline_a_pending_deposit_and_a_blocked_card() {
    use saldo_core::lifecycle::DepositStatus;
    use saldo_core::CardState;
    use saldo_store::ChildSearch;
    let db = saldo_store::test_db::TestDb::new().await;
    let app = saldo_app::App::open(&db.url).await.unwrap();
    assert!(saldo_app::demo::seed_if_empty(&app).await.unwrap());
    let child = |name: &'static str| {
        let app = app.clone();
        async move {
            let found = app.store.find_children(&ChildSearch::Name { name, institution: None }).await.unwrap();
            assert_eq!(found.len(), 1, "{name}");
            found[0].id.clone()
        }
    };
    let ida = child("Ida Nielsen").await;
    let declines = app.store.declines_of_child(&ida, 10).await.unwrap();
    assert_eq!(declines[0].reason, "daily_limit_exceeded");
    let looked = app.store.support_access_of(&ida, 10).await.unwrap();
    assert_eq!(looked[0].person_name, "Kasper Lund");
    let noah = child("Noah Jensen").await;
    let deposits = app.store.deposits_of_child(&noah, 10).await.unwrap();
    assert_eq!(deposits[0].status, DepositStatus::Pending);
    assert!(!app
        .store
        .payment_events("sandbox", deposits[0].provider_ref.as_deref().unwrap())
        .await
        .unwrap()
        .is_empty());
    let william = child("William Hansen").await;
    let cards = app.store.cards_of_child(&william).await.unwrap();
    assert!(cards.iter().all(|c| c.state != CardState::Active) && cards.iter().any(|c| c.state == CardState::Blocked));
    let history = app.store.audit_history(&william, "card.", 10).await.unwrap();
    assert_eq!(history[0].action, "card.block");
    assert!(app.verify().await.unwrap().holds());
}
