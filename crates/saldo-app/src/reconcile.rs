//! Reconciliation for finance (afstemning): per provider and Danish day,
//! what the provider confirmed taking against what the wallets were
//! credited (and the fees kept), and every payment that is pending,
//! mismatched or refunded, with the provider's id and its callbacks.
//! Shown at `/admin/payments` and by `saldo reconcile --date`.

use saldo_core::rights::{authorize, Action, Denied, Target};
use saldo_store::{PaymentEventRow, ReconcileRow, StoreError};
pub use saldo_store::{PaymentKind, Settlement};

use crate::auth::{Actor, Refusal};
use crate::App;

/// One provider's day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderDay {
    pub provider: String,
    /// Deposits the provider confirmed that day, and what it said it took.
    pub confirmed: i64,
    pub confirmed_ore: i64,
    /// What those deposits put in the wallets, and what the operator kept as fees.
    pub credited_ore: i64,
    pub fees_ore: i64,
    pub pending: Vec<PaymentLine>,
    pub mismatched: Vec<PaymentLine>,
    pub refunded: Vec<PaymentLine>,
}

impl ProviderDay {
    /// Whether the provider's money and the ledger agree to the øre.
    pub fn balances(&self) -> bool {
        self.confirmed_ore == self.credited_ore + self.fees_ore && self.mismatched.is_empty()
    }
}

/// One payment worth a look, with its callbacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentLine {
    pub row: ReconcileRow,
    pub events: Vec<PaymentEventRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub date: String,
    pub providers: Vec<ProviderDay>,
    /// Callbacks refused that day (forged, tampered, or misaddressed).
    pub refused: Vec<PaymentEventRow>,
}

impl Report {
    pub fn balances(&self) -> bool {
        self.providers.iter().all(ProviderDay::balances)
    }

    /// The report as plain text, for the command line.
    pub fn text(&self) -> String {
        let kr = |ore: i64| format!("{}.{:02}", ore / 100, (ore % 100).abs());
        let mut out = format!("Reconciliation for {}\n", self.date);
        if self.providers.is_empty() {
            out.push_str("No payments.\n");
        }
        for p in &self.providers {
            out.push_str(&format!(
                "\n{}: {} confirmed, provider {} DKK, wallets {} DKK + fees {} DKK: {}\n",
                p.provider,
                p.confirmed,
                kr(p.confirmed_ore),
                kr(p.credited_ore),
                kr(p.fees_ore),
                if p.balances() { "balances" } else { "DOES NOT BALANCE" }
            ));
            for (what, lines) in [("pending", &p.pending), ("mismatched", &p.mismatched), ("refunded", &p.refunded)] {
                for line in lines.iter() {
                    let r = &line.row;
                    out.push_str(&format!(
                        "  {what}: {} {} {} asked {} DKK, provider took {}, credited {} DKK, refunded {} DKK, {} callbacks\n",
                        r.payment_id,
                        r.provider_ref.as_deref().unwrap_or("-"),
                        r.status.as_str(),
                        kr(r.amount_ore + r.fee_ore),
                        r.captured_ore.map_or("-".to_owned(), |c| format!("{} DKK", kr(c))),
                        kr(r.credited_ore),
                        kr(r.refunded_ore),
                        line.events.len()
                    ));
                }
            }
        }
        if !self.refused.is_empty() {
            out.push_str(&format!("\n{} refused callbacks:\n", self.refused.len()));
            for e in &self.refused {
                out.push_str(&format!("  {} {}\n", e.provider, e.detail));
            }
        }
        out
    }
}

/// The operator's report for a Danish calendar day.
pub async fn for_operator(app: &App, actor: &Actor, date: jiff::civil::Date) -> Result<Report, Refusal> {
    match authorize(&actor.grants, Action::ApproveWithdrawal, &Target::default()) {
        Ok(_) => {}
        Err(Denied::NotYours) => return Err(Refusal::NotFound),
        Err(denied) => return Err(Refusal::Forbidden(denied)),
    }
    Ok(day(app, date).await?)
}

/// The report for a Danish calendar day (the command line has no actor).
pub async fn day(app: &App, date: jiff::civil::Date) -> Result<Report, StoreError> {
    let tz = saldo_core::day::local_tz();
    let bounds = |d: jiff::civil::Date| {
        d.to_zoned(tz.clone()).map(|z| z.timestamp().as_microsecond()).map_err(|e| StoreError::Corrupt(e.to_string()))
    };
    let from = bounds(date)?;
    let to = bounds(date.tomorrow().map_err(|e| StoreError::Corrupt(e.to_string()))?)?;
    let rows = app.store.payments_to_reconcile(from, to).await?;
    let mut providers: Vec<ProviderDay> = Vec::new();
    for row in rows {
        if providers.last().is_none_or(|p| p.provider != row.provider) {
            providers.push(ProviderDay { provider: row.provider.clone(), ..ProviderDay::default() });
        }
        let Some(day) = providers.last_mut() else { continue };
        let decided_today = row.decided_at.is_some_and(|at| at >= from && at < to);
        let asked = row.amount_ore + row.fee_ore;
        let credited = row.status == Settlement::Credited;
        let mismatched = credited
            && (row.captured_ore != Some(asked) || row.credited_ore != row.amount_ore || row.entry_id.is_none());
        if credited && decided_today {
            day.confirmed += 1;
            day.confirmed_ore += row.captured_ore.unwrap_or(0);
            day.credited_ore += row.credited_ore;
            day.fees_ore += row.fee_ore;
        }
        let events = match &row.provider_ref {
            Some(provider_ref) => app.store.payment_events(&row.provider, provider_ref).await?,
            None => Vec::new(),
        };
        let line = PaymentLine { row, events };
        if line.row.status == Settlement::Pending {
            day.pending.push(line);
        } else if mismatched {
            day.mismatched.push(line);
        } else if line.row.refunded_ore > 0 {
            day.refunded.push(line);
        }
    }
    let refused = app.store.refused_payment_events(from, to).await?;
    Ok(Report { date: date.to_string(), providers, refused })
}
