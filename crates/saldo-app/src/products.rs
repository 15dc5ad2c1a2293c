//! A sales point's menu (varer), kept by its manager or the operator: add a
//! product, change its name, price, category or allergens, hide or show it at
//! the till, move it within its category.
//!
//! Products are never deleted: sold lines point at them, and hiding takes a
//! product off the till just as well. A sold line keeps its own copy of name
//! and price, so a change here reaches new sales only.

use saldo_core::ids::{ProductId, SalesPointId};
use saldo_core::rights::Action;
use saldo_core::Money;
use saldo_store::{NewProduct, ProductRow, StoreError};

use crate::auth::{Actor, Refusal};
use crate::till_setup::authorize_sales_point;
use crate::App;

pub const MAX_NAME: usize = 60;
/// Categories are short words the till shows as headings ("mad", "slik").
pub const MAX_CATEGORY: usize = 30;
pub const MAX_ALLERGENS: usize = 200;
/// A canteen's price list, not a shop: anything dearer is a typing mistake.
pub const MAX_PRICE: Money = Money::kr(1000);
/// A till shows every product as a button; past this many it is unusable anyway.
pub const MAX_PRODUCTS: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum ProductError {
    #[error("a product name is 1 to {MAX_NAME} characters")]
    BadName,
    #[error("a price is a positive amount of at most 1.000 kr. with at most two decimals")]
    BadPrice,
    #[error("a category is 1 to {MAX_CATEGORY} characters")]
    BadCategory,
    #[error("allergens are at most {MAX_ALLERGENS} characters")]
    BadAllergens,
    #[error("a sales point has at most {MAX_PRODUCTS} products")]
    TooMany,
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a manager typed for a product, once it is known to be valid:
/// names trimmed, the category lowercase (parents' blocks match it as text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductDraft {
    pub name: String,
    pub price: Money,
    pub category: String,
    pub allergens: String,
}

/// What a manager typed, as typed.
#[derive(Clone, Copy, Debug)]
pub struct ProductInput<'a> {
    pub name: &'a str,
    pub price: &'a str,
    pub category: &'a str,
    pub allergens: &'a str,
}

impl ProductInput<'_> {
    fn parse(&self) -> Result<ProductDraft, ProductError> {
        ProductDraft::parse(self.name, self.price, self.category, self.allergens)
    }
}

impl ProductDraft {
    /// Checks every field; the first problem, in the form's order, is the answer.
    pub fn parse(name: &str, price: &str, category: &str, allergens: &str) -> Result<ProductDraft, ProductError> {
        let name = text(name, 1, MAX_NAME).ok_or(ProductError::BadName)?;
        let price = price.parse::<Money>().map_err(|_| ProductError::BadPrice)?;
        if !price.is_positive() || price > MAX_PRICE {
            return Err(ProductError::BadPrice);
        }
        let category = text(category, 1, MAX_CATEGORY).ok_or(ProductError::BadCategory)?.to_lowercase();
        let allergens = text(allergens, 0, MAX_ALLERGENS).ok_or(ProductError::BadAllergens)?;
        Ok(ProductDraft { name, price, category, allergens })
    }
}

/// Pasted text brings tabs, line breaks and double spaces: they become single
/// spaces, so the till's buttons and the CSV stay one line; other control
/// characters are refused.
fn text(input: &str, min: usize, max: usize) -> Option<String> {
    if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return None;
    }
    let joined = input.split_whitespace().collect::<Vec<_>>().join(" ");
    (min..=max).contains(&joined.chars().count()).then_some(joined)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// The manager's page: every product, hidden ones too, in the till's order.
pub struct Menu {
    pub sales_point: String,
    pub institution: String,
    pub products: Vec<ProductRow>,
    /// Categories to offer: those in use here, and those parents can block.
    pub categories: Vec<String>,
    /// The categories parents can block at the till, so the manager can use them.
    pub blockable: Vec<String>,
}

pub async fn menu(app: &App, actor: &Actor, sales_point_id: &SalesPointId) -> Result<Menu, ProductError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point_id).await?;
    let (sales_point, institution) = app.store.sales_point(sales_point_id).await?.ok_or(Refusal::NotFound)?;
    let products = app.store.menu_of(sales_point_id).await?;
    let blockable: Vec<String> = app.store.blockable_categories().await?.into_iter().map(|(c, _)| c).collect();
    let mut categories: Vec<String> = products.iter().map(|p| p.category.clone()).chain(blockable.clone()).collect();
    categories.sort();
    categories.dedup();
    Ok(Menu { sales_point, institution, products, categories, blockable })
}

