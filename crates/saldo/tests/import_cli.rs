//! `saldo import legacy` as an operator runs it: the report file scripts rely
//! on, the exit codes, and a dry run that leaves the database alone.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use saldo_store::test_db::TestDb;
use serde_json::Value;

const SALDO: &str = env!("CARGO_BIN_EXE_saldo");
const CLEAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/legacy-export");
const ANOMALIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/legacy-export-anomalies");

fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("saldo-import-cli-{name}-{:016x}", rand::random::<u64>()))
}

fn import(db: &TestDb, dir: &Path, extra: &[&str]) -> Output {
    Command::new(SALDO)
        .args(["import", "legacy"])
        .arg(dir)
        .args(["--database-url", &db.url])
        .args(extra)
        .env("CI", "true")
        .output()
        .expect("run saldo import legacy")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn verify(db: &TestDb) -> String {
    let out = Command::new(SALDO).args(["verify", "--database-url", &db.url]).output().expect("run verify");
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[tokio::test]
async fn the_report_has_the_keys_scripts_rely_on_and_the_exit_code_says_reconciled() {
    let db = TestDb::new().await;
    let report_file = scratch("report.json");
    let out = import(&db, Path::new(ANOMALIES), &["--report", report_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("RECONCILED"), "{}", text(&out));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report_file).unwrap()).unwrap();
    for key in ["control_total_ore", "imported_total_ore", "rejected_total_ore"] {
        assert!(report[key].is_i64(), "{key}: {report}");
    }
    assert_eq!(report["control_total_ore"], 6_496_835);
    assert_eq!(report["reconciled"], true);
    let files = report["files"].as_object().expect("files");
    assert_eq!(files.len(), 7);
    for (name, file) in files {
        for key in ["rows", "imported", "repaired", "rejected"] {
            assert!(file[key].is_u64(), "{name}.{key}");
        }
    }
    assert_eq!(files["boern.csv"]["rows"], 202);
    let problems = report["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 10);
    for problem in problems {
        assert!(problem["file"].is_string() && problem["line"].is_u64() && problem["reason"].is_string());
        assert!(["repaired", "rejected"].contains(&problem["action"].as_str().unwrap()));
    }
    for key in ["created", "updated", "unchanged"] {
        assert!(report["applied"][key].is_u64(), "applied.{key}");
    }
    assert!(verify(&db).contains("The books hold"));
    let _ = std::fs::remove_file(report_file);
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    let db = TestDb::new().await;
    let report_file = scratch("dry.json");
    let out = import(&db, Path::new(CLEAN), &["--dry-run", "--report", report_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("Dry run"), "{}", text(&out));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report_file).unwrap()).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["applied"]["created"], 12_538);
    assert!(verify(&db).contains("0 journal entries, 0 postings, 0 wallets"), "{}", verify(&db));
    let _ = std::fs::remove_file(report_file);
}

#[tokio::test]
async fn an_export_that_does_not_reconcile_exits_1_and_a_missing_one_2() {
    let db = TestDb::new().await;
    let dir = scratch("wrong-total");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(CLEAN).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let control = std::fs::read_to_string(dir.join("kontrolsummer.txt")).unwrap();
    std::fs::write(dir.join("kontrolsummer.txt"), control.replace("792782,81", "792782,80")).unwrap();
    let out = import(&db, &dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("NOT RECONCILED"), "{}", text(&out));
    assert!(text(&out).contains("difference -0,01 kr."), "{}", text(&out));

    let out = import(&db, &dir.join("nowhere"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("is not a folder"), "{}", text(&out));
    std::fs::remove_file(dir.join("konti.csv")).unwrap();
    let out = import(&db, &dir, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("lacks konti.csv"), "{}", text(&out));
    let _ = std::fs::remove_dir_all(dir);
}
