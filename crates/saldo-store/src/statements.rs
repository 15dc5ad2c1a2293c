//! What a family sees: their children's wallets and cards, and the statement
//! (kontoudtog) of each wallet, newest first, a page at a time.

use saldo_core::ids::{CardId, ChildId, EntryId, InstitutionId, PersonId, WalletId};
use saldo_core::{CardState, Money};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{RelationKind, Result, Store, StoreError};

/// A child as the portal's overview shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildOverview {
    pub child_id: ChildId,
    pub first_name: String,
    pub last_name: String,
    pub school: Option<String>,
    pub school_id: Option<InstitutionId>,
    pub club_id: Option<InstitutionId>,
    /// How the person looking relates to the child: `custodian` or `relative`.
    pub relation: RelationKind,
    pub wallet_id: WalletId,
    pub open: bool,
    pub balance: Money,
    pub daily_limit: Option<Money>,
    pub spent_day: String,
    pub spent_today_stored: Money,
    pub cards: Vec<CardSummary>,
}

impl ChildOverview {
    pub fn spent_on(&self, day: &str) -> Money {
        if self.spent_day == day {
            self.spent_today_stored
        } else {
            Money::ZERO
        }
    }

    pub fn institutions(&self) -> Vec<InstitutionId> {
        self.school_id.iter().chain(self.club_id.iter()).cloned().collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardSummary {
    pub card_id: CardId,
    pub number: String,
    pub state: CardState,
}

/// One movement on a wallet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    pub entry_id: EntryId,
    pub seq: i64,
    pub at: i64,
    pub kind: String,
    pub amount: Money,
    pub balance_after: Money,
    pub memo: String,
    /// The sales point, for purchases and refunds.
    pub place: Option<String>,
    /// The card that paid, for purchases.
    pub card_number: Option<String>,
    /// What was bought: name, quantity, amount.
    pub lines: Vec<(String, i64, Money)>,
    /// Webshop orders: a basket's dishes, or the order a cancel gave back.
    pub shop: Vec<crate::ShopLine>,
}

#[derive(Clone, Debug)]
pub struct StatementQuery {
    pub wallet_id: WalletId,
    /// Microseconds, inclusive.
    pub from: Option<i64>,
    /// Microseconds, exclusive.
    pub to: Option<i64>,
    /// Only lines older than this one (the next page).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

const OVERVIEW_SELECT: &str = "SELECT ch.id, ch.first_name, ch.last_name, ch.school_id, ch.club_id, i.name AS school,
        r.kind AS relation, w.id AS wallet_id, w.status, w.balance_ore, w.daily_limit_ore, w.spent_day, w.spent_today_ore
     FROM relation r JOIN child ch ON ch.id = r.child_id JOIN wallet w ON w.child_id = ch.id
     LEFT JOIN institution i ON i.id = ch.school_id";

fn overview_from(r: &AnyRow) -> Result<ChildOverview> {
    Ok(ChildOverview {
        child_id: r.try_get("id")?,
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        school: r.try_get("school")?,
        school_id: r.try_get("school_id")?,
        club_id: r.try_get("club_id")?,
        relation: {
            let text: String = r.try_get("relation")?;
            RelationKind::parse(&text).ok_or_else(|| StoreError::Corrupt(format!("relation {text:?}")))?
        },
        wallet_id: r.try_get("wallet_id")?,
        open: r.try_get::<String, _>("status")? == "open",
        balance: Money::from_ore(r.try_get("balance_ore")?),
        daily_limit: r.try_get::<Option<i64>, _>("daily_limit_ore")?.map(Money::from_ore),
        spent_day: r.try_get("spent_day")?,
        spent_today_stored: Money::from_ore(r.try_get("spent_today_ore")?),
        cards: Vec::new(),
    })
}

impl Store {
    /// Every child this person is custodian or relative of, with wallet and cards.
    pub async fn family_of(&self, person_id: &PersonId) -> Result<Vec<ChildOverview>> {
        let sql = format!("{OVERVIEW_SELECT} WHERE r.person_id = $1 ORDER BY ch.first_name, ch.id");
        let rows = sqlx::query(&sql).bind(person_id).fetch_all(self.pool()).await?;
        let mut children = rows.iter().map(overview_from).collect::<Result<Vec<_>>>()?;
        let cards = sqlx::query(
            "SELECT c.id, c.number, c.state, c.child_id FROM card c JOIN relation r ON r.child_id = c.child_id
             WHERE r.person_id = $1 AND c.state <> 'cancelled' ORDER BY c.issued_at DESC, c.id",
        )
        .bind(person_id)
        .fetch_all(self.pool())
        .await?;
        for card in &cards {
            let child_id: ChildId = card.try_get("child_id")?;
            if let Some(child) = children.iter_mut().find(|c| c.child_id == child_id) {
                child.cards.push(card_from(card)?);
            }
        }
        Ok(children)
    }

