//! The support console (flow 8 of domain.md): the help desk finds an account
//! and reads one child's file to answer "why was Ida's card declined?". Every
//! look-up and every action asks for a reason, and is written to the audit log
//! and to the child's access log (which the custodians read on the portal).

use saldo_core::day::day_key;
use saldo_core::ids::{ChildId, PersonId};
use saldo_core::rights::{authorize, Action, Denied, Target};
pub use saldo_store::AccessRow;
use saldo_store::{
    AdultRow, Agreement, CardRow, ChargeRow, DeclineRow, DepositRow, FoundChild, HistoryRow, Invitation,
    PaymentEventRow, StoreError, WalletRow, WithdrawalRow,
};

use crate::auth::{Actor, Refusal};
use crate::cards::CardError;
use crate::family::FamilyError;
use crate::relatives::RelativeError;
use crate::views::CardOrderView;
use crate::App;

/// Why support opens an account: what the person on the line asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// telefon fra forælder
    ParentPhone,
    /// mail fra forælder
    ParentMail,
    /// henvendelse fra skolens eller klubbens kontor
    Office,
    /// henvendelse fra kantinen eller kiosken
    SalesPoint,
    /// anden grund (the note says which)
    Other,
}

impl Reason {
    pub const ALL: [Reason; 5] =
        [Reason::ParentPhone, Reason::ParentMail, Reason::Office, Reason::SalesPoint, Reason::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ParentPhone => "parent_phone",
            Reason::ParentMail => "parent_mail",
            Reason::Office => "office",
            Reason::SalesPoint => "sales_point",
            Reason::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// What support can do to an account, as the access log names it.
pub const ACTIONS: [&str; 7] =
    ["look_up", "card_block", "card_unblock", "card_order", "login_link", "invitation_cancel", "deposit_poll"];

/// A note is a line, not a case file.
pub const MAX_NOTE: usize = 200;

/// The reason support gave for one look-up or action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    pub reason: Reason,
    pub note: String,
}

impl Asked {
    /// The reason from a form: a choice from the list, and a note (needed for "other").
    pub fn new(reason: &str, note: &str) -> Result<Asked, SupportError> {
        let reason = Reason::parse(reason.trim()).ok_or(SupportError::NoReason)?;
        let note = note.trim();
        if note.chars().count() > MAX_NOTE {
            return Err(SupportError::NoteTooLong);
        }
        if reason == Reason::Other && note.is_empty() {
            return Err(SupportError::NoteMissing);
        }
        Ok(Asked { reason, note: note.to_owned() })
    }

