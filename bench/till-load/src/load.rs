//! The load: N tills, each a closed loop sending one purchase at a time (a till
//! waits for its answer before the next child steps up), with random cards and
//! baskets of 1–3 lines, for a fixed time. Approved and declined purchases are
//! counted apart, so a run that mostly measures declines cannot pass for one
//! that moves money.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::rng::SplitMix64;
use crate::stats::{self, Latency};

#[derive(clap::Args)]
pub struct LoadArgs {
    /// The dataset from `till-load seed` (or a `saldo demo --credentials-out` file).
    #[arg(long)]
    dataset: PathBuf,
    /// The server, e.g. http://127.0.0.1:18641 (default: the dataset's base_url).
    /// Several, comma-separated, split the tills between servers on one database.
    #[arg(long)]
    base_url: Option<String>,
    /// Concurrent tills, each sending one request at a time.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Measured seconds.
    #[arg(long, default_value_t = 20.0)]
    duration_secs: f64,
    /// Seconds of load before measuring starts (connections open, caches warm);
    /// those requests are sent but not counted.
    #[arg(long, default_value_t = 2.0)]
    warmup_secs: f64,
    /// Also stop after this many measured requests.
    #[arg(long)]
    requests: Option<u64>,
    /// How long to wait for the server to answer /readyz.
    #[arg(long, default_value_t = 30.0)]
    wait_secs: f64,
    /// A request unanswered after this long counts as an error.
    #[arg(long, default_value_t = 10.0)]
    timeout_secs: f64,
    /// Seeds the choice of cards and baskets.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Exit non-zero (after reporting) when more than this share of requests failed.
    #[arg(long, default_value_t = 0.01)]
    max_error_share: f64,
    /// A load generator pointed at the wrong host is a denial of service:
    /// anything but loopback needs this flag.
    #[arg(long)]
    allow_remote: bool,
    /// Names the run in the report, e.g. "sqlite".
    #[arg(long, default_value = "till-api")]
    label: String,
    /// Also write the report here as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// What a load run measured. Rates and latencies cover the measured window only.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoadReport {
    pub label: String,
    pub base_url: String,
    pub started_unix: u64,
    pub concurrency: usize,
    pub tills: usize,
    pub cards: usize,
    pub warmup_secs: f64,
    pub elapsed_secs: f64,
    pub requests: u64,
    pub approved: u64,
    pub declined: u64,
    pub declined_by_reason: BTreeMap<String, u64>,
    pub errors: u64,
    pub errors_by_kind: BTreeMap<String, u64>,
    pub approved_per_sec: f64,
    pub requests_per_sec: f64,
    /// Over every request that got an HTTP answer (approved, declined or error status).
    pub latency: Option<Latency>,
    /// Over approved purchases only: the ones that wrote to the ledger.
    pub approved_latency: Option<Latency>,
}

#[derive(Deserialize)]
struct Product {
    id: String,
}

#[derive(Serialize)]
struct PurchaseBody<'a> {
    card: &'a str,
    lines: Vec<Line<'a>>,
}

#[derive(Serialize)]
struct Line<'a> {
    product_id: &'a str,
    quantity: i64,
}

/// The fields of either answer (201 approved, 402 declined) this tool checks.
#[derive(Deserialize)]
struct Answer {
    approved: bool,
    #[serde(default)]
    reason: Option<String>,
}

enum Outcome {
    Approved,
    Declined(String),
    /// An HTTP status other than 201/402, or a body that does not match it.
    Failed(String),
    /// No answer at all: the latency of a request that never finished means nothing.
    Transport(String),
}

/// One till's counts, merged after the run.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    approved_us: Vec<u64>,
    declined: BTreeMap<String, u64>,
    errors: BTreeMap<String, u64>,
    last_end: Option<Instant>,
}

struct Plan {
    client: reqwest::Client,
    /// One per server; till `i` sends to `purchases_urls[i % len]`.
    purchases_urls: Vec<String>,
    cards: Vec<String>,
    measure_from: Instant,
    end: Instant,
    max_requests: Option<u64>,
    measured_started: AtomicU64,
}

