//! The settings, layered: safe defaults, then a TOML file, then `SALDO_*`
//! variables, then flags. One struct, [`Settings`]; nested keys are joined
//! by a double underscore (`SALDO_DEPOSITS__MAX_BALANCE_ORE`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use saldo_app::settings::LogFormat;
use saldo_app::Settings;

/// `SALDO_*` variables that are not settings: the config file's own path,
/// the log filter, a password read once, and the test and bench harnesses'.
const NOT_SETTINGS: &[&str] = &["SALDO_CONFIG", "SALDO_LOG", "SALDO_STAFF_PASSWORD", "SALDO_CPR", "SALDO_BIN"];
const NOT_SETTINGS_PREFIXES: &[&str] = &["SALDO_TEST_", "SALDO_BENCH_", "SALDO_CI_", "SALDO_E2E_"];

/// Names from before nested keys, still honoured.
const OLD_NAMES: &[(&str, &str)] =
    &[("SALDO_SMTP_HOST", "SALDO_MAIL__SMTP_HOST"), ("SALDO_SMTP_PORT", "SALDO_MAIL__SMTP_PORT")];

/// The settings from the file at `path` (if any) and the process's variables.
pub fn load(path: Option<&Path>) -> anyhow::Result<Settings> {
    layered(path, std::env::vars())
}

/// The same, from the variables given (a test passes its own).
pub fn layered(path: Option<&Path>, vars: impl IntoIterator<Item = (String, String)>) -> anyhow::Result<Settings> {
    let mut builder = config::Config::builder();
    if let Some(path) = path {
        if !path.is_file() {
            anyhow::bail!("cannot read the config file {}: it does not exist", path.display());
        }
        builder = builder.add_source(config::File::from(path).format(config::FileFormat::Toml));
    }
    let vars = setting_vars(vars);
    let layers = builder
        .add_source(
            // Values stay text until the setting's type reads them, so a
            // numeric password stays a password.
            config::Environment::with_prefix("SALDO").prefix_separator("_").separator("__").source(Some(vars)),
        )
        .build()
        .context("cannot read the settings")?;
    let public_url_given = layers.get_string("public_url").is_ok_and(|url| !url.is_empty());
    let mut settings: Settings = layers.try_deserialize().map_err(|e| match path {
        Some(path) => anyhow::anyhow!("{} or a SALDO_* variable is not a valid Saldo setting: {e}", path.display()),
        None => anyhow::anyhow!("a SALDO_* variable is not a valid Saldo setting: {e}"),
    })?;
    if !public_url_given {
        settings.public_url.clear();
    }
    Ok(settings)
}

fn setting_vars(vars: impl IntoIterator<Item = (String, String)>) -> HashMap<String, String> {
    vars.into_iter()
        .filter(|(name, _)| name.starts_with("SALDO_"))
        .filter(|(name, _)| !NOT_SETTINGS.contains(&name.as_str()))
        .filter(|(name, _)| !NOT_SETTINGS_PREFIXES.iter().any(|prefix| name.starts_with(prefix)))
        .map(|(name, value)| match OLD_NAMES.iter().find(|(old, _)| *old == name) {
            Some((_, new)) => ((*new).to_owned(), value),
            None => (name, value),
        })
        .collect()
}

/// The settings for a server reached at `listen_url` unless the settings name
/// another public address.
pub fn serving(mut settings: Settings, listen_url: &str, demo: bool) -> Settings {
    if settings.public_url.is_empty() {
        settings.public_url = listen_url.to_owned();
    }
    settings.demo = demo;
    settings
}

