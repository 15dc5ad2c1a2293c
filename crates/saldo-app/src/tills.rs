//! Tills: who is calling (by bearer token), and what they sell.

use saldo_store::{ProductRow, StoreError, TillRow};

use crate::idempotency::secret_hash;
use crate::App;

/// Tokens are long random strings; anything outside these bounds is not one.
const TOKEN_LEN: std::ops::RangeInclusive<usize> = 16..=200;

/// The till holding `token`, if any. Compares hashes, never the token itself.
pub async fn authenticate(app: &App, token: &str) -> Result<Option<TillRow>, StoreError> {
    if !plausible_token(token) {
        return Ok(None);
    }
    app.store.till_by_token_hash(&secret_hash(token)).await
}

/// Whether `token` could be a till token at all (not whether one holds it).
pub fn plausible_token(token: &str) -> bool {
    TOKEN_LEN.contains(&token.len())
}

pub async fn products(app: &App, till: &TillRow) -> Result<Vec<ProductRow>, StoreError> {
    app.store.active_products(&till.sales_point_id).await
}

/// A new till token: 32 random bytes as hex.
pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
