//! Children in the registers: add one (with an empty account), correct or
//! move them (another school, class or club), mark them as left or back,
//! and link or unlink their custodians. Money is never touched: leaving
//! keeps the account and its balance.

use saldo_core::ids::{ChildId, InstitutionId, PersonId, WalletId};
use saldo_core::Email;
use saldo_store::{new_id, ChildEntry, NewWallet, RelationKind};

use super::{audited, name, operator, optional, Invalid, MasterError};
use crate::auth::Actor;
use crate::App;

/// A child as the operator types them in.
#[derive(Clone, Debug, Default)]
pub struct ChildForm {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`, or empty.
    pub birth_date: String,
    /// The pupil's number in the school administration (ElevNr), or empty.
    pub number: String,
    pub school: String,
    pub class_name: String,
    /// A club, or empty.
    pub club: String,
}

/// A child with their custodians and relatives: (person, name, e-mail, kind).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildPage {
    pub child: ChildEntry,
    pub relations: Vec<(PersonId, String, Option<String>, String)>,
}

pub async fn find_children(
    app: &App,
    actor: &Actor,
    text: &str,
    school: Option<&InstitutionId>,
) -> Result<Vec<ChildEntry>, MasterError> {
    operator(actor)?;
    Ok(app.store.children_in_register(text, school).await?)
}

pub async fn child(app: &App, actor: &Actor, id: &ChildId) -> Result<ChildPage, MasterError> {
    operator(actor)?;
    let child = app.store.child_entry(id).await?.ok_or(MasterError::NotFound)?;
    Ok(ChildPage { child, relations: app.store.relations_of(id).await? })
}

/// The form, checked: names, a real date, a school that is one, a club that is one.
async fn checked(app: &App, id: &ChildId, form: &ChildForm) -> Result<ChildEntry, MasterError> {
    let birth_date = match form.birth_date.trim() {
        "" => None,
        text => Some(text.parse::<jiff::civil::Date>().map_err(|_| Invalid::Date)?.to_string()),
    };
    let institutions = app.store.institution_entries().await?;
    let find = |id: &str, kinds: &[&str]| {
        institutions.iter().find(|i| i.id.as_str() == id.trim() && kinds.contains(&i.kind.as_str())).cloned()
    };
    let school = find(&form.school, &["school", "youth_school", "club"]).ok_or(Invalid::Place)?;
    let club = match form.club.trim() {
        "" => None,
        club => Some(find(club, &["club"]).ok_or(Invalid::Place)?),
    };
    Ok(ChildEntry {
        id: id.clone(),
        first_name: name(&form.first_name)?,
        last_name: name(&form.last_name)?,
        birth_date,
        number: optional(&form.number)?,
        school_id: Some(school.id.clone()),
        school: Some(school.name),
        class_name: optional(&form.class_name)?,
        club_id: club.as_ref().map(|c| c.id.clone()),
        club: club.map(|c| c.name),
        left_at: None,
    })
}

fn place(c: &ChildEntry) -> String {
    format!(
        "{} {} ({}, {}, {})",
        c.first_name,
        c.last_name,
        c.school.as_deref().unwrap_or("-"),
        c.class_name.as_deref().unwrap_or("-"),
        c.club.as_deref().unwrap_or("-")
    )
}

/// A new child at a school, with an empty, open account.
pub async fn add_child(app: &App, actor: &Actor, form: &ChildForm) -> Result<ChildId, MasterError> {
    operator(actor)?;
    let id = ChildId::new(new_id("chi"));
    let entry = checked(app, &id, form).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if let Some(number) = &entry.number {
        if tx.child_number_taken(number, &id).await? {
            return Err(Invalid::NumberTaken.into());
        }
    }
    let made = tx.create_child(&entry.first_name, &entry.last_name, entry.school_id.as_ref(), None, now).await?;
    let entry = ChildEntry { id: made.clone(), ..entry };
    tx.update_child_entry(&entry).await?;
    let wallet = NewWallet { id: WalletId::new(new_id("wal")), child_id: made.clone(), daily_limit: None };
    tx.insert_wallets(&[wallet], now).await?;
    audited(app, actor, &mut tx, "master.child_added", made.as_str(), &place(&entry)).await?;
    tx.commit().await?;
    Ok(made)
}

/// Corrects a child's details or moves them to another school, class or club.
pub async fn edit_child(app: &App, actor: &Actor, id: &ChildId, form: &ChildForm) -> Result<(), MasterError> {
    operator(actor)?;
    let before = app.store.child_entry(id).await?.ok_or(MasterError::NotFound)?;
    let entry = ChildEntry { left_at: before.left_at, ..checked(app, id, form).await? };
    let mut tx = app.store.begin().await?;
    if let Some(number) = &entry.number {
        if tx.child_number_taken(number, id).await? {
            return Err(Invalid::NumberTaken.into());
        }
    }
    tx.update_child_entry(&entry).await?;
    let moved =
        before.school_id != entry.school_id || before.class_name != entry.class_name || before.club_id != entry.club_id;
    let action = if moved { "master.child_moved" } else { "master.child_changed" };
    audited(app, actor, &mut tx, action, id.as_str(), &format!("{} → {}", place(&before), place(&entry))).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a child as having left (or as back). The account stays as it is.
pub async fn set_left(app: &App, actor: &Actor, id: &ChildId, left: bool) -> Result<(), MasterError> {
    operator(actor)?;
    let before = app.store.child_entry(id).await?.ok_or(MasterError::NotFound)?;
    if before.left_at.is_some() == left {
        return Ok(());
    }
    let mut tx = app.store.begin().await?;
    tx.set_child_left(id, left.then(|| app.now())).await?;
    let action = if left { "master.child_left" } else { "master.child_back" };
    audited(app, actor, &mut tx, action, id.as_str(), &place(&before)).await?;
    tx.commit().await?;
    Ok(())
}

/// Links a custodian by e-mail (someone new is made with the name given).
pub async fn add_custodian(
    app: &App,
    actor: &Actor,
    child: &ChildId,
    email: &str,
    first_name: &str,
    last_name: &str,
) -> Result<PersonId, MasterError> {
    operator(actor)?;
    let email: Email = email.parse().map_err(|_| Invalid::Email)?;
    let page = self::child(app, actor, child).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let person = match tx.person_id_by_email(email.as_str()).await? {
        Some(person) => person,
        None => {
            let (first, last) = (name(first_name)?, name(last_name)?);
            let person = tx.create_person(&first, &last, Some(email.as_str()), now).await?;
            audited(app, actor, &mut tx, "master.person_added", person.as_str(), &format!("{first} {last}")).await?;
            person
        }
    };
    match page.relations.iter().find(|(p, ..)| *p == person) {
        Some((_, _, _, kind)) if kind == "custodian" => return Ok(person),
        Some(_) => tx.set_relation_kind(child, &person, RelationKind::Custodian).await?,
        None => tx.relate(child, &person, RelationKind::Custodian, now).await?,
    }
    audited(app, actor, &mut tx, "master.custodian_added", child.as_str(), &format!("{person} <{email}>")).await?;
    tx.commit().await?;
    Ok(person)
}

pub async fn remove_custodian(app: &App, actor: &Actor, child: &ChildId, person: &PersonId) -> Result<(), MasterError> {
    operator(actor)?;
    let page = self::child(app, actor, child).await?;
    let Some((_, name, ..)) = page.relations.iter().find(|(p, _, _, kind)| p == person && kind == "custodian") else {
        return Err(MasterError::NotFound);
    };
    let mut tx = app.store.begin().await?;
    tx.remove_relation(child, person).await?;
    audited(app, actor, &mut tx, "master.custodian_removed", child.as_str(), &format!("{name} ({person})")).await?;
    tx.commit().await?;
    Ok(())
}
