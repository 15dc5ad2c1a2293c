//! A small world for tests: a fresh database (SQLite, or PostgreSQL when
//! `SALDO_TEST_POSTGRES_URL` is set) with a school, its canteen, two tills
//! and a menu, and children made to order with a card and a balance.

use saldo_core::ids::{AgreementId, CardId, ChildId, InstitutionId, PersonId, ProductId, SalesPointId, WalletId};
use saldo_core::ledger::Entry;
use saldo_core::{CardNumber, CardState, Money};
use saldo_store::test_db::TestDb;
use saldo_store::{EntryMeta, InstitutionKind, ProductRow, RelationKind, StaffRole, TillRow};

use crate::idempotency::secret_hash;
use crate::tills::new_token;
use crate::App;

pub struct World {
    pub app: App,
    pub canteen: SalesPointId,
    pub school: InstitutionId,
    pub municipality: String,
    pub tills: Vec<TestTill>,
    pub menu: Vec<ProductRow>,
    /// A product of another sales point, which this canteen's tills must not sell.
    pub foreign_product: ProductId,
    pub db: TestDb,
}

pub struct TestTill {
    pub row: TillRow,
    pub token: String,
}

#[derive(Clone, Debug)]
pub struct TestChild {
    pub child_id: ChildId,
    pub wallet_id: WalletId,
    pub first_name: String,
    pub card_number: String,
    pub chip_uid: String,
    pub card_id: CardId,
    pub custodian_id: PersonId,
    pub custodian_email: String,
    /// The custodian the child was made with (a sibling also gets the first child's).
    pub original_custodian_id: PersonId,
}

/// Menu prices, in kroner: the tests do their sums in these.
pub const SANDWICH: i64 = 10;
pub const FRUIT: i64 = 5;

impl World {
    pub async fn new() -> World {
        let db = TestDb::new().await;
        let app = App::open(&db.url).await.expect("open the test database").configure(crate::Settings {
            payments: crate::settings::PaymentSettings {
                provider: Some(crate::settings::ProviderName::Sandbox),
                ..Default::default()
            },
            ..crate::Settings::default()
        });
        let now = app.now();
        let mut tx = app.store.begin().await.expect("begin");
        let municipality = tx.create_municipality("Testkommune").await.expect("municipality");
        let school = tx.create_institution(&municipality, "Testskolen", InstitutionKind::School).await.expect("school");
        let canteen = tx.create_sales_point(&school, "Kantinen").await.expect("canteen");
        tx.create_product(&canteen, "Sandwich", Money::kr(SANDWICH), "mad", 0).await.expect("product");
        tx.create_product(&canteen, "Frugt", Money::kr(FRUIT), "frugt", 1).await.expect("product");
        let club = tx.create_institution(&municipality, "Klubben", InstitutionKind::Club).await.expect("club");
        let kiosk = tx.create_sales_point(&club, "Kiosken").await.expect("kiosk");
        let foreign_product = tx.create_product(&kiosk, "Slik", Money::kr(10), "slik", 0).await.expect("product");
        let mut tokens = Vec::new();
        for name in ["Kasse 1", "Kasse 2"] {
            let token = new_token();
            tx.create_till(&canteen, name, &secret_hash(&token), now).await.expect("till");
            tokens.push(token);
        }
        tx.commit().await.expect("commit");
        let mut tills = Vec::new();
        for token in tokens {
            let row = crate::tills::authenticate(&app, &token).await.expect("read till").expect("till exists");
            tills.push(TestTill { row, token });
        }
        let menu = app.store.active_products(&canteen).await.expect("menu");
        World { app, canteen, school, municipality, tills, menu, foreign_product, db }
    }

    pub fn product(&self, name: &str) -> &ProductRow {
        self.menu.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no product {name}"))
    }

    /// A child at the school with an active card, its balance deposited
    /// through a provider, and optionally a daily limit.
    pub async fn child(&self, first_name: &str, balance: Money, daily_limit: Option<Money>) -> TestChild {
        self.child_at(&self.school.clone(), first_name, balance, daily_limit).await
    }

