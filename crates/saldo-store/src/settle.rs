//! Settling a waiting row exactly once: one conditional UPDATE from the
//! states the caller saw to the next, so of two runs at the same moment (a
//! provider's callback and a poll, two job workers) only one moves it on.

use saldo_core::lifecycle::Lifecycle;

use crate::{micros, Result, StoreError, Tx};

/// A table whose rows wait in a lifecycle.
pub(crate) struct Waiting {
    pub table: &'static str,
    pub status: &'static str,
    /// When the row last moved.
    pub moved_at: &'static str,
}

impl Tx {
    /// Moves the row from one of `from` to `to`, filling in the columns in
    /// `also` that are given (a settle never erases what the row knew).
    /// Answers whether this call moved it; `false` means someone else did,
    /// or it was never in `from`.
    pub(crate) async fn settle_once<L: Lifecycle>(
        &mut self,
        waiting: &Waiting,
        id: &str,
        from: &[L],
        to: L,
        also: &[(&'static str, Option<&str>)],
        at: jiff::Timestamp,
    ) -> Result<bool> {
        if let Some(bad) = from.iter().find(|f| !f.may_become(to)) {
            return Err(StoreError::NotAllowed(format!("{} {id}: {bad:?} may not become {to:?}", waiting.table)));
        }
        let Waiting { table, status, moved_at } = waiting;
        let mut sets = format!("{status} = $1, {moved_at} = $2");
        for (n, (column, _)) in also.iter().enumerate() {
            sets.push_str(&format!(", {column} = COALESCE(${}, {column})", n + 3));
        }
        let id_at = also.len() + 3;
        let states: Vec<String> = (0..from.len()).map(|n| format!("${}", id_at + 1 + n)).collect();
        let sql = format!("UPDATE {table} SET {sets} WHERE id = ${id_at} AND {status} IN ({})", states.join(", "));
        let mut query = sqlx::query(&sql).bind(to.as_str()).bind(micros(at));
        for (_, value) in also {
            query = query.bind(*value);
        }
        query = query.bind(id);
        for state in from {
            query = query.bind(state.as_str());
        }
        Ok(query.execute(self.conn()).await?.rows_affected() == 1)
    }
}
