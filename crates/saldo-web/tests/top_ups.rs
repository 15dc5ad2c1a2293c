//! Top-up agreements (domain.md flow 6) through the real server: the sandbox
//! provider's charge API over HTTP, the job runner, mail over SMTP.

mod common;

use saldo_core::ids::AgreementId;
use saldo_core::lifecycle::ChargeStatus;
use std::sync::Arc;

use common::{new_key, quoted_printable, TestApp};
use saldo_app::testing::{TestChild, SANDWICH};
use saldo_core::Money;
use tokio::task::JoinSet;

/// Gives the child an agreement with a saved sandbox card, as if set up on the portal.
async fn agreement(t: &TestApp, child: &TestChild, threshold: i64, amount: i64, token: &str) -> AgreementId {
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
    assert_eq!(charges.iter().filter(|c| c.status == ChargeStatus::Succeeded).count() as i64, expected_charges);
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
    assert_eq!(
        charges.iter().map(|c| c.status).collect::<Vec<_>>(),
        [ChargeStatus::Declined, ChargeStatus::Declined, ChargeStatus::Declined]
    );
    let agreements = t.app.store.agreements_on_child(&ida.child_id).await.unwrap();
    assert!(!agreements[0].active, "paused after three declines");
    let mails = t.mail.to(&ida.custodian_email);
    assert_eq!(mails.len(), 2, "told at the first decline, and when it pauses");
    let first = quoted_printable(&mails[0].data);
    assert!(first.contains("mislykkedes") && first.contains("Vi prøver igen"), "{first}");
    let text = quoted_printable(&mails[1].data);
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
    // An expired card is refused, as a provider would; nothing is saved.
    let expired = [("q", query.as_str()), ("card", "4111 1111 1111 1111"), ("expiry", "01/20"), ("choice", "pay")];
    assert_eq!(browser.post("/sandbox-pay/pay", &expired).await.status, 303);
    t.run_jobs().await;
    assert!(t.app.store.agreements_on_child(&ida.child_id).await.unwrap().is_empty());
    let started = browser.post(&format!("{child}/agreements"), &[("threshold", "60"), ("amount", "150")]).await;
    let hosted = browser.get(started.location.as_deref().unwrap()).await;
    let start = hosted.body.find(marker).unwrap() + marker.len();
    let query = hosted.body[start..start + hosted.body[start..].find('"').unwrap()].replace("&#38;", "&");
    let card = [("q", query.as_str()), ("card", "4111 1111 1111 1111"), ("expiry", "12/31"), ("choice", "pay")];
    assert_eq!(browser.post("/sandbox-pay/pay", &card).await.status, 303);
    t.run_jobs().await;
    let agreements = t.app.store.agreements_on_child(&ida.child_id).await.unwrap();
    assert_eq!(agreements.len(), 1);
    assert!(agreements[0].active && agreements[0].token.starts_with("tok_sbx_"));
    assert_eq!((agreements[0].threshold, agreements[0].amount), (Money::kr(60), Money::kr(150)));
    let saved = agreements[0].card.as_ref().expect("the provider told which card");
    assert_eq!((saved.last4.as_str(), saved.expires.as_str()), ("1111", "2031-12"));
    let page = browser.get(&child).await;
    assert!(
        page.body.contains("Under 60,00 kr.: sæt 150,00 kr. ind") && page.body.contains("din aftale"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Kort der slutter på 1111, udløber 12/2031"), "the owner recognises their card");
    assert!(!page.body.contains("tok_sbx_"), "payment details are never shown");
    // A relative sees only their own agreements, and cannot touch another's.
    let relative = t.signed_in(&mormor).await;
    let seen = relative.get(&child).await.body;
    assert!(!seen.contains("150,00 kr. ind") && !seen.contains("slutter på 1111"));
    let path = format!("{child}/agreements/{}/pause", agreements[0].id);
    assert_eq!(relative.post(&path, &[]).await.status, 403);
    // The owner changes the terms on the same card; nobody else can.
    let terms = format!("{child}/agreements/{}/terms", agreements[0].id);
    assert_eq!(relative.post(&terms, &[("threshold", "70"), ("amount", "200")]).await.status, 403);
    let refused = browser.post(&terms, &[("threshold", "70"), ("amount", "5")]).await;
    assert!(browser.get(refused.location.as_deref().unwrap()).await.body.contains("Beløbet skal være mellem"));
    assert_eq!(browser.post(&terms, &[("threshold", "70"), ("amount", "200")]).await.status, 303);
    let changed = t.app.store.agreements_on_child(&ida.child_id).await.unwrap().remove(0);
    assert_eq!(
        (changed.threshold, changed.amount, changed.token),
        (Money::kr(70), Money::kr(200), agreements[0].token.clone())
    );
    // The owner pauses it.
    assert_eq!(browser.post(&path, &[]).await.status, 303);
    assert!(!t.app.store.agreements_on_child(&ida.child_id).await.unwrap()[0].active);
    let bad = browser.post(&format!("{child}/agreements"), &[("threshold", "0"), ("amount", "150")]).await;
    let back = bad.location.unwrap();
    assert!(back.contains("error="));
    let shown = browser.get(&back).await;
    assert!(
        shown.body.contains("Grænsen skal være mellem 1 kr. og 1.000,00 kr. (saldoloftet)."),
        "{back}: {} {}",
        shown.status,
        shown.body
    );
    // A top-up must fit under the balance cap.
    let over = browser.post(&format!("{child}/agreements"), &[("threshold", "950"), ("amount", "100")]).await;
    let shown = browser.get(over.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("Grænse og beløb må tilsammen højst være 1.000,00 kr."), "{}", shown.body);
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
    let mails = t.mail.to(&ida.custodian_email);
    let first = &mails.iter().find(|m| m.data.contains("failed")).expect("the first decline's mail").data;
    assert!(first.contains("Subject: Automatic top-up for Ida failed"), "{first}");
    assert!(quoted_printable(first).contains("We will try again"));
    let mail = &mails.iter().find(|m| m.data.contains("paused")).expect("the pause mail").data;
    assert!(mail.contains("Subject: Automatic top-up for Ida is paused"), "{mail}");
    assert!(mail.contains("Content-Type: text/plain"), "{mail}");
    assert!(quoted_printable(mail).contains("No money was taken"));
}

/// Saves the custodian's card for the agreement anew, as the provider reported it.
async fn saved_card_expiring(t: &TestApp, child: &TestChild, token: &str, expires: &str) {
    t.world.agreement_with_card(child, Money::kr(50), Money::kr(100), token, expires).await;
}

#[tokio::test]
async fn the_owner_is_reminded_once_before_the_saved_card_expires() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let this_month = saldo_core::day::month_key(t.app.now());
    // A card valid for years: nothing to say.
    saved_card_expiring(&t, &ida, "tok_sbx_ida", "2031-12").await;
    assert_eq!(saldo_app::agreements::remind_expiring_cards(&t.app).await.unwrap(), 0);
    // The card runs out at the end of this month: one reminder, however often the runner looks.
    saved_card_expiring(&t, &ida, "tok_sbx_ida", &this_month).await;
    assert_eq!(saldo_app::agreements::remind_expiring_cards(&t.app).await.unwrap(), 1);
    assert_eq!(saldo_app::agreements::remind_expiring_cards(&t.app).await.unwrap(), 0);
    t.run_jobs().await;
    let mails = t.mail.to(&ida.custodian_email);
    assert_eq!(mails.len(), 1);
    let (year, month) = this_month.split_once('-').unwrap();
    let text = quoted_printable(&mails[0].data);
    assert!(text.contains("Subject: Dit kort til automatisk optankning for Ida"), "{text}");
    assert!(text.contains("slutter på 1111") && text.contains(&format!("udgangen af {month}/{year}")), "{text}");
    // Plain text first, and the same words as simple HTML beside it.
    assert!(mails[0].data.contains("Content-Type: text/plain") && mails[0].data.contains("Content-Type: text/html"));
    assert!(text.contains("<p>Hej</p>") && text.contains("lang=\"da\""), "{text}");
    // The portal says so to the owner, beside the agreement.
    let page = t.signed_in(&ida.custodian_id).await.get(&format!("/portal/children/{}", ida.child_id)).await;
    assert!(page.body.contains("Kortet udløber snart"), "{}", page.body);
    // A new card saved is a new card: its own expiry is reminded of, once.
    saved_card_expiring(&t, &ida, "tok_sbx_ida_new", &this_month).await;
    assert_eq!(saldo_app::agreements::remind_expiring_cards(&t.app).await.unwrap(), 1);
    assert_eq!(saldo_app::agreements::remind_expiring_cards(&t.app).await.unwrap(), 0);
    // One that runs for years: quiet, and the portal stops warning.
    saved_card_expiring(&t, &ida, "tok_sbx_ida_newer", "2031-06").await;
    assert_eq!(saldo_app::agreements::remind_expiring_cards(&t.app).await.unwrap(), 0);
    let page = t.signed_in(&ida.custodian_id).await.get(&format!("/portal/children/{}", ida.child_id)).await;
    assert!(!page.body.contains("Kortet udløber snart"));
}

#[tokio::test]
async fn whoever_asked_is_mailed_once_each_time_the_balance_dips_below_their_amount() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(55), None).await;
    let mormor = t.world.relative(&ida, "Mormor").await;
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_person_lang(&mormor, "en").await.unwrap();
    tx.commit().await.unwrap();
    let mormor_email = t.app.store.person(&mormor).await.unwrap().unwrap().email.unwrap();
    let child = format!("/portal/children/{}", ida.child_id);
    let parent = t.signed_in(&ida.custodian_id).await;
    let grandma = t.signed_in(&mormor).await;
    // Bad amounts are refused with a word on what to write, and change nothing.
    for bad in ["abc", "0", "-5", "5000"] {
        let answer = parent.post(&format!("{child}/low-balance"), &[("threshold", bad)]).await;
        let page = parent.get(answer.location.as_deref().unwrap()).await;
        assert!(page.body.contains("Skriv et beløb mellem 1 kr. og 1.000,00 kr."), "{bad}");
    }
    assert_eq!(t.app.store.low_balance_notice(&ida.custodian_id, &ida.child_id).await.unwrap(), None);
    assert_eq!(parent.post(&format!("{child}/low-balance"), &[("threshold", "50")]).await.status, 303);
    assert_eq!(grandma.post(&format!("{child}/low-balance"), &[("threshold", "30")]).await.status, 303);
    assert!(parent
        .get(&child)
        .await
        .body
        .contains("Du får en mail, når saldoen kommer under <strong>50,00 kr.</strong>"));
    // An agreement refills at 40: the balance goes 55 → 45 → 35 → 135 and back down.
    t.world.agreement(&ida, Money::kr(40), Money::kr(100), "tok_sbx_ida").await;
    let low = |email: &str, subject: &str| {
        t.mail.to(email).iter().filter(|m| quoted_printable(&m.data).contains(subject)).count()
    };
    let sandwich = || t.basket(&ida.card_number, "Sandwich", 1);
    assert_eq!(t.buy(0, &new_key(), &sandwich()).await.status, 201);
    t.run_jobs().await;
    assert_eq!(low(&ida.custodian_email, "Saldoen for Ida er under 50,00 kr."), 1, "55 → 45 crossed 50");
    assert_eq!(t.buy(0, &new_key(), &sandwich()).await.status, 201);
    t.run_jobs().await;
    assert_eq!(t.world.balance(&ida).await, Money::kr(135), "35 was under the agreement's 40");
    assert_eq!(low(&ida.custodian_email, "Saldoen for Ida er under 50,00 kr."), 1, "still below: no new mail");
    for _ in 0..9 {
        assert_eq!(t.buy(0, &new_key(), &sandwich()).await.status, 201);
    }
    t.run_jobs().await;
    assert_eq!(t.world.balance(&ida).await, Money::kr(45));
    assert_eq!(low(&ida.custodian_email, "Saldoen for Ida er under 50,00 kr."), 2, "a new dip, a new mail");
    assert_eq!(low(&mormor_email, "The balance for Ida is below DKK 30.00"), 0);
    // Grandma hears in English when it passes her 30; the parent has stopped listening.
    assert_eq!(parent.post(&format!("{child}/low-balance/stop"), &[]).await.status, 303);
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_agreement_status(&t.app.store.agreements_on_child(&ida.child_id).await.unwrap()[0].id, false, t.app.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for _ in 0..2 {
        assert_eq!(t.buy(0, &new_key(), &sandwich()).await.status, 201);
    }
    t.run_jobs().await;
    assert_eq!(t.world.balance(&ida).await, Money::kr(25));
    assert_eq!(low(&mormor_email, "The balance for Ida is below DKK 30.00"), 1);
    let text = quoted_printable(&t.mail.to(&mormor_email).last().unwrap().data);
    assert!(text.contains("The balance for Ida is now DKK 25.00"), "{text}");
    assert_eq!(low(&ida.custodian_email, "Saldoen for Ida er under"), 2, "stopped means stopped");
    // A relative who is removed hears no more about the child.
    let remove = format!("{child}/relatives/{mormor}/remove");
    assert_eq!(parent.post(&remove, &[]).await.status, 303);
    assert_eq!(t.app.store.low_balance_notice(&mormor, &ida.child_id).await.unwrap(), None);
    t.world.assert_books_balance().await;
}

