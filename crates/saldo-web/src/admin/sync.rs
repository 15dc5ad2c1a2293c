//! The school-year sync on the web (/admin/sync): upload the school
//! administration's export, see the diff (who arrives, moves, leaves, whose
//! custodians change, which rows were set aside), then apply it.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::school_sync::{self, Place, Plan, SyncError};
use serde::Deserialize;

use crate::csrf::{CsrfForm, CsrfUpload};
use crate::i18n::Tr;
use crate::page_error::{internal, render, PageError, Problem};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/sync", get(upload_page))
        .route("/admin/sync", post(upload).layer(DefaultBodyLimit::max(saldo_app::school_sync::MAX_UPLOAD_BYTES)))
        .route("/admin/sync/{file}", get(diff_page))
        .route("/admin/sync/{file}/apply", post(apply))
}

impl From<SyncError> for PageError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Refused(refusal) => refusal.into(),
            SyncError::UnknownFile(_) => PageError(Problem::NotFound),
            other => internal(other),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/sync.html")]
struct UploadPage {
    p: Page,
    error: Option<String>,
}

/// One line of the diff, in words.
struct Line {
    who: String,
    what: String,
}

#[derive(Template)]
#[template(path = "admin/sync_diff.html")]
struct DiffPage {
    p: Page,
    file_id: String,
    /// Which file, uploaded when.
    about: String,
    /// What was applied now, or when it was applied before.
    status: Option<String>,
    /// This page answers an apply.
    done: bool,
    /// (what, how many, its element id)
    counts: Vec<(&'static str, usize, &'static str)>,
    sections: Vec<(&'static str, Vec<Line>)>,
    unchanged: usize,
    changes: usize,
    apply_label: String,
}

async fn upload_page(Signed(v, actor): Signed) -> Result<Response, PageError> {
    school_sync::must_keep_registers(&actor)?;
    Ok(render(UploadPage { p: v.page(None), error: None }))
}

async fn upload(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    file: CsrfUpload,
) -> Result<Response, PageError> {
    match school_sync::upload(&state.app, Some(&actor), &file.name, &file.bytes).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/sync/{id}")).into_response()),
        Err(SyncError::File(e)) => {
            let error = v.tr.fill("sync.unreadable", &[("why", file_problem(&v.tr, &e))]);
            Ok(render(UploadPage { p: v.page(None), error: Some(error) }))
        }
        Err(SyncError::TooLarge) => {
            Ok(render(UploadPage { p: v.page(None), error: Some(v.tr.t("sync.too_large").to_owned()) }))
        }
        Err(e) => Err(e.into()),
    }
}

fn file_problem(tr: &Tr, error: &school_sync::FileError) -> String {
    match error {
        school_sync::FileError::Empty => tr.t("sync.empty").to_owned(),
        school_sync::FileError::Columns { .. } => tr.t("sync.columns").to_owned(),
        school_sync::FileError::TooMany => tr.t("sync.too_many").to_owned(),
    }
}

fn place(tr: &Tr, p: &Place) -> String {
    let mut text = p.school.clone();
    if let Some(class) = &p.class_name {
        text.push_str(&format!(", {} {class}", tr.t("sync.class")));
    }
    if let Some(club) = &p.club {
        text.push_str(&format!(", {club}"));
    }
    text
}

fn lines(tr: &Tr, plan: &Plan) -> [Vec<Line>; 5] {
    let name = |first: &str, last: &str| format!("{first} {last}");
    let arrivals = plan
        .arrivals
        .iter()
        .map(|a| {
            let custodians: Vec<String> = a.custodians.iter().map(|c| c.name()).collect();
            Line {
                who: format!("{} ({})", name(&a.pupil.first_name, &a.pupil.last_name), a.pupil.number),
                what: tr
                    .fill("sync.arrives_at", &[("place", place(tr, &a.place)), ("custodians", custodians.join(", "))]),
            }
        })
        .collect();
    let moves = plan
        .moves
        .iter()
        .map(|m| Line {
            who: m.name.clone(),
            what: if m.returns {
                tr.fill("sync.returns", &[("to", place(tr, &m.to))])
            } else {
                tr.fill("sync.moves_to", &[("from", place(tr, &m.from)), ("to", place(tr, &m.to))])
            },
        })
        .collect();
    let leavers = plan
        .leavers
        .iter()
        .map(|l| Line { who: l.name.clone(), what: tr.fill("sync.leaves", &[("from", place(tr, &l.place))]) })
        .collect();
    let custodians = plan
        .custodian_changes
        .iter()
        .map(|c| {
            let added: Vec<String> = c.added.iter().map(|a| a.name()).collect();
            let removed: Vec<String> = c.removed.iter().map(|(_, n)| n.clone()).collect();
            let none = || tr.t("sync.nobody").to_owned();
            let or_none = |names: Vec<String>| if names.is_empty() { none() } else { names.join(", ") };
            Line {
                who: c.name.clone(),
                what: tr.fill("sync.custodians_change", &[("added", or_none(added)), ("removed", or_none(removed))]),
            }
        })
        .collect();
    let rejected = plan
        .rejected
        .iter()
        .map(|r| Line { who: tr.fill("sync.line", &[("line", r.line.to_string())]), what: r.reason.clone() })
        .collect();
    [arrivals, moves, leavers, custodians, rejected]
}

fn diff(v: &crate::visitor::Visitor, file: &saldo_app::SyncFile, plan: &Plan, done: bool) -> DiffPage {
    let tr = &v.tr;
    let [arrivals, moves, leavers, custodians, rejected] = lines(tr, plan);
    let counts = vec![
        ("sync.arrivals", arrivals.len(), "count-arrivals"),
        ("sync.moves", moves.len(), "count-moves"),
        ("sync.leavers", leavers.len(), "count-leavers"),
        ("sync.custodians", custodians.len(), "count-custodians"),
        ("sync.rejected", rejected.len(), "count-rejected"),
    ];
    let status = if done {
        Some(tr.fill("sync.applied_now", &[("count", plan.changes().to_string())]))
    } else {
        file.applied_at.map(|at| tr.fill("sync.applied_before", &[("at", tr.datetime(&at))]))
    };
    DiffPage {
        p: v.page(None),
        file_id: file.id.clone(),
        about: tr.fill("sync.file_was", &[("name", file.name.clone()), ("at", tr.datetime(&file.uploaded_at))]),
        status,
        done,
        counts,
        sections: vec![
            ("sync.arrivals", arrivals),
            ("sync.moves", moves),
            ("sync.leavers", leavers),
            ("sync.custodians", custodians),
            ("sync.rejected", rejected),
        ],
        unchanged: plan.unchanged,
        changes: plan.changes(),
        apply_label: tr.fill("sync.apply", &[("count", plan.changes().to_string())]),
    }
}

async fn diff_page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(file_id): Path<String>,
) -> Result<Response, PageError> {
    let (file, plan) = school_sync::preview(&state.app, Some(&actor), &file_id).await?;
    Ok(render(diff(&v, &file, &plan, false)))
}

#[derive(Deserialize)]
struct NoFields {}

async fn apply(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(file_id): Path<String>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let applied = school_sync::apply(&state.app, Some(&actor), &file_id).await?;
    let file = state.app.store.sync_file(&applied.file_id).await?.ok_or(PageError(Problem::NotFound))?;
    Ok(render(diff(&v, &file, &applied.plan, true)))
}
