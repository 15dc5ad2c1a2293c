//! E-mail addresses: how custodians and relatives log in, so kept one way (trimmed, lower-case).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An e-mail address as Saldo stores it: trimmed and lower-cased, one `@`,
/// a domain with a dot, nothing a mail server would refuse out of hand.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

/// The longest address a mail server accepts (RFC 5321).
const MAX_LEN: usize = 254;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is longer than {MAX_LEN} characters")]
    TooLong,
    #[error("the e-mail address is not of the form name@domain.dk")]
    Malformed,
}

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = EmailError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let lower = s.to_lowercase();
        let (local, domain) = lower.split_once('@').ok_or(EmailError::Malformed)?;
        let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\@".contains(c);
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.chars().any(forbidden) || !domain_ok {
            return Err(EmailError::Malformed);
        }
        Ok(Email(lower))
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let email: Email = "  Soeren.Petersen1@Example.DK ".parse().unwrap();
        assert_eq!(email.as_str(), "soeren.petersen1@example.dk");
        assert!("mormor+saldo@post.tele.dk".parse::<Email>().is_ok());
        assert!("søren@eksempel.dk".parse::<Email>().is_ok());
    }

    #[test]
    fn what_is_not_an_address_is_refused() {
        assert_eq!("".parse::<Email>(), Err(EmailError::Empty));
        assert_eq!("   ".parse::<Email>(), Err(EmailError::Empty));
        for bad in ["no-at-sign", "a@b", "@example.dk", "a@@example.dk", "a b@example.dk", "a@example..dk", "a@.dk"] {
            assert_eq!(bad.parse::<Email>(), Err(EmailError::Malformed), "{bad}");
        }
        assert_eq!(format!("{}@example.dk", "x".repeat(250)).parse::<Email>(), Err(EmailError::TooLong));
    }
}
