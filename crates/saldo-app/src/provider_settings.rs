//! Each real payment provider's section of the settings (`[nexi]`,
//! `[vipps]`, `[stripe]`): where it is, its credentials, the fee per deposit;
//! and `[payments]`, which of them take money.

use std::collections::BTreeMap;

use saldo_core::Money;
use saldo_pay::PaymentMethod;
use serde::Deserialize;

use crate::settings::Settings;

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
    /// The fee per deposit through Nexi, shown before paying…
    pub fee_ore: i64,
    /// …unless the way of paying has its own (`[nexi.method_fees]
    /// dankort = 0`, `visa_mastercard = 175`): the parent then chooses it on
    /// Saldo's page, sees its fee, and Nexi's page offers only that.
    pub method_fees: BTreeMap<String, i64>,
}

impl Default for NexiSettings {
    fn default() -> Self {
        NexiSettings {
            base_url: "https://test.api.dibspayment.eu".into(),
            secret_key: String::new(),
            webhook_key: String::new(),
            terms_url: String::new(),
            fee_ore: 0,
            method_fees: BTreeMap::new(),
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

/// Which payment providers take the money. None unless named: a Saldo that
/// was never told where money comes from takes none.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaymentSettings {
    /// One provider (the older setting); `providers` wins when it names any.
    pub provider: Option<ProviderName>,
    /// The providers parents choose between, in the order they see them.
    pub providers: Vec<ProviderName>,
    /// A payment whose callback has not come is read back from the provider
    /// after this many seconds, and again until it settles…
    pub poll_after_secs: u64,
    /// …or until it is this old, when it counts as expired (cancelled).
    pub expire_after_minutes: u64,
}

impl Default for PaymentSettings {
    fn default() -> Self {
        PaymentSettings { provider: None, providers: Vec::new(), poll_after_secs: 60, expire_after_minutes: 60 }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProviderName {
    /// The built-in test provider: test cards, test money. `saldo demo` always uses it.
    Sandbox,
    /// Nexi Checkout: Dankort, Visa/Mastercard on Nexi's hosted page.
    Nexi,
    /// Vipps MobilePay's ePayment API.
    Vipps,
    /// Stripe: cards typed on Saldo's page with Stripe's script.
    Stripe,
}

impl ProviderName {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderName::Sandbox => "sandbox",
            ProviderName::Nexi => "nexi",
            ProviderName::Vipps => "vipps",
            ProviderName::Stripe => "stripe",
        }
    }
}

impl Settings {
    /// The providers that take money, in the order parents see them. The
    /// demo always has the sandbox (last, when it names others).
    pub fn provider_names(&self) -> Vec<ProviderName> {
        let mut names = if self.payments.providers.is_empty() {
            self.payments.provider.into_iter().collect::<Vec<_>>()
        } else {
            self.payments.providers.clone()
        };
        names.dedup();
        if self.demo && !names.contains(&ProviderName::Sandbox) {
            names.push(ProviderName::Sandbox);
        }
        names
    }

    /// Whether the operator priced this provider's ways of paying apart: the
    /// parent then chooses one on Saldo's page (else the provider's page
    /// offers them all at one fee).
    pub fn priced_by_method(&self, provider: &str) -> bool {
        provider == "nexi" && !self.nexi.method_fees.is_empty()
    }

    /// The fee a deposit through this provider (and way of paying, where the
    /// parent chose one) costs, shown before paying.
    pub fn deposit_fee(&self, provider: &str, method: Option<PaymentMethod>) -> Money {
        Money::from_ore(match provider {
            "nexi" => method.and_then(|m| self.nexi.method_fees.get(m.as_str()).copied()).unwrap_or(self.nexi.fee_ore),
            "vipps" => self.vipps.fee_ore,
            "stripe" => self.stripe.fee_ore,
            _ => self.deposits.fee_ore,
        })
    }

    /// Why the payment settings cannot take money, if they cannot: a named
    /// provider without its credentials is an error at start, never a
    /// silent fallback to another provider.
    pub fn payment_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut need = |provider: &str, key: &str, value: &str| {
            if value.trim().is_empty() {
                let var = format!("SALDO_{}__{}", provider.to_uppercase(), key.to_uppercase());
                problems.push(format!("[payments] names {provider}, but [{provider}] {key} is not set (or {var})"));
            }
        };
        for name in self.provider_names() {
            match name {
                ProviderName::Sandbox => {}
                ProviderName::Nexi => {
                    need("nexi", "base_url", &self.nexi.base_url);
                    need("nexi", "secret_key", &self.nexi.secret_key);
                    need("nexi", "webhook_key", &self.nexi.webhook_key);
                    need("nexi", "terms_url", &self.nexi.terms_url);
                }
                ProviderName::Vipps => {
                    need("vipps", "base_url", &self.vipps.base_url);
                    need("vipps", "client_id", &self.vipps.client_id);
                    need("vipps", "client_secret", &self.vipps.client_secret);
                    need("vipps", "subscription_key", &self.vipps.subscription_key);
                    need("vipps", "merchant_serial_number", &self.vipps.merchant_serial_number);
                    need("vipps", "webhook_secret", &self.vipps.webhook_secret);
                }
                ProviderName::Stripe => {
                    need("stripe", "base_url", &self.stripe.base_url);
                    need("stripe", "secret_key", &self.stripe.secret_key);
                    need("stripe", "publishable_key", &self.stripe.publishable_key);
                    need("stripe", "webhook_secret", &self.stripe.webhook_secret);
                }
            }
        }
        for (method, fee) in &self.nexi.method_fees {
            if PaymentMethod::parse(method).is_none() || *fee < 0 {
                problems.push(format!(
                    "[nexi.method_fees] {method} = {fee}: a way of paying is dankort or visa_mastercard, \
                     and its fee in øre is 0 or more"
                ));
            }
        }
        problems
    }
}
