//! Money: an integer number of øre (1/100 DKK), never a float.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An amount in øre. Arithmetic is checked: an overflow is an error, never a wrap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

/// The largest amount anyone may type: 100 million kroner. Far above any
/// wallet, far below where `i64` øre could overflow in a sum of many.
const MAX_INPUT_ORE: i64 = 100_000_000 * 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("the amount is empty")]
    Empty,
    #[error("the amount is not a number")]
    NotANumber,
    #[error("the amount has more than two decimals")]
    TooManyDecimals,
    #[error("the amount is too large")]
    TooLarge,
    #[error("the amount overflowed")]
    Overflow,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_ore(ore: i64) -> Money {
        Money(ore)
    }

    /// Whole kroner, for constants and tests: `Money::kr(10)` is 10,00 kr.
    pub const fn kr(kroner: i64) -> Money {
        Money(kroner * 100)
    }

    pub const fn ore(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.0.checked_add(other.0).map(Money).ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.0.checked_sub(other.0).map(Money).ok_or(MoneyError::Overflow)
    }

    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        self.0.checked_mul(factor).map(Money).ok_or(MoneyError::Overflow)
    }

    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        self.0.checked_neg().map(Money).ok_or(MoneyError::Overflow)
    }

    /// Sum of many amounts, failing on overflow.
    pub fn sum<I: IntoIterator<Item = Money>>(amounts: I) -> Result<Money, MoneyError> {
        amounts.into_iter().try_fold(Money::ZERO, Money::checked_add)
    }

    /// Danish display: `1.234,50 kr.`
    pub fn display_da(self) -> String {
        format!("{} kr.", self.grouped('.', ','))
    }

    /// English display: `DKK 1,234.50`
    pub fn display_en(self) -> String {
        let body = self.abs_grouped(',', '.');
        if self.is_negative() {
            format!("-DKK {body}")
        } else {
            format!("DKK {body}")
        }
    }

    /// Plain form for inputs and CSV: `1234,50` (Danish decimal comma, no grouping).
    pub fn plain_da(self) -> String {
        let sign = if self.is_negative() { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{},{:02}", abs / 100, abs % 100)
    }

    fn grouped(self, thousands: char, decimal: char) -> String {
        let body = self.abs_grouped(thousands, decimal);
        if self.is_negative() {
            format!("-{body}")
        } else {
            body
        }
    }

    fn abs_grouped(self, thousands: char, decimal: char) -> String {
        let abs = self.0.unsigned_abs();
        let kroner = (abs / 100).to_string();
        let mut out = String::with_capacity(kroner.len() + kroner.len() / 3 + 3);
        for (i, digit) in kroner.chars().enumerate() {
            if i > 0 && (kroner.len() - i).is_multiple_of(3) {
                out.push(thousands);
            }
            out.push(digit);
        }
        out.push(decimal);
        out.push_str(&format!("{:02}", abs % 100));
        out
    }
}

impl fmt::Display for Money {
    /// The Danish form is the default everywhere a language is not known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_da())
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Accepts what a Danish parent or a legacy export writes, and plain decimals:
    /// `1.234,50`, `1234,50`, `12,5`, `1234.50`, `1234`, `-3,00`, with an optional
    /// `kr`/`kr.`/`DKK`. A comma is always the decimal mark, dots before it must
    /// group thousands. Without a comma, dots that group thousands (`1.234`) are
    /// read the Danish way; a single dot followed by one or two digits is a
    /// decimal point. More than two decimals is an error, never a rounding.
    fn from_str(input: &str) -> Result<Money, MoneyError> {
        let mut s = input.trim();
        for affix in ["kr.", "kr", "DKK"] {
            s = s.strip_suffix(affix).unwrap_or(s).trim();
            s = s.strip_prefix(affix).unwrap_or(s).trim();
        }
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, s),
        };
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (whole, fraction) = split_decimal(s)?;
        let whole = strip_grouping(whole)?;
        if whole.is_empty() && fraction.is_empty() {
            return Err(MoneyError::NotANumber);
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        if fraction.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(MoneyError::TooLarge);
        }
        let kroner: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::NotANumber)? };
        let ore: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| MoneyError::NotANumber)? * 10,
            _ => fraction.parse().map_err(|_| MoneyError::NotANumber)?,
        };
        let total = kroner.checked_mul(100).and_then(|k| k.checked_add(ore)).ok_or(MoneyError::TooLarge)?;
        if total > MAX_INPUT_ORE {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(if negative { -total } else { total }))
    }
}

