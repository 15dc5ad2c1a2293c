//! The school-year sync (issue 19.2) through its use cases, on the engine
//! the run selects: arrivals with their custodians, a move, a leaver who
//! keeps their money, custody changes, skipped rows; every change audited;
//! the same file twice changes nothing; no money moves.

use saldo_app::school_sync::{self, SyncError};
use saldo_app::testing::World;
use saldo_app::Actor;
use saldo_core::ids::{ChildId, InstitutionId};
use saldo_core::rights::Grant;
use saldo_core::Money;
use saldo_store::InstitutionKind;

const HEADER: &str = "ElevNr;Fornavn;Efternavn;Fødselsdato;Skole;Klasse;Klub;Forælder1Nr;Forælder1Fornavn;\
Forælder1Efternavn;Forælder1Email;Forælder1Telefon;Forælder2Nr;Forælder2Fornavn;Forælder2Efternavn;Forælder2Email;\
Forælder2Telefon";

fn file(rows: &[&str]) -> Vec<u8> {
    let mut text = format!("\u{feff}{HEADER}\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text.into_bytes()
}

const AUGUST: [&str; 3] = [
    "B1;Ida;Hansen;17-04-2016;S01;3.A;;F1;Søren;Hansen;soeren@example.dk;+45 11111111;;;;;",
    "B2;Noah;Jensen;;S01;2.B;;F2;Mette;Jensen;mette@example.dk;;F3;Ali;Jensen;ali@example.dk;",
    "B3;Alma;Berg;;S01;5.C;;F5;Eva;Berg;eva@example.dk;;;;;;",
];

struct Town {
    world: World,
    club: InstitutionId,
    operator: Actor,
}

async fn town() -> Town {
    let world = World::new().await;
    let mut tx = world.app.store.begin().await.unwrap();
    tx.set_institution_number(&world.school, Some("S01")).await.unwrap();
    let club = tx.create_institution(&world.municipality, "Ungdomsklubben", InstitutionKind::Club).await.unwrap();
    tx.set_institution_number(&club, Some("K01")).await.unwrap();
    tx.commit().await.unwrap();
    let person = world.operator().await;
    let operator = Actor {
        person_id: person,
        name: "Drift".into(),
        lang: "da".into(),
        grants: vec![Grant::OperatorAdmin],
        source: "test".into(),
        proved: None,
    };
    Town { world, club, operator }
}

async fn sync(t: &Town, rows: &[&str]) -> school_sync::Applied {
    let id = school_sync::upload(&t.world.app, Some(&t.operator), "elever.csv", &file(rows)).await.unwrap();
    school_sync::apply(&t.world.app, Some(&t.operator), &id).await.unwrap()
}

async fn child(t: &Town, number: &str) -> (ChildId, saldo_store::ExistingData) {
    let mut tx = t.world.app.store.begin().await.unwrap();
    let data = tx.existing_data().await.unwrap();
    let id = data.children.iter().find(|c| c.legacy_no.as_deref() == Some(number)).expect(number).id.clone();
    (id, data)
}

async fn placement(t: &Town, id: &ChildId) -> saldo_store::Placement {
    let mut tx = t.world.app.store.begin().await.unwrap();
    tx.placements().await.unwrap().into_iter().find(|p| p.child_id == *id).unwrap()
}

fn custodians_of(data: &saldo_store::ExistingData, child: &ChildId) -> Vec<String> {
    let mut names: Vec<String> = data
        .relations
        .iter()
        .filter(|(c, _, kind)| c == child.as_str() && kind == "custodian")
        .map(|(_, p, _)| {
            let person = data.people.iter().find(|x| x.id.as_str() == p).unwrap();
            person.legacy_no.clone().unwrap_or_default()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_school_year_arrives_moves_and_leaves_and_the_same_file_twice_changes_nothing() {
    let t = town().await;
    // A child made by hand, with no pupil number: never the sync's to move or remove.
    let by_hand = t.world.child("Hand", Money::kr(20), None).await;

    let id = school_sync::upload(&t.world.app, Some(&t.operator), "august.csv", &file(&AUGUST)).await.unwrap();
    let (_, dry) = school_sync::preview(&t.world.app, Some(&t.operator), &id).await.unwrap();
    assert_eq!((dry.arrivals.len(), dry.moves.len(), dry.leavers.len(), dry.changes()), (3, 0, 0, 3));
    assert!(t.world.app.store.child_id_by_legacy_no("B1").await.unwrap().is_none(), "a dry run writes nothing");
    let first = school_sync::apply(&t.world.app, Some(&t.operator), &id).await.unwrap();
    assert_eq!(first.plan.arrivals.len(), 3);
    let (ida, data) = child(&t, "B1").await;
    assert_eq!(placement(&t, &ida).await.class_name.as_deref(), Some("3.A"));
    let (noah, _) = child(&t, "B2").await;
    assert_eq!(custodians_of(&data, &noah), ["F2", "F3"]);
    let wallet = t.world.app.store.wallet_of_child(&ida).await.unwrap().expect("an account from the start");
    assert_eq!(wallet.balance, Money::ZERO);
    assert!(t.world.app.store.audit_of(&ida).await.unwrap().iter().any(|a| a.action == "sync.arrived"));

    // The same file again: nothing to do, nothing done.
    let again = sync(&t, &AUGUST).await;
    assert_eq!((again.plan.changes(), again.plan.unchanged), (0, 3));

    // Alma has money on her account when she leaves; it stays.
    let (alma, _) = child(&t, "B3").await;
    let alma_wallet = t.world.app.store.wallet_of_child(&alma).await.unwrap().unwrap();
    t.world.carry_over(&alma_wallet.id, Money::kr(75)).await;
    let money_before = t.world.snapshot().await;

    let september = [
        // Ida moves up a class and joins the club.
        "B1;Ida;Hansen;17-04-2016;S01;4.A;K01;F1;Søren;Hansen;soeren@example.dk;;;;;;",
        // Noah: Ali no longer has custody, Line has.
        "B2;Noah;Jensen;;S01;2.B;;F2;Mette;Jensen;mette@example.dk;;F4;Line;Jensen;line@example.dk;",
        // A new pupil, Søren's too.
        "B4;Otto;Hansen;;S01;0.A;;F1;Søren;Hansen;soeren@example.dk;;;;;;",
        "B5;Ukendt;Skole;;S99;1.A;;;;;;;;;;;",
    ];
    let id = school_sync::upload(&t.world.app, Some(&t.operator), "september.csv", &file(&september)).await.unwrap();
    let (_, dry) = school_sync::preview(&t.world.app, Some(&t.operator), &id).await.unwrap();
    assert_eq!(dry.arrivals.len(), 1, "{dry:#?}");
    assert_eq!(dry.moves.len(), 1);
    assert_eq!(dry.leavers.len(), 1);
    assert_eq!(dry.leavers[0].child_id, alma);
    assert_eq!(dry.custodian_changes.len(), 1);
    assert_eq!(dry.custodian_changes[0].removed.len(), 1);
    assert_eq!(dry.rejected.len(), 1);
    assert!(dry.rejected[0].reason.contains("S99"));
    school_sync::apply(&t.world.app, Some(&t.operator), &id).await.unwrap();

    let (ida, data) = child(&t, "B1").await;
    let ida_row = data.children.iter().find(|c| c.id == ida).unwrap();
    assert_eq!(ida_row.club_id.as_ref(), Some(&t.club));
    assert_eq!(placement(&t, &ida).await.class_name.as_deref(), Some("4.A"));
    assert_eq!(custodians_of(&data, &noah), ["F2", "F4"]);
    let (otto, _) = child(&t, "B4").await;
    assert_eq!(custodians_of(&data, &otto), ["F1"], "Søren's one person for both his children");
    assert_eq!(data.people.iter().filter(|p| p.legacy_no.as_deref() == Some("F1")).count(), 1);
    assert!(placement(&t, &alma).await.left_at.is_some());
    let alma_wallet = t.world.app.store.wallet_of_child(&alma).await.unwrap().unwrap();
    assert_eq!(alma_wallet.balance, Money::kr(75), "leaving takes no money");
    assert!(placement(&t, &by_hand.child_id).await.left_at.is_none());
    let after = t.world.snapshot().await;
    let money = |s: &[(String, i64)]| {
        s.iter()
            .filter(|(k, _)| k == "journal_entries" || k == "postings" || k == "wallet_total_ore")
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(money(&after), money(&money_before), "the sync never moves money");
    for (action, subject) in [("sync.moved", &ida), ("sync.left", &alma), ("sync.custodian_removed", &noah)] {
        let audit = t.world.app.store.audit_of(subject).await.unwrap();
        assert!(audit.iter().any(|a| a.action == action && a.actor == format!("person:{}", t.operator.person_id)));
    }
    assert_eq!(sync(&t, &september).await.plan.changes(), 0, "repeatable");

    // Alma is back in October.
    let back = sync(&t, &[AUGUST[2], september[0], september[1], september[2]]).await;
    assert_eq!(back.plan.moves.len(), 1);
    assert!(back.plan.moves[0].returns);
    assert!(placement(&t, &alma).await.left_at.is_none());
    t.world.assert_books_balance().await;
}

#[tokio::test]
async fn only_the_operator_syncs_and_a_file_of_another_shape_is_refused() {
    let t = town().await;
    let office = Actor { grants: vec![Grant::Office { institution: t.world.school.clone() }], ..t.operator.clone() };
    let refused = school_sync::upload(&t.world.app, Some(&office), "elever.csv", &file(&AUGUST)).await;
    assert!(matches!(refused, Err(SyncError::Refused(_))));
    let id = school_sync::upload(&t.world.app, Some(&t.operator), "elever.csv", &file(&AUGUST)).await.unwrap();
    assert!(matches!(school_sync::preview(&t.world.app, Some(&office), &id).await, Err(SyncError::Refused(_))));
    assert!(matches!(school_sync::apply(&t.world.app, Some(&office), &id).await, Err(SyncError::Refused(_))));
    let legacy = std::fs::read("../../../shared/fixtures/legacy-export/boern.csv")
        .unwrap_or_else(|_| b"BarnNr;Fornavn\r\n".to_vec());
    assert!(matches!(
        school_sync::upload(&t.world.app, Some(&t.operator), "boern.csv", &legacy).await,
        Err(SyncError::File(school_sync::FileError::Columns { .. }))
    ));
    assert!(t.world.app.store.child_id_by_legacy_no("B1").await.unwrap().is_none());
}

#[tokio::test]
async fn an_uploaded_export_is_forgotten_after_a_month() {
    let t = town().await;
    let old = school_sync::upload(&t.world.app, Some(&t.operator), "august.csv", &file(&AUGUST)).await.unwrap();
    t.world.app.clock.advance(jiff::SignedDuration::from_hours(24 * (school_sync::KEEP_FILES_DAYS + 1)));
    let new = school_sync::upload(&t.world.app, Some(&t.operator), "oktober.csv", &file(&AUGUST)).await.unwrap();
    // The names it held are gone; the audit log keeps that it was uploaded.
    assert!(t.world.app.store.sync_file(&old).await.unwrap().unwrap().content.is_empty());
    assert!(matches!(
        school_sync::preview(&t.world.app, Some(&t.operator), &old).await,
        Err(SyncError::UnknownFile(_))
    ));
    assert!(matches!(school_sync::apply(&t.world.app, Some(&t.operator), &old).await, Err(SyncError::UnknownFile(_))));
    assert!(t.world.app.store.audit_of(&old).await.unwrap().iter().any(|a| a.action == "sync.uploaded"));
    assert_eq!(school_sync::preview(&t.world.app, Some(&t.operator), &new).await.unwrap().1.arrivals.len(), 3);
}
