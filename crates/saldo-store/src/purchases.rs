//! Sales at a till: the purchase and its lines, beside the journal entry that paid.

use saldo_core::ids::{CardId, EntryId, ProductId, SalesPointId, TillId, WalletId};
use saldo_core::Money;

use sqlx::Row;

use saldo_core::ledger::{AccountId, Entry, EntryKind};

use crate::ledger::{EntryMeta, PostError, Posted, WalletBalance};
use crate::{micros, new_id, Engine, Result, StoreError, Tx};

pub struct NewPurchase<'a> {
    /// The journal entry's id: a purchase is the entry that paid for it.
    pub entry_id: &'a EntryId,
    pub till_id: &'a TillId,
    pub sales_point_id: &'a SalesPointId,
    pub card_id: &'a CardId,
    pub wallet_id: &'a WalletId,
    pub total: Money,
    pub at: jiff::Timestamp,
    /// The local day the spend counted towards (a void gives it back to that day).
    pub spend_day: &'a str,
    pub lines: &'a [NewPurchaseLine<'a>],
}

/// A line as sold: name and price copied, so later price changes do not rewrite history.
pub struct NewPurchaseLine<'a> {
    pub product_id: &'a ProductId,
    pub name: &'a str,
    pub unit_price: Money,
    pub quantity: i64,
    pub amount: Money,
}

/// What a sale records beside its journal entry, before the entry has an id.
pub struct SaleRecord<'a> {
    pub till_id: &'a TillId,
    pub card_id: &'a CardId,
    pub lines: &'a [NewPurchaseLine<'a>],
}

impl Tx {
    /// A sale's whole write: the guarded debit of the wallet (balance and the
    /// day's spend), the journal entry and its postings, the purchase and its
    /// lines. `entry` must be [`Entry::purchase`] and `meta.spend_day` set.
    /// On PostgreSQL it is one statement (one round trip, the guard first:
    /// when it refuses, nothing is written); on SQLite, where a statement
    /// costs no round trip, it is [`Tx::post`] and [`Tx::record_purchase`].
    pub async fn post_purchase(
        &mut self,
        entry: &Entry,
        meta: &EntryMeta<'_>,
        sale: &SaleRecord<'_>,
    ) -> Result<Posted, PostError> {
        let (Some(day), [wallet, sales]) = (meta.spend_day, entry.postings()) else {
            return Err(StoreError::Corrupt("a sale's entry is a purchase on a spend day".into()).into());
        };
        let (AccountId::Wallet(wallet_id), AccountId::Sales(sales_point_id)) = (&wallet.account, &sales.account) else {
            return Err(StoreError::Corrupt("a sale's entry takes from a wallet and pays a sales point".into()).into());
        };
        let total = sales.amount;
        if entry.kind() != EntryKind::Purchase || wallet.amount.checked_neg() != Ok(total) || !total.is_positive() {
            return Err(StoreError::Corrupt(format!("not a sale's entry: {entry:?}")).into());
        }
        if self.engine() == Engine::Sqlite {
            let posted = self.post(entry, meta).await?;
            self.record_purchase(&NewPurchase {
                entry_id: &posted.entry_id,
                till_id: sale.till_id,
                sales_point_id,
                card_id: sale.card_id,
                wallet_id,
                total,
                at: meta.at,
                spend_day: day,
                lines: sale.lines,
            })
            .await?;
            return Ok(posted);
        }
        let entry_id = EntryId::new(new_id("pur"));
        let at = micros(meta.at);
        let sql = sale_statement(sale.lines.len());
        let row = sqlx::query(&sql)
            .bind(total.ore())
            .bind(day)
            .bind(at)
            .bind(wallet_id)
            .bind(&entry_id)
            .bind(meta.actor)
            .bind(AccountId::Sales(sales_point_id.clone()).key())
            .bind(sale.till_id)
            .bind(sales_point_id)
            .bind(sale.card_id);
        let row = sale
            .lines
            .iter()
            .enumerate()
            .fold(row, |q, (seq, line)| {
                q.bind(seq as i64)
                    .bind(line.product_id)
                    .bind(line.name)
                    .bind(line.unit_price.ore())
                    .bind(line.quantity)
                    .bind(line.amount.ore())
            })
            .fetch_optional(self.conn())
            .await?;
        let Some(row) = row else { return Err(PostError::Refused(wallet_id.clone())) };
        let after = WalletBalance {
            wallet_id: wallet_id.clone(),
            balance: Money::from_ore(row.try_get("balance_ore")?),
            spent_today: Money::from_ore(row.try_get("spent_today_ore")?),
            seq: row.try_get("last_seq")?,
        };
        self.check_continues(&entry_id, &after, wallet.amount)?;
        Ok(Posted { entry_id, wallets: vec![after] })
    }

