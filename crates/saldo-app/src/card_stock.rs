//! The operator's card stock: batches of blank, unnamed cards (generated here
//! or imported from the card printer's file) and their allocation to offices.
//! Activation codes are hashed before they are stored; a generated batch's
//! codes exist only in the file produced once for the printer.

use crate::csv_file::CsvFile;
use saldo_core::ids::InstitutionId;
use saldo_core::rights::{authorize, Action, Target};
use saldo_core::{CardNumber, ChipUid};
use saldo_store::{BlankCard, InstitutionRow};

use crate::auth::{Actor, Refusal};
use crate::cards::CardError;
use crate::passwords;
use crate::App;

/// The most cards one batch may hold (the printer's sheets are smaller).
pub const MAX_BATCH: i64 = 500;

/// A blank card as the printer needs it; the code is shown this once.
#[derive(Clone, Debug)]
pub struct PrintedCard {
    pub number: CardNumber,
    pub chip_uid: Option<String>,
    pub code: String,
}

/// Only the operator keeps the central stock.
fn must_be_operator(actor: &Actor) -> Result<(), Refusal> {
    authorize(&actor.grants, Action::CardStock, &Target::institution(&[]))
        .map(|_| ())
        .map_err(|_| Refusal::Forbidden(saldo_core::rights::Denied::NotAllowed))
}

/// The operator's view: the central stock and each office's.
pub async fn overview(app: &App, actor: &Actor) -> Result<(i64, Vec<InstitutionRow>), Refusal> {
    must_be_operator(actor)?;
    Ok((app.store.stock_count(None).await?, app.store.institutions().await?))
}

/// A new card number in the municipality's range (9208…), with its Luhn digit.
pub fn new_card_number() -> CardNumber {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    let mut first = [0u8; 15];
    first[..4].copy_from_slice(&[9, 2, 0, 8]);
    for digit in first.iter_mut().skip(4) {
        *digit = rng.gen_range(0..10);
    }
    CardNumber::with_check_digit(first)
}

/// Generates `count` blank cards with numbers and codes, into the central
/// stock or straight into an office's. Returns the printer's list.
pub async fn generate_batch(
    app: &App,
    actor: &Actor,
    count: i64,
    office: Option<&InstitutionId>,
) -> Result<Vec<PrintedCard>, CardError> {
    must_be_operator(actor)?;
    if !(1..=MAX_BATCH).contains(&count) {
        return Err(CardError::BatchSize { max: MAX_BATCH });
    }
    let cards: Vec<PrintedCard> = (0..count)
        .map(|_| PrintedCard { number: new_card_number(), chip_uid: None, code: passwords::new_activation_code() })
        .collect();
    register(app, actor, &cards, office).await?;
    Ok(cards)
}

/// Reads the printer's file: one card a line, `number;chip_uid;code` (a
/// header line and blank lines are skipped), and registers the batch.
pub async fn import_batch(
    app: &App,
    actor: &Actor,
    file: &str,
    office: Option<&InstitutionId>,
) -> Result<usize, CardError> {
    must_be_operator(actor)?;
    let mut cards = Vec::new();
    for (i, line) in file.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (i == 0 && !line.starts_with(|c: char| c.is_ascii_digit())) {
            continue;
        }
        let fields: Vec<&str> = line.split([';', ',']).map(str::trim).collect();
        let [number, chip, code] = fields[..] else { return Err(CardError::BadLine(i + 1)) };
        let number: CardNumber = number.parse().map_err(|_| CardError::BadLine(i + 1))?;
        let chip_uid = match chip {
            "" => None,
            chip => Some(chip.parse::<ChipUid>().map_err(|_| CardError::BadLine(i + 1))?.as_str().to_owned()),
        };
        if passwords::normalize_code(code).len() < 6 {
            return Err(CardError::BadLine(i + 1));
        }
        cards.push(PrintedCard { number, chip_uid, code: code.to_owned() });
    }
    if cards.is_empty() || cards.len() as i64 > MAX_BATCH {
        return Err(CardError::BatchSize { max: MAX_BATCH });
    }
    register(app, actor, &cards, office).await?;
    Ok(cards.len())
}

async fn register(
    app: &App,
    actor: &Actor,
    cards: &[PrintedCard],
    office: Option<&InstitutionId>,
) -> Result<(), CardError> {
    // Hash first: argon2 takes a moment per card, and the writer must not wait for it.
    let codes: Vec<String> = cards.iter().map(|c| passwords::normalize_code(&c.code)).collect();
    let hashes = passwords::hash_each(&codes, &app.settings.sessions).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let batch = tx.create_card_batch(&actor.label(), cards.len() as i64, now).await?;
    for (card, hash) in cards.iter().zip(&hashes) {
        let digits = card.number.digits();
        let blank = BlankCard { number: &digits, chip_uid: card.chip_uid.as_deref(), activation_code_hash: hash };
        tx.register_blank_card(&blank, &batch, office, now).await?;
    }
    let detail =
        format!("{} blank cards to {}", cards.len(), office.map_or("the central stock", InstitutionId::as_str));
    tx.audit(&actor.label(), "card.batch", &batch, &detail, &actor.source, now).await?;
    if let Some(office) = office {
        crate::cards::tell_ready_orders(app, &mut tx, office, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Moves up to `count` blank cards from the central stock to an office; answers how many.
pub async fn allocate(app: &App, actor: &Actor, office: &InstitutionId, count: i64) -> Result<i64, CardError> {
    must_be_operator(actor)?;
    if !(1..=MAX_BATCH).contains(&count) {
        return Err(CardError::BatchSize { max: MAX_BATCH });
    }
    if !app.store.institutions().await?.iter().any(|i| i.id == office) {
        return Err(Refusal::NotFound.into());
    }
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let moved = tx.allocate_cards(office, count, now).await?;
    tx.audit(&actor.label(), "card.allocate", office, &format!("{moved} blank cards"), &actor.source, now).await?;
    if moved > 0 {
        crate::cards::tell_ready_orders(app, &mut tx, office, now).await?;
    }
    tx.commit().await?;
    Ok(moved)
}

/// The printer's file for a generated batch: `;`-separated, with the
/// QR code's address for each card (it fills in number and code).
pub fn printer_file(cards: &[PrintedCard], base_url: &str) -> String {
    let mut csv = CsvFile::with_semicolons();
    csv.row(["card_number", "chip_uid", "activation_code", "qr_url"]);
    for card in cards {
        let digits = card.number.digits();
        let qr = format!("{base_url}/activate?card={digits}&code={}", card.code);
        csv.row([digits.as_str(), card.chip_uid.as_deref().unwrap_or(""), &card.code, &qr]);
    }
    csv.finish()
}
