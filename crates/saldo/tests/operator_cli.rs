//! The operator's month on the command line (issue 19): the demo's month
//! of history in `saldo report finance`, its CSV and the journal export, and
//! the school-year sync (`saldo sync`: a dry run, then `--apply`, then the
//! same file again changing nothing). The books hold throughout.

mod common;

use std::process::Command;

use common::{start_demo, verify, SALDO};
use saldo_store::test_db::TestDb;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(SALDO).args(args).output().expect("run saldo");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_demo_month_is_reported_and_a_school_export_is_synced_once() {
    let db = TestDb::new().await;
    let dir = std::env::temp_dir().join(format!("saldo-operator-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let started = std::time::Instant::now();
    let demo = start_demo(&db, &dir.join("credentials.json"), None);
    eprintln!("saldo demo with a month of history started in {:?}", started.elapsed());
    drop(demo);

    // The last 30 days reach back into the month before at least in part.
    let copenhagen = jiff::tz::TimeZone::get("Europe/Copenhagen").unwrap();
    let today = jiff::Timestamp::now().to_zoned(copenhagen).date();
    let months = [
        today.strftime("%Y-%m").to_string(),
        today.first_of_month().yesterday().unwrap().strftime("%Y-%m").to_string(),
    ];
    let mut sold = false;
    for month in &months {
        let (ok, text, err) = run(&["report", "finance", month, "--database-url", &db.url]);
        assert!(ok, "{err}");
        assert!(text.contains(&format!("Finance report for {month}")) && text.contains("Liability"), "{text}");
        sold |= text.contains("Kantinen, Absalons Skole");
        let (ok, csv, err) = run(&["report", "finance", month, "--csv", "sales", "--database-url", &db.url]);
        assert!(ok && csv.starts_with("\u{feff}period;institution;sales_point"), "{err}");
        let (ok, journal, err) = run(&["report", "journal", month, "--account", "fees", "--database-url", &db.url]);
        assert!(ok && journal.starts_with("entry_id,created_at"), "{err}");
    }
    assert!(sold, "the demo's history has canteen sales");
    let (ok, _, err) = run(&["report", "finance", "2026-11", "--csv", "nonsense", "--database-url", &db.url]);
    assert!(!ok && err.contains("choose one of deposits, sales"), "{err}");

    let file = dir.join("elever.csv");
    let header = saldo_app::school_sync::COLUMNS.join(";");
    std::fs::write(
        &file,
        format!("{header}\r\nE1;Sigrid;Lund;;S01;3.A;K01;V1;Karen;Lund;karen.lund@example.dk;;;;;;\r\n"),
    )
    .unwrap();
    let file = file.to_string_lossy().into_owned();
    let (ok, dry, err) = run(&["sync", &file, "--database-url", &db.url]);
    assert!(
        ok && dry.contains("Dry run") && dry.contains("1 arrive") && dry.contains("Sigrid Lund (E1)"),
        "{dry}{err}"
    );
    let (ok, applied, _) = run(&["sync", &file, "--apply", "--database-url", &db.url]);
    assert!(ok && applied.contains("Applied:") && applied.contains("1 arrive"), "{applied}");
    let (ok, again, _) = run(&["sync", &file, "--apply", "--database-url", &db.url]);
    assert!(ok && again.contains("0 arrive, 0 move, 0 leave, 0 with custody changes, 1 unchanged"), "{again}");
    let (holds, report) = verify(&db);
    assert!(holds, "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
