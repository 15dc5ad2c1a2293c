//! The school office (kontor): today's hand-out list, the stock on hand,
//! handing a card out, looking a child up, blocking and activating at the
//! desk. Every page is scoped to the office's own institution.

mod child;
mod desk;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(desk::routes()).merge(child::routes())
}
