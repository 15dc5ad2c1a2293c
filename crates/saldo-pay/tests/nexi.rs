//! The Nexi adapter against the local Nexi Checkout fake: deposits, a
//! decline, forged and lost webhooks, a saved card and its (asynchronous)
//! charges, refunds.

mod support;

use saldo_core::Money;
use saldo_pay::fake::nexi::{FakeNexi, APPROVED_CARD, DECLINED_CARD, DECLINES_LATER_CARD};
use saldo_pay::fake::Delivery;
use saldo_pay::nexi::{Nexi, NexiConfig};
use saldo_pay::{ChargeOutcome, PayError, PaymentProvider, PaymentRequest, PaymentState, RefundOutcome};
use support::Receiver;

async fn setup() -> (FakeNexi, Nexi, Receiver) {
    let fake = FakeNexi::start("test-secret-key-abc").await.unwrap();
    let nexi = Nexi::new(NexiConfig {
        base_url: fake.url().to_owned(),
        secret_key: "test-secret-key-abc".into(),
        webhook_key: "a long webhook key of our own".into(),
        terms_url: "https://saldo.example/terms".into(),
    });
    (fake, nexi, Receiver::start().await)
}

fn request<'a>(receiver: &'a Receiver, reference: &'a str, callback: &'a str, save_card: bool) -> PaymentRequest<'a> {
    let _ = receiver;
    PaymentRequest {
        reference,
        amount: if save_card { Money::ZERO } else { Money::kr(150) },
        description: "Indbetaling til Idas kort",
        return_url: "https://saldo.example/portal/deposits/dep_1",
        callback_url: callback,
        lang: "da",
        save_card,
        method: None,
    }
}

#[tokio::test]
async fn a_paid_deposit_is_confirmed_by_a_webhook_and_read_back() {
    let (fake, nexi, receiver) = setup().await;
    let callback = format!("{}/pay/callback/nexi", receiver.url);
    let started = nexi.start(&request(&receiver, "dep_1", &callback, false)).await.unwrap();
    assert!(started.redirect_url.starts_with(&format!("{}/hpp/", fake.url())));
    assert_eq!(nexi.payment(&started.provider_ref).await.unwrap().state, PaymentState::Pending);

    let back = fake.pay(&started.provider_ref, APPROVED_CARD).unwrap();
    assert!(back.starts_with("https://saldo.example/portal/deposits/dep_1?paymentid="));
    let received = receiver.wait_for(2).await;
    for r in &received {
        let event = nexi.verify_callback(&r.callback()).unwrap();
        assert_eq!(event.provider_ref, started.provider_ref);
        assert!(event.payment.is_none(), "Nexi's webhooks are unsigned: the payment is read back");
    }
    let snapshot = nexi.payment(&started.provider_ref).await.unwrap();
    assert_eq!(snapshot.state, PaymentState::Captured);
    assert_eq!((snapshot.amount_ore, snapshot.captured_ore, snapshot.reference.as_str()), (15_000, 15_000, "dep_1"));
}

#[tokio::test]
async fn forged_and_other_payments_webhooks_are_refused() {
    let (fake, nexi, receiver) = setup().await;
    let callback = format!("{}/pay/callback/nexi", receiver.url);
    let started = nexi.start(&request(&receiver, "dep_1", &callback, false)).await.unwrap();
    fake.pay(&started.provider_ref, APPROVED_CARD).unwrap();
    let genuine = receiver.wait_for(1).await.remove(0);

    let mut forged = genuine.clone();
    forged.headers.insert("authorization", "0123456789abcdef0123456789abcdef".parse().unwrap());
    assert_eq!(nexi.verify_callback(&forged.callback()).unwrap_err(), PayError::BadSignature);
    // A genuine authorization moved onto another reference.
    let mut moved = genuine.clone();
    moved.path_and_query = moved.path_and_query.replace("dep_1", "dep_2");
    assert_eq!(nexi.verify_callback(&moved.callback()).unwrap_err(), PayError::BadSignature);
    let mut bare = genuine.clone();
    bare.headers.remove("authorization");
    assert_eq!(nexi.verify_callback(&bare.callback()).unwrap_err(), PayError::BadSignature);
    // A replay of the genuine one verifies: what it makes Saldo do is read the payment back.
    assert!(fake.webhooks().replay_last());
    let replayed = receiver.wait_for(receiver.count() + 1).await;
    assert!(nexi.verify_callback(&replayed.last().unwrap().callback()).is_ok());
}

#[tokio::test]
async fn a_declined_card_then_a_cancel_leaves_the_payment_cancelled() {
    let (fake, nexi, receiver) = setup().await;
    let callback = format!("{}/pay/callback/nexi", receiver.url);
    let started = nexi.start(&request(&receiver, "dep_1", &callback, false)).await.unwrap();
    let again = fake.pay(&started.provider_ref, DECLINED_CARD).unwrap();
    assert!(again.contains("declined=1"), "the payer stays on the page");
    assert_eq!(nexi.payment(&started.provider_ref).await.unwrap().state, PaymentState::Pending);
    fake.cancel(&started.provider_ref).unwrap();
    let snapshot = nexi.payment(&started.provider_ref).await.unwrap();
    assert_eq!((snapshot.state, snapshot.captured_ore), (PaymentState::Cancelled, 0));
    assert_eq!(receiver.count(), 0);
}

