//! Server configuration: flags, then `ZIGE_…` environment variables, then
//! an optional TOML file, then defaults — in that order of precedence.

use serde::Deserialize;
use std::net::SocketAddr;
use zige_catalog::Bilingual;

pub use zige_cases::decision::Authority;

use crate::local_time::Clock;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    /// `text` or `json` request logs.
    pub log_format: String,
    /// Where evidence files go: None for `blobs/` in the data directory,
    /// or `s3://bucket/prefix` (credentials from AWS_* variables).
    pub blob_url: Option<String>,
    /// The address people reach the service at, for links in decisions and
    /// their QR codes; default `http://localhost:PORT`. Session cookies are
    /// marked Secure unless it is plain-HTTP localhost.
    pub public_url: String,
    /// Evidence files per application, open drafts and evidence bytes per
    /// account: checked atomically with the write they limit.
    pub limits: zige_store::Limits,
    /// Evidence files no record refers to are removed once this old.
    pub blob_grace_secs: u64,
    /// Proxies whose `X-Forwarded-For` names the client; empty: none.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The issuing authority, the time zone and development mode.
    pub settings: Settings,
    /// Where mail goes, from whom, and how long a request for more
    /// information stays open.
    pub mail: MailConfig,
}

/// Mail: the SMTP server (none: messages wait in the outbox), the sender
/// address, and the days an applicant has to answer a request.
#[derive(Debug, Clone, PartialEq)]
pub struct MailConfig {
    pub smtp: Option<zige_mail::SmtpSettings>,
    pub from: zige_mail::Mailbox,
    pub lapse_days: u64,
}

pub const DEFAULT_LAPSE_DAYS: u64 = 30;

/// What the pages and the decisions read from the configuration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub authority: Authority,
    /// The zone every page shows times in.
    pub clock: Clock,
    /// Development: decisions may carry a localhost verification link.
    pub development: bool,
    /// Applicants verify their address before they submit: on whenever
    /// a mail server is configured (without one, no link could reach them).
    pub verify_before_submit: bool,
}

pub const DEFAULT_BLOB_GRACE_SECS: u64 = 3600;

impl Config {
    /// Cookies need `Secure` everywhere but on plain-HTTP localhost.
    pub fn secure_cookies(&self) -> bool {
        let url = self.public_url.as_str();
        !(url.starts_with("http://localhost")
            || url.starts_with("http://127.0.0.1")
            || url.starts_with("http://[::1]"))
    }

    /// The public address is this machine (unset, or localhost): nobody
    /// else can open a verification link to it.
    pub fn public_url_is_local(&self) -> bool {
        is_local_url(&self.public_url)
    }
}

/// An http(s) address whose host is this machine: `localhost` (and its
/// subdomains), a loopback address, or the unspecified address.
pub fn is_local_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    }
    .to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

/// One layer of settings; unset fields fall through to the next layer.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub addr: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub log_format: Option<String>,
    pub blob_url: Option<String>,
    pub public_url: Option<String>,
    /// Numbers: integers in TOML, text in flags and the environment.
    #[serde(default, deserialize_with = "number")]
    pub max_evidence_files: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub max_open_drafts: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub max_storage_mb: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub blob_grace_secs: Option<String>,
    pub trusted_proxies: Option<Vec<String>>,
    pub authority_zh: Option<String>,
    pub authority_en: Option<String>,
    pub legal_basis_zh: Option<String>,
    pub legal_basis_en: Option<String>,
    pub appeal_zh: Option<String>,
    pub appeal_en: Option<String>,
    pub time_zone: Option<String>,
    /// A boolean in TOML, text in flags and the environment.
    #[serde(default, deserialize_with = "switch")]
    pub development: Option<String>,
    pub smtp_url: Option<String>,
    pub smtp_password: Option<String>,
    pub mail_from: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub more_info_days: Option<String>,
}

/// A TOML boolean (or string) as text, checked in `resolve`.
fn switch<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Switch {
        Boolean(bool),
        Text(String),
    }
    Ok(
        Option::<Switch>::deserialize(deserializer)?.map(|switch| match switch {
            Switch::Boolean(b) => b.to_string(),
            Switch::Text(text) => text,
        }),
    )
}

