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
    /// `saldo demo` only: the moment (RFC 3339) the demo's clock starts at,
    /// later than now (browser tests of a school day's till on a Sunday).
    pub demo_clock: Option<String>,
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
    pub login: LoginSettings,
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

/// Logging in over OpenID Connect: parents through a MitID broker
/// (`[login.parents]`), staff through the municipality's identity provider
/// (`[login.staff]`). An audience with no issuer is off, and e-mail links
/// (parents) and passwords (staff) are the way in.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoginSettings {
    /// The key CPR numbers are hashed with (HMAC-SHA256) before they are
    /// stored or compared; no CPR number is ever stored in clear. At least 32
    /// characters when a CPR claim is used. Set it with `SALDO_LOGIN__CPR_KEY`.
    pub cpr_key: Secret,
    pub parents: OidcSettings,
    pub staff: OidcSettings,
}

/// A secret setting: read like text, never written to a log.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"<secret>\"" })
    }
}

/// One OpenID provider and what its ID tokens say where.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer URL; its `/.well-known/openid-configuration` is
    /// read for the endpoints and keys. Empty: this way in is off.
    pub issuer: String,
    pub client_id: String,
    /// From `SALDO_LOGIN__PARENTS__CLIENT_SECRET` (or `…__STAFF__…`) in production.
    pub client_secret: Secret,
    /// Space-separated, `openid` among them.
    pub scopes: String,
    /// The claim that names the person for good (a broker's persistent pseudonym).
    pub subject_claim: String,
    /// The claim with the person's full name.
    pub name_claim: String,
    /// Parents: the claim with a CPR number, where the broker gives one (e.g.
    /// `dk.cpr`); matched against the school data's keyed hashes, then forgotten.
    pub cpr_claim: String,
    /// Staff: the claim with the list of groups.
    pub groups_claim: String,
    /// Staff: what each group gives (`"group" = { role = "office", institution = "ins_…" }`).
    /// Group names are compared without regard to case.
    pub groups: std::collections::BTreeMap<String, GroupGrant>,
}

impl Default for OidcSettings {
    fn default() -> Self {
        OidcSettings {
            issuer: String::new(),
            client_id: String::new(),
            client_secret: Secret::default(),
            scopes: "openid profile".into(),
            subject_claim: "sub".into(),
            name_claim: "name".into(),
            cpr_claim: String::new(),
            groups_claim: "groups".into(),
            groups: std::collections::BTreeMap::new(),
        }
    }
}

impl OidcSettings {
    pub fn enabled(&self) -> bool {
        !self.issuer.trim().is_empty()
    }
}

/// What membership of one staff group gives: a role, with its institution
/// (office) or sales point (till staff, manager).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GroupGrant {
    pub role: StaffRoleName,
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub sales_point: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StaffRoleName {
    Office,
    TillStaff,
    TillManager,
    Operator,
    Support,
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

pub use crate::provider_settings::{NexiSettings, PaymentSettings, ProviderName, StripeSettings, VippsSettings};

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
            demo_clock: None,
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
            login: LoginSettings::default(),
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

    /// Why these settings must not serve real people, if they must not.
    pub fn unsafe_to_serve(&self) -> Option<&'static str> {
        if let Some(why) = self.login.unsafe_to_serve() {
            return Some(why);
        }
        let published = self.sandbox.secret == PUBLISHED_SANDBOX_SECRET || self.sandbox.secret.len() < 16;
        (!self.demo && self.sandbox_on() && published).then_some(
            "the sandbox provider is on with the key written in Saldo's source (or one shorter than 16 \
             characters): anyone could sign a payment. Set [sandbox] secret to a long random value, or \
             leave [payments] provider unset",
        )
    }
}

impl LoginSettings {
    fn unsafe_to_serve(&self) -> Option<&'static str> {
        for oidc in [&self.parents, &self.staff] {
            if oidc.enabled() && (oidc.client_id.is_empty() || oidc.client_secret.is_empty()) {
                return Some("an OpenID provider ([login.parents] or [login.staff]) has an issuer but no client_id or client_secret");
            }
            if oidc.enabled() && !oidc.scopes.split_whitespace().any(|s| s == "openid") {
                return Some("an OpenID provider's scopes ([login.*] scopes) must include \"openid\"");
            }
        }
        if !self.parents.cpr_claim.is_empty() && self.cpr_key.expose().len() < 32 {
            return Some("[login.parents] cpr_claim is set but [login] cpr_key is shorter than 32 characters: CPR numbers are only ever compared as keyed hashes");
        }
        for grant in self.staff.groups.values() {
            let scoped = match grant.role {
                StaffRoleName::Office => grant.institution.is_some() && grant.sales_point.is_none(),
                StaffRoleName::TillStaff | StaffRoleName::TillManager => {
                    grant.sales_point.is_some() && grant.institution.is_none()
                }
                StaffRoleName::Operator | StaffRoleName::Support => {
                    grant.institution.is_none() && grant.sales_point.is_none()
                }
            };
            if !scoped {
                return Some("a [login.staff.groups] entry has the wrong scope for its role: office takes an institution, till_staff and till_manager a sales_point, operator and support neither");
            }
        }
        None
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
