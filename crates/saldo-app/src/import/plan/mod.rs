//! The export against itself and against the database: references between
//! files, the rules Saldo keeps (one active card per child, unique e-mails
//! and chips, balances never below zero), and what to create, change or
//! leave. Pure: it reads what the database holds as a value and writes nothing.
//!
//! One step per file, in the order the files refer to each other; each step
//! hands the next the ids it resolved.

mod accounts;
mod adults;
mod agreements;
mod cards;
mod children;
mod institutions;
mod not_in_export;
mod relations;

use saldo_core::ids::{CardId, ChildId, PersonId, WalletId};
use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use saldo_core::day::local_tz;
use saldo_core::{CardState, Money};
use saldo_store::{
    ExistingData, ExistingWallet, NewAgreement, NewCard, NewChild, NewInstitution, NewPerson, NewWallet, RelationKind,
};
use serde::Serialize;

use super::rows::{self, Export};
use super::ImportError;

/// Created, updated or left as it was, per file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Applied {
    pub fn add(&mut self, other: Applied) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// One difference a re-run found between the export and the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub file: String,
    pub line: usize,
    pub key: String,
    pub what: String,
}

/// A balance carried over (or corrected) by a migration entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    pub wallet_id: WalletId,
    pub child_no: String,
    pub delta: Money,
    /// The first carry-over for this wallet, not a correction.
    pub opening: bool,
}

#[derive(Clone, Debug)]
pub struct CardUpdate {
    pub id: CardId,
    pub chip_uid: Option<String>,
    pub state: CardState,
    pub issued_at: Timestamp,
}

/// Everything the import will write, in an order the database's rules accept.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub create_municipality: Option<(String, String)>,
    pub municipality_id: String,
    pub new_institutions: Vec<NewInstitution>,
    pub institution_updates: Vec<NewInstitution>,
    pub new_people: Vec<NewPerson>,
    pub people_updates: Vec<NewPerson>,
    /// People whose e-mail changes: cleared first, so an address can move between two of them.
    pub email_clears: Vec<PersonId>,
    pub new_children: Vec<NewChild>,
    pub child_updates: Vec<NewChild>,
    pub new_wallets: Vec<NewWallet>,
    pub limit_updates: Vec<(WalletId, Option<Money>)>,
    pub migrations: Vec<Migration>,
    pub new_relations: Vec<(ChildId, PersonId, RelationKind)>,
    pub relation_updates: Vec<(ChildId, PersonId, RelationKind)>,
    pub new_cards: Vec<NewCard>,
    /// Cards leaving the active state come first, so no child ever has two active cards.
    pub card_updates: Vec<CardUpdate>,
    /// Cards whose chip id changes: cleared first, as e-mails are.
    pub chip_clears: Vec<CardId>,
    pub new_agreements: Vec<NewAgreement>,
    pub agreement_updates: Vec<NewAgreement>,
    pub changes: Vec<Change>,
    pub applied: BTreeMap<&'static str, Applied>,
    /// The wallet of every child the export carries: the ledger's side of the reconciliation.
    pub export_wallets: Vec<WalletId>,
    pub imported_total: Money,
    /// What an earlier import wrote that this export no longer has, by file:
    /// left as it is (the import never deletes), and said so.
    pub not_in_export: BTreeMap<&'static str, u64>,
}

/// Settings of an import that do not come from the export.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The municipality to import into, by name; default: the database's only one.
    pub municipality: Option<String>,
    /// The payment provider that holds the agreements' stored tokens.
    pub provider: String,
    pub now: Timestamp,
}

/// The name a municipality gets when the database has none and none is given.
pub const DEFAULT_MUNICIPALITY: &str = "Kommunen";

/// The export's children as Saldo knows them, by child number: (child id,
/// wallet id, the wallet as it is, if it exists).
type Children<'e> = HashMap<String, (ChildId, WalletId, Option<&'e ExistingWallet>)>;

