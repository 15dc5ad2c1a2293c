//! Deposits (indbetalinger): the form, the provider's hosted page, the receipt.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_core::ids::{ChildId, DepositId};
use saldo_core::lifecycle::DepositStatus;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::i18n::Tr;
use crate::once::act_once;
use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;
use saldo_app::deposits::{self, DepositError};
use saldo_app::Actor;
use saldo_core::Money;

use super::ChildCard;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/children/{child}/deposit", get(deposit_form).post(deposit_start))
        .route("/portal/deposits/{deposit}", get(receipt))
        .route("/portal/deposits/{deposit}/status", get(receipt_status))
}

struct Quick {
    value: String,
    label: String,
}

/// A provider (or one of its ways of paying) as the form offers it: the
/// radio's value, and its name with its fee when there is one.
pub(super) struct ProviderOption {
    pub(super) name: String,
    pub(super) label: String,
}

/// The deposit forms' choices of how to pay, each with its fee.
pub(super) fn provider_options(tr: &Tr, choices: &[deposits::ProviderChoice]) -> Vec<ProviderOption> {
    choices
        .iter()
        .map(|pr| {
            let name = match pr.method {
                Some(method) => tr.t(&format!("method.{}", method.as_str())).to_owned(),
                None => tr.t(&format!("provider.{}", pr.name)).to_owned(),
            };
            let label = if pr.fee.is_positive() {
                tr.fill("deposit.provider_fee", &[("provider", name), ("fee", tr.money(&pr.fee))])
            } else {
                name
            };
            ProviderOption { name: pr.value(), label }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "portal/deposit.html")]
struct DepositPage {
    p: Page,
    c: ChildCard,
    limits: String,
    fee: String,
    quick: Vec<Quick>,
    providers: Vec<ProviderOption>,
    full: bool,
    /// The other amount exactly as the parent typed it.
    amount: String,
    /// "Betal {}", for the script that names the typed amount on its button.
    pay_template: String,
    /// What the typed amount's button says before the script runs.
    typed_button: String,
    error: Option<String>,
}

async fn deposit_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    amount: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let options = deposits::options(&state.app, actor, child).await?;
    let tr = v.tr;
    let limits = tr.fill(
        "deposit.limits",
        &[("min", tr.money(&options.min)), ("max", tr.money(&options.max)), ("room", tr.money(&options.room))],
    );
    let fee = if options.fee.is_positive() {
        tr.fill("deposit.fee", &[("fee", tr.money(&options.fee))])
    } else {
        tr.t("deposit.no_fee").into()
    };
    let pay = |amount: String| tr.fill("deposit.pay_amount", &[("amount", amount)]);
    let quick = options.quick_picks.iter().map(|q| Quick { value: q.plain_da(), label: pay(tr.money(q)) }).collect();
    let providers = provider_options(&tr, &options.providers);
    let typed_button = match amount.parse::<Money>() {
        Ok(typed) if typed.is_positive() => pay(tr.money(&typed)),
        _ => tr.t("deposit.pay").to_owned(),
    };
    Ok(render(DepositPage {
        c: ChildCard::new(&options.child, &tr),
        limits,
        fee,
        quick,
        providers,
        full: options.room < options.min,
        amount,
        pay_template: pay("{}".into()),
        typed_button,
        error,
        p: v.page(None),
    }))
}

async fn deposit_form(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
) -> Result<Response, PageError> {
    deposit_page(&state, &v, &actor, &child, String::new(), None).await
}

#[derive(Deserialize)]
struct DepositForm {
    #[serde(default)]
    quick: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    once: String,
    #[serde(default)]
    provider: String,
}

async fn deposit_start(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(child): Path<ChildId>,
    CsrfForm(mut form): CsrfForm<DepositForm>,
) -> Result<Response, PageError> {
    let once = std::mem::take(&mut form.once);
    act_once(&state, &actor, &once, start(&state, &v, &actor, &child, form)).await
}

