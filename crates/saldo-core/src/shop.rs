//! The webshop's rules, pure: which days a sales point serves, until when a
//! day can be ordered and cancelled, what happens to an order nobody
//! collected, and the moves an ordered dish may make.
//!
//! Deadlines are local (Danish) wall-clock times on school days: "order by
//! 14:00 the school day before, cancel until 08:00 on the day" is the
//! default, as MensaMax and ParentPay do it.

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::{Date, Time, Weekday};
use jiff::Timestamp;

use crate::day::{local_day, local_tz};
use crate::lifecycle::Lifecycle;

/// How far ahead parents may order: three weeks, as ParentPay allows.
pub const DAYS_AHEAD: i64 = 21;

/// What happens to an order nobody collected on its day (the operator's choice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Uncollected {
    /// The food was made: the sales point keeps the money (the default, as most peers do).
    Kept,
    /// The money goes back to the wallet after the day.
    Refunded,
}

impl Uncollected {
    pub const ALL: [Uncollected; 2] = [Uncollected::Kept, Uncollected::Refunded];

    pub fn as_str(self) -> &'static str {
        match self {
            Uncollected::Kept => "kept",
            Uncollected::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<Uncollected> {
        Uncollected::ALL.into_iter().find(|u| u.as_str() == text)
    }
}

/// A sales point's deadlines and its policy for uncollected orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShopTerms {
    /// How many school days before the serving day ordering closes (0: on the day).
    pub order_days_before: u8,
    /// The local time on that day ordering closes.
    pub order_until: Time,
    /// The local time on the serving day cancelling closes.
    pub cancel_until: Time,
    pub uncollected: Uncollected,
}

impl Default for ShopTerms {
    fn default() -> ShopTerms {
        ShopTerms {
            order_days_before: 1,
            order_until: Time::constant(14, 0, 0, 0),
            cancel_until: Time::constant(8, 0, 0, 0),
            uncollected: Uncollected::Kept,
        }
    }
}

/// An institution's days without service (holidays, closing days); weekends are never served.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    closed: BTreeSet<Date>,
}

impl Calendar {
    pub fn new(closed: impl IntoIterator<Item = Date>) -> Calendar {
        Calendar { closed: closed.into_iter().collect() }
    }

    pub fn is_closed(&self, day: Date) -> bool {
        self.closed.contains(&day)
    }

    /// A weekday the institution is open.
    pub fn is_school_day(&self, day: Date) -> bool {
        !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.is_closed(day)
    }

    /// The school day `n` school days before `day` (`day` itself for 0).
    /// Gives up after a year of closed days (a calendar that is all holiday).
    fn school_days_before(&self, day: Date, n: u8) -> Option<Date> {
        let mut at = day;
        let mut left = n;
        for _ in 0..366 {
            if left == 0 {
                return Some(at);
            }
            at = at.yesterday().ok()?;
            if self.is_school_day(at) {
                left -= 1;
            }
        }
        None
    }
}

/// Why a day or a dish cannot be ordered or cancelled now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayRefusal {
    /// The institution does not serve that day (a weekend, a holiday).
    Closed,
    /// The order deadline has passed.
    PastOrderDeadline,
    /// Further ahead than parents may order.
    TooFarAhead,
    /// The cancel deadline has passed.
    PastCancelDeadline,
}

