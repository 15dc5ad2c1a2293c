//! What the payment providers told Saldo, kept for reconciliation: each
//! callback (believed or refused), and per deposit what the provider took
//! against what the wallet was credited.

use saldo_core::ids::{DepositId, EntryId};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{micros, Result, Store, StoreError, Tx};

/// One callback as it came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentEventRow {
    pub provider: String,
    pub provider_ref: Option<String>,
    pub event: String,
    pub verified: bool,
    pub detail: String,
    pub received_at: i64,
}

/// A deposit as finance reconciles it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconcileRow {
    /// The deposit's or the top-up charge's id.
    pub payment_id: String,
    pub kind: PaymentKind,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub status: Settlement,
    pub amount_ore: i64,
    pub fee_ore: i64,
    /// What the provider said it took, when the deposit was settled.
    pub captured_ore: Option<i64>,
    /// What reached the wallet (the entry's posting on it).
    pub credited_ore: i64,
    /// What went back to the card since (payouts).
    pub refunded_ore: i64,
    pub entry_id: Option<EntryId>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

fn event_from(r: &AnyRow) -> Result<PaymentEventRow> {
    Ok(PaymentEventRow {
        provider: r.try_get("provider")?,
        provider_ref: r.try_get("provider_ref")?,
        event: r.try_get("event")?,
        verified: r.try_get::<i64, _>("verified")? == 1,
        detail: r.try_get("detail")?,
        received_at: r.try_get("received_at")?,
    })
}

/// What a payment finance looks at came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// The provider has not settled it yet.
    Pending,
    /// Taken by the provider and credited.
    Credited,
    /// Declined, cancelled, expired, or in need of the cardholder: no money.
    NotPaid,
}

impl Settlement {
    pub fn as_str(self) -> &'static str {
        match self {
            Settlement::Pending => "pending",
            Settlement::Credited => "credited",
            Settlement::NotPaid => "not_paid",
        }
    }
}

/// Money in through a provider: a deposit on the portal, or an automatic top-up's charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentKind {
    Deposit,
    TopUp,
}

fn reconcile_from(r: &AnyRow, kind: PaymentKind) -> Result<ReconcileRow> {
    let status: String = r.try_get("status")?;
    let status = match status.as_str() {
        "pending" => Settlement::Pending,
        "confirmed" | "succeeded" => Settlement::Credited,
        "declined" | "cancelled" | "needs_cardholder" => Settlement::NotPaid,
        other => return Err(StoreError::Corrupt(format!("payment status {other:?}"))),
    };
    Ok(ReconcileRow {
        payment_id: r.try_get("id")?,
        kind,
        provider: r.try_get("provider")?,
        provider_ref: r.try_get("provider_ref")?,
        status,
        amount_ore: r.try_get("amount_ore")?,
        fee_ore: r.try_get("fee_ore")?,
        captured_ore: r.try_get("captured_ore")?,
        credited_ore: r.try_get("credited_ore")?,
        refunded_ore: r.try_get("refunded_ore")?,
        entry_id: r.try_get("entry_id")?,
        created_at: r.try_get("created_at")?,
        decided_at: r.try_get("decided_at")?,
    })
}

/// The longest detail kept for one callback.
const DETAIL_MAX: usize = 500;

pub struct NewPaymentEvent<'a> {
    pub provider: &'a str,
    pub provider_ref: Option<&'a str>,
    pub event: &'a str,
    pub verified: bool,
    pub detail: &'a str,
    pub at: jiff::Timestamp,
}

const INSERT_EVENT: &str =
    "INSERT INTO payment_event (id, provider, provider_ref, event, verified, detail, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

fn bounded(text: &str, max: usize) -> String {
    text.chars().filter(|c| *c != '\0').take(max).collect()
}

impl Tx {
    pub async fn record_payment_event(&mut self, e: &NewPaymentEvent<'_>) -> Result<()> {
        sqlx::query(INSERT_EVENT)
            .bind(crate::new_id("pev"))
            .bind(bounded(e.provider, 40))
            .bind(e.provider_ref.map(|r| bounded(r, 200)))
            .bind(bounded(e.event, 100))
            .bind(i64::from(e.verified))
            .bind(bounded(e.detail, DETAIL_MAX))
            .bind(micros(e.at))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// What the provider said it took, recorded once when the deposit is settled.
    pub async fn set_deposit_captured(&mut self, id: &DepositId, captured_ore: i64) -> Result<()> {
        sqlx::query("UPDATE deposit SET captured_ore = $1 WHERE id = $2 AND captured_ore IS NULL")
            .bind(captured_ore)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// A deposit by the provider's payment id.
    pub async fn deposit_id_by_provider_ref(
        &mut self,
        provider: &str,
        provider_ref: &str,
    ) -> Result<Option<DepositId>> {
        let row = sqlx::query("SELECT id FROM deposit WHERE provider = $1 AND provider_ref = $2")
            .bind(provider)
            .bind(provider_ref)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| r.try_get("id").map_err(Into::into)).transpose()
    }
}

impl Store {
    /// A refused callback is kept outside any use case's transaction.
    pub async fn record_payment_event(&self, e: &NewPaymentEvent<'_>) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.record_payment_event(e).await?;
        tx.commit().await
    }

