//! `/api/v1/till/…`: what a till may ask, authenticated by its bearer token.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use saldo_app::purchase::{self, PurchaseOutcome, PurchaseRequest};
use saldo_app::TillRow;
use saldo_app::{tills, IdempotencyKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use crate::i18n::{text, Lang, Msg};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/till/products", get(products)).route("/api/v1/till/purchases", post(create_purchase))
}

/// The `Idempotency-Key` every money-moving till request carries.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<IdempotencyKey, ApiError> {
    headers
        .get("idempotency-key")
        .ok_or(ApiError::MissingIdempotencyKey)?
        .to_str()
        .map_err(|_| ApiError::InvalidIdempotencyKey)?
        .parse()
        .map_err(|_| ApiError::InvalidIdempotencyKey)
}

/// The calling till, from `Authorization: Bearer <token>`.
pub struct Till(pub TillRow);

impl FromRequestParts<AppState> for Till {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        let till = tills::authenticate(&state.app, token).await?.ok_or(ApiError::Unauthorized)?;
        Ok(Till(till))
    }
}

/// A product as the till shows it.
#[derive(Serialize, ToSchema)]
pub struct Product {
    pub id: String,
    pub name: String,
    /// Price in øre.
    pub price_ore: i64,
    pub category: String,
    /// The manager's allergen note (e.g. "gluten, mælk"); empty when there is none.
    pub allergens: String,
}

/// The products of the till's sales point, active ones only, in menu order.
#[utoipa::path(
    get, path = "/api/v1/till/products", tag = "till",
    security(("till_token" = [])),
    responses(
        (status = 200, description = "The sales point's products", body = [Product]),
        (status = 401, description = "No or unknown till token", body = super::error::ErrorBody),
    )
)]
pub async fn products(State(state): State<AppState>, Till(till): Till) -> Result<Json<Vec<Product>>, ApiError> {
    let products = tills::products(&state.app, &till).await?;
    Ok(Json(
        products
            .into_iter()
            .map(|p| Product {
                id: p.id.into(),
                name: p.name,
                price_ore: p.price.ore(),
                category: p.category,
                allergens: p.allergens,
            })
            .collect(),
    ))
}

/// A purchase: what was read off the card, and the basket. Prices come from the server.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseBody {
    /// The 16-digit card number (spaces allowed) or the chip's UID in hex
    /// (8, 14 or 20 digits; `:` or `-` between pairs allowed).
    #[schema(min_length = 8, max_length = 64, pattern = r"^[0-9A-Fa-f :\-]{8,64}$")]
    pub card: String,
    /// At least one line, at most 50.
    #[schema(min_items = 1, max_items = 50)]
    pub lines: Vec<PurchaseLine>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseLine {
    #[schema(min_length = 1)]
    pub product_id: String,
    /// 1 to 99 (`2.0` is read as 2).
    #[schema(minimum = 1, maximum = 99)]
    #[serde(deserialize_with = "super::json::whole_number")]
    pub quantity: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Approved {
    pub purchase_id: String,
    /// Always true.
    pub approved: bool,
    pub total_ore: i64,
    /// The balance after the purchase.
    pub balance_ore: i64,
    /// Spent today, this purchase included (towards the daily limit).
    pub spent_today_ore: i64,
    pub child: ApprovedChild,
}

#[derive(Serialize, ToSchema)]
pub struct ApprovedChild {
    pub first_name: String,
    /// A custodian's note for the staff (an allergy); empty when none.
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct Declined {
    /// Always false.
    pub approved: bool,
    /// `insufficient_funds`, `daily_limit_exceeded`, `card_blocked`, `card_not_active`, `unknown_card`,
    /// `wallet_closed` or `item_blocked`.
    pub reason: &'static str,
    /// Why, in Danish, for the child and the staff.
    pub message: &'static str,
    /// The balance, when the card is known.
    pub balance_ore: Option<i64>,
    /// For `item_blocked`: the item the custodian has said no to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// A custodian's note for the staff (an allergy); empty when none.
    pub note: String,
    /// For `daily_limit_exceeded`: what is left of today's limit, in øre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_today_ore: Option<i64>,
}

/// Charges a card for a basket, or says why not.
#[utoipa::path(
    post, path = "/api/v1/till/purchases", tag = "till",
    security(("till_token" = [])),
    params(("Idempotency-Key" = String, Header, min_length = 1, max_length = 200, pattern = "^[!-~]{1,200}$",
        description = "Unique per purchase attempt (1 to 200 visible ASCII characters, no spaces); \
                       retry with the same key and body to get the first answer again")),
    request_body = PurchaseBody,
    responses(
        (status = 201, description = "Approved: money moved", body = Approved),
        (status = 402, description = "Declined: nothing moved", body = Declined),
        (status = 400, description = "Malformed JSON or missing/invalid Idempotency-Key", body = super::error::ErrorBody),
        (status = 401, description = "No or unknown till token", body = super::error::ErrorBody),
        (status = 409, description = "The key was used with another body", body = super::error::ErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = super::error::ErrorBody),
        (status = 422, description = "Unreadable card, empty basket, bad quantity or unknown product", body = super::error::ErrorBody),
    )
)]
pub async fn create_purchase(
    State(state): State<AppState>,
    Till(till): Till,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    // The key is checked before the body, so a till learns first that it forgot it.
    let key = idempotency_key(&headers)?;
    let body: PurchaseBody = super::json::parse(body)?;
    let request = PurchaseRequest {
        card: body.card,
        lines: body
            .lines
            .into_iter()
            .map(|l| purchase::LineRequest { product_id: l.product_id.into(), quantity: l.quantity })
            .collect(),
    };
    let answer = purchase::purchase(&state.app, &till, &key, &request).await?;
    if !answer.replayed {
        crate::metrics::purchase(&answer.outcome);
    }
    Ok(match answer.outcome {
        PurchaseOutcome::Approved { purchase_id, total, balance, spent_today, first_name, note } => (
            StatusCode::CREATED,
            Json(Approved {
                purchase_id: purchase_id.into(),
                approved: true,
                total_ore: total.ore(),
                balance_ore: balance.ore(),
                spent_today_ore: spent_today.ore(),
                child: ApprovedChild { first_name, note },
            }),
        )
            .into_response(),
        PurchaseOutcome::Declined { reason, balance, item, note, left_today } => (
            StatusCode::PAYMENT_REQUIRED,
            Json(Declined {
                approved: false,
                reason: reason.code(),
                message: text(Msg::Declined(reason), Lang::Da),
                balance_ore: balance.map(|b| b.ore()),
                item,
                note,
                left_today_ore: left_today.map(|m| m.ore()),
            }),
        )
            .into_response(),
    })
}