/// A TOML integer (or string) as text, parsed and checked in `resolve`.
fn number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Integer(i64),
        Text(String),
    }
    Ok(
        Option::<Number>::deserialize(deserializer)?.map(|number| match number {
            Number::Integer(i) => i.to_string(),
            Number::Text(text) => text,
        }),
    )
}

/// A whole number in `1..=max`, or the error naming the field.
fn count(
    field: &'static str,
    value: Option<String>,
    default: u64,
    max: u64,
) -> Result<u64, ConfigError> {
    let Some(text) = value else {
        return Ok(default);
    };
    match text.trim().parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ConfigError::Value {
            field,
            value: text,
            allowed: "a whole number from 1 up (see `zige config --default`)",
        }),
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("could not read config file '{path}': {message}")]
    File { path: String, message: String },
    #[error("invalid value '{value}' for {field}: allowed {allowed}")]
    Value {
        field: &'static str,
        value: String,
        allowed: &'static str,
    },
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./zige-data";

impl Layer {
    /// The `ZIGE_ADDR`, `ZIGE_DATA_DIR`, `ZIGE_DATABASE_URL`, `ZIGE_LOG_FORMAT` variables.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Layer {
        Layer {
            addr: get("ZIGE_ADDR"),
            data_dir: get("ZIGE_DATA_DIR").map(PathBuf::from),
            database_url: get("ZIGE_DATABASE_URL"),
            log_format: get("ZIGE_LOG_FORMAT"),
            blob_url: get("ZIGE_BLOB_URL"),
            public_url: get("ZIGE_PUBLIC_URL"),
            max_evidence_files: get("ZIGE_MAX_EVIDENCE_FILES"),
            max_open_drafts: get("ZIGE_MAX_OPEN_DRAFTS"),
            max_storage_mb: get("ZIGE_MAX_STORAGE_MB"),
            blob_grace_secs: get("ZIGE_BLOB_GRACE_SECS"),
            trusted_proxies: get("ZIGE_TRUSTED_PROXY").map(|v| {
                v.split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            }),
            authority_zh: get("ZIGE_AUTHORITY_ZH"),
            authority_en: get("ZIGE_AUTHORITY_EN"),
            legal_basis_zh: get("ZIGE_LEGAL_BASIS_ZH"),
            legal_basis_en: get("ZIGE_LEGAL_BASIS_EN"),
            appeal_zh: get("ZIGE_APPEAL_ZH"),
            appeal_en: get("ZIGE_APPEAL_EN"),
            time_zone: get("ZIGE_TIME_ZONE"),
            development: get("ZIGE_DEVELOPMENT"),
            smtp_url: get("ZIGE_SMTP_URL"),
            smtp_password: get("ZIGE_SMTP_PASSWORD"),
            mail_from: get("ZIGE_MAIL_FROM"),
            more_info_days: get("ZIGE_MORE_INFO_DAYS"),
        }
    }

    /// Parses a TOML file's text (its path is for messages).
    pub fn from_toml(path: &Path, text: &str) -> Result<Layer, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::File {
            path: path.display().to_string(),
            message: e.to_string().trim().to_string(),
        })
    }

    fn or(self, next: Layer) -> Layer {
        Layer {
            addr: self.addr.or(next.addr),
            data_dir: self.data_dir.or(next.data_dir),
            database_url: self.database_url.or(next.database_url),
            log_format: self.log_format.or(next.log_format),
            blob_url: self.blob_url.or(next.blob_url),
            public_url: self.public_url.or(next.public_url),
            max_evidence_files: self.max_evidence_files.or(next.max_evidence_files),
            max_open_drafts: self.max_open_drafts.or(next.max_open_drafts),
            max_storage_mb: self.max_storage_mb.or(next.max_storage_mb),
            blob_grace_secs: self.blob_grace_secs.or(next.blob_grace_secs),
            trusted_proxies: self.trusted_proxies.or(next.trusted_proxies),
            authority_zh: self.authority_zh.or(next.authority_zh),
            authority_en: self.authority_en.or(next.authority_en),
            legal_basis_zh: self.legal_basis_zh.or(next.legal_basis_zh),
            legal_basis_en: self.legal_basis_en.or(next.legal_basis_en),
            appeal_zh: self.appeal_zh.or(next.appeal_zh),
            appeal_en: self.appeal_en.or(next.appeal_en),
            time_zone: self.time_zone.or(next.time_zone),
            development: self.development.or(next.development),
            smtp_url: self.smtp_url.or(next.smtp_url),
            smtp_password: self.smtp_password.or(next.smtp_password),
            mail_from: self.mail_from.or(next.mail_from),
            more_info_days: self.more_info_days.or(next.more_info_days),
        }
    }
}

