//! konti.csv: balances and daily limits. A balance arrives as a migration
//! entry for what it differs from what earlier imports carried over.

use saldo_core::ids::WalletId;
use saldo_core::Money;
use saldo_store::{ExistingData, ExistingWallet};

use super::{missing, money_text, Children, Counter, Diffed, Migration, Plan};
use crate::import::rows::{Account, Export, ACCOUNTS, CHILDREN};
use crate::import::ImportError;

pub(super) fn plan(
    c: &mut Counter<'_>,
    export: &mut Export,
    existing: &ExistingData,
    children: &Children<'_>,
) -> Result<(), ImportError> {
    let known_children = export.numbers_in(CHILDREN);
    let account_rows = std::mem::take(&mut export.accounts);
    let mut imported_total = Money::ZERO;
    for a in &account_rows {
        let log = export.log(ACCOUNTS);
        let line = log.line(a.row);
        let Some((_, wallet_id, wallet)) = children.get(&a.child) else {
            log.reject(a.row, missing("BarnNr", &a.child, CHILDREN, &known_children));
            continue;
        };
        let migrated = existing.migrated.get(wallet_id.as_str()).copied().unwrap_or(Money::ZERO);
        let delta = a.balance.checked_sub(migrated).map_err(|_| ImportError::TooMuchMoney)?;
        if let Some(w) = wallet.filter(|_| delta != Money::ZERO) {
            if let Some(reason) = refused_correction(w, a, delta)? {
                log.reject(a.row, reason);
                continue;
            }
        }
        let diff = |w: &ExistingWallet, plan: &mut Plan| changes(w, a, wallet_id, migrated, delta, plan);
        let created = matches!(c.diff_and_count(ACCOUNTS, line, &a.child, *wallet, diff), Diffed::Created);
        if created && delta.is_positive() {
            let opening = Migration { wallet_id: wallet_id.clone(), child_no: a.child.clone(), delta, opening: true };
            c.plan.migrations.push(opening);
        }
        imported_total = imported_total.checked_add(a.balance).map_err(|_| ImportError::TooMuchMoney)?;
    }
    export.accounts = account_rows;
    c.plan.imported_total = imported_total;
    c.plan.export_wallets = children.values().map(|(_, wallet, _)| wallet.clone()).collect();
    c.plan.export_wallets.sort();
    Ok(())
}

/// Why a changed balance cannot be carried over to a wallet already in Saldo:
/// it is closed, or the difference would take it below zero.
fn refused_correction(w: &ExistingWallet, a: &Account, delta: Money) -> Result<Option<String>, ImportError> {
    if !w.open {
        return Ok(Some(format!("the wallet of {} is closed in Saldo; its balance is not changed", a.child)));
    }
    let after = w.balance.checked_add(delta).map_err(|_| ImportError::TooMuchMoney)?;
    if !after.is_negative() {
        return Ok(None);
    }
    Ok(Some(format!(
        "the balance is {} lower than imported before, but the wallet holds only {} now",
        delta.checked_neg().unwrap_or(delta).display_da(),
        w.balance.display_da()
    )))
}

/// What differs from the wallet in Saldo, with the correcting entry and the
/// new daily limit noted in the plan.
fn changes(
    w: &ExistingWallet,
    a: &Account,
    wallet_id: &WalletId,
    migrated: Money,
    delta: Money,
    plan: &mut Plan,
) -> Vec<String> {
    let mut what = Vec::new();
    if delta != Money::ZERO {
        what.push(format!("balance {} → {}", migrated.display_da(), a.balance.display_da()));
        plan.migrations.push(Migration {
            wallet_id: wallet_id.to_owned(),
            child_no: a.child.clone(),
            delta,
            opening: migrated == Money::ZERO,
        });
    }
    if w.daily_limit != a.daily_limit {
        what.push(format!("daily limit {} → {}", money_text(w.daily_limit), money_text(a.daily_limit)));
        plan.limit_updates.push((wallet_id.to_owned(), a.daily_limit));
    }
    what
}
