//! Cards (betalingskort): the printed number, the chip's id, and the card's life.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A card as printed: 16 digits, the last a Luhn check digit.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardNumber([u8; 16]);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardNumberError {
    #[error("a card number has 16 digits")]
    WrongLength,
    #[error("a card number has only digits")]
    NotDigits,
    #[error("the card number's check digit is wrong")]
    CheckDigit,
}

impl CardNumber {
    /// Builds a valid number from 15 digits by appending the Luhn check digit.
    pub fn with_check_digit(first15: [u8; 15]) -> CardNumber {
        let mut digits = [0u8; 16];
        digits[..15].copy_from_slice(&first15);
        digits[15] = luhn_check_digit(&first15);
        CardNumber(digits)
    }

    /// The last four digits, what a parent sees to tell cards apart.
    pub fn last4(&self) -> String {
        self.0[12..].iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The 16 digits without spaces, as stored.
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Grouped in fours as printed on the card: `9208 0913 9099 6031`.
    pub fn grouped(&self) -> String {
        let digits = self.digits();
        let mut out = String::with_capacity(19);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && i.is_multiple_of(4) {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

impl FromStr for CardNumber {
    type Err = CardNumberError;

    /// Accepts the number as printed or typed: spaces and dashes are ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut digits = [0u8; 16];
        let mut n = 0;
        for c in s.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let d = c.to_digit(10).ok_or(CardNumberError::NotDigits)?;
            if n == 16 {
                return Err(CardNumberError::WrongLength);
            }
            digits[n] = d as u8;
            n += 1;
        }
        if n != 16 {
            return Err(CardNumberError::WrongLength);
        }
        if luhn_check_digit(&digits[..15]) != digits[15] {
            return Err(CardNumberError::CheckDigit);
        }
        Ok(CardNumber(digits))
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Logs show only the last four digits.
        write!(f, "CardNumber(…{})", self.last4())
    }
}

/// The Luhn digit that makes `payload` followed by it pass the check.
fn luhn_check_digit(payload: &[u8]) -> u8 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The NFC chip's UID as a reader sends it: 4, 7 or 10 bytes in hex.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChipUid(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a chip id is 8, 14 or 20 hexadecimal characters")]
pub struct ChipUidError;

impl ChipUid {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ChipUid {
    type Err = ChipUidError;

    /// Readers differ in case and separators (`04:A2:…`); stored upper-case, bare.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ':' && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if ![8, 14, 20].contains(&hex.len()) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ChipUidError);
        }
        Ok(ChipUid(hex))
    }
}

/// What a till read off a card: the printed number or the chip's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardIdentifier {
    Number(CardNumber),
    Chip(ChipUid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("neither a card number nor a chip id")]
pub struct CardIdentifierError;

impl FromStr for CardIdentifier {
    type Err = CardIdentifierError;

    /// 16 digits are a card number (and must pass the check digit); anything
    /// else must be a chip id.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
        let others = s.chars().filter(|c| !c.is_ascii_digit() && !c.is_whitespace() && *c != '-').count();
        if digits == 16 && others == 0 {
            return s.parse().map(CardIdentifier::Number).map_err(|_| CardIdentifierError);
        }
        s.parse().map(CardIdentifier::Chip).map_err(|_| CardIdentifierError)
    }
}

/// Where a card is in its life.
///
/// ```text
/// in_stock ──hand_out──▶ handed_out ──activate──▶ active ◀──unblock── blocked
///    │                        │                     │──block──────────▶ │
///    └──────activate──────────┴─────────▶           └──cancel─▶ cancelled ◀┘
/// ```
/// A blank card lies in an office's stock; handed out it is reserved for a
/// child; activated it pays from the child's wallet. Blocked is reversible,
/// cancelled (replaced, wallet closed) is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    InStock,
    HandedOut,
    Active,
    Blocked,
    Cancelled,
}

/// Something that happens to a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardEvent {
    HandOut,
    Activate,
    Block,
    Unblock,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a card that is {from:?} cannot {event:?}")]
pub struct CardTransitionError {
    pub from: CardState,
    pub event: CardEvent,
}

impl CardState {
    pub const ALL: [CardState; 5] =
        [CardState::InStock, CardState::HandedOut, CardState::Active, CardState::Blocked, CardState::Cancelled];

