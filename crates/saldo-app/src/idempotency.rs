//! The key a caller sends with every money-moving request.

use std::str::FromStr;

use sha2::{Digest, Sha256};

/// An `Idempotency-Key`: 1 to 200 visible ASCII characters (a UUID is typical).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an idempotency key is 1 to 200 visible ASCII characters")]
pub struct IdempotencyKeyError;

impl IdempotencyKey {
    pub const MAX_LEN: usize = 200;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for IdempotencyKey {
    type Err = IdempotencyKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() || s.len() > Self::MAX_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(IdempotencyKeyError);
        }
        Ok(IdempotencyKey(s.to_owned()))
    }
}

/// The fingerprint of a request, to tell "the same request again" from "another request, same key".
pub fn request_hash(canonical: &impl serde::Serialize) -> String {
    let bytes = serde_json::to_vec(canonical).unwrap_or_default();
    format!("{:x}", Sha256::digest(bytes))
}

/// A secret's stored form (till tokens): the secret itself is never stored.
pub fn secret_hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_text() {
        assert!("3f2b9c1e-0d7a-4c55-9b1e-1f2a3b4c5d6e".parse::<IdempotencyKey>().is_ok());
        assert!("".parse::<IdempotencyKey>().is_err());
        assert!("has space".parse::<IdempotencyKey>().is_err());
        assert!("x".repeat(201).parse::<IdempotencyKey>().is_err());
        assert!("nøgle".parse::<IdempotencyKey>().is_err());
    }
}
