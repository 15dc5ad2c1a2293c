//! The export against itself and against the database: references between
//! files, the rules Saldo keeps (one active card per child, unique e-mails
//! and chips, balances never below zero), and what to create, change or
//! leave. Pure: it reads what the database holds as a value and writes nothing.

use saldo_core::card::last4;
use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use saldo_core::day::local_tz;
use saldo_core::{CardState, Money};
use saldo_store::{
    ExistingCard, ExistingData, InstitutionKind, NewAgreement, NewCard, NewChild, NewInstitution, NewPerson, NewWallet,
    RelationKind,
};
use serde::Serialize;

use super::rows::{self, Export, ACCOUNTS, ADULTS, AGREEMENTS, CARDS, CHILDREN, INSTITUTIONS, RELATIONS};
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
    pub wallet_id: String,
    pub child_no: String,
    pub delta: Money,
    /// The first carry-over for this wallet, not a correction.
    pub opening: bool,
}

#[derive(Clone, Debug)]
pub struct CardUpdate {
    pub id: String,
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
    pub email_clears: Vec<String>,
    pub new_children: Vec<NewChild>,
    pub child_updates: Vec<NewChild>,
    pub new_wallets: Vec<NewWallet>,
    pub limit_updates: Vec<(String, Option<Money>)>,
    pub migrations: Vec<Migration>,
    pub new_relations: Vec<(String, String, RelationKind)>,
    pub relation_updates: Vec<(String, String, RelationKind)>,
    pub new_cards: Vec<NewCard>,
    /// Cards leaving the active state come first, so no child ever has two active cards.
    pub card_updates: Vec<CardUpdate>,
    /// Cards whose chip id changes: cleared first, as e-mails are.
    pub chip_clears: Vec<String>,
    pub new_agreements: Vec<NewAgreement>,
    pub agreement_updates: Vec<NewAgreement>,
    pub changes: Vec<Change>,
    pub applied: BTreeMap<&'static str, Applied>,
    /// The wallet of every child the export carries: the ledger's side of the reconciliation.
    pub export_wallets: Vec<String>,
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

struct Counter<'a> {
    plan: &'a mut Plan,
}

