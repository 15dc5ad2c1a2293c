//! The operator's reconciliation page (afstemning): per provider and day,
//! what the provider confirmed against what the wallets got, and every
//! payment that is pending, mismatched or refunded, with its callbacks.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use saldo_app::reconcile;
use serde::Deserialize;

use crate::i18n::Tr;
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin/payments", get(payments))
}

struct Line {
    what: String,
    deposit: String,
    provider_ref: String,
    status: String,
    asked: String,
    taken: String,
    credited: String,
    refunded: String,
    events: Vec<String>,
}

struct ProviderBlock {
    name: String,
    confirmed_count: i64,
    confirmed: String,
    credited: String,
    fees: String,
    balances: bool,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "admin/payments.html")]
struct PaymentsPage {
    p: Page,
    date: String,
    /// The day as people write it, for the heading.
    day_words: String,
    providers: Vec<ProviderBlock>,
    refused: Vec<String>,
}

#[derive(Deserialize, Default)]
struct Day {
    #[serde(default)]
    date: String,
}

fn money(tr: &Tr, ore: i64) -> String {
    tr.money(&saldo_core::Money::from_ore(ore))
}

async fn payments(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(day): Query<Day>,
) -> Result<Response, PageError> {
    let today = saldo_core::day::local_day(state.app.now());
    let date = day.date.parse::<jiff::civil::Date>().unwrap_or(today);
    let report = reconcile::for_operator(&state.app, &actor, date).await?;
    let tr = v.tr;
    let providers = report
        .providers
        .iter()
        .map(|p| {
            let mut lines = Vec::new();
            for (key, group) in [
                ("payments.pending", &p.pending),
                ("payments.mismatched", &p.mismatched),
                ("payments.refunded", &p.refunded),
            ] {
                for l in group.iter() {
                    let r = &l.row;
                    lines.push(Line {
                        what: tr.t(key).to_owned(),
                        deposit: format!(
                            "{} {}",
                            tr.t(match r.kind {
                                reconcile::PaymentKind::Deposit => "payments.kind_deposit",
                                reconcile::PaymentKind::TopUp => "payments.kind_top_up",
                            }),
                            r.payment_id
                        ),
                        provider_ref: r.provider_ref.clone().unwrap_or_else(|| "–".into()),
                        status: tr.t(&format!("payments.status_{}", r.status.as_str())).to_owned(),
                        asked: money(&tr, r.amount_ore + r.fee_ore),
                        taken: r.captured_ore.map_or_else(|| "–".into(), |c| money(&tr, c)),
                        credited: money(&tr, r.credited_ore),
                        refunded: money(&tr, r.refunded_ore),
                        events: l
                            .events
                            .iter()
                            .map(|e| format!("{} {} ({})", tr.datetime(&e.received_at), e.event, e.detail))
                            .collect(),
                    });
                }
            }
            ProviderBlock {
                name: tr.t(&format!("provider.{}", p.provider)).to_owned(),
                confirmed_count: p.confirmed,
                confirmed: money(&tr, p.confirmed_ore),
                credited: money(&tr, p.credited_ore),
                fees: money(&tr, p.fees_ore),
                balances: p.balances(),
                lines,
            }
        })
        .collect();
    let refused = report
        .refused
        .iter()
        .map(|e| format!("{} {}: {}", tr.datetime(&e.received_at), e.provider, e.detail))
        .collect();
    let day_words = tr.date(date);
    Ok(render(PaymentsPage { p: v.page(None), date: report.date, day_words, providers, refused }))
}
