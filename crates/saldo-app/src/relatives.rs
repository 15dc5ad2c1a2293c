//! Relatives (grandparents…): a custodian invites them by e-mail, they accept
//! with the link (which proves the address is theirs), and a custodian can
//! remove them at any time, with effect on their very next request.

use crate::views::{PendingInvitation, RelativeView};
use saldo_core::email::Email;
use saldo_core::ids::{ChildId, PersonId};
use saldo_core::login::Proof;
use saldo_core::rights::Action;
use saldo_store::{Invitation, NewInvitation, RelationKind, StoreError};

use crate::auth::{authorize_child, open_session, Actor, NewSession, Refusal};
use crate::family::{self, ChildView};
use crate::idempotency::secret_hash;
use crate::outbox::queue_mail;
use crate::tills::new_token;
use crate::{mail, App};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// A personal line is a line, not a letter.
pub const MAX_MESSAGE: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum RelativeError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("that is not an e-mail address")]
    NotAnEmail,
    #[error("the personal line is longer than {MAX_MESSAGE} characters")]
    MessageTooLong,
    #[error("that address belongs to a custodian of the child")]
    AlreadyCustodian,
    #[error("the invitation is used, withdrawn, expired or unknown")]
    InvitationClosed,
    #[error("the invitation was sent to another address than the one signed in")]
    WrongAccount,
    #[error("a name is needed to accept")]
    NameMissing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct RelativesView {
    pub child: ChildView,
    pub relatives: Vec<RelativeView>,
    pub pending: Vec<PendingInvitation>,
}

pub async fn view(app: &App, actor: &Actor, child_id: &ChildId) -> Result<RelativesView, Refusal> {
    let child = family::child(app, actor, child_id, Action::ManageRelatives).await?;
    let relatives = app.store.relatives_of(child_id).await?.into_iter().map(RelativeView::from).collect();
    let pending =
        app.store.pending_invitations(child_id, app.now()).await?.into_iter().map(PendingInvitation::from).collect();
    Ok(RelativesView { child, relatives, pending })
}

