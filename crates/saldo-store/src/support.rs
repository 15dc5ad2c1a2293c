//! The support console's reads and writes: finding a child by card, name and
//! school, or a custodian's address; declines at the till; the access log of
//! what support looked at and did; and the pieces of a child's file that no
//! other face reads (card history from the audit log, deposits, mails sent).

use saldo_core::ids::{CardId, ChildId, InstitutionId, PersonId, TillId};
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::deposits::{deposit_from, DEPOSIT_COLUMNS};
use crate::{micros, new_id, DepositRow, Result, Store, Tx};

/// Answers of a search are a short list to choose from, not an export.
pub const MAX_FOUND: i64 = 30;

/// A child as support's search lists it: enough to tell namesakes apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundChild {
    pub id: ChildId,
    pub first_name: String,
    pub last_name: String,
    /// The school's name, or the club's for a child in no municipal school.
    pub school: String,
    pub class_name: Option<String>,
}

/// What support searches by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChildSearch<'a> {
    /// A whole card number (16 digits).
    Card(&'a str),
    /// The last digits printed on a card, and part of the child's name.
    CardEnding { digits: &'a str, name: &'a str },
    /// Part of the child's name, at one school or club or anywhere.
    Name { name: &'a str, institution: Option<&'a InstitutionId> },
    /// A custodian's or relative's e-mail address.
    Email(&'a str),
    /// A custodian's or relative's phone number, digits only.
    Phone(&'a str),
}

const FOUND_SELECT: &str = "SELECT DISTINCT ch.id, ch.first_name, ch.last_name, ch.class_name,
        COALESCE(s.name, k.name, '') AS school
     FROM child ch
     LEFT JOIN institution s ON s.id = ch.school_id LEFT JOIN institution k ON k.id = ch.club_id";

fn found_from(r: &AnyRow) -> Result<FoundChild> {
    Ok(FoundChild {
        id: r.try_get("id")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        school: r.try_get("school")?,
        class_name: r.try_get("class_name")?,
    })
}

/// `%part%` for LIKE, lower-cased, with LIKE's own wildcards taken out.
fn containing(part: &str) -> String {
    format!("%{}%", part.trim().to_lowercase().replace(['%', '_'], ""))
}

/// One decline at a till, as it is recorded.
pub struct NewDecline<'a> {
    pub till_id: &'a TillId,
    pub card_id: &'a CardId,
    pub child_id: &'a ChildId,
    pub reason: &'a str,
    pub total: Money,
    pub balance: Option<Money>,
    pub left_today: Option<Money>,
    pub item: Option<&'a str>,
    pub at: jiff::Timestamp,
}

/// A decline as support reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclineRow {
    pub at: i64,
    pub sales_point: String,
    pub till: String,
    pub card_number: String,
    pub reason: String,
    pub total: Money,
    pub balance: Option<Money>,
    pub left_today: Option<Money>,
    pub item: Option<String>,
}

/// One line of a child's access log: who at support, when, what and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRow {
    pub at: i64,
    pub person_id: PersonId,
    pub person_name: String,
    pub action: String,
    pub reason: String,
    pub note: String,
}

/// A line of the audit log about a child, with the actor's name when the actor is a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    pub at: i64,
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub detail: String,
}

/// An adult tied to a child, with how to reach them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdultRow {
    pub person_id: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: String,
    pub kind: String,
}

/// A mail in the outbox, as its payload was written (the app reads only the
/// address and the subject from it), and when it was queued and sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedMail {
    pub payload: String,
    pub created_at: i64,
    pub done_at: Option<i64>,
}

