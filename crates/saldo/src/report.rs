//! `saldo report`: the finance reports and the journal export on the command
//! line, for finance's month close and for scripts (CSV to standard output).

use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use saldo_app::reports::{self, Section};
use saldo_app::Settings;
use saldo_core::period::Period;

#[derive(Subcommand)]
pub enum ReportKind {
    /// A day's or a month's report: deposits, sales per sales point and
    /// category, payouts, fees and the liability at start and end.
    Finance {
        /// A Danish calendar day (YYYY-MM-DD) or month (YYYY-MM).
        period: Period,
        /// Print one section as CSV instead: deposits, sales, categories,
        /// payouts, fees, liability, accounts or daily.
        #[arg(long)]
        csv: Option<String>,
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The journal: every entry of the period with its postings, as CSV for
    /// the municipality's accounting system.
    Journal {
        /// A Danish calendar day (YYYY-MM-DD) or month (YYYY-MM).
        period: Period,
        /// Only entries touching this account (its id, e.g. `fees`,
        /// `sales:sp_…`, or a kind of account, e.g. `sales`).
        #[arg(long, default_value = "")]
        account: String,
        #[arg(long)]
        database_url: Option<String>,
    },
}

pub async fn run(kind: ReportKind, config: Settings) -> anyhow::Result<ExitCode> {
    match kind {
        ReportKind::Finance { period, csv, database_url } => {
            let url = database_url.unwrap_or_else(|| config.database_url.clone());
            let app = crate::open(&url).await?.configure(config);
            let report = reports::build(&app, period).await.context("cannot read the journal")?;
            match csv {
                None => print!("{}", report.text()),
                Some(name) => match Section::parse(&name) {
                    Some(section) => print!("{}", report.csv(section)),
                    None => {
                        bail!("no section {name:?}: choose one of {}", Section::ALL.map(Section::as_str).join(", "))
                    }
                },
            }
        }
        ReportKind::Journal { period, account, database_url } => {
            let url = database_url.unwrap_or_else(|| config.database_url.clone());
            let app = crate::open(&url).await?.configure(config);
            print!("{}", reports::journal(&app, period, &account).await.context("cannot export the journal")?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
