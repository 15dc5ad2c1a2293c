//! Finance reports (issue 19.3): for a Danish day or month, the money in
//! (deposits per provider and method, with their fees), what each sales
//! point is owed (by sales point and by product category, with refunds and
//! voids), the payouts (card and bank), the replacement-card fees, and the
//! liability (the sum of all wallets) at the start and end with the movement
//! between. Every figure is a sum of postings on the accounts it names, so
//! finance can tie each line to the journal; `tests/reports.rs` checks that.
//!
//! Accounts are reported by kind: a kind this module does not know yet (the
//! webshop's prepaid orders, say) still shows up in [`FinanceReport::accounts`],
//! and in [`FinanceReport::unlisted_kinds`] until it gets a section of its own.
//! Shown at `/admin/reports` and by `saldo report`.

mod csv;
mod text;

use std::collections::BTreeMap;

use saldo_core::ids::SalesPointId;
use saldo_core::period::Period;
use saldo_core::rights::{authorize, Action, Denied, Target};
use saldo_core::Money;
use saldo_store::{AccountMovement, StoreError};

pub use csv::{journal, journal_csv, Section};

use crate::auth::{Actor, Refusal};
use crate::App;

/// The account kinds that have a section of their own in the report.
pub const REPORTED_KINDS: [&str; 6] =
    ["provider_clearing", "sales", "orders", "fees", "payouts_due", "migration_opening"];

/// Deposits through one provider, paid one way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepositLine {
    pub provider: String,
    /// `one_off` (on the portal) or `top_up` (an agreement's automatic charge).
    pub method: String,
    pub payments: i64,
    /// What the provider took from the payers: credited + fees.
    pub charged: Money,
    pub fees: Money,
    /// What reached the wallets.
    pub credited: Money,
}

/// What one sales point sold, gave back, and is owed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesLine {
    pub sales_point_id: SalesPointId,
    pub sales_point: String,
    pub institution: String,
    /// Sales as rung up.
    pub gross: Money,
    /// Lines given back (negative).
    pub refunds: Money,
    /// Whole sales undone at the till (negative).
    pub voids: Money,
    /// Any other movement on the account (negative or positive).
    pub other: Money,
    /// What the municipality owes the canteen for the period.
    pub net: Money,
}

/// One product category at one sales point, as rung up (before refunds and voids).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryLine {
    pub sales_point: String,
    pub category: String,
    pub quantity: i64,
    pub amount: Money,
}

/// Money paid out to custodians through one channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayoutLine {
    /// `bank`, or the payment provider that refunded the card.
    pub channel: String,
    pub is_bank: bool,
    pub payouts: i64,
    pub amount: Money,
}

/// The replacement-card fees and the deposit fees the operator kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fees {
    pub card_fees: Money,
    pub card_fees_count: i64,
    /// Card fees given back (a cancelled order), negative.
    pub card_fees_refunded: Money,
    pub deposit_fees: Money,
    /// Every posting on the fee account.
    pub total: Money,
}

/// What the municipality holds for families.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Liability {
    pub start: Money,
    pub end: Money,
    /// end − start, by what moved it (entry kind → net on the wallets).
    pub by_kind: Vec<(String, Money)>,
}

impl Liability {
    pub fn movement(&self) -> Money {
        Money::from_ore(self.end.ore() - self.start.ore())
    }
}

/// One kind of account: the net of its postings per entry kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindLine {
    pub account_kind: String,
    pub by_entry_kind: Vec<(String, Money)>,
    pub net: Money,
}

/// The webshop's prepaid orders at one sales point: paid into its orders
/// account, then cancelled back to the wallet or handed out (moved to its
/// sales); what is left is held for orders not yet collected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopLine {
    pub sales_point_id: SalesPointId,
    pub sales_point: String,
    pub institution: String,
    /// Paid for in the period (positive).
    pub ordered: Money,
    /// Cancelled before the deadline, or refunded when not collected (negative).
    pub cancelled: Money,
    /// Handed out, so now the sales point's revenue (negative).
    pub handed_out: Money,
    /// The change in what the orders account holds over the period.
    pub held: Money,
}

