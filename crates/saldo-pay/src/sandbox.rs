//! The sandbox provider: a hosted payment page built into Saldo that behaves
//! like a real one, so the whole deposit flow runs on a fresh machine.
//!
//! Protocol (shaped like Nordic payment windows):
//! 1. The merchant redirects the payer to the page with its parameters and an
//!    HMAC-SHA256 `checksum` over them.
//! 2. The page checks the checksum, takes a (test) card, and the payer pays,
//!    is declined, or cancels.
//! 3. The provider posts a JSON notification to the merchant's callback URL
//!    with the HMAC of the body in the `Saldo-Sandbox-Signature` header —
//!    later, and whether or not the payer's browser comes back.

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::signing::{sign, verify};
use saldo_core::Money;

use crate::{
    BoxFuture, Callback, CallbackEvent, CardInfo, ChargeOutcome, Notification, PayError, PaymentProvider,
    PaymentRequest, PaymentSnapshot, PaymentState, PaymentStatus, RefundOutcome, StartedPayment,
};

/// The header carrying a callback's signature.
pub const SIGNATURE_HEADER: &str = "saldo-sandbox-signature";

/// Test cards, as real providers publish theirs.
pub const APPROVED_CARD: &str = "4111 1111 1111 1111";
pub const DECLINED_CARD: &str = "4000 0000 0000 0002";
/// Saves fine, but every later charge by token is declined.
pub const DECLINES_LATER_CARD: &str = "4000 0000 0000 0341";
/// Saves fine, but later charges need the cardholder (3-D Secure).
pub const NEEDS_CARDHOLDER_CARD: &str = "4000 0027 6000 3184";

pub struct Sandbox {
    secret: Vec<u8>,
    /// The hosted page, e.g. `http://127.0.0.1:8080/sandbox-pay/pay`.
    page_url: String,
    /// The server of the charge and refund API, e.g. `http://127.0.0.1:8080`.
    api_base: String,
    http: reqwest::Client,
}

/// A charge by token as the sandbox's API receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeRequest {
    pub token: String,
    pub amount_ore: i64,
    pub reference: String,
}

/// A refund of an earlier payment as the sandbox's API receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    pub payment_ref: String,
    pub amount_ore: i64,
}

/// A payment as the hosted page sees it, after its checksum was verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostedPayment {
    pub provider_ref: String,
    pub reference: String,
    pub amount_ore: i64,
    pub description: String,
    pub return_url: String,
    pub callback_url: String,
    pub lang: String,
    #[serde(default)]
    pub save_card: bool,
}

/// A notification ready to post: the body and its signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedCallback {
    pub body: String,
    pub signature: String,
}

/// What a test card does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardOutcome {
    Approve,
    Decline,
}

impl Sandbox {
    /// The sandbox served by the Saldo at `base_url`.
    pub fn new(secret: &str, base_url: &str) -> Sandbox {
        let base = base_url.trim_end_matches('/');
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Sandbox {
            secret: secret.as_bytes().to_vec(),
            page_url: format!("{base}/sandbox-pay/pay"),
            api_base: base.to_owned(),
            http,
        }
    }

    /// The same sandbox, its charge API reached at another server.
    pub fn with_api_server(mut self, base_url: &str) -> Sandbox {
        self.api_base = base_url.trim_end_matches('/').to_owned();
        self
    }

    /// The provider's side: a saved card's token. Its ending tells the
    /// sandbox how later charges behave, as test cards do at real providers.
    pub fn token_for(card_number: &str) -> String {
        let digits: String = card_number.chars().filter(char::is_ascii_digit).collect();
        let plain = |card: &str| card.chars().filter(char::is_ascii_digit).collect::<String>();
        let mut id = [0u8; 10];
        rand::rngs::OsRng.fill_bytes(&mut id);
        let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let behaviour = if digits == plain(DECLINES_LATER_CARD) {
            "_decline"
        } else if digits == plain(NEEDS_CARDHOLDER_CARD) {
            "_3ds"
        } else {
            ""
        };
        format!("tok_sbx_{id}{behaviour}")
    }