    /// One child as seen by one person (`None` if they are not related).
    pub async fn child_of(&self, person_id: &PersonId, child_id: &ChildId) -> Result<Option<ChildOverview>> {
        Ok(self.family_of(person_id).await?.into_iter().find(|c| c.child_id == child_id))
    }

    /// A page of a wallet's statement, newest first. Uses the (wallet, seq)
    /// index, so a page costs the same on a wallet with years of history.
    pub async fn statement(&self, q: &StatementQuery) -> Result<Vec<StatementLine>> {
        let mut sql = String::from(
            "SELECT p.entry_id, p.wallet_seq, p.created_at, e.kind, p.amount_ore, p.balance_after_ore, e.memo,
                    COALESCE(sp.name, sp2.name) AS place, c.number AS card_number
             FROM posting p JOIN journal_entry e ON e.id = p.entry_id
             LEFT JOIN purchase pu ON pu.id = p.entry_id
             LEFT JOIN sales_point sp ON sp.id = pu.sales_point_id
             LEFT JOIN card c ON c.id = pu.card_id
             LEFT JOIN purchase pr ON e.kind = 'refund' AND pr.id = e.memo
             LEFT JOIN sales_point sp2 ON sp2.id = pr.sales_point_id
             WHERE p.account_id = $1 AND p.wallet_seq IS NOT NULL",
        );
        let mut binds: Vec<i64> = Vec::new();
        for (clause, value) in [("p.created_at >=", q.from), ("p.created_at <", q.to), ("p.wallet_seq <", q.before_seq)]
        {
            if let Some(value) = value {
                binds.push(value);
                sql.push_str(&format!(" AND {clause} ${}", binds.len() + 1));
            }
        }
        sql.push_str(&format!(" ORDER BY p.wallet_seq DESC LIMIT ${}", binds.len() + 2));
        let mut query = sqlx::query(&sql).bind(&q.wallet_id);
        for value in &binds {
            query = query.bind(*value);
        }
        let rows = query.bind(q.limit.clamp(1, 10_000)).fetch_all(self.pool()).await?;
        let mut lines = rows
            .iter()
            .map(|r| {
                Ok(StatementLine {
                    entry_id: r.try_get("entry_id")?,
                    seq: r.try_get("wallet_seq")?,
                    at: r.try_get("created_at")?,
                    kind: r.try_get("kind")?,
                    amount: Money::from_ore(r.try_get("amount_ore")?),
                    balance_after: Money::from_ore(r.try_get::<Option<i64>, _>("balance_after_ore")?.unwrap_or(0)),
                    memo: r.try_get("memo")?,
                    place: r.try_get("place")?,
                    card_number: r.try_get("card_number")?,
                    lines: Vec::new(),
                    shop: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let purchases: Vec<&str> = lines.iter().filter(|l| l.kind == "purchase").map(|l| l.entry_id.as_str()).collect();
        if !purchases.is_empty() {
            let placeholders: Vec<String> = (1..=purchases.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT purchase_id, name, quantity, amount_ore FROM purchase_line WHERE purchase_id IN ({})
                 ORDER BY purchase_id, seq",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for id in &purchases {
                query = query.bind(*id);
            }
            let bought = query.fetch_all(self.pool()).await?;
            let mut by_purchase: Vec<(EntryId, (String, i64, Money))> = Vec::with_capacity(bought.len());
            for r in &bought {
                by_purchase.push((
                    r.try_get("purchase_id")?,
                    (r.try_get("name")?, r.try_get("quantity")?, Money::from_ore(r.try_get("amount_ore")?)),
                ));
            }
            for line in lines.iter_mut() {
                line.lines =
                    by_purchase.iter().filter(|(id, _)| *id == line.entry_id).map(|(_, item)| item.clone()).collect();
            }
        }
        self.shop_lines(&mut lines).await?;
        Ok(lines)
    }
}

fn card_from(r: &AnyRow) -> Result<CardSummary> {
    let state: String = r.try_get("state")?;
    Ok(CardSummary {
        card_id: r.try_get("id")?,
        number: r.try_get("number")?,
        state: state.parse().map_err(|_| StoreError::Corrupt(format!("card state {state:?}")))?,
    })
}
