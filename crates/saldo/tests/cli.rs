//! The binary as an operator and a new developer use it: demo, verify, migrate.

mod common;

use std::process::Command;

use common::{start_demo, verify, SALDO};
use saldo_store::test_db::TestDb;
use serde_json::json;
use serde_json::Value;

#[tokio::test]
async fn the_demo_serves_a_page_and_the_till_api_and_keeps_the_books() {
    let db = TestDb::new().await;
    let credentials_file = std::env::temp_dir().join(format!("saldo-credentials-{}.json", std::process::id()));
    let demo = start_demo(&db, &credentials_file, None);
    let c = &demo.credentials;
    let base = c["base_url"].as_str().expect("base_url");
    assert!(c["tills"].as_array().is_some_and(|t| t.len() >= 4));
    assert!(c["cards"].as_array().is_some_and(|cards| cards.len() >= 20));
    for role in ["custodian", "relative", "office", "till_staff", "operator"] {
        assert!(c["people"].as_array().unwrap().iter().any(|p| p["role"] == role), "no {role} in the demo");
    }
    // The seed's example: 40 kr a day on a 300 kr balance.
    assert!(c["cards"]
        .as_array()
        .unwrap()
        .iter()
        .any(|card| card["balance_ore"] == 30000 && card["daily_limit_ore"] == 4000));

    let http = reqwest::Client::new();
    let landing = http.get(format!("{base}/")).send().await.expect("GET /");
    assert_eq!(landing.status(), 200);
    assert!(landing.text().await.unwrap().contains("Saldo"));

    let token = c["tills"][0]["token"].as_str().unwrap();
    let products: Value =
        http.get(format!("{base}/api/v1/till/products")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let card = &c["cards"][0];
    let answer = http
        .post(format!("{base}/api/v1/till/purchases"))
        .bearer_auth(token)
        .header("Idempotency-Key", "cli-test-1")
        .json(&json!({"card": card["number"], "lines": [{"product_id": products[0]["id"], "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["child"]["first_name"], card["first_name"]);

    // The README's till snippet needs nothing but the binary: `saldo till-sale --credentials demo.json`.
    let sale = Command::new(SALDO)
        .args(["till-sale", "--credentials"])
        .arg(&credentials_file)
        .args(["--product", "frugt"])
        .output()
        .expect("run till-sale");
    let printed = String::from_utf8_lossy(&sale.stdout);
    assert!(sale.status.success(), "{printed}{}", String::from_utf8_lossy(&sale.stderr));
    assert!(printed.contains("Idempotency-Key: till-sale-") && printed.contains("201 Created"), "{printed}");
    assert!(printed.contains(card["first_name"].as_str().unwrap()), "{printed}");
    let wrong = Command::new(SALDO)
        .args(["till-sale", "--url", base, "--token", "not-a-token", "--card", "1"])
        .output()
        .expect("run till-sale");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("token was refused"));
    drop(demo);
    let _ = std::fs::remove_file(&credentials_file);

    let (holds, report) = verify(&db);
    assert!(holds, "{report}");
    assert!(report.contains("The books hold"), "{report}");
}

#[tokio::test]
async fn a_second_demo_start_reuses_the_data_with_fresh_till_tokens() {
    let db = TestDb::new().await;
    let file = std::env::temp_dir().join(format!("saldo-credentials-reuse-{}.json", std::process::id()));
    let first = start_demo(&db, &file, None);
    let first_cards = first.credentials["cards"].clone();
    let first_token = first.credentials["tills"][0]["token"].clone();
    drop(first);
    let second = start_demo(&db, &file, None);
    assert_eq!(second.credentials["cards"], first_cards, "the same children and balances");
    assert_ne!(second.credentials["tills"][0]["token"], first_token);
    drop(second);
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn verify_fails_loudly_when_a_balance_was_changed_behind_the_ledger() {
    let db = TestDb::new().await;
    let app = saldo_app::App::open(&db.url).await.unwrap();
    saldo_app::demo::seed_if_empty(&app).await.unwrap();
    assert!(verify(&db).0);
    // Someone "fixes" a balance by hand, outside the ledger.
    sqlx_tamper(&db.url).await;
    let (holds, report) = verify(&db);
    assert!(!holds, "verify must fail: {report}");
    assert!(report.contains("CachedBalanceDiffers"), "{report}");
}

/// Raw SQL from outside the application, as a careless hand in the database would.
async fn sqlx_tamper(url: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query("UPDATE wallet SET balance_ore = balance_ore + 100 WHERE id = (SELECT MIN(id) FROM wallet)")
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn migrate_is_repeatable() {
    let db = TestDb::new().await;
    for _ in 0..2 {
        let out = Command::new(SALDO).args(["migrate", "--database-url", &db.url]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(verify(&db).0);
}

#[test]
fn help_and_errors_are_readable() {
    let help = Command::new(SALDO).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for command in ["serve", "migrate", "verify", "demo"] {
        assert!(text.contains(command), "{text}");
    }
    let bad = Command::new(SALDO).args(["verify", "--database-url", "mysql://nope"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("sqlite://PATH or postgres://"));
}

#[tokio::test]
async fn the_operator_sets_a_staff_password_from_the_command_line() {
    let db = TestDb::new().await;
    let store = saldo_store::Store::open(&db.url).await.expect("open");
    let mut tx = store.begin().await.expect("begin");
    let now = jiff::Timestamp::now();
    let clerk = tx.create_person("Hanne", "Kontor", Some("kontor@skole.example.dk"), now).await.expect("person");
    tx.grant_staff_role(&clerk, saldo_store::StaffRole::Office, "").await.expect("role");
    tx.create_person("Mette", "Forælder", Some("mette@example.dk"), now).await.expect("person");
    tx.commit().await.expect("commit");
    let set = |email: &str, password: &str| {
        Command::new(SALDO)
            .args(["staff-password", "--database-url", &db.url, "--email", email])
            .env("SALDO_STAFF_PASSWORD", password)
            .output()
            .expect("run saldo staff-password")
    };
    let done = set("kontor@skole.example.dk", "en-lang-adgangskode");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let (person, hash) = store.staff_password("kontor@skole.example.dk").await.expect("read").expect("a password");
    assert_eq!(person, clerk);
    assert!(hash.starts_with("$argon2id$") && !hash.contains("en-lang-adgangskode"));
    let short = set("kontor@skole.example.dk", "kort");
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let parent = set("mette@example.dk", "en-lang-adgangskode");
    assert_eq!(parent.status.code(), Some(2), "a parent gets no staff password");
}

#[test]
fn serve_refuses_to_start_with_the_sandbox_key_from_the_source() {
    let dir = std::env::temp_dir().join(format!("saldo-sandbox-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("saldo.toml");
    std::fs::write(&config, "[payments]\nprovider = \"sandbox\"\n").unwrap();
    let db = format!("sqlite://{}", dir.join("refused.db").display());
    let output = Command::new(SALDO)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--database-url", &db, "--listen", "127.0.0.1:0"])
        .output()
        .expect("run saldo serve");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("refusing to start") && stderr.contains("[sandbox] secret"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_refuses_to_start_when_a_named_provider_lacks_its_credentials() {
    let dir = std::env::temp_dir().join(format!("saldo-provider-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("saldo.toml");
    std::fs::write(&config, "[payments]\nproviders = [\"nexi\"]\n\n[nexi]\nterms_url = \"https://x/terms\"\n").unwrap();
    let db = format!("sqlite://{}", dir.join("refused.db").display());
    let output = Command::new(SALDO)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--database-url", &db, "--listen", "127.0.0.1:0"])
        .env("SALDO_NEXI__WEBHOOK_KEY", "a-long-webhook-key-from-the-environment")
        .output()
        .expect("run saldo serve");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("[nexi] secret_key is not set (or SALDO_NEXI__SECRET_KEY)"), "{stderr}");
    assert!(!stderr.contains("webhook_key"), "the variable counts: {stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn reconcile_reports_a_day_and_exits_by_whether_it_balances() {
    let db = TestDb::new().await;
    let out =
        Command::new(SALDO).args(["reconcile", "--date", "2026-12-05", "--database-url", &db.url]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Reconciliation for 2026-12-05") && text.contains("No payments."), "{text}");
    let bad = Command::new(SALDO).args(["reconcile", "--date", "5/12", "--database-url", &db.url]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
