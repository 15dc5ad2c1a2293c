//! Issue 6: `saldo serve` is killed in the middle of an automatic top-up,
//! after the provider charged the card and before Saldo heard the answer.
//! Started again, it finishes the top-up by asking the provider once more
//! with the same idempotency key: the card is charged once, the wallet
//! credited once, and the books hold.

mod common;

use saldo_core::lifecycle::ChargeStatus;
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use common::{verify, SALDO};
use saldo_core::Money;
use saldo_store::test_db::TestDb;
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// A `saldo serve` process, killed when dropped.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn serve(db: &TestDb, config: &std::path::Path) -> (Serve, String) {
    let port = StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(SALDO)
        .arg("--config")
        .arg(config)
        .args(["serve", "--database-url", &db.url, "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start saldo serve");
    let process = Serve(child);
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while reqwest::get(format!("{base}/readyz")).await.map(|r| r.status() != 200).unwrap_or(true) {
        assert!(Instant::now() < deadline, "saldo serve did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (process, base)
}

/// Stands between Saldo and the sandbox provider's charge API: passes the
/// charge on, and once the provider has answered, tells the test (which then
/// kills Saldo) instead of passing the answer back.
#[derive(Clone)]
struct Interceptor {
    provider: Arc<Mutex<String>>,
    charged: mpsc::UnboundedSender<Value>,
}

async fn intercept(State(s): State<Interceptor>, headers: HeaderMap, body: Bytes) -> &'static str {
    let provider = s.provider.lock().unwrap().clone();
    let mut request = reqwest::Client::new().post(format!("{provider}/sandbox-pay/api/charges")).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name.as_str(), value.as_bytes());
        }
    }
    let answer: Value = request.send().await.expect("the provider answers").json().await.expect("JSON");
    let _ = s.charged.send(answer);
    // Saldo dies waiting for this answer.
    std::future::pending().await
}

/// Not the key in the source: `saldo serve` refuses that one.
const SECRET: &str = "kill-mid-charge-test-secret-4711";

fn write_config(path: &std::path::Path, sandbox_api: Option<&str>) {
    let api = sandbox_api.map(|url| format!("api_url = \"{url}\"\n")).unwrap_or_default();
    // Short leases, so the restarted runner takes the dead one's job within seconds.
    let text = format!(
        "[jobs]\nlease_secs = 2\npoll_ms = 100\n\n[payments]\nprovider = \"sandbox\"\n\n\
         [sandbox]\nsecret = \"{SECRET}\"\ncallback_delay_ms = 0\n{api}"
    );
    std::fs::write(path, text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_saldo_serve_mid_charge_and_starting_it_again_charges_once() {
    let db = TestDb::new().await;
    let app = saldo_app::App::open(&db.url).await.unwrap();
    saldo_app::demo::seed_if_empty(&app).await.unwrap();
    // A child with room under the balance cap, whose custodian keeps an
    // agreement that any purchase now dips under.
    let card = app
        .store
        .active_cards(1_000)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.daily_limit.is_none() && c.balance > Money::kr(50) && c.balance < Money::kr(500))
        .expect("a demo child without a daily limit");
    let owner = app.store.person_by_email(card.custodian_email.as_deref().unwrap()).await.unwrap().unwrap();
    let mut tx = app.store.begin().await.unwrap();
    tx.save_agreement(
        &saldo_store::NewAgreement {
            id: "agr_kill".into(),
            child_id: card.child_id.clone(),
            person_id: owner.id.clone(),
            threshold: card.balance,
            amount: Money::kr(100),
            provider: "sandbox".into(),
            provider_token: "tok_sbx_4242_kill".into(),
            status: "active",
            card: None,
        },
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let till = saldo_app::demo::credentials(&app, "http://unused").await.unwrap().tills.remove(0).token;

    let (charged, mut heard) = mpsc::unbounded_channel();
    let interceptor = Interceptor { provider: Arc::new(Mutex::new(String::new())), charged };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let interceptor_url = format!("http://{}", listener.local_addr().unwrap());
    let router = axum::Router::new().route("/sandbox-pay/api/charges", post(intercept)).with_state(interceptor.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let dir = std::env::temp_dir().join(format!("saldo-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("saldo.toml");
    write_config(&config, Some(&interceptor_url));
    let (mut first, base) = serve(&db, &config).await;
    // The sandbox provider is the one this Saldo serves.
    *interceptor.provider.lock().unwrap() = base.clone();

    let http = reqwest::Client::new();
    let products: Value =
        http.get(format!("{base}/api/v1/till/products")).bearer_auth(&till).send().await.unwrap().json().await.unwrap();
    let product = products.as_array().unwrap().iter().find(|p| p["price_ore"].as_i64() <= Some(5_000)).unwrap();
    let price = Money::from_ore(product["price_ore"].as_i64().unwrap());
    let sale = http
        .post(format!("{base}/api/v1/till/purchases"))
        .bearer_auth(&till)
        .header("Idempotency-Key", "kill-test-sale")
        .json(&json!({"card": card.number, "lines": [{"product_id": product["id"], "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(sale.status(), 201, "{}", sale.text().await.unwrap());

    let answer = tokio::time::timeout(Duration::from_secs(30), heard.recv()).await.expect("a charge").unwrap();
    assert_eq!(answer["outcome"], "succeeded", "{answer}");
    first.0.kill().unwrap();
    first.0.wait().unwrap();
    drop(first);

    // The provider charged; Saldo never heard it.
    let after_sale = card.balance.checked_sub(price).unwrap();
    assert_eq!(app.store.sandbox_charges().await.unwrap(), 1);
    let charges = app.store.charges_of_agreement(&"agr_kill".into()).await.unwrap();
    assert_eq!(charges.iter().map(|c| c.status).collect::<Vec<_>>(), [ChargeStatus::Pending]);
    assert_eq!(app.store.wallet_of_child(&card.child_id).await.unwrap().unwrap().balance, after_sale);

    // Started again (now reaching the provider directly), it finishes the top-up.
    write_config(&config, None);
    let (second, _) = serve(&db, &config).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let charges = app.store.charges_of_agreement(&"agr_kill".into()).await.unwrap();
        if charges[0].status != ChargeStatus::Pending {
            assert_eq!(charges.len(), 1);
            assert_eq!(charges[0].status, ChargeStatus::Succeeded);
            break;
        }
        assert!(Instant::now() < deadline, "the restarted runner did not finish the charge");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(second);
    assert_eq!(app.store.sandbox_charges().await.unwrap(), 1, "the card was charged once");
    let balance = app.store.wallet_of_child(&card.child_id).await.unwrap().unwrap().balance;
    assert_eq!(balance, after_sale.checked_add(Money::kr(100)).unwrap(), "the wallet was credited once");
    let (holds, report) = verify(&db);
    assert!(holds, "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
