//! A sale at a till (køb): prices from the server, one transaction, one answer per key.

use crate::debit::{debit_sale, Debtor, Watch};
use saldo_core::day::day_key;
use saldo_core::ids::{EntryId, ProductId, WalletId};
use saldo_core::ledger::Entry;
use saldo_core::purchase::{decide, decide_basket, BasketItem, Decline};
use saldo_core::{CardIdentifier, Money};
use saldo_store::{
    Claim, EntryMeta, NewPurchaseLine, PostError, ProductRow, SaleRecord, StoreError, TillCard, TillRow, Tx,
};
use serde::{Deserialize, Serialize};

use crate::idempotency::{request_hash, secret_hash, IdempotencyKey};
use crate::App;

/// A basket is a handful of lines; the limits stop a broken till, not a child.
pub const MAX_LINES: usize = 50;
pub const MAX_QUANTITY: i64 = 99;

/// What the till sends: what it read off the card, and what is in the basket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseRequest {
    pub card: String,
    pub lines: Vec<LineRequest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRequest {
    pub product_id: ProductId,
    pub quantity: i64,
}

/// The answer, stored under the idempotency key and given again on a replay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PurchaseOutcome {
    Approved {
        purchase_id: EntryId,
        total: Money,
        balance: Money,
        spent_today: Money,
        first_name: String,
        /// A custodian's note for the staff (an allergy); empty when none.
        #[serde(default)]
        note: String,
    },
    Declined {
        reason: Decline,
        balance: Option<Money>,
        /// For `item_blocked`: the item the custodian has said no to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        /// A custodian's note for the staff, shown on every scan.
        #[serde(default)]
        note: String,
        /// For `daily_limit_exceeded`: what is left of today's limit, so the child can pick something else.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        left_today: Option<Money>,
    },
}

impl PurchaseOutcome {
    /// A decline before any wallet was read: no balance to tell.
    fn declined(reason: Decline, note: String) -> PurchaseOutcome {
        PurchaseOutcome::Declined { reason, balance: None, item: None, note, left_today: None }
    }
}

/// An answer, and whether it is the stored first answer to a repeated key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub outcome: PurchaseOutcome,
    pub replayed: bool,
}

