//! The portal's start page: every child of the family at a glance.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;
use saldo_app::{agreements, family};

use super::{notice, ChildCard, Done};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal", get(overview))
}

#[derive(Template)]
#[template(path = "portal/overview.html")]
struct OverviewPage {
    p: Page,
    children: Vec<ChildCard>,
    siblings: bool,
}

async fn overview(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let views = family::overview(&state.app, &actor).await.map_err(internal)?;
    let siblings = views.iter().filter(|c| c.is_custodian).count() >= 2;
    let mut children = Vec::with_capacity(views.len());
    for view in &views {
        let mut card = ChildCard::new(view, &v.tr);
        let agreements = agreements::on_child(&state.app, &actor, &view.child.child_id).await?;
        card.agreement = agreements.iter().find(|a| a.active).map(|a| {
            v.tr.fill("agreement.rule", &[("threshold", v.tr.money(&a.threshold)), ("amount", v.tr.money(&a.amount))])
        });
        card.purchases = family::last_purchases(&state.app, view, 3)
            .await
            .map_err(internal)?
            .iter()
            .map(|l| {
                let what: Vec<String> = l.lines.iter().map(|(name, qty, _)| format!("{qty} × {name}")).collect();
                let place = l.place.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
                format!(
                    "{}{place} · {} · {}",
                    what.join(", "),
                    v.tr.datetime(&l.at),
                    v.tr.money(&l.amount.checked_neg().unwrap_or(l.amount))
                )
            })
            .collect();
        children.push(card);
    }
    Ok(render(OverviewPage { p: v.page(notice(&v.tr, &done)), children, siblings }))
}
