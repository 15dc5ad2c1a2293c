//! The books, recomputed from the postings: what `saldo verify` reports.

use saldo_core::ids::WalletId;
use sqlx::{AnyPool, Row};

use crate::{Result, Store};

/// One thing that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    UnbalancedEntry {
        entry_id: String,
        sum_ore: i64,
    },
    TooFewPostings {
        entry_id: String,
        postings: i64,
    },
    CachedBalanceDiffers {
        wallet_id: WalletId,
        cached_ore: i64,
        postings_ore: i64,
    },
    NegativeWallet {
        wallet_id: WalletId,
        balance_ore: i64,
    },
    /// A statement line whose running balance does not follow from the one before
    /// (entry id empty: the wallet's cached balance is not its newest line's).
    RunningBalanceBroken {
        wallet_id: WalletId,
        entry_id: String,
        before_ore: i64,
        amount_ore: i64,
        after_ore: i64,
    },
    LedgerDoesNotSumToZero {
        sum_ore: i64,
    },
    /// Money came in (a deposit entry) with no confirmed deposit or
    /// succeeded top-up charge, with the provider's payment reference, behind it.
    DepositWithoutPayment {
        entry_id: String,
    },
    /// A deposit or top-up credited through the sandbox that the sandbox's
    /// own books never approved: a callback signed by someone else.
    SandboxCreditUnpaid {
        reference: String,
    },
    /// A sales point's orders account (prepaid webshop orders) does not hold
    /// exactly the orders that are paid and not yet handed out, cancelled or
    /// closed: money left behind, or taken twice.
    OrdersAccountDiffers {
        account_id: String,
        balance_ore: i64,
        open_orders_ore: i64,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: i64,
    pub postings: i64,
    pub wallets: i64,
    pub wallet_total_ore: i64,
    /// Money credited through the sandbox provider: test money, which a
    /// municipality's live books should never hold.
    pub sandbox_credited_ore: i64,
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reports at most this many problems of each kind; one is enough to fail.
const MAX_PER_KIND: i64 = 100;

impl Store {
    /// Recomputes every balance from the postings and checks every entry.
    /// Reads only; safe to run against a live database.
    pub async fn verify(&self) -> Result<VerifyReport> {
        let pool = self.pool();
        let mut report = VerifyReport::default();
        totals(pool, &mut report).await?;
        entries(pool, &mut report).await?;
        wallets(pool, &mut report).await?;
        chains(pool, &mut report).await?;
        payments(pool, &mut report).await?;
        orders(pool, &mut report).await?;
        Ok(report)
    }
}

/// The counts, and the whole ledger summing to zero.
async fn totals(pool: &AnyPool, report: &mut VerifyReport) -> Result<()> {
    let counts = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM journal_entry) AS entries,
                (SELECT COUNT(*) FROM posting) AS postings,
                (SELECT COUNT(*) FROM wallet) AS wallets,
                (SELECT CAST(COALESCE(SUM(balance_ore), 0) AS BIGINT) FROM wallet) AS wallet_total,
                (SELECT CAST(COALESCE(SUM(amount_ore), 0) AS BIGINT) FROM posting) AS ledger_sum",
    )
    .fetch_one(pool)
    .await?;
    report.entries = counts.try_get("entries")?;
    report.postings = counts.try_get("postings")?;
    report.wallets = counts.try_get("wallets")?;
    report.wallet_total_ore = counts.try_get("wallet_total")?;
    let ledger_sum: i64 = counts.try_get("ledger_sum")?;
    if ledger_sum != 0 {
        report.problems.push(Problem::LedgerDoesNotSumToZero { sum_ore: ledger_sum });
    }
    Ok(())
}

/// Every entry balances and has at least two postings.
async fn entries(pool: &AnyPool, report: &mut VerifyReport) -> Result<()> {
    let unbalanced = sqlx::query(
        "SELECT entry_id, CAST(SUM(amount_ore) AS BIGINT) AS total, COUNT(*) AS n FROM posting
         GROUP BY entry_id HAVING SUM(amount_ore) <> 0 OR COUNT(*) < 2 ORDER BY entry_id LIMIT $1",
    )
    .bind(MAX_PER_KIND)
    .fetch_all(pool)
    .await?;
    for row in unbalanced {
        let entry_id: String = row.try_get("entry_id")?;
        let sum_ore: i64 = row.try_get("total")?;
        let postings: i64 = row.try_get("n")?;
        if sum_ore != 0 {
            report.problems.push(Problem::UnbalancedEntry { entry_id: entry_id.clone(), sum_ore });
        }
        if postings < 2 {
            report.problems.push(Problem::TooFewPostings { entry_id, postings });
        }
    }
    let empty = sqlx::query(
        "SELECT e.id FROM journal_entry e WHERE NOT EXISTS (SELECT 1 FROM posting p WHERE p.entry_id = e.id)
         ORDER BY e.id LIMIT $1",
    )
    .bind(MAX_PER_KIND)
    .fetch_all(pool)
    .await?;
    for row in empty {
        report.problems.push(Problem::TooFewPostings { entry_id: row.try_get("id")?, postings: 0 });
    }
    Ok(())
}

