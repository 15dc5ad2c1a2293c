//! What a load run needs to know about a database: till tokens and card numbers.
//! The shape is that of `saldo demo --credentials-out`, so a load run can also
//! be pointed at a demo (where most purchases will be declined: small balances).

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Dataset {
    /// Unknown to `seed` (the server is not started yet); the demo fills it in.
    #[serde(default)]
    pub base_url: Option<String>,
    pub tills: Vec<Till>,
    pub cards: Vec<Card>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Till {
    pub token: String,
    #[serde(default)]
    pub sales_point: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Card {
    pub number: String,
    #[serde(default)]
    pub child_id: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub balance_ore: i64,
    #[serde(default)]
    pub daily_limit_ore: Option<i64>,
}

impl Dataset {
    pub fn read(path: &Path) -> anyhow::Result<Dataset> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let dataset: Dataset =
            serde_json::from_str(&text).with_context(|| format!("{} is not a till-load dataset", path.display()))?;
        anyhow::ensure!(!dataset.tills.is_empty(), "{} lists no tills", path.display());
        anyhow::ensure!(!dataset.cards.is_empty(), "{} lists no cards", path.display());
        Ok(dataset)
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))
    }
}
