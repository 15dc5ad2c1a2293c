//! The export's rows, typed: each file's records checked on their own (formats,
//! stray whitespace, duplicated rows), every row's fate written in its file's log.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use saldo_core::{CardNumber, CardState, ChipUid, Email, Money};
use saldo_store::{InstitutionKind, RelationKind};

use super::read::{self, Encoding};
use super::ImportError;

pub const INSTITUTIONS: &str = "institutioner.csv";
pub const CHILDREN: &str = "boern.csv";
pub const ADULTS: &str = "voksne.csv";
pub const RELATIONS: &str = "relationer.csv";
pub const CARDS: &str = "kort.csv";
pub const ACCOUNTS: &str = "konti.csv";
pub const AGREEMENTS: &str = "optankningsaftaler.csv";
pub const CONTROL: &str = "kontrolsummer.txt";

/// The export's files in the order they are read (each refers only to those before it).
pub const FILES: [&str; 7] = [INSTITUTIONS, CHILDREN, ADULTS, RELATIONS, CARDS, ACCOUNTS, AGREEMENTS];

/// The columns each file must have, as the old system names them.
fn columns(file: &str) -> &'static [&'static str] {
    match file {
        INSTITUTIONS => &["InstitutionsNr", "Navn", "Type"],
        CHILDREN => &["BarnNr", "Fornavn", "Efternavn", "Fødselsdato", "Institution", "Klub"],
        ADULTS => &["VoksenNr", "Fornavn", "Efternavn", "Email", "Telefon"],
        RELATIONS => &["BarnNr", "VoksenNr", "Relation"],
        CARDS => &["Kortnummer", "ChipUID", "BarnNr", "Status", "Udstedt"],
        ACCOUNTS => &["BarnNr", "Saldo", "DagligtLoft"],
        AGREEMENTS => &["BarnNr", "VoksenNr", "Grænse", "Beløb", "BetalingsToken", "Status"],
        _ => &[],
    }
}

/// What became of one row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowLog {
    pub line: usize,
    pub repairs: Vec<String>,
    pub rejected: Option<String>,
}

/// Every row of one file and what became of it.
#[derive(Clone, Debug)]
pub struct FileLog {
    pub name: &'static str,
    pub encoding: Encoding,
    pub rows: Vec<RowLog>,
}

impl FileLog {
    pub fn repair(&mut self, row: usize, reason: impl Into<String>) {
        self.rows[row].repairs.push(reason.into());
    }

    /// Rejects a row; the first reason stands.
    pub fn reject(&mut self, row: usize, reason: impl Into<String>) {
        let log = &mut self.rows[row];
        if log.rejected.is_none() {
            log.rejected = Some(reason.into());
        }
    }

    pub fn line(&self, row: usize) -> usize {
        self.rows[row].line
    }
}

/// A record with its fields trimmed and in the order of [`columns`].
struct Raw {
    row: usize,
    values: Vec<String>,
}

