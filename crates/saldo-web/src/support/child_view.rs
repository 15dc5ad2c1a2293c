//! A child's file in words: each list of [`ChildFile`] as lines for the page.

use saldo_app::support::ChildFile;
use saldo_core::card::last4;
use saldo_core::lifecycle::DepositStatus;
use saldo_core::purchase::Decline;
use saldo_core::CardState;

use crate::i18n::{text, Msg, Tr};

pub struct CardLine {
    pub id: String,
    pub label: String,
    pub blockable: bool,
    pub unblockable: bool,
    pub form: String,
}

pub struct DeclineLine {
    pub when: String,
    pub place: String,
    pub card: String,
    pub reason: String,
    pub amount: String,
    pub balance: String,
}

pub struct DepositLine {
    pub id: String,
    pub when: String,
    pub amount: String,
    pub provider: String,
    pub reference: String,
    pub status: String,
    pub pending: bool,
    pub events: Vec<String>,
    pub form: String,
}

pub struct AdultLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub contact: String,
    pub mailable: bool,
    pub form: String,
}

pub struct InvitationLine {
    pub id: String,
    pub email: String,
    pub sent: String,
    pub form: String,
}

/// When, who, what: a line of a history.
pub struct Happened {
    pub when: String,
    pub who: String,
    pub what: String,
}

pub fn cards(tr: &Tr, file: &ChildFile) -> Vec<CardLine> {
    file.cards
        .iter()
        .map(|c| CardLine {
            id: c.id.to_string(),
            label: format!(
                "{} {} ({})",
                tr.t("card.ending"),
                last4(&c.number),
                tr.t(&format!("card.{}", c.state.as_str()))
            ),
            blockable: c.state == CardState::Active,
            unblockable: c.state == CardState::Blocked,
            form: format!("card-{}", c.id),
        })
        .collect()
}

/// The audit log's card lines: who blocked, ordered, activated, when.
pub fn card_history(tr: &Tr, file: &ChildFile) -> Vec<Happened> {
    file.card_history
        .iter()
        .map(|h| {
            let key = format!("support.history_{}", h.action.replace('.', "_"));
            let action = match tr.t(&key) {
                "…" => h.action.clone(),
                words => words.to_owned(),
            };
            Happened {
                when: tr.datetime(&h.at),
                who: h.actor_name.clone().unwrap_or_else(|| h.actor.clone()),
                what: format!("{action}: {}", h.detail),
            }
        })
        .collect()
}

pub fn declines(tr: &Tr, file: &ChildFile) -> Vec<DeclineLine> {
    file.declines
        .iter()
        .map(|d| {
            let reason = Decline::ALL.into_iter().find(|r| r.code() == d.reason);
            let mut words = reason.map_or_else(|| d.reason.clone(), |r| text(Msg::Declined(r), tr.lang).to_owned());
            if let Some(left) = d.left_today {
                words = format!("{words} ({})", tr.fill("support.left_today", &[("left", tr.money(&left))]));
            }
            if let Some(item) = &d.item {
                words = format!("{words}: {item}");
            }
            DeclineLine {
                when: tr.datetime(&d.at),
                place: format!("{}, {}", d.sales_point, d.till),
                card: last4(&d.card_number).to_owned(),
                reason: words,
                amount: tr.money(&d.total),
                balance: d.balance.map(|b| tr.money(&b)).unwrap_or_default(),
            }
        })
        .collect()
}

pub fn deposits(tr: &Tr, file: &ChildFile) -> Vec<DepositLine> {
    file.deposits
        .iter()
        .map(|f| {
            let d = &f.deposit;
            DepositLine {
                id: d.id.to_string(),
                when: tr.datetime(&d.created_at),
                amount: tr.money(&d.amount),
                provider: d.provider.clone(),
                reference: d.provider_ref.clone().unwrap_or_else(|| "–".into()),
                status: tr.t(&format!("support.deposit_{}", d.status.as_str())).to_owned(),
                pending: d.status == DepositStatus::Pending,
                events: f
                    .events
                    .iter()
                    .map(|e| {
                        let verified = tr.t(if e.verified { "support.verified" } else { "support.refused" });
                        format!("{}: {} ({verified}) {}", tr.datetime(&e.received_at), e.event, e.detail)
                    })
                    .collect(),
                form: format!("deposit-{}", d.id),
            }
        })
        .collect()
}

