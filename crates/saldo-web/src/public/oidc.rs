//! Logging in over OpenID Connect: parents with MitID (a broker), staff with
//! the municipality's identity provider. The protocol and every rule are in
//! `saldo_app::login`; here the HTTP: the button that starts it, the
//! provider's callback, binding a first MitID login by e-mail link, and the
//! step-up before a payout, a new relative or closing an account.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::login::{self, Audience, Callback, Finished, LoginError};
use saldo_app::Actor;
use saldo_core::login::StepUp;
use serde::Deserialize;

use crate::cookies::{cookie, OIDC_COOKIE, PENDING_COOKIE};
use crate::csrf::CsrfForm;
use crate::page::Message;
use crate::page_error::{internal, render, PageError, Problem};
use crate::paths::{self, To};
use crate::visitor::{
    clear_oidc_cookie, clear_pending_cookie, next_cookie, oidc_cookie, pending_cookie, Page, Signed, Visitor,
};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login/oidc/{audience}", post(start))
        .route("/login/oidc/{audience}/callback", get(callback))
        .route("/login/mitid/bind", get(bind_page).post(ask_binding))
        .route("/login/mitid/bind/use", post(use_binding))
        .route("/login/mitid/sent", get(bind_sent))
        .route("/login/step-up", post(step_up))
}

fn audience(text: &str) -> Result<Audience, PageError> {
    Audience::parse(text).ok_or(PageError(Problem::NotFound))
}

fn with_cookie(mut response: Response, value: String) -> Response {
    if let Ok(value) = value.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize)]
struct NoFields {}

/// The login button: off to the provider, with this browser's cookie.
async fn start(
    State(state): State<AppState>,
    v: Visitor,
    Path(audience_name): Path<String>,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    let audience = audience(&audience_name)?;
    let started = login::start(&state.app, audience, None, "", v.tr.code()).await?;
    let secure = state.app.settings.secure_cookies();
    Ok(with_cookie(paths::provider(&started.url), oidc_cookie(&started.browser, secure)))
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

/// The provider sends the browser back here.
async fn callback(
    State(state): State<AppState>,
    v: Visitor,
    Path(audience_name): Path<String>,
    Query(q): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let audience = audience(&audience_name)?;
    let browser = cookie(headers.get_all(COOKIE).iter(), OIDC_COOKIE);
    let answer = Callback { code: q.code, state: q.state, error: q.error, iss: q.iss };
    let finished = login::finish(&state.app, audience, answer, browser.as_deref(), &v.source).await?;
    let response = match finished {
        // A login goes where `signed_in` says (home, or the page a QR code opened).
        Finished::SignedIn { session, .. } => crate::public::signed_in(&state, &v, &session).await?,
        Finished::SteppedUp { return_to } => To::same_site(&return_to).redirect(),
        Finished::Unknown { pending, .. } => {
            let secure = state.app.settings.secure_cookies();
            with_cookie(Redirect::to("/login/mitid/bind").into_response(), pending_cookie(&pending, secure))
        }
    };
    Ok(with_cookie(response, clear_oidc_cookie()))
}

#[derive(Template)]
#[template(path = "mitid_bind.html")]
struct BindPage {
    p: Page,
    title: String,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "mitid_bind_link.html")]
