//! Where the data is: the `--data-dir` / `--database-url` / `--blob-url` /
//! `--config` options the commands on stored data share with `zige serve`,
//! resolved the same way, and opening the store they name.

use std::path::PathBuf;

use clap::Args;
use zige_store::{Blobs, Store};
use zige_web::config::{Config, Layer};

use crate::failure::Failure;

/// Where the data is: the same settings as `zige serve`.
#[derive(Args, Clone, Default)]
pub(crate) struct StoreArgs {
    /// Data directory for the embedded SQLite database and evidence files [env: ZIGE_DATA_DIR] [default: ./zige-data].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL instead of SQLite, e.g. postgres://user@host/db [env: ZIGE_DATABASE_URL].
    #[arg(long)]
    pub database_url: Option<String>,
    /// Evidence in S3-compatible storage: s3://bucket/prefix [env: ZIGE_BLOB_URL].
    #[arg(long)]
    pub blob_url: Option<String>,
    /// A TOML configuration file (see `zige config --default`) [env: ZIGE_CONFIG].
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Flags over `ZIGE_…` variables over the config file over defaults.
pub(crate) fn resolve_config(flags: Layer, config: Option<PathBuf>) -> Result<Config, Failure> {
    let env = Layer::from_env(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    let file_path = config.or_else(|| std::env::var("ZIGE_CONFIG").ok().map(PathBuf::from));
    let file = match &file_path {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                Failure::Input(format!("could not read config file '{}': {e}", p.display()))
            })?;
            Layer::from_toml(p, &text).map_err(|e| Failure::Input(e.to_string()))?
        }
        None => Layer::default(),
    };
    Config::resolve(flags, env, file).map_err(|e| Failure::Input(e.to_string()))
}

impl StoreArgs {
    fn config(&self) -> Result<Config, Failure> {
        resolve_config(
            Layer {
                data_dir: self.data_dir.clone(),
                database_url: self.database_url.clone(),
                blob_url: self.blob_url.clone(),
                ..Layer::default()
            },
            self.config.clone(),
        )
    }
}

/// Opens and migrates the store the arguments name, and runs `work` on it.
pub(crate) fn with_store<T>(
    args: &StoreArgs,
    work: impl AsyncFnOnce(&Store, &Config) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let config = args.config()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store = Store::open(&config.data_dir, config.database_url.as_deref())
            .await?
            .with_zone(config.settings.clock.zone());
        store.migrate().await?;
        let out = work(&store, &config).await;
        store.close().await;
        out
    })
}

/// The evidence files the configuration names.
pub(crate) fn blobs(config: &Config) -> Result<Blobs, Failure> {
    Ok(Blobs::open(&config.data_dir, config.blob_url.as_deref())?)
}
