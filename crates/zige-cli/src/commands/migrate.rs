//! `zige migrate`: apply the database migrations (serve does this at
//! start-up too).

use zige_store::Store;
use zige_web::config::Config;

use crate::failure::Out;
use crate::store::{with_store, StoreArgs};

/// Migrates the store and prints the schema version it is at.
pub(crate) fn run(args: StoreArgs) -> Out {
    with_store(&args, async |store: &Store, _: &Config| {
        println!(
            "migrated {} database to schema version {}",
            store.backend(),
            store.schema_version().await?
        );
        Ok(())
    })
}
