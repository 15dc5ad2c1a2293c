//! The diff as plain text, for `saldo sync` on the command line.

use std::fmt::Write;

use super::plan::{Place, Plan};

fn place(p: &Place) -> String {
    let mut text = p.school.clone();
    if let Some(class) = &p.class_name {
        text.push_str(&format!(" {class}"));
    }
    if let Some(club) = &p.club {
        text.push_str(&format!(", {club}"));
    }
    text
}

impl Plan {
    pub fn text(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_text(&mut out);
        out
    }

    fn write_text(&self, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "{} arrive, {} move, {} leave, {} with custody changes, {} unchanged, {} rows skipped",
            self.arrivals.len(),
            self.moves.len(),
            self.leavers.len(),
            self.custodian_changes.len(),
            self.unchanged,
            self.rejected.len()
        )?;
        for a in &self.arrivals {
            let custodians: Vec<String> = a.custodians.iter().map(|c| c.name()).collect();
            let (first, last) = (&a.pupil.first_name, &a.pupil.last_name);
            writeln!(
                out,
                "  arrives: {first} {last} ({}) at {}; custodians: {}",
                a.pupil.number,
                place(&a.place),
                custodians.join(", ")
            )?;
        }
        for m in &self.moves {
            let back = if m.returns { " (back)" } else { "" };
            writeln!(out, "  moves: {} from {} to {}{back}", m.name, place(&m.from), place(&m.to))?;
        }
        for l in &self.leavers {
            writeln!(out, "  leaves: {} from {} (the account and its money stay)", l.name, place(&l.place))?;
        }
        for c in &self.custodian_changes {
            let added: Vec<String> = c.added.iter().map(|a| a.name()).collect();
            let removed: Vec<&str> = c.removed.iter().map(|(_, n)| n.as_str()).collect();
            writeln!(out, "  custody: {}: gains {:?}, loses {:?}", c.name, added, removed)?;
        }
        for r in &self.rejected {
            writeln!(out, "  skipped line {}: {}", r.line, r.reason)?;
        }
        Ok(())
    }
}
