//! The move-over from the old system, on the engine the run selects (SQLite by
//! default, PostgreSQL with SALDO_TEST_POSTGRES_URL), with the two reference
//! exports in shared/fixtures: the clean one and the one with anomalies.

use saldo_core::ids::{ChildId, ProductId};
use std::path::{Path, PathBuf};

use saldo_app::import::{import_legacy, Action, Options, Quiet, Report};
use saldo_app::purchase::{purchase, LineRequest, PurchaseOutcome, PurchaseRequest};
use saldo_app::App;
use saldo_core::purchase::Decline;
use saldo_core::rights::{authorize, Action as Right, Denied, Grant, Target};
use saldo_core::Money;
use saldo_store::test_db::TestDb;
use saldo_store::TillRow;

const CLEAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/legacy-export");
const ANOMALIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/legacy-export-anomalies");

async fn fresh() -> (TestDb, App) {
    let db = TestDb::new().await;
    let app = App::open(&db.url).await.expect("open the test database");
    (db, app)
}

async fn import(app: &App, dir: impl AsRef<Path>, dry_run: bool) -> Report {
    let options = Options { dry_run, ..Options::default() };
    import_legacy(app, dir.as_ref(), &options, &Quiet).await.expect("the import runs")
}

async fn snapshot(app: &App) -> (Vec<(String, i64)>, Vec<(String, i64)>) {
    (app.store.money_snapshot().await.unwrap(), app.store.import_snapshot().await.unwrap())
}

async fn assert_books_hold(app: &App) {
    let report = app.verify().await.expect("verify");
    assert!(report.holds(), "the books do not hold: {:#?}", report.problems);
}

async fn child_id(app: &App, legacy_no: &str) -> ChildId {
    app.store.child_id_by_legacy_no(legacy_no).await.unwrap().unwrap_or_else(|| panic!("{legacy_no} not imported"))
}

#[tokio::test]
async fn the_clean_export_reconciles_exactly() {
    let (_db, app) = fresh().await;
    let report = import(&app, CLEAN, false).await;
    assert!(report.reconciled, "{}", report.summary());
    assert_eq!(report.control_total_ore, 79_278_281);
    assert_eq!(report.imported_total_ore, 79_278_281);
    assert_eq!(report.rejected_total_ore, 0);
    assert_eq!(report.ledger_total_ore, 79_278_281);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let expected = [
        ("institutioner.csv", 12),
        ("boern.csv", 2000),
        ("voksne.csv", 2072),
        ("relationer.csv", 3515),
        ("kort.csv", 2343),
        ("konti.csv", 2000),
        ("optankningsaftaler.csv", 596),
    ];
    for (file, rows) in expected {
        let f = report.file(file).unwrap_or_else(|| panic!("{file} is in the report"));
        assert_eq!((f.rows, f.imported, f.repaired, f.rejected, f.created), (rows, rows, 0, 0, rows), "{file}");
    }
    assert_eq!(report.file("kort.csv").unwrap().control_rows, Some(2343));
    assert_eq!(report.applied.created, 12_538);
    let wallets = app.verify().await.unwrap();
    assert_eq!(wallets.wallets, 2000);
    assert_eq!(wallets.wallet_total_ore, 79_278_281);
    assert_books_hold(&app).await;
}

