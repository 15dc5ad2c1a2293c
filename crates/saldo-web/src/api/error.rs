//! API errors: each variant knows its status, its code and its text, mapped once.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use saldo_app::auth::Refusal;
use saldo_app::day_report::ReportError;
use saldo_app::hand_out::HandOutError;
use saldo_app::purchase::PurchaseError;
use saldo_app::till_mistakes::MistakeError;
use saldo_app::till_setup::TillSetupError;
use saldo_core::purchase::Decline;
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{text, Lang, Msg};

#[derive(Debug)]
pub enum ApiError {
    Unauthorized,
    MissingIdempotencyKey,
    InvalidIdempotencyKey,
    MalformedJson(String),
    TooLarge,
    InvalidRequest(String),
    Purchase(PurchaseError),
    Setup(TillSetupError),
    Mistake(MistakeError),
    HandOut(HandOutError),
    Refused(Refusal),
    Internal(String),
}

/// The body of every API error.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code for programs: `unauthorized`, `invalid_card`, `unknown_product`, …
    pub error: &'static str,
    /// What happened and what to do, in Danish.
    pub message: &'static str,
    /// Details for the developer of the integration (never shown to a child).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, Msg, Option<String>) {
        use StatusCode as S;
        match self {
            ApiError::Unauthorized => (S::UNAUTHORIZED, "unauthorized", Msg::Unauthorized, None),
            ApiError::MissingIdempotencyKey => {
                (S::BAD_REQUEST, "missing_idempotency_key", Msg::MissingIdempotencyKey, None)
            }
            ApiError::InvalidIdempotencyKey => {
                (S::BAD_REQUEST, "invalid_idempotency_key", Msg::InvalidIdempotencyKey, None)
            }
            ApiError::MalformedJson(d) => (S::BAD_REQUEST, "malformed_json", Msg::MalformedJson, Some(d.clone())),
            ApiError::TooLarge => (S::PAYLOAD_TOO_LARGE, "too_large", Msg::TooLarge, None),
            ApiError::InvalidRequest(d) => {
                (S::UNPROCESSABLE_ENTITY, "invalid_request", Msg::InvalidRequest, Some(d.clone()))
            }
            ApiError::Purchase(e) => {
                let detail = Some(e.to_string());
                match e {
                    PurchaseError::UnreadableCard => {
                        (S::UNPROCESSABLE_ENTITY, "invalid_card", Msg::UnreadableCard, detail)
                    }
                    PurchaseError::NoLines => (S::UNPROCESSABLE_ENTITY, "no_lines", Msg::NoLines, detail),
                    PurchaseError::TooManyLines => {
                        (S::UNPROCESSABLE_ENTITY, "too_many_lines", Msg::TooManyLines, detail)
                    }
                    PurchaseError::BadQuantity { .. } => {
                        (S::UNPROCESSABLE_ENTITY, "invalid_quantity", Msg::BadQuantity, detail)
                    }
                    PurchaseError::UnknownProduct(_) => {
                        (S::UNPROCESSABLE_ENTITY, "unknown_product", Msg::UnknownProduct, detail)
                    }
                    PurchaseError::KeyReused => {
                        (S::CONFLICT, "idempotency_key_reused", Msg::IdempotencyKeyReused, detail)
                    }
                    PurchaseError::UnknownTill => (S::UNAUTHORIZED, "unauthorized", Msg::Unauthorized, None),
                    PurchaseError::Store(_) => (S::INTERNAL_SERVER_ERROR, "internal", Msg::Internal, None),
                }
            }
            ApiError::Setup(e) => setup_parts(e),
            ApiError::Refused(r) => refusal_parts(r),
            ApiError::Mistake(e) => match e {
                MistakeError::UnknownSale => (S::NOT_FOUND, "not_found", Msg::NotFound, None),
                MistakeError::TooLate => (S::CONFLICT, "too_late", Msg::VoidTooLate, None),
                MistakeError::AlreadyUndone => (S::CONFLICT, "already_undone", Msg::AlreadyUndone, None),
                MistakeError::NothingToRefund => {
                    (S::UNPROCESSABLE_ENTITY, "nothing_to_refund", Msg::NothingToRefund, None)
                }
                MistakeError::KeyReused => (S::CONFLICT, "idempotency_key_reused", Msg::IdempotencyKeyReused, None),
                MistakeError::WalletClosed => {
                    (S::CONFLICT, "wallet_closed", Msg::Declined(Decline::WalletClosed), None)
                }
                MistakeError::Setup(e) => setup_parts(e),
                MistakeError::Store(_) => (S::INTERNAL_SERVER_ERROR, "internal", Msg::Internal, None),
            },
            ApiError::HandOut(e) => hand_out_parts(e),
            ApiError::Internal(_) => (S::INTERNAL_SERVER_ERROR, "internal", Msg::Internal, None),
        }
    }
}

