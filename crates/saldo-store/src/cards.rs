//! Cards: finding one by what a till read, issuing and changing state.

use saldo_core::ids::{CardId, ChildId, InstitutionId, WalletId};
use saldo_core::{CardIdentifier, CardState, Money};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{micros, new_id, Result, StoreError, Tx};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardRow {
    pub id: CardId,
    pub number: String,
    pub chip_uid: Option<String>,
    pub child_id: Option<ChildId>,
    pub state: CardState,
}

pub(crate) fn card_from(row: &AnyRow) -> Result<CardRow> {
    let state: String = row.try_get("state")?;
    Ok(CardRow {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        chip_uid: row.try_get("chip_uid")?,
        child_id: row.try_get("child_id")?,
        state: state.parse().map_err(|_| StoreError::Corrupt(format!("card state {state:?}")))?,
    })
}

impl Tx {
    pub async fn find_card(&mut self, card: &CardIdentifier) -> Result<Option<CardRow>> {
        let (sql, value) = match card {
            CardIdentifier::Number(n) => {
                ("SELECT id, number, chip_uid, child_id, state FROM card WHERE number = $1", n.digits())
            }
            CardIdentifier::Chip(uid) => {
                ("SELECT id, number, chip_uid, child_id, state FROM card WHERE chip_uid = $1", uid.as_str().to_owned())
            }
        };
        let row = sqlx::query(sql).bind(value).fetch_optional(self.conn()).await?;
        row.as_ref().map(card_from).transpose()
    }

