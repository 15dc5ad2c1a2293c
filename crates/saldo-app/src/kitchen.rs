//! The kitchen's day (køkkenliste): how many of each dish to make, and a pick
//! list per child (name, class, dishes, allergens, the custodian's note).
//!
//! Live until the day's order deadline; after it, frozen at what the kitchen
//! was told then: an order cancelled after the deadline still counts towards
//! production (it was made) and stays on the pick list marked cancelled, so
//! it is not handed out.

use jiff::civil::Date;
use saldo_core::allergen::{Allergen, Allergens};
use saldo_core::ids::{ChildId, SalesPointId};
use saldo_core::rights::Action;
use saldo_core::shop::ShopOrderState;
use saldo_store::PickRow;

use crate::auth::Refusal;
use crate::csv_file::CsvFile;
use crate::shop::{rules_of, ShopError};
use crate::texts::Texts;
use crate::till_setup::authorize_sales_point;
use crate::{Actor, App};

/// One dish of a child's on the pick list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickDish {
    pub name: String,
    pub quantity: i64,
    pub state: ShopOrderState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickChild {
    pub child_id: ChildId,
    pub name: String,
    pub class_name: String,
    pub dishes: Vec<PickDish>,
    pub allergens: Vec<Allergen>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KitchenDay {
    pub sales_point_id: SalesPointId,
    pub sales_point: String,
    pub institution: String,
    pub day: Date,
    pub order_deadline: jiff::Timestamp,
    /// Past the order deadline: the counts no longer change.
    pub frozen: bool,
    /// (dish, portions to make), by dish name.
    pub counts: Vec<(String, i64)>,
    pub children: Vec<PickChild>,
}

/// Whether an order belongs on the kitchen's list as it stands at `until`
/// (now, or the frozen deadline): not cancelled by then.
fn counts_at(row: &PickRow, until: jiff::Timestamp) -> bool {
    row.state != ShopOrderState::Cancelled || row.closed_at.is_some_and(|at| at >= until.as_microsecond())
}

pub async fn kitchen(app: &App, actor: &Actor, sales_point: &SalesPointId, day: Date) -> Result<KitchenDay, ShopError> {
    authorize_sales_point(app, actor, Action::Kitchen, sales_point).await?;
    let (name, institution) = app.store.sales_point(sales_point).await?.ok_or(Refusal::NotFound)?;
    let (terms, calendar) = rules_of(app, sales_point, day).await?;
    let order_deadline = terms.order_deadline(&calendar, day);
    let now = app.now();
    let frozen = now >= order_deadline;
    let until = if frozen { order_deadline } else { now };
    let rows: Vec<PickRow> =
        app.store.pick_list(sales_point, &day.to_string()).await?.into_iter().filter(|r| counts_at(r, until)).collect();
    let marked = app.store.allergens_on_pick_list(sales_point, &day.to_string()).await?;
    let mut counts: Vec<(String, i64)> = Vec::new();
    let mut children: Vec<PickChild> = Vec::new();
    for row in &rows {
        match counts.iter_mut().find(|(n, _)| *n == row.name) {
            Some((_, q)) => *q += row.quantity,
            None => counts.push((row.name.clone(), row.quantity)),
        }
        let dish = PickDish { name: row.name.clone(), quantity: row.quantity, state: row.state };
        match children.iter_mut().find(|c| c.child_id == row.child_id) {
            Some(child) => child.dishes.push(dish),
            None => {
                let codes: Vec<&str> =
                    marked.iter().filter(|(c, _)| *c == row.child_id).map(|(_, a)| a.as_str()).collect();
                children.push(PickChild {
                    child_id: row.child_id.clone(),
                    name: format!("{} {}", row.first_name, row.last_name),
                    class_name: row.class_name.clone().unwrap_or_default(),
                    dishes: vec![dish],
                    allergens: Allergens::parse(&codes.join(",")).unwrap_or_default().list(),
                    note: row.note.clone(),
                });
            }
        }
    }
    counts.sort();
    Ok(KitchenDay {
        sales_point_id: sales_point.clone(),
        sales_point: name,
        institution,
        day,
        order_deadline,
        frozen,
        counts,
        children,
    })
}

impl KitchenDay {
    /// The pick list as CSV for a spreadsheet in the kitchen's language
    /// (semicolons, words for states and allergens), one row per dish per
    /// child, through the one writer that keeps a name like `=cmd()` text.
    pub fn csv(&self, texts: Texts) -> String {
        let mut out = CsvFile::danish();
        let header = ["day", "class", "child", "dish", "quantity", "state", "allergens", "note"];
        out.row(header.map(|h| texts.get(&format!("shop-csv-{h}"))));
        for child in &self.children {
            let allergens: Vec<&str> =
                child.allergens.iter().map(|a| texts.get(&format!("allergen-{}", a.code()))).collect();
            for dish in &child.dishes {
                out.row([
                    self.day.to_string().as_str(),
                    &child.class_name,
                    &child.name,
                    &dish.name,
                    &dish.quantity.to_string(),
                    texts.get(&format!("shop-state-{}", dish.state.as_str())),
                    &allergens.join(", "),
                    &child.note,
                ]);
            }
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::Lang;

    #[test]
    fn a_name_like_a_formula_stays_text_in_the_pick_list() {
        let day = KitchenDay {
            sales_point_id: "sp".into(),
            sales_point: "Kantinen".into(),
            institution: "Skolen".into(),
            day: jiff::civil::date(2026, 12, 9),
            order_deadline: jiff::Timestamp::UNIX_EPOCH,
            frozen: true,
            counts: vec![("Pastasalat".into(), 1)],
            children: vec![PickChild {
                child_id: "c".into(),
                name: "=HYPERLINK(\"x\") Ida".into(),
                class_name: "3.A".into(),
                dishes: vec![PickDish { name: "Pastasalat".into(), quantity: 1, state: ShopOrderState::Paid }],
                allergens: vec![Allergen::Gluten, Allergen::Milk],
                note: "@ allergi".into(),
            }],
        };
        let csv = day.csv(Texts::new(Lang::Da));
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(csv.contains("'@ allergi"), "{csv}");
        assert!(csv.contains("Pastasalat;1;Bestilt;gluten, mælk;"), "{csv}");
        assert!(csv.contains("dag;klasse;barn;ret;antal;status;allergener;note"), "{csv}");
    }
}
