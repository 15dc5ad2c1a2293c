//! The reconciliation report: what each file held and what became of every
//! row, the money against the old system's control totals, and what changed.
//! Written as JSON for scripts (`--report FILE`) and as plain words for a person.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use saldo_core::Money;
use serde::Serialize;

use super::plan::{Applied, Change};
use super::read::Encoding;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Repaired,
    Rejected,
}

/// One row that was not imported as it stood.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProblemRow {
    pub file: String,
    pub line: usize,
    pub action: Action,
    pub reason: String,
}

/// One file: its rows and what became of them. `rows` = `imported` + `repaired` + `rejected`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub rows: u64,
    pub imported: u64,
    pub repaired: u64,
    pub rejected: u64,
    /// The row count kontrolsummer.txt states for this file, if it states one.
    pub control_rows: Option<u64>,
    pub encoding: Encoding,
    /// What the import did with the rows it took (imported or repaired, exact copies not counted).
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// Which parts of the reconciliation hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Checks {
    /// imported + rejected = the control total, to the øre.
    pub money: bool,
    /// Each file holds as many rows as kontrolsummer.txt says.
    pub counts: bool,
    /// The ledger's migration entries on the imported children's wallets add up to the imported total.
    pub ledger: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub source: String,
    pub dry_run: bool,
    pub control_total_ore: i64,
    pub imported_total_ore: i64,
    pub rejected_total_ore: i64,
    /// What the ledger holds from the migration on the wallets of the export's children.
    pub ledger_total_ore: i64,
    pub reconciled: bool,
    pub checks: Checks,
    /// By file name, in the order the files are read.
    #[serde(serialize_with = "as_map")]
    pub files: Vec<(String, FileReport)>,
    pub problems: Vec<ProblemRow>,
    pub applied: Applied,
    /// Every difference applied to what an earlier import had written.
    pub changes: Vec<Change>,
    /// Rows an earlier import brought in that this export no longer has, by
    /// file: left as they are (an import never deletes).
    pub not_in_export: BTreeMap<String, u64>,
}

/// How many problem rows the terminal summary lists; the JSON report has them all.
const SHOWN_PROBLEMS: usize = 40;

