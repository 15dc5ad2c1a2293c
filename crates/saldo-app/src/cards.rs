//! Cards over a child's life (domain.md flow 3): a custodian orders a
//! replacement (the lost card blocked at once, the fee from the balance), the
//! office hands a blank card out, and the custodian activates it at home.
//! Card states move only through `CardState::apply`; every change is audited.

use crate::debit::{debit, Debtor, Watch};
use crate::views::CardOrderView;
use saldo_core::card::last4;
use saldo_core::card::CardEvent;
use saldo_core::ids::{CardOrderId, ChildId, InstitutionId};
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::rights::Action;
use saldo_core::{CardNumber, CardState, Money};
use saldo_store::{CardRow, ChildRow, EntryMeta, NewCardOrder, OrderState, PostError, StoreError, Tx};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::family::{self, ChildView};
use crate::mail;
use crate::outbox::queue_mail;
use crate::passwords::{self, HashError};
use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("the balance does not cover the fee of {fee}")]
    InsufficientFunds { fee: Money },
    #[error("a replacement card is already on its way")]
    AlreadyOrdered,
    #[error("the child belongs to no school or club with an office")]
    NoOffice,
    #[error("the child's account is closed")]
    WalletClosed,
    #[error("no such order at this office")]
    UnknownOrder,
    #[error("the order is not waiting to be handed out")]
    OrderNotOpen,
    #[error("that card is not a blank card in this office's stock")]
    NotInStock,
    #[error("not a card number")]
    BadNumber,
    #[error("wrong card number or activation code")]
    WrongCode,
    #[error("the card is already activated or reserved for another child")]
    AlreadyUsed,
    #[error("too many failed attempts; wait")]
    TooManyAttempts,
    #[error("the child already has an active card")]
    AnotherCardActive,
    #[error("no such card for this child")]
    UnknownCard,
    #[error("the card cannot {0:?} in its state")]
    CardState(CardEvent),
    #[error("a batch is 1 to {max} cards")]
    BatchSize { max: i64 },
    #[error("line {0} of the printer's file is not number;chip;code")]
    BadLine(usize),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The office that serves a child: the school's, or the club's where the child is in no school.
fn office_of(child: &ChildRow) -> Option<&InstitutionId> {
    child.school_id.as_ref().or(child.club_id.as_ref())
}

/// Blocks a card in `tx`, through the one transition table, with the reason in the audit log.
pub(crate) async fn block_in(
    tx: &mut Tx,
    actor: &Actor,
    child_id: &ChildId,
    card: &CardRow,
    reason: &str,
    now: jiff::Timestamp,
) -> Result<(), CardError> {
    let next = card.state.apply(CardEvent::Block).map_err(|_| CardError::CardState(CardEvent::Block))?;
    if !tx.set_card_state(&card.id, card.state, next, now).await? {
        return Err(CardError::CardState(CardEvent::Block));
    }
    let detail = format!("card …{} {} → {} ({reason})", last4(&card.number), card.state.as_str(), next.as_str());
    tx.audit(&actor.label(), "card.block", child_id, &detail, &actor.source, now).await?;
    Ok(())
}

/// What the order page shows: the child, the fee, and an order on its way.
#[derive(Clone, Debug)]
pub struct ReplacementView {
    pub child: ChildView,
    pub fee: Money,
    pub open_order: Option<CardOrderView>,
    pub orders: Vec<CardOrderView>,
}

pub async fn replacement_view(app: &App, actor: &Actor, child_id: &ChildId) -> Result<ReplacementView, Refusal> {
    let child = family::child(app, actor, child_id, Action::OrderReplacementCard).await?;
    let orders = orders_of(app, child_id).await?;
    let open_order = orders.iter().find(|o| matches!(o.state, OrderState::Ordered | OrderState::HandedOut)).cloned();
    Ok(ReplacementView { child, fee: app.settings.cards.replacement_fee(), open_order, orders })
}

/// A child's orders, newest first, for whoever may see the statement.
pub async fn orders_of_child(app: &App, actor: &Actor, child_id: &ChildId) -> Result<Vec<CardOrderView>, Refusal> {
    authorize_child(app, actor, Action::SeeStatement, child_id).await?;
    orders_of(app, child_id).await
}

/// The child's last five orders, newest first.
pub(crate) async fn orders_of(app: &App, child_id: &ChildId) -> Result<Vec<CardOrderView>, Refusal> {
    Ok(app.store.card_orders_of_child(child_id, 5).await?.into_iter().map(CardOrderView::from).collect())
}

/// Orders a replacement card. The active card is blocked at once and stays
/// blocked even if the fee cannot be paid; the fee is its own journal entry;
/// the order goes to the hand-out list of the child's office.
pub async fn order_replacement(app: &App, actor: &Actor, child_id: &ChildId) -> Result<Ordered, CardError> {
    let (child, allowed) = authorize_child(app, actor, Action::OrderReplacementCard, child_id).await?;
    crate::auth::not_as_support(app, actor, &allowed, child_id).await?;
    place_replacement(app, actor, &child).await
}

