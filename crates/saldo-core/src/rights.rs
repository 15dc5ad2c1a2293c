//! Who may do what: the rights matrix of `domain.md`, as one table, and the
//! one function that answers "may this actor do this to this child".

use crate::ids::{ChildId, InstitutionId, SalesPointId};
use serde::{Deserialize, Serialize};

/// The columns of the matrix: the roles a person can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// forældremyndighedsindehaver
    Custodian,
    /// relation: a grandparent or other adult a custodian added
    Relative,
    OfficeStaff,
    TillStaff,
    OperatorAdmin,
    Support,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Custodian, Role::Relative, Role::OfficeStaff, Role::TillStaff, Role::OperatorAdmin, Role::Support];
}

/// The rows of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SeeStatement,
    Deposit,
    ChangeLimits,
    BlockCard,
    OrderReplacementCard,
    ActivateCard,
    ManageRelatives,
    Withdraw,
    ApproveWithdrawal,
    Sell,
    ManageProducts,
    CardStock,
    /// The outbox's jobs (mail, provider calls): see how they fare, try a given-up one again.
    JobQueue,
    /// The support console: find an account, and the help desk's own actions
    /// (resend a login link, cancel an invitation, ask the provider again).
    SupportConsole,
    /// Hand a person everything Saldo holds about them, on their request to the operator (GDPR).
    PersonalDataRequest,
    /// Finance reports and the journal export (the month's close).
    FinanceReports,
    /// Institutions, sales points, staff, children and custodians, and the
    /// school-year sync: who is who, never money.
    MasterData,
    /// Order (and cancel) from the webshop, paid from the child's wallet.
    ShopOrder,
    /// The institutions' calendars of closed days the webshop follows.
    ShopCalendar,
    /// The kitchen's production counts and pick lists.
    Kitchen,
}

impl Action {
    pub const ALL: [Action; 20] = [
        Action::SeeStatement,
        Action::Deposit,
        Action::ChangeLimits,
        Action::BlockCard,
        Action::OrderReplacementCard,
        Action::ActivateCard,
        Action::ManageRelatives,
        Action::Withdraw,
        Action::ApproveWithdrawal,
        Action::Sell,
        Action::ManageProducts,
        Action::CardStock,
        Action::JobQueue,
        Action::SupportConsole,
        Action::PersonalDataRequest,
        Action::FinanceReports,
        Action::MasterData,
        Action::ShopOrder,
        Action::ShopCalendar,
        Action::Kitchen,
    ];
}

/// One cell of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permit {
    /// ✓
    Yes,
    /// ✓ (audited): allowed, and every use is written to the audit log.
    Audited,
    /// ✓ (own institution)
    OwnInstitution,
    /// ✓ (own sales point)
    OwnSalesPoint,
    /// manager of the sales point
    ManagerOfSalesPoint,
    /// balance at the till only: shown in the till's answer, never as a statement.
    BalanceAtTillOnly,
    /// approves: the operator does not withdraw, but approves a custodian's withdrawal.
    Approves,
    /// –
    No,
    /// **never**: a line the domain draws on purpose (relatives and money out, relatives and rights).
    Never,
}

use Permit::*;

