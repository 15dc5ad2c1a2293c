//! The registers the operator keeps (issue 19.2): institutions with their
//! numbers, sales points and their tills, staff roles, children and their
//! custodians. Who is who and where; never money.

use saldo_core::ids::{ChildId, InstitutionId, PersonId, SalesPointId, TillId};
use sqlx::Row;

use crate::{Result, Store, StoreError, Tx};

/// An institution as the registers show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstitutionEntry {
    pub id: InstitutionId,
    pub name: String,
    pub kind: String,
    /// Its number in the school administration (InstitutionsNr).
    pub number: Option<String>,
    /// Who works at its office (hands out cards), by name.
    pub office_staff: Vec<String>,
}

/// A sales point and its tills (active or not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesPointEntry {
    pub id: SalesPointId,
    pub name: String,
    pub institution_id: InstitutionId,
    pub institution: String,
    /// (till, name, active)
    pub tills: Vec<(TillId, String, bool)>,
}

/// A staff member's role with its scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffEntry {
    pub person_id: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub role: String,
    /// The institution or sales point the role is for ('' for operator and support).
    pub scope_id: String,
    pub scope: String,
}

/// A child as the registers show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildEntry {
    pub id: ChildId,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<String>,
    /// The pupil's number in the school administration (ElevNr).
    pub number: Option<String>,
    pub school_id: Option<InstitutionId>,
    pub school: Option<String>,
    pub class_name: Option<String>,
    pub club_id: Option<InstitutionId>,
    pub club: Option<String>,
    pub left_at: Option<i64>,
}

/// Children shown per search at most.
pub const MAX_CHILDREN_LISTED: i64 = 200;

const CHILD_SELECT: &str = "SELECT c.id, c.first_name, c.last_name, c.birth_date, c.legacy_no, c.school_id,
        s.name AS school, c.class_name, c.club_id, k.name AS club, c.left_at
   FROM child c LEFT JOIN institution s ON s.id = c.school_id LEFT JOIN institution k ON k.id = c.club_id";

fn child_entry(r: &sqlx::any::AnyRow) -> std::result::Result<ChildEntry, sqlx::Error> {
    Ok(ChildEntry {
        id: r.try_get("id")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        birth_date: r.try_get("birth_date")?,
        number: r.try_get("legacy_no")?,
        school_id: r.try_get("school_id")?,
        school: r.try_get("school")?,
        class_name: r.try_get("class_name")?,
        club_id: r.try_get("club_id")?,
        club: r.try_get("club")?,
        left_at: r.try_get("left_at")?,
    })
}

