//! A month of history for the demo, so the finance reports show something
//! on the first visit: on each school day of the last 30, lunch at the
//! canteens and a snack at the club's kiosk; deposits through the sandbox
//! when a balance runs low (a fee on some); a replacement card's fee; one
//! bank payout. Everything goes through the same entries, rows and guards
//! as the real flows (deposit and sandbox rows behind every deposit, the
//! purchase and its lines behind every sale), so `saldo verify` holds.
//! One transaction, written after the seed.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use saldo_core::ids::{CardId, ChildId, DepositId, EntryId, PersonId, SalesPointId, WalletId, WithdrawalId};
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::lifecycle::{DepositStatus, WithdrawalStatus};
use saldo_core::{CardState, Money};
use saldo_store::{
    new_id, EntryMeta, NewDeposit, NewPurchaseLine, NewWithdrawal, PostError, ProductRow, SaleRecord, StoreError, Tx,
};

use crate::App;

/// Days of history before today.
const DAYS: i64 = 30;

/// The custodian of the seed's first family, whose children the history leaves alone.
const TOUR_FAMILY: &str = "mette.nielsen@example.dk";

/// A Monday's deposit when the balance is below this, as parents top up for the week.
const TOP_UP_BELOW: Money = Money::kr(150);

/// A child as the history needs them.
struct Shopper {
    child_id: ChildId,
    wallet_id: WalletId,
    card_id: CardId,
    custodian: PersonId,
    canteen: SalesPointId,
    in_club: bool,
    balance: Money,
}

/// A sales point's first till and its menu.
struct Counter {
    till: saldo_core::ids::TillId,
    menu: Vec<ProductRow>,
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Writes the month; the children's balances end where the history leaves them.
pub async fn add(app: &App) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    let now = app.now();
    let tills = app.store.tills().await?;
    let mut counters: HashMap<SalesPointId, Counter> = HashMap::new();
    for till in tills {
        if !counters.contains_key(&till.sales_point_id) {
            // No sweets in the history: a parent may have blocked them, and the till would have refused.
            let menu = app
                .store
                .active_products(&till.sales_point_id)
                .await?
                .into_iter()
                .filter(|p| p.category != "slik")
                .collect();
            counters.insert(till.sales_point_id.clone(), Counter { till: till.id, menu });
        }
    }
    let mut tx = app.store.begin().await?;
    let mut shoppers = shoppers(&mut tx, &app.store.tills().await?).await?;
    let kiosk = counters.keys().find(|sp| !shoppers.iter().any(|s| s.canteen == **sp)).cloned();
    let mut rng = StdRng::seed_from_u64(1912);
    let today = saldo_core::day::local_day(now);
    for back in (1..=DAYS).rev() {
        let day = today.checked_sub(jiff::Span::new().days(back)).map_err(corrupt)?;
        if matches!(day.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday) {
            continue;
        }
        let noon = day.at(11, 30, 0, 0).to_zoned(saldo_core::day::local_tz()).map_err(corrupt)?.timestamp();
        for (i, shopper) in shoppers.iter_mut().enumerate() {
            let at = noon + jiff::SignedDuration::from_secs(i as i64 * 40);
            // Every fourth family forgets to top up: some children run low, as at any till.
            let tops_up = i % 4 != 3;
            if tops_up && shopper.balance < TOP_UP_BELOW && day.weekday() == jiff::civil::Weekday::Monday {
                let fee = if i % 3 == 0 { Money::from_ore(150) } else { Money::ZERO };
                deposit(&mut tx, shopper, Money::kr(200), fee, at - jiff::SignedDuration::from_hours(4)).await?;
            }
            if rng.gen_bool(0.8) {
                let canteen = shopper.canteen.clone();
                buy(&mut tx, &mut rng, shopper, &canteen, &counters, day, at).await?;
            }
            if let (true, Some(kiosk)) = (shopper.in_club && rng.gen_bool(0.5), &kiosk) {
                let later = at + jiff::SignedDuration::from_hours(3);
                buy(&mut tx, &mut rng, shopper, kiosk, &counters, day, later).await?;
            }
        }
    }
    let week_ago = now - jiff::SignedDuration::from_hours(24 * 7);
    if let Some(shopper) = shoppers.iter_mut().find(|s| s.balance >= Money::kr(50)) {
        replacement_fee(&mut tx, shopper, week_ago).await?;
    }
    if let Some(shopper) = shoppers.iter_mut().rev().find(|s| s.balance >= Money::kr(50)) {
        bank_payout(&mut tx, shopper, Money::kr(40), week_ago).await?;
    }
    tx.audit("demo", "demo.history", "demo", &format!("{DAYS} days of sales and deposits"), "cli", now).await?;
    tx.commit().await?;
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "the demo's month of history written");
    Ok(())
}

