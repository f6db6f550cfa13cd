//! `zige catalog discard`: discard a draft; published editions stay.

use clap::Args;
use zige_store::{Store, StoreError};
use zige_web::config::Config;

use super::parse_id;
use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};
use crate::web::now_ms;

#[derive(Args)]
pub(crate) struct DiscardArgs {
    id: String,
    #[command(flatten)]
    store: StoreArgs,
}

/// Marks the draft discarded.
pub(crate) fn run(args: DiscardArgs) -> Out {
    let id = &args.id;
    parse_id(id)?;
    with_store(&args.store, async |store: &Store, _: &Config| {
        match store.discard_edition(id, None, now_ms()).await {
            Ok(()) => Ok(()),
            Err(StoreError::NotFound) => Err(Failure::Input(format!(
                "unknown edition '{id}': see zige catalog list"
            ))),
            Err(StoreError::Conflict) => Err(Failure::Input(format!(
                "edition '{id}' is not a draft: published editions stay"
            ))),
            Err(e) => Err(e.into()),
        }
    })?;
    println!("discarded draft {id}");
    Ok(())
}
