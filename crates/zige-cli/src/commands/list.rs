//! `zige list`: the entries of an edition, optionally filtered, as a table
//! or JSON.

use clap::Args;
use zige_catalog::{Entry, Lang};

use crate::editions::{catalog_for, SourceArgs};
use crate::failure::Out;
use crate::filters::FilterArgs;
use crate::render::{entry_table, print_json};

#[derive(Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    source: SourceArgs,
}

/// Prints the entries the filters accept.
pub(crate) fn run(args: ListArgs, catalog_flag: Option<&str>, lang: Lang) -> Out {
    let catalog = catalog_for(catalog_flag, &args.source)?;
    let filters = args.filters.parse()?;
    let entries: Vec<&Entry> = catalog
        .entries
        .iter()
        .filter(|e| filters.accepts(catalog, e))
        .collect();
    if args.json {
        return print_json(&zige_export::catalog_json(catalog, &entries));
    }
    print!("{}", entry_table::render(catalog, &entries, lang));
    Ok(())
}
