//! Payouts to the card: refunds of a custodian's own deposits at the payment
//! provider, and the sandbox provider's record of the refunds it made.

use saldo_core::ids::{ChildId, DepositId, PersonId, WalletId, WithdrawalId};
use saldo_core::lifecycle::RefundStatus;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::settle::Waiting;
use crate::{micros, new_id, state_from, Result, Store, Tx};

const REFUND: Waiting = Waiting { table: "payout_refund", status: "status", moved_at: "settled_at" };

/// A deposit with money left to give back to the card that paid it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundableDeposit {
    pub id: DepositId,
    pub provider_ref: String,
    pub left: Money,
}

/// One refund of a payout, as the job that asks the provider needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayoutRefundRow {
    pub id: String,
    pub withdrawal_id: WithdrawalId,
    pub deposit_id: DepositId,
    /// The deposit's payment at the provider.
    pub payment_ref: String,
    /// The deposit's provider, which refunds it.
    pub provider: String,
    /// The provider's refund, once it answered "still processing".
    pub refund_ref: Option<String>,
    pub amount: Money,
    pub idem_key: String,
    pub status: RefundStatus,
    pub wallet_id: WalletId,
    pub person_id: PersonId,
    pub child_first_name: String,
    pub child_name: String,
    pub person_name: String,
    pub created_at: i64,
}

const REFUND_SELECT: &str = "SELECT r.id, r.withdrawal_id, r.deposit_id,
        COALESCE(d.provider_ref, (SELECT paid.provider_ref FROM deposit paid WHERE paid.id = d.paid_with)) AS payment_ref,
        d.provider, r.provider_ref AS refund_ref, r.amount_ore,
        r.idem_key, r.status, d.wallet_id, d.person_id, c.first_name AS child_first_name,
        c.first_name || ' ' || c.last_name AS child_name,
        p.first_name || ' ' || p.last_name AS person_name, r.created_at
     FROM payout_refund r JOIN deposit d ON d.id = r.deposit_id JOIN child c ON c.id = d.child_id
     JOIN person p ON p.id = d.person_id";

