//! The operator's finance reports (økonomirapporter): a day or a month on
//! one page with a chart of sales per day, each section as CSV, a printable
//! version, and the journal export for the municipality's accounting system.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_app::reports::{self, FinanceReport, ReportError, Section};
use saldo_core::period::Period;
use saldo_core::Money;
use serde::Deserialize;

use crate::chart::{bars, Bar};
use crate::i18n::Tr;
use crate::page_error::{internal, render, PageError, Problem};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/reports", get(report_page))
        .route("/admin/reports/print", get(print_page))
        .route("/admin/reports/journal.csv", get(journal_csv))
        .route("/admin/reports/{file}", get(section_csv))
}

#[derive(Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    account: String,
}

/// The period asked for, or this month; `false` when what was asked could not be read.
fn period_of(q: &PeriodQuery, now: jiff::Timestamp) -> (Period, bool) {
    let this_month = Period::month_of(saldo_core::day::local_day(now));
    match q.period.trim() {
        "" => (this_month, true),
        text => text.parse().map_or((this_month, false), |p| (p, true)),
    }
}

impl From<ReportError> for PageError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::Refused(refusal) => refusal.into(),
            ReportError::TooLarge(_) => PageError(Problem::BadInput),
            other => internal(other),
        }
    }
}

/// (what, amount) in words.
type Lines = Vec<(String, String)>;

/// A row of cells, amounts already in words.
struct Row {
    cells: Vec<String>,
}

/// The report as the templates show it.
struct View {
    period: String,
    title: String,
    is_month: bool,
    deposits: Vec<Row>,
    sales: Vec<Row>,
    sales_total: String,
    shop: Vec<Row>,
    categories: Vec<Row>,
    payouts: Vec<Row>,
    reserved: String,
    fees: Vec<(String, String)>,
    liability: Vec<(String, String)>,
    /// Account kinds without a section of their own (the webshop's orders until they get one).
    other_kinds: Vec<(String, Vec<(String, String)>)>,
    accounts: Vec<Row>,
    chart: String,
    daily: Vec<(String, String)>,
    sections: Vec<(&'static str, &'static str)>,
}

/// A stored kind's words, or the kind itself when the catalogue has none yet (a new kind of account).
fn kind_name(tr: &Tr, prefix: &str, kind: &str) -> String {
    let key = format!("{prefix}.{kind}");
    if saldo_app::texts::has(&key.replace('.', "-")) {
        tr.t(&key).to_owned()
    } else {
        kind.to_owned()
    }
}

fn deposit_rows(tr: &Tr, r: &FinanceReport) -> Vec<Row> {
    let m = |x: Money| tr.money(&x);
    r.deposits
        .iter()
        .map(|d| Row {
            cells: vec![
                kind_name(tr, "provider", &d.provider),
                kind_name(tr, "reports.method", &d.method),
                d.payments.to_string(),
                m(d.charged),
                m(d.fees),
                m(d.credited),
            ],
        })
        .collect()
}

fn shop_rows(tr: &Tr, r: &FinanceReport) -> Vec<Row> {
    let m = |x: Money| tr.money(&x);
    r.shop
        .iter()
        .map(|l| Row {
            cells: vec![
                format!("{} – {}", l.institution, l.sales_point),
                m(l.ordered),
                m(l.cancelled),
                m(l.handed_out),
                m(l.held),
            ],
        })
        .collect()
}

fn sales_rows(tr: &Tr, r: &FinanceReport) -> Result<Vec<Row>, ReportError> {
    let m = |x: Money| tr.money(&x);
    let rows = r
        .sales
        .iter()
        .map(|s| {
            Ok(Row {
                cells: vec![
                    format!("{} – {}", s.institution, s.sales_point),
                    m(s.gross),
                    m(s.refunds),
                    m(s.voids.checked_add(s.other)?),
                    m(s.net),
                ],
            })
        })
        .collect::<Result<Vec<_>, saldo_core::money::MoneyError>>()?;
    Ok(rows)
}

fn payout_rows(tr: &Tr, r: &FinanceReport) -> Vec<Row> {
    r.payouts
        .iter()
        .map(|p| Row {
            cells: vec![
                tr.t(if p.is_bank { "reports.payout_bank" } else { "reports.payout_card" }).to_owned(),
                if p.is_bank { tr.t("reports.bank").to_owned() } else { kind_name(tr, "provider", &p.channel) },
                p.payouts.to_string(),
                tr.money(&p.amount),
            ],
        })
        .collect()
}

/// The fees, then the liability with what moved it: (what, amount) pairs.
fn fee_and_liability_lines(tr: &Tr, r: &FinanceReport) -> (Lines, Lines) {
    let m = |x: Money| tr.money(&x);
    let f = &r.fees;
    let fees = vec![
        (tr.fill("reports.card_fees", &[("count", f.card_fees_count.to_string())]), m(f.card_fees)),
        (tr.t("reports.card_fees_refunded").to_owned(), m(f.card_fees_refunded)),
        (tr.t("reports.deposit_fees").to_owned(), m(f.deposit_fees)),
        (tr.t("reports.fees_total").to_owned(), m(f.total)),
    ];
    let l = &r.liability;
    let mut liability = vec![(tr.t("reports.liability_start").to_owned(), m(l.start))];
    liability.extend(l.by_kind.iter().map(|(k, a)| (kind_name(tr, "reports.entry", k), m(*a))));
    liability.push((tr.t("reports.liability_end").to_owned(), m(l.end)));
    liability.push((tr.t("reports.liability_movement").to_owned(), m(l.movement())));
    (fees, liability)
}

