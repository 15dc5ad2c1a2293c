//! A real OpenID provider for the login tests: node `oidc-provider`
//! (`tests/oidc/provider.mjs`) on a loopback port, and a person's way
//! through its login page. Node is required: without it these tests fail
//! with a clear message, they never skip.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::Browser;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// `npm ci` once per test run when the provider's packages are missing.
fn installed() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let node = std::process::Command::new("node").arg("--version").output();
        match node {
            Ok(out) if out.status.success() => {}
            _ => panic!(
                "node (Node.js 20 or newer) is needed for the OpenID Connect tests: they run a real \
                 provider (oidc-provider). Install Node.js (Debian: apt-get install nodejs npm); \
                 these tests do not skip"
            ),
        }
        if dir().join("node_modules/oidc-provider/package.json").is_file() {
            return;
        }
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(dir())
            .status()
            .expect("npm (comes with Node.js) is needed to install the test provider");
        assert!(status.success(), "npm ci in {} failed", dir().display());
    });
}

/// The provider, stopped when dropped.
pub struct Provider {
    pub issuer: String,
    _child: Child,
}

pub const PARENTS_SECRET: &str = "parents-secret-for-tests-only";
pub const STAFF_SECRET: &str = "staff-secret-for-tests-only";

impl Provider {
    /// Starts the provider with its clients' redirect URIs under `saldo_base`.
    pub async fn start(saldo_base: &str) -> Provider {
        installed();
        let mut child = Command::new("node")
            .arg(dir().join("provider.mjs"))
            .arg(saldo_base)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start node tests/oidc/provider.mjs");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let issuer = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.expect("read the provider's output") {
                if let Some(issuer) = line.strip_prefix("issuer ") {
                    return issuer.to_owned();
                }
            }
            panic!("the test provider stopped before it listened")
        })
        .await
        .expect("the test provider did not start within 30 s");
        Provider { issuer, _child: child }
    }

    /// One of the provider's test controls (`tamper?mode=…`, `expire-codes`, `rotate`).
    pub async fn control(&self, what: &str) {
        let answer =
            reqwest::Client::new().post(format!("{}/__test/{what}", self.issuer)).send().await.expect("control");
        assert!(answer.status().is_success());
    }

    /// Settings for Saldo's `[login.parents]` pointing here.
    pub fn parents(&self) -> saldo_app::settings::OidcSettings {
        saldo_app::settings::OidcSettings {
            issuer: self.issuer.clone(),
            client_id: "saldo-parents".into(),
            client_secret: saldo_app::settings::Secret(PARENTS_SECRET.into()),
            scopes: "openid profile mitid".into(),
            ..Default::default()
        }
    }

    /// Settings for Saldo's `[login.staff]` pointing here.
    pub fn staff(&self) -> saldo_app::settings::OidcSettings {
        saldo_app::settings::OidcSettings {
            issuer: self.issuer.clone(),
            client_id: "saldo-staff".into(),
            client_secret: saldo_app::settings::Secret(STAFF_SECRET.into()),
            scopes: "openid profile groups".into(),
            ..Default::default()
        }
    }

    fn absolute(&self, location: &str) -> String {
        if location.starts_with("http") {
            location.to_owned()
        } else {
            format!("{}{location}", self.issuer)
        }
    }

    /// Follows the browser from the authorization URL through the provider's
    /// login page as `user` (or cancels, with `None`), up to the address the
    /// provider sends it back to Saldo with (not opened).
    /// Like a MitID broker, the provider's own session is not kept between
    /// logins: each one is a new login at its page.
    pub async fn log_in(&self, browser: &Browser, authorization_url: &str, user: Option<&str>) -> String {
        use reqwest::cookie::CookieStore;
        let issuer = self.issuer.parse().expect("issuer URL");
        let gone = ["_session=; Path=/; Max-Age=0", "_session.sig=; Path=/; Max-Age=0"];
        let gone: Vec<_> = gone.iter().map(|c| reqwest::header::HeaderValue::from_static(c)).collect();
        browser.jar.set_cookies(&mut gone.iter(), &issuer);
        let mut url = self.absolute(authorization_url);
        for _ in 0..12 {
            let page = browser.get(&url).await;
            if let Some(location) = page.location {
                let next = self.absolute(&location);
                if next.starts_with(&browser.base) {
                    return next;
                }
                url = next;
                continue;
            }
            assert_eq!(page.status, 200, "the provider's page: {}", page.body);
            let uid = url.rsplit('/').next().expect("interaction id").to_owned();
            let answer = match user {
                Some(user) => {
                    browser.post_raw(&format!("{}/interaction/{uid}/login", self.issuer), &[("user", user)]).await
                }
                None => browser.post_raw(&format!("{}/interaction/{uid}/abort", self.issuer), &[]).await,
            };
            url = self.absolute(answer.location.as_deref().expect("the provider goes on after its login"));
        }
        panic!("the provider did not send the browser back to Saldo")
    }
}
