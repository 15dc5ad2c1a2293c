//! A benchmark dataset written straight into a freshly migrated, empty database:
//! many children, each with an active card and a funded wallet, and one sales
//! point with its menu and tills.
//!
//! This writes below the application on purpose: the API has no bulk import
//! yet, and seeding thousands of wallets one HTTP call at a time would take
//! longer than the benchmark. To stay honest it only writes what the app itself
//! would (compare saldo-app's demo and saldo-store's `Tx` methods): money comes
//! in as balanced `migration` journal entries with their postings, the cached
//! balance equals the postings, and `bench/run.sh` runs `saldo verify` before
//! the first purchase. It refuses a database that already holds data.

use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection, Row};

use crate::dataset::{Card, Dataset, Till};

#[derive(clap::Args)]
pub struct SeedArgs {
    /// `sqlite:///abs/path.db` or `postgres://…/db`, already migrated by `saldo migrate`.
    #[arg(long)]
    database_url: String,
    /// Children to create, each with an active card and a wallet.
    #[arg(long, default_value_t = 2000)]
    children: u32,
    /// Each wallet's opening balance, in kroner (no daily limit is set).
    #[arg(long, default_value_t = 1000)]
    balance_kr: i64,
    /// Tills at the one sales point.
    #[arg(long, default_value_t = 8)]
    tills: u32,
    /// Where to write the till tokens and card numbers (JSON).
    #[arg(long)]
    out: PathBuf,
}

/// Canteen prices, so 1–3 lines cost what a real lunch does (5–105 kr) and a
/// 1,000 kr wallet lasts for dozens of purchases.
const MENU: [(&str, i64, &str); 5] = [
    ("Dagens ret", 3500, "mad"),
    ("Sandwich med kylling", 2800, "mad"),
    ("Frugt", 500, "frugt"),
    ("Minimælk", 600, "drikke"),
    ("Vand", 800, "drikke"),
];

const FIRST_NAMES: [&str; 10] = ["Ida", "Noah", "Emma", "Oscar", "Freja", "William", "Alma", "Carl", "Clara", "Malthe"];

const ACTOR: &str = "till-load seed";

pub async fn run(args: SeedArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.children > 0, "--children must be at least 1");
    anyhow::ensure!(args.tills > 0, "--tills must be at least 1");
    anyhow::ensure!(args.balance_kr > 0, "--balance-kr must be positive");
    let balance_ore = args.balance_kr.checked_mul(100).context("--balance-kr is too large")?;
    let started = Instant::now();

    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&args.database_url)
        .await
        .with_context(|| format!("cannot open {}", args.database_url))?;
    if args.database_url.starts_with("sqlite:") {
        // Off by default in SQLite; the app turns it on, so the seed is checked the same way.
        sqlx::raw_sql("PRAGMA foreign_keys = ON").execute(&mut conn).await?;
    }
    ensure_fresh(&mut conn).await?;

    let now = now_micros()?;
    let mut tx = conn.begin().await?;

    let municipality = new_id("mun");
    sqlx::query("INSERT INTO municipality (id, name) VALUES ($1, $2)")
        .bind(&municipality)
        .bind("Benchmark Kommune")
        .execute(&mut *tx)
        .await?;
    let school = new_id("inst");
    sqlx::query("INSERT INTO institution (id, municipality_id, name, kind) VALUES ($1, $2, $3, 'school')")
        .bind(&school)
        .bind(&municipality)
        .bind("Benchmarkskolen")
        .execute(&mut *tx)
        .await?;
    let sales_point = new_id("sp");
    let sales_point_name = "Kantinen, Benchmarkskolen";
    sqlx::query("INSERT INTO sales_point (id, institution_id, name) VALUES ($1, $2, $3)")
        .bind(&sales_point)
        .bind(&school)
        .bind(sales_point_name)
        .execute(&mut *tx)
        .await?;
    // Purchases post to the sales point's own account, as create_sales_point registers it.
    sqlx::query("INSERT INTO account (id, kind) VALUES ($1, 'sales')")
        .bind(format!("sales:{sales_point}"))
        .execute(&mut *tx)
        .await?;
    for (order, (name, price_ore, category)) in MENU.iter().enumerate() {
        sqlx::query(
            "INSERT INTO product (id, sales_point_id, name, price_ore, category, sort_order) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id("prod"))
        .bind(&sales_point)
        .bind(*name)
        .bind(*price_ore)
        .bind(*category)
        .bind(order as i64)
        .execute(&mut *tx)
        .await?;
    }

    let mut tills = Vec::new();
    for n in 1..=args.tills {
        let token = new_token();
        sqlx::query("INSERT INTO till (id, sales_point_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(new_id("till"))
            .bind(&sales_point)
            .bind(format!("Kasse {n}"))
            .bind(format!("{:x}", Sha256::digest(token.as_bytes())))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tills.push(Till { token, sales_point: sales_point_name.to_owned() });
    }

    let mut cards = Vec::new();
    for i in 0..args.children {
        let first_name = FIRST_NAMES[i as usize % FIRST_NAMES.len()];
        let child = new_id("chi");
        sqlx::query("INSERT INTO child (id, first_name, last_name, school_id, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&child)
            .bind(first_name)
            .bind(format!("Benchmark {i}"))
            .bind(&school)
            .bind(now)
            .execute(&mut *tx)
            .await?;

        // A wallet is a ledger account with the same id.
        let wallet = new_id("wal");
        sqlx::query("INSERT INTO account (id, kind) VALUES ($1, 'wallet')").bind(&wallet).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO wallet (id, child_id, status, balance_ore, daily_limit_ore, last_seq, updated_at)
             VALUES ($1, $2, 'open', $3, NULL, 1, $4)",
        )
        .bind(&wallet)
        .bind(&child)
        .bind(balance_ore)
        .bind(now)
        .execute(&mut *tx)
        .await?;

        // The opening balance as Entry::migration builds it: the opening account
        // gives (seq 0), the wallet receives (seq 1, its first posting).
        let entry = new_id("mig");
        sqlx::query(
            "INSERT INTO journal_entry (id, kind, actor, reverses_id, memo, created_at)
             VALUES ($1, 'migration', $2, NULL, $3, $4)",
        )
        .bind(&entry)
        .bind(ACTOR)
        .bind("benchmark opening balance")
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO posting (entry_id, seq, account_id, amount_ore, wallet_seq, balance_after_ore, created_at)
             VALUES ($1, 0, 'migration_opening', $2, NULL, NULL, $3)",
        )
        .bind(&entry)
        .bind(-balance_ore)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO posting (entry_id, seq, account_id, amount_ore, wallet_seq, balance_after_ore, created_at)
             VALUES ($1, 1, $2, $3, 1, $3, $4)",
        )
        .bind(&entry)
        .bind(&wallet)
        .bind(balance_ore)
        .bind(now)
        .execute(&mut *tx)
        .await?;

        let number = card_number(u64::from(i));
        sqlx::query(
            "INSERT INTO card (id, number, child_id, state, institution_id, issued_at, updated_at)
             VALUES ($1, $2, $3, 'active', $4, $5, $5)",
        )
        .bind(new_id("card"))
        .bind(&number)
        .bind(&child)
        .bind(&school)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        cards.push(Card {
            number,
            child_id: child,
            first_name: first_name.to_owned(),
            balance_ore,
            daily_limit_ore: None,
        });
    }

    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, subject, detail, source) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id("aud"))
    .bind(now)
    .bind(ACTOR)
    .bind("bench.seeded")
    .bind(&municipality)
    .bind(format!("{} children, {} kr each, {} tills", args.children, args.balance_kr, args.tills))
    .bind("cli")
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    conn.close().await?;

    Dataset { base_url: None, tills, cards }.write(&args.out)?;
    println!(
        "Seeded {} children with active cards ({} kr each), 1 sales point, {} products, {} tills in {:.1} s; \
         dataset in {}.",
        args.children,
        args.balance_kr,
        MENU.len(),
        args.tills,
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}

