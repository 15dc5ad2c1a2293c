//! The school (or club) office's desk (kontor): who waits for a replacement
//! card, the blank cards on hand, handing a card out, and looking a child up
//! to block or activate a card on request. An office sees only its own
//! institution's children; every refusal is audited.

use saldo_core::card::CardEvent;
use saldo_core::ids::{CardId, CardOrderId, ChildId, InstitutionId};
use saldo_core::rights::{authorize as authorize_grants, Action, Denied, Grant, Target};
use saldo_core::{CardNumber, CardState};
use saldo_store::{CardRow, ChildRow, OrderState};

use crate::auth::{authorize_child, Actor, Refusal};
use crate::cards::{self, CardError};
use crate::views::CardOrderView;
use crate::App;

/// The offices a person works at.
pub fn offices_of(actor: &Actor) -> Vec<InstitutionId> {
    actor
        .grants
        .iter()
        .filter_map(|g| match g {
            Grant::Office { institution } => Some(institution.clone()),
            _ => None,
        })
        .collect()
}

/// The check every office page makes. Staff of another institution, and
/// anyone else, are refused outright: an office never sees another's children.
pub async fn authorize(app: &App, actor: &Actor, institution: &InstitutionId, action: Action) -> Result<(), Refusal> {
    let scope = [institution.clone()];
    match authorize_grants(&actor.grants, action, &Target::institution(&scope)) {
        Ok(_) => Ok(()),
        Err(denied) => {
            let mut tx = app.store.begin().await?;
            let detail = format!("{action:?}: {denied}");
            tx.audit(&actor.label(), "denied", institution, &detail, &actor.source, app.now()).await?;
            tx.commit().await?;
            Err(Refusal::Forbidden(if denied == Denied::NotYours { Denied::NotAllowed } else { denied }))
        }
    }
}

/// An office's desk: who is waiting for a card today, and the stock on hand.
#[derive(Clone, Debug)]
pub struct OfficeDesk {
    pub institution_id: InstitutionId,
    pub name: String,
    pub orders: Vec<CardOrderView>,
    pub in_stock: i64,
}

pub async fn desk(app: &App, actor: &Actor, institution: &InstitutionId) -> Result<OfficeDesk, Refusal> {
    authorize(app, actor, institution, Action::CardStock).await?;
    let name = app
        .store
        .institutions()
        .await?
        .into_iter()
        .find(|i| i.id == institution)
        .map(|i| i.name)
        .ok_or(Refusal::NotFound)?;
    let today = saldo_core::day::local_day(app.now())
        .to_zoned(saldo_core::day::local_tz())
        .map(|z| z.timestamp())
        .unwrap_or_else(|_| app.now());
    let orders = app.store.office_orders(institution, today).await?.into_iter().map(CardOrderView::from).collect();
    let in_stock = app.store.stock_count(Some(institution)).await?;
    Ok(OfficeDesk { institution_id: institution.clone(), name, orders, in_stock })
}

/// Hands a card out for an order; with a scanned number, that blank card is
/// reserved for the child (only that child can then activate it).
pub async fn hand_out(
    app: &App,
    actor: &Actor,
    institution: &InstitutionId,
    order_id: &CardOrderId,
    scanned: Option<&str>,
) -> Result<(), CardError> {
    authorize(app, actor, institution, Action::CardStock).await?;
    let scanned = match scanned.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse::<CardNumber>().map_err(|_| CardError::BadNumber)?),
        None => None,
    };
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let order = tx.card_order(order_id).await?.ok_or(CardError::UnknownOrder)?;
    if order.office_id != institution {
        return Err(Refusal::Forbidden(Denied::NotAllowed).into());
    }
    if order.state != OrderState::Ordered {
        return Err(CardError::OrderNotOpen);
    }
    let mut card_id = None;
    let mut detail = format!("order {order_id} handed out");
    if let Some(number) = scanned {
        let card = tx.stock_card_by_number(&number.digits()).await?.ok_or(CardError::NotInStock)?;
        let next = card.state.apply(CardEvent::HandOut).map_err(|_| CardError::NotInStock)?;
        if next != CardState::HandedOut || !tx.reserve_card(&card.id, institution, &order.child_id, now).await? {
            return Err(CardError::NotInStock);
        }
        detail = format!("{detail}, card …{} in_stock → handed_out", number.last4());
        card_id = Some(card.id);
    }
    if !tx.set_card_order_state(order_id, OrderState::Ordered, OrderState::HandedOut, card_id.as_ref(), now).await? {
        return Err(CardError::OrderNotOpen);
    }
    tx.audit(&actor.label(), "card.hand_out", &order.child_id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The office's look-up: by card number (16 digits) or by name.
pub async fn search(
    app: &App,
    actor: &Actor,
    institution: &InstitutionId,
    query: &str,
) -> Result<Vec<saldo_store::OfficeChild>, Refusal> {
    authorize(app, actor, institution, Action::CardStock).await?;
    let query = query.trim();
    if query.chars().count() < 2 || query.len() > 100 {
        return Ok(Vec::new());
    }
    let number = query.parse::<CardNumber>().ok().map(|n| n.digits());
    Ok(app.store.office_children(institution, query, number.as_deref()).await?)
}

/// A child as the office sees it: cards and orders, if the child is the office's.
#[derive(Clone, Debug)]
pub struct ChildAtOffice {
    pub child: ChildRow,
    /// Newest first.
    pub cards: Vec<CardRow>,
    pub orders: Vec<CardOrderView>,
}

pub async fn child(
    app: &App,
    actor: &Actor,
    institution: &InstitutionId,
    child_id: &ChildId,
) -> Result<ChildAtOffice, Refusal> {
    authorize(app, actor, institution, Action::BlockCard).await?;
    let child = app.store.child(child_id).await?.ok_or(Refusal::NotFound)?;
    if !child.institutions().iter().any(|i| i == institution) {
        return Err(Refusal::Forbidden(Denied::NotAllowed));
    }
    let mut cards = app.store.cards_of_child(child_id).await?;
    cards.reverse();
    let orders = cards::orders_of(app, child_id).await?;
    Ok(ChildAtOffice { child, cards, orders })
}

/// Blocks a card at the desk, on request.
pub async fn block(
    app: &App,
    actor: &Actor,
    institution: &InstitutionId,
    child_id: &ChildId,
    card_id: &CardId,
) -> Result<(), CardError> {
    child(app, actor, institution, child_id).await?;
    authorize_child(app, actor, Action::BlockCard, child_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let card =
        tx.card(card_id).await?.filter(|c| c.child_id.as_ref() == Some(child_id)).ok_or(CardError::UnknownCard)?;
    cards::block_in(&mut tx, actor, child_id, &card, "at the office, on request", now).await?;
    tx.commit().await?;
    Ok(())
}

/// Activates at the desk: the same rules and limits as at home.
pub async fn activate(
    app: &App,
    actor: &Actor,
    institution: &InstitutionId,
    child_id: &ChildId,
    number: &str,
    code: &str,
) -> Result<(), CardError> {
    child(app, actor, institution, child_id).await?;
    cards::activate(app, actor, child_id, number, code).await
}
