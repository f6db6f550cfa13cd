//! `zige serve`: the bilingual pages and the JSON API, configured by
//! flags over `ZIGE_…` variables over a config file over defaults.

use std::path::PathBuf;

use clap::Args;
use zige_web::config::Layer;

use crate::failure::{Failure, Out};
use crate::store::resolve_config;

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on [env: ZIGE_ADDR] [default: 127.0.0.1:8080].
    #[arg(long)]
    addr: Option<String>,
    /// Data directory for the embedded SQLite database [env: ZIGE_DATA_DIR] [default: ./zige-data].
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL instead of SQLite, e.g. postgres://user@host/db [env: ZIGE_DATABASE_URL].
    #[arg(long)]
    database_url: Option<String>,
    /// text or json request logs [env: ZIGE_LOG_FORMAT].
    #[arg(long)]
    log_format: Option<String>,
    /// Evidence in S3-compatible storage: s3://bucket/prefix [env: ZIGE_BLOB_URL].
    #[arg(long)]
    blob_url: Option<String>,
    /// The address people reach the service at, for verification links [env: ZIGE_PUBLIC_URL].
    #[arg(long)]
    public_url: Option<String>,
    /// Reverse proxies whose X-Forwarded-For names the client: addresses or
    /// CIDR ranges, repeatable [env: ZIGE_TRUSTED_PROXY, comma-separated].
    #[arg(long = "trusted-proxy", value_name = "CIDR", num_args = 1..)]
    trusted_proxy: Vec<String>,
    /// A TOML configuration file (see `zige config --default`) [env: ZIGE_CONFIG].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Evidence files per application [env: ZIGE_MAX_EVIDENCE_FILES] [default: 20].
    #[arg(long)]
    max_evidence_files: Option<String>,
    /// Open (unsubmitted) drafts per account [env: ZIGE_MAX_OPEN_DRAFTS] [default: 20].
    #[arg(long)]
    max_open_drafts: Option<String>,
    /// Megabytes of evidence per account [env: ZIGE_MAX_STORAGE_MB] [default: 200].
    #[arg(long)]
    max_storage_mb: Option<String>,
    /// Seconds before an evidence file no record refers to is removed [env: ZIGE_BLOB_GRACE_SECS] [default: 3600].
    #[arg(long)]
    blob_grace_secs: Option<String>,
    /// The authority issuing decisions, in Chinese [env: ZIGE_AUTHORITY_ZH].
    #[arg(long)]
    authority_zh: Option<String>,
    /// The authority issuing decisions, in English [env: ZIGE_AUTHORITY_EN].
    #[arg(long)]
    authority_en: Option<String>,
    /// The legal basis decisions cite, in Chinese [env: ZIGE_LEGAL_BASIS_ZH].
    #[arg(long)]
    legal_basis_zh: Option<String>,
    /// The legal basis decisions cite, in English [env: ZIGE_LEGAL_BASIS_EN].
    #[arg(long)]
    legal_basis_en: Option<String>,
    /// How to appeal a decision, in Chinese [env: ZIGE_APPEAL_ZH].
    #[arg(long)]
    appeal_zh: Option<String>,
    /// How to appeal a decision, in English [env: ZIGE_APPEAL_EN].
    #[arg(long)]
    appeal_en: Option<String>,
    /// The IANA time zone pages show times in [env: ZIGE_TIME_ZONE] [default: Asia/Shanghai].
    #[arg(long)]
    time_zone: Option<String>,
    /// Development mode: decisions may link to a localhost public URL [env: ZIGE_DEVELOPMENT].
    #[arg(long)]
    development: bool,
    /// The mail server: smtp://HOST:PORT (no TLS), smtp://HOST:PORT?tls=starttls or smtps://HOST:PORT; user:password@ optional, or the password in ZIGE_SMTP_PASSWORD [env: ZIGE_SMTP_URL]. Unset: mail waits in the outbox.
    #[arg(long)]
    smtp_url: Option<String>,
    /// The sender of mail, e.g. "Zige <noreply@example.org>" [env: ZIGE_MAIL_FROM] [default: Zige <noreply@HOST of the public URL>].
    #[arg(long)]
    mail_from: Option<String>,
    /// Days an applicant has to answer a request for more information [env: ZIGE_MORE_INFO_DAYS] [default: 30].
    #[arg(long)]
    more_info_days: Option<String>,
}

/// Resolves the configuration, starts logging and serves until stopped.
pub(crate) fn run(args: ServeArgs) -> Out {
    let flags = Layer {
        addr: args.addr,
        data_dir: args.data_dir,
        database_url: args.database_url,
        log_format: args.log_format,
        blob_url: args.blob_url,
        public_url: args.public_url,
        max_evidence_files: args.max_evidence_files,
        max_open_drafts: args.max_open_drafts,
        max_storage_mb: args.max_storage_mb,
        blob_grace_secs: args.blob_grace_secs,
        trusted_proxies: (!args.trusted_proxy.is_empty()).then_some(args.trusted_proxy),
        authority_zh: args.authority_zh,
        authority_en: args.authority_en,
        legal_basis_zh: args.legal_basis_zh,
        legal_basis_en: args.legal_basis_en,
        appeal_zh: args.appeal_zh,
        appeal_en: args.appeal_en,
        time_zone: args.time_zone,
        development: args.development.then(|| "true".to_string()),
        smtp_url: args.smtp_url,
        smtp_password: None,
        mail_from: args.mail_from,
        more_info_days: args.more_info_days,
    };
    let config = resolve_config(flags, args.config)?;
    zige_web::init_logging(&config.log_format);
    warn_of_local_public_url(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(zige_web::serve(config))
        .map_err(|e| Failure::Other(e.into()))
}

/// A public address that is unset or local makes verification links
/// nobody else can open: said at start, in both languages.
fn warn_of_local_public_url(config: &zige_web::Config) {
    if !config.public_url_is_local() {
        return;
    }
    let shown = if config.settings.development {
        "decisions link to it (development mode)"
    } else {
        "decisions show only their verification code"
    };
    tracing::warn!(
        public_url = %config.public_url,
        "public URL is unset or local ({}): people cannot verify decisions at it; set --public-url or ZIGE_PUBLIC_URL; {shown} / 公开地址未设置或为本机地址（{}）：他人无法据此核验决定；请设置 --public-url 或 ZIGE_PUBLIC_URL",
        config.public_url,
        config.public_url,
    );
}
