//! `zige blobs sweep`: remove evidence files no record refers to.

use clap::Subcommand;
use zige_store::Store;
use zige_web::config::Config;

use crate::failure::{Failure, Out};
use crate::store::{blobs, with_store, StoreArgs};
use crate::web::now_ms;

#[derive(Subcommand)]
pub(crate) enum BlobsCommand {
    /// Remove evidence files no record refers to (deleted drafts') that are
    /// older than the grace period; prints what it found as JSON.
    Sweep {
        /// Seconds a file must be old to go [default: the configured blob_grace_secs, 3600].
        #[arg(long)]
        grace_secs: Option<u64>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Sweeps the evidence files and prints the sweep's report as JSON.
pub(crate) fn run(command: BlobsCommand) -> Out {
    let BlobsCommand::Sweep { grace_secs, store } = command;
    with_store(&store, async |store: &Store, config: &Config| {
        let grace = grace_secs.unwrap_or(config.blob_grace_secs);
        let report = store
            .sweep_blobs(
                &blobs(config)?,
                (grace as i64).saturating_mul(1000),
                now_ms(),
            )
            .await?;
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| Failure::Other(e.into()))?
        );
        Ok(())
    })
}
