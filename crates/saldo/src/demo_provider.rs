//! `saldo demo --provider …`: the demo paying through a local fake of Nexi
//! Checkout or Vipps MobilePay started in its own process, or through a
//! localstripe.

use saldo_app::Settings;

/// What `--provider` and `--stripe-url` asked for.
pub struct Choice {
    pub provider: String,
    pub stripe_url: String,
}

/// The demo's settings for `--provider`: the local fake started and named
/// first, the sandbox still there (the demo always has it).
pub async fn settings(mut settings: Settings, choice: &Choice) -> anyhow::Result<Settings> {
    let (provider, stripe_url) = (choice.provider.as_str(), choice.stripe_url.as_str());
    use saldo_app::settings::ProviderName;
    let callback = |name: &str| format!("{}/pay/callback/{name}", settings.base());
    match provider {
        // A fake serves from its own task for as long as the process runs.
        "nexi" => {
            let fake = saldo_pay::fake::nexi::FakeNexi::start("test-secret-key-demo").await?;
            println!(
                "A local Nexi Checkout (fake) listens at {}; test card {}.",
                fake.url(),
                saldo_pay::fake::nexi::APPROVED_CARD
            );
            settings.payments.providers = vec![ProviderName::Nexi];
            settings.nexi.base_url = fake.url().to_owned();
            settings.nexi.secret_key = "test-secret-key-demo".into();
            settings.nexi.webhook_key = "the-demo-webhook-key-not-a-secret".into();
            settings.nexi.terms_url = format!("{}/", settings.base());
        }
        "vipps" => {
            let keys = saldo_pay::fake::vipps::Keys::test();
            let fake = saldo_pay::fake::vipps::FakeVipps::start(keys.clone()).await?;
            let secret = fake.register_webhook(&callback("vipps"), saldo_pay::vipps::EVENTS);
            println!("A local Vipps MobilePay (fake) listens at {}; approve on its page.", fake.url());
            settings.payments.providers = vec![ProviderName::Vipps];
            settings.vipps.base_url = fake.url().to_owned();
            settings.vipps.client_id = keys.client_id;
            settings.vipps.client_secret = keys.client_secret;
            settings.vipps.subscription_key = keys.subscription_key;
            settings.vipps.merchant_serial_number = keys.merchant_serial_number;
            settings.vipps.webhook_secret = secret;
        }
        "stripe" => {
            let secret = "whsec_saldo_demo";
            let reachable = register_localstripe_webhook(stripe_url, &callback("stripe"), secret).await;
            if let Err(e) = reachable {
                anyhow::bail!(
                    "localstripe is not reachable at {stripe_url} ({e}); start one with `.ci/localstripe 8420`"
                );
            }
            println!("Paying through the localstripe at {stripe_url}; test card 4242 4242 4242 4242.");
            settings.payments.providers = vec![ProviderName::Stripe];
            settings.stripe.base_url = stripe_url.to_owned();
            settings.stripe.secret_key = "sk_test_saldo_demo".into();
            settings.stripe.publishable_key = "pk_test_saldo_demo".into();
            settings.stripe.webhook_secret = secret.into();
        }
        _ => {}
    }
    Ok(settings)
}

/// Registers Saldo's callback with a localstripe (its own `/_config/webhooks` endpoint).
async fn register_localstripe_webhook(stripe_url: &str, callback: &str, secret: &str) -> anyhow::Result<()> {
    let form = [
        ("url", callback),
        ("secret", secret),
        ("events[]", "payment_intent.succeeded"),
        ("events[]", "payment_intent.payment_failed"),
        ("events[]", "payment_intent.canceled"),
    ];
    let url = format!("{}/_config/webhooks/saldo-demo", stripe_url.trim_end_matches('/'));
    let answer = reqwest::Client::new().post(url).form(&form).send().await?;
    anyhow::ensure!(answer.status().is_success(), "it answered {}", answer.status());
    Ok(())
}
