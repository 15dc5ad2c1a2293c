//! Parents' controls at the till: categories a custodian blocks for a child
//! (among those the operator allows), and a short note the till shows on every scan.

use saldo_core::ids::ChildId;
use saldo_core::rights::Action;
use saldo_store::StoreError;

use crate::auth::{authorize_child, Actor, Refusal};
use crate::App;

/// A note is a line or two for the staff, not a letter.
pub const MAX_NOTE: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TillControls {
    /// (category, label, blocked) for every category the operator lets custodians block.
    pub categories: Vec<(String, String, bool)>,
    pub note: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ControlsError {
    #[error("the note is longer than {MAX_NOTE} characters")]
    NoteTooLong,
    #[error("category {0:?} cannot be blocked")]
    NotBlockable(String),
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn controls(app: &App, actor: &Actor, child_id: &ChildId) -> Result<TillControls, ControlsError> {
    authorize_child(app, actor, Action::ChangeLimits, child_id).await?;
    let (blocked, note) = app.store.till_controls(child_id).await?;
    let categories = app
        .store
        .blockable_categories()
        .await?
        .into_iter()
        .map(|(category, label)| {
            let on = blocked.contains(&category);
            (category, label, on)
        })
        .collect();
    Ok(TillControls { categories, note })
}

/// Replaces the blocked categories and the note; the next scan sees them.
pub async fn set_controls(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    blocked: &[String],
    note: &str,
) -> Result<(), ControlsError> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(ControlsError::NoteTooLong);
    }
    authorize_child(app, actor, Action::ChangeLimits, child_id).await?;
    let allowed = app.store.blockable_categories().await?;
    if let Some(bad) = blocked.iter().find(|b| !allowed.iter().any(|(c, _)| c == *b)) {
        return Err(ControlsError::NotBlockable(bad.clone()));
    }
    let mut blocked = blocked.to_vec();
    blocked.sort();
    blocked.dedup();
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.set_till_controls(child_id, &blocked, note, now).await?;
    tx.audit(&actor.label(), "child.till_controls", child_id, &blocked.join(","), &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}
