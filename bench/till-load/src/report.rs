//! The side-by-side table: the till API on each engine next to that engine's
//! own baseline, as Markdown for the terminal and `bench/results/latest.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::bare::LoopReport;
use crate::load::LoadReport;
use crate::summary;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// `till-load load --json` output for the API on SQLite.
    #[arg(long)]
    sqlite_app: Option<PathBuf>,
    /// `till-load sqlite-loop --json` output.
    #[arg(long)]
    sqlite_loop: Option<PathBuf>,
    /// `till-load load --json` output for the API on PostgreSQL.
    #[arg(long)]
    postgres_app: Option<PathBuf>,
    /// pgbench's standard output.
    #[arg(long)]
    pgbench_log: Option<PathBuf>,
    /// Also write the figures parsed from pgbench's output here as JSON.
    #[arg(long)]
    pgbench_json: Option<PathBuf>,
    /// `till-load load --json` output for two servers on one PostgreSQL database.
    #[arg(long)]
    postgres_scale_out: Option<PathBuf>,
    /// `till-load statement --json` output against SQLite.
    #[arg(long)]
    sqlite_statement: Option<PathBuf>,
    /// `till-load statement --json` output against PostgreSQL.
    #[arg(long)]
    postgres_statement: Option<PathBuf>,
    /// Lines of `engine when kB`: the server's memory, read from /proc.
    #[arg(long)]
    rss: Option<PathBuf>,
    /// Write every figure here as one flat JSON object (for `till-load compare`).
    #[arg(long)]
    summary: Option<PathBuf>,
}

/// pgbench's summary, parsed from its text output (it has no JSON of its own).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PgbenchReport {
    pub transaction_type: Option<String>,
    pub scaling_factor: Option<u64>,
    pub clients: Option<u64>,
    pub threads: Option<u64>,
    pub duration: Option<String>,
    pub transactions: Option<u64>,
    pub failed: Option<u64>,
    pub tps: f64,
    pub latency_avg_ms: f64,
}

pub fn run(args: ReportArgs) -> anyhow::Result<()> {
    let sqlite_app: Option<LoadReport> = args.sqlite_app.as_deref().map(read_json).transpose()?;
    let sqlite_loop: Option<LoopReport> = args.sqlite_loop.as_deref().map(read_json).transpose()?;
    let postgres_app: Option<LoadReport> = args.postgres_app.as_deref().map(read_json).transpose()?;
    let pgbench = match &args.pgbench_log {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            Some(parse_pgbench(&text).with_context(|| format!("{} is not pgbench output", path.display()))?)
        }
        None => None,
    };
    if let (Some(path), Some(pgbench)) = (&args.pgbench_json, &pgbench) {
        let json = serde_json::to_string_pretty(pgbench)?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let scale_out: Option<LoadReport> = args.postgres_scale_out.as_deref().map(read_json).transpose()?;
    let mut statements = Vec::new();
    for (engine, path) in [("sqlite", &args.sqlite_statement), ("postgres", &args.postgres_statement)] {
        if let Some(path) = path {
            statements.push((engine, read_json(path)?));
        }
    }
    let runs = summary::Runs {
        sqlite_app: sqlite_app.as_ref(),
        sqlite_loop: sqlite_loop.as_ref(),
        postgres_app: postgres_app.as_ref(),
        pgbench: pgbench.as_ref(),
        scale_out: scale_out.as_ref(),
        statements,
        rss: args.rss.as_deref().map(summary::read_rss).transpose()?.unwrap_or_default(),
    };
    print!("{}", table(runs.sqlite_app, runs.sqlite_loop, runs.postgres_app, runs.pgbench));
    print!("{}", summary::tables(&runs));
    if let Some(path) = &args.summary {
        let json = serde_json::to_string_pretty(&summary::summary(&runs))?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn read_json<T: DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a till-load report", path.display()))
}

fn table(
    sqlite_app: Option<&LoadReport>,
    sqlite_loop: Option<&LoopReport>,
    postgres_app: Option<&LoadReport>,
    pgbench: Option<&PgbenchReport>,
) -> String {
    let mut out = String::new();
    out.push_str(
        "| Engine | App purchases/s | App p50 ms | App p99 ms | Baseline | Baseline tx/s | Baseline latency ms | App / baseline |\n\
         |---|--:|--:|--:|---|--:|--:|--:|\n",
    );
    let sqlite_baseline = sqlite_loop.map(|b| {
        let latency = b.latency.map_or("–".into(), |l| format!("p50 {:.2}, p99 {:.2}", l.p50_ms, l.p99_ms));
        ("bare loop, 1 writer: UPDATE + INSERT per tx".to_owned(), b.tx_per_sec, latency)
    });
    let pg_baseline = pgbench.map(|p| {
        let clients = p.clients.map_or(String::new(), |c| format!(", {c} clients"));
        let scale = p.scaling_factor.map_or(String::new(), |s| format!(" -s {s}"));
        (format!("pgbench tpcb-like{scale}{clients}"), p.tps, format!("avg {:.2}", p.latency_avg_ms))
    });
    for (engine, app, baseline) in [("SQLite", sqlite_app, sqlite_baseline), ("PostgreSQL", postgres_app, pg_baseline)]
    {
        if app.is_none() && baseline.is_none() {
            continue;
        }
        let cell = |v: Option<f64>, decimals: usize| v.map_or("–".into(), |v| format!("{v:.decimals$}"));
        let rate = app.map(|a| a.approved_per_sec);
        let p50 = app.and_then(|a| a.latency).map(|l| l.p50_ms);
        let p99 = app.and_then(|a| a.latency).map(|l| l.p99_ms);
        let (name, tps, latency) = baseline.map_or(("–".into(), None, "–".into()), |(n, t, l)| (n, Some(t), l));
        let ratio = rate.zip(tps).filter(|(_, t)| *t > 0.0).map(|(r, t)| r / t);
        let _ = writeln!(
            out,
            "| {engine} | {} | {} | {} | {name} | {} | {latency} | {} |",
            cell(rate, 1),
            cell(p50, 2),
            cell(p99, 2),
            cell(tps, 1),
            cell(ratio, 2),
        );
    }

    let apps: Vec<&LoadReport> = [sqlite_app, postgres_app].into_iter().flatten().collect();
    if !apps.is_empty() {
        out.push_str(
            "\n| App run | Tills | Requests | Approved | Declined | Errors | Requests/s | p90 ms | Max ms |\n\
             |---|--:|--:|--:|---|---|--:|--:|--:|\n",
        );
        for a in apps {
            let (p90, max) = a
                .latency
                .map_or(("–".into(), "–".into()), |l| (format!("{:.2}", l.p90_ms), format!("{:.2}", l.max_ms)));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {:.1} | {p90} | {max} |",
                a.label,
                a.concurrency,
                a.requests,
                a.approved,
                counts(a.declined, &a.declined_by_reason),
                counts(a.errors, &a.errors_by_kind),
                a.requests_per_sec,
            );
        }
    }
    out
}

