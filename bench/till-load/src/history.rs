//! A wallet with years of history, and how fast its statement pages come.
//!
//! `history` adds one family to a seeded benchmark database: a child whose
//! card was used every school day for five years (about 4,000 purchases, each
//! a balanced journal entry with its two postings, running balances and one
//! purchase line, as the app writes them), a custodian, and a signed-in
//! session. `statement` then asks the server for the statement's first page
//! (the newest lines) and its last page (the oldest), one request at a time,
//! and reports each page's latency: the server's time, on loopback.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection, Row};

use crate::seed::{new_id, new_token, now_micros};
use crate::stats::{self, Latency};

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// The benchmark database (`till-load seed` has run on it).
    #[arg(long)]
    database_url: String,
    /// Purchases in the child's history.
    #[arg(long, default_value_t = 4000)]
    entries: u32,
    /// Where to write the child and the session cookie (JSON).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Serialize, Deserialize)]
pub struct History {
    pub child_id: String,
    pub session: String,
    pub entries: u32,
}

/// Every line costs 5 kr., so a long history fits a modest opening balance.
const PRICE_ORE: i64 = 500;
/// Rows per multi-row insert.
const CHUNK: usize = 200;

pub async fn seed(args: HistoryArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.entries > 0, "--entries must be at least 1");
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&args.database_url)
        .await
        .with_context(|| format!("cannot open {}", args.database_url))?;
    let place = sqlx::query(
        "SELECT t.id AS till, t.sales_point_id, p.id AS product, i.id AS school FROM till t
         JOIN product p ON p.sales_point_id = t.sales_point_id JOIN sales_point s ON s.id = t.sales_point_id
         JOIN institution i ON i.id = s.institution_id ORDER BY t.id, p.id LIMIT 1",
    )
    .fetch_optional(&mut conn)
    .await?
    .context("the database has no till with a product: run `till-load seed` first")?;
    let (till, sales_point, product, school): (String, String, String, String) =
        (place.try_get("till")?, place.try_get("sales_point_id")?, place.try_get("product")?, place.try_get("school")?);

    let now = now_micros()?;
    let entries = i64::from(args.entries);
    let opening = (entries + 100) * PRICE_ORE;
    let (child, wallet, card, person) = (new_id("chi"), new_id("wal"), new_id("card"), new_id("per"));
    let session = new_token();
    let mut tx = conn.begin().await?;
    sqlx::query(
        "INSERT INTO child (id, first_name, last_name, school_id, created_at) VALUES ($1, 'Ida', 'Historik', $2, $3)",
    )
    .bind(&child)
    .bind(&school)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO person (id, first_name, last_name, email, created_at) VALUES ($1, 'Hanne', 'Historik', $2, $3)",
    )
    .bind(&person)
    .bind(format!("{person}@example.dk"))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO relation (child_id, person_id, kind, created_at) VALUES ($1, $2, 'custodian', $3)")
        .bind(&child)
        .bind(&person)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO session (id_hash, person_id, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(format!("{:x}", Sha256::digest(session.as_bytes())))
    .bind(&person)
    .bind(new_token())
    .bind(now)
    .bind(now + 86_400_000_000)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO account (id, kind) VALUES ($1, 'wallet')").bind(&wallet).execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO wallet (id, child_id, status, balance_ore, daily_limit_ore, last_seq, updated_at)
         VALUES ($1, $2, 'open', $3, NULL, $4, $5)",
    )
    .bind(&wallet)
    .bind(&child)
    .bind(opening - entries * PRICE_ORE)
    .bind(entries + 1)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO card (id, number, child_id, state, institution_id, issued_at, updated_at)
         VALUES ($1, $2, $3, 'active', $4, $5, $5)",
    )
    .bind(&card)
    .bind(crate::seed::card_number(9_000_000 + u64::from(args.entries)))
    .bind(&child)
    .bind(&school)
    .bind(now)
    .execute(&mut *tx)
    .await?;

    // Five years back, one purchase every ~11 hours: the oldest first, as they happened.
    let step = 5 * 365 * 86_400_000_000 / entries;
    let start = now - entries * step - 86_400_000_000;
    let mig = new_id("mig");
    sqlx::query(
        "INSERT INTO journal_entry (id, kind, actor, reverses_id, memo, created_at) VALUES ($1, 'migration', 'till-load history', NULL, '', $2)",
    )
    .bind(&mig)
    .bind(start)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO posting (entry_id, seq, account_id, amount_ore, wallet_seq, balance_after_ore, created_at)
         VALUES ($1, 0, 'migration_opening', $2, NULL, NULL, $4), ($1, 1, $3, $5, 1, $5, $4)",
    )
    .bind(&mig)
    .bind(-opening)
    .bind(&wallet)
    .bind(start)
    .bind(opening)
    .execute(&mut *tx)
    .await?;
    let purchases: Vec<(String, i64, i64)> =
        (1..=entries).map(|k| (new_id("pur"), start + k * step, opening - k * PRICE_ORE)).collect();
    for (chunk_no, chunk) in purchases.chunks(CHUNK).enumerate() {
        let first_seq = (chunk_no * CHUNK) as i64 + 2;
        insert_chunk(
            &mut tx,
            chunk,
            first_seq,
            &Place { till: &till, sales_point: &sales_point, product: &product, card: &card, wallet: &wallet },
        )
        .await?;
    }
    tx.commit().await?;
    let out = History { child_id: child, session, entries: args.entries };
    std::fs::write(&args.out, serde_json::to_string_pretty(&out)?)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("history: a child with {} purchases over five years, written to {}", args.entries, args.out.display());
    Ok(())
}

