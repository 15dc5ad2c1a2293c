//! Group commit of sales on SQLite. SQLite has one writer and a durable
//! commit costs a flush of the disk, so one sale per commit can never be
//! faster than the disk flushes. Here one writer takes the sales waiting at
//! that moment (up to [`MAX_BATCH`]) and commits them together: each sale in a
//! savepoint of its own, so a declined or failed sale never touches the
//! others, and every till hears its answer only after the commit that holds
//! its sale. The rules, the guarded write and the idempotency key are the
//! same as for a sale alone ([`crate::purchase::sell_in`]).

use std::sync::{Arc, OnceLock};

use saldo_store::{Engine, StoreError, Tx};
use tokio::sync::{mpsc, oneshot};

use crate::idempotency::request_hash;
use crate::purchase::{earlier, sell_in, Answer, PurchaseError, Sale, Sold};
use crate::App;

/// At most this many sales share a commit: a bound on how long the first
/// one waits while the others are written.
pub const MAX_BATCH: usize = 64;

/// Sales waiting for their commit.
const QUEUE: usize = 1024;

/// A sale waiting in line, and where its answer goes.
struct Waiting {
    app: App,
    sale: Sale,
    reply: oneshot::Sender<Result<Answer, PurchaseError>>,
}

/// The line to the one writer, started at the first sale.
#[derive(Clone, Default)]
pub struct SaleBatches {
    group_commit: bool,
    line: Arc<OnceLock<mpsc::Sender<Waiting>>>,
}

impl SaleBatches {
    /// Group commit where the engine has one writer (SQLite); PostgreSQL
    /// takes many sales at once, each in its own transaction.
    pub fn for_engine(engine: Engine) -> SaleBatches {
        SaleBatches { group_commit: engine == Engine::Sqlite, line: Arc::default() }
    }

    pub(crate) fn group_commit(&self) -> bool {
        self.group_commit
    }

    /// Queues the sale for the next commit and waits for its answer.
    pub(crate) async fn sell(&self, app: &App, sale: Sale) -> Result<Answer, PurchaseError> {
        let line = self.line.get_or_init(|| {
            let (line, waiting) = mpsc::channel(QUEUE);
            tokio::spawn(write_batches(waiting));
            line
        });
        let (reply, answer) = oneshot::channel();
        line.send(Waiting { app: app.clone(), sale, reply }).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

fn gone() -> PurchaseError {
    PurchaseError::Store(StoreError::Unavailable("the sales writer stopped".into()))
}

/// Sells these in one group commit, as the writer does when they arrive at
/// the same moment, on either engine (tests: one sale failing in the middle).
#[cfg(feature = "testing")]
pub async fn sell_in_one_batch(
    app: &App,
    sales: Vec<(saldo_store::TillRow, crate::IdempotencyKey, crate::purchase::PurchaseRequest)>,
) -> Vec<Result<Answer, PurchaseError>> {
    let mut batch = Vec::new();
    let mut answers = Vec::new();
    for (till, key, request) in &sales {
        let (reply, answer) = oneshot::channel();
        match Sale::new(till, key, request) {
            Ok(sale) => batch.push(Waiting { app: app.clone(), sale, reply }),
            Err(e) => {
                let _ = reply.send(Err(e));
            }
        }
        answers.push(answer);
    }
    commit_batch(batch).await;
    let mut out = Vec::new();
    for answer in answers {
        out.push(answer.await.unwrap_or_else(|_| Err(gone())));
    }
    out
}

/// The one writer: waits for a sale, takes whatever else is waiting, commits them all.
async fn write_batches(mut waiting: mpsc::Receiver<Waiting>) {
    while let Some(first) = waiting.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match waiting.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        // A batch of its own task: should one panic, its tills hear an error and the writer goes on.
        if let Err(e) = tokio::spawn(commit_batch(batch)).await {
            tracing::error!(error = %e, "a batch of sales failed; its tills retry with their keys");
        }
    }
}

/// Writes each sale in its savepoint, commits once, then answers every till.
async fn commit_batch(batch: Vec<Waiting>) {
    let Some(app) = batch.first().map(|w| w.app.clone()) else { return };
    let size = batch.len();
    match write_all(&app, &batch).await {
        Ok((tx, answers)) => match tx.commit().await {
            Ok(()) => {
                metrics::histogram!("saldo_sale_batch_size").record(size as f64);
                for (waiting, answer) in batch.into_iter().zip(answers) {
                    let _ = waiting.reply.send(answer);
                }
            }
            Err(e) => fail_all(batch, &e),
        },
        Err(e) => fail_all(batch, &e),
    }
}

/// Every sale of the batch in one transaction, each in its own savepoint.
/// An error here (not a sale's own) leaves nothing: the transaction is dropped.
async fn write_all(app: &App, batch: &[Waiting]) -> Result<(Tx, Vec<Result<Answer, PurchaseError>>), StoreError> {
    let mut tx = app.store.begin().await?;
    let mut answers = Vec::with_capacity(batch.len());
    for waiting in batch {
        let sale = &waiting.sale;
        let point = tx.savepoint().await?;
        let answer = match sell_in(&mut tx, &waiting.app, sale).await {
            Ok(Sold::New(outcome)) => {
                tx.release(point).await?;
                Ok(Answer { outcome, replayed: false })
            }
            Ok(Sold::Earlier) => {
                tx.rollback_to(point).await?;
                let hash = request_hash(&sale.request);
                earlier(tx.earlier_answer(&sale.scope(), sale.key.as_str(), &hash).await?)
            }
            Err(e) => {
                tx.rollback_to(point).await?;
                Err(e)
            }
        };
        answers.push(answer);
    }
    Ok((tx, answers))
}

/// The commit did not happen: no sale of the batch was booked, and each till hears so.
fn fail_all(batch: Vec<Waiting>, e: &StoreError) {
    tracing::error!(error = %e, sales = batch.len(), "a batch of sales was not committed");
    for waiting in batch {
        let _ = waiting.reply.send(Err(PurchaseError::Store(StoreError::Unavailable(e.to_string()))));
    }
}
