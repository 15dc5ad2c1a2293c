//! The diff between the school administration's export and what Saldo
//! holds: who arrives, who moves (school, class, club, name; or comes
//! back), who leaves, and whose custodians change. Pure: the same file and
//! the same database give the same plan, and a plan applied gives an empty
//! plan the next time (the sync is repeatable).

use std::collections::{HashMap, HashSet};

use saldo_core::ids::{ChildId, InstitutionId, PersonId};
use saldo_store::{ExistingData, Placement};

use super::parse::{Guardian, Pupil, Rejected};

/// A child's place: school, class and club, by name for people to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub school_id: Option<InstitutionId>,
    pub school: String,
    pub class_name: Option<String>,
    pub club_id: Option<InstitutionId>,
    pub club: Option<String>,
}

/// Who a custodian in the file is in Saldo: someone known, or someone new.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    Known(PersonId),
    New,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Custodian {
    pub guardian: Guardian,
    pub who: Who,
}

impl Custodian {
    pub fn name(&self) -> String {
        format!("{} {}", self.guardian.first_name, self.guardian.last_name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub pupil: Pupil,
    pub place: Place,
    pub custodians: Vec<Custodian>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub child_id: ChildId,
    pub pupil: Pupil,
    /// The name Saldo had (the file's may correct it).
    pub name: String,
    pub from: Place,
    pub to: Place,
    /// The child had left and is back.
    pub returns: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaver {
    pub child_id: ChildId,
    pub name: String,
    pub place: Place,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustodianChange {
    pub child_id: ChildId,
    pub name: String,
    pub added: Vec<Custodian>,
    /// (person, name): custodians Saldo had whom the file no longer names.
    pub removed: Vec<(PersonId, String)>,
}

/// What applying the file would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub arrivals: Vec<Arrival>,
    pub moves: Vec<Move>,
    pub leavers: Vec<Leaver>,
    pub custodian_changes: Vec<CustodianChange>,
    pub rejected: Vec<Rejected>,
    /// Pupils already as the file has them.
    pub unchanged: usize,
}

impl Plan {
    pub fn changes(&self) -> usize {
        self.arrivals.len() + self.moves.len() + self.leavers.len() + self.custodian_changes.len()
    }
}

/// Compares the pupils with the database's children, people and institutions.
pub fn plan(pupils: Vec<Pupil>, mut rejected: Vec<Rejected>, data: &ExistingData, placements: &[Placement]) -> Plan {
    let institutions: HashMap<&str, (&str, &str, &str)> = data
        .institutions
        .iter()
        .filter_map(|i| i.legacy_no.as_deref().map(|no| (no, (i.id.as_str(), i.name.as_str(), i.kind.as_str()))))
        .collect();
    let name_of = |id: &Option<InstitutionId>| {
        id.as_ref().and_then(|id| data.institutions.iter().find(|i| i.id == id.as_str())).map(|i| i.name.clone())
    };
    let placement: HashMap<&str, &Placement> = placements.iter().map(|p| (p.child_id.as_str(), p)).collect();
    let children: HashMap<&str, &saldo_store::ExistingChild> =
        data.children.iter().filter_map(|c| c.legacy_no.as_deref().map(|no| (no, c))).collect();
    let mut plan = Plan::default();
    let mut schools_in_file: HashSet<String> = HashSet::new();
    let mut in_file: HashSet<String> = HashSet::new();
    for pupil in pupils {
        let place = match place_of(&pupil, &institutions) {
            Ok(place) => place,
            Err(reason) => {
                rejected.push(Rejected { line: pupil.line, reason });
                continue;
            }
        };
        if let Some(school) = &place.school_id {
            schools_in_file.insert(school.to_string());
        }
        in_file.insert(pupil.number.clone());
        let custodians: Vec<Custodian> =
            pupil.custodians.iter().map(|g| Custodian { guardian: g.clone(), who: who(g, data) }).collect();
        let Some(child) = children.get(pupil.number.as_str()) else {
            plan.arrivals.push(Arrival { pupil, place, custodians });
            continue;
        };
        let Some(here) = placement.get(child.id.as_str()) else {
            // Closed and erased after retention: the number is not brought back to life.
            let reason = format!("ElevNr {} belongs to an account closed and erased", pupil.number);
            rejected.push(Rejected { line: pupil.line, reason });
            continue;
        };
        let from = Place {
            school: name_of(&child.school_id).unwrap_or_default(),
            school_id: child.school_id.clone(),
            class_name: here.class_name.clone(),
            club: name_of(&child.club_id),
            club_id: child.club_id.clone(),
        };
        let returns = here.left_at.is_some();
        let renamed = child.first_name != pupil.first_name
            || child.last_name != pupil.last_name
            || (pupil.birth_date.is_some() && child.birth_date != pupil.birth_date);
        let changed = custodian_change(child, &custodians, data);
        if from != place || returns || renamed {
            let name = format!("{} {}", child.first_name, child.last_name);
            plan.moves.push(Move { child_id: child.id.clone(), pupil, name, from, to: place, returns });
        } else if changed.is_none() {
            plan.unchanged += 1;
        }
        plan.custodian_changes.extend(changed);
    }
    for child in &data.children {
        let (Some(number), Some(school)) = (&child.legacy_no, &child.school_id) else { continue };
        let still_here = here_not_left(placement.get(child.id.as_str()));
        if still_here && schools_in_file.contains(school.as_str()) && !in_file.contains(number) {
            plan.leavers.push(Leaver {
                child_id: child.id.clone(),
                name: format!("{} {}", child.first_name, child.last_name),
                place: Place {
                    school: name_of(&child.school_id).unwrap_or_default(),
                    school_id: child.school_id.clone(),
                    class_name: placement.get(child.id.as_str()).and_then(|p| p.class_name.clone()),
                    club: name_of(&child.club_id),
                    club_id: child.club_id.clone(),
                },
            });
        }
    }
    rejected.sort_by_key(|r| r.line);
    plan.rejected = rejected;
    plan
}

/// A child still at their school (not erased, not left).
fn here_not_left(placement: Option<&&Placement>) -> bool {
    placement.is_some_and(|p| p.left_at.is_none())
}

fn place_of(pupil: &Pupil, institutions: &HashMap<&str, (&str, &str, &str)>) -> Result<Place, String> {
    let (school_id, school, kind) =
        institutions.get(pupil.school.as_str()).ok_or_else(|| format!("no institution numbered {}", pupil.school))?;
    if *kind == "club" {
        return Err(format!("{} is a club, not a school", pupil.school));
    }
    let club = match &pupil.club {
        None => None,
        Some(no) => match institutions.get(no.as_str()) {
            Some((id, name, "club")) => Some((InstitutionId::new(*id), (*name).to_owned())),
            Some(_) => return Err(format!("{no} is not a club")),
            None => return Err(format!("no club numbered {no}")),
        },
    };
    Ok(Place {
        school_id: Some(InstitutionId::new(*school_id)),
        school: (*school).to_owned(),
        class_name: pupil.class_name.clone(),
        club_id: club.as_ref().map(|(id, _)| id.clone()),
        club: club.map(|(_, name)| name),
    })
}

/// The person a custodian in the file is: by their number, then by e-mail.
fn who(guardian: &Guardian, data: &ExistingData) -> Who {
    let by_number = data.people.iter().find(|p| p.legacy_no.as_deref() == Some(guardian.number.as_str()));
    let by_email =
        || guardian.email.as_ref().and_then(|e| data.people.iter().find(|p| p.email.as_deref() == Some(e.as_str())));
    match by_number.or_else(by_email) {
        Some(person) => Who::Known(person.id.clone()),
        None => Who::New,
    }
}

/// Custodians named in the file that Saldo lacks, and the ones Saldo has that the file no longer names.
fn custodian_change(
    child: &saldo_store::ExistingChild,
    custodians: &[Custodian],
    data: &ExistingData,
) -> Option<CustodianChange> {
    let has: Vec<&str> = data
        .relations
        .iter()
        .filter(|(c, _, kind)| c == child.id.as_str() && kind == "custodian")
        .map(|(_, p, _)| p.as_str())
        .collect();
    let added: Vec<Custodian> = custodians
        .iter()
        .filter(|c| match &c.who {
            Who::Known(id) => !has.contains(&id.as_str()),
            Who::New => true,
        })
        .cloned()
        .collect();
    let named: Vec<&str> = custodians
        .iter()
        .filter_map(|c| match &c.who {
            Who::Known(id) => Some(id.as_str()),
            Who::New => None,
        })
        .collect();
    // A pupil the file names no custodians for keeps those Saldo has: an
    // empty cell is a gap in the export, not a court's decision.
    let removed: Vec<(PersonId, String)> = has
        .iter()
        .filter(|id| !custodians.is_empty() && !named.contains(id))
        .map(|id| {
            let name = data
                .people
                .iter()
                .find(|p| p.id.as_str() == *id)
                .map(|p| format!("{} {}", p.first_name, p.last_name))
                .unwrap_or_default();
            (PersonId::new(*id), name)
        })
        .collect();
    (!added.is_empty() || !removed.is_empty()).then(|| CustodianChange {
        child_id: child.id.clone(),
        name: format!("{} {}", child.first_name, child.last_name),
        added,
        removed,
    })
}
