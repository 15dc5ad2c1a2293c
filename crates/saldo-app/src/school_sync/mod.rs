//! The recurring sync from the school administration's export (issue 19.2),
//! at the start of each school year and monthly after: a file is uploaded
//! and kept, its diff shown (who arrives, moves, leaves, whose custodians
//! change), and applied in one transaction, every change audited. It never
//! touches money: a child who leaves keeps the wallet until a custodian
//! takes the money out or retention closes the account. Applying the same
//! file twice changes nothing the second time. Distinct from the one-time
//! move-over (`import`), whose reading of CSV it shares.

mod apply;
mod parse;
mod plan;
mod text;

use saldo_core::rights::{authorize, Action, Denied, Target};
use saldo_store::{StoreError, SyncFile, MAX_SYNC_FILE_BYTES};

pub use apply::Applied;
pub use parse::{FileError, Guardian, Pupil, Rejected, COLUMNS};
pub use plan::{Arrival, Custodian, CustodianChange, Leaver, Move, Place, Plan, Who};

use crate::auth::{Actor, Refusal};
use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    File(#[from] FileError),
    #[error("the file is larger than {MAX_SYNC_FILE_BYTES} bytes")]
    TooLarge,
    #[error("no uploaded file {0}")]
    UnknownFile(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An uploaded export is kept this long, for its diff and its apply; then
/// its content (pupils' and parents' names) is emptied.
pub const KEEP_FILES_DAYS: i64 = 30;

/// What an upload may weigh with its form around it.
pub const MAX_UPLOAD_BYTES: usize = MAX_SYNC_FILE_BYTES + 64 * 1024;

/// Keeping the registers is the operator's.
pub fn must_keep_registers(actor: &Actor) -> Result<(), Refusal> {
    authorize(&actor.grants, Action::MasterData, &Target::default())
        .map(|_| ())
        .map_err(|_| Refusal::Forbidden(Denied::NotAllowed))
}

/// Who the audit log names: the operator, or the command line.
pub fn actor_name(actor: Option<&Actor>) -> String {
    actor.map_or_else(|| "cli:sync".to_owned(), |a| format!("person:{}", a.person_id))
}

/// Keeps an uploaded export (checked to be readable) and answers its id.
pub async fn upload(app: &App, actor: Option<&Actor>, name: &str, bytes: &[u8]) -> Result<String, SyncError> {
    if let Some(actor) = actor {
        must_keep_registers(actor)?;
    }
    if bytes.len() > MAX_SYNC_FILE_BYTES {
        return Err(SyncError::TooLarge);
    }
    parse::parse(bytes)?;
    // Kept as text: decode once, so the stored file is what was read.
    let (text, _) = crate::import::read::decode(bytes);
    let by = actor_name(actor);
    let mut tx = app.store.begin().await?;
    let id = tx.save_sync_file(name.chars().take(200).collect::<String>().as_str(), &text, &by, app.now()).await?;
    tx.forget_sync_files(app.now() - jiff::SignedDuration::from_hours(24 * KEEP_FILES_DAYS)).await?;
    tx.audit(&by, "sync.uploaded", &id, name, actor.map_or("", |a| a.source.as_str()), app.now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// An uploaded file still kept (an emptied one is gone, as far as the sync goes).
async fn kept_file(app: &App, file_id: &str) -> Result<SyncFile, SyncError> {
    app.store
        .sync_file(file_id)
        .await?
        .filter(|f| !f.content.is_empty())
        .ok_or_else(|| SyncError::UnknownFile(file_id.to_owned()))
}

/// The uploaded file and what applying it would do now (the dry run).
pub async fn preview(app: &App, actor: Option<&Actor>, file_id: &str) -> Result<(SyncFile, Plan), SyncError> {
    if let Some(actor) = actor {
        must_keep_registers(actor)?;
    }
    let file = kept_file(app, file_id).await?;
    let (pupils, rejected) = parse::parse(file.content.as_bytes())?;
    // Read in a transaction that is never committed, so the plan sees one moment.
    let mut tx = app.store.begin().await?;
    let data = tx.existing_data().await?;
    let placements = tx.placements().await?;
    drop(tx);
    Ok((file, plan::plan(pupils, rejected, &data, &placements)))
}

/// Applies the uploaded file: the plan is made again inside the
/// transaction that applies it, so it is what holds at that moment.
pub async fn apply(app: &App, actor: Option<&Actor>, file_id: &str) -> Result<Applied, SyncError> {
    if let Some(actor) = actor {
        must_keep_registers(actor)?;
    }
    let file = kept_file(app, file_id).await?;
    let (pupils, rejected) = parse::parse(file.content.as_bytes())?;
    apply::apply(app, actor, &file, pupils, rejected).await
}
