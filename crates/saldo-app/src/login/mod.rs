//! Logging in over OpenID Connect: parents with MitID through a broker
//! (`[login.parents]`), staff through the municipality's identity provider
//! (`[login.staff]`). Both end in the same kind of session as an e-mail link.
//!
//! A parent's first MitID login is bound to the person the school data knows:
//! by the CPR number's keyed hash where the school data has one, else by a
//! one-time link to the e-mail address on file, opened in the same browser.
//! A staff member's groups at the IdP become their roles at each login; groups
//! that give nothing are refused. The step-up (payouts, relatives, closing an
//! account) asks the broker for a login no older than 15 minutes.

mod binding;
mod staff;

use saldo_core::login::{Proof, STEP_UP_WINDOW};
use saldo_store::{LoginFlow, PendingSubject, StoreError};

use crate::auth::{open_session, NewSession};
use crate::idempotency::secret_hash;
use crate::oidc::{self, text_claim, OidcError, Verified};
use crate::settings::OidcSettings;
use crate::tills::new_token;
use crate::App;

use binding::bind_by_cpr;
pub use binding::{ask_binding, cpr_hash, pending_name, remember_cpr, use_binding};
pub use staff::staff_roles;

/// Who a provider is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Parents (and relatives), through a MitID broker.
    Parents,
    /// The municipality's staff, through its identity provider.
    Staff,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Parents => "parents",
            Audience::Staff => "staff",
        }
    }

    pub fn parse(text: &str) -> Option<Audience> {
        match text {
            "parents" => Some(Audience::Parents),
            "staff" => Some(Audience::Staff),
            _ => None,
        }
    }

    pub(crate) fn settings(self, app: &App) -> &OidcSettings {
        match self {
            Audience::Parents => &app.settings.login.parents,
            Audience::Staff => &app.settings.login.staff,
        }
    }
}

/// Why a login over OpenID Connect did not end in a session. Every one is a
/// page with words for the person (see saldo-web's `page_error`), never a 500
/// unless the database failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("this way of logging in is not set up")]
    NotConfigured,
    #[error("the person cancelled at the provider")]
    Cancelled,
    #[error("the provider answered with an error: {0}")]
    ProviderError(String),
    #[error("the login request is unknown, used, expired or from another browser")]
    FlowUnknown,
    #[error("the provider cannot be reached: {0}")]
    Unreachable(String),
    #[error("the provider refused the code (expired or used): {0}")]
    CodeRejected(String),
    #[error("the ID token failed its checks: {0}")]
    TokenInvalid(String),
    #[error("the login at the provider is older than a step-up allows")]
    NotFresh,
    #[error("the staff member's groups give no role in Saldo")]
    UnknownGroups,
    #[error("the MitID login is not the signed-in person's")]
    WrongPerson,
    #[error("the binding link is used, expired, or opened in another browser than the MitID login")]
    BindingInvalid,
    #[error("that is not an e-mail address")]
    NotAnEmail,
    #[error("too many requests; wait a while")]
    RateLimited,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<OidcError> for LoginError {
    fn from(error: OidcError) -> Self {
        match error {
            OidcError::Unreachable(e) | OidcError::Misconfigured(e) => LoginError::Unreachable(e),
            OidcError::CodeRejected(e) => LoginError::CodeRejected(e),
            OidcError::TokenInvalid(e) => LoginError::TokenInvalid(e),
        }
    }
}

/// Whether this way in is set up.
pub fn offered(app: &App, audience: Audience) -> bool {
    audience.settings(app).enabled()
}

/// Where the provider sends the browser back to.
pub fn redirect_uri(app: &App, audience: Audience) -> String {
    format!("{}/login/oidc/{}/callback", app.settings.base(), audience.as_str())
}

/// How long an authorization request may take.
const FLOW_MINUTES: i64 = 10;
/// How long a first MitID login waits for its binding link.
pub(crate) const PENDING_MINUTES: i64 = 30;

/// An authorization request sent off: the provider's address, and the value
/// for the cookie that ties the answer to this browser.
pub struct Started {
    pub url: String,
    pub browser: String,
}