/// `0`, or `12 (insufficient_funds 10, unknown_card 2)`.
fn counts(total: u64, by: &BTreeMap<String, u64>) -> String {
    if by.is_empty() {
        return total.to_string();
    }
    let parts: Vec<String> = by.iter().map(|(k, n)| format!("{k} {n}")).collect();
    format!("{total} ({})", parts.join(", "))
}

fn parse_pgbench(text: &str) -> anyhow::Result<PgbenchReport> {
    let mut report = PgbenchReport::default();
    let mut tps = None;
    let mut latency = None;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(" = ").or_else(|| line.split_once(": ")) else { continue };
        let value = value.trim();
        let first = value.split_whitespace().next().unwrap_or_default();
        match key.trim() {
            "transaction type" => report.transaction_type = Some(value.to_owned()),
            "scaling factor" => report.scaling_factor = first.parse().ok(),
            "number of clients" => report.clients = first.parse().ok(),
            "number of threads" => report.threads = first.parse().ok(),
            "duration" => report.duration = Some(value.to_owned()),
            "number of transactions actually processed" => {
                // "12345" or, when the run was bounded by -t, "12345/16000".
                report.transactions = first.split('/').next().and_then(|n| n.parse().ok());
            }
            "number of failed transactions" => report.failed = first.parse().ok(),
            "latency average" => latency = first.parse().ok(),
            // Older pgbench printed two tps lines; the one without connection time is the one to compare.
            "tps" if tps.is_none() || value.contains("without") => tps = first.parse().ok(),
            _ => {}
        }
    }
    report.tps = tps.context("no `tps = …` line")?;
    report.latency_avg_ms = latency.context("no `latency average = …` line")?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PGBENCH_15: &str = "pgbench (15.20 (Debian 15.20-0+deb12u1))
starting vacuum...end.
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 10
query mode: simple
number of clients: 16
number of threads: 2
maximum number of tries: 1
duration: 20 s
number of transactions actually processed: 38291
number of failed transactions: 0 (0.000%)
latency average = 8.353 ms
initial connection time = 20.143 ms
tps = 1915.399432 (without initial connection time)
";

    #[test]
    fn reads_pgbench_output() {
        let r = parse_pgbench(PGBENCH_15).expect("parses");
        assert_eq!(r.scaling_factor, Some(10));
        assert_eq!(r.clients, Some(16));
        assert_eq!(r.threads, Some(2));
        assert_eq!(r.transactions, Some(38291));
        assert_eq!(r.failed, Some(0));
        assert!((r.tps - 1915.399432).abs() < 1e-9);
        assert!((r.latency_avg_ms - 8.353).abs() < 1e-9);
        assert!(parse_pgbench("pgbench: error: connection refused").is_err());
    }

    #[test]
    fn table_puts_app_and_baseline_side_by_side() {
        let pg = parse_pgbench(PGBENCH_15).expect("parses");
        let text = table(None, None, None, Some(&pg));
        assert!(
            text.contains("| PostgreSQL | – | – | – | pgbench tpcb-like -s 10, 16 clients | 1915.4 | avg 8.35 | – |")
        );
        assert!(!text.contains("| SQLite |"));
    }
}
