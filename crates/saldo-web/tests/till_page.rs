//! The till beyond the sale, through HTTP: the page, pairing, PIN unlock,
//! parents' blocks, voids, line refunds, the day report, and who may see what.

mod common;

use common::{new_key, TestApp};
use saldo_app::testing::SANDWICH;
use saldo_core::ids::WalletId;
use saldo_core::Money;
use serde_json::{json, Value};

const PIN: &str = "2468";
const MANAGER_PIN: &str = "1357";

async fn send(
    t: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    staff: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", t.base);
    let mut request = if method == "GET" { t.http.get(url) } else { t.http.post(url) };
    request = request.bearer_auth(token);
    if let Some(staff) = staff {
        request = request.header("X-Till-Staff", staff);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Unlocks till `till` with `pin`; the staff token.
async fn unlock(t: &TestApp, token: &str, pin: &str) -> String {
    let (status, body) = send(t, "POST", "/api/v1/till/unlock", token, None, Some(json!({"pin": pin}))).await;
    assert_eq!(status, 200, "{body}");
    body["staff_token"].as_str().expect("token").to_owned()
}

async fn spent_today(t: &TestApp, wallet: &WalletId) -> i64 {
    let w = t.app.store.wallet(wallet).await.expect("wallet").expect("exists");
    w.spent_on(&saldo_core::day::day_key(t.app.now())).ore()
}

#[tokio::test]
async fn the_till_page_and_its_script_are_served_under_the_csp() {
    let t = TestApp::start().await;
    let (status, body) = t.get("/till", None).await;
    assert_eq!(status, 200);
    assert!(body.contains("/static/till.js") && !body.contains("<script>"), "no inline scripts");
    let (status, script) = t.get("/static/till.js", None).await;
    assert_eq!(status, 200);
    assert!(script.contains("Idempotency-Key") && script.contains("randomUUID"));
}

#[tokio::test]
async fn a_blocked_category_is_declined_naming_the_item_and_the_note_is_shown() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let cola = t.world.add_product("Cola", "sodavand", Money::kr(12)).await;
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_till_controls(&ida.child_id, &["sodavand".to_owned()], "Allergisk over nødder", t.app.now()).await.unwrap();
    tx.commit().await.unwrap();
    let basket = json!({"card": ida.card_number, "lines": [
        {"product_id": t.world.product("Sandwich").id, "quantity": 1},
        {"product_id": cola, "quantity": 1}
    ]});
    let answer = t.buy(0, &new_key(), &basket).await;
    assert_eq!(answer.status, 402, "{}", answer.body);
    assert_eq!(answer.body["reason"], "item_blocked");
    assert_eq!(answer.body["item"], "Cola");
    assert_eq!(answer.body["note"], "Allergisk over nødder");
    assert!(answer.body["message"].as_str().unwrap().contains("Forældrene"));
    assert_eq!(t.balance_ore(&ida).await, 10_000, "no money moved");
    let approved = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    assert_eq!(approved.status, 201);
    assert_eq!(approved.body["child"]["note"], "Allergisk over nødder");
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn custodians_set_the_rules_at_the_till_on_the_portal_and_relatives_cannot() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let path = format!("/portal/children/{}/till", ida.child_id);
    assert_eq!(parent.get(&path).await.status, 200);
    let csrf = parent.csrf();
    let page = parent
        .post_raw(&path, &[("csrf", &csrf), ("block", "slik"), ("block", "sodavand"), ("note", "Ingen nødder")])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let (blocked, note) = t.app.store.till_controls(&ida.child_id).await.unwrap();
    assert_eq!((blocked, note.as_str()), (vec!["slik".to_owned(), "sodavand".to_owned()], "Ingen nødder"));
    // Issue 14.5: the child page shows the saved rules and the note.
    let child = parent.get(&format!("/portal/children/{}", ida.child_id)).await;
    assert!(child.body.contains("Må ikke købe: "), "{}", child.body);
    assert!(child.body.contains("Besked til personalet: Ingen nødder"), "{}", child.body);
    // Only categories the operator allows.
    let page = parent.post_raw(&path, &[("csrf", &csrf), ("block", "mad")]).await;
    assert_eq!(page.status, 404);
    let relative = t.world.relative(&ida, "Mormor").await;
    let mormor = t.signed_in(&relative).await;
    assert_eq!(mormor.get(&path).await.status, 403);
}

#[tokio::test]
async fn a_pin_unlocks_the_till_and_a_void_gives_money_and_the_days_spend_back_once() {
    let t = TestApp::start().await;
    t.world.till_staff(&t.world.canteen, false, PIN).await;
    let ida = t.world.child("Ida", Money::kr(100), Some(Money::kr(40))).await;
    let token = t.till_token(0).to_owned();
    let (status, body) = send(&t, "POST", "/api/v1/till/unlock", &token, None, Some(json!({"pin": "0000"}))).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("wrong_pin")));
    let staff = unlock(&t, &token, PIN).await;

    let sale = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 3)).await;
    assert_eq!(sale.status, 201);
    assert_eq!(spent_today(&t, &ida.wallet_id).await, 3 * SANDWICH * 100);
    let id = sale.body["purchase_id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/till/purchases/{id}/void");
    // Without the unlock, no void.
    assert_eq!(send(&t, "POST", &path, &token, None, None).await.0, 403);
    let (status, body) = send(&t, "POST", &path, &token, Some(&staff), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["balance_ore"], 10_000);
    assert_eq!(t.balance_ore(&ida).await, 10_000);
    assert_eq!(spent_today(&t, &ida.wallet_id).await, 0, "the day's spend is given back");
    // A double tap on void: refused, never paid back twice.
    let (status, body) = send(&t, "POST", &path, &token, Some(&staff), None).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("already_undone")));
    assert_eq!(t.balance_ore(&ida).await, 10_000);
    // Another till of the same sales point cannot void it.
    let other = unlock(&t, t.till_token(1), PIN).await;
    assert_eq!(send(&t, "POST", &path, t.till_token(1), Some(&other), None).await.0, 404);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_line_is_refunded_with_a_managers_pin_only_and_never_more_than_sold() {
    let t = TestApp::start().await;
    t.world.till_staff(&t.world.canteen, false, PIN).await;
    t.world.till_staff(&t.world.canteen, true, MANAGER_PIN).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let token = t.till_token(0).to_owned();
    let staff = unlock(&t, &token, PIN).await;
    let sale = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 2)).await;
    let path = format!("/api/v1/till/purchases/{}/refunds", sale.body["purchase_id"].as_str().unwrap());
    let refund = |pin: &str, quantity: i64| json!({"line": 0, "quantity": quantity, "manager_pin": pin});
    let post = |body: Value, key: &str| {
        let request = t
            .http
            .post(format!("{}{path}", t.base))
            .bearer_auth(&token)
            .header("X-Till-Staff", &staff)
            .header("Idempotency-Key", key)
            .json(&body);
        async move {
            let response = request.send().await.expect("send");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, _) = post(refund(PIN, 1), &new_key()).await;
    assert_eq!(status, 403, "staff's own PIN is not a manager's");
    let (status, _) = send(&t, "POST", &path, &token, Some(&staff), Some(refund(MANAGER_PIN, 1))).await;
    assert_eq!(status, 400, "a refund moves money: it needs an Idempotency-Key");
    let key = new_key();
    let (status, body) = post(refund(MANAGER_PIN, 1), &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount_ore"], SANDWICH * 100);
    assert_eq!(t.balance_ore(&ida).await, 10_000 - SANDWICH * 100);
    // The answer was lost and the till asks again: the first refund is answered, nothing more given.
    let (status, again) = post(refund(MANAGER_PIN, 1), &key).await;
    assert_eq!((status, &again["entry_id"]), (200, &body["entry_id"]));
    assert_eq!(t.balance_ore(&ida).await, 10_000 - SANDWICH * 100);
    assert_eq!(post(refund(MANAGER_PIN, 2), &key).await.0, 409, "the same key for another refund");
    let (status, _) = post(refund(MANAGER_PIN, 2), &new_key()).await;
    assert_eq!(status, 422, "only one sandwich is left to refund");
    // The till finds the sale among today's, with what is left to give back.
    let (status, recent) = send(&t, "GET", "/api/v1/till/recent", &token, Some(&staff), None).await;
    assert_eq!(status, 200, "{recent}");
    assert_eq!(recent[0]["purchase_id"], sale.body["purchase_id"]);
    assert_eq!(recent[0]["first_name"], "Ida");
    assert_eq!(
        (
            recent[0]["lines"][0]["name"].as_str(),
            &recent[0]["lines"][0]["quantity"],
            &recent[0]["lines"][0]["refunded_quantity"]
        ),
        (Some("Sandwich"), &json!(2), &json!(1))
    );
    assert_eq!(send(&t, "GET", "/api/v1/till/recent", &token, None, None).await.0, 403, "unlocked tills only");
    // Another sales point's till does not see them.
    let (kiosk_id, kiosk, _) = t.world.other_sales_point("slik").await;
    t.world.till_staff(&kiosk_id, true, "9753").await;
    let kiosk_staff = unlock(&t, &kiosk.token, "9753").await;
    let (status, theirs) = send(&t, "GET", "/api/v1/till/recent", &kiosk.token, Some(&kiosk_staff), None).await;
    assert_eq!((status, theirs), (200, json!([])));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_double_scan_during_one_basket_charges_once() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let body = t.basket(&ida.card_number, "Sandwich", 1);
    let key = new_key();
    let (a, b) = tokio::join!(t.buy(0, &key, &body), t.buy(0, &key, &body));
    assert_eq!((a.status, b.status), (201, 201));
    assert_eq!(a.body["purchase_id"], b.body["purchase_id"]);
    assert_eq!(t.balance_ore(&ida).await, 10_000 - SANDWICH * 100);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn the_day_report_counts_sales_voids_and_refunds_on_screen_and_as_csv() {
    let t = TestApp::start().await;
    let manager = t.world.till_staff(&t.world.canteen, true, MANAGER_PIN).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let token = t.till_token(0).to_owned();
    let staff = unlock(&t, &token, MANAGER_PIN).await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 2)).await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    let voided = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 3)).await;
    let path = format!("/api/v1/till/purchases/{}/void", voided.body["purchase_id"].as_str().unwrap());
    assert_eq!(send(&t, "POST", &path, &token, Some(&staff), None).await.0, 200);

    let (status, day) = send(&t, "GET", "/api/v1/till/day", &token, Some(&staff), None).await;
    assert_eq!(status, 200, "{day}");
    assert_eq!(day["purchases"], 2);
    assert_eq!(day["voids"], 1);
    assert_eq!(day["net_ore"], 2500);
    assert_eq!(day["gross_ore"], 4000);

    let browser = t.signed_in(&manager).await;
    let page = browser.get(&format!("/sales-points/{}/day", t.world.canteen)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Sandwich") && page.body.contains("25,00 kr.") && page.body.contains("<svg"));
    let csv = browser.get(&format!("/sales-points/{}/day.csv", t.world.canteen)).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("product,Sandwich,2,20.00\r\n"), "{}", csv.body);
    assert!(csv.body.contains("total,voids,1,15.00"), "{}", csv.body);
}

