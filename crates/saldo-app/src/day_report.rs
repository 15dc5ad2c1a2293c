//! A sales point's day: sales by product and by hour, purchases, totals,
//! voids and refunds. Read by the sales point's own staff only.

use crate::csv_file::CsvFile;
use saldo_core::day::local_tz;
use saldo_core::ids::SalesPointId;
use saldo_core::rights::Action;
use saldo_core::Money;
use saldo_store::StoreError;

use crate::auth::{Actor, Refusal};
use crate::till_setup::authorize_sales_point;
use crate::App;

/// One product's line in the report: what was sold, net of refunds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductSales {
    pub name: String,
    pub quantity: i64,
    pub amount: Money,
}

/// One hour of the day (local time), net of voids and refunds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HourSales {
    pub hour: i8,
    pub purchases: i64,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayReport {
    pub sales_point_id: SalesPointId,
    pub sales_point: String,
    pub institution: String,
    pub day: jiff::civil::Date,
    /// Sales that stand (not voided).
    pub purchases: i64,
    /// What was charged, before voids and refunds.
    pub gross: Money,
    pub voids: i64,
    pub voided: Money,
    /// Line refunds (voids not counted).
    pub refunded: Money,
    /// What the sales point keeps: gross less voids and refunds.
    pub net: Money,
    pub by_product: Vec<ProductSales>,
    /// Only the hours with sales, in order.
    pub by_hour: Vec<HourSales>,
    /// Webshop orders for the day, apart from the counter's sales: handed
    /// out (or kept when not collected, as the policy says), by dish.
    pub shop: Vec<ProductSales>,
    pub shop_total: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("amounts too large to add up")]
    Overflow,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The day report, for staff who sell at the sales point (or its manager, or the operator).
pub async fn day_report(
    app: &App,
    actor: &Actor,
    sales_point_id: &SalesPointId,
    day: jiff::civil::Date,
) -> Result<DayReport, ReportError> {
    if authorize_sales_point(app, actor, Action::Sell, sales_point_id).await.is_err() {
        authorize_sales_point(app, actor, Action::ManageProducts, sales_point_id).await?;
    }
    build(app, sales_point_id, day).await
}

/// The report itself, once the caller is known to belong (a till of the sales point, or its staff).
pub async fn build(app: &App, sales_point_id: &SalesPointId, day: jiff::civil::Date) -> Result<DayReport, ReportError> {
    let (sales_point, institution) = app.store.sales_point(sales_point_id).await?.ok_or(Refusal::NotFound)?;
    let tz = local_tz();
    let start = day.to_zoned(tz.clone()).map_err(|e| StoreError::Corrupt(format!("day start: {e}")))?;
    let end = start.tomorrow().map_err(|e| StoreError::Corrupt(format!("day end: {e}")))?;
    let (from, to) = (start.timestamp().as_microsecond(), end.timestamp().as_microsecond());
    let sales = app.store.day_sales(sales_point_id, from, to).await?;
    let lines = app.store.day_lines(sales_point_id, from, to).await?;

    let mut report = DayReport {
        sales_point_id: sales_point_id.to_owned(),
        sales_point,
        institution,
        day,
        purchases: 0,
        gross: Money::ZERO,
        voids: 0,
        voided: Money::ZERO,
        refunded: Money::ZERO,
        net: Money::ZERO,
        by_product: Vec::new(),
        by_hour: Vec::new(),
        shop: Vec::new(),
        shop_total: Money::ZERO,
    };
    let add = |a: Money, b: Money| a.checked_add(b).map_err(|_| ReportError::Overflow);
    let mut voided_ids = std::collections::HashSet::new();
    for sale in &sales {
        report.gross = add(report.gross, sale.total)?;
        if sale.voided {
            report.voids += 1;
            report.voided = add(report.voided, sale.total)?;
            voided_ids.insert(sale.id.as_str());
            continue;
        }
        report.purchases += 1;
        report.refunded = add(report.refunded, sale.refunded)?;
        let kept = sale.total.checked_sub(sale.refunded).map_err(|_| ReportError::Overflow)?;
        let hour = jiff::Timestamp::from_microsecond(sale.created_at)
            .map_err(|e| StoreError::Corrupt(format!("sale time: {e}")))?
            .to_zoned(tz.clone())
            .hour();
        match report.by_hour.iter_mut().find(|h| h.hour == hour) {
            Some(h) => {
                h.purchases += 1;
                h.amount = add(h.amount, kept)?;
            }
            None => report.by_hour.push(HourSales { hour, purchases: 1, amount: kept }),
        }
    }
    report.by_hour.sort_by_key(|h| h.hour);
    report.net = report
        .gross
        .checked_sub(report.voided)
        .and_then(|m| m.checked_sub(report.refunded))
        .map_err(|_| ReportError::Overflow)?;
    for line in lines.iter().filter(|l| !voided_ids.contains(l.purchase_id.as_str())) {
        let quantity = line.quantity - line.refunded_quantity;
        let amount = line.unit_price.checked_mul(quantity).map_err(|_| ReportError::Overflow)?;
        match report.by_product.iter_mut().find(|p| p.name == line.name) {
            Some(p) => {
                p.quantity += quantity;
                p.amount = add(p.amount, amount)?;
            }
            None => report.by_product.push(ProductSales { name: line.name.clone(), quantity, amount }),
        }
    }
    report.by_product.retain(|p| p.quantity > 0);
    report.by_product.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.name.cmp(&b.name)));
    shop_orders(app, &mut report).await?;
    Ok(report)
}

