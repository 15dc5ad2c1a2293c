//! The operator's pages (driftsadministrator): card stock, the job queue, the
//! withdrawal queue.

mod gdpr;
mod jobs;
mod payments;
mod stock;
mod withdrawals;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(stock::routes())
        .merge(jobs::routes())
        .merge(withdrawals::routes())
        .merge(payments::routes())
        .merge(gdpr::routes())
}
