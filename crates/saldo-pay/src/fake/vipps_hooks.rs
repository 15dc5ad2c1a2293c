//! The fake Vipps MobilePay's webhooks, signed exactly as the Webhooks API
//! documents: `x-ms-date`, `x-ms-content-sha256`, and the HMAC-SHA256 over
//! method, path and query, date, host and content hash.

use serde_json::json;

use super::vipps::Keys;
use super::{uuid, Outgoing};
use crate::vipps::{authorization_header, content_hash, webhook_signature, PaymentDetails};

/// The webhooks registered for `name`, signed as Vipps MobilePay signs them.
pub(super) fn signed(
    hooks: &[(String, String, Vec<String>)],
    keys: &Keys,
    details: &PaymentDetails,
    name: &str,
    idempotency_key: Option<&str>,
    value: i64,
) -> Vec<Outgoing> {
    let event = format!("epayments.payment.{}.v1", name.to_lowercase());
    let body = json!({
        "msn": keys.merchant_serial_number,
        "reference": details.reference,
        "pspReference": uuid(),
        "name": name,
        "amount": { "currency": "DKK", "value": value },
        "timestamp": super::iso_time(crate::unix_now()),
        "idempotencyKey": idempotency_key,
        "success": true,
    })
    .to_string();
    hooks
        .iter()
        .filter(|(_, _, events)| events.contains(&event))
        .filter_map(|(url, secret, _)| {
            let parsed = reqwest::Url::parse(url).ok()?;
            let host = match parsed.port() {
                Some(port) => format!("{}:{port}", parsed.host_str()?),
                None => parsed.host_str()?.to_owned(),
            };
            let path_and_query = match parsed.query() {
                Some(q) => format!("{}?{q}", parsed.path()),
                None => parsed.path().to_owned(),
            };
            let date = super::http_date(crate::unix_now());
            let hash = content_hash(body.as_bytes());
            let signature = webhook_signature(secret, &path_and_query, &date, &host, &hash);
            Some(Outgoing {
                url: url.clone(),
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    ("x-ms-date".into(), date),
                    ("x-ms-content-sha256".into(), hash),
                    ("authorization".into(), authorization_header(&signature)),
                ],
                body: body.clone(),
            })
        })
        .collect()
}
