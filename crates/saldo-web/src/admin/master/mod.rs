//! The operator's registers (stamdata) on the web: institutions, sales
//! points and tills, staff roles (`places`), and children with their
//! custodians (`children`). A form with a mistake comes back to its page
//! with the mistake in words.

mod children;
mod places;

use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use saldo_app::master_data::{Invalid, MasterError};

use crate::page_error::{internal, PageError, Problem};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().merge(places::routes()).merge(children::routes())
}

impl From<MasterError> for PageError {
    fn from(error: MasterError) -> Self {
        match error {
            MasterError::Refused(refusal) => refusal.into(),
            MasterError::NotFound => PageError(Problem::NotFound),
            MasterError::Invalid(_) => PageError(Problem::BadInput),
            MasterError::Store(e) => internal(e),
        }
    }
}

const MISTAKES: [Invalid; 7] =
    [Invalid::Name, Invalid::Kind, Invalid::Date, Invalid::NumberTaken, Invalid::Email, Invalid::Role, Invalid::Place];

/// Done: back to `to`. A mistake: back to `to` saying which. Anything else: the error page.
fn back(to: &str, result: Result<(), MasterError>) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(to).into_response()),
        Err(MasterError::Invalid(invalid)) => {
            let sep = if to.contains('?') { '&' } else { '?' };
            Ok(Redirect::to(&format!("{to}{sep}error={}", invalid.key())).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The words for a mistake named in the address (only the known ones: never text from the address itself).
fn mistake(tr: &crate::i18n::Tr, error: Option<&str>) -> Option<String> {
    let key = error?;
    MISTAKES.iter().find(|m| m.key() == key).map(|m| tr.t(m.key()).to_owned())
}