    /// A child at another institution (see [`World::other_school`]).
    pub async fn child_at(
        &self,
        school: &InstitutionId,
        first_name: &str,
        balance: Money,
        daily_limit: Option<Money>,
    ) -> TestChild {
        let now = self.app.now();
        let mut tx = self.app.store.begin().await.expect("begin");
        let custodian_email = format!("parent-{:016x}@example.dk", rand::random::<u64>());
        let custodian = tx.create_person("Forælder", first_name, Some(&custodian_email), now).await.expect("person");
        let child_id = tx.create_child(first_name, "Testesen", Some(school), None, now).await.expect("child");
        tx.relate(&child_id, &custodian, RelationKind::Custodian, now).await.expect("relate");
        let wallet_id = tx.create_wallet(&child_id, daily_limit, now).await.expect("wallet");
        let card_number = random_card_number();
        let chip_uid = format!("{:08X}", rand::random::<u32>());
        let card_id =
            tx.issue_card(&card_number, Some(&chip_uid), &child_id, CardState::Active, now).await.expect("card");
        tx.commit().await.expect("commit");
        if balance.is_positive() {
            self.carry_over(&wallet_id, balance).await;
        }
        TestChild {
            child_id,
            wallet_id,
            first_name: first_name.into(),
            card_number,
            chip_uid,
            card_id,
            original_custodian_id: custodian.clone(),
            custodian_id: custodian,
            custodian_email,
        }
    }

    /// Money carried over from the old system onto a wallet (as on the day
    /// of the move): the one way money arrives without a payment in Saldo.
    pub async fn carry_over(&self, wallet_id: &WalletId, amount: Money) {
        let entry = Entry::migration_adjustment(wallet_id, amount).expect("a positive amount");
        let meta =
            EntryMeta { actor: "test", memo: "carried over", at: self.app.now(), reverses: None, spend_day: None };
        let mut tx = self.app.store.begin().await.expect("begin");
        tx.post(&entry, &meta).await.expect("carried over");
        tx.commit().await.expect("commit");
    }

    /// A staff member who sells at `sales_point` (a manager if asked) with this PIN.
    pub async fn till_staff(&self, sales_point: &SalesPointId, manager: bool, pin: &str) -> PersonId {
        let now = self.app.now();
        let mut tx = self.app.store.begin().await.expect("begin");
        let email = format!("staff-{:016x}@example.dk", rand::random::<u64>());
        let person = tx.create_person("Lone", "Kok", Some(&email), now).await.expect("person");
        let role = if manager { saldo_store::StaffRole::TillManager } else { saldo_store::StaffRole::TillStaff };
        tx.grant_staff_role(&person, role, sales_point.as_str()).await.expect("role");
        let hash = crate::till_setup::hash_pin(pin).await.expect("hash");
        tx.set_staff_pin(&person, sales_point, &hash, now).await.expect("pin");
        tx.commit().await.expect("commit");
        person
    }

    /// Another sales point (a club's kiosk) with a till and a product of category `category`.
    pub async fn other_sales_point(&self, category: &str) -> (SalesPointId, TestTill, ProductId) {
        let now = self.app.now();
        let mut tx = self.app.store.begin().await.expect("begin");
        let club = tx.create_institution(&self.municipality, "Anden klub", InstitutionKind::Club).await.expect("club");
        let kiosk = tx.create_sales_point(&club, "Anden kiosk").await.expect("kiosk");
        let product = tx.create_product(&kiosk, "Cola", Money::kr(12), category, 0).await.expect("product");
        let token = new_token();
        tx.create_till(&kiosk, "Kiosk", &secret_hash(&token), now).await.expect("till");
        tx.commit().await.expect("commit");
        let row = crate::tills::authenticate(&self.app, &token).await.expect("read till").expect("till exists");
        (kiosk, TestTill { row, token }, product)
    }

    /// A product of category `category` on this canteen's menu.
    pub async fn add_product(&self, name: &str, category: &str, price: Money) -> ProductId {
        let mut tx = self.app.store.begin().await.expect("begin");
        let id = tx.create_product(&self.canteen, name, price, category, 9).await.expect("product");
        tx.commit().await.expect("commit");
        id
    }

    /// A sibling: another child of the same custodian.
    pub async fn sibling(&self, of: &TestChild, first_name: &str, balance: Money) -> TestChild {
        let mut child = self.child(first_name, balance, None).await;
        let mut tx = self.app.store.begin().await.expect("begin");
        tx.relate(&child.child_id, &of.custodian_id, RelationKind::Custodian, self.app.now()).await.expect("relate");
        tx.commit().await.expect("commit");
        child.custodian_id = of.custodian_id.clone();
        child.custodian_email = of.custodian_email.clone();
        child
    }