impl Counter<'_> {
    fn created(&mut self, file: &'static str) {
        self.plan.applied.entry(file).or_default().created += 1;
    }
    fn unchanged(&mut self, file: &'static str) {
        self.plan.applied.entry(file).or_default().unchanged += 1;
    }
    fn updated(&mut self, file: &'static str, line: usize, key: &str, what: Vec<String>) {
        self.plan.applied.entry(file).or_default().updated += 1;
        self.plan.changes.push(Change { file: file.into(), line, key: key.into(), what: what.join("; ") });
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

    // Institutions.
    let by_legacy: HashMap<&str, &saldo_store::ExistingInstitution> =
        existing.institutions.iter().filter_map(|i| Some((i.legacy_no.as_deref()?, i))).collect();
    let mut institutions: HashMap<String, (String, InstitutionKind)> = HashMap::new();
    for i in &export.institutions {
        let line = export.line(INSTITUTIONS, i.row);
        let target = NewInstitution { id: String::new(), legacy_no: i.no.clone(), name: i.name.clone(), kind: i.kind };
        match by_legacy.get(i.no.as_str()) {
            Some(old) => {
                let mut what = Vec::new();
                if old.name != i.name {
                    what.push(format!("name {:?} → {:?}", old.name, i.name));
                }
                if old.kind != i.kind.as_str() {
                    what.push(format!("type {} → {}", old.kind, i.kind.as_str()));
                }
                if what.is_empty() {
                    c.unchanged(INSTITUTIONS);
                } else {
                    c.updated(INSTITUTIONS, line, &i.no, what);
                    c.plan.institution_updates.push(NewInstitution { id: old.id.clone(), ..target });
                }
                institutions.insert(i.no.clone(), (old.id.clone(), i.kind));
            }
            None => {
                let id = saldo_store::new_id("inst");
                c.created(INSTITUTIONS);
                c.plan.new_institutions.push(NewInstitution { id: id.clone(), ..target });
                institutions.insert(i.no.clone(), (id, i.kind));
            }
        }
    }
    let known_institutions = export.numbers_in(INSTITUTIONS);

    // Children and their wallets.
    let children_by_legacy: HashMap<&str, &saldo_store::ExistingChild> =
        existing.children.iter().filter_map(|ch| Some((ch.legacy_no.as_deref()?, ch))).collect();
    let wallets_by_child: HashMap<&str, &saldo_store::ExistingWallet> =
        existing.wallets.iter().map(|w| (w.child_id.as_str(), w)).collect();
    let limits_by_child: HashMap<String, Option<Money>> =
        export.accounts.iter().map(|a| (a.child.clone(), a.daily_limit)).collect();
    // child number → (child id, wallet id, the wallet as it is, if it exists)
    let mut children: HashMap<String, (String, String, Option<&saldo_store::ExistingWallet>)> = HashMap::new();
    let children_rows = std::mem::take(&mut export.children);
    for ch in &children_rows {
        let log = export.log(CHILDREN);
        let line = log.line(ch.row);
        let Some((institution_id, kind)) = institutions.get(&ch.institution).cloned() else {
            log.reject(ch.row, missing("Institution", &ch.institution, INSTITUTIONS, &known_institutions));
            continue;
        };
        let (school_id, club_id) = if kind == InstitutionKind::Club {
            if ch.club.as_ref().is_some_and(|k| *k != ch.institution) {
                log.repair(ch.row, "Klub ignored: the Institution is itself a club (the child is in no school)");
            }
            (None, Some(institution_id))
        } else {
            let club = match &ch.club {
                None => None,
                Some(k) => match institutions.get(k) {
                    Some((id, InstitutionKind::Club)) => Some(id.clone()),
                    Some(_) => {
                        log.repair(ch.row, format!("Klub {k} is not a club: imported without a club"));
                        None
                    }
                    None => {
                        log.repair(
                            ch.row,
                            format!(
                                "{}: imported without a club",
                                missing("Klub", k, INSTITUTIONS, &known_institutions)
                            ),
                        );
                        None
                    }
                },
            };
            (Some(institution_id), club)
        };
        let target = NewChild {
            id: String::new(),
            legacy_no: ch.no.clone(),
            first_name: ch.first_name.clone(),
            last_name: ch.last_name.clone(),
            birth_date: ch.birth_date.map(|d| d.to_string()),
            school_id,
            club_id,
        };
        let limit = limits_by_child.get(&ch.no).copied().flatten();
        if !limits_by_child.contains_key(&ch.no) {
            log.repair(ch.row, "no usable row in konti.csv: no balance or daily limit is carried over for this child");
        }
        match children_by_legacy.get(ch.no.as_str()) {
            Some(old) => {
                let mut what = Vec::new();
                if old.first_name != target.first_name || old.last_name != target.last_name {
                    what.push(format!(
                        "name {:?} → {:?}",
                        format!("{} {}", old.first_name, old.last_name),
                        format!("{} {}", target.first_name, target.last_name)
                    ));
                }
                if old.birth_date != target.birth_date {
                    what.push("birth date".to_owned());
                }
                if old.school_id != target.school_id || old.club_id != target.club_id {
                    what.push("school or club".to_owned());
                }
                if what.is_empty() {
                    c.unchanged(CHILDREN);
                } else {
                    c.updated(CHILDREN, line, &ch.no, what);
                    c.plan.child_updates.push(NewChild { id: old.id.clone(), ..target });
                }
                let wallet = wallets_by_child.get(old.id.as_str()).copied();
                let wallet_id = match wallet {
                    Some(w) => w.id.clone(),
                    None => {
                        let id = saldo_store::new_id("wal");
                        c.plan.new_wallets.push(NewWallet {
                            id: id.clone(),
                            child_id: old.id.clone(),
                            daily_limit: limit,
                        });
                        id
                    }
                };
                children.insert(ch.no.clone(), (old.id.clone(), wallet_id, wallet));
            }
            None => {
                let (id, wallet_id) = (saldo_store::new_id("chi"), saldo_store::new_id("wal"));
                c.created(CHILDREN);
                c.plan.new_children.push(NewChild { id: id.clone(), ..target });
                c.plan.new_wallets.push(NewWallet { id: wallet_id.clone(), child_id: id.clone(), daily_limit: limit });
                children.insert(ch.no.clone(), (id, wallet_id, None));
            }
        }
    }
    export.children = children_rows;
    let known_children = export.numbers_in(CHILDREN);

    // Adults, with e-mails unique across the export and the database.
    let export_adult_numbers: HashSet<&str> = export.adults.iter().map(|a| a.no.as_str()).collect();
    let people_by_legacy: HashMap<&str, &saldo_store::ExistingPerson> =
        existing.people.iter().filter_map(|p| Some((p.legacy_no.as_deref()?, p))).collect();
    let mut email_owner: HashMap<String, String> = existing
        .people
        .iter()
        .filter(|p| !p.legacy_no.as_deref().is_some_and(|no| export_adult_numbers.contains(no)))
        .filter_map(|p| Some((p.email.clone()?, "another person already in Saldo".to_owned())))
        .collect();
    let mut adults: HashMap<String, String> = HashMap::new();
    let adult_rows = std::mem::take(&mut export.adults);
    for a in &adult_rows {
        let log = export.log(ADULTS);
        let line = log.line(a.row);
        let mut email = a.email.as_ref().map(|e| e.as_str().to_owned());
        if let Some(address) = &email {
            if let Some(owner) = email_owner.get(address) {
                log.repair(
                    a.row,
                    format!("e-mail {address} already belongs to {owner}: imported without one (e-mails log in, so they are unique)"),
                );
                email = None;
            } else {
                email_owner.insert(address.clone(), format!("{} (line {line})", a.no));
            }
        }
        let target = NewPerson {
            id: String::new(),
            legacy_no: a.no.clone(),
            first_name: a.first_name.clone(),
            last_name: a.last_name.clone(),
            email,
            phone: a.phone.clone(),
        };
        match people_by_legacy.get(a.no.as_str()) {
            Some(old) => {
                let mut what = Vec::new();
                if old.first_name != target.first_name || old.last_name != target.last_name {
                    what.push("name".to_owned());
                }
                if old.email != target.email {
                    what.push(format!(
                        "e-mail {} → {}",
                        old.email.as_deref().unwrap_or("none"),
                        target.email.as_deref().unwrap_or("none")
                    ));
                    if old.email.is_some() {
                        c.plan.email_clears.push(old.id.clone());
                    }
                }
                if old.phone != target.phone {
                    what.push("phone".to_owned());
                }
                if what.is_empty() {
                    c.unchanged(ADULTS);
                } else {
                    c.updated(ADULTS, line, &a.no, what);
                    c.plan.people_updates.push(NewPerson { id: old.id.clone(), ..target });
                }
                adults.insert(a.no.clone(), old.id.clone());
            }
            None => {
                let id = saldo_store::new_id("per");
                c.created(ADULTS);
                c.plan.new_people.push(NewPerson { id: id.clone(), ..target });
                adults.insert(a.no.clone(), id);
            }
        }
    }
    export.adults = adult_rows;
    let known_adults = export.numbers_in(ADULTS);

    // Relations.
    let existing_relations: HashMap<(&str, &str), &str> =
        existing.relations.iter().map(|(ch, p, k)| ((ch.as_str(), p.as_str()), k.as_str())).collect();
    let mut related: HashSet<(String, String)> = HashSet::new();
    let mut has_custodian: HashSet<String> = HashSet::new();
    let relation_rows = std::mem::take(&mut export.relations);
    for r in &relation_rows {
        let log = export.log(RELATIONS);
        let line = log.line(r.row);
        let Some((child_id, _, _)) = children.get(&r.child) else {
            log.reject(r.row, missing("BarnNr", &r.child, CHILDREN, &known_children));
            continue;
        };
        let Some(person_id) = adults.get(&r.adult) else {
            log.reject(r.row, missing("VoksenNr", &r.adult, ADULTS, &known_adults));
            continue;
        };
        related.insert((child_id.clone(), person_id.clone()));
        if r.kind == RelationKind::Custodian {
            has_custodian.insert(r.child.clone());
        }
        match existing_relations.get(&(child_id.as_str(), person_id.as_str())) {
            Some(old) if *old == r.kind.as_str() => c.unchanged(RELATIONS),
            Some(old) => {
                c.updated(
                    RELATIONS,
                    line,
                    &format!("{} {}", r.child, r.adult),
                    vec![format!("{old} → {}", r.kind.as_str())],
                );
                c.plan.relation_updates.push((child_id.clone(), person_id.clone(), r.kind));
            }
            None => {
                c.created(RELATIONS);
                c.plan.new_relations.push((child_id.clone(), person_id.clone(), r.kind));
            }
        }
    }
    export.relations = relation_rows;
    let legacy_of_child: HashMap<&str, &str> =
        existing.children.iter().filter_map(|ch| Some((ch.id.as_str(), ch.legacy_no.as_deref()?))).collect();
    for (child_id, _, kind) in &existing.relations {
        if let Some(no) = legacy_of_child.get(child_id.as_str()).filter(|_| kind == "custodian") {
            has_custodian.insert((*no).to_owned());
        }
    }
    let without_custodian: Vec<usize> = export
        .children
        .iter()
        .filter(|ch| children.contains_key(&ch.no) && !has_custodian.contains(&ch.no))
        .map(|ch| ch.row)
        .collect();
    for row in without_custodian {
        {
            export.log(CHILDREN).repair(
                row,
                "no custodian (Forældremyndighed) in relationer.csv: nobody can manage this child's account until one is added",
            );
        }
    }

    // Cards.
    let cards_by_number: HashMap<&str, &ExistingCard> = existing.cards.iter().map(|k| (k.number.as_str(), k)).collect();
    let export_numbers_cards: HashSet<String> = export.cards.iter().map(|k| k.number.digits()).collect();
    let mut chip_owner: HashMap<String, String> = existing
        .cards
        .iter()
        .filter(|k| !export_numbers_cards.contains(&k.number))
        .filter_map(|k| Some((k.chip_uid.clone()?, format!("card …{} already in Saldo", last4(&k.number)))))
        .collect();
    // Active cards the export does not mention, by child id: activated in Saldo after a move.
    let mut active_elsewhere: HashMap<&str, &str> = HashMap::new();
    for k in &existing.cards {
        if k.state == CardState::Active && !export_numbers_cards.contains(&k.number) {
            if let Some(child) = &k.child_id {
                active_elsewhere.insert(child.as_str(), k.number.as_str());
            }
        }
    }
    let mut active_in_export: HashMap<String, (usize, String)> = HashMap::new();
    let mut deactivations = Vec::new();
    let mut activations = Vec::new();
    let card_rows = std::mem::take(&mut export.cards);
    for k in &card_rows {
        let log = export.log(CARDS);
        let line = log.line(k.row);
        let number = k.number.digits();
        let Some((child_id, _, _)) = children.get(&k.child) else {
            log.reject(k.row, missing("BarnNr", &k.child, CHILDREN, &known_children));
            continue;
        };
        let old = cards_by_number.get(number.as_str()).copied();
        if let Some(old) = old {
            match &old.child_id {
                Some(owner) if owner == child_id => {}
                Some(_) => {
                    log.reject(k.row, format!("card {number} is already in Saldo for another child"));
                    continue;
                }
                None => {
                    log.reject(
                        k.row,
                        format!("card {number} is already in Saldo as a blank card in an office's stock"),
                    );
                    continue;
                }
            }
            if old.state != k.state
                && !matches!(
                    (old.state, k.state),
                    (CardState::Active, CardState::Blocked) | (CardState::Blocked, CardState::Active)
                )
            {
                log.reject(
                    k.row,
                    format!("card {number} is {} in Saldo; the import does not change that", old.state.as_str()),
                );
                continue;
            }
        }
        if k.state == CardState::Active {
            if let Some((first_line, first_number)) = active_in_export.get(&k.child) {
                log.reject(
                    k.row,
                    format!(
                        "{} already has an active card (line {first_line}, …{}); a child has at most one active card: \
                         block one in the old system, or activate this one by hand after the move",
                        k.child,
                        last4(first_number)
                    ),
                );
                continue;
            }
            if let Some(other) = active_elsewhere.get(child_id.as_str()) {
                log.reject(
                    k.row,
                    format!(
                        "{} already has another active card in Saldo (…{}); the import leaves that one",
                        k.child,
                        last4(other)
                    ),
                );
                continue;
            }
            active_in_export.insert(k.child.clone(), (line, number.clone()));
        }
        let mut chip = k.chip.as_ref().map(|c| c.as_str().to_owned());
        if let Some(uid) = &chip {
            if let Some(owner) = chip_owner.get(uid) {
                log.repair(
                    k.row,
                    format!("chip id {uid} is also on {owner}: imported without it, the card works by its number"),
                );
                chip = None;
            } else {
                chip_owner.insert(uid.clone(), format!("card …{} (line {line})", last4(&number)));
            }
        }
        let issued = k.issued.and_then(issued_at);
        match old {
            Some(old) => {
                let issued =
                    issued.unwrap_or_else(|| Timestamp::from_microsecond(old.issued_at).unwrap_or(settings.now));
                let mut what = Vec::new();
                if old.state != k.state {
                    what.push(format!("state {} → {}", old.state.as_str(), k.state.as_str()));
                }
                if old.chip_uid != chip {
                    what.push(format!(
                        "chip id {} → {}",
                        old.chip_uid.as_deref().unwrap_or("none"),
                        chip.as_deref().unwrap_or("none")
                    ));
                    if old.chip_uid.is_some() {
                        c.plan.chip_clears.push(old.id.clone());
                    }
                }
                if old.issued_at != issued.as_microsecond() {
                    what.push("issue date".to_owned());
                }
                if what.is_empty() {
                    c.unchanged(CARDS);
                } else {
                    c.updated(CARDS, line, &number, what);
                    let update = CardUpdate { id: old.id.clone(), chip_uid: chip, state: k.state, issued_at: issued };
                    if k.state == CardState::Active {
                        activations.push(update);
                    } else {
                        deactivations.push(update);
                    }
                }
            }
            None => {
                c.created(CARDS);
                c.plan.new_cards.push(NewCard {
                    id: saldo_store::new_id("card"),
                    number,
                    chip_uid: chip,
                    child_id: child_id.clone(),
                    state: k.state,
                    issued_at: issued.unwrap_or(settings.now),
                });
            }
        }
    }
    export.cards = card_rows;
    c.plan.card_updates = deactivations.into_iter().chain(activations).collect();

    // Accounts: balances and daily limits.
    let account_rows = std::mem::take(&mut export.accounts);
    let mut imported_total = Money::ZERO;
    for a in &account_rows {
        let log = export.log(ACCOUNTS);
        let line = log.line(a.row);
        let Some((_, wallet_id, wallet)) = children.get(&a.child) else {
            log.reject(a.row, missing("BarnNr", &a.child, CHILDREN, &known_children));
            continue;
        };
        let migrated = existing.migrated.get(wallet_id).copied().unwrap_or(Money::ZERO);
        let delta = a.balance.checked_sub(migrated).map_err(|_| ImportError::TooMuchMoney)?;
        match wallet {
            None => {
                c.created(ACCOUNTS);
                if delta.is_positive() {
                    c.plan.migrations.push(Migration {
                        wallet_id: wallet_id.clone(),
                        child_no: a.child.clone(),
                        delta,
                        opening: true,
                    });
                }
            }
            Some(w) => {
                let mut what = Vec::new();
                if delta != Money::ZERO {
                    if !w.open {
                        log.reject(
                            a.row,
                            format!("the wallet of {} is closed in Saldo; its balance is not changed", a.child),
                        );
                        continue;
                    }
                    let after = w.balance.checked_add(delta).map_err(|_| ImportError::TooMuchMoney)?;
                    if after.is_negative() {
                        log.reject(
                            a.row,
                            format!(
                                "the balance is {} lower than imported before, but the wallet holds only {} now",
                                delta.checked_neg().unwrap_or(delta).display_da(),
                                w.balance.display_da()
                            ),
                        );
                        continue;
                    }
                    what.push(format!("balance {} → {}", migrated.display_da(), a.balance.display_da()));
                    c.plan.migrations.push(Migration {
                        wallet_id: wallet_id.clone(),
                        child_no: a.child.clone(),
                        delta,
                        opening: migrated == Money::ZERO,
                    });
                }
                if w.daily_limit != a.daily_limit {
                    what.push(format!("daily limit {} → {}", money_text(w.daily_limit), money_text(a.daily_limit)));
                    c.plan.limit_updates.push((wallet_id.clone(), a.daily_limit));
                }
                if what.is_empty() {
                    c.unchanged(ACCOUNTS);
                } else {
                    c.updated(ACCOUNTS, line, &a.child, what);
                }
            }
        }
        imported_total = imported_total.checked_add(a.balance).map_err(|_| ImportError::TooMuchMoney)?;
    }
    export.accounts = account_rows;
    c.plan.imported_total = imported_total;
    c.plan.export_wallets = children.values().map(|(_, wallet, _)| wallet.clone()).collect();
    c.plan.export_wallets.sort();

    // Top-up agreements.
    let agreements_by_key: HashMap<(&str, &str), &saldo_store::ExistingAgreement> =
        existing.agreements.iter().map(|a| ((a.child_id.as_str(), a.person_id.as_str()), a)).collect();
    let agreement_rows = std::mem::take(&mut export.agreements);
    for g in &agreement_rows {
        let log = export.log(AGREEMENTS);
        let line = log.line(g.row);
        let Some((child_id, _, _)) = children.get(&g.child) else {
            log.reject(g.row, missing("BarnNr", &g.child, CHILDREN, &known_children));
            continue;
        };
        let Some(person_id) = adults.get(&g.adult) else {
            log.reject(g.row, missing("VoksenNr", &g.adult, ADULTS, &known_adults));
            continue;
        };
        let key = (child_id.clone(), person_id.clone());
        if !related.contains(&key) && !existing_relations.contains_key(&(child_id.as_str(), person_id.as_str())) {
            log.reject(
                g.row,
                format!(
                    "{} is neither custodian nor relative of {}: only they may top up the child's wallet",
                    g.adult, g.child
                ),
            );
            continue;
        }
        let target = NewAgreement {
            id: String::new(),
            child_id: child_id.clone(),
            person_id: person_id.clone(),
            threshold: g.threshold,
            amount: g.amount,
            provider: settings.provider.clone(),
            provider_token: g.token.clone(),
            status: g.status.as_str(),
            card: None,
        };
        match agreements_by_key.get(&(child_id.as_str(), person_id.as_str())) {
            Some(old) => {
                let mut what = Vec::new();
                if old.threshold != g.threshold || old.amount != g.amount {
                    what.push(format!(
                        "below {} add {} → below {} add {}",
                        old.threshold.display_da(),
                        old.amount.display_da(),
                        g.threshold.display_da(),
                        g.amount.display_da()
                    ));
                }
                if old.provider_token != g.token || old.provider != settings.provider {
                    what.push("payment token".to_owned());
                }
                if old.status != g.status.as_str() {
                    what.push(format!("{} → {}", old.status, g.status.as_str()));
                }
                if what.is_empty() {
                    c.unchanged(AGREEMENTS);
                } else {
                    c.updated(AGREEMENTS, line, &format!("{} {}", g.child, g.adult), what);
                    c.plan.agreement_updates.push(NewAgreement { id: old.id.clone(), ..target });
                }
            }
            None => {
                c.created(AGREEMENTS);
                c.plan.new_agreements.push(NewAgreement { id: saldo_store::new_id("tua"), ..target });
            }
        }
    }
    export.agreements = agreement_rows;

    // What an earlier import brought that this export no longer mentions.
    let in_export_children: HashSet<&str> = export.children.iter().map(|ch| ch.no.as_str()).collect();
    let in_export_adults: HashSet<&str> = export.adults.iter().map(|a| a.no.as_str()).collect();
    let legacy_child_ids: HashSet<&str> =
        existing.children.iter().filter(|ch| ch.legacy_no.is_some()).map(|ch| ch.id.as_str()).collect();
    let gone_children = existing
        .children
        .iter()
        .filter(|ch| ch.legacy_no.as_deref().is_some_and(|no| !in_export_children.contains(no)))
        .count();
    let gone_adults = existing
        .people
        .iter()
        .filter(|p| p.legacy_no.as_deref().is_some_and(|no| !in_export_adults.contains(no)))
        .count();
    let gone_cards = existing
        .cards
        .iter()
        .filter(|k| k.child_id.as_deref().is_some_and(|ch| legacy_child_ids.contains(ch)))
        .filter(|k| !export_numbers_cards.contains(&k.number))
        .count();
    for (file, gone) in [(CHILDREN, gone_children), (ADULTS, gone_adults), (CARDS, gone_cards)] {
        if gone > 0 {
            plan.not_in_export.insert(file, gone as u64);
        }
    }
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
