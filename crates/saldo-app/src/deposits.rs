//! Deposits (indbetalinger): the parent pays the provider, the provider
//! confirms, the wallet is credited exactly once — whether the confirmation
//! comes by callback, twice, or the browser never returns.

use std::sync::Arc;

use saldo_core::ids::{ChildId, DepositId};
use saldo_core::lifecycle::DepositStatus;
use saldo_core::rights::Action;
use saldo_core::Money;
use saldo_pay::{Notification, PayError, PaymentMethod, PaymentProvider, PaymentRequest, PaymentStatus};
use saldo_store::{DepositRow, NewDeposit, PostError, StoreError};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::credit::{credit_in, CreditIn, Payment};
use crate::family::{self, ChildView};
use crate::mail;
use crate::App;

/// The parent's choices, and the operator's limits, before paying.
#[derive(Clone, Debug)]
pub struct DepositOptions {
    pub child: ChildView,
    pub min: Money,
    pub max: Money,
    pub fee: Money,
    /// How much more fits under the balance cap.
    pub room: Money,
    pub quick_picks: Vec<Money>,
    /// The providers the payer may choose, in the operator's order, each with its fee.
    pub providers: Vec<ProviderChoice>,
}

/// A provider (and way of paying, where it offers several) as the deposit
/// form offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderChoice {
    pub name: &'static str,
    pub method: Option<PaymentMethod>,
    pub fee: Money,
}

impl ProviderChoice {
    /// The form's value: `nexi:dankort`, or `vipps` alone.
    pub fn value(&self) -> String {
        match self.method {
            Some(method) => format!("{}:{}", self.name, method.as_str()),
            None => self.name.to_owned(),
        }
    }
}

/// Each provider, or each of its ways of paying where the operator priced
/// them apart, in the operator's order.
fn provider_choices(app: &App) -> Vec<ProviderChoice> {
    let mut choices = Vec::new();
    for name in app.providers.names() {
        let methods = app.provider_named(name).map(|p| p.methods()).unwrap_or_default();
        if app.settings.priced_by_method(name) && !methods.is_empty() {
            for method in methods {
                let fee = app.settings.deposit_fee(name, Some(*method));
                choices.push(ProviderChoice { name, method: Some(*method), fee });
            }
        } else {
            choices.push(ProviderChoice { name, method: None, fee: app.settings.deposit_fee(name, None) });
        }
    }
    choices
}