/// Seeding into a database that holds anything would mix the benchmark's
/// money with real (or demo) money; and without the schema there is nothing to fill.
async fn ensure_fresh(conn: &mut AnyConnection) -> anyhow::Result<()> {
    let migrated: i64 = sqlx::query("SELECT COUNT(*) AS n FROM schema_migration WHERE version = 1")
        .fetch_one(&mut *conn)
        .await
        .context("the database has no Saldo schema: run `saldo migrate --database-url …` first")?
        .try_get("n")?;
    anyhow::ensure!(migrated == 1, "the database has no Saldo schema: run `saldo migrate --database-url …` first");
    let rows: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM municipality) + (SELECT COUNT(*) FROM wallet)
              + (SELECT COUNT(*) FROM journal_entry) + (SELECT COUNT(*) FROM till) AS n",
    )
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    anyhow::ensure!(rows == 0, "the database already holds data; seed only a freshly migrated one");
    Ok(())
}

/// Ids as saldo-store makes them: a prefix, then a lower-case ULID.
pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", ulid::Ulid::new().to_string().to_lowercase())
}

/// 64 hex characters, like the app's tokens. Two ULIDs carry 160 random bits,
/// plenty for a throwaway benchmark database, and spare a `rand` dependency.
pub(crate) fn new_token() -> String {
    format!("{:032x}{:032x}", ulid::Ulid::new().0, ulid::Ulid::new().0)
}

pub(crate) fn now_micros() -> anyhow::Result<i64> {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).context("the clock is before 1970")?;
    i64::try_from(since_epoch.as_micros()).context("the clock is past the year 292,000")
}

/// The `n`th card in the municipality's range: 9208, 11 digits of `n`, the
/// Luhn check digit. Sequential numbers are unique without a lookup.
pub(crate) fn card_number(n: u64) -> String {
    let payload = format!("9208{:011}", n % 100_000_000_000);
    let check = luhn_check_digit(&payload);
    format!("{payload}{check}")
}

/// The digit that makes `payload` followed by it pass the Luhn check (as saldo-core computes it).
fn luhn_check_digit(payload: &str) -> u32 {
    let sum: u32 = payload
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Full Luhn validation, written independently of the generator.
    fn passes_luhn(number: &str) -> bool {
        let sum: u32 = number
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    (d * 2) / 10 + (d * 2) % 10
                } else {
                    d
                }
            })
            .sum();
        sum.is_multiple_of(10)
    }

    #[test]
    fn card_numbers_are_valid_unique_and_in_range() {
        // Numbers from saldo-core's own tests.
        assert_eq!(luhn_check_digit("920809139099603"), 1);
        assert_eq!(luhn_check_digit("453914880343646"), 7);
        let numbers: Vec<String> = (0..5000).map(card_number).collect();
        for number in &numbers {
            assert_eq!(number.len(), 16);
            assert!(number.starts_with("9208"));
            assert!(passes_luhn(number), "{number}");
        }
        let unique: std::collections::HashSet<&String> = numbers.iter().collect();
        assert_eq!(unique.len(), numbers.len());
    }

    #[test]
    fn tokens_and_ids_look_like_the_apps() {
        let token = new_token();
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(token, new_token());
        let id = new_id("wal");
        assert!(id.starts_with("wal_") && id.len() == 30 && id == id.to_lowercase());
    }
}