/// Starts a login (or, with `step_up_of` a session cookie, a step-up of that
/// session): state, nonce and the PKCE verifier stay in the database.
pub async fn start(
    app: &App,
    audience: Audience,
    step_up_of: Option<&str>,
    return_to: &str,
    lang: &str,
) -> Result<Started, LoginError> {
    let settings = audience.settings(app);
    if !settings.enabled() {
        return Err(LoginError::NotConfigured);
    }
    // Parents: a MitID login within the window (the broker then says when in
    // `auth_time`), so a fresh login counts for a step-up; a step-up also
    // insists on a new login. Staff: the IdP's own session is fine.
    let window = std::time::Duration::from_secs(STEP_UP_WINDOW.as_secs().unsigned_abs());
    let max_age = (audience == Audience::Parents).then_some(window);
    let fresh_login = step_up_of.is_some();
    let request = oidc::authorize(settings, &redirect_uri(app, audience), max_age, fresh_login, lang).await?;
    let browser = new_token();
    let flow = LoginFlow {
        state_hash: secret_hash(&request.state),
        audience: audience.as_str().into(),
        purpose: if step_up_of.is_some() { "step_up" } else { "login" }.into(),
        browser_hash: secret_hash(&browser),
        nonce: request.nonce,
        pkce_verifier: request.pkce_verifier,
        session_hash: step_up_of.map(secret_hash),
        return_to: return_to.to_owned(),
    };
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.create_login_flow(&flow, now, now + jiff::SignedDuration::from_mins(FLOW_MINUTES)).await?;
    tx.commit().await?;
    Ok(Started { url: request.url, browser })
}

/// The provider's answer, as it came back in the address.
#[derive(Clone, Debug, Default)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// The issuer the answer says it is from (RFC 9207), when the provider sends it.
    pub iss: Option<String>,
}

/// How a callback ended.
pub enum Finished {
    /// Signed in; go to `return_to` (or the person's home when empty).
    SignedIn { session: NewSession, return_to: String },
    /// The session was lifted by a fresh MitID login.
    SteppedUp { return_to: String },
    /// A MitID login Saldo cannot tie to anyone yet: ask for the e-mail
    /// address on file. `pending` is the cookie value that holds the place.
    Unknown { pending: String, name: String },
}

/// Finishes a login: the request once and in its own browser, the code for
/// tokens, the ID token checked, then the person found (or not yet).
pub async fn finish(
    app: &App,
    audience: Audience,
    callback: Callback,
    browser: Option<&str>,
    source: &str,
) -> Result<Finished, LoginError> {
    let settings = audience.settings(app);
    if !settings.enabled() {
        return Err(LoginError::NotConfigured);
    }
    let flow = take_flow(app, audience, &callback, browser).await?;
    match callback.error.as_deref() {
        Some("access_denied") => return Err(LoginError::Cancelled),
        Some(error) => return Err(LoginError::ProviderError(error.chars().take(100).collect())),
        None => {}
    }
    if let Some(iss) = &callback.iss {
        if iss.trim_end_matches('/') != settings.issuer.trim().trim_end_matches('/') {
            return Err(LoginError::TokenInvalid(format!("the answer names another issuer: {iss}")));
        }
    }
    let code = callback.code.as_deref().ok_or_else(|| LoginError::ProviderError("no code".into()))?;
    let verified =
        oidc::exchange(settings, &redirect_uri(app, audience), code, &flow.pkce_verifier, &flow.nonce).await?;
    let proved_at = fresh(&verified).then(|| app.now());
    if flow.purpose == "step_up" && proved_at.is_none() {
        return Err(LoginError::NotFresh);
    }
    let subject = text_claim(&verified.claims, &settings.subject_claim)
        .ok_or_else(|| LoginError::TokenInvalid(format!("no {} claim", settings.subject_claim)))?;
    let name = text_claim(&verified.claims, &settings.name_claim).unwrap_or_default();
    match audience {
        Audience::Parents => parent(app, &flow, &verified, &subject, name, proved_at, source).await,
        Audience::Staff => staff::login(app, &verified, &subject, &name, proved_at, source).await,
    }
}

async fn take_flow(
    app: &App,
    audience: Audience,
    callback: &Callback,
    browser: Option<&str>,
) -> Result<LoginFlow, LoginError> {
    let state = callback.state.as_deref().filter(|s| !s.is_empty() && s.len() <= 200).ok_or(LoginError::FlowUnknown)?;
    // Taken (and committed) before anything else: a callback works once, whatever follows.
    let mut tx = app.store.begin().await?;
    let flow = tx.take_login_flow(&secret_hash(state), app.now()).await?;
    tx.commit().await?;
    let flow = flow.ok_or(LoginError::FlowUnknown)?;
    let same_browser = browser.is_some_and(|b| secret_hash(b) == flow.browser_hash);
    if flow.audience != audience.as_str() || !same_browser {
        return Err(LoginError::FlowUnknown);
    }
    Ok(flow)
}

/// Whether the provider says the person authenticated within the step-up
/// window of issuing the token (both times on the provider's clock; the
/// token itself was checked to be current).
fn fresh(verified: &Verified) -> bool {
    match (verified.auth_time, verified.issued_at) {
        (Some(auth), Some(issued)) => issued - auth <= STEP_UP_WINDOW.as_secs() && auth <= issued + 60,
        _ => false,
    }
}