/// Reads one file into its log and its usable rows: a row whose quoting is
/// broken or whose field count is wrong is rejected; stray whitespace is
/// trimmed (and said so); an exact copy of an earlier row is imported once.
fn read_file(name: &'static str, bytes: &[u8]) -> Result<(FileLog, Vec<Raw>), ImportError> {
    let (text, encoding) = read::decode(bytes);
    let mut records = read::records(&text).into_iter();
    let header = records.next().ok_or(ImportError::EmptyFile(name))?;
    let wanted = columns(name);
    let normalize = |s: &str| s.trim().trim_start_matches('\u{feff}').to_lowercase();
    let mut positions = Vec::with_capacity(wanted.len());
    for column in wanted {
        let position = header
            .fields
            .iter()
            .position(|h| normalize(h) == normalize(column))
            .ok_or(ImportError::MissingColumn { file: name, column })?;
        positions.push(position);
    }
    let width = header.fields.len();
    let mut log = FileLog { name, encoding, rows: Vec::new() };
    let mut raws = Vec::new();
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    for record in records {
        let row = log.rows.len();
        log.rows.push(RowLog { line: record.line, ..RowLog::default() });
        if let Some(defect) = record.defect {
            log.reject(row, format!("the row cannot be read reliably: {defect}"));
            continue;
        }
        if record.fields.len() < width {
            log.reject(row, format!("the row has {} fields, the header {width}", record.fields.len()));
            continue;
        }
        if record.fields.len() > width {
            if record.fields[width..].iter().all(|f| f.trim().is_empty()) {
                log.repair(row, "empty fields after the last column ignored");
            } else {
                log.reject(row, format!("the row has {} fields, the header {width}", record.fields.len()));
                continue;
            }
        }
        let mut values = Vec::with_capacity(wanted.len());
        let mut untidy = Vec::new();
        for (column, &position) in wanted.iter().zip(&positions) {
            let raw = &record.fields[position];
            let trimmed = raw.trim();
            if trimmed.len() != raw.len() {
                untidy.push(*column);
            }
            values.push(trimmed.to_owned());
        }
        if !untidy.is_empty() {
            log.repair(row, format!("stray whitespace removed from {}", untidy.join(", ")));
        }
        if let Some(&first) = seen.get(&values) {
            let first_line = log.line(first);
            match log.rows[first].rejected.clone() {
                Some(reason) => log.reject(row, format!("the same as line {first_line}, which was rejected: {reason}")),
                None => log.repair(row, format!("an exact copy of line {first_line}: imported once")),
            }
            continue;
        }
        seen.insert(values.clone(), row);
        raws.push(Raw { row, values });
    }
    Ok((log, raws))
}

#[derive(Clone, Debug)]
pub struct Institution {
    pub row: usize,
    pub no: String,
    pub name: String,
    pub kind: InstitutionKind,
}