/// A request that cannot be a sale. Nothing is stored for these.
#[derive(Debug, thiserror::Error)]
pub enum PurchaseError {
    #[error("the card field is neither a 16-digit card number nor a chip id")]
    UnreadableCard,
    #[error("a purchase needs at least one line")]
    NoLines,
    #[error("a purchase has at most {MAX_LINES} lines")]
    TooManyLines,
    #[error("quantity {quantity} for product {product_id} is not between 1 and {MAX_QUANTITY}")]
    BadQuantity { product_id: ProductId, quantity: i64 },
    #[error("product {0} is not sold at this till")]
    UnknownProduct(ProductId),
    #[error("the idempotency key was already used for another purchase")]
    KeyReused,
    #[error("no till holds this token")]
    UnknownTill,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Charges the card for the basket, or says why not. The balance and the day's
/// spend are guarded by one conditional write, so two tills charging the same
/// card at once can never together overspend. On SQLite the sale joins the
/// next group commit ([`crate::sale_batches`]); on PostgreSQL it is a
/// transaction of its own. Either way the till hears the answer only after
/// the commit that holds the sale is durable.
pub async fn purchase(
    app: &App,
    till: &TillRow,
    key: &IdempotencyKey,
    request: &PurchaseRequest,
) -> Result<Answer, PurchaseError> {
    check_request(request)?;
    let sale = Sale { seller: Seller::Till(till.clone()), key: key.clone(), request: request.clone() };
    let answer = sell(app, sale).await?;
    if !answer.replayed && !matches!(answer.outcome, PurchaseOutcome::Approved { .. }) {
        crate::till_declines::note(app, till, request, &answer.outcome).await;
    }
    Ok(answer)
}

/// [`purchase`] for a till known by its bearer token: the token is checked in
/// the sale's first read, with the menu, so a sale costs one round trip less.
/// An unknown token is [`PurchaseError::UnknownTill`], before anything else is checked.
pub async fn purchase_with_token(
    app: &App,
    token: &str,
    key: &IdempotencyKey,
    request: &PurchaseRequest,
) -> Result<Answer, PurchaseError> {
    if !crate::tills::plausible_token(token) {
        return Err(PurchaseError::UnknownTill);
    }
    let sale = Sale { seller: Seller::Token(secret_hash(token)), key: key.clone(), request: request.clone() };
    let answer = sell(app, sale).await?;
    // Only a decline reads the till again, after its answer is decided: approved sales keep their one round trip.
    if !answer.replayed && !matches!(answer.outcome, PurchaseOutcome::Approved { .. }) {
        if let Ok(Some(till)) = crate::tills::authenticate(app, token).await {
            crate::till_declines::note(app, &till, request, &answer.outcome).await;
        }
    }
    Ok(answer)
}

async fn sell(app: &App, sale: Sale) -> Result<Answer, PurchaseError> {
    match app.sales.group_commit() {
        true => app.sales.sell(app, sale).await,
        false => sell_alone(app, &sale).await,
    }
}

/// Who sells: a till already known, or the hash of the token a till sent.
#[derive(Clone, Debug)]
pub(crate) enum Seller {
    Till(TillRow),
    Token(String),
}

/// A sale as it waits for its transaction: who sells, under which key, what.
#[derive(Clone, Debug)]
pub(crate) struct Sale {
    pub seller: Seller,
    pub key: IdempotencyKey,
    pub request: PurchaseRequest,
}

/// The scope a till's idempotency keys live in.
fn scope(till: &TillRow) -> String {
    format!("purchase:{}", till.id)
}

/// What [`sell_in`] did in its transaction.
pub(crate) enum Sold {
    /// The sale's answer, stored under its key with its effects.
    New(PurchaseOutcome),
    /// The key was used first by another request (in `scope`): undo this
    /// one's effects, then answer with [`earlier`].
    Earlier { scope: String },
}

/// One sale in a transaction of its own (PostgreSQL, READ COMMITTED; the guards decide).
async fn sell_alone(app: &App, sale: &Sale) -> Result<Answer, PurchaseError> {
    let mut tx = app.store.begin().await?;
    match sell_in(&mut tx, app, sale).await? {
        Sold::New(outcome) => {
            tx.commit().await?;
            Ok(Answer { outcome, replayed: false })
        }
        Sold::Earlier { scope } => {
            drop(tx); // rolls the sale back
            earlier(app.store.earlier_answer(&scope, sale.key.as_str(), &request_hash(&sale.request)).await?)
        }
    }
}

/// The sale inside `tx` (a transaction, or a savepoint in a group commit):
/// price the basket, read the card and its wallet, decide, take the money,
/// and store the answer under the key, all without committing.
pub(crate) async fn sell_in(tx: &mut Tx, app: &App, sale: &Sale) -> Result<Sold, PurchaseError> {
    let now = app.now();
    let ids: Vec<&str> = sale.request.lines.iter().map(|l| l.product_id.as_str()).collect();
    let (till, products) = match &sale.seller {
        Seller::Till(till) => (till.clone(), tx.products_at(&till.sales_point_id, &ids).await?),
        // A till unknown is told so before anything about its request.
        Seller::Token(hash) => tx.till_with_products(hash, &ids).await?.ok_or(PurchaseError::UnknownTill)?,
    };
    check_request(&sale.request)?;
    let card: CardIdentifier = sale.request.card.trim().parse().map_err(|_| PurchaseError::UnreadableCard)?;
    let basket = price(&sale.request.lines, &products)?;
    let outcome = match tx.card_at_till(&card).await? {
        None => PurchaseOutcome::declined(Decline::UnknownCard, String::new()),
        Some(found) => charge(tx, app, &till, found, &basket, now).await?,
    };
    let answer = serde_json::to_string(&outcome).map_err(|e| StoreError::Corrupt(format!("purchase answer: {e}")))?;
    let status = if matches!(outcome, PurchaseOutcome::Approved { .. }) { 201 } else { 402 };
    let (scope, hash) = (scope(&till), request_hash(&sale.request));
    match tx.remember_first_answer(&scope, sale.key.as_str(), &hash, status, &answer, now).await? {
        true => Ok(Sold::New(outcome)),
        false => Ok(Sold::Earlier { scope }),
    }
}

/// The answer stored under a key that was used before.
pub(crate) fn earlier(claim: Claim) -> Result<Answer, PurchaseError> {
    match claim {
        Claim::Replay { response, .. } => {
            let outcome = serde_json::from_str(&response)
                .map_err(|e| StoreError::Corrupt(format!("stored purchase answer: {e}")))?;
            Ok(Answer { outcome, replayed: true })
        }
        Claim::Mismatch => Err(PurchaseError::KeyReused),
        // The first request's insert was seen, so its row is there: a row gone is a broken store.
        Claim::New => Err(StoreError::Corrupt("an idempotency key conflicted but holds no answer".into()).into()),
    }
}

/// The basket as the sales point prices it today.
struct Basket<'a> {
    lines: Vec<NewPurchaseLine<'a>>,
    categories: Vec<&'a str>,
    total: Money,
}

/// Prices each line from the sales point's menu; a product not sold here
/// (or hidden) refuses the whole basket.
fn price<'a>(requested: &[LineRequest], products: &'a [ProductRow]) -> Result<Basket<'a>, PurchaseError> {
    let mut lines = Vec::with_capacity(requested.len());
    let mut categories = Vec::with_capacity(requested.len());
    for line in requested {
        let product = products
            .iter()
            .find(|p| p.id == line.product_id && p.active)
            .ok_or_else(|| PurchaseError::UnknownProduct(line.product_id.clone()))?;
        let amount = product.price.checked_mul(line.quantity).map_err(|_| PurchaseError::TooManyLines)?;
        categories.push(product.category.as_str());
        lines.push(NewPurchaseLine {
            product_id: &product.id,
            name: &product.name,
            unit_price: product.price,
            quantity: line.quantity,
            amount,
        });
    }
    let total = Money::sum(lines.iter().map(|l| l.amount)).map_err(|_| PurchaseError::TooManyLines)?;
    Ok(Basket { lines, categories, total })
}