/// Logs to stderr; `SALDO_LOG` (or `RUST_LOG`) picks the level, default `info`.
pub fn init_logging(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("SALDO_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match settings.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A config file in the temp directory, removed when dropped.
    struct File(PathBuf);

    impl File {
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for File {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn file(text: &str) -> File {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("saldo-config-{}-{n}.toml", std::process::id()));
        std::fs::write(&path, text).unwrap();
        File(path)
    }

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_example_file_in_the_readme_is_every_default() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../saldo.example.toml");
        let settings = layered(Some(&example), vars(&[])).unwrap();
        let default = Settings::default();
        assert_eq!(format!("{:?}", Settings { public_url: String::new(), ..default }), format!("{settings:?}"));
    }

    #[test]
    fn a_config_file_overrides_the_defaults_and_typos_are_refused() {
        let config = file("database_url = \"postgres://db/saldo\"\n[deposits]\nmin_ore = 5000\n");
        let settings = layered(Some(config.path()), vars(&[])).unwrap();
        assert_eq!(settings.database_url, "postgres://db/saldo");
        assert_eq!(settings.deposits.min_ore, 5_000);
        assert_eq!(settings.deposits.max_ore, Settings::default().deposits.max_ore);
        assert_eq!(settings.listen, Settings::default().listen);

        let typo = file("databse_url = \"x\"\n");
        assert!(layered(Some(typo.path()), vars(&[])).is_err());
        let nested_typo = file("[deposits]\nmin_oer = 1\n");
        assert!(layered(Some(nested_typo.path()), vars(&[])).is_err());
    }

    #[test]
    fn a_variable_sets_a_nested_key_over_the_file() {
        let config = file("[deposits]\nmax_balance_ore = 50000\n[mail]\nfrom = \"a@b.dk\"\n");
        let settings = layered(
            Some(config.path()),
            vars(&[
                ("SALDO_DEPOSITS__MAX_BALANCE_ORE", "80000"),
                ("SALDO_MAIL__PASSWORD", "123456"),
                ("SALDO_MAIL__SMTP_HOST", "smtp.kommune.dk"),
                ("SALDO_LOG_FORMAT", "json"),
                ("SALDO_LISTEN", "0.0.0.0:9000"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.deposits.max_balance_ore, 80_000);
        assert_eq!(settings.mail.from, "a@b.dk", "the file's other keys stay");
        assert_eq!(settings.mail.password.as_deref(), Some("123456"), "a numeric secret stays text");
        assert_eq!(settings.mail.smtp_host.as_deref(), Some("smtp.kommune.dk"));
        assert_eq!(settings.log_format, LogFormat::Json);
        assert_eq!(settings.listen.port(), 9000);
    }

    #[test]
    fn harness_variables_and_old_names_do_not_trip_the_settings() {
        let settings = layered(
            None,
            vars(&[
                ("SALDO_LOG", "debug"),
                ("SALDO_TEST_POSTGRES_URL", "postgres://x"),
                ("SALDO_E2E_POSTGRES_ADMIN", "postgres://x"),
                ("SALDO_SMTP_PORT", "2525"),
                ("PATH", "/bin"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.mail.smtp_port, 2525);
        assert_eq!(settings.public_url, "", "no public URL given: the listen address is used");
        assert!(layered(None, vars(&[("SALDO_DEPOSITS__MIN_ORE", "many")])).is_err());
        assert!(layered(None, vars(&[("SALDO_NO_SUCH_SETTING", "1")])).is_err());
    }

    #[test]
    fn login_providers_come_from_the_file_and_their_secrets_from_variables() {
        let config = file(
            "[login.parents]\nissuer = \"https://broker.example.dk\"\nclient_id = \"saldo\"\n\
             [login.staff.groups]\n\"Saldo-Kontor-1\" = { role = \"office\", institution = \"ins_1\" }\n",
        );
        let settings = layered(
            Some(config.path()),
            vars(&[("SALDO_LOGIN__PARENTS__CLIENT_SECRET", "from-the-environment"), ("SALDO_CPR", "0101851234")]),
        )
        .unwrap();
        assert_eq!(settings.login.parents.issuer, "https://broker.example.dk");
        assert_eq!(settings.login.parents.client_secret.expose(), "from-the-environment");
        assert_eq!(settings.login.parents.scopes, "openid profile", "the default");
        let roles = saldo_app::login::staff_roles(&settings.login.staff, &["saldo-kontor-1".into()]);
        assert_eq!(roles.len(), 1, "a group is found whatever the case: {:?}", settings.login.staff.groups);
        assert!(layered(None, vars(&[("SALDO_LOGIN__PARENTS__NO_SUCH_KEY", "1")])).is_err());
    }

    #[test]
    fn the_public_address_is_the_listen_address_unless_given() {
        let settings = layered(None, vars(&[])).unwrap();
        assert_eq!(serving(settings, "http://127.0.0.1:8123", false).public_url, "http://127.0.0.1:8123");
        let given = layered(None, vars(&[("SALDO_PUBLIC_URL", "https://saldo.kommune.dk")])).unwrap();
        assert_eq!(serving(given, "http://127.0.0.1:8123", true).public_url, "https://saldo.kommune.dk");
    }
}
