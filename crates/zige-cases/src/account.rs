//! Accounts: e-mail addresses and passwords parsed, not merely checked,
//! and the three roles.

use std::fmt;

use serde::{Deserialize, Serialize};
use zige_rules::InputError;

/// A plausible e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, InputError> {
        let t = s.trim().to_lowercase();
        let err = || {
            InputError::new(
                "email",
                s,
                "an e-mail address such as name@example.com (at most 254 characters)",
            )
        };
        let (local, domain) = t.rsplit_once('@').ok_or_else(err)?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && t.len() <= 254
            && !local.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && t.chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\"\\".contains(c));
        if ok {
            Ok(Email(t))
        } else {
            Err(err())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password good enough to keep: 10 to 128 characters, not the e-mail
/// address, not one character repeated.
pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(s: &str, email: &Email) -> Result<Password, InputError> {
        let n = s.chars().count();
        // The value is never echoed: errors show its length only.
        let shown = format!("({n} characters)");
        if !(Self::MIN..=Self::MAX).contains(&n) {
            return Err(InputError::new(
                "password",
                shown,
                format!("{}–{} characters", Self::MIN, Self::MAX),
            ));
        }
        let first = s.chars().next();
        if s.eq_ignore_ascii_case(email.as_str()) || s.chars().all(|c| Some(c) == first) {
            return Err(InputError::new(
                "password",
                shown,
                "a password that is not your e-mail address or one repeated character",
            ));
        }
        Ok(Password(s.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Reviewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Applicant, Role::Reviewer, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, InputError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| InputError::new("role", s, "applicant, reviewer, admin"))
    }

    /// Reviewers and admins review; admins also manage users and revoke.
    pub fn reviews(self) -> bool {
        matches!(self, Role::Reviewer | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_nonsense_is_refused_naming_the_field() {
        assert_eq!(
            Email::parse("  Wang.Li@Example.CN ").unwrap().as_str(),
            "wang.li@example.cn"
        );
        for bad in [
            "", "a", "a@b", "@x.cn", "a@@x.cn", "a b@x.cn", "a@x..cn", "a@.x.cn", "<a>@x.cn",
        ] {
            let e = Email::parse(bad).unwrap_err();
            assert_eq!((e.field.as_str(), e.value.as_str()), ("email", bad));
        }
    }

    #[test]
    fn weak_passwords_are_refused_without_echoing_them() {
        let email = Email::parse("a@x.cn").unwrap();
        assert!(Password::parse("correct horse", &email).is_ok());
        let e = Password::parse("short", &email).unwrap_err();
        assert_eq!(e.field, "password");
        assert!(!e.value.contains("short"), "{}", e.value);
        assert!(Password::parse("aaaaaaaaaaaa", &email).is_err());
        assert!(Password::parse("A@X.CN", &Email::parse("a@x.cn").unwrap()).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("correct horse", &email).unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn roles_parse_from_their_codes() {
        assert_eq!(Role::parse(" Admin").unwrap(), Role::Admin);
        assert_eq!(
            Role::parse("root").unwrap_err().allowed,
            "applicant, reviewer, admin"
        );
        assert!(Role::Reviewer.reviews() && !Role::Applicant.reviews());
    }
}
