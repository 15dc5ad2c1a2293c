//! Schema migrations, embedded in the binary and run at start.

use sqlx::Row;

use crate::{micros, Result, Store};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "foundation", sql: include_str!("../migrations/0001_foundation.sql") },
    Migration { version: 2, name: "top_up_agreements", sql: include_str!("../migrations/0002_top_up_agreements.sql") },
    Migration { version: 3, name: "portal", sql: include_str!("../migrations/0003_portal.sql") },
    Migration { version: 4, name: "till", sql: include_str!("../migrations/0004_till.sql") },
    Migration { version: 5, name: "cards", sql: include_str!("../migrations/0005_cards.sql") },
    Migration { version: 6, name: "top_ups", sql: include_str!("../migrations/0006_top_ups.sql") },
    Migration { version: 7, name: "relatives", sql: include_str!("../migrations/0007_relatives.sql") },
    Migration { version: 8, name: "withdrawals", sql: include_str!("../migrations/0008_withdrawals.sql") },
    Migration { version: 9, name: "closing", sql: include_str!("../migrations/0009_closing.sql") },
    Migration { version: 10, name: "notices", sql: include_str!("../migrations/0010_notices.sql") },
    Migration { version: 11, name: "bank_export", sql: include_str!("../migrations/0011_bank_export.sql") },
    Migration { version: 12, name: "payout_refunds", sql: include_str!("../migrations/0012_payout_refunds.sql") },
    Migration { version: 13, name: "child_class", sql: include_str!("../migrations/0013_child_class.sql") },
    Migration { version: 14, name: "oidc_login", sql: include_str!("../migrations/0014_oidc_login.sql") },
    Migration { version: 15, name: "payment_providers", sql: include_str!("../migrations/0015_payment_providers.sql") },
    Migration { version: 25, name: "family_payments", sql: include_str!("../migrations/0025_family_payments.sql") },
    Migration { version: 40, name: "support", sql: include_str!("../migrations/0040_support.sql") },
    Migration { version: 50, name: "reports", sql: include_str!("../migrations/0050_reports.sql") },
    Migration { version: 51, name: "school_sync", sql: include_str!("../migrations/0051_school_sync.sql") },
];

/// Applies what is missing, each migration in its own transaction.
pub(crate) async fn run(store: &Store) -> Result<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migration (
            version     BIGINT PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  BIGINT NOT NULL
        )",
    )
    .execute(store.pool())
    .await?;
    for migration in MIGRATIONS {
        let mut tx = store.begin().await?;
        if let Some(lock) = store.engine().migration_lock() {
            sqlx::query(lock).execute(tx.conn()).await?;
        }
        let applied = sqlx::query("SELECT COUNT(*) AS n FROM schema_migration WHERE version = $1")
            .bind(migration.version)
            .fetch_one(tx.conn())
            .await?
            .try_get::<i64, _>("n")?;
        if applied > 0 {
            continue;
        }
        tracing::info!(version = migration.version, name = migration.name, "applying migration");
        sqlx::raw_sql(migration.sql).execute(tx.conn()).await?;
        if migration.version == 1 {
            sqlx::raw_sql(store.engine().append_only_guards()).execute(tx.conn()).await?;
        }
        sqlx::query("INSERT INTO schema_migration (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(micros(jiff::Timestamp::now()))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