/// The webshop's part of the day, counted apart from the counter's sales.
async fn shop_orders(app: &App, report: &mut DayReport) -> Result<(), ReportError> {
    let add = |a: Money, b: Money| a.checked_add(b).map_err(|_| ReportError::Overflow);
    for (name, quantity, amount, _) in
        app.store.shop_revenue_of_day(&report.sales_point_id, &report.day.to_string()).await?
    {
        report.shop_total = add(report.shop_total, amount)?;
        match report.shop.iter_mut().find(|p| p.name == name) {
            Some(p) => {
                p.quantity += quantity;
                p.amount = add(p.amount, amount)?;
            }
            None => report.shop.push(ProductSales { name, quantity, amount }),
        }
    }
    Ok(())
}

impl DayReport {
    /// The report as CSV: one row per product, then one per hour, then the totals. Amounts in kroner with a point.
    pub fn csv(&self) -> String {
        let kr = |m: Money| {
            let sign = if m.is_negative() { "-" } else { "" };
            format!("{sign}{}.{:02}", (m.ore() / 100).abs(), (m.ore() % 100).abs())
        };
        let mut out = CsvFile::plain();
        out.row(["section", "name", "quantity", "amount_kr"]);
        for p in &self.by_product {
            out.row(["product", &p.name, &p.quantity.to_string(), &kr(p.amount)]);
        }
        for h in &self.by_hour {
            out.row(["hour", &format!("{:02}:00", h.hour), &h.purchases.to_string(), &kr(h.amount)]);
        }
        out.row(["total", "purchases", &self.purchases.to_string(), &kr(self.net)]);
        out.row(["total", "gross", "", &kr(self.gross)]);
        out.row(["total", "voids", &self.voids.to_string(), &kr(self.voided)]);
        out.row(["total", "refunds", "", &kr(self.refunded)]);
        for p in &self.shop {
            out.row(["shop", &p.name, &p.quantity.to_string(), &kr(p.amount)]);
        }
        out.row(["total", "shop", "", &kr(self.shop_total)]);
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_named_like_a_formula_stays_text_in_the_file() {
        let report = DayReport {
            sales_point_id: "sp".into(),
            sales_point: "Kantinen".into(),
            institution: "Skolen".into(),
            day: jiff::civil::date(2026, 12, 3),
            purchases: 1,
            gross: Money::kr(10),
            voids: 0,
            voided: Money::ZERO,
            refunded: Money::ZERO,
            net: Money::kr(10),
            by_product: vec![ProductSales { name: "=HYPERLINK(\"x\")".into(), quantity: 1, amount: Money::kr(10) }],
            by_hour: vec![HourSales { hour: 11, purchases: 1, amount: Money::kr(10) }],
            shop: Vec::new(),
            shop_total: Money::ZERO,
        };
        let csv = report.csv();
        assert!(csv.contains("product,\"'=HYPERLINK(\"\"x\"\")\",1,10.00\r\n"), "{csv}");
        assert!(csv.starts_with("section,name,quantity,amount_kr\r\nproduct,") && csv.contains("hour,11:00,1,10.00"));
    }
}