    /// A relative (a grandparent) added to a child; returns the person's id.
    pub async fn relative(&self, of: &TestChild, first_name: &str) -> PersonId {
        let now = self.app.now();
        let email = format!("relative-{:016x}@example.dk", rand::random::<u64>());
        let mut tx = self.app.store.begin().await.expect("begin");
        let person = tx.create_person(first_name, "Testesen", Some(&email), now).await.expect("person");
        tx.relate(&of.child_id, &person, RelationKind::Relative, now).await.expect("relate");
        tx.commit().await.expect("commit");
        person
    }

    /// A top-up agreement of the child's custodian with a saved sandbox card token.
    pub async fn agreement(&self, child: &TestChild, threshold: Money, amount: Money, token: &str) -> AgreementId {
        self.agreement_with_card(child, threshold, amount, token, "2030-12").await
    }

    /// The same, with the saved card (ending 1111) expiring in `expires` (`YYYY-MM`);
    /// saved again, the custodian's agreement takes the new card and terms.
    pub async fn agreement_with_card(
        &self,
        child: &TestChild,
        threshold: Money,
        amount: Money,
        token: &str,
        expires: &str,
    ) -> AgreementId {
        let terms = saldo_store::NewAgreement {
            id: saldo_store::new_id("agr"),
            child_id: child.child_id.clone(),
            person_id: child.custodian_id.clone(),
            threshold,
            amount,
            provider: "sandbox".into(),
            provider_token: token.into(),
            status: "active",
            card: Some(saldo_store::SavedCard { last4: "1111".into(), expires: expires.into() }),
        };
        let mut tx = self.app.store.begin().await.expect("begin");
        tx.save_agreement(&terms, self.app.now()).await.expect("agreement");
        tx.commit().await.expect("commit");
        self.app.store.agreements_on_child(&child.child_id).await.expect("read").remove(0).id
    }

    /// A person at the operator's office (Skole og Klub), with the admin role.
    pub async fn operator(&self) -> PersonId {
        let mut tx = self.app.store.begin().await.expect("begin");
        let email = format!("drift-{:016x}@example.dk", rand::random::<u64>());
        let person = tx.create_person("Drift", "Testesen", Some(&email), self.app.now()).await.expect("person");
        tx.grant_staff_role(&person, saldo_store::StaffRole::Operator, "").await.expect("role");
        tx.commit().await.expect("commit");
        person
    }

    /// A person at the help desk (Skole og Klub's support), with the support role.
    pub async fn support(&self) -> PersonId {
        let mut tx = self.app.store.begin().await.expect("begin");
        let email = format!("support-{:016x}@example.dk", rand::random::<u64>());
        let person = tx.create_person("Kasper", "Support", Some(&email), self.app.now()).await.expect("person");
        tx.grant_staff_role(&person, saldo_store::StaffRole::Support, "").await.expect("role");
        tx.commit().await.expect("commit");
        person
    }

    /// Puts a card in another state directly (what the office or a parent will do through use cases).
    pub async fn set_card_state(&self, child: &TestChild, from: CardState, to: CardState) {
        let mut tx = self.app.store.begin().await.expect("begin");
        assert!(tx.set_card_state(&child.card_id, from, to, self.app.now()).await.expect("update"));
        tx.commit().await.expect("commit");
    }

    /// Another school in a municipality of its own, for tests of who sees what.
    pub async fn other_school(&self, name: &str) -> InstitutionId {
        let mut tx = self.app.store.begin().await.expect("begin");
        let municipality = tx.create_municipality("Nabokommune").await.expect("municipality");
        let school = tx.create_institution(&municipality, name, InstitutionKind::School).await.expect("school");
        tx.commit().await.expect("commit");
        school
    }

    /// A staff member with a password: office staff of `institution`, or the operator
    /// when `institution` is `None`. Returns the person's id and e-mail.
    pub async fn staff(&self, institution: Option<&InstitutionId>, password: &str) -> (PersonId, String) {
        let now = self.app.now();
        let email = format!("staff-{:016x}@example.dk", rand::random::<u64>());
        let light = crate::settings::SessionSettings { hash_memory_kib: 64, hash_iterations: 1, ..Default::default() };
        let hash = crate::passwords::hash(password, &light).await.expect("hash");
        let mut tx = self.app.store.begin().await.expect("begin");
        let person = tx.create_person("Hanne", "Kontor", Some(&email), now).await.expect("person");
        match institution {
            Some(institution) => {
                tx.grant_staff_role(&person, StaffRole::Office, institution.as_str()).await.expect("role")
            }
            None => tx.grant_staff_role(&person, StaffRole::Operator, "").await.expect("role"),
        }
        tx.set_staff_password(&person, &hash, now).await.expect("password");
        tx.commit().await.expect("commit");
        (person, email)
    }

