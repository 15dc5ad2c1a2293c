//! The parent portal: each child, the statement, deposits, the daily limit,
//! blocking a card, moving money between siblings. Handlers parse, call the
//! use case, and render; every rule lives in saldo-app and saldo-core.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use saldo_app::agreements::{self, AgreementError, Change};
use saldo_app::deposits::{self, DepositError};
use saldo_app::family::{self, ActiveCard, ChildView, FamilyError, NextStep};
use saldo_app::low_balance::{self, NoticeError};
use saldo_app::Actor;
use saldo_app::StatementLine;
use saldo_core::card::last4;
use saldo_core::rights::Action;
use saldo_core::{CardState, Money};
use serde::Deserialize;

use crate::i18n::Tr;
use crate::page_error::{internal, refusal, render, PageError, Problem};
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/portal", get(overview))
        .route("/portal/children/{child}", get(child_page))
        .route("/portal/children/{child}/statement", get(statement))
        .route("/portal/children/{child}/statement.csv", get(statement_csv))
        .route("/portal/children/{child}/deposit", get(deposit_form).post(deposit_start))
        .route("/portal/deposits/{deposit}", get(receipt))
        .route("/portal/deposits/{deposit}/status", get(receipt_status))
        .route("/portal/children/{child}/limit", get(limit_form).post(limit_save))
        .route("/portal/children/{child}/cards/{card}/block", post(block_card))
        .route("/portal/children/{child}/cards/{card}/unblock", post(unblock_card))
        .route("/portal/transfer", get(transfer_form).post(transfer_save))
        .route("/portal/children/{child}/agreements", post(agreement_start))
        .route("/portal/children/{child}/agreements/{agreement}/terms", post(agreement_terms))
        .route("/portal/children/{child}/agreements/{agreement}/{change}", post(agreement_change))
        .route("/portal/children/{child}/low-balance", post(low_balance_set))
        .route("/portal/children/{child}/low-balance/stop", post(low_balance_stop))
}

/// A statement page shows this many lines; the CSV at most `CSV_LINES`.
const PAGE_LINES: i64 = 50;
const CSV_LINES: i64 = 10_000;

/// A child, formatted for a page.
struct ChildCard {
    id: String,
    name: String,
    balance: String,
    today: String,
    card: String,
    /// The active top-up agreement, in words (overview only).
    agreement: Option<String>,
    next: Option<&'static str>,
    no_card: bool,
    custodian: bool,
}

impl ChildCard {
    fn new(view: &ChildView, tr: &Tr) -> ChildCard {
        let c = &view.child;
        let today = match c.daily_limit {
            Some(limit) => format!("{} {} {}", tr.money(&view.spent_today), tr.t("child.of_limit"), tr.money(&limit)),
            None => format!("{} ({})", tr.money(&view.spent_today), tr.t("child.no_limit").to_lowercase()),
        };
        let card = match c.active_card() {
            Some(card) => format!("{}, {} {}", tr.t("card.active"), tr.t("card.ending"), last4(&card.number)),
            None => tr.t("child.no_card").into(),
        };
        let next = match view.next {
            NextStep::NoActiveCard => Some(tr.t("child.next.no_card")),
            NextStep::TopUp => Some(tr.t("child.next.top_up")),
            NextStep::Nothing => None,
        };
        ChildCard {
            id: c.child_id.clone(),
            name: c.first_name.clone(),
            balance: tr.money(&c.balance),
            today,
            card,
            agreement: None,
            next,
            no_card: view.next == NextStep::NoActiveCard,
            custodian: view.is_custodian,
        }
    }
}

#[derive(Template)]
#[template(path = "portal/overview.html")]
struct OverviewPage {
    p: Page,
    children: Vec<ChildCard>,
    siblings: bool,
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
    /// Which of a known set of problems a form that redirected back here had
    /// (a key, never text from the address: a crafted link cannot put words on the page).
    error: Option<String>,
}

