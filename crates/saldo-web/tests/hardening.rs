//! Issue 13: the probe's findings, each shown fixed.

mod common;

use common::{field, TestApp};
use saldo_app::settings::{PaymentSettings, ProviderName, PUBLISHED_SANDBOX_SECRET};
use saldo_app::Settings;
use saldo_app::VerifyProblem as Problem;
use saldo_core::Money;
use saldo_pay::sandbox::{Sandbox, SIGNATURE_HEADER};
use saldo_pay::PaymentStatus;

/// A callback for `reference` signed with the key anyone can read in the source.
fn forged_callback(base: &str, provider_ref: &str, reference: &str, amount_ore: i64) -> (String, String) {
    let sandbox = Sandbox::new(PUBLISHED_SANDBOX_SECRET, base);
    let payment = saldo_pay::sandbox::HostedPayment {
        provider_ref: provider_ref.into(),
        reference: reference.into(),
        amount_ore,
        description: String::new(),
        return_url: String::new(),
        callback_url: String::new(),
        lang: String::new(),
        save_card: false,
    };
    let signed = sandbox.callback_for(&payment, PaymentStatus::Approved, None, None);
    (signed.body, signed.signature)
}

async fn post_callback(base: &str, (body, signature): (String, String)) -> u16 {
    let url = format!("{base}/pay/callback/sandbox");
    let sent = reqwest::Client::new().post(url).header(SIGNATURE_HEADER, signature).body(body).send().await;
    sent.expect("callback").status().as_u16()
}

#[tokio::test]
async fn without_a_provider_named_in_the_configuration_no_money_comes_in() {
    let t = TestApp::start_with(|s| s.demo = false).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    assert_eq!(t.app.provider.name(), "none");
    let http = reqwest::Client::new();
    let hosted = http.get(format!("{}/sandbox-pay/pay?q=x", t.base)).send().await.unwrap();
    assert_eq!(hosted.status(), 404, "the sandbox's payment page is not served");
    assert_eq!(post_callback(&t.base, forged_callback(&t.base, "sbx_any", "dep_any", 10_000)).await, 404);
    assert_eq!(t.world.balance(&ida).await, Money::kr(100));
    t.world.assert_books_balance().await;
}

#[test]
fn the_sandbox_serves_real_people_only_with_a_key_of_the_operators_own() {
    let on = |secret: &str| {
        let mut settings =
            Settings { payments: PaymentSettings { provider: Some(ProviderName::Sandbox) }, ..Settings::default() };
        settings.sandbox.secret = secret.into();
        settings
    };
    assert!(on(PUBLISHED_SANDBOX_SECRET).unsafe_to_serve().is_some());
    assert!(on("short").unsafe_to_serve().is_some());
    assert!(on("a-long-random-key-only-we-know-7f3a").unsafe_to_serve().is_none());
    assert!(Settings::default().unsafe_to_serve().is_none(), "no provider, nothing to forge");
    assert!(!Settings::default().sandbox_on());
    let demo = Settings { demo: true, ..Settings::default() };
    assert!(demo.sandbox_on() && demo.unsafe_to_serve().is_none(), "the demo's money is not real");
}

#[tokio::test]
async fn verify_finds_a_credit_the_sandbox_never_approved() {
    // The demo's sandbox, with its published key: sign a callback for a
    // deposit that was started but never paid (its page's address names it).
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let path = format!("/portal/children/{}/deposit", ida.child_id);
    let started = browser.post(&path, &[("quick", "other"), ("amount", "500")]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let hosted = browser.get(started.location.as_deref().unwrap()).await;
    let payment = Sandbox::new(PUBLISHED_SANDBOX_SECRET, &t.base).open_hosted(&field(&hosted.body, "q")).unwrap();
    assert_eq!(
        post_callback(&t.base, forged_callback(&t.base, &payment.provider_ref, &payment.reference, 50_000)).await,
        200
    );
    assert_eq!(t.world.balance(&ida).await, Money::kr(600), "the forged callback got through");
    let report = t.app.verify().await.unwrap();
    assert!(
        report.problems.contains(&Problem::SandboxCreditUnpaid { reference: payment.reference.clone() }),
        "{:?}",
        report.problems
    );
    assert_eq!(report.sandbox_credited_ore, 50_000);
}

#[tokio::test]
async fn the_language_switch_goes_back_only_to_a_path_on_this_site() {
    let t = TestApp::start().await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cases = [
        ("/portal?x=1", "/portal?x=1"),
        ("//evil.example/", "/"),
        ("/%09/evil.example/", "/"),
        ("/%0d%0aSet-Cookie:%20x=1", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/%00", "/"),
    ];
    for (back, expected) in cases {
        let answer = http.get(format!("{}/lang/en?back={back}", t.base)).send().await.unwrap();
        assert_eq!(answer.status(), 303, "back={back}");
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, expected, "back={back}");
        assert!(!answer.headers().contains_key("x"), "no header from the input");
    }
}

#[tokio::test]
async fn made_up_methods_add_no_metric_series_and_a_token_guards_metrics() {
    let t = TestApp::start().await;
    let http = reqwest::Client::new();
    for i in 0..50 {
        let method = reqwest::Method::from_bytes(format!("MADEUP{i}").as_bytes()).unwrap();
        http.request(method, format!("{}/healthz", t.base)).send().await.unwrap();
    }
    let metrics = http.get(format!("{}/metrics", t.base)).send().await.unwrap().text().await.unwrap();
    assert!(!metrics.contains("MADEUP"), "a made-up method became a label");
    assert!(metrics.contains(r#"method="other""#), "{metrics}");

    let guarded = TestApp::start_with(|s| s.metrics.token = Some("scrape-me-7c1e".into())).await;
    let without = http.get(format!("{}/metrics", guarded.base)).send().await.unwrap();
    assert_eq!(without.status(), 401);
    let wrong = http.get(format!("{}/metrics", guarded.base)).bearer_auth("scrape-me").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let right = http.get(format!("{}/metrics", guarded.base)).bearer_auth("scrape-me-7c1e").send().await.unwrap();
    assert_eq!(right.status(), 200);
}
