//! The parent portal (forældreportalen): each child, the statement, deposits,
//! the daily limit, cards, agreements, relatives, withdrawals and the rules at
//! the till. One module per capability; handlers parse, call the use case, and
//! render; every rule lives in saldo-app and saldo-core.

mod access_log;
mod agreements;
mod cards;
mod child;
mod deposit_several;
mod deposits;
mod limits;
mod low_balance;
mod my_data;
mod overview;
mod relatives;
mod statement;
mod till_rules;
mod transfers;
mod withdrawals;

use axum::Router;
use saldo_app::family::{ActiveCard, ChildView, NextStep};
use saldo_app::mail::genitive;
use saldo_core::card::last4;
use saldo_core::ids::ChildId;
use serde::Deserialize;

use crate::i18n::Tr;
use crate::AppState;

pub(crate) use cards::{activation_problem, OrderLine};
pub(crate) use my_data::{json_file, sections as personal_data_sections, Section};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(overview::routes())
        .merge(access_log::routes())
        .merge(my_data::routes())
        .merge(child::routes())
        .merge(statement::routes())
        .merge(deposits::routes())
        .merge(deposit_several::routes())
        .merge(limits::routes())
        .merge(cards::routes())
        .merge(transfers::routes())
        .merge(agreements::routes())
        .merge(low_balance::routes())
        .merge(relatives::routes())
        .merge(withdrawals::routes())
        .merge(till_rules::routes())
}

/// A child, formatted for a page.
struct ChildCard {
    id: ChildId,
    name: String,
    balance: String,
    today: String,
    card: String,
    /// The active top-up agreement, in words (overview only).
    agreement: Option<String>,
    /// The last purchases, in words: what, where, when, how much (overview only).
    purchases: Vec<String>,
    next: Option<String>,
    /// No card works and none is on its way: offer to activate or order one.
    no_card: bool,
    /// The new card is handed out: offer to activate it.
    to_activate: bool,
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
        let next = match &view.next {
            NextStep::CardOrdered { office } => {
                Some(tr.fill("child.next.card_ordered", &[("office_s", genitive(tr.lang, office))]))
            }
            NextStep::CardReady { office } => {
                Some(tr.fill("child.next.card_ready", &[("office_s", genitive(tr.lang, office))]))
            }
            NextStep::CardHandedOut => Some(tr.t("child.next.card_handed_out").to_owned()),
            NextStep::NoActiveCard => Some(tr.t("child.next.no_card").to_owned()),
            NextStep::TopUp => Some(tr.t("child.next.top_up").to_owned()),
            NextStep::Nothing => None,
        };
        ChildCard {
            id: c.child_id.clone(),
            name: c.first_name.clone(),
            balance: tr.money(&c.balance),
            today,
            card,
            agreement: None,
            purchases: Vec::new(),
            next,
            no_card: view.next == NextStep::NoActiveCard,
            to_activate: view.next == NextStep::CardHandedOut,
            custodian: view.is_custodian,
        }
    }
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
        key @ ("deposit.bad_amount" | "deposit.unavailable") => Some(tr.t(key).to_owned()),
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

#[derive(Deserialize)]
struct NoFields {}
