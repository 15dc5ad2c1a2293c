//! Local servers that speak Nexi Checkout's and Vipps MobilePay's documented
//! protocols (paths, headers, status codes, webhook shapes), for the test
//! suites and `saldo demo --provider nexi|vipps`. They keep their state in
//! memory and post their webhooks over HTTP like the real ones, and they can
//! be told to deliver webhooks late, twice, never, or out of order.
//!
//! They are fakes of the providers, not of Saldo: nothing here knows Saldo's
//! database. Behind the cargo feature `fake`.

pub mod nexi;
mod nexi_hooks;
mod nexi_page;
pub mod vipps;
mod vipps_hooks;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// What a fake does with the webhooks it sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Each once, at once, in order.
    Deliver,
    /// Each twice.
    Duplicate,
    /// None until [`Webhooks::release`] (late, out of order) or never (lost).
    Hold,
}

/// A webhook ready to post.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The webhooks a fake has sent or holds, shared with its handlers.
#[derive(Clone)]
pub struct Webhooks {
    inner: Arc<Mutex<WebhookState>>,
    http: reqwest::Client,
}

struct WebhookState {
    delivery: Delivery,
    held: Vec<Outgoing>,
    sent: Vec<Outgoing>,
}

impl Default for Webhooks {
    fn default() -> Self {
        Webhooks {
            inner: Arc::new(Mutex::new(WebhookState {
                delivery: Delivery::Deliver,
                held: Vec::new(),
                sent: Vec::new(),
            })),
            http: crate::http_client(),
        }
    }
}

impl Webhooks {
    pub fn set_delivery(&self, delivery: Delivery) {
        self.lock().delivery = delivery;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WebhookState> {
        // A poisoned lock only means a test panicked elsewhere; the state is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends (or holds) webhooks, in the background, in the given order.
    pub fn send(&self, outgoing: Vec<Outgoing>) {
        if outgoing.is_empty() {
            return;
        }
        let batch = {
            let mut state = self.lock();
            match state.delivery {
                Delivery::Hold => {
                    state.held.extend(outgoing);
                    return;
                }
                Delivery::Deliver => outgoing,
                Delivery::Duplicate => outgoing.iter().flat_map(|o| [o.clone(), o.clone()]).collect(),
            }
        };
        self.post_all(batch);
    }

    /// Sends what is held: in order, or newest first (out of order).
    pub fn release(&self, newest_first: bool) -> usize {
        let mut held = std::mem::take(&mut self.lock().held);
        if newest_first {
            held.reverse();
        }
        let n = held.len();
        self.post_all(held);
        n
    }

    /// Forgets what is held: those webhooks are lost.
    pub fn drop_held(&self) -> usize {
        std::mem::take(&mut self.lock().held).len()
    }

    /// Sends the last webhook sent once more, exactly as it was (a replay).
    pub fn replay_last(&self) -> bool {
        let last = self.lock().sent.last().cloned();
        match last {
            Some(last) => {
                self.post_all(vec![last]);
                true
            }
            None => false,
        }
    }

    /// Every webhook posted so far.
    pub fn sent(&self) -> Vec<Outgoing> {
        self.lock().sent.clone()
    }

    fn post_all(&self, batch: Vec<Outgoing>) {
        self.lock().sent.extend(batch.iter().cloned());
        let http = self.http.clone();
        tokio::spawn(async move {
            for outgoing in batch {
                let mut request = http.post(&outgoing.url).body(outgoing.body.clone());
                for (name, value) in &outgoing.headers {
                    request = request.header(name, value);
                }
                // A receiver that is down loses the webhook, as at the real providers between retries.
                let _ = request.send().await;
            }
        });
    }
}

/// Serves `router` on a free loopback port; answers its address.
pub async fn serve(router: axum::Router) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(addr)
}

/// Serves `router` on a given address (the demo's fixed port).
pub async fn serve_at(router: axum::Router, addr: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(addr)
}

/// A random id like the providers' (hex, dashed like a UUID).
pub(crate) fn uuid() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// An HTTP date (`Thu, 30 Mar 2023 08:38:32 GMT`) for a time in seconds since 1970.
pub fn http_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// An ISO 8601 time for a webhook's body.
pub(crate) fn iso_time(unix: i64) -> String {
    let date = http_date(unix);
    // "Thu, 30 Mar 2023 08:38:32 GMT" → "2023-03-30T08:38:32Z"
    let parts: Vec<&str> = date.split(' ').collect();
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = months.iter().position(|m| *m == parts[2]).unwrap_or(0) + 1;
    format!("{}-{month:02}-{}T{}Z", parts[3], parts[1], parts[4])
}

/// Escapes text for an HTML page.
pub(crate) fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A test card's digits.
pub(crate) fn digits(card: &str) -> String {
    card.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_read_like_the_documentations() {
        assert_eq!(http_date(1_680_165_512), "Thu, 30 Mar 2023 08:38:32 GMT");
        assert_eq!(iso_time(1_680_165_512), "2023-03-30T08:38:32Z");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