/// Every child with an active card, the canteen of their school, and a custodian.
async fn shoppers(tx: &mut Tx, tills: &[saldo_store::TillRow]) -> Result<Vec<Shopper>, StoreError> {
    let data = tx.existing_data().await?;
    let mut out = Vec::new();
    for child in &data.children {
        let card = data.cards.iter().find(|c| c.child_id.as_ref() == Some(&child.id) && c.state == CardState::Active);
        let wallet = data.wallets.iter().find(|w| w.child_id == child.id);
        let custodian = data.relations.iter().find(|(c, _, k)| c == child.id.as_str() && k == "custodian");
        let canteen = tills.iter().find(|t| Some(&t.institution_id) == child.school_id.as_ref());
        // The tour's family (Ida, 300 kr.) stays as the README and the browser tests describe it.
        let tour = custodian.is_some_and(|(_, person, _)| {
            data.people.iter().any(|p| p.id.as_str() == person && p.email.as_deref() == Some(TOUR_FAMILY))
        });
        if tour {
            continue;
        }
        if let (Some(card), Some(wallet), Some((_, person, _)), Some(canteen)) = (card, wallet, custodian, canteen) {
            out.push(Shopper {
                child_id: child.id.clone(),
                wallet_id: wallet.id.clone(),
                card_id: card.id.clone(),
                custodian: PersonId::new(person.as_str()),
                canteen: canteen.sales_point_id.clone(),
                in_club: child.club_id.is_some(),
                balance: wallet.balance,
            });
        }
    }
    Ok(out)
}

async fn post(tx: &mut Tx, entry: &Entry, meta: &EntryMeta<'_>) -> Result<EntryId, StoreError> {
    match tx.post(entry, meta).await {
        Ok(posted) => Ok(posted.entry_id),
        Err(PostError::Refused(wallet)) => Err(corrupt(format!("demo history refused by wallet {wallet}"))),
        Err(PostError::Store(e)) => Err(e),
    }
}

fn meta<'a>(memo: &'a str, at: jiff::Timestamp) -> EntryMeta<'a> {
    EntryMeta { actor: "demo", memo, at, reverses: None, spend_day: None }
}

/// A deposit as the sandbox confirms one: the deposit row, the sandbox's own record, the entry.
async fn deposit(
    tx: &mut Tx,
    s: &mut Shopper,
    amount: Money,
    fee: Money,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    let id = DepositId::new(new_id("dep"));
    let charged = amount.checked_add(fee).map_err(corrupt)?;
    let new = NewDeposit {
        id: &id,
        wallet_id: &s.wallet_id,
        child_id: &s.child_id,
        person_id: &s.custodian,
        amount,
        fee,
        provider: "sandbox",
        at,
        paid_with: None,
    };
    tx.create_deposit(&new).await?;
    let provider_ref = format!("sbx_demo_{id}");
    tx.set_deposit_provider_ref(&id, &provider_ref).await?;
    tx.record_sandbox_decision(&provider_ref, id.as_str(), charged.ore(), "approved", at).await?;
    tx.ensure_account(&AccountId::ProviderClearing("sandbox".into())).await?;
    let entry = Entry::deposit_with_fee(&s.wallet_id, "sandbox", amount, fee).map_err(corrupt)?;
    let entry_id = post(tx, &entry, &meta(&provider_ref, at)).await?;
    tx.set_deposit_captured(&id, charged.ore()).await?;
    tx.settle_deposit(&id, DepositStatus::Confirmed, Some(&entry_id), at).await?;
    s.balance = s.balance.checked_add(amount).map_err(corrupt)?;
    Ok(())
}

