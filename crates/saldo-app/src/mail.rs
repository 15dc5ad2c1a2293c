//! Mails Saldo sends, in the recipient's language, readable as plain text.

use serde::{Deserialize, Serialize};

use saldo_core::top_up::PauseReason;
use saldo_core::Money;

use crate::texts::{args, FluentArgs, Lang, Texts, Value};

/// A mail as queued in the outbox and handed to SMTP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// `da` or `en`, for the HTML part's `lang`.
    #[serde(default)]
    pub lang: String,
    /// The links Saldo itself wrote into the text: only these become
    /// clickable in the HTML part, never a link someone typed into a note.
    #[serde(default)]
    pub links: Vec<String>,
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
                let lines: Vec<String> = paragraph.lines().map(|line| self.html_line(line)).collect();
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

impl Mail {
    /// A line of text; a line that is one of Saldo's own links becomes
    /// clickable. Anything else stays text, a bare address in a relative's
    /// note too: an official mail offers no one else's links.
    fn html_line(&self, line: &str) -> String {
        let alone = line.trim();
        if self.links.iter().any(|link| link == alone) {
            let href = escape(alone);
            format!("<a href=\"{href}\">{href}</a>")
        } else {
            escape(line)
        }
    }
}

/// A name in the genitive, which the catalogue cannot make: "Idas", but
/// "Jens'" in Danish (a name ending in s, x or z takes an apostrophe); "Jens's" in English.
pub fn genitive(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Da if name.ends_with(['s', 'x', 'z', 'S', 'X', 'Z']) => format!("{name}'"),
        Lang::Da => format!("{name}s"),
        Lang::En => format!("{name}'s"),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The mail `mail-<name>-subject`/`-body` in `lang`, with `child_s` added
/// wherever a `child` is given.
fn compose(to: &str, name: &str, lang: &str, mut args: FluentArgs) -> Mail {
    let lang = Lang::parse(lang).unwrap_or_default();
    let texts = Texts::new(lang);
    let child = args.get("child").map(|child| match child {
        Value::String(name) => name.to_string(),
        _ => String::new(),
    });
    if let Some(child) = child {
        args.set("child_s", genitive(lang, &child));
    }
    let links = match args.get("link") {
        Some(Value::String(link)) => vec![link.to_string()],
        _ => Vec::new(),
    };
    Mail {
        to: to.to_owned(),
        subject: texts.with(&format!("mail-{name}-subject"), &args),
        text: format!("{}\n", texts.with(&format!("mail-{name}-body"), &args)),
        lang: lang.code().to_owned(),
        links,
    }
}

fn money(amount: Money, lang: &str) -> Value<'static> {
    Texts::new(Lang::parse(lang).unwrap_or_default()).money(amount).into()
}

pub fn login_link(to: &str, first_name: &str, link: &str, minutes: u64, lang: &str) -> Mail {
    let args = args([("first_name", first_name.into()), ("link", link.into()), ("minutes", minutes.into())]);
    compose(to, "login_link", lang, args)
}

/// The link that binds a first MitID login to the person with this address
/// on file. It names who logged in at the broker, so a stranger's request is
/// seen for what it is.
pub fn mitid_binding(to: &str, first_name: &str, mitid_name: &str, link: &str, minutes: u64, lang: &str) -> Mail {
    let args = args([
        ("first_name", first_name.into()),
        ("mitid_name", mitid_name.into()),
        ("link", link.into()),
        ("minutes", minutes.into()),
    ]);
    compose(to, "mitid_binding", lang, args)
}

/// A deposit's receipt, naming the provider and its reference for the payment.
pub fn deposit_receipt(to: &str, child: &str, amount: Money, balance: Money, paid: (&str, &str), lang: &str) -> Mail {
    let (provider, reference) = paid;
    let provider = crate::texts::Texts::new(crate::texts::Lang::parse(lang).unwrap_or_default())
        .get(&format!("provider-{provider}"))
        .to_owned();
    let args = args([
        ("child", child.into()),
        ("amount", money(amount, lang)),
        ("balance", money(balance, lang)),
        ("provider", provider.into()),
        ("reference", reference.to_owned().into()),
    ]);
    compose(to, "deposit_receipt", lang, args)
}

