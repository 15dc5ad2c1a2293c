//! Cards and the office through HTTP (domain.md flow 3, issue "Cards and the
//! office"): order a replacement, hand it out, activate it, and the limits and
//! scopes around that, on the engine the run selects.

mod common;

use common::{new_key, quoted_printable, TestApp};
use saldo_core::ids::ChildId;
use saldo_core::{CardState, Money};

const PASSWORD: &str = "kontor-test-1";

#[tokio::test]
async fn a_lost_card_is_replaced_end_to_end() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let (_, office_email) = t.world.staff(Some(&t.world.school), PASSWORD).await;
    let (blank, code) = t.world.blank_card_with_code(&t.world.school).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);

    // The custodian orders: the old card is blocked, the fee is its own entry.
    let form = parent.get(&format!("{child}/replacement")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("10,00 kr."), "{}", form.body);
    let ordered = parent.post(&format!("{child}/replacement"), &[]).await;
    assert_eq!(ordered.status, 303, "{}", ordered.body);
    assert_eq!(t.balance_ore(&ida).await, 9_000);
    let old = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    assert_eq!((old.status, old.body["reason"].as_str()), (402, Some("card_blocked")));
    let status = parent.get(&format!("{child}/replacement")).await;
    assert!(status.body.contains("Bestilt, klar til at blive hentet"), "{}", status.body);
    assert!(status.body.contains("Testskolen"), "where to fetch the card: {}", status.body);
    let again = parent.post(&format!("{child}/replacement"), &[]).await;
    assert_eq!(again.status, 422, "a second order is refused, not charged");
    assert_eq!(t.balance_ore(&ida).await, 9_000);
    // Issue 14.3: where the parent looks, the card on its way is shown, and
    // neither another replacement nor unblocking the lost card is offered.
    let overview = parent.get("/portal").await;
    assert!(overview.body.contains("Det nye kort ligger klar på Testskolens kontor."), "{}", overview.body);
    assert!(!overview.body.contains(&format!("{child}/replacement")), "{}", overview.body);
    let page = parent.get(&child).await;
    assert!(page.body.contains("Det nye kort ligger klar på Testskolens kontor."), "{}", page.body);
    assert!(!page.body.contains("/unblock"), "the lost card is not offered back: {}", page.body);

    // The office logs in with its password, sees the order and hands out a scanned card.
    let office = t.staff_browser(&office_email, PASSWORD).await;
    let start = office.get("/office").await;
    let desk_path = start.location.clone().expect("office staff go to their desk");
    let desk = office.get(&desk_path).await;
    assert_eq!(desk.status, 200);
    assert!(desk.body.contains("Ida Testesen"), "{}", desk.body);
    let order = t.app.store.card_orders_of_child(&ida.child_id, 1).await.unwrap().remove(0);
    let handed = office.post(&format!("{desk_path}/orders/{}/hand-out", order.id), &[("card", &blank)]).await;
    assert_eq!(handed.status, 303, "{}", handed.body);
    let overview = parent.get("/portal").await;
    assert!(overview.body.contains("Det nye kort er udleveret."), "{}", overview.body);
    assert!(overview.body.contains(&format!("{child}/activate")), "{}", overview.body);

    // At home the custodian activates it; a wrong code first gets a plain message.
    let wrong = parent.post(&format!("{child}/activate"), &[("card", &blank), ("code", "AAAA-AAAA")]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("passer ikke"), "{}", wrong.body);
    let activated =
        parent.post(&format!("{child}/activate"), &[("card", &blank), ("code", &code.to_lowercase())]).await;
    assert_eq!(activated.status, 303, "{}", activated.body);
    let used = parent.post(&format!("{child}/activate"), &[("card", &blank), ("code", &code)]).await;
    assert!(used.body.contains("allerede brugt") || used.body.contains("allerede et aktivt kort"), "{}", used.body);

    let new = t.buy(0, &new_key(), &t.basket(&blank, "Frugt", 1)).await;
    assert_eq!(new.status, 201, "{}", new.body);
    let old = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    assert_eq!((old.status, old.body["reason"].as_str()), (402, Some("card_blocked")));
    assert_eq!(t.balance_ore(&ida).await, 8_500);

    // The statement tells the fee and which card bought what.
    let statement = parent.get(&format!("{child}/statement")).await;
    assert!(statement.body.contains("Erstatningskort"), "{}", statement.body);
    assert!(statement.body.contains(&format!("kort …{}", &blank[12..])), "{}", statement.body);
    let order = t.app.store.card_orders_of_child(&ida.child_id, 1).await.unwrap().remove(0);
    assert_eq!(order.state, saldo_app::OrderState::Activated);
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    for action in ["card.block", "card.order", "card.hand_out", "card.activation_failed", "card.activate"] {
        assert!(audit.iter().any(|a| a.action == action), "{action} missing from {audit:#?}");
    }
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_short_balance_still_blocks_the_card_but_takes_no_fee() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(5), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let refused = parent.post(&format!("/portal/children/{}/replacement", ida.child_id), &[]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Der er ikke penge nok på kontoen til gebyret på 10,00 kr."), "{}", refused.body);
    assert_eq!(t.balance_ore(&ida).await, 500);
    let card = t.buy(0, &new_key(), &t.basket(&ida.card_number, "Frugt", 1)).await;
    assert_eq!(card.body["reason"].as_str(), Some("card_blocked"));
    assert!(t.app.store.card_orders_of_child(&ida.child_id, 1).await.unwrap().is_empty());
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn activation_is_locked_after_five_failures_per_person_and_per_card() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    t.world.set_card_state(&ida, CardState::Active, CardState::Blocked).await;
    let (blank, code) = t.world.blank_card_with_code(&t.world.school).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let path = format!("/portal/children/{}/activate", ida.child_id);
    for _ in 0..5 {
        let wrong = parent.post(&path, &[("card", &blank), ("code", "WRNG-CODE")]).await;
        assert!(wrong.body.contains("passer ikke"), "{}", wrong.body);
    }
    // Now even the right code is refused for the cool-down.
    let locked = parent.post(&path, &[("card", &blank), ("code", &code)]).await;
    assert_eq!(locked.status, 422);
    assert!(locked.body.contains("for mange gange"), "{}", locked.body);
    // The person is locked for other cards too.
    let (other_blank, other_code) = t.world.blank_card_with_code(&t.world.school).await;
    let other = parent.post(&path, &[("card", &other_blank), ("code", &other_code)]).await;
    assert!(other.body.contains("for mange gange"), "{}", other.body);
    // And the card is locked for another person too.
    let noah = t.world.child("Noah", Money::kr(50), None).await;
    t.world.set_card_state(&noah, CardState::Active, CardState::Blocked).await;
    let other_parent = t.signed_in(&noah.custodian_id).await;
    let by_card = other_parent
        .post(&format!("/portal/children/{}/activate", noah.child_id), &[("card", &blank), ("code", &code)])
        .await;
    assert!(by_card.body.contains("for mange gange"), "{}", by_card.body);
    let card = t.app.store.stock_card_by_number(&blank).await.unwrap().unwrap();
    assert_eq!(card.state, CardState::InStock);
    // A wrongly typed number is not a guess at a code: it does not count.
    let typo = other_parent
        .post(&format!("/portal/children/{}/activate", noah.child_id), &[("card", "1234"), ("code", "x")])
        .await;
    assert!(typo.body.contains("16 cifre"), "{}", typo.body);
}