    /// A blank card with an activation code in an institution's stock: (number, code).
    pub async fn blank_card_with_code(&self, institution: &InstitutionId) -> (String, String) {
        let number = random_card_number();
        let code = crate::passwords::new_activation_code();
        let light = crate::settings::SessionSettings { hash_memory_kib: 64, hash_iterations: 1, ..Default::default() };
        let hash = crate::passwords::hash(&crate::passwords::normalize_code(&code), &light).await.expect("hash");
        let mut tx = self.app.store.begin().await.expect("begin");
        tx.stock_card(&number, None, institution, Some(&hash), self.app.now()).await.expect("stock card");
        tx.commit().await.expect("commit");
        (number, code)
    }

    /// A blank card in the office's stock, not yet anyone's.
    pub async fn blank_card(&self) -> String {
        let number = random_card_number();
        let mut tx = self.app.store.begin().await.expect("begin");
        tx.stock_card(&number, None, &self.school, None, self.app.now()).await.expect("stock card");
        tx.commit().await.expect("commit");
        number
    }

    pub async fn close_wallet(&self, child: &TestChild) {
        let mut tx = self.app.store.begin().await.expect("begin");
        assert!(tx.close_wallet(&child.wallet_id, self.app.now()).await.expect("close"));
        tx.commit().await.expect("commit");
    }

    pub async fn balance(&self, child: &TestChild) -> Money {
        self.app.store.wallet(&child.wallet_id).await.expect("read").expect("wallet").balance
    }

    /// `saldo verify` must hold after every test that moves money.
    pub async fn assert_books_balance(&self) {
        let report = self.app.verify().await.expect("verify");
        assert!(report.holds(), "the books do not hold: {:#?}", report.problems);
    }

    /// A dish on the canteen's webshop menu for `day` (`YYYY-MM-DD`), no allergens, no portion limit.
    pub async fn dish(&self, day: &str, name: &str, price: Money) -> String {
        let dish = saldo_store::NewDish {
            sales_point_id: &self.canteen,
            day,
            name,
            category: "mad",
            price,
            allergens: "",
            portion_limit: None,
            product_id: None,
        };
        let mut tx = self.app.store.begin().await.expect("begin");
        let id = tx.add_dish(&dish, self.app.now()).await.expect("dish");
        tx.commit().await.expect("commit");
        id
    }

    /// Moves the clock to 10:00 (Danish time) on the next weekday after
    /// today, so a test of "today at the canteen" runs on any day of the week.
    pub fn to_next_weekday_morning(&self) -> jiff::civil::Date {
        let now = self.app.now();
        let mut day = saldo_core::day::local_day(now);
        loop {
            day = day.tomorrow().expect("a day after today");
            if !matches!(day.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday) {
                break;
            }
        }
        let at = day.at(10, 0, 0, 0).to_zoned(saldo_core::day::local_tz()).expect("10:00 exists").timestamp();
        self.app.clock.advance(now.duration_until(at));
        day
    }

    /// A person as the use cases see them when signed in, with every grant they hold.
    pub async fn actor(&self, person_id: &PersonId) -> crate::Actor {
        let person = self.app.store.person(person_id).await.expect("read").expect("person");
        let grants = self.app.store.grants_of(person_id).await.expect("grants");
        crate::Actor {
            person_id: person.id,
            name: format!("{} {}", person.first_name, person.last_name),
            lang: person.lang,
            grants,
            source: "127.0.0.1".into(),
            proved: None,
        }
    }

    pub async fn snapshot(&self) -> Vec<(String, i64)> {
        self.app.store.money_snapshot().await.expect("snapshot")
    }
}

pub fn random_card_number() -> String {
    let mut first = [0u8; 15];
    first[..4].copy_from_slice(&[9, 2, 0, 8]);
    for digit in first.iter_mut().skip(4) {
        *digit = rand::random::<u8>() % 10;
    }
    CardNumber::with_check_digit(first).digits()
}
