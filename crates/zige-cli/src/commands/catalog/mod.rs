//! `zige catalog`: the commands officials use on editions — import a new
//! official text as a draft, edit a draft's overlay, publish it from a
//! date, discard it, list editions — and what they share.

mod discard;
mod import;
mod list;
mod overlay;
mod publish;

use clap::Subcommand;
use zige_catalog::{CatalogId, Lang, Problem};
use zige_store::{Store, StoredEdition};
use zige_web::config::Config;

use crate::editions::SourceArgs;
use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};

#[derive(Subcommand)]
pub(crate) enum CatalogCommand {
    /// Store an official text as a draft edition; prints its validation and the diff against the edition in force.
    Import(import::ImportArgs),
    /// Print a draft's overlay, or replace it with --set FILE (validated, kept in its history).
    Overlay(overlay::OverlayArgs),
    /// Publish a draft, in force from --effective.
    Publish(publish::PublishArgs),
    /// Discard a draft.
    Discard(discard::DiscardArgs),
    /// Editions with their status and effective dates.
    List(list::ListArgs),
}

/// Runs one `zige catalog` command.
pub(crate) fn run(command: CatalogCommand, lang: Lang) -> Out {
    match command {
        CatalogCommand::Import(args) => import::run(args, lang),
        CatalogCommand::Overlay(args) => overlay::run(args),
        CatalogCommand::Publish(args) => publish::run(args),
        CatalogCommand::Discard(args) => discard::run(args),
        CatalogCommand::List(args) => list::run(args, lang),
    }
}

/// The built-in editions and those stored where `store` points (the
/// default data directory when it names none).
fn stored_args(store: &StoreArgs) -> SourceArgs {
    SourceArgs {
        data_dir: Some(
            store
                .data_dir
                .clone()
                .unwrap_or_else(|| zige_web::config::DEFAULT_DATA_DIR.into()),
        ),
        database_url: store.database_url.clone(),
        on: None,
    }
}

fn parse_id(id: &str) -> Result<CatalogId, Failure> {
    CatalogId::parse(id)
        .map_err(|e| Failure::Input(format!("invalid value '{id}' for the edition: {e}")))
}

/// One indented line per problem.
fn problems_text(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {}: {}", p.at, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every stored edition.
fn stored_editions(store: &StoreArgs) -> Result<Vec<StoredEdition>, Failure> {
    with_store(store, async |store: &Store, _: &Config| {
        Ok(store.editions().await?)
    })
}

/// The stored edition `id`, or rejected input naming it.
fn find_stored(editions: Vec<StoredEdition>, id: &str) -> Result<StoredEdition, Failure> {
    editions
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| Failure::Input(format!("unknown edition '{id}': see zige catalog list")))
}

/// A date given as `flag`, checked to be YYYY-MM-DD.
fn valid_date(value: &str, flag: &str) -> Result<(), Failure> {
    if zige_catalog::edition::valid_date(value) {
        Ok(())
    } else {
        Err(Failure::Input(format!(
            "invalid value '{value}' for {flag}: allowed a date as YYYY-MM-DD"
        )))
    }
}
