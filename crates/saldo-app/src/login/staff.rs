//! Staff through the municipality's identity provider: the group claim
//! becomes roles at every login, by `[login.staff.groups]`; groups that give
//! nothing are refused and audited.

use saldo_core::login::Proof;
use saldo_store::StaffRole;

use super::{Audience, Finished, LoginError};
use crate::auth::open_session;
use crate::oidc::{list_claim, Verified};
use crate::settings::{OidcSettings, StaffRoleName};
use crate::App;

/// The roles a staff member's groups give, by `[login.staff.groups]`.
pub fn staff_roles(settings: &OidcSettings, groups: &[String]) -> Vec<(StaffRole, String)> {
    let mut roles = Vec::new();
    for group in groups {
        let found = settings.groups.iter().find(|(name, _)| name.eq_ignore_ascii_case(group.trim()));
        let Some((_, grant)) = found else { continue };
        let role = match grant.role {
            StaffRoleName::Office => (StaffRole::Office, grant.institution.clone().unwrap_or_default()),
            StaffRoleName::TillStaff => (StaffRole::TillStaff, grant.sales_point.clone().unwrap_or_default()),
            StaffRoleName::TillManager => (StaffRole::TillManager, grant.sales_point.clone().unwrap_or_default()),
            StaffRoleName::Operator => (StaffRole::Operator, String::new()),
            StaffRoleName::Support => (StaffRole::Support, String::new()),
        };
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    roles
}

pub(super) async fn login(
    app: &App,
    verified: &Verified,
    subject: &str,
    name: &str,
    proved_at: Option<jiff::Timestamp>,
    source: &str,
) -> Result<Finished, LoginError> {
    let settings = &app.settings.login.staff;
    let groups = list_claim(&verified.claims, &settings.groups_claim);
    let roles = staff_roles(settings, &groups);
    let issuer = verified.issuer.as_str();
    let known = app.store.subject_person(issuer, subject).await?;
    let now = app.now();
    let mut tx = app.store.begin().await?;
    if roles.is_empty() {
        let detail = format!("{name}: groups {}", groups.join(", ").chars().take(500).collect::<String>());
        if let Some(person) = &known {
            // Out of every group that counts: the old hats go too.
            tx.replace_staff_roles(person, &[]).await?;
        }
        tx.audit(&format!("staff-idp:{subject}"), "login.refused", subject, &detail, source, now).await?;
        tx.commit().await?;
        return Err(LoginError::UnknownGroups);
    }
    let person = match known {
        Some(person) => person,
        None => {
            let (first, last) = split_name(name);
            let person = tx.create_person(&first, &last, None, now).await?;
            tx.bind_subject(issuer, subject, Audience::Staff.as_str(), &person, now).await?;
            tx.audit(&format!("staff-idp:{subject}"), "staff.created", &person, name, source, now).await?;
            person
        }
    };
    tx.replace_staff_roles(&person, &roles).await?;
    let detail = roles.iter().map(|(role, scope)| format!("{} {scope}", role.as_str())).collect::<Vec<_>>().join(", ");
    tx.audit(&format!("person:{person}"), "staff.roles", &person, &detail, source, now).await?;
    let session = open_session(&mut tx, app, &person, now, Proof::StaffIdp, proved_at).await?;
    tx.audit(&format!("person:{person}"), "login", &person, "staff idp", source, now).await?;
    tx.commit().await?;
    Ok(Finished::SignedIn { session, return_to: String::new() })
}

/// "Anna Marie Hansen" → ("Anna Marie", "Hansen").
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_owned(), last.to_owned()),
        None => (name.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::GroupGrant;

    #[test]
    fn groups_map_to_roles_case_blind_and_unknown_groups_give_nothing() {
        let mut settings = OidcSettings::default();
        settings.groups.insert(
            "Saldo-Kontor".into(),
            GroupGrant { role: StaffRoleName::Office, institution: Some("ins_1".into()), sales_point: None },
        );
        settings.groups.insert(
            "saldo-drift".into(),
            GroupGrant { role: StaffRoleName::Operator, institution: None, sales_point: None },
        );
        let roles = staff_roles(&settings, &["saldo-kontor".into(), "andet".into(), "SALDO-DRIFT".into()]);
        assert_eq!(roles, [(StaffRole::Office, "ins_1".into()), (StaffRole::Operator, String::new())]);
        assert!(staff_roles(&settings, &["andet".into()]).is_empty());
        assert_eq!(split_name("Anna Marie Hansen"), ("Anna Marie".into(), "Hansen".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
    }
}
