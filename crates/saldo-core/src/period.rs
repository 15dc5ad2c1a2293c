//! The stretch of time a finance report covers: a Danish calendar day or a
//! calendar month, from local midnight to local midnight (so a month in
//! which the clocks change still has every hour of it, and no more).

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::Timestamp;

use crate::day::local_tz;

/// A day (`2026-11-05`) or a month (`2026-11`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Day(Date),
    /// The first day of the month.
    Month(Date),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a day is written YYYY-MM-DD and a month YYYY-MM")]
pub struct PeriodError;

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(day) = s.parse::<Date>() {
            return Ok(Period::Day(day));
        }
        // A month is its first day; jiff wants a whole date to parse.
        if s.len() == 7 && s.as_bytes()[4] == b'-' {
            if let Ok(first) = format!("{s}-01").parse::<Date>() {
                return Ok(Period::Month(first));
            }
        }
        Err(PeriodError)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Day(day) => write!(f, "{day}"),
            Period::Month(first) => write!(f, "{}", first.strftime("%Y-%m")),
        }
    }
}

impl Period {
    /// The month a day falls in.
    pub fn month_of(day: Date) -> Period {
        Period::Month(day.first_of_month())
    }

    pub fn first_day(self) -> Date {
        match self {
            Period::Day(day) => day,
            Period::Month(first) => first,
        }
    }

    /// The first day after the period.
    pub fn end_day(self) -> Date {
        match self {
            Period::Day(day) => day.tomorrow().unwrap_or(day),
            Period::Month(first) => first.last_of_month().tomorrow().unwrap_or(first),
        }
    }

    /// Every day of the period, in order.
    pub fn days(self) -> Vec<Date> {
        let end = self.end_day();
        let mut days = Vec::with_capacity(31);
        let mut day = self.first_day();
        while day < end {
            days.push(day);
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        days
    }

    /// From the first local midnight (included) to the last (excluded).
    pub fn bounds(self) -> (Timestamp, Timestamp) {
        (midnight(self.first_day()), midnight(self.end_day()))
    }

    /// Whether `at` lies in the period.
    pub fn contains(self, at: Timestamp) -> bool {
        let (from, to) = self.bounds();
        at >= from && at < to
    }

    /// The period before (the day before, the month before).
    pub fn previous(self) -> Period {
        match self {
            Period::Day(day) => Period::Day(day.yesterday().unwrap_or(day)),
            Period::Month(first) => Period::Month(first.yesterday().map(|d| d.first_of_month()).unwrap_or(first)),
        }
    }
}

/// The local midnight that starts `day`. Copenhagen never skips midnight
/// (its clocks change at 02:00 and 03:00), so this is always that instant.
pub fn midnight(day: Date) -> Timestamp {
    day.to_zoned(local_tz()).map(|z| z.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_day_and_a_month_are_read_and_written_alike() {
        assert_eq!("2026-11-05".parse::<Period>(), Ok(Period::Day(date(2026, 11, 5))));
        assert_eq!("2026-11".parse::<Period>(), Ok(Period::Month(date(2026, 11, 1))));
        assert_eq!("2026-13".parse::<Period>(), Err(PeriodError));
        assert_eq!("november".parse::<Period>(), Err(PeriodError));
        assert_eq!(Period::Month(date(2026, 11, 1)).to_string(), "2026-11");
        assert_eq!(Period::Day(date(2026, 11, 5)).to_string(), "2026-11-05");
    }

    #[test]
    fn a_month_runs_from_local_midnight_to_local_midnight_over_the_clock_change() {
        let october = Period::Month(date(2026, 10, 1));
        assert_eq!(october.days().len(), 31);
        let (from, to) = october.bounds();
        assert_eq!(from.to_string(), "2026-09-30T22:00:00Z");
        assert_eq!(to.to_string(), "2026-10-31T23:00:00Z");
        // 31 days and the hour summer time gives back.
        assert_eq!(to.duration_since(from).as_hours(), 31 * 24 + 1);
        assert_eq!(Period::Month(date(2026, 2, 1)).days().len(), 28);
        assert_eq!(Period::Month(date(2026, 1, 1)).previous(), Period::Month(date(2025, 12, 1)));
        assert!(Period::Day(date(2026, 11, 5)).contains("2026-11-05T22:59:59Z".parse().unwrap()));
        assert!(!Period::Day(date(2026, 11, 5)).contains("2026-11-05T23:00:00Z".parse().unwrap()));
    }
}