#[tokio::test]
async fn the_export_with_anomalies_reconciles_and_names_every_anomaly() {
    let (_db, app) = fresh().await;
    let report = import(&app, ANOMALIES, false).await;
    assert!(report.reconciled, "{}", report.summary());
    // 12,00 kr. for a child the export does not have, and -15,00 kr. no wallet may hold.
    assert_eq!(report.rejected_total_ore, 1_200 - 1_500);
    assert_eq!(report.imported_total_ore + report.rejected_total_ore, report.control_total_ore);
    assert_eq!(report.control_total_ore, 6_496_835);
    assert_eq!(report.file("boern.csv").unwrap().encoding, saldo_app::import::Encoding::Windows1252);

    use Action::{Rejected, Repaired};
    let expected: &[(&str, usize, Action, &str)] = &[
        ("boern.csv", 9, Repaired, "no usable row in konti.csv"),
        ("boern.csv", 12, Repaired, "stray whitespace removed from Fornavn"),
        ("boern.csv", 202, Repaired, "an exact copy of line 5"),
        ("boern.csv", 203, Rejected, "Institution S99 is not in institutioner.csv"),
        ("voksne.csv", 207, Repaired, "no e-mail address"),
        ("kort.csv", 232, Rejected, "B000001 already has an active card (line 2"),
        ("kort.csv", 233, Rejected, "the same card number (a number belongs to one card) (9208792908100335) as line 2"),
        ("konti.csv", 9, Rejected, "negative balance -15,00 kr."),
        ("konti.csv", 202, Rejected, "BarnNr B999999 is not in boern.csv"),
        ("optankningsaftaler.csv", 58, Rejected, "VoksenNr F777777 is not in voksne.csv"),
    ];
    assert_eq!(report.problems.len(), expected.len(), "{:#?}", report.problems);
    for (file, line, action, reason) in expected {
        let found = report.problems.iter().find(|p| p.file == *file && p.line == *line);
        let problem = found.unwrap_or_else(|| panic!("{file} line {line} is not reported: {:#?}", report.problems));
        assert_eq!(problem.action, *action, "{file} line {line}");
        assert!(problem.reason.contains(reason), "{file} line {line}: {:?} lacks {reason:?}", problem.reason);
    }
    for (name, file) in &report.files {
        assert_eq!(file.rows, file.imported + file.repaired + file.rejected, "{name}");
        if let Some(control) = file.control_rows {
            assert_eq!(file.rows, control, "{name}");
        }
    }

    // What the anomalies became: a quoted name with a semicolon, Windows-1252
    // letters, one copy of the duplicated child, no child for the unknown school.
    let mut tx = app.store.begin().await.unwrap();
    let junior = tx.child(&child_id(&app, "B000012").await).await.unwrap().unwrap();
    assert_eq!(junior.last_name, "Møller; \"Junior\"");
    let aase = tx.child(&child_id(&app, "B000004").await).await.unwrap().unwrap();
    assert_eq!(aase.first_name, "Åse");
    let agnes = tx.child(&child_id(&app, "B000011").await).await.unwrap().unwrap();
    assert_eq!(agnes.first_name, "Agnes");
    drop(tx);
    assert!(app.store.child_id_by_legacy_no("B888888").await.unwrap().is_none());
    let b8 = app.store.wallet_of_child(&child_id(&app, "B000008").await).await.unwrap().unwrap();
    assert_eq!(b8.balance, Money::ZERO, "a negative balance is not carried over");
    let b1_cards = app.store.cards_of_child(&child_id(&app, "B000001").await).await.unwrap();
    assert_eq!(b1_cards.iter().filter(|c| c.state == saldo_core::CardState::Active).count(), 1);

    // The grandparent is a relative: may read and deposit, never withdraw.
    let mormor = app.store.person_by_email("alfred.thomsen1@example.dk").await.unwrap().expect("F000001");
    let grants = app.store.grants_of(&mormor.id).await.unwrap();
    let b3 = child_id(&app, "B000003").await;
    assert!(grants.contains(&Grant::RelativeOf { child: b3.clone() }));
    assert!(grants.contains(&Grant::CustodianOf { child: child_id(&app, "B000001").await }));
    let institutions = Vec::new();
    let target = Target::child(&b3, &institutions);
    assert!(authorize(&grants, Right::SeeStatement, &target).is_ok());
    assert_eq!(authorize(&grants, Right::Withdraw, &target), Err(Denied::RelativeNever));
    assert_books_hold(&app).await;
}

#[tokio::test]
async fn a_second_run_changes_nothing() {
    let (_db, app) = fresh().await;
    let first = import(&app, ANOMALIES, false).await;
    let after_first = snapshot(&app).await;
    let second = import(&app, ANOMALIES, false).await;
    assert!(second.reconciled, "{}", second.summary());
    assert_eq!(second.applied.created, 0);
    assert_eq!(second.applied.updated, 0);
    assert_eq!(second.applied.unchanged, first.applied.created);
    assert!(second.changes.is_empty(), "{:#?}", second.changes);
    assert_eq!(second.problems, first.problems, "the same rows are reported the same way");
    assert_eq!(snapshot(&app).await, after_first);
    assert_books_hold(&app).await;
}

#[tokio::test]
async fn a_dry_run_leaves_the_database_as_it_was() {
    let (_db, app) = fresh().await;
    let empty = snapshot(&app).await;
    let dry = import(&app, CLEAN, true).await;
    assert!(dry.dry_run);
    assert!(dry.reconciled, "{}", dry.summary());
    assert_eq!(dry.applied.created, 12_538, "a dry run reports what it would have done");
    assert_eq!(dry.ledger_total_ore, 79_278_281, "the dry run posted the balances before rolling back");
    assert_eq!(snapshot(&app).await, empty);

    let real = import(&app, CLEAN, false).await;
    assert_eq!(real.files, dry.files, "the dry run reported what the real run then did");
    let imported = snapshot(&app).await;
    let dry_again = import(&app, ANOMALIES, true).await;
    assert!(dry_again.applied.created > 0);
    assert_eq!(snapshot(&app).await, imported);
    assert_books_hold(&app).await;
}