impl ShopTerms {
    /// When ordering for `day` closes. A day with no school day before it
    /// within a year closes at once (the epoch).
    pub fn order_deadline(&self, calendar: &Calendar, day: Date) -> Timestamp {
        calendar
            .school_days_before(day, self.order_days_before)
            .and_then(|d| local_moment(d, self.order_until))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// When cancelling an order for `day` closes.
    pub fn cancel_deadline(&self, day: Date) -> Timestamp {
        local_moment(day, self.cancel_until).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// May `day` be ordered at `now`?
    pub fn may_order(&self, calendar: &Calendar, day: Date, now: Timestamp) -> Result<(), DayRefusal> {
        if !calendar.is_school_day(day) {
            return Err(DayRefusal::Closed);
        }
        if now >= self.order_deadline(calendar, day) {
            return Err(DayRefusal::PastOrderDeadline);
        }
        let today = local_day(now);
        if today.until(day).map(|span| span.get_days() as i64).unwrap_or(i64::MAX) > DAYS_AHEAD {
            return Err(DayRefusal::TooFarAhead);
        }
        Ok(())
    }

    /// May an order for `day` be cancelled at `now`?
    pub fn may_cancel(&self, day: Date, now: Timestamp) -> Result<(), DayRefusal> {
        if now >= self.cancel_deadline(day) {
            return Err(DayRefusal::PastCancelDeadline);
        }
        Ok(())
    }

    /// The serving days a parent can order at `now`, in order.
    pub fn days_open_for_orders(&self, calendar: &Calendar, now: Timestamp) -> Vec<Date> {
        let today = local_day(now);
        (0..=DAYS_AHEAD)
            .filter_map(|n| today.checked_add(jiff::Span::new().days(n)).ok())
            .filter(|day| self.may_order(calendar, *day, now).is_ok())
            .collect()
    }
}

/// `time` on `day`, Danish time. A wall-clock time that does not exist (the
/// hour skipped in spring) is taken as the moment after the gap.
fn local_moment(day: Date, time: Time) -> Option<Timestamp> {
    day.to_datetime(time).to_zoned(local_tz()).ok().map(|z| z.timestamp())
}

crate::lifecycle::lifecycle! {
    /// One ordered dish on one day (bestilling), from payment to its end.
    ShopOrderState {
        /// Paid from the wallet; the money waits on the sales point's orders account.
        Paid = "paid",
        /// Cancelled before the deadline; the money went back to the wallet.
        Cancelled = "cancelled",
        /// Collected at the till; the money became the sales point's revenue.
        HandedOut = "handed_out",
        /// Not collected on its day; handled as the operator's policy says.
        NotCollected = "not_collected",
    }
}

impl Lifecycle for ShopOrderState {
    const ALL: &'static [Self] = &[Self::Paid, Self::Cancelled, Self::HandedOut, Self::NotCollected];
    fn as_str(self) -> &'static str {
        ShopOrderState::as_str(self)
    }
    fn may_become(self, next: Self) -> bool {
        self == Self::Paid && next != Self::Paid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_is_order_by_two_the_school_day_before_and_cancel_until_eight() {
        let terms = ShopTerms::default();
        let calendar = Calendar::default();
        // Wednesday 9 December 2026: order by Tuesday 14:00 (13:00 UTC in winter).
        let wednesday = date(2026, 12, 9);
        assert_eq!(terms.order_deadline(&calendar, wednesday), at("2026-12-08T13:00:00Z"));
        assert_eq!(terms.cancel_deadline(wednesday), at("2026-12-09T07:00:00Z"));
        assert_eq!(terms.may_order(&calendar, wednesday, at("2026-12-08T12:59:59Z")), Ok(()));
        assert_eq!(
            terms.may_order(&calendar, wednesday, at("2026-12-08T13:00:00Z")),
            Err(DayRefusal::PastOrderDeadline)
        );
        assert_eq!(terms.may_cancel(wednesday, at("2026-12-09T06:59:59Z")), Ok(()));
        assert_eq!(terms.may_cancel(wednesday, at("2026-12-09T07:00:00Z")), Err(DayRefusal::PastCancelDeadline));
    }

    #[test]
    fn a_monday_closes_on_friday_and_a_day_after_a_holiday_before_it() {
        let terms = ShopTerms::default();
        let monday = date(2026, 12, 7);
        assert_eq!(terms.order_deadline(&Calendar::default(), monday), at("2026-12-04T13:00:00Z"));
        // With Friday closed, Thursday is the school day before.
        let calendar = Calendar::new([date(2026, 12, 4)]);
        assert_eq!(terms.order_deadline(&calendar, monday), at("2026-12-03T13:00:00Z"));
        // In summer the offset is two hours.
        assert_eq!(terms.cancel_deadline(date(2026, 6, 10)), at("2026-06-10T06:00:00Z"));
    }

    #[test]
    fn weekends_closed_days_and_days_too_far_ahead_cannot_be_ordered() {
        let terms = ShopTerms::default();
        let calendar = Calendar::new([date(2026, 12, 23)]);
        let now = at("2026-12-01T09:00:00Z");
        assert_eq!(terms.may_order(&calendar, date(2026, 12, 5), now), Err(DayRefusal::Closed));
        assert_eq!(terms.may_order(&calendar, date(2026, 12, 23), now), Err(DayRefusal::Closed));
        assert_eq!(terms.may_order(&calendar, date(2026, 12, 22), now), Ok(()));
        assert_eq!(terms.may_order(&calendar, date(2026, 12, 28), now), Err(DayRefusal::TooFarAhead));
        let days = terms.days_open_for_orders(&calendar, now);
        assert_eq!(days.first(), Some(&date(2026, 12, 2)));
        assert!(!days.contains(&date(2026, 12, 23)) && !days.contains(&date(2026, 12, 6)));
        assert!(days.iter().all(|d| calendar.is_school_day(*d)));
    }

    #[test]
    fn same_day_terms_close_on_the_day_itself() {
        let terms = ShopTerms { order_days_before: 0, order_until: Time::constant(8, 0, 0, 0), ..ShopTerms::default() };
        let day = date(2026, 12, 9);
        assert_eq!(terms.order_deadline(&Calendar::default(), day), at("2026-12-09T07:00:00Z"));
    }

    #[test]
    fn an_order_moves_once_from_paid() {
        assert!(ShopOrderState::Paid.may_become(ShopOrderState::HandedOut));
        assert!(ShopOrderState::Paid.may_become(ShopOrderState::Cancelled));
        assert!(!ShopOrderState::Cancelled.may_become(ShopOrderState::HandedOut));
        assert!(!ShopOrderState::HandedOut.may_become(ShopOrderState::Cancelled));
        assert_eq!(ShopOrderState::parse("not_collected"), Some(ShopOrderState::NotCollected));
    }
}
