//! The fake Nexi's webhooks: the payment's own `authorization` echoed, the
//! body shaped as Nexi's (`{id, merchantId, timestamp, event, data}`).

use serde_json::{json, Value};

use super::nexi::FakePayment;
use super::{uuid, Outgoing};

/// The webhooks a payment asked for on `event`, each with its authorization echoed.
pub(super) fn webhooks_for(p: &FakePayment, event: &str, extra: Value) -> Vec<Outgoing> {
    p.webhooks
        .iter()
        .filter(|(name, _, _)| name == event)
        .map(|(_, url, authorization)| {
            let mut data = json!({
                "paymentId": p.payment.payment_id,
                "order": { "reference": p.payment.order_details.reference, "amount": { "amount": p.payment.order_details.amount, "currency": "DKK" } },
            });
            if let (Some(data), Value::Object(extra)) = (data.as_object_mut(), extra.clone()) {
                data.extend(extra);
            }
            let body = json!({
                "id": uuid().replace('-', ""),
                "merchantId": 100_017_120,
                "timestamp": super::iso_time(crate::unix_now()),
                "event": event,
                "data": data,
            });
            Outgoing {
                url: url.clone(),
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    ("authorization".into(), authorization.clone()),
                ],
                body: body.to_string(),
            }
        })
        .collect()
}
