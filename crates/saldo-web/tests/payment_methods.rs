//! Fees per way of paying: where the operator prices Dankort and
//! Visa/Mastercard apart, the parent chooses one on Saldo's page and sees its
//! fee before paying, and Nexi's page offers only that way (on the protocol
//! fake). Where the operator does not, Nexi's page offers every card at one fee.

mod common;

use common::{Browser, TestApp};
use saldo_app::settings::ProviderName;
use saldo_app::testing::TestChild;
use saldo_core::Money;
use saldo_pay::fake::nexi::{FakeNexi, APPROVED_CARD};

/// A Dankort test number (Dankort's cards begin 5019).
const DANKORT: &str = "5019 0000 0000 0004";

async fn nexi_priced_by_method(method_fees: &[(&str, i64)]) -> (TestApp, FakeNexi) {
    let fake = FakeNexi::start("test-secret-key-saldo").await.unwrap();
    let url = fake.url().to_owned();
    let fees: Vec<(String, i64)> = method_fees.iter().map(|(m, f)| (m.to_string(), *f)).collect();
    let t = TestApp::start_with(|s| {
        s.payments.providers = vec![ProviderName::Nexi];
        s.nexi.base_url = url;
        s.nexi.secret_key = "test-secret-key-saldo".into();
        s.nexi.webhook_key = "a-long-random-webhook-key-of-saldo".into();
        s.nexi.terms_url = "https://saldo.example/vilkaar".into();
        s.nexi.fee_ore = 150;
        s.nexi.method_fees = fees.into_iter().collect();
    })
    .await;
    (t, fake)
}

/// Posts the deposit form with this choice; answers the provider's page address, or the form again.
async fn deposit(browser: &Browser, child: &TestChild, amount: &str, provider: &str) -> common::Page {
    browser
        .post(
            &format!("/portal/children/{}/deposit", child.child_id),
            &[("quick", "other"), ("amount", amount), ("provider", provider)],
        )
        .await
}

fn provider_page(answer: &common::Page) -> String {
    assert_eq!(answer.status, 200, "{}", answer.body);
    common::field_attr(&answer.body, "id=\"provider-page\" href=\"")
}

fn payment_id(page: &str) -> String {
    page.split('?').next().unwrap().rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn dankort_and_visa_priced_apart_are_chosen_on_saldos_page_and_nexi_offers_only_the_chosen() {
    let (t, fake) = nexi_priced_by_method(&[("dankort", 0), ("visa_mastercard", 175)]).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;

    let form = browser.get(&format!("/portal/children/{}/deposit", ida.child_id)).await;
    assert!(form.body.contains("value=\"nexi:dankort\""), "{}", form.body);
    assert!(form.body.contains("Visa eller Mastercard, gebyr 1,75 kr."), "the fee shows before paying");
    assert!(!form.body.contains("Dankort, gebyr"), "Dankort is free here");

    // Visa: the higher fee on top, and Nexi's page takes only Visa and Mastercard.
    let page = provider_page(&deposit(&browser, &ida, "200", "nexi:visa_mastercard").await);
    let visa_payment = payment_id(&page);
    assert_eq!(fake.offered_methods(&visa_payment), ["Visa", "MasterCard"]);
    assert!(fake.pay(&visa_payment, DANKORT).is_err(), "a Dankort is not offered on this page");
    fake.pay(&visa_payment, APPROVED_CARD).unwrap();
    assert_eq!(fake.payment(&visa_payment).unwrap().summary.charged_amount, 20_175);

    // Dankort: no fee, and only Dankort on the page.
    let page = provider_page(&deposit(&browser, &ida, "100", "nexi:dankort").await);
    let dankort_payment = payment_id(&page);
    assert_eq!(fake.offered_methods(&dankort_payment), ["Dankort"]);
    fake.pay(&dankort_payment, DANKORT).unwrap();
    assert_eq!(fake.payment(&dankort_payment).unwrap().summary.charged_amount, 10_000);

    for _ in 0..300 {
        if t.world.balance(&ida).await == Money::kr(400) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(t.world.balance(&ida).await, Money::kr(400), "each credited its amount, the fees kept apart");
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn a_way_of_paying_nexi_does_not_have_is_refused_and_asks_nothing_of_nexi() {
    let (t, fake) = nexi_priced_by_method(&[("dankort", 0), ("visa_mastercard", 175)]).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let before = t.world.snapshot().await;
    for forged in ["nexi:bitcoin", "nexi:", "vipps:dankort"] {
        let answer = deposit(&browser, &ida, "200", forged).await;
        assert!(!answer.body.contains("provider-page"), "{forged}: {}", answer.body);
    }
    assert_eq!(t.world.snapshot().await, before, "no money moved");
    assert!(fake.payment_ids().is_empty(), "nothing asked of Nexi");
}

#[tokio::test]
async fn without_prices_per_method_nexi_is_one_choice_and_its_page_offers_every_card() {
    let (t, fake) = nexi_priced_by_method(&[]).await;
    let ida = t.world.child("Ida", Money::kr(100), None).await;
    let browser = t.signed_in(&ida.custodian_id).await;
    let form = browser.get(&format!("/portal/children/{}/deposit", ida.child_id)).await;
    assert!(!form.body.contains("nexi:dankort"), "{}", form.body);
    let page = provider_page(&deposit(&browser, &ida, "200", "nexi").await);
    assert!(fake.offered_methods(&payment_id(&page)).is_empty(), "every card");
}

#[test]
fn an_unknown_way_of_paying_or_a_negative_fee_is_a_start_up_error() {
    let mut settings = saldo_app::settings::Settings::default();
    settings.payments.providers = vec![ProviderName::Nexi];
    settings.nexi.method_fees = [("bitcoin".to_string(), 0), ("dankort".to_string(), -1)].into_iter().collect();
    let problems = settings.payment_problems();
    assert!(problems.iter().any(|p| p.contains("bitcoin")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("dankort = -1")), "{problems:?}");
}
