//! Setting a till up and opening it: a manager's one-time pairing code gives
//! a browser its device token; a staff member's PIN unlocks the till.

use argon2::Params;
use saldo_core::ids::{PersonId, SalesPointId};
use saldo_core::rights::{authorize, Action, Target};
use saldo_store::{StoreError, TillRow};

use crate::auth::{Actor, Refusal};
use crate::idempotency::secret_hash;
use crate::passwords;
use crate::tills::new_token;
use crate::App;

/// A pairing code lives this long, and is used once.
pub const PAIRING_MINUTES: i64 = 15;
/// An unlocked till stays open for a working day.
pub const UNLOCK_HOURS: i64 = 10;
/// Wrong PINs allowed per till in a quarter of an hour.
pub const PIN_ATTEMPTS: i64 = 10;
/// Letters a person reads off one screen and types on another: no 0/O, 1/I/L.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum TillSetupError {
    #[error("the pairing code is unknown, used or expired")]
    PairingInvalid,
    #[error("a PIN is 4 to 8 digits")]
    BadPin,
    #[error("no staff member of this sales point has that PIN")]
    WrongPin,
    #[error("too many wrong PINs; wait a quarter of an hour")]
    TooManyAttempts,
    #[error("the till is locked: unlock it with a PIN")]
    Locked,
    #[error("a till name is 1 to 60 characters")]
    BadName,
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new till's code for its pairing page, shown once to the manager.
pub struct PairingCode {
    pub code: String,
    pub expires_at: jiff::Timestamp,
}

/// A paired till: the device token it keeps, and where it sells.
pub struct Paired {
    pub token: String,
    pub till: TillRow,
}

/// A staff member at an unlocked till.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TillStaff {
    pub person_id: PersonId,
    pub first_name: String,
    pub manager: bool,
}

/// An unlock: the token the till sends with staff requests, and who opened it.
pub struct Unlocked {
    pub token: String,
    pub staff: TillStaff,
}

/// The operator or the sales point's manager makes a one-time code for a new till.
pub async fn create_pairing_code(
    app: &App,
    actor: &Actor,
    sales_point_id: &SalesPointId,
    till_name: &str,
) -> Result<PairingCode, TillSetupError> {
    let till_name = till_name.trim();
    if till_name.is_empty() || till_name.chars().count() > 60 {
        return Err(TillSetupError::BadName);
    }
    authorize_sales_point(app, actor, Action::ManageProducts, sales_point_id).await?;
    let code = pairing_code();
    let now = app.now();
    let expires_at = now + jiff::SignedDuration::from_mins(PAIRING_MINUTES);
    let mut tx = app.store.begin().await?;
    tx.create_pairing(&secret_hash(&code), sales_point_id, till_name, &actor.label(), now, expires_at).await?;
    tx.audit(&actor.label(), "till.pairing_code", sales_point_id, till_name, &actor.source, now).await?;
    tx.commit().await?;
    Ok(PairingCode { code, expires_at })
}

/// A browser turns a pairing code into a till of its own.
pub async fn pair(app: &App, code: &str, source: &str) -> Result<Paired, TillSetupError> {
    let code: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    if code.len() != CODE_LEN {
        return Err(TillSetupError::PairingInvalid);
    }
    let now = app.now();
    let code_hash = secret_hash(&code);
    let token = new_token();
    let mut tx = app.store.begin().await?;
    let (sales_point_id, name) = tx.use_pairing(&code_hash, now).await?.ok_or(TillSetupError::PairingInvalid)?;
    let till_id = tx.create_till(&sales_point_id, &name, &secret_hash(&token), now).await?;
    tx.note_paired_till(&code_hash, &till_id).await?;
    tx.audit(&format!("till:{till_id}"), "till.paired", &sales_point_id, &name, source, now).await?;
    tx.commit().await?;
    let till = crate::tills::authenticate(app, &token)
        .await?
        .ok_or_else(|| StoreError::Corrupt("a till just paired cannot be found".into()))?;
    Ok(Paired { token, till })
}

