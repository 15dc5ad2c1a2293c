//! Texts and formats for a page, from the one catalogue (saldo-app's
//! `texts`, Project Fluent): a page asks by its dotted key, the till API by
//! [`Msg`].

use saldo_app::texts::{FluentArgs, Texts, Value};
use saldo_core::purchase::Decline;

/// The language of a page: the catalogue's own, so pages and mails agree.
pub use saldo_app::texts::Lang;

/// Texts and formats for one language.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tr {
    pub lang: Lang,
}

/// The catalogue's id for a page key: `error.not_found` is `error-not_found`.
fn id(key: &str) -> String {
    key.replace('.', "-")
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    fn texts(&self) -> Texts {
        Texts::new(self.lang)
    }

    /// The text for `key`. An unknown key shows as `…` (a test keeps every
    /// key the templates and handlers use in the catalogue).
    pub fn t(&self, key: &str) -> &'static str {
        self.texts().get(&id(key))
    }

    /// A text with its variables (`{ $max }`) filled in.
    pub fn fill(&self, key: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(*name, Value::from(value.as_str()));
        }
        self.texts().with(&id(key), &args)
    }

    pub fn money(&self, amount: &saldo_core::Money) -> String {
        self.texts().money(*amount)
    }

    /// A day in words, as people write it.
    pub fn date(&self, day: jiff::civil::Date) -> String {
        self.texts().date(day)
    }

    /// A moment (microseconds since the epoch), in Danish time.
    pub fn datetime(&self, micros: &i64) -> String {
        jiff::Timestamp::from_microsecond(*micros).map(|at| self.texts().datetime(at)).unwrap_or_default()
    }

    /// A recent moment, short: `i dag 12.30`, `i går 12.30`, `3. dec. 12.30`.
    pub fn recently(&self, micros: i64, now: jiff::Timestamp) -> String {
        jiff::Timestamp::from_microsecond(micros).map(|at| self.texts().recently(at, now)).unwrap_or_default()
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

/// What the till API says, in words (the JSON's `message`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Declined(Decline),
    Unauthorized,
    MissingIdempotencyKey,
    InvalidIdempotencyKey,
    MalformedJson,
    TooLarge,
    InvalidRequest,
    UnreadableCard,
    NoLines,
    TooManyLines,
    BadQuantity,
    UnknownProduct,
    IdempotencyKeyReused,
    NotFound,
    Internal,
    PairingInvalid,
    BadPin,
    WrongPin,
    TooManyPinAttempts,
    TillLocked,
    Forbidden,
    VoidTooLate,
    AlreadyUndone,
    NothingToRefund,
    BadTillName,
    /// A webshop order was cancelled or handed out elsewhere meanwhile.
    OrderChanged,
}

impl Msg {
    /// The catalogue's id: `decline-<code>` for a decline, `api-<name>` for the rest.
    fn id(self) -> String {
        let name = match self {
            Msg::Declined(reason) => return format!("decline-{}", reason.code()),
            Msg::Unauthorized => "unauthorized",
            Msg::MissingIdempotencyKey => "missing_idempotency_key",
            Msg::InvalidIdempotencyKey => "invalid_idempotency_key",
            Msg::MalformedJson => "malformed_json",
            Msg::TooLarge => "too_large",
            Msg::InvalidRequest => "invalid_request",
            Msg::UnreadableCard => "unreadable_card",
            Msg::NoLines => "no_lines",
            Msg::TooManyLines => "too_many_lines",
            Msg::BadQuantity => "bad_quantity",
            Msg::UnknownProduct => "unknown_product",
            Msg::IdempotencyKeyReused => "idempotency_key_reused",
            Msg::NotFound => "not_found",
            Msg::Internal => "internal",
            Msg::PairingInvalid => "pairing_invalid",
            Msg::BadPin => "bad_pin",
            Msg::WrongPin => "wrong_pin",
            Msg::TooManyPinAttempts => "too_many_pin_attempts",
            Msg::TillLocked => "till_locked",
            Msg::Forbidden => "forbidden",
            Msg::VoidTooLate => "void_too_late",
            Msg::AlreadyUndone => "already_undone",
            Msg::NothingToRefund => "nothing_to_refund",
            Msg::BadTillName => "bad_till_name",
            Msg::OrderChanged => "order_changed",
        };
        format!("api-{name}")
    }
}

pub fn text(msg: Msg, lang: Lang) -> &'static str {
    Texts::new(lang).get(&msg.id())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t("…")` and `fill("…"` in the templates and handlers names a text that exists.
    #[test]
    fn every_key_used_is_in_the_catalogue_once() {
        let dirs = [concat!(env!("CARGO_MANIFEST_DIR"), "/templates"), concat!(env!("CARGO_MANIFEST_DIR"), "/src")];
        let mut files = Vec::new();
        for dir in dirs {
            collect(std::path::Path::new(dir), &mut files);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for marker in [".t(\"", ".fill(\""] {
                for part in text.split(marker).skip(1) {
                    let key = part.split('"').next().unwrap();
                    if key.contains('{') || key.is_empty() {
                        continue;
                    }
                    assert!(
                        saldo_app::texts::has(&id(key)),
                        "{} uses {key:?}, which is not in the catalogue",
                        file.display()
                    );
                }
            }
        }
    }

    fn collect(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, files);
            } else {
                files.push(path);
            }
        }
    }

    #[test]
    fn amounts_and_dates_follow_the_language() {
        let at = jiff::Timestamp::from_second(1_795_000_000).unwrap().as_microsecond();
        assert_eq!(Tr::new(Lang::Da).money(&saldo_core::Money::from_ore(123_450)), "1.234,50 kr.");
        assert_eq!(Tr::new(Lang::En).money(&saldo_core::Money::from_ore(123_450)), "DKK 1,234.50");
        assert!(Tr::new(Lang::Da).datetime(&at).contains(" kl. "));
        assert!(!Tr::new(Lang::En).datetime(&at).contains(" kl. "));
    }

    #[test]
    fn every_till_message_is_in_the_catalogue() {
        let all = [
            Msg::Unauthorized,
            Msg::MissingIdempotencyKey,
            Msg::InvalidIdempotencyKey,
            Msg::MalformedJson,
            Msg::TooLarge,
            Msg::InvalidRequest,
            Msg::UnreadableCard,
            Msg::NoLines,
            Msg::TooManyLines,
            Msg::BadQuantity,
            Msg::UnknownProduct,
            Msg::IdempotencyKeyReused,
            Msg::NotFound,
            Msg::Internal,
            Msg::PairingInvalid,
            Msg::BadPin,
            Msg::WrongPin,
            Msg::TooManyPinAttempts,
            Msg::TillLocked,
            Msg::Forbidden,
            Msg::VoidTooLate,
            Msg::AlreadyUndone,
            Msg::NothingToRefund,
            Msg::BadTillName,
        ];
        for msg in all.into_iter().chain(Decline::ALL.iter().map(|d| Msg::Declined(*d))) {
            assert!(saldo_app::texts::has(&msg.id()), "{msg:?} ({}) is not in the catalogue", msg.id());
        }
    }

    #[test]
    fn every_decline_reads_differently_in_each_language() {
        for lang in [Lang::Da, Lang::En] {
            let mut seen: Vec<&str> = Decline::ALL.iter().map(|d| text(Msg::Declined(*d), lang)).collect();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), Decline::ALL.len());
        }
    }
}
