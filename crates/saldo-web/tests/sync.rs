//! The school-year sync on the web (issue 19.2): the operator uploads the
//! school administration's export, sees who arrives, moves and leaves, and
//! applies it; twice changes nothing; no one else may; a file of another
//! shape is explained, not applied.

mod common;

use common::TestApp;
use saldo_app::school_sync::COLUMNS;
use saldo_core::Money;

fn export(rows: &[&str]) -> Vec<u8> {
    let mut text = format!("\u{feff}{}\r\n", COLUMNS.join(";"));
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

const PUPILS: [&str; 2] = [
    "B1;Ida;Hansen;17-04-2016;S01;3.A;;F1;Søren;Hansen;soeren@example.dk;;;;;;",
    "B2;Noah;Jensen;;S01;2.B;;F2;Mette;Jensen;mette@example.dk;;;;;;",
];

#[tokio::test]
async fn the_operator_uploads_sees_the_diff_and_applies_it_once() {
    let t = TestApp::start().await;
    let mut tx = t.app.store.begin().await.unwrap();
    tx.set_institution_number(&t.world.school, Some("S01")).await.unwrap();
    tx.commit().await.unwrap();
    let operator = t.signed_in(&t.world.operator().await).await;
    let form = operator.get("/admin/sync").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));

    let uploaded = operator.upload("/admin/sync", &operator.csrf(), "elever.csv", &export(&PUPILS)).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let diff_path = uploaded.location.expect("to the diff");
    let diff = operator.get(&diff_path).await;
    assert_eq!(diff.status, 200);
    assert!(diff.body.contains("id=\"count-arrivals\">2<"), "{}", diff.body);
    assert!(diff.body.contains("Ida Hansen (B1)") && diff.body.contains("Søren Hansen"));
    assert!(t.app.store.child_id_by_legacy_no("B1").await.unwrap().is_none(), "looking changes nothing");

    let applied = operator.post(&format!("{diff_path}/apply"), &[]).await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    assert!(applied.body.contains("Ændringerne er gennemført") && applied.body.contains("Gennemført: 2 ændringer"));
    let ida = t.app.store.child_id_by_legacy_no("B1").await.unwrap().expect("Ida arrived");
    assert_eq!(t.app.store.wallet_of_child(&ida).await.unwrap().unwrap().balance, Money::ZERO);
    let again = operator.post(&format!("{diff_path}/apply"), &[]).await;
    assert!(again.body.contains("Gennemført: 0 ændringer"), "{}", again.body);
    assert!(operator.get(&diff_path).await.body.contains("Der er intet at gennemføre"));

    // Next month Noah has left: the diff says so, and his account stays.
    let next = operator.upload("/admin/sync", &operator.csrf(), "elever.csv", &export(&PUPILS[..1])).await;
    let next_path = next.location.expect("to the diff");
    let diff = operator.get(&next_path).await;
    assert!(diff.body.contains("id=\"count-leavers\">1<") && diff.body.contains("kontoen og pengene bliver"));

    // Another file's shape is explained on the form.
    let wrong = operator.upload("/admin/sync", &operator.csrf(), "boern.csv", b"BarnNr;Fornavn\r\nB1;Ida\r\n").await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("kolonnerne er ikke skolesynkroniseringens"), "{}", wrong.body);
    // Without the form's token nothing is read.
    let forged = operator.upload("/admin/sync", "forged", "elever.csv", &export(&PUPILS)).await;
    assert_eq!(forged.status, 400);
}

#[tokio::test]
async fn no_one_but_the_operator_uploads_an_export() {
    let t = TestApp::start().await;
    let ida = t.world.child("Ida", Money::kr(10), None).await;
    let parent = t.signed_in(&ida.custodian_id).await;
    let office = t.signed_in(&t.world.staff(Some(&t.world.school), "pw").await.0).await;
    let manager = t.signed_in(&t.world.till_staff(&t.world.canteen, true, "1357").await).await;
    for who in [&parent, &office, &manager] {
        who.get("/admin/sync").await;
        let refused = who.upload("/admin/sync", &who.csrf(), "elever.csv", &export(&PUPILS)).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    let anonymous = t.browser();
    anonymous.get("/login").await;
    let refused = anonymous.upload("/admin/sync", &anonymous.csrf(), "elever.csv", &export(&PUPILS)).await;
    assert_eq!((refused.status, refused.location.as_deref()), (303, Some("/login")));
}
