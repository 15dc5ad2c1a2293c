//! What the faces show, owned by the app. The store's rows stay behind
//! this line: a saved card's provider token, a refund's idempotency key or
//! an entry's kind as stored text never reach a page.

use saldo_core::ids::{AgreementId, CardOrderId, WithdrawalId};
use saldo_core::ledger::EntryKind;
use saldo_core::{ChildId, Money, PersonId};
use saldo_store::{StoreError, WithdrawalRow};

use saldo_core::lifecycle::OrderState;

/// A top-up agreement on a child, as its page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementView {
    pub id: AgreementId,
    pub person_id: PersonId,
    pub owner_name: String,
    pub threshold: Money,
    pub amount: Money,
    pub active: bool,
    /// The saved card behind it, if the provider told us what it is.
    pub card: Option<CardOnFile>,
}

/// A saved card as its owner may see it: the last digits and when it runs out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardOnFile {
    pub last4: String,
    /// As printed on the card: `12/2031`.
    pub expires: String,
    /// It runs out within the notice period (or has run out).
    pub expiring: bool,
}

impl AgreementView {
    pub(crate) fn new(a: saldo_store::Agreement, expiry_cutoff: &str) -> AgreementView {
        let card = a.card.map(|card| CardOnFile {
            expires: card_month(&card),
            expiring: card_expires_soon(&card, expiry_cutoff),
            last4: card.last4,
        });
        AgreementView {
            id: a.id,
            person_id: a.person_id,
            owner_name: a.owner_name,
            threshold: a.threshold,
            amount: a.amount,
            active: a.active,
            card,
        }
    }
}

/// A card's expiry as printed on it: `12/2031`.
pub fn card_month(card: &saldo_store::SavedCard) -> String {
    card.expires.split_once('-').map(|(y, m)| format!("{m}/{y}")).unwrap_or_default()
}

/// Whether the saved card behind an agreement expires soon (or has expired).
pub fn card_expires_soon(card: &saldo_store::SavedCard, cutoff: &str) -> bool {
    card.expires.as_str() <= cutoff
}

/// One line of a wallet's statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    pub seq: i64,
    /// Microseconds since the epoch.
    pub at: i64,
    pub kind: EntryKind,
    pub amount: Money,
    pub balance_after: Money,
    /// Where it happened (a sales point), if anywhere.
    pub place: Option<String>,
    /// The card that paid, if one did.
    pub card_number: Option<String>,
    /// What was bought: name, quantity, amount.
    pub lines: Vec<(String, i64, Money)>,
    /// A payout the operator has not yet approved (the money is set aside).
    pub awaiting_approval: bool,
    /// Webshop orders: a basket's dishes and what became of each, or the order a cancel gave back.
    pub shop: Vec<saldo_store::ShopLine>,
}

impl TryFrom<saldo_store::StatementLine> for StatementLine {
    type Error = StoreError;

    fn try_from(l: saldo_store::StatementLine) -> Result<StatementLine, StoreError> {
        let kind = EntryKind::parse(&l.kind).ok_or_else(|| StoreError::Corrupt(format!("entry kind {:?}", l.kind)))?;
        Ok(StatementLine {
            seq: l.seq,
            at: l.at,
            kind,
            amount: l.amount,
            balance_after: l.balance_after,
            place: l.place,
            card_number: l.card_number,
            lines: l.lines,
            awaiting_approval: false,
            shop: l.shop,
        })
    }
}

/// A replacement-card order, as the family and the office follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardOrderView {
    pub id: CardOrderId,
    pub child_id: ChildId,
    pub child_name: String,
    pub office_name: String,
    pub state: OrderState,
    /// The card set aside for it, once there is one.
    pub card_number: Option<String>,
    /// The office has a card for it in stock.
    pub ready: bool,
    pub created_at: i64,
}

impl From<saldo_store::CardOrderRow> for CardOrderView {
    fn from(o: saldo_store::CardOrderRow) -> CardOrderView {
        CardOrderView {
            id: o.id,
            child_id: o.child_id,
            child_name: o.child_name,
            office_name: o.office_name,
            state: o.state,
            card_number: o.card_number,
            ready: o.ready,
            created_at: o.created_at,
        }
    }
}

/// A relative of a child.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelativeView {
    pub person_id: PersonId,
    pub name: String,
    pub email: Option<String>,
}

impl From<saldo_store::RelativeRow> for RelativeView {
    fn from(r: saldo_store::RelativeRow) -> RelativeView {
        RelativeView { person_id: r.person_id, name: r.name, email: r.email }
    }
}

/// An invitation that is sent and not yet answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingInvitation {
    pub id: String,
    pub email: String,
}

impl From<saldo_store::Invitation> for PendingInvitation {
    fn from(i: saldo_store::Invitation) -> PendingInvitation {
        PendingInvitation { id: i.id, email: i.email }
    }
}

/// A payout's refund to a card that the operator must watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundView {
    pub amount: Money,
    pub child_name: String,
    pub person_name: String,
    pub created_at: i64,
}

impl From<saldo_store::PayoutRefundRow> for RefundView {
    fn from(r: saldo_store::PayoutRefundRow) -> RefundView {
        RefundView { amount: r.amount, child_name: r.child_name, person_name: r.person_name, created_at: r.created_at }
    }
}

/// A payout, waiting for the operator's decision or approved for the bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayoutView {
    pub id: WithdrawalId,
    pub amount: Money,
    pub child_name: String,
    pub person_name: String,
    /// `None`: back to the cards paid in with.
    pub bank_account: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl From<WithdrawalRow> for PayoutView {
    fn from(w: WithdrawalRow) -> PayoutView {
        PayoutView {
            id: w.id,
            amount: w.amount,
            child_name: w.child_name,
            person_name: w.person_name,
            bank_account: w.bank_account,
            created_at: w.created_at,
            decided_at: w.decided_at,
        }
    }
}
