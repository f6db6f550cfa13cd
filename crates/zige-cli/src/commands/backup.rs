//! `zige backup`: a consistent backup (database and evidence) written
//! while the server runs.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use zige_store::Store;
use zige_web::config::Config;

use crate::failure::{Failure, Out};
use crate::store::{blobs, with_store, StoreArgs};

#[derive(Args)]
pub(crate) struct BackupArgs {
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

/// Writes the backup to `--out` and prints what it holds.
pub(crate) fn run(args: BackupArgs) -> Out {
    let out = args.out;
    with_store(&args.store, async |store: &Store, config: &Config| {
        // Written beside the target and renamed into place: a failed backup
        // never leaves a truncated file under the name asked for.
        let partial = out.with_extension("partial");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&partial).map_err(|e| {
            Failure::Input(format!("invalid value '{}' for --out: {e}", out.display()))
        })?);
        let summary = store.backup(&blobs(config)?, &mut file).await?;
        file.flush()?;
        file.into_inner()
            .map_err(|e| anyhow::anyhow!(e.to_string()))?
            .sync_all()?;
        std::fs::rename(&partial, &out)?;
        println!(
            "backed up {} rows and {} evidence files to {}",
            summary.rows,
            summary.files,
            out.display()
        );
        Ok(())
    })
}
