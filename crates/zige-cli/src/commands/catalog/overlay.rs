//! `zige catalog overlay`: print a draft's overlay, or replace it with
//! `--set FILE` (validated, kept in its history).

use std::path::PathBuf;

use clap::Args;
use zige_store::{Store, StoreError};
use zige_web::config::Config;

use super::{find_stored, parse_id, problems_text, stored_editions};
use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};
use crate::web::now_ms;

#[derive(Args)]
pub(crate) struct OverlayArgs {
    id: String,
    #[arg(long)]
    set: Option<PathBuf>,
    /// What the change is, for the history.
    #[arg(long, default_value = "")]
    note: String,
    #[command(flatten)]
    store: StoreArgs,
}

/// Prints the overlay, or replaces it and prints the problems left.
pub(crate) fn run(args: OverlayArgs) -> Out {
    let id = &args.id;
    parse_id(id)?;
    let edition = find_stored(stored_editions(&args.store)?, id)?;
    let Some(path) = &args.set else {
        print!("{}", edition.overlay);
        return Ok(());
    };
    let overlay = std::fs::read_to_string(path).map_err(|e| {
        Failure::Input(format!("invalid value '{}' for --set: {e}", path.display()))
    })?;
    let (_, problems) = zige_catalog::edition::rebuild(&edition.text, &overlay).map_err(|err| {
        Failure::Input(format!(
            "invalid value '{}' for --set: {err}",
            path.display()
        ))
    })?;
    with_store(&args.store, async |store: &Store, _: &Config| {
        match store
            .set_edition_overlay(id, &overlay, &args.note, None, now_ms())
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict) => Err(Failure::Input(format!(
                "edition '{id}' is {}: only drafts change; a correction is a new edition",
                edition.status
            ))),
            Err(err) => Err(err.into()),
        }
    })?;
    println!(
        "overlay of {id} replaced; {} problems left{}",
        problems.len(),
        if problems.is_empty() {
            String::new()
        } else {
            format!(":\n{}", problems_text(&problems))
        }
    );
    Ok(())
}
