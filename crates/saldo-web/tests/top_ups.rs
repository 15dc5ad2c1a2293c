//! Top-up agreements (domain.md flow 6) through the real server: the sandbox
//! provider's charge API over HTTP, the job runner, mail over SMTP.

mod common;

use std::sync::Arc;

use common::{new_key, quoted_printable, TestApp};
use saldo_app::testing::{TestChild, SANDWICH};
use saldo_core::Money;
use tokio::task::JoinSet;

/// Gives the child an agreement with a saved sandbox card, as if set up on the portal.
async fn agreement(t: &TestApp, child: &TestChild, threshold: i64, amount: i64, token: &str) -> String {
    t.world.agreement(child, Money::kr(threshold), Money::kr(amount), token).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_purchases_at_two_tills_charge_once_per_dip() {
    let t = Arc::new(TestApp::start().await);
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let agreement_id = agreement(&t, &ida, 50, 100, "tok_sbx_ida").await;
    let mut expected_balance = 100;
    let mut expected_charges = 0;
    for _pair in 0..10 {
        // Two tills sell a sandwich each at the same moment.
        let mut set = JoinSet::new();
        for till in 0..2 {
            let t = Arc::clone(&t);
            let body = t.basket(&ida.card_number, "Sandwich", 1);
            set.spawn(async move { t.buy(till, &new_key(), &body).await.status });
        }
        assert!(set.join_all().await.iter().all(|s| *s == 201));
        expected_balance -= 2 * SANDWICH;
        // One dip under the threshold starts one charge, however many purchases dipped.
        if expected_balance < 50 {
            expected_charges += 1;
            expected_balance += 100;
        }
        t.run_jobs().await;
    }
    assert_eq!(t.app.store.sandbox_charges().await.unwrap(), expected_charges);
    let charges = t.app.store.charges_of_agreement(&agreement_id).await.unwrap();
    assert_eq!(charges.iter().filter(|c| c.status == "succeeded").count() as i64, expected_charges);
    assert_eq!(t.world.balance(&ida).await, Money::kr(expected_balance));
    let done = t.mail.to(&ida.custodian_email);
    assert_eq!(done.len() as i64, expected_charges, "a receipt per automatic top-up");
    assert!(quoted_printable(&done[0].data).contains("Automatisk optankning"));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn three_declines_pause_the_agreement_and_tell_the_owner_by_mail() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(55), None).await;
    let agreement_id = agreement(&t, &ida, 50, 100, "tok_sbx_ida_decline").await;
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await.status, 201);
    let before = t.world.snapshot().await;
    t.run_jobs().await;
    let charges = t.app.store.charges_of_agreement(&agreement_id).await.unwrap();
    assert_eq!(charges.iter().map(|c| c.status.as_str()).collect::<Vec<_>>(), ["declined", "declined", "declined"]);
    let agreements = t.app.store.agreements_on_child(&ida.child_id).await.unwrap();
    assert!(!agreements[0].active, "paused after three declines");
    let mails = t.mail.to(&ida.custodian_email);
    assert_eq!(mails.len(), 1);
    let text = quoted_printable(&mails[0].data);
    assert!(text.contains("sat på pause") && text.contains("Der er ikke trukket penge"), "{text}");
    // No money moved: the same entries and balances as before the charges.
    let after = t.world.snapshot().await;
    assert_eq!(after.iter().find(|(k, _)| k == "journal_entries"), before.iter().find(|(k, _)| k == "journal_entries"));
    assert_eq!(t.world.balance(&ida).await, Money::kr(45));
    // A paused agreement does not trigger again.
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await.status, 201);
    assert_eq!(t.run_jobs().await, 0);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_card_that_needs_its_holder_pauses_at_once() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(55), None).await;
    agreement(&t, &ida, 50, 100, "tok_sbx_ida_3ds").await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    t.run_jobs().await;
    assert!(!t.app.store.agreements_on_child(&ida.child_id).await.unwrap()[0].active);
    assert!(quoted_printable(&t.mail.to(&ida.custodian_email)[0].data).contains("godkender betalingen"));
}

