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

use hmac::{Hmac, Mac};
use saldo_core::ids::PersonId;
use saldo_core::login::{Proof, STEP_UP_WINDOW};
use saldo_store::{LoginFlow, PendingSubject, StaffRole, StoreError};
use sha2::Sha256;

use crate::auth::{open_session, NewSession};
use crate::idempotency::secret_hash;
use crate::oidc::{self, list_claim, text_claim, OidcError, Verified};
use crate::outbox::queue_mail;
use crate::settings::{OidcSettings, StaffRoleName};
use crate::tills::new_token;
use crate::{mail, App};

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

    fn settings(self, app: &App) -> &OidcSettings {
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
const PENDING_MINUTES: i64 = 30;

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
        Audience::Staff => staff(app, &verified, &subject, &name, proved_at, source).await,
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

/// A CPR number as Saldo keeps it: HMAC-SHA256 with the configured key, in
/// hex. Digits only (a dash or spaces are dropped first).
pub fn cpr_hash(key: &str, cpr: &str) -> Option<String> {
    let digits: String = cpr.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 10 || key.is_empty() {
        return None;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).ok()?;
    mac.update(digits.as_bytes());
    Some(mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect())
}

/// Where the broker gives a CPR number and the school data has its keyed
/// hash, the MitID is bound at once. The number itself is dropped here.
async fn bind_by_cpr(
    app: &App,
    verified: &Verified,
    issuer: &str,
    subject: &str,
    source: &str,
) -> Result<Option<PersonId>, LoginError> {
    let login = &app.settings.login;
    if login.parents.cpr_claim.is_empty() {
        return Ok(None);
    }
    let Some(hash) =
        text_claim(&verified.claims, &login.parents.cpr_claim).and_then(|cpr| cpr_hash(login.cpr_key.expose(), &cpr))
    else {
        return Ok(None);
    };
    let Some(person) = app.store.person_by_cpr_hash(&hash).await? else { return Ok(None) };
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if !tx.bind_subject(issuer, subject, Audience::Parents.as_str(), &person, now).await? {
        return Ok(None);
    }
    tx.audit(&format!("person:{person}"), "mitid.bound", &person, "cpr match", source, now).await?;
    tx.commit().await?;
    Ok(Some(person))
}

/// Stores a CPR number the school data or the office has, as its keyed hash only.
pub async fn remember_cpr(app: &App, person: &PersonId, cpr: &str) -> Result<bool, StoreError> {
    let Some(hash) = cpr_hash(app.settings.login.cpr_key.expose(), cpr) else { return Ok(false) };
    let mut tx = app.store.begin().await?;
    tx.set_person_cpr_hash(person, &hash).await?;
    tx.audit("cli", "person.cpr_hash", person, "keyed hash stored", "cli", app.now()).await?;
    tx.commit().await?;
    Ok(true)
}

/// The first MitID login's name, while it waits in this browser.
pub async fn pending_name(app: &App, pending: &str) -> Result<Option<String>, StoreError> {
    Ok(app.store.pending_subject(&secret_hash(pending), app.now()).await?.map(|p| p.name))
}

/// Sends the binding link to the address, if a person without a MitID has
/// it on file. The answer is the same either way.
pub async fn ask_binding(app: &App, pending: &str, email: &str, source: &str, lang: &str) -> Result<(), LoginError> {
    let email = email.trim().to_lowercase();
    if email.len() > 254 || !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(LoginError::NotAnEmail);
    }
    let now = app.now();
    let pending_hash = secret_hash(pending);
    let waiting = app.store.pending_subject(&pending_hash, now).await?.ok_or(LoginError::BindingInvalid)?;
    let window = now - jiff::SignedDuration::from_mins(15);
    let limits = &app.settings.sessions;
    let mut tx = app.store.begin().await?;
    let by_email = tx.count_rate_event(&format!("bind:email:{email}"), now, window).await?;
    let by_address = tx.count_rate_event(&format!("bind:addr:{source}"), now, window).await?;
    if by_email > limits.login_requests_per_email || by_address > limits.login_requests_per_address {
        tx.commit().await?;
        return Err(LoginError::RateLimited);
    }
    let person = app.store.person_by_email(&email).await?;
    if let Some(person) = person {
        if !app.store.has_subject(Audience::Parents.as_str(), &person.id).await? {
            let token = new_token();
            let minutes = limits.login_link_minutes;
            let expires = now + jiff::SignedDuration::from_mins(i64::try_from(minutes).unwrap_or(15));
            tx.create_subject_link(&secret_hash(&token), &pending_hash, &person.id, now, expires).await?;
            let link = format!("{}/login/mitid/bind?token={token}", app.settings.base());
            let lang = if person.lang == "en" { "en" } else { lang };
            let mail = mail::mitid_binding(&email, &person.first_name, &waiting.name, &link, minutes, lang);
            queue_mail(&mut tx, &mail, now).await?;
            tx.audit(&format!("person:{}", person.id), "mitid.link_sent", &person.id, &waiting.name, source, now)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Opens the binding link (in the browser that logged in with MitID): the
/// MitID is bound to the person for good, audited, and a session opens.
pub async fn use_binding(app: &App, token: &str, pending: &str, source: &str) -> Result<NewSession, LoginError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let link = tx
        .use_subject_link(&secret_hash(token.trim()), &secret_hash(pending), now)
        .await?
        .ok_or(LoginError::BindingInvalid)?;
    let SubjectParts { issuer, subject, name, proved_at } = SubjectParts::from(&link.pending)?;
    let person = link.person_id;
    if !tx.bind_subject(&issuer, &subject, Audience::Parents.as_str(), &person, now).await? {
        return Err(LoginError::BindingInvalid);
    }
    let actor = format!("person:{person}");
    tx.audit(&actor, "mitid.bound", &person, &format!("e-mail link; name at the broker: {name}"), source, now).await?;
    let session = open_session(&mut tx, app, &person, now, Proof::MitId, proved_at).await?;
    tx.audit(&actor, "login", &person, "mitid", source, now).await?;
    tx.commit().await?;
    Ok(session)
}

struct SubjectParts {
    issuer: String,
    subject: String,
    name: String,
    proved_at: Option<jiff::Timestamp>,
}

impl SubjectParts {
    fn from(pending: &PendingSubject) -> Result<SubjectParts, StoreError> {
        Ok(SubjectParts {
            issuer: pending.issuer.clone(),
            subject: pending.subject.clone(),
            name: pending.name.clone(),
            proved_at: pending.proved_at.map(saldo_store::from_micros).transpose()?,
        })
    }
}

/// The roles a staff member's groups give, by `[login.staff.groups]`.
pub fn staff_roles(settings: &OidcSettings, groups: &[String]) -> Vec<(StaffRole, String)> {
    let mut roles = Vec::new();
    for group in groups {
        let found = settings.groups.iter().find(|(name, _)| name.eq_ignore_ascii_case(group.trim()));
        let Some((_, grant)) = found else { continue };
        let role = match grant.role {
            StaffRoleName::Office => (StaffRole::Office, grant.institution.clone().unwrap_or_default()),
            StaffRoleName::TillStaff => (StaffRole::TillStaff, grant.sales_point.clone().unwrap_or_default()),
            StaffRoleName::TillManager => (StaffRole::TillManager, grant.sales_point.clone().unwrap_or_default()),
            StaffRoleName::Operator => (StaffRole::Operator, String::new()),
            StaffRoleName::Support => (StaffRole::Support, String::new()),
        };
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    roles
}

async fn staff(
    app: &App,
    verified: &Verified,
    subject: &str,
    name: &str,
    proved_at: Option<jiff::Timestamp>,
    source: &str,
) -> Result<Finished, LoginError> {
    let settings = &app.settings.login.staff;
    let groups = list_claim(&verified.claims, &settings.groups_claim);
    let roles = staff_roles(settings, &groups);
    let issuer = verified.issuer.as_str();
    let known = app.store.subject_person(issuer, subject).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if roles.is_empty() {
        let detail = format!("{name}: groups {}", groups.join(", ").chars().take(500).collect::<String>());
        if let Some(person) = &known {
            // Out of every group that counts: the old hats go too.
            tx.replace_staff_roles(person, &[]).await?;
        }
        tx.audit(&format!("staff-idp:{subject}"), "login.refused", subject, &detail, source, now).await?;
        tx.commit().await?;
        return Err(LoginError::UnknownGroups);
    }
    let person = match known {
        Some(person) => person,
        None => {
            let (first, last) = split_name(name);
            let person = tx.create_person(&first, &last, None, now).await?;
            tx.bind_subject(issuer, subject, Audience::Staff.as_str(), &person, now).await?;
            tx.audit(&format!("staff-idp:{subject}"), "staff.created", &person, name, source, now).await?;
            person
        }
    };
    tx.replace_staff_roles(&person, &roles).await?;
    let detail = roles.iter().map(|(role, scope)| format!("{} {scope}", role.as_str())).collect::<Vec<_>>().join(", ");
    tx.audit(&format!("person:{person}"), "staff.roles", &person, &detail, source, now).await?;
    let session = open_session(&mut tx, app, &person, now, Proof::StaffIdp, proved_at).await?;
    tx.audit(&format!("person:{person}"), "login", &person, "staff idp", source, now).await?;
    tx.commit().await?;
    Ok(Finished::SignedIn { session, return_to: String::new() })
}

/// "Anna Marie Hansen" → ("Anna Marie", "Hansen").
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_owned(), last.to_owned()),
        None => (name.to_owned(), String::new()),
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
    use super::*;
    use crate::settings::GroupGrant;

    #[test]
    fn a_cpr_number_is_kept_only_as_a_keyed_hash() {
        let key = "k".repeat(32);
        let hash = cpr_hash(&key, "010185-1234").unwrap();
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("0101851234"));
        assert_eq!(cpr_hash(&key, "0101851234"), Some(hash.clone()), "the dash does not matter");
        assert_ne!(cpr_hash(&"x".repeat(32), "0101851234"), Some(hash), "another key, another hash");
        assert_eq!(cpr_hash(&key, "12345"), None);
        assert_eq!(cpr_hash("", "0101851234"), None);
    }

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

    #[test]
    fn groups_map_to_roles_case_blind_and_unknown_groups_give_nothing() {
        let mut settings = OidcSettings::default();
        settings.groups.insert(
            "Saldo-Kontor".into(),
            GroupGrant { role: StaffRoleName::Office, institution: Some("ins_1".into()), sales_point: None },
        );
        settings.groups.insert(
            "saldo-drift".into(),
            GroupGrant { role: StaffRoleName::Operator, institution: None, sales_point: None },
        );
        let roles = staff_roles(&settings, &["saldo-kontor".into(), "andet".into(), "SALDO-DRIFT".into()]);
        assert_eq!(roles, [(StaffRole::Office, "ins_1".into()), (StaffRole::Operator, String::new())]);
        assert!(staff_roles(&settings, &["andet".into()]).is_empty());
        assert_eq!(split_name("Anna Marie Hansen"), ("Anna Marie".into(), "Hansen".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
    }
}
