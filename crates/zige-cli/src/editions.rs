//! Editions for the command line: the built-in ones plus those stored in a
//! data directory or database, and which edition a reading command answers
//! from (`--catalog`, `--on`, else the one in force today).

use std::path::PathBuf;

use clap::Args;
use zige_catalog::{Catalog, CatalogId};
use zige_store::{Store, StoredEdition};
use zige_web::config::Config;

use crate::failure::Failure;
use crate::store::{with_store, StoreArgs};
use crate::web::today;

/// Where the editions come from and which day counts.
#[derive(Args, Clone, Default)]
pub(crate) struct SourceArgs {
    /// Also read the editions stored in this data directory (as `zige serve` does).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Also read the editions stored in this PostgreSQL database.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Answer from the edition in force on this day (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<String>,
}

/// One edition known to the command line.
pub(crate) struct Known {
    pub catalog: &'static Catalog,
    /// `built-in`, `published`, `draft` or `discarded`.
    pub status: String,
    pub effective_from: Option<String>,
    pub overlay: Option<String>,
}

fn builtin() -> Vec<Known> {
    zige_catalog::builtin()
        .iter()
        .map(|c| Known {
            catalog: c,
            status: "built-in".into(),
            effective_from: Some(c.published.clone()),
            overlay: None,
        })
        .collect()
}

fn stored(editions: Vec<StoredEdition>) -> Vec<Known> {
    editions
        .into_iter()
        .filter_map(|e| {
            let (catalog, _) = zige_catalog::edition::rebuild(&e.text, &e.overlay).ok()?;
            Some(Known {
                catalog: Box::leak(Box::new(catalog)),
                status: e.status,
                effective_from: e.effective_from,
                overlay: Some(e.overlay),
            })
        })
        .collect()
}

/// Every edition: built-in, then stored (when a source is named).
pub(crate) fn all(source: &SourceArgs) -> Result<Vec<Known>, Failure> {
    let mut out = builtin();
    if source.data_dir.is_some() || source.database_url.is_some() {
        let args = StoreArgs {
            data_dir: source.data_dir.clone(),
            database_url: source.database_url.clone(),
            ..StoreArgs::default()
        };
        let list = with_store(&args, async |store: &Store, _: &Config| {
            Ok(store.editions().await?)
        })?;
        out.extend(stored(list));
    }
    Ok(out)
}

/// The edition of `jurisdiction` in force on `on` among `known`.
pub(crate) fn in_force<'a>(known: &'a [Known], jurisdiction: &str, on: &str) -> Option<&'a Known> {
    let live = known
        .iter()
        .filter(|k| k.status == "built-in" || k.status == "published");
    let id = zige_catalog::edition::in_force(
        live.filter_map(|k| Some((&k.catalog.id, k.effective_from.as_deref()?))),
        jurisdiction,
        on,
    )?
    .clone();
    known.iter().find(|k| k.catalog.id == id)
}

/// The catalogue a reading command answers from: `--catalog` (any stored
/// edition, drafts included), else the one in force on `--on` or today.
pub(crate) fn catalog_for(
    flag: Option<&str>,
    source: &SourceArgs,
) -> Result<&'static Catalog, Failure> {
    if let Some(on) = &source.on {
        if !zige_catalog::edition::valid_date(on) {
            return Err(Failure::Input(format!(
                "invalid value '{on}' for --on: allowed a date as YYYY-MM-DD"
            )));
        }
    }
    let known = all(source)?;
    let names = || {
        known
            .iter()
            .map(|k| format!("{} ({})", k.catalog.id, k.status))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(s) = flag {
        let id = CatalogId::parse(s).map_err(Failure::Input)?;
        return known
            .iter()
            .find(|k| k.catalog.id == id)
            .map(|k| k.catalog)
            .ok_or_else(|| {
                Failure::Input(format!(
                    "unknown catalog '{s}' for --catalog: allowed {}",
                    names()
                ))
            });
    }
    let on = source.on.clone().unwrap_or_else(today);
    let jurisdiction = &zige_catalog::default_catalog().id.jurisdiction;
    in_force(&known, jurisdiction, &on)
        .map(|k| k.catalog)
        .ok_or_else(|| Failure::Input(format!("invalid value '{on}' for --on: no edition of {jurisdiction} is in force that day; editions: {}", names())))
}
