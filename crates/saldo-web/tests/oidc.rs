//! MitID for parents and the municipality's login for staff, over OpenID
//! Connect, against a real provider (node oidc-provider) on loopback: a first
//! login that binds, a second that goes straight in, tokens that fail their
//! checks, expired codes, replayed callbacks, staff groups, the step-up and
//! logging out. On SQLite, and on PostgreSQL with `SALDO_TEST_POSTGRES_URL`.

mod common;

use common::oidc::Provider;
use common::{quoted_printable, Browser, Page, TestApp};
use saldo_app::settings::{GroupGrant, Secret, StaffRoleName};
use saldo_app::Settings;
use saldo_core::Money;

/// Anna and Bo at the test provider (see `tests/oidc/provider.mjs`).
const ANNA_CPR: &str = "0101851234";
const BO_CPR: &str = "0202852345";
const CPR_KEY: &str = "a-test-key-for-cpr-hashes-32-chars-at-least";

async fn saldo(adjust: impl FnOnce(&mut Settings, &Provider)) -> (TestApp, Provider) {
    let (listener, base) = TestApp::bind().await;
    let op = Provider::start(&base).await;
    let t = TestApp::start_on(listener, |s, world| {
        s.login.parents = op.parents();
        s.login.staff = op.staff();
        // What the municipality's groups give: an office at the test school, the operator.
        let office =
            GroupGrant { role: StaffRoleName::Office, institution: Some(world.school.to_string()), sales_point: None };
        s.login.staff.groups.insert("Saldo-Kontor-Testskolen".into(), office);
        let operator = GroupGrant { role: StaffRoleName::Operator, institution: None, sales_point: None };
        s.login.staff.groups.insert("saldo-drift".into(), operator);
        adjust(s, &op);
    })
    .await;
    (t, op)
}

/// Saldo with the CPR claim in use.
async fn saldo_with_cpr() -> (TestApp, Provider) {
    saldo(|s, _| {
        s.login.cpr_key = Secret(CPR_KEY.into());
        s.login.parents.cpr_claim = "dk.cpr".into();
    })
    .await
}

/// Presses "Log ind med MitID" (or the staff button) and returns the provider's address.
async fn press_login(browser: &Browser, audience: &str) -> String {
    browser.get(if audience == "staff" { "/staff/login" } else { "/login" }).await;
    let started = browser.post(&format!("/login/oidc/{audience}"), &[]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    started.location.expect("to the provider")
}

/// A whole login at the provider as `user`; Saldo's answer to the callback.
async fn log_in(op: &Provider, browser: &Browser, audience: &str, user: &str) -> Page {
    let authorization = press_login(browser, audience).await;
    let back = op.log_in(browser, &authorization, Some(user)).await;
    browser.get(&back).await
}

fn signed_out(page: &Page) -> bool {
    page.status == 303 && page.location.as_deref() == Some("/login")
}

#[tokio::test]
async fn a_first_mitid_login_binds_by_a_link_to_the_address_on_file_and_the_second_goes_straight_in() {
    let (t, op) = saldo(|_, _| {}).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;

    let browser = t.browser();
    let first = log_in(&op, &browser, "parents", "anna").await;
    assert_eq!((first.status, first.location.as_deref()), (303, Some("/login/mitid/bind")), "{}", first.body);
    let asked = browser.get("/login/mitid/bind").await;
    assert!(asked.body.contains("Velkommen, Anna Testmor"), "{}", asked.body);
    assert!(signed_out(&browser.get("/portal").await), "not signed in before the link");

    // The same answer for an address nobody has, and no mail.
    let unknown = browser.post("/login/mitid/bind", &[("email", "nobody@example.dk")]).await;
    assert_eq!(unknown.location.as_deref(), Some("/login/mitid/sent"));
    let sent = browser.post("/login/mitid/bind", &[("email", &ida.custodian_email)]).await;
    assert_eq!(sent.location.as_deref(), Some("/login/mitid/sent"));
    t.run_jobs().await;
    assert!(t.mail.to("nobody@example.dk").is_empty());
    let mail = quoted_printable(&t.mail.to(&ida.custodian_email).last().expect("a binding mail").data);
    assert!(mail.contains("MitID som Anna Testmor"), "the mail names who logged in: {mail}");
    let link = mail.lines().find(|l| l.contains("/login/mitid/bind?token=")).expect("a link").trim().to_owned();
    let token = link.split("token=").nth(1).unwrap().to_owned();

    // Opened in another browser (someone else's MitID login, the parent's mail): refused.
    let other = t.browser();
    other.get(&link).await;
    let refused = other.post("/login/mitid/bind/use", &[("token", &token)]).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("åbnet i en anden browser"), "{}", refused.body);

    // In the browser that logged in with MitID: bound for good, and in.
    let page = browser.get(&link).await;
    assert!(page.body.contains("Knyt MitID og log ind"), "{}", page.body);
    let bound = browser.post("/login/mitid/bind/use", &[("token", &token)]).await;
    assert_eq!((bound.status, bound.location.as_deref()), (303, Some("/portal")), "{}", bound.body);
    assert!(browser.get("/portal").await.body.contains("Ida"));
    let audit = t.app.store.audit_of(ida.custodian_id.as_str()).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "mitid.bound" && a.detail.contains("Anna Testmor")), "{audit:?}");
    // Once only.
    assert_eq!(browser.post("/login/mitid/bind/use", &[("token", &token)]).await.status, 400);

    // The next time MitID is enough.
    let again = t.browser();
    let second = log_in(&op, &again, "parents", "anna").await;
    assert_eq!((second.status, second.location.as_deref()), (303, Some("/portal")), "{}", second.body);
    assert!(again.get("/portal").await.body.contains("Ida"));
}

