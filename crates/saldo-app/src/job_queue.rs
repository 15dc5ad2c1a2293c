//! The operator's view of the job queue (the outbox): how each kind of job
//! fares, which jobs fail or were given up and why, and trying a given-up job
//! again. Payloads never leave this module: a mail's holds a login link or an
//! invitation, which are secrets; the operator sees the recipient's domain at most.

use saldo_core::rights::{authorize, Action, Denied, Target};
use saldo_store::{JobKindStats, StoreError};

use crate::auth::{Actor, Refusal};
use crate::mail::Mail;
use crate::App;

/// The most failing or given-up jobs the page lists.
pub const MAX_LISTED: i64 = 50;
/// "Done lately" counts this far back.
pub const DONE_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);
/// An error is shown up to this many characters; the log has the rest.
const MAX_ERROR_CHARS: usize = 300;

/// A failing or given-up job, without its payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TroubledJob {
    pub id: String,
    pub kind: String,
    pub created_at: i64,
    pub attempts: i64,
    /// Addresses in it are cut to their domain.
    pub last_error: String,
    /// When it is tried next; `None` once given up.
    pub next_try_at: Option<i64>,
    pub given_up: bool,
    /// For a mail: the domain it goes to (`example.dk`).
    pub recipient_domain: Option<String>,
}

/// The whole queue as the operator's page shows it.
#[derive(Clone, Debug)]
pub struct QueueView {
    pub kinds: Vec<JobKindStats>,
    pub troubled: Vec<TroubledJob>,
    pub now: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum JobQueueError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("no given-up job with that id (it may already be on its way again)")]
    NotGivenUp,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn must_run_jobs(actor: &Actor) -> Result<(), Refusal> {
    authorize(&actor.grants, Action::JobQueue, &Target::default())
        .map(|_| ())
        .map_err(|_| Refusal::Forbidden(Denied::NotAllowed))
}

pub async fn view(app: &App, actor: &Actor) -> Result<QueueView, Refusal> {
    must_run_jobs(actor)?;
    let now = app.now();
    let kinds = app.store.job_kind_stats(now - DONE_WINDOW).await?;
    let troubled = app
        .store
        .troubled_jobs(MAX_LISTED)
        .await?
        .into_iter()
        .map(|t| TroubledJob {
            recipient_domain: (t.job.kind == "mail")
                .then(|| serde_json::from_str::<Mail>(&t.job.payload).ok())
                .flatten()
                .and_then(|m| m.to.rsplit_once('@').map(|(_, domain)| domain.to_owned())),
            id: t.job.id,
            kind: t.job.kind,
            created_at: t.created_at,
            attempts: t.job.attempts,
            last_error: shown_error(&t.last_error),
            next_try_at: t.available_at,
            given_up: t.given_up,
        })
        .collect();
    Ok(QueueView { kinds, troubled, now: now.as_microsecond() })
}

/// Makes a given-up job due now, its attempts counted afresh, and audits who did.
pub async fn try_again(app: &App, actor: &Actor, job_id: &str) -> Result<(), JobQueueError> {
    must_run_jobs(actor)?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let kind = tx.retry_given_up_job(job_id, now).await?.ok_or(JobQueueError::NotGivenUp)?;
    tx.audit(&actor.label(), "job.retry", job_id, &kind, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// An error as the page may show it: short, and with e-mail addresses cut to
/// their domain (an SMTP refusal names the recipient).
pub(crate) fn shown_error(error: &str) -> String {
    let mut shown = String::with_capacity(error.len());
    for (i, word) in error.split(' ').enumerate() {
        if i > 0 {
            shown.push(' ');
        }
        match word.find('@') {
            Some(at) => {
                let start = word[..at]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| !(c.is_alphanumeric() || "._%+-".contains(*c)))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                shown.push_str(&word[..start]);
                shown.push('…');
                shown.push_str(&word[at..]);
            }
            None => shown.push_str(word),
        }
    }
    if shown.chars().count() > MAX_ERROR_CHARS {
        shown = shown.chars().take(MAX_ERROR_CHARS).collect::<String>() + "…";
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::shown_error;

    #[test]
    fn addresses_in_errors_keep_only_their_domain() {
        assert_eq!(shown_error("to address \"ida.mor+x@example.dk\": invalid"), "to address \"…@example.dk\": invalid");
        assert_eq!(shown_error("smtp: 550 <bo@skole.dk> unknown"), "smtp: 550 <…@skole.dk> unknown");
        assert_eq!(shown_error("callback answered 502"), "callback answered 502");
        assert_eq!(shown_error(&"x".repeat(400)).chars().count(), 301);
    }
}
