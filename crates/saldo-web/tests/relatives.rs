//! Relatives (domain.md flow 4): invited by e-mail, accepted with the link,
//! removed at any time with effect on the very next request.

mod common;

use common::{quoted_printable, Browser, TestApp};
use saldo_core::ids::ChildId;
use saldo_core::Money;

fn invitation_link(t: &TestApp, to: &str) -> String {
    let mails = t.mail.to(to);
    let text = quoted_printable(&mails.last().expect("an invitation mail").data);
    text.lines().find(|l| l.contains("/invitations/")).expect("a link").trim().to_owned()
}

async fn invite(t: &TestApp, custodian: &Browser, child_id: &ChildId, email: &str) -> String {
    let sent = custodian
        .post(
            &format!("/portal/children/{child_id}/relatives"),
            &[("email", email), ("message", "Kærlig hilsen fra mor")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    t.run_jobs().await;
    invitation_link(t, email)
}

#[tokio::test]
async fn a_custodian_invites_the_relative_accepts_and_deposits_and_removal_ends_it_at_once() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let custodian = t.signed_in(&ida.custodian_id).await;
    let link = invite(&t, &custodian, &ida.child_id, "mormor@example.dk").await;
    let mail = quoted_printable(&t.mail.to("mormor@example.dk")[0].data);
    assert!(mail.contains("Kærlig hilsen fra mor") && mail.contains("Ida"), "{mail}");

    // Mormor is new to Saldo: the link proves the address, she gives her name and is in.
    let mormor = t.browser();
    let landing = mormor.get(&link).await;
    assert!(landing.body.contains("inviterer dig til at følge Ida"), "{}", landing.body);
    let accepted = mormor.post(&link, &[("name", "Inge Mormor")]).await;
    assert_eq!((accepted.status, accepted.location.as_deref()), (303, Some("/portal")));
    let overview = mormor.get("/portal").await;
    assert!(overview.body.contains("Ida") && overview.body.contains("100,00 kr."));
    let deposit = mormor
        .post(&format!("/portal/children/{}/deposit", ida.child_id), &[("quick", "other"), ("amount", "50")])
        .await;
    assert_eq!(deposit.status, 303, "a relative may deposit");
    assert!(custodian.get(&format!("/portal/children/{}/relatives", ida.child_id)).await.body.contains("Inge Mormor"));
    // Used once only.
    assert_eq!(
        t.browser().post(&link, &[("name", "Someone Else")]).await.status,
        400,
        "the other browser has no CSRF cookie yet"
    );
    let again = t.browser();
    again.get(&link).await;
    assert_eq!(again.post(&link, &[("name", "Someone Else")]).await.status, 422);

    // The custodian removes her: her very next page shows no child, and she is told.
    let relatives = t.app.store.relatives_of(&ida.child_id).await.unwrap();
    let path = format!("/portal/children/{}/relatives/{}/remove", ida.child_id, relatives[0].person_id);
    assert_eq!(custodian.post(&path, &[]).await.status, 303);
    let after = mormor.get("/portal").await;
    assert!(!after.body.contains("Ida"), "{}", after.body);
    assert_eq!(mormor.get(&format!("/portal/children/{}/statement", ida.child_id)).await.status, 404);
    t.run_jobs().await;
    assert!(quoted_printable(&t.mail.to("mormor@example.dk").last().unwrap().data).contains("fjernet dig som relation"));
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "relative.removed" && a.actor == format!("person:{}", ida.custodian_id)));
}

#[tokio::test]
async fn invitations_expire_can_be_withdrawn_and_are_bound_to_the_invited_address() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let custodian = t.signed_in(&ida.custodian_id).await;

    // Bound to the address: someone signed in with another address cannot take it.
    let link = invite(&t, &custodian, &ida.child_id, "farfar@example.dk").await;
    let stranger = t.world.child("Bo", Money::ZERO, None).await;
    let other = t.signed_in(&stranger.custodian_id).await;
    other.get(&link).await;
    let refused = other.post(&link, &[]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("en anden e-mailadresse"));

    // Withdrawn: closed.
    let pending = t.app.store.pending_invitations(&ida.child_id, t.app.now()).await.unwrap();
    let withdraw = format!("/portal/children/{}/invitations/{}/withdraw", ida.child_id, pending[0].id);
    assert_eq!(custodian.post(&withdraw, &[]).await.status, 303);
    let late = t.browser();
    assert!(late.get(&link).await.body.contains("allerede brugt, trukket tilbage eller udløbet"));

    // Expired: closed after a week.
    let link = invite(&t, &custodian, &ida.child_id, "moster@example.dk").await;
    t.app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
    let browser = t.browser();
    browser.get(&link).await;
    assert_eq!(browser.post(&link, &[("name", "Moster")]).await.status, 422);
    assert!(t.app.store.relatives_of(&ida.child_id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_relative_can_never_invite_or_see_the_relatives_page_and_tries_are_audited() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let mormor = t.world.relative(&ida, "Mormor").await;
    let browser = t.signed_in(&mormor).await;
    let path = format!("/portal/children/{}/relatives", ida.child_id);
    assert_eq!(browser.get(&path).await.status, 403);
    assert_eq!(browser.post(&path, &[("email", "ven@example.dk"), ("message", "")]).await.status, 403);
    assert_eq!(browser.post(&format!("{path}/{mormor}/remove"), &[]).await.status, 403);
    t.run_jobs().await;
    assert!(t.mail.to("ven@example.dk").is_empty());
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    assert!(audit.iter().filter(|a| a.action == "denied" && a.actor == format!("person:{mormor}")).count() >= 3);
}

#[tokio::test]
async fn either_custodian_can_remove_a_relative_the_other_added() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    // Noah has two custodians: the one he was made with, and Ida's.
    let noah = t.world.sibling(&ida, "Noah", Money::ZERO).await;
    let first = t.signed_in(&ida.custodian_id).await;
    let link = invite(&t, &first, &noah.child_id, "bedste@example.dk").await;
    let bedste = t.browser();
    bedste.get(&link).await;
    assert_eq!(bedste.post(&link, &[("name", "Bedste")]).await.status, 303);
    let relative = t.app.store.relatives_of(&noah.child_id).await.unwrap().remove(0);
    let second = t.signed_in(&noah.original_custodian_id).await;
    let path = format!("/portal/children/{}/relatives/{}/remove", noah.child_id, relative.person_id);
    assert_eq!(second.post(&path, &[]).await.status, 303);
    assert!(t.app.store.relatives_of(&noah.child_id).await.unwrap().is_empty());
    let audit = t.app.store.audit_of(&noah.child_id).await.unwrap();
    let who = |action: &str| audit.iter().find(|a| a.action == action).map(|a| a.actor.clone());
    assert_eq!(who("relative.invited"), Some(format!("person:{}", ida.custodian_id)));
    assert_eq!(who("relative.removed"), Some(format!("person:{}", noah.original_custodian_id)));
}