#[tokio::test]
async fn a_cpr_number_the_school_data_holds_binds_at_once_and_is_kept_only_as_a_keyed_hash() {
    let (t, op) = saldo_with_cpr().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    assert!(saldo_app::login::remember_cpr(&t.app, &ida.custodian_id, BO_CPR).await.unwrap());
    assert_eq!(t.app.store.person_by_cpr_hash(BO_CPR).await.unwrap(), None, "never in clear");
    let hash = saldo_app::login::cpr_hash(CPR_KEY, BO_CPR).unwrap();
    assert_eq!(t.app.store.person_by_cpr_hash(&hash).await.unwrap(), Some(ida.custodian_id.clone()));

    let browser = t.browser();
    let answer = log_in(&op, &browser, "parents", "bo").await;
    assert_eq!((answer.status, answer.location.as_deref()), (303, Some("/portal")), "{}", answer.body);
    let audit = t.app.store.audit_of(ida.custodian_id.as_str()).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "mitid.bound" && a.detail == "cpr match"), "{audit:?}");
    assert!(audit.iter().all(|a| !a.detail.contains(BO_CPR)));

    // Anna's CPR number matches no one: she is asked for her address.
    let anna = log_in(&op, &t.browser(), "parents", "anna").await;
    assert_eq!(anna.location.as_deref(), Some("/login/mitid/bind"));
    let _ = ANNA_CPR;
}

#[tokio::test]
async fn an_id_token_that_fails_a_check_is_refused_with_a_page_and_no_session() {
    let (t, op) = saldo(|_, _| {}).await;
    for (mode, why) in [
        ("signature", "a changed token"),
        ("nonce", "a wrong nonce"),
        ("issuer", "another issuer"),
        ("audience", "another audience"),
        ("expired", "an expired token"),
    ] {
        op.control(&format!("tamper?mode={mode}")).await;
        let browser = t.browser();
        let answer = log_in(&op, &browser, "parents", "anna").await;
        assert_eq!(answer.status, 502, "{why}: {}", answer.body);
        assert!(answer.body.contains("Vi kunne ikke bekræfte dit login"), "{why}: {}", answer.body);
        assert!(answer.body.contains("href=\"/login\""), "{why}: the way back is a new login");
        assert!(signed_out(&browser.get("/portal").await), "{why}: no session");
        assert!(browser.get("/login/mitid/bind").await.status == 400, "{why}: nothing waits for binding");
    }
}

