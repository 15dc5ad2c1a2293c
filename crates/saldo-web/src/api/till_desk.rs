//! `/api/v1/till/…` beyond the sale: pairing a browser as a till, unlocking it
//! with a staff PIN, voids, line refunds and the day's report. Staff requests
//! carry the unlock token in `X-Till-Staff` beside the till's bearer token.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use saldo_app::till_setup::{self, TillStaff};
use saldo_app::{day_report, till_mistakes, TillRow};
use saldo_core::ids::EntryId;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::json::ApiJson;
use super::till::Till;
use crate::visitor::client_address;
use crate::AppState;

pub const STAFF_HEADER: &str = "x-till-staff";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/till/pair", post(pair))
        .route("/api/v1/till/me", get(me))
        .route("/api/v1/till/unlock", post(unlock))
        .route("/api/v1/till/lock", post(lock))
        .route("/api/v1/till/purchases/{purchase}/void", post(void))
        .route("/api/v1/till/purchases/{purchase}/refunds", post(refund_line))
        .route("/api/v1/till/day", get(day))
        .route("/api/v1/till/recent", get(recent))
}

/// A till with a staff member who unlocked it.
pub struct Staffed(pub TillRow, pub TillStaff);

impl FromRequestParts<AppState> for Staffed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Till(till) = Till::from_request_parts(parts, state).await?;
        let token = parts.headers.get(STAFF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("").trim().to_owned();
        let staff = till_setup::staff_at(&state.app, &till, &token).await?;
        Ok(Staffed(till, staff))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairBody {
    code: String,
}

#[derive(Serialize)]
struct TillInfo {
    till: String,
    sales_point: String,
    sales_point_id: String,
}

#[derive(Serialize)]
struct PairedBody {
    token: String,
    #[serde(flatten)]
    till: TillInfo,
}

fn info(till: &TillRow) -> TillInfo {
    TillInfo {
        till: till.name.clone(),
        sales_point: till.sales_point_name.clone(),
        sales_point_id: till.sales_point_id.to_string(),
    }
}

async fn pair(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(body): ApiJson<PairBody>,
) -> Result<Response, ApiError> {
    let source = client_address(&parts);
    let paired = till_setup::pair(&state.app, &body.code, &source).await?;
    Ok((StatusCode::CREATED, Json(PairedBody { token: paired.token, till: info(&paired.till) })).into_response())
}

async fn me(Till(till): Till) -> Json<TillInfo> {
    Json(info(&till))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnlockBody {
    pin: String,
}

#[derive(Serialize)]
struct UnlockedBody {
    staff_token: String,
    first_name: String,
    manager: bool,
}

async fn unlock(
    State(state): State<AppState>,
    Till(till): Till,
    ApiJson(body): ApiJson<UnlockBody>,
) -> Result<Json<UnlockedBody>, ApiError> {
    let unlocked = till_setup::unlock(&state.app, &till, body.pin.trim()).await?;
    Ok(Json(UnlockedBody {
        staff_token: unlocked.token,
        first_name: unlocked.staff.first_name,
        manager: unlocked.staff.manager,
    }))
}

async fn lock(State(state): State<AppState>, parts: Parts) -> Result<StatusCode, ApiError> {
    let token = parts.headers.get(STAFF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("").trim();
    till_setup::lock(&state.app, token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
struct GivenBackBody {
    entry_id: String,
    amount_ore: i64,
    balance_ore: i64,
}

async fn void(
    State(state): State<AppState>,
    Staffed(till, staff): Staffed,
    Path(purchase): Path<EntryId>,
) -> Result<Json<GivenBackBody>, ApiError> {
    let back = till_mistakes::void(&state.app, &till, &staff, &purchase).await?;
    Ok(Json(GivenBackBody {
        entry_id: back.entry_id.into(),
        amount_ore: back.amount.ore(),
        balance_ore: back.balance.ore(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundBody {
    /// The line's number in the sale, from 0.
    #[serde(deserialize_with = "super::json::whole_number")]
    line: i64,
    #[serde(deserialize_with = "super::json::whole_number")]
    quantity: i64,
    manager_pin: String,
}

/// Refunds a line; with the same `Idempotency-Key` again (an answer lost on
/// the network) the first refund is answered, and nothing more is given back.
async fn refund_line(
    State(state): State<AppState>,
    Staffed(till, _staff): Staffed,
    Path(purchase): Path<EntryId>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RefundBody>,
) -> Result<Json<GivenBackBody>, ApiError> {
    let key = super::till::idempotency_key(&headers)?;
    let refund = till_mistakes::LineRefund { purchase_id: &purchase, seq: body.line, quantity: body.quantity };
    let back = till_mistakes::refund_line(&state.app, &till, &refund, body.manager_pin.trim(), &key).await?;
    Ok(Json(GivenBackBody {
        entry_id: back.entry_id.into(),
        amount_ore: back.amount.ore(),
        balance_ore: back.balance.ore(),
    }))
}

#[derive(Serialize)]
struct RecentLine {
    line: i64,
    name: String,
    quantity: i64,
    refunded_quantity: i64,
    unit_price_ore: i64,
}

#[derive(Serialize)]
struct RecentBody {
    purchase_id: String,
    /// Local time, `HH:MM`.
    time: String,
    first_name: String,
    total_ore: i64,
    voided: bool,
    lines: Vec<RecentLine>,
}

/// Today's newest sales at the till's sales point, to refund a line from.
async fn recent(
    State(state): State<AppState>,
    Staffed(till, _staff): Staffed,
) -> Result<Json<Vec<RecentBody>>, ApiError> {
    let sales = till_mistakes::recent_sales(&state.app, &till).await?;
    let tz = saldo_core::day::local_tz();
    Ok(Json(
        sales
            .into_iter()
            .map(|s| RecentBody {
                time: jiff::Timestamp::from_microsecond(s.created_at)
                    .map(|t| t.to_zoned(tz.clone()).strftime("%H:%M").to_string())
                    .unwrap_or_default(),
                purchase_id: s.id.into(),
                first_name: s.first_name,
                total_ore: s.total.ore(),
                voided: s.voided,
                lines: s
                    .lines
                    .into_iter()
                    .map(|l| RecentLine {
                        line: l.seq,
                        name: l.name,
                        quantity: l.quantity,
                        refunded_quantity: l.refunded_quantity,
                        unit_price_ore: l.unit_price.ore(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Serialize)]
struct DayBody {
    day: String,
    sales_point: String,
    purchases: i64,
    gross_ore: i64,
    voids: i64,
    voided_ore: i64,
    refunded_ore: i64,
    net_ore: i64,
    by_product: Vec<(String, i64, i64)>,
    by_hour: Vec<(i8, i64, i64)>,
}

/// Today's report of the till's own sales point.
async fn day(State(state): State<AppState>, Staffed(till, _staff): Staffed) -> Result<Json<DayBody>, ApiError> {
    let today = saldo_core::day::local_day(state.app.now());
    let r = day_report::build(&state.app, &till.sales_point_id, today).await?;
    Ok(Json(DayBody {
        day: r.day.to_string(),
        sales_point: r.sales_point,
        purchases: r.purchases,
        gross_ore: r.gross.ore(),
        voids: r.voids,
        voided_ore: r.voided.ore(),
        refunded_ore: r.refunded.ore(),
        net_ore: r.net.ore(),
        by_product: r.by_product.into_iter().map(|p| (p.name, p.quantity, p.amount.ore())).collect(),
        by_hour: r.by_hour.into_iter().map(|h| (h.hour, h.purchases, h.amount.ore())).collect(),
    }))
}