/// The text for a redirected form's problem, if it is one we know.
fn problem(tr: &Tr, settings: &saldo_app::Settings, done: &Done) -> Option<String> {
    match done.error.as_deref()? {
        "deposit.bad_amount" => Some(tr.t("deposit.bad_amount").to_owned()),
        key @ ("agreement.bad_threshold" | "agreement.over_cap" | "low_balance.bad_threshold") => {
            Some(tr.fill(key, &[("max", tr.money(&settings.deposits.max_balance()))]))
        }
        "agreement.bad_amount" => {
            let limits = &settings.deposits;
            Some(tr.fill("agreement.bad_amount", &[("min", tr.money(&limits.min())), ("max", tr.money(&limits.max()))]))
        }
        _ => None,
    }
}

/// A notice after a change, by catalogue key (only known keys are shown).
fn notice(tr: &Tr, done: &Done) -> Option<String> {
    const KEYS: &[&str] = &[
        "order.done",
        "order.done_waiting",
        "order.cancelled_done",
        "activate.done",
        "limit.saved",
        "limit.removed",
        "card.blocked_done",
        "card.unblocked_done",
        "transfer.done",
        "controls.saved",
        "receipt.confirmed",
        "agreement.pending",
        "agreement.changed",
        "low_balance.saved",
        "low_balance.stopped",
        "withdraw.requested",
        "account.closed",
    ];
    done.done.as_deref().and_then(|d| KEYS.iter().find(|k| **k == d)).map(|k| tr.t(k).to_owned())
}

async fn overview(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let views = family::overview(&state.app, &actor).await.map_err(|e| internal(&v, e))?;
    let siblings = views.iter().filter(|c| c.is_custodian).count() >= 2;
    let mut children = Vec::with_capacity(views.len());
    for view in &views {
        let mut card = ChildCard::new(view, &v.tr);
        let agreements =
            agreements::on_child(&state.app, &actor, &view.child.child_id).await.map_err(|e| refusal(&v, e))?;
        card.agreement = agreements.iter().find(|a| a.active).map(|a| {
            v.tr.fill("agreement.rule", &[("threshold", v.tr.money(&a.threshold)), ("amount", v.tr.money(&a.amount))])
        });
        children.push(card);
    }
    Ok(render(OverviewPage { p: v.page(notice(&v.tr, &done)), children, siblings }))
}

/// A statement line, formatted.
struct Line {
    date: String,
    what: String,
    place: Option<String>,
    items: String,
    amount: String,
    balance: String,
    negative: bool,
}

fn lines(tr: &Tr, lines: &[StatementLine]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| {
            let mut what = tr.t(&format!("kind.{}", l.kind)).to_owned();
            if let Some(card) = &l.card_number {
                what = format!("{what} ({} …{})", tr.t("statement.card"), last4(card));
            }
            Line {
                date: tr.datetime(&l.at),
                what,
                place: l.place.clone(),
                items: l.lines.iter().map(|(name, qty, _)| format!("{qty} × {name}")).collect::<Vec<_>>().join(", "),
                amount: tr.money(&l.amount),
                balance: tr.money(&l.balance_after),
                negative: l.amount.is_negative(),
            }
        })
        .collect()
}

struct CardRow {
    id: String,
    label: String,
    blockable: bool,
    unblockable: bool,
}

/// An agreement as the child's page shows it.
struct AgreementRow {
    id: String,
    owner: String,
    rule: String,
    active: bool,
    mine: bool,
    /// The saved card, to its owner only: "card ending 1111, expires 12/2029".
    card: Option<String>,
    card_expiring: bool,
    /// The terms as the edit form's values.
    threshold_value: String,
    amount_value: String,
}

