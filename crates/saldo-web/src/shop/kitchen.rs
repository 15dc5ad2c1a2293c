//! `/sales-points/{sales_point}/kitchen`: the kitchen's day: portions to
//! make per dish and the pick list per child, on screen, printable (A4,
//! large type, from the same page) and as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_app::kitchen::{self, KitchenDay};
use saldo_core::day::local_day;
use saldo_core::ids::SalesPointId;
use saldo_core::shop::{Calendar, ShopOrderState};
use serde::Deserialize;

use super::allergen_names;
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sales-points/{sales_point}/kitchen", get(page))
        .route("/sales-points/{sales_point}/kitchen.csv", get(csv))
}

#[derive(Deserialize, Default)]
struct DayQuery {
    day: Option<String>,
}

struct Child {
    name: String,
    class_name: String,
    dishes: Vec<(String, bool)>,
    allergens: String,
    note: String,
}

#[derive(Template)]
#[template(path = "shop/kitchen.html")]
struct KitchenPage {
    p: Page,
    sales_point_id: SalesPointId,
    sales_point: String,
    day_iso: String,
    day: String,
    state_line: String,
    counts: Vec<(String, i64)>,
    children: Vec<Child>,
    earlier: String,
    later: String,
}

/// The day asked for, or the next weekday from today (the kitchen's next day of work).
async fn day_of(state: &AppState, q: &DayQuery) -> jiff::civil::Date {
    if let Some(day) = q.day.as_deref().and_then(|d| d.parse().ok()) {
        return day;
    }
    let mut day = local_day(state.app.now());
    for _ in 0..7 {
        if Calendar::default().is_school_day(day) {
            break;
        }
        day = day.tomorrow().unwrap_or(day);
    }
    day
}

async fn page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    Query(q): Query<DayQuery>,
) -> Result<Response, PageError> {
    let day = day_of(&state, &q).await;
    let k: KitchenDay = kitchen::kitchen(&state.app, &actor, &sales_point, day).await?;
    let tr = v.tr;
    let deadline = tr.datetime(&k.order_deadline.as_microsecond());
    let state_line = if k.frozen {
        tr.fill("shop.kitchen.frozen", &[("deadline", deadline)])
    } else {
        tr.fill("shop.kitchen.live", &[("deadline", deadline)])
    };
    let step = |n: i64| day.checked_add(jiff::Span::new().days(n)).map(|d| d.to_string()).unwrap_or_default();
    let children = k
        .children
        .iter()
        .map(|c| Child {
            name: c.name.clone(),
            class_name: c.class_name.clone(),
            dishes: c
                .dishes
                .iter()
                .map(|d| {
                    let cancelled = d.state == ShopOrderState::Cancelled;
                    let mut text = format!("{} × {}", d.quantity, d.name);
                    if d.state != ShopOrderState::Paid {
                        text.push_str(&format!(" ({})", tr.t(&format!("shop.state.{}", d.state.as_str()))));
                    }
                    (text, cancelled)
                })
                .collect(),
            allergens: allergen_names(&tr, &c.allergens),
            note: c.note.clone(),
        })
        .collect();
    Ok(render(KitchenPage {
        sales_point_id: k.sales_point_id,
        sales_point: k.sales_point,
        day_iso: day.to_string(),
        day: tr.date(day),
        state_line,
        counts: k.counts,
        children,
        earlier: step(-1),
        later: step(1),
        p: v.page(None),
    }))
}

async fn csv(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(sales_point): Path<SalesPointId>,
    Query(q): Query<DayQuery>,
) -> Result<Response, PageError> {
    let day = day_of(&state, &q).await;
    let k = kitchen::kitchen(&state.app, &actor, &sales_point, day).await?;
    let disposition = format!("attachment; filename=\"plukliste-{day}.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        k.csv(saldo_app::texts::Texts::new(v.tr.lang)),
    )
        .into_response())
}
