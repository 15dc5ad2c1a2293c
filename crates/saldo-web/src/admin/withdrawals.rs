//! The operator's withdrawal queue: approve or reject, and the bank file.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::withdrawals::{self, BankFile, WithdrawalError};
use saldo_app::RefundView;
use saldo_core::ids::WithdrawalId;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{internal, render, PageError, Problem};
use crate::visitor::{Page, Signed};
use crate::AppState;
use saldo_app::csv_file::CsvFile;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/withdrawals", get(queue))
        .route("/admin/withdrawals/bank.csv", get(bank_csv))
        .route("/admin/withdrawals/{id}/{decision}", post(decide))
}

struct QueueRow {
    id: WithdrawalId,
    amount: String,
    child: String,
    by: String,
    at: String,
    to: String,
}

/// Approved bank payouts as CSV for finance's bank upload (`;` between
/// fields, decimal comma, a byte-order mark): without dates the ones not
/// handed over yet, with dates a period's again.
async fn bank_csv(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Query(q): Query<crate::export::Period>,
) -> Result<Response, PageError> {
    let file = match crate::export::period(&q) {
        (None, None) => BankFile::New,
        (from, to) => BankFile::Period(
            from.unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            to.unwrap_or_else(|| state.app.now() + jiff::SignedDuration::from_secs(1)),
        ),
    };
    let rows = withdrawals::bank_transfers(&state.app, &actor, file).await?;
    // A file for the bank: the same header and ISO dates whatever the page's language.
    let mut csv = CsvFile::danish();
    csv.row(["Godkendt", "Reference", "Modtager", "Reg.nr.", "Kontonr.", "Beløb", "Barn"]);
    let tz = saldo_core::day::local_tz();
    for w in &rows {
        let (reg, account) = w.bank_account.as_deref().and_then(|b| b.split_once(' ')).unwrap_or(("", ""));
        let approved = w
            .decided_at
            .and_then(|at| jiff::Timestamp::from_microsecond(at).ok())
            .map(|at| at.to_zoned(tz.clone()).strftime("%Y-%m-%d").to_string())
            .unwrap_or_default();
        csv.row([approved.as_str(), w.id.as_str(), &w.person_name, reg, account, &w.amount.plain_da(), &w.child_name]);
    }
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, "attachment; filename=\"bankoverfoersler.csv\"".to_owned()),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv.finish(),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "admin_withdrawals.html")]
struct QueuePage {
    p: Page,
    rows: Vec<QueueRow>,
    /// Card refunds the provider refused: amount, child, parent, when.
    refused: Vec<(String, String, String, String)>,
    /// Card refunds the provider never answered.
    unanswered: Vec<(String, String, String, String)>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    /// A known problem of the last decision (a key, never text from the address).
    error: Option<String>,
}

async fn queue(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    let pending = withdrawals::pending(&state.app, &actor).await?;
    let rows = pending
        .iter()
        .map(|w| QueueRow {
            id: w.id.clone(),
            amount: v.tr.money(&w.amount),
            child: w.child_name.clone(),
            by: w.person_name.clone(),
            at: v.tr.datetime(&w.created_at),
            to: w.bank_account.clone().unwrap_or_else(|| v.tr.t("withdraw.card").to_owned()),
        })
        .collect();
    let (refused, unanswered) = withdrawals::refunds_to_watch(&state.app, &actor).await?;
    let line = |r: &RefundView| {
        (v.tr.money(&r.amount), r.child_name.clone(), r.person_name.clone(), v.tr.datetime(&r.created_at))
    };
    let (refused, unanswered) = (refused.iter().map(line).collect(), unanswered.iter().map(line).collect());
    let error =
        (q.error.as_deref() == Some("admin.card_refund_short")).then(|| v.tr.t("admin.card_refund_short").to_owned());
    Ok(render(QueuePage { p: v.page(None), rows, refused, unanswered, error }))
}

#[derive(Deserialize)]
struct NoFields {}

async fn decide(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((id, decision)): Path<(WithdrawalId, String)>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(v.fail(Problem::NotFound)),
    };
    match withdrawals::decide(&state.app, &actor, &id, approve).await {
        Ok(()) | Err(WithdrawalError::NotPending) => Ok(Redirect::to("/admin/withdrawals").into_response()),
        Err(WithdrawalError::CardRefundTooSmall(_)) => {
            Ok(Redirect::to("/admin/withdrawals?error=admin.card_refund_short").into_response())
        }
        Err(WithdrawalError::Refused(r)) => Err(PageError::from(r)),
        Err(e) => Err(internal(e)),
    }
}
