//! What a family does on the portal: see each child, read the statement, set
//! the daily limit, block a card, move money between siblings.

use saldo_core::card::last4;
use saldo_core::card::CardEvent;
use saldo_core::day::day_key;
use saldo_core::ids::{CardId, ChildId};
use saldo_core::ledger::Entry;
use saldo_core::rights::{Action, RelationKind};
use saldo_core::{CardState, Money};
use saldo_store::{CardSummary, ChildOverview, Claim, EntryMeta, PostError, StatementQuery, StoreError};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::debit::{debit, Debtor, Watch};
use crate::idempotency::{request_hash, IdempotencyKey};
use crate::views::CardOrderView;
use crate::App;
use saldo_core::lifecycle::OrderState;

/// A child as the portal shows it to one person.
#[derive(Clone, Debug)]
pub struct ChildView {
    pub child: ChildOverview,
    pub spent_today: Money,
    pub is_custodian: bool,
    pub next: NextStep,
}

/// The most useful thing to do next, shown first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// A replacement card is ordered; the office is waiting for cards to hand out.
    CardOrdered { office: String },
    /// A replacement card lies ready at the office, to be fetched.
    CardReady { office: String },
    /// The replacement card is handed out: activate it at home.
    CardHandedOut,
    /// No card works: block and order, or activate one.
    NoActiveCard,
    /// The balance is low (under 50 kr): top it up.
    TopUp,
    /// All is well.
    Nothing,
}

/// Below this a parent is nudged to deposit.
const LOW_BALANCE: Money = Money::kr(50);
/// A daily limit beyond this is a typo, not a limit.
const MAX_DAILY_LIMIT: Money = Money::kr(1_000);

impl ChildView {
    fn new(child: ChildOverview, today: &str, open_order: Option<CardOrderView>) -> ChildView {
        let spent_today = child.spent_on(today);
        let is_custodian = child.relation == RelationKind::Custodian;
        // A card on its way comes first: it is what the parent is waiting for.
        let next = if let Some(order) = open_order {
            match order.state {
                OrderState::HandedOut => NextStep::CardHandedOut,
                _ if order.ready => NextStep::CardReady { office: order.office_name },
                _ => NextStep::CardOrdered { office: order.office_name },
            }
        } else if child.active_card().is_none() {
            NextStep::NoActiveCard
        } else if child.balance < LOW_BALANCE {
            NextStep::TopUp
        } else {
            NextStep::Nothing
        };
        ChildView { child, spent_today, is_custodian, next }
    }

    /// A replacement card is on its way (ordered, or handed out and not yet activated).
    pub fn card_on_its_way(&self) -> bool {
        matches!(self.next, NextStep::CardOrdered { .. } | NextStep::CardReady { .. } | NextStep::CardHandedOut)
    }
}

/// The child's replacement order still under way, if any.
async fn open_order(app: &App, child_id: &ChildId) -> Result<Option<CardOrderView>, StoreError> {
    let newest = app.store.card_orders_of_child(child_id, 1).await?.into_iter().next().map(CardOrderView::from);
    Ok(newest.filter(|o| matches!(o.state, OrderState::Ordered | OrderState::HandedOut)))
}

/// The active card, if the child has one.
pub trait ActiveCard {
    fn active_card(&self) -> Option<&CardSummary>;
}

