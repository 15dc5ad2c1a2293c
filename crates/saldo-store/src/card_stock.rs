//! Blank cards: batches from the printer, the offices' stock, reserving a card
//! for a child, activation and the attempts its limits are counted from.

use saldo_core::ids::{CardId, ChildId, InstitutionId, PersonId};
use saldo_core::CardState;
use sqlx::Row;

use crate::{micros, new_id, InstitutionKind, Result, Store, StoreError, Tx};

/// A card as activation needs it: where it is, whose, and its code's hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockCard {
    pub id: CardId,
    pub number: String,
    pub state: CardState,
    pub child_id: Option<ChildId>,
    pub institution_id: Option<InstitutionId>,
    pub activation_code_hash: Option<String>,
}

/// A blank card to register: its printed number, chip, and its code's hash.
#[derive(Clone, Debug)]
pub struct BlankCard<'a> {
    pub number: &'a str,
    pub chip_uid: Option<&'a str>,
    pub activation_code_hash: &'a str,
}

/// An institution, for the operator's lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstitutionRow {
    pub id: InstitutionId,
    pub name: String,
    pub kind: InstitutionKind,
    /// Blank cards in its office's stock.
    pub in_stock: i64,
}

impl Tx {
    pub async fn create_card_batch(&mut self, created_by: &str, size: i64, at: jiff::Timestamp) -> Result<String> {
        let id = new_id("bat");
        sqlx::query("INSERT INTO card_batch (id, created_by, size, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(created_by)
            .bind(size)
            .bind(micros(at))
            .execute(self.conn())
            .await?;
        Ok(id)
    }

    /// Registers a blank card of a batch, in the central stock (`office` none) or an office's.
    pub async fn register_blank_card(
        &mut self,
        card: &BlankCard<'_>,
        batch_id: &str,
        office: Option<&InstitutionId>,
        at: jiff::Timestamp,
    ) -> Result<CardId> {
        let id = CardId::new(new_id("card"));
        sqlx::query(
            "INSERT INTO card (id, number, chip_uid, state, institution_id, activation_code_hash, batch_id, issued_at, updated_at)
             VALUES ($1, $2, $3, 'in_stock', $4, $5, $6, $7, $7)",
        )
        .bind(&id)
        .bind(card.number)
        .bind(card.chip_uid)
        .bind(office)
        .bind(card.activation_code_hash)
        .bind(batch_id)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// Gives up to `count` cards of the central stock to an office; answers how many moved.
    pub async fn allocate_cards(&mut self, office: &InstitutionId, count: i64, at: jiff::Timestamp) -> Result<i64> {
        let done = sqlx::query(
            "UPDATE card SET institution_id = $1, updated_at = $2 WHERE id IN (
                 SELECT id FROM card WHERE state = 'in_stock' AND institution_id IS NULL AND child_id IS NULL
                 ORDER BY id LIMIT $3)",
        )
        .bind(office)
        .bind(micros(at))
        .bind(count.clamp(0, 10_000))
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() as i64)
    }

