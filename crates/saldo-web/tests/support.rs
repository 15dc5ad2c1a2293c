//! The support console through HTTP (issue 19.1): support finds an account by
//! what the caller has at hand, reads why a card was declined, acts with a
//! reason, and the custodian sees on the portal who looked and why.

mod common;

use common::{new_key, Browser, TestApp};
use saldo_app::testing::TestChild;
use saldo_core::{CardState, Money};

const WHY: &str = "reason=parent_phone&note=telefon%20fra%20for%C3%A6lder";

fn file(child: &TestChild) -> String {
    format!("/support/children/{}?{WHY}", child.child_id)
}

async fn support_desk(t: &TestApp) -> Browser {
    let support = t.world.support().await;
    t.signed_in(&support).await
}

#[tokio::test]
async fn support_finds_a_card_and_reads_why_it_was_declined() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), Some(Money::kr(15))).await;
    let approved = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    assert_eq!(approved.status, 201, "{:?}", approved.body);
    let declined = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    assert_eq!((declined.status, declined.body["reason"].as_str()), (402, Some("daily_limit_exceeded")));
    let desk = support_desk(&t).await;

    let found = desk.get(&format!("/support?{WHY}&q={}", ida.card_number)).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(found.body.contains("Ida Testesen"), "{}", found.body);
    assert!(found.body.contains(&format!("/support/children/{}?reason=parent_phone", ida.child_id)), "{}", found.body);

    let page = desk.get(&file(&ida)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Dagens grænse for køb er nået."), "the decline in words: {}", page.body);
    assert!(page.body.contains("5,00 kr. tilbage af dagens loft"), "{}", page.body);
    assert!(page.body.contains("Kantinen, Kasse 1"), "where: {}", page.body);
    assert!(page.body.contains("10,00 kr."), "spent today: {}", page.body);
    // Only the decline was noted: an approved sale is not a decline.
    assert_eq!(t.app.store.declines_of_child(&ida.child_id, 10).await.unwrap().len(), 1);

    // The look-up is in the audit log and the access log, with its reason.
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "support.look_up" && a.detail.contains("telefon fra forælder")));
    let access = t.app.store.support_access_of(&ida.child_id, 10).await.unwrap();
    assert_eq!((access[0].action.as_str(), access[0].reason.as_str()), ("look_up", "parent_phone"));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn every_look_up_asks_why_first() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(20), None).await;
    let desk = support_desk(&t).await;
    let nothing = desk.get(&format!("/support?q={}", ida.card_number)).await;
    assert_eq!(nothing.status, 422);
    assert!(nothing.body.contains("Vælg, hvorfor du kigger"), "{}", nothing.body);
    assert!(!nothing.body.contains("Ida Testesen"));
    let other = desk.get(&format!("/support?reason=other&q={}", ida.card_number)).await;
    assert_eq!(other.status, 422, "\"other\" needs a note");
    let ask = desk.get(&format!("/support/children/{}", ida.child_id)).await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("Hvorfor åbner du kontoen?"), "{}", ask.body);
    assert!(!ask.body.contains("Ida Testesen"), "nothing of the child before the reason");
    assert!(t.app.store.support_access_of(&ida.child_id, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn support_searches_by_last_digits_and_name_by_parent_and_by_school() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(20), None).await;
    let noah = t.world.child("Noah", Money::kr(20), None).await;
    let other = t.world.other_school("Naboskolen").await;
    let ida_elsewhere = t.world.child_at(&other, "Ida", Money::kr(5), None).await;
    let desk = support_desk(&t).await;
    let search = |q: String| {
        let desk = &desk;
        async move { desk.get(&format!("/support?{WHY}&q={q}")).await.body }
    };
    let last4 = &ida.card_number[12..];
    let by_digits = search(format!("{last4}%20ida")).await;
    assert!(by_digits.contains(ida.child_id.as_str()) && !by_digits.contains(noah.child_id.as_str()), "{by_digits}");
    let alone = desk.get(&format!("/support?{WHY}&q={last4}")).await;
    assert_eq!(alone.status, 422, "last digits alone are not enough");
    let by_parent = search(noah.custodian_email.replace('@', "%40")).await;
    assert!(by_parent.contains(noah.child_id.as_str()) && !by_parent.contains(ida.child_id.as_str()));
    let both = search("ida".into()).await;
    assert!(both.contains(ida.child_id.as_str()) && both.contains(ida_elsewhere.child_id.as_str()));
    let at_school = desk.get(&format!("/support?{WHY}&q=ida&school={}", t.world.school)).await.body;
    assert!(at_school.contains(ida.child_id.as_str()) && !at_school.contains(ida_elsewhere.child_id.as_str()));
}

