//! The till's own records: pairing codes, staff PINs, unlocked tills, the
//! parents' controls a till reads, voids and line refunds, and the day's sales.

use saldo_core::ids::{ChildId, EntryId, PersonId, ProductId, SalesPointId, TillId, WalletId};
use saldo_core::Money;
use sqlx::Row;

use crate::{micros, Result, Store, Tx};

/// A staff member's PIN hash at a sales point, with whether they manage it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffPin {
    pub person_id: PersonId,
    pub first_name: String,
    pub manager: bool,
    pub pin_hash: String,
}

/// A till unlocked by a staff member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnlockRow {
    pub till_id: TillId,
    pub person_id: PersonId,
    pub expires_at: i64,
}

/// A sale as a void or a refund needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleRow {
    pub id: EntryId,
    pub till_id: TillId,
    pub sales_point_id: SalesPointId,
    pub wallet_id: WalletId,
    pub total: Money,
    pub refunded: Money,
    pub voided: bool,
    pub spend_day: String,
    pub created_at: i64,
}

/// A line of a sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleLine {
    pub seq: i64,
    pub product_id: ProductId,
    pub name: String,
    pub unit_price: Money,
    pub quantity: i64,
    pub refunded_quantity: i64,
}

/// One sale of a day, for the day report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySale {
    pub id: EntryId,
    pub created_at: i64,
    pub total: Money,
    pub refunded: Money,
    pub voided: bool,
}

/// One line of a day's sales, for the day report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayLine {
    pub purchase_id: EntryId,
    pub name: String,
    pub quantity: i64,
    pub refunded_quantity: i64,
    pub amount: Money,
    pub unit_price: Money,
}

/// A recent sale as the till lists it for a refund: who, and what is left to give back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentSale {
    pub id: EntryId,
    pub created_at: i64,
    pub first_name: String,
    pub total: Money,
    pub voided: bool,
    pub lines: Vec<SaleLine>,
}

/// A day is at most this many sales at one sales point; more is a broken till.
pub const MAX_DAY_SALES: i64 = 20_000;

const SALE_COLUMNS: &str =
    "id, till_id, sales_point_id, wallet_id, total_ore, refunded_ore, voided_entry_id, spend_day, created_at";

fn sale_from(r: &sqlx::any::AnyRow) -> Result<SaleRow> {
    Ok(SaleRow {
        id: r.try_get("id")?,
        till_id: r.try_get("till_id")?,
        sales_point_id: r.try_get("sales_point_id")?,
        wallet_id: r.try_get("wallet_id")?,
        total: Money::from_ore(r.try_get("total_ore")?),
        refunded: Money::from_ore(r.try_get("refunded_ore")?),
        voided: r.try_get::<Option<String>, _>("voided_entry_id")?.is_some(),
        spend_day: r.try_get("spend_day")?,
        created_at: r.try_get("created_at")?,
    })
}

fn sale_line_from(r: &sqlx::any::AnyRow) -> Result<SaleLine> {
    Ok(SaleLine {
        seq: r.try_get("seq")?,
        product_id: r.try_get("product_id")?,
        name: r.try_get("name")?,
        unit_price: Money::from_ore(r.try_get("unit_price_ore")?),
        quantity: r.try_get("quantity")?,
        refunded_quantity: r.try_get("refunded_quantity")?,
    })
}

