//! Secrets a person types, stored as argon2 hashes: staff passwords and the
//! activation codes printed on blank cards. The cost is an operator setting
//! (tests turn it down: argon2 is slow in debug builds on purpose).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

use crate::settings::SessionSettings;

#[derive(Debug, thiserror::Error)]
#[error("could not hash a secret: {0}")]
pub struct HashError(String);

fn hasher(settings: &SessionSettings) -> Result<Argon2<'static>, HashError> {
    let params = Params::new(settings.hash_memory_kib.max(8), settings.hash_iterations.max(1), 1, None)
        .map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string to store for `secret`.
pub fn hash(secret: &str, settings: &SessionSettings) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher(settings)?
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `secret` matches a stored hash (made with any cost: the cost is in the string).
pub fn verify(secret: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Letters and digits nobody mistakes for each other (no I, O, 0, 1): 32 symbols.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A new activation code, as printed: `XXXX-XXXX` (40 random bits; guessing
/// is stopped by the attempt limits, not by length alone).
pub fn new_activation_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let symbols: String = (0..8).map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())])).collect();
    format!("{}-{}", &symbols[..4], &symbols[4..])
}

/// A typed or scanned code in the form it is hashed in: upper case, no spaces or dashes.
pub fn normalize_code(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn light() -> SessionSettings {
        SessionSettings { hash_memory_kib: 64, hash_iterations: 1, ..SessionSettings::default() }
    }

    #[test]
    fn a_hash_verifies_its_secret_only() {
        let stored = hash("demo-kontor", &light()).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("demo-kontor", &stored));
        assert!(!verify("demo-kontoR", &stored));
        assert!(!verify("demo-kontor", "not a hash"));
    }

    #[test]
    fn codes_are_printed_grouped_and_read_back_loosely() {
        let code = new_activation_code();
        assert_eq!(code.len(), 9);
        assert!(normalize_code(&code).bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalize_code(" abcd-efgh "), "ABCDEFGH");
    }
}
