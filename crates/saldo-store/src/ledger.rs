//! Writing journal entries: the one place wallet balances change.

use saldo_core::ledger::{AccountId, Entry};
use saldo_core::Money;
use sqlx::Row;

use crate::{micros, new_id, Result, StoreError, Tx};

/// Who made an entry, why, and when.
#[derive(Clone, Debug)]
pub struct EntryMeta<'a> {
    pub actor: &'a str,
    pub memo: &'a str,
    pub at: jiff::Timestamp,
    /// The entry this one reverses, if it is a reversal.
    pub reverses: Option<&'a str>,
    /// For purchases: the local day the spend counts towards, checked
    /// against the wallet's daily limit in the same conditional write. For a
    /// void (money back to the wallet): the day whose spend it gives back.
    pub spend_day: Option<&'a str>,
}

/// A wallet after an entry touched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletBalance {
    pub wallet_id: String,
    pub balance: Money,
    pub spent_today: Money,
    /// The number of this posting in the wallet's history.
    pub seq: i64,
}

#[derive(Clone, Debug)]
pub struct Posted {
    pub entry_id: String,
    pub wallets: Vec<WalletBalance>,
}

impl Posted {
    pub fn wallet(&self, wallet_id: &str) -> Option<&WalletBalance> {
        self.wallets.iter().find(|w| w.wallet_id == wallet_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// A wallet would go below zero, past its daily limit, or is closed. The
    /// transaction must be rolled back; the caller asks the rules why.
    #[error("wallet {0} refused the entry")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for PostError {
    fn from(e: sqlx::Error) -> Self {
        PostError::Store(StoreError::Database(e))
    }
}

impl Tx {
    /// Writes a balanced entry and moves every wallet it touches, each by one
    /// conditional update that refuses to take a wallet below zero (or, for a
    /// purchase, past the day's limit). Wallets are updated in id order so two
    /// transfers can never deadlock each other.
    pub async fn post(&mut self, entry: &Entry, meta: &EntryMeta<'_>) -> Result<Posted, PostError> {
        let at = micros(meta.at);
        let entry_id = new_id(entry_id_prefix(entry));
        let mut order: Vec<usize> = (0..entry.postings().len()).collect();
        order.sort_by(|&a, &b| entry.postings()[a].account.cmp(&entry.postings()[b].account));
        let mut balances_after: Vec<Option<(i64, i64)>> = vec![None; entry.postings().len()];
        let mut wallets = Vec::new();
        for i in order {
            let posting = &entry.postings()[i];
            let AccountId::Wallet(wallet_id) = &posting.account else { continue };
            let moved = self.move_wallet(wallet_id, posting.amount, meta.spend_day, at).await?;
            let Some(after) = moved else { return Err(PostError::Refused(wallet_id.clone())) };
            debug_assert!(after.balance.ore() >= 0, "a wallet went negative");
            balances_after[i] = Some((after.seq, after.balance.ore()));
            wallets.push(after);
        }
        sqlx::query(
            "INSERT INTO journal_entry (id, kind, actor, reverses_id, memo, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&entry_id)
        .bind(entry.kind().as_str())
        .bind(meta.actor)
        .bind(meta.reverses)
        .bind(meta.memo)
        .bind(at)
        .execute(self.conn())
        .await?;
        for (seq, posting) in entry.postings().iter().enumerate() {
            sqlx::query(
                "INSERT INTO posting (entry_id, seq, account_id, amount_ore, wallet_seq, balance_after_ore, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&entry_id)
            .bind(seq as i64)
            .bind(posting.account.key())
            .bind(posting.amount.ore())
            .bind(balances_after[seq].map(|(wallet_seq, _)| wallet_seq))
            .bind(balances_after[seq].map(|(_, balance)| balance))
            .bind(at)
            .execute(self.conn())
            .await?;
        }
        Ok(Posted { entry_id, wallets })
    }

    async fn move_wallet(
        &mut self,
        wallet_id: &str,
        amount: Money,
        spend_day: Option<&str>,
        at: i64,
    ) -> Result<Option<WalletBalance>> {
        let row = match spend_day {
            // A purchase: the balance and the day's spend in one guarded write.
            Some(day) if amount.is_negative() => {
                let spend = -amount.ore();
                sqlx::query(
                    "UPDATE wallet SET
                        balance_ore = balance_ore - $1,
                        spent_today_ore = (CASE WHEN spent_day = $2 THEN spent_today_ore ELSE 0 END) + $1,
                        spent_day = $2,
                        last_seq = last_seq + 1,
                        updated_at = $3
                     WHERE id = $4 AND status = 'open' AND balance_ore >= $1
                       AND (daily_limit_ore IS NULL
                            OR (CASE WHEN spent_day = $2 THEN spent_today_ore ELSE 0 END) + $1 <= daily_limit_ore)
                     RETURNING balance_ore, spent_today_ore, last_seq",
                )
                .bind(spend)
                .bind(day)
                .bind(at)
                .bind(wallet_id)
                .fetch_optional(self.conn())
                .await?
            }
            // A void of a purchase: the money back, and the day's spend too if it is still that day.
            Some(day) => {
                sqlx::query(
                    "UPDATE wallet SET
                        balance_ore = balance_ore + $1,
                        spent_today_ore = CASE WHEN spent_day = $2 AND spent_today_ore >= $1 THEN spent_today_ore - $1
                                               WHEN spent_day = $2 THEN 0 ELSE spent_today_ore END,
                        last_seq = last_seq + 1,
                        updated_at = $3
                     WHERE id = $4 AND status = 'open'
                     RETURNING balance_ore, spent_today_ore, last_seq",
                )
                .bind(amount.ore())
                .bind(day)
                .bind(at)
                .bind(wallet_id)
                .fetch_optional(self.conn())
                .await?
            }
            None => {
                sqlx::query(
                    "UPDATE wallet SET balance_ore = balance_ore + $1, last_seq = last_seq + 1, updated_at = $2
                     WHERE id = $3 AND status = 'open' AND balance_ore + $1 >= 0
                     RETURNING balance_ore, spent_today_ore, last_seq",
                )
                .bind(amount.ore())
                .bind(at)
                .bind(wallet_id)
                .fetch_optional(self.conn())
                .await?
            }
        };
        let Some(row) = row else { return Ok(None) };
        Ok(Some(WalletBalance {
            wallet_id: wallet_id.to_owned(),
            balance: Money::from_ore(row.try_get("balance_ore")?),
            spent_today: Money::from_ore(row.try_get("spent_today_ore")?),
            seq: row.try_get("last_seq")?,
        }))
    }

    /// What an entry moved on one account (negative when it took money out), if it touched it.
    pub async fn posted_on(&mut self, entry_id: &str, account: &AccountId) -> Result<Option<Money>> {
        let row = sqlx::query("SELECT amount_ore FROM posting WHERE entry_id = $1 AND account_id = $2")
            .bind(entry_id)
            .bind(account.key())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| Ok(Money::from_ore(r.try_get("amount_ore")?))).transpose()
    }

    /// Registers a ledger account if it is not there yet.
    pub async fn ensure_account(&mut self, account: &AccountId) -> Result<()> {
        sqlx::query("INSERT INTO account (id, kind) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
            .bind(account.key())
            .bind(account.kind().as_str())
            .execute(self.conn())
            .await?;
        Ok(())
    }
}

fn entry_id_prefix(entry: &Entry) -> &'static str {
    use saldo_core::EntryKind::*;
    match entry.kind() {
        Deposit => "dep",
        Purchase => "pur",
        Refund => "ref",
        CardFee => "fee",
        Transfer => "trf",
        Withdrawal => "wdr",
        Migration => "mig",
        Reversal => "rev",
    }
}
