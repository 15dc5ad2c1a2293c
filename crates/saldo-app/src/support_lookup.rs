//! Support's search box: one field that takes what the caller has at hand —
//! a card number, the last digits on the card with the child's name, the
//! child's name (with the school chosen beside it), or a parent's e-mail or
//! phone number — and the search itself, audited with its reason.

use saldo_core::ids::InstitutionId;
use saldo_core::CardNumber;
use saldo_store::{ChildSearch, FoundChild, InstitutionRow};

use crate::auth::Actor;
use crate::support::{authorize_console, Asked, SupportError};
use crate::App;

/// What the search box was read as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    Card(String),
    CardEnding { digits: String, name: String },
    Name(String),
    Email(String),
    Phone(String),
}

impl Query {
    /// Reads the box. Digits alone are a card (16 digits) or a phone (8, or
    /// 10 with 45 first); a few digits with a name are the card's last digits.
    pub fn parse(text: &str) -> Result<Query, SupportError> {
        let text = text.trim();
        if text.chars().count() < 2 || text.len() > 100 {
            return Err(SupportError::QueryLength);
        }
        if text.contains('@') {
            return Ok(Query::Email(text.to_lowercase()));
        }
        let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '+')).collect();
        if compact.chars().all(|c| c.is_ascii_digit()) {
            return match compact.len() {
                16 => compact
                    .parse::<CardNumber>()
                    .map(|n| Query::Card(n.digits()))
                    .map_err(|_| SupportError::DigitsNeedName),
                8 => Ok(Query::Phone(compact)),
                10 if compact.starts_with("45") => Ok(Query::Phone(compact[2..].to_owned())),
                _ => Err(SupportError::DigitsNeedName),
            };
        }
        let (digits, words): (Vec<&str>, Vec<&str>) =
            text.split_whitespace().partition(|w| w.chars().all(|c| c.is_ascii_digit()));
        let name = words.join(" ");
        match digits.as_slice() {
            [] => Ok(Query::Name(name)),
            [d] if (3..=8).contains(&d.len()) => Ok(Query::CardEnding { digits: (*d).to_owned(), name }),
            _ => Err(SupportError::DigitsNeedName),
        }
    }

    /// The kind of search, for the audit log (never the searched text itself beyond it).
    fn kind(&self) -> &'static str {
        match self {
            Query::Card(_) => "card",
            Query::CardEnding { .. } => "card_ending",
            Query::Name(_) => "name",
            Query::Email(_) => "email",
            Query::Phone(_) => "phone",
        }
    }
}

/// The schools and clubs to narrow a name search to.
pub async fn institutions(app: &App, actor: &Actor) -> Result<Vec<InstitutionRow>, SupportError> {
    authorize_console(app, actor).await?;
    Ok(app.store.institutions().await?)
}

/// Finds children for a reason; the search is audited with the reason and what was searched.
pub async fn search(
    app: &App,
    actor: &Actor,
    asked: &Asked,
    text: &str,
    institution: Option<&InstitutionId>,
) -> Result<Vec<FoundChild>, SupportError> {
    authorize_console(app, actor).await?;
    let query = Query::parse(text)?;
    let search = match &query {
        Query::Card(number) => ChildSearch::Card(number),
        Query::CardEnding { digits, name } => ChildSearch::CardEnding { digits, name },
        Query::Name(name) => ChildSearch::Name { name, institution },
        Query::Email(email) => ChildSearch::Email(email),
        Query::Phone(phone) => ChildSearch::Phone(phone),
    };
    let found = app.store.find_children(&search).await?;
    let now = app.now();
    let detail =
        format!("{} search, {} found; reason {}: {}", query.kind(), found.len(), asked.reason.as_str(), asked.note);
    let mut tx = app.store.begin().await?;
    tx.audit(&actor.label(), "support.search", &actor.person_id, &detail, &actor.source, now).await?;
    tx.commit().await?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a_card() -> String {
        CardNumber::with_check_digit([9, 2, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]).digits()
    }

    #[test]
    fn the_box_reads_what_a_caller_has_at_hand() {
        let card = a_card();
        assert_eq!(Query::parse(&card).unwrap(), Query::Card(card.clone()));
        let spaced = format!("{} {} {} {}", &card[..4], &card[4..8], &card[8..12], &card[12..]);
        assert_eq!(Query::parse(&spaced).unwrap(), Query::Card(card));
        assert_eq!(Query::parse("4711 Ida").unwrap(), Query::CardEnding { digits: "4711".into(), name: "Ida".into() });
        assert_eq!(Query::parse("Ida Hansen").unwrap(), Query::Name("Ida Hansen".into()));
        assert_eq!(
            Query::parse(" Mette.Nielsen@Example.dk ").unwrap(),
            Query::Email("mette.nielsen@example.dk".into())
        );
        assert_eq!(Query::parse("+45 12 34 56 78").unwrap(), Query::Phone("12345678".into()));
        assert_eq!(Query::parse("12345678").unwrap(), Query::Phone("12345678".into()));
    }

    #[test]
    fn last_digits_alone_or_a_mistyped_number_are_not_enough() {
        assert!(matches!(Query::parse("4711"), Err(SupportError::DigitsNeedName)));
        let card = a_card();
        let last = (card.as_bytes()[15] - b'0' + 1) % 10;
        let mistyped = format!("{}{last}", &card[..15]);
        assert!(matches!(Query::parse(&mistyped), Err(SupportError::DigitsNeedName)));
        assert!(matches!(Query::parse("1 2 Ida"), Err(SupportError::DigitsNeedName)));
        assert!(matches!(Query::parse("x"), Err(SupportError::QueryLength)));
    }
}
