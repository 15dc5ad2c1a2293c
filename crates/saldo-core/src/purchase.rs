//! The purchase decision: may this card pay this much now, and if not, why.
//!
//! The store guards the same rule with one conditional write (so two tills
//! cannot overspend together); this is the rule itself, and what the store
//! asks to explain a refusal.

use serde::{Deserialize, Serialize};

use crate::card::CardState;
use crate::money::Money;

/// Why a till says no. The text a child and the staff read lives with the
/// translations; this is the reason itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decline {
    InsufficientFunds,
    DailyLimitExceeded,
    CardBlocked,
    CardNotActive,
    UnknownCard,
    WalletClosed,
    /// A custodian has blocked the category of an item in the basket.
    ItemBlocked,
}

impl Decline {
    pub const ALL: [Decline; 7] = [
        Decline::InsufficientFunds,
        Decline::DailyLimitExceeded,
        Decline::CardBlocked,
        Decline::CardNotActive,
        Decline::UnknownCard,
        Decline::WalletClosed,
        Decline::ItemBlocked,
    ];

    /// The stable code tills and integrations see.
    pub fn code(self) -> &'static str {
        match self {
            Decline::InsufficientFunds => "insufficient_funds",
            Decline::DailyLimitExceeded => "daily_limit_exceeded",
            Decline::CardBlocked => "card_blocked",
            Decline::CardNotActive => "card_not_active",
            Decline::UnknownCard => "unknown_card",
            Decline::WalletClosed => "wallet_closed",
            Decline::ItemBlocked => "item_blocked",
        }
    }
}

/// A wallet as the till needs to see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalletState {
    pub open: bool,
    pub balance: Money,
    /// What was spent on `today` (zero if the wallet's last spend was another day).
    pub spent_today: Money,
    pub daily_limit: Option<Money>,
}

/// The rule, in the order a child would want to hear it: first whether the
/// card works at all, then the money.
pub fn decide(card: CardState, wallet: &WalletState, total: Money) -> Result<(), Decline> {
    match card {
        CardState::Active => {}
        CardState::Blocked | CardState::Cancelled => return Err(Decline::CardBlocked),
        CardState::InStock | CardState::HandedOut => return Err(Decline::CardNotActive),
    }
    if !wallet.open {
        return Err(Decline::WalletClosed);
    }
    if wallet.balance < total {
        return Err(Decline::InsufficientFunds);
    }
    if let Some(limit) = wallet.daily_limit {
        let after = wallet.spent_today.checked_add(total).map_err(|_| Decline::DailyLimitExceeded)?;
        if after > limit {
            return Err(Decline::DailyLimitExceeded);
        }
    }
    Ok(())
}

/// An item in a basket as the rule sees it: its name and its category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasketItem<'a> {
    pub name: &'a str,
    pub category: &'a str,
}

/// A refusal of a basket: the reason, and for a blocked item, which item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasketRefusal {
    pub reason: Decline,
    pub item: Option<String>,
}

impl From<Decline> for BasketRefusal {
    fn from(reason: Decline) -> Self {
        BasketRefusal { reason, item: None }
    }
}

