//! Each real payment provider's section of the settings (`[nexi]`,
//! `[vipps]`, `[stripe]`): where it is, its credentials, the fee per deposit.

use serde::Deserialize;

/// Nexi Checkout. Secrets also from `SALDO_NEXI__SECRET_KEY` and `SALDO_NEXI__WEBHOOK_KEY`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NexiSettings {
    pub base_url: String,
    pub secret_key: String,
    /// A long random key of Saldo's own; each payment's webhook authorization is derived from it.
    pub webhook_key: String,
    /// The terms for paying in, linked from Nexi's page (required by Nexi).
    pub terms_url: String,
    /// The fee per deposit through Nexi, shown before paying.
    pub fee_ore: i64,
}

impl Default for NexiSettings {
    fn default() -> Self {
        NexiSettings {
            base_url: "https://test.api.dibspayment.eu".into(),
            secret_key: String::new(),
            webhook_key: String::new(),
            terms_url: String::new(),
            fee_ore: 0,
        }
    }
}

/// Vipps MobilePay ePayment. Secrets also from `SALDO_VIPPS__CLIENT_SECRET`,
/// `SALDO_VIPPS__SUBSCRIPTION_KEY` and `SALDO_VIPPS__WEBHOOK_SECRET`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VippsSettings {
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub subscription_key: String,
    pub merchant_serial_number: String,
    /// The secret `POST /webhooks/v1/webhooks` answered for Saldo's callback.
    pub webhook_secret: String,
    pub fee_ore: i64,
}

impl Default for VippsSettings {
    fn default() -> Self {
        VippsSettings {
            base_url: "https://apitest.vipps.no".into(),
            client_id: String::new(),
            client_secret: String::new(),
            subscription_key: String::new(),
            merchant_serial_number: String::new(),
            webhook_secret: String::new(),
            fee_ore: 0,
        }
    }
}

/// Stripe. Secrets also from `SALDO_STRIPE__SECRET_KEY` and `SALDO_STRIPE__WEBHOOK_SECRET`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StripeSettings {
    pub base_url: String,
    pub secret_key: String,
    pub publishable_key: String,
    /// The endpoint's signing secret (`whsec_…`).
    pub webhook_secret: String,
    pub fee_ore: i64,
}

impl Default for StripeSettings {
    fn default() -> Self {
        StripeSettings {
            base_url: "https://api.stripe.com".into(),
            secret_key: String::new(),
            publishable_key: String::new(),
            webhook_secret: String::new(),
            fee_ore: 0,
        }
    }
}
