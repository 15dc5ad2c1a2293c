//! Wallets (betalingskortskonti): one per child, the cached balance and the day's spend.

use saldo_core::ids::{ChildId, WalletId};
use saldo_core::ledger::AccountId;
use saldo_core::purchase::WalletState;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{micros, new_id, Result, Store, Tx};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletRow {
    pub id: WalletId,
    pub child_id: ChildId,
    pub open: bool,
    pub balance: Money,
    pub daily_limit: Option<Money>,
    pub spent_day: String,
    pub spent_today_stored: Money,
}

impl WalletRow {
    /// The wallet as the purchase rule sees it on `day`: yesterday's spend counts for nothing.
    pub fn state_on(&self, day: &str) -> WalletState {
        WalletState {
            open: self.open,
            balance: self.balance,
            spent_today: self.spent_on(day),
            daily_limit: self.daily_limit,
        }
    }

    pub fn spent_on(&self, day: &str) -> Money {
        if self.spent_day == day {
            self.spent_today_stored
        } else {
            Money::ZERO
        }
    }
}

const WALLET_COLUMNS: &str = "id, child_id, status, balance_ore, daily_limit_ore, spent_day, spent_today_ore";

fn wallet_from(row: &AnyRow) -> Result<WalletRow> {
    Ok(WalletRow {
        id: row.try_get("id")?,
        child_id: row.try_get("child_id")?,
        open: row.try_get::<String, _>("status")? == "open",
        balance: Money::from_ore(row.try_get("balance_ore")?),
        daily_limit: row.try_get::<Option<i64>, _>("daily_limit_ore")?.map(Money::from_ore),
        spent_day: row.try_get("spent_day")?,
        spent_today_stored: Money::from_ore(row.try_get("spent_today_ore")?),
    })
}

impl Tx {
    /// Opens a wallet for a child with a zero balance (money arrives by entries).
    pub async fn create_wallet(
        &mut self,
        child_id: &ChildId,
        daily_limit: Option<Money>,
        at: jiff::Timestamp,
    ) -> Result<WalletId> {
        let id = WalletId::new(new_id("wal"));
        self.ensure_account(&AccountId::Wallet(id.clone())).await?;
        sqlx::query("INSERT INTO wallet (id, child_id, daily_limit_ore, updated_at) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(child_id)
            .bind(daily_limit.map(Money::ore))
            .bind(micros(at))
            .execute(self.conn())
            .await?;
        Ok(id)
    }

    pub async fn wallet(&mut self, wallet_id: &WalletId) -> Result<Option<WalletRow>> {
        let sql = format!("SELECT {WALLET_COLUMNS} FROM wallet WHERE id = $1");
        let row = sqlx::query(&sql).bind(wallet_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(wallet_from).transpose()
    }

    pub async fn wallet_of_child(&mut self, child_id: &ChildId) -> Result<Option<WalletRow>> {
        let sql = format!("SELECT {WALLET_COLUMNS} FROM wallet WHERE child_id = $1");
        let row = sqlx::query(&sql).bind(child_id).fetch_optional(self.conn()).await?;
        row.as_ref().map(wallet_from).transpose()
    }

    /// Sets or removes the daily limit; the next purchase sees it.
    pub async fn set_daily_limit(
        &mut self,
        wallet_id: &WalletId,
        limit: Option<Money>,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query("UPDATE wallet SET daily_limit_ore = $1, updated_at = $2 WHERE id = $3")
            .bind(limit.map(Money::ore))
            .bind(micros(at))
            .bind(wallet_id)
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    pub async fn wallet_of_child(&self, child_id: &ChildId) -> Result<Option<WalletRow>> {
        let sql = format!("SELECT {WALLET_COLUMNS} FROM wallet WHERE child_id = $1");
        let row = sqlx::query(&sql).bind(child_id).fetch_optional(self.pool()).await?;
        row.as_ref().map(wallet_from).transpose()
    }

    pub async fn wallet(&self, wallet_id: &WalletId) -> Result<Option<WalletRow>> {
        let sql = format!("SELECT {WALLET_COLUMNS} FROM wallet WHERE id = $1");
        let row = sqlx::query(&sql).bind(wallet_id).fetch_optional(self.pool()).await?;
        row.as_ref().map(wallet_from).transpose()
    }
}

impl Tx {
    /// Closes a wallet: it takes no more purchases or deposits.
    pub async fn close_wallet(&mut self, wallet_id: &WalletId, at: jiff::Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE wallet SET status = 'closed', closed_at = $1, updated_at = $1 WHERE id = $2 AND status = 'open'",
        )
        .bind(micros(at))
        .bind(wallet_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Tx {
    /// Takes every card of a child out of use for good.
    pub async fn cancel_cards_of_child(&mut self, child_id: &ChildId, at: jiff::Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE card SET state = 'cancelled', updated_at = $1 WHERE child_id = $2 AND state <> 'cancelled'",
        )
        .bind(micros(at))
        .bind(child_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected())
    }

    /// Erases the personal data of children whose wallets closed before
    /// `closed_before`: names, birth date, old-system number, the links to
    /// their adults and invitations. Wallets, cards and the ledger stay.
    pub async fn erase_closed_children(
        &mut self,
        closed_before: jiff::Timestamp,
        at: jiff::Timestamp,
    ) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT c.id FROM child c JOIN wallet w ON w.child_id = c.id
             WHERE w.status = 'closed' AND w.closed_at < $1 AND c.erased_at IS NULL",
        )
        .bind(micros(closed_before))
        .fetch_all(self.conn())
        .await?;
        let ids: Vec<String> = rows.iter().map(|r| r.try_get("id")).collect::<std::result::Result<_, _>>()?;
        for id in &ids {
            sqlx::query(
                "UPDATE child SET first_name = '', last_name = '', birth_date = NULL, legacy_no = NULL, erased_at = $1 WHERE id = $2",
            )
            .bind(micros(at))
            .bind(id)
            .execute(self.conn())
            .await?;
            sqlx::query("DELETE FROM relative_invitation WHERE child_id = $1").bind(id).execute(self.conn()).await?;
            sqlx::query("DELETE FROM top_up_setup WHERE child_id = $1").bind(id).execute(self.conn()).await?;
            sqlx::query("DELETE FROM low_balance_notice WHERE child_id = $1").bind(id).execute(self.conn()).await?;
            sqlx::query("DELETE FROM relation WHERE child_id = $1").bind(id).execute(self.conn()).await?;
            // Support's notes about the child go with the name; the audit log keeps what happened.
            sqlx::query("DELETE FROM till_decline WHERE child_id = $1").bind(id).execute(self.conn()).await?;
            sqlx::query("DELETE FROM support_access WHERE child_id = $1").bind(id).execute(self.conn()).await?;
        }
        Ok(ids)
    }
}
