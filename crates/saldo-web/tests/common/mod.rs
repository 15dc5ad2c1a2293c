//! The real app on a random port, with a fresh database, and a client for it.

#![allow(dead_code)]

pub mod oidc;
pub mod smtp;

use saldo_core::ids::{ChildId, PersonId};
use std::sync::Arc;

use saldo_app::jobs::Runner;
use saldo_app::testing::{TestChild, World};
use saldo_app::{App, Settings};
use serde_json::{json, Value};

pub struct TestApp {
    pub world: World,
    /// The app as the server runs it: demo mode, mail to the sink, callbacks at once.
    pub app: App,
    pub base: String,
    pub http: reqwest::Client,
    pub mail: smtp::Sink,
}

/// A response, read whole.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl TestApp {
    pub async fn start() -> TestApp {
        TestApp::start_with(|_| {}).await
    }

    /// The same, with some settings of the test's own.
    pub async fn start_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let (listener, _) = TestApp::bind().await;
        TestApp::start_on(listener, |settings, _| adjust(settings)).await
    }

    /// A port for the app, and its address, before the app starts (for a
    /// peer that must know it first: the OpenID provider's redirect URIs).
    pub async fn bind() -> (tokio::net::TcpListener, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        (listener, base)
    }

    /// The app on a port taken with [`TestApp::bind`]; the settings may name the world's places.
    pub async fn start_on(listener: tokio::net::TcpListener, adjust: impl FnOnce(&mut Settings, &World)) -> TestApp {
        let world = World::new().await;
        let (mail, smtp_port) = smtp::Sink::start().await;
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let mut settings = Settings { public_url: base.clone(), demo: true, ..Settings::default() };
        settings.sandbox.callback_delay_ms = 0;
        settings.top_ups.retry_delay_ms = 0;
        // argon2 at full cost is slow in debug builds; the cost is in each hash, so checks still hold.
        settings.sessions.hash_memory_kib = 64;
        settings.sessions.hash_iterations = 1;
        settings.mail.smtp_host = Some("127.0.0.1".into());
        settings.mail.smtp_port = smtp_port;
        adjust(&mut settings, &world);
        let app = world.app.clone().configure(settings);
        let served = app.clone();
        tokio::spawn(async move { saldo_web::serve::connections(listener, served, std::future::pending()).await });
        TestApp { world, app, base, http: reqwest::Client::new(), mail }
    }

    /// Does the due background jobs now (mail, provider callbacks), as `saldo serve` does every half second.
    pub async fn run_jobs(&self) -> usize {
        let runner = Runner::new(self.app.clone()).expect("runner");
        let mut done = 0;
        loop {
            let n = runner.run_once().await.expect("jobs");
            if n == 0 {
                return done;
            }
            done += n;
        }
    }

    /// A browser with its own cookies, not following redirects (tests look at them).
    pub fn browser(&self) -> Browser {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Browser { client, jar, base: self.base.clone() }
    }

    /// A browser signed in as this person (the demo's one-click login).
    pub async fn signed_in(&self, person_id: &PersonId) -> Browser {
        let browser = self.browser();
        browser.get("/demo-login").await;
        let page = browser.post("/demo-login", &[("person_id", person_id.as_str())]).await;
        assert_eq!(page.status, 303, "demo login failed: {}", page.body);
        browser
    }

    /// A browser logged in on the staff login page with e-mail and password.
    pub async fn staff_browser(&self, email: &str, password: &str) -> Browser {
        let browser = self.browser();
        browser.get("/staff/login").await;
        let page = browser.post("/staff/login", &[("email", email), ("password", password)]).await;
        assert_eq!(page.status, 303, "staff login failed: {}", page.body);
        browser
    }

    pub fn till_token(&self, till: usize) -> &str {
        &self.world.tills[till].token
    }

    /// A basket of `product` × `quantity` for `card`.
    pub fn basket(&self, card: &str, product: &str, quantity: i64) -> Value {
        json!({"card": card, "lines": [{"product_id": self.world.product(product).id, "quantity": quantity}]})
    }

    pub async fn buy(&self, till: usize, key: &str, body: &Value) -> Answer {
        let response = self
            .http
            .post(format!("{}/api/v1/till/purchases", self.base))
            .bearer_auth(self.till_token(till))
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("send");
        answer(response).await
    }

    /// Sends raw bytes, for malformed requests.
    pub async fn post_raw(&self, token: Option<&str>, key: Option<&str>, body: &str) -> Answer {
        let mut request = self.http.post(format!("{}/api/v1/till/purchases", self.base)).body(body.to_owned());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        answer(request.send().await.expect("send")).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("send");
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    pub async fn balance_ore(&self, child: &TestChild) -> i64 {
        self.world.balance(child).await.ore()
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer { status, body }
}

pub fn new_key() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// A page as a browser got it.
pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
}