pub fn top_up_done(to: &str, child: &str, amount: Money, balance: Money, lang: &str) -> Mail {
    let args = args([("child", child.into()), ("amount", money(amount, lang)), ("balance", money(balance, lang))]);
    compose(to, "top_up_done", lang, args)
}

/// An automatic top-up was declined; it is tried again before the agreement pauses.
pub fn top_up_failed(to: &str, child: &str, tries: i64, lang: &str) -> Mail {
    compose(to, "top_up_failed", lang, args([("child", child.into()), ("tries", tries.into())]))
}

/// The agreement stopped: the card was declined too often, or needs its holder.
pub fn top_up_paused(to: &str, child: &str, reason: PauseReason, lang: &str) -> Mail {
    let reason = match reason {
        PauseReason::NeedsCardholder => "needs_cardholder",
        PauseReason::Declined => "declined",
        PauseReason::Unreachable => "unreachable",
    };
    compose(to, "top_up_paused", lang, args([("child", child.into()), ("reason", reason.into())]))
}

/// A replacement card lies ready at the office: the child fetches it, the
/// custodian activates it at home with what is printed on it.
pub fn card_ready(to: &str, first_name: &str, child: &str, office: &str, link: &str, lang: &str) -> Mail {
    let args = args([
        ("first_name", first_name.into()),
        ("child", child.into()),
        ("office", office.into()),
        ("link", link.into()),
    ]);
    compose(to, "card_ready", lang, args)
}

/// The inviting custodian's own note is quoted on its own lines, or left out.
pub fn relative_invited(to: &str, child: &str, from: &str, message: &str, link: &str, days: i64, lang: &str) -> Mail {
    let note = if message.trim().is_empty() { String::new() } else { format!("\n\"{}\"\n", message.trim()) };
    let args = args([
        ("child", child.into()),
        ("from", from.into()),
        ("note", note.into()),
        ("link", link.into()),
        ("days", days.into()),
    ]);
    compose(to, "relative_invited", lang, args)
}

pub fn relative_removed(to: &str, child: &str, lang: &str) -> Mail {
    compose(to, "relative_removed", lang, args([("child", child.into())]))
}

/// The saved card behind an agreement runs out soon (or has run out).
pub fn card_expiring(to: &str, child: &str, last4: &str, expires: &str, expired: bool, lang: &str) -> Mail {
    let args = args([("child", child.into()), ("last4", last4.into()), ("expires", expires.into())]);
    compose(to, if expired { "card_expired" } else { "card_expiring" }, lang, args)
}

/// The balance fell below the threshold the recipient chose.
pub fn low_balance(to: &str, child: &str, threshold: Money, balance: Money, lang: &str) -> Mail {
    let args =
        args([("child", child.into()), ("threshold", money(threshold, lang)), ("balance", money(balance, lang))]);
    compose(to, "low_balance", lang, args)
}

/// The operator decided a payout: where the money goes, or that it is back on the account.
pub fn payout_decided(to: &str, child: &str, amount: Money, to_bank: Option<&str>, approved: bool, lang: &str) -> Mail {
    let mut args = args([("child", child.into()), ("amount", money(amount, lang))]);
    let name = match (approved, to_bank) {
        (true, Some(account)) => {
            args.set("account", account.to_owned());
            "payout_to_bank"
        }
        (true, None) => "payout_to_card",
        (false, _) => "payout_refused",
    };
    compose(to, name, lang, args)
}

