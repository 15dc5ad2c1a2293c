//! The finance report as plain text, for `saldo report` on the command line.

use std::fmt::Write;

use saldo_core::Money;

use super::FinanceReport;

fn kr(m: Money) -> String {
    m.display_en()
}

impl FinanceReport {
    pub fn text(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_text(&mut out);
        out
    }

    fn write_text(&self, out: &mut String) -> std::fmt::Result {
        writeln!(out, "Finance report for {}", self.period)?;
        writeln!(out, "\nDeposits")?;
        for d in &self.deposits {
            writeln!(
                out,
                "  {} {}: {} payments, charged {}, fees {}, to wallets {}",
                d.provider,
                d.method,
                d.payments,
                kr(d.charged),
                kr(d.fees),
                kr(d.credited)
            )?;
        }
        writeln!(out, "\nSales (what each sales point is owed)")?;
        for s in &self.sales {
            writeln!(
                out,
                "  {} / {}: sold {}, refunds {}, voids {}, other {}, owed {}",
                s.institution,
                s.sales_point,
                kr(s.gross),
                kr(s.refunds),
                kr(s.voids),
                kr(s.other),
                kr(s.net)
            )?;
        }
        for c in &self.categories {
            writeln!(out, "    {} {}: {} sold for {}", c.sales_point, c.category, c.quantity, kr(c.amount))?;
        }
        writeln!(out, "\nWebshop orders (prepaid, revenue when handed out)")?;
        for l in &self.shop {
            writeln!(
                out,
                "  {} / {}: ordered {}, cancelled {}, handed out {}, change held {}",
                l.institution,
                l.sales_point,
                kr(l.ordered),
                kr(l.cancelled),
                kr(l.handed_out),
                kr(l.held)
            )?;
        }
        writeln!(out, "\nPayouts")?;
        for p in &self.payouts {
            let method = if p.is_bank { "bank transfer" } else { "to the card" };
            writeln!(out, "  {} ({method}): {} payouts, {}", p.channel, p.payouts, kr(p.amount))?;
        }
        writeln!(out, "  change in payouts reserved, not yet paid: {}", kr(self.payouts_reserved))?;
        let f = &self.fees;
        writeln!(out, "\nFees")?;
        writeln!(out, "  replacement cards: {} for {}", f.card_fees_count, kr(f.card_fees))?;
        writeln!(out, "  replacement card fees given back: {}", kr(f.card_fees_refunded))?;
        writeln!(out, "  deposit fees: {}", kr(f.deposit_fees))?;
        let l = &self.liability;
        writeln!(out, "\nLiability (money held for families)")?;
        writeln!(out, "  at the start: {}", kr(l.start))?;
        for (kind, amount) in &l.by_kind {
            writeln!(out, "  {kind}: {}", kr(*amount))?;
        }
        writeln!(out, "  at the end: {} (movement {})", kr(l.end), kr(l.movement()))?;
        for k in self.unlisted_kinds() {
            writeln!(out, "\nOther accounts: {}, net {}", k.account_kind, kr(k.net))?;
            for (entry_kind, amount) in &k.by_entry_kind {
                writeln!(out, "  {entry_kind}: {}", kr(*amount))?;
            }
        }
        Ok(())
    }
}