fn agreement_rows(
    tr: &Tr,
    actor: &Actor,
    agreements: &[saldo_app::Agreement],
    expiry_cutoff: &str,
) -> Vec<AgreementRow> {
    agreements
        .iter()
        .map(|a| AgreementRow {
            card: a.card.as_ref().filter(|_| a.person_id == actor.person_id).map(|card| {
                tr.fill("agreement.card", &[("last4", card.last4.clone()), ("expires", agreements::card_month(card))])
            }),
            threshold_value: a.threshold.plain_da(),
            amount_value: a.amount.plain_da(),
            card_expiring: a.person_id == actor.person_id
                && a.card.as_ref().is_some_and(|card| agreements::card_expires_soon(card, expiry_cutoff)),
            id: a.id.clone(),
            owner: if a.person_id == actor.person_id {
                tr.t("agreement.yours").to_owned()
            } else {
                a.owner_name.clone()
            },
            rule: tr.fill("agreement.rule", &[("threshold", tr.money(&a.threshold)), ("amount", tr.money(&a.amount))]),
            active: a.active,
            mine: a.person_id == actor.person_id,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal/child.html")]
struct ChildPage {
    p: Page,
    c: ChildCard,
    cards: Vec<CardRow>,
    lines: Vec<Line>,
    agreements: Vec<AgreementRow>,
    error: Option<String>,
    /// The visitor's own low-balance threshold for this child: as text, and as the form's value.
    low_balance: Option<(String, String)>,
    /// A problem with the low-balance form, shown beside it.
    low_balance_error: Option<String>,
    /// The visitor's own agreement's terms, so saving a new card keeps them.
    own_terms: Option<(String, String)>,
}

async fn child_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let (view, recent) =
        family::statement(&state.app, &actor, &child, None, None, None, 10).await.map_err(|e| refusal(&v, e))?;
    let has_active = view.child.active_card().is_some();
    let cards = view
        .child
        .cards
        .iter()
        .map(|card| CardRow {
            id: card.card_id.clone(),
            label: format!(
                "{} {} ({})",
                v.tr.t("card.ending"),
                last4(&card.number),
                v.tr.t(&format!("card.{}", card.state.as_str()))
            ),
            blockable: card.state == CardState::Active,
            unblockable: card.state == CardState::Blocked && !has_active,
        })
        .collect();
    let agreements = agreements::on_child(&state.app, &actor, &child).await.map_err(|e| refusal(&v, e))?;
    let cutoff = agreements::expiry_cutoff(&state.app);
    let low_balance = low_balance::of(&state.app, &actor, &child).await.map_err(|e| refusal(&v, e))?;
    let problem = problem(&v.tr, &state.app.settings, &done);
    let (error, low_balance_error) = match done.error.as_deref() {
        Some(key) if key.starts_with("low_balance.") => (None, problem),
        _ => (problem, None),
    };
    let own_terms = agreements
        .iter()
        .find(|a| a.person_id == actor.person_id)
        .map(|a| (a.threshold.plain_da(), a.amount.plain_da()));
    let page = ChildPage {
        low_balance_error,
        own_terms,
        c: ChildCard::new(&view, &v.tr),
        cards,
        lines: lines(&v.tr, &recent),
        agreements: agreement_rows(&v.tr, &actor, &agreements, &cutoff),
        low_balance: low_balance.map(|m| (v.tr.money(&m), m.plain_da())),
        error,
        p: v.page(notice(&v.tr, &done)),
    };
    Ok(render(page))
}

#[derive(Deserialize)]
struct AgreementForm {
    csrf: String,
    threshold: String,
    amount: String,
}

async fn agreement_start(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
    Form(form): Form<AgreementForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    let Some((threshold, amount)) = form.terms() else { return terms_refused(&v, &child, AgreementError::BadInput) };
    match agreements::start_setup(&state.app, &actor, &child, threshold, amount, v.tr.code()).await {
        Ok(redirect) => Ok(Redirect::to(&redirect).into_response()),
        Err(e) => terms_refused(&v, &child, e),
    }
}

impl AgreementForm {
    fn terms(&self) -> Option<(Money, Money)> {
        Some((self.threshold.parse().ok()?, self.amount.parse().ok()?))
    }
}

/// Sends the form's problem back to the child's page as a known key, or fails the request.
fn terms_refused(v: &Visitor, child: &str, e: AgreementError) -> Result<Response, PageError> {
    let key = match e {
        AgreementError::BadInput => "deposit.bad_amount",
        AgreementError::Threshold(_) => "agreement.bad_threshold",
        AgreementError::Amount(..) => "agreement.bad_amount",
        AgreementError::OverCap(_) => "agreement.over_cap",
        AgreementError::NotOwner => return Err(v.fail(Problem::Forbidden)),
        AgreementError::Refused(r) => return Err(refusal(v, r)),
        e => return Err(internal(v, e)),
    };
    Ok(Redirect::to(&format!("/portal/children/{child}?error={key}#agreements")).into_response())
}

async fn agreement_terms(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, agreement)): Path<(String, String)>,
    Form(form): Form<AgreementForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    let Some((threshold, amount)) = form.terms() else { return terms_refused(&v, &child, AgreementError::BadInput) };
    match agreements::change_terms(&state.app, &actor, &child, &agreement, threshold, amount).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/portal/children/{child}?done=agreement.changed#agreements")).into_response())
        }
        Err(e) => terms_refused(&v, &child, e),
    }
}

