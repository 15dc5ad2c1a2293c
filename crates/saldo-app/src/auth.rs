//! Who is asking: login by e-mail link, staff passwords and the demo's
//! one-click login (OpenID Connect is in [`crate::login`]), sessions, and the
//! checks every use case makes: rights, and a recent login for a step-up.

use saldo_core::ids::{ChildId, PersonId};
use saldo_core::login::{Proof, Proved, StepUp, STEP_UP_WINDOW};
use saldo_core::rights::{authorize, Action, Allowed, Denied, Grant, Target};
use saldo_store::{ChildRow, StoreError};

use crate::idempotency::secret_hash;
use crate::mail;
use crate::outbox::queue_mail;
use crate::tills::new_token;
use crate::App;

/// A signed-in person and everything that gives them rights, read fresh for
/// each request, so a removed relative loses access at once.
#[derive(Clone, Debug)]
pub struct Actor {
    pub person_id: PersonId,
    pub name: String,
    pub lang: String,
    pub grants: Vec<Grant>,
    /// Where the request came from, for the audit log.
    pub source: String,
    /// How and when the person last proved who they are in this session.
    pub proved: Option<Proved>,
}

impl Actor {
    /// How the actor appears in journal entries and the audit log.
    pub fn label(&self) -> String {
        format!("person:{}", self.person_id)
    }

    pub fn is_custodian_of(&self, child_id: &ChildId) -> bool {
        self.grants.iter().any(|g| matches!(g, Grant::CustodianOf { child } if child == child_id))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("too many login requests; wait a while")]
    RateLimited,
    #[error("that is not an e-mail address")]
    NotAnEmail,
    #[error("the login link is used, expired or unknown")]
    LinkInvalid,
    #[error("demo login exists only in demo mode")]
    NotDemo,
    #[error("wrong e-mail or password")]
    WrongPassword,
    #[error("no office, operator or support staff has that e-mail address")]
    NotStaff,
    #[error("a staff password has at least {0} characters")]
    PasswordTooShort(usize),
    #[error(transparent)]
    Hash(#[from] crate::passwords::HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a use case refused: the person gets `NotFound` when they have no
/// standing at all (so ids cannot be probed), `Forbidden` otherwise.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(Denied),
    /// The action needs a recent MitID login (or e-mail link): a step-up.
    #[error("a recent login is needed for this")]
    StepUp,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A signed-in session: the cookie value (never stored) and its CSRF token.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub cookie: String,
    pub person_id: PersonId,
}

/// Sends a login link if the address belongs to someone. The answer is the
/// same either way, so the page never tells whether an address is known.
pub async fn request_login_link(app: &App, email: &str, source: &str, lang: &str) -> Result<(), AuthError> {
    let email = email.trim().to_lowercase();
    if email.len() > 254 || !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(AuthError::NotAnEmail);
    }
    let now = app.now();
    let window = now - jiff::SignedDuration::from_mins(15);
    let limits = &app.settings.sessions;
    let mut tx = app.store.begin().await?;
    let by_email = tx.count_rate_event(&format!("login:email:{email}"), now, window).await?;
    let by_address = tx.count_rate_event(&format!("login:addr:{source}"), now, window).await?;
    if by_email > limits.login_requests_per_email || by_address > limits.login_requests_per_address {
        tx.commit().await?;
        return Err(AuthError::RateLimited);
    }
    if let Some(person) = app.store.person_by_email(&email).await? {
        let token = new_token();
        let expires =
            now + jiff::SignedDuration::try_from(limits.login_link()).unwrap_or(jiff::SignedDuration::from_mins(15));
        tx.create_login_token(&secret_hash(&token), &person.id, now, expires).await?;
        let lang = if person.lang == "en" { "en" } else { lang };
        let link = format!("{}/login/link?token={token}", app.settings.base());
        let mail = mail::login_link(&email, &person.first_name, &link, limits.login_link_minutes, lang);
        queue_mail(&mut tx, &mail, now).await?;
        tx.audit(&format!("person:{}", person.id), "login.link_sent", &person.id, "", source, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Uses a login link once and opens a session.
pub async fn use_login_link(app: &App, token: &str, source: &str) -> Result<NewSession, AuthError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let person = tx.use_login_token(&secret_hash(token.trim()), now).await?.ok_or(AuthError::LinkInvalid)?;
    let session = open_session(&mut tx, app, &person, now, Proof::EmailLink, Some(now)).await?;
    tx.audit(&format!("person:{person}"), "login", &person, "e-mail link", source, now).await?;
    tx.commit().await?;
    Ok(session)
}

/// Staff (office, operator) log in with e-mail and password; the session is
/// the same kind as the portal's. Tries are limited per address and per e-mail.
pub async fn password_login(app: &App, email: &str, password: &str, source: &str) -> Result<NewSession, AuthError> {
    let email = email.trim().to_lowercase();
    if email.len() > 254 || password.len() > 1_000 {
        return Err(AuthError::WrongPassword);
    }
    let now = app.now();
    let window = now - jiff::SignedDuration::from_mins(15);
    let limits = &app.settings.sessions;
    let mut tx = app.store.begin().await?;
    let by_email = tx.count_rate_event(&format!("staff-login:email:{email}"), now, window).await?;
    let by_address = tx.count_rate_event(&format!("staff-login:addr:{source}"), now, window).await?;
    tx.commit().await?;
    if by_email > limits.login_requests_per_email * 2 || by_address > limits.login_requests_per_address {
        return Err(AuthError::RateLimited);
    }
    let Some((person, hash)) = app.store.staff_password(&email).await? else { return Err(AuthError::WrongPassword) };
    if !crate::passwords::verify(password, &hash).await? {
        let mut tx = app.store.begin().await?;
        tx.audit(&format!("person:{person}"), "login.failed", &person, "password", source, now).await?;
        tx.commit().await?;
        return Err(AuthError::WrongPassword);
    }
    let mut tx = app.store.begin().await?;
    let session = open_session(&mut tx, app, &person, now, Proof::Password, Some(now)).await?;
    tx.audit(&format!("person:{person}"), "login", &person, "password", source, now).await?;
    tx.commit().await?;
    Ok(session)
}

/// The shortest staff password the operator may set.
pub const MIN_PASSWORD: usize = 10;

/// Sets (or replaces) a staff member's password, from the operator's command line.
pub async fn set_staff_password(app: &App, email: &str, password: &str) -> Result<(), AuthError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AuthError::PasswordTooShort(MIN_PASSWORD));
    }
    let person = app.store.person_by_email(email).await?.ok_or(AuthError::NotStaff)?;
    let grants = app.store.grants_of(&person.id).await?;
    if !grants.iter().any(|g| matches!(g, Grant::Office { .. } | Grant::OperatorAdmin | Grant::Support)) {
        return Err(AuthError::NotStaff);
    }
    let hash = crate::passwords::hash(password, &app.settings.sessions).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.set_staff_password(&person.id, &hash, now).await?;
    tx.audit("cli", "staff.password", &person.id, "password set", "cli", now).await?;
    tx.commit().await?;
    Ok(())
}