impl Tx {
    /// Notes a decline at a till. Written after the sale's answer, in a
    /// transaction of its own: approved sales never wait for it.
    pub async fn record_decline(&mut self, d: &NewDecline<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO till_decline (id, at, till_id, card_id, child_id, reason, total_ore, balance_ore, left_today_ore, item)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(new_id("dcl"))
        .bind(micros(d.at))
        .bind(d.till_id)
        .bind(d.card_id)
        .bind(d.child_id)
        .bind(d.reason)
        .bind(d.total.ore())
        .bind(d.balance.map(Money::ore))
        .bind(d.left_today.map(Money::ore))
        .bind(d.item)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Notes that support looked at or acted on a child's account, and why.
    pub async fn record_support_access(
        &mut self,
        person_id: &PersonId,
        child_id: &ChildId,
        action: &str,
        reason: &str,
        note: &str,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO support_access (id, at, person_id, child_id, action, reason, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id("sac"))
        .bind(micros(at))
        .bind(person_id)
        .bind(child_id)
        .bind(action)
        .bind(reason)
        .bind(note)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    /// Children matching a search, at most [`MAX_FOUND`], by name.
    pub async fn find_children(&self, search: &ChildSearch<'_>) -> Result<Vec<FoundChild>> {
        let order = "ORDER BY ch.first_name, ch.last_name, ch.id LIMIT $3";
        let (sql, first, second) = match search {
            ChildSearch::Card(number) => (
                format!("{FOUND_SELECT} JOIN card c ON c.child_id = ch.id WHERE c.number = $1 AND $2 = '' {order}"),
                (*number).to_owned(),
                String::new(),
            ),
            ChildSearch::CardEnding { digits, name } => (
                format!(
                    "{FOUND_SELECT} JOIN card c ON c.child_id = ch.id
                     WHERE c.number LIKE $1 AND LOWER(ch.first_name || ' ' || ch.last_name) LIKE $2 {order}"
                ),
                format!("%{digits}"),
                containing(name),
            ),
            ChildSearch::Name { name, institution } => (
                format!(
                    "{FOUND_SELECT} WHERE LOWER(ch.first_name || ' ' || ch.last_name) LIKE $1
                     AND ($2 = '' OR ch.school_id = $2 OR ch.club_id = $2) {order}"
                ),
                containing(name),
                institution.map(|i| i.as_str().to_owned()).unwrap_or_default(),
            ),
            ChildSearch::Email(email) => (
                format!(
                    "{FOUND_SELECT} JOIN relation r ON r.child_id = ch.id JOIN person p ON p.id = r.person_id
                     WHERE LOWER(p.email) = $1 AND $2 = '' {order}"
                ),
                email.trim().to_lowercase(),
                String::new(),
            ),
            ChildSearch::Phone(digits) => (
                format!(
                    "{FOUND_SELECT} JOIN relation r ON r.child_id = ch.id JOIN person p ON p.id = r.person_id
                     WHERE REPLACE(REPLACE(REPLACE(p.phone, ' ', ''), '-', ''), '+45', '') = $1 AND $2 = '' {order}"
                ),
                (*digits).to_owned(),
                String::new(),
            ),
        };
        let rows = sqlx::query(&sql).bind(first).bind(second).bind(MAX_FOUND).fetch_all(self.pool()).await?;
        rows.iter().map(found_from).collect()
    }

    /// One child as the search lists it.
    pub async fn found_child(&self, child_id: &ChildId) -> Result<Option<FoundChild>> {
        let row =
            sqlx::query(&format!("{FOUND_SELECT} WHERE ch.id = $1")).bind(child_id).fetch_optional(self.pool()).await?;
        row.as_ref().map(found_from).transpose()
    }

    /// The child's latest declines at a till, newest first.
    pub async fn declines_of_child(&self, child_id: &ChildId, limit: i64) -> Result<Vec<DeclineRow>> {
        let rows = sqlx::query(
            "SELECT d.at, sp.name AS sales_point, t.name AS till, c.number, d.reason, d.total_ore, d.balance_ore,
                    d.left_today_ore, d.item
             FROM till_decline d JOIN till t ON t.id = d.till_id JOIN sales_point sp ON sp.id = t.sales_point_id
             JOIN card c ON c.id = d.card_id
             WHERE d.child_id = $1 ORDER BY d.at DESC, d.id DESC LIMIT $2",
        )
        .bind(child_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DeclineRow {
                    at: r.try_get("at")?,
                    sales_point: r.try_get("sales_point")?,
                    till: r.try_get("till")?,
                    card_number: r.try_get("number")?,
                    reason: r.try_get("reason")?,
                    total: Money::from_ore(r.try_get("total_ore")?),
                    balance: r.try_get::<Option<i64>, _>("balance_ore")?.map(Money::from_ore),
                    left_today: r.try_get::<Option<i64>, _>("left_today_ore")?.map(Money::from_ore),
                    item: r.try_get("item")?,
                })
            })
            .collect()
    }

