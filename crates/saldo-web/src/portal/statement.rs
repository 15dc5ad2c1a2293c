//! The statement (kontoudtog): on screen by period and page, and as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_core::ids::ChildId;

use crate::i18n::Tr;
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use saldo_app::{family, StatementLine};
use saldo_core::card::last4;

use super::ChildCard;
use saldo_app::csv_file::CsvFile;

use crate::export::{period, Period};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/statement", get(statement))
        .route("/portal/children/{child}/statement.csv", get(statement_csv))
}

/// A statement page shows this many lines; the CSV at most `CSV_LINES`.
const PAGE_LINES: i64 = 50;
const CSV_LINES: i64 = 10_000;

/// A statement line, formatted.
pub(super) struct Line {
    pub(super) date: String,
    pub(super) what: String,
    pub(super) place: Option<String>,
    pub(super) items: String,
    pub(super) amount: String,
    pub(super) balance: String,
    pub(super) negative: bool,
}

impl Line {
    /// What a phone shows first: what was bought, or what kind of movement it was.
    pub(super) fn headline(&self) -> &str {
        if self.items.is_empty() {
            &self.what
        } else {
            &self.items
        }
    }

    /// The line under it: where a purchase was made, or what a line of goods was.
    pub(super) fn where_(&self) -> Option<&str> {
        match &self.place {
            Some(place) => Some(place),
            None if self.items.is_empty() => None,
            None => Some(&self.what),
        }
    }
}

/// The lines as a phone lists the latest: each dated `i dag 12.30`.
pub(super) fn recent_lines(tr: &Tr, lines: &[StatementLine], now: jiff::Timestamp) -> Vec<Line> {
    let mut shown = self::lines(tr, lines);
    for (line, at) in shown.iter_mut().zip(lines) {
        line.date = tr.recently(at.at, now);
    }
    shown
}

/// Webshop dishes in words: `torsdag 10. december 2026: 1 × Pastasalat (Udleveret)`.
fn shop_items(tr: &Tr, shop: &[saldo_app::ShopLine]) -> String {
    shop.iter()
        .map(|o| {
            let day = o.day.parse::<jiff::civil::Date>().map(|d| tr.date(d)).unwrap_or_else(|_| o.day.clone());
            let state = tr.t(&format!("shop.state.{}", o.state.as_str()));
            format!("{day}: {} × {} ({state})", o.quantity, o.name)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn lines(tr: &Tr, lines: &[StatementLine]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| {
            let mut what = tr.t(&format!("kind.{}", l.kind.as_str())).to_owned();
            if l.awaiting_approval {
                what = format!("{what} ({})", tr.t("statement.awaiting_approval"));
            }
            if let Some(card) = &l.card_number {
                what = format!("{what} ({} …{})", tr.t("statement.card"), last4(card));
            }
            let items = if l.shop.is_empty() {
                l.lines.iter().map(|(name, qty, _)| format!("{qty} × {name}")).collect::<Vec<_>>().join(", ")
            } else {
                shop_items(tr, &l.shop)
            };
            Line {
                date: tr.datetime(&l.at),
                what,
                place: l.place.clone(),
                items,
                amount: tr.money(&l.amount),
                balance: tr.money(&l.balance_after),
                negative: l.amount.is_negative(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal/statement.html")]
struct StatementPage {
    p: Page,
    c: ChildCard,
    lines: Vec<Line>,
    from: String,
    to: String,
    older: Option<i64>,
    paged: bool,
}

async fn statement(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    Query(q): Query<Period>,
) -> Result<Response, PageError> {
    let (from, to) = period(&q);
    let (view, found) = family::statement(&state.app, &actor, &child, from, to, q.before, PAGE_LINES).await?;
    let older = (found.len() as i64 == PAGE_LINES).then(|| found.last().map(|l| l.seq)).flatten();
    let clean = |s: &Option<String>| s.clone().filter(|s| s.parse::<jiff::civil::Date>().is_ok()).unwrap_or_default();
    let page = StatementPage {
        c: ChildCard::new(&view, &v.tr),
        lines: lines(&v.tr, &found),
        from: clean(&q.from),
        to: clean(&q.to),
        older,
        paged: q.before.is_some(),
        p: v.page(None),
    };
    Ok(render(page))
}

/// The statement as CSV the Danish way: `;` between fields, decimal comma,
/// UTF-8 with a byte-order mark so spreadsheets read the letters right.
async fn statement_csv(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    Query(q): Query<Period>,
) -> Result<Response, PageError> {
    let (from, to) = period(&q);
    let (view, found) = family::statement(&state.app, &actor, &child, from, to, None, CSV_LINES).await?;
    let tr = v.tr;
    let mut csv = CsvFile::danish();
    csv.row([
        tr.t("statement.date"),
        tr.t("statement.what"),
        tr.t("child.card"),
        tr.t("statement.amount"),
        tr.t("statement.balance"),
    ]);
    for l in &found {
        let mut what = tr.t(&format!("kind.{}", l.kind.as_str())).to_owned();
        if l.awaiting_approval {
            what = format!("{what} ({})", tr.t("statement.awaiting_approval"));
        }
        if let Some(place) = &l.place {
            what = format!("{what}, {place}");
        }
        if !l.shop.is_empty() {
            what = format!("{what}: {}", shop_items(&tr, &l.shop));
        }
        if !l.lines.is_empty() {
            let items: Vec<String> = l.lines.iter().map(|(name, qty, _)| format!("{qty} x {name}")).collect();
            what = format!("{what}: {}", items.join(", "));
        }
        csv.row([
            tr.datetime(&l.at),
            what,
            l.card_number.as_deref().map(last4).unwrap_or("").to_owned(),
            l.amount.plain_da(),
            l.balance_after.plain_da(),
        ]);
    }
    let file =
        format!("kontoudtog-{}.csv", view.child.first_name.to_lowercase().replace(|c: char| !c.is_alphanumeric(), "-"));
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        csv.finish(),
    )
        .into_response())
}
