//! Cross-site request forgery: every browser gets a token cookie, and every
//! form carries the same value back (double submit). A cross-site form cannot
//! read the cookie, so it cannot match. [`CsrfForm`] is the only way a
//! handler reads a posted form, so no form can skip the check.

use axum::extract::{FromRequest, Request, State};
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::cookies::{cookie, CSRF_COOKIE};
use crate::page_error::{PageError, Problem};
use crate::AppState;

/// This browser's token, put in place by [`csrf_cookie`].
#[derive(Clone)]
pub(crate) struct CsrfToken(pub String);

/// Gives every browser a token cookie.
pub async fn csrf_cookie(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let existing = cookie(request.headers().get_all(COOKIE).iter(), CSRF_COOKIE).filter(|t| t.len() == 64);
    let (token, is_new) = match existing {
        Some(token) => (token, false),
        None => (saldo_app::tills::new_token(), true),
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if is_new {
        // Secure when people reach Saldo over HTTPS, like the session cookie.
        let secure = if state.app.settings.secure_cookies() { "; Secure" } else { "" };
        let value = format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}");
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// A posted form whose `csrf` field matched this browser's token; `T` is the
/// rest of its fields. A mismatch is refused with the "form too old" page
/// before the handler runs.
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = request.extensions().get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let is_form = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err((StatusCode::UNSUPPORTED_MEDIA_TYPE, "Expected a form").into_response());
        }
        let body = axum::body::Bytes::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        let submitted = serde_urlencoded::from_bytes::<Token>(&body).map(|t| t.csrf).unwrap_or_default();
        if expected.is_empty() || !same(submitted.as_bytes(), expected.as_bytes()) {
            return Err(PageError(Problem::Csrf).into_response());
        }
        if crate::nul::in_form(&body) {
            return Err(PageError(Problem::BadInput).into_response());
        }
        match serde_urlencoded::from_bytes::<T>(&body) {
            Ok(fields) => Ok(CsrfForm(fields)),
            Err(e) => {
                Err((StatusCode::UNPROCESSABLE_ENTITY, format!("Failed to deserialize form body: {e}")).into_response())
            }
        }
    }
}

/// An uploaded file from a `multipart/form-data` form whose `csrf` field
/// (sent before the file) matched this browser's token.
pub struct CsrfUpload {
    /// The name the browser gave the file.
    pub name: String,
    pub bytes: axum::body::Bytes,
}

impl<S: Send + Sync> FromRequest<S> for CsrfUpload {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = request.extensions().get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let mut form =
            axum::extract::Multipart::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        let mut token_ok = false;
        while let Some(field) = form.next_field().await.map_err(IntoResponse::into_response)? {
            match field.name() {
                Some("csrf") => {
                    let submitted = field.text().await.map_err(IntoResponse::into_response)?;
                    token_ok = !expected.is_empty() && same(submitted.as_bytes(), expected.as_bytes());
                }
                // The token comes first in the form: a file without it is not read.
                Some("file") if token_ok => {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    let bytes = field.bytes().await.map_err(IntoResponse::into_response)?;
                    return Ok(CsrfUpload { name, bytes });
                }
                _ => {}
            }
        }
        Err(PageError(if token_ok { Problem::BadInput } else { Problem::Csrf }).into_response())
    }
}

/// Compares in constant time, so the token cannot be guessed byte by byte.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
