//! Group commit (issue 15): sales that arrive together are written in one
//! transaction, each in its own savepoint. One that fails or is declined in
//! the middle changes nothing and leaves the others booked. Runs on the
//! engine the run selects (SQLite by default, PostgreSQL with
//! SALDO_TEST_POSTGRES_URL): the savepoints are the same SQL on both.

use saldo_app::purchase::{LineRequest, PurchaseError, PurchaseOutcome, PurchaseRequest};
use saldo_app::sale_batches::sell_in_one_batch;
use saldo_app::testing::{TestChild, World, SANDWICH};
use saldo_app::IdempotencyKey;
use saldo_core::purchase::Decline;
use saldo_core::Money;

fn key(name: &str) -> IdempotencyKey {
    format!("batch-{name}-{:032x}", rand::random::<u128>()).parse().expect("key")
}

fn sandwich_for(world: &World, card: &str) -> PurchaseRequest {
    PurchaseRequest {
        card: card.to_owned(),
        lines: vec![LineRequest { product_id: world.product("Sandwich").id.clone(), quantity: 1 }],
    }
}

fn approved(answer: &Result<saldo_app::purchase::Answer, PurchaseError>) -> bool {
    matches!(answer, Ok(a) if matches!(a.outcome, PurchaseOutcome::Approved { .. }) && !a.replayed)
}

#[tokio::test]
async fn a_sale_failing_in_the_middle_of_a_batch_leaves_the_others_booked_and_changes_nothing() {
    let world = World::new().await;
    let till = world.tills[0].row.clone();
    let ida = world.child("Ida", Money::kr(100), None).await;
    let bo = world.child("Bo", Money::kr(3), None).await;
    let carl = world.child("Carl", Money::kr(50), None).await;
    let before = world.snapshot().await;
    let ida_key = key("ida");
    let unknown = PurchaseRequest {
        card: carl.card_number.clone(),
        lines: vec![LineRequest { product_id: world.foreign_product.clone(), quantity: 1 }],
    };
    let answers = sell_in_one_batch(
        &world.app,
        vec![
            (till.clone(), ida_key.clone(), sandwich_for(&world, &ida.card_number)),
            // Not sold at this till: an error, nothing stored.
            (till.clone(), key("unknown"), unknown),
            // 3 kr. does not buy a 10 kr. sandwich: declined, the answer stored, no money moves.
            (till.clone(), key("bo"), sandwich_for(&world, &bo.card_number)),
            (till.clone(), key("carl"), sandwich_for(&world, &carl.card_number)),
            // Ida's till sends the same sale again before hearing back: the first answer, once.
            (till.clone(), ida_key.clone(), sandwich_for(&world, &ida.card_number)),
            // The same key for another sale: refused.
            (till.clone(), ida_key, sandwich_for(&world, &carl.card_number)),
            // An unreadable card never reaches the writer.
            (till.clone(), key("nocard"), sandwich_for(&world, "not a card")),
        ],
    )
    .await;
    assert_eq!(answers.len(), 7);
    assert!(approved(&answers[0]), "{:?}", answers[0]);
    assert!(matches!(answers[1], Err(PurchaseError::UnknownProduct(_))), "{:?}", answers[1]);
    match &answers[2] {
        Ok(a) => {
            assert!(matches!(a.outcome, PurchaseOutcome::Declined { reason: Decline::InsufficientFunds, .. }), "{a:?}")
        }
        other => panic!("{other:?}"),
    }
    assert!(approved(&answers[3]), "{:?}", answers[3]);
    match &answers[4] {
        Ok(a) => {
            assert!(a.replayed, "the repeat gets the stored answer");
            assert_eq!(a.outcome, answers[0].as_ref().unwrap().outcome);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(answers[5], Err(PurchaseError::KeyReused)), "{:?}", answers[5]);
    assert!(matches!(answers[6], Err(PurchaseError::UnreadableCard)), "{:?}", answers[6]);

    assert_eq!(world.balance(&ida).await, Money::kr(100 - SANDWICH), "Ida paid once");
    assert_eq!(world.balance(&bo).await, Money::kr(3));
    assert_eq!(world.balance(&carl).await, Money::kr(50 - SANDWICH));
    let after = world.snapshot().await;
    assert_ne!(before, after);
    world.assert_books_balance().await;
}

#[tokio::test]
async fn sales_on_one_card_in_one_batch_never_overspend_it() {
    let world = World::new().await;
    let ida: TestChild = world.child("Ida", Money::kr(25), None).await;
    let sales = (0..5)
        .map(|n| (world.tills[n % world.tills.len()].row.clone(), key("same"), sandwich_for(&world, &ida.card_number)))
        .collect();
    let answers = sell_in_one_batch(&world.app, sales).await;
    assert_eq!(answers.iter().filter(|a| approved(a)).count(), 2, "25 kr. buys two 10 kr. sandwiches");
    assert_eq!(world.balance(&ida).await, Money::kr(5));
    world.assert_books_balance().await;
}
