//! The JSON API: the contract tills and integrations code against.

pub mod error;
pub mod hand_out;
pub mod json;
pub mod till;
pub mod till_desk;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Saldo API",
        description = "Saldo's till API: products of a till's sales point, purchases paid by card, and the \
                       hand-out of webshop orders. \
                       Amounts are integer øre (1 kr. = 100 øre). Every purchase carries an Idempotency-Key: \
                       the same key and body again returns the first answer and moves money once.",
        version = "1"
    ),
    paths(till::products, till::create_purchase, hand_out::today, hand_out::create_hand_out),
    components(schemas(
        till::Product,
        till::PurchaseBody,
        till::PurchaseLine,
        till::Approved,
        till::ApprovedChild,
        till::Declined,
        hand_out::CardBody,
        hand_out::OrderLine,
        hand_out::TodayOrders,
        hand_out::HandOutAnswer,
        error::ErrorBody
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "till_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The till's device token, issued when the till is registered."))
                    .build(),
            ),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .merge(till::router())
        .merge(till_desk::router())
        .merge(hand_out::router())
}
