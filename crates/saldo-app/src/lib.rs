//! Saldo's use cases: each checks who may, asks the rules in saldo-core, and
//! runs in one store transaction. No HTTP here; the web crate translates.

pub mod accounts;
pub mod agreements;
pub mod auth;
pub mod card_stock;
pub mod cards;
pub mod clock;
pub mod credit;
pub mod csv_file;
pub mod day_report;
mod debit;
pub mod demo;
pub mod deposits;
pub mod family;
pub mod form_once;
pub mod idempotency;
pub mod import;
pub mod job_queue;
pub mod jobs;
pub mod login;
pub mod low_balance;
pub mod mail;
pub mod office;
pub mod oidc;
mod outbox;
pub mod passwords;
pub mod payments;
pub mod products;
pub mod purchase;
pub mod refund;
pub mod relatives;
pub mod sale_batches;
pub mod sandbox;
pub mod settings;
#[cfg(feature = "testing")]
pub mod testing;
pub mod texts;
pub mod till_controls;
pub mod till_mistakes;
pub mod till_setup;
pub mod tills;
pub mod views;
pub mod withdrawals;

use std::sync::Arc;

pub use auth::Actor;
pub use clock::Clock;
pub use idempotency::IdempotencyKey;
pub use saldo_core::lifecycle::OrderState;
pub use saldo_store::{Engine, PersonRole, Problem as VerifyProblem, Store, StoreError, TillRow, VerifyReport};
pub use settings::{HttpSettings, Settings};
pub use views::{AgreementView, CardOrderView, PayoutView, PendingInvitation, RefundView, RelativeView, StatementLine};

/// What every use case needs: the database, the time, the operator's
/// settings and the payment provider.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Clock,
    pub settings: Arc<Settings>,
    pub provider: Arc<dyn saldo_pay::PaymentProvider>,
    /// Sales on their way to a group commit (SQLite).
    pub sales: sale_batches::SaleBatches,
}

impl App {
    /// Opens (and migrates) the database at `url`, with default settings.
    pub async fn open(url: &str) -> Result<App, StoreError> {
        let store = Store::open(url).await?;
        Ok(App::assemble(store, Clock::system(), Settings::default()))
    }

    /// The same app with other settings (the provider follows the public URL).
    pub fn configure(self, settings: Settings) -> App {
        App::assemble(self.store, self.clock, settings)
    }

    fn assemble(store: Store, clock: Clock, settings: Settings) -> App {
        let provider: Arc<dyn saldo_pay::PaymentProvider> = if settings.sandbox_on() {
            let mut sandbox = saldo_pay::Sandbox::new(&settings.sandbox.secret, settings.base());
            if let Some(api) = &settings.sandbox.api_url {
                sandbox = sandbox.with_api_server(api);
            }
            Arc::new(sandbox)
        } else {
            Arc::new(saldo_pay::NoProvider)
        };
        let sales = sale_batches::SaleBatches::for_engine(store.engine());
        App { store, clock, settings: Arc::new(settings), provider, sales }
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Recomputes the books from the postings.
    pub async fn verify(&self) -> Result<saldo_store::VerifyReport, StoreError> {
        self.store.verify().await
    }
}
