//! The database: migrations and the only place SQL lives.
//!
//! One `Store` over SQLite (the embedded default) or PostgreSQL (the scale
//! path), through sqlx's `Any` driver so every query is written once with
//! `$1` placeholders. What differs between the engines is in [`engine`].
//! A use case opens one [`Tx`], does its reads and conditional writes, and
//! commits; dropping a `Tx` without committing rolls it back.

mod agreements;
mod audit;
mod card_orders;
mod card_stock;
mod cards;
mod catalogue;
mod deposits;
mod engine;
mod idempotency;
mod import;
mod ledger;
mod logins;
mod low_balance;
mod master_data;
mod migrations;
mod outbox;
mod payments;
mod payout_refunds;
mod people;
mod personal_data;
mod purchases;
mod relatives;
mod reports;
mod school_sync;
mod sessions;
mod settle;
mod shop_cart;
mod shop_menus;
mod shop_orders;
mod shop_statement;
mod staff;
mod standing_orders;
mod statements;
mod support;
pub mod test_db;
mod till;
mod verify;
mod wallets;
mod withdrawals;

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use agreements::{Agreement, ChargeRow};
pub use audit::AuditEntry;
pub use card_orders::{CardOrderRow, NewCardOrder, OrderState, ReadyOrder};
pub use card_stock::{BlankCard, InstitutionRow, StockCard};
pub use cards::{ActiveCard, CardRow, TillCard};
pub use catalogue::{InstitutionKind, NewProduct, ProductRow, TillRow};
pub use deposits::{DepositRow, NewDeposit};
pub use engine::Engine;
pub use idempotency::Claim;
pub use import::{
    AgreementRow, ExistingAgreement, ExistingCard, ExistingChild, ExistingData, ExistingInstitution, ExistingPerson,
    ExistingWallet, NewAgreement, NewCard, NewChild, NewInstitution, NewPerson, NewWallet, SavedCard,
};
pub use ledger::{EntryMeta, PostError, Posted, WalletBalance};
pub use logins::{LoginFlow, PendingSubject, SubjectLink};
pub use low_balance::LowBalanceWatcher;
pub use master_data::{ChildEntry, InstitutionEntry, SalesPointEntry, StaffEntry, MAX_CHILDREN_LISTED};
pub use outbox::{Job, JobKindStats, JobStats, TroubledJob};
pub use payments::{NewPaymentEvent, PaymentEventRow, PaymentKind, ReconcileRow, Settlement};
pub use payout_refunds::{PayoutRefundRow, RefundableDeposit};
pub use people::{ChildRow, PersonRole, PersonRow, PersonWithRole, RelationKind, StaffRole};
pub use personal_data::{PersonRecord, RelationRecord};
pub use purchases::{NewPurchase, NewPurchaseLine, PurchaseRow, SaleRecord};
pub use relatives::{Invitation, NewInvitation, RelativeRow};
pub use reports::{AccountMovement, CategorySales, DepositTotals, JournalLine, MAX_JOURNAL_LINES};
pub use school_sync::{Placement, SyncFile, MAX_SYNC_FILE_BYTES};
pub use sessions::SessionRow;
pub use shop_cart::Cart;
pub use shop_menus::{DishRow, NewDish, TermsRow};
pub use shop_orders::{CardHolder, NewShopOrder, PickRow, ShopOrderRow};
pub use shop_statement::ShopLine;
pub use staff::OfficeChild;
pub use standing_orders::{NewStandingOrder, StandingOrderRow};
pub use statements::{CardSummary, ChildOverview, StatementLine, StatementQuery};
pub use support::{
    AccessRow, AdultRow, ChildSearch, DeclineRow, FoundChild, HistoryRow, NewDecline, QueuedMail, MAX_FOUND,
};
pub use till::{DayLine, DaySale, RecentSale, SaleLine, SaleRow, StaffPin, UnlockRow, MAX_DAY_SALES};
pub use verify::{Problem, VerifyReport};
pub use wallets::WalletRow;
pub use withdrawals::{NewWithdrawal, WithdrawalRow};

/// Everything that can go wrong talking to the database. The rules' own
/// refusals are not errors here: they come back as values.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("the database holds a value the code cannot read: {0}")]
    Corrupt(String),
    /// A ledger invariant failed while writing an entry: the write is refused
    /// and the transaction must be rolled back. Seeing this is a bug, never a
    /// user's mistake.
    #[error("ledger invariant broken in entry {entry_id}: {what}")]
    InvariantBroken { entry_id: String, what: String },
    /// The database did not take the work (a group commit that failed): nothing
    /// of it was written, and the caller may try again with the same key.
    #[error("not written: {0}")]
    Unavailable(String),
    /// A lifecycle move its rules do not allow was asked for (a bug).
    #[error("not allowed: {0}")]
    NotAllowed(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database, opened by URL.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// SQLite has one writer at a time. Queueing writers here, in order,
    /// beats having them spin on the file lock (busy_timeout stays as the
    /// guard against other processes).
    write_lock: Option<Arc<Mutex<()>>>,
    /// SQLite: the one connection every write transaction uses, so its page
    /// cache stays warm (a connection whose file another one changed must
    /// drop its cache and read the pages again).
    writer: Option<AnyPool>,
}

