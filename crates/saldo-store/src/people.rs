//! People and children: custodians, relatives, staff, and who belongs to whom.

use saldo_core::ids::{ChildId, InstitutionId, PersonId};
use saldo_core::rights::Grant;
use sqlx::Row;

use crate::{micros, new_id, Result, Store, StoreError, Tx};

pub use saldo_core::rights::RelationKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffRole {
    Office,
    TillStaff,
    TillManager,
    Operator,
    Support,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Office => "office",
            StaffRole::TillStaff => "till_staff",
            StaffRole::TillManager => "till_manager",
            StaffRole::Operator => "operator",
            StaffRole::Support => "support",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub lang: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildRow {
    pub id: ChildId,
    pub first_name: String,
    pub last_name: String,
    pub school_id: Option<InstitutionId>,
    pub club_id: Option<InstitutionId>,
}

impl ChildRow {
    /// The institutions whose staff may act for this child.
    pub fn institutions(&self) -> Vec<InstitutionId> {
        self.school_id.iter().chain(self.club_id.iter()).cloned().collect()
    }
}

pub(crate) fn person_from(r: &sqlx::any::AnyRow) -> Result<PersonRow> {
    Ok(PersonRow {
        id: r.try_get("id")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        email: r.try_get("email")?,
        lang: r.try_get("lang")?,
    })
}

fn child_from(r: &sqlx::any::AnyRow) -> Result<ChildRow> {
    Ok(ChildRow {
        id: r.try_get("id")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        school_id: r.try_get("school_id")?,
        club_id: r.try_get("club_id")?,
    })
}

impl Tx {
    pub async fn create_person(
        &mut self,
        first_name: &str,
        last_name: &str,
        email: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<PersonId> {
        let id = PersonId::new(new_id("per"));
        sqlx::query("INSERT INTO person (id, first_name, last_name, email, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(first_name)
            .bind(last_name)
            .bind(email.map(str::to_lowercase))
            .bind(micros(at))
            .execute(self.conn())
            .await?;
        Ok(id)
    }

    /// Puts the child in a class (`3.A`), or in none.
    pub async fn set_child_class(&mut self, child_id: &ChildId, class_name: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE child SET class_name = $1 WHERE id = $2")
            .bind(class_name)
            .bind(child_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn create_child(
        &mut self,
        first_name: &str,
        last_name: &str,
        school_id: Option<&InstitutionId>,
        club_id: Option<&InstitutionId>,
        at: jiff::Timestamp,
    ) -> Result<ChildId> {
        let id = ChildId::new(new_id("chi"));
        sqlx::query(
            "INSERT INTO child (id, first_name, last_name, school_id, club_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(first_name)
        .bind(last_name)
        .bind(school_id)
        .bind(club_id)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    pub async fn relate(
        &mut self,
        child_id: &ChildId,
        person_id: &PersonId,
        kind: RelationKind,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query("INSERT INTO relation (child_id, person_id, kind, created_at) VALUES ($1, $2, $3, $4)")
            .bind(child_id)
            .bind(person_id)
            .bind(kind.as_str())
            .bind(micros(at))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn grant_staff_role(&mut self, person_id: &PersonId, role: StaffRole, scope_id: &str) -> Result<()> {
        sqlx::query("INSERT INTO staff_role (person_id, role, scope_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(person_id)
            .bind(role.as_str())
            .bind(scope_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn child(&mut self, child_id: &ChildId) -> Result<Option<ChildRow>> {
        let row = sqlx::query("SELECT id, first_name, last_name, school_id, club_id FROM child WHERE id = $1")
            .bind(child_id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(child_from).transpose()
    }
}

impl Store {
    /// Everything a person holds that gives them rights: their children (as
    /// custodian or relative) and their staff hats. Read fresh on every
    /// request, so a removed relative loses access at once.
    pub async fn grants_of(&self, person_id: &PersonId) -> Result<Vec<Grant>> {
        let mut grants = Vec::new();
        let relations = sqlx::query("SELECT child_id, kind FROM relation WHERE person_id = $1")
            .bind(person_id)
            .fetch_all(self.pool())
            .await?;
        for r in relations {
            let child: ChildId = r.try_get("child_id")?;
            let kind: String = r.try_get("kind")?;
            grants.push(match kind.as_str() {
                "custodian" => Grant::CustodianOf { child },
                _ => Grant::RelativeOf { child },
            });
        }
        let roles = sqlx::query("SELECT role, scope_id FROM staff_role WHERE person_id = $1")
            .bind(person_id)
            .fetch_all(self.pool())
            .await?;
        for r in roles {
            let role: String = r.try_get("role")?;
            let scope: String = r.try_get("scope_id")?;
            grants.push(match role.as_str() {
                "office" => Grant::Office { institution: scope.into() },
                "till_staff" => Grant::TillStaff { sales_point: scope.into(), manager: false },
                "till_manager" => Grant::TillStaff { sales_point: scope.into(), manager: true },
                "operator" => Grant::OperatorAdmin,
                "support" => Grant::Support,
                other => return Err(StoreError::Corrupt(format!("staff role {other:?}"))),
            });
        }
        Ok(grants)
    }

    pub async fn person_by_email(&self, email: &str) -> Result<Option<PersonRow>> {
        let row = sqlx::query("SELECT id, first_name, last_name, email, lang FROM person WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(person_from).transpose()
    }
}

/// What brings a person into the system, for listings (the demo's login page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PersonRole {
    Custodian,
    Relative,
    Office,
    /// Sells at a till; a manager of the sales point too.
    TillStaff,
    Operator,
    Support,
}

impl PersonRole {
    pub const ALL: [PersonRole; 6] = [
        PersonRole::Custodian,
        PersonRole::Relative,
        PersonRole::Office,
        PersonRole::TillStaff,
        PersonRole::Operator,
        PersonRole::Support,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Custodian => "custodian",
            PersonRole::Relative => "relative",
            PersonRole::Office => "office",
            PersonRole::TillStaff => "till_staff",
            PersonRole::Operator => "operator",
            PersonRole::Support => "support",
        }
    }

    fn parse(text: &str) -> Option<PersonRole> {
        match text {
            "custodian" => Some(PersonRole::Custodian),
            "relative" => Some(PersonRole::Relative),
            "office" => Some(PersonRole::Office),
            "till_staff" | "till_manager" => Some(PersonRole::TillStaff),
            "operator" => Some(PersonRole::Operator),
            "support" => Some(PersonRole::Support),
            _ => None,
        }
    }
}

/// A person and the role that brings them into the system, for listings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonWithRole {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub role: PersonRole,
}

impl Store {
    /// Everyone with an e-mail and what they are: custodian, relative, or a staff role.
    pub async fn people_with_roles(&self) -> Result<Vec<PersonWithRole>> {
        let rows = sqlx::query(
            "SELECT p.id, p.first_name, p.last_name, p.email, r.role, p.created_at FROM person p JOIN (
                 SELECT person_id, MIN(kind) AS role FROM relation GROUP BY person_id
                 UNION ALL
                 SELECT person_id, role FROM staff_role
             ) r ON r.person_id = p.id
             WHERE p.email IS NOT NULL ORDER BY p.created_at, p.id, r.role",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let first: String = r.try_get("first_name")?;
                let last: String = r.try_get("last_name")?;
                let role: String = r.try_get("role")?;
                Ok(PersonWithRole {
                    id: r.try_get("id")?,
                    name: format!("{first} {last}"),
                    email: r.try_get("email")?,
                    role: PersonRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
                })
            })
            .collect()
    }
}

impl Store {
    pub async fn person(&self, person_id: &PersonId) -> Result<Option<PersonRow>> {
        let row = sqlx::query("SELECT id, first_name, last_name, email, lang FROM person WHERE id = $1")
            .bind(person_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(person_from).transpose()
    }

    /// A child's own record, whoever asks (rights are checked by the caller).
    pub async fn child(&self, child_id: &ChildId) -> Result<Option<ChildRow>> {
        let row = sqlx::query("SELECT id, first_name, last_name, school_id, club_id FROM child WHERE id = $1")
            .bind(child_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(child_from).transpose()
    }
}

impl Tx {
    pub async fn set_person_lang(&mut self, person_id: &PersonId, lang: &str) -> Result<()> {
        sqlx::query("UPDATE person SET lang = $1 WHERE id = $2")
            .bind(lang)
            .bind(person_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
