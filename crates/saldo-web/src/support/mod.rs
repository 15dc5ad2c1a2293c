//! The support console (`/support`, role support): the search, one page per
//! child, and the help desk's actions. Every look-up and action carries the
//! reason support gave (a choice and a note), which the app records.

mod actions;
mod child;
mod child_view;
mod search;

use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use saldo_app::cards::CardError;
use saldo_app::family::FamilyError;
use saldo_app::support::{Asked, Reason, SupportError};
use saldo_core::ids::ChildId;
use serde::Deserialize;

use crate::i18n::Tr;
use crate::AppState;

pub(crate) use child_view::{access_line, Happened};

pub fn router() -> Router<AppState> {
    Router::new().merge(search::routes()).merge(child::routes()).merge(actions::routes())
}

/// Everything but RFC 3986's unreserved characters is encoded, in a path segment and a query value.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A reason as the dropdown offers it.
pub struct ReasonOption {
    pub value: &'static str,
    pub label: &'static str,
    pub chosen: bool,
}

/// The dropdown's choices, with the one given before chosen.
fn reason_options(tr: &Tr, chosen: &str) -> Vec<ReasonOption> {
    Reason::ALL
        .iter()
        .map(|r| ReasonOption {
            value: r.as_str(),
            label: tr.t(&format!("support.reason_{}", r.as_str())),
            chosen: r.as_str() == chosen,
        })
        .collect()
}

/// The reason fields every support form and look-up carries.
#[derive(Deserialize, Default, Clone)]
pub struct ReasonFields {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

impl ReasonFields {
    fn asked(&self) -> Result<Asked, SupportError> {
        Asked::new(&self.reason, &self.note)
    }

    /// `reason=…&note=…`, for a link that carries the reason on.
    fn query(&self) -> String {
        let enc = |s: &str| utf8_percent_encode(s, UNRESERVED).to_string();
        format!("reason={}&note={}", enc(self.reason.trim()), enc(self.note.trim()))
    }
}

/// The child's page in the console, with the reason carried on and what was just done.
fn file_path(child: &ChildId, reason: &ReasonFields, done: Option<&'static str>) -> String {
    let child = utf8_percent_encode(child.as_str(), UNRESERVED);
    let done = done.map(|d| format!("&done={d}")).unwrap_or_default();
    format!("/support/children/{child}?{}{done}", reason.query())
}

fn to_file(child: &ChildId, reason: &ReasonFields, done: &'static str) -> Response {
    Redirect::to(&file_path(child, reason, Some(done))).into_response()
}

/// The words for a support error the person can act on (a missing reason,
/// a card in the wrong state, a balance short of the fee); `None` for the rest.
fn problem_words(tr: &Tr, error: &SupportError) -> Option<String> {
    let key = match error {
        SupportError::NoReason => "support.error_no_reason",
        SupportError::NoteMissing => "support.error_note_missing",
        SupportError::NoteTooLong => "support.error_note_too_long",
        SupportError::QueryLength => "support.error_query_length",
        SupportError::DigitsNeedName => "support.error_digits_need_name",
        SupportError::NotPending => "support.error_not_pending",
        SupportError::Provider(_) => "support.error_provider",
        SupportError::Login(saldo_app::auth::AuthError::RateLimited) => "support.error_rate_limited",
        SupportError::Card(CardError::InsufficientFunds { fee }) => {
            return Some(tr.fill("order.insufficient", &[("fee", tr.money(fee))]))
        }
        SupportError::Card(CardError::AlreadyOrdered) => "order.already",
        SupportError::Card(CardError::NoOffice) => "order.no_office",
        SupportError::Family(FamilyError::CardState(_)) | SupportError::Card(CardError::CardState(_)) => {
            "support.error_card_state"
        }
        SupportError::Family(FamilyError::AnotherCardActive) => "activate.another_active",
        _ => return None,
    };
    Some(tr.t(key).to_owned())
}
