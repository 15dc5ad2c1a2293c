//! `till-load`: seeds a benchmark dataset, drives the till API under load, runs
//! the bare SQLite loop the API is compared with, and writes the results table.
//! `bench/run.sh` strings these together; each also runs on its own.

mod bare;
mod dataset;
mod history;
mod latency;
mod load;
mod report;
mod rng;
mod seed;
mod stats;
mod summary;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "till-load", about = "Load benchmark of Saldo's till API and its baselines.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a many-card dataset into a freshly migrated database (run `saldo migrate` first).
    Seed(seed::SeedArgs),
    /// Send purchases from concurrent tills for a fixed time and report throughput and latency.
    Load(load::LoadArgs),
    /// Card read to approval over HTTP against `saldo demo` data: p50/p99 of approvals.
    Latency(latency::LatencyArgs),
    /// The engine's own limit: one balance update plus one insert per transaction, one writer.
    SqliteLoop(bare::LoopArgs),
    /// Add a child with years of purchases and a signed-in custodian to a seeded database.
    History(history::HistoryArgs),
    /// Time the statement's first and last page of that child, over HTTP.
    Statement(history::StatementArgs),
    /// How each figure moved between two runs' summary.json files.
    Compare(summary::CompareArgs),
    /// Print the side-by-side results table (Markdown) from the JSON files and pgbench's output.
    Report(report::ReportArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Seed(args) => seed::run(args).await,
        Command::Load(args) => load::run(args).await,
        Command::Latency(args) => latency::run(args).await,
        Command::SqliteLoop(args) => bare::run(args).await,
        Command::History(args) => history::seed(args).await,
        Command::Statement(args) => history::statement(args).await,
        Command::Report(args) => report::run(args),
        Command::Compare(args) => summary::compare(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The chain of causes, without the backtrace anyhow adds when RUST_BACKTRACE is set.
            eprintln!("till-load: {e:#}");
            ExitCode::FAILURE
        }
    }
}
