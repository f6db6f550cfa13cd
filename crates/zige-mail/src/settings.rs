//! Where mail goes: the SMTP server from one URL, and the sender.
//!
//! `smtp://HOST:PORT` (no TLS: a local relay), `smtp://HOST:PORT?tls=starttls`
//! (STARTTLS), `smtps://HOST:PORT` (implicit TLS); user and password in
//! the URL (`smtp://user:password@host`) or the password given apart
//! (`ZIGE_SMTP_PASSWORD`), so it need not sit in a process listing.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

/// How long one SMTP exchange may take before the attempt counts as failed.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text: for a relay on the same machine or network.
    None,
    /// Upgraded with STARTTLS after connecting.
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

/// A rejected setting: which, the value given, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: '{value}' is not allowed; allowed: {allowed}")]
pub struct SettingError {
    pub field: &'static str,
    pub value: String,
    pub allowed: &'static str,
}

/// The SMTP server to deliver through.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

const URL_ALLOWED: &str =
    "smtp://HOST:PORT, smtp://HOST:PORT?tls=starttls or smtps://HOST:PORT, with user:password@ optional";

impl SmtpSettings {
    /// Reads `--smtp-url`; `password` (from `ZIGE_SMTP_PASSWORD`) wins
    /// over one in the URL.
    pub fn parse(text: &str, password: Option<&str>) -> Result<SmtpSettings, SettingError> {
        let wrong = || SettingError {
            field: "smtp_url",
            value: redact(text),
            allowed: URL_ALLOWED,
        };
        let url = url::Url::parse(text.trim()).map_err(|_| wrong())?;
        let mut tls = match url.scheme() {
            "smtp" => TlsMode::None,
            "smtps" => TlsMode::Implicit,
            _ => return Err(wrong()),
        };
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), value.as_ref(), tls) {
                ("tls", "starttls", TlsMode::None) => tls = TlsMode::StartTls,
                ("tls", "none", TlsMode::None) => {}
                _ => return Err(wrong()),
            }
        }
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(wrong)?;
        let port = url.port().unwrap_or(match tls {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Implicit => 465,
        });
        let user = Some(percent_decode(url.username())).filter(|u| !u.is_empty());
        let password = password
            .map(str::to_string)
            .or_else(|| url.password().map(percent_decode));
        Ok(SmtpSettings {
            host: host.trim_matches(['[', ']']).to_string(),
            port,
            tls,
            user,
            password,
        })
    }

    /// A pooled SMTP client for these settings.
    pub fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, SettingError> {
        let tls = |host: &str| {
            TlsParameters::new(host.to_string()).map_err(|_| SettingError {
                field: "smtp_url",
                value: host.to_string(),
                allowed: "a host name a TLS certificate can be checked against",
            })
        };
        let mode = match self.tls {
            TlsMode::None => Tls::None,
            TlsMode::StartTls => Tls::Required(tls(&self.host)?),
            TlsMode::Implicit => Tls::Wrapper(tls(&self.host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            .port(self.port)
            .tls(mode)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = &self.user {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                self.password.clone().unwrap_or_default(),
            ));
        }
        Ok(builder.build())
    }
}

/// Reads `--mail-from`: `Zige <noreply@example.org>` or a bare address.
pub fn parse_from(text: &str) -> Result<Mailbox, SettingError> {
    text.trim().parse().map_err(|_| SettingError {
        field: "mail_from",
        value: text.to_string(),
        allowed: "an address, optionally with a name: Zige <noreply@example.org>",
    })
}

/// The URL with its password hidden, for messages and logs.
pub fn redact(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => text.to_string(),
    }
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scheme_gives_its_tls_mode_and_default_port() {
        let plain = SmtpSettings::parse("smtp://127.0.0.1:2525", None).unwrap();
        assert_eq!((plain.tls, plain.port), (TlsMode::None, 2525));
        let starttls = SmtpSettings::parse("smtp://mail.example.org?tls=starttls", None).unwrap();
        assert_eq!((starttls.tls, starttls.port), (TlsMode::StartTls, 587));
        let implicit = SmtpSettings::parse("smtps://mail.example.org", None).unwrap();
        assert_eq!((implicit.tls, implicit.port), (TlsMode::Implicit, 465));
    }

    #[test]
    fn credentials_come_from_the_url_or_apart() {
        let s = SmtpSettings::parse("smtp://zige%40bj:p%40ss@mail.example.org", None).unwrap();
        assert_eq!(s.user.as_deref(), Some("zige@bj"));
        assert_eq!(s.password.as_deref(), Some("p@ss"));
        let s = SmtpSettings::parse("smtp://zige:old@mail.example.org", Some("new")).unwrap();
        assert_eq!(s.password.as_deref(), Some("new"));
        assert!(
            !format!("{s:?}").contains("new"),
            "the password is never printed"
        );
    }

    #[test]
    fn a_wrong_url_names_the_setting_and_hides_the_password() {
        for bad in [
            "http://mail.example.org",
            "smtp://",
            "mail.example.org",
            "smtps://h?tls=starttls",
            "smtp://h?tls=maybe",
        ] {
            let e = SmtpSettings::parse(bad, None).unwrap_err();
            assert_eq!(e.field, "smtp_url", "{bad}");
        }
        let e = SmtpSettings::parse("ftp://u:secret@h", None).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}
