//! Withdrawals on their way out: asked for, reserved, then paid or rejected.

use saldo_core::ids::{ChildId, EntryId, PersonId, WalletId, WithdrawalId};
use saldo_core::lifecycle::WithdrawalStatus;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::settle::Waiting;
use crate::{micros, state_from, Result, Store, StoreError, Tx};
use saldo_core::payout::PayoutMethod;

const WITHDRAWAL: Waiting = Waiting { table: "withdrawal", status: "status", moved_at: "decided_at" };

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithdrawalRow {
    pub id: WithdrawalId,
    pub child_id: ChildId,
    pub child_name: String,
    pub wallet_id: WalletId,
    pub person_id: PersonId,
    pub person_name: String,
    pub amount: Money,
    pub method: PayoutMethod,
    pub bank_account: Option<String>,
    pub status: WithdrawalStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

pub(crate) const SELECT: &str = "SELECT w.id, w.child_id, c.first_name || ' ' || c.last_name AS child_name, w.wallet_id, w.person_id,
        p.first_name || ' ' || p.last_name AS person_name, w.amount_ore, w.method, w.reg_no, w.account_no, w.status, w.created_at, w.decided_at
     FROM withdrawal w JOIN child c ON c.id = w.child_id JOIN person p ON p.id = w.person_id";

pub(crate) fn withdrawal_from(r: &AnyRow) -> Result<WithdrawalRow> {
    let reg: Option<String> = r.try_get("reg_no")?;
    let account: Option<String> = r.try_get("account_no")?;
    Ok(WithdrawalRow {
        id: r.try_get("id")?,
        child_id: r.try_get("child_id")?,
        child_name: r.try_get("child_name")?,
        wallet_id: r.try_get("wallet_id")?,
        person_id: r.try_get("person_id")?,
        person_name: r.try_get("person_name")?,
        amount: Money::from_ore(r.try_get("amount_ore")?),
        method: {
            let text: String = r.try_get("method")?;
            PayoutMethod::parse(&text).ok_or_else(|| StoreError::Corrupt(format!("payout method {text:?}")))?
        },
        bank_account: reg.zip(account).map(|(r, a)| format!("{r} {a}")),
        status: state_from(r, "status")?,
        created_at: r.try_get("created_at")?,
        decided_at: r.try_get("decided_at")?,
    })
}

pub struct NewWithdrawal<'a> {
    pub id: &'a WithdrawalId,
    pub child_id: &'a ChildId,
    pub wallet_id: &'a WalletId,
    pub person_id: &'a PersonId,
    pub amount: Money,
    pub bank: Option<(&'a str, &'a str)>,
    pub reserve_entry_id: &'a EntryId,
    pub at: jiff::Timestamp,
}