/// Part of a payout could not go back to the card: it is on the child's account again.
pub fn refund_refused(to: &str, child: &str, amount: Money, lang: &str) -> Mail {
    compose(to, "refund_refused", lang, args([("child", child.into()), ("amount", money(amount, lang))]))
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
        // A bare address on a line of its own in the note stays text too.
        let note = "Se her:\nhttps://evil.example/login\nKnus";
        let mail = relative_invited("mormor@example.dk", "Jens", "Mette", note, "https://saldo.example/i/abc", 7, "da");
        let html = mail.html();
        assert!(!html.contains("href=\"https://evil"), "{html}");
        assert!(html.contains("https://evil.example/login") && html.contains(r#"href="https://saldo.example/i/abc""#));
    }
}

#[cfg(test)]
mod every_mail {
    use super::*;
    #[test]
    fn every_mail_is_whole_in_both_languages() {
        for lang in ["da", "en"] {
            let m = [
                login_link("a@b.dk", "Mette", "https://x/l", 30, lang),
                deposit_receipt(
                    "a@b.dk",
                    "Ida",
                    saldo_core::Money::kr(50),
                    saldo_core::Money::kr(75),
                    ("nexi", "p1"),
                    lang,
                ),
                top_up_done("a@b.dk", "Jens", saldo_core::Money::kr(50), saldo_core::Money::kr(75), lang),
                top_up_failed("a@b.dk", "Ida", 3, lang),
                top_up_paused("a@b.dk", "Ida", PauseReason::NeedsCardholder, lang),
                top_up_paused("a@b.dk", "Ida", PauseReason::Declined, lang),
                top_up_paused("a@b.dk", "Ida", PauseReason::Unreachable, lang),
                card_ready("a@b.dk", "Mette", "Jens", "Absalons Skole", "https://x/a", lang),
                relative_invited("a@b.dk", "Jens", "Mette", "", "https://x/i", 7, lang),
                relative_invited("a@b.dk", "Ida", "Mette", " hej mor ", "https://x/i", 7, lang),
                relative_removed("a@b.dk", "Ida", lang),
                card_expiring("a@b.dk", "Jens", "4242", "12/2026", false, lang),
                card_expiring("a@b.dk", "Ida", "4242", "12/2026", true, lang),
                low_balance("a@b.dk", "Jens", saldo_core::Money::kr(20), saldo_core::Money::kr(10), lang),
                payout_decided("a@b.dk", "Jens", saldo_core::Money::kr(100), Some("1234 5678"), true, lang),
                payout_decided("a@b.dk", "Ida", saldo_core::Money::kr(100), None, true, lang),
                payout_decided("a@b.dk", "Ida", saldo_core::Money::kr(100), None, false, lang),
                refund_refused("a@b.dk", "Jens", saldo_core::Money::kr(20), lang),
            ];
            let signature = if lang == "da" { "Venlig hilsen\nSkole og Klub" } else { "Kind regards\nSkole og Klub" };
            for mail in m {
                let whole = format!("{}\n{}", mail.subject, mail.text);
                assert_eq!(mail.lang, lang);
                assert!(!whole.contains('…') && !whole.contains('{'), "a text or variable is missing: {whole}");
                assert!(mail.text.contains(signature) && mail.text.ends_with("8–15).\n"), "{whole}");
            }
        }
        let one = login_link("a@b.dk", "Mette", "https://x/l", 1, "en");
        assert!(one.text.contains("for one minute."), "{}", one.text);
        let invited = relative_invited("a@b.dk", "Ida", "Mette", " hej mor ", "https://x/i", 7, "da");
        assert!(invited.text.contains("kontoudtoget.\n\n\"hej mor\"\n\nTag imod"), "{}", invited.text);
        assert!(invited.text.contains("Idas betalingskort") && invited.text.contains("i 7 dage"), "{}", invited.text);
        let paid = deposit_receipt(
            "a@b.dk",
            "Ida",
            saldo_core::Money::kr(50),
            saldo_core::Money::from_ore(7550),
            ("vipps", "dep-1"),
            "en",
        );
        assert_eq!(paid.subject, "Receipt: DKK 50.00 for Ida");
        assert!(paid.text.contains("Paid with MobilePay; the reference at MobilePay is dep-1."), "{}", paid.text);
    }
}

/// A webshop basket's receipt: the days and dishes (one line each, written
/// by the caller in the recipient's language), the total, and what happens
/// to an order the child does not collect.
pub fn shop_receipt(to: &str, child: &str, lines: &str, total: Money, uncollected: &str, lang: &str) -> Mail {
    let args = args([
        ("child", child.into()),
        ("lines", lines.to_owned().into()),
        ("total", money(total, lang)),
        ("uncollected", uncollected.to_owned().into()),
    ]);
    compose(to, "shop_receipt", lang, args)
}

/// A standing order's day was skipped: the balance did not cover it. Sent once.
pub fn standing_skipped(to: &str, child: &str, day: &str, lang: &str) -> Mail {
    let args = args([("child", child.into()), ("day", day.to_owned().into())]);
    compose(to, "standing_skipped", lang, args)
}