impl Config {
    /// Resolves flags over environment over file over defaults.
    pub fn resolve(flags: Layer, env: Layer, file: Layer) -> Result<Config, ConfigError> {
        let mut layer = flags.or(env).or(file);
        let settings = settings(&mut layer)?;
        let addr = parse_addr(layer.addr)?;
        let log_format = layer.log_format.take().unwrap_or_else(|| "text".into());
        if log_format != "text" && log_format != "json" {
            return Err(ConfigError::Value {
                field: "log_format",
                value: log_format,
                allowed: "text, json",
            });
        }
        check_storage_urls(&layer.database_url, &layer.blob_url)?;
        let public_url = public_url(layer.public_url.take(), addr)?;
        let mail = mail(
            [
                layer.smtp_url.take(),
                layer.smtp_password.take(),
                layer.mail_from.take(),
                layer.more_info_days.take(),
            ],
            &public_url,
        )?;
        let limits = limits(
            layer.max_evidence_files,
            layer.max_open_drafts,
            layer.max_storage_mb,
        )?;
        let blob_grace_secs = count(
            "blob_grace_secs",
            layer.blob_grace_secs,
            DEFAULT_BLOB_GRACE_SECS,
            10 * 365 * 86_400,
        )?;
        let trusted_proxies = trusted_proxies(layer.trusted_proxies.take().unwrap_or_default())?;
        let settings = Settings {
            verify_before_submit: mail.smtp.is_some(),
            ..settings
        };
        Ok(Config {
            mail,
            settings,
            limits,
            blob_grace_secs,
            trusted_proxies,
            addr,
            data_dir: layer.data_dir.unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
            database_url: layer.database_url,
            log_format,
            blob_url: layer.blob_url,
            public_url,
        })
    }
}

/// The address to listen on (default [`DEFAULT_ADDR`]).
fn parse_addr(addr: Option<String>) -> Result<SocketAddr, ConfigError> {
    let addr_text = addr.unwrap_or_else(|| DEFAULT_ADDR.into());
    addr_text.parse().map_err(|_| ConfigError::Value {
        field: "addr",
        value: addr_text.clone(),
        allowed: "an IP address and port, e.g. 127.0.0.1:8080",
    })
}

/// The database's and the evidence store's addresses, when given, are of
/// a kind Zige speaks.
fn check_storage_urls(
    database_url: &Option<String>,
    blob_url: &Option<String>,
) -> Result<(), ConfigError> {
    if let Some(url) = database_url {
        if !(url.starts_with("postgres://")
            || url.starts_with("postgresql://")
            || url.starts_with("sqlite:"))
        {
            return Err(ConfigError::Value {
                field: "database_url",
                value: url.clone(),
                allowed: "postgres://… or sqlite:…",
            });
        }
    }
    if let Some(url) = blob_url {
        if !url.starts_with("s3://") {
            return Err(ConfigError::Value {
                field: "blob_url",
                value: url.clone(),
                allowed: "s3://bucket/prefix (or unset for the data directory)",
            });
        }
    }
    Ok(())
}

/// The public address, without a trailing slash (default: localhost at
/// the port listened on).
fn public_url(url: Option<String>, addr: SocketAddr) -> Result<String, ConfigError> {
    match url {
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
            Ok(u.trim_end_matches('/').to_string())
        }
        Some(u) => Err(ConfigError::Value {
            field: "public_url",
            value: u,
            allowed: "an http:// or https:// address",
        }),
        None => Ok(format!("http://localhost:{}", addr.port())),
    }
}