#[tokio::test]
async fn an_office_sees_only_its_own_institution() {
    let t = TestApp::start().await;
    let school_b = t.world.other_school("Nabo Skole").await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    let bo = t.world.child_at(&school_b, "Bo", Money::kr(50), None).await;
    let (_, a_email) = t.world.staff(Some(&t.world.school), PASSWORD).await;
    t.world.blank_card_with_code(&school_b).await;
    // Bo's custodian orders a card: the order goes to school B's office.
    let bo_parent = t.signed_in(&bo.custodian_id).await;
    assert_eq!(bo_parent.post(&format!("/portal/children/{}/replacement", bo.child_id), &[]).await.status, 303);
    let order_b = t.app.store.card_orders_of_child(&bo.child_id, 1).await.unwrap().remove(0);
    assert_eq!(order_b.office_id, school_b);

    let office = t.staff_browser(&a_email, PASSWORD).await;
    let a = &t.world.school;
    assert_eq!(office.get(&format!("/office/{a}")).await.status, 200);
    assert_eq!(office.get(&format!("/office/{a}/children/{}", ida.child_id)).await.status, 200);
    for path in [
        format!("/office/{school_b}"),
        format!("/office/{school_b}/children/{}", bo.child_id),
        format!("/office/{a}/children/{}", bo.child_id),
    ] {
        assert_eq!(office.get(&path).await.status, 403, "{path}");
    }
    let posts = [
        format!("/office/{school_b}/orders/{}/hand-out", order_b.id),
        format!("/office/{a}/orders/{}/hand-out", order_b.id),
        format!("/office/{school_b}/children/{}/cards/{}/block", bo.child_id, bo.card_id),
        format!("/office/{a}/children/{}/cards/{}/block", bo.child_id, bo.card_id),
        format!("/office/{a}/children/{}/activate", bo.child_id),
    ];
    for path in posts {
        assert_eq!(office.post(&path, &[("card", ""), ("code", "")]).await.status, 403, "{path}");
    }
    // Searching by name or by card number finds only the office's own children.
    let search = office.get(&format!("/office/{a}?q=Bo+Testesen")).await;
    assert!(search.body.contains("Ingen børn"), "{}", search.body);
    let search = office.get(&format!("/office/{a}?q={}", bo.card_number)).await;
    assert!(search.body.contains("Ingen børn"), "{}", search.body);
    let search = office.get(&format!("/office/{a}?q={}", ida.card_number)).await;
    assert!(search.body.contains("Ida Testesen"), "{}", search.body);
    // Issue 14.9: the school beside the name tells two children of one name apart.
    let by_name = office.get(&format!("/office/{a}?q=Ida")).await;
    assert!(by_name.body.contains(r#"Ida Testesen</a> <span class="muted">Testskolen"#), "{}", by_name.body);
    assert!(by_name.body.contains(r#"action="/office/"#) && by_name.body.contains(r#"#results""#));
    // ... and so does the class, once the school's data has it.
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_child_class(&ida.child_id, Some("3.A")).await.unwrap();
    tx.commit().await.unwrap();
    let by_name = office.get(&format!("/office/{a}?q=Ida")).await;
    assert!(by_name.body.contains(r#"Ida Testesen</a> <span class="muted">3.A, Testskolen"#), "{}", by_name.body);
    // Nothing changed for Bo, and the office's stock is not the other's.
    assert_eq!(
        t.app.store.card_orders_of_child(&bo.child_id, 1).await.unwrap()[0].state,
        saldo_app::OrderState::Ordered
    );
    // A parent is no office.
    assert_eq!(bo_parent.get(&format!("/office/{school_b}")).await.status, 403);
}

#[tokio::test]
async fn the_operator_generates_a_batch_once_and_allocates_it() {
    let t = TestApp::start().await;
    let (_, email) = t.world.staff(None, PASSWORD).await;
    let operator = t.staff_browser(&email, PASSWORD).await;
    assert_eq!(operator.get("/admin").await.status, 200);
    let file = operator.post("/admin/batches", &[("count", "3"), ("office", "")]).await;
    assert_eq!(file.status, 200);
    let lines: Vec<&str> = file.body.lines().collect();
    assert_eq!(lines.len(), 4, "{}", file.body);
    let fields: Vec<&str> = lines[1].split(';').collect();
    assert!(fields[0].parse::<saldo_core::CardNumber>().is_ok());
    assert!(fields[3].contains("/activate?card="));
    // Only hashes are stored.
    let card = t.app.store.stock_card_by_number(fields[0]).await.unwrap().unwrap();
    assert!(!card.activation_code_hash.unwrap().contains(fields[2]));
    assert_eq!(t.app.store.stock_count(None).await.unwrap(), 3);
    let moved = operator.post("/admin/allocate", &[("count", "2"), ("office", t.world.school.as_str())]).await;
    assert_eq!(moved.status, 200);
    assert_eq!(t.app.store.stock_count(Some(&t.world.school)).await.unwrap(), 2);
    assert_eq!(operator.post("/admin/batches", &[("count", "0")]).await.status, 422);
    // Office staff are no operator.
    let (_, office_email) = t.world.staff(Some(&t.world.school), PASSWORD).await;
    let office = t.staff_browser(&office_email, PASSWORD).await;
    assert_eq!(office.get("/admin").await.status, 403);
    // A wrong password gets no session.
    let stranger = t.browser();
    stranger.get("/staff/login").await;
    assert_eq!(stranger.post("/staff/login", &[("email", &email), ("password", "nope")]).await.status, 401);
}

#[tokio::test]
async fn concurrent_guesses_never_get_past_the_limit() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    t.world.set_card_state(&ida, CardState::Active, CardState::Blocked).await;
    let (blank, _) = t.world.blank_card_with_code(&t.world.school).await;
    let actor = saldo_app::Actor {
        person_id: ida.custodian_id.clone(),
        name: "Forælder".into(),
        lang: "da".into(),
        grants: t.app.store.grants_of(&ida.custodian_id).await.unwrap(),
        source: "test".into(),
        proved: None,
    };
    let mut tries = Vec::new();
    for i in 0..12 {
        let (app, actor, child, blank) = (t.app.clone(), actor.clone(), ida.child_id.clone(), blank.clone());
        tries.push(tokio::spawn(async move {
            saldo_app::cards::activate(&app, &actor, &child, &blank, &format!("GUES-S{i:03}")).await
        }));
    }
    let mut wrong = 0;
    let mut locked = 0;
    for attempt in tries {
        match attempt.await.unwrap() {
            Err(saldo_app::cards::CardError::WrongCode) => wrong += 1,
            Err(saldo_app::cards::CardError::TooManyAttempts) => locked += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((wrong, locked), (5, 7), "exactly the limit of guesses is checked, even at once");
}

#[tokio::test]
async fn the_qr_address_fills_the_form_in_after_login_and_never_activates_by_itself() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(50), None).await;
    t.world.set_card_state(&ida, CardState::Active, CardState::Blocked).await;
    let (blank, code) = t.world.blank_card_with_code(&t.world.school).await;
    let qr = format!("/activate?card={blank}&code={code}");
    let browser = t.browser();
    let signed_out = browser.get(&qr).await;
    assert_eq!(signed_out.location.as_deref(), Some("/login"));
    browser.get("/demo-login").await;
    let login = browser.post("/demo-login", &[("person_id", ida.custodian_id.as_str())]).await;
    assert_eq!(login.location.as_deref(), Some(qr.as_str()), "back to the QR address after login");
    let form = browser.get(&qr).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&format!("value=\"{blank}\"")) && form.body.contains(&format!("value=\"{code}\"")));
    let card = t.app.store.stock_card_by_number(&blank).await.unwrap().unwrap();
    assert_eq!(card.state, CardState::InStock, "a GET never activates");
    let done = browser.post("/activate", &[("child", ida.child_id.as_str()), ("card", &blank), ("code", &code)]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let card = t.app.store.stock_card_by_number(&blank).await.unwrap().unwrap();
    assert_eq!(
        (card.state, card.child_id.as_ref().map(ChildId::as_str)),
        (CardState::Active, Some(ida.child_id.as_str()))
    );
    // The next login goes home again.
    let again = t.browser();
    again.get("/demo-login").await;
    let home = again.post("/demo-login", &[("person_id", ida.custodian_id.as_str())]).await;
    assert_eq!(home.location.as_deref(), Some("/portal"));
}

/// The blank card is already at the office when the parent orders: the parent
/// hears at once, by mail in their own language, where to fetch it and how to
/// activate it.
#[tokio::test]
async fn ordering_when_the_office_has_a_card_mails_the_orderer_where_to_fetch_it() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    t.world.blank_card().await;
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_person_lang(&ida.custodian_id, "en").await.unwrap();
    tx.commit().await.unwrap();
    let parent = t.signed_in(&ida.custodian_id).await;
    let child = format!("/portal/children/{}", ida.child_id);
    assert_eq!(parent.post(&format!("{child}/replacement"), &[]).await.status, 303);
    t.run_jobs().await;

    let mails = t.mail.to(&ida.custodian_email);
    assert_eq!(mails.len(), 1, "one mail, to the parent who ordered");
    let raw = &mails[0].data;
    assert!(raw.contains("Subject: Ida's new card is ready at Testskolen"), "{raw}");
    assert!(raw.contains("Content-Type: text/plain"), "{raw}");
    let text = quoted_printable(raw);
    assert!(text.contains("Ida's new payment card is ready at the office of Testskolen"), "{text}");
    assert!(text.contains("the card number and the activation code printed on the card"), "{text}");
    assert!(text.contains(&format!("{}{child}/activate", t.base)), "{text}");
    assert!(text.contains("Kind regards\nSkole og Klub"), "{text}");

    let order = t.app.store.card_orders_of_child(&ida.child_id, 1).await.unwrap().remove(0);
    assert!(order.ready);
    let status = parent.get(&format!("{child}/replacement")).await;
    assert!(status.body.contains("Ordered, ready to be fetched"), "{}", status.body);
}

/// No blank card at the office: the order waits, and says so. When the
/// operator brings cards, the oldest waiting orders are told first, one per
/// card, and nobody is told twice.
#[tokio::test]
async fn an_order_without_stock_waits_and_the_allocation_tells_the_oldest_first() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let bo = t.world.child("Bo", Money::kr(100), None).await;
    let (_, email) = t.world.staff(None, PASSWORD).await;
    let operator = t.staff_browser(&email, PASSWORD).await;
    assert_eq!(operator.post("/admin/batches", &[("count", "3"), ("office", "")]).await.status, 200);

    let ida_parent = t.signed_in(&ida.custodian_id).await;
    let ida_page = format!("/portal/children/{}/replacement", ida.child_id);
    let ordered = ida_parent.post(&ida_page, &[]).await;
    assert_eq!(ordered.status, 303);
    let told = ida_parent.get(ordered.location.as_deref().unwrap()).await;
    assert!(told.body.contains("vi sender en mail, når det kan hentes"), "{}", told.body);
    t.app.clock.advance(jiff::SignedDuration::from_mins(5));
    let bo_parent = t.signed_in(&bo.custodian_id).await;
    assert_eq!(bo_parent.post(&format!("/portal/children/{}/replacement", bo.child_id), &[]).await.status, 303);
    t.run_jobs().await;
    assert!(t.mail.to(&ida.custodian_email).is_empty() && t.mail.to(&bo.custodian_email).is_empty());
    let waiting = ida_parent.get(&ida_page).await;
    assert!(waiting.body.contains("Bestilt, venter på kort på kontoret"), "{}", waiting.body);

    // One card: the older order is told.
    let school = t.world.school.clone();
    assert_eq!(operator.post("/admin/allocate", &[("count", "1"), ("office", school.as_str())]).await.status, 200);
    t.run_jobs().await;
    let told = t.mail.to(&ida.custodian_email);
    assert_eq!(told.len(), 1);
    let text = quoted_printable(&told[0].data);
    assert!(text.contains("Det nye betalingskort til Ida ligger klar på kontoret på Testskolen"), "{text}");
    assert!(text.contains("kortnummeret og aktiveringskoden, der står på kortet"), "{text}");
    assert!(t.mail.to(&bo.custodian_email).is_empty(), "one card, one order told");
    let ready = ida_parent.get(&ida_page).await;
    assert!(ready.body.contains("Bestilt, klar til at blive hentet"), "{}", ready.body);

    // Two more cards: Bo is told; Ida, already told, is not told again.
    assert_eq!(operator.post("/admin/allocate", &[("count", "2"), ("office", school.as_str())]).await.status, 200);
    t.run_jobs().await;
    assert_eq!(t.mail.to(&bo.custodian_email).len(), 1);
    assert_eq!(t.mail.to(&ida.custodian_email).len(), 1);
    let orders = [&ida, &bo].map(|c| c.child_id.clone());
    for child in orders {
        assert!(t.app.store.card_orders_of_child(&child, 1).await.unwrap()[0].ready);
    }
    t.world.assert_books_balance().await;
}

/// Support ordered the card on a parent's behalf: the parents hear where to
/// fetch it, not the operator.
#[tokio::test]
async fn a_card_the_operator_ordered_is_announced_to_the_custodians() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    t.world.blank_card().await;
    let operator = t.world.operator().await;
    let support = t.signed_in(&operator).await;
    assert_eq!(support.post(&format!("/portal/children/{}/replacement", ida.child_id), &[]).await.status, 303);
    t.run_jobs().await;
    let operator_email = t.app.store.person(&operator).await.unwrap().unwrap().email.unwrap();
    assert!(t.mail.to(&operator_email).is_empty(), "the operator is not the one to fetch it");
    let mails = t.mail.to(&ida.custodian_email);
    assert_eq!(mails.len(), 1);
    assert!(quoted_printable(&mails[0].data).contains("Det nye betalingskort til Ida ligger klar"));
}

/// The lost card turned up before the new one was fetched: the parent
/// cancels, the fee comes back once, the old card stays blocked until they
/// unblock it, and the blank card set aside goes to the next waiting order.
#[tokio::test]
async fn a_parent_cancels_an_order_not_yet_fetched_and_gets_the_fee_back() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let bo = t.world.child("Bo", Money::kr(100), None).await;
    let mormor = t.world.relative(&ida, "Mormor").await;
    t.world.blank_card().await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let page = format!("/portal/children/{}/replacement", ida.child_id);
    assert_eq!(parent.post(&page, &[]).await.status, 303);
    let bo_parent = t.signed_in(&bo.custodian_id).await;
    assert_eq!(bo_parent.post(&format!("/portal/children/{}/replacement", bo.child_id), &[]).await.status, 303);
    t.run_jobs().await;
    assert!(t.mail.to(&bo.custodian_email).is_empty(), "the one card waits for Ida");
    assert_eq!(t.world.balance(&ida).await, Money::kr(90));
    let order = t.app.store.card_orders_of_child(&ida.child_id, 1).await.unwrap().remove(0);
    let cancel = format!("{page}/{}/cancel", order.id);
    // Only those who may order may cancel, and only their own child's order.
    assert_eq!(t.signed_in(&mormor).await.post(&cancel, &[]).await.status, 403);
    let through_bo = format!("/portal/children/{}/replacement/{}/cancel", bo.child_id, order.id);
    assert_eq!(bo_parent.post(&through_bo, &[]).await.status, 404, "Ida's order is not Bo's");

    assert!(parent.get(&page).await.body.contains("Annullér bestillingen"));
    let done = parent.post(&cancel, &[]).await;
    assert_eq!(done.status, 303);
    let child_page = parent.get(done.location.as_deref().unwrap()).await;
    assert!(child_page.body.contains("Bestillingen er annulleret"), "{}", child_page.body);
    assert!(child_page.body.contains("Ophæv spærring"), "the old card can be unblocked");
    assert_eq!(t.world.balance(&ida).await, Money::kr(100), "the fee is back");
    let order = t.app.store.card_orders_of_child(&ida.child_id, 1).await.unwrap().remove(0);
    assert_eq!(order.state, saldo_app::OrderState::Cancelled);
    let audit = t.app.store.audit_of(&ida.child_id).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "card.order_cancelled"));
    // The card set aside for Ida now waits for Bo.
    t.run_jobs().await;
    assert_eq!(t.mail.to(&bo.custodian_email).len(), 1);
    // Twice is not twice the money.
    let again = parent.post(&cancel, &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("kan ikke længere annulleres"));
    assert_eq!(t.world.balance(&ida).await, Money::kr(100));
    t.world.assert_books_balance().await;
}