/// A choice as the form sent it: the provider, and the way of paying if
/// named. An unknown way of paying is no choice at all.
fn parse_choice(choice: &str) -> Result<(&str, Option<PaymentMethod>), DepositError> {
    match choice.split_once(':') {
        None => Ok((choice, None)),
        Some((name, method)) => match PaymentMethod::parse(method) {
            Some(method) => Ok((name, Some(method))),
            None => Err(DepositError::Provider(PayError::NotConfigured)),
        },
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DepositError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("the smallest deposit is {0}")]
    BelowMin(Money),
    #[error("the largest deposit is {0}")]
    AboveMax(Money),
    #[error("the balance may not pass the cap; {room} still fits")]
    OverCap { room: Money },
    #[error("the payment provider: {0}")]
    Provider(#[from] PayError),
    #[error("no such deposit {0}")]
    UnknownDeposit(String),
    #[error("the provider's confirmation does not match the deposit")]
    Mismatch,
    #[error("one payment is for 1 to {MAX_CHILDREN} children, each once")]
    Children,
    /// One child's part of a payment for several broke a limit.
    #[error("{child}: {error}")]
    Part { child: String, error: Box<DepositError> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<PostError> for DepositError {
    fn from(e: PostError) -> Self {
        match e {
            PostError::Refused(wallet) => {
                DepositError::Store(StoreError::Corrupt(format!("wallet {wallet} refused a deposit")))
            }
            PostError::Store(e) => DepositError::Store(e),
        }
    }
}

const QUICK_PICKS: [Money; 4] = [Money::kr(50), Money::kr(100), Money::kr(200), Money::kr(500)];

pub async fn options(app: &App, actor: &Actor, child_id: &ChildId) -> Result<DepositOptions, Refusal> {
    let child = family::child(app, actor, child_id, Action::Deposit).await?;
    let limits = &app.settings.deposits;
    let room = limits.max_balance().checked_sub(child.child.balance).unwrap_or(Money::ZERO).max(Money::ZERO);
    let quick_picks =
        QUICK_PICKS.into_iter().filter(|q| *q <= room && *q <= limits.max() && *q >= limits.min()).collect();
    let providers = provider_choices(app);
    let fee = providers.first().map_or(limits.fee(), |p| p.fee);
    Ok(DepositOptions { child, min: limits.min(), max: limits.max(), fee, room, quick_picks, providers })
}

/// Opens a deposit and the provider's payment for it; the payer goes to the
/// returned address. Limits and the cap are checked before any payment.
pub async fn start(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    amount: Money,
    provider: Option<&str>,
    lang: &str,
) -> Result<String, DepositError> {
    start_for_several(app, actor, &[(child_id.clone(), amount)], provider, lang).await
}

/// At most this many children in one payment (a family's, with room to spare).
pub const MAX_CHILDREN: usize = 10;

/// One payment for several children (ParentPay and MySchoolBucks have it):
/// each child's part is a deposit of its own, checked against that child's
/// limits and cap, and all are paid by one payment at the provider (the fee
/// once). When it is confirmed, one journal entry credits every wallet its part.
pub async fn start_for_several(
    app: &App,
    actor: &Actor,
    parts: &[(ChildId, Money)],
    provider: Option<&str>,
    lang: &str,
) -> Result<String, DepositError> {
    if parts.is_empty() || parts.len() > MAX_CHILDREN {
        return Err(DepositError::Children);
    }
    let mut checked = Vec::with_capacity(parts.len());
    for (child_id, amount) in parts {
        let options = options(app, actor, child_id).await?;
        if checked.iter().any(|(c, _): &(ChildView, Money)| c.child.child_id == *child_id) {
            return Err(DepositError::Children);
        }
        if let Err(error) = within_limits(&options, *amount) {
            return Err(match parts.len() {
                1 => error,
                _ => DepositError::Part { child: options.child.child.first_name.clone(), error: Box::new(error) },
            });
        }
        checked.push((options.child, *amount));
    }
    let (adapter, method) = chosen_provider(app, provider)?;
    let provider = adapter.name();
    let fee = app.settings.deposit_fee(provider, method);
    let now = app.now();
    let ids: Vec<DepositId> = checked.iter().map(|_| DepositId::new(saldo_store::new_id("dep"))).collect();
    let mut tx = app.store.begin().await?;
    for (n, ((child, amount), id)) in checked.iter().zip(&ids).enumerate() {
        let first = n == 0;
        tx.create_deposit(&NewDeposit {
            id,
            wallet_id: &child.child.wallet_id,
            child_id: &child.child.child_id,
            person_id: &actor.person_id,
            amount: *amount,
            // The fee is paid once, with the first child's part.
            fee: if first { fee } else { Money::ZERO },
            provider,
            at: now,
            paid_with: (!first).then_some(&ids[0]),
        })
        .await?;
        tx.audit(&actor.label(), "deposit.started", &child.child.child_id, &amount.display_da(), &actor.source, now)
            .await?;
    }
    // Read back later, in case the provider's callback never comes.
    crate::payments::queue_poll(&mut tx, app, &ids[0], now).await?;
    tx.commit().await?;

    // The provider call happens outside any transaction.
    let id = &ids[0];
    let base = app.settings.base();
    let return_url = format!("{base}/portal/deposits/{id}");
    let callback_url = format!("{base}/pay/callback/{provider}");
    let description = payment_text(&checked, lang);
    let total = Money::sum(checked.iter().map(|(_, amount)| *amount)).map_err(|_| DepositError::Children)?;
    let charged = total.checked_add(fee).map_err(|_| DepositError::Children)?;
    let request = PaymentRequest {
        reference: id.as_str(),
        amount: charged,
        description: &description,
        return_url: &return_url,
        callback_url: &callback_url,
        lang,
        save_card: false,
        method,
    };
    let started = adapter.start(&request).await?;
    let mut tx = app.store.begin().await?;
    tx.set_deposit_provider_ref(id, &started.provider_ref).await?;
    tx.commit().await?;
    Ok(started.redirect_url)
}

/// The provider (and way of paying) the form chose, or the first.
fn chosen_provider(
    app: &App,
    choice: Option<&str>,
) -> Result<(Arc<dyn PaymentProvider>, Option<PaymentMethod>), DepositError> {
    let (adapter, method) = match choice.map(parse_choice).transpose()? {
        Some((name, method)) => {
            let adapter = app.provider_named(name).ok_or(DepositError::Provider(PayError::NotConfigured))?;
            // A way of paying this provider does not offer is a forged form, not a choice.
            if method.is_some_and(|m| !adapter.methods().contains(&m)) {
                return Err(DepositError::Provider(PayError::NotConfigured));
            }
            (adapter, method)
        }
        None => (app.provider.clone(), None),
    };
    // Where the ways of paying cost different fees, one is always chosen (the first by default).
    let method = match app.settings.priced_by_method(adapter.name()) {
        true => method.or_else(|| adapter.methods().first().copied()),
        false => None,
    };
    Ok((adapter, method))
}

/// The operator's limits and the cap, for one child's part.
fn within_limits(options: &DepositOptions, amount: Money) -> Result<(), DepositError> {
    if amount < options.min {
        return Err(DepositError::BelowMin(options.min));
    }
    if amount > options.max {
        return Err(DepositError::AboveMax(options.max));
    }
    if amount > options.room {
        return Err(DepositError::OverCap { room: options.room });
    }
    Ok(())
}

/// What the provider shows on its page and the bank statement: what it is
/// for ("Indbetaling til Idas kort"), not "Saldo: Ida".
fn payment_text(children: &[(ChildView, Money)], lang: &str) -> String {
    let lang = crate::texts::Lang::parse(lang).unwrap_or_default();
    let texts = crate::texts::Texts::new(lang);
    match children {
        [(child, _)] => {
            let child_s = crate::mail::genitive(lang, &child.child.first_name);
            texts.with("pay-deposit", &crate::texts::args([("child_s", child_s.into())]))
        }
        _ => {
            let names: Vec<&str> = children.iter().map(|(c, _)| c.child.first_name.as_str()).collect();
            let children = texts.list(&names);
            texts.with("pay-deposit-several", &crate::texts::args([("children", children.into())]))
        }
    }
}

/// What a confirmation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    Credited,
    AlreadySettled,
    NotPaid,
    /// The provider has not settled the payment yet.
    Pending,
}

/// Applies the provider's verified word on a deposit. The provider's payment
/// id is the idempotency key: the same confirmation twice credits once.
pub async fn confirm(
    app: &App,
    provider: &str,
    notification: &Notification,
    captured_ore: i64,
) -> Result<Settled, DepositError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let deposit = tx
        .deposit(&DepositId::new(notification.reference.as_str()))
        .await?
        .ok_or_else(|| DepositError::UnknownDeposit(notification.reference.clone()))?;
    // The other children's parts this payment pays too (none for a deposit alone).
    let parts = tx.deposit_parts(&deposit.id).await?;
    let charged = Money::sum(parts.iter().map(|p| p.amount))
        .and_then(|others| others.checked_add(deposit.amount))
        .and_then(|all| all.checked_add(deposit.fee))
        .map_err(|_| DepositError::Mismatch)?;
    if deposit.provider != provider
        || deposit.provider_ref.as_deref() != Some(notification.provider_ref.as_str())
        || notification.amount_ore != charged.ore()
    {
        tracing::warn!(deposit = %deposit.id, provider, provider_ref = %notification.provider_ref,
            amount_ore = notification.amount_ore, "a provider's payment does not match its deposit");
        return Err(DepositError::Mismatch);
    }
    if deposit.status != DepositStatus::Pending {
        return Ok(Settled::AlreadySettled);
    }
    // What was taken in full is each part's own; anything else shows on the first.
    let in_full = captured_ore == charged.ore();
    let first_captured = if in_full { deposit.amount.ore() + deposit.fee.ore() } else { captured_ore };
    tx.set_deposit_captured(&deposit.id, first_captured).await?;
    for part in parts.iter().filter(|_| in_full) {
        tx.set_deposit_captured(&part.id, part.amount.ore()).await?;
    }
    let status = match notification.status {
        PaymentStatus::Approved => DepositStatus::Confirmed,
        PaymentStatus::Declined => DepositStatus::Declined,
        PaymentStatus::Cancelled => DepositStatus::Cancelled,
    };
    if status != DepositStatus::Confirmed {
        for id in std::iter::once(&deposit.id).chain(parts.iter().map(|p| &p.id)) {
            tx.settle_deposit(id, status, None, now).await?;
        }
        tx.commit().await?;
        return Ok(Settled::NotPaid);
    }
    let others: Vec<(saldo_core::WalletId, Money)> = parts.iter().map(|p| (p.wallet_id.clone(), p.amount)).collect();
    let actor = format!("person:{}", deposit.person_id);
    let payment = Payment {
        wallet_id: &deposit.wallet_id,
        provider,
        reference: &notification.provider_ref,
        amount: deposit.amount,
        fee: deposit.fee,
        actor: &actor,
        others: &others,
    };
    let posted = match credit_in(&mut tx, &payment, deposit.id.as_str(), now).await? {
        CreditIn::Posted(posted) => posted,
        CreditIn::Already => return Ok(Settled::AlreadySettled),
        CreditIn::KeyReused => return Err(DepositError::Mismatch),
    };
    let paid = (provider, notification.provider_ref.as_str());
    for part in std::iter::once(&deposit).chain(&parts) {
        tx.settle_deposit(&part.id, DepositStatus::Confirmed, Some(&posted.entry_id), now).await?;
        let balance = posted.wallet(&part.wallet_id).map(|w| w.balance).unwrap_or_default();
        receipt(app, &mut tx, part, balance, paid, now).await?;
    }
    tx.commit().await?;
    Ok(Settled::Credited)
}

/// The payer's receipt for one child's part, in the payer's language.
async fn receipt(
    app: &App,
    tx: &mut saldo_store::Tx,
    deposit: &DepositRow,
    balance: Money,
    paid: (&str, &str),
    now: jiff::Timestamp,
) -> Result<(), DepositError> {
    if let (Some(person), Some(child)) =
        (app.store.person(&deposit.person_id).await?, app.store.child(&deposit.child_id).await?)
    {
        if let Some(email) = person.email {
            let receipt = mail::deposit_receipt(&email, &child.first_name, deposit.amount, balance, paid, &person.lang);
            crate::outbox::queue_mail(tx, &receipt, now).await?;
        }
    }
    Ok(())
}

/// A deposit whose payment never settled, given up on (its payment expired).
pub async fn expire(app: &App, id: &DepositId) -> Result<bool, DepositError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let settled = tx.settle_deposit(id, DepositStatus::Cancelled, None, now).await?;
    for part in tx.deposit_parts(id).await? {
        tx.settle_deposit(&part.id, DepositStatus::Cancelled, None, now).await?;
    }
    if settled {
        tx.audit("payments", "deposit.expired", id.as_str(), "no payment in time", "job", now).await?;
    }
    tx.commit().await?;
    Ok(settled)
}

/// A deposit, for its receipt page: only its payer or the child's custodians see it.
pub async fn view(app: &App, actor: &Actor, deposit_id: &DepositId) -> Result<(DepositRow, ChildView), Refusal> {
    let deposit = app.store.deposit(deposit_id).await?.ok_or(Refusal::NotFound)?;
    let (_, _) = authorize_child(app, actor, Action::SeeStatement, &deposit.child_id).await?;
    if deposit.person_id != actor.person_id && !actor.is_custodian_of(&deposit.child_id) {
        return Err(Refusal::NotFound);
    }
    let child = family::child(app, actor, &deposit.child_id, Action::SeeStatement).await?;
    Ok((deposit, child))
}

/// The other children a payer's payment was for, each with their part: the
/// receipt of one payment for several children lists them all.
pub async fn other_parts(app: &App, actor: &Actor, deposit: &DepositRow) -> Result<Vec<(ChildView, Money)>, Refusal> {
    if deposit.person_id != actor.person_id {
        return Ok(Vec::new());
    }
    let mut parts = Vec::new();
    for part in app.store.deposit_parts(&deposit.id).await? {
        parts.push((family::child(app, actor, &part.child_id, Action::SeeStatement).await?, part.amount));
    }
    Ok(parts)
}
