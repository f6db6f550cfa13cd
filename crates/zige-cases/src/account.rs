//! Accounts: e-mail addresses and passwords parsed, not merely checked,
//! and the three roles.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use zige_rules::InputError;

use crate::text::{check_text, escaped, mixed_script_word, Lines, MAX_EMAIL};

/// A plausible e-mail address in its one stored form: trimmed, NFKC
/// (full-width ａ is a), lower-cased. Control and invisible characters are
/// refused, not removed; the domain must be ASCII (an internationalised
/// domain is typed in its `xn--` form: no IDNA here); the part before `@`
/// may be in any one script but not mix Latin with Cyrillic or Greek
/// look-alikes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

const EMAIL_ALLOWED: &str = "an e-mail address such as name@example.com (at most 254 characters)";
const EMAIL_ALLOWED_ZH: &str = "电子邮箱地址，如 name@example.com（至多 254 个字符）";

impl Email {
    /// The form an address is stored and looked up under, without judging
    /// whether it is one: what sign-in compares. Errors only for text no
    /// address can hold (too long, control or invisible characters).
    pub fn normalise(text: &str) -> Result<String, InputError> {
        let t = text.trim();
        check_text("email", t, MAX_EMAIL, Lines::One)?;
        let n: String = t.nfkc().collect::<String>().to_lowercase();
        // NFKC may lengthen (ﷺ is 18 letters) or bring back what was refused.
        check_text("email", n.trim(), MAX_EMAIL, Lines::One)?;
        Ok(n.trim().to_string())
    }

    pub fn parse(text: &str) -> Result<Email, InputError> {
        let t = Email::normalise(text)?;
        let err = || {
            InputError::new("email", escaped(text.trim(), 80), EMAIL_ALLOWED)
                .with_allowed_zh(EMAIL_ALLOWED_ZH)
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
        if !ok {
            return Err(err());
        }
        if !domain.is_ascii() {
            return Err(InputError::new(
                "email",
                escaped(text.trim(), 80),
                format!("a domain in ASCII letters, digits, dots and hyphens; type an internationalised domain in its ASCII (xn--…) form, not “{domain}”"),
            )
            .with_allowed_zh(format!(
                "由 ASCII 字母、数字、点和连字符组成的域名；国际化域名请填写其 ASCII（xn--…）形式，而非“{domain}”"
            )));
        }
        if let Some(word) = mixed_script_word(local) {
            return Err(InputError::new(
                "email",
                escaped(text.trim(), 80),
                format!("an address whose part before @ is written in one script: “{word}” mixes Latin letters with Cyrillic or Greek look-alikes"),
            )
            .with_allowed_zh(format!(
                "@ 之前的部分只用一种文字书写的邮箱地址：“{word}”混用了拉丁字母与形似的西里尔或希腊字母"
            )));
        }
        Ok(Email(t))
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

    pub fn parse(text: &str, email: &Email) -> Result<Password, InputError> {
        let n = text.chars().count();
        // The value is never echoed: errors show its length only.
        let shown = format!("({n} characters)");
        if !(Self::MIN..=Self::MAX).contains(&n) {
            return Err(InputError::new(
                "password",
                shown,
                format!("{}–{} characters", Self::MIN, Self::MAX),
            ));
        }
        let first = text.chars().next();
        if text.eq_ignore_ascii_case(email.as_str()) || text.chars().all(|c| Some(c) == first) {
            return Err(InputError::new(
                "password",
                shown,
                "a password that is not your e-mail address or one repeated character",
            ));
        }
        Ok(Password(text.to_string()))
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
    /// Reads the statistics and reports, nothing else.
    Official,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Applicant, Role::Reviewer, Role::Admin, Role::Official];

    pub fn code(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::Official => "official",
        }
    }

    pub fn parse(text: &str) -> Result<Role, InputError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == text.trim().to_ascii_lowercase())
            .ok_or_else(|| InputError::new("role", text, "applicant, reviewer, admin, official"))
    }

    /// Reviewers and admins review; admins also manage users and revoke.
    pub fn reviews(self) -> bool {
        matches!(self, Role::Reviewer | Role::Admin)
    }

    /// Officials and admins read the statistics and reports.
    pub fn reads_statistics(self) -> bool {
        matches!(self, Role::Official | Role::Admin)
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
    fn look_alike_and_invisible_characters_are_normalised_or_refused() {
        // Full-width letters and @ are the ASCII ones (NFKC), in any case.
        assert_eq!(
            Email::parse("ＡＤＡ＠Ｅｘａｍｐｌｅ．ｏｒｇ")
                .unwrap()
                .as_str(),
            "ada@example.org"
        );
        assert_eq!(
            Email::normalise(" ａda@EXAMPLE.org ").unwrap(),
            "ada@example.org"
        );
        // Invisible and control characters are refused, named and escaped.
        for (bad, code) in [
            ("ada\u{200B}@example.org", "U+200B"),
            ("ada@example.org\u{0}", "U+0000"),
            ("\u{202E}gro.elpmaxe@ada", "U+202E"),
            ("\u{FEFF}ada@example.org", "U+FEFF"),
        ] {
            let e = Email::parse(bad).unwrap_err();
            assert_eq!(e.field, "email");
            assert!(e.value.contains(&format!("[{code}]")), "{}", e.value);
            assert!(e.allowed.contains(code), "{}", e.allowed);
            assert!(Email::normalise(bad).is_err(), "sign-in refuses it too");
        }
        // Cyrillic а among Latin letters; a Greek ο in the domain.
        let e = Email::parse("\u{430}da@example.org").unwrap_err();
        assert!(e.allowed.contains("Cyrillic or Greek"), "{}", e.allowed);
        let e = Email::parse("ada@ex\u{3BF}mple.org").unwrap_err();
        assert!(e.allowed.contains("xn--"), "{}", e.allowed);
        assert!(e.message(zige_catalog::Lang::Zh).contains("国际化域名"));
        // One script is fine; so is an ASCII (punycode) domain.
        assert!(Email::parse("иван@xn--e1afmkfd.xn--p1ai").is_ok());
        assert!(Email::parse("王力@example.cn").is_ok());
        let long = format!("{}@example.org", "a".repeat(300));
        assert_eq!(Email::parse(&long).unwrap_err().value, "(312 characters)");
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
            "applicant, reviewer, admin, official"
        );
        assert!(Role::Reviewer.reviews() && !Role::Applicant.reviews());
    }
}