/// The export's adults as Saldo knows them: person id by adult number.
type Adults = HashMap<String, PersonId>;

/// What [`Counter::diff_and_count`] found for one row of the export.
enum Diffed<'o, O> {
    /// Not in the database yet: counted as created.
    Created,
    /// In the database as `O`; `changed` when it differs and needs writing
    /// (counted as updated, and the differences noted), else counted as unchanged.
    Held { old: &'o O, changed: bool },
}

struct Counter<'a> {
    plan: &'a mut Plan,
}

impl Counter<'_> {
    /// The step every file shares: a row the database lacks is created; one it
    /// holds is compared by `diff`, which lists the differences (and may note
    /// in the plan what they take, such as clearing a unique value first).
    fn diff_and_count<'o, O>(
        &mut self,
        file: &'static str,
        line: usize,
        key: &str,
        old: Option<&'o O>,
        diff: impl FnOnce(&'o O, &mut Plan) -> Vec<String>,
    ) -> Diffed<'o, O> {
        let Some(old) = old else {
            self.applied(file).created += 1;
            return Diffed::Created;
        };
        let what = diff(old, self.plan);
        if what.is_empty() {
            self.applied(file).unchanged += 1;
            return Diffed::Held { old, changed: false };
        }
        self.applied(file).updated += 1;
        self.plan.changes.push(Change { file: file.into(), line, key: key.into(), what: what.join("; ") });
        Diffed::Held { old, changed: true }
    }

    fn applied(&mut self, file: &'static str) -> &mut Applied {
        self.plan.applied.entry(file).or_default()
    }
}

/// "was rejected there" or "is not there": why a reference does not resolve.
fn missing(what: &str, no: &str, file: &str, known: &HashSet<String>) -> String {
    if known.contains(no) {
        format!("{what} {no} was rejected in {file}")
    } else {
        format!("{what} {no} is not in {file}")
    }
}

fn money_text(m: Option<Money>) -> String {
    m.map_or_else(|| "none".to_owned(), Money::display_da)
}

/// The moment a card was issued: local midnight of the export's date.
fn issued_at(date: jiff::civil::Date) -> Option<Timestamp> {
    date.to_zoned(local_tz()).ok().map(|z| z.timestamp())
}

pub fn plan(export: &mut Export, existing: &ExistingData, settings: &Settings) -> Result<Plan, ImportError> {
    let mut plan = Plan::default();
    for file in rows::FILES {
        plan.applied.insert(file, Applied::default());
    }
    choose_municipality(&mut plan, existing, settings)?;
    let mut c = Counter { plan: &mut plan };
    let institutions = institutions::plan(&mut c, export, existing);
    let children = children::plan(&mut c, export, existing, &institutions);
    let adults = adults::plan(&mut c, export, existing);
    let related = relations::plan(&mut c, export, existing, &children, &adults);
    cards::plan(&mut c, export, existing, &children, settings);
    accounts::plan(&mut c, export, existing, &children)?;
    agreements::plan(&mut c, export, existing, &children, &adults, &related, settings);
    not_in_export::count(&mut plan, export, existing);
    Ok(plan)
}

fn choose_municipality(plan: &mut Plan, existing: &ExistingData, settings: &Settings) -> Result<(), ImportError> {
    let found = match &settings.municipality {
        Some(name) => existing.municipalities.iter().find(|(_, n)| n == name).map(|(id, _)| id.clone()),
        None => match existing.municipalities.as_slice() {
            [] => None,
            [(id, _)] => Some(id.clone()),
            several => {
                return Err(ImportError::WhichMunicipality(
                    several.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>().join(", "),
                ))
            }
        },
    };
    match found {
        Some(id) => plan.municipality_id = id,
        None => {
            let id = saldo_store::new_id("mun");
            let name = settings.municipality.clone().unwrap_or_else(|| DEFAULT_MUNICIPALITY.to_owned());
            plan.municipality_id = id.clone();
            plan.create_municipality = Some((id, name));
        }
    }
    Ok(())
}
