//! Institutions, sales points, tills and staff roles in the registers.

use saldo_core::ids::{InstitutionId, PersonId, SalesPointId, TillId};
use saldo_core::Email;
use saldo_store::{InstitutionEntry, InstitutionKind, SalesPointEntry, StaffEntry, StaffRole};

use super::{audited, name, operator, optional, Invalid, MasterError};
use crate::auth::Actor;
use crate::App;

/// Everything the registers' overview shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registers {
    pub institutions: Vec<InstitutionEntry>,
    pub sales_points: Vec<SalesPointEntry>,
    pub staff: Vec<StaffEntry>,
}

pub async fn registers(app: &App, actor: &Actor) -> Result<Registers, MasterError> {
    operator(actor)?;
    Ok(Registers {
        institutions: app.store.institution_entries().await?,
        sales_points: app.store.sales_point_entries().await?,
        staff: app.store.staff_entries().await?,
    })
}

fn kind(text: &str) -> Result<InstitutionKind, Invalid> {
    InstitutionKind::parse(text.trim()).ok_or(Invalid::Kind)
}

/// An institution's number must be its own.
async fn number_free(app: &App, number: &Option<String>, own: Option<&InstitutionId>) -> Result<(), MasterError> {
    let Some(number) = number else { return Ok(()) };
    let taken = app
        .store
        .institution_entries()
        .await?
        .iter()
        .any(|i| i.number.as_deref() == Some(number.as_str()) && own.is_none_or(|own| own != &i.id));
    if taken {
        return Err(Invalid::NumberTaken.into());
    }
    Ok(())
}

