//! The till API, through HTTP, as tills use it (domain.md, flow 5 "At the till").

mod common;

use saldo_core::ids::ProductId;
use std::sync::Arc;

use common::{new_key, TestApp};
use saldo_app::testing::{FRUIT, SANDWICH};
use saldo_core::{CardState, Money};
use serde_json::{json, Value};
use tokio::task::JoinSet;

/// Fires `n` purchases of one product at once, alternating between the two tills.
async fn rush(t: &Arc<TestApp>, card: &str, product: &str, n: usize) -> Vec<(u16, Value)> {
    let mut set = JoinSet::new();
    for i in 0..n {
        let t = Arc::clone(t);
        let body = t.basket(card, product, 1);
        set.spawn(async move {
            let answer = t.buy(i % 2, &new_key(), &body).await;
            (answer.status, answer.body)
        });
    }
    set.join_all().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_purchases_at_once_on_a_card_that_covers_ten() {
    let t = Arc::new(TestApp::start().await);
    let ida = t.world.child("Ida", Money::kr(10 * SANDWICH), None).await;
    let answers = rush(&t, &ida.card_number, "Sandwich", 50).await;
    let approved = answers.iter().filter(|(status, _)| *status == 201).count();
    let declined: Vec<_> = answers.iter().filter(|(status, _)| *status == 402).collect();
    assert_eq!(approved, 10);
    assert_eq!(declined.len(), 40);
    assert!(declined.iter().all(|(_, body)| body["reason"] == "insufficient_funds" && body["balance_ore"] == 0));
    assert_eq!(t.balance_ore(&ida).await, 0);
    t.world.assert_books_balance().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_purchases_at_once_against_a_daily_limit_that_covers_ten() {
    let t = Arc::new(TestApp::start().await);
    let noah = t.world.child("Noah", Money::kr(500), Some(Money::kr(10 * FRUIT))).await;
    let answers = rush(&t, &noah.chip_uid, "Frugt", 50).await;
    let approved = answers.iter().filter(|(status, _)| *status == 201).count();
    let declined = answers.iter().filter(|(status, body)| *status == 402 && body["reason"] == "daily_limit_exceeded");
    assert_eq!(approved, 10);
    assert_eq!(declined.count(), 40);
    assert_eq!(t.balance_ore(&noah).await, (500 - 10 * FRUIT) * 100);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn an_approved_purchase_answers_with_name_total_and_balance() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(300), Some(Money::kr(40))).await;
    let body = json!({"card": ida.card_number, "lines": [
        {"product_id": t.world.product("Sandwich").id, "quantity": 2},
        {"product_id": t.world.product("Frugt").id, "quantity": 1}
    ]});
    let answer = t.buy(0, &new_key(), &body).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["approved"], true);
    assert_eq!(answer.body["total_ore"], 2500);
    assert_eq!(answer.body["balance_ore"], 27500);
    assert_eq!(answer.body["spent_today_ore"], 2500);
    assert_eq!(answer.body["child"]["first_name"], "Ida");
    assert!(answer.body["purchase_id"].as_str().is_some_and(|id| !id.is_empty()));
    t.world.assert_books_balance().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_key_again_returns_the_first_answer_and_moves_money_once() {
    let t = Arc::new(TestApp::start().await);
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let body = t.basket(&ida.card_number, "Sandwich", 1);
    let key = new_key();
    let first = t.buy(0, &key, &body).await;
    assert_eq!(first.status, 201);
    // A double-tapped button: the same key, sequentially and all at once.
    let again = t.buy(0, &key, &body).await;
    assert_eq!((again.status, &again.body), (201, &first.body));
    let mut set = JoinSet::new();
    for _ in 0..10 {
        let (t, key, body) = (Arc::clone(&t), key.clone(), body.clone());
        set.spawn(async move { t.buy(0, &key, &body).await });
    }
    for answer in set.join_all().await {
        assert_eq!((answer.status, &answer.body), (201, &first.body));
    }
    assert_eq!(t.balance_ore(&ida).await, 9000);
    // The same key with another basket is a mistake, not a purchase.
    let other = t.buy(0, &key, &t.basket(&ida.card_number, "Frugt", 1)).await;
    assert_eq!(other.status, 409);
    assert_eq!(other.body["error"], "idempotency_key_reused");
    assert_eq!(t.balance_ore(&ida).await, 9000);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_concurrent_first_use_of_one_key_charges_once() {
    let t = Arc::new(TestApp::start().await);
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let body = t.basket(&ida.card_number, "Sandwich", 1);
    let key = new_key();
    let mut set = JoinSet::new();
    for _ in 0..8 {
        let (t, key, body) = (Arc::clone(&t), key.clone(), body.clone());
        set.spawn(async move { t.buy(0, &key, &body).await });
    }
    let answers = set.join_all().await;
    assert!(answers.iter().all(|a| a.status == 201 && a.body == answers[0].body));
    assert_eq!(t.balance_ore(&ida).await, 9000);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn keys_belong_to_their_till() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let body = t.basket(&ida.card_number, "Sandwich", 1);
    let key = new_key();
    assert_eq!(t.buy(0, &key, &body).await.status, 201);
    assert_eq!(t.buy(1, &key, &body).await.status, 201, "another till's key is another purchase");
    assert_eq!(t.balance_ore(&ida).await, 8000);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn every_decline_says_why_and_leaves_the_books_unchanged() {
    let t = TestApp::start().await;
    let poor = t.world.child("Asta", Money::kr(3), None).await;
    let limited = t.world.child("Carl", Money::kr(100), Some(Money::kr(4))).await;
    let blocked = t.world.child("Alma", Money::kr(100), None).await;
    t.world.set_card_state(&blocked, CardState::Active, CardState::Blocked).await;
    let closed = t.world.child("Viggo", Money::kr(100), None).await;
    t.world.close_wallet(&closed).await;
    let blank = t.world.blank_card().await;
    let unknown = saldo_app::testing::random_card_number();

    let cases = [
        (poor.card_number.as_str(), "insufficient_funds", "Der er ikke penge nok på kortet.", json!(300)),
        (limited.card_number.as_str(), "daily_limit_exceeded", "Dagens grænse for køb er nået.", json!(10000)),
        (blocked.card_number.as_str(), "card_blocked", "Kortet er spærret.", json!(10000)),
        (closed.card_number.as_str(), "wallet_closed", "Kontoen er lukket.", json!(10000)),
        (blank.as_str(), "card_not_active", "Kortet er ikke aktiveret endnu.", Value::Null),
        (unknown.as_str(), "unknown_card", "Kortet kendes ikke. Prøv at scanne igen.", Value::Null),
    ];
    for (card, reason, message, balance) in cases {
        let before = t.world.snapshot().await;
        let answer = t.buy(0, &new_key(), &t.basket(card, "Frugt", 1)).await;
        assert_eq!(answer.status, 402, "{reason}: {}", answer.body);
        assert_eq!(answer.body["approved"], false);
        assert_eq!(answer.body["reason"], reason);
        assert_eq!(answer.body["message"], message);
        assert_eq!(answer.body["balance_ore"], balance, "{reason}");
        // The daily limit's decline says what is left today (4 kr., nothing spent yet).
        let left = if reason == "daily_limit_exceeded" { json!(400) } else { Value::Null };
        assert_eq!(answer.body["left_today_ore"], left, "{reason}: {}", answer.body);
        let after = t.world.snapshot().await;
        // Only the remembered answer is new; no entry, posting, purchase or balance moved.
        for ((table, was), (_, is)) in before.iter().zip(&after) {
            let expected = if table == "idempotency_keys" { was + 1 } else { *was };
            assert_eq!(*is, expected, "{reason} changed {table}");
        }
    }
    t.world.assert_books_balance().await;
}

/// A request that must be refused, and how.
struct Bad<'a> {
    token: Option<&'a str>,
    key: Option<String>,
    body: String,
    status: u16,
    error: &'a str,
}

fn bad<'a>(token: Option<&'a str>, key: Option<String>, body: String, status: u16, error: &'a str) -> Bad<'a> {
    Bad { token, key, body, status, error }
}

#[tokio::test]
async fn malformed_requests_get_a_clear_error_and_change_nothing() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let token = t.till_token(0).to_owned();
    let sandwich = t.world.product("Sandwich").id.clone();
    let good = t.basket(&ida.card_number, "Sandwich", 1).to_string();
    let mut wrong_digit = ida.card_number.clone();
    let last = wrong_digit.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
    wrong_digit.push(char::from_digit((last + 1) % 10, 10).unwrap_or('0'));
    let line = |product: &ProductId, quantity: Value| json!({"card": ida.card_number, "lines": [{"product_id": product, "quantity": quantity}]});

    let before = t.world.snapshot().await;
    let cases = [
        bad(None, Some(new_key()), good.clone(), 401, "unauthorized"),
        bad(Some("not-a-real-till-token-at-all"), Some(new_key()), good.clone(), 401, "unauthorized"),
        bad(Some(&token), None, good.clone(), 400, "missing_idempotency_key"),
        bad(Some(&token), Some("with space".into()), good.clone(), 400, "invalid_idempotency_key"),
        bad(Some(&token), Some(new_key()), "{not json".into(), 400, "malformed_json"),
        bad(Some(&token), Some(new_key()), "".into(), 400, "malformed_json"),
        bad(Some(&token), Some(new_key()), json!({"lines": []}).to_string(), 422, "invalid_request"),
        bad(Some(&token), Some(new_key()), json!({"card": 42, "lines": []}).to_string(), 422, "invalid_request"),
        bad(
            Some(&token),
            Some(new_key()),
            json!({"card": ida.card_number, "lines": [], "price_ore": 1}).to_string(),
            422,
            "invalid_request",
        ),
        bad(Some(&token), Some(new_key()), line(&sandwich, json!("2")).to_string(), 422, "invalid_request"),
        bad(Some(&token), Some(new_key()), json!({"card": ida.card_number, "lines": []}).to_string(), 422, "no_lines"),
        bad(Some(&token), Some(new_key()), line(&sandwich, json!(0)).to_string(), 422, "invalid_quantity"),
        bad(Some(&token), Some(new_key()), line(&sandwich, json!(100)).to_string(), 422, "invalid_quantity"),
        bad(Some(&token), Some(new_key()), line(&sandwich, json!(-1)).to_string(), 422, "invalid_quantity"),
        bad(Some(&token), Some(new_key()), line(&"prod_nope".into(), json!(1)).to_string(), 422, "unknown_product"),
        bad(
            Some(&token),
            Some(new_key()),
            line(&t.world.foreign_product, json!(1)).to_string(),
            422,
            "unknown_product",
        ),
        bad(
            Some(&token),
            Some(new_key()),
            json!({"card": wrong_digit, "lines": [{"product_id": sandwich, "quantity": 1}]}).to_string(),
            422,
            "invalid_card",
        ),
        bad(
            Some(&token),
            Some(new_key()),
            json!({"card": "", "lines": [{"product_id": sandwich, "quantity": 1}]}).to_string(),
            422,
            "invalid_card",
        ),
    ];
    for Bad { token, key, body, status, error } in cases {
        let answer = t.post_raw(token, key.as_deref(), &body).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert_eq!(answer.body["error"], error, "{body}");
        assert!(answer.body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    }
    assert_eq!(t.world.snapshot().await, before, "an error changed something");
    assert_eq!(t.balance_ore(&ida).await, 10000);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_till_sees_its_own_menu_with_a_valid_token_only() {
    let t = TestApp::start().await;
    let (status, body) = t.get("/api/v1/till/products", Some(t.till_token(0))).await;
    assert_eq!(status, 200);
    let products: Value = serde_json::from_str(&body).unwrap();
    let names: Vec<&str> = products.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Frugt", "Sandwich"], "this canteen's products only, not the kiosk's");
    assert_eq!(products[1]["price_ore"], SANDWICH * 100);
    assert_eq!(products[1]["category"], "mad");
    assert!(products[1]["id"].is_string());
    assert_eq!(t.get("/api/v1/till/products", None).await.0, 401);
    assert_eq!(t.get("/api/v1/till/products", Some("x".repeat(64).as_str())).await.0, 401);
}

#[tokio::test]
async fn the_contract_is_published_as_openapi() {
    let t = TestApp::start().await;
    let (status, body) = t.get("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    let spec: Value = serde_json::from_str(&body).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec["paths"]["/api/v1/till/purchases"]["post"]["responses"]["402"].is_object());
    assert!(spec["paths"]["/api/v1/till/products"]["get"].is_object());
    assert!(spec["components"]["schemas"]["Declined"].is_object());
}

#[tokio::test]
async fn health_readiness_metrics_and_the_landing_page() {
    let t = TestApp::start().await;
    assert_eq!(t.get("/healthz", None).await, (200, "ok".into()));
    assert_eq!(t.get("/readyz", None).await, (200, "ready".into()));
    let ida = t.world.child("Ida", Money::kr(5), None).await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    let (status, metrics) = t.get("/metrics", None).await;
    assert_eq!(status, 200);
    assert!(metrics.contains("saldo_purchases_total{result=\"approved\"}"), "{metrics}");
    assert!(metrics.contains("saldo_purchases_total{result=\"declined\",reason=\"insufficient_funds\"}"), "{metrics}");
    assert!(metrics.contains("saldo_http_request_duration_seconds_bucket"), "{metrics}");
    assert!(
        metrics.contains("saldo_jobs_pending") && metrics.contains("saldo_jobs_oldest_pending_seconds"),
        "{metrics}"
    );
    let (status, page) = t.get("/", None).await;
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"da\">") && page.contains("71 99 54 45"));
    assert_eq!(t.get("/static/style.css", None).await.0, 200);
}
