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
        let mut settings = Settings {
            payments: PaymentSettings { provider: Some(ProviderName::Sandbox), ..PaymentSettings::default() },
            ..Settings::default()
        };
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
    ];
    for (back, expected) in cases {
        let answer = http.get(format!("{}/lang/en?back={back}", t.base)).send().await.unwrap();
        assert_eq!(answer.status(), 303, "back={back}");
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, expected, "back={back}");
        assert!(!answer.headers().contains_key("x"), "no header from the input");
    }
    // A NUL is refused before anything reads the address (see below).
    let answer = http.get(format!("{}/lang/en?back=/%00", t.base)).send().await.unwrap();
    assert_eq!(answer.status(), 400);
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

/// A raw TCP client, for what a browser would never send.
async fn raw(base: &str) -> tokio::net::TcpStream {
    tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await.expect("connect")
}

/// Reads until the server hangs up; `None` if it is still holding on after 20 s.
async fn until_closed(stream: &mut tokio::net::TcpStream) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    read.ok().map(|_| String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test]
async fn a_half_sent_request_is_cut_off() {
    use tokio::io::AsyncWriteExt;
    let t = TestApp::start_with(|s| {
        s.http.header_read_timeout_secs = 1;
        s.http.body_read_timeout_secs = 1;
    })
    .await;
    let mut headers = raw(&t.base).await;
    headers.write_all(b"GET /healthz HTTP/1.1\r\nHost: saldo\r\n").await.unwrap();
    let answer = until_closed(&mut headers).await.expect("half-sent headers are held open");
    assert!(!answer.contains("200 OK"), "{answer}");

    let mut body = raw(&t.base).await;
    let request = "POST /login HTTP/1.1\r\nHost: saldo\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                   Content-Length: 100\r\n\r\nemail=";
    body.write_all(request.as_bytes()).await.unwrap();
    let answer = until_closed(&mut body).await.expect("a half-sent body is held open");
    assert!(!answer.contains("303"), "{answer}");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_their_turn() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestApp::start_with(|s| {
        s.http.max_connections = 2;
        s.http.header_read_timeout_secs = 60;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut slow = raw(&t.base).await;
        slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: saldo\r\n").await.unwrap();
        held.push(slow);
    }
    let mut third = raw(&t.base).await;
    third.write_all(b"GET /healthz HTTP/1.1\r\nHost: saldo\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut first_bytes = [0u8; 12];
    let early = tokio::time::timeout(std::time::Duration::from_millis(500), third.read(&mut first_bytes)).await;
    assert!(early.is_err(), "a third connection was served beside two held ones");
    drop(held);
    let answer = until_closed(&mut third).await.expect("served once a slot is free");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Asks for a login link as the client `forwarded_for` (through a proxy on
/// 127.0.0.1): whether the link was sent (rather than refused for the rate).
async fn login_link_from(t: &TestApp, forwarded_for: &str, n: usize) -> bool {
    let browser = t.browser();
    browser.get("/login").await;
    let csrf = browser.csrf();
    let answer = browser
        .client
        .post(format!("{}/login", t.base))
        .header("X-Forwarded-For", forwarded_for)
        .form(&[("csrf", csrf.as_str()), ("email", &format!("nobody-{n}@example.dk"))])
        .send()
        .await
        .unwrap();
    answer.status() == 303
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_parent_has_a_rate_limit_of_their_own() {
    let limit = |s: &mut Settings| s.sessions.login_requests_per_address = 2;
    let proxied = TestApp::start_with(|s| {
        limit(s);
        s.http.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    assert!(login_link_from(&proxied, "203.0.113.1", 1).await);
    assert!(login_link_from(&proxied, "203.0.113.1", 2).await);
    assert!(!login_link_from(&proxied, "203.0.113.1", 3).await, "the limit holds per client");
    assert!(login_link_from(&proxied, "203.0.113.2", 4).await, "another parent is not limited by the first");
    // A forged hop left of the proxy's is the client's claim, not believed.
    assert!(!login_link_from(&proxied, "198.51.100.9, 203.0.113.1", 5).await);

    // Without trusted proxies the header is ignored: changing it buys nothing.
    let direct = TestApp::start_with(limit).await;
    for n in 0..2 {
        assert!(login_link_from(&direct, &format!("203.0.113.{n}"), n).await);
    }
    assert!(!login_link_from(&direct, "203.0.113.99", 9).await);
}

#[tokio::test]
async fn over_https_browsers_get_hsts_and_a_secure_csrf_cookie() {
    let plain = TestApp::start().await;
    let answer = reqwest::get(format!("{}/login", plain.base)).await.unwrap();
    assert!(!answer.headers().contains_key("strict-transport-security"));
    let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("saldo_csrf=") && !cookie.contains("Secure"), "{cookie}");

    let public = TestApp::start_with(|s| s.public_url = "https://saldo.kommune.example".into()).await;
    let answer = reqwest::get(format!("{}/login", public.base)).await.unwrap();
    assert_eq!(answer.headers()["strict-transport-security"], "max-age=31536000");
    let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("saldo_csrf=") && cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn the_openapi_states_what_the_server_enforces() {
    let t = TestApp::start().await;
    let (status, doc) = t.get("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let schemas = &doc["components"]["schemas"];
    let quantity = &schemas["PurchaseLine"]["properties"]["quantity"];
    assert_eq!((quantity["minimum"].as_i64(), quantity["maximum"].as_i64()), (Some(1), Some(99)), "{quantity}");
    let lines = &schemas["PurchaseBody"]["properties"]["lines"];
    assert_eq!((lines["minItems"].as_i64(), lines["maxItems"].as_i64()), (Some(1), Some(50)), "{lines}");
    let purchase = &doc["paths"]["/api/v1/till/purchases"]["post"];
    let key = purchase["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "Idempotency-Key").unwrap();
    assert_eq!(key["schema"]["maxLength"].as_i64(), Some(200), "{key}");
    assert!(key["schema"]["pattern"].is_string(), "{key}");
    assert!(purchase["responses"]["413"].is_object());

    // What the schema allows, the server takes: 1.0 is a whole number.
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let product = t.world.product("Frugt").id.clone();
    let body = serde_json::json!({"card": ida.card_number, "lines": [{"product_id": product, "quantity": 1.0}]});
    assert_eq!(t.buy(0, &common::new_key(), &body).await.status, 201);
    let half = serde_json::json!({"card": ida.card_number, "lines": [{"product_id": product, "quantity": 1.5}]});
    let refused = t.buy(0, &common::new_key(), &half).await;
    assert_eq!((refused.status, refused.body["error"].as_str()), (422, Some("invalid_request")));
    // And what it does not, it refuses, saying why in JSON, a 100 KiB body included.
    let huge = format!(r#"{{"card": "{}", "lines": [], "pad": "{}"}}"#, ida.card_number, "x".repeat(100 * 1024));
    let too_large = t.post_raw(Some(t.till_token(0)), Some(&common::new_key()), &huge).await;
    assert_eq!((too_large.status, too_large.body["error"].as_str()), (413, Some("too_large")), "{}", too_large.body);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_nul_character_is_refused_with_a_clear_error_wherever_it_comes_in() {
    // PostgreSQL cannot store it; schemathesis found the 500 it gave.
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let body = serde_json::json!({"card": ida.card_number, "lines": [{"product_id": "frugt\u{0}", "quantity": 1}]});
    let answer = t.buy(0, &common::new_key(), &body).await;
    assert_eq!((answer.status, answer.body["error"].as_str()), (422, Some("invalid_request")), "{}", answer.body);

    let (status, page) = t.get("/portal/children/ida%00", None).await;
    assert_eq!(status, 400, "{page}");
    let (status, answer) = t.get("/api/v1/till/purchases/x%00/void", Some(t.till_token(0))).await;
    assert_eq!(status, 422);
    assert!(answer.contains("invalid_request"), "{answer}");

    let browser = t.browser();
    browser.get("/login").await;
    let page = browser.post("/login", &[("email", "ida\u{0}@example.dk")]).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("nul-tegn"), "{}", page.body);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn an_unknown_address_is_a_saldo_page_in_the_visitors_language() {
    // Issue 14.4: it was an empty 404, and the browser showed its own English page.
    let t = TestApp::start().await;
    let (status, page) = t.get("/no-such-page", None).await;
    assert_eq!(status, 404);
    assert!(page.contains("Siden findes ikke") && page.contains(r#"href="/""#), "{page}");
    let english = reqwest::Client::new()
        .get(format!("{}/portal/nowhere", t.base))
        .header("Cookie", "saldo_lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(english.status(), 404);
    assert!(english.text().await.unwrap().contains("lang=\"en\""));
    let (status, api) = t.get("/api/v1/nowhere", None).await;
    assert_eq!(status, 404);
    assert!(api.contains(r#""error":"not_found""#), "{api}");
}
