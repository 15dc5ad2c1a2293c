//! Where things are sold: municipalities, institutions, sales points, tills, products.

use saldo_core::ids::{InstitutionId, ProductId, SalesPointId, TillId};
use saldo_core::ledger::AccountId;
use saldo_core::Money;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{flag, micros, new_id, Result, Store, StoreError, Tx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstitutionKind {
    School,
    Club,
    YouthSchool,
}

impl InstitutionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::School => "school",
            InstitutionKind::Club => "club",
            InstitutionKind::YouthSchool => "youth_school",
        }
    }

    pub fn parse(text: &str) -> Option<InstitutionKind> {
        match text {
            "school" => Some(InstitutionKind::School),
            "club" => Some(InstitutionKind::Club),
            "youth_school" => Some(InstitutionKind::YouthSchool),
            _ => None,
        }
    }
}

/// A registered till, found by its bearer token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TillRow {
    pub id: TillId,
    pub name: String,
    pub sales_point_id: SalesPointId,
    pub sales_point_name: String,
    pub institution_id: InstitutionId,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRow {
    pub id: ProductId,
    pub sales_point_id: SalesPointId,
    pub name: String,
    pub price: Money,
    pub category: String,
    pub active: bool,
    pub allergens: String,
    pub sort_order: i64,
}

/// A product as a manager adds it; it starts shown at the till.
pub struct NewProduct<'a> {
    pub sales_point_id: &'a SalesPointId,
    pub name: &'a str,
    pub price: Money,
    pub category: &'a str,
    pub allergens: &'a str,
    pub sort_order: i64,
}

fn product_from(row: &AnyRow) -> Result<ProductRow> {
    Ok(ProductRow {
        id: row.try_get("id")?,
        sales_point_id: row.try_get("sales_point_id")?,
        name: row.try_get("name")?,
        price: Money::from_ore(row.try_get("price_ore")?),
        category: row.try_get("category")?,
        active: flag(row, "active")?,
        allergens: row.try_get("allergens")?,
        sort_order: row.try_get("sort_order")?,
    })
}

const PRODUCT_COLUMNS: &str = "id, sales_point_id, name, price_ore, category, active, allergens, sort_order";

/// The till's order: grouped by category, then the manager's order within it.
const MENU_ORDER: &str = "ORDER BY category, sort_order, name, id";

impl Tx {
    pub async fn create_municipality(&mut self, name: &str) -> Result<String> {
        let id = new_id("mun");
        sqlx::query("INSERT INTO municipality (id, name) VALUES ($1, $2)")
            .bind(&id)
            .bind(name)
            .execute(self.conn())
            .await?;
        Ok(id)
    }