/// The mail server, the sender (default `Zige <noreply@HOST>`, HOST
/// from the public URL) and the days to answer a request (default 30).
fn mail(settings: [Option<String>; 4], public_url: &str) -> Result<MailConfig, ConfigError> {
    let [smtp_url, smtp_password, mail_from, more_info_days] = settings;
    let refused = |e: zige_mail::SettingError| ConfigError::Value {
        field: e.field,
        value: e.value,
        allowed: e.allowed,
    };
    let smtp = match smtp_url.filter(|u| !u.trim().is_empty()) {
        None => None,
        Some(url) => {
            Some(zige_mail::SmtpSettings::parse(&url, smtp_password.as_deref()).map_err(refused)?)
        }
    };
    let from = match mail_from {
        Some(text) => zige_mail::parse_from(&text).map_err(refused)?,
        None => zige_mail::parse_from(&format!("Zige <noreply@{}>", mail_domain(public_url)))
            .map_err(refused)?,
    };
    let lapse_days = count("more_info_days", more_info_days, DEFAULT_LAPSE_DAYS, 365)?;
    Ok(MailConfig {
        smtp,
        from,
        lapse_days,
    })
}

/// The host of the public URL as a mail domain (`localhost` for an IP).
fn mail_domain(public_url: &str) -> String {
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        "localhost".to_string()
    } else {
        host.to_string()
    }
}

/// The per-application and per-account limits (defaults: the store's).
fn limits(
    max_evidence_files: Option<String>,
    max_open_drafts: Option<String>,
    max_storage_mb: Option<String>,
) -> Result<zige_store::Limits, ConfigError> {
    let defaults = zige_store::Limits::default();
    Ok(zige_store::Limits {
        evidence_per_application: count(
            "max_evidence_files",
            max_evidence_files,
            defaults.evidence_per_application as u64,
            100_000,
        )? as i64,
        open_drafts_per_account: count(
            "max_open_drafts",
            max_open_drafts,
            defaults.open_drafts_per_account as u64,
            100_000,
        )? as i64,
        storage_bytes_per_account: count(
            "max_storage_mb",
            max_storage_mb,
            (defaults.storage_bytes_per_account / (1024 * 1024)) as u64,
            1 << 30,
        )? as i64
            * 1024
            * 1024,
    })
}

/// The authority, the time zone and development mode (defaults: the
/// Beijing bureau, Asia/Shanghai, off).
fn settings(layer: &mut Layer) -> Result<Settings, ConfigError> {
    let defaults = Authority::default();
    let authority = Authority {
        name: bilingual(
            ("authority_zh", layer.authority_zh.take()),
            ("authority_en", layer.authority_en.take()),
            defaults.name,
            (200, "1 to 200 characters on one line"),
        )?,
        legal_basis: bilingual(
            ("legal_basis_zh", layer.legal_basis_zh.take()),
            ("legal_basis_en", layer.legal_basis_en.take()),
            defaults.legal_basis,
            (500, "1 to 500 characters on one line"),
        )?,
        appeal: bilingual(
            ("appeal_zh", layer.appeal_zh.take()),
            ("appeal_en", layer.appeal_en.take()),
            defaults.appeal,
            (1000, "1 to 1000 characters on one line"),
        )?,
    };
    let clock = match layer.time_zone.take() {
        None => Clock::default(),
        Some(name) => Clock::named(&name).ok_or(ConfigError::Value {
            field: "time_zone",
            value: name,
            allowed: "an IANA time zone name, e.g. Asia/Shanghai, Asia/Hong_Kong or UTC",
        })?,
    };
    let development = match layer.development.take() {
        None => false,
        Some(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => true,
            "false" | "0" | "no" | "off" | "" => false,
            _ => {
                return Err(ConfigError::Value {
                    field: "development",
                    value: text,
                    allowed: "true or false",
                })
            }
        },
    };
    Ok(Settings {
        authority,
        clock,
        development,
        verify_before_submit: false,
    })
}

