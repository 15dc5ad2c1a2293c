//! `/api/v1/till/orders/today` and `/api/v1/till/hand-outs`: the webshop at
//! the till. A scan asks what the card's child ordered for today here;
//! "Udleveret" hands it out (the money becomes the sales point's revenue).
//! Not part of a purchase: the sale's request stays as it was.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use saldo_app::hand_out::{self, HandOutError, HandOutOutcome, TillOrders};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiError;
use super::till::{idempotency_key, Till};
use crate::i18n::{Lang, Tr};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/till/orders/today", post(today)).route("/api/v1/till/hand-outs", post(create_hand_out))
}

/// What was read off the card.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardBody {
    /// The 16-digit card number (spaces allowed) or the chip's UID in hex
    /// (8, 14 or 20 digits; `:` or `-` between pairs allowed).
    #[schema(min_length = 8, max_length = 64, pattern = r"^[0-9A-Fa-f :\-]{8,64}$")]
    pub card: String,
}

/// One ordered dish.
#[derive(Serialize, ToSchema)]
pub struct OrderLine {
    pub name: String,
    pub quantity: i64,
    pub amount_ore: i64,
    /// `paid` (waiting to be handed out), `handed_out` or `not_collected`.
    pub state: String,
    /// When it was handed out (RFC 3339), if it was.
    pub handed_out_at: Option<String>,
}

/// What the child ordered for today at this till's sales point.
#[derive(Serialize, ToSchema)]
pub struct TodayOrders {
    pub first_name: String,
    pub lines: Vec<OrderLine>,
    /// Something is waiting to be handed out.
    pub to_hand_out: bool,
    /// What the till shows, in Danish: "Ida har bestilt: 1 × Pastasalat", or when it was handed out.
    pub message: String,
}

/// The answer to a hand-out.
#[derive(Serialize, ToSchema)]
pub struct HandOutAnswer {
    /// `handed_out`, `already_handed_out` or `nothing_ordered`.
    pub outcome: &'static str,
    pub first_name: String,
    pub lines: Vec<OrderLine>,
    /// What moved to revenue now (0 unless `handed_out`).
    pub total_ore: i64,
    /// For `already_handed_out`: when (RFC 3339).
    pub handed_out_at: Option<String>,
    /// What the till shows, in Danish.
    pub message: String,
}

fn rfc3339(micros: Option<i64>) -> Option<String> {
    micros.and_then(|us| jiff::Timestamp::from_microsecond(us).ok()).map(|at| at.to_string())
}

fn lines(orders: &TillOrders) -> Vec<OrderLine> {
    orders
        .lines
        .iter()
        .map(|l| OrderLine {
            name: l.name.clone(),
            quantity: l.quantity,
            amount_ore: l.amount.ore(),
            state: l.state.clone(),
            handed_out_at: if l.state == "handed_out" { rfc3339(l.closed_at) } else { None },
        })
        .collect()
}

/// "1 × Pastasalat, 2 × Frugt" of what waits, or of everything when nothing does.
fn dishes(orders: &TillOrders) -> String {
    let open: Vec<String> = orders.to_hand_out().map(|l| format!("{} × {}", l.quantity, l.name)).collect();
    if !open.is_empty() {
        return open.join(", ");
    }
    orders.lines.iter().map(|l| format!("{} × {}", l.quantity, l.name)).collect::<Vec<_>>().join(", ")
}

fn message(orders: &TillOrders) -> String {
    let tr = Tr::new(Lang::Da);
    let name = orders.first_name.clone();
    if orders.to_hand_out().next().is_some() {
        return tr.fill("till.shop.ordered", &[("name", name), ("dishes", dishes(orders))]);
    }
    match orders.handed_out_at() {
        Some(at) => {
            tr.fill("till.shop.already", &[("name", name), ("dishes", dishes(orders)), ("at", tr.datetime(&at))])
        }
        None => tr.fill("till.shop.nothing", &[("name", name)]),
    }
}

/// What the card's child ordered for today here (a read; nothing moves).
#[utoipa::path(
    post, path = "/api/v1/till/orders/today", tag = "till",
    security(("till_token" = [])),
    request_body = CardBody,
    responses(
        (status = 200, description = "Today's orders of the card's child at this sales point", body = TodayOrders),
        (status = 400, description = "Malformed JSON", body = super::error::ErrorBody),
        (status = 401, description = "No or unknown till token", body = super::error::ErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = super::error::ErrorBody),
        (status = 422, description = "Unreadable or unknown card, or a body of another shape", body = super::error::ErrorBody),
    )
)]
pub async fn today(
    State(state): State<AppState>,
    Till(till): Till,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<TodayOrders>, ApiError> {
    let body: CardBody = super::json::parse(body)?;
    let orders = hand_out::orders_today(&state.app, &till, &body.card).await?;
    let to_hand_out = orders.to_hand_out().next().is_some();
    let answer = TodayOrders {
        first_name: orders.first_name.clone(),
        lines: lines(&orders),
        to_hand_out,
        message: message(&orders),
    };
    Ok(Json(answer))
}

/// Hands out today's orders of the card's child: they become the sales point's revenue.
#[utoipa::path(
    post, path = "/api/v1/till/hand-outs", tag = "till",
    security(("till_token" = [])),
    params(("Idempotency-Key" = String, Header, min_length = 1, max_length = 200, pattern = "^[!-~]{1,200}$",
        description = "Unique per hand-out (1 to 200 visible ASCII characters, no spaces); \
                       retry with the same key and body to get the first answer again")),
    request_body = CardBody,
    responses(
        (status = 200, description = "Handed out now, handed out before (and when), or nothing ordered", body = HandOutAnswer),
        (status = 400, description = "Malformed JSON or missing/invalid Idempotency-Key", body = super::error::ErrorBody),
        (status = 401, description = "No or unknown till token", body = super::error::ErrorBody),
        (status = 403, description = "The card is blocked or not active", body = super::error::ErrorBody),
        (status = 409, description = "The key was used for another card, or the order changed meanwhile", body = super::error::ErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = super::error::ErrorBody),
        (status = 422, description = "Unreadable or unknown card, or a body of another shape", body = super::error::ErrorBody),
    )
)]
pub async fn create_hand_out(
    State(state): State<AppState>,
    Till(till): Till,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<HandOutAnswer>, ApiError> {
    let key = idempotency_key(&headers)?;
    let body: CardBody = super::json::parse(body)?;
    let outcome = hand_out::hand_out(&state.app, &till, &key, &body.card).await?;
    let (name, orders, total, at) = match &outcome {
        HandOutOutcome::HandedOut { orders, total } => ("handed_out", orders, total.ore(), None),
        HandOutOutcome::AlreadyHandedOut { orders, at } => ("already_handed_out", orders, 0, rfc3339(Some(*at))),
        HandOutOutcome::NothingOrdered { orders } => ("nothing_ordered", orders, 0, None),
    };
    let message = match &outcome {
        HandOutOutcome::HandedOut { orders, .. } => Tr::new(Lang::Da)
            .fill("till.shop.handed_out", &[("name", orders.first_name.clone()), ("dishes", dishes(orders))]),
        _ => message(orders),
    };
    Ok(Json(HandOutAnswer {
        outcome: name,
        first_name: orders.first_name.clone(),
        lines: lines(orders),
        total_ore: total,
        handed_out_at: at,
        message,
    }))
}

impl From<HandOutError> for ApiError {
    fn from(e: HandOutError) -> Self {
        ApiError::HandOut(e)
    }
}
