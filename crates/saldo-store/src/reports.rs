//! What the finance reports read: sums of postings per account and entry
//! kind over a stretch of time, the wallets' total at a moment, deposits by
//! provider and method, sales lines by category, and the journal itself.
//! Every figure is a sum of postings (or of the sale lines behind them), so
//! a report ties to the ledger by construction; the tests check it does.

use sqlx::Row;

use crate::{Result, Store, StoreError};

/// The net of the postings on one account from entries of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountMovement {
    /// The account's kind as stored (`sales`, `fees`, … and any kind added later).
    pub account_kind: String,
    pub account_id: String,
    /// The entry kind as stored (`purchase`, `refund`, `reversal`, …).
    pub entry_kind: String,
    pub amount_ore: i64,
    pub postings: i64,
}

/// Deposits paid through one provider in one way, with the fees kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepositTotals {
    /// The provider's clearing account (`provider_clearing:nexi`).
    pub account_id: String,
    /// `one_off` (paid on the portal) or `top_up` (charged by an agreement).
    pub method: String,
    pub payments: i64,
    /// What the provider took from the payers.
    pub charged_ore: i64,
    /// Of that, what the operator kept as fees.
    pub fees_ore: i64,
}

/// What a sales point sold of one product category (sale lines as rung up).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategorySales {
    pub sales_point_id: String,
    pub category: String,
    pub quantity: i64,
    pub amount_ore: i64,
}

/// One posting of the journal, with its entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalLine {
    pub entry_id: String,
    pub entry_kind: String,
    pub actor: String,
    pub memo: String,
    pub reverses_id: Option<String>,
    pub created_at: i64,
    pub seq: i64,
    pub account_id: String,
    pub account_kind: String,
    pub amount_ore: i64,
}

/// A journal export holds at most this many postings: a month of a large
/// municipality fits; more asks for a shorter period.
pub const MAX_JOURNAL_LINES: i64 = 500_000;

