//! Saldo's use cases: each checks who may, asks the rules in saldo-core, and
//! runs in one store transaction. No HTTP here; the web crate translates.

pub mod clock;
pub mod credit;
pub mod demo;
pub mod idempotency;
pub mod purchase;
pub mod refund;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tills;

pub use clock::Clock;
pub use idempotency::IdempotencyKey;
pub use saldo_store::{Engine, Store, StoreError, TillRow, VerifyReport};

/// What every use case needs: the database and the time.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Clock,
}

impl App {
    /// Opens (and migrates) the database at `url`.
    pub async fn open(url: &str) -> Result<App, StoreError> {
        Ok(App { store: Store::open(url).await?, clock: Clock::system() })
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Recomputes the books from the postings.
    pub async fn verify(&self) -> Result<saldo_store::VerifyReport, StoreError> {
        self.store.verify().await
    }
}
