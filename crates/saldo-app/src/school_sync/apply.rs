//! Applying a school-administration export: the plan made again inside the
//! one transaction that carries it out, each change written to the audit
//! log. Children, custodians and placements only; no journal entry, no
//! balance, no card is touched.

use std::collections::{HashMap, HashSet};

use saldo_core::ids::{ChildId, PersonId, WalletId};
use saldo_store::{new_id, ExistingData, NewChild, NewPerson, NewWallet, RelationKind, SyncFile, Tx};

use super::parse::{Pupil, Rejected};
use super::plan::{self, Custodian, Place, Plan, Who};
use super::{actor_name, SyncError};
use crate::auth::Actor;
use crate::App;

/// What an apply did: the plan it carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub file_id: String,
    pub plan: Plan,
}

/// The transaction, who acts, and the people made in this apply (by their
/// number in the file), so siblings' shared custodians are made once.
struct Run<'a> {
    tx: Tx,
    by: String,
    source: &'a str,
    now: jiff::Timestamp,
    made: HashMap<String, PersonId>,
    emails: HashSet<String>,
}

impl Run<'_> {
    async fn audit(&mut self, action: &str, subject: &str, detail: &str) -> Result<(), SyncError> {
        Ok(self.tx.audit(&self.by, action, subject, detail, self.source, self.now).await?)
    }

    /// The person behind a custodian of the file: known, made earlier in this run, or made now.
    async fn person(&mut self, custodian: &Custodian) -> Result<PersonId, SyncError> {
        if let Who::Known(id) = &custodian.who {
            return Ok(id.clone());
        }
        let g = &custodian.guardian;
        if let Some(id) = self.made.get(&g.number) {
            return Ok(id.clone());
        }
        // Two new people the file gives one address: the first keeps it (the column is unique).
        let email = g.email.clone().filter(|e| self.emails.insert(e.clone()));
        let id = PersonId::new(new_id("per"));
        let person = NewPerson {
            id: id.clone(),
            legacy_no: g.number.clone(),
            first_name: g.first_name.clone(),
            last_name: g.last_name.clone(),
            email,
            phone: g.phone.clone(),
        };
        self.tx.insert_people(&[person], self.now).await?;
        self.made.insert(g.number.clone(), id.clone());
        let detail = format!("custodian {} from the school administration", g.number);
        self.audit("sync.person_added", id.as_str(), &detail).await?;
        Ok(id)
    }

    /// Makes `person` the child's custodian (a relative becomes one).
    async fn make_custodian(
        &mut self,
        data: &ExistingData,
        child_id: &ChildId,
        person: &PersonId,
    ) -> Result<(), SyncError> {
        let related =
            data.relations.iter().any(|(c, p, _)| c.as_str() == child_id.as_str() && p.as_str() == person.as_str());
        if related {
            self.tx.set_relation_kind(child_id, person, RelationKind::Custodian).await?;
        } else {
            self.tx.insert_relations(&[(child_id.clone(), person.clone(), RelationKind::Custodian)], self.now).await?;
        }
        Ok(())
    }
}

fn describe(place: &Place) -> String {
    let mut text = place.school.clone();
    if let Some(class) = &place.class_name {
        text.push_str(&format!(" {class}"));
    }
    if let Some(club) = &place.club {
        text.push_str(&format!(", {club}"));
    }
    text
}

fn new_child(id: &ChildId, pupil: &Pupil, place: &Place, birth_date: Option<String>) -> NewChild {
    NewChild {
        id: id.clone(),
        legacy_no: pupil.number.clone(),
        first_name: pupil.first_name.clone(),
        last_name: pupil.last_name.clone(),
        birth_date,
        school_id: place.school_id.clone(),
        club_id: place.club_id.clone(),
    }
}

