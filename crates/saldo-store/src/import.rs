//! The move-over from the old system: what the database already holds, keyed
//! the way the old system's export is (legacy numbers, card numbers), and the
//! batched writes an import of thousands of children needs to take seconds.
//!
//! Balances are not written here: they move by journal entries through
//! [`Tx::post`], like every other balance.

use std::collections::HashMap;
use std::fmt::Write as _;

use saldo_core::ledger::AccountId;
use saldo_core::{CardState, Money};
use sqlx::Row;

use crate::{micros, InstitutionKind, RelationKind, Result, StoreError, Tx};

/// At most this many bound values in one statement. Far below what either
/// engine allows; larger statements get slower per row on SQLite (measured:
/// 500 values per statement inserts 20,000 people in 0.2 s, 16,000 in 3 s),
/// and on PostgreSQL 500 is already a hundred rows per round trip.
const MAX_PARAMS: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingInstitution {
    pub id: String,
    pub legacy_no: Option<String>,
    pub name: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingPerson {
    pub id: String,
    pub legacy_no: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingChild {
    pub id: String,
    pub legacy_no: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<String>,
    pub school_id: Option<String>,
    pub club_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingWallet {
    pub id: String,
    pub child_id: String,
    pub open: bool,
    pub balance: Money,
    pub daily_limit: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingCard {
    pub id: String,
    pub number: String,
    pub chip_uid: Option<String>,
    pub child_id: Option<String>,
    pub state: CardState,
    pub issued_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingAgreement {
    pub id: String,
    pub child_id: String,
    pub person_id: String,
    pub threshold: Money,
    pub amount: Money,
    pub provider: String,
    pub provider_token: String,
    pub status: String,
}

/// Everything an import compares the export with, read in one go (a handful
/// of queries, not one per row).
#[derive(Clone, Debug, Default)]
pub struct ExistingData {
    /// (id, name) of every municipality.
    pub municipalities: Vec<(String, String)>,
    pub institutions: Vec<ExistingInstitution>,
    pub people: Vec<ExistingPerson>,
    pub children: Vec<ExistingChild>,
    pub wallets: Vec<ExistingWallet>,
    /// (child id, person id, kind)
    pub relations: Vec<(String, String, String)>,
    pub cards: Vec<ExistingCard>,
    pub agreements: Vec<ExistingAgreement>,
    /// What migration entries have put on each wallet, by wallet id.
    pub migrated: HashMap<String, Money>,
}

/// A new institution from the export.
#[derive(Clone, Debug)]
pub struct NewInstitution {
    pub id: String,
    pub legacy_no: String,
    pub name: String,
    pub kind: InstitutionKind,
}

#[derive(Clone, Debug)]
pub struct NewPerson {
    pub id: String,
    pub legacy_no: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct NewChild {
    pub id: String,
    pub legacy_no: String,
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`
    pub birth_date: Option<String>,
    pub school_id: Option<String>,
    pub club_id: Option<String>,
}

/// A child's wallet: open, empty (its balance arrives by a migration entry).
#[derive(Clone, Debug)]
pub struct NewWallet {
    pub id: String,
    pub child_id: String,
    pub daily_limit: Option<Money>,
}

#[derive(Clone, Debug)]
pub struct NewCard {
    pub id: String,
    pub number: String,
    pub chip_uid: Option<String>,
    pub child_id: String,
    pub state: CardState,
    pub issued_at: jiff::Timestamp,
}

#[derive(Clone, Debug)]
pub struct NewAgreement {
    pub id: String,
    pub child_id: String,
    pub person_id: String,
    pub threshold: Money,
    pub amount: Money,
    pub provider: String,
    pub provider_token: String,
    /// `active` or `paused`
    pub status: &'static str,
    /// Unknown for agreements moved over from the old system.
    pub card: Option<SavedCard>,
}

/// The card behind an agreement, as its owner may see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedCard {
    pub last4: String,
    /// `YYYY-MM`: the card works through the end of that month.
    pub expires: String,
}

/// A value bound into a batched insert.
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(Some(s.into()))
}

fn opt_text(s: Option<String>) -> Value {
    Value::Text(s)
}

impl Tx {
    /// Reads what an import compares with.
    pub async fn existing_data(&mut self) -> Result<ExistingData> {
        let mut data = ExistingData::default();
        for r in sqlx::query("SELECT id, name FROM municipality ORDER BY id").fetch_all(self.conn()).await? {
            data.municipalities.push((r.try_get("id")?, r.try_get("name")?));
        }
        for r in sqlx::query("SELECT id, legacy_no, name, kind FROM institution").fetch_all(self.conn()).await? {
            data.institutions.push(ExistingInstitution {
                id: r.try_get("id")?,
                legacy_no: r.try_get("legacy_no")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
            });
        }
        for r in sqlx::query("SELECT id, legacy_no, first_name, last_name, email, phone FROM person")
            .fetch_all(self.conn())
            .await?
        {
            data.people.push(ExistingPerson {
                id: r.try_get("id")?,
                legacy_no: r.try_get("legacy_no")?,
                first_name: r.try_get("first_name")?,
                last_name: r.try_get("last_name")?,
                email: r.try_get("email")?,
                phone: r.try_get("phone")?,
            });
        }
        for r in sqlx::query("SELECT id, legacy_no, first_name, last_name, birth_date, school_id, club_id FROM child")
            .fetch_all(self.conn())
            .await?
        {
            data.children.push(ExistingChild {
                id: r.try_get("id")?,
                legacy_no: r.try_get("legacy_no")?,
                first_name: r.try_get("first_name")?,
                last_name: r.try_get("last_name")?,
                birth_date: r.try_get("birth_date")?,
                school_id: r.try_get("school_id")?,
                club_id: r.try_get("club_id")?,
            });
        }
        for r in sqlx::query("SELECT id, child_id, status, balance_ore, daily_limit_ore FROM wallet")
            .fetch_all(self.conn())
            .await?
        {
            data.wallets.push(ExistingWallet {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                open: r.try_get::<String, _>("status")? == "open",
                balance: Money::from_ore(r.try_get("balance_ore")?),
                daily_limit: r.try_get::<Option<i64>, _>("daily_limit_ore")?.map(Money::from_ore),
            });
        }
        for r in sqlx::query("SELECT child_id, person_id, kind FROM relation").fetch_all(self.conn()).await? {
            data.relations.push((r.try_get("child_id")?, r.try_get("person_id")?, r.try_get("kind")?));
        }
        for r in sqlx::query("SELECT id, number, chip_uid, child_id, state, issued_at FROM card")
            .fetch_all(self.conn())
            .await?
        {
            let state: String = r.try_get("state")?;
            data.cards.push(ExistingCard {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                chip_uid: r.try_get("chip_uid")?,
                child_id: r.try_get("child_id")?,
                state: state.parse().map_err(|_| StoreError::Corrupt(format!("card state {state:?}")))?,
                issued_at: r.try_get("issued_at")?,
            });
        }
        for r in sqlx::query(
            "SELECT id, child_id, person_id, threshold_ore, amount_ore, provider, provider_token, status
             FROM top_up_agreement",
        )
        .fetch_all(self.conn())
        .await?
        {
            data.agreements.push(ExistingAgreement {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                person_id: r.try_get("person_id")?,
                threshold: Money::from_ore(r.try_get("threshold_ore")?),
                amount: Money::from_ore(r.try_get("amount_ore")?),
                provider: r.try_get("provider")?,
                provider_token: r.try_get("provider_token")?,
                status: r.try_get("status")?,
            });
        }
        data.migrated = self.migrated_balances().await?;
        Ok(data)
    }

    /// What migration entries have put on each wallet (opening balances and
    /// their corrections), by wallet id: the ledger's side of a reconciliation.
    pub async fn migrated_balances(&mut self) -> Result<HashMap<String, Money>> {
        let rows = sqlx::query(
            "SELECT p.account_id, CAST(SUM(p.amount_ore) AS BIGINT) AS migrated
             FROM posting p JOIN journal_entry e ON e.id = p.entry_id
             WHERE e.kind = 'migration' AND p.wallet_seq IS NOT NULL
             GROUP BY p.account_id",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>("account_id")?, Money::from_ore(r.try_get("migrated")?))))
            .collect()
    }

    /// Inserts institutions of one municipality.
    pub async fn insert_institutions(&mut self, municipality_id: &str, institutions: &[NewInstitution]) -> Result<()> {
        let rows = institutions
            .iter()
            .map(|i| vec![text(&i.id), text(municipality_id), text(&i.name), text(i.kind.as_str()), text(&i.legacy_no)])
            .collect();
        self.insert_batch("institution", &["id", "municipality_id", "name", "kind", "legacy_no"], rows).await
    }

    pub async fn update_institution(&mut self, id: &str, name: &str, kind: InstitutionKind) -> Result<()> {
        sqlx::query("UPDATE institution SET name = $1, kind = $2 WHERE id = $3")
            .bind(name)
            .bind(kind.as_str())
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Inserts people with their legacy numbers.
    pub async fn insert_people(&mut self, people: &[NewPerson], at: jiff::Timestamp) -> Result<()> {
        let rows = people
            .iter()
            .map(|p| {
                vec![
                    text(&p.id),
                    text(&p.first_name),
                    text(&p.last_name),
                    opt_text(p.email.clone()),
                    opt_text(p.phone.clone()),
                    text(&p.legacy_no),
                    Value::Int(Some(micros(at))),
                ]
            })
            .collect();
        self.insert_batch(
            "person",
            &["id", "first_name", "last_name", "email", "phone", "legacy_no", "created_at"],
            rows,
        )
        .await
    }

    /// Updates a person's name, e-mail and phone. An e-mail moving from one
    /// person to another in the same import is first cleared with
    /// [`Tx::clear_person_email`], so the unique index never sees it twice.
    pub async fn update_person(
        &mut self,
        id: &str,
        first_name: &str,
        last_name: &str,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE person SET first_name = $1, last_name = $2, email = $3, phone = $4 WHERE id = $5")
            .bind(first_name)
            .bind(last_name)
            .bind(email)
            .bind(phone)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn clear_person_email(&mut self, id: &str) -> Result<()> {
        sqlx::query("UPDATE person SET email = NULL WHERE id = $1").bind(id).execute(self.conn()).await?;
        Ok(())
    }

    /// Inserts children (each needs a wallet: [`Tx::insert_wallets`]).
    pub async fn insert_children(&mut self, children: &[NewChild], at: jiff::Timestamp) -> Result<()> {
        let at = micros(at);
        let rows = children
            .iter()
            .map(|c| {
                vec![
                    text(&c.id),
                    text(&c.first_name),
                    text(&c.last_name),
                    opt_text(c.birth_date.clone()),
                    opt_text(c.school_id.clone()),
                    opt_text(c.club_id.clone()),
                    text(&c.legacy_no),
                    Value::Int(Some(at)),
                ]
            })
            .collect();
        self.insert_batch(
            "child",
            &["id", "first_name", "last_name", "birth_date", "school_id", "club_id", "legacy_no", "created_at"],
            rows,
        )
        .await
    }

    /// Opens wallets, each with its ledger account, empty: balances arrive by entries.
    pub async fn insert_wallets(&mut self, wallets: &[NewWallet], at: jiff::Timestamp) -> Result<()> {
        let accounts = wallets
            .iter()
            .map(|w| {
                vec![text(AccountId::Wallet(w.id.clone()).key()), text(AccountId::Wallet(w.id.clone()).kind().as_str())]
            })
            .collect();
        self.insert_batch("account", &["id", "kind"], accounts).await?;
        let rows = wallets
            .iter()
            .map(|w| {
                vec![
                    text(&w.id),
                    text(&w.child_id),
                    Value::Int(w.daily_limit.map(Money::ore)),
                    Value::Int(Some(micros(at))),
                ]
            })
            .collect();
        self.insert_batch("wallet", &["id", "child_id", "daily_limit_ore", "updated_at"], rows).await
    }

    pub async fn update_child(&mut self, id: &str, child: &NewChild) -> Result<()> {
        sqlx::query(
            "UPDATE child SET first_name = $1, last_name = $2, birth_date = $3, school_id = $4, club_id = $5
             WHERE id = $6",
        )
        .bind(&child.first_name)
        .bind(&child.last_name)
        .bind(&child.birth_date)
        .bind(&child.school_id)
        .bind(&child.club_id)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// (child id, person id, kind)
    pub async fn insert_relations(
        &mut self,
        relations: &[(String, String, RelationKind)],
        at: jiff::Timestamp,
    ) -> Result<()> {
        let rows = relations
            .iter()
            .map(|(child, person, kind)| {
                vec![text(child), text(person), text(kind.as_str()), Value::Int(Some(micros(at)))]
            })
            .collect();
        self.insert_batch("relation", &["child_id", "person_id", "kind", "created_at"], rows).await
    }

    pub async fn set_relation_kind(&mut self, child_id: &str, person_id: &str, kind: RelationKind) -> Result<()> {
        sqlx::query("UPDATE relation SET kind = $1 WHERE child_id = $2 AND person_id = $3")
            .bind(kind.as_str())
            .bind(child_id)
            .bind(person_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Registers cards already in children's hands.
    pub async fn insert_cards(&mut self, cards: &[NewCard], at: jiff::Timestamp) -> Result<()> {
        let rows = cards
            .iter()
            .map(|c| {
                vec![
                    text(&c.id),
                    text(&c.number),
                    opt_text(c.chip_uid.clone()),
                    text(&c.child_id),
                    text(c.state.as_str()),
                    Value::Int(Some(micros(c.issued_at))),
                    Value::Int(Some(micros(at))),
                ]
            })
            .collect();
        self.insert_batch("card", &["id", "number", "chip_uid", "child_id", "state", "issued_at", "updated_at"], rows)
            .await
    }

    /// Sets what the export says of a card: chip, state, issue date. The
    /// caller has checked the state change with the card's life rules.
    pub async fn update_card(
        &mut self,
        id: &str,
        chip_uid: Option<&str>,
        state: CardState,
        issued_at: jiff::Timestamp,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE card SET chip_uid = $1, state = $2, issued_at = $3, updated_at = $4 WHERE id = $5")
            .bind(chip_uid)
            .bind(state.as_str())
            .bind(micros(issued_at))
            .bind(micros(at))
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Takes the chip id off a card (before another card gets it in the same import).
    pub async fn clear_card_chip(&mut self, id: &str) -> Result<()> {
        sqlx::query("UPDATE card SET chip_uid = NULL WHERE id = $1").bind(id).execute(self.conn()).await?;
        Ok(())
    }

    pub async fn insert_agreements(&mut self, agreements: &[NewAgreement], at: jiff::Timestamp) -> Result<()> {
        let at = micros(at);
        let rows = agreements
            .iter()
            .map(|a| {
                vec![
                    text(&a.id),
                    text(&a.child_id),
                    text(&a.person_id),
                    Value::Int(Some(a.threshold.ore())),
                    Value::Int(Some(a.amount.ore())),
                    text(&a.provider),
                    text(&a.provider_token),
                    text(a.status),
                    Value::Int(Some(at)),
                    Value::Int(Some(at)),
                ]
            })
            .collect();
        self.insert_batch(
            "top_up_agreement",
            &[
                "id",
                "child_id",
                "person_id",
                "threshold_ore",
                "amount_ore",
                "provider",
                "provider_token",
                "status",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        .await
    }

    pub async fn update_agreement(&mut self, id: &str, agreement: &NewAgreement, at: jiff::Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE top_up_agreement SET threshold_ore = $1, amount_ore = $2, provider = $3, provider_token = $4,
                 status = $5, updated_at = $6
             WHERE id = $7",
        )
        .bind(agreement.threshold.ore())
        .bind(agreement.amount.ore())
        .bind(&agreement.provider)
        .bind(&agreement.provider_token)
        .bind(agreement.status)
        .bind(micros(at))
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// One multi-row INSERT per chunk, placeholders written by hand (`$1, $2, …`)
    /// so the same SQL runs on both engines.
    async fn insert_batch(&mut self, table: &str, columns: &[&str], rows: Vec<Vec<Value>>) -> Result<()> {
        let per_row = columns.len();
        let rows_per_statement = (MAX_PARAMS / per_row).max(1);
        for chunk in rows.chunks(rows_per_statement) {
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            let mut n = 0;
            for (i, row) in chunk.iter().enumerate() {
                debug_assert_eq!(row.len(), per_row, "a row for {table} with the wrong number of values");
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for c in 0..per_row {
                    n += 1;
                    // Writing to a String cannot fail.
                    let _ = write!(sql, "{}${n}", if c == 0 { "" } else { ", " });
                }
                sql.push(')');
            }
            let mut query = sqlx::query(&sql);
            for value in chunk.iter().flatten() {
                query = match value {
                    Value::Text(s) => query.bind(s.clone()),
                    Value::Int(i) => query.bind(*i),
                };
            }
            query.execute(self.conn()).await?;
        }
        Ok(())
    }
}

/// Top-up agreements of a child, for the portal and the top-up job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementRow {
    pub id: String,
    pub person_id: String,
    pub threshold: Money,
    pub amount: Money,
    pub provider: String,
    pub active: bool,
}

impl crate::Store {
    pub async fn agreements_of_child(&self, child_id: &str) -> Result<Vec<AgreementRow>> {
        let rows = sqlx::query(
            "SELECT id, person_id, threshold_ore, amount_ore, provider, status FROM top_up_agreement
             WHERE child_id = $1 ORDER BY created_at, id",
        )
        .bind(child_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AgreementRow {
                    id: r.try_get("id")?,
                    person_id: r.try_get("person_id")?,
                    threshold: Money::from_ore(r.try_get("threshold_ore")?),
                    amount: Money::from_ore(r.try_get("amount_ore")?),
                    provider: r.try_get("provider")?,
                    active: r.try_get::<String, _>("status")? == "active",
                })
            })
            .collect()
    }

    /// A child by the old system's number.
    pub async fn child_id_by_legacy_no(&self, legacy_no: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT id FROM child WHERE legacy_no = $1")
            .bind(legacy_no)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// The cards of a child, in the order they were issued.
    pub async fn cards_of_child(&self, child_id: &str) -> Result<Vec<crate::CardRow>> {
        let rows = sqlx::query(
            "SELECT id, number, chip_uid, child_id, state FROM card WHERE child_id = $1 ORDER BY issued_at, id",
        )
        .bind(child_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(crate::cards::card_from).collect()
    }

    /// How many rows the tables an import writes hold: equal before and after
    /// means an import (or a dry run) changed nothing.
    pub async fn import_snapshot(&self) -> Result<Vec<(String, i64)>> {
        let tables = [
            "municipality",
            "institution",
            "person",
            "child",
            "wallet",
            "relation",
            "card",
            "top_up_agreement",
            "journal_entry",
            "posting",
            "audit_log",
        ];
        let mut counts = Vec::with_capacity(tables.len() + 1);
        for table in tables {
            let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(self.pool()).await?;
            counts.push((table.to_owned(), row.try_get::<i64, _>("n")?));
        }
        // A fingerprint of what the rows say, not only how many there are.
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(balance_ore), 0) AS BIGINT) AS balances,
                    CAST(COALESCE(SUM(daily_limit_ore), 0) AS BIGINT) AS limits,
                    (SELECT COUNT(*) FROM card WHERE state = 'active') AS active_cards,
                    (SELECT COUNT(*) FROM person WHERE email IS NOT NULL) AS emails,
                    (SELECT COUNT(*) FROM relation WHERE kind = 'custodian') AS custodians,
                    (SELECT CAST(COALESCE(SUM(threshold_ore + amount_ore), 0) AS BIGINT) FROM top_up_agreement)
                        AS agreements
             FROM wallet",
        )
        .fetch_one(self.pool())
        .await?;
        for column in ["balances", "limits", "active_cards", "emails", "custodians", "agreements"] {
            counts.push((column.to_owned(), row.try_get::<i64, _>(column)?));
        }
        Ok(counts)
    }
}
