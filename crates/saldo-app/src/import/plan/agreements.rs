//! optankningsaftaler.csv: top-up agreements, each between a child and a
//! custodian or relative, with the payment provider's stored token.

use std::collections::HashMap;

use saldo_store::{ExistingAgreement, ExistingData, NewAgreement};

use super::relations::{existing_relations, Related};
use super::{missing, Adults, Children, Counter, Diffed, Plan, Settings};
use crate::import::rows::{Agreement, Export, ADULTS, AGREEMENTS, CHILDREN};

pub(super) fn plan(
    c: &mut Counter<'_>,
    export: &mut Export,
    existing: &ExistingData,
    children: &Children<'_>,
    adults: &Adults,
    related: &Related,
    settings: &Settings,
) {
    let known_children = export.numbers_in(CHILDREN);
    let known_adults = export.numbers_in(ADULTS);
    let existing_relations = existing_relations(existing);
    let agreements_by_key: HashMap<(&str, &str), &ExistingAgreement> =
        existing.agreements.iter().map(|a| ((a.child_id.as_str(), a.person_id.as_str()), a)).collect();
    let agreement_rows = std::mem::take(&mut export.agreements);
    for g in &agreement_rows {
        let log = export.log(AGREEMENTS);
        let line = log.line(g.row);
        let Some((child_id, _, _)) = children.get(&g.child) else {
            log.reject(g.row, missing("BarnNr", &g.child, CHILDREN, &known_children));
            continue;
        };
        let Some(person_id) = adults.get(&g.adult) else {
            log.reject(g.row, missing("VoksenNr", &g.adult, ADULTS, &known_adults));
            continue;
        };
        let key = (child_id.clone(), person_id.clone());
        if !related.contains(&key) && !existing_relations.contains_key(&(child_id.as_str(), person_id.as_str())) {
            log.reject(
                g.row,
                format!(
                    "{} is neither custodian nor relative of {}: only they may top up the child's wallet",
                    g.adult, g.child
                ),
            );
            continue;
        }
        let target = NewAgreement {
            id: String::new(),
            child_id: child_id.clone(),
            person_id: person_id.clone(),
            threshold: g.threshold,
            amount: g.amount,
            provider: settings.provider.clone(),
            provider_token: g.token.clone(),
            status: g.status.as_str(),
            card: None,
        };
        let old = agreements_by_key.get(&(child_id.as_str(), person_id.as_str())).copied();
        let diff = |old: &ExistingAgreement, _: &mut Plan| changes(old, g, settings);
        match c.diff_and_count(AGREEMENTS, line, &format!("{} {}", g.child, g.adult), old, diff) {
            Diffed::Held { changed: false, .. } => {}
            Diffed::Held { old, changed: true } => {
                c.plan.agreement_updates.push(NewAgreement { id: old.id.clone(), ..target });
            }
            Diffed::Created => {
                c.plan.new_agreements.push(NewAgreement { id: saldo_store::new_id("tua"), ..target });
            }
        }
    }
    export.agreements = agreement_rows;
}

fn changes(old: &ExistingAgreement, g: &Agreement, settings: &Settings) -> Vec<String> {
    let mut what = Vec::new();
    if old.threshold != g.threshold || old.amount != g.amount {
        what.push(format!(
            "below {} add {} → below {} add {}",
            old.threshold.display_da(),
            old.amount.display_da(),
            g.threshold.display_da(),
            g.amount.display_da()
        ));
    }
    if old.provider_token != g.token || old.provider != settings.provider {
        what.push("payment token".to_owned());
    }
    if old.status != g.status.as_str() {
        what.push(format!("{} → {}", old.status, g.status.as_str()));
    }
    what
}
