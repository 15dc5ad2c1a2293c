//! A person's copy of their data (issue 19.4, GDPR art. 15): a custodian's
//! holds their children's accounts, a relative's only their own, and the
//! operator fetches one on request, audited.

mod common;

use common::{new_key, TestApp};
use saldo_core::Money;
use serde_json::Value;

#[tokio::test]
async fn a_custodian_downloads_everything_about_them_and_their_child() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(60), Some(Money::kr(15))).await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    let declined = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    assert_eq!(declined.status, 402);
    let parent = t.signed_in(&ida.custodian_id).await;
    let overview = parent.get("/portal").await;
    assert!(overview.body.contains("/portal/my-data"), "linked from the overview");

    let page = parent.get("/portal/my-data").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Ida Testesen") && page.body.contains(&ida.custodian_email), "{}", page.body);
    assert!(page.body.contains("fem år"), "what is kept and why: {}", page.body);
    // Read by a person: moments as Danish dates, codes in words.
    let moment = iso_timestamp_in(&page.body);
    assert!(moment.is_none(), "a machine timestamp on the page: {moment:?}");
    assert!(page.body.contains("forælder med forældremyndighed"), "{}", page.body);

    let file = parent.get("/portal/my-data.json").await;
    assert_eq!(file.status, 200);
    let data: Value = serde_json::from_str(&file.body).expect("a JSON file");
    assert_eq!(data["person"]["email"], ida.custodian_email.as_str());
    let child = &data["children"][0];
    assert_eq!(child["name"], "Ida Testesen");
    assert_eq!(child["cards"][0]["number"], ida.card_number.as_str());
    assert_eq!(child["balance_ore"], 5_000);
    let kinds: Vec<&str> = child["statement"].as_array().unwrap().iter().filter_map(|m| m["kind"].as_str()).collect();
    assert!(kinds.contains(&"purchase"), "{kinds:?}");
    assert_eq!(child["declines"][0]["reason"], "daily_limit_exceeded");
    let audit = t.app.store.audit_of(&ida.custodian_id).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "gdpr.export"), "fetching a copy is logged");
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_relative_gets_their_own_data_and_not_the_childs_account() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(60), None).await;
    let mormor = t.world.relative(&ida, "Mormor").await;
    let browser = t.signed_in(&mormor).await;
    let file = browser.get("/portal/my-data.json").await;
    let data: Value = serde_json::from_str(&file.body).expect("a JSON file");
    assert_eq!(data["person"]["first_name"], "Mormor");
    assert_eq!(data["relations"][0]["kind"], "relative");
    assert!(data["children"].as_array().unwrap().is_empty(), "a relative's copy holds no child's account");
    assert!(!file.body.contains(&ida.card_number));
}

#[tokio::test]
async fn the_operator_fetches_a_copy_for_a_person_who_asked() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(60), None).await;
    let operator = t.world.operator().await;
    let desk = t.signed_in(&operator).await;
    let email = ida.custodian_email.replace('@', "%40");
    let page = desk.get(&format!("/admin/gdpr?email={email}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Ida Testesen"), "{}", page.body);
    let file = desk.get(&format!("/admin/gdpr/export.json?email={email}")).await;
    let data: Value = serde_json::from_str(&file.body).expect("a JSON file");
    assert_eq!(data["children"][0]["cards"][0]["number"], ida.card_number.as_str());
    let audit = t.app.store.audit_of(&ida.custodian_id).await.unwrap();
    let fetched: Vec<_> = audit.iter().filter(|a| a.action == "gdpr.export").collect();
    assert_eq!(fetched.len(), 2, "the page and the file");
    assert!(fetched.iter().all(|a| a.actor == format!("person:{operator}")));
    let nobody = desk.get("/admin/gdpr?email=ingen%40example.dk").await;
    assert!(nobody.body.contains("gdpr-none"), "{}", nobody.body);
}

/// The first `2026-12-07T06:32:16…Z`-like timestamp in `body`, if any.
fn iso_timestamp_in(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    (0..bytes.len().saturating_sub(20)).find_map(|i| {
        let w = &bytes[i..i + 20];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        let shape = digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10) && w[10] == b'T';
        let time = digits(11..13) && w[13] == b':' && digits(14..16) && w[16] == b':';
        (shape && time).then(|| body[i..i + 20].to_owned())
    })
}
