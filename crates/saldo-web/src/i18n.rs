//! The catalogue: every text a person reads, in Danish (the default) and English.
//!
//! One enum of messages and one exhaustive match per language, so a message
//! without a translation does not compile.

use saldo_core::purchase::Decline;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Declined(Decline),
    Unauthorized,
    MissingIdempotencyKey,
    InvalidIdempotencyKey,
    MalformedJson,
    InvalidRequest,
    UnreadableCard,
    NoLines,
    TooManyLines,
    BadQuantity,
    UnknownProduct,
    IdempotencyKeyReused,
    NotFound,
    Internal,
}

pub fn text(msg: Msg, lang: Lang) -> &'static str {
    match lang {
        Lang::Da => da(msg),
        Lang::En => en(msg),
    }
}

/// Danish. The till's refusals are read aloud to a 7-year-old: short and plain.
fn da(msg: Msg) -> &'static str {
    match msg {
        Msg::Declined(Decline::InsufficientFunds) => "Der er ikke penge nok på kortet.",
        Msg::Declined(Decline::DailyLimitExceeded) => "Dagens grænse for køb er nået.",
        Msg::Declined(Decline::CardBlocked) => "Kortet er spærret.",
        Msg::Declined(Decline::CardNotActive) => "Kortet er ikke aktiveret endnu.",
        Msg::Declined(Decline::UnknownCard) => "Kortet kendes ikke. Prøv at scanne igen.",
        Msg::Declined(Decline::WalletClosed) => "Kontoen er lukket.",
        Msg::Unauthorized => "Kassen er ikke logget ind. Par kassen igen, eller kontakt support.",
        Msg::MissingIdempotencyKey => "Der mangler en Idempotency-Key i forespørgslen.",
        Msg::InvalidIdempotencyKey => "Idempotency-Key skal være 1 til 200 synlige ASCII-tegn.",
        Msg::MalformedJson => "Forespørgslen er ikke gyldig JSON.",
        Msg::InvalidRequest => "Forespørgslen mangler felter eller har felter af forkert type.",
        Msg::UnreadableCard => "Kortnummeret kan ikke læses. Scan kortet igen, eller tast de 16 cifre.",
        Msg::NoLines => "Kurven er tom. Vælg mindst én vare.",
        Msg::TooManyLines => "Der er for mange varer i kurven. Del købet op.",
        Msg::BadQuantity => "Antal skal være mellem 1 og 99.",
        Msg::UnknownProduct => "En vare i kurven sælges ikke her. Hent varelisten igen.",
        Msg::IdempotencyKeyReused => "Nøglen er allerede brugt til et andet køb. Start et nyt køb.",
        Msg::NotFound => "Siden findes ikke.",
        Msg::Internal => "Der skete en fejl hos os. Intet er trukket. Prøv igen om lidt.",
    }
}

fn en(msg: Msg) -> &'static str {
    match msg {
        Msg::Declined(Decline::InsufficientFunds) => "Not enough money on the card.",
        Msg::Declined(Decline::DailyLimitExceeded) => "Today's spending limit is reached.",
        Msg::Declined(Decline::CardBlocked) => "The card is blocked.",
        Msg::Declined(Decline::CardNotActive) => "The card is not activated yet.",
        Msg::Declined(Decline::UnknownCard) => "This card is not known. Try scanning again.",
        Msg::Declined(Decline::WalletClosed) => "The account is closed.",
        Msg::Unauthorized => "The till is not signed in. Pair the till again, or contact support.",
        Msg::MissingIdempotencyKey => "The request has no Idempotency-Key.",
        Msg::InvalidIdempotencyKey => "An Idempotency-Key is 1 to 200 visible ASCII characters.",
        Msg::MalformedJson => "The request is not valid JSON.",
        Msg::InvalidRequest => "The request lacks fields or has fields of the wrong type.",
        Msg::UnreadableCard => "The card number cannot be read. Scan the card again, or type the 16 digits.",
        Msg::NoLines => "The basket is empty. Choose at least one item.",
        Msg::TooManyLines => "Too many items in the basket. Split the purchase.",
        Msg::BadQuantity => "A quantity is between 1 and 99.",
        Msg::UnknownProduct => "An item in the basket is not sold here. Fetch the product list again.",
        Msg::IdempotencyKeyReused => "The key was already used for another purchase. Start a new purchase.",
        Msg::NotFound => "There is no such page.",
        Msg::Internal => "Something went wrong on our side. Nothing was charged. Try again shortly.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