/// Sales (net, after refunds and voids) on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySales {
    pub day: jiff::civil::Date,
    pub net: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinanceReport {
    pub period: Period,
    pub deposits: Vec<DepositLine>,
    pub sales: Vec<SalesLine>,
    /// The webshop's orders per sales point (prepaid, not yet revenue).
    pub shop: Vec<ShopLine>,
    pub categories: Vec<CategoryLine>,
    pub payouts: Vec<PayoutLine>,
    /// Payouts asked for but not yet paid or rejected: the change in what is reserved.
    pub payouts_reserved: Money,
    pub fees: Fees,
    pub liability: Liability,
    /// Every kind of account but the wallets (those are the liability).
    pub accounts: Vec<KindLine>,
    /// Net sales per day: each day of a month, or the one day.
    pub daily_sales: Vec<DaySales>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("amounts too large to add up")]
    Overflow,
    #[error("more than {0} postings: choose a shorter period or one account")]
    TooLarge(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<saldo_core::money::MoneyError> for ReportError {
    fn from(_: saldo_core::money::MoneyError) -> Self {
        ReportError::Overflow
    }
}

/// Finance reports are the operator's; everyone else is told no.
pub fn must_see_reports(actor: &Actor) -> Result<(), Refusal> {
    authorize(&actor.grants, Action::FinanceReports, &Target::default())
        .map(|_| ())
        .map_err(|_| Refusal::Forbidden(Denied::NotAllowed))
}

/// The report for the operator.
pub async fn for_operator(app: &App, actor: &Actor, period: Period) -> Result<FinanceReport, ReportError> {
    must_see_reports(actor)?;
    build(app, period).await
}

/// The report itself (the command line has no actor).
pub async fn build(app: &App, period: Period) -> Result<FinanceReport, ReportError> {
    let (from, to) = micros(period);
    let movements = app.store.account_movements(from, to).await?;
    let deposits = app.store.deposit_totals(from, to).await?;
    let names = app.store.sales_points().await?;
    let name_of = |id: &str| {
        names.iter().find(|(sp, _, _)| sp.as_str() == id).map(|(_, n, i)| (n.clone(), i.clone())).unwrap_or_default()
    };
    let categories = app
        .store
        .category_sales(from, to)
        .await?
        .into_iter()
        .map(|c| CategoryLine {
            sales_point: name_of(&c.sales_point_id).0,
            category: c.category,
            quantity: c.quantity,
            amount: Money::from_ore(c.amount_ore),
        })
        .collect();
    let sales = sales_lines(&movements, &name_of)?;
    let shop = shop_lines(&movements, &name_of)?;
    let liability = liability(app, from, to).await?;
    let mut daily_sales = Vec::new();
    for day in period.days() {
        let (a, b) = micros(Period::Day(day));
        daily_sales.push(DaySales { day, net: Money::from_ore(app.store.net_sales(a, b).await?) });
    }
    Ok(FinanceReport {
        period,
        deposits: deposits
            .into_iter()
            .map(|d| DepositLine {
                provider: d.account_id.trim_start_matches("provider_clearing:").to_owned(),
                method: d.method,
                payments: d.payments,
                charged: Money::from_ore(d.charged_ore),
                fees: Money::from_ore(d.fees_ore),
                credited: Money::from_ore(d.charged_ore - d.fees_ore),
            })
            .collect(),
        sales,
        shop,
        categories,
        payouts: payout_lines(&movements),
        payouts_reserved: Money::sum(net_of(&movements, "payouts_due", None))?,
        fees: fees(&movements)?,
        liability,
        accounts: kind_lines(&movements)?,
        daily_sales,
    })
}

impl FinanceReport {
    /// Account kinds in the ledger that have no section of their own (yet):
    /// shown as they are, so nothing that moved money is left out.
    pub fn unlisted_kinds(&self) -> Vec<&KindLine> {
        self.accounts.iter().filter(|k| !REPORTED_KINDS.contains(&k.account_kind.as_str())).collect()
    }

    pub fn total_sales(&self) -> Result<Money, ReportError> {
        Ok(Money::sum(self.sales.iter().map(|s| s.net))?)
    }
}

fn micros(period: Period) -> (i64, i64) {
    let (from, to) = period.bounds();
    (from.as_microsecond(), to.as_microsecond())
}

/// The amounts on accounts of `kind`, optionally only from entries of `entry_kind`.
fn net_of<'a>(
    movements: &'a [AccountMovement],
    kind: &'a str,
    entry_kind: Option<&'a str>,
) -> impl Iterator<Item = Money> + 'a {
    movements
        .iter()
        .filter(move |m| m.account_kind == kind && entry_kind.is_none_or(|e| m.entry_kind == e))
        .map(|m| Money::from_ore(m.amount_ore))
}

