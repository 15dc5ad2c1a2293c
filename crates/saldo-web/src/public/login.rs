//! Logging in and out, the demo's one-click login, and the language switch.
//! E-mail links and staff passwords; MitID and the municipality's login
//! (OpenID Connect, in `oidc.rs`) sit beside them and end in the same session.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use saldo_app::auth::{self, AuthError};
use saldo_app::login::Audience;
use saldo_app::PersonRole;
use saldo_core::ids::PersonId;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::i18n::Lang;
use crate::page::Message;
use crate::page_error::{internal, render, PageError};
use crate::paths::To;
use crate::visitor::{clear_next_cookie, clear_session_cookie, lang_cookie, session_cookie, Page, Visitor};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(request_link))
        .route("/login/sent", get(link_sent))
        .route("/login/link", get(link_page).post(use_link))
        .route("/logout", post(logout))
        .route("/demo-login", get(demo_page).post(demo_login))
        .route("/staff/login", get(staff_page).post(staff_login))
        .route("/lang/{code}", get(switch_language))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    p: Page,
    email: String,
    error: Option<String>,
    demo: bool,
    /// A MitID broker is set up (`[login.parents]`).
    mitid: bool,
}

async fn login_page(State(state): State<AppState>, v: Visitor) -> Response {
    if v.actor.is_some() {
        return Redirect::to("/portal").into_response();
    }
    render(LoginPage {
        p: v.page(None),
        email: String::new(),
        error: None,
        demo: state.app.settings.demo,
        mitid: saldo_app::login::offered(&state.app, Audience::Parents),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
}

async fn request_link(
    State(state): State<AppState>,
    v: Visitor,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, PageError> {
    let error = match auth::request_login_link(&state.app, &form.email, &v.source, v.tr.code()).await {
        Ok(()) => return Ok(Redirect::to("/login/sent").into_response()),
        Err(AuthError::NotAnEmail) => v.tr.t("login.not_email"),
        Err(AuthError::RateLimited) => v.tr.t("login.rate_limited"),
        Err(e) => return Err(internal(e)),
    };
    Ok(render(LoginPage {
        p: v.page(None),
        email: form.email,
        error: Some(error.into()),
        demo: state.app.settings.demo,
        mitid: saldo_app::login::offered(&state.app, Audience::Parents),
    }))
}

async fn link_sent(v: Visitor) -> Response {
    render(Message {
        title: v.tr.t("login.sent_title").into(),
        lines: vec![v.tr.t("login.sent").into(), v.tr.t("login.sent_none").into()],
        link_href: "/".into(),
        link_text: v.tr.t("error.back").into(),
        p: v.page(None),
    })
}

#[derive(Template)]
#[template(path = "login_link.html")]
struct LinkPage {
    p: Page,
    token: String,
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The link in the mail opens a page with a button: mail scanners that
/// follow links must not use up the single-use token.
async fn link_page(v: Visitor, Query(q): Query<TokenQuery>) -> Response {
    render(LinkPage { p: v.page(None), token: q.token })
}

#[derive(Deserialize)]
struct TokenForm {
    token: String,
}

async fn use_link(
    State(state): State<AppState>,
    v: Visitor,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    match auth::use_login_link(&state.app, &form.token, &v.source).await {
        Ok(session) => signed_in(&state, &v, &session).await,
        Err(AuthError::LinkInvalid) => Ok((
            axum::http::StatusCode::BAD_REQUEST,
            render(Message {
                title: v.tr.t("login.link_title").into(),
                lines: vec![v.tr.t("login.link_invalid").into()],
                link_href: "/login".into(),
                link_text: v.tr.t("login.send").into(),
                p: v.page(None),
            }),
        )
            .into_response()),
        Err(e) => Err(internal(e)),
    }
}

/// Sets the session cookie and sends the person where they work: the
/// office's desk, the operator's page, or the portal.
pub(crate) async fn signed_in(
    state: &AppState,
    v: &Visitor,
    session: &auth::NewSession,
) -> Result<Response, PageError> {
    let settings = &state.app.settings;
    let max_age = settings.sessions.absolute().as_secs();
    let home = auth::home_of(&state.app, &session.person_id).await.map_err(internal)?;
    let mut response = match &v.next {
        Some(next) => Redirect::to(next).into_response(),
        None => Redirect::to(home).into_response(),
    };
    if let Ok(value) = session_cookie(&session.cookie, settings.secure_cookies(), max_age).parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    if v.next.is_some() {
        if let Ok(value) = clear_next_cookie().parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "staff_login.html")]
struct StaffPage {
    p: Page,
    email: String,
    error: Option<String>,
    /// The municipality's identity provider is set up (`[login.staff]`).
    sso: bool,
}

async fn staff_page(State(state): State<AppState>, v: Visitor) -> Response {
    let sso = saldo_app::login::offered(&state.app, Audience::Staff);
    render(StaffPage { p: v.page(None), email: String::new(), error: None, sso })
}

#[derive(Deserialize)]
struct StaffForm {
    email: String,
    password: String,
}

async fn staff_login(
    State(state): State<AppState>,
    v: Visitor,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> Result<Response, PageError> {
    let error = match auth::password_login(&state.app, &form.email, &form.password, &v.source).await {
        Ok(session) => return signed_in(&state, &v, &session).await,
        Err(AuthError::WrongPassword) => v.tr.t("staff.wrong"),
        Err(AuthError::RateLimited) => v.tr.t("login.rate_limited"),
        Err(e) => return Err(internal(e)),
    };
    let sso = saldo_app::login::offered(&state.app, Audience::Staff);
    let page = render(StaffPage { p: v.page(None), email: form.email, error: Some(error.into()), sso });
    Ok((axum::http::StatusCode::UNAUTHORIZED, page).into_response())
}

#[derive(Deserialize)]
struct NoFields {}

async fn logout(
    State(state): State<AppState>,
    v: Visitor,
    CsrfForm(_form): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    // Ends Saldo's session, and sends the browser to log out at MitID or the
    // municipality's login too, where the session came from there and it offers that.
    let mut provider = None;
    if let Some(cookie) = &v.session_cookie {
        provider = saldo_app::login::logout(&state.app, cookie).await.map_err(internal)?;
    }
    let mut response = match provider {
        Some(url) => crate::paths::provider(&url),
        None => Redirect::to("/").into_response(),
    };
    if let Ok(value) = clear_session_cookie().parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "demo_login.html")]
struct DemoPage {
    p: Page,
    groups: Vec<DemoGroup>,
}

/// The people of one role. A long group shows its first few; the rest are one tap away.
struct DemoGroup {
    title: &'static str,
    first: Vec<DemoPerson>,
    more: Vec<DemoPerson>,
    more_label: String,
}

struct DemoPerson {
    id: PersonId,
    name: String,
    email: String,
}

/// How many of a role the demo login shows before "show all", so it stays short on a phone.
const DEMO_GROUP_SHOWN: usize = 3;

async fn demo_page(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    if !state.app.settings.demo {
        return Err(v.fail(crate::page_error::Problem::NotFound));
    }
    let people = auth::demo_people(&state.app).await.map_err(internal)?;
    let groups = PersonRole::ALL
        .into_iter()
        .filter_map(|role| {
            let mut first: Vec<DemoPerson> = people
                .iter()
                .filter(|p| p.role == role)
                .map(|p| DemoPerson { id: p.id.clone(), name: p.name.clone(), email: p.email.clone() })
                .collect();
            // Hiding a single person behind "show 1 more" saves nothing.
            let shown = if first.len() > DEMO_GROUP_SHOWN + 1 { DEMO_GROUP_SHOWN } else { first.len() };
            let more = first.split_off(shown);
            let title = v.tr.t(&format!("demo.group_{}", role.as_str()));
            let more_label = v.tr.fill("demo.more", &[("count", more.len().to_string())]);
            (!first.is_empty()).then_some(DemoGroup { title, first, more, more_label })
        })
        .collect();
    Ok(render(DemoPage { p: v.page(None), groups }))
}

#[derive(Deserialize)]
struct DemoForm {
    person_id: PersonId,
}

async fn demo_login(
    State(state): State<AppState>,
    v: Visitor,
    CsrfForm(form): CsrfForm<DemoForm>,
) -> Result<Response, PageError> {
    match auth::demo_login(&state.app, &form.person_id, &v.source).await {
        Ok(session) => signed_in(&state, &v, &session).await,
        Err(AuthError::NotDemo | AuthError::LinkInvalid) => Err(v.fail(crate::page_error::Problem::NotFound)),
        Err(e) => Err(internal(e)),
    }
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// Switches the language and goes back where the person was. Remembered in
/// a cookie, and on the person when signed in.
async fn switch_language(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<Back>,
) -> Response {
    let Some(lang) = Lang::parse(&code) else { return v.fail(crate::page_error::Problem::NotFound).into_response() };
    if let Some(actor) = &v.actor {
        if let Err(e) = auth::set_lang(&state.app, actor, lang.code()).await {
            tracing::warn!(error = %e, "could not remember the language");
        }
    }
    let mut response = To::same_site(q.back.as_deref().unwrap_or("/")).redirect();
    if let Ok(value) = lang_cookie(lang).parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}
