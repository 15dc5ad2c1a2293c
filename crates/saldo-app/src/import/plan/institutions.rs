//! institutioner.csv: schools, clubs and youth schools, by the old system's number.

use std::collections::HashMap;

use saldo_store::{ExistingData, ExistingInstitution, InstitutionKind, NewInstitution};

use super::{Counter, Diffed, Plan};
use crate::import::rows::{Export, INSTITUTIONS};

/// Institution id and kind by the old system's number.
pub(super) type Institutions = HashMap<String, (String, InstitutionKind)>;

pub(super) fn plan(c: &mut Counter<'_>, export: &Export, existing: &ExistingData) -> Institutions {
    let by_legacy: HashMap<&str, &ExistingInstitution> =
        existing.institutions.iter().filter_map(|i| Some((i.legacy_no.as_deref()?, i))).collect();
    let mut institutions = Institutions::new();
    for i in &export.institutions {
        let line = export.line(INSTITUTIONS, i.row);
        let target = NewInstitution { id: String::new(), legacy_no: i.no.clone(), name: i.name.clone(), kind: i.kind };
        let diff = |old: &ExistingInstitution, _: &mut Plan| {
            let mut what = Vec::new();
            if old.name != i.name {
                what.push(format!("name {:?} → {:?}", old.name, i.name));
            }
            if old.kind != i.kind.as_str() {
                what.push(format!("type {} → {}", old.kind, i.kind.as_str()));
            }
            what
        };
        let id = match c.diff_and_count(INSTITUTIONS, line, &i.no, by_legacy.get(i.no.as_str()).copied(), diff) {
            Diffed::Held { old, changed } => {
                if changed {
                    c.plan.institution_updates.push(NewInstitution { id: old.id.clone(), ..target });
                }
                old.id.clone()
            }
            Diffed::Created => {
                let id = saldo_store::new_id("inst");
                c.plan.new_institutions.push(NewInstitution { id: id.clone(), ..target });
                id
            }
        };
        institutions.insert(i.no.clone(), (id, i.kind));
    }
    institutions
}
