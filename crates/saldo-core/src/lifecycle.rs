//! The lifecycles of things that wait on someone else: a deposit on the
//! provider, a top-up charge on the saved card, a payout refund on the
//! provider, a withdrawal on the operator, a card order on the office.
//!
//! Each is an enum with the moves it allows. The store keeps them as text
//! and settles a row only from the state the caller saw (exactly once); no
//! code outside the store reads the text.

use std::fmt;

/// A status with a closed set of values and the moves between them.
pub trait Lifecycle: Copy + Eq + fmt::Debug + Sized + 'static {
    /// Every value, the first being where a new one starts.
    const ALL: &'static [Self];
    /// The value as stored (and in the API where one is shown).
    fn as_str(self) -> &'static str;
    /// Whether a row in this state may become `next`.
    fn may_become(self, next: Self) -> bool;

    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == text)
    }
}

macro_rules! lifecycle {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use lifecycle;

lifecycle! {
    /// A deposit: waiting on the provider's word, then settled once.
    DepositStatus { Pending = "pending", Confirmed = "confirmed", Declined = "declined", Cancelled = "cancelled" }
}

impl Lifecycle for DepositStatus {
    const ALL: &'static [Self] = &[Self::Pending, Self::Confirmed, Self::Declined, Self::Cancelled];
    fn as_str(self) -> &'static str {
        DepositStatus::as_str(self)
    }
    fn may_become(self, next: Self) -> bool {
        self == Self::Pending && next != Self::Pending
    }
}

lifecycle! {
    /// One attempt to charge a saved card for an automatic top-up.
    ChargeStatus {
        Pending = "pending",
        Succeeded = "succeeded",
        Declined = "declined",
        /// The bank wants the cardholder to approve (3-D Secure).
        NeedsCardholder = "needs_cardholder",
    }
}

impl Lifecycle for ChargeStatus {
    const ALL: &'static [Self] = &[Self::Pending, Self::Succeeded, Self::Declined, Self::NeedsCardholder];
    fn as_str(self) -> &'static str {
        ChargeStatus::as_str(self)
    }
    /// A charge cancelled while the provider was already taking the money
    /// (declined here, succeeded there) is corrected to succeeded: the money came.
    fn may_become(self, next: Self) -> bool {
        match self {
            Self::Pending => next != Self::Pending,
            Self::Declined | Self::NeedsCardholder => next == Self::Succeeded,
            Self::Succeeded => false,
        }
    }
}

lifecycle! {
    /// Part of a payout sent back to the card that paid it in.
    RefundStatus { Pending = "pending", Refunded = "refunded", Refused = "refused" }
}

impl Lifecycle for RefundStatus {
    const ALL: &'static [Self] = &[Self::Pending, Self::Refunded, Self::Refused];
    fn as_str(self) -> &'static str {
        RefundStatus::as_str(self)
    }
    fn may_become(self, next: Self) -> bool {
        self == Self::Pending && next != Self::Pending
    }
}

lifecycle! {
    /// A payout a custodian asked for, reserved at once, decided by the operator.
    WithdrawalStatus { Requested = "requested", Paid = "paid", Rejected = "rejected" }
}

impl Lifecycle for WithdrawalStatus {
    const ALL: &'static [Self] = &[Self::Requested, Self::Paid, Self::Rejected];
    fn as_str(self) -> &'static str {
        WithdrawalStatus::as_str(self)
    }
    fn may_become(self, next: Self) -> bool {
        self == Self::Requested && next != Self::Requested
    }
}

lifecycle! {
    /// A replacement card order: ordered on the portal, handed out at the
    /// office, closed when the new card is activated (or cancelled).
    OrderState { Ordered = "ordered", HandedOut = "handed_out", Activated = "activated", Cancelled = "cancelled" }
}

impl Lifecycle for OrderState {
    const ALL: &'static [Self] = &[Self::Ordered, Self::HandedOut, Self::Activated, Self::Cancelled];
    fn as_str(self) -> &'static str {
        OrderState::as_str(self)
    }
    fn may_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Ordered, Self::HandedOut | Self::Activated | Self::Cancelled)
                | (Self::HandedOut, Self::Activated | Self::Cancelled)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<L: Lifecycle>() {
        for &state in L::ALL {
            assert_eq!(L::parse(state.as_str()), Some(state));
            assert!(!state.may_become(state), "{state:?} may not become itself");
        }
        assert_eq!(L::parse("no such state"), None);
    }

    #[test]
    fn every_state_reads_back_as_itself_and_none_becomes_itself() {
        round_trips::<DepositStatus>();
        round_trips::<ChargeStatus>();
        round_trips::<RefundStatus>();
        round_trips::<WithdrawalStatus>();
        round_trips::<OrderState>();
    }

    #[test]
    fn a_settled_deposit_stays_settled() {
        use DepositStatus::*;
        assert!(Pending.may_become(Confirmed) && Pending.may_become(Declined) && Pending.may_become(Cancelled));
        for done in [Confirmed, Declined, Cancelled] {
            assert!(DepositStatus::ALL.iter().all(|&next| !done.may_become(next)), "{done:?}");
        }
    }

    #[test]
    fn only_money_that_came_late_turns_a_charge_round() {
        use ChargeStatus::*;
        assert!(Declined.may_become(Succeeded) && NeedsCardholder.may_become(Succeeded));
        assert!(!Succeeded.may_become(Declined) && !Declined.may_become(Pending));
    }

    #[test]
    fn a_card_order_moves_forward_only() {
        use OrderState::*;
        assert!(Ordered.may_become(HandedOut) && HandedOut.may_become(Activated) && Ordered.may_become(Activated));
        assert!(!Activated.may_become(Ordered) && !Cancelled.may_become(HandedOut) && !HandedOut.may_become(Ordered));
    }
}
