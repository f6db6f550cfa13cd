//! `zige catalog publish`: publish a draft, in force from `--effective`.

use clap::Args;
use zige_store::Store;
use zige_web::config::Config;

use super::{find_stored, parse_id, problems_text, stored_editions, valid_date};
use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};
use crate::web::{now_ms, today};

#[derive(Args)]
pub(crate) struct PublishArgs {
    id: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    effective: String,
    #[command(flatten)]
    store: StoreArgs,
}

/// Publishes a draft without problems and says from when it answers.
pub(crate) fn run(args: PublishArgs) -> Out {
    let (id, effective) = (&args.id, &args.effective);
    parse_id(id)?;
    valid_date(effective, "--effective")?;
    let edition = find_stored(stored_editions(&args.store)?, id)?;
    if edition.status != "draft" {
        return Err(Failure::Input(format!(
            "edition '{id}' is {}: only drafts can be published",
            edition.status
        )));
    }
    let (_, problems) = zige_catalog::edition::rebuild(&edition.text, &edition.overlay)
        .map_err(|err| anyhow::anyhow!(err))?;
    if !problems.is_empty() {
        return Err(Failure::Input(format!("edition '{id}' still has {} problems; fix its overlay first (zige catalog overlay {id} --set FILE):\n{}", problems.len(), problems_text(&problems))));
    }
    with_store(&args.store, async |store: &Store, _: &Config| {
        Ok(store.publish_edition(id, effective, None, now_ms()).await?)
    })?;
    let when = if effective.as_str() > today().as_str() {
        "until then the edition in force before it still answers"
    } else {
        "it is in force now"
    };
    println!("published {id}, in force from {effective}; {when}");
    Ok(())
}
