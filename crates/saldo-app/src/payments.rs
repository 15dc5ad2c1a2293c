//! The payment providers the operator turned on, and their word on a
//! payment, routed. A callback is verified by its provider and kept (a
//! refused one too, with why); then the payment is read back from the
//! provider (unless the provider signed the whole outcome), captured where
//! the provider reserves first (Vipps), and applied once to what it is
//! about: a deposit, or a card saved for a top-up agreement, told apart by
//! the reference Saldo gave the provider. A payment whose callback never
//! comes is read back by the `payment_poll` job until it settles or expires.

use std::sync::Arc;

use saldo_core::ids::DepositId;
use saldo_core::lifecycle::DepositStatus;
use saldo_core::Money;
use saldo_pay::{Callback, PayError, PaymentProvider, PaymentSnapshot, PaymentState};
use saldo_store::{NewPaymentEvent, StoreError};

use crate::deposits::{DepositError, Settled};
use crate::settings::{ProviderName, Settings};
use crate::{agreements, deposits, App};

/// The providers, in the order parents see them.
pub struct Providers {
    list: Vec<Arc<dyn PaymentProvider>>,
}

impl Providers {
    pub fn from_settings(settings: &Settings) -> Providers {
        let base = settings.base();
        let list = settings
            .provider_names()
            .into_iter()
            .map(|name| -> Arc<dyn PaymentProvider> {
                match name {
                    ProviderName::Sandbox => {
                        let mut sandbox = saldo_pay::Sandbox::new(&settings.sandbox.secret, base);
                        if let Some(api) = &settings.sandbox.api_url {
                            sandbox = sandbox.with_api_server(api);
                        }
                        Arc::new(sandbox)
                    }
                    ProviderName::Nexi => Arc::new(saldo_pay::nexi::Nexi::new(saldo_pay::nexi::NexiConfig {
                        base_url: settings.nexi.base_url.clone(),
                        secret_key: settings.nexi.secret_key.clone(),
                        webhook_key: settings.nexi.webhook_key.clone(),
                        terms_url: settings.nexi.terms_url.clone(),
                    })),
                    ProviderName::Vipps => Arc::new(saldo_pay::vipps::Vipps::new(saldo_pay::vipps::VippsConfig {
                        base_url: settings.vipps.base_url.clone(),
                        client_id: settings.vipps.client_id.clone(),
                        client_secret: settings.vipps.client_secret.clone(),
                        subscription_key: settings.vipps.subscription_key.clone(),
                        merchant_serial_number: settings.vipps.merchant_serial_number.clone(),
                        webhook_secret: settings.vipps.webhook_secret.clone(),
                    })),
                    ProviderName::Stripe => Arc::new(saldo_pay::stripe::Stripe::new(saldo_pay::stripe::StripeConfig {
                        base_url: settings.stripe.base_url.clone(),
                        secret_key: settings.stripe.secret_key.clone(),
                        publishable_key: settings.stripe.publishable_key.clone(),
                        webhook_secret: settings.stripe.webhook_secret.clone(),
                        page_url: format!("{base}/pay/stripe"),
                    })),
                }
            })
            .collect();
        Providers { list }
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn PaymentProvider>> {
        self.list.iter().find(|p| p.name() == name)
    }

    /// The providers' names, in the parents' order.
    pub fn names(&self) -> Vec<&'static str> {
        self.list.iter().map(|p| p.name()).collect()
    }

    /// The first provider (deposits without a choice), or none.
    pub fn first(&self) -> Arc<dyn PaymentProvider> {
        self.list.first().cloned().unwrap_or_else(|| Arc::new(saldo_pay::NoProvider))
    }

    /// The first provider that can save a card for automatic top-ups
    /// (Vipps MobilePay's ePayment cannot; its Recurring API is left out).
    pub fn for_saved_cards(&self) -> Arc<dyn PaymentProvider> {
        self.list.iter().find(|p| p.name() != "vipps").cloned().unwrap_or_else(|| Arc::new(saldo_pay::NoProvider))
    }
}

/// Why a callback did nothing.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    #[error("no such payment provider is turned on")]
    UnknownProvider,
    #[error("the callback is not the provider's: {0}")]
    Refused(PayError),
    #[error("the provider cannot be asked now: {0}")]
    Provider(PayError),
    #[error(transparent)]
    Deposit(#[from] DepositError),
}

impl From<StoreError> for CallbackError {
    fn from(e: StoreError) -> Self {
        CallbackError::Deposit(DepositError::Store(e))
    }
}

