//! A fresh, empty database for each test, on the engine the run asks for.
//!
//! By default a SQLite file in the temp directory. With
//! `SALDO_TEST_POSTGRES_URL=postgres://…/postgres` set, a new PostgreSQL
//! database on that server instead. Either is removed when the `TestDb` drops.

use std::path::PathBuf;

use sqlx::Connection;

/// The variable that switches the test suite to PostgreSQL.
pub const POSTGRES_ENV: &str = "SALDO_TEST_POSTGRES_URL";

pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Files(Vec<PathBuf>),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// Creates the database (it is empty: `Store::open` migrates it).
    /// Panics when PostgreSQL was asked for and cannot be reached: a test run
    /// must never fall back to SQLite silently.
    pub async fn new() -> TestDb {
        let name = format!("saldo_test_{}", ulid::Ulid::new().to_string().to_lowercase());
        match std::env::var(POSTGRES_ENV) {
            Ok(admin_url) if !admin_url.is_empty() => {
                sqlx::any::install_default_drivers();
                let mut admin = sqlx::AnyConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={admin_url} is set but cannot be reached: {e}"));
                sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
                let _ = admin.close().await;
                let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
                TestDb { url: format!("{base}/{name}"), cleanup: Cleanup::Postgres { admin_url, name } }
            }
            _ => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                let files = ["", "-wal", "-shm"]
                    .iter()
                    .map(|suffix| PathBuf::from(format!("{}{suffix}", path.display())))
                    .collect();
                TestDb { url: format!("sqlite://{}", path.display()), cleanup: Cleanup::Files(files) }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Postgres { .. })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Files(files) => {
                for file in files {
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                // Drop runs inside the test's runtime; the drop needs its own.
                let (admin_url, db) = (admin_url.clone(), name.clone());
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                    runtime.block_on(async {
                        let mut admin = sqlx::AnyConnection::connect(&admin_url).await.ok()?;
                        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                            .execute(&mut admin)
                            .await
                            .ok()
                    })
                })
                .join();
                if !matches!(dropped, Ok(Some(_))) {
                    eprintln!("could not drop test database {name}; drop it by hand");
                }
            }
        }
    }
}