/// Where a person starts after logging in: the office's desk, the operator's
/// page, the support console, or the portal.
pub async fn home_of(app: &App, person_id: &PersonId) -> Result<&'static str, StoreError> {
    let grants = app.store.grants_of(person_id).await?;
    Ok(if grants.iter().any(|g| matches!(g, Grant::Office { .. })) {
        "/office"
    } else if grants.iter().any(|g| matches!(g, Grant::OperatorAdmin)) {
        "/admin"
    } else if grants.iter().any(|g| matches!(g, Grant::Support)) {
        "/support"
    } else if grants.iter().any(|g| matches!(g, Grant::TillStaff { .. }))
        && !grants.iter().any(|g| matches!(g, Grant::CustodianOf { .. } | Grant::RelativeOf { .. }))
    {
        // Canteen and club staff work at their sales points, not on an empty "Mine børn".
        "/sales-points"
    } else {
        "/portal"
    })
}

/// Demo mode only: log in as a seeded person with one click.
pub async fn demo_login(app: &App, person_id: &PersonId, source: &str) -> Result<NewSession, AuthError> {
    if !app.settings.demo {
        return Err(AuthError::NotDemo);
    }
    let now = app.now();
    app.store.person(person_id).await?.ok_or(AuthError::LinkInvalid)?;
    let mut tx = app.store.begin().await?;
    let session = open_session(&mut tx, app, person_id, now, Proof::Demo, Some(now)).await?;
    tx.audit(&format!("person:{person_id}"), "login", person_id, "demo", source, now).await?;
    tx.commit().await?;
    Ok(session)
}

/// Opens a session, with how (and when, if recently) the person proved who they are.
pub(crate) async fn open_session(
    tx: &mut saldo_store::Tx,
    app: &App,
    person_id: &PersonId,
    now: jiff::Timestamp,
    proof: Proof,
    proved_at: Option<jiff::Timestamp>,
) -> Result<NewSession, StoreError> {
    let cookie = new_token();
    let absolute = jiff::SignedDuration::try_from(app.settings.sessions.absolute())
        .unwrap_or(jiff::SignedDuration::from_hours(12));
    let id_hash = secret_hash(&cookie);
    tx.create_session(&id_hash, person_id, &new_token(), now, now + absolute).await?;
    let via = match proof {
        Proof::MitId => "parents",
        Proof::StaffIdp => "staff",
        _ => "",
    };
    tx.set_session_proof(&id_hash, proof.as_str(), proved_at, via).await?;
    Ok(NewSession { cookie, person_id: person_id.to_owned() })
}