impl Store {
    pub async fn institution_entries(&self) -> Result<Vec<InstitutionEntry>> {
        let rows = sqlx::query("SELECT id, name, kind, legacy_no FROM institution ORDER BY name, id")
            .fetch_all(self.pool())
            .await?;
        let staff = sqlx::query(
            "SELECT r.scope_id, p.first_name, p.last_name FROM staff_role r JOIN person p ON p.id = r.person_id
              WHERE r.role = 'office' ORDER BY p.first_name, p.last_name",
        )
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let mut office_staff = Vec::new();
            for s in &staff {
                if s.try_get::<String, _>("scope_id")? == id {
                    let (first, last): (String, String) = (s.try_get("first_name")?, s.try_get("last_name")?);
                    office_staff.push(format!("{first} {last}"));
                }
            }
            out.push(InstitutionEntry {
                id: InstitutionId::new(id),
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
                number: r.try_get("legacy_no")?,
                office_staff,
            });
        }
        Ok(out)
    }

    pub async fn sales_point_entries(&self) -> Result<Vec<SalesPointEntry>> {
        let rows = sqlx::query(
            "SELECT s.id, s.name, s.institution_id, i.name AS institution FROM sales_point s
               JOIN institution i ON i.id = s.institution_id ORDER BY i.name, s.name, s.id",
        )
        .fetch_all(self.pool())
        .await?;
        let tills = sqlx::query("SELECT id, sales_point_id, name, active FROM till ORDER BY name, id")
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let mut own = Vec::new();
            for t in &tills {
                if t.try_get::<String, _>("sales_point_id")? == id {
                    own.push((t.try_get("id")?, t.try_get("name")?, t.try_get::<i64, _>("active")? != 0));
                }
            }
            out.push(SalesPointEntry {
                id: SalesPointId::new(id),
                name: r.try_get("name")?,
                institution_id: r.try_get("institution_id")?,
                institution: r.try_get("institution")?,
                tills: own,
            });
        }
        Ok(out)
    }

    /// Every staff role, with the name of what it is for.
    pub async fn staff_entries(&self) -> Result<Vec<StaffEntry>> {
        let rows = sqlx::query(
            "SELECT r.person_id, p.first_name, p.last_name, p.email, r.role, r.scope_id,
                    COALESCE(i.name, s.name, '') AS scope
               FROM staff_role r JOIN person p ON p.id = r.person_id
               LEFT JOIN institution i ON i.id = r.scope_id
               LEFT JOIN sales_point s ON s.id = r.scope_id
              ORDER BY p.first_name, p.last_name, r.role, r.scope_id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let (first, last): (String, String) = (r.try_get("first_name")?, r.try_get("last_name")?);
                Ok(StaffEntry {
                    person_id: r.try_get("person_id")?,
                    name: format!("{first} {last}"),
                    email: r.try_get("email")?,
                    role: r.try_get("role")?,
                    scope_id: r.try_get("scope_id")?,
                    scope: r.try_get("scope")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Children whose name or number contains `text` (any case), at `school` if given.
    pub async fn children_in_register(&self, text: &str, school: Option<&InstitutionId>) -> Result<Vec<ChildEntry>> {
        let pattern = format!("%{}%", text.trim().to_lowercase());
        let sql = format!(
            "{CHILD_SELECT}
              WHERE c.erased_at IS NULL
                AND (LOWER(c.first_name || ' ' || c.last_name) LIKE $1 OR LOWER(COALESCE(c.legacy_no, '')) LIKE $1)
                AND ($2 = '' OR c.school_id = $2 OR c.club_id = $2)
              ORDER BY c.last_name, c.first_name, c.id LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(pattern)
            .bind(school.map_or("", InstitutionId::as_str))
            .bind(MAX_CHILDREN_LISTED)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(child_entry).collect::<std::result::Result<_, sqlx::Error>>().map_err(StoreError::from)
    }

    pub async fn child_entry(&self, child_id: &ChildId) -> Result<Option<ChildEntry>> {
        let sql = format!("{CHILD_SELECT} WHERE c.id = $1 AND c.erased_at IS NULL");
        let row = sqlx::query(&sql).bind(child_id).fetch_optional(self.pool()).await?;
        Ok(row.as_ref().map(child_entry).transpose()?)
    }

    /// A child's custodians and relatives: (person, name, e-mail, kind).
    pub async fn relations_of(&self, child_id: &ChildId) -> Result<Vec<(PersonId, String, Option<String>, String)>> {
        let rows = sqlx::query(
            "SELECT p.id, p.first_name, p.last_name, p.email, r.kind FROM relation r JOIN person p ON p.id = r.person_id
              WHERE r.child_id = $1 ORDER BY r.kind, p.first_name, p.last_name",
        )
        .bind(child_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let (first, last): (String, String) = (r.try_get("first_name")?, r.try_get("last_name")?);
                Ok((r.try_get("id")?, format!("{first} {last}"), r.try_get("email")?, r.try_get("kind")?))
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

impl Tx {
    /// The municipality an institution belongs to.
    pub async fn municipality_of(&mut self, institution: &InstitutionId) -> Result<Option<String>> {
        let row = sqlx::query("SELECT municipality_id FROM institution WHERE id = $1")
            .bind(institution)
            .fetch_optional(self.conn())
            .await?;
        Ok(row.map(|r| r.try_get::<String, _>("municipality_id")).transpose()?)
    }

    pub async fn rename_sales_point(&mut self, id: &SalesPointId, name: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE sales_point SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Takes a till out of use (its token stops working) or back.
    pub async fn set_till_active(&mut self, id: &TillId, active: bool) -> Result<bool> {
        let done = sqlx::query("UPDATE till SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn revoke_staff_role(&mut self, person_id: &PersonId, role: &str, scope_id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM staff_role WHERE person_id = $1 AND role = $2 AND scope_id = $3")
            .bind(person_id)
            .bind(role)
            .bind(scope_id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A child's name, birth date, number and place in one go.
    pub async fn update_child_entry(&mut self, c: &ChildEntry) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE child SET first_name = $1, last_name = $2, birth_date = $3, legacy_no = $4, school_id = $5,
                    class_name = $6, club_id = $7
              WHERE id = $8 AND erased_at IS NULL",
        )
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(&c.birth_date)
        .bind(&c.number)
        .bind(&c.school_id)
        .bind(&c.class_name)
        .bind(&c.club_id)
        .bind(&c.id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether a pupil number is someone else's already.
    pub async fn child_number_taken(&mut self, number: &str, other_than: &ChildId) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM child WHERE legacy_no = $1 AND id <> $2")
            .bind(number)
            .bind(other_than)
            .fetch_one(self.conn())
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    pub async fn person_id_by_email(&mut self, email: &str) -> Result<Option<PersonId>> {
        let row = sqlx::query("SELECT id FROM person WHERE email = $1").bind(email).fetch_optional(self.conn()).await?;
        Ok(row.map(|r| r.try_get::<PersonId, _>("id")).transpose()?)
    }
}