impl Store {
    /// Per account (wallets excepted) and entry kind, the net of the postings
    /// made in `[from, to)` (microseconds).
    pub async fn account_movements(&self, from: i64, to: i64) -> Result<Vec<AccountMovement>> {
        let rows = sqlx::query(
            "SELECT a.kind AS account_kind, p.account_id, e.kind AS entry_kind,
                    CAST(SUM(p.amount_ore) AS BIGINT) AS amount_ore, COUNT(*) AS postings
               FROM posting p
               JOIN account a ON a.id = p.account_id
               JOIN journal_entry e ON e.id = p.entry_id
              WHERE p.created_at >= $1 AND p.created_at < $2 AND a.kind <> 'wallet'
              GROUP BY a.kind, p.account_id, e.kind
              ORDER BY a.kind, p.account_id, e.kind",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AccountMovement {
                    account_kind: r.try_get("account_kind")?,
                    account_id: r.try_get("account_id")?,
                    entry_kind: r.try_get("entry_kind")?,
                    amount_ore: r.try_get("amount_ore")?,
                    postings: r.try_get("postings")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Per entry kind, the net of the postings on all wallets in `[from, to)`.
    pub async fn wallet_movements(&self, from: i64, to: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT e.kind AS entry_kind, CAST(SUM(p.amount_ore) AS BIGINT) AS amount_ore
               FROM posting p
               JOIN account a ON a.id = p.account_id
               JOIN journal_entry e ON e.id = p.entry_id
              WHERE p.created_at >= $1 AND p.created_at < $2 AND a.kind = 'wallet'
              GROUP BY e.kind
              ORDER BY e.kind",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("entry_kind")?, r.try_get("amount_ore")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// What all wallets held at `at` (microseconds): today's total less what
    /// moved since, in one statement so both parts see the same moment.
    pub async fn liability_at(&self, at: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT CAST((SELECT COALESCE(SUM(balance_ore), 0) FROM wallet)
                       - (SELECT COALESCE(SUM(p.amount_ore), 0)
                            FROM posting p JOIN account a ON a.id = p.account_id
                           WHERE a.kind = 'wallet' AND p.created_at >= $1) AS BIGINT) AS held",
        )
        .bind(at)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("held")?)
    }

    /// Deposits in `[from, to)` per provider and method, with their fees.
    pub async fn deposit_totals(&self, from: i64, to: i64) -> Result<Vec<DepositTotals>> {
        let rows = sqlx::query(
            "SELECT c.account_id,
                    CASE WHEN EXISTS (SELECT 1 FROM top_up_charge t WHERE t.entry_id = e.id)
                         THEN 'top_up' ELSE 'one_off' END AS method,
                    COUNT(*) AS payments,
                    CAST(-SUM(c.amount_ore) AS BIGINT) AS charged_ore,
                    CAST(COALESCE(SUM(f.amount_ore), 0) AS BIGINT) AS fees_ore
               FROM journal_entry e
               JOIN posting c ON c.entry_id = e.id
               JOIN account a ON a.id = c.account_id AND a.kind = 'provider_clearing'
               LEFT JOIN posting f ON f.entry_id = e.id AND f.account_id = 'fees'
              WHERE e.kind = 'deposit' AND c.created_at >= $1 AND c.created_at < $2
              GROUP BY c.account_id, method
              ORDER BY c.account_id, method",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DepositTotals {
                    account_id: r.try_get("account_id")?,
                    method: r.try_get("method")?,
                    payments: r.try_get("payments")?,
                    charged_ore: r.try_get("charged_ore")?,
                    fees_ore: r.try_get("fees_ore")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Sale lines rung up in `[from, to)`, per sales point and product category.
    pub async fn category_sales(&self, from: i64, to: i64) -> Result<Vec<CategorySales>> {
        let rows = sqlx::query(
            "SELECT pu.sales_point_id, pr.category,
                    CAST(SUM(l.quantity) AS BIGINT) AS quantity, CAST(SUM(l.amount_ore) AS BIGINT) AS amount_ore
               FROM purchase pu
               JOIN purchase_line l ON l.purchase_id = pu.id
               JOIN product pr ON pr.id = l.product_id
              WHERE pu.created_at >= $1 AND pu.created_at < $2
              GROUP BY pu.sales_point_id, pr.category
              ORDER BY pu.sales_point_id, pr.category",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CategorySales {
                    sales_point_id: r.try_get("sales_point_id")?,
                    category: r.try_get("category")?,
                    quantity: r.try_get("quantity")?,
                    amount_ore: r.try_get("amount_ore")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The net of every posting on the sales points' accounts in `[from, to)`.
    pub async fn net_sales(&self, from: i64, to: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) AS net
               FROM posting p JOIN account a ON a.id = p.account_id
              WHERE a.kind = 'sales' AND p.created_at >= $1 AND p.created_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("net")?)
    }

    /// The ledger's accounts other than wallets, by kind then id (for choosing one to export).
    pub async fn ledger_accounts(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT id, kind FROM account WHERE kind <> 'wallet' ORDER BY kind, id")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("kind")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Entries made in `[from, to)` with all their postings, in the order
    /// they were made; with `account` (an account's id or a kind of
    /// account), only the entries that touch it. At most `limit` postings.
    pub async fn journal(&self, from: i64, to: i64, account: &str, limit: i64) -> Result<Vec<JournalLine>> {
        let rows = sqlx::query(
            "SELECT e.id, e.kind, e.actor, e.memo, e.reverses_id, e.created_at,
                    p.seq, p.account_id, a.kind AS account_kind, p.amount_ore
               FROM journal_entry e
               JOIN posting p ON p.entry_id = e.id
               JOIN account a ON a.id = p.account_id
              WHERE e.created_at >= $1 AND e.created_at < $2
                AND ($3 = '' OR EXISTS (SELECT 1 FROM posting q JOIN account qa ON qa.id = q.account_id
                                         WHERE q.entry_id = e.id AND (q.account_id = $3 OR qa.kind = $3)))
              ORDER BY e.created_at, e.id, p.seq
              LIMIT $4",
        )
        .bind(from)
        .bind(to)
        .bind(account)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(JournalLine {
                    entry_id: r.try_get("id")?,
                    entry_kind: r.try_get("kind")?,
                    actor: r.try_get("actor")?,
                    memo: r.try_get("memo")?,
                    reverses_id: r.try_get("reverses_id")?,
                    created_at: r.try_get("created_at")?,
                    seq: r.try_get("seq")?,
                    account_id: r.try_get("account_id")?,
                    account_kind: r.try_get("account_kind")?,
                    amount_ore: r.try_get("amount_ore")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