/// A text in both languages, each 1 to `max` characters (the default's
/// when unset).
fn bilingual(
    zh: (&'static str, Option<String>),
    en: (&'static str, Option<String>),
    default: Bilingual,
    (max, allowed): (usize, &'static str),
) -> Result<Bilingual, ConfigError> {
    let check = |(field, value): (&'static str, Option<String>), fallback: &str| {
        let Some(text) = value else {
            return Ok(fallback.to_string());
        };
        let trimmed = text.trim();
        if trimmed.is_empty()
            || trimmed.chars().count() > max
            || trimmed.chars().any(char::is_control)
        {
            return Err(ConfigError::Value {
                field,
                value: text,
                allowed,
            });
        }
        Ok(trimmed.to_string())
    };
    Ok(Bilingual::new(
        &check(zh, &default.zh)?,
        &check(en, &default.en)?,
    ))
}

/// The proxies trusted to name the client, each an address or a range.
fn trusted_proxies(proxies: Vec<String>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    proxies
        .into_iter()
        .map(|proxy| {
            crate::cases::accounts::throttle::parse_proxy(&proxy).ok_or_else(|| {
                ConfigError::Value {
                    field: "trusted_proxies",
                    value: proxy.clone(),
                    allowed: "IP addresses or CIDR ranges, e.g. 10.0.0.0/8 or ::1",
                }
            })
        })
        .collect()
}

/// The commented default configuration file (`zige config --default`).
pub const DEFAULT_FILE: &str = r#"# Zige configuration file. Every setting may also be given as a flag of
# `zige serve` or as an environment variable; flags win over the
# environment, which wins over this file.

# Address to listen on (flag --addr, env ZIGE_ADDR).
addr = "127.0.0.1:8080"

# Directory for the embedded SQLite database and stored files
# (flag --data-dir, env ZIGE_DATA_DIR). Created when missing.
data_dir = "./zige-data"

# PostgreSQL instead of SQLite, for several server processes behind a load
# balancer (flag --database-url, env ZIGE_DATABASE_URL).
# database_url = "postgres://user@127.0.0.1:5432/zige"

# Request logs: "text" for people, "json" for log collectors
# (flag --log-format, env ZIGE_LOG_FORMAT).
log_format = "text"

# Evidence files: unset keeps them in the data directory; "s3://bucket/prefix"
# stores them in S3-compatible storage, with credentials, region and endpoint
# from the AWS_* environment variables (flag --blob-url, env ZIGE_BLOB_URL).
# blob_url = "s3://zige-evidence/beijing"

# The address people reach this service at, used in decisions' verification
# links and QR codes (flag --public-url, env ZIGE_PUBLIC_URL). Default:
# http://localhost:PORT. Session cookies are Secure unless it is plain-HTTP
# localhost.
# public_url = "https://zige.example.gov.cn"

# Limits, checked atomically with the write they limit: evidence files per
# application, open (unsubmitted) drafts per account, and megabytes of
# evidence per account (flags --max-evidence-files, --max-open-drafts,
# --max-storage-mb; env ZIGE_MAX_EVIDENCE_FILES, ZIGE_MAX_OPEN_DRAFTS,
# ZIGE_MAX_STORAGE_MB).
max_evidence_files = 20
max_open_drafts = 20
max_storage_mb = 200

# Evidence files no record refers to (a deleted draft's) are removed by a
# periodic sweep once they are this many seconds old (flag
# --blob-grace-secs, env ZIGE_BLOB_GRACE_SECS; `zige blobs sweep` runs one).
blob_grace_secs = 3600
# Reverse proxies in front of Zige whose X-Forwarded-For header names the
# client (flag --trusted-proxy, repeatable; env ZIGE_TRUSTED_PROXY, comma-
# separated). The client is the right-most hop that is not one of them.
# Unset: the header is ignored and the socket's peer is the client.
# trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]

# The authority that issues decisions, named on every decision and on the
# public verification page, in Chinese and English (env ZIGE_AUTHORITY_ZH,
# ZIGE_AUTHORITY_EN; flags --authority-zh, --authority-en). At most 200
# characters each.
authority_zh = "北京市人力资源和社会保障局"
authority_en = "Beijing Municipal Human Resources and Social Security Bureau"

# The legal basis decisions cite: the notice that publishes the catalogue
# (env ZIGE_LEGAL_BASIS_ZH, ZIGE_LEGAL_BASIS_EN; flags --legal-basis-zh,
# --legal-basis-en). At most 500 characters each.
legal_basis_zh = "关于发布《北京市境外职业资格认可目录（3.0版）》的通知（2023年9月4日）"
legal_basis_en = "Notice publishing Beijing's Catalogue of Recognised Overseas Professional Qualifications, version 3.0 (4 September 2023)"

# How a holder may challenge a decision, printed on it (env ZIGE_APPEAL_ZH,
# ZIGE_APPEAL_EN; flags --appeal-zh, --appeal-en). At most 1000 characters
# each. The default: administrative reconsideration within 60 days or an
# administrative lawsuit within 6 months.
appeal_zh = "对本决定不服的，可以自知道本决定之日起六十日内依法申请行政复议，或者自知道本决定之日起六个月内依法向人民法院提起行政诉讼。"
appeal_en = "If you disagree with this decision, you may apply for administrative reconsideration within 60 days of learning of it, or bring an administrative lawsuit before a people's court within 6 months of learning of it."

# The time zone pages and decisions show times in, with the zone named: an
# IANA name such as "Asia/Shanghai", "Asia/Hong_Kong" or "UTC" (flag
# --time-zone, env ZIGE_TIME_ZONE). The zone database is built in.
time_zone = "Asia/Shanghai"

# Development mode: decisions may carry a verification link and QR code to
# a localhost public_url. Off, a decision whose public_url is unset or local
# shows only its verification code and where to verify it (flag
# --development, env ZIGE_DEVELOPMENT=true).
development = false

# Mail. Without a mail server, messages (address verification, password
# reset links, receipts, decisions) wait in the outbox, shown on the admin
# pages and by `zige mail list`, until one is configured.
# smtp_url: smtp://HOST:PORT (a local relay, no TLS),
# smtp://HOST:PORT?tls=starttls, or smtps://HOST:PORT (implicit TLS); user
# and password may sit in the URL (smtp://user:password@host) or the
# password in ZIGE_SMTP_PASSWORD (flag --smtp-url, env ZIGE_SMTP_URL).
# smtp_url = "smtp://127.0.0.1:25"
# The sender (flag --mail-from, env ZIGE_MAIL_FROM); default
# "Zige <noreply@HOST>" with HOST from public_url.
# mail_from = "Zige <noreply@zige.example.gov.cn>"
# Days an applicant has to answer a request for more information; a
# reminder goes 7 days before (flag --more-info-days, env ZIGE_MORE_INFO_DAYS).
more_info_days = 30
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_environment_which_wins_over_the_file() {
        let file = Layer::from_toml(
            Path::new("z.toml"),
            "addr = \"127.0.0.1:1\"\ndata_dir = \"/f\"\nlog_format = \"json\"",
        )
        .unwrap();
        let env = Layer {
            addr: Some("127.0.0.1:2".into()),
            data_dir: Some("/e".into()),
            ..Layer::default()
        };
        let flags = Layer {
            addr: Some("127.0.0.1:3".into()),
            ..Layer::default()
        };
        let c = Config::resolve(flags, env, file).unwrap();
        assert_eq!(c.addr.port(), 3);
        assert_eq!(c.data_dir, PathBuf::from("/e"));
        assert_eq!(c.log_format, "json");
    }

    #[test]
    fn the_default_file_parses_to_the_defaults() {
        let file = Layer::from_toml(Path::new("d.toml"), DEFAULT_FILE).unwrap();
        let c = Config::resolve(Layer::default(), Layer::default(), file).unwrap();
        assert_eq!(
            c,
            Config::resolve(Layer::default(), Layer::default(), Layer::default()).unwrap()
        );
    }

    #[test]
    fn bad_values_name_the_field_and_what_is_allowed() {
        let bad = Layer {
            addr: Some("localhost".into()),
            ..Layer::default()
        };
        let e = Config::resolve(bad, Layer::default(), Layer::default()).unwrap_err();
        assert_eq!(e.to_string(), "invalid value 'localhost' for addr: allowed an IP address and port, e.g. 127.0.0.1:8080");
        let e = Layer::from_toml(Path::new("x.toml"), "port = 1").unwrap_err();
        assert!(e.to_string().contains("x.toml"));
        let bad = Layer {
            trusted_proxies: Some(vec!["10.0.0.0/8".into(), "proxy.local".into()]),
            ..Layer::default()
        };
        let e = Config::resolve(bad, Layer::default(), Layer::default()).unwrap_err();
        assert!(
            e.to_string().contains("'proxy.local' for trusted_proxies"),
            "{e}"
        );
        let env = Layer::from_env(|k| {
            (k == "ZIGE_TRUSTED_PROXY").then(|| "127.0.0.1, 10.0.0.0/8".into())
        });
        let file = Layer::from_toml(Path::new("t.toml"), "trusted_proxies = [\"::1\"]").unwrap();
        let c = Config::resolve(Layer::default(), env, file.clone()).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        let c = Config::resolve(Layer::default(), Layer::default(), file).unwrap();
        assert_eq!(
            c.trusted_proxies,
            vec![crate::cases::accounts::throttle::parse_proxy("::1").unwrap()]
        );
        let e = Layer::from_toml(Path::new("x.toml"), "port = 1").unwrap_err();
        assert!(e.to_string().contains("x.toml"));
    }

    #[test]
    fn limits_come_from_the_file_and_the_environment() {
        let bad = Layer {
            max_open_drafts: Some("0".into()),
            ..Layer::default()
        };
        let e = Config::resolve(bad, Layer::default(), Layer::default()).unwrap_err();
        assert!(e.to_string().contains("max_open_drafts"), "{e}");
        let file = Layer::from_toml(
            Path::new("l.toml"),
            "max_evidence_files = 5\nmax_storage_mb = \"7\"",
        )
        .unwrap();
        let env = Layer::from_env(|k| (k == "ZIGE_MAX_OPEN_DRAFTS").then(|| "3".to_string()));
        let c = Config::resolve(Layer::default(), env, file).unwrap();
        assert_eq!(c.limits.evidence_per_application, 5);
        assert_eq!(c.limits.open_drafts_per_account, 3);
        assert_eq!(c.limits.storage_bytes_per_account, 7 * 1024 * 1024);
        assert_eq!(c.blob_grace_secs, DEFAULT_BLOB_GRACE_SECS);
    }

    #[test]
    fn the_authority_time_zone_and_development_mode_are_configured() {
        let c = Config::resolve(Layer::default(), Layer::default(), Layer::default()).unwrap();
        let s = &c.settings;
        assert_eq!(s.authority.name.zh, "北京市人力资源和社会保障局");
        assert_eq!(
            s.authority.name.en,
            "Beijing Municipal Human Resources and Social Security Bureau"
        );
        assert!(s.authority.legal_basis.zh.contains("（3.0版）"));
        assert!(
            s.authority.appeal.zh.contains("六十日") && s.authority.appeal.zh.contains("六个月")
        );
        assert_eq!(s.clock.name(), "Asia/Shanghai");
        assert!(!s.development);
        assert!(c.public_url_is_local());

        let file = Layer::from_toml(
            Path::new("a.toml"),
            "authority_en = \"Shanghai Bureau\"\ntime_zone = \"Asia/Hong_Kong\"\ndevelopment = true\npublic_url = \"https://zige.example.gov.cn\"",
        )
        .unwrap();
        let env = Layer::from_env(|k| (k == "ZIGE_AUTHORITY_ZH").then(|| " 上海市某局 ".into()));
        let c = Config::resolve(Layer::default(), env, file).unwrap();
        assert_eq!(c.settings.authority.name.zh, "上海市某局");
        assert_eq!(c.settings.authority.name.en, "Shanghai Bureau");
        assert_eq!(c.settings.clock.name(), "Asia/Hong_Kong");
        assert!(c.settings.development);
        assert!(!c.public_url_is_local());
    }

    #[test]
    fn a_bad_time_zone_or_authority_names_the_field_the_value_and_what_is_allowed() {
        let bad = |layer: Layer| {
            Config::resolve(layer, Layer::default(), Layer::default())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            bad(Layer {
                time_zone: Some("Beijing".into()),
                ..Layer::default()
            }),
            "invalid value 'Beijing' for time_zone: allowed an IANA time zone name, e.g. Asia/Shanghai, Asia/Hong_Kong or UTC"
        );
        let e = bad(Layer {
            authority_zh: Some("  ".into()),
            ..Layer::default()
        });
        assert!(
            e.contains("for authority_zh: allowed 1 to 200 characters"),
            "{e}"
        );
        let e = bad(Layer {
            appeal_en: Some("x".repeat(1001)),
            ..Layer::default()
        });
        assert!(e.contains("for appeal_en"), "{e}");
        let e = bad(Layer {
            development: Some("maybe".into()),
            ..Layer::default()
        });
        assert_eq!(
            e,
            "invalid value 'maybe' for development: allowed true or false"
        );
    }

    #[test]
    fn local_public_addresses_are_recognised() {
        for url in [
            "http://localhost:8080",
            "https://localhost",
            "http://127.0.0.1:9000/zige",
            "http://[::1]:8080",
            "http://0.0.0.0",
            "http://app.localhost:3000",
        ] {
            assert!(is_local_url(url), "{url}");
        }
        for url in [
            "https://zige.example.gov.cn",
            "http://10.0.0.5:8080",
            "https://localhost.example.com",
        ] {
            assert!(!is_local_url(url), "{url}");
        }
    }
}
