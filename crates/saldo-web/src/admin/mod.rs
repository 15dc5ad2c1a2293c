//! The operator's pages (driftsadministrator): card stock, the job queue, the
//! withdrawal queue, reconciliation, finance reports.

mod gdpr;
mod jobs;
mod master;
mod payments;
mod reports;
mod stock;
mod sync;
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
        .merge(reports::routes())
        .merge(sync::routes())
        .merge(master::routes())
}