async fn start(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    child: &ChildId,
    form: DepositForm,
) -> Result<Response, PageError> {
    // A quick pick is a button of its own form, so a posted one is what was pressed.
    let typed = if form.quick.is_empty() || form.quick == "other" { form.amount.clone() } else { form.quick.clone() };
    let Ok(amount) = typed.parse::<Money>() else {
        let error = v.tr.t("deposit.bad_amount").to_owned();
        return deposit_page(state, v, actor, child, form.amount, Some(error)).await;
    };
    let tr = v.tr;
    let provider = Some(form.provider.as_str()).filter(|p| !p.is_empty());
    let error = match deposits::start(&state.app, actor, child, amount, provider, tr.code()).await {
        Ok(redirect) => return Ok(crate::pay_callback::to_provider(v, state.app.settings.base(), &redirect)),
        Err(DepositError::BelowMin(min)) => tr.fill("deposit.below_min", &[("min", tr.money(&min))]),
        Err(DepositError::AboveMax(max)) => tr.fill("deposit.above_max", &[("max", tr.money(&max))]),
        Err(DepositError::OverCap { room }) => tr.fill(
            "deposit.over_cap",
            &[("cap", tr.money(&state.app.settings.deposits.max_balance())), ("room", tr.money(&room))],
        ),
        Err(DepositError::Refused(r)) => return Err(PageError::from(r)),
        Err(DepositError::Provider(saldo_pay::PayError::NotConfigured)) => tr.t("deposit.unavailable").to_owned(),
        Err(e) => return Err(internal(e)),
    };
    deposit_page(state, v, actor, child, form.amount, Some(error)).await
}

#[derive(Template)]
#[template(path = "portal/receipt.html")]
struct ReceiptPage {
    p: Page,
    id: DepositId,
    child: String,
    pending: bool,
    status_class: &'static str,
    message: &'static str,
    amount: String,
    fee: Option<String>,
    balance: Option<String>,
    /// One payment for several children: the others' names, parts and balances.
    others: Vec<OtherPart>,
}

struct OtherPart {
    name: String,
    amount: String,
    balance: Option<String>,
}

async fn receipt(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    Path(deposit): Path<DepositId>,
) -> Result<Response, PageError> {
    let (deposit, child) = deposits::view(&state.app, &actor, &deposit).await?;
    let confirmed = deposit.status == DepositStatus::Confirmed;
    let tr = v.tr;
    let others = deposits::other_parts(&state.app, &actor, &deposit)
        .await?
        .into_iter()
        .map(|(other, amount)| OtherPart {
            name: other.child.first_name.clone(),
            amount: tr.money(&amount),
            balance: confirmed.then(|| tr.money(&other.child.balance)),
        })
        .collect();
    let (status_class, message) = match deposit.status {
        DepositStatus::Confirmed => ("ok", tr.t("receipt.confirmed")),
        DepositStatus::Declined => ("bad", tr.t("receipt.declined")),
        DepositStatus::Cancelled => ("bad", tr.t("receipt.cancelled")),
        DepositStatus::Pending => ("wait", tr.t("receipt.pending")),
    };
    let page = ReceiptPage {
        id: deposit.id.clone(),
        child: child.child.first_name.clone(),
        pending: deposit.status == DepositStatus::Pending,
        status_class,
        message,
        amount: tr.money(&deposit.amount),
        fee: deposit.fee.is_positive().then(|| tr.money(&deposit.fee)),
        balance: confirmed.then(|| tr.money(&child.child.balance)),
        others,
        p: v.page(None),
    };
    Ok(render(page))
}

/// The deposit's state, for the receipt page's script to know when to reload.
async fn receipt_status(
    State(state): State<AppState>,
    Signed(_v, actor): Signed,
    Path(deposit): Path<DepositId>,
) -> Result<Response, PageError> {
    let (deposit, _) = deposits::view(&state.app, &actor, &deposit).await?;
    Ok(axum::Json(serde_json::json!({ "status": deposit.status })).into_response())
}
