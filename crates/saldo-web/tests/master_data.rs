//! The operator's registers (issue 19.2) over HTTP: institutions with their
//! numbers, a sales point, a till out of use, a staff role; a child added,
//! moved, marked as left with their money kept, a custodian linked (who then
//! sees the child on the portal) and unlinked; every change audited.

mod common;

use common::TestApp;
use saldo_core::ids::ChildId;
use saldo_core::Money;

#[tokio::test]
async fn the_operator_keeps_institutions_sales_points_tills_and_staff() {
    let t = TestApp::start().await;
    let operator = t.signed_in(&t.world.operator().await).await;
    let page = operator.get("/admin/master").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Testskolen") && page.body.contains("Kantinen"));

    let added = operator
        .post("/admin/master/institutions", &[("name", "Nyskolen"), ("kind", "school"), ("number", "S77")])
        .await;
    assert_eq!(added.status, 303);
    let page = operator.get("/admin/master").await;
    assert!(page.body.contains("Nyskolen (skole, S77)"), "{}", page.body);
    // A number is one institution's only.
    let twice = operator
        .post(
            &format!("/admin/master/institutions/{}", t.world.school),
            &[("name", "Testskolen"), ("kind", "school"), ("number", "S77")],
        )
        .await;
    let back = operator.get(twice.location.as_deref().expect("back to the page")).await;
    assert!(back.body.contains("Nummeret er allerede"), "{}", back.body);
    let nameless = operator.post("/admin/master/institutions", &[("name", "  "), ("kind", "school")]).await;
    assert!(operator.get(nameless.location.as_deref().unwrap()).await.body.contains("Et navn mangler"));

    let till = &t.world.tills[1].row.id;
    assert_eq!(operator.post(&format!("/admin/master/tills/{till}"), &[("active", "0")]).await.status, 303);
    assert!(!t.app.store.tills().await.unwrap().iter().any(|x| x.id == *till), "out of use");
    assert!(t.app.store.audit_of(till).await.unwrap().iter().any(|a| a.action == "master.till_deactivated"));

    let school = t.world.school.to_string();
    let fields = [
        ("email", "ny.kontor@example.dk"),
        ("first_name", "Nina"),
        ("last_name", "Kontor"),
        ("role", "office"),
        ("scope", school.as_str()),
    ];
    assert_eq!(operator.post("/admin/master/staff", &fields).await.status, 303);
    let nina = t.app.store.person_by_email("ny.kontor@example.dk").await.unwrap().expect("made");
    let grants = t.app.store.grants_of(&nina.id).await.unwrap();
    assert_eq!(grants, vec![saldo_core::rights::Grant::Office { institution: t.world.school.clone() }]);
    let page = operator.get("/admin/master").await;
    assert!(page.body.contains("Nina Kontor"));
    let revoke = [("role", "office"), ("scope", school.as_str())];
    assert_eq!(operator.post(&format!("/admin/master/staff/{}/revoke", nina.id), &revoke).await.status, 303);
    assert!(t.app.store.grants_of(&nina.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_child_is_added_moved_and_leaves_with_their_money_and_custodians_come_and_go() {
    let t = TestApp::start().await;
    let operator = t.signed_in(&t.world.operator().await).await;
    let other = t.world.other_school("Naboskolen").await;
    let school = t.world.school.to_string();
    let fields = [
        ("first_name", "Sofie"),
        ("last_name", "Holm"),
        ("school", school.as_str()),
        ("class_name", "1.A"),
        ("number", "E123"),
    ];
    let added = operator.post("/admin/master/children", &fields).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let path = added.location.expect("to the child");
    let sofie = ChildId::new(path.rsplit('/').next().unwrap());
    let wallet = t.app.store.wallet_of_child(&sofie).await.unwrap().expect("an account at once");
    assert_eq!(wallet.balance, Money::ZERO);
    let list = operator.get("/admin/master/children?q=holm").await;
    assert!(list.body.contains("Sofie Holm") && list.body.contains("Testskolen 1.A"));

    // She moves school and class.
    let other_id = other.to_string();
    let moved = [
        ("first_name", "Sofie"),
        ("last_name", "Holm"),
        ("school", other_id.as_str()),
        ("class_name", "2.B"),
        ("number", "E123"),
    ];
    assert_eq!(operator.post(&path, &moved).await.status, 303);
    let page = operator.get(&path).await;
    assert!(page.body.contains("value=\"2.B\""));
    assert!(t.app.store.audit_of(&sofie).await.unwrap().iter().any(|a| a.action == "master.child_moved"));

    // A custodian by e-mail, who then sees her on the portal.
    let custodian = [("email", "far.holm@example.dk"), ("first_name", "Jens"), ("last_name", "Holm")];
    assert_eq!(operator.post(&format!("{path}/custodians"), &custodian).await.status, 303);
    let jens = t.app.store.person_by_email("far.holm@example.dk").await.unwrap().expect("made");
    let parent = t.signed_in(&jens.id).await;
    assert_eq!(parent.get(&format!("/portal/children/{sofie}")).await.status, 200);

    // Money arrives (carried over here), then she leaves: the money stays.
    t.world.carry_over(&wallet.id, Money::kr(80)).await;
    let before = t.world.snapshot().await;
    assert_eq!(operator.post(&format!("{path}/left"), &[("left", "1")]).await.status, 303);
    assert!(operator.get(&path).await.body.contains("Kontoen og pengene er der stadig"));
    assert_eq!(t.world.snapshot().await, before, "leaving moves no money");
    assert_eq!(t.app.store.wallet_of_child(&sofie).await.unwrap().unwrap().balance, Money::kr(80));
    assert_eq!(parent.get(&format!("/portal/children/{sofie}")).await.status, 200, "the family still sees the account");

    // Custody ends: the portal no longer shows her to him.
    let remove = format!("{path}/custodians/{}/remove", jens.id);
    assert_eq!(operator.post(&remove, &[]).await.status, 303);
    assert_eq!(parent.get(&format!("/portal/children/{sofie}")).await.status, 404);
    let audit = t.app.store.audit_of(&sofie).await.unwrap();
    for action in ["master.child_added", "master.child_left", "master.custodian_added", "master.custodian_removed"] {
        assert!(audit.iter().any(|a| a.action == action), "{action}");
    }
    let bad = operator.post(&format!("{path}/custodians"), &[("email", "ikke en adresse")]).await;
    assert!(operator.get(bad.location.as_deref().unwrap()).await.body.contains("E-mailadressen ser ikke rigtig ud"));
    t.world.assert_books_balance().await;
}
