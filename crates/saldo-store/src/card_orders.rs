//! Replacement card orders (erstatningskort): ordered by a custodian, listed
//! at an office for hand-out, closed when the new card is activated.

use saldo_core::ids::{CardId, CardOrderId, ChildId, EntryId, InstitutionId};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::settle::Waiting;
use crate::{micros, new_id, state_from, Result, Store, Tx};

pub use saldo_core::lifecycle::OrderState;

const ORDER: Waiting = Waiting { table: "card_order", status: "state", moved_at: "updated_at" };

/// An order with the names a page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardOrderRow {
    pub id: CardOrderId,
    pub child_id: ChildId,
    pub child_name: String,
    pub office_id: InstitutionId,
    pub office_name: String,
    pub state: OrderState,
    /// The card handed out, if the office scanned one.
    pub card_number: Option<String>,
    /// A blank card at the office is set aside for it and the orderer was told.
    pub ready: bool,
    /// The replacement fee's journal entry, if a fee was taken.
    pub fee_entry_id: Option<EntryId>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ORDER_SELECT: &str = "SELECT o.id, o.child_id, ch.first_name, ch.last_name, o.office_id, i.name AS office_name,
        o.state, c.number AS card_number, o.ready_mailed_at, o.fee_entry_id, o.created_at, o.updated_at
     FROM card_order o JOIN child ch ON ch.id = o.child_id JOIN institution i ON i.id = o.office_id
     LEFT JOIN card c ON c.id = o.card_id";