#[tokio::test]
async fn staff_of_one_sales_point_cannot_sell_at_or_see_anothers_till_or_reports() {
    let t = TestApp::start().await;
    let (kiosk, kiosk_till, _cola) = t.world.other_sales_point("sodavand").await;
    let kiosk_staff = t.world.till_staff(&kiosk, true, PIN).await;
    let canteen_staff = t.world.till_staff(&t.world.canteen, false, MANAGER_PIN).await;
    // A kiosk PIN does not open the canteen's till, and a kiosk unlock is no good at the canteen.
    let (status, _) = send(&t, "POST", "/api/v1/till/unlock", t.till_token(0), None, Some(json!({"pin": PIN}))).await;
    assert_eq!(status, 403);
    let kiosk_unlock = unlock(&t, &kiosk_till.token, PIN).await;
    let (status, _) = send(&t, "GET", "/api/v1/till/day", t.till_token(0), Some(&kiosk_unlock), None).await;
    assert_eq!(status, 403);
    // The kiosk's till cannot sell the canteen's products.
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let body = t.basket(&ida.card_number, "Sandwich", 1);
    let response = t
        .http
        .post(format!("{}/api/v1/till/purchases", t.base))
        .bearer_auth(&kiosk_till.token)
        .header("Idempotency-Key", new_key())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(t.balance_ore(&ida).await, 10_000);
    // Reports and pairing codes: the other sales point does not exist for them.
    let kiosk_browser = t.signed_in(&kiosk_staff).await;
    assert_eq!(kiosk_browser.get(&format!("/sales-points/{}/day", t.world.canteen)).await.status, 404);
    assert_eq!(kiosk_browser.get(&format!("/sales-points/{}/day.csv", t.world.canteen)).await.status, 404);
    assert_eq!(kiosk_browser.get(&format!("/sales-points/{kiosk}/day")).await.status, 200);
    let pairing =
        kiosk_browser.post(&format!("/sales-points/{}/pairing", t.world.canteen), &[("name", "Kasse 9")]).await;
    assert_eq!(pairing.status, 404);
    // A PIN set at the kiosk is not a PIN at the canteen.
    let set = kiosk_browser.post(&format!("/sales-points/{}/pin", t.world.canteen), &[("pin", "9999")]).await;
    assert_eq!(set.status, 404);
    let set = kiosk_browser.post(&format!("/sales-points/{kiosk}/pin"), &[("pin", "9999")]).await;
    assert_eq!(set.status, 200);
    unlock(&t, &kiosk_till.token, "9999").await;
    // Staff who are not managers may see their report but not make tills.
    let canteen_browser = t.signed_in(&canteen_staff).await;
    assert_eq!(canteen_browser.get(&format!("/sales-points/{}/day", t.world.canteen)).await.status, 200);
    let pairing =
        canteen_browser.post(&format!("/sales-points/{}/pairing", t.world.canteen), &[("name", "Kasse 9")]).await;
    assert_eq!(pairing.status, 403);
}

