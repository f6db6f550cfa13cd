//! `zige search`: search an edition in Chinese or English.

use clap::Args;
use zige_catalog::Lang;
use zige_search::text::MAX_TEXT_CHARS;
use zige_search::Searcher;

use crate::editions::{catalog_for, SourceArgs};
use crate::failure::{Failure, Out};
use crate::filters::FilterArgs;
use crate::render::{print_json, search_answer, text_answer};

#[derive(Args)]
pub(crate) struct SearchArgs {
    /// The query (several words are joined; after `--` it may begin with a hyphen).
    #[arg(required_unless_present = "text", num_args = 1..)]
    query: Vec<String>,
    /// Find every qualification named in a text (a CV, a profile) read
    /// from FILE, or from standard input with `-`; at most 20,000 characters.
    #[arg(long, value_name = "FILE|-", conflicts_with = "query")]
    text: Option<String>,
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
    if let Some(source) = &args.text {
        let answer = searcher.find_in_text(&read_text(source)?);
        if args.json {
            return print_json(&answer);
        }
        print!("{}", text_answer::render(&answer, lang));
        return Ok(());
    }
    let result = searcher.search_page(&args.query.join(" "), &filters, args.offset, limit);
    if args.json {
        return print_json(&result);
    }
    print!("{}", search_answer::render(&result, lang));
    Ok(())
}

/// The text of `--text`: a file, or standard input for `-`; refused when
/// it is not UTF-8 or longer than the finder reads.
fn read_text(source: &str) -> Result<String, Failure> {
    let bytes = if source == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| Failure::Input(format!("--text -: cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(source)
            .map_err(|e| Failure::Input(format!("--text {source}: cannot read the file: {e}")))?
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        Failure::Input(format!(
            "--text {source}: not UTF-8 text (invalid byte at {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Failure::Input(format!(
            "--text {source}: {chars} characters; allowed at most {MAX_TEXT_CHARS}"
        )));
    }
    Ok(text)
}