/// [`order_replacement`] for a child the caller checked it may order for.
pub(crate) async fn place_replacement(app: &App, actor: &Actor, child: &ChildRow) -> Result<Ordered, CardError> {
    let child_id = &child.id;
    let office = office_of(child).ok_or(CardError::NoOffice)?.to_owned();
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if tx.open_card_order(child_id).await?.is_some() {
        return Err(CardError::AlreadyOrdered);
    }
    let active = tx.active_card_of(child_id).await?;
    if let Some(card) = &active {
        block_in(&mut tx, actor, child_id, card, "replacement ordered", now).await?;
    }
    tx.commit().await?;

    let fee = app.settings.cards.replacement_fee();
    let old_card = match active {
        Some(card) => Some(card.id),
        None => app
            .store
            .cards_of_child(child_id)
            .await?
            .into_iter()
            .rev()
            .find(|c| c.state == CardState::Blocked)
            .map(|c| c.id),
    };
    let mut tx = app.store.begin().await?;
    if tx.open_card_order(child_id).await?.is_some() {
        return Err(CardError::AlreadyOrdered);
    }
    let label = actor.label();
    let fee_entry = if fee.is_positive() {
        let wallet = tx.wallet_of_child(child_id).await?.ok_or(Refusal::NotFound)?;
        let entry = Entry::card_fee(&wallet.id, fee).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let meta = EntryMeta { actor: &label, memo: "replacement card", at: now, reverses: None, spend_day: None };
        let debtor = Debtor { child_id, first_name: &child.first_name, wallet_id: &wallet.id, watch: Watch::Unknown };
        match debit(&mut tx, app, &debtor, &entry, &meta).await {
            Ok(posted) => Some(posted.entry_id),
            Err(PostError::Refused(_)) => return Err(CardError::InsufficientFunds { fee }),
            Err(PostError::Store(e)) => return Err(e.into()),
        }
    } else {
        None
    };
    let order = NewCardOrder {
        child_id,
        old_card_id: old_card.as_ref(),
        fee_entry_id: fee_entry.as_ref(),
        office_id: &office,
        ordered_by: &label,
    };
    let order_id = tx.create_card_order(&order, now).await?;
    let detail = format!("order {order_id}, fee {}, office {office}", fee.display_da());
    tx.audit(&label, "card.order", child_id, &detail, &actor.source, now).await?;
    let ready = tell_ready_orders(app, &mut tx, &office, now).await?.contains(&order_id);
    tx.commit().await?;
    Ok(Ordered { order_id, ready })
}

/// Cancels a replacement order not yet handed out (the lost card turned up,
/// or it was ordered by mistake): the fee comes back by a reversal, and a
/// blank card set aside for it goes to the next waiting order. The old card
/// stays blocked; the custodian unblocks it on the child's page if it is found.
pub async fn cancel_order(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    order_id: &CardOrderId,
) -> Result<Money, CardError> {
    let (_, allowed) = authorize_child(app, actor, Action::OrderReplacementCard, child_id).await?;
    crate::auth::not_as_support(app, actor, &allowed, child_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let order = tx.card_order(order_id).await?.filter(|o| o.child_id == child_id).ok_or(CardError::UnknownOrder)?;
    if !tx.set_card_order_state(order_id, OrderState::Ordered, OrderState::Cancelled, None, now).await? {
        return Err(CardError::OrderNotOpen);
    }
    let mut refunded = Money::ZERO;
    if let Some(fee_entry) = &order.fee_entry_id {
        let wallet = tx.wallet_of_child(child_id).await?.ok_or(Refusal::NotFound)?;
        let taken = tx
            .posted_on(fee_entry, &AccountId::Wallet(wallet.id.clone()))
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("fee entry {fee_entry} did not touch the child's wallet")))?;
        refunded = taken.checked_neg().map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let entry = Entry::card_fee(&wallet.id, refunded)
            .and_then(|fee| fee.reversal())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let label = actor.label();
        let meta = EntryMeta {
            actor: &label,
            memo: "replacement cancelled",
            at: now,
            reverses: Some(fee_entry),
            spend_day: None,
        };
        match tx.post(&entry, &meta).await {
            Ok(_) => {}
            // A credit is refused only on a closed wallet.
            Err(PostError::Refused(_)) => return Err(CardError::WalletClosed),
            Err(PostError::Store(e)) => return Err(e.into()),
        }
    }
    // A card set aside for this order now waits for the next one.
    tell_ready_orders(app, &mut tx, &order.office_id, now).await?;
    let detail = format!("order {order_id} cancelled, fee {} back", refunded.display_da());
    tx.audit(&actor.label(), "card.order_cancelled", child_id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(refunded)
}

