//! `zige audit verify`: check the audit log's hash chain.

use clap::Subcommand;
use zige_store::{Store, StoreError};
use zige_web::config::Config;

use crate::failure::Out;
use crate::store::{with_store, StoreArgs};

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check the audit log's hash chain from the first record to the last.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Prints how many records are chained, or fails naming the broken link.
pub(crate) fn run(command: AuditCommand) -> Out {
    let AuditCommand::Verify { store } = command;
    with_store(&store, async |store: &Store, _: &Config| {
        match store.verify_audit().await {
            Ok(n) => {
                println!("audit log intact: {n} records, each chained to the one before");
                Ok(())
            }
            Err(StoreError::Chain(e)) => Err(anyhow::anyhow!("audit log broken: {e}").into()),
            Err(e) => Err(e.into()),
        }
    })
}
