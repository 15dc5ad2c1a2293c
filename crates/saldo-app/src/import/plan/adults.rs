//! voksne.csv: custodians and relatives, with e-mails unique across the
//! export and the database (an e-mail logs in).

use saldo_core::ids::PersonId;
use std::collections::{HashMap, HashSet};

use saldo_store::{ExistingData, ExistingPerson, NewPerson};

use super::{Adults, Counter, Diffed, Plan};
use crate::import::rows::{Export, ADULTS};

pub(super) fn plan(c: &mut Counter<'_>, export: &mut Export, existing: &ExistingData) -> Adults {
    let people_by_legacy: HashMap<&str, &ExistingPerson> =
        existing.people.iter().filter_map(|p| Some((p.legacy_no.as_deref()?, p))).collect();
    let mut email_owner = emails_taken(export, existing);
    let mut adults = Adults::new();
    let adult_rows = std::mem::take(&mut export.adults);
    for a in &adult_rows {
        let log = export.log(ADULTS);
        let line = log.line(a.row);
        let mut email = a.email.as_ref().map(|e| e.as_str().to_owned());
        if let Some(address) = &email {
            if let Some(owner) = email_owner.get(address) {
                log.repair(
                    a.row,
                    format!("e-mail {address} already belongs to {owner}: imported without one (e-mails log in, so they are unique)"),
                );
                email = None;
            } else {
                email_owner.insert(address.clone(), format!("{} (line {line})", a.no));
            }
        }
        let target = NewPerson {
            id: PersonId::new(""),
            legacy_no: a.no.clone(),
            first_name: a.first_name.clone(),
            last_name: a.last_name.clone(),
            email,
            phone: a.phone.clone(),
        };
        let old = people_by_legacy.get(a.no.as_str()).copied();
        match c.diff_and_count(ADULTS, line, &a.no, old, |old, plan| changes(old, &target, plan)) {
            Diffed::Held { old, changed } => {
                if changed {
                    c.plan.people_updates.push(NewPerson { id: old.id.clone(), ..target });
                }
                adults.insert(a.no.clone(), old.id.clone());
            }
            Diffed::Created => {
                let id = PersonId::new(saldo_store::new_id("per"));
                c.plan.new_people.push(NewPerson { id: id.clone(), ..target });
                adults.insert(a.no.clone(), id);
            }
        }
    }
    export.adults = adult_rows;
    adults
}

/// E-mails of people in Saldo the export does not carry, with who holds them.
fn emails_taken(export: &Export, existing: &ExistingData) -> HashMap<String, String> {
    let export_adult_numbers: HashSet<&str> = export.adults.iter().map(|a| a.no.as_str()).collect();
    existing
        .people
        .iter()
        .filter(|p| !p.legacy_no.as_deref().is_some_and(|no| export_adult_numbers.contains(no)))
        .filter_map(|p| Some((p.email.clone()?, "another person already in Saldo".to_owned())))
        .collect()
}

/// What differs; an e-mail that changes is cleared first, so an address can
/// move between two people.
fn changes(old: &ExistingPerson, target: &NewPerson, plan: &mut Plan) -> Vec<String> {
    let mut what = Vec::new();
    if old.first_name != target.first_name || old.last_name != target.last_name {
        what.push("name".to_owned());
    }
    if old.email != target.email {
        what.push(format!(
            "e-mail {} → {}",
            old.email.as_deref().unwrap_or("none"),
            target.email.as_deref().unwrap_or("none")
        ));
        if old.email.is_some() {
            plan.email_clears.push(old.id.clone());
        }
    }
    if old.phone != target.phone {
        what.push("phone".to_owned());
    }
    what
}
