//! One record of each file made a typed row (numbers, dates, amounts, states
//! read the old system's way), or rejected or repaired with the reason.

use jiff::civil::Date;
use saldo_core::{CardNumber, CardState, ChipUid, Email, Money};
use saldo_store::{InstitutionKind, RelationKind};

use super::records::{FileLog, Raw};
use super::{Account, Adult, Agreement, AgreementStatus, Card, Child, Institution, Relation};

fn required(log: &mut FileLog, raw: &Raw, index: usize, column: &str) -> Option<String> {
    let value = &raw.values[index];
    if value.is_empty() {
        log.reject(raw.row, format!("{column} is empty"));
        return None;
    }
    Some(value.clone())
}

pub(super) fn institution(log: &mut FileLog, raw: Raw) -> Option<Institution> {
    let no = required(log, &raw, 0, "InstitutionsNr")?;
    let name = required(log, &raw, 1, "Navn")?;
    let kind = match raw.values[2].to_lowercase().as_str() {
        "school" => InstitutionKind::School,
        "club" => InstitutionKind::Club,
        "youth_school" => InstitutionKind::YouthSchool,
        other => {
            log.reject(raw.row, format!("Type {other:?} is none of school, club, youth_school"));
            return None;
        }
    };
    Some(Institution { row: raw.row, no, name, kind })
}

pub(super) fn child(log: &mut FileLog, raw: Raw) -> Option<Child> {
    let no = required(log, &raw, 0, "BarnNr")?;
    let first_name = required(log, &raw, 1, "Fornavn")?;
    let last_name = raw.values[2].clone();
    let institution = required(log, &raw, 4, "Institution")?;
    let birth_date = match raw.values[3].as_str() {
        "" => None,
        text => match date(text) {
            Some(date) => Some(date),
            None => {
                log.repair(raw.row, format!("birth date {text:?} is not a date (dd-mm-yyyy): imported without it"));
                None
            }
        },
    };
    let club = Some(raw.values[5].clone()).filter(|c| !c.is_empty());
    Some(Child { row: raw.row, no, first_name, last_name, birth_date, institution, club })
}

pub(super) fn adult(log: &mut FileLog, raw: Raw) -> Option<Adult> {
    let no = required(log, &raw, 0, "VoksenNr")?;
    let (first_name, last_name) = (raw.values[1].clone(), raw.values[2].clone());
    if first_name.is_empty() && last_name.is_empty() {
        log.reject(raw.row, "Fornavn and Efternavn are both empty");
        return None;
    }
    let email = match raw.values[3].as_str() {
        "" => {
            log.repair(
                raw.row,
                "no e-mail address: imported without one, so this person cannot log in by e-mail until one is added",
            );
            None
        }
        text => match text.parse::<Email>() {
            Ok(email) => Some(email),
            Err(e) => {
                log.repair(raw.row, format!("e-mail {text:?} is not usable ({e}): imported without one"));
                None
            }
        },
    };
    let phone = Some(raw.values[4].clone()).filter(|p| !p.is_empty());
    Some(Adult { row: raw.row, no, first_name, last_name, email, phone })
}

/// The relation that gives custody; every other word makes a relative.
const CUSTODY: &str = "forældremyndighed";

pub(super) fn relation(log: &mut FileLog, raw: Raw) -> Option<Relation> {
    let child = required(log, &raw, 0, "BarnNr")?;
    let adult = required(log, &raw, 1, "VoksenNr")?;
    let kind = match raw.values[2].to_lowercase().as_str() {
        CUSTODY => RelationKind::Custodian,
        "" => {
            log.repair(raw.row, "Relation is empty: imported as a relative (may deposit and see the statement)");
            RelationKind::Relative
        }
        _ => RelationKind::Relative,
    };
    Some(Relation { row: raw.row, child, adult, kind })
}

