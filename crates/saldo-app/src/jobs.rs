//! The job runner: takes due outbox rows and does them — mail over SMTP, the
//! sandbox provider's callbacks over HTTP — at least once, with backoff.

use std::time::Duration;

use lettre::message::MultiPart;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use saldo_store::{Job, StoreError};

use crate::mail::Mail;
use crate::sandbox::Callback;
use crate::settings::MailSettings;
use crate::App;

/// Jobs taken per round; a round repeats at once while there is work.
const BATCH: i64 = 20;
/// After this many attempts a job is given up, with its last error kept.
const MAX_ATTEMPTS: i64 = 8;

pub struct Runner {
    app: App,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: String,
    http: reqwest::Client,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("mail settings: {0}")]
    MailSettings(String),
}

impl Runner {
    pub fn new(app: App) -> Result<Runner, JobError> {
        let smtp = smtp_transport(&app.settings.mail)?;
        let from = app.settings.mail.from.clone();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| JobError::MailSettings(e.to_string()))?;
        Ok(Runner { app, smtp, from, http })
    }

    /// Works until the process ends, polling every `jobs.poll_ms` when there
    /// is nothing to do. Once an hour it also does the daily chores.
    pub async fn run_forever(self) {
        let idle = Duration::from_millis(self.app.settings.jobs.poll_ms.max(10));
        let mut next_chores = std::time::Instant::now();
        let mut next_minute = std::time::Instant::now();
        loop {
            if std::time::Instant::now() >= next_chores {
                next_chores += Duration::from_secs(3600);
                self.chores().await;
            }
            // Standing orders are charged as each day's order deadline passes: looked at every minute.
            if std::time::Instant::now() >= next_minute {
                next_minute += Duration::from_secs(60);
                match crate::standing_orders::charge_due(&self.app).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(days = n, "charged standing orders' days"),
                    Err(e) => tracing::warn!(error = %e, "charging standing orders failed"),
                }
            }
            match self.run_once().await {
                Ok(0) => tokio::time::sleep(idle).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "job runner cannot reach the database");
                    tokio::time::sleep(idle * 4).await;
                }
            }
        }
    }

    /// What is looked at once an hour rather than set off by a request.
    async fn chores(&self) {
        match crate::accounts::erase_expired(&self.app).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(children = n, "erased personal data past its retention period"),
            Err(e) => tracing::warn!(error = %e, "retention erasure failed"),
        }
        match crate::agreements::remind_expiring_cards(&self.app).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(owners = n, "reminded owners of saved cards about to expire"),
            Err(e) => tracing::warn!(error = %e, "card expiry reminders failed"),
        }
        match crate::uncollected::close_past_days(&self.app).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(orders = n, "closed webshop orders nobody collected"),
            Err(e) => tracing::warn!(error = %e, "closing uncollected webshop orders failed"),
        }
    }

    /// Does the due jobs once; returns how many it took.
    pub async fn run_once(&self) -> Result<usize, StoreError> {
        let now = self.app.now();
        // A job not finished within its lease (its worker died) is taken again.
        let lease =
            jiff::SignedDuration::from_secs(i64::try_from(self.app.settings.jobs.lease_secs.max(1)).unwrap_or(120));
        let jobs = self.app.store.claim_jobs(now, now + lease, BATCH).await?;
        for job in &jobs {
            // The lease runs from the start of each job, not of the batch; a
            // job another worker has taken since (its lease ran out) is theirs.
            if !self.app.store.renew_lease(&job.id, job.attempts, self.app.now() + lease).await? {
                continue;
            }
            let outcome = self.perform(job).await;
            let now = self.app.now();
            match outcome {
                Ok(()) => self.app.store.finish_job(&job.id, now).await?,
                Err(error) => {
                    let retry = (job.attempts < MAX_ATTEMPTS)
                        .then(|| now + jiff::SignedDuration::from_secs(2i64.pow(job.attempts.clamp(0, 12) as u32)));
                    let shown = crate::job_queue::shown_error(&error);
                    tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %shown, "job failed");
                    self.app.store.fail_job(&job.id, &error, retry, now).await?;
                    if retry.is_none() && job.kind == "top_up" {
                        if let Err(e) = crate::agreements::give_up(&self.app, &job.payload).await {
                            tracing::warn!(job = %job.id, error = %e, "could not pause the agreement of a given-up charge");
                        }
                    }
                }
            }
        }
        Ok(jobs.len())
    }

    async fn perform(&self, job: &Job) -> Result<(), String> {
        match job.kind.as_str() {
            "mail" => {
                let mail: Mail = serde_json::from_str(&job.payload).map_err(|e| format!("unreadable mail: {e}"))?;
                self.send_mail(&mail).await
            }
            "sandbox_callback" => {
                let callback: Callback =
                    serde_json::from_str(&job.payload).map_err(|e| format!("unreadable callback: {e}"))?;
                let response = self
                    .http
                    .post(&callback.url)
                    .header(saldo_pay::sandbox::SIGNATURE_HEADER, &callback.signature)
                    .header("content-type", "application/json")
                    .body(callback.body)
                    .send()
                    .await
                    .map_err(|e| format!("callback: {e}"))?;
                if response.status().is_success() {
                    Ok(())
                } else {
                    Err(format!("callback answered {}", response.status()))
                }
            }
            "top_up" => crate::agreements::run_charge(&self.app, &job.payload).await,
            "payout_refund" => crate::withdrawals::run_refund(&self.app, &job.payload).await,
            "payment_poll" => crate::payments::poll_deposit(&self.app, &job.payload).await,
            other => Err(format!("unknown job kind {other:?}")),
        }
    }

    async fn send_mail(&self, mail: &Mail) -> Result<(), String> {
        let Some(smtp) = &self.smtp else {
            // No SMTP server configured (the demo): the mail stays readable in the outbox.
            return Ok(());
        };
        let message = Message::builder()
            .from(self.from.parse().map_err(|e| format!("from address: {e}"))?)
            .to(mail.to.parse().map_err(|e| format!("to address {:?}: {e}", mail.to))?)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html()))
            .map_err(|e| format!("mail: {e}"))?;
        smtp.send(message).await.map(|_| ()).map_err(|e| format!("smtp: {e}"))
    }
}

fn smtp_transport(settings: &MailSettings) -> Result<Option<AsyncSmtpTransport<Tokio1Executor>>, JobError> {
    let Some(host) = &settings.smtp_host else { return Ok(None) };
    let builder = match settings.tls.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
            .map_err(|e| JobError::MailSettings(e.to_string()))?,
        "tls" => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| JobError::MailSettings(e.to_string()))?
        }
        other => return Err(JobError::MailSettings(format!("tls must be none, starttls or tls, not {other:?}"))),
    };
    let mut builder = builder.port(settings.smtp_port).timeout(Some(Duration::from_secs(20)));
    if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(Some(builder.build()))
}