/// Sets a staff member's PIN at a sales point where they sell.
pub async fn set_pin(app: &App, actor: &Actor, sales_point_id: &SalesPointId, pin: &str) -> Result<(), TillSetupError> {
    check_pin(pin)?;
    authorize_sales_point(app, actor, Action::Sell, sales_point_id).await?;
    let hash = hash_pin(pin).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    tx.set_staff_pin(&actor.person_id, sales_point_id, &hash, now).await?;
    tx.audit(&actor.label(), "till.pin_set", sales_point_id, "", &actor.source, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Unlocks a till with the PIN of someone who sells at its sales point.
pub async fn unlock(app: &App, till: &TillRow, pin: &str) -> Result<Unlocked, TillSetupError> {
    let staff = staff_by_pin(app, till, pin, false).await?;
    let now = app.now();
    let token = new_token();
    let mut tx = app.store.begin().await?;
    tx.create_unlock(
        &secret_hash(&token),
        &till.id,
        &staff.person_id,
        now,
        now + jiff::SignedDuration::from_hours(UNLOCK_HOURS),
    )
    .await?;
    tx.audit(&format!("person:{}", staff.person_id), "till.unlocked", &till.id, "", "", now).await?;
    tx.commit().await?;
    Ok(Unlocked { token, staff })
}

pub async fn lock(app: &App, staff_token: &str) -> Result<(), StoreError> {
    let mut tx = app.store.begin().await?;
    tx.delete_unlock(&secret_hash(staff_token)).await?;
    tx.commit().await
}

/// The staff member who unlocked this till with this token, if it is still open
/// and they still sell here (a removed role closes the till at once).
pub async fn staff_at(app: &App, till: &TillRow, staff_token: &str) -> Result<TillStaff, TillSetupError> {
    if staff_token.len() != 64 {
        return Err(TillSetupError::Locked);
    }
    let unlock = app.store.unlock(&secret_hash(staff_token)).await?.ok_or(TillSetupError::Locked)?;
    if unlock.till_id != till.id || unlock.expires_at <= app.now().as_microsecond() {
        return Err(TillSetupError::Locked);
    }
    let grants = app.store.grants_of(&unlock.person_id).await?;
    let target = Target::sales_point(&till.sales_point_id);
    authorize(&grants, Action::Sell, &target).map_err(|_| TillSetupError::Locked)?;
    let manager = authorize(&grants, Action::ManageProducts, &target).is_ok();
    let first_name = app.store.person(&unlock.person_id).await?.map(|p| p.first_name).ok_or(TillSetupError::Locked)?;
    Ok(TillStaff { person_id: unlock.person_id, first_name, manager })
}

/// The staff member of the till's sales point with this PIN (a manager, if
/// `manager` is asked for). Wrong PINs are counted per till and limited.
pub async fn staff_by_pin(app: &App, till: &TillRow, pin: &str, manager: bool) -> Result<TillStaff, TillSetupError> {
    check_pin(pin)?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    let attempts =
        tx.count_rate_event(&format!("till_pin:{}", till.id), now, now - jiff::SignedDuration::from_mins(15)).await?;
    tx.commit().await?;
    if attempts > PIN_ATTEMPTS {
        return Err(TillSetupError::TooManyAttempts);
    }
    let pins = app.store.staff_pins(&till.sales_point_id).await?;
    let hashes = pins.iter().map(|p| p.pin_hash.clone()).collect();
    let found = passwords::first_match(pin, hashes)
        .await
        .map_err(|e| StoreError::Corrupt(format!("PIN check: {e}")))?
        .and_then(|n| pins.into_iter().nth(n));
    match found {
        Some(p) if p.manager || !manager => {
            Ok(TillStaff { person_id: p.person_id, first_name: p.first_name, manager: p.manager })
        }
        _ => Err(TillSetupError::WrongPin),
    }
}

/// Whether the actor may do `action` at the sales point. Staff of another
/// sales point are told it does not exist.
pub async fn authorize_sales_point(
    app: &App,
    actor: &Actor,
    action: Action,
    sales_point_id: &SalesPointId,
) -> Result<(), Refusal> {
    if app.store.sales_point(sales_point_id).await?.is_none() {
        return Err(Refusal::NotFound);
    }
    match authorize(&actor.grants, action, &Target::sales_point(sales_point_id)) {
        Ok(_) => Ok(()),
        Err(saldo_core::rights::Denied::NotYours) => Err(Refusal::NotFound),
        Err(denied) => Err(Refusal::Forbidden(denied)),
    }
}

fn check_pin(pin: &str) -> Result<(), TillSetupError> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(TillSetupError::BadPin)
    }
}

/// Argon2id. Debug builds (tests, `cargo run`) use light parameters so the
/// suite stays quick; release builds use OWASP's recommended minimum.
fn pin_cost() -> Params {
    let params =
        if cfg!(debug_assertions) { Params::new(1024, 1, 1, None) } else { Params::new(19 * 1024, 2, 1, None) };
    params.unwrap_or_default()
}

pub async fn hash_pin(pin: &str) -> Result<String, StoreError> {
    passwords::hash_with(pin, pin_cost()).await.map_err(|e| StoreError::Corrupt(format!("PIN hash: {e}")))
}

fn pairing_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// A sales point a person sells at, for their landing page.
#[derive(Clone, Debug)]
pub struct MySalesPoint {
    pub id: SalesPointId,
    pub name: String,
    pub institution: String,
    pub manager: bool,
}

/// The sales points the actor sells at (or manages), by institution and name.
pub async fn my_sales_points(app: &App, actor: &Actor) -> Result<Vec<MySalesPoint>, StoreError> {
    let mine = |id: &SalesPointId| {
        actor.grants.iter().find_map(|g| match g {
            saldo_core::rights::Grant::TillStaff { sales_point, manager } if sales_point == id => Some(*manager),
            _ => None,
        })
    };
    Ok(app
        .store
        .sales_points()
        .await?
        .into_iter()
        .filter_map(|(id, name, institution)| {
            mine(&id).map(|manager| MySalesPoint { id: id.clone(), name, institution, manager })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pin_verifies_against_its_own_hash_only() {
        let hash = hash_pin("4321").await.unwrap();
        assert!(passwords::verify("4321", &hash).await.unwrap());
        assert!(!passwords::verify("1234", &hash).await.unwrap());
        assert!(check_pin("12a4").is_err() && check_pin("123").is_err() && check_pin("123456789").is_err());
    }

    #[test]
    fn pairing_codes_use_the_readable_alphabet() {
        let code = pairing_code();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
    }
}