/// Every cached balance equals its postings, and none is negative.
async fn wallets(pool: &AnyPool, report: &mut VerifyReport) -> Result<()> {
    let differing = sqlx::query(
        "SELECT w.id, w.balance_ore, CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) AS from_postings
         FROM wallet w LEFT JOIN posting p ON p.account_id = w.id
         GROUP BY w.id, w.balance_ore
         HAVING w.balance_ore <> COALESCE(SUM(p.amount_ore), 0) ORDER BY w.id LIMIT $1",
    )
    .bind(MAX_PER_KIND)
    .fetch_all(pool)
    .await?;
    for row in differing {
        report.problems.push(Problem::CachedBalanceDiffers {
            wallet_id: row.try_get("id")?,
            cached_ore: row.try_get("balance_ore")?,
            postings_ore: row.try_get("from_postings")?,
        });
    }

    let negative = sqlx::query("SELECT id, balance_ore FROM wallet WHERE balance_ore < 0 ORDER BY id LIMIT $1")
        .bind(MAX_PER_KIND)
        .fetch_all(pool)
        .await?;
    for row in negative {
        report
            .problems
            .push(Problem::NegativeWallet { wallet_id: row.try_get("id")?, balance_ore: row.try_get("balance_ore")? });
    }
    Ok(())
}

/// Each wallet's running balances form an unbroken chain ending at the cached balance.
async fn chains(pool: &AnyPool, report: &mut VerifyReport) -> Result<()> {
    // Each wallet posting's running balance is the one before it plus its
    // amount, and the newest one is the cached balance.
    let broken_chain = sqlx::query(
        "SELECT account_id, entry_id, before_ore, amount_ore, balance_after_ore FROM (
             SELECT account_id, entry_id, amount_ore, balance_after_ore,
                    LAG(balance_after_ore, 1, 0) OVER (PARTITION BY account_id ORDER BY wallet_seq) AS before_ore
             FROM posting WHERE wallet_seq IS NOT NULL) chain
         WHERE before_ore + amount_ore <> balance_after_ore ORDER BY account_id LIMIT $1",
    )
    .bind(MAX_PER_KIND)
    .fetch_all(pool)
    .await?;
    for row in broken_chain {
        report.problems.push(Problem::RunningBalanceBroken {
            wallet_id: row.try_get("account_id")?,
            entry_id: row.try_get("entry_id")?,
            before_ore: row.try_get("before_ore")?,
            amount_ore: row.try_get("amount_ore")?,
            after_ore: row.try_get("balance_after_ore")?,
        });
    }
    let unposted = sqlx::query(
        "SELECT id, balance_ore FROM wallet w WHERE w.balance_ore <> COALESCE(
             (SELECT p.balance_after_ore FROM posting p WHERE p.account_id = w.id AND p.wallet_seq = w.last_seq), 0)
         ORDER BY id LIMIT $1",
    )
    .bind(MAX_PER_KIND)
    .fetch_all(pool)
    .await?;
    for row in unposted {
        report.problems.push(Problem::RunningBalanceBroken {
            wallet_id: row.try_get("id")?,
            entry_id: String::new(),
            before_ore: 0,
            amount_ore: 0,
            after_ore: row.try_get("balance_ore")?,
        });
    }
    Ok(())
}

