//! One payment for several children: an amount per child, paid at once.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use saldo_app::deposits::{self, DepositError};
use saldo_app::{family, Actor};
use saldo_core::ids::ChildId;
use saldo_core::rights::Action;
use saldo_core::Money;

use crate::csrf::CsrfForm;
use crate::once::act_once;
use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Signed, Visitor};
use crate::AppState;

use super::deposits::{provider_options, ProviderOption};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal/deposit", get(form).post(pay))
}

struct ChildAmount {
    id: ChildId,
    label: String,
    hint: String,
    /// As the payer typed it (kept after an error).
    amount: String,
}

#[derive(Template)]
#[template(path = "portal/deposit_several.html")]
struct SeveralPage {
    p: Page,
    children: Vec<ChildAmount>,
    providers: Vec<ProviderOption>,
    fee: String,
    error: Option<String>,
}

/// The children this person may put money in for, with what fits on each.
async fn page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    typed: &[(ChildId, String)],
    error: Option<String>,
) -> Result<Response, PageError> {
    let tr = v.tr;
    let mut children = Vec::new();
    let mut providers = Vec::new();
    let mut fee = Money::ZERO;
    for view in family::overview(&state.app, actor).await.map_err(internal)? {
        // Custodians and relatives alike may put money in.
        let id = view.child.child_id.clone();
        let options = deposits::options(&state.app, actor, &id).await?;
        if providers.is_empty() {
            fee = options.fee;
            providers = provider_options(&tr, &options.providers);
        }
        let amount = typed.iter().find(|(c, _)| *c == id).map(|(_, a)| a.clone()).unwrap_or_default();
        let hint =
            tr.fill("several.hint", &[("balance", tr.money(&view.child.balance)), ("room", tr.money(&options.room))]);
        children.push(ChildAmount { id, label: view.child.first_name.clone(), hint, amount });
    }
    let fee = if fee.is_positive() {
        tr.fill("deposit.fee", &[("fee", tr.money(&fee))])
    } else {
        tr.t("deposit.no_fee").into()
    };
    Ok(render(SeveralPage { p: v.page(None), children, providers, fee, error }))
}

async fn form(State(state): State<AppState>, Signed(v, actor): Signed) -> Result<Response, PageError> {
    page(&state, &v, &actor, &[], None).await
}

/// The form's fields in order: `child` then its `amount`, for each child.
async fn pay(
    State(state): State<AppState>,
    Signed(v, actor): Signed,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let once = value("once");
    act_once(&state, &actor, &once, start(&state, &v, &actor, &fields)).await
}

async fn start(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    fields: &[(String, String)],
) -> Result<Response, PageError> {
    let tr = v.tr;
    let mut typed: Vec<(ChildId, String)> = Vec::new();
    for (name, value) in fields {
        match name.as_str() {
            "child" => typed.push((ChildId::new(value.trim()), String::new())),
            "amount" => {
                if let Some(last) = typed.last_mut() {
                    last.1 = value.trim().to_owned();
                }
            }
            _ => {}
        }
    }
    let mut parts = Vec::new();
    for (child, amount) in typed.iter().filter(|(_, a)| !a.is_empty()) {
        match amount.parse::<Money>() {
            Ok(money) => parts.push((child.clone(), money)),
            Err(_) => {
                let name = family::child(&state.app, actor, child, Action::Deposit).await?.child.first_name;
                let error = tr.fill("several.bad_amount", &[("child", name)]);
                return page(state, v, actor, &typed, Some(error)).await;
            }
        }
    }
    if parts.is_empty() {
        return page(state, v, actor, &typed, Some(tr.t("several.none").to_owned())).await;
    }
    let provider = fields.iter().find(|(k, _)| k == "provider").map(|(_, p)| p.as_str()).filter(|p| !p.is_empty());
    let error = match deposits::start_for_several(&state.app, actor, &parts, provider, tr.code()).await {
        Ok(redirect) => return Ok(crate::pay_callback::to_provider(v, state.app.settings.base(), &redirect)),
        Err(DepositError::Part { child, error }) => format!("{child}: {}", limit_error(state, v, *error)?),
        Err(e) => limit_error(state, v, e)?,
    };
    page(state, v, actor, &typed, Some(error)).await
}

/// A limit a part broke, in words; anything else is the page's error.
fn limit_error(state: &AppState, v: &Visitor, e: DepositError) -> Result<String, PageError> {
    let tr = v.tr;
    Ok(match e {
        DepositError::BelowMin(min) => tr.fill("deposit.below_min", &[("min", tr.money(&min))]),
        DepositError::AboveMax(max) => tr.fill("deposit.above_max", &[("max", tr.money(&max))]),
        DepositError::OverCap { room } => tr.fill(
            "deposit.over_cap",
            &[("cap", tr.money(&state.app.settings.deposits.max_balance())), ("room", tr.money(&room))],
        ),
        DepositError::Children => tr.t("several.none").to_owned(),
        DepositError::Provider(saldo_pay::PayError::NotConfigured) => tr.t("deposit.unavailable").to_owned(),
        DepositError::Refused(r) => return Err(PageError::from(r)),
        other => return Err(internal(other)),
    })
}