#[tokio::test]
async fn support_blocks_a_card_and_the_parent_sees_who_and_why() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    let desk = support_desk(&t).await;
    let page = desk.get(&file(&ida)).await;
    assert!(page.body.contains(&format!("/cards/{}/block", ida.card_id)), "{}", page.body);
    let blocked = desk
        .post(
            &format!("/support/children/{}/cards/{}/block", ida.child_id, ida.card_id),
            &[("reason", "parent_phone"), ("note", "kortet er tabt"), ("once", &saldo_app::form_once::new_key())],
        )
        .await;
    assert_eq!(blocked.status, 303, "{}", blocked.body);
    assert!(blocked.location.unwrap().contains("done=done_card_block"));
    let refused = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    assert_eq!(refused.body["reason"].as_str(), Some("card_blocked"));
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "card.block" && a.detail.contains("active → blocked")));
    assert!(audit.iter().any(|a| a.action == "support.card_block" && a.detail.contains("kortet er tabt")));

    // The card's history names who blocked it; the decline is on the file.
    let page = desk.get(&file(&ida)).await;
    assert!(page.body.contains("Kasper Support"), "{}", page.body);
    assert!(page.body.contains("Kortet er spærret."), "{}", page.body);

    // Without a reason nothing happens.
    let unblock = format!("/support/children/{}/cards/{}/unblock", ida.child_id, ida.card_id);
    let no_reason = desk.post(&unblock, &[("reason", ""), ("note", "")]).await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("Vælg, hvorfor du kigger"));
    let unblocked = desk.post(&unblock, &[("reason", "parent_phone"), ("note", "fundet igen")]).await;
    assert_eq!(unblocked.status, 303, "{}", unblocked.body);

    // The custodian reads on the portal who at support looked, did what, and why.
    let parent = t.signed_in(&ida.custodian_id).await;
    let statement = parent.get(&format!("/portal/children/{}/statement", ida.child_id)).await;
    assert!(statement.body.contains(&format!("/portal/children/{}/access", ida.child_id)));
    let log = parent.get(&format!("/portal/children/{}/access", ida.child_id)).await;
    assert_eq!(log.status, 200, "{}", log.body);
    assert!(log.body.contains("Kasper Support"), "{}", log.body);
    assert!(log.body.contains("Spærrede et kort – Telefon fra forælder: kortet er tabt"), "{}", log.body);
    assert!(log.body.contains("Kiggede på kontoen"), "{}", log.body);
    let relative = t.world.relative(&ida, "Mormor").await;
    let mormor = t.signed_in(&relative).await;
    assert_eq!(mormor.get(&format!("/portal/children/{}/access", ida.child_id)).await.status, 403);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn support_orders_a_replacement_with_the_fee_as_the_portal_does() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    let desk = support_desk(&t).await;
    let path = format!("/support/children/{}/replacement", ida.child_id);
    let key = saldo_app::form_once::new_key();
    let ordered = desk.post(&path, &[("reason", "office"), ("note", ""), ("once", &key)]).await;
    assert_eq!(ordered.status, 303, "{}", ordered.body);
    assert_eq!(t.balance_ore(&ida).await, 4_000, "the 10 kr. fee");
    // The same form sent twice acts once.
    let again = desk.post(&path, &[("reason", "office"), ("note", ""), ("once", &key)]).await;
    assert_eq!(again.status, 303);
    assert_eq!(t.balance_ore(&ida).await, 4_000);
    let card = t.app.store.cards_of_child(&ida.child_id).await.unwrap().remove(0);
    assert_eq!(card.state, CardState::Blocked);
    let orders = t.app.store.card_orders_of_child(&ida.child_id, 5).await.unwrap();
    assert_eq!(orders.len(), 1);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn support_resends_a_login_link_and_never_shows_it() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    let desk = support_desk(&t).await;
    let sent = desk
        .post(
            &format!("/support/children/{}/login-link", ida.child_id),
            &[("person", ida.custodian_id.as_str()), ("reason", "parent_phone"), ("note", "")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    t.run_jobs().await;
    let mails = t.mail.to(&ida.custodian_email);
    assert!(
        mails.iter().any(|m| common::quoted_printable(&m.data).contains("/login/link?token=")),
        "the link went to the parent"
    );
    let page = desk.get(&file(&ida)).await;
    assert!(page.body.contains("Dit login-link til Saldo"), "the subject: {}", page.body);
    assert!(!page.body.contains("/login/link"), "never the link itself");
    // Someone who is not the child's gets no link.
    let stranger = t.world.child("Bo", Money::kr(5), None).await;
    let refused = desk
        .post(
            &format!("/support/children/{}/login-link", ida.child_id),
            &[("person", stranger.custodian_id.as_str()), ("reason", "parent_phone"), ("note", "")],
        )
        .await;
    assert_eq!(refused.status, 404);
}

#[tokio::test]
async fn support_cancels_an_invitation_and_asks_the_provider_about_a_pending_deposit() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);
    let invited = parent.post(&format!("{child}/relatives"), &[("email", "forkert@example.dk"), ("message", "")]).await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let started = parent.post(&format!("{child}/deposit"), &[("quick", "other"), ("amount", "75")]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let desk = support_desk(&t).await;
    let page = desk.get(&file(&ida)).await;
    assert!(page.body.contains("forkert@example.dk"), "{}", page.body);
    assert!(page.body.contains("afventer betaling"), "{}", page.body);

    let invitation = t.app.store.pending_invitations(&ida.child_id, t.app.now()).await.unwrap().remove(0);
    let cancel = format!("/support/children/{}/invitations/{}/cancel", ida.child_id, invitation.id);
    let cancelled = desk.post(&cancel, &[("reason", "parent_mail"), ("note", "forkert adresse")]).await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert!(t.app.store.pending_invitations(&ida.child_id, t.app.now()).await.unwrap().is_empty());
    let twice = desk.post(&cancel, &[("reason", "parent_mail"), ("note", "forkert adresse")]).await;
    assert_eq!(twice.status, 422, "already cancelled: {}", twice.body);

    let deposit = t.app.store.deposits_of_child(&ida.child_id, 1).await.unwrap().remove(0);
    let poll = format!("/support/children/{}/deposits/{}/poll", ida.child_id, deposit.id);
    let polled = desk.post(&poll, &[("reason", "parent_phone"), ("note", "")]).await;
    assert_eq!(polled.status, 303, "{}", polled.body);
    assert!(polled.location.unwrap().contains("done=done_deposit_still_pending"), "the sandbox was not paid");
    let access = t.app.store.support_access_of(&ida.child_id, 10).await.unwrap();
    assert!(access.iter().any(|a| a.action == "invitation_cancel" && a.note == "forkert adresse"));
    assert!(access.iter().any(|a| a.action == "deposit_poll"));
    t.world.assert_books_balance().await;
}
