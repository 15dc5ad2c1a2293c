//! What the database holds that an import compares the export with, read in
//! a handful of queries (one per table, not one per row).

use saldo_core::ids::{CardId, ChildId, InstitutionId, PersonId, WalletId};
use std::collections::HashMap;

use saldo_core::{CardState, Money};
use sqlx::Row;

use crate::{Result, StoreError, Tx};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingInstitution {
    pub id: String,
    pub legacy_no: Option<String>,
    pub name: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingPerson {
    pub id: PersonId,
    pub legacy_no: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingChild {
    pub id: ChildId,
    pub legacy_no: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<String>,
    pub school_id: Option<InstitutionId>,
    pub club_id: Option<InstitutionId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingWallet {
    pub id: WalletId,
    pub child_id: ChildId,
    pub open: bool,
    pub balance: Money,
    pub daily_limit: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingCard {
    pub id: CardId,
    pub number: String,
    pub chip_uid: Option<String>,
    pub child_id: Option<ChildId>,
    pub state: CardState,
    pub issued_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingAgreement {
    pub id: String,
    pub child_id: ChildId,
    pub person_id: PersonId,
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

impl Tx {
    /// Reads what an import compares with.
    pub async fn existing_data(&mut self) -> Result<ExistingData> {
        Ok(ExistingData {
            municipalities: self.existing_municipalities().await?,
            institutions: self.existing_institutions().await?,
            people: self.existing_people().await?,
            children: self.existing_children().await?,
            wallets: self.existing_wallets().await?,
            relations: self.existing_relations().await?,
            cards: self.existing_cards().await?,
            agreements: self.existing_agreements().await?,
            migrated: self.migrated_balances().await?,
        })
    }

    async fn existing_municipalities(&mut self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT id, name FROM municipality ORDER BY id").fetch_all(self.conn()).await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("name")?))).collect()
    }

    async fn existing_institutions(&mut self) -> Result<Vec<ExistingInstitution>> {
        let rows = sqlx::query("SELECT id, legacy_no, name, kind FROM institution").fetch_all(self.conn()).await?;
        rows.iter()
            .map(|r| {
                Ok(ExistingInstitution {
                    id: r.try_get("id")?,
                    legacy_no: r.try_get("legacy_no")?,
                    name: r.try_get("name")?,
                    kind: r.try_get("kind")?,
                })
            })
            .collect()
    }

    async fn existing_people(&mut self) -> Result<Vec<ExistingPerson>> {
        let rows = sqlx::query("SELECT id, legacy_no, first_name, last_name, email, phone FROM person")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ExistingPerson {
                    id: r.try_get("id")?,
                    legacy_no: r.try_get("legacy_no")?,
                    first_name: r.try_get("first_name")?,
                    last_name: r.try_get("last_name")?,
                    email: r.try_get("email")?,
                    phone: r.try_get("phone")?,
                })
            })
            .collect()
    }

    async fn existing_children(&mut self) -> Result<Vec<ExistingChild>> {
        let rows =
            sqlx::query("SELECT id, legacy_no, first_name, last_name, birth_date, school_id, club_id FROM child")
                .fetch_all(self.conn())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(ExistingChild {
                    id: r.try_get("id")?,
                    legacy_no: r.try_get("legacy_no")?,
                    first_name: r.try_get("first_name")?,
                    last_name: r.try_get("last_name")?,
                    birth_date: r.try_get("birth_date")?,
                    school_id: r.try_get("school_id")?,
                    club_id: r.try_get("club_id")?,
                })
            })
            .collect()
    }

    async fn existing_wallets(&mut self) -> Result<Vec<ExistingWallet>> {
        let rows = sqlx::query("SELECT id, child_id, status, balance_ore, daily_limit_ore FROM wallet")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ExistingWallet {
                    id: r.try_get("id")?,
                    child_id: r.try_get("child_id")?,
                    open: r.try_get::<String, _>("status")? == "open",
                    balance: Money::from_ore(r.try_get("balance_ore")?),
                    daily_limit: r.try_get::<Option<i64>, _>("daily_limit_ore")?.map(Money::from_ore),
                })
            })
            .collect()
    }

    async fn existing_relations(&mut self) -> Result<Vec<(String, String, String)>> {
        let rows = sqlx::query("SELECT child_id, person_id, kind FROM relation").fetch_all(self.conn()).await?;
        rows.iter().map(|r| Ok((r.try_get("child_id")?, r.try_get("person_id")?, r.try_get("kind")?))).collect()
    }

    async fn existing_cards(&mut self) -> Result<Vec<ExistingCard>> {
        let rows = sqlx::query("SELECT id, number, chip_uid, child_id, state, issued_at FROM card")
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                let state: String = r.try_get("state")?;
                Ok(ExistingCard {
                    id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    chip_uid: r.try_get("chip_uid")?,
                    child_id: r.try_get("child_id")?,
                    state: state.parse().map_err(|_| StoreError::Corrupt(format!("card state {state:?}")))?,
                    issued_at: r.try_get("issued_at")?,
                })
            })
            .collect()
    }

    async fn existing_agreements(&mut self) -> Result<Vec<ExistingAgreement>> {
        let rows = sqlx::query(
            "SELECT id, child_id, person_id, threshold_ore, amount_ore, provider, provider_token, status
             FROM top_up_agreement",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExistingAgreement {
                    id: r.try_get("id")?,
                    child_id: r.try_get("child_id")?,
                    person_id: r.try_get("person_id")?,
                    threshold: Money::from_ore(r.try_get("threshold_ore")?),
                    amount: Money::from_ore(r.try_get("amount_ore")?),
                    provider: r.try_get("provider")?,
                    provider_token: r.try_get("provider_token")?,
                    status: r.try_get("status")?,
                })
            })
            .collect()
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
}
