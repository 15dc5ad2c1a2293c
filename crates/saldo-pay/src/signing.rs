//! HMAC-SHA256 signatures, compared in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub(crate) fn sign(secret: &[u8], message: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn verify(secret: &[u8], message: &[u8], signature_hex: &str) -> bool {
    let Some(signature) = decode_hex(signature_hex) else { return false };
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(message);
    mac.verify_slice(&signature).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || s.len() > 128 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_its_message_and_key() {
        let sig = sign(b"key", b"message");
        assert!(verify(b"key", b"message", &sig));
        assert!(!verify(b"key", b"messagE", &sig));
        assert!(!verify(b"other", b"message", &sig));
        assert!(!verify(b"key", b"message", "zz"));
        assert!(!verify(b"key", b"message", ""));
    }
}
