//! Mails Saldo sends, in the recipient's language, readable as plain text.

use serde::{Deserialize, Serialize};

/// A mail as queued in the outbox and handed to SMTP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

const SIGNATURE_DA: &str =
    "Venlig hilsen\nSkole og Klub\n\nSpørgsmål? Ring til support på 71 99 54 45 (hverdage 8–15).";
const SIGNATURE_EN: &str = "Kind regards\nSkole og Klub\n\nQuestions? Call support on +45 71 99 54 45 (weekdays 8–15).";

pub fn login_link(to: &str, first_name: &str, link: &str, minutes: u64, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        (
            "Your login link for Saldo".to_owned(),
            format!(
                "Hello {first_name}\n\nOpen this link to log in to Saldo:\n\n{link}\n\n\
                 The link works once and for {minutes} minutes. If you did not ask for it, ignore this mail.\n\n{SIGNATURE_EN}\n"
            ),
        )
    } else {
        (
            "Dit login-link til Saldo".to_owned(),
            format!(
                "Hej {first_name}\n\nÅbn dette link for at logge ind på Saldo:\n\n{link}\n\n\
                 Linket virker én gang og i {minutes} minutter. Har du ikke bedt om det, kan du se bort fra denne mail.\n\n{SIGNATURE_DA}\n"
            ),
        )
    };
    Mail { to: to.to_owned(), subject, text }
}

pub fn deposit_receipt(to: &str, child: &str, amount: &str, balance: &str, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        (
            format!("Receipt: {amount} for {child}"),
            format!(
                "Hello\n\nWe have received {amount} for {child}. The balance is now {balance}.\n\n{SIGNATURE_EN}\n"
            ),
        )
    } else {
        (
            format!("Kvittering: {amount} til {child}"),
            format!("Hej\n\nVi har modtaget {amount} til {child}. Saldoen er nu {balance}.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text }
}
