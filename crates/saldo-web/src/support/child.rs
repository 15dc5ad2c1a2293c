//! One child's file in the console: opened only with a reason, recorded each time.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_app::support::{self, SupportError};
use saldo_app::Actor;
use saldo_core::ids::ChildId;
use serde::Deserialize;

use super::child_view::{self, AdultLine, CardLine, DeclineLine, DepositLine, Happened, InvitationLine};
use super::{problem_words, reason_options, ReasonFields, ReasonOption};
use crate::page_error::{render, PageError};
use crate::portal::OrderLine;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/support/children/{child}", get(file_page))
}

/// What an action just did, by its catalogue key (never text from the address).
pub(super) const DONE: [&str; 7] = [
    "support.done_card_block",
    "support.done_card_unblock",
    "support.done_card_order",
    "support.done_login_link",
    "support.done_invitation_cancel",
    "support.done_deposit_poll",
    "support.done_deposit_still_pending",
];

#[derive(Template)]
#[template(path = "support/child.html")]
struct FilePage {
    p: Page,
    child_id: ChildId,
    name: String,
    detail: String,
    balance: String,
    limit: String,
    today: String,
    closed: bool,
    cards: Vec<CardLine>,
    card_history: Vec<Happened>,
    declines: Vec<DeclineLine>,
    deposits: Vec<DepositLine>,
    agreements: Vec<(String, Vec<String>)>,
    adults: Vec<AdultLine>,
    invitations: Vec<InvitationLine>,
    orders: Vec<OrderLine>,
    payouts: Vec<String>,
    mails: Vec<Happened>,
    access: Vec<Happened>,
    reasons: Vec<ReasonOption>,
    note: String,
    error: Option<String>,
}

/// The page that asks why before a file is opened.
#[derive(Template)]
#[template(path = "support/why.html")]
struct WhyPage {
    p: Page,
    child_id: ChildId,
    form: &'static str,
    reasons: Vec<ReasonOption>,
    note: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct FileQuery {
    #[serde(flatten)]
    reason: ReasonFields,
    #[serde(default)]
    done: String,
}

async fn file_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    Query(query): Query<FileQuery>,
) -> Result<Response, PageError> {
    let notice = DONE.into_iter().find(|d| d.strip_prefix("support.") == Some(query.done.as_str()));
    let notice = notice.map(|key| v.tr.t(key).to_owned());
    show_file(&state, &v, &actor, &child, &query.reason, notice, None).await
}

/// Shows the file for the reason given, or asks for one (again, with what
/// was wrong). `error` is an action's problem, shown above the file.
pub(super) async fn show_file(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    reason: &ReasonFields,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    support::authorize_console(&state.app, actor).await?;
    let tr = v.tr;
    let asked = match reason.asked() {
        Ok(asked) => asked,
        Err(e) => {
            // No reason yet is a question, not an error; a wrong one is said so.
            let fresh = reason.reason.is_empty() && reason.note.is_empty();
            let page = WhyPage {
                child_id: child.clone(),
                form: "why",
                reasons: reason_options(&tr, &reason.reason),
                note: reason.note.trim().to_owned(),
                // An action refused for want of a reason says so; a first visit just asks.
                error: error.or(if fresh { None } else { problem_words(&tr, &e) }),
                p: v.page(None),
            };
            let status = if fresh && page.error.is_none() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            return Ok((status, render(page)).into_response());
        }
    };
    let file = support::child_file(&state.app, actor, child, &asked).await.map_err(page_error)?;
    let wallet = file.wallet.as_ref();
    let c = &file.child;
    let page = FilePage {
        child_id: c.id.clone(),
        name: format!("{} {}", c.first_name, c.last_name),
        detail: match &c.class_name {
            Some(class) => format!("{class}, {}", c.school),
            None => c.school.clone(),
        },
        balance: wallet.map(|w| tr.money(&w.balance)).unwrap_or_default(),
        limit: match wallet.and_then(|w| w.daily_limit) {
            Some(limit) => tr.money(&limit),
            None => tr.t("support.no_limit").to_owned(),
        },
        today: tr.money(&file.spent_today),
        closed: wallet.is_some_and(|w| !w.open),
        cards: child_view::cards(&tr, &file),
        card_history: child_view::card_history(&tr, &file),
        declines: child_view::declines(&tr, &file),
        deposits: child_view::deposits(&tr, &file),
        agreements: child_view::agreements(&tr, &file),
        adults: child_view::adults(&tr, &file),
        invitations: child_view::invitations(&tr, &file),
        orders: file.orders.iter().map(|o| OrderLine::new(&tr, o)).collect(),
        payouts: child_view::payouts(&tr, &file),
        mails: child_view::mails(&tr, &file),
        access: child_view::access(&tr, &file),
        reasons: reason_options(&tr, asked.reason.as_str()),
        note: asked.note.clone(),
        error,
        p: v.page(notice),
    };
    Ok(render(page))
}

fn page_error(e: SupportError) -> PageError {
    e.into()
}
