//! The Stripe adapter against localstripe (a stateful Stripe fake from
//! PyPI), which `.ci/localstripe` starts on loopback and names in
//! `SALDO_TEST_LOCALSTRIPE_URL`. Without it these tests say so and pass;
//! `.ci/run` always sets it, so CI never skips them.

mod support;

use saldo_core::Money;
use saldo_pay::stripe::{Stripe, StripeConfig};
use saldo_pay::{ChargeOutcome, PayError, PaymentProvider, PaymentRequest, PaymentState, RefundOutcome};
use support::Receiver;

const SECRET: &str = "sk_test_saldo_localstripe";

fn localstripe() -> Option<String> {
    let url = std::env::var("SALDO_TEST_LOCALSTRIPE_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("SALDO_TEST_LOCALSTRIPE_URL is not set: the Stripe adapter's tests did not run (.ci/run sets it)");
    }
    url
}

fn stripe(base: &str, webhook_secret: &str) -> Stripe {
    Stripe::new(StripeConfig {
        base_url: base.to_owned(),
        secret_key: SECRET.into(),
        publishable_key: "pk_test_saldo".into(),
        webhook_secret: webhook_secret.into(),
        page_url: "https://saldo.example/pay/stripe".into(),
    })
}

/// What Stripe.js does in the payer's browser: the card becomes a
/// PaymentMethod. Stripe.js does it with the publishable key; localstripe
/// takes only the secret key on this path, so the test uses that.
pub async fn payment_method(base: &str, card: &str) -> String {
    let form = [
        ("type", "card"),
        ("card[number]", card),
        ("card[exp_month]", "12"),
        ("card[exp_year]", "2030"),
        ("card[cvc]", "123"),
    ];
    let response = reqwest::Client::new()
        .post(format!("{base}/v1/payment_methods"))
        .bearer_auth(SECRET)
        .form(&form)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

fn request(reference: &str, save_card: bool) -> PaymentRequest<'_> {
    PaymentRequest {
        reference,
        amount: if save_card { Money::ZERO } else { Money::kr(150) },
        description: "Indbetaling til Idas kort",
        return_url: "https://saldo.example/portal/deposits/dep_1",
        callback_url: "https://saldo.example/pay/callback/stripe",
        lang: "da",
        save_card,
        method: None,
    }
}

#[tokio::test]
async fn a_deposit_paid_by_card_is_captured_and_refunded() {
    let Some(base) = localstripe() else { return };
    let stripe = stripe(&base, "whsec_unused");
    let started = stripe.start(&request("dep_1", false)).await.unwrap();
    assert!(started.provider_ref.starts_with("pi_"));
    assert_eq!(started.redirect_url, format!("https://saldo.example/pay/stripe/{}", started.provider_ref));
    let pending = stripe.payment(&started.provider_ref).await.unwrap();
    assert_eq!((pending.state, pending.reference.as_str()), (PaymentState::Pending, "dep_1"));

    let method = payment_method(&base, "4242424242424242").await;
    let paid = stripe.complete_on_page(&started.provider_ref, &method).await.unwrap();
    assert_eq!((paid.state, paid.captured_ore), (PaymentState::Captured, 15_000));

    let refund = stripe.refund(&started.provider_ref, Money::kr(100), "rf-1").await.unwrap();
    let RefundOutcome::Refunded { refund_ref } = refund else { panic!("{refund:?}") };
    assert!(matches!(
        stripe.refund_status(&started.provider_ref, &refund_ref).await.unwrap(),
        RefundOutcome::Refunded { .. }
    ));
}

#[tokio::test]
async fn a_declined_card_fails_the_payment() {
    let Some(base) = localstripe() else { return };
    let stripe = stripe(&base, "whsec_unused");
    let started = stripe.start(&request("dep_2", false)).await.unwrap();
    let method = payment_method(&base, "4000000000000341").await;
    let failed = stripe.complete_on_page(&started.provider_ref, &method).await.unwrap();
    assert_eq!(failed.state, PaymentState::Failed);
    assert_eq!(failed.state.settles_as(), Some(saldo_pay::PaymentStatus::Declined));
}

#[tokio::test]
async fn a_saved_card_is_charged_off_session_and_a_bad_one_declines() {
    let Some(base) = localstripe() else { return };
    let stripe = stripe(&base, "whsec_unused");
    let started = stripe.start(&request("tus_1", true)).await.unwrap();
    assert!(started.provider_ref.starts_with("seti_"));
    let method = payment_method(&base, "4242424242424242").await;
    let saved = stripe.complete_on_page(&started.provider_ref, &method).await.unwrap();
    assert_eq!(saved.state, PaymentState::Captured);
    assert_eq!(saved.card.as_ref().map(|c| (c.last4.as_str(), c.expires.as_str())), Some(("4242", "2030-12")));
    let token = saved.token.unwrap();
    let charged = stripe.charge_saved(&token, Money::kr(100), "topup-1", "chg_1").await.unwrap();
    let ChargeOutcome::Succeeded { provider_ref } = charged else { panic!("{charged:?}") };
    assert_eq!(stripe.payment(&provider_ref).await.unwrap().captured_ore, 10_000);

    let started = stripe.start(&request("tus_2", true)).await.unwrap();
    let method = payment_method(&base, "4000000000000341").await;
    let token = stripe.complete_on_page(&started.provider_ref, &method).await.unwrap().token.unwrap();
    let declined = stripe.charge_saved(&token, Money::kr(100), "topup-2", "chg_2").await.unwrap();
    assert!(matches!(declined, ChargeOutcome::Declined { .. }), "{declined:?}");
}

#[tokio::test]
async fn webhooks_verify_by_their_signature_and_forgeries_do_not() {
    let Some(base) = localstripe() else { return };
    let receiver = Receiver::start().await;
    let secret = "whsec_saldo_test_webhooks";
    let hook = format!("saldo-{}", std::process::id());
    let form = [
        ("url", format!("{}/pay/callback/stripe", receiver.url)),
        ("secret", secret.to_owned()),
        ("events[]", "payment_intent.succeeded".to_owned()),
    ];
    let configured =
        reqwest::Client::new().post(format!("{base}/_config/webhooks/{hook}")).form(&form).send().await.unwrap();
    assert!(configured.status().is_success());
    let stripe = stripe(&base, secret);
    let started = stripe.start(&request("dep_3", false)).await.unwrap();
    let method = payment_method(&base, "4242424242424242").await;
    stripe.complete_on_page(&started.provider_ref, &method).await.unwrap();
    // Other tests' payments may be signalled too; ours is among them.
    let mine = loop {
        let all = receiver.wait_for(receiver.count() + 1).await;
        let found = all.iter().find(|r| {
            stripe.verify_callback(&r.callback()).map(|e| e.provider_ref == started.provider_ref).unwrap_or(false)
        });
        if let Some(found) = found {
            break found.clone();
        }
    };
    let event = stripe.verify_callback(&mine.callback()).unwrap();
    assert_eq!(event.event, "payment_intent.succeeded");
    let mut tampered = mine.clone();
    tampered.body = String::from_utf8(tampered.body).unwrap().replace("succeeded", "suceeded").into_bytes();
    assert_eq!(stripe.verify_callback(&tampered.callback()).unwrap_err(), PayError::BadSignature);
    let other = stripe_with_secret(&base, "whsec_other");
    assert_eq!(other.verify_callback(&mine.callback()).unwrap_err(), PayError::BadSignature);
}

fn stripe_with_secret(base: &str, secret: &str) -> Stripe {
    stripe(base, secret)
}