/// Decides and, when the rules allow, takes the money from the card's wallet.
async fn charge(
    tx: &mut Tx,
    app: &App,
    till: &TillRow,
    found: TillCard,
    basket: &Basket<'_>,
    now: jiff::Timestamp,
) -> Result<PurchaseOutcome, PurchaseError> {
    let (Some(wallet_id), Some(first_name), Some(child_id)) = (found.wallet_id, found.child_first_name, found.child_id)
    else {
        // A blank card not yet joined to a child's wallet.
        return Ok(PurchaseOutcome::declined(Decline::CardNotActive, String::new()));
    };
    let (day, total, note) = (day_key(now), basket.total, found.till_note);
    let items: Vec<BasketItem<'_>> = basket
        .lines
        .iter()
        .zip(&basket.categories)
        .map(|(l, category)| BasketItem { name: l.name, category })
        .collect();
    // Read with the card; the guarded write below is what decides under concurrency.
    let wallet = found.wallet;
    let balance = wallet.as_ref().map(|w| w.balance);
    let blocked = match found.blocked_categories {
        0 => Vec::new(),
        _ => tx.blocked_categories(&child_id).await?,
    };
    let Some(state) = wallet.map(|w| w.state_on(&day)) else {
        return Ok(PurchaseOutcome::declined(Decline::WalletClosed, note));
    };
    if let Err(refused) = decide_basket(found.state, &state, &items, &blocked, total) {
        let left_today = left_today(refused.reason, &state);
        return Ok(PurchaseOutcome::Declined { reason: refused.reason, balance, item: refused.item, note, left_today });
    }
    let entry = Entry::purchase(&wallet_id, &till.sales_point_id, total)
        .map_err(|e| StoreError::Corrupt(format!("purchase entry: {e}")))?;
    let actor = format!("till:{}", till.id);
    let meta = EntryMeta { actor: &actor, memo: "", at: now, reverses: None, spend_day: Some(&day) };
    let watch = Watch::Known { top_up_below: found.top_up_below, notify_below: found.notify_below };
    let debtor = Debtor { child_id: &child_id, first_name: &first_name, wallet_id: &wallet_id, watch };
    let sale = SaleRecord { till_id: &till.id, card_id: &found.card_id, lines: &basket.lines };
    let posted = match debit_sale(tx, app, &debtor, &entry, &meta, &sale).await {
        Ok(posted) => posted,
        // Another till got there first; the rule, on the wallet as it is now, says why.
        Err(PostError::Refused(_)) => return refusal(tx, &wallet_id, found.state, &day, total, note).await,
        Err(PostError::Store(e)) => return Err(e.into()),
    };
    let after = posted
        .wallet(&wallet_id)
        .cloned()
        .ok_or_else(|| StoreError::Corrupt("posted purchase without its wallet".into()))?;
    Ok(PurchaseOutcome::Approved {
        purchase_id: posted.entry_id,
        total,
        balance: after.balance,
        spent_today: after.spent_today,
        first_name,
        note,
    })
}

/// For a daily-limit decline: what is left of today's limit.
fn left_today(reason: Decline, state: &saldo_core::purchase::WalletState) -> Option<Money> {
    match (reason, state.daily_limit) {
        (Decline::DailyLimitExceeded, Some(limit)) => {
            Some(limit.checked_sub(state.spent_today).unwrap_or(Money::ZERO).max(Money::ZERO))
        }
        _ => None,
    }
}

async fn refusal(
    tx: &mut saldo_store::Tx,
    wallet_id: &WalletId,
    card: saldo_core::CardState,
    day: &str,
    total: Money,
    note: String,
) -> Result<PurchaseOutcome, PurchaseError> {
    let wallet = tx.wallet(wallet_id).await?.ok_or_else(|| StoreError::Corrupt("wallet vanished".into()))?;
    let state = wallet.state_on(day);
    let reason = decide(card, &state, total).err().unwrap_or_else(|| {
        tracing::warn!(%wallet_id, "guarded charge refused but the rule approves; declining as insufficient funds");
        Decline::InsufficientFunds
    });
    let left_today = left_today(reason, &state);
    Ok(PurchaseOutcome::Declined { reason, balance: Some(wallet.balance), item: None, note, left_today })
}

/// A request that can be a sale: a readable card, 1 to 50 lines of 1 to 99.
fn check_request(request: &PurchaseRequest) -> Result<(), PurchaseError> {
    request.card.trim().parse::<CardIdentifier>().map_err(|_| PurchaseError::UnreadableCard)?;
    check_lines(&request.lines)
}

fn check_lines(lines: &[LineRequest]) -> Result<(), PurchaseError> {
    if lines.is_empty() {
        return Err(PurchaseError::NoLines);
    }
    if lines.len() > MAX_LINES {
        return Err(PurchaseError::TooManyLines);
    }
    for line in lines {
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            return Err(PurchaseError::BadQuantity { product_id: line.product_id.clone(), quantity: line.quantity });
        }
    }
    Ok(())
}
