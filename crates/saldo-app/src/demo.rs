//! A believable municipality to try Saldo on: schools, a club, canteens and a
//! kiosk with their menus, families with children, cards and balances, staff.
//! The same every time (a fixed seed), so a demo can be described in words.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use saldo_core::ids::{ChildId, InstitutionId, SalesPointId};
use saldo_core::ledger::Entry;
use saldo_core::{CardNumber, CardState, Money};
use saldo_store::{EntryMeta, InstitutionKind, RelationKind, StaffRole, StoreError, Tx};
use serde::Serialize;

use crate::idempotency::secret_hash;
use crate::tills::new_token;
use crate::App;

/// What `saldo demo --credentials-out` writes: enough to drive the demo by hand or by script.
#[derive(Clone, Debug, Serialize)]
pub struct Credentials {
    pub base_url: String,
    /// Every demo staff member's PIN at their till.
    pub staff_pin: String,
    pub tills: Vec<TillCredential>,
    pub cards: Vec<CardCredential>,
    pub people: Vec<PersonCredential>,
    /// Blank cards put in each office's stock for this run, with their codes.
    pub stock: Vec<StockCredential>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StockCredential {
    pub number: String,
    pub activation_code: String,
    pub office_id: InstitutionId,
    pub office: String,
    /// Who logs in at that office (password in the README).
    pub office_staff_email: Option<String>,
}

/// The demo's staff passwords (demo mode only; documented in the README).
pub const OFFICE_PASSWORD: &str = "demo-kontor";
pub const OPERATOR_PASSWORD: &str = "demo-drift";
/// Blank cards added to each office's stock every time the demo starts.
const STOCK_PER_OFFICE: i64 = 3;

#[derive(Clone, Debug, Serialize)]
pub struct TillCredential {
    pub token: String,
    pub sales_point: String,
    pub sales_point_id: SalesPointId,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CardCredential {
    pub number: String,
    pub child_id: ChildId,
    pub first_name: String,
    pub balance_ore: i64,
    pub daily_limit_ore: Option<i64>,
    pub custodian_email: Option<String>,
    /// The institution whose office hands out the child's replacement cards.
    pub office: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PersonCredential {
    pub name: String,
    pub email: String,
    pub role: String,
}

const CANTEEN_MENU: &[(&str, i64, &str)] = &[
    ("Dagens ret", 3500, "mad"),
    ("Sandwich med kylling", 2800, "mad"),
    ("Pastasalat", 3000, "mad"),
    ("Rugbrødsmad", 1800, "mad"),
    ("Frugt", 500, "frugt"),
    ("Grøntsagsstave", 800, "frugt"),
    ("Yoghurt med müsli", 1500, "mad"),
    ("Bolle med smør", 800, "bagværk"),
    ("Minimælk", 600, "drikke"),
    ("Juice", 1000, "drikke"),
    ("Vand", 800, "drikke"),
];

const KIOSK_MENU: &[(&str, i64, &str)] = &[
    ("Toast", 1500, "mad"),
    ("Pizzaslice", 2000, "mad"),
    ("Frugt", 500, "frugt"),
    ("Sodavand", 1200, "sodavand"),
    ("Vand", 800, "drikke"),
    ("Slikpose", 1000, "slik"),
    ("Chips", 1000, "slik"),
    ("Is", 1200, "slik"),
];

const CHILD_NAMES: &[&str] = &[
    "Ida", "Noah", "Emma", "Oscar", "Freja", "William", "Alma", "Carl", "Clara", "Malthe", "Ella", "Valdemar", "Agnes",
    "Aksel", "Karla", "Alfred", "Sofia", "Elias", "Olivia", "Lucas", "Ellen", "Anton", "Luna", "Theo", "Asta",
    "Magnus", "Lærke", "August", "Frida", "Viggo",
];

/// The demo staff's PIN at their tills (demo only; real staff choose their own).
pub const DEMO_PIN: &str = "1234";

const ADULT_NAMES: &[&str] = &[
    "Mette", "Søren", "Louise", "Jesper", "Camilla", "Thomas", "Anne", "Martin", "Line", "Henrik", "Maria", "Rasmus",
    "Julie", "Mads", "Sara", "Anders", "Katrine", "Jonas", "Signe", "Peter",
];

const SURNAMES: &[&str] = &[
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
];

/// Seeds the demo municipality into an empty database; leaves a seeded one alone.
pub async fn seed_if_empty(app: &App) -> Result<bool, StoreError> {
    if !app.store.is_empty().await? {
        return Ok(false);
    }
    let office_hash = crate::passwords::hash(OFFICE_PASSWORD, &app.settings.sessions)
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let operator_hash = crate::passwords::hash(OPERATOR_PASSWORD, &app.settings.sessions)
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut tx = app.store.begin().await?;
    seed(&mut tx, app.now(), &office_hash, &operator_hash).await?;
    tx.commit().await?;
    crate::demo_history::add(app).await?;
    crate::demo_support::seed_cases(app).await?;
    Ok(true)
}

/// Gives every till a fresh token (only the hashes are stored, so a reused demo
/// database cannot hand back the old ones) and lists what a demo user needs.
pub async fn credentials(app: &App, base_url: &str) -> Result<Credentials, StoreError> {
    let mut tills = Vec::new();
    let mut tx = app.store.begin().await?;
    for till in app.store.tills().await? {
        let token = new_token();
        tx.set_till_token_hash(&till.id, &secret_hash(&token)).await?;
        tills.push(TillCredential {
            token,
            sales_point: till.sales_point_name,
            sales_point_id: till.sales_point_id,
            name: till.name,
        });
    }
    tx.commit().await?;
    // In a fixed order, so "the first till" is the same canteen on every run.
    tills.sort_by(|a, b| (&a.sales_point, &a.name).cmp(&(&b.sales_point, &b.name)));
    let cards = app
        .store
        .active_cards(1_000)
        .await?
        .into_iter()
        .map(|c| CardCredential {
            number: c.number,
            child_id: c.child_id,
            first_name: c.first_name,
            balance_ore: c.balance.ore(),
            daily_limit_ore: c.daily_limit.map(Money::ore),
            custodian_email: c.custodian_email,
            office: c.office,
        })
        .collect();
    let stock = fresh_stock(app).await?;
    let people = app
        .store
        .people_with_roles()
        .await?
        .into_iter()
        .map(|p| PersonCredential { name: p.name, email: p.email, role: p.role.as_str().to_owned() })
        .collect();
    Ok(Credentials { base_url: base_url.to_owned(), staff_pin: DEMO_PIN.to_owned(), tills, cards, people, stock })
}

/// A few blank cards for each office, with codes only this run knows
/// (stored hashed, like any batch), so a demo can hand out and activate.
async fn fresh_stock(app: &App) -> Result<Vec<StockCredential>, StoreError> {
    let offices = app.store.institutions().await?;
    let mut printed = Vec::new();
    for office in &offices {
        for _ in 0..STOCK_PER_OFFICE {
            let number = crate::card_stock::new_card_number();
            let code = crate::passwords::new_activation_code();
            let hash = crate::passwords::hash(&crate::passwords::normalize_code(&code), &app.settings.sessions)
                .await
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            printed.push((office, number, code, hash));
        }
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let batch = tx.create_card_batch("demo", (printed.len() as i64).max(1), now).await?;
    let mut staff = std::collections::HashMap::new();
    for office in &offices {
        staff.insert(office.id.clone(), app.store.office_staff_emails(&office.id).await?.into_iter().next());
    }
    let mut stock = Vec::new();
    for (office, number, code, hash) in printed {
        let digits = number.digits();
        let blank = saldo_store::BlankCard { number: &digits, chip_uid: None, activation_code_hash: &hash };
        tx.register_blank_card(&blank, &batch, Some(&office.id), now).await?;
        stock.push(StockCredential {
            number: digits,
            activation_code: code,
            office_id: office.id.clone(),
            office: office.name.clone(),
            office_staff_email: staff.get(&office.id).cloned().flatten(),
        });
    }
    tx.commit().await?;
    Ok(stock)
}

/// The demo's schools (each with its canteen), the club and its kiosk.
struct Places {
    schools: Vec<(InstitutionId, SalesPointId)>,
    club: InstitutionId,
    kiosk: SalesPointId,
}

async fn seed(tx: &mut Tx, now: jiff::Timestamp, office_hash: &str, operator_hash: &str) -> Result<(), StoreError> {
    let mut rng = StdRng::seed_from_u64(7215);
    let municipality = tx.create_municipality("Eksempel Kommune, Skole og Klub").await?;
    let places = places(tx, &municipality, now).await?;
    staff(tx, &places, now, office_hash, operator_hash).await?;
    families(tx, &mut rng, &places, now).await?;
    crate::demo_shop::seed(tx, &places.schools, now).await?;
    tx.audit("demo", "demo.seeded", &municipality, "demo municipality seeded", "cli", now).await?;
    Ok(())
}

async fn places(tx: &mut Tx, municipality: &str, now: jiff::Timestamp) -> Result<Places, StoreError> {
    let mut schools = Vec::new();
    for (number, name) in [("S01", "Absalons Skole"), ("S02", "Dalum Skole"), ("S03", "Hedegårdsskolen")] {
        let school = tx.create_institution(municipality, name, InstitutionKind::School).await?;
        // The school administration's numbers, which its export (the school-year sync) names schools by.
        tx.set_institution_number(&school, Some(number)).await?;
        let canteen = tx.create_sales_point(&school, &format!("Kantinen, {name}")).await?;
        add_menu(tx, &canteen, CANTEEN_MENU).await?;
        tx.create_till(&canteen, "Kasse 1", &secret_hash(&new_token()), now).await?;
        schools.push((school, canteen));
    }
    // The busiest canteen has two tills.
    tx.create_till(&schools[0].1, "Kasse 2", &secret_hash(&new_token()), now).await?;
    let club = tx.create_institution(municipality, "Klub Vestergade", InstitutionKind::Club).await?;
    tx.set_institution_number(&club, Some("K01")).await?;
    let kiosk = tx.create_sales_point(&club, "Klubkiosken, Klub Vestergade").await?;
    add_menu(tx, &kiosk, KIOSK_MENU).await?;
    tx.create_till(&kiosk, "Kiosk", &secret_hash(&new_token()), now).await?;
    Ok(Places { schools, club, kiosk })
}

/// The operator, support, each school's office and canteen cook, the club's
/// pedagogue and office.
async fn staff(
    tx: &mut Tx,
    places: &Places,
    now: jiff::Timestamp,
    office_hash: &str,
    operator_hash: &str,
) -> Result<(), StoreError> {
    let Places { schools, club, kiosk } = places;
    let operator = tx.create_person("Birgitte", "Holm", Some("drift@skoleogklub.example.dk"), now).await?;
    tx.grant_staff_role(&operator, StaffRole::Operator, "").await?;
    tx.set_staff_password(&operator, operator_hash, now).await?;
    let support = tx.create_person("Kasper", "Lund", Some("support@skoleogklub.example.dk"), now).await?;
    tx.grant_staff_role(&support, StaffRole::Support, "").await?;
    for (i, (school, canteen)) in schools.iter().enumerate() {
        let office =
            tx.create_person("Hanne", SURNAMES[i], Some(&format!("kontor{}@skole.example.dk", i + 1)), now).await?;
        tx.grant_staff_role(&office, StaffRole::Office, school.as_str()).await?;
        tx.set_staff_password(&office, office_hash, now).await?;
        let cook =
            tx.create_person("Lone", SURNAMES[i + 5], Some(&format!("kantine{}@skole.example.dk", i + 1)), now).await?;
        tx.grant_staff_role(&cook, StaffRole::TillManager, canteen.as_str()).await?;
        tx.set_staff_pin(&cook, canteen, &crate::till_setup::hash_pin(DEMO_PIN).await?, now).await?;
    }
    let pedagogue = tx.create_person("Ali", "Hassan", Some("kiosk@klub.example.dk"), now).await?;
    tx.grant_staff_role(&pedagogue, StaffRole::TillStaff, kiosk.as_str()).await?;
    // The club's office serves children who are in no municipal school.
    let club_office = tx.create_person("Jens", "Krogh", Some("kontor@klub.example.dk"), now).await?;
    tx.grant_staff_role(&club_office, StaffRole::Office, club.as_str()).await?;
    tx.set_staff_password(&club_office, office_hash, now).await?;
    Ok(())
}

/// Twenty families with one to three children each: balances, limits, a
/// lost card, parents' controls and a grandmother.
async fn families(tx: &mut Tx, rng: &mut StdRng, places: &Places, now: jiff::Timestamp) -> Result<(), StoreError> {
    let Places { schools, club, .. } = places;
    let mut child_no = 0;
    for family in 0..20 {
        let surname = SURNAMES[family % SURNAMES.len()];
        let first_parent = ADULT_NAMES[family % ADULT_NAMES.len()];
        let email = format!("{}.{}@example.dk", ascii(first_parent), ascii(surname));
        let mut custodians = vec![tx.create_person(first_parent, surname, Some(&email), now).await?];
        if family % 3 != 2 {
            let second = ADULT_NAMES[(family + 7) % ADULT_NAMES.len()];
            let email = format!("{}.{}@example.dk", ascii(second), ascii(surname));
            custodians.push(tx.create_person(second, surname, Some(&email), now).await?);
        }
        let children = 1 + family % 3;
        let mut family_children = Vec::new();
        for _ in 0..children {
            let name = CHILD_NAMES[child_no % CHILD_NAMES.len()];
            let (school, _) = &schools[family % schools.len()];
            let in_club = rng.gen_bool(0.4);
            // A millisecond apart, so lists ordered by when a child arrived come out
            // the same on every run (ids made in one millisecond sort at random).
            let arrived = now + jiff::SignedDuration::from_millis(child_no as i64);
            let child = tx.create_child(name, surname, Some(school), in_club.then_some(club), arrived).await?;
            // Classes from 0.A to 9.B, so namesakes at one school can be told apart.
            let class = format!("{}.{}", child_no % 10, if child_no % 20 < 10 { 'A' } else { 'B' });
            tx.set_child_class(&child, Some(&class)).await?;
            for custodian in &custodians {
                tx.relate(&child, custodian, RelationKind::Custodian, now).await?;
            }
            // Some daily limits, the way parents set them: 40 kr a day is common.
            let limit = match child_no % 4 {
                0 => Some(Money::kr(40)),
                1 => Some(Money::kr(60)),
                _ => None,
            };
            let wallet = tx.create_wallet(&child, limit, now).await?;
            let balance = match child_no {
                0 => Money::kr(300),
                _ => Money::from_ore(rng.gen_range(0..=40) * 1_000 + [0, 50][rng.gen_range(0..2)]),
            };
            if balance.is_positive() {
                let entry = Entry::migration(&wallet, balance).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                // Carried over before the demo's month of history (`demo_history`) began.
                let opened = now - jiff::SignedDuration::from_hours(24 * 40);
                let meta = EntryMeta {
                    actor: "demo",
                    memo: "demo opening balance",
                    at: opened,
                    reverses: None,
                    spend_day: None,
                };
                tx.post(&entry, &meta).await.map_err(|e| StoreError::Corrupt(e.to_string()))?;
            }
            if child_no == 1 {
                // Parents' controls: no sweets, and a note the till shows on every scan.
                tx.set_till_controls(&child, &["slik".to_owned()], "Allergisk over nødder", now).await?;
            }
            if child_no == 3 {
                // A lost card, blocked, and its replacement in use.
                tx.issue_card(&card_number(rng), None, &child, CardState::Blocked, now).await?;
            }
            let chip = format!("{:08X}", rng.gen::<u32>());
            tx.issue_card(&card_number(rng), Some(&chip), &child, CardState::Active, now).await?;
            family_children.push(child);
            child_no += 1;
        }
        if family == 0 {
            let mormor = tx.create_person("Inge", "Nielsen", Some("mormor.inge@example.dk"), now).await?;
            tx.relate(&family_children[0], &mormor, RelationKind::Relative, now).await?;
        }
    }
    Ok(())
}

async fn add_menu(tx: &mut Tx, sales_point: &SalesPointId, menu: &[(&str, i64, &str)]) -> Result<(), StoreError> {
    for (order, (name, price, category)) in menu.iter().enumerate() {
        tx.create_product(sales_point, name, Money::from_ore(*price), category, order as i64).await?;
    }
    Ok(())
}

/// A card number in the municipality's range (9208…), with its check digit.
fn card_number(rng: &mut StdRng) -> String {
    let mut first = [0u8; 15];
    first[..4].copy_from_slice(&[9, 2, 0, 8]);
    for digit in first.iter_mut().skip(4) {
        *digit = rng.gen_range(0..10);
    }
    CardNumber::with_check_digit(first).digits()
}

/// E-mail addresses in plain ASCII: ø → oe, æ → ae, å → aa.
fn ascii(name: &str) -> String {
    name.to_lowercase().replace('ø', "oe").replace('æ', "ae").replace('å', "aa")
}
