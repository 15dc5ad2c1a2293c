//! The fake Nexi's hosted payment page, standing in for Nexi's: a card
//! number, pay or cancel, then back to the merchant.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::html;
use super::nexi::{FakeNexi, APPROVED_CARD, DECLINED_CARD, DECLINES_LATER_CARD};

#[derive(Deserialize)]
pub(super) struct PageForm {
    #[serde(default)]
    card: String,
    #[serde(default)]
    expiry: String,
    choice: String,
}

pub(super) async fn page(
    State(fake): State<FakeNexi>,
    Path(id): Path<String>,
    query: axum::extract::RawQuery,
) -> Response {
    let Some(payment) = fake.payment(&id) else {
        return (StatusCode::NOT_FOUND, Html("<p>Unknown payment</p>".to_owned())).into_response();
    };
    let declined = query.0.unwrap_or_default().contains("declined=1");
    let kr = payment.order_details.amount as f64 / 100.0;
    let what =
        if payment.order_details.amount == 0 { "Gem kort / Save card".to_owned() } else { format!("DKK {kr:.2}") };
    let notice = if declined {
        "<p role=\"alert\"><strong>Kortet blev afvist / The card was declined.</strong></p>"
    } else {
        ""
    };
    Html(format!(
        "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Nexi Checkout (local fake)</title></head><body><h1>Nexi Checkout <small>(local fake)</small></h1>\
         <p>{}: <strong>{}</strong></p>{notice}\
         <form method=\"post\"><label>Kortnummer / Card number <input name=\"card\" value=\"{}\" autocomplete=\"off\"></label>\
         <label>Udløb / Expiry <input name=\"expiry\" value=\"12/30\"></label>\
         <button name=\"choice\" value=\"pay\">Betal / Pay</button> <button name=\"choice\" value=\"cancel\">Annullér / Cancel</button></form>\
         <p>Test: {} pays, {} is declined, {} saves but later charges are declined.</p></body></html>",
        html(&payment.order_details.reference),
        html(&what),
        html(APPROVED_CARD),
        html(APPROVED_CARD),
        html(DECLINED_CARD),
        html(DECLINES_LATER_CARD),
    ))
    .into_response()
}

pub(super) async fn decide(
    State(fake): State<FakeNexi>,
    Path(id): Path<String>,
    Form(form): Form<PageForm>,
) -> Response {
    let _ = form.expiry;
    let next = if form.choice == "pay" { fake.pay(&id, &form.card) } else { fake.cancel(&id) };
    match next {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => (StatusCode::CONFLICT, Html(format!("<p>{}</p>", html(&e)))).into_response(),
    }
}

/// A test card's brand by its first digits (Dankort's are 5019…).
pub(super) fn brand(number: &str) -> &'static str {
    if number.starts_with("5019") {
        "Dankort"
    } else if number.starts_with('4') {
        "Visa"
    } else {
        "MasterCard"
    }
}

/// The methods the payment's page offers (empty: every method).
impl FakeNexi {
    pub fn offered_methods(&self, payment_id: &str) -> Vec<String> {
        self.lock().payments.get(payment_id).map(|p| p.methods.clone()).unwrap_or_default()
    }
}