#[derive(Clone, Debug)]
pub struct Child {
    pub row: usize,
    pub no: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<Date>,
    pub institution: String,
    pub club: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Adult {
    pub row: usize,
    pub no: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Relation {
    pub row: usize,
    pub child: String,
    pub adult: String,
    pub kind: RelationKind,
}

#[derive(Clone, Debug)]
pub struct Card {
    pub row: usize,
    pub number: CardNumber,
    pub chip: Option<ChipUid>,
    pub child: String,
    pub state: CardState,
    pub issued: Option<Date>,
}

#[derive(Clone, Debug)]
pub struct Account {
    pub row: usize,
    pub child: String,
    pub balance: Money,
    pub daily_limit: Option<Money>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgreementStatus {
    Active,
    Paused,
}

impl AgreementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AgreementStatus::Active => "active",
            AgreementStatus::Paused => "paused",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Agreement {
    pub row: usize,
    pub child: String,
    pub adult: String,
    pub threshold: Money,
    pub amount: Money,
    pub token: String,
    pub status: AgreementStatus,
}

/// The old system's closing totals (kontrolsummer.txt).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Control {
    pub children: Option<u64>,
    pub accounts: Option<u64>,
    pub cards: Option<u64>,
    pub agreements: Option<u64>,
    pub total: Money,
}

impl Control {
    /// The row count the old system states for a file, if it states one.
    pub fn rows_of(&self, file: &str) -> Option<u64> {
        match file {
            CHILDREN => self.children,
            ACCOUNTS => self.accounts,
            CARDS => self.cards,
            AGREEMENTS => self.agreements,
            _ => None,
        }
    }
}

/// The whole export, read and checked file by file (not yet against each other).
#[derive(Clone, Debug)]
pub struct Export {
    pub logs: Vec<FileLog>,
    pub institutions: Vec<Institution>,
    pub children: Vec<Child>,
    pub adults: Vec<Adult>,
    pub relations: Vec<Relation>,
    pub cards: Vec<Card>,
    pub accounts: Vec<Account>,
    pub agreements: Vec<Agreement>,
    /// The balance every readable konti.csv row states, by row: a rejected
    /// account's money is counted as rejected, never lost.
    pub account_amounts: HashMap<usize, Money>,
    /// The number in the first column of every readable row, by file,
    /// rejected rows included: to tell "not there" from "rejected there".
    pub numbers: HashMap<&'static str, HashSet<String>>,
    pub control: Control,
}

impl Export {
    pub fn log(&mut self, file: &str) -> &mut FileLog {
        let index = FILES.iter().position(|f| *f == file).unwrap_or(0);
        &mut self.logs[index]
    }

    pub fn line(&self, file: &str, row: usize) -> usize {
        self.logs.iter().find(|l| l.name == file).map_or(0, |l| l.line(row))
    }

    pub fn numbers_in(&self, file: &str) -> HashSet<String> {
        self.numbers.get(file).cloned().unwrap_or_default()
    }
}

/// Reads and checks every file; `read` gives a file's bytes by name.
pub fn parse(mut read: impl FnMut(&'static str) -> Result<Vec<u8>, ImportError>) -> Result<Export, ImportError> {
    let mut logs = Vec::with_capacity(FILES.len());
    let mut raws = Vec::with_capacity(FILES.len());
    let mut numbers = HashMap::new();
    for file in FILES {
        let (log, raw) = read_file(file, &read(file)?)?;
        numbers.insert(file, raw.iter().map(|r| r.values[0].clone()).collect::<HashSet<_>>());
        logs.push(log);
        raws.push(raw);
    }
    let control = control(&read(CONTROL)?)?;
    let mut export = Export {
        logs,
        institutions: Vec::new(),
        children: Vec::new(),
        adults: Vec::new(),
        relations: Vec::new(),
        cards: Vec::new(),
        accounts: Vec::new(),
        agreements: Vec::new(),
        account_amounts: HashMap::new(),
        numbers,
        control,
    };
    let mut raws = raws.into_iter();
    let mut next = || raws.next().unwrap_or_default();
    for raw in next() {
        if let Some(row) = institution(export.log(INSTITUTIONS), raw) {
            export.institutions.push(row);
        }
    }
    for raw in next() {
        if let Some(row) = child(export.log(CHILDREN), raw) {
            export.children.push(row);
        }
    }
    for raw in next() {
        if let Some(row) = adult(export.log(ADULTS), raw) {
            export.adults.push(row);
        }
    }
    for raw in next() {
        if let Some(row) = relation(export.log(RELATIONS), raw) {
            export.relations.push(row);
        }
    }
    for raw in next() {
        if let Some(row) = card(export.log(CARDS), raw) {
            export.cards.push(row);
        }
    }
    for raw in next() {
        let balance = raw.values[1].parse::<Money>().ok();
        if let Some(balance) = balance {
            export.account_amounts.insert(raw.row, balance);
        }
        if let Some(row) = account(export.log(ACCOUNTS), raw) {
            export.accounts.push(row);
        }
    }
    for raw in next() {
        if let Some(row) = agreement(export.log(AGREEMENTS), raw) {
            export.agreements.push(row);
        }
    }
    // Two rows with the same key and different values: the first stands.
    first_of_each(&mut export.institutions, INSTITUTIONS, &mut export.logs, |r| r.no.clone(), "InstitutionsNr");
    first_of_each(&mut export.children, CHILDREN, &mut export.logs, |r| r.no.clone(), "BarnNr");
    first_of_each(&mut export.adults, ADULTS, &mut export.logs, |r| r.no.clone(), "VoksenNr");
    first_of_each(
        &mut export.relations,
        RELATIONS,
        &mut export.logs,
        |r| format!("{} {}", r.child, r.adult),
        "BarnNr and VoksenNr",
    );
    first_of_each(
        &mut export.cards,
        CARDS,
        &mut export.logs,
        |r| r.number.digits(),
        "card number (a number belongs to one card)",
    );
    first_of_each(&mut export.accounts, ACCOUNTS, &mut export.logs, |r| r.child.clone(), "BarnNr");
    first_of_each(
        &mut export.agreements,
        AGREEMENTS,
        &mut export.logs,
        |r| format!("{} {}", r.child, r.adult),
        "BarnNr and VoksenNr",
    );
    Ok(export)
}

/// Something every typed row has: the index of its row in the file's log.
trait HasRow {
    fn row(&self) -> usize;
}

macro_rules! has_row {
    ($($t:ty),*) => { $(impl HasRow for $t { fn row(&self) -> usize { self.row } })* };
}
has_row!(Institution, Child, Adult, Relation, Card, Account, Agreement);

fn first_of_each<T: HasRow>(
    rows: &mut Vec<T>,
    file: &str,
    logs: &mut [FileLog],
    key: impl Fn(&T) -> String,
    what: &str,
) {
    let Some(log) = logs.iter_mut().find(|l| l.name == file) else { return };
    let mut first: HashMap<String, usize> = HashMap::new();
    rows.retain(|r| match first.get(&key(r)) {
        Some(&earlier) => {
            let line = log.line(earlier);
            log.reject(
                r.row(),
                format!("the same {what} ({}) as line {line}, with other values: line {line} stands", key(r)),
            );
            false
        }
        None => {
            first.insert(key(r), r.row());
            true
        }
    });
}

fn required(log: &mut FileLog, raw: &Raw, index: usize, column: &str) -> Option<String> {
    let value = &raw.values[index];
    if value.is_empty() {
        log.reject(raw.row, format!("{column} is empty"));
        return None;
    }
    Some(value.clone())
}

fn institution(log: &mut FileLog, raw: Raw) -> Option<Institution> {
    let no = required(log, &raw, 0, "InstitutionsNr")?;
    let name = required(log, &raw, 1, "Navn")?;
    let kind = match raw.values[2].to_lowercase().as_str() {
        "school" => InstitutionKind::School,
        "club" => InstitutionKind::Club,
        "youth_school" => InstitutionKind::YouthSchool,
        other => {
            log.reject(raw.row, format!("Type {other:?} is none of school, club, youth_school"));
            return None;
        }
    };
    Some(Institution { row: raw.row, no, name, kind })
}

fn child(log: &mut FileLog, raw: Raw) -> Option<Child> {
    let no = required(log, &raw, 0, "BarnNr")?;
    let first_name = required(log, &raw, 1, "Fornavn")?;
    let last_name = raw.values[2].clone();
    let institution = required(log, &raw, 4, "Institution")?;
    let birth_date = match raw.values[3].as_str() {
        "" => None,
        text => match date(text) {
            Some(date) => Some(date),
            None => {
                log.repair(raw.row, format!("birth date {text:?} is not a date (dd-mm-yyyy): imported without it"));
                None
            }
        },
    };
    let club = Some(raw.values[5].clone()).filter(|c| !c.is_empty());
    Some(Child { row: raw.row, no, first_name, last_name, birth_date, institution, club })
}

fn adult(log: &mut FileLog, raw: Raw) -> Option<Adult> {
    let no = required(log, &raw, 0, "VoksenNr")?;
    let (first_name, last_name) = (raw.values[1].clone(), raw.values[2].clone());
    if first_name.is_empty() && last_name.is_empty() {
        log.reject(raw.row, "Fornavn and Efternavn are both empty");
        return None;
    }
    let email = match raw.values[3].as_str() {
        "" => {
            log.repair(
                raw.row,
                "no e-mail address: imported without one, so this person cannot log in by e-mail until one is added",
            );
            None
        }
        text => match text.parse::<Email>() {
            Ok(email) => Some(email),
            Err(e) => {
                log.repair(raw.row, format!("e-mail {text:?} is not usable ({e}): imported without one"));
                None
            }
        },
    };
    let phone = Some(raw.values[4].clone()).filter(|p| !p.is_empty());
    Some(Adult { row: raw.row, no, first_name, last_name, email, phone })
}

/// The relation that gives custody; every other word makes a relative.
const CUSTODY: &str = "forældremyndighed";

fn relation(log: &mut FileLog, raw: Raw) -> Option<Relation> {
    let child = required(log, &raw, 0, "BarnNr")?;
    let adult = required(log, &raw, 1, "VoksenNr")?;
    let kind = match raw.values[2].to_lowercase().as_str() {
        CUSTODY => RelationKind::Custodian,
        "" => {
            log.repair(raw.row, "Relation is empty: imported as a relative (may deposit and see the statement)");
            RelationKind::Relative
        }
        _ => RelationKind::Relative,
    };
    Some(Relation { row: raw.row, child, adult, kind })
}

fn card(log: &mut FileLog, raw: Raw) -> Option<Card> {
    let text = required(log, &raw, 0, "Kortnummer")?;
    let number = match text.parse::<CardNumber>() {
        Ok(number) => number,
        Err(e) => {
            log.reject(raw.row, format!("card number {text}: {e}"));
            return None;
        }
    };
    if number.digits() != text {
        log.repair(raw.row, format!("card number {text:?} written with spaces or dashes: read as {}", number.digits()));
    }
    let chip = match raw.values[1].as_str() {
        "" => None,
        uid => match uid.parse::<ChipUid>() {
            Ok(chip) => Some(chip),
            Err(e) => {
                log.repair(raw.row, format!("chip id {uid:?}: {e}; imported without it, the card works by its number"));
                None
            }
        },
    };
    let child = required(log, &raw, 2, "BarnNr")?;
    let state = match raw.values[3].to_lowercase().as_str() {
        "aktiv" => CardState::Active,
        "spærret" => CardState::Blocked,
        other => {
            log.reject(raw.row, format!("Status {other:?} is neither Aktiv nor Spærret"));
            return None;
        }
    };
    let issued = match raw.values[4].as_str() {
        "" => None,
        text => {
            let issued = date(text);
            if issued.is_none() {
                log.repair(raw.row, format!("issue date {text:?} is not a date (dd-mm-yyyy): the import date is used"));
            }
            issued
        }
    };
    Some(Card { row: raw.row, number, chip, child, state, issued })
}

fn account(log: &mut FileLog, raw: Raw) -> Option<Account> {
    let child = required(log, &raw, 0, "BarnNr")?;
    let text = &raw.values[1];
    let balance = match text.parse::<Money>() {
        Ok(balance) => balance,
        Err(e) => {
            log.reject(raw.row, format!("balance {text:?} cannot be read ({e}); its amount is not known"));
            return None;
        }
    };
    if balance.is_negative() {
        log.reject(
            raw.row,
            format!(
                "negative balance {}: a wallet is never below zero; the child gets an empty wallet, settle the amount by hand",
                balance.display_da()
            ),
        );
        return None;
    }
    let daily_limit = match raw.values[2].as_str() {
        "" => None,
        text => match text.parse::<Money>() {
            Ok(limit) if !limit.is_negative() => Some(limit),
            _ => {
                log.repair(
                    raw.row,
                    format!("daily limit {text:?} is not an amount of zero or more: imported without a limit"),
                );
                None
            }
        },
    };
    Some(Account { row: raw.row, child, balance, daily_limit })
}

fn agreement(log: &mut FileLog, raw: Raw) -> Option<Agreement> {
    let child = required(log, &raw, 0, "BarnNr")?;
    let adult = required(log, &raw, 1, "VoksenNr")?;
    let mut amount = |index: usize, column: &str| -> Option<Money> {
        let text = &raw.values[index];
        match text.parse::<Money>() {
            Ok(amount) if amount.is_positive() => Some(amount),
            _ => {
                log.reject(raw.row, format!("{column} {text:?} is not an amount above zero"));
                None
            }
        }
    };
    let threshold = amount(2, "Grænse")?;
    let amount = amount(3, "Beløb")?;
    let token = required(log, &raw, 4, "BetalingsToken")?;
    let status = match raw.values[5].to_lowercase().as_str() {
        "aktiv" => AgreementStatus::Active,
        "pauset" => AgreementStatus::Paused,
        other => {
            log.reject(raw.row, format!("Status {other:?} is neither Aktiv nor Pauset"));
            return None;
        }
    };
    Some(Agreement { row: raw.row, child, adult, threshold, amount, token, status })
}

/// `dd-mm-yyyy` (also with `.` or `/`), as the old system writes dates.
pub fn date(text: &str) -> Option<Date> {
    let mut parts = text.split(['-', '.', '/']);
    let day: i8 = parts.next()?.parse().ok()?;
    let month: i8 = parts.next()?.parse().ok()?;
    let year_text = parts.next()?;
    if parts.next().is_some() || year_text.len() != 4 {
        return None;
    }
    let year: i16 = year_text.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// Reads kontrolsummer.txt: `Antal børn: 2000`, …, `Samlet saldo: 792782,81`.
fn control(bytes: &[u8]) -> Result<Control, ImportError> {
    let (text, _) = read::decode(bytes);
    let mut control = Control::default();
    let mut total = None;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let key = key.trim().trim_start_matches('\u{feff}').to_lowercase();
        let value = value.trim();
        let count = || value.replace('.', "").parse::<u64>().ok();
        match key.as_str() {
            "antal børn" => control.children = count(),
            "antal konti" => control.accounts = count(),
            "antal kort" => control.cards = count(),
            "antal aftaler" => control.agreements = count(),
            "samlet saldo" => {
                total = Some(
                    value.parse::<Money>().map_err(|e| ImportError::Control(format!("Samlet saldo {value:?}: {e}")))?,
                )
            }
            _ => {}
        }
    }
    control.total = total.ok_or_else(|| ImportError::Control("it has no line \"Samlet saldo: …\"".into()))?;
    Ok(control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(date("17-04-2009"), Some(jiff::civil::date(2009, 4, 17)));
        assert_eq!(date("1.2.2015"), Some(jiff::civil::date(2015, 2, 1)));
        assert_eq!(date("31-02-2015"), None);
        assert_eq!(date("2015-02-01"), None);
        assert_eq!(date("01-01-15"), None);
    }

    #[test]
    fn control_totals_are_read_in_danish() {
        let text = "Antal børn: 2000\r\nAntal konti: 2.000\r\nAntal kort: 2343\r\nAntal aftaler: 596\r\nSamlet saldo: 792782,81\r\n";
        let control = control(text.as_bytes()).unwrap();
        assert_eq!(control.children, Some(2000));
        assert_eq!(control.accounts, Some(2000));
        assert_eq!(control.total, Money::from_ore(79_278_281));
        assert!(super::control(b"Antal b\xf8rn: 3\r\n").is_err(), "no total, no reconciliation");
    }

    #[test]
    fn rows_are_trimmed_deduplicated_and_checked() {
        let text = "\u{feff}BarnNr;Saldo;DagligtLoft\r\nB1; 10,00 ;\r\nB2;-1,00;\r\nB1; 10,00 ;\r\nB3;1.234,50;abc\r\nB1;11,00;\r\nB4;12\r\n";
        let (mut log, raws) = read_file(ACCOUNTS, text.as_bytes()).unwrap();
        let accounts: Vec<Account> = raws.into_iter().filter_map(|raw| account(&mut log, raw)).collect();
        assert_eq!(accounts.len(), 3);
        assert_eq!(accounts[1].balance, Money::from_ore(123_450));
        assert_eq!(accounts[1].daily_limit, None);
        let lines: Vec<(usize, bool, usize)> =
            log.rows.iter().map(|r| (r.line, r.rejected.is_some(), r.repairs.len())).collect();
        assert_eq!(lines, vec![(2, false, 1), (3, true, 0), (4, false, 2), (5, false, 1), (6, false, 0), (7, true, 0)]);
        assert!(log.rows[2].repairs[1].contains("exact copy of line 2"));
        assert!(log.rows[1].rejected.as_deref().unwrap().contains("negative balance"));
    }
}