fn refund_from(r: &AnyRow) -> Result<PayoutRefundRow> {
    Ok(PayoutRefundRow {
        id: r.try_get("id")?,
        withdrawal_id: r.try_get("withdrawal_id")?,
        deposit_id: r.try_get("deposit_id")?,
        payment_ref: r.try_get("payment_ref")?,
        provider: r.try_get("provider")?,
        refund_ref: r.try_get("refund_ref")?,
        amount: Money::from_ore(r.try_get("amount_ore")?),
        idem_key: r.try_get("idem_key")?,
        status: state_from(r, "status")?,
        wallet_id: r.try_get("wallet_id")?,
        person_id: r.try_get("person_id")?,
        child_first_name: r.try_get("child_first_name")?,
        child_name: r.try_get("child_name")?,
        person_name: r.try_get("person_name")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A child's part of a payment for several children is refunded against that payment.
const REFUNDABLE: &str = "SELECT d.id, COALESCE(d.provider_ref, paid.provider_ref) AS provider_ref,
            d.amount_ore - d.refunded_ore AS left_ore
     FROM deposit d LEFT JOIN deposit paid ON paid.id = d.paid_with
     WHERE d.child_id = $1 AND d.person_id = $2 AND d.provider = $3 AND d.status = 'confirmed'
       AND COALESCE(d.provider_ref, paid.provider_ref) IS NOT NULL AND d.amount_ore > d.refunded_ore
     ORDER BY d.created_at DESC, d.id DESC";

fn refundable_from(r: &AnyRow) -> Result<RefundableDeposit> {
    Ok(RefundableDeposit {
        id: r.try_get("id")?,
        provider_ref: r.try_get("provider_ref")?,
        left: Money::from_ore(r.try_get("left_ore")?),
    })
}

impl Store {
    pub async fn payout_refunds_of(&self, withdrawal_id: &WithdrawalId) -> Result<Vec<PayoutRefundRow>> {
        let sql = format!("{REFUND_SELECT} WHERE r.withdrawal_id = $1 ORDER BY r.created_at, r.id");
        let rows = sqlx::query(&sql).bind(withdrawal_id).fetch_all(self.pool()).await?;
        rows.iter().map(refund_from).collect()
    }

    /// Refunds the provider refused, newest first: the operator pays those another way.
    pub async fn refused_payout_refunds(&self, limit: i64) -> Result<Vec<PayoutRefundRow>> {
        let sql = format!("{REFUND_SELECT} WHERE r.status = 'refused' ORDER BY r.created_at DESC, r.id DESC LIMIT $1");
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(refund_from).collect()
    }

    /// Refunds still waiting whose job the runner gave up on (the provider
    /// did not answer through every retry): nobody knows yet whether the money
    /// went back, so the operator asks again from the job queue.
    pub async fn unanswered_payout_refunds(&self, limit: i64) -> Result<Vec<PayoutRefundRow>> {
        let sql = format!(
            "{REFUND_SELECT} WHERE r.status = 'pending' AND EXISTS (
                 SELECT 1 FROM outbox o WHERE o.kind = 'payout_refund' AND o.payload = r.id
                   AND o.done_at IS NOT NULL AND o.last_error IS NOT NULL)
             ORDER BY r.created_at DESC, r.id DESC LIMIT $1"
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(refund_from).collect()
    }

    /// How many refunds the sandbox made (tests of at-most-once).
    pub async fn sandbox_refunds(&self) -> Result<Vec<(String, Money)>> {
        let rows = sqlx::query(
            "SELECT payment_ref, amount_ore FROM sandbox_refund WHERE outcome = 'refunded' ORDER BY created_at",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get("payment_ref")?, Money::from_ore(r.try_get("amount_ore")?)))).collect()
    }
}

impl Tx {
    /// What the person paid in for the child through `provider` and has not had back, newest first.
    pub async fn refundable_deposits(
        &mut self,
        child_id: &ChildId,
        person_id: &PersonId,
        provider: &str,
    ) -> Result<Vec<RefundableDeposit>> {
        let rows = sqlx::query(REFUNDABLE).bind(child_id).bind(person_id).bind(provider).fetch_all(self.conn()).await?;
        rows.iter().map(refundable_from).collect()
    }

    /// What is left to refund of a deposit, as committed now.
    pub async fn deposit_refund_left(&mut self, deposit_id: &DepositId) -> Result<Money> {
        let row = sqlx::query("SELECT amount_ore - refunded_ore AS left_ore FROM deposit WHERE id = $1")
            .bind(deposit_id)
            .fetch_one(self.conn())
            .await?;
        Ok(Money::from_ore(row.try_get("left_ore")?))
    }

    /// Gives a part set aside on a deposit back (the provider refused to refund it).
    pub async fn release_deposit_refund(&mut self, deposit_id: &DepositId, amount: Money) -> Result<()> {
        sqlx::query("UPDATE deposit SET refunded_ore = refunded_ore - $1 WHERE id = $2 AND refunded_ore >= $1")
            .bind(amount.ore())
            .bind(deposit_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Sets `amount` of a deposit aside for a refund, only if that much is left of it.
    pub async fn reserve_deposit_refund(&mut self, deposit_id: &DepositId, amount: Money) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE deposit SET refunded_ore = refunded_ore + $1 WHERE id = $2 AND refunded_ore + $1 <= amount_ore",
        )
        .bind(amount.ore())
        .bind(deposit_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn create_payout_refund(
        &mut self,
        withdrawal_id: &WithdrawalId,
        deposit_id: &DepositId,
        amount: Money,
        at: jiff::Timestamp,
    ) -> Result<String> {
        let id = new_id("prf");
        sqlx::query(
            "INSERT INTO payout_refund (id, withdrawal_id, deposit_id, amount_ore, idem_key, status, created_at)
             VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
        )
        .bind(&id)
        .bind(withdrawal_id)
        .bind(deposit_id)
        .bind(amount.ore())
        .bind(format!("refund-{id}"))
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    pub async fn payout_refund(&mut self, id: &str) -> Result<Option<PayoutRefundRow>> {
        let sql = format!("{REFUND_SELECT} WHERE r.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.conn()).await?;
        row.as_ref().map(refund_from).transpose()
    }

    /// Settles a pending refund once.
    /// A refund the provider is still processing: asked after by this reference from now on.
    pub async fn set_refund_provider_ref(&mut self, id: &str, refund_ref: &str) -> Result<()> {
        sqlx::query(
            "UPDATE payout_refund SET provider_ref = $1 WHERE id = $2 AND status = 'pending' AND provider_ref IS NULL",
        )
        .bind(refund_ref)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    pub async fn settle_payout_refund(
        &mut self,
        id: &str,
        to: RefundStatus,
        provider_ref: &str,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let also = [("provider_ref", Some(provider_ref))];
        self.settle_once(&REFUND, id, &[RefundStatus::Pending], to, &also, at).await
    }

    /// The sandbox provider's refund, once per idempotency key: refunded if
    /// the payment was approved and that much of it is not refunded yet.
    /// Answers the outcome that stands and its reference.
    pub async fn sandbox_refund(
        &mut self,
        idem_key: &str,
        payment_ref: &str,
        amount: Money,
        at: jiff::Timestamp,
    ) -> Result<(String, String)> {
        // Holds the payment's row until this refund is written: refunds of one
        // payment are decided one at a time, so together they never exceed it.
        sqlx::query("UPDATE sandbox_payment SET status = status WHERE provider_ref = $1")
            .bind(payment_ref)
            .execute(self.conn())
            .await?;
        let known = sqlx::query("SELECT outcome, refund_ref FROM sandbox_refund WHERE idem_key = $1")
            .bind(idem_key)
            .fetch_optional(self.conn())
            .await?;
        if let Some(r) = known {
            return Ok((r.try_get("outcome")?, r.try_get("refund_ref")?));
        }
        let paid =
            sqlx::query("SELECT amount_ore FROM sandbox_payment WHERE provider_ref = $1 AND status = 'approved'")
                .bind(payment_ref)
                .fetch_optional(self.conn())
                .await?
                .map(|r| r.try_get::<i64, _>("amount_ore"))
                .transpose()?;
        let refunded: i64 =
            sqlx::query("SELECT amount_ore FROM sandbox_refund WHERE payment_ref = $1 AND outcome = 'refunded'")
                .bind(payment_ref)
                .fetch_all(self.conn())
                .await?
                .iter()
                .map(|r| r.try_get::<i64, _>("amount_ore"))
                .sum::<std::result::Result<i64, _>>()?;
        let fits = paid.is_some_and(|paid| amount.is_positive() && refunded + amount.ore() <= paid);
        let outcome = if fits { "refunded" } else { "refused" };
        let refund_ref = new_id("sbxr");
        sqlx::query(
            "INSERT INTO sandbox_refund (idem_key, payment_ref, amount_ore, outcome, refund_ref, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(idem_key)
        .bind(payment_ref)
        .bind(amount.ore())
        .bind(outcome)
        .bind(&refund_ref)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok((outcome.to_owned(), refund_ref))
    }
}