    /// The callbacks about one payment, oldest first (at most 100).
    pub async fn payment_events(&self, provider: &str, provider_ref: &str) -> Result<Vec<PaymentEventRow>> {
        let rows = sqlx::query(
            "SELECT provider, provider_ref, event, verified, detail, received_at FROM payment_event
             WHERE provider = $1 AND provider_ref = $2 ORDER BY received_at, id LIMIT 100",
        )
        .bind(provider)
        .bind(provider_ref)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(event_from).collect()
    }

    /// Refused callbacks in a period, newest first (at most 500).
    pub async fn refused_payment_events(&self, from_us: i64, to_us: i64) -> Result<Vec<PaymentEventRow>> {
        let rows = sqlx::query(
            "SELECT provider, provider_ref, event, verified, detail, received_at FROM payment_event
             WHERE verified = 0 AND received_at >= $1 AND received_at < $2 ORDER BY received_at DESC, id DESC LIMIT 500",
        )
        .bind(from_us)
        .bind(to_us)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(event_from).collect()
    }

    /// The deposits and top-up charges started or settled in a period (at
    /// most 10,000 of each), with what reached the wallet for each, by
    /// provider and time.
    pub async fn payments_to_reconcile(&self, from_us: i64, to_us: i64) -> Result<Vec<ReconcileRow>> {
        let rows = sqlx::query(
            "SELECT d.id, d.provider, d.provider_ref, d.status, d.amount_ore, d.fee_ore, d.captured_ore,
                    CAST(COALESCE((SELECT SUM(p.amount_ore) FROM posting p
                              WHERE p.entry_id = d.entry_id AND p.account_id = d.wallet_id), 0) AS BIGINT)
                        AS credited_ore,
                    d.refunded_ore, d.entry_id, d.created_at, d.decided_at
             FROM deposit d
             WHERE (d.created_at >= $1 AND d.created_at < $2) OR (d.decided_at >= $1 AND d.decided_at < $2)
             ORDER BY d.provider, d.created_at, d.id LIMIT 10000",
        )
        .bind(from_us)
        .bind(to_us)
        .fetch_all(self.pool())
        .await?;
        let mut found = rows.iter().map(|r| reconcile_from(r, PaymentKind::Deposit)).collect::<Result<Vec<_>>>()?;
        let charges = sqlx::query(
            "SELECT c.id, a.provider, c.provider_ref, c.status, c.amount_ore, 0 AS fee_ore,
                    CASE WHEN c.status = 'succeeded' THEN c.amount_ore END AS captured_ore,
                    CAST(COALESCE((SELECT SUM(p.amount_ore) FROM posting p
                              WHERE p.entry_id = c.entry_id AND p.account_id = c.wallet_id), 0) AS BIGINT)
                        AS credited_ore,
                    0 AS refunded_ore, c.entry_id, c.created_at, c.settled_at AS decided_at
             FROM top_up_charge c JOIN top_up_agreement a ON a.id = c.agreement_id
             WHERE (c.created_at >= $1 AND c.created_at < $2) OR (c.settled_at >= $1 AND c.settled_at < $2)
             ORDER BY a.provider, c.created_at, c.id LIMIT 10000",
        )
        .bind(from_us)
        .bind(to_us)
        .fetch_all(self.pool())
        .await?;
        for row in &charges {
            found.push(reconcile_from(row, PaymentKind::TopUp)?);
        }
        found.sort_by(|a, b| {
            (&a.provider, a.created_at, &a.payment_id).cmp(&(&b.provider, b.created_at, &b.payment_id))
        });
        Ok(found)
    }

    /// Deposits still pending that were started before `before_us` (to poll).
    pub async fn pending_deposits_before(&self, before_us: i64, limit: i64) -> Result<Vec<DepositId>> {
        let rows = sqlx::query(
            "SELECT id FROM deposit WHERE status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2",
        )
        .bind(before_us)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| r.try_get("id").map_err(Into::into)).collect()
    }
}
