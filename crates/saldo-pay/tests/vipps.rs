//! The Vipps MobilePay adapter against the local ePayment fake: the token
//! cached, capture before credit, signed webhooks (forged, duplicated, out
//! of order, lost), refunds, and what is left out (saved cards).

mod support;

use saldo_core::Money;
use saldo_pay::fake::vipps::{FakeVipps, Keys};
use saldo_pay::fake::Delivery;
use saldo_pay::vipps::{Vipps, VippsConfig, EVENTS};
use saldo_pay::{PayError, PaymentProvider, PaymentRequest, PaymentState, RefundOutcome};
use support::Receiver;

async fn setup() -> (FakeVipps, Vipps, Receiver) {
    let keys = Keys::test();
    let fake = FakeVipps::start(keys.clone()).await.unwrap();
    let receiver = Receiver::start().await;
    let secret = fake.register_webhook(&format!("{}/pay/callback/vipps", receiver.url), EVENTS);
    let vipps = Vipps::new(VippsConfig {
        base_url: fake.url().to_owned(),
        client_id: keys.client_id,
        client_secret: keys.client_secret,
        subscription_key: keys.subscription_key,
        merchant_serial_number: keys.merchant_serial_number,
        webhook_secret: secret,
    });
    (fake, vipps, receiver)
}

fn request(reference: &str) -> PaymentRequest<'_> {
    PaymentRequest {
        reference,
        amount: Money::kr(150),
        description: "Indbetaling til Idas kort",
        return_url: "https://saldo.example/portal/deposits/dep_1",
        callback_url: "https://saldo.example/pay/callback/vipps",
        lang: "da",
        save_card: false,
        method: None,
    }
}

const DEPOSIT: &str = "dep_01jx8m3k2v9q4r5s6t7u8w9x0y";

#[tokio::test]
async fn an_approved_payment_is_captured_once_and_its_webhooks_verify() {
    let (fake, vipps, receiver) = setup().await;
    let started = vipps.start(&request(DEPOSIT)).await.unwrap();
    assert_eq!(started.provider_ref, "dep-01jx8m3k2v9q4r5s6t7u8w9x0y");
    fake.approve(&started.provider_ref).unwrap();
    let snapshot = vipps.payment(&started.provider_ref).await.unwrap();
    assert_eq!((snapshot.state, snapshot.reference.as_str()), (PaymentState::Authorized, DEPOSIT));
    assert_eq!(snapshot.state.settles_as(), None, "authorized is not money yet");

    let captured = vipps.capture(&started.provider_ref, Money::kr(150), "capture-dep").await.unwrap();
    assert_eq!((captured.state, captured.captured_ore), (PaymentState::Captured, 15_000));
    // The same capture again (a retry) captures nothing more.
    let again = vipps.capture(&started.provider_ref, Money::kr(150), "capture-dep").await.unwrap();
    assert_eq!(again.captured_ore, 15_000);

    // AUTHORIZED, CAPTURED: each signed for Saldo's address.
    let received = receiver.wait_for(2).await;
    for r in &received {
        let event = vipps.verify_callback(&r.callback()).unwrap();
        assert_eq!(event.provider_ref, started.provider_ref);
    }
    assert_eq!(fake.tokens_issued(), 1, "the access token is cached");
}

#[tokio::test]
async fn forged_tampered_and_misaddressed_webhooks_are_refused() {
    let (fake, vipps, receiver) = setup().await;
    let started = vipps.start(&request(DEPOSIT)).await.unwrap();
    fake.approve(&started.provider_ref).unwrap();
    let genuine = receiver.wait_for(1).await.remove(0);
    assert!(vipps.verify_callback(&genuine.callback()).is_ok());

    let mut tampered = genuine.clone();
    tampered.body = String::from_utf8(tampered.body).unwrap().replace("AUTHORIZED", "CAPTURED").into_bytes();
    assert_eq!(vipps.verify_callback(&tampered.callback()).unwrap_err(), PayError::BadSignature);
    let mut rehashed = tampered.clone();
    let hash = saldo_pay::vipps::content_hash(&rehashed.body);
    rehashed.headers.insert("x-ms-content-sha256", hash.parse().unwrap());
    assert_eq!(vipps.verify_callback(&rehashed.callback()).unwrap_err(), PayError::BadSignature);
    let mut elsewhere = genuine.clone();
    elsewhere.host = "evil.example".into();
    assert_eq!(vipps.verify_callback(&elsewhere.callback()).unwrap_err(), PayError::BadSignature);
    let mut unsigned = genuine.clone();
    unsigned.headers.remove("authorization");
    assert_eq!(vipps.verify_callback(&unsigned.callback()).unwrap_err(), PayError::BadSignature);
}

