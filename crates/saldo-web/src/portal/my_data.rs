//! "Mine data": a person's copy of what Saldo holds about them and, for a
//! custodian, their children, as a readable page and a JSON file (GDPR art. 15).

use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use saldo_app::gdpr_export::{self, PersonalData};
use saldo_core::Money;

use crate::i18n::Tr;
use crate::page_error::{internal, render, PageError};
use crate::visitor::{Page, Signed};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/portal/my-data", get(page)).route("/portal/my-data.json", get(file))
}

/// A heading and its lines, for the readable copy.
pub(crate) struct Section {
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "portal/my_data.html")]
struct MyDataPage {
    p: Page,
    sections: Vec<Section>,
}

async fn page(State(state): State<AppState>, Signed(v, actor): Signed) -> Result<Response, PageError> {
    let data = gdpr_export::of_self(&state.app, &actor).await?;
    Ok(render(MyDataPage { sections: sections(&v.tr, &data), p: v.page(None) }))
}

async fn file(State(state): State<AppState>, Signed(_, actor): Signed) -> Result<Response, PageError> {
    let data = gdpr_export::of_self(&state.app, &actor).await?;
    json_file(&data)
}

/// The copy as a JSON file to keep.
pub(crate) fn json_file(data: &PersonalData) -> Result<Response, PageError> {
    let body = serde_json::to_string_pretty(data).map_err(internal)?;
    let headers = [
        (CONTENT_TYPE, "application/json; charset=utf-8"),
        (CONTENT_DISPOSITION, "attachment; filename=\"saldo-mine-data.json\""),
    ];
    Ok((headers, body).into_response())
}

fn money(tr: &Tr, ore: i64) -> String {
    tr.money(&Money::from_ore(ore))
}

/// A stored moment (RFC 3339, UTC) as people read it, in Danish time.
fn when(tr: &Tr, at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(moment) => tr.datetime(&moment.as_microsecond()),
        Err(_) => at.to_owned(),
    }
}

/// A stored code in words where the catalogue has them (`kind.deposit`), else as stored.
fn word(tr: &Tr, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}.{code}");
    if saldo_app::texts::has(&key.replace('.', "-")) {
        tr.t(&key).to_owned()
    } else {
        code.to_owned()
    }
}

/// The copy in words, section by section; the JSON file has the same in full.
pub(crate) fn sections(tr: &Tr, d: &PersonalData) -> Vec<Section> {
    let mut out = Vec::new();
    let p = &d.person;
    let mut me = vec![format!("{} {}", p.first_name, p.last_name)];
    me.extend(p.email.iter().cloned());
    me.extend(p.phone.iter().cloned());
    me.push(format!("{}: {}", tr.t("my_data.since"), when(tr, &p.created_at)));
    me.extend(p.staff_roles.iter().map(|r| format!("{}: {r}", tr.t("my_data.role"))));
    out.push(Section { title: tr.t("my_data.you").to_owned(), lines: me });
    let ties = d
        .relations
        .iter()
        .map(|r| format!("{} – {} ({})", r.child_name, word(tr, "my_data.relation", &r.kind), when(tr, &r.since)))
        .collect();
    out.push(Section { title: tr.t("my_data.relations").to_owned(), lines: ties });
    for c in &d.children {
        let mut lines = vec![
            format!("{}: {}", tr.t("child.balance"), money(tr, c.balance_ore)),
            format!("{}{}", c.school, c.class_name.as_ref().map(|k| format!(", {k}")).unwrap_or_default()),
        ];
        lines.extend(c.cards.iter().map(|k| format!("{}: {} ({})", tr.t("child.cards"), k.number, k.state)));
        lines.extend(c.adults.iter().cloned());
        lines.extend(
            c.statement
                .iter()
                .map(|m| format!("{} {} {}", when(tr, &m.at), word(tr, "kind", &m.kind), money(tr, m.amount_ore))),
        );
        lines.extend(
            c.declines.iter().map(|x| format!("{} {} {}", when(tr, &x.at), x.place, word(tr, "decline", &x.reason))),
        );
        lines.extend(
            c.support_access.iter().map(|a| format!("{} {} {} {}", when(tr, &a.at), a.who, a.action, a.reason)),
        );
        out.push(Section { title: c.name.clone(), lines });
    }
    let deposits = d.deposits.iter().map(|x| {
        format!("{} {} {} {}", when(tr, &x.at), money(tr, x.amount_ore), word(tr, "provider", &x.provider), x.status)
    });
    out.push(Section { title: tr.t("my_data.deposits").to_owned(), lines: deposits.collect() });
    let agreements = d.agreements.iter().map(|a| {
        format!("{} / {} {}", money(tr, a.threshold_ore), money(tr, a.amount_ore), a.card.clone().unwrap_or_default())
    });
    out.push(Section { title: tr.t("my_data.agreements").to_owned(), lines: agreements.collect() });
    let payouts =
        d.payouts.iter().map(|w| format!("{} {} {} {}", when(tr, &w.at), money(tr, w.amount_ore), w.method, w.status));
    out.push(Section { title: tr.t("my_data.payouts").to_owned(), lines: payouts.collect() });
    let invitations = d.invitations.iter().map(|i| format!("{} {}", when(tr, &i.at), i.email));
    out.push(Section { title: tr.t("my_data.invitations").to_owned(), lines: invitations.collect() });
    let mails = d.mails.iter().map(|m| format!("{} {}", when(tr, &m.queued_at), m.subject));
    out.push(Section { title: tr.t("my_data.mails").to_owned(), lines: mails.collect() });
    let activity = d.activity.iter().map(|e| format!("{} {} {}", when(tr, &e.at), e.action, e.detail));
    out.push(Section { title: tr.t("my_data.activity").to_owned(), lines: activity.collect() });
    out
}
