//! Writing journal entries: the one place wallet balances change.

use saldo_core::ids::{EntryId, WalletId};
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
    pub reverses: Option<&'a EntryId>,
    /// For purchases: the local day the spend counts towards, checked
    /// against the wallet's daily limit in the same conditional write. For a
    /// void (money back to the wallet): the day whose spend it gives back.
    pub spend_day: Option<&'a str>,
}

/// A wallet after an entry touched it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletBalance {
    pub wallet_id: WalletId,
    pub balance: Money,
    pub spent_today: Money,
    /// The number of this posting in the wallet's history.
    pub seq: i64,
}

#[derive(Clone, Debug)]
pub struct Posted {
    pub entry_id: EntryId,
    pub wallets: Vec<WalletBalance>,
}

impl Posted {
    pub fn wallet(&self, wallet_id: &WalletId) -> Option<&WalletBalance> {
        self.wallets.iter().find(|w| w.wallet_id == wallet_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// A wallet would go below zero, past its daily limit, or is closed. The
    /// transaction must be rolled back; the caller asks the rules why.
    #[error("wallet {0} refused the entry")]
    Refused(WalletId),
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
        let entry_id = EntryId::new(new_id(entry_id_prefix(entry)));
        // `Entry` cannot be built unbalanced; this is the last look before
        // the money moves, and costs one pass over a handful of postings.
        if Money::sum(entry.postings().iter().map(|p| p.amount)) != Ok(Money::ZERO) {
            return Err(broken(&entry_id, "the postings do not sum to zero".into()));
        }
        let mut order: Vec<usize> = (0..entry.postings().len()).collect();
        order.sort_by(|&a, &b| entry.postings()[a].account.cmp(&entry.postings()[b].account));
        let mut balances_after: Vec<Option<(i64, i64)>> = vec![None; entry.postings().len()];
        let mut wallets = Vec::new();
        for i in order {
            let posting = &entry.postings()[i];
            let AccountId::Wallet(wallet_id) = &posting.account else { continue };
            let moved = self.move_wallet(wallet_id, posting.amount, meta.spend_day, at).await?;
            let Some(after) = moved else { return Err(PostError::Refused(wallet_id.clone())) };
            self.check_continues(&entry_id, &after, posting.amount)?;
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
        // Every posting in one statement: one round trip for the entry's lines.
        let sql = format!(
            "INSERT INTO posting (entry_id, seq, account_id, amount_ore, wallet_seq, balance_after_ore, created_at)
             VALUES {}",
            crate::values_rows(entry.postings().len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (seq, posting) in entry.postings().iter().enumerate() {
            query = query
                .bind(&entry_id)
                .bind(seq as i64)
                .bind(posting.account.key())
                .bind(posting.amount.ore())
                .bind(balances_after[seq].map(|(wallet_seq, _)| wallet_seq))
                .bind(balances_after[seq].map(|(_, balance)| balance))
                .bind(at);
        }
        query.execute(self.conn()).await?;
        Ok(Posted { entry_id, wallets })
    }

    /// A posted wallet is never below zero, and when this transaction posted
    /// to it before, the new balance is the old one plus the amount, one step
    /// on in the wallet's history. (Across transactions `saldo verify` walks
    /// the whole chain; reading the previous posting here would cost the sale
    /// a round trip.)
    pub(crate) fn check_continues(
        &mut self,
        entry_id: &EntryId,
        after: &WalletBalance,
        amount: Money,
    ) -> Result<(), PostError> {
        let wallet = &after.wallet_id;
        if after.balance.is_negative() {
            return Err(broken(entry_id, format!("wallet {wallet} was left at {} øre", after.balance.ore())));
        }
        let (seq, balance) = (after.seq, after.balance.ore());
        match self.left.iter_mut().find(|(id, ..)| id == wallet) {
            Some(left) => {
                let (_, left_seq, left_balance) = *left;
                if seq != left_seq + 1 || Some(balance) != left_balance.checked_add(amount.ore()) {
                    return Err(broken(
                        entry_id,
                        format!(
                            "wallet {wallet} went from {left_balance} øre (#{left_seq}) to {balance} øre (#{seq}) \
                             by a posting of {} øre",
                            amount.ore()
                        ),
                    ));
                }
                *left = (wallet.clone(), seq, balance);
            }
            None => self.left.push((wallet.clone(), seq, balance)),
        }
        Ok(())
    }

    async fn move_wallet(
        &mut self,
        wallet_id: &WalletId,
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
    pub async fn posted_on(&mut self, entry_id: &EntryId, account: &AccountId) -> Result<Option<Money>> {
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

/// Logs loudly, then refuses: the caller rolls the transaction back.
fn broken(entry_id: &EntryId, what: String) -> PostError {
    tracing::error!(%entry_id, %what, "ledger invariant broken; the entry is refused");
    PostError::Store(StoreError::InvariantBroken { entry_id: entry_id.to_string(), what })
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
        ShopOrder => "ord",
        HandOut => "hnd",
    }
}

#[cfg(test)]
mod tests {
    use saldo_core::ledger::Entry;
    use saldo_core::Money;

    use super::EntryMeta;
    use crate::test_db::TestDb;
    use crate::{InstitutionKind, PostError, Store, StoreError};

    fn meta(at: jiff::Timestamp) -> EntryMeta<'static> {
        EntryMeta { actor: "test", memo: "", at, reverses: None, spend_day: None }
    }

    #[tokio::test]
    async fn a_balance_that_does_not_continue_the_last_posting_refuses_the_entry_by_its_id() {
        let db = TestDb::new().await;
        let store = Store::open(&db.url).await.unwrap();
        let now = jiff::Timestamp::now();
        let mut tx = store.begin().await.unwrap();
        let municipality = tx.create_municipality("K").await.unwrap();
        let school = tx.create_institution(&municipality, "S", InstitutionKind::School).await.unwrap();
        let child = tx.create_child("Ida", "T", Some(&school), None, now).await.unwrap();
        let wallet = tx.create_wallet(&child, None, now).await.unwrap();
        tx.post(&Entry::migration(&wallet, Money::kr(100)).unwrap(), &meta(now)).await.unwrap();
        tx.post(&Entry::migration(&wallet, Money::kr(5)).unwrap(), &meta(now)).await.expect("a true chain posts");

        // Something other than `post` moved the balance behind the ledger's back.
        sqlx::query("UPDATE wallet SET balance_ore = balance_ore + 1 WHERE id = $1")
            .bind(&wallet)
            .execute(tx.conn())
            .await
            .unwrap();
        let refused = tx.post(&Entry::migration(&wallet, Money::kr(1)).unwrap(), &meta(now)).await;

        let Err(PostError::Store(StoreError::InvariantBroken { entry_id, what })) = refused else {
            panic!("expected a broken invariant, got {refused:?}");
        };
        assert!(entry_id.starts_with("mig_"), "{entry_id}");
        assert!(what.contains(wallet.as_str()) && what.contains("10500"), "{what}");
        drop(tx);
        assert!(store.verify().await.unwrap().holds());
    }
}
