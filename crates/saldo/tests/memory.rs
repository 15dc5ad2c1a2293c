//! Issue 13.2: a burst of wrong staff logins (anyone can send them) must not
//! take the server's memory with it. Each argon2 check holds its memory cost
//! (19 MiB here, the default) while it runs; the hashing is bounded, so the
//! process stays small during and after the burst.

mod common;

use common::start_demo;
use saldo_store::test_db::TestDb;

/// The resident memory of a process, from Linux's /proc.
fn rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc status");
    kib / 1024
}

#[tokio::test]
async fn thirty_wrong_staff_logins_at_once_leave_the_server_under_128_mb() {
    let db = TestDb::new().await;
    let dir = std::env::temp_dir().join(format!("saldo-memory-{}-{}", std::process::id(), rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("saldo.toml");
    // The full memory cost, and limits high enough that every try is hashed.
    std::fs::write(
        &config,
        "[sessions]\nhash_memory_kib = 19456\nhash_iterations = 2\n\
         login_requests_per_email = 1000\nlogin_requests_per_address = 1000\n",
    )
    .unwrap();
    let demo = start_demo(&db, &dir.join("credentials.json"), Some(&config));
    let base = demo.base().to_owned();
    let email = demo.credentials["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "office")
        .and_then(|p| p["email"].as_str())
        .expect("an office person in the demo")
        .to_owned();
    let pid = demo.process.id();
    let before = rss_mib(pid);

    let token = "a".repeat(64);
    let http = reqwest::Client::new();
    let mut peak = 0;
    let burst: Vec<_> = (0..30)
        .map(|n| {
            let request = http
                .post(format!("{base}/staff/login"))
                .header("Cookie", format!("saldo_csrf={token}"))
                .form(&[("csrf", token.as_str()), ("email", email.as_str()), ("password", &format!("forkert-{n}"))])
                .send();
            tokio::spawn(request)
        })
        .collect();
    for answer in burst {
        peak = peak.max(rss_mib(pid));
        let answer = answer.await.unwrap().expect("an answer");
        assert_eq!(answer.status(), 401, "a wrong password is refused as such");
    }
    peak = peak.max(rss_mib(pid));
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let after = rss_mib(pid);
    assert!(peak < 128 && after < 128, "RSS {before} MiB before, {peak} MiB at most during, {after} MiB after");
    drop(demo);
    let _ = std::fs::remove_dir_all(&dir);
}
