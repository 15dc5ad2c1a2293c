//! Mails Saldo sends, in the recipient's language, readable as plain text.

use serde::{Deserialize, Serialize};

use saldo_core::top_up::PauseReason;

/// A mail as queued in the outbox and handed to SMTP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// `da` or `en`, for the HTML part's `lang`.
    #[serde(default)]
    pub lang: String,
}

/// An amount as the recipient reads it: `1.234,50 kr.` or `DKK 1,234.50`.
pub fn money(amount: saldo_core::Money, lang: &str) -> String {
    if lang == "en" {
        amount.display_en()
    } else {
        amount.display_da()
    }
}

impl Mail {
    /// The same words as simple HTML, for mail programs that prefer it:
    /// paragraphs, line breaks and clickable links, nothing that needs images or styles.
    pub fn html(&self) -> String {
        let paragraphs: Vec<String> = self
            .text
            .trim_end()
            .split("\n\n")
            .map(|paragraph| {
                let lines: Vec<String> = paragraph.lines().map(html_line).collect();
                format!("<p>{}</p>", lines.join("<br>\n"))
            })
            .collect();
        let lang = if self.lang == "en" { "en" } else { "da" };
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{}\n</body></html>\n",
            escape(&self.subject),
            paragraphs.join("\n")
        )
    }
}

/// A line of text; a line that is a link and nothing else (as Saldo writes
/// its own links) becomes clickable. A link inside other words, such as a
/// relative's own note, stays text: an official mail offers no one else's links.
fn html_line(line: &str) -> String {
    let alone = line.trim();
    if (alone.starts_with("https://") || alone.starts_with("http://")) && !alone.contains(char::is_whitespace) {
        let href = escape(alone);
        format!("<a href=\"{href}\">{href}</a>")
    } else {
        escape(line)
    }
}