/// Two workers run the same charge at once (a lease ran out under a slow
/// provider): the provider answers both alike, and only one run settles it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_charge_run_twice_at_once_is_settled_once() {
    let t = TestApp::start().await;
    for (token, name) in [("tok_sbx_ida_decline", "Ida"), ("tok_sbx_bo", "Bo")] {
        let child = t.world.child(name, Money::kr(55), None).await;
        let agreement_id = agreement(&t, &child, 50, 100, token).await;
        assert_eq!(t.buy(0, &new_key(), &t.basket(&child.card_number, "Sandwich", 1)).await.status, 201);
        let charge = t.app.store.charges_of_agreement(&agreement_id).await.unwrap().remove(0);
        let (a, b) = tokio::join!(
            saldo_app::agreements::run_charge(&t.app, &charge.id),
            saldo_app::agreements::run_charge(&t.app, &charge.id)
        );
        a.unwrap();
        b.unwrap();
        let charges = t.app.store.charges_of_agreement(&agreement_id).await.unwrap();
        let agreements = t.app.store.agreements_on_child(&child.child_id).await.unwrap();
        if name == "Ida" {
            // One decline counted, one retry queued, one mail.
            assert_eq!(
                charges.iter().map(|c| c.status).collect::<Vec<_>>(),
                [ChargeStatus::Declined, ChargeStatus::Pending]
            );
            assert_eq!(agreements[0].failures, 1);
        } else {
            assert_eq!(charges.iter().map(|c| c.status).collect::<Vec<_>>(), [ChargeStatus::Succeeded]);
            assert_eq!(t.world.balance(&child).await, Money::kr(145), "credited once");
            assert!(!agreements[0].charging);
        }
    }
    t.run_jobs().await;
    assert_eq!(t.mail.to_all().iter().filter(|m| m.data.contains("mislykkedes")).count(), 1);
    t.world.assert_books_balance().await;
}

