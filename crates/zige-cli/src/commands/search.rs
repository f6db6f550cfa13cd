//! `zige search`: search an edition in Chinese or English.

use clap::Args;
use zige_catalog::Lang;
use zige_search::Searcher;

use crate::editions::{catalog_for, SourceArgs};
use crate::failure::{Failure, Out};
use crate::filters::FilterArgs;
use crate::render::{print_json, search_answer};

#[derive(Args)]
pub(crate) struct SearchArgs {
    /// The query (several words are joined; after `--` it may begin with a hyphen).
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Hits to skip (the next page starts at the previous offset + limit).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    source: SourceArgs,
}

/// Prints the hits for the query (its words joined by spaces).
pub(crate) fn run(args: SearchArgs, catalog_flag: Option<&str>, lang: Lang) -> Out {
    let catalog = catalog_for(catalog_flag, &args.source)?;
    let filters = args.filters.parse()?;
    let limit = args.limit;
    if limit == 0 || limit > 200 {
        return Err(Failure::Input(format!(
            "invalid value '{limit}' for --limit: allowed 1..200"
        )));
    }
    let searcher = Searcher::new(catalog, zige_catalog::places());
    let result = searcher.search_page(&args.query.join(" "), &filters, args.offset, limit);
    if args.json {
        return print_json(&result);
    }
    print!("{}", search_answer::render(&result, lang));
    Ok(())
}