pub struct Browser {
    pub client: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
}

impl Browser {
    pub async fn get(&self, path: &str) -> Page {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) };
        page(self.client.get(url).send().await.expect("get")).await
    }

    /// Posts a form with this browser's CSRF token added, as the page's form would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf();
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.post_raw(path, &form).await
    }

    /// Posts exactly these fields (for forged requests).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) };
        page(self.client.post(url).form(fields).send().await.expect("post")).await
    }

    /// Uploads a file as a `multipart/form-data` form would, the CSRF token first.
    pub async fn upload(&self, path: &str, csrf: &str, file_name: &str, bytes: &[u8]) -> Page {
        let boundary = format!("saldo{:016x}", rand::random::<u64>());
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body);
        page(request.send().await.expect("upload")).await
    }

    pub fn csrf(&self) -> String {
        use reqwest::cookie::CookieStore;
        let url = self.base.parse().expect("url");
        let cookies = self.jar.cookies(&url).map(|h| h.to_str().unwrap_or("").to_owned()).unwrap_or_default();
        cookies.split("; ").find_map(|c| c.strip_prefix("saldo_csrf=")).map(str::to_owned).unwrap_or_default()
    }
}

async fn page(response: reqwest::Response) -> Page {
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_owned);
    let body = response.text().await.expect("body");
    Page { status, body, location }
}

/// Decodes a quoted-printable mail body (soft line breaks and `=XX`).
pub fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn html_unescape(s: &str) -> String {
    s.replace("&#38;", "&").replace("&amp;", "&").replace("&#61;", "=").replace("&quot;", "\"")
}

/// The quoted value that follows `marker` on a page (an attribute's).
#[allow(dead_code)]
pub fn field_attr(body: &str, marker: &str) -> String {
    let start = body.find(marker).unwrap_or_else(|| panic!("no {marker}")) + marker.len();
    html_unescape(&body[start..start + body[start..].find('"').unwrap()])
}

/// A form field's value on a page.
#[allow(dead_code)]
pub fn field(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).unwrap_or_else(|| panic!("no field {name}")) + marker.len();
    html_unescape(&body[start..start + body[start..].find('"').unwrap()])
}

/// Starts a deposit in the browser and pays on the sandbox's page; returns the receipt path.
#[allow(dead_code)]
pub async fn pay(t: &TestApp, browser: &Browser, child_id: &ChildId, amount: &str, card: &str) -> String {
    let started =
        browser.post(&format!("/portal/children/{child_id}/deposit"), &[("quick", "other"), ("amount", amount)]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let hosted = browser.get(started.location.as_deref().unwrap()).await;
    assert_eq!(hosted.status, 200);
    let query = field(&hosted.body, "q");
    let paid = browser.post("/sandbox-pay/pay", &[("q", &query), ("card", card), ("choice", "pay")]).await;
    assert_eq!(paid.status, 303);
    let receipt = paid.location.unwrap();
    assert!(receipt.starts_with(&format!("{}/portal/deposits/", t.base)));
    receipt
}
