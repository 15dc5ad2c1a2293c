//! The double-entry ledger: accounts, postings, and entries that cannot be built unbalanced.
//!
//! Sign convention: an account's balance is the sum of its postings. A wallet's
//! balance is what the municipality owes the family, so money in is positive.
//! Every entry's postings sum to zero, so the whole ledger always sums to zero.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{SalesPointId, WalletId};
use crate::money::{Money, MoneyError};

/// A ledger account, by what it is for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountId {
    /// A child's wallet (betalingskortskonto); the id is the wallet's.
    Wallet(WalletId),
    /// Money on its way in from a payment provider.
    ProviderClearing(String),
    /// What a sales point has sold.
    Sales(SalesPointId),
    /// Webshop orders paid to a sales point but not yet handed out: prepaid,
    /// not yet revenue. Hand-out moves the money on to the sales account.
    Orders(SalesPointId),
    /// Replacement-card fees.
    Fees,
    /// Money promised back to custodians, not yet paid out.
    PayoutsDue,
    /// The other side of balances carried over from the old system.
    MigrationOpening,
}

/// The kind of an account, as stored beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Wallet,
    ProviderClearing,
    Sales,
    Orders,
    Fees,
    PayoutsDue,
    MigrationOpening,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Wallet => "wallet",
            AccountKind::ProviderClearing => "provider_clearing",
            AccountKind::Sales => "sales",
            AccountKind::Orders => "orders",
            AccountKind::Fees => "fees",
            AccountKind::PayoutsDue => "payouts_due",
            AccountKind::MigrationOpening => "migration_opening",
        }
    }
}

impl AccountId {
    /// The key postings refer to. A wallet's key is its wallet id, so a wallet
    /// and its account are one row's worth of identity.
    pub fn key(&self) -> String {
        match self {
            AccountId::Wallet(id) => id.to_string(),
            AccountId::ProviderClearing(provider) => format!("provider_clearing:{provider}"),
            AccountId::Sales(sales_point) => format!("sales:{sales_point}"),
            AccountId::Orders(sales_point) => format!("orders:{sales_point}"),
            AccountId::Fees => "fees".into(),
            AccountId::PayoutsDue => "payouts_due".into(),
            AccountId::MigrationOpening => "migration_opening".into(),
        }
    }

    pub fn kind(&self) -> AccountKind {
        match self {
            AccountId::Wallet(_) => AccountKind::Wallet,
            AccountId::ProviderClearing(_) => AccountKind::ProviderClearing,
            AccountId::Sales(_) => AccountKind::Sales,
            AccountId::Orders(_) => AccountKind::Orders,
            AccountId::Fees => AccountKind::Fees,
            AccountId::PayoutsDue => AccountKind::PayoutsDue,
            AccountId::MigrationOpening => AccountKind::MigrationOpening,
        }
    }

    pub fn is_wallet(&self) -> bool {
        matches!(self, AccountId::Wallet(_))
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// Why a journal entry was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Deposit,
    Purchase,
    Refund,
    CardFee,
    Transfer,
    Withdrawal,
    Migration,
    Reversal,
    /// A webshop basket paid from the wallet to the sales points' orders accounts.
    ShopOrder,
    /// A collected order: from the orders account to the sales account.
    HandOut,
}

impl EntryKind {
    pub const ALL: [EntryKind; 10] = [
        EntryKind::Deposit,
        EntryKind::Purchase,
        EntryKind::Refund,
        EntryKind::CardFee,
        EntryKind::Transfer,
        EntryKind::Withdrawal,
        EntryKind::Migration,
        EntryKind::Reversal,
        EntryKind::ShopOrder,
        EntryKind::HandOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Deposit => "deposit",
            EntryKind::Purchase => "purchase",
            EntryKind::Refund => "refund",
            EntryKind::CardFee => "card_fee",
            EntryKind::Transfer => "transfer",
            EntryKind::Withdrawal => "withdrawal",
            EntryKind::Migration => "migration",
            EntryKind::Reversal => "reversal",
            EntryKind::ShopOrder => "shop_order",
            EntryKind::HandOut => "hand_out",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One line of an entry: an amount on an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    pub account: AccountId,
    pub amount: Money,
}

/// A balanced journal entry. The fields are private: the only ways to make one
/// check that it balances, so an unbalanced entry cannot reach the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    kind: EntryKind,
    postings: Vec<Posting>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("an entry needs at least two postings")]
    TooFewPostings,
    #[error("an entry has at most {MAX_POSTINGS} postings")]
    TooManyPostings,
    #[error("the postings do not sum to zero")]
    Unbalanced,
    #[error("a posting of zero moves nothing")]
    ZeroPosting,
    #[error("an amount to move must be positive")]
    NotPositive,
    #[error("money from a wallet to itself")]
    SameWallet,
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// Entries are small by nature; a limit keeps a bug from writing a huge one.
pub const MAX_POSTINGS: usize = 16;

impl Entry {
    /// Builds an entry from postings, refusing anything that does not balance.
    pub fn new(kind: EntryKind, postings: Vec<Posting>) -> Result<Entry, EntryError> {
        if postings.len() < 2 {
            return Err(EntryError::TooFewPostings);
        }
        if postings.len() > MAX_POSTINGS {
            return Err(EntryError::TooManyPostings);
        }
        if postings.iter().any(|p| p.amount == Money::ZERO) {
            return Err(EntryError::ZeroPosting);
        }
        if Money::sum(postings.iter().map(|p| p.amount))? != Money::ZERO {
            return Err(EntryError::Unbalanced);
        }
        Ok(Entry { kind, postings })
    }

