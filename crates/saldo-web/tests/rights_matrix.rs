//! The rights matrix at the HTTP level: every route of the portal and the
//! admin, as each role, allowed or refused as domain.md's table says.
//! The expectations live in one table below; each row is one route.

mod common;

use common::{Browser, TestApp};
use saldo_app::testing::TestChild;
use saldo_core::ids::{AgreementId, InstitutionId, PersonId, ProductId, SalesPointId};
use saldo_core::Money;

/// Who asks.
#[derive(Clone, Copy, Debug)]
enum Role {
    Custodian,
    Relative,
    OtherFamily,
    /// Office staff of the child's school.
    Office,
    /// Office staff of another school.
    OtherOffice,
    /// The manager of the canteen at the child's school.
    TillManager,
    Operator,
    Anonymous,
    /// The help desk (support role).
    Support,
}

const ROLES: [Role; 8] = [
    Role::Custodian,
    Role::Relative,
    Role::OtherFamily,
    Role::Office,
    Role::OtherOffice,
    Role::TillManager,
    Role::Operator,
    Role::Anonymous,
];

/// What the answer must be. `Ok` is 200 for a page and 303 for a form that
/// did its work; `Login` is the way to the login page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Ok,
    Forbidden,
    NotFound,
    Login,
    /// Let in, and told in words why the thing cannot be done now (422).
    Unprocessable,
}

use Expect::{Forbidden as F, Login as L, NotFound as N, Ok as Y, Unprocessable as U};