/// The worker charged the card and died before it could credit the wallet:
/// the job is taken again (its lease ran out) and asks the provider with the
/// same idempotency key, which answers the first charge. One charge, one credit.
#[tokio::test]
async fn a_worker_that_dies_mid_charge_charges_once_after_restart() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(55), None).await;
    let agreement_id = agreement(&t, &ida, 50, 100, "tok_sbx_ida").await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    let charge = t.app.store.charges_of_agreement(&agreement_id).await.unwrap().remove(0);
    // What the dead worker got done: the provider charged.
    let first = t.app.provider.charge_saved("tok_sbx_ida", charge.amount, &charge.idem_key, &charge.id).await.unwrap();
    assert_eq!(t.app.store.sandbox_charges().await.unwrap(), 1);
    assert_eq!(t.world.balance(&ida).await, Money::kr(45), "not credited yet");
    // The restarted worker.
    t.run_jobs().await;
    let again = t.app.provider.charge_saved("tok_sbx_ida", charge.amount, &charge.idem_key, &charge.id).await.unwrap();
    assert_eq!(first, again, "the provider answers the first charge again");
    assert_eq!(t.app.store.sandbox_charges().await.unwrap(), 1);
    assert_eq!(t.world.balance(&ida).await, Money::kr(145));
    t.run_jobs().await;
    assert_eq!(t.world.balance(&ida).await, Money::kr(145));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_parent_saves_a_card_on_the_providers_page_and_every_custodian_sees_the_agreement() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let mormor = t.world.relative(&ida, "Mormor").await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);
    let started = browser.post(&format!("{child}/agreements"), &[("threshold", "60"), ("amount", "150")]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let hosted = browser.get(started.location.as_deref().unwrap()).await;
    assert!(hosted.body.contains("Gem kort"), "{}", hosted.body);
    let marker = "name=\"q\" value=\"";
    let start = hosted.body.find(marker).unwrap() + marker.len();
    let query = hosted.body[start..start + hosted.body[start..].find('"').unwrap()].replace("&#38;", "&");
    let saved =
        browser.post("/sandbox-pay/pay", &[("q", &query), ("card", "4111 1111 1111 1111"), ("choice", "pay")]).await;
    assert_eq!(saved.status, 303);
    t.run_jobs().await;
    let agreements = t.app.store.agreements_on_child(&ida.child_id).await.unwrap();
    assert_eq!(agreements.len(), 1);
    assert!(agreements[0].active && agreements[0].token.starts_with("tok_sbx_"));
    assert_eq!((agreements[0].threshold, agreements[0].amount), (Money::kr(60), Money::kr(150)));
    let page = browser.get(&child).await;
    assert!(
        page.body.contains("Under 60,00 kr.: sæt 150,00 kr. ind") && page.body.contains("din aftale"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("tok_sbx_"), "payment details are never shown");
    // A relative sees only their own agreements, and cannot touch another's.
    let relative = t.signed_in(&mormor).await;
    assert!(!relative.get(&child).await.body.contains("150,00 kr. ind"));
    let path = format!("{child}/agreements/{}/pause", agreements[0].id);
    assert_eq!(relative.post(&path, &[]).await.status, 403);
    // The owner pauses it.
    assert_eq!(browser.post(&path, &[]).await.status, 303);
    assert!(!t.app.store.agreements_on_child(&ida.child_id).await.unwrap()[0].active);
    let bad = browser.post(&format!("{child}/agreements"), &[("threshold", "0"), ("amount", "150")]).await;
    let back = bad.location.unwrap();
    assert!(back.contains("error="));
    let shown = browser.get(&back).await;
    assert!(
        shown.body.contains("Grænsen skal være mellem 1 kr. og saldoloftet."),
        "{back}: {} {}",
        shown.status,
        shown.body
    );
    // The page shows only problems it knows: a crafted link cannot put words on it.
    let crafted = browser.get(&format!("{child}?error=Ring%20til%2099999999")).await;
    assert!(!crafted.body.contains("Ring til 99999999"));
}

#[tokio::test]
async fn mails_are_in_the_recipients_language_and_plain_text() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(55), None).await;
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_person_lang(&ida.custodian_id, "en").await.unwrap();
    tx.commit().await.unwrap();
    agreement(&t, &ida, 50, 100, "tok_sbx_ida_decline").await;
    t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    t.run_jobs().await;
    let mail = &t.mail.to(&ida.custodian_email)[0].data;
    assert!(mail.contains("Subject: Automatic top-up for Ida is paused"), "{mail}");
    assert!(mail.contains("Content-Type: text/plain"), "{mail}");
    assert!(quoted_printable(mail).contains("No money was taken"));
}
