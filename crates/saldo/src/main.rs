//! `saldo`: one binary for every face of the system and its maintenance.

mod config;
mod demo_provider;
mod import;
mod report;
mod sync;
mod till_sale;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use saldo_app::{App, Settings};

#[derive(Parser)]
#[command(name = "saldo", version, about = "Saldo: prepaid payment cards for school canteens and youth clubs.")]
struct Cli {
    /// A TOML config file; every setting can also come from a SALDO_* variable.
    #[arg(long, global = true, env = "SALDO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal, the tills and the API.
    Serve {
        /// sqlite://PATH or postgres://USER@HOST/DB
        #[arg(long)]
        database_url: Option<String>,
        /// Address to listen on, e.g. 0.0.0.0:8080
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Create or update the database schema, then exit.
    Migrate {
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Recompute every balance from the postings; exit 0 only when the books hold.
    Verify {
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Reconcile a day's payments per provider: what each provider confirmed
    /// against what the wallets were credited, and every payment pending,
    /// mismatched or refunded. Exits 1 when a provider's day does not balance.
    Reconcile {
        /// The Danish calendar day, YYYY-MM-DD.
        #[arg(long)]
        date: jiff::civil::Date,
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Finance reports and the journal export: `saldo report finance 2026-11`,
    /// `saldo report journal 2026-11 --account fees`.
    Report {
        #[command(subcommand)]
        kind: report::ReportKind,
    },
    /// The school-year sync from the school administration's export: shows
    /// who arrives, moves, leaves and whose custodians change; `--apply` writes it.
    Sync(sync::Sync),
    /// Bring data over from elsewhere: `saldo import legacy DIR` moves over the old system's export.
    Import {
        #[command(subcommand)]
        source: import::ImportSource,
    },
    /// Set an office, operator or support person's login password. The password
    /// is read from SALDO_STAFF_PASSWORD, or else from the first line of standard input.
    StaffPassword {
        #[arg(long)]
        database_url: Option<String>,
        /// The staff member's e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Keep a person's CPR number as its keyed hash ([login] cpr_key), so a
    /// MitID login whose broker gives the CPR number binds to them at once. The
    /// number is read from SALDO_CPR, or else from the first line of standard
    /// input, and never stored in clear.
    CprHash {
        #[arg(long)]
        database_url: Option<String>,
        /// The person's e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Seed a demo municipality (unless the database already has one) and serve it.
    Demo {
        #[arg(long, default_value = "sqlite://saldo-demo.db")]
        database_url: String,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Write till tokens, cards and people as JSON here.
        #[arg(long)]
        credentials_out: Option<PathBuf>,
        /// Pay through this provider as well as the sandbox: `nexi` and
        /// `vipps` against local fakes Saldo starts, `stripe` against a
        /// localstripe at --stripe-url.
        #[arg(long, value_parser = ["sandbox", "nexi", "vipps", "stripe"], default_value = "sandbox")]
        provider: String,
        /// Where localstripe listens (`.ci/localstripe 8420` starts one).
        #[arg(long, default_value = "http://127.0.0.1:8420")]
        stripe_url: String,
    },
    /// Sell one item through the till API as a till would, printing the request and the answer.
    TillSale(till_sale::TillSale),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("saldo: {e:#}");
            return ExitCode::from(2);
        }
    };
    config::init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("saldo: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("saldo: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(command: Command, config: Settings) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { database_url, listen } => serve(database_url, listen, config).await,
        Command::Migrate { database_url } => {
            let url = database_url.unwrap_or_else(|| config.database_url.clone());
            open(&url).await?;
            println!("The database schema is up to date.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { database_url } => verify(&database_url.unwrap_or_else(|| config.database_url.clone())).await,
        Command::Import { source } => import::run(source, config.database_url).await,
        Command::TillSale(sale) => Ok(if till_sale::run(sale).await? { ExitCode::SUCCESS } else { ExitCode::FAILURE }),
        Command::StaffPassword { database_url, email } => staff_password(database_url, &email, config).await,
        Command::CprHash { database_url, email } => cpr_hash(database_url, &email, config).await,
        Command::Reconcile { date, database_url } => reconcile(date, database_url, config).await,
        Command::Report { kind } => report::run(kind, config).await,
        Command::Sync(s) => sync::run(s, config).await,
        Command::Demo { database_url, listen, credentials_out, provider, stripe_url } => {
            let choice = demo_provider::Choice { provider, stripe_url };
            demo(&database_url, listen, credentials_out, &choice, config).await
        }
    }
}

async fn serve(database_url: Option<String>, listen: Option<SocketAddr>, config: Settings) -> anyhow::Result<ExitCode> {
    let url = database_url.unwrap_or_else(|| config.database_url.clone());
    let listen = listen.unwrap_or(config.listen);
    let listener = bind(listen).await?;
    let settings = config::serving(config, &format!("http://{}", listener.local_addr()?), false);
    if let Some(why) = settings.unsafe_to_serve() {
        anyhow::bail!("refusing to start: {why}");
    }
    let problems = settings.payment_problems();
    if !problems.is_empty() {
        anyhow::bail!("refusing to start: {}", problems.join("; "));
    }
    if settings.sandbox_on() {
        tracing::warn!(
            "THE SANDBOX PAYMENT PROVIDER IS ON: its test cards credit wallets without real money. \
             Never let parents use this Saldo."
        );
    } else if settings.provider_names().is_empty() {
        tracing::warn!("no payment provider is configured ([payments] providers): deposits are off");
    }
    let app = open(&url).await?.configure(settings);
    tracing::info!(address = %listener.local_addr()?, engine = app.store.engine().name(), "serving");
    saldo_web::serve(listener, app).await?;
    Ok(ExitCode::SUCCESS)
}

/// Recomputes the books and says whether they hold; exit 1 when they do not.
async fn verify(url: &str) -> anyhow::Result<ExitCode> {
    let store = saldo_app::Store::connect(url).await.with_context(|| format!("cannot open {url}"))?;
    let report = store.verify().await.context("cannot read the books")?;
    println!(
        "{} journal entries, {} postings, {} wallets holding {} in all.",
        report.entries,
        report.postings,
        report.wallets,
        saldo_core::Money::from_ore(report.wallet_total_ore)
    );
    if report.sandbox_credited_ore > 0 {
        println!(
            "{} came in through the sandbox provider: test money, not paid by anyone.",
            saldo_core::Money::from_ore(report.sandbox_credited_ore)
        );
    }
    if report.holds() {
        println!("The books hold: every entry balances, every wallet equals its postings, none is negative.");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("The books do NOT hold ({} problems):", report.problems.len());
    for problem in &report.problems {
        eprintln!("  {problem:?}");
    }
    Ok(ExitCode::FAILURE)
}

/// A day's payments per provider, reconciled; exit 1 when a day does not balance.
async fn reconcile(
    date: jiff::civil::Date,
    database_url: Option<String>,
    config: Settings,
) -> anyhow::Result<ExitCode> {
    let url = database_url.unwrap_or_else(|| config.database_url.clone());
    let app = open(&url).await?.configure(config);
    let report = saldo_app::reconcile::day(&app, date).await.context("cannot read the payments")?;
    print!("{}", report.text());
    Ok(if report.balances() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn staff_password(database_url: Option<String>, email: &str, config: Settings) -> anyhow::Result<ExitCode> {
    let url = database_url.unwrap_or_else(|| config.database_url.clone());
    let password = match std::env::var("SALDO_STAFF_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("cannot read the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let app = open(&url).await?.configure(config::serving(config, "http://127.0.0.1", false));
    saldo_app::auth::set_staff_password(&app, email, &password).await?;
    println!("The password for {email} is set.");
    Ok(ExitCode::SUCCESS)
}

/// Keeps one person's CPR number as its keyed hash (never in clear).
async fn cpr_hash(database_url: Option<String>, email: &str, config: Settings) -> anyhow::Result<ExitCode> {
    let url = database_url.unwrap_or_else(|| config.database_url.clone());
    let cpr = match std::env::var("SALDO_CPR") {
        Ok(cpr) => cpr,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("cannot read the CPR number from standard input")?;
            line.trim().to_owned()
        }
    };
    let app = open(&url).await?.configure(config::serving(config, "http://127.0.0.1", false));
    let person = app.store.person_by_email(email).await?.with_context(|| format!("no one has the address {email}"))?;
    if !saldo_app::login::remember_cpr(&app, &person.id, &cpr).await? {
        anyhow::bail!("not kept: a CPR number has 10 digits, and [login] cpr_key (SALDO_LOGIN__CPR_KEY) must be set");
    }
    println!("The CPR number of {email} is kept as its keyed hash.");
    Ok(ExitCode::SUCCESS)
}

async fn demo(
    database_url: &str,
    listen: SocketAddr,
    credentials_out: Option<PathBuf>,
    choice: &demo_provider::Choice,
    config: Settings,
) -> anyhow::Result<ExitCode> {
    let app = open(database_url).await?;
    if let Some(at) = config.demo_clock.as_deref() {
        let at: jiff::Timestamp = at.parse().with_context(|| format!("demo_clock {at:?} is not an RFC 3339 moment"))?;
        app.clock.advance(app.now().duration_until(at).max(jiff::SignedDuration::ZERO));
    }
    if saldo_app::demo::seed_if_empty(&app).await? {
        println!("Seeded a demo municipality into {database_url}.");
    } else {
        println!("Reusing the demo data in {database_url}.");
    }
    let listener = bind(listen).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let app = app.configure(demo_provider::settings(config::serving(config, &base_url, true), choice).await?);
    let credentials = saldo_app::demo::credentials(&app, &base_url).await?;
    if let Some(path) = credentials_out {
        let json = serde_json::to_string_pretty(&credentials)?;
        std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?;
        println!("Wrote till tokens, cards and people to {}.", path.display());
    }
    println!("Saldo demo: open {base_url}/ in a browser (ctrl-c stops it).");
    saldo_web::serve(listener, app).await?;
    Ok(ExitCode::SUCCESS)
}

async fn open(url: &str) -> anyhow::Result<App> {
    let app = App::open(url).await.with_context(|| format!("cannot open the database at {url}"))?;
    let settings = app.store.settings().await?;
    tracing::info!(engine = app.store.engine().name(), ?settings, "database open");
    Ok(app)
}

async fn bind(address: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} (is another program using it?)"))
}