/// Mails an invitation with a single-use link bound to `email`.
pub async fn invite(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    email: &str,
    message: &str,
) -> Result<(), RelativeError> {
    let (child, _) = authorize_child(app, actor, Action::ManageRelatives, child_id).await?;
    crate::auth::require_recent_login(app, actor).await?;
    let email: Email = email.parse().map_err(|_| RelativeError::NotAnEmail)?;
    if message.chars().count() > MAX_MESSAGE {
        return Err(RelativeError::MessageTooLong);
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if let Some(existing) = app.store.person_by_email(email.as_str()).await? {
        if tx.relation_of(child_id, &existing.id).await? == Some(RelationKind::Custodian) {
            return Err(RelativeError::AlreadyCustodian);
        }
    }
    let token = new_token();
    let id = saldo_store::new_id("inv");
    let expires = now + jiff::SignedDuration::from_hours(24 * INVITATION_DAYS);
    tx.create_invitation(&NewInvitation {
        id: &id,
        child_id,
        invited_by: &actor.person_id,
        email: email.as_str(),
        message: message.trim(),
        token_hash: &secret_hash(&token),
        at: now,
        expires,
    })
    .await?;
    let link = format!("{}/invitations/{token}", app.settings.base());
    let from = actor.name.clone();
    let lang = if actor.lang == "en" { "en" } else { "da" };
    let invitation =
        mail::relative_invited(email.as_str(), &child.first_name, &from, message, &link, INVITATION_DAYS, lang);
    queue_mail(&mut tx, &invitation, now).await?;
    tx.audit(&actor.label(), "relative.invited", child_id, email.as_str(), &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn withdraw(app: &App, actor: &Actor, child_id: &ChildId, invitation_id: &str) -> Result<(), RelativeError> {
    authorize_child(app, actor, Action::ManageRelatives, child_id).await?;
    withdraw_unchecked(app, actor, child_id, invitation_id).await?;
    Ok(())
}

/// Withdraws a pending invitation, for a caller that has checked who may
/// (a custodian above, or support on a custodian's request); answers whether one was pending.
pub(crate) async fn withdraw_unchecked(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    invitation_id: &str,
) -> Result<bool, StoreError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let withdrawn = tx.withdraw_invitation(invitation_id, child_id, now).await?;
    if withdrawn {
        tx.audit(&actor.label(), "relative.invitation_withdrawn", child_id, invitation_id, &actor.source, now).await?;
    }
    tx.commit().await?;
    Ok(withdrawn)
}

/// Removes a relative: their access ends at once, their agreement for the
/// child ends with it, and they are told by e-mail.
pub async fn remove(app: &App, actor: &Actor, child_id: &ChildId, person_id: &PersonId) -> Result<(), RelativeError> {
    let (child, _) = authorize_child(app, actor, Action::ManageRelatives, child_id).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if !tx.remove_relative(child_id, person_id).await? {
        return Err(Refusal::NotFound.into());
    }
    for agreement in tx.agreement_ids_of(child_id, person_id).await? {
        tx.delete_agreement(&agreement).await?;
    }
    if let Some(person) = app.store.person(person_id).await? {
        if let Some(email) = &person.email {
            queue_mail(&mut tx, &mail::relative_removed(email, &child.first_name, &person.lang), now).await?;
        }
    }
    tx.audit(&actor.label(), "relative.removed", child_id, person_id.as_str(), &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation as its landing page shows it.
pub struct InvitationView {
    /// The inviting custodian's own words, if any.
    pub message: String,
    pub child_first_name: String,
    pub invited_by: String,
    pub open: bool,
}

pub async fn open_invitation(app: &App, token: &str) -> Result<Option<InvitationView>, StoreError> {
    Ok(invitation(app, token).await?.map(|(_, view)| view))
}

async fn invitation(app: &App, token: &str) -> Result<Option<(Invitation, InvitationView)>, StoreError> {
    let Some(invitation) = app.store.invitation_by_token(&secret_hash(token.trim())).await? else { return Ok(None) };
    let child_first_name = app.store.child(&invitation.child_id).await?.map(|c| c.first_name).unwrap_or_default();
    let invited_by = app
        .store
        .person(&invitation.invited_by)
        .await?
        .map(|p| format!("{} {}", p.first_name, p.last_name))
        .unwrap_or_default();
    let now = app.now().as_microsecond();
    let open = invitation.accepted_at.is_none() && invitation.withdrawn_at.is_none() && invitation.expires_at > now;
    let message = invitation.message.clone();
    Ok(Some((invitation, InvitationView { message, child_first_name, invited_by, open })))
}

/// Accepts an invitation. The link came by mail to the invited address, so
/// using it proves that address: a signed-in person must be that address's
/// owner; anyone else becomes (or is found as) that person and is signed in.
pub async fn accept(
    app: &App,
    token: &str,
    signed_in: Option<&Actor>,
    name: &str,
    source: &str,
) -> Result<Option<NewSession>, RelativeError> {
    let (invitation, view) = invitation(app, token).await?.ok_or(RelativeError::InvitationClosed)?;
    if !view.open {
        return Err(RelativeError::InvitationClosed);
    }
    let existing = app.store.person_by_email(&invitation.email).await?;
    if let Some(actor) = signed_in {
        if existing.as_ref().map(|p| &p.id) != Some(&actor.person_id) {
            return Err(RelativeError::WrongAccount);
        }
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let person_id = match existing {
        Some(person) => person.id,
        None => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(RelativeError::NameMissing);
            }
            let (first, last) = name.rsplit_once(' ').unwrap_or((name, ""));
            tx.create_person(first.trim(), last.trim(), Some(&invitation.email), now).await?
        }
    };
    if !tx.accept_invitation(&secret_hash(token.trim()), &person_id, now).await? {
        return Err(RelativeError::InvitationClosed);
    }
    match tx.relation_of(&invitation.child_id, &person_id).await? {
        Some(RelationKind::Custodian) => return Err(RelativeError::AlreadyCustodian),
        Some(_) => {}
        None => tx.relate(&invitation.child_id, &person_id, RelationKind::Relative, now).await?,
    }
    tx.audit(&format!("person:{person_id}"), "relative.accepted", &invitation.child_id, &invitation.id, source, now)
        .await?;
    let session = match signed_in {
        Some(_) => None,
        None => Some(open_session(&mut tx, app, &person_id, now, Proof::EmailLink, Some(now)).await?),
    };
    tx.commit().await?;
    Ok(session)
}
