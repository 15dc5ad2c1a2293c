//! Withdrawals (issue "Relatives and withdrawals"): reserved at once, approved
//! or rejected by the operator, every step a journal entry, the books holding.

mod common;

use common::{new_key, pay, quoted_printable, TestApp};
use saldo_core::lifecycle::{RefundStatus, WithdrawalStatus};
use saldo_core::Money;

#[tokio::test]
async fn a_withdrawal_reserves_the_money_at_once_and_a_rejection_releases_it() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let asked = parent
        .post(
            &format!("/portal/children/{}/withdraw", ida.child_id),
            &[("amount", "95"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert_eq!(t.world.balance(&ida).await, Money::kr(5), "reserved at once");
    t.world.assert_books_balance().await;
    // A purchase that would dip into the reserved amount is declined.
    let sandwich = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    assert_eq!(sandwich.body["reason"], "insufficient_funds");
    let too_much = parent
        .post(
            &format!("/portal/children/{}/withdraw", ida.child_id),
            &[("amount", "6"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")],
        )
        .await;
    assert!(too_much.body.contains("større end saldoen"));

    let operator = t.signed_in(&t.world.operator().await).await;
    let queue = operator.get("/admin/withdrawals").await;
    assert!(queue.body.contains("95,00 kr."), "{}", queue.body);
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
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
    // Issue 14.3: until the operator approves, the statement says it waits.
    let statement = parent.get(&format!("/portal/children/{}/statement", ida.child_id)).await;
    assert!(statement.body.contains("Udbetaling (afventer godkendelse)"), "{}", statement.body);
    let operator = t.signed_in(&t.world.operator().await).await;
    assert!(operator.get("/admin/withdrawals").await.body.contains("1234 0001234567"));
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    assert_eq!(t.app.store.withdrawals_with_status(WithdrawalStatus::Paid, 10).await.unwrap().len(), 1);
    assert_eq!(t.world.balance(&ida).await, Money::ZERO);
    let statement = parent.get(&format!("/portal/children/{}/statement", ida.child_id)).await;
    assert!(statement.body.contains("Udbetaling") && statement.body.contains("-100,00 kr."));
    assert!(!statement.body.contains("afventer godkendelse"), "paid now: {}", statement.body);
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
    parent.post(&path, &[("amount", "10"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")]).await;
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
    assert_eq!(parent.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 404);
    assert_eq!(t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_closed_account_cancels_its_cards_and_its_personal_data_goes_after_retention() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(30), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let close = format!("/portal/children/{}/close", ida.child_id);
    let refused = parent.post(&close, &[]).await;
    assert!(refused.body.contains("stadig penge på kontoen"), "{}", refused.body);
    parent
        .post(
            &format!("/portal/children/{}/withdraw", ida.child_id),
            &[("amount", "30"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")],
        )
        .await;
    let operator = t.signed_in(&t.world.operator().await).await;
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
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

/// A payout to the card goes back as refunds of the parent's own deposits at
/// the provider, newest first, each part once. Money that came another way
/// (the old system, a grandparent) cannot go to the parent's card.
#[tokio::test]
async fn a_payout_to_the_card_is_refunded_from_the_parents_own_deposits_once() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    pay(&t, &parent, &ida.child_id, "150", "4111 1111 1111 1111").await;
    pay(&t, &parent, &ida.child_id, "50", "4111 1111 1111 1111").await;
    t.run_jobs().await;
    assert_eq!(t.world.balance(&ida).await, Money::kr(300));
    let path = format!("/portal/children/{}/withdraw", ida.child_id);
    assert!(parent.get(&path).await.body.contains("Lige nu højst 200,00 kr."));
    let too_much = parent.post(&path, &[("amount", "250"), ("method", "card")]).await;
    assert!(too_much.body.contains("Højst 200,00 kr. kan sendes tilbage til dit kort"), "{}", too_much.body);
    assert_eq!(t.world.balance(&ida).await, Money::kr(300), "a refused request reserves nothing");
    assert_eq!(parent.post(&path, &[("amount", "180"), ("method", "card")]).await.status, 303);
    let operator = t.signed_in(&t.world.operator().await).await;
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    t.run_jobs().await;
    // The newest deposit first, then the rest from the older one: 50 + 130.
    let refunds = t.app.store.sandbox_refunds().await.unwrap();
    let mut amounts = refunds.iter().map(|(_, amount)| *amount).collect::<Vec<_>>();
    amounts.sort();
    assert_eq!(amounts, [Money::kr(50), Money::kr(130)]);
    let parts = t.app.store.payout_refunds_of(&pending[0].id).await.unwrap();
    assert!(parts.iter().all(|p| p.status == RefundStatus::Refunded), "{parts:?}");
    // Asked again (a retry after a crash), the provider answers the first refund.
    for part in &parts {
        let again = t.app.provider.refund(&part.payment_ref, part.amount, &part.idem_key).await.unwrap();
        assert!(matches!(again, saldo_pay::RefundOutcome::Refunded { .. }));
    }
    // The provider never gives back more of a payment than was paid.
    let over = t.app.provider.refund(&parts[0].payment_ref, Money::kr(1000), "another-key").await.unwrap();
    assert!(matches!(over, saldo_pay::RefundOutcome::Refused { .. }));
    saldo_app::withdrawals::run_refund(&t.app, &parts[0].id).await.unwrap();
    assert_eq!(t.app.store.sandbox_refunds().await.unwrap().len(), 2, "refunded once each");
    assert_eq!(t.world.balance(&ida).await, Money::kr(120));
    let mails = t.mail.to(&ida.custodian_email);
    assert!(mails
        .iter()
        .any(|m| quoted_printable(&m.data).contains("sendes tilbage til det eller de kort, du har indbetalt med")));
    assert!(parent.get(&path).await.body.contains("Lige nu højst 20,00 kr."));
    t.world.assert_books_balance().await;
}

/// The provider refuses part of a card payout: that part goes back on the
/// child's account (and can be paid out again), the parent is told, and the
/// operator sees it.
#[tokio::test]
async fn a_refund_the_provider_refuses_goes_back_on_the_account() {
    let t = TestApp::start().await;
    // 100 kr. from the old system, which can only be paid out to a bank account.
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    pay(&t, &parent, &ida.child_id, "150", "4111 1111 1111 1111").await;
    pay(&t, &parent, &ida.child_id, "50", "4111 1111 1111 1111").await;
    t.run_jobs().await;
    let path = format!("/portal/children/{}/withdraw", ida.child_id);
    assert_eq!(parent.post(&path, &[("amount", "180"), ("method", "card")]).await.status, 303);
    // A second request cannot promise the same deposits to the card again.
    let twice = parent.post(&path, &[("amount", "30"), ("method", "card")]).await;
    assert!(twice.body.contains("Højst 20,00 kr. kan sendes tilbage til dit kort"), "{}", twice.body);
    let operator = t.signed_in(&t.world.operator().await).await;
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    // Meanwhile the 50 kr. payment was refunded another way at the provider: our refund of it is refused.
    let mut planned = t.app.store.payout_refunds_of(&pending[0].id).await.unwrap();
    planned.sort_by_key(|p| p.amount);
    assert_eq!(planned.iter().map(|p| p.amount).collect::<Vec<_>>(), [Money::kr(50), Money::kr(130)]);
    t.app.provider.refund(&planned[0].payment_ref, Money::kr(50), "refunded-elsewhere").await.unwrap();
    t.run_jobs().await;
    let mut settled = t.app.store.payout_refunds_of(&pending[0].id).await.unwrap();
    settled.sort_by_key(|p| p.amount);
    assert_eq!(settled.iter().map(|p| p.status).collect::<Vec<_>>(), [RefundStatus::Refused, RefundStatus::Refunded]);
    assert_eq!(t.world.balance(&ida).await, Money::kr(170), "300 - 180 + the refused 50");
    let told = t.mail.to(&ida.custodian_email);
    assert!(told.iter().any(|m| quoted_printable(&m.data).contains("Beløbet står igen på Idas konto")));
    assert!(operator.get("/admin/withdrawals").await.body.contains("Refusioner, som betalingsudbyderen afviste"));
    t.world.assert_books_balance().await;
}

/// The provider never answers a refund: the runner gives up after its
/// retries, the part stays due (the books hold), and the operator sees it, to
/// ask again from the job queue with the same key.
#[tokio::test]
async fn a_refund_the_provider_never_answers_is_shown_to_the_operator() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let t = TestApp::start_with(|s| s.sandbox.api_url = Some(format!("http://127.0.0.1:{closed}"))).await;
    let ida = t.world.child("Ida", Money::kr(0), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    pay(&t, &parent, &ida.child_id, "100", "4111 1111 1111 1111").await;
    t.run_jobs().await;
    let path = format!("/portal/children/{}/withdraw", ida.child_id);
    assert_eq!(parent.post(&path, &[("amount", "60"), ("method", "card")]).await.status, 303);
    let operator = t.signed_in(&t.world.operator().await).await;
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    for _ in 0..12 {
        t.app.clock.advance(jiff::SignedDuration::from_mins(10));
        t.run_jobs().await;
    }
    let parts = t.app.store.payout_refunds_of(&pending[0].id).await.unwrap();
    assert_eq!(parts.iter().map(|p| p.status).collect::<Vec<_>>(), [RefundStatus::Pending]);
    // Two hours on: a fresh sign-in.
    let operator = t.signed_in(&t.world.operator().await).await;
    let page = operator.get("/admin/withdrawals").await.body;
    assert!(page.contains("Refusioner uden svar fra betalingsudbyderen"), "{page}");
    assert_eq!(t.world.balance(&ida).await, Money::kr(40));
    t.world.assert_books_balance().await;
}
