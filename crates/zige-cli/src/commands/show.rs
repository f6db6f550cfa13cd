//! `zige show`: one entry, by stable id or list code (U1, G31), as text or
//! JSON.

use clap::Args;
use zige_catalog::{Catalog, Entry, Lang};

use crate::editions::{catalog_for, SourceArgs};
use crate::failure::{Failure, Out};
use crate::render::{entry, print_json};

#[derive(Args)]
pub(crate) struct ShowArgs {
    id: String,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    source: SourceArgs,
}

/// Prints the entry, or names the nearest ones when there is none.
pub(crate) fn run(args: ShowArgs, catalog_flag: Option<&str>, lang: Lang) -> Out {
    let catalog = catalog_for(catalog_flag, &args.source)?;
    let found = find(catalog, &args.id)?;
    if args.json {
        return print_json(found);
    }
    print!("{}", entry::render(catalog, found, lang));
    Ok(())
}

fn find<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Entry, Failure> {
    catalog.find(id).ok_or_else(|| {
        let near: Vec<String> = catalog.suggest(id).iter().map(|e| format!("{} ({})", e.code, e.name.en)).collect();
        Failure::Input(format!(
            "unknown entry '{}' for ID: allowed a stable id or a list code U1..U{} / G1..G{}; nearest: {}",
            id,
            catalog.entries_of("urgent").count(),
            catalog.entries_of("general").count(),
            near.join(", ")
        ))
    })
}