/// A provider's callback, as it reached Saldo: verified, kept, read back, applied once.
pub async fn callback(app: &App, provider: &str, callback: &Callback<'_>) -> Result<Settled, CallbackError> {
    let adapter = app.providers.get(provider).cloned().ok_or(CallbackError::UnknownProvider)?;
    let now = app.now();
    let event = match adapter.verify_callback(callback) {
        Ok(event) => event,
        Err(refused) => {
            tracing::warn!(provider, error = %refused, path = callback.path_and_query, "refused a payment callback");
            let detail = format!("refused: {refused}");
            let record = NewPaymentEvent {
                provider: adapter.name(),
                provider_ref: None,
                event: "refused",
                verified: false,
                detail: &detail,
                at: now,
            };
            app.store.record_payment_event(&record).await?;
            return Err(CallbackError::Refused(refused));
        }
    };
    let record = NewPaymentEvent {
        provider: adapter.name(),
        provider_ref: Some(&event.provider_ref),
        event: &event.event,
        verified: true,
        detail: "verified",
        at: now,
    };
    app.store.record_payment_event(&record).await?;
    let snapshot = match event.payment {
        Some(snapshot) => snapshot,
        None => adapter.payment(&event.provider_ref).await.map_err(CallbackError::Provider)?,
    };
    settle(app, adapter.as_ref(), snapshot).await
}

/// Applies a payment as read back to what it is about, once.
pub async fn settle(
    app: &App,
    provider: &dyn PaymentProvider,
    snapshot: PaymentSnapshot,
) -> Result<Settled, CallbackError> {
    if snapshot.reference.starts_with(agreements::SETUP_PREFIX) {
        return match snapshot.notification() {
            Some(notification) => Ok(agreements::confirm_setup(app, provider.name(), &notification).await?),
            None => Ok(Settled::Pending),
        };
    }
    if !snapshot.reference.starts_with("dep_") {
        // A top-up charge's payment: its job asks after it (`agreements::check_charge`).
        return Ok(Settled::AlreadySettled);
    }
    let snapshot =
        if snapshot.state == PaymentState::Authorized { capture(app, provider, snapshot).await? } else { snapshot };
    match snapshot.notification() {
        Some(notification) => Ok(deposits::confirm(app, provider.name(), &notification, snapshot.captured_ore).await?),
        None => Ok(Settled::Pending),
    }
}

/// Takes the reserved money of a deposit (Vipps): once per deposit, by its
/// idempotency key, and only for what the deposit asked.
async fn capture(
    app: &App,
    provider: &dyn PaymentProvider,
    snapshot: PaymentSnapshot,
) -> Result<PaymentSnapshot, CallbackError> {
    let deposit_id = DepositId::new(snapshot.reference.clone());
    let deposit = app
        .store
        .deposit(&deposit_id)
        .await?
        .ok_or_else(|| DepositError::UnknownDeposit(snapshot.reference.clone()))?;
    let parts = app.store.deposit_parts(&deposit.id).await?;
    let charged = Money::sum(parts.iter().map(|p| p.amount))
        .and_then(|others| others.checked_add(deposit.amount))
        .and_then(|all| all.checked_add(deposit.fee))
        .map_err(|_| DepositError::Mismatch)?;
    if deposit.status != DepositStatus::Pending
        || deposit.provider != provider.name()
        || deposit.provider_ref.as_deref() != Some(snapshot.provider_ref.as_str())
        || snapshot.amount_ore != charged.ore()
    {
        return Err(DepositError::Mismatch.into());
    }
    let key = format!("capture-{}", deposit.id);
    provider.capture(&snapshot.provider_ref, charged, &key).await.map_err(CallbackError::Provider)
}