    /// Money moves `amount` from `from` to `to`: the common two-line entry.
    fn transfer_between(kind: EntryKind, from: AccountId, to: AccountId, amount: Money) -> Result<Entry, EntryError> {
        if !amount.is_positive() {
            return Err(EntryError::NotPositive);
        }
        Entry::new(
            kind,
            vec![Posting { account: from, amount: amount.checked_neg()? }, Posting { account: to, amount }],
        )
    }

    /// A deposit confirmed by a payment provider.
    pub fn deposit(wallet: &WalletId, provider: &str, amount: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(
            EntryKind::Deposit,
            AccountId::ProviderClearing(provider.into()),
            AccountId::Wallet(wallet.clone()),
            amount,
        )
    }

    /// A deposit where the payer also paid a fee: the provider sends
    /// amount + fee, the wallet gets the amount, the fee account the fee.
    pub fn deposit_with_fee(wallet: &WalletId, provider: &str, amount: Money, fee: Money) -> Result<Entry, EntryError> {
        if fee == Money::ZERO {
            return Entry::deposit(wallet, provider, amount);
        }
        if !amount.is_positive() || fee.is_negative() {
            return Err(EntryError::NotPositive);
        }
        let charged = amount.checked_add(fee)?;
        Entry::new(
            EntryKind::Deposit,
            vec![
                Posting { account: AccountId::ProviderClearing(provider.into()), amount: charged.checked_neg()? },
                Posting { account: AccountId::Wallet(wallet.clone()), amount },
                Posting { account: AccountId::Fees, amount: fee },
            ],
        )
    }

    /// One payment for several children: the provider sends the sum of the
    /// parts and the fee; each wallet gets its part, the fee account the fee.
    pub fn deposit_for_several(provider: &str, parts: &[(WalletId, Money)], fee: Money) -> Result<Entry, EntryError> {
        if parts.iter().any(|(_, amount)| !amount.is_positive()) || fee.is_negative() {
            return Err(EntryError::NotPositive);
        }
        if parts.iter().enumerate().any(|(i, (wallet, _))| parts[..i].iter().any(|(w, _)| w == wallet)) {
            return Err(EntryError::SameWallet);
        }
        let charged = Money::sum(parts.iter().map(|(_, amount)| *amount))?.checked_add(fee)?;
        let mut postings =
            vec![Posting { account: AccountId::ProviderClearing(provider.into()), amount: charged.checked_neg()? }];
        postings.extend(
            parts
                .iter()
                .map(|(wallet, amount)| Posting { account: AccountId::Wallet(wallet.clone()), amount: *amount }),
        );
        if fee.is_positive() {
            postings.push(Posting { account: AccountId::Fees, amount: fee });
        }
        Entry::new(EntryKind::Deposit, postings)
    }

