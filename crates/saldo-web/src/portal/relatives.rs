//! Relatives on the portal: the custodian's page, and the invitation's landing page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::relatives::{self, RelativeError};
use saldo_app::{PendingInvitation, RelativeView};
use saldo_core::ids::{ChildId, PersonId};
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::page_error::{internal, render, PageError, Problem};
use crate::paths::To;
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/relatives", get(page).post(invite))
        .route("/portal/children/{child}/relatives/{person}/remove", post(remove))
        .route("/portal/children/{child}/invitations/{invitation}/withdraw", post(withdraw))
        .route("/invitations/{token}", get(landing).post(accept))
}

#[derive(Template)]
#[template(path = "portal/relatives.html")]
struct RelativesPage {
    p: Page,
    c: Named,
    relatives: Vec<RelativeView>,
    pending: Vec<PendingInvitation>,
    error: Option<String>,
    /// Until the person has logged in recently enough: confirm before inviting.
    step_up: Option<crate::public::StepUpBox>,
}

struct Named {
    id: ChildId,
    name: String,
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

async fn show(
    state: &AppState,
    v: &Visitor,
    actor: &saldo_app::Actor,
    child: &ChildId,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let view = relatives::view(&state.app, actor, child).await?;
    let step_up = crate::public::StepUpBox::for_actor(state, actor, &To::relatives(child).href()).await?;
    Ok(render(RelativesPage {
        step_up,
        c: Named { id: view.child.child.child_id.clone(), name: view.child.child.first_name.clone() },
        relatives: view.relatives,
        pending: view.pending,
        error,
        p: v.page(notice),
    }))
}

async fn page(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let notice = done
        .done
        .as_deref()
        .filter(|d| ["relatives.sent", "relatives.removed", "relatives.withdrawn"].contains(d))
        .map(|d| v.tr.t(d).to_owned());
    show(&state, &v, &actor, &child, notice, None).await
}

#[derive(Deserialize)]
struct InviteForm {
    email: String,
    #[serde(default)]
    message: String,
}

async fn invite(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> Result<Response, PageError> {
    let error = match relatives::invite(&state.app, &actor, &child, &form.email, &form.message).await {
        Ok(()) => return Ok(To::relatives(&child).done("relatives.sent").redirect()),
        Err(RelativeError::NotAnEmail) => v.tr.t("relatives.not_email"),
        Err(RelativeError::MessageTooLong) => v.tr.t("relatives.too_long"),
        Err(RelativeError::AlreadyCustodian) => v.tr.t("relatives.custodian"),
        Err(e) => return Err(PageError::from(e)),
    };
    show(&state, &v, &actor, &child, None, Some(error.into())).await
}

#[derive(Deserialize)]
struct NoFields {}

async fn remove(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path((child, person)): Path<(ChildId, PersonId)>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    relatives::remove(&state.app, &actor, &child, &person).await?;
    Ok(To::relatives(&child).done("relatives.removed").redirect())
}

async fn withdraw(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path((child, invitation)): Path<(ChildId, String)>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    relatives::withdraw(&state.app, &actor, &child, &invitation).await?;
    Ok(To::relatives(&child).done("relatives.withdrawn").redirect())
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    p: Page,
    open: bool,
    intro: String,
    message: String,
    token: String,
    signed_in: bool,
    error: Option<String>,
}

async fn invitation_page(
    state: &AppState,
    v: &Visitor,
    token: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    let view = relatives::open_invitation(&state.app, token).await.map_err(internal)?;
    let Some(view) = view else { return Err(v.fail(Problem::NotFound)) };
    let intro =
        v.tr.fill("invitation.intro", &[("from", view.invited_by.clone()), ("child", view.child_first_name.clone())]);
    Ok(render(InvitationPage {
        open: view.open,
        intro,
        message: view.message.clone(),
        token: token.to_owned(),
        signed_in: v.actor.is_some(),
        error,
        p: v.page(None),
    }))
}

/// The link in the invitation mail: a page with a button (mail scanners must not accept for anyone).
async fn landing(State(state): State<AppState>, v: Visitor, Path(token): Path<String>) -> Result<Response, PageError> {
    invitation_page(&state, &v, &token, None).await
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    name: String,
}

async fn accept(
    State(state): State<AppState>,
    v: Visitor,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<AcceptForm>,
) -> Result<Response, PageError> {
    let error = match relatives::accept(&state.app, &token, v.actor.as_ref(), &form.name, &v.source).await {
        // A new relative is signed in the way any login signs in.
        Ok(Some(session)) => return crate::public::signed_in(&state, &v, &session).await,
        Ok(None) => return Ok(Redirect::to("/portal").into_response()),
        Err(RelativeError::WrongAccount) => v.tr.t("invitation.wrong_account"),
        Err(RelativeError::NameMissing) => v.tr.t("invitation.name_missing"),
        Err(RelativeError::InvitationClosed) => v.tr.t("invitation.closed"),
        Err(RelativeError::AlreadyCustodian) => v.tr.t("relatives.custodian"),
        Err(e) => return Err(PageError::from(e)),
    };
    let page = invitation_page(&state, &v, &token, Some(error.into())).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
