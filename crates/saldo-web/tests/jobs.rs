//! The operator's job queue (issue 6): how the background jobs fare, which
//! fail and why (never what they carry), and trying a given-up job again.

mod common;

use common::{quoted_printable, TestApp};
use saldo_core::Money;

/// Lets each retry's pause pass and runs the due jobs, `rounds` times.
async fn run_rounds(t: &TestApp, rounds: usize) {
    for _ in 0..rounds {
        t.app.clock.advance(jiff::SignedDuration::from_mins(10));
        t.run_jobs().await;
    }
}

#[tokio::test]
async fn a_mail_given_up_is_shown_without_its_content_and_goes_when_tried_again() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::ZERO, None).await;
    let operator_id = t.world.operator().await;
    let operator = t.signed_in(&operator_id).await;

    // A parent asks for a login link while the mail server refuses every recipient.
    t.mail.refuse(true);
    let parent = t.browser();
    parent.get("/login").await;
    assert_eq!(parent.post("/login", &[("email", &ida.custodian_email)]).await.status, 303);
    run_rounds(&t, 1).await;
    let failing = operator.get("/admin/jobs").await;
    assert_eq!(failing.status, 200, "{}", failing.body);
    assert!(failing.body.contains("Næste forsøg"), "{}", failing.body);
    assert!(!failing.body.contains("/retry"), "a job still being retried has no button: {}", failing.body);

    // Eight attempts in all, then the runner gives up and keeps the last error.
    run_rounds(&t, 7).await;
    let jobs = t.app.store.troubled_jobs(50).await.unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    let job = &jobs[0];
    assert!(job.given_up && job.job.attempts == 8, "{job:#?}");
    let mail = t.app.store.job_kind_stats(t.app.now() - jiff::SignedDuration::from_hours(24)).await.unwrap();
    let mail = mail.iter().find(|k| k.kind == "mail").expect("mail stats");
    assert_eq!((mail.waiting, mail.failing, mail.given_up), (0, 0, 1));

    // Over an hour has passed: the operator logs in anew.
    let operator = t.signed_in(&operator_id).await;
    let page = operator.get("/admin/jobs").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Jobkø") && page.body.contains("Opgivet"), "{}", page.body);
    assert!(page.body.contains("…@example.dk"), "the recipient's domain only: {}", page.body);
    assert!(page.body.contains("try again later"), "the SMTP server's answer: {}", page.body);
    assert!(page.body.contains(&format!("/admin/jobs/{}/retry", job.job.id)), "{}", page.body);
    // Never the content: the login link is a secret, the address personal.
    let local_part = ida.custodian_email.split('@').next().unwrap();
    assert!(!page.body.contains("token") && !page.body.contains(local_part), "{}", page.body);
    // The admin menu leads here.
    assert!(operator.get("/admin").await.body.contains("href=\"/admin/jobs\""));

    // Try again: a forged form is refused, the real one makes the job due at once.
    let retry = format!("/admin/jobs/{}/retry", job.job.id);
    assert_eq!(operator.post_raw(&retry, &[("csrf", "forged")]).await.status, 400);
    let retried = operator.post(&retry, &[]).await;
    assert_eq!((retried.status, retried.location.as_deref()), (303, Some("/admin/jobs?done=retried")));
    let page = operator.get("/admin/jobs?done=retried").await;
    assert!(page.body.contains("Jobbet prøves igen nu."), "{}", page.body);
    assert!(!page.body.contains(&retry), "no longer given up: {}", page.body);
    let audit = t.app.store.audit_of(&job.job.id).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "job.retry" && a.actor == format!("person:{operator_id}")), "{audit:#?}");

    // The mail server is back: the link goes out, and nothing is left failing.
    t.mail.refuse(false);
    assert_eq!(t.run_jobs().await, 1);
    let sent = t.mail.to(&ida.custodian_email);
    assert_eq!(sent.len(), 1);
    assert!(quoted_printable(&sent[0].data).contains("/login/link?token="));
    assert!(t.app.store.troubled_jobs(50).await.unwrap().is_empty());
    let page = operator.get("/admin/jobs").await;
    assert!(page.body.contains("Ingen job fejler."), "{}", page.body);

    // A second click on the old button changes nothing.
    let again = operator.post(&retry, &[]).await;
    assert_eq!((again.status, again.location.as_deref()), (303, Some("/admin/jobs")));
    assert_eq!(t.app.store.audit_of(&job.job.id).await.unwrap().len(), 1);
    assert!(t.mail.to(&ida.custodian_email).len() == 1 && t.run_jobs().await == 0);
}

#[tokio::test]
async fn only_the_operator_sees_the_queue() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::ZERO, None).await;
    let office = t.signed_in(&t.world.staff(Some(&t.world.school), "kontor-test-1").await.0).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    for browser in [&office, &parent] {
        assert_eq!(browser.get("/admin/jobs").await.status, 403);
        assert_eq!(browser.post("/admin/jobs/job-none/retry", &[]).await.status, 403);
    }
    assert_eq!(t.browser().get("/admin/jobs").await.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn the_queue_page_reads_in_english() {
    let t = TestApp::start().await;
    let operator = t.signed_in(&t.world.operator().await).await;
    operator.get("/lang/en?back=/admin/jobs").await;
    let page = operator.get("/admin/jobs").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Job queue") && page.body.contains("No job is failing."), "{}", page.body);
}