/// The matrix of `domain.md`, row for row. Columns in `Role::ALL` order:
/// custodian, relative, office staff, till staff, operator admin, support.
pub const MATRIX: [(Action, [Permit; 6]); 20] = [
    (Action::SeeStatement, [Yes, Yes, No, BalanceAtTillOnly, Yes, Audited]),
    (Action::Deposit, [Yes, Yes, No, No, No, No]),
    (Action::ChangeLimits, [Yes, No, No, No, No, No]),
    (Action::BlockCard, [Yes, No, OwnInstitution, No, Yes, Yes]),
    (Action::OrderReplacementCard, [Yes, No, No, No, Yes, Yes]),
    (Action::ActivateCard, [Yes, No, OwnInstitution, No, Yes, No]),
    (Action::ManageRelatives, [Yes, Never, No, No, No, No]),
    (Action::Withdraw, [Yes, Never, No, No, Approves, No]),
    // Not a row of its own in domain.md: the "approves" of the row above.
    (Action::ApproveWithdrawal, [No, Never, No, No, Yes, No]),
    (Action::Sell, [No, No, No, OwnSalesPoint, No, No]),
    (Action::ManageProducts, [No, No, No, ManagerOfSalesPoint, Yes, No]),
    (Action::CardStock, [No, No, OwnInstitution, No, Yes, No]),
    // Not in domain.md either: running the system is the operator's, and job
    // errors can name families' addresses, which support has no need to read here.
    (Action::JobQueue, [No, No, No, No, Yes, No]),
    // Not in domain.md: flow 8's help desk. Its look-ups are audited with a
    // reason by the console itself; nobody else searches across families.
    (Action::SupportConsole, [No, No, No, No, No, Yes]),
    // A person asks the operator for their data (GDPR art. 15) when they cannot
    // fetch it on the portal themselves; the portal's own download needs no row.
    (Action::PersonalDataRequest, [No, No, No, No, Yes, No]),
    // Issue 19: closing the month and keeping the registers are the
    // operator's; support answers families and needs neither.
    (Action::FinanceReports, [No, No, No, No, Yes, No]),
    (Action::MasterData, [No, No, No, No, Yes, No]),
    // The webshop (domain.md's flow 7). Ordering spends the child's money,
    // so it is the custodians', as withdrawing is; a relative may deposit
    // for lunches but never order them. Menus are the products row's
    // (manager and operator); the calendar is the operator's, for every
    // institution; the kitchen is the sales point's own staff's.
    (Action::ShopOrder, [Yes, Never, No, No, No, No]),
    (Action::ShopCalendar, [No, No, No, No, Yes, No]),
    (Action::Kitchen, [No, No, No, OwnSalesPoint, Yes, No]),
];

/// The cell for a role and an action.
pub fn permit(role: Role, action: Action) -> Permit {
    let column = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
    MATRIX.iter().find(|(a, _)| *a == action).map_or(No, |(_, row)| row[column])
}

/// How a person is related to a child: a custodian (forældremyndighed) or a
/// relative a custodian added. Stored as text; read back only through [`RelationKind::parse`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelationKind {
    Custodian,
    Relative,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Custodian => "custodian",
            RelationKind::Relative => "relative",
        }
    }

    pub fn parse(text: &str) -> Option<RelationKind> {
        match text {
            "custodian" => Some(RelationKind::Custodian),
            "relative" => Some(RelationKind::Relative),
            _ => None,
        }
    }
}

/// Something a person holds that gives them a role, with its scope.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Grant {
    CustodianOf { child: ChildId },
    RelativeOf { child: ChildId },
    Office { institution: InstitutionId },
    TillStaff { sales_point: SalesPointId, manager: bool },
    OperatorAdmin,
    Support,
}

impl Grant {
    pub fn role(&self) -> Role {
        match self {
            Grant::CustodianOf { .. } => Role::Custodian,
            Grant::RelativeOf { .. } => Role::Relative,
            Grant::Office { .. } => Role::OfficeStaff,
            Grant::TillStaff { .. } => Role::TillStaff,
            Grant::OperatorAdmin => Role::OperatorAdmin,
            Grant::Support => Role::Support,
        }
    }

    /// Whether this grant reaches the target at all.
    fn reaches(&self, target: &Target<'_>) -> bool {
        match self {
            Grant::CustodianOf { child } | Grant::RelativeOf { child } => target.child == Some(child),
            Grant::Office { institution } => target.institutions.iter().any(|i| i == institution),
            Grant::TillStaff { sales_point, .. } => target.sales_point == Some(sales_point),
            Grant::OperatorAdmin | Grant::Support => true,
        }
    }
}

/// What an action is done to: a child (with the institutions it belongs to),
/// or a sales point, or an institution's office.
#[derive(Clone, Copy, Debug, Default)]
pub struct Target<'a> {
    pub child: Option<&'a ChildId>,
    pub institutions: &'a [InstitutionId],
    pub sales_point: Option<&'a SalesPointId>,
}

impl<'a> Target<'a> {
    pub fn child(child: &'a ChildId, institutions: &'a [InstitutionId]) -> Target<'a> {
        Target { child: Some(child), institutions, sales_point: None }
    }

    pub fn sales_point(sales_point: &'a SalesPointId) -> Target<'a> {
        Target { sales_point: Some(sales_point), ..Target::default() }
    }

    pub fn institution(institutions: &'a [InstitutionId]) -> Target<'a> {
        Target { institutions, ..Target::default() }
    }
}

/// Permission given; `audited` says the use must be written to the audit log
/// even when it changes nothing (support's look-ups).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowed {
    pub role: Role,
    pub audited: bool,
}