#[tokio::test]
async fn an_expired_code_a_replayed_callback_and_another_browser_are_refused() {
    let (t, op) = saldo(|_, _| {}).await;

    // The code expires at the provider before Saldo redeems it.
    let browser = t.browser();
    let authorization = press_login(&browser, "parents").await;
    let back = op.log_in(&browser, &authorization, Some("anna")).await;
    op.control("expire-codes").await;
    let expired = browser.get(&back).await;
    assert_eq!(expired.status, 400, "{}", expired.body);
    assert!(expired.body.contains("Login tog for lang tid"), "{}", expired.body);

    // A callback works once.
    let browser = t.browser();
    let authorization = press_login(&browser, "parents").await;
    let back = op.log_in(&browser, &authorization, Some("anna")).await;
    assert_eq!(browser.get(&back).await.status, 303);
    let replayed = browser.get(&back).await;
    assert_eq!(replayed.status, 400, "{}", replayed.body);
    assert!(replayed.body.contains("Login tog for lang tid"));

    // A callback taken to another browser (login CSRF) is refused.
    let browser = t.browser();
    let authorization = press_login(&browser, "parents").await;
    let back = op.log_in(&browser, &authorization, Some("anna")).await;
    let elsewhere = t.browser();
    assert_eq!(elsewhere.get(&back).await.status, 400);
    // …and used up by the try: the right browser cannot use it after.
    assert_eq!(browser.get(&back).await.status, 400);

    // A request too old for Saldo: the app's clock moves past its 10 minutes.
    let browser = t.browser();
    let authorization = press_login(&browser, "parents").await;
    let back = op.log_in(&browser, &authorization, Some("anna")).await;
    t.app.clock.advance(jiff::SignedDuration::from_mins(11));
    assert_eq!(browser.get(&back).await.status, 400);

    // Made-up and missing answers.
    assert_eq!(browser.get("/login/oidc/parents/callback?code=x&state=made-up").await.status, 400);
    assert_eq!(browser.get("/login/oidc/parents/callback").await.status, 400);
    assert_eq!(browser.get("/login/oidc/nobody/callback?code=x&state=y").await.status, 404);
}

#[tokio::test]
async fn cancelling_at_the_broker_says_so() {
    let (t, op) = saldo(|_, _| {}).await;
    // The pages let their forms lead to the broker (the button answers with a redirect there).
    let login = t.http.get(format!("{}/login", t.base)).send().await.unwrap();
    let csp = login.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains(&format!("form-action 'self' {}", op.issuer)), "{csp}");
    let browser = t.browser();
    let authorization = press_login(&browser, "parents").await;
    let back = op.log_in(&browser, &authorization, None).await;
    assert!(back.contains("error=access_denied"), "{back}");
    let answer = browser.get(&back).await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("Du afbrød login"), "{}", answer.body);
    assert!(signed_out(&browser.get("/portal").await));
}

#[tokio::test]
async fn staff_groups_give_roles_and_a_user_whose_groups_give_nothing_is_refused_and_audited() {
    let (t, op) = saldo(|_, _| {}).await;
    let page = t.browser().get("/staff/login").await;
    assert!(page.body.contains("Log ind med kommunens login"), "{}", page.body);

    let karin = t.browser();
    let answer = log_in(&op, &karin, "staff", "kontor").await;
    assert_eq!((answer.status, answer.location.as_deref()), (303, Some("/office")), "{}", answer.body);
    let desk = karin.get("/office").await;
    let desk = karin.get(desk.location.as_deref().unwrap_or("/office")).await;
    assert_eq!(desk.status, 200, "the office's desk");
    assert!(desk.body.contains("Testskolen"), "{}", desk.body);
    assert_ne!(karin.get("/admin").await.status, 200, "an office is not the operator");

    let dorte = t.browser();
    assert_eq!(log_in(&op, &dorte, "staff", "drift").await.location.as_deref(), Some("/admin"));

    let viggo = t.browser();
    let refused = log_in(&op, &viggo, "staff", "vikar").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("giver ikke adgang til Saldo"), "{}", refused.body);
    assert!(signed_out(&viggo.get("/portal").await));
    let audit = t.app.store.audit_of("staff-0004").await.unwrap();
    assert!(audit.iter().any(|a| a.action == "login.refused" && a.detail.contains("alle-ansatte")), "{audit:?}");
}

#[tokio::test]
async fn a_payout_needs_a_mitid_login_within_fifteen_minutes() {
    let (t, op) = saldo_with_cpr().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    saldo_app::login::remember_cpr(&t.app, &ida.custodian_id, ANNA_CPR).await.unwrap();
    let parent = t.browser();
    assert_eq!(log_in(&op, &parent, "parents", "anna").await.location.as_deref(), Some("/portal"));
    let path = format!("/portal/children/{}/withdraw", ida.child_id);
    let request = [("amount", "10"), ("method", "bank"), ("reg_no", "1234"), ("account_no", "0001234567")];

    // Just logged in with MitID: the form is there.
    assert!(!parent.get(&path).await.body.contains("Bekræft med MitID"));

    // Sixteen minutes on: confirm first; the request itself is refused until then.
    t.app.clock.advance(jiff::SignedDuration::from_mins(16));
    let page = parent.get(&path).await;
    assert!(page.body.contains("Bekræft med MitID"), "{}", page.body);
    let refused = parent.post(&path, &request).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("inden for de sidste 15 minutter"));
    let relatives = parent.get(&format!("/portal/children/{}/relatives", ida.child_id)).await;
    assert!(relatives.body.contains("Bekræft med MitID"), "adding a relative needs it too");

    // Another person's MitID cannot lift this session.
    let step = parent.post("/login/step-up", &[("back", &path)]).await;
    let authorization = step.location.expect("to the broker");
    assert!(authorization.contains("max_age=900") && authorization.contains("prompt=login"), "{authorization}");
    let back = op.log_in(&parent, &authorization, Some("bo")).await;
    let wrong = parent.get(&back).await;
    assert_eq!(wrong.status, 403, "{}", wrong.body);
    assert!(wrong.body.contains("en andens MitID"));

    // A fresh MitID login of her own: back to the form, and the payout goes through.
    let step = parent.post("/login/step-up", &[("back", &path)]).await;
    let back = op.log_in(&parent, step.location.as_deref().unwrap(), Some("anna")).await;
    let lifted = parent.get(&back).await;
    assert_eq!((lifted.status, lifted.location.as_deref()), (303, Some(path.as_str())), "{}", lifted.body);
    assert!(!parent.get(&path).await.body.contains("Bekræft med MitID"));
    let asked = parent.post(&path, &request).await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let audit = t.app.store.audit_of(ida.custodian_id.as_str()).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "login.step_up"), "{audit:?}");
}

