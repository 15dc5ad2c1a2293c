//! What the operator decides: where the database is, deposit limits and fees,
//! the balance cap, session lengths, mail, the payment provider. Every setting
//! has a safe default. This is the one struct behind the config file and the
//! `SALDO_*` variables (the `saldo` binary layers them).

use std::net::SocketAddr;
use std::time::Duration;

use saldo_core::Money;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// The address `saldo serve` listens on.
    pub listen: SocketAddr,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// Where people reach Saldo (`https://saldo.kommune.dk`); links in mails
    /// and the payment provider's return and callback addresses start with
    /// it. Empty in a config means the listen address.
    pub public_url: String,
    /// Demo mode: a one-click login for the seeded people and a mailbox page.
    pub demo: bool,
    pub deposits: DepositSettings,
    pub cards: CardSettings,
    pub sessions: SessionSettings,
    pub mail: MailSettings,
    pub payments: PaymentSettings,
    pub sandbox: SandboxSettings,
    pub nexi: NexiSettings,
    pub vipps: VippsSettings,
    pub stripe: StripeSettings,
    pub top_ups: TopUpSettings,
    pub accounts: AccountSettings,
    pub jobs: JobSettings,
    pub metrics: MetricsSettings,
    pub http: HttpSettings,
}

/// How `saldo serve` treats connections.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// The reverse proxies in front of Saldo (CIDRs, e.g. `10.0.0.0/8`). Only
    /// from a peer in them is `X-Forwarded-For` believed; rate limits and the
    /// audit log then key on the client it names.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Connections served at once; further ones wait in the listen queue.
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers.
    pub header_read_timeout_secs: u64,
    /// Seconds a request's body may go without a byte arriving.
    pub body_read_timeout_secs: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            trusted_proxies: Vec::new(),
            max_connections: 1_024,
            header_read_timeout_secs: 10,
            body_read_timeout_secs: 10,
        }
    }
}