/// Why not. A person with no standing towards the target is told it does not
/// exist (so ids cannot be probed); one with standing is told they may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("no such child, sales point or institution for this person")]
    NotYours,
    #[error("a relative may never do this")]
    RelativeNever,
    #[error("this role may not do this")]
    NotAllowed,
}

/// The one answer to "may a person holding `grants` do `action` to `target`".
pub fn authorize(grants: &[Grant], action: Action, target: &Target<'_>) -> Result<Allowed, Denied> {
    let mut denial = Denied::NotYours;
    let mut audited = None;
    for grant in grants.iter().filter(|g| g.reaches(target)) {
        let role = grant.role();
        let allowed = match permit(role, action) {
            Yes | OwnInstitution | OwnSalesPoint => true,
            Audited => {
                audited = Some(Allowed { role, audited: true });
                continue;
            }
            ManagerOfSalesPoint => matches!(grant, Grant::TillStaff { manager: true, .. }),
            BalanceAtTillOnly | Approves | No => false,
            Never => {
                denial = Denied::RelativeNever;
                false
            }
        };
        if allowed {
            return Ok(Allowed { role, audited: false });
        }
        if denial == Denied::NotYours {
            denial = Denied::NotAllowed;
        }
    }
    audited.ok_or(denial)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matrix as written in `domain.md`, copied verbatim; the test below
    /// holds the code to it cell by cell.
    const DOMAIN_MD: &str = "
| see balance and statement | ✓ | ✓ | – | balance at the till only | ✓ | ✓ (audited) |
| deposit (one-off, or own top-up agreement) | ✓ | ✓ | – | – | – | – |
| change daily limit, item restrictions | ✓ | – | – | – | – | – |
| block / unblock a card | ✓ | – | ✓ (own institution) | – | ✓ | ✓ |
| order a replacement card (fee 10 kr) | ✓ | – | – | – | ✓ | ✓ |
| activate a handed-out card | ✓ | – | ✓ (own institution) | – | ✓ | – |
| add / remove relatives | ✓ | **never** | – | – | – | – |
| withdraw money (payout) | ✓ | **never** | – | – | approves | – |
| sell / refund a sale | – | – | – | ✓ (own sales point) | – | – |
| manage products, prices | – | – | – | manager of the sales point | ✓ | – |
| card stock, hand-out list | – | – | ✓ (own institution) | – | ✓ | – |
";

    fn cell(text: &str) -> Permit {
        match text {
            "✓" => Yes,
            "✓ (audited)" => Audited,
            "✓ (own institution)" => OwnInstitution,
            "✓ (own sales point)" => OwnSalesPoint,
            "manager of the sales point" => ManagerOfSalesPoint,
            "balance at the till only" => BalanceAtTillOnly,
            "approves" => Approves,
            "–" => No,
            "**never**" => Never,
            other => panic!("unknown cell {other:?}"),
        }
    }

    #[test]
    fn the_code_matrix_is_the_domain_matrix() {
        let rows: Vec<Vec<&str>> = DOMAIN_MD
            .lines()
            .filter(|l| l.starts_with('|'))
            .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
            .collect();
        let documented: Vec<Action> = MATRIX
            .iter()
            .map(|(a, _)| *a)
            .filter(|a| {
                !matches!(
                    a,
                    Action::ApproveWithdrawal
                        | Action::JobQueue
                        | Action::SupportConsole
                        | Action::PersonalDataRequest
                        | Action::FinanceReports
                        | Action::MasterData
                        | Action::ShopOrder
                        | Action::ShopCalendar
                        | Action::Kitchen
                )
            })
            .collect();
        assert_eq!(rows.len(), documented.len());
        for (row, action) in rows.iter().zip(documented) {
            for (column, role) in Role::ALL.iter().enumerate() {
                assert_eq!(permit(*role, action), cell(row[column + 1]), "{action:?} for {role:?} ({})", row[0]);
            }
        }
        // The one row not in the document: approving is what "approves" means.
        for role in Role::ALL {
            let approves = permit(role, Action::Withdraw) == Approves;
            assert_eq!(matches!(permit(role, Action::ApproveWithdrawal), Yes), approves, "{role:?}");
        }
        // The others: only the operator admin runs the job queue, the reports
        // and the registers, and answers requests for personal data; only
        // support uses the console.
        for action in [Action::JobQueue, Action::FinanceReports, Action::MasterData, Action::PersonalDataRequest] {
            for role in Role::ALL {
                assert_eq!(permit(role, action) == Yes, role == Role::OperatorAdmin, "{role:?} {action:?}");
            }
        }
        for role in Role::ALL {
            assert_eq!(permit(role, Action::SupportConsole) == Yes, role == Role::Support, "{role:?}");
        }
    }

    fn every_grant() -> Vec<Grant> {
        let mut grants = vec![Grant::OperatorAdmin, Grant::Support];
        for child in ["ida", "other-child"] {
            grants.push(Grant::CustodianOf { child: child.into() });
            grants.push(Grant::RelativeOf { child: child.into() });
        }
        for institution in ["school-a", "school-b"] {
            grants.push(Grant::Office { institution: institution.into() });
        }
        for sales_point in ["canteen-a", "canteen-b"] {
            for manager in [false, true] {
                grants.push(Grant::TillStaff { sales_point: sales_point.into(), manager });
            }
        }
        grants
    }

    /// Every grant, every action, against a child and a sales point of school A.
    #[test]
    fn authorize_follows_the_matrix_for_every_grant_and_action() {
        let institutions = vec![InstitutionId::new("school-a")];
        let ida = ChildId::new("ida");
        let child_target = Target::child(&ida, &institutions);
        let stock_target = Target::institution(&institutions);
        let canteen_a = SalesPointId::new("canteen-a");
        let sale_target = Target::sales_point(&canteen_a);
        for grant in every_grant() {
            for action in Action::ALL {
                let target = match action {
                    Action::Sell | Action::ManageProducts | Action::Kitchen | Action::ShopCalendar => sale_target,
                    Action::CardStock => stock_target,
                    _ => child_target,
                };
                let in_scope = match &grant {
                    Grant::CustodianOf { child } | Grant::RelativeOf { child } => child == "ida",
                    Grant::Office { institution } => institution == "school-a",
                    Grant::TillStaff { sales_point, .. } => sales_point == "canteen-a",
                    Grant::OperatorAdmin | Grant::Support => true,
                };
                let expected = in_scope
                    && match permit(grant.role(), action) {
                        Yes | Audited | OwnInstitution | OwnSalesPoint => true,
                        ManagerOfSalesPoint => matches!(grant, Grant::TillStaff { manager: true, .. }),
                        BalanceAtTillOnly | Approves | No | Never => false,
                    };
                let answer = authorize(std::slice::from_ref(&grant), action, &target);
                assert_eq!(answer.is_ok(), expected, "{grant:?} {action:?}");
                if !in_scope {
                    assert_eq!(answer, Err(Denied::NotYours), "{grant:?} {action:?}");
                }
            }
        }
    }

    #[test]
    fn a_relative_may_deposit_and_read_but_never_withdraw_or_add_others() {
        let institutions = vec![InstitutionId::new("school-a")];
        let ida_id = ChildId::new("ida");
        let ida = Target::child(&ida_id, &institutions);
        let mormor = [Grant::RelativeOf { child: "ida".into() }];
        assert!(authorize(&mormor, Action::Deposit, &ida).is_ok());
        assert!(authorize(&mormor, Action::SeeStatement, &ida).is_ok());
        assert_eq!(authorize(&mormor, Action::Withdraw, &ida), Err(Denied::RelativeNever));
        assert_eq!(authorize(&mormor, Action::ManageRelatives, &ida), Err(Denied::RelativeNever));
        assert_eq!(authorize(&mormor, Action::ChangeLimits, &ida), Err(Denied::NotAllowed));
        assert_eq!(
            authorize(&mormor, Action::Deposit, &Target::child(&ChildId::new("someone-else"), &institutions)),
            Err(Denied::NotYours)
        );
    }

    #[test]
    fn support_look_ups_are_audited_and_a_person_with_two_hats_gets_the_best() {
        let institutions = vec![InstitutionId::new("school-a")];
        let ida_id = ChildId::new("ida");
        let ida = Target::child(&ida_id, &institutions);
        assert_eq!(
            authorize(&[Grant::Support], Action::SeeStatement, &ida),
            Ok(Allowed { role: Role::Support, audited: true })
        );
        // A relative who also works at the school office may block the card as staff.
        let both = [Grant::RelativeOf { child: "ida".into() }, Grant::Office { institution: "school-a".into() }];
        assert_eq!(authorize(&both, Action::BlockCard, &ida), Ok(Allowed { role: Role::OfficeStaff, audited: false }));
        assert_eq!(authorize(&both, Action::Withdraw, &ida), Err(Denied::RelativeNever));
        assert_eq!(authorize(&[], Action::SeeStatement, &ida), Err(Denied::NotYours));
    }
}