/// One row per route: method, path ({child}, {card}, {sibling}, {school},
/// {canteen}, {product}, {job}, {agreement} filled in), form fields, and the answer for custodian, relative, another
/// family's parent, office staff of the child's school, office staff of
/// another school, the manager of the school's canteen, operator admin and
/// anonymous. Mirrors domain.md:
/// relatives see and deposit; only custodians change limits, relatives and
/// withdraw; offices block and activate cards of their own institution's
/// children only; the operator blocks cards and approves payouts but does not
/// act as a family.
/// Method, path, form fields, and the expected answer per role.
type Route = (&'static str, &'static str, &'static [(&'static str, &'static str)], [Expect; 8]);

const MATRIX: &[Route] = &[
    ("GET", "/portal", &[], [Y, Y, Y, Y, Y, Y, Y, L]),
    ("GET", "/portal/children/{child}", &[], [Y, Y, N, F, N, N, N, L]),
    ("GET", "/portal/children/{child}/statement", &[], [Y, Y, N, F, N, N, N, L]),
    ("GET", "/portal/children/{child}/statement.csv", &[], [Y, Y, N, F, N, N, N, L]),
    ("GET", "/portal/children/{child}/deposit", &[], [Y, Y, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/deposit", &[("quick", "other"), ("amount", "50")], [Y, Y, N, F, N, N, F, L]),
    // One payment for several children: the form lists only one's own; another's child is not found.
    ("GET", "/portal/deposit", &[], [Y, Y, Y, Y, Y, Y, Y, L]),
    ("POST", "/portal/deposit", &[("child", "{child}"), ("amount", "50")], [Y, Y, N, F, N, N, F, L]),
    (
        "POST",
        "/portal/children/{child}/agreements",
        &[("threshold", "50"), ("amount", "100")],
        [Y, Y, N, F, N, N, F, L],
    ),
    ("POST", "/portal/children/{child}/low-balance", &[("threshold", "50")], [Y, Y, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/low-balance/stop", &[], [Y, Y, N, F, N, N, F, L]),
    (
        "POST",
        "/portal/children/{child}/agreements/{agreement}/terms",
        &[("threshold", "60"), ("amount", "150")],
        [Y, F, N, F, N, N, F, L],
    ),
    ("GET", "/portal/children/{child}/limit", &[], [Y, F, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/limit", &[("limit", "40"), ("action", "save")], [Y, F, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/cards/{card}/block", &[], [Y, F, N, Y, N, N, Y, L]),
    ("GET", "/portal/children/{child}/relatives", &[], [Y, F, N, F, N, N, F, L]),
    (
        "POST",
        "/portal/children/{child}/relatives",
        &[("email", "ny@example.dk"), ("message", "")],
        [Y, F, N, F, N, N, F, L],
    ),
    ("GET", "/portal/children/{child}/withdraw", &[], [Y, F, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/withdraw", &[("amount", "10"), ("method", "card")], [Y, F, N, F, N, N, F, L]),
    (
        "POST",
        "/portal/transfer",
        &[("from", "{child}"), ("to", "{sibling}"), ("amount", "10"), ("key", "{key}")],
        [Y, F, N, F, N, N, F, L],
    ),
    ("GET", "/admin/withdrawals", &[], [N, N, N, N, N, N, Y, L]),
    ("GET", "/admin/withdrawals/bank.csv", &[], [N, N, N, N, N, N, Y, L]),
    ("GET", "/admin/payments", &[], [N, N, N, N, N, N, Y, L]),
    ("GET", "/office/{school}", &[], [F, F, F, Y, F, F, Y, L]),
    ("GET", "/office/{school}/children/{child}", &[], [F, F, F, Y, F, F, Y, L]),
    ("POST", "/office/{school}/children/{child}/cards/{card}/block", &[], [F, F, F, Y, F, F, Y, L]),
    ("GET", "/admin", &[], [F, F, F, F, F, F, Y, L]),
    ("GET", "/sales-points/{canteen}/day", &[], [N, N, N, N, N, Y, Y, L]),
    ("GET", "/sales-points/{canteen}/day.csv", &[], [N, N, N, N, N, Y, Y, L]),
    ("POST", "/sales-points/{canteen}/pairing", &[("name", "Kasse 9")], [N, N, N, N, N, Y, Y, L]),
    ("GET", "/sales-points/{canteen}/products", &[], [N, N, N, N, N, Y, Y, L]),
    (
        "POST",
        "/sales-points/{canteen}/products",
        &[("name", "Toast"), ("price", "12,50"), ("category", "mad")],
        [N, N, N, N, N, Y, Y, L],
    ),
    (
        "POST",
        "/sales-points/{canteen}/products/{product}",
        &[("name", "Sandwich"), ("price", "11"), ("category", "mad")],
        [N, N, N, N, N, Y, Y, L],
    ),
    ("POST", "/sales-points/{canteen}/products/{product}/hide", &[], [N, N, N, N, N, Y, Y, L]),
    ("GET", "/portal/children/{child}/till", &[], [Y, F, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/replacement", &[], [Y, F, N, F, N, N, Y, L]),
    ("GET", "/admin/jobs", &[], [F, F, F, F, F, F, Y, L]),
    ("POST", "/admin/jobs/{job}/retry", &[], [F, F, F, F, F, F, Y, L]),
    // Issue 19.3: the finance reports and the journal export are the operator's alone.
    ("GET", "/admin/reports", &[], [F, F, F, F, F, F, Y, L]),
    ("GET", "/admin/reports?period=2026-11-05", &[], [F, F, F, F, F, F, Y, L]),
    ("GET", "/admin/reports/print", &[], [F, F, F, F, F, F, Y, L]),
    ("GET", "/admin/reports/sales.csv", &[], [F, F, F, F, F, F, Y, L]),
    ("GET", "/admin/reports/journal.csv?account=fees", &[], [F, F, F, F, F, F, Y, L]),
    // Issue 19.2: the school-year sync is the operator's (the upload, a multipart form, in tests/sync.rs).
    ("GET", "/admin/sync", &[], [F, F, F, F, F, F, Y, L]),
    ("GET", "/admin/sync/{sync}", &[], [F, F, F, F, F, F, Y, L]),
    ("POST", "/admin/sync/{sync}/apply", &[], [F, F, F, F, F, F, Y, L]),
    // Issue 19.2: the registers (stamdata) are the operator's.
    ("GET", "/admin/master", &[], [F, F, F, F, F, F, Y, L]),
    (
        "POST",
        "/admin/master/institutions",
        &[("name", "Ny Skole"), ("kind", "school"), ("number", "")],
        [F, F, F, F, F, F, Y, L],
    ),
    (
        "POST",
        "/admin/master/institutions/{school}",
        &[("name", "Testskolen"), ("kind", "school"), ("number", "")],
        [F, F, F, F, F, F, Y, L],
    ),
    ("POST", "/admin/master/sales-points", &[("institution", "{school}"), ("name", "Boden")], [F, F, F, F, F, F, Y, L]),
    ("POST", "/admin/master/sales-points/{canteen}", &[("name", "Kantinen")], [F, F, F, F, F, F, Y, L]),
    ("POST", "/admin/master/tills/{till}", &[("active", "1")], [F, F, F, F, F, F, Y, L]),
    (
        "POST",
        "/admin/master/staff",
        &[("email", "ny{key}@example.dk"), ("first_name", "Ny"), ("last_name", "Ansat"), ("role", "support")],
        [F, F, F, F, F, F, Y, L],
    ),
    (
        "POST",
        "/admin/master/staff/{clerk}/revoke",
        &[("role", "office"), ("scope", "{school}")],
        [F, F, F, F, F, F, Y, L],
    ),
    ("GET", "/admin/master/children", &[], [F, F, F, F, F, F, Y, L]),
    (
        "POST",
        "/admin/master/children",
        &[("first_name", "Ny"), ("last_name", "Elev"), ("school", "{school}")],
        [F, F, F, F, F, F, Y, L],
    ),
    ("GET", "/admin/master/children/{child}", &[], [F, F, F, F, F, F, Y, L]),
    (
        "POST",
        "/admin/master/children/{child}",
        &[("first_name", "Ida"), ("last_name", "Testesen"), ("school", "{school}"), ("class_name", "4.A")],
        [F, F, F, F, F, F, Y, L],
    ),
    ("POST", "/admin/master/children/{child}/left", &[("left", "1")], [F, F, F, F, F, F, Y, L]),
    (
        "POST",
        "/admin/master/children/{child}/custodians",
        &[("email", "ny{key}@example.dk"), ("first_name", "Ny"), ("last_name", "Forælder")],
        [F, F, F, F, F, F, Y, L],
    ),
    ("POST", "/admin/master/children/{child}/custodians/{custodian}/remove", &[], [F, F, F, F, F, F, Y, L]),
    // The webshop: ordering spends the child's money, so custodians only; the
    // menu is the manager's and the operator's, the calendar the operator's.
    ("GET", "/portal/children/{child}/shop", &[], [Y, F, N, F, N, N, F, L]),
    (
        "POST",
        "/portal/children/{child}/shop/basket",
        &[("dish", "{dish}"), ("quantity", "1")],
        [Y, F, N, F, N, N, F, L],
    ),
    ("POST", "/portal/children/{child}/shop/pay", &[("key", "{key}")], [Y, F, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/shop/orders/{order}/cancel", &[], [Y, F, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/shop/days/{day}/cancel", &[], [Y, F, N, F, N, N, F, L]),
    ("POST", "/portal/children/{child}/shop/allergens", &[("allergen", "milk")], [Y, F, N, F, N, N, F, L]),
    (
        "POST",
        "/portal/children/{child}/shop/standing",
        &[("sales_point", "{canteen}"), ("category", "mad"), ("weekday", "2"), ("from", "{day}"), ("to", "{day}")],
        [Y, F, N, F, N, N, F, L],
    ),
    ("POST", "/portal/children/{child}/shop/standing/{standing}/stop", &[], [Y, F, N, F, N, N, F, L]),
    ("GET", "/sales-points/{canteen}/menu", &[], [N, N, N, N, N, Y, Y, L]),
    (
        "POST",
        "/sales-points/{canteen}/menu/dishes",
        // A day of its own: the fixture's day fills up with every role's family's dishes.
        &[("day", "2040-03-02"), ("name", "Suppe"), ("category", "mad"), ("price", "20")],
        [N, N, N, N, N, Y, Y, L],
    ),
    ("POST", "/sales-points/{canteen}/menu/dishes/{dish}/remove", &[], [N, N, N, N, N, Y, Y, L]),
    (
        "POST",
        "/sales-points/{canteen}/menu/terms",
        &[("order_days_before", "1"), ("order_until", "14:00"), ("cancel_until", "08:00"), ("uncollected", "kept")],
        [N, N, N, N, N, Y, Y, L],
    ),
    ("POST", "/sales-points/{canteen}/menu/calendar", &[("days", "2030-01-02 Lukket")], [N, N, N, N, N, F, Y, L]),
    ("GET", "/sales-points/{canteen}/kitchen", &[], [N, N, N, N, N, Y, Y, L]),
    ("GET", "/sales-points/{canteen}/kitchen.csv", &[], [N, N, N, N, N, Y, Y, L]),
];

/// The support console's routes and the custodian's access log, with a ninth
/// column for the help desk (after anonymous). Only support is let into the
/// console; everyone else is refused, and a refusal there is audited.
const SUPPORT_ROLES: [Role; 9] = [
    Role::Custodian,
    Role::Relative,
    Role::OtherFamily,
    Role::Office,
    Role::OtherOffice,
    Role::TillManager,
    Role::Operator,
    Role::Anonymous,
    Role::Support,
];

type SupportRoute = (&'static str, &'static str, &'static [(&'static str, &'static str)], [Expect; 9]);

const WHY: &[(&str, &str)] = &[("reason", "parent_phone"), ("note", "telefon fra forælder")];

const SUPPORT_MATRIX: &[SupportRoute] = &[
    ("GET", "/support", &[], [F, F, F, F, F, F, F, L, Y]),
    ("GET", "/support?reason=parent_phone&q=Ida", &[], [F, F, F, F, F, F, F, L, Y]),
    ("GET", "/support/children/{child}", &[], [F, F, F, F, F, F, F, L, Y]),
    ("GET", "/support/children/{child}?reason=parent_phone", &[], [F, F, F, F, F, F, F, L, Y]),
    ("POST", "/support/children/{child}/cards/{card}/block", WHY, [F, F, F, F, F, F, F, L, Y]),
    ("POST", "/support/children/{child}/cards/{card}/unblock", WHY, [F, F, F, F, F, F, F, L, U]),
    ("POST", "/support/children/{child}/replacement", WHY, [F, F, F, F, F, F, F, L, Y]),
    (
        "POST",
        "/support/children/{child}/login-link",
        &[("reason", "parent_phone"), ("note", ""), ("person", "{custodian}")],
        [F, F, F, F, F, F, F, L, Y],
    ),
    ("POST", "/support/children/{child}/invitations/inv_none/cancel", WHY, [F, F, F, F, F, F, F, L, U]),
    ("POST", "/support/children/{child}/deposits/dep_none/poll", WHY, [F, F, F, F, F, F, F, L, U]),
    // Support changes a card only from the console, with a reason; the portal's forms refuse it.
    ("POST", "/portal/children/{child}/cards/{card}/block", &[], [Y, F, N, Y, N, N, Y, L, F]),
    ("POST", "/portal/children/{child}/replacement", &[], [Y, F, N, F, N, N, Y, L, F]),
    // The custodian's view of it; a relative is refused (and audited), staff find no such child.
    ("GET", "/portal/children/{child}/access", &[], [Y, F, N, F, N, N, N, L, N]),
    // Everyone's own copy of their data; the operator's copy for a person who asked.
    ("GET", "/portal/my-data", &[], [Y, Y, Y, Y, Y, Y, Y, L, Y]),
    ("GET", "/portal/my-data.json", &[], [Y, Y, Y, Y, Y, Y, Y, L, Y]),
    ("GET", "/admin/gdpr", &[], [F, F, F, F, F, F, Y, L, F]),
    ("GET", "/admin/gdpr?email={custodian_email}", &[], [F, F, F, F, F, F, Y, L, F]),
    ("GET", "/admin/gdpr/export.json?email={custodian_email}", &[], [F, F, F, F, F, F, Y, L, F]),
];

struct Family {
    school: InstitutionId,
    canteen: SalesPointId,
    /// A product on the canteen's menu.
    product: ProductId,
    child: TestChild,
    sibling: TestChild,
    relative: PersonId,
    /// A background job the runner gave up on.
    job: String,
    /// The custodian's top-up agreement on the child.
    agreement: AgreementId,
    /// An uploaded school-administration export (empty of pupils).
    sync: String,
    /// A clerk at the school's office (a staff role to revoke).
    clerk: PersonId,
    /// The canteen's first till.
    till: String,
    /// A dish on the canteen's menu nobody has ordered, and the day it is on.
    dish: String,
    day: String,
    /// The child's paid webshop order (another dish, the same day).
    order: String,
    /// The custodian's standing order for the child.
    standing: String,
}

async fn family(t: &TestApp) -> Family {
    let child = t.world.child("Ida", Money::kr(200), None).await;
    let sibling = t.world.sibling(&child, "Noah", Money::kr(10)).await;
    let relative = t.world.relative(&child, "Mormor").await;
    let now = t.app.now();
    let mut tx = t.app.store.begin().await.expect("begin");
    let job = tx.queue("matrix_test", "{}", now, now).await.expect("queue");
    tx.commit().await.expect("commit");
    t.app.store.fail_job(&job, "refused", None, now).await.expect("give up");
    let agreement = t.world.agreement(&child, Money::kr(50), Money::kr(100), "tok_sbx_matrix").await;
    let header = saldo_app::school_sync::COLUMNS.join(";");
    let sync = saldo_app::school_sync::upload(&t.app, None, "elever.csv", header.as_bytes()).await.expect("upload");
    let clerk = t.world.staff(Some(&t.world.school), "matrix-password").await.0;
    let (dish, day, order, standing) = webshop(t, &child).await;
    Family {
        school: t.world.school.clone(),
        canteen: t.world.canteen.clone(),
        product: t.world.product("Sandwich").id.clone(),
        child,
        sibling,
        relative,
        job,
        agreement,
        sync,
        clerk,
        till: t.world.tills[0].row.id.to_string(),
        dish,
        day,
        order,
        standing,
    }
}

/// A dish on the next day that can be ordered, and the child's paid order of another.
async fn webshop(t: &TestApp, child: &TestChild) -> (String, String, String, String) {
    use saldo_core::shop::{Calendar, ShopTerms};
    let day = ShopTerms::default().days_open_for_orders(&Calendar::default(), t.app.now())[0].to_string();
    let free = t.world.dish(&day, "Suppe", Money::kr(20)).await;
    let ordered = t.world.dish(&day, "Pastasalat", Money::kr(30)).await;
    let custodian = t.world.actor(&child.custodian_id).await;
    saldo_app::shop_orders::set_in_basket(&t.app, &custodian, &child.child_id, &ordered, 1).await.expect("basket");
    let key = t.app.store.cart(&child.child_id, &custodian.person_id).await.expect("cart").key.expect("key");
    saldo_app::shop_orders::pay_basket(&t.app, &custodian, &child.child_id, &key).await.expect("paid");
    let order = t.app.store.orders_of_child(&child.child_id, &day).await.expect("orders")[0].id.clone();
    let term = saldo_app::standing_orders::StandingInput {
        sales_point: t.world.canteen.to_string(),
        category: "mad".into(),
        weekdays: vec!["1".into(), "3".into()],
        from: day.clone(),
        to: day.clone(),
    };
    let standing =
        saldo_app::standing_orders::create(&t.app, &custodian, &child.child_id, &term).await.expect("standing");
    (free, day, order, standing)
}

async fn browser_for(t: &TestApp, role: Role, family: &Family, operator: &PersonId) -> Browser {
    match person_for(t, role, family, operator).await {
        Some(person) => t.signed_in(&person).await,
        None => {
            let browser = t.browser();
            browser.get("/login").await;
            browser
        }
    }
}

/// The person who has `role` towards the family (none for anonymous).
async fn person_for(t: &TestApp, role: Role, family: &Family, operator: &PersonId) -> Option<PersonId> {
    Some(match role {
        Role::Custodian => family.child.custodian_id.clone(),
        Role::Relative => family.relative.clone(),
        Role::OtherFamily => t.world.child("Bo", Money::kr(10), None).await.custodian_id,
        Role::Office => t.world.staff(Some(&t.world.school), "matrix-password").await.0,
        Role::OtherOffice => {
            let other = t.world.other_school("Naboskolen").await;
            t.world.staff(Some(&other), "matrix-password").await.0
        }
        Role::TillManager => t.world.till_staff(&t.world.canteen, true, "4711").await,
        Role::Operator => operator.clone(),
        Role::Support => t.world.support().await,
        Role::Anonymous => return None,
    })
}

fn fill(s: &str, family: &Family) -> String {
    s.replace("{child}", family.child.child_id.as_str())
        .replace("{card}", family.child.card_id.as_str())
        .replace("{sibling}", family.sibling.child_id.as_str())
        .replace("{school}", family.school.as_str())
        .replace("{canteen}", family.canteen.as_str())
        .replace("{product}", family.product.as_str())
        .replace("{job}", &family.job)
        .replace("{agreement}", family.agreement.as_str())
        .replace("{sync}", &family.sync)
        .replace("{clerk}", family.clerk.as_str())
        .replace("{custodian}", family.child.custodian_id.as_str())
        .replace("{custodian_email}", &family.child.custodian_email.replace('@', "%40"))
        .replace("{till}", &family.till)
        .replace("{dish}", &family.dish)
        .replace("{day}", &family.day)
        .replace("{order}", &family.order)
        .replace("{standing}", &family.standing)
        .replace("{key}", &format!("{:032x}", rand::random::<u128>()))
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let t = TestApp::start().await;
    let operator = t.world.operator().await;
    let mut wrong = Vec::new();
    for (method, path, fields, expected) in MATRIX {
        for (role, expect) in ROLES.iter().zip(expected) {
            // A fresh family for each case: a case that changes something cannot colour the next.
            let family = family(&t).await;
            let browser = browser_for(&t, *role, &family, &operator).await;
            let path = fill(path, &family);
            let page = if *method == "GET" {
                browser.get(&path).await
            } else {
                let fields: Vec<(String, String)> =
                    fields.iter().map(|(k, v)| ((*k).to_owned(), fill(v, &family))).collect();
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                browser.post(&path, &fields).await
            };
            let got = match (page.status, page.location.as_deref()) {
                (303, Some("/login")) => Expect::Login,
                (200 | 303, _) => Expect::Ok,
                (403, _) => Expect::Forbidden,
                (404, _) => Expect::NotFound,
                (422, _) => Expect::Unprocessable,
                (status, _) => panic!("{method} {path} as {role:?}: unexpected {status}: {}", page.body),
            };
            if got != *expect {
                wrong.push(format!("{method} {path} as {role:?}: expected {expect:?}, got {got:?} ({})", page.status));
            }
            // A relative reaching for a custodian's control is refused and the attempt audited.
            if matches!(role, Role::Relative) && *expect == Expect::Forbidden && path.starts_with("/portal/children/") {
                let audit = t.app.store.audit_of(&family.child.child_id).await.expect("audit");
                let audited =
                    audit.iter().any(|a| a.action == "denied" && a.actor == format!("person:{}", family.relative));
                if !audited {
                    wrong.push(format!("{method} {path} as a relative: refused but not audited"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "the matrix does not hold:\n{}", wrong.join("\n"));
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn the_support_console_answers_only_support() {
    let t = TestApp::start().await;
    let operator = t.world.operator().await;
    let mut wrong = Vec::new();
    for (method, path, fields, expected) in SUPPORT_MATRIX {
        for (role, expect) in SUPPORT_ROLES.iter().zip(expected) {
            let family = family(&t).await;
            let person = person_for(&t, *role, &family, &operator).await;
            let browser = match &person {
                Some(person) => t.signed_in(person).await,
                None => {
                    let browser = t.browser();
                    browser.get("/login").await;
                    browser
                }
            };
            let path = fill(path, &family);
            let page = if *method == "GET" {
                browser.get(&path).await
            } else {
                let fields: Vec<(String, String)> =
                    fields.iter().map(|(k, v)| ((*k).to_owned(), fill(v, &family))).collect();
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                browser.post(&path, &fields).await
            };
            let got = match (page.status, page.location.as_deref()) {
                (303, Some("/login")) => Expect::Login,
                (200 | 303, _) => Expect::Ok,
                (403, _) => Expect::Forbidden,
                (404, _) => Expect::NotFound,
                (422, _) => Expect::Unprocessable,
                (status, _) => panic!("{method} {path} as {role:?}: unexpected {status}: {}", page.body),
            };
            if got != *expect {
                wrong.push(format!("{method} {path} as {role:?}: expected {expect:?}, got {got:?} ({})", page.status));
            }
            // Reaching into the console, or for someone else's data, without the role is written down.
            let row = if path.starts_with("/support") { "SupportConsole" } else { "PersonalDataRequest" };
            let staff_only = path.starts_with("/support") || path.starts_with("/admin/gdpr");
            if let (Some(person), true) = (&person, staff_only && *expect == Expect::Forbidden) {
                let denied = t.app.store.audit_of(person).await.expect("audit");
                if !denied.iter().any(|a| a.action == "denied" && a.detail.starts_with(row)) {
                    wrong.push(format!("{method} {path} as {role:?}: refused but not audited"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "the support matrix does not hold:\n{}", wrong.join("\n"));
    t.world.assert_books_balance().await;
}