fn order_from(r: &AnyRow) -> Result<CardOrderRow> {
    let first: String = r.try_get("first_name")?;
    let last: String = r.try_get("last_name")?;
    let ready_mailed_at: Option<i64> = r.try_get("ready_mailed_at")?;
    Ok(CardOrderRow {
        id: r.try_get("id")?,
        child_id: r.try_get("child_id")?,
        child_name: format!("{first} {last}"),
        office_id: r.try_get("office_id")?,
        office_name: r.try_get("office_name")?,
        state: state_from(r, "state")?,
        card_number: r.try_get("card_number")?,
        ready: ready_mailed_at.is_some(),
        fee_entry_id: r.try_get("fee_entry_id")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// What a new order records.
#[derive(Clone, Debug)]
pub struct NewCardOrder<'a> {
    pub child_id: &'a ChildId,
    pub old_card_id: Option<&'a CardId>,
    pub fee_entry_id: Option<&'a EntryId>,
    pub office_id: &'a InstitutionId,
    pub ordered_by: &'a str,
}

impl Tx {
    pub async fn create_card_order(&mut self, order: &NewCardOrder<'_>, at: jiff::Timestamp) -> Result<CardOrderId> {
        let id = CardOrderId::new(new_id("ord"));
        sqlx::query(
            "INSERT INTO card_order (id, child_id, old_card_id, fee_entry_id, office_id, state, ordered_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'ordered', $6, $7, $7)",
        )
        .bind(&id)
        .bind(order.child_id)
        .bind(order.old_card_id)
        .bind(order.fee_entry_id)
        .bind(order.office_id)
        .bind(order.ordered_by)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// The child's order that is not yet activated or cancelled, if any.
    pub async fn open_card_order(&mut self, child_id: &ChildId) -> Result<Option<CardOrderRow>> {
        let sql = format!("{ORDER_SELECT} WHERE o.child_id = $1 AND o.state IN ('ordered', 'handed_out')");
        let row = sqlx::query(&sql).bind(child_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(order_from).transpose()
    }

    pub async fn card_order(&mut self, order_id: &CardOrderId) -> Result<Option<CardOrderRow>> {
        let sql = format!("{ORDER_SELECT} WHERE o.id = $1");
        let row = sqlx::query(&sql).bind(order_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(order_from).transpose()
    }

    /// Moves an order on, only if it is still in `from`; sets the card when given.
    pub async fn set_card_order_state(
        &mut self,
        order_id: &CardOrderId,
        from: OrderState,
        to: OrderState,
        card_id: Option<&CardId>,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        self.settle_once(&ORDER, order_id.as_str(), &[from], to, &[("card_id", card_id.map(CardId::as_str))], at).await
    }
}

/// A waiting order that a card at its office can now be set aside for, with
/// whom to tell: the custodian who ordered it, or, when staff ordered it, every
/// custodian of the child (those with an address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadyOrder {
    pub id: CardOrderId,
    pub child_id: ChildId,
    pub child_first_name: String,
    pub office_name: String,
    pub tell: Vec<crate::PersonRow>,
}

impl Tx {
    /// The waiting orders at `office` that its stock can now serve, oldest
    /// first: as many as it holds blank cards not already set aside for an
    /// order told before. Locks the office until the transaction ends, so two
    /// transactions cannot set the same card aside twice.
    pub async fn orders_ready_at(&mut self, office: &InstitutionId) -> Result<Vec<ReadyOrder>> {
        sqlx::query("UPDATE institution SET name = name WHERE id = $1").bind(office).execute(self.conn()).await?;
        let free: i64 = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM card WHERE state = 'in_stock' AND institution_id = $1)
                  - (SELECT COUNT(*) FROM card_order
                     WHERE office_id = $1 AND state = 'ordered' AND ready_mailed_at IS NOT NULL) AS free",
        )
        .bind(office)
        .fetch_one(self.conn())
        .await?
        .try_get("free")?;
        if free <= 0 {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT o.id, o.child_id, o.ordered_by, ch.first_name AS child_first_name, i.name AS office_name
             FROM card_order o JOIN child ch ON ch.id = o.child_id JOIN institution i ON i.id = o.office_id
             WHERE o.office_id = $1 AND o.state = 'ordered' AND o.ready_mailed_at IS NULL
             ORDER BY o.created_at, o.id LIMIT $2",
        )
        .bind(office)
        .bind(free.min(500))
        .fetch_all(self.conn())
        .await?;
        let mut ready = Vec::with_capacity(rows.len());
        for r in &rows {
            let child_id: ChildId = r.try_get("child_id")?;
            let ordered_by: String = r.try_get("ordered_by")?;
            let custodians = sqlx::query(
                "SELECT p.id, p.first_name, p.last_name, p.email, p.lang FROM relation r JOIN person p ON p.id = r.person_id
                 WHERE r.child_id = $1 AND r.kind = 'custodian' AND p.email IS NOT NULL ORDER BY p.id",
            )
            .bind(&child_id)
            .fetch_all(self.conn())
            .await?
            .iter()
            .map(crate::people::person_from)
            .collect::<Result<Vec<_>>>()?;
            // Orders keep their orderer as the audit label `person:<id>`.
            let orderer = custodians.iter().find(|p| ordered_by == format!("person:{}", p.id)).cloned();
            ready.push(ReadyOrder {
                id: r.try_get("id")?,
                child_id,
                child_first_name: r.try_get("child_first_name")?,
                office_name: r.try_get("office_name")?,
                tell: orderer.map_or(custodians, |o| vec![o]),
            });
        }
        Ok(ready)
    }

    /// Marks a waiting order as told its card is ready (set aside from the
    /// office's stock); false when it is no longer waiting (cancelled meanwhile).
    pub async fn mark_order_ready(&mut self, order_id: &CardOrderId, at: jiff::Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE card_order SET ready_mailed_at = $1 WHERE id = $2 AND ready_mailed_at IS NULL AND state = 'ordered'",
        )
        .bind(micros(at))
        .bind(order_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    /// A child's orders, newest first.
    pub async fn card_orders_of_child(&self, child_id: &ChildId, limit: i64) -> Result<Vec<CardOrderRow>> {
        let sql = format!("{ORDER_SELECT} WHERE o.child_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT $2");
        let rows = sqlx::query(&sql).bind(child_id).bind(limit.clamp(1, 100)).fetch_all(self.pool()).await?;
        rows.iter().map(order_from).collect()
    }

    /// An office's hand-out list: every order waiting, and those handed out since `since`.
    pub async fn office_orders(&self, office_id: &InstitutionId, since: jiff::Timestamp) -> Result<Vec<CardOrderRow>> {
        let sql = format!(
            "{ORDER_SELECT} WHERE o.office_id = $1 AND (o.state = 'ordered' OR o.updated_at >= $2)
             ORDER BY o.created_at, o.id LIMIT 500"
        );
        let rows = sqlx::query(&sql).bind(office_id).bind(micros(since)).fetch_all(self.pool()).await?;
        rows.iter().map(order_from).collect()
    }

    pub async fn card_order(&self, order_id: &CardOrderId) -> Result<Option<CardOrderRow>> {
        let sql = format!("{ORDER_SELECT} WHERE o.id = $1");
        let row = sqlx::query(&sql).bind(order_id).fetch_optional(self.pool()).await?;
        row.as_ref().map(order_from).transpose()
    }
}
