//! `saldo sync FILE`: the school-year sync from the command line. Shows the
//! diff (a dry run) unless `--apply` is given; applying the same file twice
//! changes nothing the second time.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use saldo_app::school_sync;
use saldo_app::Settings;

#[derive(Args)]
pub struct Sync {
    /// The school administration's export (see docs/school-sync.md).
    file: PathBuf,
    /// Write the changes (without it, only show them).
    #[arg(long)]
    apply: bool,
    #[arg(long)]
    database_url: Option<String>,
}

pub async fn run(sync: Sync, config: Settings) -> anyhow::Result<ExitCode> {
    let url = sync.database_url.unwrap_or_else(|| config.database_url.clone());
    let app = crate::open(&url).await?.configure(config);
    let bytes = std::fs::read(&sync.file).with_context(|| format!("cannot read {}", sync.file.display()))?;
    let name = sync.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let id = school_sync::upload(&app, None, &name, &bytes).await.context("cannot use the file")?;
    if sync.apply {
        let applied = school_sync::apply(&app, None, &id).await.context("cannot apply the file")?;
        print!("Applied:\n{}", applied.plan.text());
    } else {
        let (_, plan) = school_sync::preview(&app, None, &id).await.context("cannot compare the file")?;
        print!("Dry run (nothing written; add --apply to write it):\n{}", plan.text());
    }
    Ok(ExitCode::SUCCESS)
}