    /// Registers a card that is already in a child's hands (demo, import).
    pub async fn issue_card(
        &mut self,
        number: &str,
        chip_uid: Option<&str>,
        child_id: &ChildId,
        state: CardState,
        at: jiff::Timestamp,
    ) -> Result<CardId> {
        let id = CardId::new(new_id("card"));
        sqlx::query(
            "INSERT INTO card (id, number, chip_uid, child_id, state, issued_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&id)
        .bind(number)
        .bind(chip_uid)
        .bind(child_id)
        .bind(state.as_str())
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// Moves a card from one state to another, only if it is still in `from`
    /// (so two clerks blocking at once do not both think they did it).
    pub async fn set_card_state(
        &mut self,
        card_id: &CardId,
        from: CardState,
        to: CardState,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query("UPDATE card SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
            .bind(to.as_str())
            .bind(micros(at))
            .bind(card_id)
            .bind(from.as_str())
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// A card as the till needs it: state, child's first name, wallet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TillCard {
    pub card_id: CardId,
    pub state: CardState,
    pub child_first_name: Option<String>,
    pub wallet_id: Option<WalletId>,
    pub child_id: Option<ChildId>,
    /// A custodian's note for the staff (an allergy), shown on every scan.
    pub till_note: String,
    /// The wallet as it was read with the card (the guarded write decides).
    pub wallet: Option<crate::WalletRow>,
    /// How many categories a custodian has blocked for the child (0: none to read).
    pub blocked_categories: i64,
    /// The highest threshold of the child's active top-up agreements: a
    /// balance left below it may start a top-up.
    pub top_up_below: Option<Money>,
    /// The highest amount someone asked to be mailed below.
    pub notify_below: Option<Money>,
}

impl Tx {
    /// One read for the till: the card, whose it is, and the wallet it pays from.
    pub async fn card_at_till(&mut self, card: &CardIdentifier) -> Result<Option<TillCard>> {
        let (column, value) = match card {
            CardIdentifier::Number(n) => ("number", n.digits()),
            CardIdentifier::Chip(uid) => ("chip_uid", uid.as_str().to_owned()),
        };
        // One round trip for everything the sale decides on, and for whether
        // the after-debit rules can have anything to do (most sales: no).
        let sql = format!(
            "SELECT c.id, c.state, ch.first_name, ch.id AS child_id, ch.till_note,
                    w.id AS wallet_id, w.child_id AS wallet_child_id, w.status, w.balance_ore, w.daily_limit_ore,
                    w.spent_day, w.spent_today_ore,
                    (SELECT COUNT(*) FROM child_category_block b WHERE b.child_id = c.child_id) AS blocked,
                    (SELECT MAX(a.threshold_ore) FROM top_up_agreement a
                      WHERE a.child_id = c.child_id AND a.status = 'active') AS top_up_below,
                    (SELECT MAX(n.threshold_ore) FROM low_balance_notice n WHERE n.child_id = c.child_id) AS notify_below
             FROM card c
             LEFT JOIN child ch ON ch.id = c.child_id LEFT JOIN wallet w ON w.child_id = c.child_id
             WHERE c.{column} = $1"
        );
        let row = sqlx::query(&sql).bind(value).fetch_optional(self.conn()).await?;
        row.map(|r| {
            let state: String = r.try_get("state")?;
            let wallet_id: Option<WalletId> = r.try_get("wallet_id")?;
            let wallet = match &wallet_id {
                Some(id) => Some(crate::WalletRow {
                    id: id.clone(),
                    child_id: r.try_get("wallet_child_id")?,
                    open: r.try_get::<String, _>("status")? == "open",
                    balance: Money::from_ore(r.try_get("balance_ore")?),
                    daily_limit: r.try_get::<Option<i64>, _>("daily_limit_ore")?.map(Money::from_ore),
                    spent_day: r.try_get("spent_day")?,
                    spent_today_stored: Money::from_ore(r.try_get("spent_today_ore")?),
                }),
                None => None,
            };
            Ok(TillCard {
                card_id: r.try_get("id")?,
                state: state.parse().map_err(|_| StoreError::Corrupt(format!("card state {state:?}")))?,
                child_first_name: r.try_get("first_name")?,
                wallet_id,
                child_id: r.try_get("child_id")?,
                till_note: r.try_get::<Option<String>, _>("till_note")?.unwrap_or_default(),
                wallet,
                blocked_categories: r.try_get("blocked")?,
                top_up_below: r.try_get::<Option<i64>, _>("top_up_below")?.map(Money::from_ore),
                notify_below: r.try_get::<Option<i64>, _>("notify_below")?.map(Money::from_ore),
            })
        })
        .transpose()
    }
}

/// An active card with its child and wallet, for listings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveCard {
    pub number: String,
    pub child_id: ChildId,
    pub first_name: String,
    pub balance: saldo_core::Money,
    pub daily_limit: Option<saldo_core::Money>,
    /// The first custodian's e-mail, and the institution whose office serves the child.
    pub custodian_email: Option<String>,
    pub office: Option<String>,
}

impl crate::Store {
    pub async fn active_cards(&self, limit: i64) -> Result<Vec<ActiveCard>> {
        let rows = sqlx::query(
            "SELECT c.number, ch.id AS child_id, ch.first_name, w.balance_ore, w.daily_limit_ore,
                (SELECT p.email FROM relation r JOIN person p ON p.id = r.person_id
                 WHERE r.child_id = ch.id AND r.kind = 'custodian' ORDER BY p.created_at, p.id LIMIT 1) AS custodian_email,
                (SELECT i.name FROM institution i WHERE i.id = COALESCE(ch.school_id, ch.club_id)) AS office
             FROM card c JOIN child ch ON ch.id = c.child_id JOIN wallet w ON w.child_id = ch.id
             WHERE c.state = 'active' ORDER BY ch.created_at, ch.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ActiveCard {
                    number: r.try_get("number")?,
                    child_id: r.try_get("child_id")?,
                    first_name: r.try_get("first_name")?,
                    balance: saldo_core::Money::from_ore(r.try_get("balance_ore")?),
                    daily_limit: r.try_get::<Option<i64>, _>("daily_limit_ore")?.map(saldo_core::Money::from_ore),
                    custodian_email: r.try_get("custodian_email")?,
                    office: r.try_get("office")?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// A blank card into an office's stock: no child yet, an activation code's hash if it has one.
    pub async fn stock_card(
        &mut self,
        number: &str,
        chip_uid: Option<&str>,
        institution_id: &InstitutionId,
        activation_code_hash: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<CardId> {
        let id = CardId::new(new_id("card"));
        sqlx::query(
            "INSERT INTO card (id, number, chip_uid, state, institution_id, activation_code_hash, issued_at, updated_at)
             VALUES ($1, $2, $3, 'in_stock', $4, $5, $6, $6)",
        )
        .bind(&id)
        .bind(number)
        .bind(chip_uid)
        .bind(institution_id)
        .bind(activation_code_hash)
        .bind(micros(at))
        .execute(self.conn())
        .await?;
        Ok(id)
    }
}

impl Tx {
    /// A card with its child, for changes a family or an office makes.
    pub async fn card(&mut self, card_id: &CardId) -> Result<Option<CardRow>> {
        let row = sqlx::query("SELECT id, number, chip_uid, child_id, state FROM card WHERE id = $1")
            .bind(card_id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(card_from).transpose()
    }
}