/// Adds a product at the end of its category, shown at the till at once.
pub async fn add(
    app: &App,
    actor: &Actor,
    sales_point_id: &SalesPointId,
    input: ProductInput<'_>,
) -> Result<ProductId, ProductError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point_id).await?;
    let draft = input.parse()?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let menu = tx.menu_of(sales_point_id).await?;
    if menu.len() >= MAX_PRODUCTS {
        return Err(ProductError::TooMany);
    }
    let sort_order = menu.iter().map(|p| p.sort_order).max().map_or(0, |m| m + 1);
    let id = tx
        .add_product(&NewProduct {
            sales_point_id,
            name: &draft.name,
            price: draft.price,
            category: &draft.category,
            allergens: &draft.allergens,
            sort_order,
        })
        .await?;
    let detail = format!(
        "{sales_point_id}: {:?}, {}, {:?}, allergens {:?}",
        draft.name, draft.price, draft.category, draft.allergens
    );
    tx.audit(&actor.label(), "product.added", &id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a product for sales from now on. An unchanged form changes nothing
/// and leaves no audit line.
pub async fn change(
    app: &App,
    actor: &Actor,
    sales_point_id: &SalesPointId,
    product_id: &ProductId,
    input: ProductInput<'_>,
) -> Result<(), ProductError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point_id).await?;
    let draft = input.parse()?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let old = product_here(&mut tx, sales_point_id, product_id).await?;
    let mut changes = Vec::new();
    if old.name != draft.name {
        changes.push(format!("name {:?} -> {:?}", old.name, draft.name));
    }
    if old.price != draft.price {
        changes.push(format!("price {} -> {}", old.price, draft.price));
    }
    if old.category != draft.category {
        changes.push(format!("category {:?} -> {:?}", old.category, draft.category));
    }
    if old.allergens != draft.allergens {
        changes.push(format!("allergens {:?} -> {:?}", old.allergens, draft.allergens));
    }
    if changes.is_empty() {
        return Ok(());
    }
    tx.update_product(product_id, &draft.name, draft.price, &draft.category, &draft.allergens).await?;
    tx.audit(&actor.label(), "product.changed", product_id, &changes.join("; "), &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Shows or hides a product at the till. A hidden product is not offered and
/// not sold, and stays in past receipts and reports.
pub async fn set_shown(
    app: &App,
    actor: &Actor,
    sales_point_id: &SalesPointId,
    product_id: &ProductId,
    shown: bool,
) -> Result<(), ProductError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let product = product_here(&mut tx, sales_point_id, product_id).await?;
    if product.active == shown {
        return Ok(());
    }
    tx.set_product_active(product_id, shown).await?;
    let action = if shown { "product.shown" } else { "product.hidden" };
    tx.audit(&actor.label(), action, product_id, &format!("{:?}", product.name), &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Swaps a product with its neighbour in the same category (the till groups by
/// category, so only that order shows). At either end it stays put.
pub async fn move_product(
    app: &App,
    actor: &Actor,
    sales_point_id: &SalesPointId,
    product_id: &ProductId,
    direction: Move,
) -> Result<(), ProductError> {
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let product = product_here(&mut tx, sales_point_id, product_id).await?;
    let mut group: Vec<ProductRow> =
        tx.menu_of(sales_point_id).await?.into_iter().filter(|p| p.category == product.category).collect();
    let Some(at) = group.iter().position(|p| p.id == product_id) else { return Ok(()) };
    let to = match direction {
        Move::Up if at > 0 => at - 1,
        Move::Down if at + 1 < group.len() => at + 1,
        _ => return Ok(()),
    };
    group.swap(at, to);
    // Seeded and added products can share a number; renumbering the group
    // makes the swap visible whatever numbers they had.
    for (order, p) in group.iter().enumerate() {
        let order = i64::try_from(order).map_err(|_| StoreError::Corrupt("menu too long".into()))?;
        if p.sort_order != order {
            tx.set_product_sort_order(&p.id, order).await?;
        }
    }
    let detail = format!("{:?} {}", product.name, if direction == Move::Up { "up" } else { "down" });
    tx.audit(&actor.label(), "product.moved", product_id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The product, if it is this sales point's; another's is as good as unknown.
async fn product_here(
    tx: &mut saldo_store::Tx,
    sales_point_id: &SalesPointId,
    product_id: &ProductId,
) -> Result<ProductRow, ProductError> {
    let found = tx.products_at(sales_point_id, &[product_id.as_str()]).await?;
    found.into_iter().next().ok_or(ProductError::Refused(Refusal::NotFound))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_trimmed_and_its_category_lowercase() {
        let d = ProductDraft::parse("  Toast   med ost ", "12,50", " Mad ", " gluten, mælk ").unwrap();
        assert_eq!(d.name, "Toast med ost");
        assert_eq!(d.price, Money::from_ore(1250));
        assert_eq!(d.category, "mad");
        assert_eq!(d.allergens, "gluten, mælk");
        assert_eq!(ProductDraft::parse("Æble", "12", "FRUGT", "").unwrap().price, Money::kr(12));
        assert_eq!(ProductDraft::parse("Æble", "1.000", "frugt", "").unwrap().price, MAX_PRICE);
    }

    #[test]
    fn bad_fields_are_named() {
        let long = "x".repeat(MAX_NAME + 1);
        assert!(matches!(ProductDraft::parse(" ", "12", "mad", ""), Err(ProductError::BadName)));
        assert!(matches!(ProductDraft::parse(&long, "12", "mad", ""), Err(ProductError::BadName)));
        assert!(matches!(ProductDraft::parse("A\u{7}", "12", "mad", ""), Err(ProductError::BadName)));
        for price in ["", "0", "-5", "12,505", "tolv", "1000,01", "1.000.000"] {
            assert!(matches!(ProductDraft::parse("A", price, "mad", ""), Err(ProductError::BadPrice)), "{price}");
        }
        assert!(matches!(ProductDraft::parse("A", "12", "", ""), Err(ProductError::BadCategory)));
        let many = "x".repeat(MAX_ALLERGENS + 1);
        assert!(matches!(ProductDraft::parse("A", "12", "mad", &many), Err(ProductError::BadAllergens)));
        assert_eq!(ProductDraft::parse(&"ø".repeat(MAX_NAME), "12", "mad", "").unwrap().name.chars().count(), 60);
    }
}
