//! The parent portal through HTTP, as a browser uses it (domain.md flows 2 and 4,
//! issue "The parent portal"), on the engine the run selects.

mod common;

use common::{field, new_key, pay, quoted_printable, TestApp};
use saldo_app::deposits;
use saldo_core::Money;
use saldo_pay::{Notification, PaymentStatus};

#[tokio::test]
async fn a_parent_logs_in_with_a_mailed_link_that_works_once() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(120), None).await;
    let browser = t.browser();
    assert_eq!(browser.get("/login").await.status, 200);
    let asked = browser.post("/login", &[("email", &ida.custodian_email.to_uppercase())]).await;
    assert_eq!((asked.status, asked.location.as_deref()), (303, Some("/login/sent")));
    // An unknown address gets the very same answer, and no mail.
    let unknown = browser.post("/login", &[("email", "nobody@example.dk")]).await;
    assert_eq!((unknown.status, unknown.location.as_deref()), (303, Some("/login/sent")));
    assert_eq!(t.run_jobs().await, 1);
    let mails = t.mail.to(&ida.custodian_email);
    assert_eq!(mails.len(), 1);
    assert!(t.mail.to("nobody@example.dk").is_empty());
    let text = quoted_printable(&mails[0].data);
    assert!(text.contains("Dit login-link til Saldo"), "{text}");
    let link = text.lines().find(|l| l.contains("/login/link?token=")).expect("a link in the mail").trim().to_owned();
    // Following the link shows a button; only pressing it uses the token.
    let page = browser.get(&link).await;
    assert_eq!(page.status, 200);
    let token = field(&page.body, "token");
    let used = browser.post("/login/link", &[("token", &token)]).await;
    assert_eq!((used.status, used.location.as_deref()), (303, Some("/portal")));
    let overview = browser.get("/portal").await;
    assert!(overview.body.contains("Ida") && overview.body.contains("120,00 kr."), "{}", overview.body);
    let again = t.browser().post("/login/link", &[("token", &token)]).await;
    assert_eq!(again.status, 400, "a login link works once");
    // Logging out ends the session.
    assert_eq!(browser.post("/logout", &[]).await.status, 303);
    assert_eq!(browser.get("/portal").await.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn login_requests_are_rate_limited() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::ZERO, None).await;
    let browser = t.browser();
    browser.get("/login").await;
    for _ in 0..5 {
        assert_eq!(browser.post("/login", &[("email", &ida.custodian_email)]).await.status, 303);
    }
    let sixth = browser.post("/login", &[("email", &ida.custodian_email)]).await;
    assert_eq!(sixth.status, 200);
    assert!(sixth.body.contains("Vent et kvarter"), "{}", sixth.body);
    t.run_jobs().await;
    assert_eq!(t.mail.to(&ida.custodian_email).len(), 5);
}

#[tokio::test]
async fn a_form_without_this_browsers_token_changes_nothing() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let path = format!("/portal/children/{}/limit", ida.child_id);
    let forged = browser.post_raw(&path, &[("csrf", "0".repeat(64).as_str()), ("limit", "5")]).await;
    assert_eq!(forged.status, 400);
    let missing = browser.post_raw(&path, &[("limit", "5")]).await;
    assert!(missing.status >= 400);
    assert_eq!(t.app.store.wallet(&ida.wallet_id).await.unwrap().unwrap().daily_limit, None);
}

