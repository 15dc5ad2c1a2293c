//! The OpenID Connect client, one for both audiences (the parents' MitID
//! broker and the staff's identity provider): discovery, cached and read
//! again when a token is signed with a key Saldo has not seen (a rotated
//! JWKS); the authorization URL with PKCE, state and nonce; the code
//! exchange; and the ID token's checks (signature by the provider's keys,
//! `iss`, `aud`, `exp`, `nonce`, and `auth_time` for a step-up). Its HTTP
//! client follows no redirects (a provider's answer cannot send Saldo to
//! another address: SSRF).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims};

use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EndSessionUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, TokenResponse,
};
use serde_json::{Map, Value};

use crate::settings::OidcSettings;

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// How long discovery (endpoints and keys) is trusted before it is read again.
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);
/// The provider must answer within this.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// What can go wrong between Saldo and the provider.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the provider cannot be reached or answered nonsense: {0}")]
    Unreachable(String),
    #[error("the provider's configuration is unusable: {0}")]
    Misconfigured(String),
    #[error("the provider refused the authorization code: {0}")]
    CodeRejected(String),
    #[error("the ID token failed its checks: {0}")]
    TokenInvalid(String),
}

/// A provider as discovery found it.
#[derive(Clone)]
struct Discovered {
    client: Client,
    end_session: Option<EndSessionUrl>,
    fetched: Instant,
}

/// Discovery, per issuer and client, shared by every request in this process.
fn cache() -> &'static Mutex<HashMap<String, Discovered>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Discovered>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn cache_key(settings: &OidcSettings, redirect: &str) -> String {
    format!("{}\n{}\n{redirect}", settings.issuer.trim_end_matches('/'), settings.client_id)
}

fn http() -> Result<reqwest::Client, OidcError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(HTTP_TIMEOUT)
        .build()
        .map_err(|e| OidcError::Unreachable(e.to_string()))
}

async fn discover(settings: &OidcSettings, redirect: &str, fresh: bool) -> Result<Discovered, OidcError> {
    let key = cache_key(settings, redirect);
    if !fresh {
        let cached = cache().lock().ok().and_then(|c| c.get(&key).cloned());
        if let Some(found) = cached.filter(|d| d.fetched.elapsed() < DISCOVERY_TTL) {
            return Ok(found);
        }
    }
    let issuer =
        IssuerUrl::new(settings.issuer.trim().to_owned()).map_err(|e| OidcError::Misconfigured(e.to_string()))?;
    let metadata = ProviderMetadataWithLogout::discover_async(issuer, &http()?)
        .await
        .map_err(|e| OidcError::Unreachable(format!("discovery: {e}")))?;
    let end_session = metadata.additional_metadata().end_session_endpoint.clone();
    let issuer_origin = origin(&settings.issuer);
    let elsewhere =
        [Some(metadata.authorization_endpoint().url().as_str()), end_session.as_ref().map(|e| e.url().as_str())]
            .into_iter()
            .flatten()
            .any(|endpoint| origin(endpoint) != issuer_origin);
    if elsewhere {
        // The pages' Content-Security-Policy allows forms to lead to the issuer's origin only.
        tracing::warn!(issuer = %settings.issuer, "the provider's login or logout page is on another origin than its issuer: browsers will refuse to go there");
    }
    let redirect = RedirectUrl::new(redirect.to_owned()).map_err(|e| OidcError::Misconfigured(e.to_string()))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.expose().to_owned())),
    )
    .set_redirect_uri(redirect);
    let found = Discovered { client, end_session, fetched: Instant::now() };
    if let Ok(mut cache) = cache().lock() {
        cache.insert(key, found.clone());
    }
    Ok(found)
}

