//! Reading the cookies Saldo sets (they are written in `visitor`).

use axum::http::HeaderValue;

use crate::i18n::Lang;

pub const SESSION_COOKIE: &str = "saldo_session";
pub const LANG_COOKIE: &str = "saldo_lang";
pub const CSRF_COOKIE: &str = "saldo_csrf";
/// Ties a provider's answer to the browser that went there (OpenID Connect).
pub const OIDC_COOKIE: &str = "saldo_oidc";
/// Holds a first MitID login's place while its binding link is on its way.
pub const PENDING_COOKIE: &str = "saldo_mitid";
/// Where a signed-out person was going (a QR code's activation address), for after login.
pub const NEXT_COOKIE: &str = "saldo_next";

/// The value of the cookie `name`, if the request has it.
pub fn cookie<'a>(headers: impl Iterator<Item = &'a HeaderValue>, name: &str) -> Option<String> {
    headers
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The language the visitor chose with the language switch, if any.
pub fn lang<'a>(headers: impl Iterator<Item = &'a HeaderValue>) -> Option<Lang> {
    cookie(headers, LANG_COOKIE).and_then(|c| Lang::parse(&c))
}
