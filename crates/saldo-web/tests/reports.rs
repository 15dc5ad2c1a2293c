//! Finance reports (issue 19.3): a month of real flows (deposits with a fee,
//! sales at two sales points, a refund and a void, a replacement card, a
//! bank payout), and every total of the report tied to the journal by sums
//! of postings this test makes itself. Then the page, the CSV files, the
//! printable report and the journal export, for the operator only.

mod common;

use common::{new_key, pay, TestApp};
use saldo_app::reports::{self, Section};
use saldo_app::testing::{FRUIT, SANDWICH};
use saldo_app::till_setup::TillStaff;
use saldo_core::ids::{EntryId, PersonId};
use saldo_core::lifecycle::WithdrawalStatus;
use saldo_core::period::Period;
use saldo_core::Money;
use sqlx::{Connection, Row};

/// Sums of postings, straight from the tables: the report's figures must equal these.
struct Journal {
    conn: sqlx::AnyConnection,
}

impl Journal {
    async fn open(t: &TestApp) -> Journal {
        sqlx::any::install_default_drivers();
        Journal { conn: sqlx::AnyConnection::connect(&t.world.db.url).await.expect("connect to the test database") }
    }

    /// The net of the postings on accounts of `kind` (one account when `account` is
    /// given), from entries of `entry_kind` (any when empty), made in the period.
    async fn sum(&mut self, period: Period, kind: &str, account: &str, entry_kind: &str) -> i64 {
        let (from, to) = period.bounds();
        sqlx::query(
            "SELECT CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) AS s
               FROM posting p JOIN account a ON a.id = p.account_id JOIN journal_entry e ON e.id = p.entry_id
              WHERE a.kind = $1 AND ($2 = '' OR p.account_id = $2) AND ($3 = '' OR e.kind = $3)
                AND p.created_at >= $4 AND p.created_at < $5",
        )
        .bind(kind)
        .bind(account)
        .bind(entry_kind)
        .bind(from.as_microsecond())
        .bind(to.as_microsecond())
        .fetch_one(&mut self.conn)
        .await
        .expect("sum")
        .try_get("s")
        .expect("s")
    }

    /// What all wallets' postings add up to before `at`.
    async fn wallets_before(&mut self, at: jiff::Timestamp) -> i64 {
        sqlx::query(
            "SELECT CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) AS s
               FROM posting p JOIN account a ON a.id = p.account_id WHERE a.kind = 'wallet' AND p.created_at < $1",
        )
        .bind(at.as_microsecond())
        .fetch_one(&mut self.conn)
        .await
        .expect("sum")
        .try_get("s")
        .expect("s")
    }

    async fn postings_in(&mut self, period: Period) -> i64 {
        let (from, to) = period.bounds();
        sqlx::query("SELECT COUNT(*) AS n FROM posting WHERE created_at >= $1 AND created_at < $2")
            .bind(from.as_microsecond())
            .bind(to.as_microsecond())
            .fetch_one(&mut self.conn)
            .await
            .expect("count")
            .try_get("n")
            .expect("n")
    }
}

