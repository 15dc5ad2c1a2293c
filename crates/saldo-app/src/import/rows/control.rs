//! kontrolsummer.txt: the old system's closing totals, row counts and money,
//! that the import reconciles against.

use saldo_core::Money;

use super::{ACCOUNTS, AGREEMENTS, CARDS, CHILDREN};
use crate::import::read;
use crate::import::ImportError;

/// The old system's closing totals (kontrolsummer.txt).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Control {
    pub children: Option<u64>,
    pub accounts: Option<u64>,
    pub cards: Option<u64>,
    pub agreements: Option<u64>,
    pub total: Money,
}

impl Control {
    /// The row count the old system states for a file, if it states one.
    pub fn rows_of(&self, file: &str) -> Option<u64> {
        match file {
            CHILDREN => self.children,
            ACCOUNTS => self.accounts,
            CARDS => self.cards,
            AGREEMENTS => self.agreements,
            _ => None,
        }
    }
}

/// Reads kontrolsummer.txt: `Antal børn: 2000`, …, `Samlet saldo: 792782,81`.
pub(super) fn control(bytes: &[u8]) -> Result<Control, ImportError> {
    let (text, _) = read::decode(bytes);
    let mut control = Control::default();
    let mut total = None;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let key = key.trim().trim_start_matches('\u{feff}').to_lowercase();
        let value = value.trim();
        let count = || value.replace('.', "").parse::<u64>().ok();
        match key.as_str() {
            "antal børn" => control.children = count(),
            "antal konti" => control.accounts = count(),
            "antal kort" => control.cards = count(),
            "antal aftaler" => control.agreements = count(),
            "samlet saldo" => {
                total = Some(
                    value.parse::<Money>().map_err(|e| ImportError::Control(format!("Samlet saldo {value:?}: {e}")))?,
                )
            }
            _ => {}
        }
    }
    control.total = total.ok_or_else(|| ImportError::Control("it has no line \"Samlet saldo: …\"".into()))?;
    Ok(control)
}
