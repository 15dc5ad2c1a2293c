//! A Nexi payment as `GET /v1/payments/{id}` answers it, as far as Saldo reads it.

use serde::{Deserialize, Serialize};

/// `GET /v1/payments/{id}` as far as Saldo reads it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub payment_id: String,
    pub order_details: OrderDetails,
    #[serde(default)]
    pub summary: Summary,
    #[serde(default)]
    pub charges: Vec<Charge>,
    #[serde(default)]
    pub refunds: Vec<Refund>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unscheduled_subscription: Option<UnscheduledSubscription>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_details: Option<PaymentDetails>,
    /// Set when the payment was terminated (abandoned) before it was paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OrderDetails {
    pub amount: i64,
    pub currency: String,
    #[serde(default)]
    pub reference: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    #[serde(default)]
    pub reserved_amount: i64,
    #[serde(default)]
    pub charged_amount: i64,
    #[serde(default)]
    pub refunded_amount: i64,
    #[serde(default)]
    pub cancelled_amount: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Charge {
    pub charge_id: String,
    pub amount: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    pub refund_id: String,
    pub amount: i64,
    /// `Pending`, `Completed`, `Failed` (not confirmed; see the module's notes).
    pub state: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnscheduledSubscription {
    pub unscheduled_subscription_id: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_details: Option<CardDetails>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardDetails {
    pub masked_pan: String,
    /// `MMYY`.
    pub expiry_date: String,
}
