//! The figures of a run in one flat JSON file (`bench/results/summary.json`),
//! the extra tables beside the main one (scale-out, statement pages, memory),
//! and `compare OLD NEW`: how each figure moved between two runs, so a change
//! that costs throughput is seen in review.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::bare::LoopReport;
use crate::history::StatementReport;
use crate::load::LoadReport;
use crate::report::PgbenchReport;

/// Everything a run measured, by figure name (`postgres.approved_per_sec`).
pub type Summary = BTreeMap<String, f64>;

/// What went into one run's report.
pub struct Runs<'a> {
    pub sqlite_app: Option<&'a LoadReport>,
    pub sqlite_loop: Option<&'a LoopReport>,
    pub postgres_app: Option<&'a LoadReport>,
    pub pgbench: Option<&'a PgbenchReport>,
    pub scale_out: Option<&'a LoadReport>,
    pub statements: Vec<(&'static str, StatementReport)>,
    /// (engine, when, kB): `sqlite idle 23456`.
    pub rss: Vec<(String, String, u64)>,
}

pub fn summary(runs: &Runs<'_>) -> Summary {
    let mut s = Summary::new();
    let mut app = |engine: &str, a: &LoadReport, baseline: Option<f64>| {
        s.insert(format!("{engine}.approved_per_sec"), a.approved_per_sec);
        if let Some(l) = a.latency {
            s.insert(format!("{engine}.p50_ms"), l.p50_ms);
            s.insert(format!("{engine}.p99_ms"), l.p99_ms);
        }
        if let Some(b) = baseline.filter(|b| *b > 0.0) {
            s.insert(format!("{engine}.baseline_per_sec"), b);
            s.insert(format!("{engine}.ratio"), a.approved_per_sec / b);
        }
    };
    if let Some(a) = runs.sqlite_app {
        app("sqlite", a, runs.sqlite_loop.map(|l| l.tx_per_sec));
    }
    if let Some(a) = runs.postgres_app {
        app("postgres", a, runs.pgbench.map(|p| p.tps));
    }
    if let Some(a) = runs.scale_out {
        app("postgres_two_servers", a, runs.pgbench.map(|p| p.tps));
    }
    for (engine, st) in &runs.statements {
        if let Some(l) = st.first_page {
            s.insert(format!("{engine}.statement_first_page_p99_ms"), l.p99_ms);
        }
        if let Some(l) = st.last_page {
            s.insert(format!("{engine}.statement_last_page_p99_ms"), l.p99_ms);
        }
    }
    for (engine, when, kb) in &runs.rss {
        s.insert(format!("{engine}.rss_{when}_mb"), *kb as f64 / 1024.0);
    }
    s
}

/// The tables that follow the main one.
pub fn tables(runs: &Runs<'_>) -> String {
    let mut out = String::new();
    if let Some(a) = runs.scale_out {
        let tps = runs.pgbench.map(|p| p.tps).filter(|t| *t > 0.0);
        let ratio = tps.map_or("–".into(), |t| format!("{:.2}", a.approved_per_sec / t));
        let (p50, p99) = a
            .latency
            .map_or(("–".into(), "–".into()), |l| (format!("{:.2}", l.p50_ms), format!("{:.2}", l.p99_ms)));
        out.push_str("\n| Scale-out | Servers | Tills | App purchases/s | p50 ms | p99 ms | App / pgbench |\n|---|--:|--:|--:|--:|--:|--:|\n");
        let servers = a.base_url.split(',').count();
        let _ = writeln!(
            out,
            "| PostgreSQL, one database | {servers} | {} | {:.1} | {p50} | {p99} | {ratio} |",
            a.concurrency, a.approved_per_sec
        );
    }
    if !runs.statements.is_empty() {
        out.push_str("\n| Statement (one wallet) | Lines | Requests | First page p50 / p99 ms | Last page p50 / p99 ms |\n|---|--:|--:|--:|--:|\n");
        for (engine, st) in &runs.statements {
            let cell = |l: Option<crate::stats::Latency>| {
                l.map_or("–".into(), |l| format!("{:.2} / {:.2}", l.p50_ms, l.p99_ms))
            };
            let _ = writeln!(
                out,
                "| {engine} | {} | {} | {} | {} |",
                st.entries,
                st.requests,
                cell(st.first_page),
                cell(st.last_page)
            );
        }
    }
    if !runs.rss.is_empty() {
        out.push_str("\n| Memory of `saldo serve` (VmRSS) | MB |\n|---|--:|\n");
        for (engine, when, kb) in &runs.rss {
            let _ = writeln!(out, "| {engine}, {} | {:.1} |", when.replace('_', " "), *kb as f64 / 1024.0);
        }
    }
    out
}