    /// A sale at a till, paid from the wallet.
    pub fn purchase(wallet: &WalletId, sales_point: &SalesPointId, total: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(
            EntryKind::Purchase,
            AccountId::Wallet(wallet.clone()),
            AccountId::Sales(sales_point.clone()),
            total,
        )
    }

    /// Money back from a sales point to the wallet (a refunded line or order).
    pub fn refund(wallet: &WalletId, sales_point: &SalesPointId, amount: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(
            EntryKind::Refund,
            AccountId::Sales(sales_point.clone()),
            AccountId::Wallet(wallet.clone()),
            amount,
        )
    }

    /// The fee for a replacement card.
    pub fn card_fee(wallet: &WalletId, fee: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(EntryKind::CardFee, AccountId::Wallet(wallet.clone()), AccountId::Fees, fee)
    }

    /// Between siblings' wallets.
    pub fn sibling_transfer(from_wallet: &WalletId, to_wallet: &WalletId, amount: Money) -> Result<Entry, EntryError> {
        if from_wallet == to_wallet {
            return Err(EntryError::SameWallet);
        }
        Entry::transfer_between(
            EntryKind::Transfer,
            AccountId::Wallet(from_wallet.clone()),
            AccountId::Wallet(to_wallet.clone()),
            amount,
        )
    }

    /// A balance carried over from the old system.
    pub fn migration(wallet: &WalletId, opening_balance: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(
            EntryKind::Migration,
            AccountId::MigrationOpening,
            AccountId::Wallet(wallet.clone()),
            opening_balance,
        )
    }

    /// A correction to a balance carried over from the old system, when a
    /// corrected export says the opening balance was `delta` more (or, when
    /// negative, less) than what was carried over before.
    pub fn migration_adjustment(wallet: &WalletId, delta: Money) -> Result<Entry, EntryError> {
        if delta == Money::ZERO {
            return Err(EntryError::ZeroPosting);
        }
        if delta.is_positive() {
            Entry::migration(wallet, delta)
        } else {
            Entry::transfer_between(
                EntryKind::Migration,
                AccountId::Wallet(wallet.clone()),
                AccountId::MigrationOpening,
                delta.checked_neg()?,
            )
        }
    }

    /// Money reserved for a payout to a custodian.
    pub fn withdrawal(wallet: &WalletId, amount: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(EntryKind::Withdrawal, AccountId::Wallet(wallet.clone()), AccountId::PayoutsDue, amount)
    }

    /// A reserved payout leaves the books through a channel (the payment
    /// provider refunding earlier deposits, or a bank transfer).
    pub fn payout(channel: &str, amount: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(
            EntryKind::Withdrawal,
            AccountId::PayoutsDue,
            AccountId::ProviderClearing(channel.into()),
            amount,
        )
    }

    /// A webshop basket: one entry from the wallet to each sales point's
    /// orders account, a part per sales point.
    pub fn shop_order(wallet: &WalletId, parts: &[(SalesPointId, Money)]) -> Result<Entry, EntryError> {
        if parts.is_empty() || parts.iter().any(|(_, amount)| !amount.is_positive()) {
            return Err(EntryError::NotPositive);
        }
        let total = Money::sum(parts.iter().map(|(_, amount)| *amount))?;
        let mut postings = vec![Posting { account: AccountId::Wallet(wallet.clone()), amount: total.checked_neg()? }];
        for (sales_point, amount) in parts {
            let account = AccountId::Orders(sales_point.clone());
            match postings.iter_mut().find(|p| p.account == account) {
                Some(p) => p.amount = p.amount.checked_add(*amount)?,
                None => postings.push(Posting { account, amount: *amount }),
            }
        }
        Entry::new(EntryKind::ShopOrder, postings)
    }

    /// A cancelled order: its money back from the orders account to the
    /// wallet, at once. A reversal of part of a basket (one dish, one day).
    pub fn order_cancelled(wallet: &WalletId, sales_point: &SalesPointId, amount: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(
            EntryKind::Reversal,
            AccountId::Orders(sales_point.clone()),
            AccountId::Wallet(wallet.clone()),
            amount,
        )
    }

