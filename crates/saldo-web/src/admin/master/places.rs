//! Institutions, sales points, tills and staff roles (/admin/master).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use saldo_app::master_data::{self, StaffForm};
use saldo_core::ids::{InstitutionId, PersonId, SalesPointId, TillId};
use serde::Deserialize;

use super::{back, mistake};
use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/master", get(overview))
        .route("/admin/master/institutions", post(add_institution))
        .route("/admin/master/institutions/{id}", post(edit_institution))
        .route("/admin/master/sales-points", post(add_sales_point))
        .route("/admin/master/sales-points/{id}", post(rename_sales_point))
        .route("/admin/master/tills/{id}", post(till_active))
        .route("/admin/master/staff", post(grant))
        .route("/admin/master/staff/{person}/revoke", post(revoke))
}

const BACK: &str = "/admin/master";

#[derive(Template)]
#[template(path = "admin/master.html")]
struct OverviewPage {
    p: Page,
    error: Option<String>,
    r: master_data::Registers,
    kinds: [&'static str; 3],
    roles: [&'static str; 5],
}

impl OverviewPage {
    fn kind_name(&self, kind: &str) -> &'static str {
        self.p.tr.t(match kind {
            "school" => "master.kind_school",
            "club" => "master.kind_club",
            _ => "master.kind_youth_school",
        })
    }

    fn role_name(&self, role: &str) -> &'static str {
        self.p.tr.t(match role {
            "office" => "master.role_office",
            "till_staff" => "master.role_till_staff",
            "till_manager" => "master.role_till_manager",
            "operator" => "master.role_operator",
            _ => "master.role_support",
        })
    }

    fn till_button(&self, name: &str, active: &bool) -> String {
        let key = if *active { "master.till_stop" } else { "master.till_start" };
        self.p.tr.fill(key, &[("name", name.to_owned())])
    }

    fn revoke_label(&self, name: &str) -> String {
        self.p.tr.fill("master.revoke", &[("name", name.to_owned())])
    }
}

#[derive(Deserialize, Default)]
struct ErrorQuery {
    error: Option<String>,
}

async fn overview(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(q): Query<ErrorQuery>,
) -> Result<Response, PageError> {
    let r = master_data::registers(&state.app, &actor).await?;
    let error = mistake(&v.tr, q.error.as_deref());
    Ok(render(OverviewPage {
        p: v.page(None),
        error,
        r,
        kinds: ["school", "club", "youth_school"],
        roles: ["office", "till_staff", "till_manager", "operator", "support"],
    }))
}

#[derive(Deserialize)]
struct InstitutionForm {
    name: String,
    kind: String,
    #[serde(default)]
    number: String,
}

async fn add_institution(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    CsrfForm(f): CsrfForm<InstitutionForm>,
) -> Result<Response, PageError> {
    back(BACK, master_data::add_institution(&state.app, &actor, &f.name, &f.kind, &f.number).await.map(drop))
}

async fn edit_institution(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(id): Path<InstitutionId>,
    CsrfForm(f): CsrfForm<InstitutionForm>,
) -> Result<Response, PageError> {
    back(BACK, master_data::edit_institution(&state.app, &actor, &id, &f.name, &f.kind, &f.number).await)
}

#[derive(Deserialize)]
struct SalesPointForm {
    #[serde(default)]
    institution: String,
    name: String,
}

async fn add_sales_point(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    CsrfForm(f): CsrfForm<SalesPointForm>,
) -> Result<Response, PageError> {
    let institution = InstitutionId::new(f.institution);
    back(BACK, master_data::add_sales_point(&state.app, &actor, &institution, &f.name).await.map(drop))
}

async fn rename_sales_point(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(id): Path<SalesPointId>,
    CsrfForm(f): CsrfForm<SalesPointForm>,
) -> Result<Response, PageError> {
    back(BACK, master_data::rename_sales_point(&state.app, &actor, &id, &f.name).await)
}

#[derive(Deserialize)]
struct TillForm {
    active: String,
}

async fn till_active(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(id): Path<TillId>,
    CsrfForm(f): CsrfForm<TillForm>,
) -> Result<Response, PageError> {
    back(BACK, master_data::set_till_active(&state.app, &actor, &id, f.active == "1").await)
}

#[derive(Deserialize)]
struct GrantForm {
    email: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    role: String,
    #[serde(default)]
    scope: String,
}

async fn grant(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    CsrfForm(f): CsrfForm<GrantForm>,
) -> Result<Response, PageError> {
    let form =
        StaffForm { email: f.email, first_name: f.first_name, last_name: f.last_name, role: f.role, scope: f.scope };
    back(BACK, master_data::grant_role(&state.app, &actor, &form).await.map(drop))
}

#[derive(Deserialize)]
struct RevokeForm {
    role: String,
    #[serde(default)]
    scope: String,
}

async fn revoke(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(person): Path<PersonId>,
    CsrfForm(f): CsrfForm<RevokeForm>,
) -> Result<Response, PageError> {
    back(BACK, master_data::revoke_role(&state.app, &actor, &person, &f.role, &f.scope).await)
}
