//! Saldo's use cases: each checks who may, asks the rules in saldo-core, and
//! runs in one store transaction. No HTTP here; the web crate translates.

pub mod access_log;
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
mod demo_history;
mod demo_shop;
mod demo_support;
pub mod deposits;
pub mod family;
pub mod form_once;
pub mod gdpr_export;
pub mod hand_out;
pub mod idempotency;
pub mod import;
pub mod job_queue;
pub mod jobs;
pub mod kitchen;
pub mod login;
pub mod low_balance;
pub mod mail;
pub mod master_data;
pub mod menus;
pub mod office;
pub mod oidc;
mod outbox;
pub mod passwords;
pub mod payments;
pub mod products;
mod provider_settings;
pub mod purchase;
pub mod reconcile;
pub mod refund;
pub mod relatives;
pub mod reports;
pub mod sale_batches;
pub mod sandbox;
pub mod school_sync;
pub mod settings;
pub mod shop;
mod shop_mail;
pub mod shop_orders;
pub mod shop_view;
pub mod standing_orders;
pub mod support;
pub mod support_actions;
pub mod support_lookup;
#[cfg(feature = "testing")]
pub mod testing;
pub mod texts;
pub mod till_controls;
mod till_declines;
pub mod till_mistakes;
pub mod till_setup;
pub mod tills;
pub mod uncollected;
pub mod views;
pub mod withdrawals;

use std::sync::Arc;

pub use auth::Actor;
pub use clock::Clock;
pub use idempotency::IdempotencyKey;
pub use saldo_core::lifecycle::OrderState;
pub use saldo_store::{
    Engine, PersonRole, Problem as VerifyProblem, ShopLine, StandingOrderRow, Store, StoreError, SyncFile, TillRow,
    VerifyReport,
};
pub use settings::{HttpSettings, Settings};
pub use views::{AgreementView, CardOrderView, PayoutView, PendingInvitation, RefundView, RelativeView, StatementLine};

/// What every use case needs: the database, the time, the operator's
/// settings and the payment providers.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Clock,
    pub settings: Arc<Settings>,
    /// The first provider: what a deposit without a choice goes through.
    pub provider: Arc<dyn saldo_pay::PaymentProvider>,
    /// Every provider the operator turned on, in the parents' order.
    pub providers: Arc<payments::Providers>,
    /// Sales on their way to a group commit (SQLite).
    pub sales: sale_batches::SaleBatches,
}

impl App {
    /// Opens (and migrates) the database at `url`, with default settings.
    pub async fn open(url: &str) -> Result<App, StoreError> {
        let store = Store::open(url).await?;
        Ok(App::assemble(store, Clock::system(), Settings::default()))
    }

    /// The same app with other settings (the providers follow the public URL).
    pub fn configure(self, settings: Settings) -> App {
        App::assemble(self.store, self.clock, settings)
    }

    fn assemble(store: Store, clock: Clock, settings: Settings) -> App {
        let providers = payments::Providers::from_settings(&settings);
        let sales = sale_batches::SaleBatches::for_engine(store.engine());
        App {
            store,
            clock,
            provider: providers.first(),
            providers: Arc::new(providers),
            settings: Arc::new(settings),
            sales,
        }
    }

    /// The provider called `name`, if it is turned on.
    pub fn provider_named(&self, name: &str) -> Option<Arc<dyn saldo_pay::PaymentProvider>> {
        self.providers.get(name).cloned()
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Recomputes the books from the postings.
    pub async fn verify(&self) -> Result<saldo_store::VerifyReport, StoreError> {
        self.store.verify().await
    }
}
