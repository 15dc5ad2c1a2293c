//! Deposits (indbetalinger) on their way through a payment provider, and the
//! sandbox provider's own record of what it decided.

use saldo_core::ids::{ChildId, DepositId, EntryId, PersonId, WalletId};
use saldo_core::lifecycle::DepositStatus;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::settle::Waiting;
use crate::{micros, state_from, Result, Store, Tx};

const DEPOSIT: Waiting = Waiting { table: "deposit", status: "status", moved_at: "decided_at" };

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepositRow {
    pub id: DepositId,
    pub wallet_id: WalletId,
    pub child_id: ChildId,
    pub person_id: PersonId,
    pub amount: Money,
    pub fee: Money,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub status: DepositStatus,
    pub entry_id: Option<EntryId>,
    pub created_at: i64,
    /// A child's part of a payment for several children: the deposit whose payment paid it.
    pub paid_with: Option<DepositId>,
}

pub(crate) const DEPOSIT_COLUMNS: &str =
    "id, wallet_id, child_id, person_id, amount_ore, fee_ore, provider, provider_ref, status,
     entry_id, created_at, paid_with";

pub(crate) fn deposit_from(r: &AnyRow) -> Result<DepositRow> {
    Ok(DepositRow {
        id: r.try_get("id")?,
        wallet_id: r.try_get("wallet_id")?,
        child_id: r.try_get("child_id")?,
        person_id: r.try_get("person_id")?,
        amount: Money::from_ore(r.try_get("amount_ore")?),
        fee: Money::from_ore(r.try_get("fee_ore")?),
        provider: r.try_get("provider")?,
        provider_ref: r.try_get("provider_ref")?,
        status: state_from(r, "status")?,
        entry_id: r.try_get("entry_id")?,
        created_at: r.try_get("created_at")?,
        paid_with: r.try_get("paid_with")?,
    })
}

pub struct NewDeposit<'a> {
    pub id: &'a DepositId,
    pub wallet_id: &'a WalletId,
    pub child_id: &'a ChildId,
    pub person_id: &'a PersonId,
    pub amount: Money,
    pub fee: Money,
    pub provider: &'a str,
    pub at: jiff::Timestamp,
    /// For a child's part of a payment for several children: the deposit that pays.
    pub paid_with: Option<&'a DepositId>,
}

impl Tx {
    pub async fn create_deposit(&mut self, d: &NewDeposit<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO deposit (id, wallet_id, child_id, person_id, amount_ore, fee_ore, provider, status, created_at,
                                  paid_with)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)",
        )
        .bind(d.id)
        .bind(d.wallet_id)
        .bind(d.child_id)
        .bind(d.person_id)
        .bind(d.amount.ore())
        .bind(d.fee.ore())
        .bind(d.provider)
        .bind(micros(d.at))
        .bind(d.paid_with)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The other children's parts a deposit's payment pays for (none for a deposit alone).
    pub async fn deposit_parts(&mut self, paid_with: &DepositId) -> Result<Vec<DepositRow>> {
        let sql = format!("SELECT {DEPOSIT_COLUMNS} FROM deposit WHERE paid_with = $1 ORDER BY created_at, id");
        let rows = sqlx::query(&sql).bind(paid_with).fetch_all(self.conn()).await?;
        rows.iter().map(deposit_from).collect()
    }

    pub async fn set_deposit_provider_ref(&mut self, id: &DepositId, provider_ref: &str) -> Result<()> {
        sqlx::query("UPDATE deposit SET provider_ref = $1 WHERE id = $2 AND provider_ref IS NULL")
            .bind(provider_ref)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn deposit(&mut self, id: &DepositId) -> Result<Option<DepositRow>> {
        let sql = format!("SELECT {DEPOSIT_COLUMNS} FROM deposit WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.conn()).await?;
        row.as_ref().map(deposit_from).transpose()
    }

    /// Settles a pending deposit, once: a second settlement finds it no longer pending.
    pub async fn settle_deposit(
        &mut self,
        id: &DepositId,
        to: DepositStatus,
        entry_id: Option<&EntryId>,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        self.settle_once(
            &DEPOSIT,
            id.as_str(),
            &[DepositStatus::Pending],
            to,
            &[("entry_id", entry_id.map(EntryId::as_str))],
            at,
        )
        .await
    }

    /// The sandbox provider records its decision; the first one stands.
    /// Answers the decision that stands, and whether it is this one.
    pub async fn record_sandbox_decision(
        &mut self,
        provider_ref: &str,
        reference: &str,
        amount_ore: i64,
        status: &str,
        at: jiff::Timestamp,
    ) -> Result<(String, bool)> {
        let inserted = sqlx::query(
            "INSERT INTO sandbox_payment (provider_ref, reference, amount_ore, status, decided_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider_ref) DO NOTHING",
        )
        .bind(provider_ref)
        .bind(reference)
        .bind(amount_ore)
        .bind(status)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        let row = sqlx::query("SELECT status FROM sandbox_payment WHERE provider_ref = $1")
            .bind(provider_ref)
            .fetch_one(self.conn())
            .await?;
        Ok((row.try_get("status")?, inserted.rows_affected() == 1))
    }
}

impl Store {
    pub async fn deposit(&self, id: &DepositId) -> Result<Option<DepositRow>> {
        let sql = format!("SELECT {DEPOSIT_COLUMNS} FROM deposit WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(deposit_from).transpose()
    }

    /// [`Tx::deposit_parts`] outside a transaction (the receipt page).
    pub async fn deposit_parts(&self, paid_with: &DepositId) -> Result<Vec<DepositRow>> {
        let sql = format!("SELECT {DEPOSIT_COLUMNS} FROM deposit WHERE paid_with = $1 ORDER BY created_at, id");
        let rows = sqlx::query(&sql).bind(paid_with).fetch_all(self.pool()).await?;
        rows.iter().map(deposit_from).collect()
    }
}
