//! Settings: safe defaults, then a TOML file, then `SALDO_*` variables and flags.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use saldo_app::settings::{
    AccountSettings, CardSettings, DepositSettings, JobSettings, MailSettings, SandboxSettings, SessionSettings,
    TopUpSettings,
};
use saldo_app::Settings;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    pub listen: SocketAddr,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// Where people reach Saldo (`https://saldo.kommune.dk`); by default the listen address.
    pub public_url: Option<String>,
    pub deposits: DepositSettings,
    pub cards: CardSettings,
    pub sessions: SessionSettings,
    pub mail: MailSettings,
    pub sandbox: SandboxSettings,
    pub top_ups: TopUpSettings,
    pub accounts: AccountSettings,
    pub jobs: JobSettings,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://saldo.db".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            log_format: LogFormat::Text,
            public_url: None,
            deposits: DepositSettings::default(),
            cards: CardSettings::default(),
            sessions: SessionSettings::default(),
            mail: MailSettings::default(),
            sandbox: SandboxSettings::default(),
            top_ups: TopUpSettings::default(),
            accounts: AccountSettings::default(),
            jobs: JobSettings::default(),
        }
    }
}

impl Config {
    /// The file's settings over the defaults. `SALDO_DATABASE_URL` and
    /// `SALDO_LISTEN` reach the commands as flags; `SALDO_LOG_FORMAT` is read here.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
                toml::from_str(&text).with_context(|| format!("{} is not a valid Saldo config", path.display()))?
            }
            None => Config::default(),
        };
        if let Ok(url) = std::env::var("SALDO_PUBLIC_URL") {
            config.public_url = Some(url);
        }
        if let Ok(host) = std::env::var("SALDO_SMTP_HOST") {
            config.mail.smtp_host = Some(host);
        }
        if let Ok(port) = std::env::var("SALDO_SMTP_PORT") {
            config.mail.smtp_port = port.parse().with_context(|| format!("SALDO_SMTP_PORT {port:?} is not a port"))?;
        }
        if let Ok(format) = std::env::var("SALDO_LOG_FORMAT") {
            config.log_format = match format.as_str() {
                "json" => LogFormat::Json,
                "text" => LogFormat::Text,
                other => anyhow::bail!("SALDO_LOG_FORMAT must be text or json, not {other:?}"),
            };
        }
        Ok(config)
    }
}

impl Config {
    /// The app's settings, for a server reached at `public_url`.
    pub fn settings(&self, public_url: &str, demo: bool) -> Settings {
        Settings {
            public_url: self.public_url.clone().unwrap_or_else(|| public_url.to_owned()),
            demo,
            deposits: self.deposits.clone(),
            cards: self.cards.clone(),
            sessions: self.sessions.clone(),
            mail: self.mail.clone(),
            sandbox: self.sandbox.clone(),
            top_ups: self.top_ups.clone(),
            accounts: self.accounts.clone(),
            jobs: self.jobs.clone(),
        }
    }
}

/// Logs to stderr; `SALDO_LOG` (or `RUST_LOG`) picks the level, default `info`.
pub fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("SALDO_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_overrides_the_defaults_and_typos_are_refused() {
        let config: Config = toml::from_str("database_url = \"postgres://db/saldo\"").unwrap();
        assert_eq!(config.database_url, "postgres://db/saldo");
        assert_eq!(config.listen, Config::default().listen);
        assert!(toml::from_str::<Config>("databse_url = \"x\"").is_err());
    }
}
