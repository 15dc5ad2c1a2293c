//! The finance report's sections as CSV (semicolons and decimal commas, as a
//! Danish spreadsheet opens them), and the journal export for the
//! municipality's accounting system (commas, øre and kroner with a point).
//! Every file goes through the one writer that neutralises formula cells.

use saldo_core::period::Period;
use saldo_core::Money;

use super::{must_see_reports, FinanceReport, ReportError};
use crate::auth::Actor;
use crate::csv_file::CsvFile;
use crate::App;

/// A section of the report, each its own file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Deposits,
    Sales,
    Shop,
    Categories,
    Payouts,
    Fees,
    Liability,
    Accounts,
    Daily,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Deposits,
        Section::Sales,
        Section::Shop,
        Section::Categories,
        Section::Payouts,
        Section::Fees,
        Section::Liability,
        Section::Accounts,
        Section::Daily,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Deposits => "deposits",
            Section::Sales => "sales",
            Section::Shop => "shop",
            Section::Categories => "categories",
            Section::Payouts => "payouts",
            Section::Fees => "fees",
            Section::Liability => "liability",
            Section::Accounts => "accounts",
            Section::Daily => "daily",
        }
    }

    pub fn parse(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

fn kr(m: Money) -> String {
    m.plain_da()
}

impl FinanceReport {
    /// One section as a CSV file; its first column names the period.
    pub fn csv(&self, section: Section) -> String {
        let period = self.period.to_string();
        let mut out = CsvFile::danish();
        match section {
            Section::Deposits => self.deposits_csv(&period, &mut out),
            Section::Sales => self.sales_csv(&period, &mut out),
            Section::Shop => {
                out.row([
                    "period",
                    "institution",
                    "sales_point",
                    "ordered_kr",
                    "cancelled_kr",
                    "handed_out_kr",
                    "held_kr",
                ]);
                for l in &self.shop {
                    let amounts = [kr(l.ordered), kr(l.cancelled), kr(l.handed_out), kr(l.held)];
                    out.row([
                        period.as_str(),
                        &l.institution,
                        &l.sales_point,
                        &amounts[0],
                        &amounts[1],
                        &amounts[2],
                        &amounts[3],
                    ]);
                }
            }
            Section::Categories => {
                out.row(["period", "sales_point", "category", "quantity", "amount_kr"]);
                for c in &self.categories {
                    out.row([period.as_str(), &c.sales_point, &c.category, &c.quantity.to_string(), &kr(c.amount)]);
                }
            }
            Section::Payouts => {
                out.row(["period", "channel", "method", "payouts", "amount_kr"]);
                for p in &self.payouts {
                    let method = if p.is_bank { "bank" } else { "card" };
                    out.row([period.as_str(), &p.channel, method, &p.payouts.to_string(), &kr(p.amount)]);
                }
                out.row([period.as_str(), "payouts_due", "reserved", "", &kr(self.payouts_reserved)]);
            }
            Section::Fees => self.fees_csv(&period, &mut out),
            Section::Liability => self.liability_csv(&period, &mut out),
            Section::Accounts => {
                out.row(["period", "account_kind", "entry_kind", "amount_kr"]);
                for k in &self.accounts {
                    for (entry_kind, amount) in &k.by_entry_kind {
                        out.row([period.as_str(), &k.account_kind, entry_kind, &kr(*amount)]);
                    }
                }
            }
            Section::Daily => {
                out.row(["day", "net_sales_kr"]);
                for d in &self.daily_sales {
                    out.row([d.day.to_string(), kr(d.net)]);
                }
            }
        }
        out.finish()
    }

    fn deposits_csv(&self, period: &str, out: &mut CsvFile) {
        out.row(["period", "provider", "method", "payments", "charged_kr", "fees_kr", "credited_kr"]);
        for d in &self.deposits {
            let count = d.payments.to_string();
            out.row([period, &d.provider, &d.method, &count, &kr(d.charged), &kr(d.fees), &kr(d.credited)]);
        }
    }

    fn sales_csv(&self, period: &str, out: &mut CsvFile) {
        out.row([
            "period",
            "institution",
            "sales_point",
            "sales_point_id",
            "gross_kr",
            "refunds_kr",
            "voids_kr",
            "other_kr",
            "net_kr",
        ]);
        for s in &self.sales {
            out.row([
                period,
                &s.institution,
                &s.sales_point,
                s.sales_point_id.as_str(),
                &kr(s.gross),
                &kr(s.refunds),
                &kr(s.voids),
                &kr(s.other),
                &kr(s.net),
            ]);
        }
    }

    fn fees_csv(&self, period: &str, out: &mut CsvFile) {
        let f = &self.fees;
        out.row(["period", "fee", "count", "amount_kr"]);
        out.row([period, "replacement_card", &f.card_fees_count.to_string(), &kr(f.card_fees)]);
        out.row([period, "replacement_card_refunded", "", &kr(f.card_fees_refunded)]);
        out.row([period, "deposit", "", &kr(f.deposit_fees)]);
        out.row([period, "total", "", &kr(f.total)]);
    }

    fn liability_csv(&self, period: &str, out: &mut CsvFile) {
        let l = &self.liability;
        out.row(["period", "line", "amount_kr"]);
        out.row([period, "start", &kr(l.start)]);
        for (kind, amount) in &l.by_kind {
            out.row([period, kind, &kr(*amount)]);
        }
        out.row([period, "end", &kr(l.end)]);
        out.row([period, "movement", &kr(l.movement())]);
    }
}

/// The journal for the operator: entries made in the period with all their
/// postings; with `account` (an account id, or a kind such as `sales`),
/// only the entries that touch it. The export is audited.
pub async fn journal_csv(app: &App, actor: &Actor, period: Period, account: &str) -> Result<String, ReportError> {
    must_see_reports(actor)?;
    let csv = journal(app, period, account).await?;
    let mut tx = app.store.begin().await?;
    let detail = format!("period {period}, account {account:?}");
    tx.audit(&format!("person:{}", actor.person_id), "journal_exported", "journal", &detail, &actor.source, app.now())
        .await?;
    tx.commit().await?;
    Ok(csv)
}

/// The journal export itself (the command line has no actor).
pub async fn journal(app: &App, period: Period, account: &str) -> Result<String, ReportError> {
    let (from, to) = period.bounds();
    let limit = saldo_store::MAX_JOURNAL_LINES;
    let lines = app.store.journal(from.as_microsecond(), to.as_microsecond(), account.trim(), limit + 1).await?;
    if lines.len() as i64 > limit {
        return Err(ReportError::TooLarge(limit));
    }
    let tz = saldo_core::day::local_tz();
    let mut out = CsvFile::plain();
    out.row([
        "entry_id",
        "created_at",
        "local_date",
        "entry_kind",
        "posting",
        "account_id",
        "account_kind",
        "amount_ore",
        "amount_kr",
        "reverses",
        "actor",
        "memo",
    ]);
    for l in &lines {
        let at = saldo_store::from_micros(l.created_at)?;
        let amount = Money::from_ore(l.amount_ore);
        let sign = if amount.is_negative() { "-" } else { "" };
        let abs = l.amount_ore.unsigned_abs();
        out.row([
            l.entry_id.as_str(),
            &at.to_string(),
            &at.to_zoned(tz.clone()).date().to_string(),
            &l.entry_kind,
            &l.seq.to_string(),
            &l.account_id,
            &l.account_kind,
            &l.amount_ore.to_string(),
            &format!("{sign}{}.{:02}", abs / 100, abs % 100),
            l.reverses_id.as_deref().unwrap_or(""),
            &l.actor,
            &l.memo,
        ]);
    }
    Ok(out.finish())
}