pub async fn add_institution(
    app: &App,
    actor: &Actor,
    name_text: &str,
    kind_text: &str,
    number: &str,
) -> Result<InstitutionId, MasterError> {
    operator(actor)?;
    let (name, kind, number) = (name(name_text)?, kind(kind_text)?, optional(number)?);
    number_free(app, &number, None).await?;
    let municipality = app.store.institution_entries().await?;
    let mut tx = app.store.begin().await?;
    // One municipality per deployment: the new institution joins the one the others are in.
    let municipality = match municipality.first() {
        Some(first) => tx.municipality_of(&first.id).await?.ok_or(MasterError::NotFound)?,
        None => tx.create_municipality("Kommune").await?,
    };
    let id = tx.create_institution(&municipality, &name, kind).await?;
    tx.set_institution_number(&id, number.as_deref()).await?;
    let detail = format!("{name} ({}), number {}", kind.as_str(), number.as_deref().unwrap_or("-"));
    audited(app, actor, &mut tx, "master.institution_added", id.as_str(), &detail).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn edit_institution(
    app: &App,
    actor: &Actor,
    id: &InstitutionId,
    name_text: &str,
    kind_text: &str,
    number: &str,
) -> Result<(), MasterError> {
    operator(actor)?;
    let (name, kind, number) = (name(name_text)?, kind(kind_text)?, optional(number)?);
    let before =
        app.store.institution_entries().await?.into_iter().find(|i| i.id == *id).ok_or(MasterError::NotFound)?;
    number_free(app, &number, Some(id)).await?;
    let mut tx = app.store.begin().await?;
    tx.update_institution(id.as_str(), &name, kind).await?;
    tx.set_institution_number(id, number.as_deref()).await?;
    let detail = format!(
        "{} ({}, {}) → {name} ({}, {})",
        before.name,
        before.kind,
        before.number.as_deref().unwrap_or("-"),
        kind.as_str(),
        number.as_deref().unwrap_or("-")
    );
    audited(app, actor, &mut tx, "master.institution_changed", id.as_str(), &detail).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_sales_point(
    app: &App,
    actor: &Actor,
    institution: &InstitutionId,
    name_text: &str,
) -> Result<SalesPointId, MasterError> {
    operator(actor)?;
    let name = name(name_text)?;
    if !app.store.institution_entries().await?.iter().any(|i| i.id == *institution) {
        return Err(Invalid::Place.into());
    }
    let mut tx = app.store.begin().await?;
    let id = tx.create_sales_point(institution, &name).await?;
    audited(app, actor, &mut tx, "master.sales_point_added", id.as_str(), &format!("{name} at {institution}")).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename_sales_point(
    app: &App,
    actor: &Actor,
    id: &SalesPointId,
    name_text: &str,
) -> Result<(), MasterError> {
    operator(actor)?;
    let name = name(name_text)?;
    let mut tx = app.store.begin().await?;
    if !tx.rename_sales_point(id, &name).await? {
        return Err(MasterError::NotFound);
    }
    audited(app, actor, &mut tx, "master.sales_point_renamed", id.as_str(), &name).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a till out of use (a lost tablet: its token stops working at once) or back into use.
pub async fn set_till_active(app: &App, actor: &Actor, till: &TillId, active: bool) -> Result<(), MasterError> {
    operator(actor)?;
    let mut tx = app.store.begin().await?;
    if !tx.set_till_active(till, active).await? {
        return Err(MasterError::NotFound);
    }
    let action = if active { "master.till_activated" } else { "master.till_deactivated" };
    audited(app, actor, &mut tx, action, till.as_str(), "").await?;
    tx.commit().await?;
    Ok(())
}

/// A staff member by e-mail (made if new), the role, and where it holds.
#[derive(Clone, Debug, Default)]
pub struct StaffForm {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// office, till_staff, till_manager, operator or support.
    pub role: String,
    /// The institution (office) or sales point (till roles); empty for operator and support.
    pub scope: String,
}

fn role(text: &str) -> Result<StaffRole, Invalid> {
    match text {
        "office" => Ok(StaffRole::Office),
        "till_staff" => Ok(StaffRole::TillStaff),
        "till_manager" => Ok(StaffRole::TillManager),
        "operator" => Ok(StaffRole::Operator),
        "support" => Ok(StaffRole::Support),
        _ => Err(Invalid::Role),
    }
}

/// Gives a person a staff role; someone new by that e-mail is made first.
pub async fn grant_role(app: &App, actor: &Actor, form: &StaffForm) -> Result<PersonId, MasterError> {
    operator(actor)?;
    let email: Email = form.email.parse().map_err(|_| Invalid::Email)?;
    let role = role(form.role.trim())?;
    let scope = form.scope.trim();
    let scoped_ok = match role {
        StaffRole::Office => app.store.institution_entries().await?.iter().any(|i| i.id.as_str() == scope),
        StaffRole::TillStaff | StaffRole::TillManager => {
            app.store.sales_point_entries().await?.iter().any(|s| s.id.as_str() == scope)
        }
        StaffRole::Operator | StaffRole::Support => scope.is_empty(),
    };
    if !scoped_ok {
        return Err(Invalid::Place.into());
    }
    let mut tx = app.store.begin().await?;
    let person = match tx.person_id_by_email(email.as_str()).await? {
        Some(person) => person,
        None => {
            let (first, last) = (name(&form.first_name)?, name(&form.last_name)?);
            let person = tx.create_person(&first, &last, Some(email.as_str()), app.now()).await?;
            audited(app, actor, &mut tx, "master.person_added", person.as_str(), &format!("{first} {last}")).await?;
            person
        }
    };
    tx.grant_staff_role(&person, role, scope).await?;
    let detail = format!("{} {scope}", role.as_str());
    audited(app, actor, &mut tx, "master.role_granted", person.as_str(), &detail).await?;
    tx.commit().await?;
    Ok(person)
}

pub async fn revoke_role(
    app: &App,
    actor: &Actor,
    person: &PersonId,
    role_text: &str,
    scope: &str,
) -> Result<(), MasterError> {
    operator(actor)?;
    let role = role(role_text)?;
    let mut tx = app.store.begin().await?;
    if !tx.revoke_staff_role(person, role.as_str(), scope).await? {
        return Err(MasterError::NotFound);
    }
    audited(app, actor, &mut tx, "master.role_revoked", person.as_str(), &format!("{} {scope}", role.as_str())).await?;
    tx.commit().await?;
    Ok(())
}