#[tokio::test]
async fn duplicated_late_and_out_of_order_webhooks_all_verify_and_the_read_back_decides() {
    let (fake, vipps, receiver) = setup().await;
    fake.set_delivery(Delivery::Duplicate);
    let started = vipps.start(&request(DEPOSIT)).await.unwrap();
    fake.approve(&started.provider_ref).unwrap();
    for twice in receiver.wait_for(2).await {
        assert_eq!(vipps.verify_callback(&twice.callback()).unwrap().event, "epayments.payment.authorized.v1");
    }
    fake.set_delivery(Delivery::Hold);
    vipps.capture(&started.provider_ref, Money::kr(150), "capture-dep").await.unwrap();
    vipps.refund(&started.provider_ref, Money::kr(50), "rf-1").await.unwrap();
    // REFUNDED arrives before CAPTURED.
    assert_eq!(fake.webhooks().release(true), 2);
    let received = receiver.wait_for(4).await;
    let names: Vec<String> =
        received[2..].iter().map(|r| vipps.verify_callback(&r.callback()).unwrap().event).collect();
    assert_eq!(names, ["epayments.payment.refunded.v1", "epayments.payment.captured.v1"]);
    let now = vipps.payment(&started.provider_ref).await.unwrap();
    assert_eq!((now.state, now.captured_ore, now.refunded_ore), (PaymentState::Captured, 15_000, 5_000));
}

#[tokio::test]
async fn rejected_and_expired_payments_read_as_cancelled_and_expired() {
    let (fake, vipps, _) = setup().await;
    let rejected = vipps.start(&request("dep_01jx8m3k2v9q4r5s6t7u8w9x01")).await.unwrap();
    fake.reject(&rejected.provider_ref).unwrap();
    assert_eq!(vipps.payment(&rejected.provider_ref).await.unwrap().state, PaymentState::Cancelled);
    let expired = vipps.start(&request("dep_01jx8m3k2v9q4r5s6t7u8w9x02")).await.unwrap();
    fake.expire(&expired.provider_ref).unwrap();
    assert_eq!(vipps.payment(&expired.provider_ref).await.unwrap().state, PaymentState::Expired);
    // Capturing what was never authorized takes nothing.
    let not = vipps.capture(&expired.provider_ref, Money::kr(150), "capture-x").await.unwrap();
    assert_eq!(not.captured_ore, 0);
}

#[tokio::test]
async fn a_refund_is_given_once_per_key_and_never_beyond_the_capture() {
    let (fake, vipps, _) = setup().await;
    let started = vipps.start(&request(DEPOSIT)).await.unwrap();
    fake.approve(&started.provider_ref).unwrap();
    vipps.capture(&started.provider_ref, Money::kr(150), "capture-dep").await.unwrap();
    assert!(matches!(
        vipps.refund(&started.provider_ref, Money::kr(100), "rf-1").await.unwrap(),
        RefundOutcome::Refunded { .. }
    ));
    assert!(matches!(
        vipps.refund(&started.provider_ref, Money::kr(100), "rf-1").await.unwrap(),
        RefundOutcome::Refunded { .. }
    ));
    assert_eq!(vipps.payment(&started.provider_ref).await.unwrap().refunded_ore, 10_000, "the same key refunds once");
    let too_much = vipps.refund(&started.provider_ref, Money::kr(100), "rf-2").await.unwrap();
    assert!(matches!(too_much, RefundOutcome::Refused { .. }), "{too_much:?}");
}

#[tokio::test]
async fn saved_cards_are_left_out_and_say_so() {
    let (_, vipps, _) = setup().await;
    let mut setup_request = request("tus_01jx8m3k2v9q4r5s6t7u8w9x0y");
    setup_request.save_card = true;
    assert!(matches!(vipps.start(&setup_request).await, Err(PayError::Unsupported(_))));
    assert!(matches!(vipps.charge_saved("t", Money::kr(1), "k", "r").await, Err(PayError::Unsupported(_))));
}
