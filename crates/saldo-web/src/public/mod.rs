//! The public pages, open to everyone: landing, help, the accessibility
//! statement, the stylesheet, the demo's mailbox, and logging in and out
//! (e-mail links, staff passwords, MitID and the municipality's login).

mod login;
mod oidc;
mod pages;

use axum::Router;

use crate::AppState;

pub(crate) use login::signed_in;
pub(crate) use oidc::StepUpBox;

pub fn router() -> Router<AppState> {
    Router::new().merge(pages::routes()).merge(login::routes()).merge(oidc::routes())
}
