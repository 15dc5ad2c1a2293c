//! The school office (kontor): today's hand-out list, the stock on hand,
//! handing a card out, looking a child up, blocking and activating at the
//! desk. Every page is scoped to the office's own institution.

mod child;
mod desk;

use axum::Router;
use saldo_app::auth::Refusal;
use saldo_app::cards::CardError;

use crate::page_error::{refusal, PageError, Problem};
use crate::portal::card_error;
use crate::visitor::Visitor;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(desk::routes()).merge(child::routes())
}

/// An office's refusals say which line was crossed: another institution's data.
fn office_refusal(v: &Visitor, r: Refusal) -> PageError {
    match r {
        Refusal::Forbidden(_) => v.fail(Problem::OtherInstitution),
        other => refusal(v, other),
    }
}

fn office_error(v: &Visitor, e: CardError) -> PageError {
    match e {
        CardError::Refused(r) => office_refusal(v, r),
        other => card_error(v, other),
    }
}
