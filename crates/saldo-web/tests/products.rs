//! The manager's menu page through HTTP: a product added is sold at the till,
//! a new price reaches new sales only, a hidden product is neither offered nor
//! sold, bad input changes nothing, and only the sales point's manager and
//! the operator may touch it.

mod common;

use common::{new_key, Browser, TestApp};
use saldo_app::testing::{FRUIT, SANDWICH};
use saldo_core::ids::{PersonId, ProductId};
use saldo_core::Money;
use serde_json::{json, Value};

const PIN: &str = "1357";

fn products_path(t: &TestApp) -> String {
    format!("/sales-points/{}/products", t.world.canteen)
}

/// The till's menu as the till API gives it: (name, price in øre, category), in order.
async fn till_menu(t: &TestApp) -> Vec<(String, i64, String)> {
    let (status, body) = t.get("/api/v1/till/products", Some(t.till_token(0))).await;
    assert_eq!(status, 200, "{body}");
    let list: Vec<Value> = serde_json::from_str(&body).expect("json");
    list.iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["price_ore"].as_i64().unwrap(),
                p["category"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn till_id_of(t: &TestApp, name: &str) -> Option<String> {
    let (_, body) = t.get("/api/v1/till/products", Some(t.till_token(0))).await;
    let list: Vec<Value> = serde_json::from_str(&body).expect("json");
    list.iter().find(|p| p["name"] == name).map(|p| p["id"].as_str().unwrap().to_owned())
}

async fn buy_id(t: &TestApp, card: &str, product_id: &ProductId) -> common::Answer {
    t.buy(0, &new_key(), &json!({"card": card, "lines": [{"product_id": product_id, "quantity": 1}]})).await
}

async fn manager(t: &TestApp) -> (PersonId, Browser) {
    let person = t.world.till_staff(&t.world.canteen, true, PIN).await;
    let browser = t.signed_in(&person).await;
    (person, browser)
}

/// Everything about the canteen's products, hidden ones too, to show nothing moved.
async fn menu_snapshot(t: &TestApp) -> Vec<String> {
    t.app.store.menu_of(&t.world.canteen).await.expect("menu").iter().map(|p| format!("{p:?}")).collect()
}

#[tokio::test]
async fn a_manager_adds_a_product_and_the_till_offers_and_sells_it() {
    let t = TestApp::start().await;
    let (person, browser) = manager(&t).await;
    let page = browser.get(&products_path(&t)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Sandwich") && page.body.contains("10,00 kr."));
    // The categories in use and the ones parents can block are offered.
    for category in ["\"mad\"", "\"frugt\"", "\"slik\"", "\"sodavand\""] {
        assert!(page.body.contains(&format!("<option value={category}>")), "{category} offered");
    }

    let added = browser
        .post(
            &products_path(&t),
            &[("name", "  Toast med ost "), ("price", "12,50"), ("category", " Mad "), ("allergens", "gluten, mælk")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let location = added.location.unwrap();
    assert!(location.starts_with(&format!("{}?done=products.added#product-prod", products_path(&t))), "{location}");
    let page = browser.get(&location).await;
    assert!(page.body.contains("Varen er tilføjet") && page.body.contains("gluten, mælk"), "{}", page.body);

    // Trimmed, lowercase category, and last in its category at the till.
    let menu = till_menu(&t).await;
    let mad: Vec<&str> = menu.iter().filter(|p| p.2 == "mad").map(|p| p.0.as_str()).collect();
    assert_eq!(mad, ["Sandwich", "Toast med ost"]);
    assert!(menu.contains(&("Toast med ost".into(), 1250, "mad".into())));
    // The till shows the allergen note with the product.
    let (_, raw) = t.get("/api/v1/till/products", Some(t.till_token(0))).await;
    let offered: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let toast_json = offered.as_array().unwrap().iter().find(|p| p["name"] == "Toast med ost").unwrap();
    assert_eq!(toast_json["allergens"], "gluten, mælk");

    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let toast = till_id_of(&t, "Toast med ost").await.unwrap();
    let sold = buy_id(&t, &ida.card_number, &toast.as_str().into()).await;
    assert_eq!(sold.status, 201, "{}", sold.body);
    assert_eq!(sold.body["total_ore"], 1250);
    assert_eq!(t.balance_ore(&ida).await, 10_000 - 1250);

    let audit = t.app.store.audit_of(&toast).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!((audit[0].action.as_str(), audit[0].actor.clone()), ("product.added", format!("person:{person}")));
    assert!(audit[0].detail.contains("12,50 kr."), "{}", audit[0].detail);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_new_price_applies_to_new_sales_only() {
    let t = TestApp::start().await;
    let (_, browser) = manager(&t).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let sandwich = t.world.product("Sandwich").id.clone();
    assert_eq!(buy_id(&t, &ida.card_number, &sandwich).await.status, 201);

    let changed = browser
        .post(
            &format!("{}/{sandwich}", products_path(&t)),
            &[("name", "Sandwich"), ("price", "15"), ("category", "mad"), ("allergens", "")],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert!(changed.location.unwrap().contains("done=products.saved"));
    assert!(till_menu(&t).await.contains(&("Sandwich".into(), 1500, "mad".into())));

    let second = buy_id(&t, &ida.card_number, &sandwich).await;
    assert_eq!(second.body["total_ore"], 1500, "{}", second.body);
    assert_eq!(t.balance_ore(&ida).await, 10_000 - SANDWICH * 100 - 1500);

    // The statement keeps the first sale at its own price: lines carry their copy.
    let parent = t.signed_in(&ida.custodian_id).await;
    let csv = parent.get(&format!("/portal/children/{}/statement.csv", ida.child_id)).await.body;
    let sales: Vec<&str> = csv.lines().filter(|l| l.contains("1 x Sandwich")).collect();
    assert_eq!(sales.len(), 2, "{csv}");
    assert!(sales.iter().any(|l| l.contains(";-10,00;")), "{csv}");
    assert!(sales.iter().any(|l| l.contains(";-15,00;")), "{csv}");

    let audit = t.app.store.audit_of(&sandwich).await.unwrap();
    assert_eq!(audit.last().unwrap().action, "product.changed");
    assert_eq!(audit.last().unwrap().detail, "price 10,00 kr. -> 15,00 kr.");
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_hidden_product_is_neither_offered_nor_sold_until_shown_again() {
    let t = TestApp::start().await;
    let (_, browser) = manager(&t).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let fruit = t.world.product("Frugt").id.clone();

    let hidden = browser.post(&format!("{}/{fruit}/hide", products_path(&t)), &[]).await;
    assert_eq!(hidden.status, 303);
    assert!(!till_menu(&t).await.iter().any(|p| p.0 == "Frugt"));
    let page = browser.get(&products_path(&t)).await;
    assert!(page.body.contains("Frugt") && page.body.contains("Skjult"), "the manager still sees it");

    let refused = buy_id(&t, &ida.card_number, &fruit).await;
    assert_eq!((refused.status, refused.body["error"].as_str()), (422, Some("unknown_product")), "{}", refused.body);
    assert_eq!(t.balance_ore(&ida).await, 10_000);

    assert_eq!(browser.post(&format!("{}/{fruit}/show", products_path(&t)), &[]).await.status, 303);
    assert!(till_menu(&t).await.iter().any(|p| p.0 == "Frugt"));
    assert_eq!(buy_id(&t, &ida.card_number, &fruit).await.status, 201);
    assert_eq!(t.balance_ore(&ida).await, 10_000 - FRUIT * 100);

    let actions: Vec<String> = t.app.store.audit_of(&fruit).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions, ["product.hidden", "product.shown"]);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn products_move_up_and_down_within_their_category() {
    let t = TestApp::start().await;
    let (_, browser) = manager(&t).await;
    for name in ["Toast", "Pizza"] {
        browser.post(&products_path(&t), &[("name", name), ("price", "20"), ("category", "mad")]).await;
    }
    let order = |menu: Vec<(String, i64, String)>| -> Vec<String> {
        menu.into_iter().filter(|p| p.2 == "mad").map(|p| p.0).collect()
    };
    assert_eq!(order(till_menu(&t).await), ["Sandwich", "Toast", "Pizza"]);
    let pizza = till_id_of(&t, "Pizza").await.unwrap();
    assert_eq!(browser.post(&format!("{}/{pizza}/up", products_path(&t)), &[]).await.status, 303);
    assert_eq!(order(till_menu(&t).await), ["Sandwich", "Pizza", "Toast"]);
    let sandwich = t.world.product("Sandwich").id.clone();
    browser.post(&format!("{}/{sandwich}/down", products_path(&t)), &[]).await;
    assert_eq!(order(till_menu(&t).await), ["Pizza", "Sandwich", "Toast"]);
    // At the top it stays put; the other categories are untouched.
    browser.post(&format!("{}/{pizza}/up", products_path(&t)), &[]).await;
    assert_eq!(order(till_menu(&t).await), ["Pizza", "Sandwich", "Toast"]);
    assert!(till_menu(&t).await.iter().any(|p| p.0 == "Frugt"));
}

#[tokio::test]
async fn bad_input_is_refused_with_a_reason_and_changes_nothing() {
    let t = TestApp::start().await;
    let (_, browser) = manager(&t).await;
    let before = menu_snapshot(&t).await;
    let sandwich = t.world.product("Sandwich").id.clone();
    let long_name = "x".repeat(61);
    let long_allergens = "x".repeat(201);
    let cases: [(&str, &str, &str, &str, &str); 9] = [
        ("", "12", "mad", "", "products.bad_name"),
        (&long_name, "12", "mad", "", "products.bad_name"),
        ("Toast", "0", "mad", "", "products.bad_price"),
        ("Toast", "-5", "mad", "", "products.bad_price"),
        ("Toast", "12,505", "mad", "", "products.bad_price"),
        ("Toast", "1000,01", "mad", "", "products.bad_price"),
        ("Toast", "tolv", "mad", "", "products.bad_price"),
        ("Toast", "12", "  ", "", "products.bad_category"),
        ("Toast", "12", "mad", &long_allergens, "products.bad_allergens"),
    ];
    for (name, price, category, allergens, key) in cases {
        let fields = [("name", name), ("price", price), ("category", category), ("allergens", allergens)];
        for path in [products_path(&t), format!("{}/{sandwich}", products_path(&t))] {
            let page = browser.post(&path, &fields).await;
            assert_eq!(page.status, 303, "{path} {fields:?}");
            assert_eq!(page.location.as_deref(), Some(format!("{}?error={key}", products_path(&t)).as_str()));
        }
    }
    assert_eq!(menu_snapshot(&t).await, before, "nothing changed");

    // The page says why, in each language; a made-up key shows nothing.
    let page = browser.get(&format!("{}?error=products.bad_price", products_path(&t))).await;
    assert!(page.body.contains("Den skal være over 0 og højst 1.000,00 kr."), "{}", page.body);
    browser.get("/lang/en?back=/").await;
    let page = browser.get(&format!("{}?error=products.bad_name", products_path(&t))).await;
    assert!(page.body.contains("a name of 1 to 60 characters"), "{}", page.body);
    let page = browser.get(&format!("{}?error=%3Cb%3Ehi", products_path(&t))).await;
    assert!(!page.body.contains("role=\"alert\""));

    // A forged form (no CSRF token) is refused too.
    let forged = browser
        .post_raw(&products_path(&t), &[("name", "Toast"), ("price", "12"), ("category", "mad"), ("csrf", "x")])
        .await;
    assert_eq!(forged.status, 400);
    // An unchanged form is no change: no audit line.
    let same = browser
        .post(
            &format!("{}/{sandwich}", products_path(&t)),
            &[("name", "Sandwich"), ("price", "10,00"), ("category", "mad"), ("allergens", "")],
        )
        .await;
    assert_eq!(same.status, 303);
    assert_eq!(menu_snapshot(&t).await, before);
    assert!(t.app.store.audit_of(&sandwich).await.unwrap().is_empty());
}

#[tokio::test]
async fn only_the_sales_points_manager_and_the_operator_keep_its_menu() {
    let t = TestApp::start().await;
    let before = menu_snapshot(&t).await;
    let sandwich = t.world.product("Sandwich").id.clone();
    let form = [("name", "Toast"), ("price", "12"), ("category", "mad")];
    let edit = [("name", "Gratis sandwich"), ("price", "1"), ("category", "mad")];

    // Staff who sell here but do not manage: they have standing, so 403.
    let seller = t.world.till_staff(&t.world.canteen, false, "2468").await;
    let seller = t.signed_in(&seller).await;
    // Another sales point's manager, and a parent: the canteen does not exist for them.
    let (kiosk, _, cola) = t.world.other_sales_point("sodavand").await;
    let other_manager = t.world.till_staff(&kiosk, true, "9753").await;
    let other_manager = t.signed_in(&other_manager).await;
    let ida = t.world.child("Ida", Money::kr(10), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;

    for (browser, status) in [(&seller, 403), (&other_manager, 404), (&parent, 404)] {
        assert_eq!(browser.get(&products_path(&t)).await.status, status);
        assert_eq!(browser.post(&products_path(&t), &form).await.status, status);
        assert_eq!(browser.post(&format!("{}/{sandwich}", products_path(&t)), &edit).await.status, status);
        assert_eq!(browser.post(&format!("{}/{sandwich}/hide", products_path(&t)), &[]).await.status, status);
    }
    // Bad input does not tell a stranger more than good input does.
    let bad = [("name", ""), ("price", "0"), ("category", "")];
    assert_eq!(parent.post(&products_path(&t), &bad).await.status, 404);
    // The kiosk's manager cannot reach the canteen's product through the kiosk's address, nor the other way.
    let own = format!("/sales-points/{kiosk}/products");
    assert_eq!(other_manager.get(&own).await.status, 200);
    assert_eq!(other_manager.post(&format!("{own}/{sandwich}/hide"), &[]).await.status, 404);
    let (_, canteen_manager) = manager(&t).await;
    assert_eq!(canteen_manager.post(&format!("{}/{cola}/hide", products_path(&t)), &[]).await.status, 404);
    assert_eq!(menu_snapshot(&t).await, before, "nothing changed");

    // The manager finds the page from the day report; a seller is not shown the link.
    let day = format!("/sales-points/{}/day", t.world.canteen);
    assert!(canteen_manager.get(&day).await.body.contains(&format!("href=\"{}\"", products_path(&t))));
    assert!(!seller.get(&day).await.body.contains("id=\"products-link\""));

    // The operator may.
    let operator = t.world.operator().await;
    let operator = t.signed_in(&operator).await;
    assert_eq!(operator.get(&products_path(&t)).await.status, 200);
    assert_eq!(operator.post(&products_path(&t), &form).await.status, 303);
    assert!(till_menu(&t).await.iter().any(|p| p.0 == "Toast"));
}
