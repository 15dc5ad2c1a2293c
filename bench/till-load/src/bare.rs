//! The SQLite baseline: what the engine itself manages for the smallest honest
//! purchase, one balance update plus one log insert per transaction, with the
//! app's durability settings (WAL, synchronous=FULL, foreign keys on, BEGIN
//! IMMEDIATE) and one writer, as the app has. No HTTP, no JSON, no ledger; the
//! gap between this and the API is what everything above the engine costs.

use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Row};

use crate::rng::SplitMix64;
use crate::stats::{self, Latency};

#[derive(clap::Args)]
pub struct LoopArgs {
    /// A new SQLite file (refused if it exists).
    #[arg(long)]
    path: PathBuf,
    /// Rows in the wallet-like table; each transaction picks one at random.
    #[arg(long, default_value_t = 2000)]
    rows: u32,
    /// Measured seconds.
    #[arg(long, default_value_t = 20.0)]
    duration_secs: f64,
    /// Seconds of transactions before measuring starts.
    #[arg(long, default_value_t = 2.0)]
    warmup_secs: f64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write the report here as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoopReport {
    pub label: String,
    pub sqlite_version: String,
    pub journal_mode: String,
    pub synchronous: String,
    pub foreign_keys: bool,
    pub rows: u32,
    pub warmup_secs: f64,
    pub elapsed_secs: f64,
    pub transactions: u64,
    pub tx_per_sec: f64,
    pub latency: Option<Latency>,
}

pub async fn run(args: LoopArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.rows > 0, "--rows must be at least 1");
    anyhow::ensure!(!args.path.exists(), "{} exists; the loop starts from a new file", args.path.display());
    let duration = std::time::Duration::try_from_secs_f64(args.duration_secs)
        .ok()
        .filter(|d| !d.is_zero())
        .context("--duration-secs must be a positive number of seconds")?;
    let warmup = std::time::Duration::try_from_secs_f64(args.warmup_secs)
        .context("--warmup-secs must be a number of seconds")?;

    let options = SqliteConnectOptions::new()
        .filename(&args.path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("cannot create {}", args.path.display()))?;
    // Read the settings back rather than trust the options: the figure is only a
    // baseline if the engine really runs as the app's does.
    let journal_mode: String = sqlx::query("PRAGMA journal_mode").fetch_one(&mut conn).await?.try_get(0)?;
    let synchronous: i64 = sqlx::query("PRAGMA synchronous").fetch_one(&mut conn).await?.try_get(0)?;
    let foreign_keys: i64 = sqlx::query("PRAGMA foreign_keys").fetch_one(&mut conn).await?.try_get(0)?;
    let sqlite_version: String = sqlx::query("SELECT sqlite_version()").fetch_one(&mut conn).await?.try_get(0)?;
    anyhow::ensure!(journal_mode == "wal" && synchronous == 2 && foreign_keys == 1, "SQLite refused the settings");

    sqlx::raw_sql(
        "CREATE TABLE wallet (
             id          TEXT PRIMARY KEY,
             balance_ore BIGINT NOT NULL CHECK (balance_ore >= 0),
             updated_at  BIGINT NOT NULL
         );
         CREATE TABLE wallet_log (
             id          TEXT PRIMARY KEY,
             wallet_id   TEXT NOT NULL REFERENCES wallet(id),
             amount_ore  BIGINT NOT NULL,
             created_at  BIGINT NOT NULL
         );",
    )
    .execute(&mut conn)
    .await?;
    // Enough that no wallet can run dry however fast the machine is.
    let opening_ore: i64 = 1_000_000_000;
    let mut ids = Vec::with_capacity(args.rows as usize);
    let mut tx = conn.begin().await?;
    for _ in 0..args.rows {
        let id = new_id("wal");
        sqlx::query("INSERT INTO wallet (id, balance_ore, updated_at) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(opening_ore)
            .bind(now_micros())
            .execute(&mut *tx)
            .await?;
        ids.push(id);
    }
    tx.commit().await?;

    println!(
        "sqlite bare loop: 1 UPDATE + 1 INSERT per transaction, 1 writer, {} rows, {:.0} s warm-up then {:.0} s \
         measured (SQLite {sqlite_version}, WAL, synchronous=FULL, foreign_keys=ON)",
        args.rows,
        warmup.as_secs_f64(),
        duration.as_secs_f64()
    );
    let mut rng = SplitMix64::new(args.seed);
    let start = Instant::now();
    let measure_from = start + warmup;
    let end = measure_from + duration;
    let mut latencies_us = Vec::new();
    let mut committed: u64 = 0;
    let mut last_end = measure_from;
    loop {
        let id = &ids[rng.below(ids.len())];
        let log_id = new_id("log");
        let started = Instant::now();
        if started >= end {
            break;
        }
        let at = now_micros();
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        let updated = sqlx::query("UPDATE wallet SET balance_ore = balance_ore - 1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        anyhow::ensure!(updated.rows_affected() == 1, "wallet {id} vanished");
        sqlx::query("INSERT INTO wallet_log (id, wallet_id, amount_ore, created_at) VALUES ($1, $2, -1, $3)")
            .bind(&log_id)
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let ended = Instant::now();
        committed += 1;
        if started >= measure_from {
            latencies_us.push(u64::try_from(ended.duration_since(started).as_micros()).unwrap_or(u64::MAX));
            last_end = ended;
        }
    }

    // Every commit left exactly one log row and one øre less: the loop did what it claims.
    let check = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM wallet_log) AS logged,
                (SELECT CAST(SUM(balance_ore) AS BIGINT) FROM wallet) AS total",
    )
    .fetch_one(&mut conn)
    .await?;
    let logged: i64 = check.try_get("logged")?;
    let total: i64 = check.try_get("total")?;
    let expected_total = opening_ore * i64::from(args.rows) - logged;
    anyhow::ensure!(
        u64::try_from(logged).ok() == Some(committed) && total == expected_total,
        "the loop's books do not hold: {committed} commits, {logged} log rows, {total} øre left"
    );
    conn.close().await?;

    let transactions = latencies_us.len() as u64;
    anyhow::ensure!(transactions > 0, "no transaction finished inside the measured window");
    let elapsed = last_end.duration_since(measure_from).as_secs_f64();
    let report = LoopReport {
        label: "sqlite bare loop".into(),
        sqlite_version,
        journal_mode,
        synchronous: "full".into(),
        foreign_keys: true,
        rows: args.rows,
        warmup_secs: warmup.as_secs_f64(),
        elapsed_secs: elapsed,
        transactions,
        tx_per_sec: transactions as f64 / elapsed,
        latency: stats::summarize(latencies_us),
    };
    println!("sqlite bare loop: {} transactions in {:.1} s, {:.1} tx/s", transactions, elapsed, report.tx_per_sec);
    if let Some(l) = &report.latency {
        println!(
            "  latency ms: p50 {:.3}  p90 {:.3}  p99 {:.3}  max {:.3}  (mean {:.3})",
            l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms, l.mean_ms
        );
    }
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Text ids of the app's shape, so the primary-key index does the same work.
fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", ulid::Ulid::new().to_string().to_lowercase())
}

fn now_micros() -> i64 {
    // A clock before 1970 would only skew a stored timestamp, never the measurement.
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}
