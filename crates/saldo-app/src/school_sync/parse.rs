//! Reading the school administration's export (`docs/school-sync.md`): one
//! row per pupil with up to two custodians. Rows that cannot be used are
//! set aside with the reason; the rest are typed once, here.

use std::collections::HashMap;

use saldo_core::Email;

use crate::import::danish_date;
use crate::import::read::{decode, records};

/// The columns, in order, as the format names them.
pub const COLUMNS: [&str; 17] = [
    "ElevNr",
    "Fornavn",
    "Efternavn",
    "Fødselsdato",
    "Skole",
    "Klasse",
    "Klub",
    "Forælder1Nr",
    "Forælder1Fornavn",
    "Forælder1Efternavn",
    "Forælder1Email",
    "Forælder1Telefon",
    "Forælder2Nr",
    "Forælder2Fornavn",
    "Forælder2Efternavn",
    "Forælder2Email",
    "Forælder2Telefon",
];

/// A file holds at most this many pupils.
pub const MAX_PUPILS: usize = 100_000;

/// A custodian as the school administration knows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guardian {
    /// Their number in the school administration (kept as the person's legacy number).
    pub number: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One pupil row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pupil {
    pub line: usize,
    /// The pupil's number (ElevNr): the child's key across syncs.
    pub number: String,
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`
    pub birth_date: Option<String>,
    /// The school's number (InstitutionsNr).
    pub school: String,
    pub class_name: Option<String>,
    pub club: Option<String>,
    pub custodians: Vec<Guardian>,
}

/// A row set aside, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file's columns are not the school-sync format: expected {expected}")]
    Columns { expected: String },
    #[error("the file has more than {MAX_PUPILS} pupils")]
    TooMany,
}

/// The pupils of a file, and the rows set aside.
pub fn parse(bytes: &[u8]) -> Result<(Vec<Pupil>, Vec<Rejected>), FileError> {
    let (text, _) = decode(bytes);
    let mut rows = records(&text).into_iter();
    let header = rows.next().ok_or(FileError::Empty)?;
    let names: Vec<&str> = header.fields.iter().map(|f| f.trim()).collect();
    if names != COLUMNS {
        return Err(FileError::Columns { expected: COLUMNS.join(";") });
    }
    let mut pupils: Vec<Pupil> = Vec::new();
    let mut rejected = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for record in rows {
        if pupils.len() >= MAX_PUPILS {
            return Err(FileError::TooMany);
        }
        let line = record.line;
        if let Some(defect) = record.defect {
            rejected.push(Rejected { line, reason: defect.to_owned() });
            continue;
        }
        match pupil(line, &record.fields) {
            Ok(p) => match seen.get(&p.number) {
                Some(first) => {
                    rejected.push(Rejected { line, reason: format!("ElevNr {} is on line {first} already", p.number) })
                }
                None => {
                    seen.insert(p.number.clone(), line);
                    pupils.push(p);
                }
            },
            Err(reason) => rejected.push(Rejected { line, reason }),
        }
    }
    Ok((pupils, rejected))
}

fn cell(fields: &[String], i: usize) -> &str {
    fields.get(i).map_or("", |f| f.trim())
}

fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

fn pupil(line: usize, fields: &[String]) -> Result<Pupil, String> {
    if fields.len() != COLUMNS.len() {
        return Err(format!("{} fields, not {}", fields.len(), COLUMNS.len()));
    }
    let c = |i| cell(fields, i);
    let number = c(0);
    if number.is_empty() {
        return Err("no ElevNr".into());
    }
    if c(1).is_empty() || c(2).is_empty() {
        return Err("a pupil needs a first and a last name".into());
    }
    if c(4).is_empty() {
        return Err("no Skole".into());
    }
    let birth_date = match c(3) {
        "" => None,
        text => Some(danish_date(text).ok_or_else(|| format!("Fødselsdato {text:?} is not dd-mm-yyyy"))?.to_string()),
    };
    let mut custodians = Vec::new();
    for (n, start) in [(1, 7), (2, 12)] {
        if let Some(g) = guardian(n, &fields[start..start + 5])? {
            custodians.push(g);
        }
    }
    if custodians.len() == 2 && custodians[0].number == custodians[1].number {
        custodians.pop();
    }
    Ok(Pupil {
        line,
        number: number.to_owned(),
        first_name: c(1).to_owned(),
        last_name: c(2).to_owned(),
        birth_date,
        school: c(4).to_owned(),
        class_name: optional(c(5)),
        club: optional(c(6)),
        custodians,
    })
}

/// Custodian `n`'s five cells: all empty is no one; a number and a name are needed.
fn guardian(n: usize, cells: &[String]) -> Result<Option<Guardian>, String> {
    let c = |i| cell(cells, i);
    if (0..5).all(|i| c(i).is_empty()) {
        return Ok(None);
    }
    if c(0).is_empty() || c(1).is_empty() || c(2).is_empty() {
        return Err(format!("Forælder{n} needs a number, a first and a last name"));
    }
    let email = match c(3) {
        "" => None,
        text => Some(
            text.parse::<Email>()
                .map_err(|_| format!("Forælder{n}Email {text:?} is not an e-mail address"))?
                .to_string(),
        ),
    };
    Ok(Some(Guardian {
        number: c(0).to_owned(),
        first_name: c(1).to_owned(),
        last_name: c(2).to_owned(),
        email,
        phone: optional(c(4)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "ElevNr;Fornavn;Efternavn;Fødselsdato;Skole;Klasse;Klub;Forælder1Nr;Forælder1Fornavn;\
Forælder1Efternavn;Forælder1Email;Forælder1Telefon;Forælder2Nr;Forælder2Fornavn;Forælder2Efternavn;Forælder2Email;\
Forælder2Telefon";

    #[test]
    fn pupils_are_read_and_bad_rows_set_aside_with_why() {
        let file = format!(
            "\u{feff}{HEADER}\r\n\
             B1;Ida;Hansen;17-04-2016;S01;3.A;K01;F1;Søren;Hansen;Soeren@Example.dk;+45 12345678;;;;;\r\n\
             B2;Noah;Jensen;;S01;;;F2;Mette;Jensen;;;F3;Ali;Jensen;ali@example.dk;\r\n\
             B1;Ida;Igen;;S01;;;;;;;;;;;;\r\n\
             B3;Bo;;;S01;;;;;;;;;;;;\r\n\
             B4;Alma;Berg;31-02-2016;S01;;;;;;;;;;;;\r\n\
             B5;Karl;Berg;;S01;;;F9;Eva;Berg;ikke-en-mail;;;;;;\r\n"
        );
        let (pupils, rejected) = parse(file.as_bytes()).unwrap();
        assert_eq!(pupils.len(), 2);
        assert_eq!(pupils[0].birth_date.as_deref(), Some("2016-04-17"));
        assert_eq!(pupils[0].class_name.as_deref(), Some("3.A"));
        assert_eq!(pupils[0].custodians[0].email.as_deref(), Some("soeren@example.dk"));
        assert_eq!(pupils[1].custodians.len(), 2);
        let reasons: Vec<(usize, &str)> = rejected.iter().map(|r| (r.line, r.reason.as_str())).collect();
        assert_eq!(reasons[0], (4, "ElevNr B1 is on line 2 already"));
        assert!(reasons[1].1.contains("first and a last name"));
        assert!(reasons[2].1.contains("31-02-2016"));
        assert!(reasons[3].1.contains("ikke-en-mail"));
        assert!(matches!(parse(b"BarnNr;Fornavn\r\n"), Err(FileError::Columns { .. })));
        assert_eq!(parse(b""), Err(FileError::Empty));
    }
}
