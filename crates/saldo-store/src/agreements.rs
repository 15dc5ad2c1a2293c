//! Top-up agreements (optankningsaftaler) in motion: which one a dip
//! triggers, its charges towards the provider, and their outcome.

use saldo_core::ids::{AgreementId, ChildId, EntryId, PersonId, WalletId};
use saldo_core::lifecycle::ChargeStatus;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::settle::Waiting;
use crate::{micros, new_id, state_from, Result, Store, Tx};

const CHARGE: Waiting = Waiting { table: "top_up_charge", status: "status", moved_at: "settled_at" };

/// An agreement with its charging state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub id: AgreementId,
    pub child_id: ChildId,
    pub person_id: PersonId,
    pub owner_name: String,
    pub threshold: Money,
    pub amount: Money,
    pub provider: String,
    pub token: String,
    pub active: bool,
    pub charging: bool,
    pub failures: i64,
    pub card: Option<crate::SavedCard>,
}

pub(crate) const AGREEMENT_SELECT: &str =
    "SELECT a.id, a.child_id, a.person_id, p.first_name, p.last_name, a.threshold_ore,
        a.amount_ore, a.provider, a.provider_token, a.status, a.charging_since, a.failures,
        a.card_last4, a.card_expires
     FROM top_up_agreement a JOIN person p ON p.id = a.person_id";

pub(crate) fn agreement_from(r: &AnyRow) -> Result<Agreement> {
    let first: String = r.try_get("first_name")?;
    let last: String = r.try_get("last_name")?;
    Ok(Agreement {
        id: r.try_get("id")?,
        child_id: r.try_get("child_id")?,
        person_id: r.try_get("person_id")?,
        owner_name: format!("{first} {last}"),
        threshold: Money::from_ore(r.try_get("threshold_ore")?),
        amount: Money::from_ore(r.try_get("amount_ore")?),
        provider: r.try_get("provider")?,
        token: r.try_get("provider_token")?,
        active: r.try_get::<String, _>("status")? == "active",
        charging: r.try_get::<Option<i64>, _>("charging_since")?.is_some(),
        failures: r.try_get("failures")?,
        card: match (r.try_get::<Option<String>, _>("card_last4")?, r.try_get::<Option<String>, _>("card_expires")?) {
            (Some(last4), Some(expires)) => Some(crate::SavedCard { last4, expires }),
            _ => None,
        },
    })
}

/// One charge attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeRow {
    pub id: String,
    pub agreement_id: AgreementId,
    pub wallet_id: WalletId,
    pub amount: Money,
    pub attempt: i64,
    pub idem_key: String,
    pub status: ChargeStatus,
    /// The provider's payment, once a charge answered "still processing".
    pub provider_ref: Option<String>,
}

fn charge_from(r: &AnyRow) -> Result<ChargeRow> {
    Ok(ChargeRow {
        id: r.try_get("id")?,
        agreement_id: r.try_get("agreement_id")?,
        wallet_id: r.try_get("wallet_id")?,
        amount: Money::from_ore(r.try_get("amount_ore")?),
        attempt: r.try_get("attempt")?,
        idem_key: r.try_get("idem_key")?,
        status: state_from(r, "status")?,
        provider_ref: r.try_get("provider_ref")?,
    })
}