/// Splits `s` into the whole part (still with any grouping dots) and the decimals.
fn split_decimal(s: &str) -> Result<(&str, &str), MoneyError> {
    if let Some((whole, fraction)) = s.split_once(',') {
        if fraction.contains([',', '.']) {
            return Err(MoneyError::NotANumber);
        }
        return Ok((whole, fraction));
    }
    if let Some((whole, fraction)) = s.rsplit_once('.') {
        let is_grouping = fraction.len() == 3 && groups_thousands(s);
        if !is_grouping && !whole.contains('.') {
            return Ok((whole, fraction));
        }
    }
    Ok((s, ""))
}

/// Removes thousands dots, insisting they sit every three digits.
fn strip_grouping(whole: &str) -> Result<String, MoneyError> {
    if !whole.contains('.') {
        return Ok(whole.to_owned());
    }
    if !groups_thousands(whole) {
        return Err(MoneyError::NotANumber);
    }
    Ok(whole.replace('.', ""))
}

fn groups_thousands(s: &str) -> bool {
    let mut groups = s.split('.');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<i64, MoneyError> {
        s.parse::<Money>().map(Money::ore)
    }

    #[test]
    fn parses_danish_and_plain_forms() {
        assert_eq!(parse("1.234,50"), Ok(123_450));
        assert_eq!(parse("1234,50"), Ok(123_450));
        assert_eq!(parse("1234.50"), Ok(123_450));
        assert_eq!(parse("12,5"), Ok(1_250));
        assert_eq!(parse("0,05"), Ok(5));
        assert_eq!(parse(" 200 kr. "), Ok(20_000));
        assert_eq!(parse("DKK 1,5"), Ok(150));
        assert_eq!(parse("-3,00"), Ok(-300));
        assert_eq!(parse("1.234.567,89"), Ok(123_456_789));
        assert_eq!(parse("1.234"), Ok(123_400), "dots that group thousands read the Danish way");
        assert_eq!(parse(",50"), Ok(50));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        assert_eq!(parse(""), Err(MoneyError::Empty));
        assert_eq!(parse("kr."), Err(MoneyError::Empty));
        assert_eq!(parse("12,345"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse("1.2345"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse("12.34,5"), Err(MoneyError::NotANumber));
        assert_eq!(parse("1,2,3"), Err(MoneyError::NotANumber));
        assert_eq!(parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(parse("+5"), Err(MoneyError::NotANumber));
        assert_eq!(parse("99999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(parse("100000001"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn displays_per_language() {
        assert_eq!(Money::from_ore(123_450).display_da(), "1.234,50 kr.");
        assert_eq!(Money::from_ore(123_450).display_en(), "DKK 1,234.50");
        assert_eq!(Money::from_ore(5).display_da(), "0,05 kr.");
        assert_eq!(Money::from_ore(-1_000).display_da(), "-10,00 kr.");
        assert_eq!(Money::from_ore(-1_000).display_en(), "-DKK 10.00");
        assert_eq!(Money::from_ore(100_000_000).display_da(), "1.000.000,00 kr.");
        assert_eq!(Money::from_ore(-5).plain_da(), "-0,05");
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Money::from_ore(i64::MAX).checked_add(Money::from_ore(1)), Err(MoneyError::Overflow));
        assert_eq!(Money::from_ore(i64::MIN).checked_neg(), Err(MoneyError::Overflow));
        assert_eq!(Money::kr(3).checked_mul(4), Ok(Money::kr(12)));
    }

    proptest! {
        #[test]
        fn every_displayed_amount_parses_back(ore in -MAX_INPUT_ORE..=MAX_INPUT_ORE) {
            let money = Money::from_ore(ore);
            prop_assert_eq!(money.display_da().parse::<Money>(), Ok(money));
            prop_assert_eq!(money.plain_da().parse::<Money>(), Ok(money));
            let plain = format!("{}{}.{:02}", if ore < 0 { "-" } else { "" }, ore.unsigned_abs() / 100, ore.unsigned_abs() % 100);
            prop_assert_eq!(plain.parse::<Money>(), Ok(money));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,24}") {
            let _ = s.parse::<Money>();
        }
    }
}