    /// The only place card transitions are decided.
    pub fn apply(self, event: CardEvent) -> Result<CardState, CardTransitionError> {
        use CardEvent::*;
        use CardState::*;
        let next = match (self, event) {
            (InStock, HandOut) => HandedOut,
            (InStock | HandedOut, Activate) => Active,
            (Active, Block) => Blocked,
            (Blocked, Unblock) => Active,
            (InStock | HandedOut | Active | Blocked, Cancel) => Cancelled,
            _ => return Err(CardTransitionError { from: self, event }),
        };
        Ok(next)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardState::InStock => "in_stock",
            CardState::HandedOut => "handed_out",
            CardState::Active => "active",
            CardState::Blocked => "blocked",
            CardState::Cancelled => "cancelled",
        }
    }
}

impl FromStr for CardState {
    type Err = UnknownCardState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CardState::ALL.into_iter().find(|state| state.as_str() == s).ok_or(UnknownCardState)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown card state")]
pub struct UnknownCardState;

/// The last four characters of a stored card number, as pages and mails show
/// it (the whole of a shorter one).
pub fn last4(number: &str) -> &str {
    number.get(number.len().saturating_sub(4)..).unwrap_or(number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_printed_numbers_with_a_valid_check_digit() {
        let n: CardNumber = "9208 0913 9099 6031".parse().unwrap();
        assert_eq!(n.digits(), "9208091390996031");
        assert_eq!(n.last4(), "6031");
        assert_eq!(n.grouped(), "9208 0913 9099 6031");
        assert_eq!("4539-1488-0343-6467".parse::<CardNumber>().map(|n| n.last4()), Ok("6467".into()));
    }

    #[test]
    fn rejects_wrong_numbers() {
        assert_eq!("9208091390996032".parse::<CardNumber>(), Err(CardNumberError::CheckDigit));
        assert_eq!("920809139099603".parse::<CardNumber>(), Err(CardNumberError::WrongLength));
        assert_eq!("92080913909960311".parse::<CardNumber>(), Err(CardNumberError::WrongLength));
        assert_eq!("9208O91390996031".parse::<CardNumber>(), Err(CardNumberError::NotDigits));
    }

    #[test]
    fn tells_a_number_from_a_chip() {
        assert!(matches!("9208091390996031".parse(), Ok(CardIdentifier::Number(_))));
        assert!(matches!("149d4395".parse(), Ok(CardIdentifier::Chip(c)) if c.as_str() == "149D4395"));
        assert!(matches!("04:A2:2B:1A:6F:52:80".parse(), Ok(CardIdentifier::Chip(_))));
        assert_eq!("9208091390996032".parse::<CardIdentifier>(), Err(CardIdentifierError));
        assert_eq!("hello".parse::<CardIdentifier>(), Err(CardIdentifierError));
        assert_eq!("".parse::<CardIdentifier>(), Err(CardIdentifierError));
    }

    #[test]
    fn card_life_follows_the_diagram() {
        use CardEvent::*;
        use CardState::*;
        assert_eq!(InStock.apply(HandOut), Ok(HandedOut));
        assert_eq!(HandedOut.apply(Activate), Ok(Active));
        assert_eq!(Active.apply(Block), Ok(Blocked));
        assert_eq!(Blocked.apply(Unblock), Ok(Active));
        assert_eq!(Blocked.apply(Cancel), Ok(Cancelled));
        for event in [HandOut, Activate, Block, Unblock, Cancel] {
            assert!(Cancelled.apply(event).is_err(), "cancelled is final");
        }
        assert!(Active.apply(Activate).is_err());
        assert!(HandedOut.apply(Block).is_err());
    }

    #[test]
    fn states_round_trip_through_text() {
        for state in CardState::ALL {
            assert_eq!(state.as_str().parse(), Ok(state));
        }
    }

    proptest! {
        #[test]
        fn every_generated_number_passes_its_check(first in proptest::array::uniform15(0u8..10)) {
            let n = CardNumber::with_check_digit(first);
            prop_assert_eq!(n.digits().parse::<CardNumber>(), Ok(n));
        }

        #[test]
        fn one_changed_digit_is_always_caught(first in proptest::array::uniform15(0u8..10), pos in 0usize..16, delta in 1u8..10) {
            let mut digits: Vec<u8> = CardNumber::with_check_digit(first).digits().bytes().map(|b| b - b'0').collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let typed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert_eq!(typed.parse::<CardNumber>(), Err(CardNumberError::CheckDigit));
        }
    }
}
