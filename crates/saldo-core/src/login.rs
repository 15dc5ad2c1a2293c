//! How a person proved who they are, and when that is recent enough for the
//! actions that move money out or hand out rights (the step-up): asking for a
//! payout, adding a relative, closing an account.

use jiff::{SignedDuration, Timestamp};

/// The way a session's person last proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    /// A MitID login at the broker (OpenID Connect), at the broker's `auth_time`.
    MitId,
    /// A one-time link from a mail to the address on file.
    EmailLink,
    /// Staff: a password, or the municipality's identity provider.
    Password,
    StaffIdp,
    /// The demo's one-click login (demo mode only).
    Demo,
}

impl Proof {
    pub fn as_str(self) -> &'static str {
        match self {
            Proof::MitId => "mitid",
            Proof::EmailLink => "email_link",
            Proof::Password => "password",
            Proof::StaffIdp => "staff_idp",
            Proof::Demo => "demo",
        }
    }

    pub fn parse(text: &str) -> Option<Proof> {
        [Proof::MitId, Proof::EmailLink, Proof::Password, Proof::StaffIdp, Proof::Demo]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// A proof and when it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proved {
    pub proof: Proof,
    pub at: Timestamp,
}

/// What a person must do before a step-up action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepUp {
    /// Proved recently enough: go ahead.
    Fresh,
    /// Log in with MitID again (the person has a MitID bound).
    MitId,
    /// Open a fresh e-mail link (the person has no MitID with Saldo).
    EmailLink,
}

/// How long a proof counts for a step-up action (15 minutes).
pub const STEP_UP_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// Whether `proved` is recent and strong enough. A person with a MitID bound
/// needs a MitID login within the window; one without needs a MitID login or
/// an e-mail link within it. The demo's login counts as fresh (there is no
/// MitID in the demo, and its people are made up). Passwords and the staff
/// IdP never count: these actions are a custodian's.
pub fn step_up(proved: Option<Proved>, has_mitid: bool, now: Timestamp, window: SignedDuration) -> StepUp {
    let needed = if has_mitid { StepUp::MitId } else { StepUp::EmailLink };
    let Some(proved) = proved else { return needed };
    let recent = proved.at <= now && now.duration_since(proved.at) <= window;
    let strong = match proved.proof {
        Proof::MitId | Proof::Demo => true,
        Proof::EmailLink => !has_mitid,
        Proof::Password | Proof::StaffIdp => false,
    };
    if recent && strong {
        StepUp::Fresh
    } else {
        needed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes_ago: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(1000) - SignedDuration::from_mins(minutes_ago)
    }

    fn now() -> Timestamp {
        at(0)
    }

    #[test]
    fn a_mitid_login_counts_for_fifteen_minutes() {
        let proved = Some(Proved { proof: Proof::MitId, at: at(14) });
        assert_eq!(step_up(proved, true, now(), STEP_UP_WINDOW), StepUp::Fresh);
        let old = Some(Proved { proof: Proof::MitId, at: at(16) });
        assert_eq!(step_up(old, true, now(), STEP_UP_WINDOW), StepUp::MitId);
        assert_eq!(step_up(None, true, now(), STEP_UP_WINDOW), StepUp::MitId);
    }

    #[test]
    fn an_email_link_counts_only_for_people_without_mitid() {
        let link = Some(Proved { proof: Proof::EmailLink, at: at(1) });
        assert_eq!(step_up(link, false, now(), STEP_UP_WINDOW), StepUp::Fresh);
        assert_eq!(step_up(link, true, now(), STEP_UP_WINDOW), StepUp::MitId);
        let old = Some(Proved { proof: Proof::EmailLink, at: at(20) });
        assert_eq!(step_up(old, false, now(), STEP_UP_WINDOW), StepUp::EmailLink);
    }

    #[test]
    fn passwords_never_count_and_the_future_is_not_recent() {
        let password = Some(Proved { proof: Proof::Password, at: at(0) });
        assert_eq!(step_up(password, false, now(), STEP_UP_WINDOW), StepUp::EmailLink);
        let future = Some(Proved { proof: Proof::MitId, at: at(-5) });
        assert_eq!(step_up(future, true, now(), STEP_UP_WINDOW), StepUp::MitId);
        for proof in [Proof::MitId, Proof::EmailLink, Proof::Password, Proof::StaffIdp, Proof::Demo] {
            assert_eq!(Proof::parse(proof.as_str()), Some(proof));
        }
    }
}