pub async fn run(args: LoadArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be at least 1");
    let duration = seconds(args.duration_secs, "--duration-secs")?;
    let warmup = seconds(args.warmup_secs, "--warmup-secs")?;
    let timeout = seconds(args.timeout_secs, "--timeout-secs")?;
    let wait = seconds(args.wait_secs, "--wait-secs")?;
    anyhow::ensure!(!duration.is_zero(), "--duration-secs must be positive");
    anyhow::ensure!(args.requests != Some(0), "--requests must be at least 1");

    let dataset = Dataset::read(&args.dataset)?;
    let base_url = args
        .base_url
        .clone()
        .or_else(|| dataset.base_url.clone())
        .context("no --base-url, and the dataset names none")?;
    let base_urls: Vec<String> =
        base_url.split(',').map(|u| u.trim().trim_end_matches('/').to_owned()).filter(|u| !u.is_empty()).collect();
    anyhow::ensure!(!base_urls.is_empty(), "--base-url names no server");
    for url in &base_urls {
        check_loopback(url, args.allow_remote)?;
    }
    let base_url = base_urls.join(",");

    let client = reqwest::Client::builder()
        .timeout(timeout)
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .context("cannot build the HTTP client")?;
    for url in &base_urls {
        wait_until_ready(&client, url, wait).await?;
    }

    let mut menus: BTreeMap<&str, Arc<Vec<String>>> = BTreeMap::new();
    for till in &dataset.tills {
        let products = products(&client, &base_urls[0], &till.token).await?;
        menus.insert(till.token.as_str(), Arc::new(products));
    }

    let started_unix = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default();
    let start = Instant::now();
    let plan = Arc::new(Plan {
        client,
        purchases_urls: base_urls.iter().map(|u| format!("{u}/api/v1/till/purchases")).collect(),
        cards: dataset.cards.iter().map(|c| c.number.clone()).collect(),
        measure_from: start + warmup,
        end: start + warmup + duration,
        max_requests: args.requests,
        measured_started: AtomicU64::new(0),
    });
    println!(
        "{}: {} tills over {} till tokens, {} cards, {:.0} s warm-up then {:.0} s measured against {base_url}",
        args.label,
        args.concurrency,
        dataset.tills.len(),
        dataset.cards.len(),
        warmup.as_secs_f64(),
        duration.as_secs_f64()
    );

    let mut workers = Vec::with_capacity(args.concurrency);
    for i in 0..args.concurrency {
        let till = &dataset.tills[i % dataset.tills.len()];
        let menu = menus.get(till.token.as_str()).cloned().context("a till without its menu")?;
        let rng = SplitMix64::new(args.seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
        let url = plan.purchases_urls[i % plan.purchases_urls.len()].clone();
        workers.push(tokio::spawn(till_loop(plan.clone(), url, till.token.clone(), menu, rng)));
    }
    let mut total = Tally::default();
    for worker in workers {
        let tally = worker.await.context("a till task panicked")?;
        total.latencies_us.extend(tally.latencies_us);
        total.approved_us.extend(tally.approved_us);
        for (reason, n) in tally.declined {
            *total.declined.entry(reason).or_default() += n;
        }
        for (kind, n) in tally.errors {
            *total.errors.entry(kind).or_default() += n;
        }
        total.last_end = total.last_end.max(tally.last_end);
    }

    let approved = total.approved_us.len() as u64;
    let declined: u64 = total.declined.values().sum();
    let errors: u64 = total.errors.values().sum();
    let requests = approved + declined + errors;
    anyhow::ensure!(requests > 0, "no request finished inside the measured window");
    // Until the last measured answer came back: requests started just before
    // the end still count, so the window they finished in counts too.
    let elapsed = total.last_end.map_or(duration, |end| end.saturating_duration_since(plan.measure_from)).as_secs_f64();
    let report = LoadReport {
        label: args.label.clone(),
        base_url,
        started_unix,
        concurrency: args.concurrency,
        tills: dataset.tills.len(),
        cards: dataset.cards.len(),
        warmup_secs: warmup.as_secs_f64(),
        elapsed_secs: elapsed,
        requests,
        approved,
        declined,
        declined_by_reason: total.declined,
        errors,
        errors_by_kind: total.errors,
        approved_per_sec: approved as f64 / elapsed,
        requests_per_sec: requests as f64 / elapsed,
        latency: stats::summarize(total.latencies_us),
        approved_latency: stats::summarize(total.approved_us),
    };
    print_summary(&report);
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let error_share = errors as f64 / requests as f64;
    anyhow::ensure!(
        error_share <= args.max_error_share,
        "{errors} of {requests} requests failed ({:.1} %), more than --max-error-share allows",
        error_share * 100.0
    );
    Ok(())
}

async fn till_loop(plan: Arc<Plan>, url: String, token: String, menu: Arc<Vec<String>>, mut rng: SplitMix64) -> Tally {
    let mut tally = Tally::default();
    let mut picks: Vec<usize> = (0..menu.len()).collect();
    loop {
        let card = &plan.cards[rng.below(plan.cards.len())];
        // Distinct products: a real basket lists one product once, with a quantity.
        let lines = (1 + rng.below(3)).min(picks.len());
        for i in 0..lines {
            let j = i + rng.below(picks.len() - i);
            picks.swap(i, j);
        }
        let body = PurchaseBody {
            card,
            lines: picks[..lines].iter().map(|&p| Line { product_id: &menu[p], quantity: 1 }).collect(),
        };
        let key = ulid::Ulid::new().to_string();

        let started = Instant::now();
        if started >= plan.end {
            break;
        }
        let measured = started >= plan.measure_from;
        if measured {
            if let Some(max) = plan.max_requests {
                if plan.measured_started.fetch_add(1, Ordering::Relaxed) >= max {
                    break;
                }
            }
        }
        let outcome = purchase(&plan, &url, &token, &key, &body).await;
        let ended = Instant::now();
        if !measured {
            continue;
        }
        let latency_us = u64::try_from(ended.duration_since(started).as_micros()).unwrap_or(u64::MAX);
        tally.last_end = Some(ended);
        match outcome {
            Outcome::Approved => {
                tally.latencies_us.push(latency_us);
                tally.approved_us.push(latency_us);
            }
            Outcome::Declined(reason) => {
                tally.latencies_us.push(latency_us);
                *tally.declined.entry(reason).or_default() += 1;
            }
            Outcome::Failed(kind) => {
                tally.latencies_us.push(latency_us);
                *tally.errors.entry(kind).or_default() += 1;
            }
            Outcome::Transport(kind) => *tally.errors.entry(kind).or_default() += 1,
        }
    }
    tally
}

async fn purchase(plan: &Plan, url: &str, token: &str, key: &str, body: &PurchaseBody<'_>) -> Outcome {
    let response = plan.client.post(url).bearer_auth(token).header("Idempotency-Key", key).json(body).send().await;
    let response = match response {
        Ok(response) => response,
        Err(e) => return Outcome::Transport(transport_kind(&e)),
    };
    let status = response.status().as_u16();
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(e) => return Outcome::Transport(transport_kind(&e)),
    };
    let answer = serde_json::from_slice::<Answer>(&bytes);
    match (status, answer) {
        (201, Ok(Answer { approved: true, .. })) => Outcome::Approved,
        (402, Ok(Answer { approved: false, reason })) => {
            Outcome::Declined(reason.unwrap_or_else(|| "no reason given".into()))
        }
        (201 | 402, _) => Outcome::Failed(format!("http {status} with an unexpected body")),
        _ => Outcome::Failed(format!("http {status}")),
    }
}