pub(super) async fn apply(
    app: &App,
    actor: Option<&Actor>,
    file: &SyncFile,
    pupils: Vec<Pupil>,
    rejected: Vec<Rejected>,
) -> Result<Applied, SyncError> {
    let mut tx = app.store.begin().await?;
    let data = tx.existing_data().await?;
    let placements = tx.placements().await?;
    let plan = plan::plan(pupils, rejected, &data, &placements);
    let source = actor.map_or("", |a| a.source.as_str());
    let emails = data.people.iter().filter_map(|p| p.email.clone()).collect();
    let mut run = Run { tx, by: actor_name(actor), source, now: app.now(), made: HashMap::new(), emails };
    arrivals(&mut run, &plan, &data).await?;
    moves(&mut run, &plan, &data).await?;
    for leaver in &plan.leavers {
        run.tx.set_child_left(&leaver.child_id, Some(run.now)).await?;
        run.audit("sync.left", leaver.child_id.as_str(), &format!("left {}", describe(&leaver.place))).await?;
    }
    custodians(&mut run, &plan, &data).await?;
    run.tx.mark_sync_file_applied(&file.id, run.now).await?;
    let summary = format!(
        "{} arrived, {} moved, {} left, {} with other custodians, {} rows set aside",
        plan.arrivals.len(),
        plan.moves.len(),
        plan.leavers.len(),
        plan.custodian_changes.len(),
        plan.rejected.len()
    );
    run.audit("sync.applied", &file.id, &summary).await?;
    run.tx.commit().await?;
    Ok(Applied { file_id: file.id.clone(), plan })
}

async fn arrivals(run: &mut Run<'_>, plan: &Plan, data: &ExistingData) -> Result<(), SyncError> {
    for arrival in &plan.arrivals {
        let child_id = ChildId::new(new_id("chi"));
        let child = new_child(&child_id, &arrival.pupil, &arrival.place, arrival.pupil.birth_date.clone());
        run.tx.insert_children(&[child], run.now).await?;
        // An empty wallet: money arrives only by deposits, never by the sync.
        let wallet = NewWallet { id: WalletId::new(new_id("wal")), child_id: child_id.clone(), daily_limit: None };
        run.tx.insert_wallets(&[wallet], run.now).await?;
        run.tx.set_child_class(&child_id, arrival.place.class_name.as_deref()).await?;
        for custodian in &arrival.custodians {
            let person = run.person(custodian).await?;
            run.make_custodian(data, &child_id, &person).await?;
        }
        let detail = format!("ElevNr {} at {}", arrival.pupil.number, describe(&arrival.place));
        run.audit("sync.arrived", child_id.as_str(), &detail).await?;
    }
    Ok(())
}

async fn moves(run: &mut Run<'_>, plan: &Plan, data: &ExistingData) -> Result<(), SyncError> {
    for m in &plan.moves {
        let known_birth = data.children.iter().find(|c| c.id == m.child_id).and_then(|c| c.birth_date.clone());
        let child = new_child(&m.child_id, &m.pupil, &m.to, m.pupil.birth_date.clone().or(known_birth));
        run.tx.update_child(&m.child_id, &child).await?;
        run.tx.set_child_class(&m.child_id, m.to.class_name.as_deref()).await?;
        if m.returns {
            run.tx.set_child_left(&m.child_id, None).await?;
        }
        let back = if m.returns { " (back)" } else { "" };
        let detail = format!("{} → {}{back}", describe(&m.from), describe(&m.to));
        run.audit("sync.moved", m.child_id.as_str(), &detail).await?;
    }
    Ok(())
}

async fn custodians(run: &mut Run<'_>, plan: &Plan, data: &ExistingData) -> Result<(), SyncError> {
    for change in &plan.custodian_changes {
        for custodian in &change.added {
            let person = run.person(custodian).await?;
            run.make_custodian(data, &change.child_id, &person).await?;
            let detail = format!("custodian {} ({})", custodian.name(), person);
            run.audit("sync.custodian_added", change.child_id.as_str(), &detail).await?;
        }
        for (person, name) in &change.removed {
            run.tx.remove_relation(&change.child_id, person).await?;
            let detail = format!("custodian {name} ({person})");
            run.audit("sync.custodian_removed", change.child_id.as_str(), &detail).await?;
        }
    }
    Ok(())
}