async fn agreement_change(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, agreement, change)): Path<(String, String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    let change = match change.as_str() {
        "pause" => Change::Pause,
        "resume" => Change::Resume,
        "delete" => Change::Delete,
        _ => return Err(v.fail(Problem::NotFound)),
    };
    match agreements::change(&state.app, &actor, &child, &agreement, change).await {
        Ok(()) => Ok(Redirect::to(&format!("/portal/children/{child}?done=agreement.changed")).into_response()),
        Err(AgreementError::NotOwner) => Err(v.fail(Problem::Forbidden)),
        Err(AgreementError::Refused(r)) => Err(refusal(&v, r)),
        Err(e) => Err(internal(&v, e)),
    }
}

#[derive(Deserialize)]
struct LowBalanceForm {
    csrf: String,
    threshold: String,
}

async fn low_balance_set(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
    Form(form): Form<LowBalanceForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    let to = |query: &str| Ok(Redirect::to(&format!("/portal/children/{child}?{query}#low-balance")).into_response());
    let Ok(threshold) = form.threshold.parse::<Money>() else { return to("error=low_balance.bad_threshold") };
    match low_balance::set(&state.app, &actor, &child, threshold).await {
        Ok(()) => to("done=low_balance.saved"),
        Err(NoticeError::Threshold(_)) => to("error=low_balance.bad_threshold"),
        Err(NoticeError::Refused(r)) => Err(refusal(&v, r)),
        Err(e) => Err(internal(&v, e)),
    }
}

async fn low_balance_stop(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    match low_balance::stop(&state.app, &actor, &child).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/portal/children/{child}?done=low_balance.stopped#low-balance")).into_response())
        }
        Err(NoticeError::Refused(r)) => Err(refusal(&v, r)),
        Err(e) => Err(internal(&v, e)),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct Period {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    before: Option<i64>,
}