async fn parent(
    app: &App,
    flow: &LoginFlow,
    verified: &Verified,
    subject: &str,
    name: String,
    proved_at: Option<jiff::Timestamp>,
    source: &str,
) -> Result<Finished, LoginError> {
    let issuer = verified.issuer.as_str();
    let mut person = app.store.subject_person(issuer, subject).await?;
    if person.is_none() {
        person = bind_by_cpr(app, verified, issuer, subject, source).await?;
    }
    let now = app.now();
    if flow.purpose == "step_up" {
        let session = match &flow.session_hash {
            Some(hash) => app.store.session(hash).await?,
            None => None,
        };
        let Some(session) = session.filter(|s| Some(&s.person_id) == person.as_ref()) else {
            return Err(LoginError::WrongPerson);
        };
        let mut tx = app.store.begin().await?;
        let hash = flow.session_hash.as_deref().unwrap_or_default();
        tx.set_session_proof(hash, Proof::MitId.as_str(), proved_at, Audience::Parents.as_str()).await?;
        let actor = format!("person:{}", session.person_id);
        tx.audit(&actor, "login.step_up", &session.person_id, "mitid", source, now).await?;
        tx.commit().await?;
        return Ok(Finished::SteppedUp { return_to: flow.return_to.clone() });
    }
    match person {
        Some(person) => {
            let mut tx = app.store.begin().await?;
            let session = open_session(&mut tx, app, &person, now, Proof::MitId, proved_at).await?;
            tx.audit(&format!("person:{person}"), "login", &person, "mitid", source, now).await?;
            tx.commit().await?;
            Ok(Finished::SignedIn { session, return_to: flow.return_to.clone() })
        }
        None => {
            let pending = new_token();
            let waiting = PendingSubject {
                issuer: issuer.to_owned(),
                subject: subject.to_owned(),
                name: name.clone(),
                proved_at: proved_at.map(|t| t.as_microsecond()),
            };
            let mut tx = app.store.begin().await?;
            let expires = now + jiff::SignedDuration::from_mins(PENDING_MINUTES);
            tx.create_pending_subject(&secret_hash(&pending), &waiting, now, expires).await?;
            tx.audit("mitid", "login.mitid_unknown", "-", &name, source, now).await?;
            tx.commit().await?;
            Ok(Finished::Unknown { pending, name })
        }
    }
}

/// Ends the session; where it came through a provider that offers
/// RP-initiated logout, the address to log out there too (coming back to
/// Saldo's front page).
pub async fn logout(app: &App, cookie: &str) -> Result<Option<String>, StoreError> {
    let id_hash = secret_hash(cookie);
    let via = app.store.session(&id_hash).await?.map(|s| s.via).unwrap_or_default();
    crate::auth::logout(app, cookie).await?;
    let Some(audience) = Audience::parse(&via) else { return Ok(None) };
    let settings = audience.settings(app);
    if !settings.enabled() {
        return Ok(None);
    }
    let back = format!("{}/", app.settings.base());
    Ok(oidc::logout_url(settings, &redirect_uri(app, audience), &back).await)
}

#[cfg(test)]
mod tests {
    use crate::settings::{GroupGrant, StaffRoleName};

    #[test]
    fn a_provider_set_up_half_or_a_cpr_claim_without_a_key_stops_the_start() {
        use crate::settings::Secret;
        let mut settings = crate::Settings { demo: false, ..crate::Settings::default() };
        assert_eq!(settings.unsafe_to_serve(), None);
        settings.login.parents.issuer = "https://broker.example.dk".into();
        assert!(settings.unsafe_to_serve().is_some(), "no client id or secret");
        settings.login.parents.client_id = "saldo".into();
        settings.login.parents.client_secret = Secret("s3cret".into());
        assert_eq!(settings.unsafe_to_serve(), None);
        settings.login.parents.scopes = "profile".into();
        assert!(settings.unsafe_to_serve().is_some(), "no openid scope");
        settings.login.parents.scopes = "openid profile".into();
        settings.login.parents.cpr_claim = "dk.cpr".into();
        assert!(settings.unsafe_to_serve().is_some(), "a CPR claim without a key");
        settings.login.cpr_key = Secret("k".repeat(32));
        assert_eq!(settings.unsafe_to_serve(), None);
        settings.login.staff.groups.insert(
            "g".into(),
            GroupGrant { role: StaffRoleName::Office, institution: None, sales_point: Some("sal_1".into()) },
        );
        assert!(settings.unsafe_to_serve().is_some(), "an office takes an institution");
        assert!(!format!("{settings:?}").contains("s3cret"), "secrets stay out of logs");
    }
}