#[tokio::test]
async fn a_lost_webhook_is_made_up_for_by_reading_the_payment_back() {
    let (fake, nexi, receiver) = setup().await;
    fake.set_delivery(Delivery::Hold);
    let callback = format!("{}/pay/callback/nexi", receiver.url);
    let started = nexi.start(&request(&receiver, "dep_1", &callback, false)).await.unwrap();
    fake.pay(&started.provider_ref, APPROVED_CARD).unwrap();
    assert!(fake.webhooks().drop_held() > 0);
    assert_eq!(nexi.payment(&started.provider_ref).await.unwrap().state, PaymentState::Captured);
    assert_eq!(receiver.count(), 0);
}

#[tokio::test]
async fn a_saved_card_is_charged_later_asynchronously() {
    let (fake, nexi, receiver) = setup().await;
    let callback = format!("{}/pay/callback/nexi", receiver.url);
    let started = nexi.start(&request(&receiver, "tus_1", &callback, true)).await.unwrap();
    fake.pay(&started.provider_ref, APPROVED_CARD).unwrap();
    let saved = nexi.payment(&started.provider_ref).await.unwrap();
    assert_eq!(saved.state, PaymentState::Captured);
    assert_eq!(saved.captured_ore, 0, "a card is registered with amount 0, never a test charge");
    let token = saved.token.expect("the unscheduled subscription id");
    assert_eq!(saved.card.unwrap().last4, "0004");

    let charged = nexi.charge_saved(&token, Money::kr(100), "topup-1", "chg_1").await.unwrap();
    let ChargeOutcome::Succeeded { provider_ref } = charged else { panic!("{charged:?}") };
    assert_eq!(nexi.payment(&provider_ref).await.unwrap().captured_ore, 10_000);

    fake.defer_settling(true);
    let pending = nexi.charge_saved(&token, Money::kr(100), "topup-2", "chg_2").await.unwrap();
    let ChargeOutcome::Pending { provider_ref } = pending else { panic!("{pending:?}") };
    assert!(matches!(nexi.charge_status(&provider_ref).await.unwrap(), ChargeOutcome::Pending { .. }));
    fake.settle();
    assert!(matches!(nexi.charge_status(&provider_ref).await.unwrap(), ChargeOutcome::Succeeded { .. }));
}

#[tokio::test]
async fn a_card_that_declines_later_declines_its_charges() {
    let (fake, nexi, receiver) = setup().await;
    let callback = format!("{}/pay/callback/nexi", receiver.url);
    let started = nexi.start(&request(&receiver, "tus_1", &callback, true)).await.unwrap();
    fake.pay(&started.provider_ref, DECLINES_LATER_CARD).unwrap();
    let token = nexi.payment(&started.provider_ref).await.unwrap().token.unwrap();
    let outcome = nexi.charge_saved(&token, Money::kr(100), "topup-1", "chg_1").await.unwrap();
    assert!(matches!(outcome, ChargeOutcome::Declined { .. }), "{outcome:?}");
}

#[tokio::test]
async fn a_refund_goes_against_the_charge_once_and_never_beyond_it() {
    let (fake, nexi, receiver) = setup().await;
    let callback = format!("{}/pay/callback/nexi", receiver.url);
    let started = nexi.start(&request(&receiver, "dep_1", &callback, false)).await.unwrap();
    fake.pay(&started.provider_ref, APPROVED_CARD).unwrap();
    let refunded = nexi.refund(&started.provider_ref, Money::kr(100), "rf-1").await.unwrap();
    assert!(matches!(refunded, RefundOutcome::Refunded { .. }), "{refunded:?}");
    let too_much = nexi.refund(&started.provider_ref, Money::kr(100), "rf-2").await.unwrap();
    assert!(matches!(too_much, RefundOutcome::Refused { .. }), "{too_much:?}");

    fake.defer_settling(true);
    let pending = nexi.refund(&started.provider_ref, Money::kr(50), "rf-3").await.unwrap();
    let RefundOutcome::Pending { refund_ref } = pending else { panic!("{pending:?}") };
    fake.settle();
    let done = nexi.refund_status(&started.provider_ref, &refund_ref).await.unwrap();
    assert!(matches!(done, RefundOutcome::Refunded { .. }), "{done:?}");
    assert_eq!(nexi.payment(&started.provider_ref).await.unwrap().state, PaymentState::Refunded);
}

#[tokio::test]
async fn a_wrong_secret_key_is_refused_by_the_api() {
    let (fake, _, _) = setup().await;
    let wrong = Nexi::new(NexiConfig {
        base_url: fake.url().to_owned(),
        secret_key: "not-the-key".into(),
        webhook_key: "k".into(),
        terms_url: "https://saldo.example/terms".into(),
    });
    let receiver = Receiver::start().await;
    let err = wrong.start(&request(&receiver, "dep_1", "https://saldo.example/pay/callback/nexi", false)).await;
    assert!(matches!(err, Err(PayError::Provider(ref e)) if e.contains("401")), "{err:?}");
}