fn sales_lines(
    movements: &[AccountMovement],
    name_of: &dyn Fn(&str) -> (String, String),
) -> Result<Vec<SalesLine>, ReportError> {
    let mut by_account: BTreeMap<&str, SalesLine> = BTreeMap::new();
    for m in movements.iter().filter(|m| m.account_kind == "sales") {
        let id = m.account_id.trim_start_matches("sales:");
        let line = by_account.entry(m.account_id.as_str()).or_insert_with(|| {
            let (sales_point, institution) = name_of(id);
            SalesLine {
                sales_point_id: SalesPointId::new(id),
                sales_point,
                institution,
                gross: Money::ZERO,
                refunds: Money::ZERO,
                voids: Money::ZERO,
                other: Money::ZERO,
                net: Money::ZERO,
            }
        });
        let amount = Money::from_ore(m.amount_ore);
        let slot = match m.entry_kind.as_str() {
            "purchase" => &mut line.gross,
            "refund" => &mut line.refunds,
            "reversal" => &mut line.voids,
            _ => &mut line.other,
        };
        *slot = slot.checked_add(amount)?;
        line.net = line.net.checked_add(amount)?;
    }
    let mut lines: Vec<SalesLine> = by_account.into_values().collect();
    lines.sort_by(|a, b| (&a.institution, &a.sales_point).cmp(&(&b.institution, &b.sales_point)));
    Ok(lines)
}

fn shop_lines(
    movements: &[AccountMovement],
    name_of: &dyn Fn(&str) -> (String, String),
) -> Result<Vec<ShopLine>, ReportError> {
    let mut by_account: BTreeMap<&str, ShopLine> = BTreeMap::new();
    for m in movements.iter().filter(|m| m.account_kind == "orders") {
        let id = m.account_id.trim_start_matches("orders:");
        let line = by_account.entry(m.account_id.as_str()).or_insert_with(|| {
            let (sales_point, institution) = name_of(id);
            ShopLine {
                sales_point_id: SalesPointId::new(id),
                sales_point,
                institution,
                ordered: Money::ZERO,
                cancelled: Money::ZERO,
                handed_out: Money::ZERO,
                held: Money::ZERO,
            }
        });
        let amount = Money::from_ore(m.amount_ore);
        let slot = match m.entry_kind.as_str() {
            "shop_order" => &mut line.ordered,
            "hand_out" => &mut line.handed_out,
            // Cancels, and uncollected orders refunded after their day.
            _ => &mut line.cancelled,
        };
        *slot = slot.checked_add(amount)?;
        line.held = line.held.checked_add(amount)?;
    }
    let mut lines: Vec<ShopLine> = by_account.into_values().collect();
    lines.sort_by(|a, b| (&a.institution, &a.sales_point).cmp(&(&b.institution, &b.sales_point)));
    Ok(lines)
}

/// Payouts leave through a clearing account: the bank's, or the provider that refunds the card.
fn payout_lines(movements: &[AccountMovement]) -> Vec<PayoutLine> {
    movements
        .iter()
        .filter(|m| m.account_kind == "provider_clearing" && m.entry_kind == "withdrawal")
        .map(|m| {
            let channel = m.account_id.trim_start_matches("provider_clearing:").to_owned();
            PayoutLine {
                is_bank: channel == "bank",
                channel,
                payouts: m.postings,
                amount: Money::from_ore(m.amount_ore),
            }
        })
        .collect()
}

