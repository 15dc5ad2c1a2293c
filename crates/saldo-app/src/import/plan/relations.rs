//! relationer.csv: who is custodian and who relative of which child; a child
//! without a custodian is imported, and said so.

use saldo_core::ids::{ChildId, PersonId};
use std::collections::{HashMap, HashSet};

use saldo_store::{ExistingData, RelationKind};

use super::{missing, Adults, Children, Counter, Diffed, Plan};
use crate::import::rows::{Export, ADULTS, CHILDREN, RELATIONS};

/// (child id, person id) of every relation the export carries.
pub(super) type Related = HashSet<(ChildId, PersonId)>;

/// The relations in the database: kind by (child id, person id).
pub(super) fn existing_relations(existing: &ExistingData) -> HashMap<(&str, &str), &str> {
    existing.relations.iter().map(|(ch, p, k)| ((ch.as_str(), p.as_str()), k.as_str())).collect()
}

pub(super) fn plan(
    c: &mut Counter<'_>,
    export: &mut Export,
    existing: &ExistingData,
    children: &Children<'_>,
    adults: &Adults,
) -> Related {
    let known_children = export.numbers_in(CHILDREN);
    let known_adults = export.numbers_in(ADULTS);
    let existing_relations = existing_relations(existing);
    let mut related = Related::new();
    let mut has_custodian: HashSet<String> = HashSet::new();
    let relation_rows = std::mem::take(&mut export.relations);
    for r in &relation_rows {
        let log = export.log(RELATIONS);
        let line = log.line(r.row);
        let Some((child_id, _, _)) = children.get(&r.child) else {
            log.reject(r.row, missing("BarnNr", &r.child, CHILDREN, &known_children));
            continue;
        };
        let Some(person_id) = adults.get(&r.adult) else {
            log.reject(r.row, missing("VoksenNr", &r.adult, ADULTS, &known_adults));
            continue;
        };
        related.insert((child_id.clone(), person_id.clone()));
        if r.kind == RelationKind::Custodian {
            has_custodian.insert(r.child.clone());
        }
        let key = format!("{} {}", r.child, r.adult);
        let old = existing_relations.get(&(child_id.as_str(), person_id.as_str()));
        let diff = |old: &&str, _: &mut Plan| {
            if *old == r.kind.as_str() {
                Vec::new()
            } else {
                vec![format!("{old} → {}", r.kind.as_str())]
            }
        };
        match c.diff_and_count(RELATIONS, line, &key, old, diff) {
            Diffed::Held { changed: false, .. } => {}
            Diffed::Held { changed: true, .. } => {
                c.plan.relation_updates.push((child_id.clone(), person_id.clone(), r.kind));
            }
            Diffed::Created => c.plan.new_relations.push((child_id.clone(), person_id.clone(), r.kind)),
        }
    }
    export.relations = relation_rows;
    custodians_missing(export, existing, children, has_custodian);
    related
}

/// Notes every imported child no custodian can manage, counting custodians
/// the database already holds.
fn custodians_missing(
    export: &mut Export,
    existing: &ExistingData,
    children: &Children<'_>,
    mut has_custodian: HashSet<String>,
) {
    let legacy_of_child: HashMap<&str, &str> =
        existing.children.iter().filter_map(|ch| Some((ch.id.as_str(), ch.legacy_no.as_deref()?))).collect();
    for (child_id, _, kind) in &existing.relations {
        if let Some(no) = legacy_of_child.get(child_id.as_str()).filter(|_| kind == "custodian") {
            has_custodian.insert((*no).to_owned());
        }
    }
    let without_custodian: Vec<usize> = export
        .children
        .iter()
        .filter(|ch| children.contains_key(&ch.no) && !has_custodian.contains(&ch.no))
        .map(|ch| ch.row)
        .collect();
    for row in without_custodian {
        export.log(CHILDREN).repair(
            row,
            "no custodian (Forældremyndighed) in relationer.csv: nobody can manage this child's account until one is added",
        );
    }
}