/// A Danish genitive: "Idas", but "Jens'" (a name ending in s, x or z takes an apostrophe).
fn genitive_da(name: &str) -> String {
    if name.ends_with(['s', 'x', 'z', 'S', 'X', 'Z']) {
        format!("{name}'")
    } else {
        format!("{name}s")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
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
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
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
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

pub fn top_up_done(to: &str, child: &str, amount: &str, balance: &str, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        (
            format!("Automatic top-up: {amount} for {child}"),
            format!("Hello\n\nThe balance for {child} fell below your limit, so we topped it up with {amount} from your saved card. The balance is now {balance}.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        (
            format!("Automatisk optankning: {amount} til {child}"),
            format!("Hej\n\nSaldoen for {child} kom under din grænse, så vi har sat {amount} ind fra dit gemte kort. Saldoen er nu {balance}.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

/// An automatic top-up was declined; it is tried again before the agreement pauses.
pub fn top_up_failed(to: &str, child: &str, tries: i64, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        (
            format!("Automatic top-up for {child} failed"),
            format!("Hello\n\nWe could not top up the balance for {child}: your card was declined. No money was taken. We will try again; after {tries} declines in a row the automatic top-up pauses.\n\nIf the card is blocked or has expired, log in to Saldo and save a new card.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        (
            format!("Automatisk optankning for {child} mislykkedes"),
            format!("Hej\n\nVi kunne ikke sætte penge ind for {child}: dit kort blev afvist. Der er ikke trukket penge. Vi prøver igen; efter {tries} afvisninger i træk sættes den automatiske optankning på pause.\n\nEr kortet spærret eller udløbet, så log ind på Saldo og gem et nyt kort.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

/// The agreement stopped: the card was declined too often, or needs its holder.
pub fn top_up_paused(to: &str, child: &str, reason: PauseReason, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        let why = match reason {
            PauseReason::NeedsCardholder => "your bank wants you to approve the payment yourself",
            PauseReason::Declined => "your card was declined several times",
            PauseReason::Unreachable => "we could not reach the payment service, however often we tried",
        };
        (
            format!("Automatic top-up for {child} is paused"),
            format!("Hello\n\nWe could not top up the balance for {child}: {why}. No money was taken. The automatic top-up is paused.\n\nLog in to Saldo to save a card again or top up by hand.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        let why = match reason {
            PauseReason::NeedsCardholder => "din bank vil have, at du selv godkender betalingen",
            PauseReason::Declined => "dit kort blev afvist flere gange",
            PauseReason::Unreachable => {
                "vi kunne ikke få forbindelse til betalingstjenesten, selv om vi prøvede flere gange"
            }
        };
        (
            format!("Automatisk optankning for {child} er sat på pause"),
            format!("Hej\n\nVi kunne ikke sætte penge ind for {child}: {why}. Der er ikke trukket penge. Den automatiske optankning er sat på pause.\n\nLog ind på Saldo for at gemme et kort igen eller sætte penge ind selv.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

/// A replacement card lies ready at the office: the child fetches it, the
/// custodian activates it at home with what is printed on it.
pub fn card_ready(to: &str, first_name: &str, child: &str, office: &str, link: &str, lang: &str) -> Mail {
    let child_s = genitive_da(child);
    let (subject, text) = if lang == "en" {
        (
            format!("{child}'s new card is ready at {office}"),
            format!("Hello {first_name}\n\n{child}'s new payment card is ready at the office of {office}. {child} can fetch it there and only needs to give their name.\n\nThe card works once you have activated it. Log in to Saldo and type the card number and the activation code printed on the card:\n\n{link}\n\nYou can also scan the QR code on the card. The balance, the daily limit and any automatic top-up carry over to the new card. Remember to write {child}'s name in the white field on the card.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        (
            format!("Det nye kort til {child} ligger klar på {office}"),
            format!("Hej {first_name}\n\nDet nye betalingskort til {child} ligger klar på kontoret på {office}. {child} kan hente det dér og skal bare sige sit navn.\n\nKortet virker, når du har aktiveret det. Log ind på Saldo, og skriv kortnummeret og aktiveringskoden, der står på kortet:\n\n{link}\n\nDu kan også scanne QR-koden på kortet. Saldoen, det daglige loft og en eventuel automatisk optankning følger med til det nye kort. Husk at skrive {child_s} navn i det hvide felt på kortet.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

pub fn relative_invited(to: &str, child: &str, from: &str, message: &str, link: &str, days: i64, lang: &str) -> Mail {
    let child_s = genitive_da(child);
    let note = if message.trim().is_empty() { String::new() } else { format!("\n\"{}\"\n", message.trim()) };
    let (subject, text) = if lang == "en" {
        (
            format!("{from} invites you to follow {child} in Saldo"),
            format!("Hello\n\n{from} invites you to follow {child}'s card in Saldo: you can top up and see the statement.\n{note}\nAccept the invitation here (the link works once, for {days} days):\n\n{link}\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        (
            format!("{from} inviterer dig til at følge {child} i Saldo"),
            format!("Hej\n\n{from} inviterer dig til at følge {child_s} betalingskort i Saldo: du kan sætte penge ind og se kontoudtoget.\n{note}\nTag imod invitationen her (linket virker én gang, i {days} dage):\n\n{link}\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

pub fn relative_removed(to: &str, child: &str, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        (
            format!("You no longer follow {child} in Saldo"),
            format!("Hello\n\nA parent has removed you as a relative of {child} in Saldo. You can no longer top up or see the statement, and your automatic top-up for {child} has ended.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        (
            format!("Du følger ikke længere {child} i Saldo"),
            format!("Hej\n\nEn forælder har fjernet dig som relation til {child} i Saldo. Du kan ikke længere sætte penge ind eller se kontoudtoget, og din automatiske optankning for {child} er stoppet.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

/// The saved card behind an agreement runs out soon (or has run out).
pub fn card_expiring(to: &str, child: &str, last4: &str, expires: &str, expired: bool, lang: &str) -> Mail {
    let child_s = genitive_da(child);
    let (subject, text) = if lang == "en" {
        let (soon, when) = if expired {
            ("has expired", format!("expired at the end of {expires}. We cannot top up from it"))
        } else {
            ("expires soon", format!("expires at the end of {expires}. After that we cannot top up from it"))
        };
        (
            format!("Your card for automatic top-up for {child} {soon}"),
            format!("Hello\n\nThe card ending in {last4} that you saved for automatic top-up for {child} {when}.\n\nLog in to Saldo and save your new card under \"Automatic top-up\" on {child}'s page, so the top-ups go on.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        let (soon, when) = if expired {
            ("er udløbet", format!("udløb med udgangen af {expires}. Vi kan ikke sætte penge ind fra det"))
        } else {
            (
                "udløber snart",
                format!("udløber med udgangen af {expires}. Derefter kan vi ikke sætte penge ind fra det"),
            )
        };
        (
            format!("Dit kort til automatisk optankning for {child} {soon}"),
            format!("Hej\n\nKortet, der slutter på {last4}, som du har gemt til automatisk optankning for {child}, {when}.\n\nLog ind på Saldo og gem dit nye kort under \"Automatisk optankning\" på {child_s} side, så optankningen fortsætter.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

/// The balance fell below the threshold the recipient chose.
pub fn low_balance(to: &str, child: &str, threshold: &str, balance: &str, lang: &str) -> Mail {
    let child_s = genitive_da(child);
    let (subject, text) = if lang == "en" {
        (
            format!("The balance for {child} is below {threshold}"),
            format!("Hello\n\nThe balance for {child} is now {balance}, below the {threshold} you asked to hear about.\n\nLog in to Saldo to top up. You can change or stop these mails on {child}'s page.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        (
            format!("Saldoen for {child} er under {threshold}"),
            format!("Hej\n\nSaldoen for {child} er nu {balance}, under de {threshold}, du har bedt om besked ved.\n\nLog ind på Saldo for at sætte penge ind. Du kan ændre eller stoppe disse mails på {child_s} side.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

/// The operator decided a payout: where the money goes, or that it is back on the account.
pub fn payout_decided(to: &str, child: &str, amount: &str, to_bank: Option<&str>, approved: bool, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        let body = match (approved, to_bank) {
            (true, Some(account)) => format!("The payout of {amount} from {child}'s account is approved and will be transferred to account {account} within a few banking days."),
            (true, None) => format!("The payout of {amount} from {child}'s account is approved and goes back to the card or cards you paid in with. It can take a few days before your bank shows it."),
            (false, _) => format!("The payout of {amount} from {child}'s account was not approved. The money is back on the account. Call support if you have questions."),
        };
        let subject =
            if approved { format!("Payout of {amount} approved") } else { format!("Payout of {amount} not approved") };
        (subject, format!("Hello\n\n{body}\n\n{SIGNATURE_EN}\n"))
    } else {
        let child_s = genitive_da(child);
        let body = match (approved, to_bank) {
            (true, Some(account)) => format!("Udbetalingen af {amount} fra {child_s} konto er godkendt og overføres til konto {account} inden for få bankdage."),
            (true, None) => format!("Udbetalingen af {amount} fra {child_s} konto er godkendt og sendes tilbage til det eller de kort, du har indbetalt med. Der kan gå nogle dage, før din bank viser den."),
            (false, _) => format!("Udbetalingen af {amount} fra {child_s} konto er ikke godkendt. Pengene står igen på kontoen. Ring til support, hvis du har spørgsmål."),
        };
        let subject = if approved {
            format!("Udbetaling af {amount} er godkendt")
        } else {
            format!("Udbetaling af {amount} er ikke godkendt")
        };
        (subject, format!("Hej\n\n{body}\n\n{SIGNATURE_DA}\n"))
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

/// Part of a payout could not go back to the card: it is on the child's account again.
pub fn refund_refused(to: &str, child: &str, amount: &str, lang: &str) -> Mail {
    let (subject, text) = if lang == "en" {
        (
            format!("{amount} could not go back to your card"),
            format!("Hello\n\nThe payment service could not send {amount} of your payout back to your card. The amount is on {child}'s account again. Log in to Saldo and ask for the payout to a bank account instead.\n\n{SIGNATURE_EN}\n"),
        )
    } else {
        let child_s = genitive_da(child);
        (
            format!("{amount} kunne ikke sendes tilbage til dit kort"),
            format!("Hej\n\nBetalingstjenesten kunne ikke sende {amount} af din udbetaling tilbage til dit kort. Beløbet står igen på {child_s} konto. Log ind på Saldo og bed om udbetalingen til en bankkonto i stedet.\n\n{SIGNATURE_DA}\n"),
        )
    };
    Mail { to: to.to_owned(), subject, text, lang: lang.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_part_escapes_and_links_only_saldos_own_link_lines() {
        let mail = relative_invited(
            "mormor@example.dk",
            "Jens",
            "Mette <b>",
            "Ring på https://evil.example/x",
            "https://saldo.example/invitations/abc?x=1&y=2",
            7,
            "da",
        );
        let html = mail.html();
        assert!(html.contains(r#"<a href="https://saldo.example/invitations/abc?x=1&amp;y=2">"#), "{html}");
        assert!(!html.contains(r#"href="https://evil"#), "a link in someone's note stays text: {html}");
        assert!(html.contains("Mette &lt;b&gt;") && html.contains(r#"<html lang="da">"#), "{html}");
        assert!(mail.text.contains("Jens' betalingskort"), "{}", mail.text);
    }
}