    /// Orders collected at the till: prepaid money becomes the sales point's revenue.
    pub fn hand_out(sales_point: &SalesPointId, amount: Money) -> Result<Entry, EntryError> {
        Entry::transfer_between(
            EntryKind::HandOut,
            AccountId::Orders(sales_point.clone()),
            AccountId::Sales(sales_point.clone()),
            amount,
        )
    }

    /// The entry that undoes this one; postings are never changed, only reversed.
    pub fn reversal(&self) -> Result<Entry, EntryError> {
        let postings = self
            .postings
            .iter()
            .map(|p| Ok(Posting { account: p.account.clone(), amount: p.amount.checked_neg()? }))
            .collect::<Result<Vec<_>, EntryError>>()?;
        Entry::new(EntryKind::Reversal, postings)
    }

    pub fn kind(&self) -> EntryKind {
        self.kind
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }

    /// What this entry does to one wallet (zero if it does not touch it).
    pub fn effect_on(&self, wallet: &WalletId) -> Result<Money, MoneyError> {
        Money::sum(
            self.postings
                .iter()
                .filter(|p| matches!(&p.account, AccountId::Wallet(w) if w == wallet))
                .map(|p| p.amount),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(id: &str) -> WalletId {
        WalletId::new(id)
    }
    use proptest::prelude::*;

    #[test]
    fn one_payment_for_several_children_credits_each_part_and_the_fee_once() {
        let parts = [(w("ida"), Money::kr(100)), (w("oscar"), Money::kr(50))];
        let e = Entry::deposit_for_several("nexi", &parts, Money::kr(2)).unwrap();
        let amounts: Vec<(String, i64)> = e.postings().iter().map(|p| (p.account.key(), p.amount.ore())).collect();
        assert_eq!(
            amounts,
            vec![
                ("provider_clearing:nexi".into(), -15_200),
                ("ida".into(), 10_000),
                ("oscar".into(), 5_000),
                ("fees".into(), 200)
            ]
        );
        let twice = [(w("ida"), Money::kr(1)), (w("ida"), Money::kr(2))];
        assert_eq!(Entry::deposit_for_several("nexi", &twice, Money::ZERO), Err(EntryError::SameWallet));
        let nothing = [(w("ida"), Money::ZERO)];
        assert_eq!(Entry::deposit_for_several("nexi", &nothing, Money::ZERO), Err(EntryError::NotPositive));
    }

    #[test]
    fn unbalanced_entries_cannot_be_built() {
        let p = |account, ore| Posting { account, amount: Money::from_ore(ore) };
        assert_eq!(
            Entry::new(EntryKind::Deposit, vec![p(AccountId::Fees, 100), p(AccountId::PayoutsDue, -99)]),
            Err(EntryError::Unbalanced)
        );
        assert_eq!(Entry::new(EntryKind::Deposit, vec![p(AccountId::Fees, 0)]), Err(EntryError::TooFewPostings));
        assert_eq!(
            Entry::new(EntryKind::Deposit, vec![p(AccountId::Fees, 0), p(AccountId::PayoutsDue, 0)]),
            Err(EntryError::ZeroPosting)
        );
        assert_eq!(
            Entry::new(EntryKind::Deposit, vec![p(AccountId::Fees, i64::MAX), p(AccountId::PayoutsDue, 1)]),
            Err(EntryError::Money(MoneyError::Overflow))
        );
        assert_eq!(Entry::purchase(&w("w"), &"sp".into(), Money::ZERO), Err(EntryError::NotPositive));
        assert_eq!(Entry::purchase(&w("w"), &"sp".into(), Money::from_ore(-5)), Err(EntryError::NotPositive));
        assert_eq!(Entry::sibling_transfer(&w("w"), &w("w"), Money::kr(1)), Err(EntryError::SameWallet));
    }

    #[test]
    fn a_deposit_fee_goes_to_the_fee_account_not_the_wallet() {
        let e = Entry::deposit_with_fee(&w("w"), "sandbox", Money::kr(100), Money::kr(2)).unwrap();
        assert_eq!(e.effect_on(&w("w")), Ok(Money::kr(100)));
        assert_eq!(e.postings()[0].amount, Money::kr(-102));
        assert_eq!(e.postings().len(), 3);
        assert_eq!(
            Entry::deposit_with_fee(&w("w"), "sandbox", Money::kr(100), Money::ZERO).unwrap().postings().len(),
            2
        );
        assert!(Entry::deposit_with_fee(&w("w"), "sandbox", Money::kr(100), Money::from_ore(-1)).is_err());
    }

    #[test]
    fn a_purchase_moves_money_from_wallet_to_sales() {
        let e = Entry::purchase(&w("w1"), &"sp1".into(), Money::kr(25)).unwrap();
        assert_eq!(e.effect_on(&w("w1")), Ok(Money::kr(-25)));
        assert_eq!(e.postings()[1].account.key(), "sales:sp1");
        assert_eq!(e.reversal().unwrap().effect_on(&w("w1")), Ok(Money::kr(25)));
    }

    #[test]
    fn a_migration_adjustment_moves_the_difference_either_way() {
        let up = Entry::migration_adjustment(&w("w1"), Money::kr(50)).unwrap();
        assert_eq!(up.kind(), EntryKind::Migration);
        assert_eq!(up.effect_on(&w("w1")), Ok(Money::kr(50)));
        assert_eq!(up, Entry::migration(&w("w1"), Money::kr(50)).unwrap());
        let down = Entry::migration_adjustment(&w("w1"), Money::from_ore(-1_234)).unwrap();
        assert_eq!(down.kind(), EntryKind::Migration);
        assert_eq!(down.effect_on(&w("w1")), Ok(Money::from_ore(-1_234)));
        let opening = down.postings().iter().find(|p| p.account == AccountId::MigrationOpening).unwrap();
        assert_eq!(opening.amount, Money::from_ore(1_234));
        assert_eq!(Entry::migration_adjustment(&w("w1"), Money::ZERO), Err(EntryError::ZeroPosting));
        assert!(Entry::migration_adjustment(&w("w1"), Money::from_ore(i64::MIN)).is_err());
    }

    #[test]
    fn a_basket_pays_each_sales_points_orders_account_and_hand_out_makes_it_revenue() {
        let sp = |s: &str| SalesPointId::new(s);
        let parts = [(sp("a"), Money::kr(30)), (sp("b"), Money::kr(20)), (sp("a"), Money::kr(5))];
        let e = Entry::shop_order(&w("w"), &parts).unwrap();
        let amounts: Vec<(String, i64)> = e.postings().iter().map(|p| (p.account.key(), p.amount.ore())).collect();
        assert_eq!(amounts, vec![("w".into(), -5_500), ("orders:a".into(), 3_500), ("orders:b".into(), 2_000)]);
        assert_eq!(e.kind(), EntryKind::ShopOrder);
        assert_eq!(Entry::shop_order(&w("w"), &[]), Err(EntryError::NotPositive));
        let back = Entry::order_cancelled(&w("w"), &sp("a"), Money::kr(30)).unwrap();
        assert_eq!(back.effect_on(&w("w")), Ok(Money::kr(30)));
        let out = Entry::hand_out(&sp("a"), Money::kr(5)).unwrap();
        assert_eq!(out.postings()[0].account.kind(), AccountKind::Orders);
        assert_eq!(out.postings()[1].account, AccountId::Sales(sp("a")));
        assert_eq!(EntryKind::parse("hand_out"), Some(EntryKind::HandOut));
    }

    proptest! {
        #[test]
        fn any_entry_that_builds_sums_to_zero(amounts in proptest::collection::vec(-1_000_000i64..1_000_000, 0..20)) {
            let postings: Vec<Posting> = amounts
                .iter()
                .map(|&ore| Posting { account: AccountId::Fees, amount: Money::from_ore(ore) })
                .collect();
            if let Ok(entry) = Entry::new(EntryKind::Reversal, postings) {
                prop_assert_eq!(Money::sum(entry.postings().iter().map(|p| p.amount)), Ok(Money::ZERO));
                prop_assert!(entry.postings().len() >= 2);
            }
        }

        #[test]
        fn a_reversal_cancels_its_entry(ore in 1i64..10_000_000) {
            let entry = Entry::deposit(&w("w"), "sandbox", Money::from_ore(ore)).unwrap();
            let undo = entry.reversal().unwrap();
            for (a, b) in entry.postings().iter().zip(undo.postings()) {
                prop_assert_eq!(a.amount.ore() + b.amount.ore(), 0);
            }
        }
    }
}