impl Store {
    /// How many rows each money table holds and what the wallets hold in all:
    /// two equal snapshots mean nothing moved.
    pub async fn money_snapshot(&self) -> Result<Vec<(String, i64)>> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM journal_entry) AS journal_entries,
                    (SELECT COUNT(*) FROM posting) AS postings,
                    (SELECT COUNT(*) FROM purchase) AS purchases,
                    (SELECT COUNT(*) FROM purchase_line) AS purchase_lines,
                    (SELECT COUNT(*) FROM idempotency) AS idempotency_keys,
                    (SELECT CAST(COALESCE(SUM(balance_ore), 0) AS BIGINT) FROM wallet) AS wallet_total_ore,
                    (SELECT CAST(COALESCE(SUM(spent_today_ore), 0) AS BIGINT) FROM wallet) AS spent_total_ore",
        )
        .fetch_one(self.pool())
        .await?;
        [
            "journal_entries",
            "postings",
            "purchases",
            "purchase_lines",
            "idempotency_keys",
            "wallet_total_ore",
            "spent_total_ore",
        ]
        .into_iter()
        .map(|column| Ok((column.to_owned(), row.try_get::<i64, _>(column)?)))
        .collect()
    }
}

/// Every krone that came in has a payment behind it: the books balance even
/// when a forged callback credits a wallet, so this is checked on its own.
async fn payments(pool: &AnyPool, report: &mut VerifyReport) -> Result<()> {
    let unpaid = sqlx::query(
        "SELECT e.id FROM journal_entry e WHERE e.kind = 'deposit'
           AND NOT EXISTS (SELECT 1 FROM deposit d
                           WHERE d.entry_id = e.id AND d.status = 'confirmed' AND d.provider_ref IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM top_up_charge c
                           WHERE c.entry_id = e.id AND c.status = 'succeeded' AND c.provider_ref IS NOT NULL)
         ORDER BY e.id LIMIT $1",
    )
    .bind(MAX_PER_KIND)
    .fetch_all(pool)
    .await?;
    for row in unpaid {
        report.problems.push(Problem::DepositWithoutPayment { entry_id: row.try_get("id")? });
    }
    let forged = sqlx::query(
        "SELECT d.id FROM deposit d LEFT JOIN deposit paid ON paid.id = d.paid_with
         WHERE d.status = 'confirmed' AND d.provider = 'sandbox'
           AND NOT EXISTS (SELECT 1 FROM sandbox_payment s
                           WHERE s.provider_ref = COALESCE(d.provider_ref, paid.provider_ref) AND s.status = 'approved')
         UNION ALL
         SELECT c.id FROM top_up_charge c JOIN top_up_agreement a ON a.id = c.agreement_id
         WHERE c.status = 'succeeded' AND a.provider = 'sandbox'
           AND NOT EXISTS (SELECT 1 FROM sandbox_charge s WHERE s.provider_ref = c.provider_ref AND s.outcome = 'succeeded')
         ORDER BY 1 LIMIT $1",
    )
    .bind(MAX_PER_KIND)
    .fetch_all(pool)
    .await?;
    for row in forged {
        report.problems.push(Problem::SandboxCreditUnpaid { reference: row.try_get("id")? });
    }
    let sandbox = sqlx::query(
        "SELECT CAST(COALESCE((SELECT SUM(amount_ore) FROM deposit WHERE status = 'confirmed' AND provider = 'sandbox'), 0)
                   + COALESCE((SELECT SUM(c.amount_ore) FROM top_up_charge c JOIN top_up_agreement a ON a.id = c.agreement_id
                               WHERE c.status = 'succeeded' AND a.provider = 'sandbox'), 0) AS BIGINT) AS ore",
    )
    .fetch_one(pool)
    .await?;
    report.sandbox_credited_ore = sandbox.try_get("ore")?;
    Ok(())
}

/// Each orders account holds what its sales point's paid, open orders cost:
/// a cancel gave it back, a hand-out made it revenue, closing an uncollected
/// order moved it on; anything else left there is a mistake.
async fn orders(pool: &AnyPool, report: &mut VerifyReport) -> Result<()> {
    let rows = sqlx::query(
        "SELECT a.id,
                CAST(COALESCE((SELECT SUM(p.amount_ore) FROM posting p WHERE p.account_id = a.id), 0) AS BIGINT) AS balance,
                CAST(COALESCE((SELECT SUM(o.amount_ore) FROM shop_order o
                               WHERE 'orders:' || o.sales_point_id = a.id AND o.state = 'paid'), 0) AS BIGINT) AS open
         FROM account a WHERE a.kind = 'orders' ORDER BY a.id",
    )
    .fetch_all(pool)
    .await?;
    for row in rows {
        let balance_ore: i64 = row.try_get("balance")?;
        let open_orders_ore: i64 = row.try_get("open")?;
        if balance_ore != open_orders_ore {
            report.problems.push(Problem::OrdersAccountDiffers {
                account_id: row.try_get("id")?,
                balance_ore,
                open_orders_ore,
            });
        }
    }
    Ok(())
}
