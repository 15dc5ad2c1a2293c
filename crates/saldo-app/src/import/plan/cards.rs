//! kort.csv: cards in children's hands. A child has at most one active card,
//! a chip id belongs to one card, and the import moves a card only between
//! active and blocked.

use saldo_core::ids::{CardId, ChildId};
use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use saldo_core::card::last4;
use saldo_core::CardState;
use saldo_store::{ExistingCard, ExistingData, NewCard};

use super::{issued_at, missing, CardUpdate, Children, Counter, Diffed, Plan, Settings};
use crate::import::rows::{Card, Export, CARDS, CHILDREN};

/// The card numbers the export carries.
pub(super) fn export_numbers(export: &Export) -> HashSet<String> {
    export.cards.iter().map(|k| k.number.digits()).collect()
}

pub(super) fn plan(
    c: &mut Counter<'_>,
    export: &mut Export,
    existing: &ExistingData,
    children: &Children<'_>,
    settings: &Settings,
) {
    let known_children = export.numbers_in(CHILDREN);
    let cards_by_number: HashMap<&str, &ExistingCard> = existing.cards.iter().map(|k| (k.number.as_str(), k)).collect();
    let export_numbers = export_numbers(export);
    let mut chip_owner = chips_taken(existing, &export_numbers);
    let active_elsewhere = active_elsewhere(existing, &export_numbers);
    // Active cards the export has given so far, by child number: (line, card number).
    let mut active_in_export: HashMap<String, (usize, String)> = HashMap::new();
    let mut deactivations = Vec::new();
    let mut activations = Vec::new();
    let card_rows = std::mem::take(&mut export.cards);
    for k in &card_rows {
        let log = export.log(CARDS);
        let line = log.line(k.row);
        let number = k.number.digits();
        let Some((child_id, _, _)) = children.get(&k.child) else {
            log.reject(k.row, missing("BarnNr", &k.child, CHILDREN, &known_children));
            continue;
        };
        let old = cards_by_number.get(number.as_str()).copied();
        if let Some(reason) = old.and_then(|old| refused_change(old, k, child_id, &number)) {
            log.reject(k.row, reason);
            continue;
        }
        if k.state == CardState::Active {
            if let Some(reason) = second_active(k, child_id, &active_in_export, &active_elsewhere) {
                log.reject(k.row, reason);
                continue;
            }
            active_in_export.insert(k.child.clone(), (line, number.clone()));
        }
        let mut chip = k.chip.as_ref().map(|c| c.as_str().to_owned());
        if let Some(uid) = &chip {
            if let Some(owner) = chip_owner.get(uid) {
                log.repair(
                    k.row,
                    format!("chip id {uid} is also on {owner}: imported without it, the card works by its number"),
                );
                chip = None;
            } else {
                chip_owner.insert(uid.clone(), format!("card …{} (line {line})", last4(&number)));
            }
        }
        let issued = k.issued.and_then(issued_at);
        // A card already in Saldo keeps its issue date unless the export gives one.
        let issued_or_kept = |old: &ExistingCard| {
            issued.unwrap_or_else(|| Timestamp::from_microsecond(old.issued_at).unwrap_or(settings.now))
        };
        let diff = |old: &ExistingCard, plan: &mut Plan| changes(old, k, chip.as_deref(), issued_or_kept(old), plan);
        match c.diff_and_count(CARDS, line, &number, old, diff) {
            Diffed::Held { changed: false, .. } => {}
            Diffed::Held { old, changed: true } => {
                let update =
                    CardUpdate { id: old.id.clone(), chip_uid: chip, state: k.state, issued_at: issued_or_kept(old) };
                if k.state == CardState::Active {
                    activations.push(update);
                } else {
                    deactivations.push(update);
                }
            }
            Diffed::Created => c.plan.new_cards.push(NewCard {
                id: CardId::new(saldo_store::new_id("card")),
                number,
                chip_uid: chip,
                child_id: child_id.clone(),
                state: k.state,
                issued_at: issued.unwrap_or(settings.now),
            }),
        }
    }
    export.cards = card_rows;
    c.plan.card_updates = deactivations.into_iter().chain(activations).collect();
}

/// Chip ids on cards in Saldo the export does not carry, with which card holds each.
fn chips_taken(existing: &ExistingData, export_numbers: &HashSet<String>) -> HashMap<String, String> {
    existing
        .cards
        .iter()
        .filter(|k| !export_numbers.contains(&k.number))
        .filter_map(|k| Some((k.chip_uid.clone()?, format!("card …{} already in Saldo", last4(&k.number)))))
        .collect()
}

/// Active cards the export does not mention, by child id: activated in Saldo after a move.
fn active_elsewhere<'e>(existing: &'e ExistingData, export_numbers: &HashSet<String>) -> HashMap<&'e str, &'e str> {
    let mut active = HashMap::new();
    for k in &existing.cards {
        if k.state == CardState::Active && !export_numbers.contains(&k.number) {
            if let Some(child) = &k.child_id {
                active.insert(child.as_str(), k.number.as_str());
            }
        }
    }
    active
}

/// Why a card already in Saldo cannot take the export's row: it belongs to
/// someone else, or the row asks for a state change the import does not make.
fn refused_change(old: &ExistingCard, k: &Card, child_id: &ChildId, number: &str) -> Option<String> {
    match &old.child_id {
        Some(owner) if owner == child_id => {}
        Some(_) => return Some(format!("card {number} is already in Saldo for another child")),
        None => return Some(format!("card {number} is already in Saldo as a blank card in an office's stock")),
    }
    let allowed = old.state == k.state
        || matches!(
            (old.state, k.state),
            (CardState::Active, CardState::Blocked) | (CardState::Blocked, CardState::Active)
        );
    if allowed {
        return None;
    }
    Some(format!("card {number} is {} in Saldo; the import does not change that", old.state.as_str()))
}

/// Why an active card would be the child's second one, earlier in the export or in Saldo.
fn second_active(
    k: &Card,
    child_id: &ChildId,
    active_in_export: &HashMap<String, (usize, String)>,
    active_elsewhere: &HashMap<&str, &str>,
) -> Option<String> {
    if let Some((first_line, first_number)) = active_in_export.get(&k.child) {
        return Some(format!(
            "{} already has an active card (line {first_line}, …{}); a child has at most one active card: \
             block one in the old system, or activate this one by hand after the move",
            k.child,
            last4(first_number)
        ));
    }
    let other = active_elsewhere.get(child_id.as_str())?;
    Some(format!(
        "{} already has another active card in Saldo (…{}); the import leaves that one",
        k.child,
        last4(other)
    ))
}

/// What differs; a chip id that changes is cleared first, as e-mails are.
fn changes(old: &ExistingCard, k: &Card, chip: Option<&str>, issued: Timestamp, plan: &mut Plan) -> Vec<String> {
    let mut what = Vec::new();
    if old.state != k.state {
        what.push(format!("state {} → {}", old.state.as_str(), k.state.as_str()));
    }
    if old.chip_uid.as_deref() != chip {
        what.push(format!("chip id {} → {}", old.chip_uid.as_deref().unwrap_or("none"), chip.unwrap_or("none")));
        if old.chip_uid.is_some() {
            plan.chip_clears.push(old.id.clone());
        }
    }
    if old.issued_at != issued.as_microsecond() {
        what.push("issue date".to_owned());
    }
    what
}