/// A period from `YYYY-MM-DD` dates, whole Danish days; unreadable dates are ignored.
pub(crate) fn period(p: &Period) -> (Option<jiff::Timestamp>, Option<jiff::Timestamp>) {
    let day = |s: &Option<String>, extra_days: i64| {
        s.as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse::<jiff::civil::Date>().ok())
            .and_then(|d| d.checked_add(jiff::Span::new().days(extra_days)).ok())
            .and_then(|d| d.to_zoned(saldo_core::day::local_tz()).ok())
            .map(|z| z.timestamp())
    };
    (day(&p.from, 0), day(&p.to, 1))
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
    Path(child): Path<String>,
    Query(q): Query<Period>,
) -> Result<Response, PageError> {
    let (from, to) = period(&q);
    let (view, found) = family::statement(&state.app, &actor, &child, from, to, q.before, PAGE_LINES)
        .await
        .map_err(|e| refusal(&v, e))?;
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
    Path(child): Path<String>,
    Query(q): Query<Period>,
) -> Result<Response, PageError> {
    let (from, to) = period(&q);
    let (view, found) =
        family::statement(&state.app, &actor, &child, from, to, None, CSV_LINES).await.map_err(|e| refusal(&v, e))?;
    let tr = v.tr;
    let mut csv = String::from("\u{feff}");
    csv.push_str(&format!(
        "{};{};{};{};{}\r\n",
        tr.t("statement.date"),
        tr.t("statement.what"),
        tr.t("child.card"),
        tr.t("statement.amount"),
        tr.t("statement.balance")
    ));
    for l in &found {
        let mut what = tr.t(&format!("kind.{}", l.kind)).to_owned();
        if let Some(place) = &l.place {
            what = format!("{what}, {place}");
        }
        if !l.lines.is_empty() {
            let items: Vec<String> = l.lines.iter().map(|(name, qty, _)| format!("{qty} x {name}")).collect();
            what = format!("{what}: {}", items.join(", "));
        }
        csv.push_str(&format!(
            "{};{};{};{};{}\r\n",
            tr.datetime(&l.at),
            csv_field(&what),
            l.card_number.as_deref().map(last4).unwrap_or(""),
            l.amount.plain_da(),
            l.balance_after.plain_da()
        ));
    }
    let file =
        format!("kontoudtog-{}.csv", view.child.first_name.to_lowercase().replace(|c: char| !c.is_alphanumeric(), "-"));
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        csv,
    )
        .into_response())
}

/// A CSV field, quoted when it must be; text a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is kept as
/// text with a leading `'`.
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

struct Quick {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "portal/deposit.html")]
struct DepositPage {
    p: Page,
    c: ChildCard,
    limits: String,
    fee: String,
    quick: Vec<Quick>,
    full: bool,
    amount: String,
    error: Option<String>,
}

async fn deposit_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &str,
    amount: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let options = deposits::options(&state.app, actor, child).await.map_err(|e| refusal(v, e))?;
    let tr = v.tr;
    let limits = tr.fill(
        "deposit.limits",
        &[("min", tr.money(&options.min)), ("max", tr.money(&options.max)), ("room", tr.money(&options.room))],
    );
    let fee = if options.fee.is_positive() {
        tr.fill("deposit.fee", &[("fee", tr.money(&options.fee))])
    } else {
        tr.t("deposit.no_fee").into()
    };
    let quick = options.quick_picks.iter().map(|q| Quick { value: q.plain_da(), label: tr.money(q) }).collect();
    Ok(render(DepositPage {
        c: ChildCard::new(&options.child, &tr),
        limits,
        fee,
        quick,
        full: options.room < options.min,
        amount,
        error,
        p: v.page(None),
    }))
}

async fn deposit_form(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
) -> Result<Response, PageError> {
    deposit_page(&state, &v, &actor, &child, String::new(), None).await
}

#[derive(Deserialize)]
struct DepositForm {
    csrf: String,
    #[serde(default)]
    quick: String,
    #[serde(default)]
    amount: String,
}

