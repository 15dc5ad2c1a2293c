//! What an earlier import brought that this export no longer mentions: left
//! as it is (an import never deletes), and counted so the report says so.

use std::collections::HashSet;

use saldo_store::ExistingData;

use super::{cards, Plan};
use crate::import::rows::{Export, ADULTS, CARDS, CHILDREN};

pub(super) fn count(plan: &mut Plan, export: &Export, existing: &ExistingData) {
    let in_export_children: HashSet<&str> = export.children.iter().map(|ch| ch.no.as_str()).collect();
    let in_export_adults: HashSet<&str> = export.adults.iter().map(|a| a.no.as_str()).collect();
    let export_numbers_cards = cards::export_numbers(export);
    let legacy_child_ids: HashSet<&str> =
        existing.children.iter().filter(|ch| ch.legacy_no.is_some()).map(|ch| ch.id.as_str()).collect();
    let gone_children = existing
        .children
        .iter()
        .filter(|ch| ch.legacy_no.as_deref().is_some_and(|no| !in_export_children.contains(no)))
        .count();
    let gone_adults = existing
        .people
        .iter()
        .filter(|p| p.legacy_no.as_deref().is_some_and(|no| !in_export_adults.contains(no)))
        .count();
    let gone_cards = existing
        .cards
        .iter()
        .filter(|k| k.child_id.as_ref().is_some_and(|ch| legacy_child_ids.contains(ch.as_str())))
        .filter(|k| !export_numbers_cards.contains(&k.number))
        .count();
    for (file, gone) in [(CHILDREN, gone_children), (ADULTS, gone_adults), (CARDS, gone_cards)] {
        if gone > 0 {
            plan.not_in_export.insert(file, gone as u64);
        }
    }
}
