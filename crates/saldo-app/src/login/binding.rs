//! Binding a first MitID login to the person the school data knows: by the
//! CPR number's keyed hash, or by a one-time link to the e-mail address on
//! file, opened in the browser that logged in. No CPR number is stored.

use hmac::{Hmac, Mac};
use saldo_core::ids::PersonId;
use saldo_core::login::Proof;
use saldo_store::{PendingSubject, StoreError};
use sha2::Sha256;

use super::{Audience, LoginError};
use crate::auth::{open_session, NewSession};
use crate::idempotency::secret_hash;
use crate::oidc::{text_claim, Verified};
use crate::outbox::queue_mail;
use crate::tills::new_token;
use crate::{mail, App};

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
pub(super) async fn bind_by_cpr(
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
