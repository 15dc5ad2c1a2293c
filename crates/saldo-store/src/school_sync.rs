//! What the school-year sync reads and writes beyond the import's own
//! queries: each child's class and whether they have left, relations
//! removed, and the uploaded export files.

use saldo_core::ids::{ChildId, PersonId};
use sqlx::Row;

use crate::{micros, new_id, Result, Store, StoreError, Tx};

/// Where a child is beyond school and club: the class, and when they left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub child_id: ChildId,
    pub class_name: Option<String>,
    pub left_at: Option<i64>,
}

/// An uploaded export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncFile {
    pub id: String,
    pub name: String,
    pub content: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
    pub applied_at: Option<i64>,
}

/// An uploaded export is at most this large (a municipality's pupils, with room).
pub const MAX_SYNC_FILE_BYTES: usize = 8 * 1024 * 1024;

impl Tx {
    /// Every child not erased: class and leaving day.
    pub async fn placements(&mut self) -> Result<Vec<Placement>> {
        let rows = sqlx::query("SELECT id, class_name, left_at FROM child WHERE erased_at IS NULL")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Placement {
                    child_id: r.try_get("id")?,
                    class_name: r.try_get("class_name")?,
                    left_at: r.try_get("left_at")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Marks a child as having left (or, with `None`, as back).
    pub async fn set_child_left(&mut self, child_id: &ChildId, left_at: Option<jiff::Timestamp>) -> Result<()> {
        sqlx::query("UPDATE child SET left_at = $1 WHERE id = $2")
            .bind(left_at.map(micros))
            .bind(child_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Ends a person's relation to a child (custody moved elsewhere).
    pub async fn remove_relation(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM relation WHERE child_id = $1 AND person_id = $2")
            .bind(child_id)
            .bind(person_id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn save_sync_file(&mut self, name: &str, content: &str, by: &str, at: jiff::Timestamp) -> Result<String> {
        let id = new_id("sync");
        sqlx::query(
            "INSERT INTO school_sync_file (id, name, content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(name)
        .bind(content)
        .bind(by)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// Gives an institution its number in the school administration (InstitutionsNr).
    pub async fn set_institution_number(
        &mut self,
        institution_id: &saldo_core::ids::InstitutionId,
        number: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE institution SET legacy_no = $1 WHERE id = $2")
            .bind(number)
            .bind(institution_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Empties the files uploaded before `before`: they name pupils and
    /// parents, and once the month's sync is done the audit log keeps what changed.
    pub async fn forget_sync_files(&mut self, before: jiff::Timestamp) -> Result<u64> {
        let done = sqlx::query("UPDATE school_sync_file SET content = '' WHERE uploaded_at < $1 AND content <> ''")
            .bind(micros(before))
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn mark_sync_file_applied(&mut self, id: &str, at: jiff::Timestamp) -> Result<()> {
        sqlx::query("UPDATE school_sync_file SET applied_at = $1 WHERE id = $2")
            .bind(micros(at))
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}

impl Store {
    pub async fn sync_file(&self, id: &str) -> Result<Option<SyncFile>> {
        let row = sqlx::query(
            "SELECT id, name, content, uploaded_by, uploaded_at, applied_at FROM school_sync_file WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(SyncFile {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            content: r.try_get("content")?,
            uploaded_by: r.try_get("uploaded_by")?,
            uploaded_at: r.try_get("uploaded_at")?,
            applied_at: r.try_get("applied_at")?,
        }))
    }
}
