//! The webshop's mails: the receipt for a paid basket, written into the
//! outbox in the basket's transaction.

use jiff::civil::Date;
use saldo_core::Money;
use saldo_store::{StoreError, Tx};

use crate::auth::Actor;
use crate::mail::shop_receipt;
use crate::outbox::queue_mail;
use crate::texts::{Lang, Texts};
use crate::App;

/// Queues the receipt to the custodian who paid, if they have an address.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn queue_receipt(
    tx: &mut Tx,
    app: &App,
    actor: &Actor,
    child: &str,
    basket: &str,
    lines: &[(Date, String, i64, Money)],
    total: Money,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let Some(person) = app.store.person(&actor.person_id).await? else { return Ok(()) };
    let Some(email) = person.email else { return Ok(()) };
    let lang = Lang::parse(&person.lang).unwrap_or_default();
    let texts = Texts::new(lang);
    let text: Vec<String> = lines
        .iter()
        .map(|(day, name, quantity, amount)| {
            format!("{}: {quantity} × {name}, {}", texts.date(*day), texts.money(*amount))
        })
        .collect();
    let policy = texts.get("shop-uncollected-mail").to_owned();
    let mail = shop_receipt(&email, child, &text.join("\n"), total, &policy, lang.code());
    queue_mail(tx, &mail, now).await?;
    tracing::debug!(basket, "shop receipt queued");
    Ok(())
}

/// Tells the custodian behind a standing order that a day was skipped for
/// want of money (the first time only: the caller marks it).
pub(crate) async fn queue_standing_skipped(
    tx: &mut Tx,
    app: &App,
    order: &saldo_store::StandingOrderRow,
    day: Date,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let Some(person) = app.store.person(&order.person_id).await? else { return Ok(()) };
    let Some(email) = person.email else { return Ok(()) };
    let child = tx.child(&order.child_id).await?.map(|c| c.first_name).unwrap_or_default();
    let lang = Lang::parse(&person.lang).unwrap_or_default();
    let mail = crate::mail::standing_skipped(&email, &child, &Texts::new(lang).date(day), lang.code());
    queue_mail(tx, &mail, now).await
}