async fn deposit_start(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
    Form(form): Form<DepositForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    let typed = if form.quick.is_empty() || form.quick == "other" { form.amount.clone() } else { form.quick.clone() };
    let Ok(amount) = typed.parse::<Money>() else {
        let error = v.tr.t("deposit.bad_amount").to_owned();
        return deposit_page(&state, &v, &actor, &child, form.amount, Some(error)).await;
    };
    let tr = v.tr;
    let error = match deposits::start(&state.app, &actor, &child, amount, tr.code()).await {
        Ok(redirect) => return Ok(Redirect::to(&redirect).into_response()),
        Err(DepositError::BelowMin(min)) => tr.fill("deposit.below_min", &[("min", tr.money(&min))]),
        Err(DepositError::AboveMax(max)) => tr.fill("deposit.above_max", &[("max", tr.money(&max))]),
        Err(DepositError::OverCap { room }) => tr.fill(
            "deposit.over_cap",
            &[("cap", tr.money(&state.app.settings.deposits.max_balance())), ("room", tr.money(&room))],
        ),
        Err(DepositError::Refused(r)) => return Err(refusal(&v, r)),
        Err(e) => return Err(internal(&v, e)),
    };
    deposit_page(&state, &v, &actor, &child, form.amount, Some(error)).await
}

#[derive(Template)]
#[template(path = "portal/receipt.html")]
struct ReceiptPage {
    p: Page,
    id: String,
    child: String,
    pending: bool,
    status_class: &'static str,
    message: &'static str,
    amount: String,
    fee: Option<String>,
    balance: Option<String>,
}

async fn receipt(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(deposit): Path<String>,
) -> Result<Response, PageError> {
    let (deposit, child) = deposits::view(&state.app, &actor, &deposit).await.map_err(|e| refusal(&v, e))?;
    let tr = v.tr;
    let (status_class, message) = match deposit.status.as_str() {
        "confirmed" => ("ok", tr.t("receipt.confirmed")),
        "declined" => ("bad", tr.t("receipt.declined")),
        "cancelled" => ("bad", tr.t("receipt.cancelled")),
        _ => ("wait", tr.t("receipt.pending")),
    };
    let page = ReceiptPage {
        id: deposit.id.clone(),
        child: child.child.first_name.clone(),
        pending: deposit.status == "pending",
        status_class,
        message,
        amount: tr.money(&deposit.amount),
        fee: deposit.fee.is_positive().then(|| tr.money(&deposit.fee)),
        balance: (deposit.status == "confirmed").then(|| tr.money(&child.child.balance)),
        p: v.page(None),
    };
    Ok(render(page))
}

/// The deposit's state, for the receipt page's script to know when to reload.
async fn receipt_status(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(deposit): Path<String>,
) -> Result<Response, PageError> {
    let (deposit, _) = deposits::view(&state.app, &actor, &deposit).await.map_err(|e| refusal(&v, e))?;
    Ok(axum::Json(serde_json::json!({ "status": deposit.status })).into_response())
}

#[derive(Template)]
#[template(path = "portal/limit.html")]
struct LimitPage {
    p: Page,
    c: ChildCard,
    current: String,
    has_limit: bool,
    error: Option<String>,
}

async fn limit_form(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
) -> Result<Response, PageError> {
    let view = family::child(&state.app, &actor, &child, Action::ChangeLimits).await.map_err(|e| refusal(&v, e))?;
    let current = view.child.daily_limit.map(|l| l.plain_da()).unwrap_or_default();
    let has_limit = view.child.daily_limit.is_some();
    Ok(render(LimitPage { c: ChildCard::new(&view, &v.tr), current, has_limit, error: None, p: v.page(None) }))
}

#[derive(Deserialize)]
struct LimitForm {
    csrf: String,
    #[serde(default)]
    limit: String,
    #[serde(default)]
    action: String,
}

async fn limit_save(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<String>,
    Form(form): Form<LimitForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    let remove = form.action == "remove" || form.limit.trim().is_empty();
    let limit = if remove { None } else { form.limit.parse::<Money>().ok() };
    let result = match (remove, limit) {
        (false, None) => Err(FamilyError::LimitOutOfRange),
        _ => family::set_daily_limit(&state.app, &actor, &child, limit).await,
    };
    match result {
        Ok(()) => {
            let done = if remove { "limit.removed" } else { "limit.saved" };
            Ok(Redirect::to(&format!("/portal/children/{child}?done={done}")).into_response())
        }
        Err(FamilyError::LimitOutOfRange) => {
            let view =
                family::child(&state.app, &actor, &child, Action::ChangeLimits).await.map_err(|e| refusal(&v, e))?;
            let error = Some(v.tr.t("limit.out_of_range").to_owned());
            let page = LimitPage {
                c: ChildCard::new(&view, &v.tr),
                current: form.limit,
                has_limit: view.child.daily_limit.is_some(),
                error,
                p: v.page(None),
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response())
        }
        Err(e) => Err(family_error(&v, e)),
    }
}