/// The person behind a session cookie, if the session is alive: not past its
/// absolute end, and used within the idle limit.
pub async fn session_actor(app: &App, cookie: &str, source: &str) -> Result<Option<Actor>, StoreError> {
    if cookie.len() != 64 {
        return Ok(None);
    }
    let id_hash = secret_hash(cookie);
    let Some(session) = app.store.session(&id_hash).await? else { return Ok(None) };
    let now = app.now();
    let now_us = now.as_microsecond();
    let idle_us = i64::try_from(app.settings.sessions.idle().as_micros()).unwrap_or(i64::MAX);
    if now_us >= session.expires_at || now_us - session.last_seen_at > idle_us {
        let mut tx = app.store.begin().await?;
        tx.delete_session(&id_hash).await?;
        tx.commit().await?;
        return Ok(None);
    }
    // Writing on every request would serialize readers on SQLite; a minute's precision is enough.
    if now_us - session.last_seen_at > 60_000_000 {
        let mut tx = app.store.begin().await?;
        tx.touch_session(&id_hash, now).await?;
        tx.commit().await?;
    }
    let Some(person) = app.store.person(&session.person_id).await? else { return Ok(None) };
    let grants = app.store.grants_of(&person.id).await?;
    let proved = match (Proof::parse(&session.proof), session.proved_at) {
        (Some(proof), Some(at)) => Some(Proved { proof, at: saldo_store::from_micros(at)? }),
        _ => None,
    };
    Ok(Some(Actor {
        person_id: person.id,
        name: format!("{} {}", person.first_name, person.last_name),
        lang: person.lang,
        grants,
        source: source.to_owned(),
        proved,
    }))
}

/// What the person must do before asking for a payout, adding a relative or
/// closing an account: nothing (a MitID login or, for people without MitID,
/// an e-mail link within the last 15 minutes), or one of those again.
pub async fn step_up_state(app: &App, actor: &Actor) -> Result<StepUp, StoreError> {
    let has_mitid = app.settings.login.parents.enabled() && app.store.has_subject("parents", &actor.person_id).await?;
    Ok(saldo_core::login::step_up(actor.proved, has_mitid, app.now(), STEP_UP_WINDOW))
}

/// Refuses a step-up action without a recent enough login.
pub async fn require_recent_login(app: &App, actor: &Actor) -> Result<(), Refusal> {
    match step_up_state(app, actor).await? {
        StepUp::Fresh => Ok(()),
        StepUp::MitId | StepUp::EmailLink => Err(Refusal::StepUp),
    }
}

pub async fn logout(app: &App, cookie: &str) -> Result<(), StoreError> {
    let mut tx = app.store.begin().await?;
    tx.delete_session(&secret_hash(cookie)).await?;
    tx.commit().await
}

/// The check every use case about a child makes. A refusal to someone with
/// standing (a relative reaching for a custodian's control) is audited: it is
/// either a bug in a page or a crafted request, and both are worth knowing.
pub async fn authorize_child(
    app: &App,
    actor: &Actor,
    action: Action,
    child_id: &ChildId,
) -> Result<(ChildRow, Allowed), Refusal> {
    let Some(child) = app.store.child(child_id).await? else { return Err(Refusal::NotFound) };
    let institutions = child.institutions();
    match authorize(&actor.grants, action, &Target::child(&child.id, &institutions)) {
        Ok(allowed) => {
            if allowed.audited {
                let mut tx = app.store.begin().await?;
                tx.audit(&actor.label(), &format!("look_up.{action:?}"), child_id, "", &actor.source, app.now())
                    .await?;
                tx.commit().await?;
            }
            Ok((child, allowed))
        }
        Err(Denied::NotYours) => Err(Refusal::NotFound),
        Err(denied) => {
            let mut tx = app.store.begin().await?;
            tx.audit(&actor.label(), "denied", child_id, &format!("{action:?}: {denied}"), &actor.source, app.now())
                .await?;
            tx.commit().await?;
            Err(Refusal::Forbidden(denied))
        }
    }
}

/// Support changes an account only from its console, where every action
/// carries a reason for the custodians' access log; a family's or staff's page
/// reached by support is refused, and the attempt audited.
pub(crate) async fn not_as_support(
    app: &App,
    actor: &Actor,
    allowed: &Allowed,
    child_id: &ChildId,
) -> Result<(), Refusal> {
    if allowed.role != saldo_core::rights::Role::Support {
        return Ok(());
    }
    let mut tx = app.store.begin().await?;
    tx.audit(&actor.label(), "denied", child_id, "support acts from its console", &actor.source, app.now()).await?;
    tx.commit().await?;
    Err(Refusal::Forbidden(Denied::NotAllowed))
}

/// People seeded in demo mode, for the demo login page.
pub async fn demo_people(app: &App) -> Result<Vec<saldo_store::PersonWithRole>, StoreError> {
    if !app.settings.demo {
        return Ok(Vec::new());
    }
    app.store.people_with_roles().await
}

/// Remembers the person's language for mails and the next visit.
pub async fn set_lang(app: &App, actor: &Actor, lang: &str) -> Result<(), StoreError> {
    if lang != "da" && lang != "en" {
        return Ok(());
    }
    let mut tx = app.store.begin().await?;
    tx.set_person_lang(&actor.person_id, lang).await?;
    tx.commit().await
}
