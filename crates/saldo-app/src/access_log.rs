//! The access log a custodian reads on the portal: who at support looked at
//! or acted on the child's account, when, and the reason they gave.

use saldo_core::ids::ChildId;
use saldo_core::rights::{Action, Denied};
use saldo_store::AccessRow;

use crate::auth::{Actor, Refusal};
use crate::family::{self, ChildView};
use crate::App;

/// The latest this many lines; older ones stay in the audit log.
const SHOWN: i64 = 100;

/// The child's access log, for a custodian of the child. A relative is
/// refused (and the attempt audited): the log names staff and their reasons,
/// which is the custodian's business.
pub async fn of_child(app: &App, actor: &Actor, child_id: &ChildId) -> Result<(ChildView, Vec<AccessRow>), Refusal> {
    let view = family::child(app, actor, child_id, Action::SeeStatement).await?;
    if !view.is_custodian {
        let mut tx = app.store.begin().await?;
        let detail = format!("AccessLog: {}", Denied::NotAllowed);
        tx.audit(&actor.label(), "denied", child_id, &detail, &actor.source, app.now()).await?;
        tx.commit().await?;
        return Err(Refusal::Forbidden(Denied::NotAllowed));
    }
    Ok((view, app.store.support_access_of(child_id, SHOWN).await?))
}