/// One or two things from the menu, when the balance covers them.
async fn buy(
    tx: &mut Tx,
    rng: &mut StdRng,
    s: &mut Shopper,
    sales_point: &SalesPointId,
    counters: &HashMap<SalesPointId, Counter>,
    day: jiff::civil::Date,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    let Some(counter) = counters.get(sales_point).filter(|c| !c.menu.is_empty()) else { return Ok(()) };
    let picks: Vec<&ProductRow> =
        (0..rng.gen_range(1..=2)).map(|_| &counter.menu[rng.gen_range(0..counter.menu.len())]).collect();
    let lines: Vec<NewPurchaseLine> = picks
        .iter()
        .map(|p| NewPurchaseLine {
            product_id: &p.id,
            name: &p.name,
            unit_price: p.price,
            quantity: 1,
            amount: p.price,
        })
        .collect();
    let total = Money::sum(lines.iter().map(|l| l.amount)).map_err(corrupt)?;
    if total > s.balance {
        return Ok(());
    }
    let entry = Entry::purchase(&s.wallet_id, sales_point, total).map_err(corrupt)?;
    let spend_day = day.to_string();
    let meta = EntryMeta { actor: "demo", memo: "", at, reverses: None, spend_day: Some(&spend_day) };
    let sale = SaleRecord { till_id: &counter.till, card_id: &s.card_id, lines: &lines };
    let point = tx.savepoint().await?;
    match tx.post_purchase(&entry, &meta, &sale).await {
        Ok(_) => {
            tx.release(point).await?;
            s.balance = s.balance.checked_sub(total).map_err(corrupt)?;
            Ok(())
        }
        // Over the child's daily limit: the till would have said no, and nothing of it stays.
        Err(PostError::Refused(_)) => tx.rollback_to(point).await,
        Err(PostError::Store(e)) => Err(e),
    }
}

async fn replacement_fee(tx: &mut Tx, s: &mut Shopper, at: jiff::Timestamp) -> Result<(), StoreError> {
    let entry = Entry::card_fee(&s.wallet_id, Money::kr(10)).map_err(corrupt)?;
    post(tx, &entry, &meta("erstatningskort", at)).await?;
    s.balance = s.balance.checked_sub(Money::kr(10)).map_err(corrupt)?;
    Ok(())
}

/// A custodian's payout to their bank account, reserved and then approved by the operator.
async fn bank_payout(tx: &mut Tx, s: &mut Shopper, amount: Money, at: jiff::Timestamp) -> Result<(), StoreError> {
    let reserve = post(tx, &Entry::withdrawal(&s.wallet_id, amount).map_err(corrupt)?, &meta("udbetaling", at)).await?;
    let id = WithdrawalId::new(new_id("wdr"));
    let w = NewWithdrawal {
        id: &id,
        child_id: &s.child_id,
        wallet_id: &s.wallet_id,
        person_id: &s.custodian,
        amount,
        bank: Some(("1234", "0001234567")),
        reserve_entry_id: &reserve,
        at,
    };
    tx.create_withdrawal(&w).await?;
    tx.ensure_account(&AccountId::ProviderClearing("bank".into())).await?;
    let approved = at + jiff::SignedDuration::from_hours(20);
    let paid = post(tx, &Entry::payout("bank", amount).map_err(corrupt)?, &meta("udbetaling", approved)).await?;
    tx.decide_withdrawal(&id, WithdrawalStatus::Paid, Some(&paid), "demo", approved).await?;
    s.balance = s.balance.checked_sub(amount).map_err(corrupt)?;
    Ok(())
}
