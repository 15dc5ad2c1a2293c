//! Who is on a page: language, CSRF token, and the signed-in person if any.
//! Cookies are read here and written here, nowhere else.

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use saldo_app::{auth, Actor};
use saldo_core::rights::Grant;

use crate::forwarded::ClientAddress;
use crate::i18n::{Lang, Tr};
pub use crate::page::Page;
use crate::page_error::{PageError, PageSlot, Problem};
use crate::AppState;

use crate::cookies::cookie;
pub use crate::cookies::{CSRF_COOKIE, LANG_COOKIE, NEXT_COOKIE, OIDC_COOKIE, PENDING_COOKIE, SESSION_COOKIE};

/// Everyone on a page.
#[derive(Clone)]
pub struct Visitor {
    pub tr: Tr,
    pub csrf: String,
    pub actor: Option<Actor>,
    /// Where this page is, for the language switch to come back to.
    pub path: String,
    pub session_cookie: Option<String>,
    /// The page to return to after logging in, if it is a path on this site.
    pub next: Option<String>,
    /// The client's address, for rate limits and the audit log.
    pub source: String,
    /// The sandbox provider takes payments (test money).
    pub sandbox: bool,
}

impl Visitor {
    pub fn fail(&self, problem: Problem) -> PageError {
        PageError(problem)
    }

    /// What every template's layout needs.
    pub fn page(&self, notice: Option<String>) -> Page {
        let grants = self.actor.as_ref().map(|a| a.grants.as_slice()).unwrap_or_default();
        let mut links = Vec::new();
        let family = grants.iter().any(|g| matches!(g, Grant::CustodianOf { .. } | Grant::RelativeOf { .. }));
        let staff = grants.iter().any(|g| {
            matches!(g, Grant::Office { .. } | Grant::OperatorAdmin | Grant::TillStaff { .. } | Grant::Support)
        });
        if self.actor.is_some() && (family || !staff) {
            links.push(("/portal", "nav.overview"));
        }
        if grants.iter().any(|g| matches!(g, Grant::TillStaff { .. })) {
            links.push(("/sales-points", "nav.sales_points"));
        }
        if grants.iter().any(|g| matches!(g, Grant::Office { .. })) {
            links.push(("/office", "nav.office"));
        }
        if grants.iter().any(|g| matches!(g, Grant::OperatorAdmin)) {
            links.push(("/admin", "nav.admin"));
        }
        if grants.iter().any(|g| matches!(g, Grant::Support)) {
            links.push(("/support", "nav.support"));
        }
        Page {
            tr: self.tr,
            csrf: self.csrf.clone(),
            signed_in: self.actor.as_ref().map(|a| a.name.clone()),
            links,
            back: url_encode(&self.path),
            notice,
            sandbox: self.sandbox,
            once: saldo_app::form_once::new_key(),
        }
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The client's address as [`crate::forwarded`] believes it.
pub fn client_address(parts: &Parts) -> String {
    parts.extensions.get::<ClientAddress>().map_or_else(|| "unknown".into(), |c| c.0.to_string())
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let csrf = parts.extensions.get::<crate::csrf::CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let session_cookie = cookie(parts.headers.get_all(COOKIE).iter(), SESSION_COOKIE);
        let source = client_address(parts);
        let actor = match &session_cookie {
            Some(cookie) => auth::session_actor(&state.app, cookie, &source).await.map_err(|e| {
                tracing::error!(error = %e, "session lookup failed");
                PageError(Problem::Internal)
            })?,
            None => None,
        };
        let chosen = crate::cookies::lang(parts.headers.get_all(COOKIE).iter());
        let lang = chosen.or_else(|| actor.as_ref().and_then(|a| Lang::parse(&a.lang))).unwrap_or_default();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let next = cookie(parts.headers.get_all(COOKIE).iter(), NEXT_COOKIE).filter(|n| local_path(n));
        let sandbox = state.app.settings.sandbox_on();
        let visitor = Visitor { tr: Tr::new(lang), csrf, actor, path, session_cookie, next, source, sandbox };
        if let Some(slot) = parts.extensions.get::<PageSlot>() {
            slot.leave(visitor.page(None));
        }
        Ok(visitor)
    }
}

/// A signed-in person; anyone else is sent to the login page.
pub struct Signed(pub Visitor, pub Actor);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match visitor.actor.clone() {
            Some(actor) => Ok(Signed(visitor, actor)),
            None => {
                // A page opened while signed out (the QR code on a new card) is
                // where the person lands after logging in, within 15 minutes.
                let mut response = Redirect::to("/login").into_response();
                if parts.method == axum::http::Method::GET && local_path(&visitor.path) {
                    let value = format!("{NEXT_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=900", visitor.path);
                    if let Ok(value) = HeaderValue::from_str(&value) {
                        response.headers_mut().append(SET_COOKIE, value);
                    }
                }
                Err(response)
            }
        }
    }
}

/// A path on this site that is safe to redirect to and to keep in a cookie.
pub fn local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= 300
        && path.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'\\' | b';' | b',' | b'"'))
}

/// `Set-Cookie` for the page to return to after logging in (15 minutes).
pub fn next_cookie(path: &str) -> String {
    let path = if local_path(path) { path } else { "/" };
    format!("{NEXT_COOKIE}={path}; Path=/; HttpOnly; SameSite=Lax; Max-Age=900")
}

/// `Set-Cookie` tying an OpenID provider's answer to this browser. `Lax`, so
/// it comes along when the provider sends the browser back (a top-level GET).
pub fn oidc_cookie(value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{OIDC_COOKIE}={value}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=600{secure}")
}

pub fn clear_oidc_cookie() -> String {
    format!("{OIDC_COOKIE}=; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// `Set-Cookie` holding a first MitID login's place until its binding link is opened.
pub fn pending_cookie(value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{PENDING_COOKIE}={value}; Path=/login/mitid; HttpOnly; SameSite=Lax; Max-Age=1800{secure}")
}

pub fn clear_pending_cookie() -> String {
    format!("{PENDING_COOKIE}=; Path=/login/mitid; HttpOnly; SameSite=Lax; Max-Age=0")
}

pub fn clear_next_cookie() -> String {
    format!("{NEXT_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// `Set-Cookie` for a new session.
pub fn session_cookie(value: &str, secure: bool, max_age_secs: u64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

pub fn lang_cookie(lang: Lang) -> String {
    format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code())
}
