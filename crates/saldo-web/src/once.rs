//! Forms that act once (`saldo_app::form_once`): the page carries `p.once`,
//! and the handler's work runs inside [`act_once`]. The first submit with a
//! key acts; any later one with the same key is sent where the first went.

use std::future::Future;

use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Redirect, Response};
use saldo_app::form_once::{self, Once};
use saldo_app::Actor;

use crate::page_error::{internal, PageError, Problem};
use crate::AppState;

/// Runs `act` once per form key. A form posted without a key (an old page
/// from before keys) acts as it always did.
pub async fn act_once(
    state: &AppState,
    actor: &Actor,
    key: &str,
    act: impl Future<Output = Result<Response, PageError>>,
) -> Result<Response, PageError> {
    if !form_once::is_key(key) {
        return act.await;
    }
    match form_once::claim(&state.app, &actor.person_id, key).await.map_err(internal)? {
        Once::Done(location) => return Ok(Redirect::to(&location).into_response()),
        Once::Busy => return Err(PageError(Problem::AlreadySent)),
        Once::New => {}
    }
    let response = act.await;
    let went = response.as_ref().ok().filter(|r| r.status().is_redirection()).and_then(|r| r.headers().get(LOCATION));
    let kept = match went.and_then(|l| l.to_str().ok()) {
        Some(location) => form_once::done(&state.app, &actor.person_id, key, location).await,
        // It came back with an error and changed nothing: the page may be sent again, corrected.
        None => form_once::unused(&state.app, &actor.person_id, key).await,
    };
    if let Err(e) = kept {
        tracing::warn!(error = %e, "could not note a form key's outcome");
    }
    response
}
