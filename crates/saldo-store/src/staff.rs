//! Staff: password hashes for the office's and the operator's login, and the
//! office's look-up of its own children.

use saldo_core::ids::{ChildId, InstitutionId, PersonId};
use sqlx::Row;

use crate::{micros, Result, Store, Tx};

/// A child as the office's search shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficeChild {
    pub id: ChildId,
    pub first_name: String,
    pub last_name: String,
    /// The school's name (or the club's, for a child in no municipal school).
    pub school: String,
    /// `YYYY-MM-DD`, when the old system knew it: tells two children of one name apart.
    pub birth_date: Option<String>,
    /// The class (`3.A`), when the school administration's data has it.
    pub class_name: Option<String>,
}

impl Tx {
    pub async fn set_staff_password(&mut self, person_id: &PersonId, hash: &str, at: jiff::Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO staff_password (person_id, hash, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (person_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at",
        )
        .bind(person_id)
        .bind(hash)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    /// The person with this e-mail and their password hash, if they have one.
    pub async fn staff_password(&self, email: &str) -> Result<Option<(PersonId, String)>> {
        let row = sqlx::query(
            "SELECT p.id, s.hash FROM person p JOIN staff_password s ON s.person_id = p.id WHERE p.email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((r.try_get("id")?, r.try_get("hash")?))).transpose()
    }

    /// An institution's children whose name contains `name`, or who hold the
    /// card with this exact number; at most 50.
    pub async fn office_children(
        &self,
        institution: &InstitutionId,
        name: &str,
        card_number: Option<&str>,
    ) -> Result<Vec<OfficeChild>> {
        let rows =
            match card_number {
                Some(number) => sqlx::query(
                    "SELECT ch.id, ch.first_name, ch.last_name, ch.birth_date, ch.class_name, COALESCE(s.name, k.name, '') AS school
                     FROM child ch JOIN card c ON c.child_id = ch.id
                     LEFT JOIN institution s ON s.id = ch.school_id LEFT JOIN institution k ON k.id = ch.club_id
                     WHERE (ch.school_id = $1 OR ch.club_id = $1) AND c.number = $2
                     ORDER BY ch.first_name, ch.last_name, ch.id LIMIT 50",
                )
                .bind(institution)
                .bind(number)
                .fetch_all(self.pool())
                .await?,
                None => {
                    let pattern = format!("%{}%", name.trim().to_lowercase().replace(['%', '_'], ""));
                    sqlx::query(
                    "SELECT ch.id, ch.first_name, ch.last_name, ch.birth_date, ch.class_name, COALESCE(s.name, k.name, '') AS school
                     FROM child ch
                     LEFT JOIN institution s ON s.id = ch.school_id LEFT JOIN institution k ON k.id = ch.club_id
                     WHERE (ch.school_id = $1 OR ch.club_id = $1)
                       AND LOWER(ch.first_name || ' ' || ch.last_name) LIKE $2
                     ORDER BY ch.first_name, ch.last_name, ch.id LIMIT 50",
                )
                .bind(institution)
                .bind(pattern)
                .fetch_all(self.pool())
                .await?
                }
            };
        rows.iter()
            .map(|r| {
                Ok(OfficeChild {
                    id: r.try_get("id")?,
                    first_name: r.try_get("first_name")?,
                    last_name: r.try_get("last_name")?,
                    school: r.try_get("school")?,
                    birth_date: r.try_get("birth_date")?,
                    class_name: r.try_get("class_name")?,
                })
            })
            .collect()
    }

    /// The e-mails of an institution's office staff.
    pub async fn office_staff_emails(&self, institution: &InstitutionId) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT p.email FROM staff_role s JOIN person p ON p.id = s.person_id
             WHERE s.role = 'office' AND s.scope_id = $1 AND p.email IS NOT NULL ORDER BY p.created_at, p.id",
        )
        .bind(institution)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("email")?)).collect()
    }
}
