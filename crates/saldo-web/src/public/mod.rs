//! The public pages, open to everyone: landing, help, the accessibility
//! statement, the stylesheet, the demo's mailbox, and logging in and out.

mod login;
mod pages;

use axum::Router;

use crate::AppState;

pub(crate) use login::signed_in;

pub fn router() -> Router<AppState> {
    Router::new().merge(pages::routes()).merge(login::routes())
}