pub(super) fn card(log: &mut FileLog, raw: Raw) -> Option<Card> {
    let text = required(log, &raw, 0, "Kortnummer")?;
    let number = match text.parse::<CardNumber>() {
        Ok(number) => number,
        Err(e) => {
            log.reject(raw.row, format!("card number {text}: {e}"));
            return None;
        }
    };
    if number.digits() != text {
        log.repair(raw.row, format!("card number {text:?} written with spaces or dashes: read as {}", number.digits()));
    }
    let chip = match raw.values[1].as_str() {
        "" => None,
        uid => match uid.parse::<ChipUid>() {
            Ok(chip) => Some(chip),
            Err(e) => {
                log.repair(raw.row, format!("chip id {uid:?}: {e}; imported without it, the card works by its number"));
                None
            }
        },
    };
    let child = required(log, &raw, 2, "BarnNr")?;
    let state = match raw.values[3].to_lowercase().as_str() {
        "aktiv" => CardState::Active,
        "spærret" => CardState::Blocked,
        other => {
            log.reject(raw.row, format!("Status {other:?} is neither Aktiv nor Spærret"));
            return None;
        }
    };
    let issued = match raw.values[4].as_str() {
        "" => None,
        text => {
            let issued = date(text);
            if issued.is_none() {
                log.repair(raw.row, format!("issue date {text:?} is not a date (dd-mm-yyyy): the import date is used"));
            }
            issued
        }
    };
    Some(Card { row: raw.row, number, chip, child, state, issued })
}

pub(super) fn account(log: &mut FileLog, raw: Raw) -> Option<Account> {
    let child = required(log, &raw, 0, "BarnNr")?;
    let text = &raw.values[1];
    let balance = match text.parse::<Money>() {
        Ok(balance) => balance,
        Err(e) => {
            log.reject(raw.row, format!("balance {text:?} cannot be read ({e}); its amount is not known"));
            return None;
        }
    };
    if balance.is_negative() {
        log.reject(
            raw.row,
            format!(
                "negative balance {}: a wallet is never below zero; the child gets an empty wallet, settle the amount by hand",
                balance.display_da()
            ),
        );
        return None;
    }
    let daily_limit = match raw.values[2].as_str() {
        "" => None,
        text => match text.parse::<Money>() {
            Ok(limit) if !limit.is_negative() => Some(limit),
            _ => {
                log.repair(
                    raw.row,
                    format!("daily limit {text:?} is not an amount of zero or more: imported without a limit"),
                );
                None
            }
        },
    };
    Some(Account { row: raw.row, child, balance, daily_limit })
}

pub(super) fn agreement(log: &mut FileLog, raw: Raw) -> Option<Agreement> {
    let child = required(log, &raw, 0, "BarnNr")?;
    let adult = required(log, &raw, 1, "VoksenNr")?;
    let mut amount = |index: usize, column: &str| -> Option<Money> {
        let text = &raw.values[index];
        match text.parse::<Money>() {
            Ok(amount) if amount.is_positive() => Some(amount),
            _ => {
                log.reject(raw.row, format!("{column} {text:?} is not an amount above zero"));
                None
            }
        }
    };
    let threshold = amount(2, "Grænse")?;
    let amount = amount(3, "Beløb")?;
    let token = required(log, &raw, 4, "BetalingsToken")?;
    let status = match raw.values[5].to_lowercase().as_str() {
        "aktiv" => AgreementStatus::Active,
        "pauset" => AgreementStatus::Paused,
        other => {
            log.reject(raw.row, format!("Status {other:?} is neither Aktiv nor Pauset"));
            return None;
        }
    };
    Some(Agreement { row: raw.row, child, adult, threshold, amount, token, status })
}

/// `dd-mm-yyyy` (also with `.` or `/`), as the old system writes dates.
pub fn date(text: &str) -> Option<Date> {
    let mut parts = text.split(['-', '.', '/']);
    let day: i8 = parts.next()?.parse().ok()?;
    let month: i8 = parts.next()?.parse().ok()?;
    let year_text = parts.next()?;
    if parts.next().is_some() || year_text.len() != 4 {
        return None;
    }
    let year: i16 = year_text.parse().ok()?;
    Date::new(year, month, day).ok()
}