#[tokio::test]
async fn a_manager_pairs_a_new_till_with_a_one_time_code() {
    let t = TestApp::start().await;
    let manager = t.world.till_staff(&t.world.canteen, true, MANAGER_PIN).await;
    let browser = t.signed_in(&manager).await;
    let page = browser.post(&format!("/sales-points/{}/pairing", t.world.canteen), &[("name", "Kasse 3")]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let code = page.body.split("id=\"pairing-code\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let (status, body) = pair(&t, code.to_lowercase()).await;
    assert_eq!(status, 201, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    let (status, me) = send(&t, "GET", "/api/v1/till/me", &token, None, None).await;
    assert_eq!(
        (status, me["till"].as_str(), me["sales_point_id"].as_str()),
        (200, Some("Kasse 3"), Some(t.world.canteen.as_str()))
    );
    let (status, again) = pair(&t, code).await;
    assert_eq!((status, again["error"].as_str()), (422, Some("pairing_invalid")), "a code works once");
}

async fn pair(t: &TestApp, code: String) -> (u16, Value) {
    let response =
        t.http.post(format!("{}/api/v1/till/pair", t.base)).json(&json!({"code": code})).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json::<Value>().await.unwrap())
}

#[tokio::test]
async fn canteen_staff_land_on_their_sales_points_not_on_an_empty_portal() {
    // Issue 14.9: a sales point manager logged in to "Mine børn" with nothing in it.
    let t = TestApp::start().await;
    let manager = t.world.till_staff(&t.world.canteen, true, PIN).await;
    assert_eq!(saldo_app::auth::home_of(&t.app, &manager).await.unwrap(), "/sales-points");
    let browser = t.signed_in(&manager).await;
    let page = browser.get("/sales-points").await;
    assert_eq!(page.status, 200);
    let canteen = &t.world.canteen;
    assert!(page.body.contains(&format!("/sales-points/{canteen}/day")), "{}", page.body);
    assert!(page.body.contains(&format!("/sales-points/{canteen}/products")), "the manager's menu: {}", page.body);
    assert!(!page.body.contains(r#"href="/portal""#), "no empty 'Mine børn' in the menu: {}", page.body);
    // A parent has no sales points, and keeps the portal.
    let ida = t.world.child("Ida", Money::kr(10), None).await;
    assert_eq!(saldo_app::auth::home_of(&t.app, &ida.custodian_id).await.unwrap(), "/portal");
}