/// The first decline tells the owner to save a new card. Doing so (or
/// pausing and resuming) before the retry runs cancels the retry: the new card
/// is charged at the next dip, never by an attempt meant for the old one.
#[tokio::test]
async fn a_retry_waiting_when_the_owner_saves_a_new_card_is_not_sent() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(55), None).await;
    let agreement_id = agreement(&t, &ida, 50, 100, "tok_sbx_ida_decline").await;
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await.status, 201);
    let first = t.app.store.charges_of_agreement(&agreement_id).await.unwrap().remove(0);
    saldo_app::agreements::run_charge(&t.app, &first.id).await.unwrap();
    assert_eq!(
        t.app.store.charges_of_agreement(&agreement_id).await.unwrap()[1].status,
        ChargeStatus::Pending,
        "a retry waits"
    );
    // The owner saves a good card; the waiting retry is cancelled, not sent.
    t.world.agreement(&ida, Money::kr(50), Money::kr(100), "tok_sbx_ida_good").await;
    t.run_jobs().await;
    assert_eq!(t.app.store.sandbox_charges().await.unwrap(), 0, "nothing charged on the new card");
    assert_eq!(t.world.balance(&ida).await, Money::kr(45));
    let agreements = t.app.store.agreements_on_child(&ida.child_id).await.unwrap();
    assert!(agreements[0].active && !agreements[0].charging && agreements[0].failures == 0);
    // The next purchase is a new dip: one charge, on the new card.
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await.status, 201);
    t.run_jobs().await;
    assert_eq!(t.app.store.sandbox_charges().await.unwrap(), 1);
    assert_eq!(t.world.balance(&ida).await, Money::kr(135));
    t.world.assert_books_balance().await;
}