    pub async fn create_institution(
        &mut self,
        municipality_id: &str,
        name: &str,
        kind: InstitutionKind,
    ) -> Result<InstitutionId> {
        let id = InstitutionId::new(new_id("inst"));
        sqlx::query("INSERT INTO institution (id, municipality_id, name, kind) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(municipality_id)
            .bind(name)
            .bind(kind.as_str())
            .execute(self.conn())
            .await?;
        Ok(id)
    }

    /// A sales point and its sales account.
    pub async fn create_sales_point(&mut self, institution_id: &InstitutionId, name: &str) -> Result<SalesPointId> {
        let id = SalesPointId::new(new_id("sp"));
        sqlx::query("INSERT INTO sales_point (id, institution_id, name) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(institution_id)
            .bind(name)
            .execute(self.conn())
            .await?;
        self.ensure_account(&AccountId::Sales(id.clone())).await?;
        Ok(id)
    }

    /// Registers a till; the caller keeps the token, the store only its hash.
    pub async fn create_till(
        &mut self,
        sales_point_id: &SalesPointId,
        name: &str,
        token_hash: &str,
        at: jiff::Timestamp,
    ) -> Result<TillId> {
        let id = TillId::new(new_id("till"));
        sqlx::query("INSERT INTO till (id, sales_point_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(sales_point_id)
            .bind(name)
            .bind(token_hash)
            .bind(micros(at))
            .execute(self.conn())
            .await?;
        Ok(id)
    }

    pub async fn create_product(
        &mut self,
        sales_point_id: &SalesPointId,
        name: &str,
        price: Money,
        category: &str,
        sort_order: i64,
    ) -> Result<ProductId> {
        self.add_product(&NewProduct { sales_point_id, name, price, category, allergens: "", sort_order }).await
    }

    pub async fn add_product(&mut self, p: &NewProduct<'_>) -> Result<ProductId> {
        let id = ProductId::new(new_id("prod"));
        sqlx::query(
            "INSERT INTO product (id, sales_point_id, name, price_ore, category, allergens, sort_order)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(p.sales_point_id)
        .bind(p.name)
        .bind(p.price.ore())
        .bind(p.category)
        .bind(p.allergens)
        .bind(p.sort_order)
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// Every product of a sales point, hidden ones too, in the till's order.
    pub async fn menu_of(&mut self, sales_point_id: &SalesPointId) -> Result<Vec<ProductRow>> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM product WHERE sales_point_id = $1 {MENU_ORDER}");
        let rows = sqlx::query(&sql).bind(sales_point_id).fetch_all(self.conn()).await?;
        rows.iter().map(product_from).collect()
    }

    /// Changes what the till shows and charges from now on; sold lines keep
    /// their own copy of name and price.
    pub async fn update_product(
        &mut self,
        product_id: &ProductId,
        name: &str,
        price: Money,
        category: &str,
        allergens: &str,
    ) -> Result<()> {
        sqlx::query("UPDATE product SET name = $1, price_ore = $2, category = $3, allergens = $4 WHERE id = $5")
            .bind(name)
            .bind(price.ore())
            .bind(category)
            .bind(allergens)
            .bind(product_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn set_product_active(&mut self, product_id: &ProductId, active: bool) -> Result<()> {
        sqlx::query("UPDATE product SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(product_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn set_product_sort_order(&mut self, product_id: &ProductId, sort_order: i64) -> Result<()> {
        sqlx::query("UPDATE product SET sort_order = $1 WHERE id = $2")
            .bind(sort_order)
            .bind(product_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// The products of a sales point with these ids, whatever their state
    /// (the caller decides what an inactive one means).
    pub async fn products_at(&mut self, sales_point_id: &SalesPointId, ids: &[&str]) -> Result<Vec<ProductRow>> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            let sql = format!("SELECT {PRODUCT_COLUMNS} FROM product WHERE id = $1 AND sales_point_id = $2");
            if let Some(row) = sqlx::query(&sql).bind(*id).bind(sales_point_id).fetch_optional(self.conn()).await? {
                found.push(product_from(&row)?);
            }
        }
        Ok(found)
    }
}

impl Store {
    /// The till holding this token hash, if it is registered and active.
    pub async fn till_by_token_hash(&self, token_hash: &str) -> Result<Option<TillRow>> {
        let row = sqlx::query(
            "SELECT t.id, t.name, t.sales_point_id, s.name AS sales_point_name, s.institution_id
             FROM till t JOIN sales_point s ON s.id = t.sales_point_id
             WHERE t.token_hash = $1 AND t.active = 1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(TillRow {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                sales_point_id: row.try_get("sales_point_id")?,
                sales_point_name: row.try_get("sales_point_name")?,
                institution_id: row.try_get("institution_id")?,
            })
        })
        .transpose()
    }

    /// Every product of a sales point, hidden ones too, in the till's order.
    pub async fn menu_of(&self, sales_point_id: &SalesPointId) -> Result<Vec<ProductRow>> {
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM product WHERE sales_point_id = $1 {MENU_ORDER}");
        let rows = sqlx::query(&sql).bind(sales_point_id).fetch_all(self.pool()).await?;
        rows.iter().map(product_from).collect()
    }

    /// The active products of a sales point, in menu order.
    pub async fn active_products(&self, sales_point_id: &SalesPointId) -> Result<Vec<ProductRow>> {
        let sql =
            format!("SELECT {PRODUCT_COLUMNS} FROM product WHERE sales_point_id = $1 AND active = 1 {MENU_ORDER}");
        let rows = sqlx::query(&sql).bind(sales_point_id).fetch_all(self.pool()).await?;
        rows.iter().map(product_from).collect()
    }

    /// Every sales point with its institution's name, for listings.
    pub async fn sales_points(&self) -> Result<Vec<(SalesPointId, String, String)>> {
        let rows = sqlx::query(
            "SELECT s.id, s.name, i.name AS institution FROM sales_point s JOIN institution i ON i.id = s.institution_id
             ORDER BY i.name, s.name",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("institution")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

impl Store {
    pub async fn is_empty(&self) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM municipality").fetch_one(self.pool()).await?;
        Ok(row.try_get::<i64, _>("n")? == 0)
    }

    /// Every active till with its sales point's name.
    pub async fn tills(&self) -> Result<Vec<TillRow>> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, t.sales_point_id, s.name AS sales_point_name, s.institution_id
             FROM till t JOIN sales_point s ON s.id = t.sales_point_id WHERE t.active = 1 ORDER BY t.id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TillRow {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    sales_point_id: row.try_get("sales_point_id")?,
                    sales_point_name: row.try_get("sales_point_name")?,
                    institution_id: row.try_get("institution_id")?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// Gives a till a new token (the old one stops working at once).
    pub async fn set_till_token_hash(&mut self, till_id: &TillId, token_hash: &str) -> Result<()> {
        sqlx::query("UPDATE till SET token_hash = $1 WHERE id = $2")
            .bind(token_hash)
            .bind(till_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
