//! `/sales-points/{sales_point}/products`: the manager's menu page (varer):
//! add a product, change it, hide or show it at the till, move it up or down.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use saldo_app::products::{self, Move, ProductError, ProductInput, MAX_PRICE, MAX_PRODUCTS};
use saldo_core::ids::{ProductId, SalesPointId};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::i18n::Tr;
use crate::page_error::{render, PageError, Problem};
use crate::paths::To;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sales-points/{sales_point}/products", get(products_page).post(add))
        .route("/sales-points/{sales_point}/products/{product}", post(change))
        .route("/sales-points/{sales_point}/products/{product}/{change}", post(small_change))
}

struct Row {
    id: ProductId,
    name: String,
    price: String,
    /// The price as the edit field shows it: `12,50`.
    price_plain: String,
    category: String,
    allergens: String,
    active: bool,
    first: bool,
    last: bool,
}

/// The till shows a heading per category; so does this page.
struct Group {
    category: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "sales_points/products.html")]
struct ProductsPage {
    p: Page,
    sales_point_id: SalesPointId,
    sales_point: String,
    institution: String,
    groups: Vec<Group>,
    categories: Vec<String>,
    price_hint: String,
    category_hint: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
    /// A known catalogue key only: a crafted link cannot put words on the page.
    error: Option<String>,
}

fn problem(tr: &Tr, key: Option<&str>) -> Option<String> {
    match key? {
        key @ ("products.bad_name" | "products.bad_category" | "products.bad_allergens") => Some(tr.t(key).to_owned()),
        "products.bad_price" => Some(tr.fill("products.bad_price", &[("max", tr.money(&MAX_PRICE))])),
        "products.too_many" => Some(tr.fill("products.too_many", &[("max", MAX_PRODUCTS.to_string())])),
        _ => None,
    }
}

fn notice(tr: &Tr, key: Option<&str>) -> Option<String> {
    const KEYS: &[&str] = &["products.added", "products.saved", "products.hidden", "products.shown"];
    key.filter(|k| KEYS.contains(k)).map(|k| tr.t(k).to_owned())
}

async fn products_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let menu = products::menu(&state.app, &actor, &sales_point).await?;
    let tr = v.tr;
    let mut groups: Vec<Group> = Vec::new();
    for product in &menu.products {
        let row = Row {
            id: product.id.clone(),
            name: product.name.clone(),
            price: tr.money(&product.price),
            price_plain: product.price.plain_da(),
            category: product.category.clone(),
            allergens: product.allergens.clone(),
            active: product.active,
            first: false,
            last: false,
        };
        match groups.last_mut() {
            Some(group) if group.category == product.category => group.rows.push(row),
            _ => groups.push(Group { category: product.category.clone(), rows: vec![row] }),
        }
    }
    for group in &mut groups {
        if let Some(first) = group.rows.first_mut() {
            first.first = true;
        }
        if let Some(last) = group.rows.last_mut() {
            last.last = true;
        }
    }
    let page = ProductsPage {
        sales_point_id: sales_point,
        sales_point: menu.sales_point,
        institution: menu.institution,
        groups,
        categories: menu.categories,
        price_hint: tr.fill("products.price_hint", &[("max", tr.money(&MAX_PRICE))]),
        category_hint: tr.fill("products.category_hint", &[("blockable", menu.blockable.join(", "))]),
        error: problem(&tr, done.error.as_deref()),
        p: v.page(notice(&tr, done.done.as_deref())),
    };
    Ok(render(page))
}

#[derive(Deserialize)]
struct ProductForm {
    name: String,
    price: String,
    category: String,
    #[serde(default)]
    allergens: String,
}

impl ProductForm {
    fn input(&self) -> ProductInput<'_> {
        ProductInput { name: &self.name, price: &self.price, category: &self.category, allergens: &self.allergens }
    }
}

async fn add(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    CsrfForm(form): CsrfForm<ProductForm>,
) -> Result<Response, PageError> {
    match products::add(&state.app, &actor, &sales_point, form.input()).await {
        Ok(id) => Ok(To::products(&sales_point).done("products.added").at_product(&id).redirect()),
        Err(e) => back(&v, &sales_point, e),
    }
}

async fn change(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((sales_point, product)): Path<(SalesPointId, ProductId)>,
    CsrfForm(form): CsrfForm<ProductForm>,
) -> Result<Response, PageError> {
    match products::change(&state.app, &actor, &sales_point, &product, form.input()).await {
        Ok(()) => Ok(To::products(&sales_point).done("products.saved").at_product(&product).redirect()),
        Err(e) => back(&v, &sales_point, e),
    }
}

#[derive(Deserialize)]
struct NoFields {}

async fn small_change(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path((sales_point, product, change)): Path<(SalesPointId, ProductId, String)>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let app = &state.app;
    let (done, result) = match change.as_str() {
        "hide" => (Some("products.hidden"), products::set_shown(app, &actor, &sales_point, &product, false).await),
        "show" => (Some("products.shown"), products::set_shown(app, &actor, &sales_point, &product, true).await),
        "up" => (None, products::move_product(app, &actor, &sales_point, &product, Move::Up).await),
        "down" => (None, products::move_product(app, &actor, &sales_point, &product, Move::Down).await),
        _ => return Err(v.fail(Problem::NotFound)),
    };
    match result {
        Ok(()) => {
            let to = To::products(&sales_point).at_product(&product);
            Ok(match done {
                Some(done) => to.done(done),
                None => to,
            }
            .redirect())
        }
        Err(e) => back(&v, &sales_point, e),
    }
}

/// A problem with the form goes back to the page as a catalogue key; a refusal
/// or a failure is an error page.
fn back(_v: &Visitor, sales_point: &SalesPointId, e: ProductError) -> Result<Response, PageError> {
    let key = match e {
        ProductError::BadName => "products.bad_name",
        ProductError::BadPrice => "products.bad_price",
        ProductError::BadCategory => "products.bad_category",
        ProductError::BadAllergens => "products.bad_allergens",
        ProductError::TooMany => "products.too_many",
        other => return Err(PageError::from(other)),
    };
    Ok(To::products(sales_point).error(key).redirect())
}
