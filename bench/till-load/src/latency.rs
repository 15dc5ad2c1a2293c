//! The till's latency as a child feels it: from the card read (the reader's
//! Enter) to the approval on screen is one `POST /api/v1/till/purchases`, so
//! this times that request, end to end over HTTP, against a `saldo demo` and
//! its data. Every till of the demo is a closed loop (a queue at each
//! counter); each sale is one cheap item on a card that can pay for it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use crate::dataset::Dataset;
use crate::stats::{self, Latency};

#[derive(clap::Args)]
pub struct LatencyArgs {
    /// A `saldo demo --credentials-out` file.
    #[arg(long)]
    dataset: PathBuf,
    /// The server (default: the dataset's base_url).
    #[arg(long)]
    base_url: Option<String>,
    /// Sales per till.
    #[arg(long, default_value_t = 200)]
    per_till: usize,
    /// Tills serving at once (default: every till in the dataset).
    #[arg(long)]
    tills: Option<usize>,
    /// Sales per till before measuring starts (connections open, caches warm).
    #[arg(long, default_value_t = 10)]
    warmup: usize,
    /// Exit non-zero when the approvals' p99 is above this (ms).
    #[arg(long, default_value_t = 300.0)]
    max_p99_ms: f64,
    #[arg(long)]
    allow_remote: bool,
    /// Also write the report here as JSON.
    #[arg(long)]
    json_out: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Report {
    tills: usize,
    approved: usize,
    declined: usize,
    errors: usize,
    /// Card read to approval: the approved sales only.
    approval: Option<Latency>,
    /// Every answered sale, declines included.
    all: Option<Latency>,
}

struct Sample {
    status: u16,
    micros: u64,
}

pub async fn run(args: LatencyArgs) -> anyhow::Result<()> {
    let dataset = Dataset::read(&args.dataset)?;
    let base_url = args
        .base_url
        .clone()
        .or(dataset.base_url.clone())
        .context("no --base-url and none in the dataset")?
        .trim_end_matches('/')
        .to_owned();
    crate::load::check_loopback(&base_url, args.allow_remote)?;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let tills: Vec<_> = dataset.tills.iter().take(args.tills.unwrap_or(dataset.tills.len())).cloned().collect();
    // Cards without a daily limit, richest first: the demo's limits (40–60 kr) would turn the run into declines.
    let mut cards: Vec<_> =
        dataset.cards.iter().filter(|c| c.daily_limit_ore.is_none() && c.balance_ore > 0).cloned().collect();
    cards.sort_by_key(|c| std::cmp::Reverse(c.balance_ore));
    anyhow::ensure!(!cards.is_empty(), "no card without a daily limit and with money in the dataset");
    let cards = Arc::new(cards);

    let mut handles = Vec::new();
    for (i, till) in tills.iter().enumerate() {
        let products: Vec<serde_json::Value> = http
            .get(format!("{base_url}/api/v1/till/products"))
            .bearer_auth(&till.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let cheapest = products
            .iter()
            .min_by_key(|p| p["price_ore"].as_i64().unwrap_or(i64::MAX))
            .and_then(|p| p["id"].as_str())
            .context("a till with no products")?
            .to_owned();
        let (http, base_url, token, cards) = (http.clone(), base_url.clone(), till.token.clone(), Arc::clone(&cards));
        let (per_till, warmup, n_tills) = (args.per_till, args.warmup, tills.len());
        handles.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(per_till);
            for sale in 0..warmup + per_till {
                let card = &cards[(sale * n_tills + i) % cards.len()];
                let body = serde_json::json!({"card": card.number, "lines": [{"product_id": cheapest, "quantity": 1}]});
                let key = format!("lat-{i}-{sale}-{}", ulid::Ulid::new());
                let started = Instant::now();
                let answer = http
                    .post(format!("{base_url}/api/v1/till/purchases"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", key)
                    .json(&body)
                    .send()
                    .await;
                let status = match answer {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let _ = response.bytes().await; // the whole answer, as the till reads it
                        status
                    }
                    Err(_) => 0,
                };
                if sale >= warmup {
                    samples.push(Sample { status, micros: started.elapsed().as_micros() as u64 });
                }
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for handle in handles {
        samples.extend(handle.await?);
    }
    let approved: Vec<u64> = samples.iter().filter(|s| s.status == 201).map(|s| s.micros).collect();
    let answered: Vec<u64> = samples.iter().filter(|s| s.status == 201 || s.status == 402).map(|s| s.micros).collect();
    let report = Report {
        tills: tills.len(),
        approved: approved.len(),
        declined: samples.iter().filter(|s| s.status == 402).count(),
        errors: samples.iter().filter(|s| s.status != 201 && s.status != 402).count(),
        approval: stats::summarize(approved),
        all: stats::summarize(answered),
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    if let Some(path) = &args.json_out {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    let p99 = report.approval.map(|l| l.p99_ms).context("no sale was approved")?;
    anyhow::ensure!(report.errors == 0, "{} requests failed", report.errors);
    anyhow::ensure!(p99 <= args.max_p99_ms, "p99 {p99:.1} ms is above {} ms", args.max_p99_ms);
    Ok(())
}