    fn describe(&self) -> String {
        match self.note.is_empty() {
            true => format!("reason {}", self.reason.as_str()),
            false => format!("reason {}: {}", self.reason.as_str(), self.note),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("choose why you are looking")]
    NoReason,
    #[error("say in the note why, when the reason is \"other\"")]
    NoteMissing,
    #[error("the note is longer than {MAX_NOTE} characters")]
    NoteTooLong,
    #[error("the search is empty or too long")]
    QueryLength,
    #[error("the last digits of a card are searched with part of the child's name")]
    DigitsNeedName,
    #[error("that person has no e-mail address, or is not the child's")]
    NoSuchAdult,
    #[error("no pending invitation, or deposit, of that id for this child")]
    NotPending,
    #[error("the provider could not be asked: {0}")]
    Provider(String),
    #[error(transparent)]
    Card(#[from] CardError),
    #[error(transparent)]
    Family(#[from] FamilyError),
    #[error(transparent)]
    Relative(#[from] RelativeError),
    #[error(transparent)]
    Login(#[from] crate::auth::AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The check every support page and action makes: the support role, nothing
/// less. A refusal is audited: nobody else searches across families.
pub async fn authorize_console(app: &App, actor: &Actor) -> Result<(), Refusal> {
    match authorize(&actor.grants, Action::SupportConsole, &Target::default()) {
        Ok(_) => Ok(()),
        Err(denied) => {
            let mut tx = app.store.begin().await?;
            let detail = format!("SupportConsole: {denied}");
            tx.audit(&actor.label(), "denied", &actor.person_id, &detail, &actor.source, app.now()).await?;
            tx.commit().await?;
            Err(Refusal::Forbidden(Denied::NotAllowed))
        }
    }
}

/// Writes what support did to a child's account, and why, to the audit log
/// and to the access log the custodians read.
pub(crate) async fn record(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    action: &str,
    asked: &Asked,
    detail: &str,
) -> Result<(), StoreError> {
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.record_support_access(&actor.person_id, child_id, action, asked.reason.as_str(), &asked.note, now).await?;
    let detail = if detail.is_empty() { asked.describe() } else { format!("{detail}; {}", asked.describe()) };
    tx.audit(&actor.label(), &format!("support.{action}"), child_id, &detail, &actor.source, now).await?;
    tx.commit().await
}

/// A deposit with the provider's callbacks about it, oldest first.
#[derive(Clone, Debug)]
pub struct DepositFile {
    pub deposit: DepositRow,
    pub events: Vec<PaymentEventRow>,
}

/// A top-up agreement with its latest charges, newest first.
#[derive(Clone, Debug)]
pub struct AgreementFile {
    pub agreement: Agreement,
    pub charges: Vec<ChargeRow>,
}

/// A mail Saldo sent about the family: to whom, what it was about, when. Never its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub queued_at: i64,
    pub sent_at: Option<i64>,
}

/// Everything support sees about one child.
#[derive(Clone, Debug)]
pub struct ChildFile {
    pub child: FoundChild,
    pub wallet: Option<WalletRow>,
    pub spent_today: saldo_core::Money,
    /// Newest first.
    pub cards: Vec<CardRow>,
    pub card_history: Vec<HistoryRow>,
    pub declines: Vec<DeclineRow>,
    pub deposits: Vec<DepositFile>,
    pub agreements: Vec<AgreementFile>,
    pub adults: Vec<AdultRow>,
    pub invitations: Vec<Invitation>,
    pub orders: Vec<CardOrderView>,
    pub payouts: Vec<WithdrawalRow>,
    pub mails: Vec<SentMail>,
    pub access: Vec<AccessRow>,
}

/// How much of each list the file shows: the latest, enough for a call.
const RECENT: i64 = 10;

/// Opens a child's file for a reason; the look-up is recorded before anything is read.
pub async fn child_file(
    app: &App,
    actor: &Actor,
    child_id: &ChildId,
    asked: &Asked,
) -> Result<ChildFile, SupportError> {
    authorize_console(app, actor).await?;
    let child = app.store.found_child(child_id).await?.ok_or(Refusal::NotFound)?;
    record(app, actor, child_id, "look_up", asked, "").await?;
    let store = &app.store;
    let wallet = store.wallet_of_child(child_id).await?;
    let spent_today = wallet.as_ref().map_or(saldo_core::Money::ZERO, |w| w.spent_on(&day_key(app.now())));
    let mut cards = store.cards_of_child(child_id).await?;
    cards.reverse();
    let mut deposits = Vec::new();
    for deposit in store.deposits_of_child(child_id, RECENT).await? {
        let events = match &deposit.provider_ref {
            Some(reference) => store.payment_events(&deposit.provider, reference).await?,
            None => Vec::new(),
        };
        deposits.push(DepositFile { deposit, events });
    }
    let mut agreements = Vec::new();
    for agreement in store.agreements_on_child(child_id).await? {
        let mut charges = store.charges_of_agreement(&agreement.id).await?;
        charges.reverse();
        charges.truncate(3);
        agreements.push(AgreementFile { agreement, charges });
    }
    let adults = store.adults_of_child(child_id).await?;
    let mails = mails_to_family(app, &adults).await?;
    Ok(ChildFile {
        child,
        wallet,
        spent_today,
        cards,
        card_history: store.audit_history(child_id, "card.", RECENT).await?,
        declines: store.declines_of_child(child_id, RECENT).await?,
        deposits,
        agreements,
        invitations: store.pending_invitations(child_id, app.now()).await?,
        orders: crate::cards::orders_of(app, child_id).await?,
        payouts: store.withdrawals_of_child(child_id).await?,
        access: store.support_access_of(child_id, RECENT).await?,
        adults,
        mails,
    })
}

/// The latest mails to the child's adults: address, subject and time only,
/// so a login link in a mail's text never reaches the help desk's screen.
async fn mails_to_family(app: &App, adults: &[AdultRow]) -> Result<Vec<SentMail>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Head {
        to: String,
        subject: String,
    }
    let mut mails = Vec::new();
    for email in adults.iter().filter_map(|a| a.email.as_deref()) {
        for queued in app.store.mails_to(email, RECENT).await? {
            let Ok(head) = serde_json::from_str::<Head>(&queued.payload) else { continue };
            if head.to.eq_ignore_ascii_case(email) {
                let (queued_at, sent_at) = (queued.created_at, queued.done_at);
                mails.push(SentMail { to: head.to, subject: head.subject, queued_at, sent_at });
            }
        }
    }
    mails.sort_by_key(|m| std::cmp::Reverse(m.queued_at));
    mails.truncate(RECENT as usize);
    Ok(mails)
}

/// The person behind an adult row, if they are the child's and have an address.
pub(crate) async fn adult_of(app: &App, child_id: &ChildId, person_id: &PersonId) -> Result<AdultRow, SupportError> {
    app.store
        .adults_of_child(child_id)
        .await?
        .into_iter()
        .find(|a| a.person_id == *person_id && a.email.is_some())
        .ok_or(SupportError::NoSuchAdult)
}