fn hand_out_parts(e: &HandOutError) -> (StatusCode, &'static str, Msg, Option<String>) {
    use StatusCode as S;
    let detail = Some(e.to_string());
    match e {
        HandOutError::UnreadableCard => (S::UNPROCESSABLE_ENTITY, "invalid_card", Msg::UnreadableCard, detail),
        HandOutError::UnknownCard => {
            (S::UNPROCESSABLE_ENTITY, "unknown_card", Msg::Declined(Decline::UnknownCard), detail)
        }
        HandOutError::CardNotActive => (S::FORBIDDEN, "card_blocked", Msg::Declined(Decline::CardBlocked), detail),
        HandOutError::KeyReused => (S::CONFLICT, "idempotency_key_reused", Msg::IdempotencyKeyReused, detail),
        HandOutError::Changed => (S::CONFLICT, "order_changed", Msg::OrderChanged, detail),
        HandOutError::Store(_) => (S::INTERNAL_SERVER_ERROR, "internal", Msg::Internal, None),
    }
}

fn setup_parts(e: &TillSetupError) -> (StatusCode, &'static str, Msg, Option<String>) {
    use StatusCode as S;
    match e {
        TillSetupError::PairingInvalid => (S::UNPROCESSABLE_ENTITY, "pairing_invalid", Msg::PairingInvalid, None),
        TillSetupError::BadPin => (S::UNPROCESSABLE_ENTITY, "invalid_pin", Msg::BadPin, None),
        TillSetupError::WrongPin => (S::FORBIDDEN, "wrong_pin", Msg::WrongPin, None),
        TillSetupError::TooManyAttempts => (S::TOO_MANY_REQUESTS, "too_many_attempts", Msg::TooManyPinAttempts, None),
        TillSetupError::Locked => (S::FORBIDDEN, "till_locked", Msg::TillLocked, None),
        TillSetupError::BadName => (S::UNPROCESSABLE_ENTITY, "invalid_name", Msg::BadTillName, None),
        TillSetupError::Refused(r) => refusal_parts(r),
        TillSetupError::Store(_) => (S::INTERNAL_SERVER_ERROR, "internal", Msg::Internal, None),
    }
}

fn refusal_parts(r: &Refusal) -> (StatusCode, &'static str, Msg, Option<String>) {
    use StatusCode as S;
    match r {
        Refusal::NotFound => (S::NOT_FOUND, "not_found", Msg::NotFound, None),
        Refusal::Forbidden(_) | Refusal::StepUp => (S::FORBIDDEN, "forbidden", Msg::Forbidden, None),
        Refusal::Store(_) => (S::INTERNAL_SERVER_ERROR, "internal", Msg::Internal, None),
    }
}

impl From<TillSetupError> for ApiError {
    fn from(e: TillSetupError) -> Self {
        ApiError::Setup(e)
    }
}

impl From<MistakeError> for ApiError {
    fn from(e: MistakeError) -> Self {
        ApiError::Mistake(e)
    }
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Refused(r) => ApiError::Refused(r),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<PurchaseError> for ApiError {
    fn from(e: PurchaseError) -> Self {
        match e {
            // The same answer as a token the extractor refused.
            PurchaseError::UnknownTill => ApiError::Unauthorized,
            e => ApiError::Purchase(e),
        }
    }
}

impl From<saldo_app::StoreError> for ApiError {
    fn from(e: saldo_app::StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error, msg, detail) = self.parts();
        if status.is_server_error() {
            // The log gets the details; the till gets what to do.
            tracing::error!(error = ?self, "request failed");
        }
        let body = ErrorBody { error, message: text(msg, Lang::Da), detail };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