impl Tx {
    /// A charge the provider is still processing: its payment is asked
    /// after by this reference from now on, never charged again.
    pub async fn set_charge_provider_ref(&mut self, id: &str, provider_ref: &str) -> Result<()> {
        sqlx::query(
            "UPDATE top_up_charge SET provider_ref = $1 WHERE id = $2 AND status = 'pending' AND provider_ref IS NULL",
        )
        .bind(provider_ref)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The agreement a balance of `balance` should trigger now, if any: the
    /// child's oldest active one whose threshold the balance is under, with no
    /// charge in flight and room left under the day's cap. The claim is a
    /// guarded write, so concurrent purchases start one charge between them.
    pub async fn claim_top_up(
        &mut self,
        child_id: &ChildId,
        balance: Money,
        day: &str,
        daily_cap: i64,
        at: jiff::Timestamp,
    ) -> Result<Option<Agreement>> {
        let sql = format!(
            "{AGREEMENT_SELECT} WHERE a.child_id = $1 AND a.status = 'active' AND a.charging_since IS NULL
               AND a.threshold_ore > $2
               AND (a.charges_day <> $3 OR a.charges_today < $4)
             ORDER BY a.created_at, a.id LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(child_id)
            .bind(balance.ore())
            .bind(day)
            .bind(daily_cap)
            .fetch_optional(self.conn())
            .await?;
        let Some(agreement) = row.as_ref().map(agreement_from).transpose()? else { return Ok(None) };
        let claimed = sqlx::query(
            "UPDATE top_up_agreement SET charging_since = $1 WHERE id = $2 AND charging_since IS NULL AND status = 'active'",
        )
        .bind(micros(at))
        .bind(&agreement.id)
        .execute(self.conn())
        .await?;
        Ok((claimed.rows_affected() == 1).then_some(agreement))
    }

    /// A charge attempt for a claimed agreement.
    pub async fn create_charge(
        &mut self,
        agreement: &Agreement,
        wallet_id: &WalletId,
        attempt: i64,
        at: jiff::Timestamp,
    ) -> Result<String> {
        let id = new_id("chg");
        sqlx::query(
            "INSERT INTO top_up_charge (id, agreement_id, wallet_id, amount_ore, attempt, idem_key, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
        )
        .bind(&id)
        .bind(&agreement.id)
        .bind(wallet_id)
        .bind(agreement.amount.ore())
        .bind(attempt)
        .bind(format!("topup-{id}"))
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    pub async fn charge(&mut self, id: &str) -> Result<Option<ChargeRow>> {
        let row = sqlx::query(
            "SELECT id, agreement_id, wallet_id, amount_ore, attempt, idem_key, status, provider_ref
             FROM top_up_charge WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(charge_from).transpose()
    }

    pub async fn agreement(&mut self, id: &AgreementId) -> Result<Option<Agreement>> {
        let sql = format!("{AGREEMENT_SELECT} WHERE a.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.conn()).await?;
        row.as_ref().map(agreement_from).transpose()
    }

    /// Settles a pending charge once.
    pub async fn settle_charge(
        &mut self,
        id: &str,
        to: ChargeStatus,
        provider_ref: Option<&str>,
        entry_id: Option<&EntryId>,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let also = [("provider_ref", provider_ref), ("entry_id", entry_id.map(EntryId::as_str))];
        self.settle_once(&CHARGE, id, &[ChargeStatus::Pending], to, &also, at).await
    }

    /// A charge the owner cancelled (by pausing or changing the agreement)
    /// while the provider was already charging it: the money came, and the
    /// charge says so.
    pub async fn record_late_success(
        &mut self,
        id: &str,
        provider_ref: &str,
        entry_id: Option<&EntryId>,
        at: jiff::Timestamp,
    ) -> Result<()> {
        use ChargeStatus::*;
        let also = [("provider_ref", Some(provider_ref)), ("entry_id", entry_id.map(EntryId::as_str))];
        self.settle_once(&CHARGE, id, &[Declined, NeedsCardholder], Succeeded, &also, at).await?;
        Ok(())
    }

    /// Cancels the agreement's charges that have not been sent yet (marked
    /// declined, with no provider reference): whatever the owner changed
    /// starts afresh, and an old attempt cannot charge a new card.
    async fn cancel_pending_charges(&mut self, agreement_id: &AgreementId, at: jiff::Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE top_up_charge SET status = 'declined', settled_at = $1 WHERE agreement_id = $2 AND status = 'pending'",
        )
        .bind(micros(at))
        .bind(agreement_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// After a successful charge: nothing in flight, no failures, one more today.
    pub async fn top_up_succeeded(&mut self, agreement_id: &AgreementId, day: &str) -> Result<()> {
        sqlx::query(
            "UPDATE top_up_agreement SET charging_since = NULL, failures = 0,
                 charges_today = (CASE WHEN charges_day = $1 THEN charges_today ELSE 0 END) + 1, charges_day = $1
             WHERE id = $2",
        )
        .bind(day)
        .bind(agreement_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// After a refused charge: one more failure; answers the count.
    pub async fn top_up_failed(&mut self, agreement_id: &AgreementId) -> Result<i64> {
        let row = sqlx::query("UPDATE top_up_agreement SET failures = failures + 1 WHERE id = $1 RETURNING failures")
            .bind(agreement_id)
            .fetch_one(self.conn())
            .await?;
        Ok(row.try_get("failures")?)
    }

    /// New threshold and amount on the same saved card.
    pub async fn set_agreement_terms(
        &mut self,
        agreement_id: &AgreementId,
        threshold: Money,
        amount: Money,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE top_up_agreement SET threshold_ore = $1, amount_ore = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(threshold.ore())
        .bind(amount.ore())
        .bind(micros(at))
        .bind(agreement_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Pauses or resumes an agreement (repeated declines, or its owner's
    /// wish); a charge not yet sent is cancelled.
    pub async fn set_agreement_status(
        &mut self,
        agreement_id: &AgreementId,
        active: bool,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE top_up_agreement SET status = $1, charging_since = NULL, failures = 0, updated_at = $2 WHERE id = $3",
        )
        .bind(if active { "active" } else { "paused" })
        .bind(micros(at))
        .bind(agreement_id)
        .execute(self.conn())
        .await?;
        self.cancel_pending_charges(agreement_id, at).await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn update_agreement_terms(
        &mut self,
        agreement_id: &AgreementId,
        threshold: Money,
        amount: Money,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE top_up_agreement SET threshold_ore = $1, amount_ore = $2, updated_at = $3 WHERE id = $4")
            .bind(threshold.ore())
            .bind(amount.ore())
            .bind(micros(at))
            .bind(agreement_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Removes an agreement with its charge history (the money moved stays in the ledger).
    pub async fn delete_agreement(&mut self, agreement_id: &AgreementId) -> Result<()> {
        sqlx::query("DELETE FROM top_up_charge WHERE agreement_id = $1")
            .bind(agreement_id)
            .execute(self.conn())
            .await?;
        sqlx::query("DELETE FROM top_up_agreement WHERE id = $1").bind(agreement_id).execute(self.conn()).await?;
        Ok(())
    }

    /// A new agreement, or new terms and token for the person's existing one
    /// (one per person and child). The agreement's `id` and `status` are the
    /// new row's; an existing one keeps its id and becomes active.
    pub async fn save_agreement(&mut self, agreement: &crate::NewAgreement, at: jiff::Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO top_up_agreement (id, child_id, person_id, threshold_ore, amount_ore, provider, provider_token,
                 status, created_at, updated_at, card_last4, card_expires)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $8, $9, $10)
             ON CONFLICT (child_id, person_id) DO UPDATE SET threshold_ore = $4, amount_ore = $5, provider = $6,
                 provider_token = $7, status = 'active', failures = 0, charging_since = NULL, updated_at = $8,
                 card_last4 = $9, card_expires = $10, expiry_reminded = NULL",
        )
        .bind(&agreement.id)
        .bind(&agreement.child_id)
        .bind(&agreement.person_id)
        .bind(agreement.threshold.ore())
        .bind(agreement.amount.ore())
        .bind(&agreement.provider)
        .bind(&agreement.provider_token)
        .bind(micros(at))
        .bind(agreement.card.as_ref().map(|c| c.last4.clone()))
        .bind(agreement.card.as_ref().map(|c| c.expires.clone()))
        .execute(self.conn())
        .await?;
        // A new card and terms: an attempt on the old card is not sent.
        let id = sqlx::query("SELECT id FROM top_up_agreement WHERE child_id = $1 AND person_id = $2")
            .bind(&agreement.child_id)
            .bind(&agreement.person_id)
            .fetch_one(self.conn())
            .await?
            .try_get::<String, _>("id")?;
        self.cancel_pending_charges(&AgreementId::new(id.clone()), at).await?;
        Ok(())
    }

    pub async fn create_top_up_setup(
        &mut self,
        id: &str,
        child_id: &ChildId,
        person_id: &PersonId,
        threshold: Money,
        amount: Money,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO top_up_setup (id, child_id, person_id, threshold_ore, amount_ore, status, created_at)
             VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
        )
        .bind(id)
        .bind(child_id)
        .bind(person_id)
        .bind(threshold.ore())
        .bind(amount.ore())
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Finishes a pending set-up once; answers (child, person, threshold, amount).
    pub async fn finish_top_up_setup(
        &mut self,
        id: &str,
        ok: bool,
    ) -> Result<Option<(ChildId, PersonId, Money, Money)>> {
        let row = sqlx::query(
            "UPDATE top_up_setup SET status = $1 WHERE id = $2 AND status = 'pending'
             RETURNING child_id, person_id, threshold_ore, amount_ore",
        )
        .bind(if ok { "done" } else { "failed" })
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok((
                r.try_get("child_id")?,
                r.try_get("person_id")?,
                Money::from_ore(r.try_get("threshold_ore")?),
                Money::from_ore(r.try_get("amount_ore")?),
            ))
        })
        .transpose()
    }

    /// Marks that the owner was reminded of this card's expiry; false when
    /// someone already did (another runner) or the card has since changed.
    pub async fn mark_expiry_reminded(&mut self, agreement_id: &AgreementId, expires: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE top_up_agreement SET expiry_reminded = $2
             WHERE id = $1 AND card_expires = $2 AND (expiry_reminded IS NULL OR expiry_reminded <> $2)",
        )
        .bind(agreement_id)
        .bind(expires)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The sandbox provider's charge by token, once per idempotency key;
    /// answers the outcome that stands and its reference.
    pub async fn sandbox_charge(
        &mut self,
        idem_key: &str,
        token: &str,
        amount_ore: i64,
        outcome: &str,
        at: jiff::Timestamp,
    ) -> Result<(String, String)> {
        sqlx::query(
            "INSERT INTO sandbox_charge (idem_key, token, amount_ore, outcome, provider_ref, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idem_key) DO NOTHING",
        )
        .bind(idem_key)
        .bind(token)
        .bind(amount_ore)
        .bind(outcome)
        .bind(new_id("sbxc"))
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        let row = sqlx::query("SELECT outcome, provider_ref FROM sandbox_charge WHERE idem_key = $1")
            .bind(idem_key)
            .fetch_one(self.conn())
            .await?;
        Ok((row.try_get("outcome")?, row.try_get("provider_ref")?))
    }
}

impl Store {
    /// Every agreement on a child, with its owner's name (never the payment details).
    pub async fn agreements_on_child(&self, child_id: &ChildId) -> Result<Vec<Agreement>> {
        let sql = format!("{AGREEMENT_SELECT} WHERE a.child_id = $1 ORDER BY a.created_at, a.id");
        let rows = sqlx::query(&sql).bind(child_id).fetch_all(self.pool()).await?;
        rows.iter().map(agreement_from).collect()
    }

    /// Active agreements whose saved card expires in `last_month` (`YYYY-MM`)
    /// or earlier, and whose owner has not been reminded of that card yet.
    pub async fn agreements_to_remind(&self, last_month: &str) -> Result<Vec<Agreement>> {
        let sql = format!(
            "{AGREEMENT_SELECT} WHERE a.status = 'active' AND a.card_expires <= $1
                 AND (a.expiry_reminded IS NULL OR a.expiry_reminded <> a.card_expires)
             ORDER BY a.card_expires, a.id"
        );
        let rows = sqlx::query(&sql).bind(last_month).fetch_all(self.pool()).await?;
        rows.iter().map(agreement_from).collect()
    }

    /// How many charges the sandbox made for a key (tests of at-most-once).
    pub async fn sandbox_charges(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM sandbox_charge WHERE outcome = 'succeeded'")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn charges_of_agreement(&self, agreement_id: &AgreementId) -> Result<Vec<ChargeRow>> {
        let rows = sqlx::query(
            "SELECT id, agreement_id, wallet_id, amount_ore, attempt, idem_key, status, provider_ref FROM top_up_charge
             WHERE agreement_id = $1 ORDER BY created_at, id",
        )
        .bind(agreement_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(charge_from).collect()
    }
}
