//! Reading a JSON body for the API: every way it can be wrong answers as an
//! [`ApiError`] in JSON (axum's own rejections are plain text), a body over
//! the 64 KiB limit included.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;

use super::error::ApiError;

/// A JSON body of type `T`, or the API's error for it.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state).await;
        parse(bytes).map(ApiJson)
    }
}

/// The body as `T`: too large, not JSON, or JSON of the wrong shape each say so.
pub fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
        _ => ApiError::MalformedJson(rejection.body_text()),
    })?;
    if crate::nul::in_json(&body) {
        return Err(ApiError::InvalidRequest("a text holds a NUL character (\\u0000)".into()));
    }
    serde_json::from_slice(&body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::InvalidRequest(e.to_string()),
        _ => ApiError::MalformedJson(e.to_string()),
    })
}

/// A whole number however JSON writes it: `2` and `2.0` are the same count
/// (JSON Schema's `integer` allows both), `2.5` is not a count.
pub fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    if let Some(n) = number.as_i64() {
        return Ok(n);
    }
    match number.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(f as i64),
        _ => Err(serde::de::Error::custom(format!("{number} is not a whole number"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Count {
        #[serde(deserialize_with = "whole_number")]
        n: i64,
    }

    fn count(json: &str) -> Result<i64, ApiError> {
        parse::<Count>(Ok(Bytes::from(json.to_owned()))).map(|c| c.n)
    }

    #[test]
    fn a_count_is_a_whole_number_however_it_is_written() {
        assert_eq!(count(r#"{"n": 2}"#).unwrap(), 2);
        assert_eq!(count(r#"{"n": 2.0}"#).unwrap(), 2);
        assert_eq!(count(r#"{"n": -1}"#).unwrap(), -1);
        assert!(matches!(count(r#"{"n": 2.5}"#), Err(ApiError::InvalidRequest(_))));
        assert!(matches!(count(r#"{"n": 1e300}"#), Err(ApiError::InvalidRequest(_))));
        assert!(matches!(count(r#"{"n": "2"}"#), Err(ApiError::InvalidRequest(_))));
        assert!(matches!(count(r#"{"n": 2"#), Err(ApiError::MalformedJson(_))));
    }
}