#[tokio::test]
async fn a_relative_sees_and_deposits_but_every_control_is_refused_and_audited() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let mormor = t.world.relative(&ida, "Mormor").await;
    let browser = t.signed_in(&mormor).await;
    let child = format!("/portal/children/{}", ida.child_id);
    let overview = browser.get("/portal").await;
    assert!(overview.body.contains("Ida") && overview.body.contains("100,00 kr."));
    assert!(!overview.body.contains("/limit"), "no limit control for a relative");
    let page = browser.get(&child).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/block"), "no card control for a relative");
    assert_eq!(browser.get(&format!("{child}/statement")).await.status, 200);
    assert_eq!(browser.get(&format!("{child}/deposit")).await.status, 200);

    assert_eq!(browser.get(&format!("{child}/limit")).await.status, 403);
    let crafted =
        [(format!("{child}/limit"), vec![("limit", "1")]), (format!("{child}/cards/{}/block", ida.card_id), vec![])];
    for (path, fields) in crafted {
        let refused = browser.post(&path, &fields).await;
        assert_eq!(refused.status, 403, "{path}");
    }
    let sibling = t.world.sibling(&ida, "Noah", Money::ZERO).await;
    let key = new_key();
    let transfer = browser
        .post(
            "/portal/transfer",
            &[("key", &key), ("from", ida.child_id.as_str()), ("to", sibling.child_id.as_str()), ("amount", "10")],
        )
        .await;
    assert_eq!(transfer.status, 403);
    let wallet = t.app.store.wallet(&ida.wallet_id).await.unwrap().unwrap();
    assert_eq!((wallet.daily_limit, wallet.balance), (None, Money::kr(100)));
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    let denied: Vec<_> =
        audit.iter().filter(|a| a.action == "denied" && a.actor == format!("person:{mormor}")).collect();
    assert!(denied.len() >= 4, "every refusal is audited: {audit:#?}");
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn family_a_can_never_see_or_touch_family_bs_child() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let bo = t.world.child("Bo", Money::kr(200), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let other = format!("/portal/children/{}", bo.child_id);
    for path in [
        other.clone(),
        format!("{other}/statement"),
        format!("{other}/statement.csv"),
        format!("{other}/deposit"),
        format!("{other}/limit"),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.body.contains("200,00"), "{path} leaked the balance");
    }
    assert_eq!(browser.post(&format!("{other}/limit"), &[("limit", "1")]).await.status, 404);
    assert_eq!(browser.post(&format!("{other}/cards/{}/block", bo.card_id), &[]).await.status, 404);
    assert_eq!(browser.post(&format!("{other}/deposit"), &[("quick", "100,00")]).await.status, 404);
    // Ida's own card id under Bo's path is no way in either, nor Bo's card under Ida's path.
    assert_eq!(
        browser.post(&format!("/portal/children/{}/cards/{}/block", ida.child_id, bo.card_id), &[]).await.status,
        404
    );
    let key = new_key();
    let steal = browser
        .post(
            "/portal/transfer",
            &[("key", &key), ("from", bo.child_id.as_str()), ("to", ida.child_id.as_str()), ("amount", "50")],
        )
        .await;
    assert_eq!(steal.status, 404);
    assert!(!browser.get("/portal").await.body.contains("Bo"));
    assert_eq!(t.world.balance(&bo).await, Money::kr(200));
    let bo_wallet = t.app.store.wallet(&bo.wallet_id).await.unwrap().unwrap();
    assert_eq!(bo_wallet.daily_limit, None);
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_deposit_is_credited_once_when_the_provider_confirms_even_if_the_browser_never_returns() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let receipt = pay(&t, &browser, &ida.child_id, "150", "4111 1111 1111 1111").await;
    // Before the provider's callback: waiting, nothing credited.
    let waiting = browser.get(&receipt).await;
    assert!(waiting.body.contains("Vi venter"), "{}", waiting.body);
    assert_eq!(t.world.balance(&ida).await, Money::kr(100));
    // The provider's callback arrives (the browser is never involved).
    assert!(t.run_jobs().await >= 1);
    assert_eq!(t.world.balance(&ida).await, Money::kr(250));
    let done = browser.get(&receipt).await;
    assert!(done.body.contains("Pengene er sat ind") && done.body.contains("250,00 kr."), "{}", done.body);
    let statement = browser.get(&format!("/portal/children/{}/statement", ida.child_id)).await;
    assert!(statement.body.contains("Indbetaling") && statement.body.contains("150,00 kr."));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_replayed_or_forged_callback_moves_no_money() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let receipt = pay(&t, &browser, &ida.child_id, "200", "4111 1111 1111 1111").await;
    let deposit_id = receipt.rsplit('/').next().unwrap().to_owned();
    // Capture the signed callback as the provider will send it, then let it through.
    let job = t.app.store.recent_jobs("sandbox_callback", 1).await.unwrap().remove(0).0;
    let callback: saldo_app::sandbox::Callback = serde_json::from_str(&job.payload).unwrap();
    t.run_jobs().await;
    assert_eq!(t.world.balance(&ida).await, Money::kr(300));

    let http = reqwest::Client::new();
    let send = |body: String, signature: String| {
        let http = http.clone();
        let url = format!("{}/pay/callback/sandbox", t.base);
        async move {
            http.post(url)
                .header("saldo-sandbox-signature", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Replayed: accepted, but settled already.
    assert_eq!(send(callback.body.clone(), callback.signature.clone()).await, 200);
    assert_eq!(send(callback.body.clone(), callback.signature.clone()).await, 200);
    // Forged: an altered amount, or no signature at all.
    let forged = callback.body.replace("20000", "2000000");
    assert_eq!(send(forged, callback.signature.clone()).await, 401);
    assert_eq!(send(callback.body.clone(), String::new()).await, 401);
    // Signed by someone holding the key, but not what the deposit was: refused.
    let wrong = Notification {
        provider_ref: "sbx_other".into(),
        reference: deposit_id.clone(),
        amount_ore: 20_000,
        status: PaymentStatus::Approved,
        token: None,
        card: None,
    };
    assert!(matches!(
        deposits::confirm(&t.app, "sandbox", &wrong, 20_000).await,
        Err(deposits::DepositError::Mismatch)
    ));
    let mut headers = saldo_pay::HeaderMap::new();
    headers.insert(saldo_pay::sandbox::SIGNATURE_HEADER, "00".parse().unwrap());
    let forged = saldo_pay::Callback {
        headers: &headers,
        body: b"{}",
        path_and_query: "/pay/callback/sandbox",
        host: "127.0.0.1",
        received_at: 0,
    };
    assert!(t.app.provider.verify_callback(&forged).is_err());
    assert_eq!(t.world.balance(&ida).await, Money::kr(300));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_declined_or_cancelled_payment_credits_nothing() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let receipt = pay(&t, &browser, &ida.child_id, "50", "4000 0000 0000 0002").await;
    t.run_jobs().await;
    assert!(browser.get(&receipt).await.body.contains("afvist"));
    assert_eq!(t.world.balance(&ida).await, Money::kr(100));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn the_balance_cap_refuses_a_deposit_before_any_payment_and_says_what_fits() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(900), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let form = browser.get(&format!("/portal/children/{}/deposit", ida.child_id)).await;
    assert!(form.body.contains("plads til 100,00 kr."), "{}", form.body);
    let refused = browser
        .post(&format!("/portal/children/{}/deposit", ida.child_id), &[("quick", "other"), ("amount", "150")])
        .await;
    assert_eq!(refused.status, 200);
    assert!(refused.body.contains("Der er plads til 100,00 kr. mere"), "{}", refused.body);
    let typo = browser
        .post(&format!("/portal/children/{}/deposit", ida.child_id), &[("quick", "other"), ("amount", "12,345")])
        .await;
    assert!(typo.body.contains("Skriv beløbet i kroner"));
    assert!(t.app.store.recent_jobs("sandbox_callback", 10).await.unwrap().is_empty());
    assert_eq!(t.world.balance(&ida).await, Money::kr(900));
}

#[tokio::test]
async fn the_deposit_form_charges_the_one_amount_its_button_names() {
    // Issue 14.1: a quick pick left selected could win over the typed amount.
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let path = format!("/portal/children/{}/deposit", ida.child_id);
    let form = browser.get(&path).await;
    assert!(form.body.contains(">Betal 50,00 kr.</button>"), "a quick pick is its own pay button");
    assert_eq!(form.body.matches("<form method=\"post\" action=\"/portal/children/").count(), 2, "{}", form.body);

    // An error re-shows the amount exactly as typed, on the button too.
    let low = browser.post(&path, &[("amount", "10")]).await;
    assert!(low.body.contains("Det mindste beløb er 20,00 kr.<"), "{}", low.body);
    assert!(low.body.contains(r#"value="10""#) && low.body.contains(">Betal 10,00 kr.</button>"), "{}", low.body);

    // Corrected to 25: the payment page asks for 25,00 kr., nothing else.
    let started = browser.post(&path, &[("amount", "25")]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let hosted = browser.get(started.location.as_deref().unwrap()).await;
    assert!(hosted.body.contains("<strong>25,00 kr.</strong>"), "{}", hosted.body);
    assert!(hosted.body.contains("Indbetaling til Idas kort"), "the payment says what it is for");
    let picked = browser.post(&path, &[("quick", "50,00")]).await;
    let hosted = browser.get(picked.location.as_deref().unwrap()).await;
    assert!(hosted.body.contains("<strong>50,00 kr.</strong>"), "{}", hosted.body);
}

#[tokio::test]
async fn a_daily_limit_and_a_blocked_card_take_effect_at_the_till_at_once() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(300), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);
    let saved = browser.post(&format!("{child}/limit"), &[("limit", "12"), ("action", "save")]).await;
    assert_eq!(saved.status, 303);
    assert!(browser.get(saved.location.as_deref().unwrap()).await.body.contains("Det daglige loft er gemt"));
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await.status, 201);
    let over = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await;
    assert_eq!(over.body["reason"], "daily_limit_exceeded");
    let bad = browser.post(&format!("{child}/limit"), &[("limit", "5000"), ("action", "save")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("mellem 1 kr. og 1.000 kr."));
    assert_eq!(browser.post(&format!("{child}/limit"), &[("limit", ""), ("action", "remove")]).await.status, 303);
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 1)).await.status, 201);

    assert_eq!(browser.post(&format!("{child}/cards/{}/block", ida.card_id), &[]).await.status, 303);
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await.body["reason"], "card_blocked");
    assert_eq!(browser.post(&format!("{child}/cards/{}/unblock", ida.card_id), &[]).await.status, 303);
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await.status, 201);
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    for action in ["wallet.daily_limit", "card.block", "card.unblock"] {
        assert!(
            audit.iter().any(|a| a.action == action && a.actor == format!("person:{}", ida.custodian_id)),
            "{action}"
        );
    }
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn money_moves_between_siblings_in_one_entry() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let noah = t.world.sibling(&ida, "Noah", Money::kr(10)).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    assert!(browser.get("/portal").await.body.contains("/portal/transfer"));
    let before = t.world.snapshot().await;
    let key = new_key();
    let fields =
        [("key", key.as_str()), ("from", ida.child_id.as_str()), ("to", noah.child_id.as_str()), ("amount", "40")];
    assert_eq!(browser.post("/portal/transfer", &fields).await.status, 303);
    assert_eq!(browser.post("/portal/transfer", &fields).await.status, 303, "a double submit moves money once");
    assert_eq!((t.world.balance(&ida).await, t.world.balance(&noah).await), (Money::kr(60), Money::kr(50)));
    let after = t.world.snapshot().await;
    assert_eq!(after[0].1 - before[0].1, 1, "one journal entry");
    let too_much = browser
        .post(
            "/portal/transfer",
            &[("key", &new_key()), ("from", noah.child_id.as_str()), ("to", ida.child_id.as_str()), ("amount", "51")],
        )
        .await;
    assert!(too_much.body.contains("ikke penge nok"));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn the_statement_shows_place_items_card_and_running_balance_and_downloads_as_csv() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Sandwich", 2)).await.status, 201);
    let browser = t.signed_in(&ida.custodian_id).await;
    let page = browser.get(&format!("/portal/children/{}/statement", ida.child_id)).await;
    assert!(page.body.contains("Kantinen"), "{}", page.body);
    assert!(page.body.contains("2 × Sandwich"));
    assert!(page.body.contains(&ida.card_number[12..]));
    assert!(page.body.contains("-20,00 kr.") && page.body.contains("80,00 kr."));
    let today = jiff::Zoned::now().date().to_string();
    let csv = browser.get(&format!("/portal/children/{}/statement.csv?from={today}&to={today}", ida.child_id)).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains(";-20,00;80,00"), "{}", csv.body);
    let empty =
        browser.get(&format!("/portal/children/{}/statement?from=2001-01-01&to=2001-01-02", ida.child_id)).await;
    assert!(empty.body.contains("Ingen bevægelser"));
}