fn fees(movements: &[AccountMovement]) -> Result<Fees, ReportError> {
    let card_fees_count =
        movements.iter().filter(|m| m.account_kind == "fees" && m.entry_kind == "card_fee").map(|m| m.postings).sum();
    Ok(Fees {
        card_fees: Money::sum(net_of(movements, "fees", Some("card_fee")))?,
        card_fees_count,
        card_fees_refunded: Money::sum(net_of(movements, "fees", Some("reversal")))?,
        deposit_fees: Money::sum(net_of(movements, "fees", Some("deposit")))?,
        total: Money::sum(net_of(movements, "fees", None))?,
    })
}

fn kind_lines(movements: &[AccountMovement]) -> Result<Vec<KindLine>, ReportError> {
    let mut kinds: BTreeMap<&str, BTreeMap<&str, Money>> = BTreeMap::new();
    for m in movements {
        let slot =
            kinds.entry(m.account_kind.as_str()).or_default().entry(m.entry_kind.as_str()).or_insert(Money::ZERO);
        *slot = slot.checked_add(Money::from_ore(m.amount_ore))?;
    }
    kinds
        .into_iter()
        .map(|(kind, entries)| {
            let net = Money::sum(entries.values().copied())?;
            Ok(KindLine {
                account_kind: kind.to_owned(),
                by_entry_kind: entries.into_iter().map(|(e, m)| (e.to_owned(), m)).collect(),
                net,
            })
        })
        .collect()
}

async fn liability(app: &App, from: i64, to: i64) -> Result<Liability, ReportError> {
    let start = Money::from_ore(app.store.liability_at(from).await?);
    let end = Money::from_ore(app.store.liability_at(to).await?);
    let by_kind =
        app.store.wallet_movements(from, to).await?.into_iter().map(|(k, ore)| (k, Money::from_ore(ore))).collect();
    Ok(Liability { start, end, by_kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(kind: &str, account: &str, entry: &str, ore: i64) -> AccountMovement {
        AccountMovement {
            account_kind: kind.into(),
            account_id: account.into(),
            entry_kind: entry.into(),
            amount_ore: ore,
            postings: 1,
        }
    }

    /// An account kind the report has no section for (one added later) still
    /// shows as it is, never dropped.
    #[test]
    fn an_account_kind_the_report_does_not_know_still_shows_with_its_movements() {
        let movements = [
            moved("sales", "sales:sp1", "purchase", 2_000),
            moved("sales", "sales:sp1", "refund", -500),
            moved("shop_orders", "shop_orders:sp1", "order", 4_500),
            moved("shop_orders", "shop_orders:sp1", "handed_out", -4_000),
        ];
        let accounts = kind_lines(&movements).unwrap();
        let report = FinanceReport {
            period: Period::Day(jiff::civil::date(2026, 11, 5)),
            deposits: vec![],
            sales: sales_lines(&movements, &|_| ("Kantinen".into(), "Skolen".into())).unwrap(),
            shop: vec![],
            categories: vec![],
            payouts: payout_lines(&movements),
            payouts_reserved: Money::ZERO,
            fees: fees(&movements).unwrap(),
            liability: Liability::default(),
            accounts,
            daily_sales: vec![],
        };
        let unlisted = report.unlisted_kinds();
        assert_eq!(unlisted.len(), 1);
        assert_eq!(unlisted[0].account_kind, "shop_orders");
        assert_eq!(unlisted[0].net, Money::from_ore(500), "prepaid, not yet handed out");
        assert_eq!(report.sales[0].net, Money::from_ore(1_500));
        assert!(report.text().contains("Other accounts: shop_orders"));
        assert!(report.csv(Section::Accounts).contains("shop_orders;handed_out;-40,00"));
    }
}
