//! The demo's webshop: two weeks of menus at every canteen (with allergens
//! and a portion limit), a closed day, and orders paid for today and the
//! coming days, so a newcomer finds a filled pick list and an order to hand
//! out at the till.

use jiff::civil::Date;
use saldo_core::day::local_day;
use saldo_core::ids::{InstitutionId, SalesPointId};
use saldo_core::ledger::{AccountId, Entry};
use saldo_core::Money;
use saldo_store::{EntryMeta, NewDish, NewShopOrder, StoreError, Tx};

use crate::menus::weekdays;

/// A demo dish: name, price in øre, allergens, portion limit.
type Dish = (&'static str, i64, &'static str, Option<i64>);

/// The hot dish and the cold one, by weekday.
const DISHES: [[Dish; 2]; 5] = [
    [("Pastasalat med kylling", 3_200, "gluten,eggs", None), ("Grøntsagssuppe med brød", 2_500, "gluten,celery", None)],
    [
        ("Frikadeller med kartoffelsalat", 3_500, "eggs,milk,mustard", Some(40)),
        ("Wrap med falafel", 3_000, "gluten,sesame", None),
    ],
    [
        ("Fiskefrikadeller med remoulade", 3_500, "fish,eggs,mustard", None),
        ("Pastasalat med kylling", 3_200, "gluten,eggs", None),
    ],
    [("Lasagne", 3_800, "gluten,milk,celery", Some(30)), ("Salatbar", 2_800, "", None)],
    [("Pizzasnegl og frugt", 2_200, "gluten,milk", None), ("Risengrød", 2_000, "milk,nuts", None)],
];

pub(crate) async fn seed(
    tx: &mut Tx,
    schools: &[(InstitutionId, SalesPointId)],
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let today = local_day(now);
    let days = weekdays(today, 14);
    for (n, (school, canteen)) in schools.iter().enumerate() {
        // One closing day in the second week: a teachers' planning day.
        if let Some(closed) = days.get(7 + n) {
            tx.close_day(school, &closed.to_string(), "Planlægningsdag").await?;
        }
        let mut menu: Vec<(Date, String, Money, usize)> = Vec::new();
        for day in days.iter().filter(|d| days.get(7 + n) != Some(d)) {
            let weekday = day.weekday().to_monday_zero_offset() as usize;
            let iso = day.to_string();
            for (i, (name, ore, allergens, limit)) in DISHES[weekday.min(4)].iter().enumerate() {
                let dish = NewDish {
                    sales_point_id: canteen,
                    day: &iso,
                    name,
                    category: "mad",
                    price: Money::from_ore(*ore),
                    allergens,
                    portion_limit: *limit,
                    product_id: None,
                };
                let id = tx.add_dish(&dish, now).await?;
                menu.push((*day, id, Money::from_ore(*ore), i));
            }
        }
        orders(tx, school, canteen, &menu, now).await?;
    }
    Ok(())
}

/// Every other child with money orders for the first three days of the menu
/// (the seed's first child, Ida with her 300 kr., is left as she was: the
/// portal's tour starts from her balance).
async fn orders(
    tx: &mut Tx,
    school: &InstitutionId,
    canteen: &SalesPointId,
    menu: &[(Date, String, Money, usize)],
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let days: Vec<Date> = {
        let mut d: Vec<Date> = menu.iter().map(|(day, ..)| *day).collect();
        d.dedup();
        d.into_iter().take(3).collect()
    };
    tx.ensure_account(&AccountId::Orders(canteen.clone())).await?;
    for (n, (child, wallet, balance, custodian)) in tx.children_at_school(school).await?.into_iter().enumerate() {
        if n % 2 == 0 {
            continue;
        }
        let picks: Vec<&(Date, String, Money, usize)> = days
            .iter()
            .enumerate()
            .filter_map(|(i, day)| menu.iter().find(|(d, _, _, which)| d == day && *which == (n + i) % 2))
            .collect();
        let total = Money::sum(picks.iter().map(|p| p.2)).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if picks.is_empty() || balance < total {
            continue;
        }
        let parts: Vec<(SalesPointId, Money)> = picks.iter().map(|p| (canteen.clone(), p.2)).collect();
        let entry = Entry::shop_order(&wallet, &parts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let meta = EntryMeta { actor: "demo", memo: "demo webshop order", at: now, reverses: None, spend_day: None };
        let posted = tx.post(&entry, &meta).await.map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let basket = tx.create_basket(&child, &wallet, &custodian, &posted.entry_id, total, now).await?;
        for (day, dish, price, _) in picks {
            let day = day.to_string();
            if !tx.take_portions(dish, 1).await? {
                return Err(StoreError::Corrupt(format!("demo dish {dish} sold out")));
            }
            let name = tx.dish(dish).await?.map(|d| d.name).unwrap_or_default();
            let order = NewShopOrder {
                basket_id: &basket,
                child_id: &child,
                wallet_id: &wallet,
                sales_point_id: canteen,
                dish_id: dish,
                day: &day,
                name: &name,
                quantity: 1,
                amount: *price,
            };
            tx.add_shop_order(&order, now).await?;
        }
    }
    Ok(())
}
