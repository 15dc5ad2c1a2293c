//! The payment provider's word, routed: a verified notification is about a
//! deposit or about saving a card for a top-up agreement, told apart by the
//! reference Saldo gave the provider.

use saldo_pay::Notification;

use crate::deposits::{DepositError, Settled};
use crate::{agreements, deposits, App};

/// Applies a verified notification to whatever it is about, once.
pub async fn confirm(app: &App, notification: &Notification) -> Result<Settled, DepositError> {
    if notification.reference.starts_with(agreements::SETUP_PREFIX) {
        agreements::confirm_setup(app, notification).await
    } else {
        deposits::confirm(app, notification).await
    }
}
