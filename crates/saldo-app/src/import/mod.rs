//! The move-over from the old system (`saldo import legacy DIR`): institutions,
//! children, adults, custodians and relatives, cards, balances, daily limits
//! and top-up agreements, read from the old system's export and written in
//! one transaction, ending in a reconciliation against its control totals.
//!
//! Every row ends imported, repaired (with the reason) or rejected (with the
//! reason). Balances arrive as journal entries against `migration_opening`.
//! Running the same export again changes nothing; a corrected export applies
//! only its differences. A dry run does everything and rolls it back.

mod plan;
pub(crate) mod read;
mod report;
mod rows;

use std::path::Path;

use saldo_core::ledger::Entry;
use saldo_core::Money;
use saldo_store::{EntryMeta, PostError, StoreError, Tx};

pub use plan::{Applied, Change, DEFAULT_MUNICIPALITY};
pub use read::Encoding;
pub use report::{Action, Checks, FileReport, ProblemRow, Report};
pub(crate) use rows::danish_date;
pub use rows::{CONTROL, FILES};

use crate::App;

/// Who the journal entries and the audit log name as having done it.
pub const ACTOR: &str = "import";

/// The provider name the agreements' stored tokens are filed under, unless told otherwise.
pub const LEGACY_PROVIDER: &str = "legacy";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Unreadable { path: String, source: std::io::Error },
    #[error("{0} is empty: it has not even a header row")]
    EmptyFile(&'static str),
    #[error("{file} has no column {column:?}: is this folder an export from the old system?")]
    MissingColumn { file: &'static str, column: &'static str },
    #[error("kontrolsummer.txt cannot be used for the reconciliation: {0}")]
    Control(String),
    #[error("the database holds several municipalities ({0}): say which one with --municipality")]
    WhichMunicipality(String),
    #[error("the balances add up to more than Saldo can count")]
    TooMuchMoney,
    #[error("the ledger refused the balance of child {child}: {reason}")]
    Ledger { child: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How the import runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Do everything, report it, and roll it back.
    pub dry_run: bool,
    /// The municipality to import into, by name (created if missing). By
    /// default the database's only one, or a new one called [`DEFAULT_MUNICIPALITY`].
    pub municipality: Option<String>,
    /// The payment provider holding the agreements' stored tokens.
    pub provider: String,
}

impl Default for Options {
    fn default() -> Options {
        Options { dry_run: false, municipality: None, provider: LEGACY_PROVIDER.to_owned() }
    }
}

/// Where a long import tells how far it is (a progress bar in the terminal, nothing in tests).
pub trait Progress: Send + Sync {
    /// A new stage of `total` steps begins.
    fn stage(&self, name: &str, total: u64);
    fn advance(&self, steps: u64);
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct Quiet;

impl Progress for Quiet {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _steps: u64) {}
    fn finish(&self) {}
}

/// Imports the export in `dir`. Returns the report whether or not it
/// reconciles (the caller decides what a failed reconciliation means); an
/// error means nothing was written.
pub async fn import_legacy(
    app: &App,
    dir: &Path,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Report, ImportError> {
    progress.stage("reading the export", FILES.len() as u64 + 1);
    let mut export = rows::parse(|file| {
        let path = dir.join(file);
        let bytes = std::fs::read(&path)
            .map_err(|source| ImportError::Unreadable { path: path.display().to_string(), source })?;
        progress.advance(1);
        Ok(bytes)
    })?;
    let now = app.now();
    let settings =
        plan::Settings { municipality: options.municipality.clone(), provider: options.provider.clone(), now };

    let mut tx = app.store.begin().await?;
    let existing = tx.existing_data().await?;
    let plan = plan::plan(&mut export, &existing, &settings)?;
    apply(&mut tx, &plan, now, progress).await?;
    let migrated = tx.migrated_balances().await?;
    let mut ledger_total = Money::ZERO;
    for wallet in &plan.export_wallets {
        let amount = migrated.get(wallet.as_str()).copied().unwrap_or(Money::ZERO);
        ledger_total = ledger_total.checked_add(amount).map_err(|_| ImportError::TooMuchMoney)?;
    }
    let report = report(&export, &plan, dir, options.dry_run, ledger_total);
    let applied = report.applied;
    if applied.created > 0 || applied.updated > 0 {
        let detail = serde_json::json!({
            "source": report.source,
            "applied": applied,
            "imported_total_ore": report.imported_total_ore,
            "rejected_total_ore": report.rejected_total_ore,
            "control_total_ore": report.control_total_ore,
            "reconciled": report.reconciled,
            "changes": report.changes.len(),
        });
        tx.audit(ACTOR, "legacy_import", "import", &detail.to_string(), &report.source, now).await?;
    }
    if options.dry_run {
        drop(tx); // rolls back
    } else {
        tx.commit().await?;
    }
    progress.finish();
    Ok(report)
}

/// Writes the plan, in an order the database's unique indexes accept.
async fn apply(
    tx: &mut Tx,
    plan: &plan::Plan,
    now: jiff::Timestamp,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let writes = plan.new_institutions.len()
        + plan.new_people.len()
        + plan.new_children.len()
        + plan.new_relations.len()
        + plan.new_cards.len()
        + plan.new_agreements.len();
    progress.stage("writing people, children and cards", writes as u64);
    let municipality_id = match &plan.create_municipality {
        Some((_, name)) => tx.create_municipality(name).await?,
        None => plan.municipality_id.clone(),
    };
    tx.insert_institutions(&municipality_id, &plan.new_institutions).await?;
    progress.advance(plan.new_institutions.len() as u64);
    for i in &plan.institution_updates {
        tx.update_institution(&i.id, &i.name, i.kind).await?;
    }
    write_people_and_children(tx, plan, now, progress).await?;
    write_cards_and_agreements(tx, plan, now, progress).await?;
    post_balances(tx, plan, now, progress).await
}

/// People (e-mails cleared first), children with their wallets and limits, and their relations.
async fn write_people_and_children(
    tx: &mut Tx,
    plan: &plan::Plan,
    now: jiff::Timestamp,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    for person in &plan.email_clears {
        tx.clear_person_email(person).await?;
    }
    tx.insert_people(&plan.new_people, now).await?;
    progress.advance(plan.new_people.len() as u64);
    for p in &plan.people_updates {
        tx.update_person(&p.id, &p.first_name, &p.last_name, p.email.as_deref(), p.phone.as_deref()).await?;
    }
    tx.insert_children(&plan.new_children, now).await?;
    tx.insert_wallets(&plan.new_wallets, now).await?;
    progress.advance(plan.new_children.len() as u64);
    for child in &plan.child_updates {
        tx.update_child(&child.id, child).await?;
    }
    for (wallet, limit) in &plan.limit_updates {
        tx.set_daily_limit(wallet, *limit, now).await?;
    }
    tx.insert_relations(&plan.new_relations, now).await?;
    progress.advance(plan.new_relations.len() as u64);
    for (child, person, kind) in &plan.relation_updates {
        tx.set_relation_kind(child, person, *kind).await?;
    }
    Ok(())
}

/// Cards (chips cleared and cards deactivated first) and top-up agreements.
async fn write_cards_and_agreements(
    tx: &mut Tx,
    plan: &plan::Plan,
    now: jiff::Timestamp,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    for card in &plan.chip_clears {
        tx.clear_card_chip(card).await?;
    }
    for card in &plan.card_updates {
        tx.update_card(&card.id, card.chip_uid.as_deref(), card.state, card.issued_at, now).await?;
    }
    tx.insert_cards(&plan.new_cards, now).await?;
    progress.advance(plan.new_cards.len() as u64);
    tx.insert_agreements(&plan.new_agreements, now).await?;
    progress.advance(plan.new_agreements.len() as u64);
    for agreement in &plan.agreement_updates {
        tx.update_agreement(&agreement.id, agreement, now).await?;
    }
    Ok(())
}

/// The balances, as migration entries: an opening balance, or a correction of one.
async fn post_balances(
    tx: &mut Tx,
    plan: &plan::Plan,
    now: jiff::Timestamp,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    progress.stage("posting balances", plan.migrations.len() as u64);
    for m in &plan.migrations {
        let refused = |reason: String| ImportError::Ledger { child: m.child_no.clone(), reason };
        let entry = if m.opening {
            Entry::migration(&m.wallet_id, m.delta)
        } else {
            Entry::migration_adjustment(&m.wallet_id, m.delta)
        }
        .map_err(|e| refused(e.to_string()))?;
        let memo = if m.opening {
            format!("opening balance from the old system, child {}", m.child_no)
        } else {
            format!("corrected opening balance from the old system, child {}", m.child_no)
        };
        let meta = EntryMeta { actor: ACTOR, memo: &memo, at: now, reverses: None, spend_day: None };
        match tx.post(&entry, &meta).await {
            Ok(_) => {}
            Err(PostError::Refused(_)) => return Err(refused("the wallet is closed or would go below zero".into())),
            Err(PostError::Store(e)) => return Err(e.into()),
        }
        progress.advance(1);
    }
    Ok(())
}

fn report(export: &rows::Export, plan: &plan::Plan, dir: &Path, dry_run: bool, ledger_total: Money) -> Report {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut rejected_total: i64 = 0;
    for log in &export.logs {
        let applied = plan.applied.get(log.name).copied().unwrap_or_default();
        let mut file = FileReport {
            rows: log.rows.len() as u64,
            imported: 0,
            repaired: 0,
            rejected: 0,
            control_rows: export.control.rows_of(log.name),
            encoding: log.encoding,
            created: applied.created,
            updated: applied.updated,
            unchanged: applied.unchanged,
        };
        for (index, row) in log.rows.iter().enumerate() {
            let (action, reason) = match (&row.rejected, row.repairs.is_empty()) {
                (Some(reason), _) => (Action::Rejected, reason.clone()),
                (None, false) => (Action::Repaired, row.repairs.join("; ")),
                (None, true) => {
                    file.imported += 1;
                    continue;
                }
            };
            match action {
                Action::Repaired => file.repaired += 1,
                Action::Rejected => {
                    file.rejected += 1;
                    if log.name == rows::ACCOUNTS {
                        if let Some(amount) = export.account_amounts.get(&index) {
                            rejected_total = rejected_total.saturating_add(amount.ore());
                        }
                    }
                }
            }
            problems.push(ProblemRow { file: log.name.to_owned(), line: row.line, action, reason });
        }
        files.push((log.name.to_owned(), file));
    }
    let mut applied = Applied::default();
    for a in plan.applied.values() {
        applied.add(*a);
    }
    let control_total = export.control.total.ore();
    let imported_total = plan.imported_total.ore();
    let checks = Checks {
        money: imported_total.checked_add(rejected_total) == Some(control_total),
        counts: files.iter().all(|(_, f)| f.control_rows.is_none_or(|c| c == f.rows)),
        ledger: ledger_total.ore() == imported_total,
    };
    Report {
        source: dir.display().to_string(),
        dry_run,
        control_total_ore: control_total,
        imported_total_ore: imported_total,
        rejected_total_ore: rejected_total,
        ledger_total_ore: ledger_total.ore(),
        reconciled: checks.money && checks.counts && checks.ledger,
        checks,
        files,
        problems,
        applied,
        changes: plan.changes.clone(),
        not_in_export: plan.not_in_export.iter().map(|(file, n)| ((*file).to_owned(), *n)).collect(),
    }
}