/// Each agreement with its terms, state and last charges, in one line each.
pub fn agreements(tr: &Tr, file: &ChildFile) -> Vec<(String, Vec<String>)> {
    file.agreements
        .iter()
        .map(|f| {
            let a = &f.agreement;
            let rule =
                tr.fill("agreement.rule", &[("threshold", tr.money(&a.threshold)), ("amount", tr.money(&a.amount))]);
            let state = tr.t(if a.active { "agreement.active" } else { "agreement.paused" });
            let charges = f
                .charges
                .iter()
                .map(|c| {
                    let status = tr.t(&format!("support.charge_{}", c.status.as_str()));
                    format!("{} – {status} ({} {})", tr.money(&c.amount), tr.t("support.attempt"), c.attempt)
                })
                .collect();
            (format!("{rule} – {} ({state})", a.owner_name), charges)
        })
        .collect()
}

pub fn adults(tr: &Tr, file: &ChildFile) -> Vec<AdultLine> {
    file.adults
        .iter()
        .map(|a| AdultLine {
            id: a.person_id.to_string(),
            name: a.name.clone(),
            kind: tr.t(&format!("support.kind_{}", a.kind)).to_owned(),
            contact: [a.email.clone(), a.phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(", "),
            mailable: a.email.is_some(),
            form: format!("person-{}", a.person_id),
        })
        .collect()
}

pub fn invitations(tr: &Tr, file: &ChildFile) -> Vec<InvitationLine> {
    file.invitations
        .iter()
        .map(|i| InvitationLine {
            id: i.id.clone(),
            email: i.email.clone(),
            sent: tr.datetime(&i.created_at),
            form: format!("invitation-{}", i.id),
        })
        .collect()
}

pub fn payouts(tr: &Tr, file: &ChildFile) -> Vec<String> {
    file.payouts
        .iter()
        .map(|w| {
            let status = tr.t(&format!("support.payout_{}", w.status.as_str()));
            format!("{}: {} – {} ({status})", tr.datetime(&w.created_at), tr.money(&w.amount), w.person_name)
        })
        .collect()
}

pub fn mails(tr: &Tr, file: &ChildFile) -> Vec<Happened> {
    file.mails
        .iter()
        .map(|m| Happened {
            when: match m.sent_at {
                Some(at) => tr.datetime(&at),
                None => format!("{} ({})", tr.datetime(&m.queued_at), tr.t("support.mail_waiting")),
            },
            who: m.to.clone(),
            what: m.subject.clone(),
        })
        .collect()
}

pub fn access(tr: &Tr, file: &ChildFile) -> Vec<Happened> {
    file.access.iter().map(|a| access_line(tr, a)).collect()
}

/// One line of the access log, as support and the custodians read it.
pub fn access_line(tr: &Tr, a: &saldo_app::support::AccessRow) -> Happened {
    let action = tr.t(&format!("support.did_{}", a.action));
    let reason = tr.t(&format!("support.reason_{}", a.reason));
    let why = if a.note.is_empty() { reason.to_owned() } else { format!("{reason}: {}", a.note) };
    Happened { when: tr.datetime(&a.at), who: a.person_name.clone(), what: format!("{action} – {why}") }
}

#[cfg(test)]
mod tests {
    use saldo_app::support::{Reason, ACTIONS};
    use saldo_core::lifecycle::{ChargeStatus, DepositStatus, Lifecycle, WithdrawalStatus};

    /// The console builds some keys from a reason, an action or a state: each must exist.
    #[test]
    fn every_text_built_from_parts_is_in_the_catalogue() {
        let mut keys: Vec<String> = Reason::ALL.iter().map(|r| format!("support-reason_{}", r.as_str())).collect();
        keys.extend(ACTIONS.iter().map(|a| format!("support-did_{a}")));
        keys.extend(DepositStatus::ALL.iter().map(|s| format!("support-deposit_{}", s.as_str())));
        keys.extend(ChargeStatus::ALL.iter().map(|s| format!("support-charge_{}", s.as_str())));
        keys.extend(WithdrawalStatus::ALL.iter().map(|s| format!("support-payout_{}", s.as_str())));
        keys.extend(["custodian", "relative"].iter().map(|k| format!("support-kind_{k}")));
        keys.extend(super::super::child::DONE.iter().map(|d| d.replace('.', "-")));
        for key in keys {
            assert!(saldo_app::texts::has(&key), "{key} is not in the catalogue");
        }
    }
}