#[tokio::test]
async fn without_mitid_a_fresh_e_mail_link_is_the_step_up() {
    let (t, _op) = saldo(|_, _| {}).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let parent = t.browser();
    parent.get("/login").await;
    parent.post("/login", &[("email", &ida.custodian_email)]).await;
    t.run_jobs().await;
    let link = |t: &TestApp| {
        let mail = quoted_printable(&t.mail.to(&ida.custodian_email).last().unwrap().data);
        mail.lines().find(|l| l.contains("/login/link?token=")).unwrap().trim().to_owned()
    };
    let token = |link: String| link.split("token=").nth(1).unwrap().to_owned();
    let first = token(link(&t));
    assert_eq!(parent.post("/login/link", &[("token", &first)]).await.status, 303);
    let path = format!("/portal/children/{}/withdraw", ida.child_id);
    assert!(!parent.get(&path).await.body.contains("Send mig et link"));

    t.app.clock.advance(jiff::SignedDuration::from_mins(16));
    let page = parent.get(&path).await;
    assert!(page.body.contains("Send mig et link"), "{}", page.body);
    let step = parent.post("/login/step-up", &[("back", &path)]).await;
    assert_eq!(step.location.as_deref(), Some("/login/sent"));
    t.run_jobs().await;
    let second = token(link(&t));
    assert_ne!(first, second);
    let opened = parent.post("/login/link", &[("token", &second)]).await;
    assert_eq!((opened.status, opened.location.as_deref()), (303, Some(path.as_str())), "back where it was");
    assert!(!parent.get(&path).await.body.contains("Send mig et link"));
    let closed = parent.post(&format!("/portal/children/{}/close", ida.child_id), &[]).await;
    assert_eq!(closed.status, 200, "the account is not empty: the page says so, no step-up refusal");
}

#[tokio::test]
async fn logging_out_ends_the_session_and_logs_out_at_the_broker_too() {
    let (t, op) = saldo_with_cpr().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    saldo_app::login::remember_cpr(&t.app, &ida.custodian_id, ANNA_CPR).await.unwrap();
    let parent = t.browser();
    assert_eq!(log_in(&op, &parent, "parents", "anna").await.location.as_deref(), Some("/portal"));
    let out = parent.post("/logout", &[]).await;
    assert_eq!(out.status, 303);
    let at_broker = out.location.expect("to the broker's logout");
    assert!(at_broker.starts_with(&format!("{}/session/end", op.issuer)), "{at_broker}");
    assert!(at_broker.contains("client_id=saldo-parents") && at_broker.contains("post_logout_redirect_uri="));
    assert!(signed_out(&parent.get("/portal").await));
    let page = parent.get(&at_broker).await;
    assert_eq!(page.status, 200, "the broker asks: {}", page.body);

    // A demo login (no provider) just ends Saldo's session.
    let demo = t.signed_in(&ida.custodian_id).await;
    assert_eq!(demo.post("/logout", &[]).await.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn keys_the_broker_rotates_are_picked_up() {
    let (t, op) = saldo_with_cpr().await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    saldo_app::login::remember_cpr(&t.app, &ida.custodian_id, ANNA_CPR).await.unwrap();
    assert_eq!(log_in(&op, &t.browser(), "parents", "anna").await.location.as_deref(), Some("/portal"));
    op.control("rotate").await;
    let after = log_in(&op, &t.browser(), "parents", "anna").await;
    assert_eq!(after.location.as_deref(), Some("/portal"), "{}", after.body);
}
