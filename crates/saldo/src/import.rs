//! `saldo import`: bringing data over from elsewhere, with a progress bar on a
//! terminal (quiet when stderr is not one, or under CI) and a reconciliation at the end.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use saldo_app::import::{import_legacy, Options, Progress, FILES, LEGACY_PROVIDER};
use saldo_app::App;

#[derive(Subcommand)]
pub enum ImportSource {
    /// Move over from the old payment card system's export: institutions,
    /// children, adults and their relations, cards, balances, daily limits and
    /// top-up agreements. Ends with a reconciliation against the export's
    /// kontrolsummer.txt; exits 0 when it reconciles, 1 when it does not, 2
    /// when the import could not run (nothing is written then).
    Legacy {
        /// The folder holding the export's CSV files and kontrolsummer.txt.
        dir: PathBuf,
        /// sqlite://PATH or postgres://USER@HOST/DB
        #[arg(long)]
        database_url: Option<String>,
        /// Do everything, report it, and roll it all back.
        #[arg(long)]
        dry_run: bool,
        /// Also write the reconciliation report as JSON to this file.
        #[arg(long)]
        report: Option<PathBuf>,
        /// The municipality to import into (created if missing); default: the
        /// database's only one, or a new one when the database is empty.
        #[arg(long)]
        municipality: Option<String>,
        /// The payment provider that holds the top-up agreements' stored tokens.
        #[arg(long, default_value = LEGACY_PROVIDER)]
        token_provider: String,
    },
}

pub async fn run(source: ImportSource, default_url: String) -> anyhow::Result<ExitCode> {
    let ImportSource::Legacy { dir, database_url, dry_run, report, municipality, token_provider } = source;
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder; give the folder the old system's export is in", dir.display());
    }
    let missing: Vec<&str> =
        FILES.iter().chain([&saldo_app::import::CONTROL]).filter(|f| !dir.join(f).is_file()).copied().collect();
    if !missing.is_empty() {
        anyhow::bail!("{} lacks {} of the old system's export", dir.display(), missing.join(", "));
    }
    let url = database_url.unwrap_or(default_url);
    let app = App::open(&url).await.with_context(|| format!("cannot open the database at {url}"))?;
    let options = Options { dry_run, municipality, provider: token_provider };
    let progress = Bar::new();
    let outcome = import_legacy(&app, &dir, &options, &progress).await;
    progress.finish();
    let result = outcome.with_context(|| format!("the import from {} stopped; nothing was written", dir.display()))?;
    if let Some(path) = &report {
        let json = serde_json::to_string_pretty(&result)?;
        std::fs::write(path, json + "\n").with_context(|| format!("cannot write the report to {}", path.display()))?;
    }
    print!("{}", result.summary());
    if let Some(path) = &report {
        println!("The full report is in {}.", path.display());
    }
    app.store.close().await;
    Ok(if result.reconciled { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// A progress bar on stderr, or nothing when nobody watches.
struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new() -> Bar {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        if ci || !std::io::stderr().is_terminal() {
            return Bar { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{msg:36} [{bar:40}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar { bar: Some(bar) }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_owned());
            bar.set_length(total);
            bar.set_position(0);
        }
    }

    fn advance(&self, steps: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(steps);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
