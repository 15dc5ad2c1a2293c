//! The calendar day a moment falls on, in Danish time: daily limits reset at local midnight.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The municipality's time zone. Daily limits, reports and "today" follow it.
pub fn local_tz() -> TimeZone {
    // The bundled tz database always has Europe/Copenhagen; a fixed +01:00
    // would be wrong half the year, so failing to find it is a build defect.
    TimeZone::get("Europe/Copenhagen").expect("tz database bundled with jiff has Europe/Copenhagen")
}

/// The local calendar day of `at`.
pub fn local_day(at: Timestamp) -> Date {
    at.to_zoned(local_tz()).date()
}

/// The local month, as a card's expiry is kept: `2026-11`.
pub fn month_key(at: Timestamp) -> String {
    local_day(at).strftime("%Y-%m").to_string()
}

/// The day as stored beside a wallet's spend: `2026-11-25`.
pub fn day_key(at: Timestamp) -> String {
    local_day(at).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_turns_at_danish_midnight_not_utc() {
        // 23:30 UTC in November is 00:30 the next day in Copenhagen (UTC+1).
        let late: Timestamp = "2026-11-25T23:30:00Z".parse().unwrap();
        assert_eq!(day_key(late), "2026-11-26");
        // In summer the offset is two hours.
        let summer: Timestamp = "2026-06-30T21:59:59Z".parse().unwrap();
        assert_eq!(day_key(summer), "2026-06-30");
        let summer_midnight: Timestamp = "2026-06-30T22:00:00Z".parse().unwrap();
        assert_eq!(day_key(summer_midnight), "2026-07-01");
    }
}