fn transport_kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect".into()
    } else {
        "transport".into()
    }
}

async fn wait_until_ready(client: &reqwest::Client, base_url: &str, wait: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + wait;
    let url = format!("{base_url}/readyz");
    loop {
        match client.get(&url).send().await {
            Ok(response) if response.status().is_success() => return Ok(()),
            _ if Instant::now() >= deadline => {
                anyhow::bail!("{url} did not answer 200 within {:.0} s", wait.as_secs_f64())
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn products(client: &reqwest::Client, base_url: &str, token: &str) -> anyhow::Result<Vec<String>> {
    let url = format!("{base_url}/api/v1/till/products");
    let response = client.get(&url).bearer_auth(token).send().await.with_context(|| format!("GET {url}"))?;
    let status = response.status();
    anyhow::ensure!(
        status.is_success(),
        "GET {url} answered {status}: a stale dataset (tokens rotate when `saldo demo` restarts)?"
    );
    let products: Vec<Product> = response.json().await.with_context(|| format!("GET {url}: not a product list"))?;
    anyhow::ensure!(!products.is_empty(), "a till's sales point sells nothing");
    Ok(products.into_iter().map(|p| p.id).collect())
}

pub(crate) fn check_loopback(base_url: &str, allow_remote: bool) -> anyhow::Result<()> {
    let url = reqwest::Url::parse(base_url).with_context(|| format!("{base_url} is not a URL"))?;
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    let local = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    anyhow::ensure!(local || allow_remote, "{base_url} is not on this machine; pass --allow-remote if you mean it");
    Ok(())
}

fn seconds(value: f64, flag: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| anyhow::anyhow!("{flag} must be a number of seconds, not {value}"))
}

fn print_summary(r: &LoadReport) {
    println!("{}: {} requests in {:.1} s", r.label, r.requests, r.elapsed_secs);
    println!("  approved  {:>8}  ({:.1} purchases/s)", r.approved, r.approved_per_sec);
    println!("  declined  {:>8}", r.declined);
    for (reason, n) in &r.declined_by_reason {
        println!("    {reason:<24}{n:>8}");
    }
    println!("  errors    {:>8}", r.errors);
    for (kind, n) in &r.errors_by_kind {
        println!("    {kind:<24}{n:>8}");
    }
    println!("  requests/s {:.1}", r.requests_per_sec);
    if let Some(l) = &r.latency {
        println!(
            "  latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}  (mean {:.2})",
            l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms, l.mean_ms
        );
    }
}
