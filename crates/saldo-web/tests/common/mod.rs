//! The real app on a random port, with a fresh database, and a client for it.

#![allow(dead_code)]

use saldo_app::testing::{TestChild, World};
use serde_json::{json, Value};

pub struct TestApp {
    pub world: World,
    pub base: String,
    pub http: reqwest::Client,
}

/// A response, read whole.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl TestApp {
    pub async fn start() -> TestApp {
        let world = World::new().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let router = saldo_web::router(world.app.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        TestApp { world, base, http: reqwest::Client::new() }
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
