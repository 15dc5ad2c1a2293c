//! A merchant's callback endpoint for the adapters' tests: it keeps every
//! request exactly as it arrived, for the adapter to verify.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;

#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub path_and_query: String,
    pub host: String,
}

impl Received {
    pub fn callback(&self) -> saldo_pay::Callback<'_> {
        saldo_pay::Callback {
            headers: &self.headers,
            body: &self.body,
            path_and_query: &self.path_and_query,
            host: &self.host,
            received_at: saldo_pay::unix_now(),
        }
    }
}

#[derive(Clone, Default)]
pub struct Receiver {
    pub received: Arc<Mutex<Vec<Received>>>,
    pub url: String,
    pub host: String,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new().route("/pay/callback/{provider}", post(keep)).with_state(received.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { received, url: format!("http://{addr}"), host: addr.to_string() }
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn all(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (bounded) until at least `n` callbacks have arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..400 {
            if self.count() >= n {
                return self.all();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("expected {n} callbacks, got {}", self.count());
    }
}

async fn keep(
    State(received): State<Arc<Mutex<Vec<Received>>>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> &'static str {
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();
    let path_and_query = uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    received.lock().unwrap().push(Received { headers, body: body.to_vec(), path_and_query, host });
    "ok"
}