/// The job: reads a deposit's payment back while no callback has settled
/// it; gives up on it (cancelled) once it is older than
/// `payments.expire_after_minutes`. Safe to run twice.
pub async fn poll_deposit(app: &App, deposit_id: &str) -> Result<(), String> {
    let id = DepositId::new(deposit_id);
    let Some(deposit) = app.store.deposit(&id).await.map_err(|e| e.to_string())? else { return Ok(()) };
    if deposit.status != DepositStatus::Pending {
        return Ok(());
    }
    let Some(adapter) = app.providers.get(&deposit.provider).cloned() else { return Ok(()) };
    let now = app.now();
    let age = now.as_microsecond() - deposit.created_at;
    let expire_after = i64::try_from(app.settings.payments.expire_after_minutes).unwrap_or(60) * 60_000_000;
    if let Some(provider_ref) = &deposit.provider_ref {
        match adapter.payment(provider_ref).await {
            Ok(snapshot) => match settle(app, adapter.as_ref(), snapshot).await {
                Ok(Settled::Pending) => {}
                Ok(_) => return Ok(()),
                Err(e) => return Err(e.to_string()),
            },
            // The sandbox has nothing to read back: its signed callback comes by the outbox.
            Err(PayError::Unsupported(_)) => return Ok(()),
            Err(e) if age < expire_after => return Err(e.to_string()),
            Err(e) => tracing::warn!(deposit = %id, error = %e, "gave up reading an expired payment back"),
        }
    }
    if age >= expire_after {
        // Stopped at the provider first, so it cannot be paid after Saldo gave up on it.
        if let Some(provider_ref) = &deposit.provider_ref {
            if let Err(e) = adapter.cancel(provider_ref, &format!("expire-{id}")).await {
                tracing::warn!(deposit = %id, error = %e, "could not stop an expired payment at the provider");
            }
            // Paid in the last moment after all: that word wins over the expiry.
            if let Ok(snapshot) = adapter.payment(provider_ref).await {
                if snapshot.state != PaymentState::Pending {
                    if let Ok(Settled::Credited | Settled::NotPaid | Settled::AlreadySettled) =
                        settle(app, adapter.as_ref(), snapshot).await
                    {
                        return Ok(());
                    }
                }
            }
        }
        deposits::expire(app, &id).await.map_err(|e| e.to_string())?;
        return Ok(());
    }
    let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
    queue_poll(&mut tx, app, &id, now).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// Queues the next read-back of a deposit's payment.
pub(crate) async fn queue_poll(
    tx: &mut saldo_store::Tx,
    app: &App,
    deposit_id: &DepositId,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let after = jiff::SignedDuration::from_secs(i64::try_from(app.settings.payments.poll_after_secs).unwrap_or(60));
    tx.queue("payment_poll", deposit_id.as_str(), now, now + after).await.map(|_| ())
}

/// A Stripe payment (or card set-up) waiting for the card on Saldo's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnPage {
    pub provider_ref: String,
    pub amount: saldo_core::Money,
    /// A set-up saves the card; nothing is charged now.
    pub saves_card: bool,
    pub publishable_key: String,
    /// Stripe's script (or localstripe's copy of it).
    pub script_url: String,
    /// The origins the page's script talks to, for the page's content security policy.
    pub origins: Vec<String>,
}

fn origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or("")),
        None => url.to_owned(),
    }
}

/// The page's facts for a Stripe intent still waiting for its card; `None`
/// when it is not waiting (paid, failed, unknown): the payer goes on.
pub async fn stripe_page(app: &App, intent: &str) -> Result<Option<OnPage>, CallbackError> {
    let adapter = app.provider_named("stripe").ok_or(CallbackError::UnknownProvider)?;
    let snapshot = match adapter.payment(intent).await {
        Ok(snapshot) => snapshot,
        Err(PayError::Malformed(_)) => return Ok(None),
        Err(e) => return Err(CallbackError::Provider(e)),
    };
    if snapshot.state != PaymentState::Pending {
        return Ok(None);
    }
    let base = app.settings.stripe.base_url.trim_end_matches('/');
    let script_url = if base.starts_with("https://api.stripe.com") {
        "https://js.stripe.com/v3/".to_owned()
    } else {
        format!("{base}/js.stripe.com/v3/")
    };
    let mut origins = vec![origin(base), origin(&script_url)];
    origins.dedup();
    Ok(Some(OnPage {
        provider_ref: snapshot.provider_ref,
        amount: saldo_core::Money::from_ore(snapshot.amount_ore),
        saves_card: snapshot.reference.starts_with(agreements::SETUP_PREFIX),
        publishable_key: app.settings.stripe.publishable_key.clone(),
        script_url,
        origins,
    }))
}

/// The card the payer typed on Saldo's page (a Stripe PaymentMethod id)
/// pays the intent; the outcome is read back and applied at once, as a
/// callback would. Answers where the payer goes next.
pub async fn complete_on_page(app: &App, intent: &str, method: &str) -> Result<(Settled, String), CallbackError> {
    let adapter = app.provider_named("stripe").ok_or(CallbackError::UnknownProvider)?;
    let snapshot = adapter.complete_on_page(intent, method).await.map_err(CallbackError::Provider)?;
    let base = app.settings.base();
    let next = if snapshot.reference.starts_with("dep_") {
        format!("{base}/portal/deposits/{}", snapshot.reference)
    } else {
        format!("{base}/portal")
    };
    let settled = settle(app, adapter.as_ref(), snapshot).await?;
    Ok((settled, next))
}
