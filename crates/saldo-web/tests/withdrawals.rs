//! Withdrawals (issue "Relatives and withdrawals"): reserved at once, approved
//! or rejected by the operator, every step a journal entry, the books holding.

mod common;

use common::{new_key, TestApp};
use saldo_core::Money;

#[tokio::test]
async fn a_withdrawal_reserves_the_money_at_once_and_a_rejection_releases_it() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let asked = parent
        .post(&format!("/portal/children/{}/withdraw", ida.child_id), &[("amount", "95"), ("method", "card")])
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert_eq!(t.world.balance(&ida).await, Money::kr(5), "reserved at once");
    t.world.assert_books_balance().await;
    // A purchase that would dip into the reserved amount is declined.
    let sandwich = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    assert_eq!(sandwich.body["reason"], "insufficient_funds");
    let too_much = parent
        .post(&format!("/portal/children/{}/withdraw", ida.child_id), &[("amount", "6"), ("method", "card")])
        .await;
    assert!(too_much.body.contains("større end saldoen"));

    let operator = t.signed_in(&t.world.operator().await).await;
    let queue = operator.get("/admin/withdrawals").await;
    assert!(queue.body.contains("95,00 kr."), "{}", queue.body);
    let pending = t.app.store.withdrawals_with_status("requested", 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/reject", pending[0].id), &[]).await.status, 303);
    assert_eq!(t.world.balance(&ida).await, Money::kr(100), "released");
    // Deciding twice changes nothing.
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    assert_eq!(t.world.balance(&ida).await, Money::kr(100));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn an_approved_withdrawal_is_paid_out_to_a_validated_bank_account() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let path = format!("/portal/children/{}/withdraw", ida.child_id);
    let bad =
        parent.post(&path, &[("amount", "100"), ("method", "bank"), ("reg_no", "12"), ("account_no", "123")]).await;
    assert!(bad.body.contains("registreringsnummer på 4 cifre"));
    assert_eq!(t.world.balance(&ida).await, Money::kr(100));
    let ok = parent
        .post(&path, &[("amount", "100"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")])
        .await;
    assert_eq!(ok.status, 303);
    let operator = t.signed_in(&t.world.operator().await).await;
    assert!(operator.get("/admin/withdrawals").await.body.contains("1234 0001234567"));
    let pending = t.app.store.withdrawals_with_status("requested", 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    assert_eq!(t.app.store.withdrawals_with_status("paid", 10).await.unwrap().len(), 1);
    assert_eq!(t.world.balance(&ida).await, Money::ZERO);
    let statement = parent.get(&format!("/portal/children/{}/statement", ida.child_id)).await;
    assert!(statement.body.contains("Udbetaling") && statement.body.contains("-100,00 kr."));
    // Another payout to a bank account waits for a decision: it is no transfer yet.
    let noah = t.world.sibling(&ida, "Noah", Money::kr(50)).await;
    let waiting = format!("/portal/children/{}/withdraw", noah.child_id);
    let fields = [("amount", "50"), ("method", "bank"), ("reg_no", "4321"), ("account_no", "7654321")];
    assert_eq!(parent.post(&waiting, &fields).await.status, 303);
    // Finance gets the transfer to make, as a spreadsheet; each transfer in one new file only.
    let rows = |body: &str| body.trim_start_matches('\u{feff}').lines().map(str::to_owned).collect::<Vec<_>>();
    let csv = operator.get("/admin/withdrawals/bank.csv").await;
    assert_eq!(csv.status, 200);
    let lines = rows(&csv.body);
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert_eq!(lines[0], "Godkendt;Reference;Modtager;Reg.nr.;Kontonr.;Beløb;Barn");
    assert!(lines[1].contains(";1234;0001234567;100,00;"), "{}", lines[1]);
    assert_eq!(rows(&operator.get("/admin/withdrawals/bank.csv").await.body).len(), 1, "handed over once");
    let today = saldo_core::day::local_day(t.app.now()).to_string();
    let again = operator.get(&format!("/admin/withdrawals/bank.csv?from={today}&to={today}")).await;
    assert_eq!(rows(&again.body), lines, "a period's file again");
    let before = operator.get("/admin/withdrawals/bank.csv?from=2020-01-01&to=2020-12-31").await;
    assert_eq!(rows(&before.body).len(), 1, "another period: no transfers");
    assert!(t.app.store.audit_of("admin").await.unwrap().iter().any(|a| a.action == "withdrawal.bank_export"));
    assert_eq!(parent.get("/admin/withdrawals/bank.csv").await.status, 404);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_relative_never_withdraws_and_only_the_operator_approves() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let mormor = t.world.relative(&ida, "Mormor").await;
    let relative = t.signed_in(&mormor).await;
    let path = format!("/portal/children/{}/withdraw", ida.child_id);
    assert_eq!(relative.get(&path).await.status, 403);
    assert_eq!(relative.post(&path, &[("amount", "10"), ("method", "card")]).await.status, 403);
    assert_eq!(t.world.balance(&ida).await, Money::kr(100));
    assert!(t.app.store.audit_of(&ida.child_id).await.unwrap().iter().any(|a| a.action == "denied"));
    let parent = t.signed_in(&ida.custodian_id).await;
    assert_eq!(parent.get("/admin/withdrawals").await.status, 404, "a parent is no operator");
    parent.post(&path, &[("amount", "10"), ("method", "card")]).await;
    let pending = t.app.store.withdrawals_with_status("requested", 10).await.unwrap();
    assert_eq!(parent.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 404);
    assert_eq!(t.app.store.withdrawals_with_status("requested", 10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_closed_account_cancels_its_cards_and_its_personal_data_goes_after_retention() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(30), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let close = format!("/portal/children/{}/close", ida.child_id);
    let refused = parent.post(&close, &[]).await;
    assert!(refused.body.contains("stadig penge på kontoen"), "{}", refused.body);
    parent.post(&format!("/portal/children/{}/withdraw", ida.child_id), &[("amount", "30"), ("method", "card")]).await;
    let operator = t.signed_in(&t.world.operator().await).await;
    let pending = t.app.store.withdrawals_with_status("requested", 10).await.unwrap();
    operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await;
    assert_eq!(parent.post(&close, &[]).await.status, 303);
    let declined = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    assert_eq!(declined.body["reason"], "card_blocked");
    // After the retention period the child's name is gone; the books are not.
    assert_eq!(saldo_app::accounts::erase_expired(&t.app).await.unwrap(), 0, "not before the retention period");
    t.app.clock.advance(jiff::SignedDuration::from_hours(24 * 366));
    assert_eq!(saldo_app::accounts::erase_expired(&t.app).await.unwrap(), 1);
    let child = t.app.store.child(&ida.child_id).await.unwrap().unwrap();
    assert_eq!((child.first_name.as_str(), child.last_name.as_str()), ("", ""));
    assert!(t.app.store.family_of(&ida.custodian_id).await.unwrap().is_empty());
    t.world.assert_books_balance().await;
}
