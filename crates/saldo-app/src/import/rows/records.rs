//! One file's records before they are typed: columns found by name, fields
//! trimmed, exact copies imported once, every row's fate in the file's log.

use std::collections::HashMap;

use super::{ACCOUNTS, ADULTS, AGREEMENTS, CARDS, CHILDREN, INSTITUTIONS, RELATIONS};
use crate::import::read::{self, Encoding};
use crate::import::ImportError;

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
pub(super) struct Raw {
    pub(super) row: usize,
    pub(super) values: Vec<String>,
}

/// Reads one file into its log and its usable rows: a row whose quoting is
/// broken or whose field count is wrong is rejected; stray whitespace is
/// trimmed (and said so); an exact copy of an earlier row is imported once.
pub(super) fn read_file(name: &'static str, bytes: &[u8]) -> Result<(FileLog, Vec<Raw>), ImportError> {
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