    /// The provider's side: what a charge on this token does. Tokens from the
    /// old system's provider behave like saved approved cards.
    pub fn charge_outcome(token: &str) -> &'static str {
        if token.ends_with("_decline") {
            "declined"
        } else if token.ends_with("_3ds") {
            "needs_cardholder"
        } else {
            "succeeded"
        }
    }

    /// The provider's side: checks the merchant's signature on an API call.
    /// A signed request to the sandbox's API, with its idempotency key; the answer read as `R`.
    async fn post_signed<T: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        request: &T,
        idempotency_key: &str,
    ) -> Result<R, PayError> {
        let body = serde_json::to_string(request).map_err(|e| PayError::Malformed(e.to_string()))?;
        let response = self
            .http
            .post(format!("{}/sandbox-pay/api/{what}", self.api_base))
            .header("idempotency-key", idempotency_key)
            .header(SIGNATURE_HEADER, sign(&self.secret, body.as_bytes()))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| PayError::Provider(e.to_string()))?;
        if !response.status().is_success() {
            return Err(PayError::Provider(format!("{what} answered {}", response.status())));
        }
        response.json().await.map_err(|e| PayError::Malformed(e.to_string()))
    }

    /// The provider's side: reads a request to its API, if the merchant signed it.
    pub fn verify_api_request<T: serde::de::DeserializeOwned>(
        &self,
        signature: &str,
        body: &[u8],
    ) -> Result<T, PayError> {
        if !verify(&self.secret, body, signature.trim()) {
            return Err(PayError::BadSignature);
        }
        serde_json::from_slice(body).map_err(|e| PayError::Malformed(e.to_string()))
    }

    /// The hosted page's side: checks the checksum and reads the parameters.
    pub fn open_hosted(&self, query: &str) -> Result<HostedPayment, PayError> {
        let (signed, checksum) = query.rsplit_once("&checksum=").ok_or(PayError::BadSignature)?;
        if !verify(&self.secret, signed.as_bytes(), checksum) {
            return Err(PayError::BadSignature);
        }
        serde_urlencoded::from_str(signed).map_err(|e| PayError::Malformed(e.to_string()))
    }

    /// The provider's side: the signed notification for an outcome.
    pub fn callback_for(
        &self,
        payment: &HostedPayment,
        status: PaymentStatus,
        token: Option<String>,
        card: Option<CardInfo>,
    ) -> SignedCallback {
        let notification = Notification {
            provider_ref: payment.provider_ref.clone(),
            reference: payment.reference.clone(),
            amount_ore: payment.amount_ore,
            status,
            token,
            card,
        };
        // A struct of strings and numbers always serializes.
        let body = serde_json::to_string(&notification).unwrap_or_default();
        let signature = sign(&self.secret, body.as_bytes());
        SignedCallback { body, signature }
    }

    /// The card the payer saved: its last digits and the month it expires,
    /// from what they typed (`MM/ÅÅ` or `MM/ÅÅÅÅ`). `None` when the expiry is
    /// unreadable or before `this_month` (`YYYY-MM`): a provider refuses such a card.
    pub fn saved_card(card_number: &str, expiry: &str, this_month: &str) -> Option<CardInfo> {
        let digits: String = card_number.chars().filter(char::is_ascii_digit).collect();
        let (month, year) = expiry.trim().split_once('/')?;
        let month: u8 = month.trim().parse().ok().filter(|m| (1..=12).contains(m))?;
        let year: u16 = match year.trim() {
            y if y.len() == 2 => 2000 + y.parse::<u16>().ok()?,
            y if y.len() == 4 => y.parse().ok()?,
            _ => return None,
        };
        let expires = format!("{year:04}-{month:02}");
        (expires.as_str() >= this_month && digits.len() >= 4)
            .then(|| CardInfo { last4: digits[digits.len() - 4..].to_owned(), expires })
    }

    /// What the typed test card does: the published test cards pay (the later
    /// behaviour of a saved one is in its token); any other number declines.
    pub fn card_outcome(card_number: &str) -> CardOutcome {
        let digits: String = card_number.chars().filter(char::is_ascii_digit).collect();
        let plain = |card: &str| card.chars().filter(char::is_ascii_digit).collect::<String>();
        if [APPROVED_CARD, DECLINES_LATER_CARD, NEEDS_CARDHOLDER_CARD].iter().any(|card| digits == plain(card)) {
            CardOutcome::Approve
        } else {
            CardOutcome::Decline
        }
    }
}

impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn start<'a>(&'a self, request: &'a PaymentRequest<'a>) -> BoxFuture<'a, Result<StartedPayment, PayError>> {
        Box::pin(async move {
            let mut id = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut id);
            let provider_ref = format!("sbx_{}", id.iter().map(|b| format!("{b:02x}")).collect::<String>());
            let payment = HostedPayment {
                provider_ref: provider_ref.clone(),
                reference: request.reference.to_owned(),
                amount_ore: request.amount.ore(),
                description: request.description.to_owned(),
                return_url: request.return_url.to_owned(),
                callback_url: request.callback_url.to_owned(),
                lang: request.lang.to_owned(),
                save_card: request.save_card,
            };
            let query = serde_urlencoded::to_string(&payment).map_err(|e| PayError::Malformed(e.to_string()))?;
            let checksum = sign(&self.secret, query.as_bytes());
            Ok(StartedPayment { provider_ref, redirect_url: format!("{}?{query}&checksum={checksum}", self.page_url) })
        })
    }

    fn charge_saved<'a>(
        &'a self,
        token: &'a str,
        amount: Money,
        idempotency_key: &'a str,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<ChargeOutcome, PayError>> {
        Box::pin(async move {
            let request =
                ChargeRequest { token: token.to_owned(), amount_ore: amount.ore(), reference: reference.to_owned() };
            self.post_signed("charges", &request, idempotency_key).await
        })
    }

    fn refund<'a>(
        &'a self,
        payment_ref: &'a str,
        amount: Money,
        idempotency_key: &'a str,
    ) -> BoxFuture<'a, Result<RefundOutcome, PayError>> {
        Box::pin(async move {
            let request = RefundRequest { payment_ref: payment_ref.to_owned(), amount_ore: amount.ore() };
            self.post_signed("refunds", &request, idempotency_key).await
        })
    }

    /// The sandbox signs the whole outcome, so its callback is the payment's
    /// word itself: nothing to read back.
    fn verify_callback(&self, callback: &Callback<'_>) -> Result<CallbackEvent, PayError> {
        let signature = callback.header(SIGNATURE_HEADER).unwrap_or("");
        let notification = self.verify_notification(signature, callback.body)?;
        let state = match notification.status {
            PaymentStatus::Approved => PaymentState::Captured,
            PaymentStatus::Declined => PaymentState::Failed,
            PaymentStatus::Cancelled => PaymentState::Cancelled,
        };
        let captured_ore = if state == PaymentState::Captured { notification.amount_ore } else { 0 };
        Ok(CallbackEvent {
            provider_ref: notification.provider_ref.clone(),
            event: format!("sandbox.{}", state.as_str()),
            payment: Some(PaymentSnapshot {
                provider_ref: notification.provider_ref,
                reference: notification.reference,
                amount_ore: notification.amount_ore,
                state,
                captured_ore,
                refunded_ore: 0,
                token: notification.token,
                card: notification.card,
            }),
        })
    }
}