    pub async fn stock_card_by_number(&mut self, number: &str) -> Result<Option<StockCard>> {
        let row = sqlx::query(
            "SELECT id, number, state, child_id, institution_id, activation_code_hash FROM card WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(stock_card_from).transpose()
    }

    /// Reserves a blank card of an office's stock for a child (hand-out).
    pub async fn reserve_card(
        &mut self,
        card_id: &CardId,
        office: &InstitutionId,
        child_id: &ChildId,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE card SET state = 'handed_out', child_id = $1, updated_at = $2
             WHERE id = $3 AND state = 'in_stock' AND institution_id = $4 AND child_id IS NULL",
        )
        .bind(child_id)
        .bind(micros(at))
        .bind(card_id)
        .bind(office)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Links a card to a child's wallet and makes it the active one, only if
    /// it is still in `from` and not someone else's.
    pub async fn activate_card(
        &mut self,
        card_id: &CardId,
        from: CardState,
        child_id: &ChildId,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE card SET state = 'active', child_id = $1, updated_at = $2
             WHERE id = $3 AND state = $4 AND (child_id IS NULL OR child_id = $1)",
        )
        .bind(child_id)
        .bind(micros(at))
        .bind(card_id)
        .bind(from.as_str())
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The child's active card, if any.
    pub async fn active_card_of(&mut self, child_id: &ChildId) -> Result<Option<crate::CardRow>> {
        let row = sqlx::query(
            "SELECT id, number, chip_uid, child_id, state FROM card WHERE child_id = $1 AND state = 'active'",
        )
        .bind(child_id)
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(crate::cards::card_from).transpose()
    }

    pub async fn record_activation_attempt(
        &mut self,
        person_id: &PersonId,
        card_number: &str,
        ok: bool,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query("INSERT INTO activation_attempt (person_id, card_number, at, ok) VALUES ($1, $2, $3, $4)")
            .bind(person_id)
            .bind(card_number)
            .bind(micros(at))
            .bind(i64::from(ok))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Takes row locks on the person and the card (if it exists) until the
    /// transaction ends, so concurrent attempts are counted one after the
    /// other on PostgreSQL too (SQLite has one writer anyway).
    pub async fn lock_for_activation(&mut self, person_id: &PersonId, card_number: &str) -> Result<()> {
        sqlx::query("UPDATE person SET lang = lang WHERE id = $1").bind(person_id).execute(self.conn()).await?;
        sqlx::query("UPDATE card SET updated_at = updated_at WHERE number = $1")
            .bind(card_number)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Failed attempts since `since`: by this person, and on this card number.
    pub async fn failed_activations(
        &mut self,
        person_id: &PersonId,
        card_number: &str,
        since: jiff::Timestamp,
    ) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT
                (SELECT COUNT(*) FROM activation_attempt WHERE person_id = $1 AND at >= $3 AND ok = 0) AS by_person,
                (SELECT COUNT(*) FROM activation_attempt WHERE card_number = $2 AND at >= $3 AND ok = 0) AS by_card",
        )
        .bind(person_id)
        .bind(card_number)
        .bind(micros(since))
        .fetch_one(self.conn())
        .await?;
        Ok((row.try_get("by_person")?, row.try_get("by_card")?))
    }
}

fn stock_card_from(r: &sqlx::any::AnyRow) -> Result<StockCard> {
    let state: String = r.try_get("state")?;
    Ok(StockCard {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        state: state.parse().map_err(|_| StoreError::Corrupt(format!("card state {state:?}")))?,
        child_id: r.try_get("child_id")?,
        institution_id: r.try_get("institution_id")?,
        activation_code_hash: r.try_get("activation_code_hash")?,
    })
}

impl Store {
    pub async fn stock_card_by_number(&self, number: &str) -> Result<Option<StockCard>> {
        let row = sqlx::query(
            "SELECT id, number, state, child_id, institution_id, activation_code_hash FROM card WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(stock_card_from).transpose()
    }

    /// Blank cards in an office's stock (`None`: the central stock).
    pub async fn stock_count(&self, office: Option<&InstitutionId>) -> Result<i64> {
        let row = match office {
            Some(office) => {
                sqlx::query("SELECT COUNT(*) AS n FROM card WHERE state = 'in_stock' AND institution_id = $1")
                    .bind(office)
                    .fetch_one(self.pool())
                    .await?
            }
            None => {
                sqlx::query("SELECT COUNT(*) AS n FROM card WHERE state = 'in_stock' AND institution_id IS NULL")
                    .fetch_one(self.pool())
                    .await?
            }
        };
        Ok(row.try_get("n")?)
    }

    /// Every institution with its office's stock.
    pub async fn institutions(&self) -> Result<Vec<InstitutionRow>> {
        let rows = sqlx::query(
            "SELECT i.id, i.name, i.kind,
                    (SELECT COUNT(*) FROM card c WHERE c.institution_id = i.id AND c.state = 'in_stock') AS in_stock
             FROM institution i ORDER BY i.name, i.id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InstitutionRow {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    kind: {
                        let text: String = r.try_get("kind")?;
                        InstitutionKind::parse(&text)
                            .ok_or_else(|| StoreError::Corrupt(format!("institution kind {text:?}")))?
                    },
                    in_stock: r.try_get("in_stock")?,
                })
            })
            .collect()
    }
}
