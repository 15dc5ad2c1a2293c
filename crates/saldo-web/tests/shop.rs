//! The webshop through HTTP: the manager plans dishes, a custodian orders
//! two days and cancels one, refusals say why on the page, the receipt is
//! mailed, the kitchen sees counts and a pick list (and a CSV that keeps
//! formulas as text), and the till hands the order out. Books balance after each.

mod common;

use common::{new_key, quoted_printable, Browser, TestApp};
use saldo_core::ids::ChildId;
use saldo_core::ledger::AccountId;
use saldo_core::shop::{Calendar, ShopTerms};
use saldo_core::Money;
use serde_json::{json, Value};

fn open_days(t: &TestApp) -> Vec<String> {
    ShopTerms::default().days_open_for_orders(&Calendar::default(), t.app.now()).iter().map(|d| d.to_string()).collect()
}

fn menu_path(t: &TestApp) -> String {
    format!("/sales-points/{}/menu", t.world.canteen)
}

async fn manager(t: &TestApp) -> Browser {
    let person = t.world.till_staff(&t.world.canteen, true, "1357").await;
    t.signed_in(&person).await
}

/// The manager adds a dish through the menu page; returns its id from the store.
async fn add_dish(t: &TestApp, browser: &Browser, day: &str, name: &str, price: &str, allergens: &[&str]) -> String {
    let mut fields = vec![("day", day), ("name", name), ("category", "mad"), ("price", price)];
    for a in allergens {
        fields.push(("allergen", a));
    }
    let added = browser.post(&format!("{}/dishes", menu_path(t)), &fields).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let dishes = t.app.store.dishes(&t.world.canteen, day, day).await.expect("dishes");
    dishes.iter().find(|d| d.name == name).expect("the dish is on the day").id.clone()
}

fn shop_path(child: &ChildId) -> String {
    format!("/portal/children/{child}/shop")
}

async fn put_in_basket(browser: &Browser, child: &ChildId, dish: &str, quantity: &str) {
    let put = browser.post(&format!("{}/basket", shop_path(child)), &[("dish", dish), ("quantity", quantity)]).await;
    assert_eq!(put.status, 303, "{}", put.body);
}