    /// Who at support looked at or acted on the child's account, newest first.
    pub async fn support_access_of(&self, child_id: &ChildId, limit: i64) -> Result<Vec<AccessRow>> {
        let rows = sqlx::query(
            "SELECT a.at, a.person_id, p.first_name || ' ' || p.last_name AS name, a.action, a.reason, a.note
             FROM support_access a JOIN person p ON p.id = a.person_id
             WHERE a.child_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2",
        )
        .bind(child_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AccessRow {
                    at: r.try_get("at")?,
                    person_id: r.try_get("person_id")?,
                    person_name: r.try_get("name")?,
                    action: r.try_get("action")?,
                    reason: r.try_get("reason")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// The audit log's lines about a subject (a child, a person) whose action
    /// starts with `prefix` (`card.` for the cards' history; `` for all), newest first.
    pub async fn audit_history(&self, subject: impl AsRef<str>, prefix: &str, limit: i64) -> Result<Vec<HistoryRow>> {
        let rows = sqlx::query(
            "SELECT a.at, a.actor, p.first_name || ' ' || p.last_name AS name, a.action, a.detail
             FROM audit_log a LEFT JOIN person p ON a.actor = 'person:' || p.id
             WHERE a.subject = $1 AND a.action LIKE $2 ORDER BY a.at DESC, a.id DESC LIMIT $3",
        )
        .bind(subject.as_ref())
        .bind(format!("{}%", prefix.replace(['%', '_'], "")))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryRow {
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    actor_name: r.try_get("name")?,
                    action: r.try_get("action")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// The custodians and relatives of a child, custodians first.
    pub async fn adults_of_child(&self, child_id: &ChildId) -> Result<Vec<AdultRow>> {
        let rows = sqlx::query(
            "SELECT p.id, p.first_name || ' ' || p.last_name AS name, p.email, p.phone, p.lang, r.kind
             FROM relation r JOIN person p ON p.id = r.person_id
             WHERE r.child_id = $1 ORDER BY r.kind, p.first_name, p.id",
        )
        .bind(child_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AdultRow {
                    person_id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    phone: r.try_get("phone")?,
                    lang: r.try_get("lang")?,
                    kind: r.try_get("kind")?,
                })
            })
            .collect()
    }

    /// The child's deposits, newest first.
    pub async fn deposits_of_child(&self, child_id: &ChildId, limit: i64) -> Result<Vec<DepositRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {DEPOSIT_COLUMNS} FROM deposit WHERE child_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(child_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(deposit_from).collect()
    }

    /// Mails queued to this address, newest first. The payload is matched
    /// loosely here; the caller reads each payload's address to be sure.
    pub async fn mails_to(&self, email: &str, limit: i64) -> Result<Vec<QueuedMail>> {
        let pattern = format!("%\"to\":\"{}\"%", email.replace('%', ""));
        let rows = sqlx::query(
            "SELECT payload, created_at, done_at FROM outbox WHERE kind = 'mail' AND payload LIKE $1
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(pattern)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(QueuedMail {
                    payload: r.try_get("payload")?,
                    created_at: r.try_get("created_at")?,
                    done_at: r.try_get("done_at")?,
                })
            })
            .collect()
    }
}
