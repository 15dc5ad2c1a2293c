//! The database's own guards, behind the rules: whatever code asks, the
//! engine refuses to rewrite history, overdraw a wallet or activate two cards.

use saldo_core::ledger::Entry;
use saldo_core::{CardState, ChildId, Money, WalletId};
use saldo_store::test_db::TestDb;
use saldo_store::{EntryMeta, InstitutionKind, PostError, Store};
use sqlx::Connection;

struct Fixture {
    store: Store,
    db: TestDb,
    wallet: WalletId,
    child: ChildId,
}

async fn fixture() -> Fixture {
    let db = TestDb::new().await;
    let store = Store::open(&db.url).await.expect("open");
    let now = jiff::Timestamp::now();
    let mut tx = store.begin().await.unwrap();
    let municipality = tx.create_municipality("K").await.unwrap();
    let school = tx.create_institution(&municipality, "S", InstitutionKind::School).await.unwrap();
    let child = tx.create_child("Ida", "T", Some(&school), None, now).await.unwrap();
    let wallet = tx.create_wallet(&child, None, now).await.unwrap();
    let entry = Entry::migration(&wallet, Money::kr(100)).unwrap();
    tx.post(&entry, &meta(now)).await.unwrap();
    tx.commit().await.unwrap();
    Fixture { store, db, wallet, child }
}

fn meta(at: jiff::Timestamp) -> EntryMeta<'static> {
    EntryMeta { actor: "test", memo: "", at, reverses: None, spend_day: None }
}

async fn raw(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    sqlx::query(sql).execute(&mut conn).await.map(|_| ())
}

#[tokio::test]
async fn postings_and_entries_cannot_be_changed_or_deleted() {
    let f = fixture().await;
    for sql in [
        "UPDATE posting SET amount_ore = amount_ore + 1",
        "DELETE FROM posting",
        "UPDATE journal_entry SET memo = 'changed'",
        "DELETE FROM journal_entry",
    ] {
        let refused = raw(&f.db.url, sql).await;
        assert!(refused.is_err(), "{sql} was allowed");
        assert!(refused.unwrap_err().to_string().contains("append-only"), "{sql}");
    }
    assert!(f.store.verify().await.unwrap().holds());
}

#[tokio::test]
async fn a_wallet_cannot_go_below_zero_whatever_the_code_asks() {
    let f = fixture().await;
    let mut tx = f.store.begin().await.unwrap();
    let fee = Entry::card_fee(&f.wallet, Money::from_ore(100 * 100 + 1)).unwrap();
    assert!(matches!(tx.post(&fee, &meta(jiff::Timestamp::now())).await, Err(PostError::Refused(_))));
    drop(tx);
    let direct = raw(&f.db.url, &format!("UPDATE wallet SET balance_ore = -1 WHERE id = '{}'", f.wallet)).await;
    assert!(direct.is_err(), "the CHECK constraint must refuse a negative balance");
    assert_eq!(f.store.wallet(&f.wallet).await.unwrap().unwrap().balance, Money::kr(100));
    assert!(f.store.verify().await.unwrap().holds());
}

#[tokio::test]
async fn a_child_has_at_most_one_active_card() {
    let f = fixture().await;
    let now = jiff::Timestamp::now();
    let mut tx = f.store.begin().await.unwrap();
    tx.issue_card("9208000000000007", None, &f.child, CardState::Active, now).await.unwrap();
    tx.issue_card("9208000000000015", None, &f.child, CardState::Blocked, now).await.unwrap();
    assert!(tx.issue_card("9208000000000023", None, &f.child, CardState::Active, now).await.is_err());
}

#[tokio::test]
async fn opening_twice_migrates_once() {
    let f = fixture().await;
    let again = Store::open(&f.db.url).await.expect("reopen");
    assert!(again.verify().await.unwrap().holds());
    assert_eq!(again.wallet(&f.wallet).await.unwrap().unwrap().balance, Money::kr(100));
}

#[tokio::test]
async fn sqlite_runs_with_wal_full_sync_and_foreign_keys() {
    let f = fixture().await;
    let settings = f.store.settings().await.unwrap();
    let get = |name: &str| settings.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    if f.db.is_postgres() {
        assert_eq!(get("transaction_isolation"), Some("read committed"));
    } else {
        assert_eq!(get("journal_mode"), Some("wal"));
        assert_eq!(get("synchronous"), Some("2"), "FULL");
        assert_eq!(get("foreign_keys"), Some("1"));
    }
}