/// A placed order, and whether a card already waits for it at the office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ordered {
    pub order_id: CardOrderId,
    pub ready: bool,
}

/// Tells whoever ordered that the card waits at the office, for as many
/// waiting orders as the office has blank cards not yet set aside, oldest
/// order first. Runs in the transaction that placed an order or brought cards
/// to the office, so the mail goes if and only if that commits. An order
/// without stock waits quietly for the next allocation. Answers the orders set aside.
pub(crate) async fn tell_ready_orders(
    app: &App,
    tx: &mut Tx,
    office: &InstitutionId,
    now: jiff::Timestamp,
) -> Result<Vec<CardOrderId>, StoreError> {
    let mut set_aside = Vec::new();
    for order in tx.orders_ready_at(office).await? {
        // Set aside even when nobody can be mailed: the card is promised to this order.
        if !tx.mark_order_ready(&order.id, now).await? {
            continue;
        }
        let link = format!("{}/portal/children/{}/activate", app.settings.base(), order.child_id);
        for person in &order.tell {
            let Some(email) = &person.email else { continue };
            let mail = mail::card_ready(
                email,
                &person.first_name,
                &order.child_first_name,
                &order.office_name,
                &link,
                &person.lang,
            );
            queue_mail(tx, &mail, now).await?;
        }
        set_aside.push(order.id);
    }
    Ok(set_aside)
}

/// Activates a blank card for a child: right number and code, within the
/// attempt limits (per person and per card, counted in the database). The
/// card joins the child's wallet, so balance, agreements and limit follow it.
pub async fn activate(app: &App, actor: &Actor, child_id: &ChildId, number: &str, code: &str) -> Result<(), CardError> {
    authorize_child(app, actor, Action::ActivateCard, child_id).await?;
    let number: CardNumber = number.parse().map_err(|_| CardError::BadNumber)?;
    let digits = number.digits();
    let code = passwords::normalize_code(code);
    // The hash is checked before the write transaction, so the writer is not held for it.
    let card = app.store.stock_card_by_number(&digits).await?;
    let code_ok = match card.as_ref().and_then(|c| c.activation_code_hash.as_deref()) {
        Some(stored) => passwords::verify(&code, stored).await?,
        None => false,
    };
    let limits = &app.settings.cards;
    let now = app.now();
    let window =
        jiff::SignedDuration::try_from(limits.activation_window()).unwrap_or(jiff::SignedDuration::from_mins(15));
    let label = actor.label();
    let mut tx = app.store.begin().await?;
    tx.lock_for_activation(&actor.person_id, &digits).await?;
    let (by_person, by_card) = tx.failed_activations(&actor.person_id, &digits, now - window).await?;
    if by_person >= limits.activation_attempts || by_card >= limits.activation_attempts {
        tx.record_activation_attempt(&actor.person_id, &digits, false, now).await?;
        let detail = format!("card …{}: refused, {by_person} failed by person, {by_card} on card", number.last4());
        tx.audit(&label, "card.activation_locked", child_id, &detail, &actor.source, now).await?;
        tx.commit().await?;
        return Err(CardError::TooManyAttempts);
    }
    let Some(card) = card.filter(|_| code_ok) else {
        tx.record_activation_attempt(&actor.person_id, &digits, false, now).await?;
        let detail = format!("card …{}: wrong number or code", number.last4());
        tx.audit(&label, "card.activation_failed", child_id, &detail, &actor.source, now).await?;
        tx.commit().await?;
        return Err(CardError::WrongCode);
    };
    let reserved_elsewhere = card.child_id.as_ref().is_some_and(|c| c != child_id);
    let next = card.state.apply(CardEvent::Activate);
    if reserved_elsewhere || next != Ok(CardState::Active) {
        tx.record_activation_attempt(&actor.person_id, &digits, false, now).await?;
        let detail = format!("card …{}: already {}", number.last4(), card.state.as_str());
        tx.audit(&label, "card.activation_failed", child_id, &detail, &actor.source, now).await?;
        tx.commit().await?;
        return Err(CardError::AlreadyUsed);
    }
    if tx.active_card_of(child_id).await?.is_some() {
        return Err(CardError::AnotherCardActive);
    }
    if !tx.activate_card(&card.id, card.state, child_id, now).await? {
        return Err(CardError::AlreadyUsed);
    }
    if let Some(order) = tx.open_card_order(child_id).await? {
        tx.set_card_order_state(&order.id, order.state, OrderState::Activated, Some(&card.id), now).await?;
    }
    tx.record_activation_attempt(&actor.person_id, &digits, true, now).await?;
    let detail = format!("card …{} {} → active", number.last4(), card.state.as_str());
    tx.audit(&label, "card.activate", child_id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}
