//! Server configuration: flags, then `ZIGE_…` environment variables, then
//! an optional TOML file, then defaults — in that order of precedence.

use serde::Deserialize;
use std::net::SocketAddr;
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
        }
    }
}

impl Config {
    /// Resolves flags over environment over file over defaults.
    pub fn resolve(flags: Layer, env: Layer, file: Layer) -> Result<Config, ConfigError> {
        let layer = flags.or(env).or(file);
        let addr = parse_addr(layer.addr)?;
        let log_format = layer.log_format.unwrap_or_else(|| "text".into());
        if log_format != "text" && log_format != "json" {
            return Err(ConfigError::Value {
                field: "log_format",
                value: log_format,
                allowed: "text, json",
            });
        }
        check_storage_urls(&layer.database_url, &layer.blob_url)?;
        let public_url = public_url(layer.public_url, addr)?;
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
        let trusted_proxies = trusted_proxies(layer.trusted_proxies.unwrap_or_default())?;
        Ok(Config {
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
}
