//! Issue 14.7: one payment for several children. Each child's part is
//! checked against that child's limits, the provider is paid once (the fee
//! once), one journal entry credits every wallet its part, a callback twice
//! credits once, and a payout to the card refunds a part from that payment.

mod common;

use common::{field, TestApp};
use saldo_core::lifecycle::{RefundStatus, WithdrawalStatus};
use saldo_core::Money;

#[tokio::test]
async fn one_payment_puts_each_childs_part_on_each_wallet_once() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let oscar = t.world.sibling(&ida, "Oscar", Money::kr(50)).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let overview = parent.get("/portal").await;
    assert!(overview.body.contains(r#"href="/portal/deposit""#), "{}", overview.body);
    let form = parent.get("/portal/deposit").await;
    assert!(form.body.contains("Ida") && form.body.contains("Oscar"), "{}", form.body);

    // Over the cap for one child: nothing starts, and the error names that child.
    let over = parent
        .post(
            "/portal/deposit",
            &[
                ("child", ida.child_id.as_str()),
                ("amount", "100"),
                ("child", oscar.child_id.as_str()),
                ("amount", "999"),
            ],
        )
        .await;
    assert_eq!(over.status, 200, "{}", over.body);
    assert!(over.body.contains("Oscar: Saldoen må højst være"), "{}", over.body);
    assert!(over.body.contains(r#"value="999""#), "the amounts come back as typed");
    let none = parent.post("/portal/deposit", &[("child", ida.child_id.as_str()), ("amount", "")]).await;
    assert!(none.body.contains("Skriv et beløb for mindst ét barn"), "{}", none.body);
    let bad = parent.post("/portal/deposit", &[("child", ida.child_id.as_str()), ("amount", "mange")]).await;
    assert!(bad.body.contains("Ida: skriv beløbet i kroner"), "{}", bad.body);
    assert_eq!((t.world.balance(&ida).await, t.world.balance(&oscar).await), (Money::kr(100), Money::kr(50)));

    let started = parent
        .post(
            "/portal/deposit",
            &[
                ("child", ida.child_id.as_str()),
                ("amount", "100"),
                ("child", oscar.child_id.as_str()),
                ("amount", "75,50"),
            ],
        )
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let hosted = parent.get(started.location.as_deref().unwrap()).await;
    assert!(hosted.body.contains("175,50"), "the provider charges the sum: {}", hosted.body);
    assert!(hosted.body.contains("Indbetaling til Ida og Oscar"), "{}", hosted.body);
    let query = field(&hosted.body, "q");
    let paid =
        parent.post("/sandbox-pay/pay", &[("q", &query), ("card", "4111 1111 1111 1111"), ("choice", "pay")]).await;
    let receipt = paid.location.unwrap();
    t.run_jobs().await;
    t.run_jobs().await; // a second run finds nothing more to credit
    assert_eq!(t.world.balance(&ida).await, Money::kr(200));
    assert_eq!(t.world.balance(&oscar).await, Money::from_ore(12_550));
    let done = parent.get(&receipt).await;
    assert!(done.body.contains("Betalingen gjaldt også") && done.body.contains("Oscar"), "{}", done.body);
    assert!(done.body.contains("125,50 kr."), "Oscar's new balance: {}", done.body);
    let statement = parent.get(&format!("/portal/children/{}/statement", oscar.child_id)).await;
    assert!(statement.body.contains("Indbetaling") && statement.body.contains("75,50 kr."), "{}", statement.body);
    t.world.assert_books_balance().await;

    // Oscar's part goes back to the card it came from, as a refund of that one payment.
    let path = format!("/portal/children/{}/withdraw", oscar.child_id);
    assert_eq!(parent.post(&path, &[("amount", "50"), ("method", "card")]).await.status, 303);
    let operator = t.signed_in(&t.world.operator().await).await;
    let pending = t.app.store.withdrawals_with_status(WithdrawalStatus::Requested, 10).await.unwrap();
    assert_eq!(operator.post(&format!("/admin/withdrawals/{}/approve", pending[0].id), &[]).await.status, 303);
    t.run_jobs().await;
    let parts = t.app.store.payout_refunds_of(&pending[0].id).await.unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].status, RefundStatus::Refunded, "{parts:?}");
    assert_eq!(t.world.balance(&oscar).await, Money::from_ore(7_550));
    assert_eq!(t.world.balance(&ida).await, Money::kr(200));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_declined_payment_for_several_children_credits_none_of_them() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let oscar = t.world.sibling(&ida, "Oscar", Money::kr(50)).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let started = parent
        .post(
            "/portal/deposit",
            &[("child", ida.child_id.as_str()), ("amount", "20"), ("child", oscar.child_id.as_str()), ("amount", "20")],
        )
        .await;
    let hosted = parent.get(started.location.as_deref().unwrap()).await;
    let query = field(&hosted.body, "q");
    parent.post("/sandbox-pay/pay", &[("q", &query), ("card", "4000 0000 0000 0002"), ("choice", "pay")]).await;
    t.run_jobs().await;
    assert_eq!((t.world.balance(&ida).await, t.world.balance(&oscar).await), (Money::kr(100), Money::kr(50)));
    t.world.assert_books_balance().await;
}
