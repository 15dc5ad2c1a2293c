//! Issue 15: `saldo` is killed (`kill -9`) while tills are selling, in the
//! middle of group commits. Started again on the same database, every sale a
//! till heard approved is in the books, none twice, and `saldo verify` holds.
//! Runs on the engine the run selects (SALDO_TEST_POSTGRES_URL), a few
//! seconds of load.

mod common;

use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{start_demo, verify, SALDO};
use saldo_store::test_db::TestDb;
use serde_json::{json, Value};
use sqlx::Row;

/// What a till heard for one request.
#[derive(Clone, Debug)]
struct Sent {
    token: String,
    key: String,
    body: Value,
    /// 201 or 402 with the answer; `None` when the connection broke first.
    heard: Option<(u16, Value)>,
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn serve(db: &TestDb) -> (Serve, String) {
    let port = StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(SALDO)
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

async fn send(http: &reqwest::Client, base: &str, sent: &Sent) -> Option<(u16, Value)> {
    let answer = http
        .post(format!("{base}/api/v1/till/purchases"))
        .bearer_auth(&sent.token)
        .header("Idempotency-Key", &sent.key)
        .json(&sent.body)
        .send()
        .await
        .ok()?;
    let status = answer.status().as_u16();
    Some((status, answer.json().await.ok()?))
}

/// One till selling as fast as the server answers, until `until`.
async fn till(
    base: String,
    token: String,
    cards: Arc<Vec<String>>,
    product: String,
    n: usize,
    until: Instant,
) -> Vec<Sent> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let mut sent = Vec::new();
    let mut i = n;
    while Instant::now() < until {
        i += 7;
        let body = json!({"card": cards[i % cards.len()], "lines": [{"product_id": product, "quantity": 1}]});
        let mut one = Sent { token: token.clone(), key: format!("crash-{n}-{i}"), body, heard: None };
        one.heard = send(&http, &base, &one).await;
        let broke = one.heard.is_none();
        sent.push(one);
        if broke {
            break; // the server is gone
        }
    }
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sales_a_till_heard_approved_survive_a_kill_and_none_is_booked_twice() {
    let db = TestDb::new().await;
    let credentials_file = std::env::temp_dir().join(format!("saldo-crash-{}.json", std::process::id()));
    // The demo comes with a month of earlier sales; only this test's own count.
    let since = jiff::Timestamp::now().as_microsecond();
    let mut demo = start_demo(&db, &credentials_file, None);
    let base = demo.base().to_owned();
    let c = demo.credentials.clone();
    let cards: Arc<Vec<String>> = Arc::new(
        c["cards"].as_array().unwrap().iter().map(|card| card["number"].as_str().unwrap().to_owned()).collect(),
    );
    let http = reqwest::Client::new();
    let mut tills = Vec::new();
    for (n, t) in c["tills"].as_array().unwrap().iter().enumerate().take(4) {
        let token = t["token"].as_str().unwrap().to_owned();
        let menu: Value = http
            .get(format!("{base}/api/v1/till/products"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // The cheapest thing on the menu, so the money lasts through the run.
        let product = menu
            .as_array()
            .unwrap()
            .iter()
            .min_by_key(|p| p["price_ore"].as_i64().unwrap_or(i64::MAX))
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .unwrap();
        for lane in 0..2 {
            tills.push((token.clone(), product.clone(), n * 2 + lane));
        }
    }

    // Eight tills sell; after a second and a half the process dies mid-load.
    let until = Instant::now() + Duration::from_secs(10);
    let running: Vec<_> = tills
        .iter()
        .map(|(token, product, n)| {
            tokio::spawn(till(base.clone(), token.clone(), cards.clone(), product.clone(), *n, until))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    demo.kill();
    let mut sent = Vec::new();
    for lane in running {
        sent.extend(lane.await.unwrap());
    }
    let approved: Vec<&Sent> = sent.iter().filter(|s| matches!(s.heard, Some((201, _)))).collect();
    assert!(approved.len() >= 10, "the load ran: {} sent, {} approved", sent.len(), approved.len());

    // Started again: every answer a till heard is the one on record, and a
    // sale cut off before its answer is decided once, now.
    let (server, base) = serve(&db).await;
    let mut booked = 0;
    for one in &sent {
        let again = send(&http, &base, one).await.expect("the restarted server answers");
        match &one.heard {
            Some((status, answer)) => {
                assert_eq!(again.0, *status, "{}: {answer} then {}", one.key, again.1);
                assert_eq!(again.1["purchase_id"], answer["purchase_id"], "{}", one.key);
                assert_eq!(again.1["balance_ore"], answer["balance_ore"], "{}", one.key);
            }
            None => assert!(again.0 == 201 || again.0 == 402, "{}: {again:?}", one.key),
        }
        if again.0 == 201 {
            booked += 1;
        }
    }
    drop(server);
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let purchases: i64 = sqlx::query("SELECT COUNT(*) AS n FROM purchase WHERE created_at >= $1")
        .bind(since)
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(purchases, booked, "one purchase per approved key, none twice");
    pool.close().await;
    let _ = std::fs::remove_file(&credentials_file);
    let (holds, report) = verify(&db);
    assert!(holds, "{report}");
}
