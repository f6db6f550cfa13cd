//! `zige restore`: a backup restored into an empty data directory or
//! database.

use std::io::BufReader;
use std::path::PathBuf;

use clap::Args;
use zige_store::{Store, StoreError};
use zige_web::config::Config;

use crate::failure::{Failure, Out};
use crate::store::{blobs, with_store, StoreArgs};

#[derive(Args)]
pub(crate) struct RestoreArgs {
    file: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

/// Restores the backup file and prints what it held.
pub(crate) fn run(args: RestoreArgs) -> Out {
    let file = args.file;
    let backup = std::fs::File::open(&file)
        .map_err(|e| Failure::Input(format!("invalid value '{}' for FILE: {e}", file.display())))?;
    with_store(
        &args.store,
        async |store: &Store, config: &Config| match store
            .restore(&blobs(config)?, BufReader::new(backup))
            .await
        {
            Ok(summary) => {
                println!(
                    "restored {} rows and {} evidence files into the {} database",
                    summary.rows,
                    summary.files,
                    store.backend()
                );
                Ok(())
            }
            Err(StoreError::Backup(m)) => Err(Failure::Input(format!("{}: {m}", file.display()))),
            Err(e) => Err(e.into()),
        },
    )
}