#[tokio::test]
async fn the_language_switch_is_remembered_and_formats_follow_it() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(1234), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    assert!(browser.get("/portal").await.body.contains("1.234,00 kr."));
    let switched = browser.get("/lang/en?back=/portal").await;
    assert_eq!(switched.location.as_deref(), Some("/portal"));
    let english = browser.get("/portal").await;
    assert!(english.body.contains("<html lang=\"en\">") && english.body.contains("DKK 1,234.00"), "{}", english.body);
    assert!(english.body.contains("My children"));
    assert_eq!(t.app.store.person(&ida.custodian_id).await.unwrap().unwrap().lang, "en");
    assert_eq!(browser.get("/lang/en?back=https://evil.example").await.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn an_idle_session_ends() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(10), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    assert_eq!(browser.get("/portal").await.status, 200);
    t.app.clock.advance(jiff::SignedDuration::from_mins(61));
    assert_eq!(browser.get("/portal").await.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn every_page_has_support_contact_and_the_accessibility_statement() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(10), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);
    for path in [
        "/",
        "/help",
        "/accessibility",
        "/login",
        "/portal",
        &child,
        &format!("{child}/statement"),
        &format!("{child}/deposit"),
        &format!("{child}/limit"),
        "/portal/transfer",
    ] {
        let page = browser.get(path).await;
        assert!(page.status == 200 || page.status == 303, "{path}: {}", page.status);
        if page.status == 200 {
            assert!(page.body.contains("71 99 54 45") && page.body.contains("/accessibility"), "{path}");
        }
    }
    assert!(browser.get("/accessibility").await.body.contains("senest gennemgået"));
}

