//! The ledger through the use cases, on the engine the run selects
//! (SQLite by default, PostgreSQL with SALDO_TEST_POSTGRES_URL).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use saldo_app::purchase::{purchase, LineRequest, PurchaseOutcome, PurchaseRequest};
use saldo_app::refund::{refund, RefundError};
use saldo_app::testing::{TestChild, World, FRUIT, SANDWICH};
use saldo_app::IdempotencyKey;
use saldo_core::ids::EntryId;
use saldo_core::purchase::Decline;
use saldo_core::Money;

fn key() -> IdempotencyKey {
    ulid_like().parse().expect("key")
}

fn ulid_like() -> String {
    format!("k-{:032x}", rand::random::<u128>())
}

async fn buy(world: &World, child: &TestChild, product: &str, quantity: i64) -> PurchaseOutcome {
    let request = PurchaseRequest {
        card: child.card_number.clone(),
        lines: vec![LineRequest { product_id: world.product(product).id.clone(), quantity }],
    };
    purchase(&world.app, &world.tills[0].row, &key(), &request).await.expect("purchase").outcome
}

#[tokio::test]
async fn the_daily_limit_resets_at_danish_midnight() {
    let world = World::new().await;
    // 40 kr a day on a 300 kr balance, as parents often set it.
    let ida = world.child("Ida", Money::kr(300), Some(Money::kr(40))).await;
    for _ in 0..4 {
        assert!(matches!(buy(&world, &ida, "Sandwich", 1).await, PurchaseOutcome::Approved { .. }));
    }
    assert_eq!(
        buy(&world, &ida, "Frugt", 1).await,
        PurchaseOutcome::Declined {
            reason: Decline::DailyLimitExceeded,
            balance: Some(Money::kr(260)),
            item: None,
            note: String::new(),
            left_today: Some(Money::ZERO),
        }
    );
    world.app.clock.advance(jiff::SignedDuration::from_hours(24));
    match buy(&world, &ida, "Frugt", 1).await {
        PurchaseOutcome::Approved { spent_today, balance, .. } => {
            assert_eq!(spent_today, Money::kr(FRUIT), "yesterday's spend does not count today");
            assert_eq!(balance, Money::kr(255));
        }
        declined => panic!("a new day, a new limit: {declined:?}"),
    }
    world.assert_books_balance().await;
}

#[tokio::test]
async fn refunds_never_exceed_what_was_bought() {
    let world = World::new().await;
    let ida = world.child("Ida", Money::kr(50), None).await;
    let PurchaseOutcome::Approved { purchase_id, .. } = buy(&world, &ida, "Sandwich", 2).await else {
        panic!("declined")
    };
    assert_eq!(world.balance(&ida).await, Money::kr(30));
    refund(&world.app, &purchase_id, Money::kr(SANDWICH), "test").await.unwrap();
    let too_much = refund(&world.app, &purchase_id, Money::from_ore(SANDWICH * 100 + 1), "test").await;
    assert!(matches!(too_much, Err(RefundError::MoreThanPurchased)));
    refund(&world.app, &purchase_id, Money::kr(SANDWICH), "test").await.unwrap();
    assert_eq!(world.balance(&ida).await, Money::kr(50));
    assert!(matches!(
        refund(&world.app, &EntryId::new("pur_nope"), Money::kr(1), "test").await,
        Err(RefundError::UnknownPurchase(_))
    ));
    world.assert_books_balance().await;
}

/// One step of a random day at the canteen.
#[derive(Clone, Debug)]
enum Op {
    Credit { wallet: usize, ore: i64 },
    Purchase { wallet: usize, sandwiches: i64 },
    Refund { wallet: usize, ore: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 1..20_000i64).prop_map(|(wallet, ore)| Op::Credit { wallet, ore }),
        (0..3usize, 1..4i64).prop_map(|(wallet, sandwiches)| Op::Purchase { wallet, sandwiches }),
        (0..3usize, 1..3_000i64).prop_map(|(wallet, ore)| Op::Refund { wallet, ore }),
    ]
}

/// Random credits, purchases and refunds over three wallets: every approval
/// matches a simple model, every entry balances, every cached balance equals
/// its postings, no balance goes negative.
#[test]
fn random_days_keep_the_books() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let world = runtime.block_on(World::new());
    let cases = if std::env::var("SALDO_TEST_POSTGRES_URL").is_ok() { 16 } else { 32 };
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner
        .run(&proptest::collection::vec(op(), 1..40), |ops| {
            runtime.block_on(async {
                let children = [
                    world.child("A", Money::ZERO, None).await,
                    world.child("B", Money::ZERO, None).await,
                    world.child("C", Money::ZERO, None).await,
                ];
                let mut model = [0i64; 3];
                let mut purchases: [Vec<(EntryId, i64)>; 3] = Default::default();
                for op in ops {
                    match op {
                        Op::Credit { wallet, ore } => {
                            world.carry_over(&children[wallet].wallet_id, Money::from_ore(ore)).await;
                            model[wallet] += ore;
                        }
                        Op::Purchase { wallet, sandwiches } => {
                            let cost = sandwiches * SANDWICH * 100;
                            let outcome = buy(&world, &children[wallet], "Sandwich", sandwiches).await;
                            match outcome {
                                PurchaseOutcome::Approved { purchase_id, balance, .. } => {
                                    prop_assert!(model[wallet] >= cost, "approved beyond the balance");
                                    model[wallet] -= cost;
                                    prop_assert_eq!(balance.ore(), model[wallet]);
                                    purchases[wallet].push((purchase_id, cost));
                                }
                                PurchaseOutcome::Declined { reason, .. } => {
                                    prop_assert_eq!(reason, Decline::InsufficientFunds);
                                    prop_assert!(model[wallet] < cost, "declined within the balance");
                                }
                            }
                        }
                        Op::Refund { wallet, ore } => {
                            let Some((purchase_id, left)) = purchases[wallet].last_mut() else { continue };
                            let result = refund(&world.app, purchase_id, Money::from_ore(ore), "t").await;
                            if ore <= *left {
                                prop_assert!(result.is_ok(), "{result:?}");
                                *left -= ore;
                                model[wallet] += ore;
                            } else {
                                prop_assert!(matches!(result, Err(RefundError::MoreThanPurchased)));
                            }
                        }
                    }
                }
                for (child, expected) in children.iter().zip(model) {
                    prop_assert_eq!(world.balance(child).await.ore(), expected);
                }
                let report = world.app.verify().await.unwrap();
                prop_assert!(report.holds(), "{:?}", report.problems);
                Ok(())
            })
        })
        .unwrap();
}