/// A month's worth of money moving, through the same routes families, tills and the operator use.
async fn a_busy_month(t: &TestApp) -> (saldo_app::testing::TestChild, PersonId) {
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    pay(t, &parent, &ida.child_id, "200", "4111 1111 1111 1111").await;
    pay(t, &parent, &ida.child_id, "100", "4111 1111 1111 1111").await;
    t.run_jobs().await;
    // Two sandwiches and a fruit at the canteen; one sandwich given back; a fruit sale voided.
    let lunch = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 2)).await;
    assert_eq!(lunch.status, 201, "{:?}", lunch.body);
    let lunch_id = EntryId::new(lunch.body["purchase_id"].as_str().expect("purchase id"));
    saldo_app::refund::refund(&t.app, &lunch_id, Money::kr(SANDWICH), "test").await.expect("refund");
    let fruit = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    let fruit_id = EntryId::new(fruit.body["purchase_id"].as_str().expect("purchase id"));
    let cook = TillStaff {
        person_id: t.world.till_staff(&t.world.canteen, false, "2468").await,
        first_name: "Lone".into(),
        manager: false,
    };
    saldo_app::till_mistakes::void(&t.app, &t.world.tills[0].row, &cook, &fruit_id).await.expect("void");
    // A cola at a club's kiosk, a product category of its own.
    let (_kiosk, kiosk_till, cola) = t.world.other_sales_point("sodavand").await;
    let body = serde_json::json!({"card": ida.card_number, "lines": [{"product_id": cola, "quantity": 1}]});
    let at_kiosk = t.post_raw(Some(&kiosk_till.token), Some(&new_key()), &body.to_string()).await;
    assert_eq!(at_kiosk.status, 201, "{:?}", at_kiosk.body);
    // A lost card replaced (10 kr) and 30 kr paid out to a bank account.
    assert_eq!(parent.post(&format!("/portal/children/{}/replacement", ida.child_id), &[]).await.status, 303);
    let withdraw = [("amount", "30"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")];
    let asked = parent.post(&format!("/portal/children/{}/withdraw", ida.child_id), &withdraw).await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let operator_id = t.world.operator().await;
    let operator = t.signed_in(&operator_id).await;
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    (ida, operator_id)
}

#[tokio::test]
async fn every_total_of_a_months_report_is_the_sum_of_the_postings_it_names() {
    let t = TestApp::start_with(|s| s.deposits.fee_ore = 150).await;
    a_busy_month(&t).await;
    let month = Period::month_of(saldo_core::day::local_day(t.app.now()));
    let report = reports::build(&t.app, month).await.expect("report");
    let mut journal = Journal::open(&t).await;

    // Deposits: what the provider took, the fees kept, what the wallets got.
    let d = &report.deposits;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].provider.as_str(), d[0].method.as_str(), d[0].payments), ("sandbox", "one_off", 2));
    assert_eq!(
        -d[0].charged.ore(),
        journal.sum(month, "provider_clearing", "provider_clearing:sandbox", "deposit").await
    );
    assert_eq!(d[0].fees.ore(), journal.sum(month, "fees", "", "deposit").await);
    assert_eq!(d[0].credited.ore(), journal.sum(month, "wallet", "", "deposit").await);
    assert_eq!((d[0].credited, d[0].fees), (Money::kr(300), Money::from_ore(300)), "two deposits, 1,50 kr fee each");

    // Sales per sales point: sold, refunded, voided, owed.
    assert_eq!(report.sales.len(), 2);
    for s in &report.sales {
        let account = format!("sales:{}", s.sales_point_id);
        assert_eq!(s.gross.ore(), journal.sum(month, "sales", &account, "purchase").await, "{}", s.sales_point);
        assert_eq!(s.refunds.ore(), journal.sum(month, "sales", &account, "refund").await);
        assert_eq!(s.voids.ore(), journal.sum(month, "sales", &account, "reversal").await);
        assert_eq!(s.net.ore(), journal.sum(month, "sales", &account, "").await);
    }
    let canteen = report.sales.iter().find(|s| s.sales_point_id == t.world.canteen).expect("the canteen");
    assert_eq!(canteen.gross, Money::kr(2 * SANDWICH + FRUIT));
    assert_eq!(canteen.net, Money::kr(SANDWICH), "one sandwich kept of two, the fruit voided");
    assert_eq!(report.total_sales().unwrap().ore(), journal.sum(month, "sales", "", "").await);
    // The categories add up to what was rung up.
    let categories = Money::sum(report.categories.iter().map(|c| c.amount)).unwrap();
    assert_eq!(categories.ore(), journal.sum(month, "sales", "", "purchase").await);
    assert!(report.categories.iter().any(|c| c.category == "sodavand" && c.quantity == 1));

    // Payouts: the bank transfer, and nothing left reserved.
    assert_eq!(report.payouts.len(), 1);
    assert!(report.payouts[0].is_bank);
    assert_eq!(report.payouts[0].amount.ore(), journal.sum(month, "provider_clearing", "", "withdrawal").await);
    assert_eq!(report.payouts[0].amount, Money::kr(30));
    assert_eq!(report.payouts_reserved.ore(), journal.sum(month, "payouts_due", "", "").await);
    assert_eq!(report.payouts_reserved, Money::ZERO);

    // Fees: one replacement card.
    assert_eq!(report.fees.card_fees.ore(), journal.sum(month, "fees", "", "card_fee").await);
    assert_eq!((report.fees.card_fees, report.fees.card_fees_count), (Money::kr(10), 1));
    assert_eq!(report.fees.total.ore(), journal.sum(month, "fees", "", "").await);

    // The liability: from the wallets' postings before each end of the month.
    let (from, to) = month.bounds();
    let l = &report.liability;
    assert_eq!(l.start.ore(), journal.wallets_before(from).await);
    assert_eq!(l.end.ore(), journal.wallets_before(to).await);
    assert_eq!(l.movement().ore(), journal.sum(month, "wallet", "", "").await);
    assert_eq!(Money::sum(l.by_kind.iter().map(|(_, m)| *m)).unwrap(), l.movement());
    assert_eq!(l.end.ore(), t.world.snapshot().await.iter().find(|(k, _)| k == "wallet_total_ore").unwrap().1);

    // Every kind of account, and the days' sales adding up to the month's.
    for k in &report.accounts {
        assert_eq!(k.net.ore(), journal.sum(month, &k.account_kind, "", "").await, "{}", k.account_kind);
    }
    assert!(report.unlisted_kinds().is_empty());
    assert_eq!(report.daily_sales.len(), month.days().len());
    assert_eq!(Money::sum(report.daily_sales.iter().map(|d| d.net)).unwrap(), report.total_sales().unwrap());

    // The day's report is the month's, all of it having happened today.
    let today = reports::build(&t.app, Period::Day(saldo_core::day::local_day(t.app.now()))).await.unwrap();
    assert_eq!((today.sales.clone(), today.deposits.clone()), (report.sales.clone(), report.deposits.clone()));
    assert_eq!(today.liability.end, l.end);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn the_next_month_starts_where_the_last_one_ended() {
    let t = TestApp::start().await;
    a_busy_month(&t).await;
    let this_month = Period::month_of(saldo_core::day::local_day(t.app.now()));
    t.app.clock.advance(jiff::SignedDuration::from_hours(24 * 32));
    let next_month = Period::month_of(saldo_core::day::local_day(t.app.now()));
    assert_ne!(this_month, next_month);
    let before = reports::build(&t.app, this_month).await.unwrap();
    let after = reports::build(&t.app, next_month).await.unwrap();
    assert!(before.liability.end.is_positive());
    assert_eq!(after.liability.start, before.liability.end);
    assert_eq!(after.liability.end, after.liability.start, "nothing moved in the new month");
    assert!(after.sales.is_empty() && after.deposits.is_empty() && after.payouts.is_empty());
    assert_eq!(next_month.previous(), this_month);
}