impl ActiveCard for ChildOverview {
    fn active_card(&self) -> Option<&CardSummary> {
        self.cards.iter().find(|c| c.state == CardState::Active)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FamilyError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("a daily limit is between 1 kr. and 1.000 kr.")]
    LimitOutOfRange,
    #[error("no such card for this child")]
    UnknownCard,
    #[error("the card cannot {0:?} in its state")]
    CardState(CardEvent),
    #[error("the child already has an active card")]
    AnotherCardActive,
    #[error("an amount must be positive")]
    NotPositive,
    #[error("the amount is more than the balance")]
    InsufficientFunds,
    #[error("the wallets must be two different children's")]
    SameChild,
    #[error("the key was used for another request")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Every child the person is custodian or relative of.
pub async fn overview(app: &App, actor: &Actor) -> Result<Vec<ChildView>, StoreError> {
    let today = day_key(app.now());
    let mut views = Vec::new();
    for child in app.store.family_of(&actor.person_id).await? {
        let order = open_order(app, &child.child_id).await?;
        views.push(ChildView::new(child, &today, order));
    }
    Ok(views)
}

/// The child's last `n` purchases, newest first (what, where, how much), for the overview.
pub async fn last_purchases(
    app: &App,
    view: &ChildView,
    n: usize,
) -> Result<Vec<crate::views::StatementLine>, StoreError> {
    // A few more lines than asked, since deposits and fees sit between the purchases.
    let query =
        StatementQuery { wallet_id: view.child.wallet_id.clone(), from: None, to: None, before_seq: None, limit: 20 };
    let mut purchases = Vec::new();
    for line in app.store.statement(&query).await? {
        let line = crate::views::StatementLine::try_from(line)?;
        if line.kind == saldo_core::ledger::EntryKind::Purchase {
            purchases.push(line);
        }
        if purchases.len() == n {
            break;
        }
    }
    Ok(purchases)
}

/// One child, if the person may do `action` for it.
pub async fn child(app: &App, actor: &Actor, child_id: &ChildId, action: Action) -> Result<ChildView, Refusal> {
    authorize_child(app, actor, action, child_id).await?;
    let child = app.store.child_of(&actor.person_id, child_id).await?.ok_or(Refusal::NotFound)?;
    let order = open_order(app, child_id).await?;
    Ok(ChildView::new(child, &day_key(app.now()), order))
}

/// A page of the statement, and the child it belongs to.
pub async fn statement(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    from: Option<jiff::Timestamp>,
    to: Option<jiff::Timestamp>,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<(ChildView, Vec<crate::views::StatementLine>), Refusal> {
    let view = child(app, actor, child_id, Action::SeeStatement).await?;
    let query = StatementQuery {
        wallet_id: view.child.wallet_id.clone(),
        from: from.map(|t| t.as_microsecond()),
        to: to.map(|t| t.as_microsecond()),
        before_seq,
        limit,
    };
    let awaiting = app.store.awaiting_withdrawal_entries(child_id).await?;
    let mut lines = Vec::new();
    for line in app.store.statement(&query).await? {
        let waits = awaiting.contains(&line.entry_id);
        let mut line = crate::views::StatementLine::try_from(line)?;
        line.awaiting_approval = waits;
        lines.push(line);
    }
    Ok((view, lines))
}

/// Sets (or with `None` removes) the daily limit; the next purchase sees it.
pub async fn set_daily_limit(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    limit: Option<Money>,
) -> Result<(), FamilyError> {
    if let Some(limit) = limit {
        if !limit.is_positive() || limit > MAX_DAILY_LIMIT {
            return Err(FamilyError::LimitOutOfRange);
        }
    }
    authorize_child(app, actor, Action::ChangeLimits, child_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let wallet = tx.wallet_of_child(child_id).await?.ok_or(Refusal::NotFound)?;
    tx.set_daily_limit(&wallet.id, limit, now).await?;
    let detail = match limit {
        Some(limit) => format!("daily limit {} → {}", describe(wallet.daily_limit), limit.display_da()),
        None => format!("daily limit {} → none", describe(wallet.daily_limit)),
    };
    tx.audit(&actor.label(), "wallet.daily_limit", child_id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

fn describe(limit: Option<Money>) -> String {
    limit.map_or_else(|| "none".into(), Money::display_da)
}

/// Blocks a card (lost, stolen) or unblocks it (found again). Support does
/// this only from its console, where it gives a reason.
pub async fn set_card_blocked(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    card_id: &CardId,
    block: bool,
) -> Result<(), FamilyError> {
    let (_, allowed) = authorize_child(app, actor, Action::BlockCard, child_id).await?;
    crate::auth::not_as_support(app, actor, &allowed, child_id).await?;
    apply_card_blocked(app, actor, child_id, card_id, block).await
}

/// [`set_card_blocked`] after the caller checked who may.
pub(crate) async fn apply_card_blocked(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    card_id: &CardId,
    block: bool,
) -> Result<(), FamilyError> {
    let event = if block { CardEvent::Block } else { CardEvent::Unblock };
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let card =
        tx.card(card_id).await?.filter(|c| c.child_id.as_ref() == Some(child_id)).ok_or(FamilyError::UnknownCard)?;
    let next = card.state.apply(event).map_err(|_| FamilyError::CardState(event))?;
    // Read in the transaction, not through the actor's family: staff and support unblock too.
    if next == CardState::Active && tx.active_card_of(child_id).await?.is_some() {
        return Err(FamilyError::AnotherCardActive);
    }
    if !tx.set_card_state(card_id, card.state, next, now).await? {
        return Err(FamilyError::CardState(event));
    }
    let detail = format!("card …{} {} → {}", last4(&card.number), card.state.as_str(), next.as_str());
    tx.audit(&actor.label(), if block { "card.block" } else { "card.unblock" }, child_id, &detail, &actor.source, now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves money from one child's wallet to a sibling's, in one journal entry.
pub async fn transfer(
    app: &App,
    actor: &Actor,
    from_child: &ChildId,
    to_child: &ChildId,
    amount: Money,
    key: &IdempotencyKey,
) -> Result<(), FamilyError> {
    if from_child == to_child {
        return Err(FamilyError::SameChild);
    }
    if !amount.is_positive() {
        return Err(FamilyError::NotPositive);
    }
    // Taking money out of a wallet is the custodian's alone; so is choosing where it goes.
    let (child, _) = authorize_child(app, actor, Action::Withdraw, from_child).await?;
    authorize_child(app, actor, Action::ChangeLimits, to_child).await?;
    let now = app.now();
    let scope = format!("transfer:{}", actor.person_id);
    let mut tx = app.store.begin().await?;
    match tx.claim_idempotency_key(&scope, key.as_str(), &request_hash(&(from_child, to_child, amount)), now).await? {
        Claim::New => {}
        Claim::Replay { .. } => return Ok(()),
        Claim::Mismatch => return Err(FamilyError::KeyReused),
    }
    let from = tx.wallet_of_child(from_child).await?.ok_or(Refusal::NotFound)?;
    let to = tx.wallet_of_child(to_child).await?.ok_or(Refusal::NotFound)?;
    let entry = Entry::sibling_transfer(&from.id, &to.id, amount).map_err(|_| FamilyError::NotPositive)?;
    let label = actor.label();
    let meta = EntryMeta { actor: &label, memo: "", at: now, reverses: None, spend_day: None };
    let debtor =
        Debtor { child_id: from_child, first_name: &child.first_name, wallet_id: &from.id, watch: Watch::Unknown };
    match debit(&mut tx, app, &debtor, &entry, &meta).await {
        Ok(_) => {}
        Err(PostError::Refused(_)) => return Err(FamilyError::InsufficientFunds),
        Err(PostError::Store(e)) => return Err(e.into()),
    }
    tx.remember_answer(&scope, key.as_str(), 200, "{}").await?;
    tx.audit(
        &label,
        "wallet.transfer",
        from_child,
        &format!("{} to {to_child}", amount.display_da()),
        &actor.source,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
