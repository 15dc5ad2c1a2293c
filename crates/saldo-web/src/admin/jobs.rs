//! The operator's job queue page: each kind of background job at a glance,
//! the jobs that fail or were given up, and a way to try a given-up one again.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::job_queue::{self, JobQueueError};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::i18n::Tr;
use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/jobs", get(queue)).route("/admin/jobs/{id}/retry", post(retry))
}

struct KindLine {
    name: String,
    waiting: i64,
    failing: i64,
    given_up: i64,
    done_recently: i64,
    oldest: String,
}

struct JobLine {
    id: String,
    kind: String,
    to: Option<String>,
    created: String,
    attempts: i64,
    error: String,
    next: String,
    given_up: bool,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct QueuePage {
    p: Page,
    kinds: Vec<KindLine>,
    jobs: Vec<JobLine>,
    troubled_intro: String,
}

/// What a kind of job is called on the page; a kind it does not know shows as stored.
fn kind_name(tr: &Tr, kind: &str) -> String {
    match kind {
        "mail" => tr.t("jobs.kind_mail").to_owned(),
        "top_up" => tr.t("jobs.kind_top_up").to_owned(),
        "sandbox_callback" => tr.t("jobs.kind_sandbox_callback").to_owned(),
        "payout_refund" => tr.t("jobs.kind_payout_refund").to_owned(),
        "payment_poll" => tr.t("jobs.kind_payment_poll").to_owned(),
        other => other.to_owned(),
    }
}

/// How long ago, in the largest whole unit that fits.
fn age(tr: &Tr, micros: i64) -> String {
    let secs = (micros / 1_000_000).max(0);
    let (key, n) = match secs {
        0..60 => ("jobs.age_seconds", secs),
        60..3_600 => ("jobs.age_minutes", secs / 60),
        3_600..86_400 => ("jobs.age_hours", secs / 3_600),
        _ => ("jobs.age_days", secs / 86_400),
    };
    tr.fill(key, &[("n", n.to_string())])
}

#[derive(Deserialize, Default)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn queue(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let view = job_queue::view(&state.app, &actor).await?;
    let tr = v.tr;
    let kinds = view
        .kinds
        .iter()
        .map(|k| KindLine {
            name: kind_name(&tr, &k.kind),
            waiting: k.waiting,
            failing: k.failing,
            given_up: k.given_up,
            done_recently: k.done_recently,
            oldest: k.oldest_waiting_created_at.map_or_else(|| "–".to_owned(), |at| age(&tr, view.now - at)),
        })
        .collect();
    let jobs = view
        .troubled
        .into_iter()
        .map(|j| JobLine {
            kind: kind_name(&tr, &j.kind),
            to: j.recipient_domain,
            created: tr.datetime(&j.created_at),
            attempts: j.attempts,
            error: j.last_error,
            next: j.next_try_at.map_or_else(|| tr.t("jobs.given_up").to_owned(), |at| tr.datetime(&at)),
            given_up: j.given_up,
            id: j.id,
        })
        .collect();
    let notice = (done.done == "retried").then(|| tr.t("jobs.retried").to_owned());
    let troubled_intro = tr.fill("jobs.troubled_intro", &[("max", job_queue::MAX_LISTED.to_string())]);
    Ok(render(QueuePage { p: v.page(notice), kinds, jobs, troubled_intro }))
}

#[derive(Deserialize)]
struct NoFields {}

async fn retry(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(id): Path<String>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    match job_queue::try_again(&state.app, &actor, &id).await {
        Ok(()) => Ok(Redirect::to("/admin/jobs?done=retried").into_response()),
        // A second click, or a job another operator already took up: the list shows where it is.
        Err(JobQueueError::NotGivenUp) => Ok(Redirect::to("/admin/jobs").into_response()),
        Err(JobQueueError::Refused(r)) => Err(PageError::from(r)),
        Err(e) => Err(internal(e)),
    }
}