/// Pays the basket as the page's form would: its basket key and its one-time key.
async fn pay(browser: &Browser, child: &ChildId) -> common::Page {
    let page = browser.get(&shop_path(child)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let key = common::field(&page.body, "key");
    let once = common::field(&page.body, "once");
    browser.post(&format!("{}/pay", shop_path(child)), &[("key", &key), ("once", &once)]).await
}

#[tokio::test]
async fn a_parent_orders_two_days_pays_once_gets_a_receipt_and_cancels_one() {
    let t = TestApp::start().await;
    let days = open_days(&t);
    let kitchen = manager(&t).await;
    let plan = kitchen.get(&menu_path(&t)).await;
    assert_eq!(plan.status, 200, "{}", plan.body);
    assert!(plan.body.contains("Madplan") && plan.body.contains("Bestillingsfrist"), "{}", plan.body);
    let pasta = add_dish(&t, &kitchen, &days[0], "Pastasalat", "30", &["gluten", "milk"]).await;
    let soup = add_dish(&t, &kitchen, &days[1], "Suppe", "25", &[]).await;
    let fields =
        [("day", days[0].as_str()), ("name", "Kage"), ("category", "mad"), ("price", "0"), ("allergen", "kiwi")];
    let bad = kitchen.post(&format!("{}/dishes", menu_path(&t)), &fields).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Skriv en pris over 0"), "{}", bad.body);
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;

    let shop = parent.get(&shop_path(&ida.child_id)).await;
    assert_eq!(shop.status, 200, "{}", shop.body);
    assert!(shop.body.contains("Pastasalat") && shop.body.contains("gluten, mælk"), "{}", shop.body);
    put_in_basket(&parent, &ida.child_id, &pasta, "1").await;
    put_in_basket(&parent, &ida.child_id, &soup, "1").await;
    let basket = parent.get(&shop_path(&ida.child_id)).await;
    assert!(basket.body.contains("Betal 55,00 kr. fra kontoen"), "{}", basket.body);
    assert!(basket.body.contains("får I ikke pengene tilbage"), "the uncollected policy is shown before paying");

    let paid = pay(&parent, &ida.child_id).await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert_eq!(t.balance_ore(&ida).await, 4_500);
    let orders = t.app.store.account_balance(&AccountId::Orders(t.world.canteen.clone())).await.unwrap();
    assert_eq!(orders, Money::kr(55));
    t.run_jobs().await;
    let mail = t
        .mail
        .to(&ida.custodian_email)
        .into_iter()
        .map(|m| quoted_printable(&m.data))
        .find(|m| m.contains("Kvittering"));
    let mail = mail.expect("a receipt");
    assert!(mail.contains("1 × Pastasalat") && mail.contains("1 × Suppe") && mail.contains("55,00 kr."), "{mail}");

    let page = parent.get(&shop_path(&ida.child_id)).await;
    let once = common::field(&page.body, "once");
    let cancelled =
        parent.post(&format!("{}/days/{}/cancel", shop_path(&ida.child_id), days[1]), &[("once", &once)]).await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert_eq!(t.balance_ore(&ida).await, 7_000, "the day's money is back at once");
    let page = parent.get(cancelled.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Afbestilt") && page.body.contains("Bestilt"), "{}", page.body);
    // The statement: the basket with what became of each dish, and the cancel's money back.
    let statement = parent.get(&format!("/portal/children/{}/statement", ida.child_id)).await;
    assert!(statement.body.contains("1 × Pastasalat (Bestilt)"), "{}", statement.body);
    assert!(statement.body.contains("1 × Suppe (Afbestilt)"), "{}", statement.body);
    assert!(statement.body.contains("Bestilling i webshoppen") && statement.body.contains("Tilbageførsel"));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn refusals_say_why_on_the_page_and_a_relative_may_not_order() {
    let t = TestApp::start().await;
    let days = open_days(&t);
    let kitchen = manager(&t).await;
    let pasta = add_dish(&t, &kitchen, &days[0], "Pastasalat", "30", &["milk"]).await;
    let ida = t.world.child("Ida", Money::kr(20), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    put_in_basket(&parent, &ida.child_id, &pasta, "1").await;

    let poor = pay(&parent, &ida.child_id).await;
    assert_eq!(poor.status, 422);
    assert!(poor.body.contains("Der er ikke penge nok på kontoen til kurven"), "{}", poor.body);

    let marked = parent.post(&format!("{}/allergens", shop_path(&ida.child_id)), &[("allergen", "milk")]).await;
    assert_eq!(marked.status, 303);
    let allergic = pay(&parent, &ida.child_id).await;
    assert_eq!(allergic.status, 422);
    assert!(allergic.body.contains("Pastasalat indeholder mælk, som du har markeret"), "{}", allergic.body);
    assert_eq!(t.balance_ore(&ida).await, 2_000, "nothing moved");

    let relative = t.signed_in(&t.world.relative(&ida, "Mormor").await).await;
    assert_eq!(relative.get(&shop_path(&ida.child_id)).await.status, 403);
    let tried =
        relative.post(&format!("{}/basket", shop_path(&ida.child_id)), &[("dish", &pasta), ("quantity", "1")]).await;
    assert_eq!(tried.status, 403);
    t.world.assert_books_balance().await;
}

/// Today can be ordered until late, so the till can hand it out in the test
/// (the clock is on a weekday morning: see `to_next_weekday_morning`).
async fn same_day(t: &TestApp, kitchen: &Browser, today: jiff::civil::Date) -> String {
    let terms =
        [("order_days_before", "0"), ("order_until", "23:58"), ("cancel_until", "23:59"), ("uncollected", "kept")];
    let saved = kitchen.post(&format!("{}/terms", menu_path(t)), &terms).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    today.to_string()
}

async fn till_post(t: &TestApp, path: &str, key: Option<&str>, body: &Value) -> common::Answer {
    let mut request = t.http.post(format!("{}{path}", t.base)).bearer_auth(t.till_token(0)).json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    common::Answer { status, body: response.json().await.unwrap_or(Value::Null) }
}

#[tokio::test]
async fn the_kitchen_sees_counts_and_the_pick_list_and_the_till_hands_out_once() {
    let t = TestApp::start().await;
    // The clock moves first: a session idle for days would have ended.
    let today = t.world.to_next_weekday_morning();
    let kitchen = manager(&t).await;
    let today = same_day(&t, &kitchen, today).await;
    let pasta = add_dish(&t, &kitchen, &today, "Pastasalat", "30", &["gluten"]).await;
    let ida = t.world.child("=Ida", Money::kr(100), None).await;
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_till_controls(&ida.child_id, &[], "Ingen tomater", t.app.now()).await.unwrap();
    tx.commit().await.unwrap();
    let parent = t.signed_in(&ida.custodian_id).await;
    put_in_basket(&parent, &ida.child_id, &pasta, "2").await;
    assert_eq!(pay(&parent, &ida.child_id).await.status, 303);

    let list = kitchen.get(&format!("/sales-points/{}/kitchen", t.world.canteen)).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("Pastasalat") && list.body.contains("Ingen tomater"), "{}", list.body);
    assert!(list.body.contains("kan ændre sig indtil bestillingsfristen"), "live before the deadline");
    let csv = kitchen.get(&format!("/sales-points/{}/kitchen.csv?day={today}", t.world.canteen)).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("'=Ida Testesen") && csv.body.contains("Pastasalat;2;Bestilt"), "{}", csv.body);

    let card = json!({"card": ida.card_number});
    let seen = till_post(&t, "/api/v1/till/orders/today", None, &card).await;
    assert_eq!(seen.status, 200, "{:?}", seen.body);
    assert_eq!(seen.body["message"], "=Ida har bestilt: 2 × Pastasalat");
    assert_eq!(seen.body["to_hand_out"], true);
    let key = new_key();
    let handed = till_post(&t, "/api/v1/till/hand-outs", Some(&key), &card).await;
    assert_eq!((handed.status, handed.body["outcome"].as_str()), (200, Some("handed_out")), "{:?}", handed.body);
    assert_eq!(handed.body["total_ore"], 6_000);
    let again = till_post(&t, "/api/v1/till/hand-outs", Some(&key), &card).await;
    assert_eq!(again.body["outcome"], "handed_out", "the same key gives the first answer");
    let second = till_post(&t, "/api/v1/till/hand-outs", Some(&new_key()), &card).await;
    assert_eq!(second.body["outcome"], "already_handed_out");
    assert!(second.body["message"].as_str().unwrap().contains("er allerede udleveret"), "{:?}", second.body);
    let sales = t.app.store.account_balance(&AccountId::Sales(t.world.canteen.clone())).await.unwrap();
    assert_eq!(sales, Money::kr(60));
    // The day report counts the webshop apart from the counter's sales.
    let report = kitchen.get(&format!("/sales-points/{}/day?day={today}", t.world.canteen)).await;
    assert!(report.body.contains("id=\"report-shop\"") && report.body.contains("60,00 kr."), "{}", report.body);
    let report_csv = kitchen.get(&format!("/sales-points/{}/day.csv?day={today}", t.world.canteen)).await;
    assert!(report_csv.body.contains("shop,Pastasalat,2,60.00") && report_csv.body.contains("total,purchases,0,0.00"));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn the_hand_out_api_answers_in_json_like_the_other_till_calls() {
    let t = TestApp::start().await;
    let no_key = till_post(&t, "/api/v1/till/hand-outs", None, &json!({"card": "4242"})).await;
    assert_eq!((no_key.status, no_key.body["error"].as_str()), (400, Some("missing_idempotency_key")));
    let bad = till_post(&t, "/api/v1/till/hand-outs", Some(&new_key()), &json!({"card": "not a card"})).await;
    assert_eq!((bad.status, bad.body["error"].as_str()), (422, Some("invalid_card")));
    let unknown = till_post(&t, "/api/v1/till/orders/today", None, &json!({"card": "DEADBEEF"})).await;
    assert_eq!((unknown.status, unknown.body["error"].as_str()), (422, Some("unknown_card")));
    let extra = till_post(&t, "/api/v1/till/orders/today", None, &json!({"card": "DEADBEEF", "x": 1})).await;
    assert_eq!((extra.status, extra.body["error"].as_str()), (422, Some("invalid_request")));
    let anonymous = t.http.post(format!("{}/api/v1/till/orders/today", t.base)).json(&json!({"card": "DEADBEEF"}));
    assert_eq!(anonymous.send().await.unwrap().status().as_u16(), 401);
    let (_, spec) = t.get("/api/openapi.json", None).await;
    assert!(spec.contains("/api/v1/till/hand-outs") && spec.contains("/api/v1/till/orders/today"));
    let ida = t.world.child("Ida", Money::kr(10), None).await;
    let nothing = till_post(&t, "/api/v1/till/hand-outs", Some(&new_key()), &json!({"card": ida.card_number})).await;
    assert_eq!(nothing.body["outcome"], "nothing_ordered", "{:?}", nothing.body);
    t.world.assert_books_balance().await;
}