fn as_map<S: serde::Serializer>(files: &[(String, FileReport)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(files.iter().map(|(name, file)| (name, file)))
}

impl Report {
    /// One file's counts, by its name (`boern.csv`).
    pub fn file(&self, name: &str) -> Option<&FileReport> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }

    /// The summary a person reads at the terminal.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail: every `writeln!` below ignores its Ok.
        let _ = writeln!(out, "Import from {}{}", self.source, if self.dry_run { " (dry run)" } else { "" });
        let _ = writeln!(out);
        self.files_table(&mut out);
        self.totals(&mut out);
        self.problems_list(&mut out);
        self.what_changed(&mut out);
        let _ = writeln!(out);
        if self.reconciled {
            self.reconciled_line(&mut out);
        } else {
            self.not_reconciled(&mut out);
        }
        out
    }

    fn files_table(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "{:<24} {:>7} {:>9} {:>9} {:>9} {:>9}  encoding",
            "file", "rows", "imported", "repaired", "rejected", "control"
        );
        for (name, f) in &self.files {
            let control = f.control_rows.map_or_else(|| "-".to_owned(), |n| n.to_string());
            let _ = writeln!(
                out,
                "{:<24} {:>7} {:>9} {:>9} {:>9} {:>9}  {}",
                name,
                f.rows,
                f.imported,
                f.repaired,
                f.rejected,
                control,
                f.encoding.describe()
            );
        }
        let _ = writeln!(out);
    }

    fn totals(&self, out: &mut String) {
        let _ = writeln!(out, "Old system's total (kontrolsummer.txt): {:>18}", kr(self.control_total_ore));
        let _ = writeln!(out, "Imported balances:                      {:>18}", kr(self.imported_total_ore));
        let _ = writeln!(out, "Rejected balances:                      {:>18}", kr(self.rejected_total_ore));
        let _ = writeln!(out, "In the ledger from the migration:       {:>18}", kr(self.ledger_total_ore));
        let _ = writeln!(out);
    }

    fn problems_list(&self, out: &mut String) {
        if self.problems.is_empty() {
            return;
        }
        let _ = writeln!(out, "{} rows were repaired or rejected:", self.problems.len());
        for p in self.problems.iter().take(SHOWN_PROBLEMS) {
            let action = match p.action {
                Action::Repaired => "repaired",
                Action::Rejected => "REJECTED",
            };
            let _ = writeln!(out, "  {} line {}: {action}: {}", p.file, p.line, p.reason);
        }
        if self.problems.len() > SHOWN_PROBLEMS {
            let _ = writeln!(
                out,
                "  … and {} more (all of them are in the --report file)",
                self.problems.len() - SHOWN_PROBLEMS
            );
        }
        let _ = writeln!(out);
    }

    /// What the import created, updated and left, and what it left alone.
    fn what_changed(&self, out: &mut String) {
        let verb = if self.dry_run { "Would have" } else { "The import" };
        let a = &self.applied;
        if a.created == 0 && a.updated == 0 {
            let _ = writeln!(
                out,
                "Nothing to change: the database already holds this export ({} records unchanged).",
                a.unchanged
            );
        } else {
            let _ = writeln!(
                out,
                "{verb} created {} records, updated {}, left {} unchanged.",
                a.created, a.updated, a.unchanged
            );
        }
        for change in self.changes.iter().take(SHOWN_PROBLEMS) {
            let _ = writeln!(out, "  {} line {} ({}): {}", change.file, change.line, change.key, change.what);
        }
        if self.changes.len() > SHOWN_PROBLEMS {
            let _ =
                writeln!(out, "  … and {} more changes (see the --report file)", self.changes.len() - SHOWN_PROBLEMS);
        }
        for (file, n) in &self.not_in_export {
            let _ = writeln!(
                out,
                "{n} rows of {file} from an earlier import are not in this export: left as they are, nothing is deleted."
            );
        }
        if self.dry_run {
            let _ = writeln!(out, "Dry run: everything was rolled back, the database is as it was.");
        }
    }

    fn reconciled_line(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "RECONCILED: imported {} + rejected {} = {}, the old system's total, to the øre; every file has the rows the old system counted.",
            kr(self.imported_total_ore),
            kr(self.rejected_total_ore),
            kr(self.control_total_ore)
        );
    }

    /// Each check that fails, with the numbers that disagree.
    fn not_reconciled(&self, out: &mut String) {
        let _ = writeln!(out, "NOT RECONCILED:");
        if !self.checks.money {
            let _ = writeln!(
                out,
                "  imported {} + rejected {} = {}, but the old system's total is {} (difference {}).",
                kr(self.imported_total_ore),
                kr(self.rejected_total_ore),
                kr(self.imported_total_ore.saturating_add(self.rejected_total_ore)),
                kr(self.control_total_ore),
                kr(self
                    .control_total_ore
                    .saturating_sub(self.imported_total_ore.saturating_add(self.rejected_total_ore)))
            );
        }
        if !self.checks.counts {
            for (name, f) in &self.files {
                if let Some(control) = f.control_rows.filter(|c| *c != f.rows) {
                    let _ = writeln!(out, "  {name} has {} rows, the old system counted {control}.", f.rows);
                }
            }
        }
        if !self.checks.ledger {
            let _ = writeln!(
                out,
                "  the ledger holds {} from the migration on these children's wallets, not {}.",
                kr(self.ledger_total_ore),
                kr(self.imported_total_ore)
            );
        }
    }
}

/// An amount in øre as a person reads it: `1.234,50 kr.`
fn kr(ore: i64) -> String {
    Money::from_ore(ore).display_da()
}