struct BindLinkPage {
    p: Page,
    token: String,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// A first MitID login: which address does the school have? Or, opened from
/// the mail, the button that binds (a mail scanner following the link must
/// not use it up).
async fn bind_page(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(token) = q.token {
        return Ok(render(BindLinkPage { p: v.page(None), token }));
    }
    let name = pending_name(&state, &headers).await?;
    Ok(render(BindPage {
        title: v.tr.fill("mitid.bind_title", &[("name", name)]),
        p: v.page(None),
        email: String::new(),
        error: None,
    }))
}

async fn pending_name(state: &AppState, headers: &HeaderMap) -> Result<String, PageError> {
    let pending = cookie(headers.get_all(COOKIE).iter(), PENDING_COOKIE).unwrap_or_default();
    login::pending_name(&state.app, &pending).await?.ok_or(PageError(Problem::BindingInvalid))
}

#[derive(Deserialize)]
struct EmailForm {
    email: String,
}

async fn ask_binding(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<EmailForm>,
) -> Result<Response, PageError> {
    let pending = cookie(headers.get_all(COOKIE).iter(), PENDING_COOKIE).unwrap_or_default();
    let error = match login::ask_binding(&state.app, &pending, &form.email, &v.source, v.tr.code()).await {
        Ok(()) => return Ok(Redirect::to("/login/mitid/sent").into_response()),
        Err(LoginError::NotAnEmail) => v.tr.t("login.not_email"),
        Err(LoginError::RateLimited) => v.tr.t("login.rate_limited"),
        Err(e) => return Err(e.into()),
    };
    let name = pending_name(&state, &headers).await?;
    Ok(render(BindPage {
        title: v.tr.fill("mitid.bind_title", &[("name", name)]),
        p: v.page(None),
        email: form.email,
        error: Some(error.into()),
    }))
}

async fn bind_sent(v: Visitor) -> Response {
    render(Message {
        title: v.tr.t("mitid.bind_sent_title").into(),
        lines: vec![v.tr.t("mitid.bind_sent").into(), v.tr.t("login.sent_none").into()],
        link_href: "/".into(),
        link_text: v.tr.t("error.back").into(),
        p: v.page(None),
    })
}

#[derive(Deserialize)]
struct TokenForm {
    token: String,
}

async fn use_binding(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let pending = cookie(headers.get_all(COOKIE).iter(), PENDING_COOKIE).unwrap_or_default();
    let session = login::use_binding(&state.app, &form.token, &pending, &v.source).await?;
    let response = crate::public::signed_in(&state, &v, &session).await?;
    Ok(with_cookie(response, clear_pending_cookie()))
}

/// What a page shows in place of a step-up action's form until the person
/// has proved who they are recently enough.
pub(crate) struct StepUpBox {
    pub mitid: bool,
    /// The page to come back to.
    pub back: String,
}

impl StepUpBox {
    /// `None` when the person may go ahead.
    pub(crate) async fn for_actor(state: &AppState, actor: &Actor, back: &str) -> Result<Option<StepUpBox>, PageError> {
        let step = saldo_app::auth::step_up_state(&state.app, actor).await.map_err(internal)?;
        Ok(match step {
            StepUp::Fresh => None,
            StepUp::MitId => Some(StepUpBox { mitid: true, back: back.to_owned() }),
            StepUp::EmailLink => Some(StepUpBox { mitid: false, back: back.to_owned() }),
        })
    }
}

#[derive(Deserialize)]
struct StepUpForm {
    back: String,
}

/// Confirm it is you: MitID again (a login no older than 15 minutes), or,
/// for people without MitID, a fresh login link by e-mail that lands back here.
async fn step_up(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    CsrfForm(form): CsrfForm<StepUpForm>,
) -> Result<Response, PageError> {
    let back = To::same_site(&form.back).href();
    match saldo_app::auth::step_up_state(&state.app, &actor).await.map_err(internal)? {
        StepUp::Fresh => Ok(To::same_site(&back).redirect()),
        StepUp::MitId => {
            let session = v.session_cookie.as_deref().unwrap_or_default();
            let started = login::start(&state.app, Audience::Parents, Some(session), &back, v.tr.code()).await?;
            let secure = state.app.settings.secure_cookies();
            Ok(with_cookie(paths::provider(&started.url), oidc_cookie(&started.browser, secure)))
        }
        StepUp::EmailLink => {
            let person = state.app.store.person(&actor.person_id).await.map_err(internal)?;
            let email = person.and_then(|p| p.email).ok_or(PageError(Problem::StepUp))?;
            match saldo_app::auth::request_login_link(&state.app, &email, &v.source, v.tr.code()).await {
                Ok(()) => {}
                Err(saldo_app::auth::AuthError::RateLimited) => return Err(PageError(Problem::RateLimited)),
                Err(e) => return Err(internal(e)),
            }
            Ok(with_cookie(Redirect::to("/login/sent").into_response(), next_cookie(&back)))
        }
    }
}