    pub async fn record_purchase(&mut self, p: &NewPurchase<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO purchase (id, till_id, sales_point_id, card_id, wallet_id, total_ore, created_at, spend_day)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(p.entry_id)
        .bind(p.till_id)
        .bind(p.sales_point_id)
        .bind(p.card_id)
        .bind(p.wallet_id)
        .bind(p.total.ore())
        .bind(micros(p.at))
        .bind(p.spend_day)
        .execute(self.conn())
        .await?;
        if p.lines.is_empty() {
            return Ok(());
        }
        // Every line in one statement: one round trip, however big the basket.
        let sql = format!(
            "INSERT INTO purchase_line (purchase_id, seq, product_id, name, unit_price_ore, quantity, amount_ore) VALUES {}",
            crate::values_rows(p.lines.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (seq, line) in p.lines.iter().enumerate() {
            query = query
                .bind(p.entry_id)
                .bind(seq as i64)
                .bind(line.product_id)
                .bind(line.name)
                .bind(line.unit_price.ore())
                .bind(line.quantity)
                .bind(line.amount.ore());
        }
        query.execute(self.conn()).await?;
        Ok(())
    }
}

/// A purchase as a refund needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurchaseRow {
    pub id: EntryId,
    pub sales_point_id: SalesPointId,
    pub wallet_id: WalletId,
    pub total: Money,
    pub refunded: Money,
}

impl Tx {
    pub async fn purchase(&mut self, purchase_id: &EntryId) -> Result<Option<PurchaseRow>> {
        let row =
            sqlx::query("SELECT id, sales_point_id, wallet_id, total_ore, refunded_ore FROM purchase WHERE id = $1")
                .bind(purchase_id)
                .fetch_optional(self.conn())
                .await?;
        row.map(|r| {
            Ok(PurchaseRow {
                id: r.try_get("id")?,
                sales_point_id: r.try_get("sales_point_id")?,
                wallet_id: r.try_get("wallet_id")?,
                total: Money::from_ore(r.try_get("total_ore")?),
                refunded: Money::from_ore(r.try_get("refunded_ore")?),
            })
        })
        .transpose()
    }

    /// Counts `amount` as refunded, only if the purchase has that much left to refund.
    pub async fn mark_refunded(&mut self, purchase_id: &EntryId, amount: Money) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE purchase SET refunded_ore = refunded_ore + $1 WHERE id = $2 AND refunded_ore + $1 <= total_ore",
        )
        .bind(amount.ore())
        .bind(purchase_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// The sale as one PostgreSQL statement: the wallet's guarded update first;
/// every insert reads from it, so a refusal (no row) writes nothing. The
/// same guard as [`Tx::post`]'s for a purchase.
fn sale_statement(lines: usize) -> String {
    let values: Vec<String> = (0..lines)
        .map(|l| {
            let n = 11 + l * 6;
            format!(
                "(${n}::BIGINT, ${}, ${}, ${}::BIGINT, ${}::BIGINT, ${}::BIGINT)",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5
            )
        })
        .collect();
    format!(
        "WITH w AS (
            UPDATE wallet SET
                balance_ore = balance_ore - $1,
                spent_today_ore = (CASE WHEN spent_day = $2 THEN spent_today_ore ELSE 0 END) + $1,
                spent_day = $2,
                last_seq = last_seq + 1,
                updated_at = $3
             WHERE id = $4 AND status = 'open' AND balance_ore >= $1
               AND (daily_limit_ore IS NULL
                    OR (CASE WHEN spent_day = $2 THEN spent_today_ore ELSE 0 END) + $1 <= daily_limit_ore)
             RETURNING balance_ore, spent_today_ore, last_seq
         ), e AS (
            INSERT INTO journal_entry (id, kind, actor, reverses_id, memo, created_at)
            SELECT $5, 'purchase', $6, NULL, '', $3 FROM w
         ), p AS (
            INSERT INTO posting (entry_id, seq, account_id, amount_ore, wallet_seq, balance_after_ore, created_at)
            SELECT $5, 0, $4, -$1, w.last_seq, w.balance_ore, $3 FROM w
            UNION ALL SELECT $5, 1, $7, $1, NULL, NULL, $3 FROM w
         ), pu AS (
            INSERT INTO purchase (id, till_id, sales_point_id, card_id, wallet_id, total_ore, created_at, spend_day)
            SELECT $5, $8, $9, $10, $4, $1, $3, $2 FROM w
         ), pl AS (
            INSERT INTO purchase_line (purchase_id, seq, product_id, name, unit_price_ore, quantity, amount_ore)
            SELECT $5, v.seq, v.product_id, v.name, v.unit_price, v.quantity, v.amount
            FROM w, (VALUES {}) AS v (seq, product_id, name, unit_price, quantity, amount)
         )
         SELECT balance_ore, spent_today_ore, last_seq FROM w",
        values.join(", ")
    )
}