/// The provider cannot be reached: the runner retries with growing waits,
/// then gives up, and rather than wait for ever the agreement pauses and its
/// owner is told. No money moved.
#[tokio::test]
async fn a_provider_out_of_reach_is_retried_then_the_agreement_pauses_and_the_owner_is_told() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let t = TestApp::start_with(|s| s.sandbox.api_url = Some(format!("http://127.0.0.1:{closed}"))).await;
    let ida = t.world.child("Ida", Money::kr(55), None).await;
    let agreement_id = agreement(&t, &ida, 50, 100, "tok_sbx_ida").await;
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await.status, 201);
    t.run_jobs().await;
    assert!(t.app.store.agreements_on_child(&ida.child_id).await.unwrap()[0].active, "a passing trouble: kept");
    for _ in 0..12 {
        t.app.clock.advance(jiff::SignedDuration::from_mins(10));
        t.run_jobs().await;
    }
    let agreements = t.app.store.agreements_on_child(&ida.child_id).await.unwrap();
    assert!(!agreements[0].active && !agreements[0].charging, "paused, nothing in flight");
    let charges = t.app.store.charges_of_agreement(&agreement_id).await.unwrap();
    assert_eq!(charges.iter().map(|c| c.status).collect::<Vec<_>>(), [ChargeStatus::Declined]);
    let mails = t.mail.to(&ida.custodian_email);
    assert_eq!(mails.len(), 1);
    let text = quoted_printable(&mails[0].data);
    assert!(text.contains("sat på pause") && text.contains("forbindelse til betalingstjenesten"), "{text}");
    assert_eq!(t.world.balance(&ida).await, Money::kr(45));
    t.world.assert_books_balance().await;
}