impl Sandbox {
    /// Checks a callback's signature over its body and reads it.
    pub fn verify_notification(&self, signature: &str, body: &[u8]) -> Result<Notification, PayError> {
        if !verify(&self.secret, body, signature.trim()) {
            return Err(PayError::BadSignature);
        }
        serde_json::from_slice(body).map_err(|e| PayError::Malformed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use saldo_core::Money;

    use super::*;

    fn request() -> PaymentRequest<'static> {
        PaymentRequest {
            reference: "dep_1",
            amount: Money::kr(200),
            description: "Indbetaling til Ida",
            return_url: "http://saldo/return?x=1&y=2",
            callback_url: "http://saldo/pay/callback/sandbox",
            lang: "da",
            save_card: false,
            method: None,
        }
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        // The sandbox's start never waits on anything; one poll finishes it.
        let waker = std::task::Waker::noop();
        let mut context = std::task::Context::from_waker(waker);
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut context) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("the sandbox start waited"),
        }
    }

    #[test]
    fn the_page_accepts_only_what_the_merchant_signed() {
        let sandbox = Sandbox::new("secret", "http://saldo");
        let started = block_on(sandbox.start(&request())).unwrap();
        let query = started.redirect_url.split_once('?').unwrap().1;
        let payment = sandbox.open_hosted(query).unwrap();
        assert_eq!(payment.amount_ore, 20_000);
        assert_eq!(payment.return_url, "http://saldo/return?x=1&y=2");
        let tampered = query.replace("amount_ore=20000", "amount_ore=2");
        assert_eq!(sandbox.open_hosted(&tampered), Err(PayError::BadSignature));
        assert_eq!(sandbox.open_hosted("reference=x"), Err(PayError::BadSignature));
        let other_key = Sandbox::new("other", "http://saldo");
        assert_eq!(other_key.open_hosted(query), Err(PayError::BadSignature));
    }

    #[test]
    fn callbacks_are_verified_and_forgeries_refused() {
        let sandbox = Sandbox::new("secret", "http://saldo");
        let started = block_on(sandbox.start(&request())).unwrap();
        let payment = sandbox.open_hosted(started.redirect_url.split_once('?').unwrap().1).unwrap();
        let callback = sandbox.callback_for(&payment, PaymentStatus::Approved, None, None);
        let notification = sandbox.verify_notification(&callback.signature, callback.body.as_bytes()).unwrap();
        assert_eq!(notification.status, PaymentStatus::Approved);
        assert_eq!(notification.reference, "dep_1");
        let forged = callback.body.replace("20000", "2000000");
        assert_eq!(sandbox.verify_notification(&callback.signature, forged.as_bytes()), Err(PayError::BadSignature));
        assert_eq!(sandbox.verify_notification("", callback.body.as_bytes()), Err(PayError::BadSignature));
    }

    #[test]
    fn saved_tokens_remember_how_their_test_card_behaves() {
        assert_eq!(Sandbox::charge_outcome(&Sandbox::token_for(APPROVED_CARD)), "succeeded");
        assert_eq!(Sandbox::charge_outcome(&Sandbox::token_for(DECLINES_LATER_CARD)), "declined");
        assert_eq!(Sandbox::charge_outcome(&Sandbox::token_for(NEEDS_CARDHOLDER_CARD)), "needs_cardholder");
        assert_eq!(Sandbox::charge_outcome("tok_570dc1951c2442f9"), "succeeded");
        let sandbox = Sandbox::new("secret", "http://saldo");
        let body = br#"{"token":"t","amount_ore":100,"reference":"r"}"#;
        assert!(sandbox.verify_api_request::<ChargeRequest>(&sign(b"secret", body), body).is_ok());
        assert_eq!(sandbox.verify_api_request::<ChargeRequest>("00", body), Err(PayError::BadSignature));
    }

    #[test]
    fn test_cards_behave_as_published() {
        assert_eq!(Sandbox::card_outcome("4111111111111111"), CardOutcome::Approve);
        assert_eq!(Sandbox::card_outcome(DECLINED_CARD), CardOutcome::Decline);
        assert_eq!(Sandbox::card_outcome(""), CardOutcome::Decline);
        assert_eq!(Sandbox::card_outcome(DECLINES_LATER_CARD), CardOutcome::Approve, "saves, declines later");
    }

    #[test]
    fn a_saved_card_is_known_by_its_last_digits_and_expiry() {
        let card = Sandbox::saved_card(APPROVED_CARD, "12/27", "2026-11").unwrap();
        assert_eq!((card.last4.as_str(), card.expires.as_str()), ("1111", "2027-12"));
        assert_eq!(Sandbox::saved_card(APPROVED_CARD, " 03/2030 ", "2026-11").unwrap().expires, "2030-03");
        assert_eq!(Sandbox::saved_card(APPROVED_CARD, "11/26", "2026-11").unwrap().expires, "2026-11");
        for bad in ["10/26", "13/27", "1227", "", "12/7"] {
            assert_eq!(Sandbox::saved_card(APPROVED_CARD, bad, "2026-11"), None, "{bad}");
        }
    }
}