fn family_error(v: &Visitor, e: FamilyError) -> PageError {
    match e {
        FamilyError::Refused(r) => refusal(v, r),
        FamilyError::UnknownCard => v.fail(Problem::NotFound),
        other => internal(v, other),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn block_card(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, card)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    set_blocked(state, v, actor, child, card, form, true).await
}

async fn unblock_card(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((child, card)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    set_blocked(state, v, actor, child, card, form, false).await
}

async fn set_blocked(
    state: AppState,
    v: Visitor,
    actor: Actor,
    child: String,
    card: String,
    form: CsrfForm,
    block: bool,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    match family::set_card_blocked(&state.app, &actor, &child, &card, block).await {
        // Already in the wanted state (a double click): the page shows how it is.
        Ok(()) | Err(FamilyError::CardState(_) | FamilyError::AnotherCardActive) => {
            let done = if block { "card.blocked_done" } else { "card.unblocked_done" };
            Ok(Redirect::to(&format!("/portal/children/{child}?done={done}")).into_response())
        }
        Err(e) => Err(family_error(&v, e)),
    }
}

#[derive(Template)]
#[template(path = "portal/transfer.html")]
struct TransferPage {
    p: Page,
    children: Vec<(String, String)>,
    key: String,
    error: Option<String>,
}

async fn transfer_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    error: Option<String>,
) -> Result<Response, PageError> {
    let views = family::overview(&state.app, actor).await.map_err(|e| internal(v, e))?;
    let children = views
        .iter()
        .filter(|c| c.is_custodian)
        .map(|c| (c.child.child_id.clone(), format!("{} ({})", c.child.first_name, v.tr.money(&c.child.balance))))
        .collect();
    Ok(render(TransferPage { children, key: saldo_app::tills::new_token(), error, p: v.page(None) }))
}

async fn transfer_form(State(state): State<AppState>, Signed(v, actor): Signed) -> Result<Response, PageError> {
    transfer_page(&state, &v, &actor, None).await
}

#[derive(Deserialize)]
struct TransferForm {
    csrf: String,
    key: String,
    from: String,
    to: String,
    amount: String,
}

async fn transfer_save(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Form(form): Form<TransferForm>,
) -> Result<Response, PageError> {
    v.check_csrf(&form.csrf)?;
    let Ok(key) = form.key.parse() else { return Err(v.fail(Problem::Csrf)) };
    let Ok(amount) = form.amount.parse::<Money>() else {
        return transfer_page(&state, &v, &actor, Some(v.tr.t("deposit.bad_amount").into())).await;
    };
    let error = match family::transfer(&state.app, &actor, &form.from, &form.to, amount, &key).await {
        Ok(()) => return Ok(Redirect::to("/portal?done=transfer.done").into_response()),
        Err(FamilyError::InsufficientFunds) => v.tr.t("transfer.insufficient"),
        Err(FamilyError::SameChild) => v.tr.t("transfer.same"),
        Err(FamilyError::NotPositive) => v.tr.t("deposit.bad_amount"),
        Err(e) => return Err(family_error(&v, e)),
    };
    transfer_page(&state, &v, &actor, Some(error.into())).await
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_never_run_as_formulas() {
        assert_eq!(csv_field("Ida"), "Ida");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-20 %"), "'-20 %");
        assert_eq!(csv_field("@sum"), "'@sum");
    }
}
