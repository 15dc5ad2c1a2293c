//! A child's page: balance, cards, the latest lines, agreements and notices.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use saldo_core::ids::{AgreementId, CardId, ChildId};

use crate::i18n::Tr;
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;
use saldo_app::family::ActiveCard;
use saldo_app::AgreementView;
use saldo_app::{agreements, family, low_balance, Actor};
use saldo_core::card::last4;
use saldo_core::CardState;

use super::statement::{recent_lines, Line};
use super::{notice, problem, ChildCard, Done};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal/children/{child}", get(child_page))
}

struct CardRow {
    id: CardId,
    label: String,
    blockable: bool,
    unblockable: bool,
}

/// An agreement as the child's page shows it.
struct AgreementRow {
    id: AgreementId,
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

fn agreement_rows(tr: &Tr, actor: &Actor, agreements: &[AgreementView]) -> Vec<AgreementRow> {
    agreements
        .iter()
        .map(|a| {
            let mine = a.person_id == actor.person_id;
            let card = a.card.as_ref().filter(|_| mine);
            AgreementRow {
                card: card.map(|card| {
                    tr.fill("agreement.card", &[("last4", card.last4.clone()), ("expires", card.expires.clone())])
                }),
                threshold_value: a.threshold.plain_da(),
                amount_value: a.amount.plain_da(),
                card_expiring: card.is_some_and(|card| card.expiring),
                id: a.id.clone(),
                owner: if mine { tr.t("agreement.yours").to_owned() } else { a.owner_name.clone() },
                rule: tr
                    .fill("agreement.rule", &[("threshold", tr.money(&a.threshold)), ("amount", tr.money(&a.amount))]),
                active: a.active,
                mine,
            }
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
    /// The rules at the till, for a custodian: what may not be bought, and the note to the staff.
    till_rules: Option<(String, String)>,
}

/// How many movements the child's page lists before "the whole statement".
const RECENT_LINES: i64 = 3;

async fn child_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    // The last few movements; the whole statement is one tap away.
    let (view, recent) = family::statement(&state.app, &actor, &child, None, None, None, RECENT_LINES).await?;
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
            // A card replaced by one on its way was reported lost: it stays blocked.
            unblockable: card.state == CardState::Blocked && !has_active && !view.card_on_its_way(),
        })
        .collect();
    let agreements = agreements::on_child(&state.app, &actor, &child).await?;
    let low_balance = low_balance::of(&state.app, &actor, &child).await?;
    let problem = problem(&v.tr, &state.app.settings, &done);
    let (error, low_balance_error) = match done.error.as_deref() {
        Some(key) if key.starts_with("low_balance.") => (None, problem),
        _ => (problem, None),
    };
    let own_terms = agreements
        .iter()
        .find(|a| a.person_id == actor.person_id)
        .map(|a| (a.threshold.plain_da(), a.amount.plain_da()));
    let till_rules = if view.is_custodian {
        let rules = saldo_app::till_controls::controls(&state.app, &actor, &child).await.map_err(PageError::from)?;
        let blocked: Vec<&str> = rules.categories.iter().filter(|(_, _, on)| *on).map(|(_, l, _)| l.as_str()).collect();
        // Shown only when a rule is set: "no rules" is what everyone expects.
        match (blocked.is_empty(), rules.note.is_empty()) {
            (true, true) => None,
            (true, false) => Some((v.tr.t("controls.none").to_owned(), rules.note)),
            (false, _) => Some((v.tr.fill("controls.not_allowed", &[("items", blocked.join(", "))]), rules.note)),
        }
    } else {
        None
    };
    let page = ChildPage {
        till_rules,
        low_balance_error,
        own_terms,
        c: ChildCard::new(&view, &v.tr),
        cards,
        lines: recent_lines(&v.tr, &recent, state.app.now()),
        agreements: agreement_rows(&v.tr, &actor, &agreements),
        low_balance: low_balance.map(|m| (v.tr.money(&m), m.plain_da())),
        error,
        p: v.page(notice(&v.tr, &done)),
    };
    Ok(render(page))
}
