//! Money back out (udbetaling): where a payout goes, checked before it is asked for.

use std::fmt;
use std::str::FromStr;

/// Where a payout goes: back to the card that paid (refunds at the payment
/// provider), or to a bank account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayoutMethod {
    Card,
    Bank,
}

impl PayoutMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutMethod::Card => "card",
            PayoutMethod::Bank => "bank",
        }
    }

    pub fn parse(text: &str) -> Option<PayoutMethod> {
        match text {
            "card" => Some(PayoutMethod::Card),
            "bank" => Some(PayoutMethod::Bank),
            _ => None,
        }
    }
}

/// A Danish bank account: a 4-digit registration number and an account
/// number of up to 10 digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankAccount {
    reg_no: String,
    account_no: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BankAccountError {
    #[error("a registration number has 4 digits")]
    RegNo,
    #[error("an account number has 1 to 10 digits")]
    AccountNo,
}

impl BankAccount {
    pub fn new(reg_no: &str, account_no: &str) -> Result<BankAccount, BankAccountError> {
        let clean = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
        let (reg_no, account_no) = (clean(reg_no), clean(account_no));
        if reg_no.len() != 4 || !reg_no.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BankAccountError::RegNo);
        }
        if account_no.is_empty() || account_no.len() > 10 || !account_no.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BankAccountError::AccountNo);
        }
        Ok(BankAccount { reg_no, account_no })
    }

    pub fn reg_no(&self) -> &str {
        &self.reg_no
    }

    pub fn account_no(&self) -> &str {
        &self.account_no
    }
}

impl fmt::Display for BankAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.reg_no, self.account_no)
    }
}

impl FromStr for BankAccount {
    type Err = BankAccountError;

    /// `1234 0001234567` or `1234-0001234567`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (reg, account) = s.split_once([' ', '-']).ok_or(BankAccountError::RegNo)?;
        BankAccount::new(reg, account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_accounts_parse_and_nonsense_does_not() {
        assert_eq!("1234 0001234567".parse::<BankAccount>().map(|a| a.to_string()), Ok("1234 0001234567".into()));
        assert!(BankAccount::new("1234", "12").is_ok());
        assert_eq!(BankAccount::new("123", "1234567"), Err(BankAccountError::RegNo));
        assert_eq!(BankAccount::new("12a4", "1234567"), Err(BankAccountError::RegNo));
        assert_eq!(BankAccount::new("1234", "12345678901"), Err(BankAccountError::AccountNo));
        assert_eq!(BankAccount::new("1234", ""), Err(BankAccountError::AccountNo));
    }
}
