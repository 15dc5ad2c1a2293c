//! Schema migrations, embedded in the binary and run at start.

use sqlx::Row;

use crate::{micros, Result, Store};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
    /// What differs per engine (SQLite, PostgreSQL), run after `sql`.
    per_engine: Option<(&'static str, &'static str)>,
}

/// SQLite cannot alter a CHECK constraint; widening one (a new account or
/// entry kind) rewrites the table's stored definition, the procedure
/// SQLite's documentation gives for changing constraints that no stored
/// row can break. PostgreSQL drops and adds the named constraint.
const WIDEN_KINDS_SQLITE: &str = "PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''migration_opening'')', '''migration_opening'', ''orders'')')
    WHERE type = 'table' AND name = 'account';
UPDATE sqlite_master SET sql = replace(sql, '''reversal'')', '''reversal'', ''shop_order'', ''hand_out'')')
    WHERE type = 'table' AND name = 'journal_entry';";

const WIDEN_KINDS_POSTGRES: &str = "ALTER TABLE account DROP CONSTRAINT account_kind_check;
ALTER TABLE account ADD CONSTRAINT account_kind_check
    CHECK (kind IN ('wallet', 'provider_clearing', 'sales', 'fees', 'payouts_due', 'migration_opening', 'orders'));
ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_kind_check;
ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_kind_check
    CHECK (kind IN ('deposit', 'purchase', 'refund', 'card_fee', 'transfer', 'withdrawal', 'migration', 'reversal',
                    'shop_order', 'hand_out'));";

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../migrations/0001_foundation.sql"),
        per_engine: None,
    },
    Migration {
        version: 2,
        name: "top_up_agreements",
        sql: include_str!("../migrations/0002_top_up_agreements.sql"),
        per_engine: None,
    },
    Migration { version: 3, name: "portal", sql: include_str!("../migrations/0003_portal.sql"), per_engine: None },
    Migration { version: 4, name: "till", sql: include_str!("../migrations/0004_till.sql"), per_engine: None },
    Migration { version: 5, name: "cards", sql: include_str!("../migrations/0005_cards.sql"), per_engine: None },
    Migration { version: 6, name: "top_ups", sql: include_str!("../migrations/0006_top_ups.sql"), per_engine: None },
    Migration {
        version: 7,
        name: "relatives",
        sql: include_str!("../migrations/0007_relatives.sql"),
        per_engine: None,
    },
    Migration {
        version: 8,
        name: "withdrawals",
        sql: include_str!("../migrations/0008_withdrawals.sql"),
        per_engine: None,
    },
    Migration { version: 9, name: "closing", sql: include_str!("../migrations/0009_closing.sql"), per_engine: None },
    Migration { version: 10, name: "notices", sql: include_str!("../migrations/0010_notices.sql"), per_engine: None },
    Migration {
        version: 11,
        name: "bank_export",
        sql: include_str!("../migrations/0011_bank_export.sql"),
        per_engine: None,
    },
    Migration {
        version: 12,
        name: "payout_refunds",
        sql: include_str!("../migrations/0012_payout_refunds.sql"),
        per_engine: None,
    },
    Migration {
        version: 13,
        name: "child_class",
        sql: include_str!("../migrations/0013_child_class.sql"),
        per_engine: None,
    },
    Migration {
        version: 14,
        name: "oidc_login",
        sql: include_str!("../migrations/0014_oidc_login.sql"),
        per_engine: None,
    },
    Migration {
        version: 15,
        name: "payment_providers",
        sql: include_str!("../migrations/0015_payment_providers.sql"),
        per_engine: None,
    },
    Migration {
        version: 25,
        name: "family_payments",
        sql: include_str!("../migrations/0025_family_payments.sql"),
        per_engine: None,
    },
    Migration {
        version: 30,
        name: "webshop",
        sql: include_str!("../migrations/0030_webshop.sql"),
        per_engine: Some((WIDEN_KINDS_SQLITE, WIDEN_KINDS_POSTGRES)),
    },
    Migration {
        version: 31,
        name: "standing_orders",
        sql: include_str!("../migrations/0031_standing_orders.sql"),
        per_engine: None,
    },
    Migration { version: 40, name: "support", sql: include_str!("../migrations/0040_support.sql"), per_engine: None },
    Migration { version: 50, name: "reports", sql: include_str!("../migrations/0050_reports.sql"), per_engine: None },
    Migration {
        version: 51,
        name: "school_sync",
        sql: include_str!("../migrations/0051_school_sync.sql"),
        per_engine: None,
    },
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
        if let Some((sqlite, postgres)) = migration.per_engine {
            match store.engine() {
                crate::Engine::Sqlite => {
                    sqlx::raw_sql(sqlite).execute(tx.conn()).await?;
                    // Other connections notice a changed schema by its version number.
                    let version: i64 = sqlx::query("PRAGMA schema_version").fetch_one(tx.conn()).await?.try_get(0)?;
                    sqlx::raw_sql(&format!("PRAGMA schema_version = {}", version + 1)).execute(tx.conn()).await?;
                    sqlx::raw_sql("PRAGMA writable_schema = OFF").execute(tx.conn()).await?;
                }
                crate::Engine::Postgres => {
                    sqlx::raw_sql(postgres).execute(tx.conn()).await?;
                }
            }
        }
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