#[tokio::test]
async fn an_error_is_a_page_in_the_visitors_language_and_layout() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(10), None).await;
    let other = t.world.child("Karl", Money::kr(10), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    browser.get("/lang/en?back=/portal").await;

    let not_hers = browser.get(&format!("/portal/children/{}", other.child_id)).await;
    assert_eq!(not_hers.status, 404);
    assert!(not_hers.body.contains("<html lang=\"en\">"), "{}", not_hers.body);
    assert!(not_hers.body.contains("The page does not exist, or you do not have access to it."));
    assert!(not_hers.body.contains("/logout"), "still signed in, with the way out: {}", not_hers.body);

    let stale = browser
        .post_raw(&format!("/portal/children/{}/limit", ida.child_id), &[("csrf", "not-the-token"), ("limit", "20")])
        .await;
    assert_eq!(stale.status, 400);
    assert!(stale.body.contains("The form was too old. Go back, reload the page and try again."), "{}", stale.body);
    assert_eq!(t.app.store.wallet(&ida.wallet_id).await.unwrap().unwrap().daily_limit, None, "nothing changed");
}

#[tokio::test]
async fn a_form_that_moves_money_acts_once_however_often_it_is_sent() {
    // Issue 14.2: a re-submit, the back button or a duplicated tab sends the
    // same page again; it acts once and shows where the first one went.
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(300), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);

    let page = browser.get(&format!("{child}/withdraw")).await;
    let once = field(&page.body, "once");
    let fields = [("amount", "50"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")];
    let mut sent: Vec<(&str, &str)> = fields.to_vec();
    sent.push(("once", &once));
    let first = browser.post(&format!("{child}/withdraw"), &sent).await;
    let again = browser.post(&format!("{child}/withdraw"), &sent).await;
    assert_eq!((first.status, again.status), (303, 303));
    assert_eq!(first.location, again.location, "the second send is shown the first one's result");
    assert_eq!(t.app.store.withdrawals_of_child(&ida.child_id).await.unwrap().len(), 1, "one payout");
    assert_eq!(t.world.balance(&ida).await, Money::kr(250));
    // A fresh page is a new request, and may ask again.
    let fresh = field(&browser.get(&format!("{child}/withdraw")).await.body, "once");
    assert_ne!(fresh, once);

    let page = browser.get(&format!("{child}/deposit")).await;
    let once = field(&page.body, "once");
    let first = browser.post(&format!("{child}/deposit"), &[("amount", "75"), ("once", &once)]).await;
    let again = browser.post(&format!("{child}/deposit"), &[("amount", "75"), ("once", &once)]).await;
    assert_eq!(first.location, again.location, "one payment page, not two payments");

    let page = browser.get(&format!("{child}/replacement")).await;
    let once = field(&page.body, "once");
    let first = browser.post(&format!("{child}/replacement"), &[("once", &once)]).await;
    let again = browser.post(&format!("{child}/replacement"), &[("once", &once)]).await;
    assert_eq!((first.status, again.status), (303, 303), "{}", again.body);
    assert_eq!(first.location, again.location);
    assert_eq!(t.world.balance(&ida).await, Money::kr(240), "the 10 kr. card fee once");
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn the_overview_shows_each_childs_last_three_purchases() {
    // Issue 14.7: what a parent on a phone wants at a glance.
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(300), None).await;
    for (product, quantity) in [("Frugt", 1), ("Sandwich", 2), ("Frugt", 3), ("Sandwich", 1)] {
        assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, product, quantity)).await.status, 201);
    }
    let browser = t.signed_in(&ida.custodian_id).await;
    let overview = browser.get("/portal").await;
    assert!(overview.body.contains("Seneste køb"), "{}", overview.body);
    let shown = overview.body.matches("<li>1 × Sandwich").count()
        + overview.body.matches("<li>3 × Frugt").count()
        + overview.body.matches("<li>2 × Sandwich").count();
    assert_eq!(shown, 3, "the newest three: {}", overview.body);
    assert!(!overview.body.contains("<li>1 × Frugt"), "the oldest is left out: {}", overview.body);
}

#[tokio::test]
async fn the_block_form_sent_again_from_an_old_page_does_not_block_a_card_unblocked_since() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(300), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);
    let page = browser.get(&child).await;
    let key = common::field_attr(&page.body, "name=\"once\" value=\"");
    let block = format!("{child}/cards/{}/block", ida.card_id);
    assert_eq!(browser.post(&block, &[("once", &key)]).await.status, 303);
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await.body["reason"], "card_blocked");
    // Found again, and unblocked from a fresh page.
    let fresh = common::field_attr(&browser.get(&child).await.body, "name=\"once\" value=\"");
    let unblock = format!("{child}/cards/{}/unblock", ida.card_id);
    assert_eq!(browser.post(&unblock, &[("once", &fresh)]).await.status, 303);

    // The back button, and the old block form sent again: sent where it went, the card stays usable.
    let again = browser.post(&block, &[("once", &key)]).await;
    assert_eq!(again.status, 303);
    assert_eq!(t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await.status, 201);
    t.world.assert_books_balance().await;
}
