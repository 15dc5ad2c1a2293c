//! The NUL character: valid in Rust's strings and SQLite's, refused by
//! PostgreSQL's text. It is never part of anything a person means, so it is
//! refused where text comes in (the address, a form, a JSON body) with a
//! clear error, before it can reach the database as a 500.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::error::ApiError;
use crate::page_error::{PageError, Problem};

/// Refuses an address (path or query) that carries an encoded NUL.
pub async fn refuse_in_address(request: Request, next: Next) -> Response {
    let address = request.uri().path_and_query().map_or("", |pq| pq.as_str());
    if !in_form(address.as_bytes()) {
        return next.run(request).await;
    }
    if request.uri().path().starts_with("/api/") {
        ApiError::InvalidRequest("the address holds a NUL character (%00)".into()).into_response()
    } else {
        PageError(Problem::BadInput).into_response()
    }
}

/// Whether URL-encoded text (an address, a posted form) decodes to a NUL.
pub fn in_form(encoded: &[u8]) -> bool {
    encoded.windows(3).any(|w| w == b"%00")
}

/// Whether a JSON text holds a NUL in a string (`\u0000`; a raw one is not JSON).
pub fn in_json(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        if json[i] == b'\\' {
            if json[i + 1..].starts_with(b"u0000") {
                return true;
            }
            // Skip the escaped character, so `\\u0000` (a backslash, then text) is not one.
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_however_it_is_written_and_only_then() {
        assert!(in_form(b"name=Ida%00"));
        assert!(!in_form(b"name=Ida%2500&x=%0A"));
        assert!(in_json(br#"{"product_id": "a\u0000b"}"#));
        assert!(!in_json(br#"{"note": "a\\u0000b"}"#));
        assert!(in_json(br#"{"note": "a\\\u0000b"}"#));
        assert!(!in_json(br#"{"note": "\u00e6"}"#));
    }
}
