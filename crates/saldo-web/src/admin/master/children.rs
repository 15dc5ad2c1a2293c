//! Children and their custodians in the registers (/admin/master/children):
//! find, add, correct or move, mark as left or back, link and unlink custodians.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::master_data::{self, ChildEntry, ChildForm, InstitutionEntry, MasterError};
use saldo_core::ids::{ChildId, InstitutionId, PersonId};
use serde::Deserialize;

use super::{back, mistake};
use crate::csrf::CsrfForm;
use crate::page_error::{render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/master/children", get(list).post(add))
        .route("/admin/master/children/{id}", get(show).post(edit))
        .route("/admin/master/children/{id}/left", post(left))
        .route("/admin/master/children/{id}/custodians", post(add_custodian))
        .route("/admin/master/children/{id}/custodians/{person}/remove", post(remove_custodian))
}

/// A child in a list, in words.
struct Row {
    id: ChildId,
    name: String,
    place: String,
    left: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/master_children.html")]
struct ListPage {
    p: Page,
    error: Option<String>,
    q: String,
    school: String,
    rows: Vec<Row>,
    schools: Vec<InstitutionEntry>,
    clubs: Vec<InstitutionEntry>,
}

#[derive(Template)]
#[template(path = "admin/master_child.html")]
struct ChildPage {
    p: Page,
    error: Option<String>,
    c: ChildEntry,
    left: Option<String>,
    /// (person, name, e-mail, is custodian)
    relations: Vec<(PersonId, String, String, bool)>,
    schools: Vec<InstitutionEntry>,
    clubs: Vec<InstitutionEntry>,
}

impl ChildPage {
    fn remove_label(&self, name: &str) -> String {
        self.p.tr.fill("master.remove_custodian", &[("name", name.to_owned())])
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    school: String,
    error: Option<String>,
}

fn place(c: &ChildEntry) -> String {
    let mut text = c.school.clone().unwrap_or_default();
    if let Some(class) = &c.class_name {
        text.push_str(&format!(" {class}"));
    }
    if let Some(club) = &c.club {
        text.push_str(&format!(", {club}"));
    }
    text
}

/// Schools (and youth schools) and clubs, for the forms' choices.
async fn places(
    state: &AppState,
    actor: &saldo_app::Actor,
) -> Result<(Vec<InstitutionEntry>, Vec<InstitutionEntry>), PageError> {
    let all = master_data::registers(&state.app, actor).await?.institutions;
    let (clubs, schools) = all.into_iter().partition(|i| i.kind == "club");
    Ok((schools, clubs))
}

async fn list(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let school = (!q.school.is_empty()).then(|| InstitutionId::new(q.school.clone()));
    let found = master_data::find_children(&state.app, &actor, &q.q, school.as_ref()).await?;
    let rows = found
        .iter()
        .map(|c| Row {
            id: c.id.clone(),
            name: format!("{} {}", c.first_name, c.last_name),
            place: place(c),
            left: c.left_at.map(|at| v.tr.datetime(&at)),
        })
        .collect();
    let (schools, clubs) = places(&state, &actor).await?;
    let error = mistake(&v.tr, q.error.as_deref());
    Ok(render(ListPage { p: v.page(None), error, q: q.q, school: q.school, rows, schools, clubs }))
}

#[derive(Deserialize)]
struct ChildFields {
    first_name: String,
    last_name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    class_name: String,
    #[serde(default)]
    club: String,
}

impl From<ChildFields> for ChildForm {
    fn from(f: ChildFields) -> Self {
        ChildForm {
            first_name: f.first_name,
            last_name: f.last_name,
            birth_date: f.birth_date,
            number: f.number,
            school: f.school,
            class_name: f.class_name,
            club: f.club,
        }
    }
}

async fn add(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    CsrfForm(f): CsrfForm<ChildFields>,
) -> Result<Response, PageError> {
    match master_data::add_child(&state.app, &actor, &f.into()).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/master/children/{id}")).into_response()),
        Err(e) => back("/admin/master/children", Err(e)),
    }
}

#[derive(Deserialize, Default)]
struct ErrorQuery {
    error: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(id): Path<ChildId>,
    Query(q): Query<ErrorQuery>,
) -> Result<Response, PageError> {
    let page = master_data::child(&state.app, &actor, &id).await?;
    let (schools, clubs) = places(&state, &actor).await?;
    let relations = page
        .relations
        .into_iter()
        .map(|(person, name, email, kind)| (person, name, email.unwrap_or_default(), kind == "custodian"))
        .collect();
    Ok(render(ChildPage {
        error: mistake(&v.tr, q.error.as_deref()),
        left: page.child.left_at.map(|at| v.tr.datetime(&at)),
        p: v.page(None),
        c: page.child,
        relations,
        schools,
        clubs,
    }))
}

fn child_path(id: &ChildId) -> String {
    format!("/admin/master/children/{id}")
}

async fn edit(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(id): Path<ChildId>,
    CsrfForm(f): CsrfForm<ChildFields>,
) -> Result<Response, PageError> {
    back(&child_path(&id), master_data::edit_child(&state.app, &actor, &id, &f.into()).await)
}

#[derive(Deserialize)]
struct LeftForm {
    left: String,
}

async fn left(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(id): Path<ChildId>,
    CsrfForm(f): CsrfForm<LeftForm>,
) -> Result<Response, PageError> {
    back(&child_path(&id), master_data::set_left(&state.app, &actor, &id, f.left == "1").await)
}

#[derive(Deserialize)]
struct CustodianForm {
    email: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
}

async fn add_custodian(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(id): Path<ChildId>,
    CsrfForm(f): CsrfForm<CustodianForm>,
) -> Result<Response, PageError> {
    let done = master_data::add_custodian(&state.app, &actor, &id, &f.email, &f.first_name, &f.last_name).await;
    back(&child_path(&id), done.map(drop))
}

#[derive(Deserialize)]
struct NoFields {}

async fn remove_custodian(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path((id, person)): Path<(ChildId, PersonId)>,
    CsrfForm(_f): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let done: Result<(), MasterError> = master_data::remove_custodian(&state.app, &actor, &id, &person).await;
    back(&child_path(&id), done)
}