/// Who may read `/metrics`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// When set, `/metrics` answers only `Authorization: Bearer <token>`.
    pub token: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobSettings {
    /// A job not finished within this many seconds (its worker died) is taken again.
    pub lease_secs: u64,
    /// How often an idle runner looks for due jobs.
    pub poll_ms: u64,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings { lease_secs: 120, poll_ms: 500 }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSettings {
    /// Days a closed account's personal data is kept before it is erased
    /// (the bookkeeping is kept as the accounting rules require).
    pub retention_days: i64,
}

impl Default for AccountSettings {
    fn default() -> Self {
        AccountSettings { retention_days: 365 }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopUpSettings {
    /// Automatic charges per agreement per day, at most.
    pub daily_cap: i64,
    /// Declines in a row before the agreement pauses and its owner is told.
    pub max_failures: i64,
    /// The wait before a declined charge is tried again.
    pub retry_delay_ms: u64,
    /// The owner is reminded when the saved card expires within about this many days.
    pub expiry_notice_days: i64,
}

impl Default for TopUpSettings {
    fn default() -> Self {
        TopUpSettings { daily_cap: 3, max_failures: 3, retry_delay_ms: 60_000, expiry_notice_days: 30 }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CardSettings {
    /// What a replacement card costs, taken from the balance (10 kr).
    pub replacement_fee_ore: i64,
    /// Failed activations allowed per person and per card within the window.
    pub activation_attempts: i64,
    pub activation_window_minutes: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DepositSettings {
    pub min_ore: i64,
    pub max_ore: i64,
    /// A fee per deposit, shown before paying; zero by default.
    pub fee_ore: i64,
    /// No wallet may hold more than this (Nordic peers cap at about 1,000 kr).
    pub max_balance_ore: i64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    pub idle_minutes: u64,
    pub absolute_hours: u64,
    pub login_link_minutes: u64,
    /// Login links asked for per e-mail address and per client address, per 15 minutes.
    pub login_requests_per_email: i64,
    pub login_requests_per_address: i64,
    /// The cost of argon2 for staff passwords and activation codes (memory in KiB, passes).
    pub hash_memory_kib: u32,
    pub hash_iterations: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// The SMTP server; without one, mail waits in the outbox (and shows in the demo's mailbox).
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `none` (a local relay), `starttls` or `tls`.
    pub tls: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
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

pub use crate::provider_settings::{NexiSettings, StripeSettings, VippsSettings};

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

/// The sandbox's key as written in the source: anyone can sign with it, so
/// only the demo (whose money is not real) may use it.
pub const PUBLISHED_SANDBOX_SECRET: &str = "saldo-sandbox-test-key";

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxSettings {
    /// The key the sandbox provider signs with. Only test money moves through it.
    pub secret: String,
    /// How long the sandbox waits before it confirms a payment to Saldo.
    pub callback_delay_ms: u64,
    /// The sandbox server the adapter charges saved cards at (its API is under
    /// `/sandbox-pay/api/`); by default the sandbox this Saldo serves itself.
    pub api_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://saldo.db".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            log_format: LogFormat::Text,
            public_url: "http://127.0.0.1:8080".into(),
            demo: false,
            deposits: DepositSettings::default(),
            cards: CardSettings::default(),
            sessions: SessionSettings::default(),
            mail: MailSettings::default(),
            payments: PaymentSettings::default(),
            sandbox: SandboxSettings::default(),
            nexi: NexiSettings::default(),
            vipps: VippsSettings::default(),
            stripe: StripeSettings::default(),
            top_ups: TopUpSettings::default(),
            accounts: AccountSettings::default(),
            jobs: JobSettings::default(),
            metrics: MetricsSettings::default(),
            http: HttpSettings::default(),
        }
    }
}

impl Default for DepositSettings {
    fn default() -> Self {
        DepositSettings { min_ore: 2_000, max_ore: 100_000, fee_ore: 0, max_balance_ore: 100_000 }
    }
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            idle_minutes: 60,
            absolute_hours: 12,
            login_link_minutes: 15,
            login_requests_per_email: 5,
            login_requests_per_address: 30,
            hash_memory_kib: 19_456,
            hash_iterations: 2,
        }
    }
}

impl Default for CardSettings {
    fn default() -> Self {
        CardSettings { replacement_fee_ore: 1_000, activation_attempts: 5, activation_window_minutes: 15 }
    }
}

impl CardSettings {
    pub fn replacement_fee(&self) -> Money {
        Money::from_ore(self.replacement_fee_ore)
    }
    pub fn activation_window(&self) -> Duration {
        Duration::from_secs(self.activation_window_minutes * 60)
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_host: None,
            smtp_port: 25,
            tls: "none".into(),
            username: None,
            password: None,
            from: "Saldo <noreply@skoleogklub.example.dk>".into(),
        }
    }
}

impl Default for SandboxSettings {
    fn default() -> Self {
        SandboxSettings { secret: PUBLISHED_SANDBOX_SECRET.into(), callback_delay_ms: 1_500, api_url: None }
    }
}

impl Settings {
    /// Whether the sandbox takes payments: in the demo, or where the
    /// configuration names it.
    pub fn sandbox_on(&self) -> bool {
        self.provider_names().contains(&ProviderName::Sandbox)
    }

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

    /// The fee a deposit through this provider costs, shown before paying.
    pub fn deposit_fee(&self, provider: &str) -> Money {
        Money::from_ore(match provider {
            "nexi" => self.nexi.fee_ore,
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
        problems
    }

    /// Why these settings must not serve real people, if they must not.
    pub fn unsafe_to_serve(&self) -> Option<&'static str> {
        let published = self.sandbox.secret == PUBLISHED_SANDBOX_SECRET || self.sandbox.secret.len() < 16;
        (!self.demo && self.sandbox_on() && published).then_some(
            "the sandbox provider is on with the key written in Saldo's source (or one shorter than 16 \
             characters): anyone could sign a payment. Set [sandbox] secret to a long random value, or \
             leave [payments] provider unset",
        )
    }
}

impl DepositSettings {
    pub fn min(&self) -> Money {
        Money::from_ore(self.min_ore)
    }
    pub fn max(&self) -> Money {
        Money::from_ore(self.max_ore)
    }
    pub fn fee(&self) -> Money {
        Money::from_ore(self.fee_ore)
    }
    pub fn max_balance(&self) -> Money {
        Money::from_ore(self.max_balance_ore)
    }
}

impl SessionSettings {
    pub fn idle(&self) -> Duration {
        Duration::from_secs(self.idle_minutes * 60)
    }
    pub fn absolute(&self) -> Duration {
        Duration::from_secs(self.absolute_hours * 3600)
    }
    pub fn login_link(&self) -> Duration {
        Duration::from_secs(self.login_link_minutes * 60)
    }
}

impl Settings {
    /// The public URL without a trailing slash.
    pub fn base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }

    /// Cookies get `Secure` when people reach Saldo over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