impl Tx {
    pub async fn create_withdrawal(&mut self, w: &NewWithdrawal<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO withdrawal (id, child_id, wallet_id, person_id, amount_ore, method, reg_no, account_no, status,
                                     reserve_entry_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9, $10)",
        )
        .bind(w.id)
        .bind(w.child_id)
        .bind(w.wallet_id)
        .bind(w.person_id)
        .bind(w.amount.ore())
        .bind(if w.bank.is_some() { PayoutMethod::Bank } else { PayoutMethod::Card }.as_str())
        .bind(w.bank.map(|(reg, _)| reg))
        .bind(w.bank.map(|(_, account)| account))
        .bind(w.reserve_entry_id)
        .bind(micros(w.at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn withdrawal(&mut self, id: &WithdrawalId) -> Result<Option<WithdrawalRow>> {
        let sql = format!("{SELECT} WHERE w.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.conn()).await?;
        row.as_ref().map(withdrawal_from).transpose()
    }

    /// Decides a requested withdrawal once.
    pub async fn decide_withdrawal(
        &mut self,
        id: &WithdrawalId,
        to: WithdrawalStatus,
        entry_id: Option<&EntryId>,
        by: &str,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let also = [("settle_entry_id", entry_id.map(EntryId::as_str)), ("decided_by", Some(by))];
        self.settle_once(&WITHDRAWAL, id.as_str(), &[WithdrawalStatus::Requested], to, &also, at).await
    }
}

impl Store {
    pub async fn withdrawals_with_status(&self, status: WithdrawalStatus, limit: i64) -> Result<Vec<WithdrawalRow>> {
        let sql = format!("{SELECT} WHERE w.status = $1 ORDER BY w.created_at LIMIT $2");
        let rows = sqlx::query(&sql).bind(status.as_str()).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(withdrawal_from).collect()
    }

    /// Bank payouts approved in `[from, to)` (microseconds), oldest first,
    /// whether handed to finance before or not: a period's file again.
    pub async fn paid_bank_withdrawals(&self, from: i64, to: i64) -> Result<Vec<WithdrawalRow>> {
        let sql = format!(
            "{SELECT} WHERE w.status = 'paid' AND w.method = 'bank' AND w.decided_at >= $1 AND w.decided_at < $2
             ORDER BY w.decided_at, w.id"
        );
        let rows = sqlx::query(&sql).bind(from).bind(to).fetch_all(self.pool()).await?;
        rows.iter().map(withdrawal_from).collect()
    }

    /// The entries that reserved the child's payouts still awaiting the operator's approval.
    pub async fn awaiting_withdrawal_entries(&self, child_id: &ChildId) -> Result<Vec<EntryId>> {
        let rows = sqlx::query("SELECT reserve_entry_id FROM withdrawal WHERE child_id = $1 AND status = 'requested'")
            .bind(child_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("reserve_entry_id")?)).collect()
    }

    pub async fn withdrawals_of_child(&self, child_id: &ChildId) -> Result<Vec<WithdrawalRow>> {
        let sql = format!("{SELECT} WHERE w.child_id = $1 ORDER BY w.created_at DESC");
        let rows = sqlx::query(&sql).bind(child_id).fetch_all(self.pool()).await?;
        rows.iter().map(withdrawal_from).collect()
    }
}

impl Tx {
    /// What the person has asked to have paid to their card for the child and is not decided yet.
    pub async fn pending_card_payouts(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<Vec<Money>> {
        let rows = sqlx::query(
            "SELECT amount_ore FROM withdrawal
             WHERE child_id = $1 AND person_id = $2 AND method = 'card' AND status = 'requested'",
        )
        .bind(child_id)
        .bind(person_id)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(|r| Ok(Money::from_ore(r.try_get("amount_ore")?))).collect()
    }

    /// What the person has had paid to a bank account from the child's account.
    pub async fn bank_payouts_paid(&mut self, child_id: &ChildId, person_id: &PersonId) -> Result<Vec<Money>> {
        let rows = sqlx::query(
            "SELECT amount_ore FROM withdrawal
             WHERE child_id = $1 AND person_id = $2 AND method = 'bank' AND status = 'paid'",
        )
        .bind(child_id)
        .bind(person_id)
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(|r| Ok(Money::from_ore(r.try_get("amount_ore")?))).collect()
    }

    /// The approved bank payouts not yet handed to finance, oldest first,
    /// now marked as handed over: each transfer is in exactly one new file.
    pub async fn take_unexported_bank_withdrawals(&mut self, at: jiff::Timestamp) -> Result<Vec<WithdrawalRow>> {
        let sql = format!(
            "{SELECT} WHERE w.status = 'paid' AND w.method = 'bank' AND w.exported_at IS NULL
             ORDER BY w.decided_at, w.id"
        );
        let rows = sqlx::query(&sql).fetch_all(self.conn()).await?;
        let taken = rows.iter().map(withdrawal_from).collect::<Result<Vec<_>>>()?;
        for w in &taken {
            sqlx::query("UPDATE withdrawal SET exported_at = $1 WHERE id = $2 AND exported_at IS NULL")
                .bind(crate::micros(at))
                .bind(&w.id)
                .execute(self.conn())
                .await?;
        }
        Ok(taken)
    }

    /// The entry that reserved a withdrawal's amount (a rejection reverses it).
    pub async fn withdrawal_reserve_entry(&mut self, id: &WithdrawalId) -> Result<Option<EntryId>> {
        let row = sqlx::query("SELECT reserve_entry_id FROM withdrawal WHERE id = $1")
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        Ok(row.map(|r| r.try_get("reserve_entry_id")).transpose()?)
    }
}