fn account_rows(tr: &Tr, r: &FinanceReport) -> (Vec<(String, Lines)>, Vec<Row>) {
    let m = |x: Money| tr.money(&x);
    let entries = |k: &reports::KindLine| {
        k.by_entry_kind.iter().map(|(e, a)| (kind_name(tr, "reports.entry", e), m(*a))).collect::<Vec<_>>()
    };
    let other_kinds = r
        .unlisted_kinds()
        .into_iter()
        .map(|k| (kind_name(tr, "reports.account", &k.account_kind), entries(k)))
        .collect();
    let accounts = r
        .accounts
        .iter()
        .flat_map(|k| {
            k.by_entry_kind.iter().map(|(e, a)| Row {
                cells: vec![
                    kind_name(tr, "reports.account", &k.account_kind),
                    kind_name(tr, "reports.entry", e),
                    m(*a),
                ],
            })
        })
        .collect();
    (other_kinds, accounts)
}

fn view(tr: &Tr, r: &FinanceReport) -> Result<View, ReportError> {
    let title = match r.period {
        Period::Day(day) => tr.date(day),
        Period::Month(first) => tr.fill("reports.month_of", &[("month", first.strftime("%m/%Y").to_string())]),
    };
    let categories = r
        .categories
        .iter()
        .map(|c| Row {
            cells: vec![c.sales_point.clone(), c.category.clone(), c.quantity.to_string(), tr.money(&c.amount)],
        })
        .collect();
    let (fees, liability) = fee_and_liability_lines(tr, r);
    let (other_kinds, accounts) = account_rows(tr, r);
    let chart_bars: Vec<Bar> =
        r.daily_sales.iter().map(|d| Bar { label: d.day.day().to_string(), value: d.net.ore() }).collect();
    let description = tr.fill("reports.chart_desc", &[("period", title.clone())]);
    Ok(View {
        period: r.period.to_string(),
        is_month: matches!(r.period, Period::Month(_)),
        chart: bars(&chart_bars, tr.t("reports.chart_title"), &description),
        title,
        deposits: deposit_rows(tr, r),
        sales: sales_rows(tr, r)?,
        sales_total: tr.money(&r.total_sales()?),
        shop: shop_rows(tr, r),
        categories,
        payouts: payout_rows(tr, r),
        reserved: tr.money(&r.payouts_reserved),
        fees,
        liability,
        other_kinds,
        accounts,
        daily: r.daily_sales.iter().map(|d| (tr.date(d.day), tr.money(&d.net))).collect(),
        sections: Section::ALL.iter().map(|s| (s.as_str(), section_key(*s))).collect(),
    })
}

fn section_key(section: Section) -> &'static str {
    match section {
        Section::Deposits => "reports.deposits",
        Section::Sales => "reports.sales",
        Section::Shop => "reports.shop",
        Section::Categories => "reports.categories",
        Section::Payouts => "reports.payouts",
        Section::Fees => "reports.fees",
        Section::Liability => "reports.liability",
        Section::Accounts => "reports.accounts",
        Section::Daily => "reports.daily",
    }
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportPage {
    p: Page,
    r: View,
    accounts: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/report_print.html")]
struct PrintPage {
    p: Page,
    r: View,
}

async fn report_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (period, understood) = period_of(&q, state.app.now());
    let report = reports::for_operator(&state.app, &actor, period).await?;
    let notice = (!understood).then(|| v.tr.t("reports.period_unreadable").to_owned());
    let accounts = state
        .app
        .store
        .ledger_accounts()
        .await?
        .into_iter()
        .map(|(id, kind)| {
            let name = format!("{} ({})", kind_name(&v.tr, "reports.account", &kind), id);
            (id, name)
        })
        .collect();
    Ok(render(ReportPage { p: v.page(notice), r: view(&v.tr, &report)?, accounts }))
}

async fn print_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (period, _) = period_of(&q, state.app.now());
    let report = reports::for_operator(&state.app, &actor, period).await?;
    Ok(render(PrintPage { p: v.page(None), r: view(&v.tr, &report)? }))
}

fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

async fn section_csv(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(file): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let section = file.strip_suffix(".csv").and_then(Section::parse).ok_or(PageError(Problem::NotFound))?;
    let (period, _) = period_of(&q, state.app.now());
    let report = reports::for_operator(&state.app, &actor, period).await?;
    Ok(csv_response(&format!("saldo-{}-{period}.csv", section.as_str()), report.csv(section)))
}

async fn journal_csv(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (period, _) = period_of(&q, state.app.now());
    let csv = reports::journal_csv(&state.app, &actor, period, &q.account).await?;
    Ok(csv_response(&format!("saldo-journal-{period}.csv"), csv))
}