#[tokio::test]
async fn the_operator_reads_the_report_downloads_its_files_and_exports_the_journal() {
    let t = TestApp::start().await;
    let (ida, operator_id) = a_busy_month(&t).await;
    let operator = t.signed_in(&operator_id).await;
    let month = Period::month_of(saldo_core::day::local_day(t.app.now()));

    let page = operator.get(&format!("/admin/reports?period={month}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Økonomirapport") && page.body.contains("<svg"), "{}", page.body);
    assert!(page.body.contains("Testskolen – Kantinen") && page.body.contains("Testbetaling"));
    assert!(page.body.contains("Bankoverførsel") && page.body.contains("30,00 kr."));
    let unreadable = operator.get("/admin/reports?period=sidste-uge").await;
    assert_eq!(unreadable.status, 200);
    assert!(unreadable.body.contains("Perioden kunne ikke læses"));
    let print = operator.get(&format!("/admin/reports/print?period={month}")).await;
    assert_eq!(print.status, 200);
    assert!(print.body.contains("Udskriv siden") && !print.body.contains("Bogføringsudtræk"));

    for section in Section::ALL {
        let file = operator.get(&format!("/admin/reports/{}.csv?period={month}", section.as_str())).await;
        assert_eq!(file.status, 200, "{section:?}");
        assert!(file.body.starts_with('\u{feff}'), "{section:?}: a Danish spreadsheet's file");
    }
    let sales = operator.get(&format!("/admin/reports/sales.csv?period={month}")).await.body;
    assert!(sales.contains("Testskolen;Kantinen;"), "{sales}");
    assert_eq!(operator.get("/admin/reports/nonsense.csv").await.status, 404);

    let journal = operator.get(&format!("/admin/reports/journal.csv?period={month}")).await.body;
    let lines = journal.trim_end().split("\r\n").count() as i64 - 1;
    assert_eq!(lines, Journal::open(&t).await.postings_in(month).await, "every posting once");
    assert!(journal.starts_with("entry_id,created_at,local_date,entry_kind,posting,account_id"));
    let fees = operator.get(&format!("/admin/reports/journal.csv?period={month}&account=fees")).await.body;
    assert!(fees.contains(",card_fee,") && !fees.contains(",purchase,"), "{fees}");
    let audit = t.app.store.audit_of("journal").await.unwrap();
    assert!(audit.iter().any(|a| a.action == "journal_exported" && a.actor == format!("person:{operator_id}")));

    // No one else: a parent, the canteen's manager, an office.
    let parent = t.signed_in(&ida.custodian_id).await;
    let manager = t.signed_in(&t.world.till_staff(&t.world.canteen, true, "1357").await).await;
    let office = t.signed_in(&t.world.staff(Some(&t.world.school), "pw").await.0).await;
    for who in [&parent, &manager, &office] {
        for path in ["/admin/reports", "/admin/reports/print", "/admin/reports/sales.csv", "/admin/reports/journal.csv"]
        {
            assert_eq!(who.get(path).await.status, 403, "{path}");
        }
    }
    t.world.assert_books_balance().await;
}