/// A write transaction: `BEGIN IMMEDIATE` on SQLite, READ COMMITTED on PostgreSQL.
pub struct Tx {
    conn: sqlx::Transaction<'static, sqlx::Any>,
    engine: Engine,
    _writer: Option<OwnedMutexGuard<()>>,
    /// Where each wallet this transaction posted to was left (id, seq,
    /// balance), so the next posting to it can be checked to continue it.
    pub(crate) left: Vec<(saldo_core::WalletId, i64, i64)>,
}

impl Store {
    /// Opens `sqlite://PATH` (created if missing) or `postgres://…`, and runs
    /// the migrations.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens without migrating (for `saldo verify` on a database it must not change).
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url).ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
        let url = engine.normalize_url(url);
        let options = |connections: u32| {
            AnyPoolOptions::new().max_connections(connections).acquire_timeout(Duration::from_secs(10)).after_connect(
                move |conn, _meta| {
                    Box::pin(async move {
                        conn.execute(engine.connection_setup()).await?;
                        Ok(())
                    })
                },
            )
        };
        let pool = options(engine.max_connections()).connect(&url).await?;
        let (write_lock, writer) = match engine {
            Engine::Sqlite => (Some(Arc::new(Mutex::new(()))), Some(options(1).connect(&url).await?)),
            Engine::Postgres => (None, None),
        };
        Ok(Store { pool, engine, write_lock, writer })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub async fn migrate(&self) -> Result<()> {
        migrations::run(self).await
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        let writer = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let conn = self.writer.as_ref().unwrap_or(&self.pool).begin_with(self.engine.begin_write()).await?;
        Ok(Tx { conn, engine: self.engine, _writer: writer, left: Vec::new() })
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The engine's settings that the guarantees depend on, for the start-up
    /// log and for tests: on SQLite WAL, synchronous=FULL (2) and foreign keys.
    pub async fn settings(&self) -> Result<Vec<(String, String)>> {
        let queries: &[(&str, &str)] = match self.engine {
            Engine::Sqlite => &[
                ("journal_mode", "PRAGMA journal_mode"),
                ("synchronous", "PRAGMA synchronous"),
                ("foreign_keys", "PRAGMA foreign_keys"),
            ],
            Engine::Postgres => {
                &[("server_version", "SHOW server_version"), ("transaction_isolation", "SHOW transaction_isolation")]
            }
        };
        let mut settings = Vec::new();
        for (name, sql) in queries {
            let row = sqlx::query(sql).fetch_one(&self.pool).await?;
            let value = row.try_get::<String, _>(0).or_else(|_| row.try_get::<i64, _>(0).map(|v| v.to_string()))?;
            settings.push(((*name).to_owned(), value));
        }
        Ok(settings)
    }

    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// A point inside a write transaction to roll back to, undoing one piece of
/// work (a sale in a group commit) and leaving the rest.
#[must_use = "release the savepoint or roll back to it"]
pub struct Savepoint {
    left: Vec<(saldo_core::WalletId, i64, i64)>,
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.conn.commit().await?;
        Ok(())
    }

    /// Marks the point [`Tx::rollback_to`] returns to.
    pub async fn savepoint(&mut self) -> Result<Savepoint> {
        sqlx::query("SAVEPOINT piece").execute(self.conn()).await?;
        Ok(Savepoint { left: self.left.clone() })
    }

    /// Keeps what was done since the savepoint.
    pub async fn release(&mut self, _point: Savepoint) -> Result<()> {
        sqlx::query("RELEASE SAVEPOINT piece").execute(self.conn()).await?;
        Ok(())
    }

    /// Undoes what was done since the savepoint, and forgets where that left the wallets.
    pub async fn rollback_to(&mut self, point: Savepoint) -> Result<()> {
        sqlx::query("ROLLBACK TO SAVEPOINT piece").execute(self.conn()).await?;
        sqlx::query("RELEASE SAVEPOINT piece").execute(self.conn()).await?;
        self.left = point.left;
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.conn
    }
}

/// A lifecycle's state from its column.
pub(crate) fn state_from<L: saldo_core::lifecycle::Lifecycle>(row: &AnyRow, column: &str) -> Result<L> {
    let text: String = row.try_get(column)?;
    L::parse(&text).ok_or_else(|| StoreError::Corrupt(format!("{column} {text:?}")))
}

/// A new id: a short prefix saying what it is, then a ULID (sortable by time).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", ulid::Ulid::new().to_string().to_lowercase())
}

/// Microseconds since the epoch, the one time format in the database.
pub fn micros(at: jiff::Timestamp) -> i64 {
    at.as_microsecond()
}

pub fn from_micros(us: i64) -> Result<jiff::Timestamp> {
    jiff::Timestamp::from_microsecond(us).map_err(|e| StoreError::Corrupt(format!("timestamp {us}: {e}")))
}

/// `($1, $2), ($3, $4)`: the placeholders of a multi-row `VALUES` with
/// `rows` rows of `columns` each, the same SQL on both engines.
pub(crate) fn values_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns).map(|c| format!("${}", row * columns + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a 0/1 flag.
fn flag(row: &AnyRow, column: &str) -> Result<bool> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}
