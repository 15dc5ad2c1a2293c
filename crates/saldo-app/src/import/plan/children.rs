//! boern.csv: children, each in a school and perhaps a club, each with a wallet.

use saldo_core::ids::{ChildId, InstitutionId, WalletId};
use std::collections::{HashMap, HashSet};

use saldo_store::{ExistingChild, ExistingData, ExistingWallet, InstitutionKind, NewChild, NewWallet};

use super::institutions::Institutions;
use super::{missing, Children, Counter, Diffed, Plan};
use crate::import::rows::{Child, Export, FileLog, CHILDREN, INSTITUTIONS};

pub(super) fn plan<'e>(
    c: &mut Counter<'_>,
    export: &mut Export,
    existing: &'e ExistingData,
    institutions: &Institutions,
) -> Children<'e> {
    let known_institutions = export.numbers_in(INSTITUTIONS);
    let children_by_legacy: HashMap<&str, &ExistingChild> =
        existing.children.iter().filter_map(|ch| Some((ch.legacy_no.as_deref()?, ch))).collect();
    let wallets_by_child: HashMap<&str, &ExistingWallet> =
        existing.wallets.iter().map(|w| (w.child_id.as_str(), w)).collect();
    let limits_by_child: HashMap<String, Option<saldo_core::Money>> =
        export.accounts.iter().map(|a| (a.child.clone(), a.daily_limit)).collect();
    let mut children = Children::new();
    let children_rows = std::mem::take(&mut export.children);
    for ch in &children_rows {
        let log = export.log(CHILDREN);
        let line = log.line(ch.row);
        let Some((school_id, club_id)) = school_and_club(log, ch, institutions, &known_institutions) else {
            continue;
        };
        let target = NewChild {
            id: ChildId::new(""),
            legacy_no: ch.no.clone(),
            first_name: ch.first_name.clone(),
            last_name: ch.last_name.clone(),
            birth_date: ch.birth_date.map(|d| d.to_string()),
            school_id: school_id.map(InstitutionId::new),
            club_id: club_id.map(InstitutionId::new),
        };
        let limit = limits_by_child.get(&ch.no).copied().flatten();
        if !limits_by_child.contains_key(&ch.no) {
            log.repair(ch.row, "no usable row in konti.csv: no balance or daily limit is carried over for this child");
        }
        let old = children_by_legacy.get(ch.no.as_str()).copied();
        match c.diff_and_count(CHILDREN, line, &ch.no, old, |old, _: &mut Plan| changes(old, &target)) {
            Diffed::Held { old, changed } => {
                if changed {
                    c.plan.child_updates.push(NewChild { id: old.id.clone(), ..target });
                }
                let wallet = wallets_by_child.get(old.id.as_str()).copied();
                let wallet_id = match wallet {
                    Some(w) => w.id.clone(),
                    None => {
                        let id = WalletId::new(saldo_store::new_id("wal"));
                        c.plan.new_wallets.push(NewWallet {
                            id: id.clone(),
                            child_id: old.id.clone(),
                            daily_limit: limit,
                        });
                        id
                    }
                };
                children.insert(ch.no.clone(), (old.id.clone(), wallet_id, wallet));
            }
            Diffed::Created => {
                let (id, wallet_id) =
                    (ChildId::new(saldo_store::new_id("chi")), WalletId::new(saldo_store::new_id("wal")));
                c.plan.new_children.push(NewChild { id: id.clone(), ..target });
                c.plan.new_wallets.push(NewWallet { id: wallet_id.clone(), child_id: id.clone(), daily_limit: limit });
                children.insert(ch.no.clone(), (id, wallet_id, None));
            }
        }
    }
    export.children = children_rows;
    children
}

/// The child's school and club ids; `None` (the row rejected) when its
/// Institution does not resolve. A club as the Institution means no school;
/// a Klub that is no club is dropped, with the reason.
fn school_and_club(
    log: &mut FileLog,
    ch: &Child,
    institutions: &Institutions,
    known_institutions: &HashSet<String>,
) -> Option<(Option<String>, Option<String>)> {
    let Some((institution_id, kind)) = institutions.get(&ch.institution).cloned() else {
        log.reject(ch.row, missing("Institution", &ch.institution, INSTITUTIONS, known_institutions));
        return None;
    };
    if kind == InstitutionKind::Club {
        if ch.club.as_ref().is_some_and(|k| *k != ch.institution) {
            log.repair(ch.row, "Klub ignored: the Institution is itself a club (the child is in no school)");
        }
        return Some((None, Some(institution_id)));
    }
    let club = match &ch.club {
        None => None,
        Some(k) => match institutions.get(k) {
            Some((id, InstitutionKind::Club)) => Some(id.clone()),
            Some(_) => {
                log.repair(ch.row, format!("Klub {k} is not a club: imported without a club"));
                None
            }
            None => {
                log.repair(
                    ch.row,
                    format!("{}: imported without a club", missing("Klub", k, INSTITUTIONS, known_institutions)),
                );
                None
            }
        },
    };
    Some((Some(institution_id), club))
}

fn changes(old: &ExistingChild, target: &NewChild) -> Vec<String> {
    let mut what = Vec::new();
    if old.first_name != target.first_name || old.last_name != target.last_name {
        what.push(format!(
            "name {:?} → {:?}",
            format!("{} {}", old.first_name, old.last_name),
            format!("{} {}", target.first_name, target.last_name)
        ));
    }
    if old.birth_date != target.birth_date {
        what.push("birth date".to_owned());
    }
    if old.school_id != target.school_id || old.club_id != target.club_id {
        what.push("school or club".to_owned());
    }
    what
}