/// Reads `engine when kB` lines (what run.sh writes from /proc).
pub fn read_rss(path: &Path) -> anyhow::Result<Vec<(String, String, u64)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            match parts.as_slice() {
                [engine, when, kb] => Ok(((*engine).to_owned(), (*when).to_owned(), kb.parse()?)),
                _ => anyhow::bail!("{}: {l:?} is not `engine when kB`", path.display()),
            }
        })
        .collect()
}

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The earlier run's summary.json.
    old: PathBuf,
    /// The later run's summary.json.
    new: PathBuf,
    /// Exit non-zero when a figure got worse by more than this share (0.10 = 10 %).
    #[arg(long)]
    fail_worse_than: Option<f64>,
}

/// Whether a bigger number is better for this figure.
fn higher_is_better(name: &str) -> bool {
    name.ends_with("_per_sec") || name.ends_with(".ratio")
}

pub fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let read = |p: &Path| -> anyhow::Result<Summary> {
        let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a bench summary", p.display()))
    };
    let (old, new) = (read(&args.old)?, read(&args.new)?);
    let (table, worst) = comparison(&old, &new);
    print!("{table}");
    if let (Some(limit), Some((name, share))) = (args.fail_worse_than, worst) {
        anyhow::ensure!(share <= limit, "{name} got {:.1} % worse", share * 100.0);
    }
    Ok(())
}

/// The table, and the figure that got most worse (by share), if any did.
fn comparison(old: &Summary, new: &Summary) -> (String, Option<(String, f64)>) {
    let mut out = String::from("| Figure | Old | New | Change | |\n|---|--:|--:|--:|---|\n");
    let mut worst: Option<(String, f64)> = None;
    let names: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for name in names {
        let (o, n) = (old.get(name), new.get(name));
        let (change, verdict) = match (o, n) {
            (Some(o), Some(n)) if *o != 0.0 => {
                let change = (n - o) / o.abs();
                let worse = if higher_is_better(name) { -change } else { change };
                if worse > 0.0 && worst.as_ref().is_none_or(|(_, w)| worse > *w) {
                    worst = Some((name.clone(), worse));
                }
                let verdict = match worse {
                    w if w > 0.10 => "worse",
                    w if w < -0.10 => "better",
                    _ => "",
                };
                (format!("{:+.1} %", change * 100.0), verdict)
            }
            _ => ("–".into(), ""),
        };
        let cell = |v: Option<&f64>| v.map_or("–".into(), |v| format!("{v:.2}"));
        let _ = writeln!(out, "| {name} | {} | {} | {change} | {verdict} |", cell(o), cell(n));
    }
    (out, worst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_in_throughput_and_a_rise_in_latency_are_both_worse() {
        let old = Summary::from([("sqlite.approved_per_sec".into(), 1000.0), ("sqlite.p99_ms".into(), 10.0)]);
        let new = Summary::from([("sqlite.approved_per_sec".into(), 800.0), ("sqlite.p99_ms".into(), 9.0)]);
        let (table, worst) = comparison(&old, &new);
        assert!(table.contains("| sqlite.approved_per_sec | 1000.00 | 800.00 | -20.0 % | worse |"), "{table}");
        assert!(table.contains("| sqlite.p99_ms | 10.00 | 9.00 | -10.0 % |"), "{table}");
        let (name, share) = worst.expect("something got worse");
        assert_eq!(name, "sqlite.approved_per_sec");
        assert!((share - 0.2).abs() < 1e-9);
    }
}