struct Place<'a> {
    till: &'a str,
    sales_point: &'a str,
    product: &'a str,
    card: &'a str,
    wallet: &'a str,
}

/// A chunk of purchases: their entries, postings, purchases and lines, a statement each.
async fn insert_chunk(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    chunk: &[(String, i64, i64)],
    first_seq: i64,
    at: &Place<'_>,
) -> anyhow::Result<()> {
    let rows = |n: usize, cols: usize| {
        (0..n)
            .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let entries_sql = entry_values(chunk.len());
    let mut q = sqlx::query(&entries_sql);
    for (id, when, _) in chunk {
        q = q.bind(id).bind(format!("till:{}", at.till)).bind(*when);
    }
    q.execute(&mut **tx).await?;

    let sql = format!(
        "INSERT INTO posting (entry_id, seq, account_id, amount_ore, wallet_seq, balance_after_ore, created_at) VALUES {}",
        rows(chunk.len() * 2, 7)
    );
    let mut q = sqlx::query(&sql);
    for (k, (id, when, balance)) in chunk.iter().enumerate() {
        q = q
            .bind(id.clone())
            .bind(0i64)
            .bind(at.wallet.to_owned())
            .bind(-PRICE_ORE)
            .bind(first_seq + k as i64)
            .bind(*balance)
            .bind(*when)
            .bind(id.clone())
            .bind(1i64)
            .bind(format!("sales:{}", at.sales_point))
            .bind(PRICE_ORE)
            .bind(None::<i64>)
            .bind(None::<i64>)
            .bind(*when);
    }
    q.execute(&mut **tx).await?;

    let sql = format!(
        "INSERT INTO purchase (id, till_id, sales_point_id, card_id, wallet_id, total_ore, created_at, spend_day) VALUES {}",
        rows(chunk.len(), 8)
    );
    let mut q = sqlx::query(&sql);
    for (id, when, _) in chunk {
        q = q
            .bind(id.clone())
            .bind(at.till.to_owned())
            .bind(at.sales_point.to_owned())
            .bind(at.card.to_owned())
            .bind(at.wallet.to_owned())
            .bind(PRICE_ORE)
            .bind(*when)
            .bind(String::new());
    }
    q.execute(&mut **tx).await?;

    let sql = format!(
        "INSERT INTO purchase_line (purchase_id, seq, product_id, name, unit_price_ore, quantity, amount_ore) VALUES {}",
        rows(chunk.len(), 7)
    );
    let mut q = sqlx::query(&sql);
    for (id, _, _) in chunk {
        q = q
            .bind(id.clone())
            .bind(0i64)
            .bind(at.product.to_owned())
            .bind("Frugt".to_owned())
            .bind(PRICE_ORE)
            .bind(1i64)
            .bind(PRICE_ORE);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// `($1, 'purchase', $2, NULL, '', $3), …`: an entry per row, three binds each.
fn entry_values(n: usize) -> String {
    let rows: Vec<String> =
        (0..n).map(|r| format!("(${}, 'purchase', ${}, NULL, '', ${})", r * 3 + 1, r * 3 + 2, r * 3 + 3)).collect();
    format!("INSERT INTO journal_entry (id, kind, actor, reverses_id, memo, created_at) VALUES {}", rows.join(", "))
}

#[derive(clap::Args)]
pub struct StatementArgs {
    /// The server, e.g. http://127.0.0.1:18641.
    #[arg(long)]
    base_url: String,
    /// The file `till-load history` wrote.
    #[arg(long)]
    history: PathBuf,
    /// Requests per page.
    #[arg(long, default_value_t = 200)]
    requests: u32,
    /// Also write the report here as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
pub struct StatementReport {
    pub entries: u32,
    pub requests: u32,
    pub first_page: Option<Latency>,
    pub last_page: Option<Latency>,
}

pub async fn statement(args: StatementArgs) -> anyhow::Result<()> {
    let history: History = serde_json::from_str(
        &std::fs::read_to_string(&args.history).with_context(|| format!("cannot read {}", args.history.display()))?,
    )?;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let base = args.base_url.trim_end_matches('/');
    let page = format!("{base}/portal/children/{}/statement", history.child_id);
    // The oldest page: lines older than the 50th posting (the page holds 50).
    let last = format!("{page}?before=51");
    let mut timings = Vec::new();
    for url in [&page, &last] {
        let mut latencies = Vec::with_capacity(args.requests as usize);
        for _ in 0..args.requests {
            let started = Instant::now();
            let answer = http.get(url).header("cookie", format!("saldo_session={}", history.session)).send().await?;
            let status = answer.status();
            let body = answer.text().await?;
            latencies.push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
            anyhow::ensure!(status == 200 && body.contains("Frugt"), "{url} answered {status}: not the statement");
        }
        timings.push(stats::summarize(latencies));
    }
    let report = StatementReport {
        entries: history.entries,
        requests: args.requests,
        first_page: timings[0],
        last_page: timings[1],
    };
    for (name, latency) in [("first page", &report.first_page), ("last page", &report.last_page)] {
        if let Some(l) = latency {
            println!("statement, {name} of {} lines: p50 {:.2} ms, p99 {:.2} ms", report.entries, l.p50_ms, l.p99_ms);
        }
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    Ok(())
}