impl Tx {
    /// Keeps a one-time pairing code's hash for a new till.
    pub async fn create_pairing(
        &mut self,
        code_hash: &str,
        sales_point_id: &SalesPointId,
        till_name: &str,
        created_by: &str,
        at: jiff::Timestamp,
        expires: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO till_pairing (code_hash, sales_point_id, till_name, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(code_hash)
        .bind(sales_point_id)
        .bind(till_name)
        .bind(created_by)
        .bind(micros(at))
        .bind(micros(expires))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Uses a pairing code once: its sales point and till name, if it is unused and alive.
    pub async fn use_pairing(
        &mut self,
        code_hash: &str,
        at: jiff::Timestamp,
    ) -> Result<Option<(SalesPointId, String)>> {
        let row = sqlx::query(
            "UPDATE till_pairing SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING sales_point_id, till_name",
        )
        .bind(micros(at))
        .bind(code_hash)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| Ok((r.try_get("sales_point_id")?, r.try_get("till_name")?))).transpose()
    }

    pub async fn note_paired_till(&mut self, code_hash: &str, till_id: &TillId) -> Result<()> {
        sqlx::query("UPDATE till_pairing SET till_id = $1 WHERE code_hash = $2")
            .bind(till_id)
            .bind(code_hash)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Sets a staff member's PIN at a sales point (replacing an old one).
    pub async fn set_staff_pin(
        &mut self,
        person_id: &PersonId,
        sales_point_id: &SalesPointId,
        pin_hash: &str,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO staff_pin (person_id, sales_point_id, pin_hash, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (person_id, sales_point_id) DO UPDATE SET pin_hash = $3, updated_at = $4",
        )
        .bind(person_id)
        .bind(sales_point_id)
        .bind(pin_hash)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn create_unlock(
        &mut self,
        token_hash: &str,
        till_id: &TillId,
        person_id: &PersonId,
        at: jiff::Timestamp,
        expires: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO till_unlock (token_hash, till_id, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(till_id)
        .bind(person_id)
        .bind(micros(at))
        .bind(micros(expires))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn delete_unlock(&mut self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM till_unlock WHERE token_hash = $1").bind(token_hash).execute(self.conn()).await?;
        Ok(())
    }

    /// The categories a custodian has blocked for a child.
    pub async fn blocked_categories(&mut self, child_id: &ChildId) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT category FROM child_category_block WHERE child_id = $1")
            .bind(child_id)
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("category")?)).collect()
    }

    /// Replaces a child's blocked categories and note for the till.
    pub async fn set_till_controls(
        &mut self,
        child_id: &ChildId,
        blocked: &[String],
        note: &str,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM child_category_block WHERE child_id = $1").bind(child_id).execute(self.conn()).await?;
        for category in blocked {
            sqlx::query("INSERT INTO child_category_block (child_id, category, created_at) VALUES ($1, $2, $3)")
                .bind(child_id)
                .bind(category)
                .bind(micros(at))
                .execute(self.conn())
                .await?;
        }
        sqlx::query("UPDATE child SET till_note = $1 WHERE id = $2")
            .bind(note)
            .bind(child_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn sale(&mut self, purchase_id: &EntryId) -> Result<Option<SaleRow>> {
        let sql = format!("SELECT {SALE_COLUMNS} FROM purchase WHERE id = $1");
        let row = sqlx::query(&sql).bind(purchase_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(sale_from).transpose()
    }

    /// The newest sale of a till.
    pub async fn last_sale_of_till(&mut self, till_id: &TillId) -> Result<Option<SaleRow>> {
        let sql =
            format!("SELECT {SALE_COLUMNS} FROM purchase WHERE till_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1");
        let row = sqlx::query(&sql).bind(till_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(sale_from).transpose()
    }

    /// Claims a whole sale for a void: only if nothing of it was refunded or
    /// voided yet. Counts it as refunded in full, so no refund can follow.
    pub async fn claim_void(&mut self, purchase_id: &EntryId) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE purchase SET refunded_ore = total_ore
             WHERE id = $1 AND refunded_ore = 0 AND voided_entry_id IS NULL",
        )
        .bind(purchase_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn note_void(&mut self, purchase_id: &EntryId, reversal_id: &EntryId) -> Result<()> {
        sqlx::query("UPDATE purchase SET voided_entry_id = $1 WHERE id = $2")
            .bind(reversal_id)
            .bind(purchase_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn sale_lines(&mut self, purchase_id: &EntryId) -> Result<Vec<SaleLine>> {
        let rows = sqlx::query(
            "SELECT seq, product_id, name, unit_price_ore, quantity, refunded_quantity FROM purchase_line
             WHERE purchase_id = $1 ORDER BY seq",
        )
        .bind(purchase_id)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(sale_line_from).collect()
    }

    /// Counts `quantity` of a line as refunded, only if that many are left.
    pub async fn claim_line_refund(&mut self, purchase_id: &EntryId, seq: i64, quantity: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE purchase_line SET refunded_quantity = refunded_quantity + $1
             WHERE purchase_id = $2 AND seq = $3 AND refunded_quantity + $1 <= quantity",
        )
        .bind(quantity)
        .bind(purchase_id)
        .bind(seq)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    /// The PINs of the staff of a sales point (till staff and managers).
    pub async fn staff_pins(&self, sales_point_id: &SalesPointId) -> Result<Vec<StaffPin>> {
        let rows = sqlx::query(
            "SELECT p.person_id, pe.first_name, p.pin_hash,
                    (SELECT COUNT(*) FROM staff_role r WHERE r.person_id = p.person_id AND r.role = 'till_manager'
                       AND r.scope_id = p.sales_point_id) AS managers
             FROM staff_pin p JOIN person pe ON pe.id = p.person_id
             WHERE p.sales_point_id = $1
               AND EXISTS (SELECT 1 FROM staff_role r WHERE r.person_id = p.person_id
                           AND r.role IN ('till_staff', 'till_manager') AND r.scope_id = p.sales_point_id)",
        )
        .bind(sales_point_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StaffPin {
                    person_id: r.try_get("person_id")?,
                    first_name: r.try_get("first_name")?,
                    manager: r.try_get::<i64, _>("managers")? > 0,
                    pin_hash: r.try_get("pin_hash")?,
                })
            })
            .collect()
    }

    pub async fn unlock(&self, token_hash: &str) -> Result<Option<UnlockRow>> {
        let row = sqlx::query("SELECT till_id, person_id, expires_at FROM till_unlock WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| {
            Ok(UnlockRow {
                till_id: r.try_get("till_id")?,
                person_id: r.try_get("person_id")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// The categories the operator lets custodians block: (category, label).
    pub async fn blockable_categories(&self) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT category, label FROM blockable_category ORDER BY label").fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((r.try_get("category")?, r.try_get("label")?))).collect()
    }

    /// A child's blocked categories and note for the till.
    pub async fn till_controls(&self, child_id: &ChildId) -> Result<(Vec<String>, String)> {
        let rows = sqlx::query("SELECT category FROM child_category_block WHERE child_id = $1 ORDER BY category")
            .bind(child_id)
            .fetch_all(self.pool())
            .await?;
        let blocked = rows.iter().map(|r| r.try_get("category")).collect::<std::result::Result<Vec<String>, _>>()?;
        let note = sqlx::query("SELECT till_note FROM child WHERE id = $1")
            .bind(child_id)
            .fetch_optional(self.pool())
            .await?
            .map(|r| r.try_get::<String, _>("till_note"))
            .transpose()?
            .unwrap_or_default();
        Ok((blocked, note))
    }

    /// The newest sales of a sales point since an instant (microseconds), newest first, with their lines.
    pub async fn recent_sales(&self, sales_point_id: &SalesPointId, since: i64, limit: i64) -> Result<Vec<RecentSale>> {
        let rows = sqlx::query(
            "SELECT p.id, p.created_at, p.total_ore, p.voided_entry_id, ch.first_name
             FROM purchase p JOIN wallet w ON w.id = p.wallet_id JOIN child ch ON ch.id = w.child_id
             WHERE p.sales_point_id = $1 AND p.created_at >= $2
             ORDER BY p.created_at DESC, p.id DESC LIMIT $3",
        )
        .bind(sales_point_id)
        .bind(since)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut sales = rows
            .iter()
            .map(|r| {
                Ok(RecentSale {
                    id: r.try_get("id")?,
                    created_at: r.try_get("created_at")?,
                    first_name: r.try_get("first_name")?,
                    total: Money::from_ore(r.try_get("total_ore")?),
                    voided: r.try_get::<Option<String>, _>("voided_entry_id")?.is_some(),
                    lines: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let Some(oldest) = sales.last().map(|s| s.created_at) else { return Ok(sales) };
        let lines = sqlx::query(
            "SELECT l.purchase_id, l.seq, l.product_id, l.name, l.unit_price_ore, l.quantity, l.refunded_quantity
             FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id
             WHERE p.sales_point_id = $1 AND p.created_at >= $2 ORDER BY l.purchase_id, l.seq",
        )
        .bind(sales_point_id)
        .bind(oldest)
        .fetch_all(self.pool())
        .await?;
        for r in &lines {
            let purchase_id: String = r.try_get("purchase_id")?;
            if let Some(sale) = sales.iter_mut().find(|s| s.id == purchase_id) {
                sale.lines.push(sale_line_from(r)?);
            }
        }
        Ok(sales)
    }

    /// The sales of a sales point between two instants (microseconds), oldest first.
    pub async fn day_sales(&self, sales_point_id: &SalesPointId, from: i64, to: i64) -> Result<Vec<DaySale>> {
        let rows = sqlx::query(
            "SELECT id, created_at, total_ore, refunded_ore, voided_entry_id FROM purchase
             WHERE sales_point_id = $1 AND created_at >= $2 AND created_at < $3
             ORDER BY created_at LIMIT $4",
        )
        .bind(sales_point_id)
        .bind(from)
        .bind(to)
        .bind(MAX_DAY_SALES)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DaySale {
                    id: r.try_get("id")?,
                    created_at: r.try_get("created_at")?,
                    total: Money::from_ore(r.try_get("total_ore")?),
                    refunded: Money::from_ore(r.try_get("refunded_ore")?),
                    voided: r.try_get::<Option<String>, _>("voided_entry_id")?.is_some(),
                })
            })
            .collect()
    }

    /// The lines of those sales.
    pub async fn day_lines(&self, sales_point_id: &SalesPointId, from: i64, to: i64) -> Result<Vec<DayLine>> {
        let rows = sqlx::query(
            "SELECT l.purchase_id, l.name, l.quantity, l.refunded_quantity, l.amount_ore, l.unit_price_ore
             FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id
             WHERE p.sales_point_id = $1 AND p.created_at >= $2 AND p.created_at < $3
             ORDER BY p.created_at, l.seq LIMIT $4",
        )
        .bind(sales_point_id)
        .bind(from)
        .bind(to)
        .bind(MAX_DAY_SALES * 10)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DayLine {
                    purchase_id: r.try_get("purchase_id")?,
                    name: r.try_get("name")?,
                    quantity: r.try_get("quantity")?,
                    refunded_quantity: r.try_get("refunded_quantity")?,
                    amount: Money::from_ore(r.try_get("amount_ore")?),
                    unit_price: Money::from_ore(r.try_get("unit_price_ore")?),
                })
            })
            .collect()
    }

    /// A sales point's name and its institution's, if it exists.
    pub async fn sales_point(&self, sales_point_id: &SalesPointId) -> Result<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT s.name, i.name AS institution FROM sales_point s JOIN institution i ON i.id = s.institution_id
             WHERE s.id = $1",
        )
        .bind(sales_point_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((r.try_get("name")?, r.try_get("institution")?))).transpose()
    }
}