/// Every way money leaves a wallet sets off the same rules as a purchase:
/// a transfer to a sibling and a payout's reservation that take the balance
/// under the agreement's threshold start its top-up, and tell whoever asked
/// to hear when it fell below theirs.
#[tokio::test]
async fn a_sibling_transfer_and_a_payout_reservation_dip_like_a_purchase() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let bo = t.world.sibling(&ida, "Bo", Money::kr(0)).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    assert_eq!(
        parent.post(&format!("/portal/children/{}/low-balance", ida.child_id), &[("threshold", "50")]).await.status,
        303
    );
    let agreement_id = agreement(&t, &ida, 40, 100, "tok_sbx_ida").await;
    let low = || {
        t.mail
            .to(&ida.custodian_email)
            .iter()
            .filter(|m| quoted_printable(&m.data).contains("Saldoen for Ida er under 50,00 kr."))
            .count()
    };

    // 100 → 30: under both the mail's 50 and the agreement's 40.
    let moved = parent
        .post(
            "/portal/transfer",
            &[("key", &new_key()), ("from", ida.child_id.as_str()), ("to", bo.child_id.as_str()), ("amount", "70")],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    t.run_jobs().await;
    assert_eq!(low(), 1, "the transfer crossed 50");
    assert_eq!(t.world.balance(&ida).await, Money::kr(130), "the transfer started the top-up");

    // 130 → 35: a payout reserved to a bank account dips it again.
    let asked = parent
        .post(
            &format!("/portal/children/{}/withdraw", ida.child_id),
            &[("amount", "95"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    t.run_jobs().await;
    assert_eq!(low(), 2, "the reservation crossed 50");
    assert_eq!(t.world.balance(&ida).await, Money::kr(135), "the reservation started the top-up");
    let charges = t.app.store.charges_of_agreement(&agreement_id).await.unwrap();
    assert_eq!(charges.iter().filter(|c| c.status == ChargeStatus::Succeeded).count(), 2);
    t.world.assert_books_balance().await;
}
