//! The export's rows, typed: each file's records checked on their own (formats,
//! stray whitespace, duplicated rows), every row's fate written in its file's log.

mod control;
mod records;
mod typed;

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use saldo_core::{CardNumber, CardState, ChipUid, Email, Money};
use saldo_store::{InstitutionKind, RelationKind};

pub use control::Control;
pub use records::FileLog;
/// The school-year sync reads dates as the old system wrote them.
pub(crate) use typed::date as danish_date;

use control::control;
use records::{read_file, Raw};
use typed::{account, adult, agreement, card, child, institution, relation};

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
    export.type_rows(raws);
    export.keep_first_of_each();
    Ok(export)
}

/// Each usable record of a file made its typed row.
fn typed_rows<T>(log: &mut FileLog, raws: Vec<Raw>, typed: fn(&mut FileLog, Raw) -> Option<T>) -> Vec<T> {
    raws.into_iter().filter_map(|raw| typed(log, raw)).collect()
}

impl Export {
    /// Types every file's records, given in the order of [`FILES`].
    fn type_rows(&mut self, raws: Vec<Vec<Raw>>) {
        let mut raws = raws.into_iter();
        let mut next = || raws.next().unwrap_or_default();
        self.institutions = typed_rows(self.log(INSTITUTIONS), next(), institution);
        self.children = typed_rows(self.log(CHILDREN), next(), child);
        self.adults = typed_rows(self.log(ADULTS), next(), adult);
        self.relations = typed_rows(self.log(RELATIONS), next(), relation);
        self.cards = typed_rows(self.log(CARDS), next(), card);
        for raw in next() {
            let balance = raw.values[1].parse::<Money>().ok();
            if let Some(balance) = balance {
                self.account_amounts.insert(raw.row, balance);
            }
            if let Some(row) = account(self.log(ACCOUNTS), raw) {
                self.accounts.push(row);
            }
        }
        self.agreements = typed_rows(self.log(AGREEMENTS), next(), agreement);
    }

    /// Two rows with the same key and different values: the first stands.
    fn keep_first_of_each(&mut self) {
        let logs = &mut self.logs;
        first_of_each(&mut self.institutions, INSTITUTIONS, logs, |r| r.no.clone(), "InstitutionsNr");
        first_of_each(&mut self.children, CHILDREN, logs, |r| r.no.clone(), "BarnNr");
        first_of_each(&mut self.adults, ADULTS, logs, |r| r.no.clone(), "VoksenNr");
        let pair = "BarnNr and VoksenNr";
        first_of_each(&mut self.relations, RELATIONS, logs, |r| format!("{} {}", r.child, r.adult), pair);
        let number = "card number (a number belongs to one card)";
        first_of_each(&mut self.cards, CARDS, logs, |r| r.number.digits(), number);
        first_of_each(&mut self.accounts, ACCOUNTS, logs, |r| r.child.clone(), "BarnNr");
        first_of_each(&mut self.agreements, AGREEMENTS, logs, |r| format!("{} {}", r.child, r.adult), pair);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::rows::typed::date;

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
