//! `saldo till-sale`: one sale through the till API, as a till sends it, with
//! the request and the answer printed. It tries a demo (`--credentials
//! demo.json`) with nothing but Rust installed, and checks a real till's
//! connection (`--url`, `--token`).

use std::path::PathBuf;

use anyhow::{bail, Context};
use serde_json::{json, Value};

#[derive(clap::Args, Debug)]
pub struct TillSale {
    /// The demo's credentials file (`saldo demo --credentials-out demo.json`): its address, first till and first card.
    #[arg(long)]
    credentials: Option<PathBuf>,
    /// Where Saldo answers, e.g. http://127.0.0.1:8080 (default: the credentials file's).
    #[arg(long)]
    url: Option<String>,
    /// The till's device token (default: the credentials file's first till).
    #[arg(long, env = "SALDO_TILL_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The card number or chip id the reader gives (default: the credentials file's first card).
    #[arg(long)]
    card: Option<String>,
    /// The product, by the start of its name (default: the menu's first).
    #[arg(long)]
    product: Option<String>,
    #[arg(long, default_value_t = 1)]
    quantity: i64,
}

/// What a sale needs, from the flags or else the demo's credentials.
struct Till {
    url: String,
    token: String,
    card: String,
}

impl TillSale {
    fn till(&self) -> anyhow::Result<Till> {
        let demo: Value = match &self.credentials {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
                serde_json::from_str(&text)
                    .with_context(|| format!("{} is not the demo's credentials", path.display()))?
            }
            None => Value::Null,
        };
        let pick = |given: &Option<String>, found: &Value, what: &str| match (given, found.as_str()) {
            (Some(value), _) => Ok(value.clone()),
            (None, Some(value)) => Ok(value.to_owned()),
            (None, None) => bail!("give --{what}, or --credentials with a demo's credentials file"),
        };
        Ok(Till {
            url: pick(&self.url, &demo["base_url"], "url")?.trim_end_matches('/').to_owned(),
            token: pick(&self.token, &demo["tills"][0]["token"], "token")?,
            card: pick(&self.card, &demo["cards"][0]["number"], "card")?,
        })
    }
}

/// Reads the till's menu, sells one line of it, and prints both ways of the exchange.
pub async fn run(sale: TillSale) -> anyhow::Result<bool> {
    let till = sale.till()?;
    let http = reqwest::Client::new();
    let menu: Value = http
        .get(format!("{}/api/v1/till/products", till.url))
        .bearer_auth(&till.token)
        .send()
        .await
        .with_context(|| format!("cannot reach Saldo at {}", till.url))?
        .error_for_status()
        .context("the till's token was refused (a demo makes new tokens at each start)")?
        .json()
        .await?;
    let wanted = sale.product.as_deref().unwrap_or_default().to_lowercase();
    let product = menu
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"].as_str().is_some_and(|name| name.to_lowercase().starts_with(&wanted)))
        .with_context(|| format!("no product on this till's menu starts with {wanted:?}"))?;
    let key = format!("till-sale-{:032x}", rand::random::<u128>());
    let body = json!({"card": till.card, "lines": [{"product_id": product["id"], "quantity": sale.quantity}]});
    println!(
        "POST {}/api/v1/till/purchases\nIdempotency-Key: {key}\n{}\n",
        till.url,
        serde_json::to_string_pretty(&body)?
    );
    let answer = http
        .post(format!("{}/api/v1/till/purchases", till.url))
        .bearer_auth(&till.token)
        .header("Idempotency-Key", &key)
        .json(&body)
        .send()
        .await?;
    let status = answer.status();
    let text = answer.text().await?;
    let shown = serde_json::from_str::<Value>(&text).and_then(|v| serde_json::to_string_pretty(&v)).unwrap_or(text);
    println!("{} {}\n{shown}", status.as_u16(), status.canonical_reason().unwrap_or_default());
    Ok(status.is_success())
}
