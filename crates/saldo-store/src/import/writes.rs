//! The rows an import writes: batched inserts of what is new, and one update
//! per row that changed.

use saldo_core::ids::{CardId, ChildId, InstitutionId, PersonId, WalletId};
use saldo_core::ledger::AccountId;
use saldo_core::{CardState, Money};

use super::batch::{opt_text, text, Value};
use crate::{micros, InstitutionKind, RelationKind, Result, Tx};

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
    pub id: PersonId,
    pub legacy_no: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct NewChild {
    pub id: ChildId,
    pub legacy_no: String,
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`
    pub birth_date: Option<String>,
    pub school_id: Option<InstitutionId>,
    pub club_id: Option<InstitutionId>,
}

/// A child's wallet: open, empty (its balance arrives by a migration entry).
#[derive(Clone, Debug)]
pub struct NewWallet {
    pub id: WalletId,
    pub child_id: ChildId,
    pub daily_limit: Option<Money>,
}

#[derive(Clone, Debug)]
pub struct NewCard {
    pub id: CardId,
    pub number: String,
    pub chip_uid: Option<String>,
    pub child_id: ChildId,
    pub state: CardState,
    pub issued_at: jiff::Timestamp,
}

#[derive(Clone, Debug)]
pub struct NewAgreement {
    pub id: String,
    pub child_id: ChildId,
    pub person_id: PersonId,
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

impl Tx {
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
        id: &PersonId,
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

    pub async fn clear_person_email(&mut self, id: &PersonId) -> Result<()> {
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
                    opt_text(c.school_id.clone().map(String::from)),
                    opt_text(c.club_id.clone().map(String::from)),
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

    pub async fn update_child(&mut self, id: &ChildId, child: &NewChild) -> Result<()> {
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
        relations: &[(ChildId, PersonId, RelationKind)],
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

    pub async fn set_relation_kind(
        &mut self,
        child_id: &ChildId,
        person_id: &PersonId,
        kind: RelationKind,
    ) -> Result<()> {
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
        id: &CardId,
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
    pub async fn clear_card_chip(&mut self, id: &CardId) -> Result<()> {
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
}