/// The whole rule for a basket: first whether the card works, then whether a
/// custodian has blocked anything in it, then the money. A blocked item is
/// refused before any money moves, naming the first such item.
pub fn decide_basket(
    card: CardState,
    wallet: &WalletState,
    items: &[BasketItem<'_>],
    blocked_categories: &[String],
    total: Money,
) -> Result<(), BasketRefusal> {
    decide(card, wallet, Money::ZERO)?;
    if let Some(item) = items.iter().find(|i| blocked_categories.iter().any(|b| b == i.category)) {
        return Err(BasketRefusal { reason: Decline::ItemBlocked, item: Some(item.name.to_owned()) });
    }
    decide(card, wallet, total)?;
    Ok(())
}

/// How much more the child may spend today, given the balance and the limit.
pub fn spendable_today(wallet: &WalletState) -> Money {
    let by_limit =
        wallet.daily_limit.map(|limit| limit.checked_sub(wallet.spent_today).unwrap_or(Money::ZERO).max(Money::ZERO));
    match by_limit {
        Some(left) => left.min(wallet.balance),
        None => wallet.balance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wallet(balance: i64, spent: i64, limit: Option<i64>) -> WalletState {
        WalletState {
            open: true,
            balance: Money::kr(balance),
            spent_today: Money::kr(spent),
            daily_limit: limit.map(Money::kr),
        }
    }

    #[test]
    fn forty_a_day_on_three_hundred() {
        let w = wallet(300, 30, Some(40));
        assert_eq!(decide(CardState::Active, &w, Money::kr(10)), Ok(()));
        assert_eq!(decide(CardState::Active, &w, Money::kr(11)), Err(Decline::DailyLimitExceeded));
        assert_eq!(spendable_today(&w), Money::kr(10));
    }

    #[test]
    fn not_enough_money() {
        let w = wallet(20, 0, None);
        assert_eq!(decide(CardState::Active, &w, Money::kr(20)), Ok(()));
        assert_eq!(decide(CardState::Active, &w, Money::from_ore(2_001)), Err(Decline::InsufficientFunds));
    }

    #[test]
    fn the_card_is_judged_before_the_money() {
        let broke = wallet(0, 0, Some(0));
        assert_eq!(decide(CardState::Blocked, &broke, Money::kr(5)), Err(Decline::CardBlocked));
        assert_eq!(decide(CardState::Cancelled, &broke, Money::kr(5)), Err(Decline::CardBlocked));
        assert_eq!(decide(CardState::HandedOut, &broke, Money::kr(5)), Err(Decline::CardNotActive));
        assert_eq!(decide(CardState::InStock, &broke, Money::kr(5)), Err(Decline::CardNotActive));
        let closed = WalletState { open: false, ..wallet(100, 0, None) };
        assert_eq!(decide(CardState::Active, &closed, Money::kr(5)), Err(Decline::WalletClosed));
    }

    #[test]
    fn a_blocked_category_is_refused_naming_the_item_before_the_money() {
        let broke = wallet(0, 0, None);
        let items =
            [BasketItem { name: "Frugt", category: "frugt" }, BasketItem { name: "Slikpose", category: "slik" }];
        let blocked = vec!["slik".to_owned()];
        let refused = decide_basket(CardState::Active, &broke, &items, &blocked, Money::kr(15)).unwrap_err();
        assert_eq!(refused, BasketRefusal { reason: Decline::ItemBlocked, item: Some("Slikpose".into()) });
        // The card still comes first.
        let refused = decide_basket(CardState::Blocked, &broke, &items, &blocked, Money::kr(15)).unwrap_err();
        assert_eq!(refused.reason, Decline::CardBlocked);
        // Nothing blocked: the money decides.
        let refused = decide_basket(CardState::Active, &broke, &items, &[], Money::kr(15)).unwrap_err();
        assert_eq!(refused.reason, Decline::InsufficientFunds);
        assert_eq!(decide_basket(CardState::Active, &wallet(20, 0, None), &items, &[], Money::kr(15)), Ok(()));
    }

    proptest! {
        #[test]
        fn an_approved_purchase_never_overspends(balance in 0i64..100_000, spent in 0i64..10_000,
                                                  limit in proptest::option::of(0i64..10_000), total in 1i64..100_000) {
            let w = WalletState {
                open: true,
                balance: Money::from_ore(balance),
                spent_today: Money::from_ore(spent),
                daily_limit: limit.map(Money::from_ore),
            };
            let approved = decide(CardState::Active, &w, Money::from_ore(total)).is_ok();
            let fits = total <= balance && limit.is_none_or(|l| spent + total <= l);
            prop_assert_eq!(approved, fits);
            prop_assert_eq!(approved, Money::from_ore(total) <= spendable_today(&w));
        }
    }
}