/// An authorization request, ready to send the browser to.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Builds the authorization URL: code flow, PKCE (S256), state and nonce.
/// `max_age` asks the provider for a login no older than that (and for
/// `auth_time` in the token); `fresh_login` adds `prompt=login`, so a
/// provider's own session does not stand in for a new login (a step-up).
pub async fn authorize(
    settings: &OidcSettings,
    redirect: &str,
    max_age: Option<Duration>,
    fresh_login: bool,
    lang: &str,
) -> Result<Authorization, OidcError> {
    let provider = discover(settings, redirect, false).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = provider
        .client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .set_pkce_challenge(challenge)
        .add_extra_param("ui_locales", if lang == "en" { "en" } else { "da" });
    for scope in settings.scopes.split_whitespace().filter(|s| *s != "openid") {
        request = request.add_scope(Scope::new(scope.to_owned()));
    }
    if let Some(max_age) = max_age {
        request = request.set_max_age(max_age);
    }
    if fresh_login {
        request = request.add_prompt(CoreAuthPrompt::Login);
    }
    let (url, state, nonce) = request.url();
    Ok(Authorization {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// What a verified ID token says.
#[derive(Clone, Debug)]
pub struct Verified {
    pub issuer: String,
    /// Every claim of the token, for the configured subject, name, CPR and groups claims.
    pub claims: Map<String, Value>,
    /// When the person authenticated at the provider, as it says (seconds since the epoch).
    pub auth_time: Option<i64>,
    /// When the provider issued the token (seconds since the epoch, its clock).
    pub issued_at: Option<i64>,
}

/// Exchanges the code (with the PKCE verifier) and checks the ID token.
/// A token signed with a key the cached JWKS lacks has Saldo read the
/// provider's keys again, once.
pub async fn exchange(
    settings: &OidcSettings,
    redirect: &str,
    code: &str,
    pkce_verifier: &str,
    nonce: &str,
) -> Result<Verified, OidcError> {
    let provider = discover(settings, redirect, false).await?;
    let request = provider
        .client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| OidcError::Misconfigured(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()));
    let response = request.request_async(&http()?).await.map_err(|e| match e {
        RequestTokenError::ServerResponse(answer) => OidcError::CodeRejected(answer.to_string()),
        other => OidcError::Unreachable(format!("token endpoint: {other}")),
    })?;
    let id_token = response.id_token().ok_or_else(|| OidcError::TokenInvalid("no ID token in the answer".into()))?;
    let nonce = Nonce::new(nonce.to_owned());
    let checked = {
        let verifier = provider.client.id_token_verifier();
        id_token.claims(&verifier, &nonce).map(times)
    };
    let (issuer, auth_time, issued_at) = match checked {
        Ok(found) => found,
        Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
            // The provider may have rotated its keys since Saldo read them.
            let provider = discover(settings, redirect, true).await?;
            let verifier = provider.client.id_token_verifier();
            id_token.claims(&verifier, &nonce).map(times).map_err(|e| OidcError::TokenInvalid(e.to_string()))?
        }
        Err(e) => return Err(OidcError::TokenInvalid(e.to_string())),
    };
    // Verified above: read the claims Saldo was told to look for from its payload.
    let claims = payload(&id_token.to_string())?;
    Ok(Verified { issuer, claims, auth_time, issued_at })
}

fn times(claims: &CoreIdTokenClaims) -> (String, Option<i64>, Option<i64>) {
    (claims.issuer().to_string(), claims.auth_time().map(|t| t.timestamp()), Some(claims.issue_time().timestamp()))
}

fn payload(jwt: &str) -> Result<Map<String, Value>, OidcError> {
    let part = jwt.split('.').nth(1).ok_or_else(|| OidcError::TokenInvalid("not a JWT".into()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| OidcError::TokenInvalid(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| OidcError::TokenInvalid(e.to_string()))
}

/// The provider's logout address for RP-initiated logout, if it has one:
/// the person comes back to `back` afterwards.
pub async fn logout_url(settings: &OidcSettings, redirect: &str, back: &str) -> Option<String> {
    let provider = discover(settings, redirect, false).await.ok()?;
    let end_session = provider.end_session?;
    let mut request = LogoutRequest::from(end_session).set_client_id(ClientId::new(settings.client_id.clone()));
    if let Ok(back) = PostLogoutRedirectUrl::new(back.to_owned()) {
        request = request.set_post_logout_redirect_uri(back);
    }
    Some(request.http_get_url().to_string())
}

/// The scheme, host and port of a URL (`https://broker.example.dk`), for the
/// web's Content-Security-Policy; `None` for anything that is not http(s).
pub fn origin(url: &str) -> Option<String> {
    let url = url::Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    Some(url.origin().ascii_serialization()).filter(|o| o != "null")
}

/// A claim as text (a string, or a number written out).
pub fn text_claim(claims: &Map<String, Value>, name: &str) -> Option<String> {
    match claims.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A claim as a list of text (a list, or one string).
pub fn list_claim(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str()).map(str::to_owned).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_as_text_and_lists() {
        let claims: Map<String, Value> =
            serde_json::from_str(r#"{"sub":"abc","n":5,"groups":["a","b"],"one":"x","empty":" "}"#).unwrap();
        assert_eq!(text_claim(&claims, "sub").as_deref(), Some("abc"));
        assert_eq!(text_claim(&claims, "n").as_deref(), Some("5"));
        assert_eq!(text_claim(&claims, "empty"), None);
        assert_eq!(list_claim(&claims, "groups"), ["a", "b"]);
        assert_eq!(list_claim(&claims, "one"), ["x"]);
        assert!(list_claim(&claims, "none").is_empty());
    }

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        assert_eq!(origin("https://broker.example.dk/op/").as_deref(), Some("https://broker.example.dk"));
        assert_eq!(origin("http://127.0.0.1:4000").as_deref(), Some("http://127.0.0.1:4000"));
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("not a url"), None);
    }

    #[test]
    fn the_payload_of_a_jwt_is_read() {
        let jwt = format!("e30.{}.sig", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#));
        assert_eq!(payload(&jwt).unwrap()["sub"], "x");
        assert!(payload("nope").is_err());
    }
}
