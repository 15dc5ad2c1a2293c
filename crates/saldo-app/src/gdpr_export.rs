//! A person's copy of what Saldo holds about them (GDPR art. 15): their own
//! data, and for a custodian, their children's. The portal hands it to the
//! person; the operator fetches it for someone who asks by letter or phone
//! (audited). Relatives get what is theirs: their ties, payments and mails.

use saldo_core::ids::{ChildId, PersonId};
use saldo_core::rights::{authorize, Action, Denied, Target};
use saldo_store::{PersonRecord, StatementQuery, StoreError};
use serde::Serialize;

use crate::auth::{Actor, Refusal};
use crate::App;

/// Everything about one person, as the JSON file and the readable page show it.
#[derive(Clone, Debug, Serialize)]
pub struct PersonalData {
    pub generated_at: String,
    pub person: PersonPart,
    pub relations: Vec<RelationPart>,
    /// The children the person has custody of, each with all Saldo holds about them.
    pub children: Vec<ChildPart>,
    pub deposits: Vec<DepositPart>,
    pub agreements: Vec<AgreementPart>,
    pub payouts: Vec<PayoutPart>,
    pub invitations: Vec<InvitationPart>,
    pub mails: Vec<MailPart>,
    /// The audit log about the person: logins, links sent, changes.
    pub activity: Vec<EventPart>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PersonPart {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub created_at: String,
    pub staff_roles: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RelationPart {
    pub child_id: String,
    pub child_name: String,
    pub kind: String,
    pub since: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChildPart {
    pub id: String,
    pub name: String,
    pub school: String,
    pub class_name: Option<String>,
    pub balance_ore: i64,
    pub daily_limit_ore: Option<i64>,
    pub account_open: bool,
    pub cards: Vec<CardPart>,
    pub statement: Vec<MovePart>,
    pub declines: Vec<DeclinePart>,
    pub card_orders: Vec<OrderPart>,
    pub adults: Vec<String>,
    pub support_access: Vec<AccessPart>,
    pub history: Vec<EventPart>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CardPart {
    pub number: String,
    pub state: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MovePart {
    pub at: String,
    pub kind: String,
    pub amount_ore: i64,
    pub balance_after_ore: i64,
    pub place: Option<String>,
    pub items: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeclinePart {
    pub at: String,
    pub place: String,
    pub reason: String,
    pub total_ore: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct OrderPart {
    pub at: String,
    pub state: String,
    pub office: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AccessPart {
    pub at: String,
    pub who: String,
    pub action: String,
    pub reason: String,
    pub note: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepositPart {
    pub at: String,
    pub child_id: String,
    pub amount_ore: i64,
    pub fee_ore: i64,
    pub provider: String,
    pub provider_ref: Option<String>,
    pub status: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreementPart {
    pub child_id: String,
    pub threshold_ore: i64,
    pub amount_ore: i64,
    pub provider: String,
    pub active: bool,
    /// The saved card as the provider told it: last four digits and expiry, never the token.
    pub card: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PayoutPart {
    pub at: String,
    pub child_id: String,
    pub amount_ore: i64,
    pub method: String,
    pub bank_account: Option<String>,
    pub status: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct InvitationPart {
    pub at: String,
    pub child_id: String,
    pub email: String,
    pub message: String,
    pub accepted: bool,
    pub withdrawn: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct MailPart {
    pub queued_at: String,
    pub sent_at: Option<String>,
    pub subject: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct EventPart {
    pub at: String,
    pub action: String,
    pub detail: String,
}

/// A moment as RFC 3339 (UTC), the way the file states every time.
fn at(micros: i64) -> String {
    jiff::Timestamp::from_microsecond(micros).map(|t| t.to_string()).unwrap_or_default()
}

/// The signed-in person's own copy. Fetching it is audited like any access to personal data.
pub async fn of_self(app: &App, actor: &Actor) -> Result<PersonalData, Refusal> {
    let data = collect(app, &actor.person_id).await?.ok_or(Refusal::NotFound)?;
    let mut tx = app.store.begin().await?;
    tx.audit(&actor.label(), "gdpr.export", &actor.person_id, "own copy", &actor.source, app.now()).await?;
    tx.commit().await?;
    Ok(data)
}

/// The operator's copy for a person who asked, found by e-mail; audited with who fetched it.
pub async fn for_request(app: &App, actor: &Actor, email: &str) -> Result<Option<PersonalData>, Refusal> {
    if let Err(denied) = authorize(&actor.grants, Action::PersonalDataRequest, &Target::default()) {
        let mut tx = app.store.begin().await?;
        let detail = format!("PersonalDataRequest: {denied}");
        tx.audit(&actor.label(), "denied", &actor.person_id, &detail, &actor.source, app.now()).await?;
        tx.commit().await?;
        return Err(Refusal::Forbidden(Denied::NotAllowed));
    }
    let email = email.trim().to_lowercase();
    if email.len() > 254 || !email.contains('@') {
        return Ok(None);
    }
    let Some(person) = app.store.person_by_email(&email).await? else { return Ok(None) };
    let data = collect(app, &person.id).await?;
    let mut tx = app.store.begin().await?;
    tx.audit(&actor.label(), "gdpr.export", &person.id, "copy fetched by the operator", &actor.source, app.now())
        .await?;
    tx.commit().await?;
    Ok(data)
}

async fn collect(app: &App, person_id: &PersonId) -> Result<Option<PersonalData>, StoreError> {
    let store = &app.store;
    let Some(record) = store.person_record(person_id).await? else { return Ok(None) };
    let relations = store.relations_of_person(person_id).await?;
    let mut children = Vec::new();
    for relation in relations.iter().filter(|r| r.kind == "custodian") {
        if let Some(child) = child_part(app, &relation.child_id).await? {
            children.push(child);
        }
    }
    let email = record.email.clone().unwrap_or_default();
    Ok(Some(PersonalData {
        generated_at: app.now().to_string(),
        person: person_part(app, &record).await?,
        relations: relations
            .iter()
            .map(|r| RelationPart {
                child_id: r.child_id.to_string(),
                child_name: r.child_name.clone(),
                kind: r.kind.clone(),
                since: at(r.since),
            })
            .collect(),
        children,
        deposits: store
            .deposits_by_person(person_id)
            .await?
            .into_iter()
            .map(|d| DepositPart {
                at: at(d.created_at),
                child_id: d.child_id.to_string(),
                amount_ore: d.amount.ore(),
                fee_ore: d.fee.ore(),
                provider: d.provider,
                provider_ref: d.provider_ref,
                status: d.status.as_str().to_owned(),
            })
            .collect(),
        agreements: store
            .agreements_of_person(person_id)
            .await?
            .into_iter()
            .map(|a| AgreementPart {
                child_id: a.child_id.to_string(),
                threshold_ore: a.threshold.ore(),
                amount_ore: a.amount.ore(),
                provider: a.provider,
                active: a.active,
                card: a.card.map(|c| format!("…{} {}", c.last4, c.expires)),
            })
            .collect(),
        payouts: payouts(app, person_id).await?,
        invitations: store
            .invitations_of_person(person_id, &email)
            .await?
            .into_iter()
            .map(|i| InvitationPart {
                at: at(i.created_at),
                child_id: i.child_id.to_string(),
                email: i.email,
                message: i.message,
                accepted: i.accepted_at.is_some(),
                withdrawn: i.withdrawn_at.is_some(),
            })
            .collect(),
        mails: mails(app, record.email.as_deref()).await?,
        activity: events(app, person_id.as_str()).await?,
    }))
}

async fn payouts(app: &App, person_id: &PersonId) -> Result<Vec<PayoutPart>, StoreError> {
    Ok(app
        .store
        .withdrawals_by_person(person_id)
        .await?
        .into_iter()
        .map(|w| PayoutPart {
            at: at(w.created_at),
            child_id: w.child_id.to_string(),
            amount_ore: w.amount.ore(),
            method: w.method.as_str().to_owned(),
            bank_account: w.bank_account,
            status: w.status.as_str().to_owned(),
        })
        .collect())
}

async fn person_part(app: &App, record: &PersonRecord) -> Result<PersonPart, StoreError> {
    let roles = app.store.grants_of(&record.id).await?;
    Ok(PersonPart {
        id: record.id.to_string(),
        first_name: record.first_name.clone(),
        last_name: record.last_name.clone(),
        email: record.email.clone(),
        phone: record.phone.clone(),
        language: record.lang.clone(),
        created_at: at(record.created_at),
        staff_roles: roles
            .iter()
            .filter(|g| {
                !matches!(
                    g,
                    saldo_core::rights::Grant::CustodianOf { .. } | saldo_core::rights::Grant::RelativeOf { .. }
                )
            })
            .map(|g| format!("{:?}", g.role()))
            .collect(),
    })
}

/// Subjects and times of the mails to the address; their text held login links and is not kept for this.
async fn mails(app: &App, email: Option<&str>) -> Result<Vec<MailPart>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Head {
        to: String,
        subject: String,
    }
    let Some(email) = email else { return Ok(Vec::new()) };
    let mut mails = Vec::new();
    for queued in app.store.mails_to(email, 10_000).await? {
        let Ok(head) = serde_json::from_str::<Head>(&queued.payload) else { continue };
        if head.to.eq_ignore_ascii_case(email) {
            mails.push(MailPart {
                queued_at: at(queued.created_at),
                sent_at: queued.done_at.map(at),
                subject: head.subject,
            });
        }
    }
    Ok(mails)
}

async fn events(app: &App, subject: &str) -> Result<Vec<EventPart>, StoreError> {
    Ok(app
        .store
        .audit_history(subject, "", 10_000)
        .await?
        .into_iter()
        .map(|h| EventPart { at: at(h.at), action: h.action, detail: h.detail })
        .collect())
}

async fn child_part(app: &App, child_id: &ChildId) -> Result<Option<ChildPart>, StoreError> {
    let store = &app.store;
    let Some(child) = store.found_child(child_id).await? else { return Ok(None) };
    let wallet = store.wallet_of_child(child_id).await?;
    let statement = match &wallet {
        Some(w) => {
            let query =
                StatementQuery { wallet_id: w.id.clone(), from: None, to: None, before_seq: None, limit: 10_000 };
            store.statement(&query).await?
        }
        None => Vec::new(),
    };
    Ok(Some(ChildPart {
        id: child.id.to_string(),
        name: format!("{} {}", child.first_name, child.last_name),
        school: child.school,
        class_name: child.class_name,
        balance_ore: wallet.as_ref().map_or(0, |w| w.balance.ore()),
        daily_limit_ore: wallet.as_ref().and_then(|w| w.daily_limit).map(|l| l.ore()),
        account_open: wallet.as_ref().is_some_and(|w| w.open),
        cards: store
            .cards_of_child(child_id)
            .await?
            .into_iter()
            .map(|c| CardPart { number: c.number, state: c.state.as_str().to_owned() })
            .collect(),
        statement: statement
            .into_iter()
            .map(|l| MovePart {
                at: at(l.at),
                kind: l.kind,
                amount_ore: l.amount.ore(),
                balance_after_ore: l.balance_after.ore(),
                place: l.place,
                items: l
                    .lines
                    .into_iter()
                    .map(|(name, n, amount)| format!("{n} × {name}: {}", amount.plain_da()))
                    .collect(),
            })
            .collect(),
        declines: store
            .declines_of_child(child_id, 10_000)
            .await?
            .into_iter()
            .map(|d| DeclinePart { at: at(d.at), place: d.sales_point, reason: d.reason, total_ore: d.total.ore() })
            .collect(),
        card_orders: store
            .card_orders_of_child(child_id, 1_000)
            .await?
            .into_iter()
            .map(|o| OrderPart { at: at(o.created_at), state: o.state.as_str().to_owned(), office: o.office_name })
            .collect(),
        adults: store
            .adults_of_child(child_id)
            .await?
            .into_iter()
            .map(|a| format!("{} ({})", a.name, a.kind))
            .collect(),
        support_access: store
            .support_access_of(child_id, 10_000)
            .await?
            .into_iter()
            .map(|a| AccessPart { at: at(a.at), who: a.person_name, action: a.action, reason: a.reason, note: a.note })
            .collect(),
        history: events(app, child_id.as_str()).await?,
    }))
}