/// A copy of the clean export with `konti.csv` lines and the control total replaced.
fn corrected_export(replacements: &[(&str, &str)], total: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("saldo-corrected-export-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(CLEAN).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let konti = std::fs::read_to_string(dir.join("konti.csv")).unwrap();
    let mut changed = konti.clone();
    for (from, to) in replacements {
        assert!(changed.contains(&format!("\r\n{from}\r\n")), "{from} is in konti.csv");
        changed = changed.replace(&format!("\r\n{from}\r\n"), &format!("\r\n{to}\r\n"));
    }
    std::fs::write(dir.join("konti.csv"), changed).unwrap();
    let control = std::fs::read_to_string(dir.join("kontrolsummer.txt")).unwrap();
    std::fs::write(dir.join("kontrolsummer.txt"), control.replace("Samlet saldo: 792782,81", total)).unwrap();
    dir
}

#[tokio::test]
async fn a_corrected_export_applies_only_its_differences() {
    let (_db, app) = fresh().await;
    import(&app, CLEAN, false).await;
    let entries_before = app.verify().await.unwrap().entries;

    // B000001 had 0,00 kr.: now 125,50 kr. B000002 had no daily limit: now 40 kr.
    let corrected = corrected_export(
        &[("B000001;0,00;30,00", "B000001;125,50;30,00"), ("B000002;0,00;", "B000002;0,00;40,00")],
        "Samlet saldo: 792908,31",
    );
    let report = import(&app, &corrected, false).await;
    assert!(report.reconciled, "{}", report.summary());
    assert_eq!((report.applied.created, report.applied.updated), (0, 2), "{:#?}", report.changes);
    let konti = report.file("konti.csv").unwrap();
    assert_eq!((konti.updated, konti.unchanged), (2, 1998));
    let lines: Vec<(usize, &str)> = report.changes.iter().map(|c| (c.line, c.key.as_str())).collect();
    assert_eq!(lines, vec![(2, "B000001"), (3, "B000002")]);
    assert!(report.changes[0].what.contains("balance 0,00 kr. → 125,50 kr."), "{:?}", report.changes[0]);
    assert!(report.changes[1].what.contains("daily limit none → 40,00 kr."), "{:?}", report.changes[1]);
    let b1 = app.store.wallet_of_child(&child_id(&app, "B000001").await).await.unwrap().unwrap();
    assert_eq!(b1.balance, Money::from_ore(12_550));
    let b2 = app.store.wallet_of_child(&child_id(&app, "B000002").await).await.unwrap().unwrap();
    assert_eq!(b2.daily_limit, Some(Money::kr(40)));
    assert_eq!(app.verify().await.unwrap().entries, entries_before + 1, "one correcting entry");

    // Corrected again, downwards: the difference goes back to migration_opening.
    let lowered = corrected_export(
        &[("B000001;0,00;30,00", "B000001;100,00;30,00"), ("B000002;0,00;", "B000002;0,00;40,00")],
        "Samlet saldo: 792882,81",
    );
    let report = import(&app, &lowered, false).await;
    assert!(report.reconciled, "{}", report.summary());
    assert_eq!((report.applied.created, report.applied.updated), (0, 1), "{:#?}", report.changes);
    assert!(report.changes[0].what.contains("balance 125,50 kr. → 100,00 kr."), "{:?}", report.changes[0]);
    let b1 = app.store.wallet_of_child(&child_id(&app, "B000001").await).await.unwrap().unwrap();
    assert_eq!(b1.balance, Money::kr(100));
    assert_eq!(import(&app, &lowered, false).await.applied.updated, 0, "and then it holds");
    assert!(report.not_in_export.is_empty(), "{:?}", report.not_in_export);

    // A child taken out of the export (with its card and account) is left, and said so.
    let shorter = corrected_export(
        &[("B000001;0,00;30,00", "B000001;100,00;30,00"), ("B000002;0,00;", "B000002;0,00;40,00")],
        "Samlet saldo: 792882,81",
    );
    for file in ["boern.csv", "kort.csv", "konti.csv"] {
        let text = std::fs::read_to_string(shorter.join(file)).unwrap();
        let is_b2000 = |line: &&str| line.starts_with("B002000;") || line.contains(";B002000;");
        let kept: Vec<&str> = text.split("\r\n").filter(|line| !is_b2000(line)).collect();
        std::fs::write(shorter.join(file), kept.join("\r\n")).unwrap();
    }
    let report = import(&app, &shorter, true).await;
    let expected = [("boern.csv".to_owned(), 1), ("kort.csv".to_owned(), 1)].into_iter().collect();
    assert_eq!(report.not_in_export, expected);
    assert!(report.summary().contains("left as they are"));
    let _ = std::fs::remove_dir_all(shorter);
    assert_books_hold(&app).await;
    for dir in [corrected, lowered] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A canteen with a 10 kr. sandwich at the school of the given child, and a till there.
async fn canteen_at_school_of(app: &App, child: &ChildId) -> (TillRow, ProductId) {
    let mut tx = app.store.begin().await.unwrap();
    let school = tx.child(child).await.unwrap().unwrap().school_id.expect("a school");
    let canteen = tx.create_sales_point(&school, "Kantinen").await.unwrap();
    let product = tx.create_product(&canteen, "Sandwich", Money::kr(10), "mad", 0).await.unwrap();
    let token = saldo_app::tills::new_token();
    let hash = saldo_app::idempotency::secret_hash(&token);
    tx.create_till(&canteen, "Kasse 1", &hash, app.now()).await.unwrap();
    tx.commit().await.unwrap();
    let till = saldo_app::tills::authenticate(app, &token).await.unwrap().expect("the till");
    (till, product)
}

async fn buy(app: &App, till: &TillRow, card: &str, product: &ProductId) -> PurchaseOutcome {
    let request =
        PurchaseRequest { card: card.into(), lines: vec![LineRequest { product_id: product.clone(), quantity: 1 }] };
    let key = format!("import-test-{:032x}", rand::random::<u128>()).parse().unwrap();
    purchase(app, till, &key, &request).await.expect("purchase").outcome
}

#[tokio::test]
async fn imported_cards_limits_people_and_agreements_work_at_once() {
    let (_db, app) = fresh().await;
    import(&app, CLEAN, false).await;

    // B000044: 1.972,37 kr., 40 kr. a day, card 9208405446290423 with chip 48FB2FC6.
    let b44 = child_id(&app, "B000044").await;
    let (till, sandwich) = canteen_at_school_of(&app, &b44).await;
    for card in ["9208405446290423", "48FB2FC6", "9208 4054 4629 0423", "9208405446290423"] {
        let outcome = buy(&app, &till, card, &sandwich).await;
        assert!(matches!(outcome, PurchaseOutcome::Approved { .. }), "{card}: {outcome:?}");
    }
    assert_eq!(
        buy(&app, &till, "9208405446290423", &sandwich).await,
        PurchaseOutcome::Declined {
            reason: Decline::DailyLimitExceeded,
            balance: Some(Money::from_ore(193_237)),
            item: None,
            note: String::new(),
            left_today: Some(Money::ZERO),
        }
    );
    // B000013's card is blocked in the old system, and here.
    assert!(matches!(
        buy(&app, &till, "9208817414333771", &sandwich).await,
        PurchaseOutcome::Declined { reason: Decline::CardBlocked, .. }
    ));

    // The agreement is there as the old system had it, with the provider's token.
    let agreements = app.store.agreements_of_child(&b44).await.unwrap();
    assert_eq!(agreements.len(), 1);
    assert!(agreements[0].active);
    assert_eq!((agreements[0].threshold, agreements[0].amount), (Money::kr(50), Money::kr(200)));

    // A custodian finds themself by e-mail, whatever the case they type it in.
    let custodian = app.store.person_by_email("Soeren.Petersen1@example.dk").await.unwrap().expect("F000001");
    let grants = app.store.grants_of(&custodian.id).await.unwrap();
    assert_eq!(grants, vec![Grant::CustodianOf { child: child_id(&app, "B000001").await }]);
    assert_books_hold(&app).await;
}

#[tokio::test]
async fn a_folder_that_is_not_an_export_is_refused_before_anything_is_written() {
    let (_db, app) = fresh().await;
    let before = snapshot(&app).await;
    let empty = std::env::temp_dir().join(format!("saldo-not-an-export-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&empty).unwrap();
    let error = import_legacy(&app, &empty, &Options::default(), &Quiet).await.unwrap_err();
    assert!(error.to_string().contains("institutioner.csv"), "{error}");
    assert_eq!(snapshot(&app).await, before);
    let _ = std::fs::remove_dir_all(empty);
}
