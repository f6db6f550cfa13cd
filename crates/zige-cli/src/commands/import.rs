//! `zige import`: validate an official text and print it as a structured
//! catalogue. Reading a text is shared with `zige diff`.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;
use zige_catalog::{Catalog, Entry, Lang, Problem};

use crate::failure::{Failure, Out};
use crate::render::{by_language, print_json};

#[derive(Args)]
pub(crate) struct ImportArgs {
    file: PathBuf,
    /// Jurisdiction whose overlay the text is read with.
    #[arg(long, default_value = "beijing")]
    jurisdiction: String,
    /// Version of the edition (default: read from the title).
    #[arg(long)]
    version: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Prints the catalogue read from the text (JSON), or a summary of it.
pub(crate) fn run(args: ImportArgs, lang: Lang) -> Out {
    let (catalog, problems) = load_text(&args.file, &args.jurisdiction, args.version.as_deref())?;
    if args.json {
        let entries: Vec<&Entry> = catalog.entries.iter().collect();
        let mut v = zige_export::catalog_json(&catalog, &entries);
        v["problems"] = json!(problems);
        return print_json(&v);
    }
    print_summary(&catalog, &problems, lang);
    Ok(())
}

fn print_summary(catalog: &Catalog, problems: &[Problem], lang: Lang) {
    match lang {
        Lang::Zh => println!(
            "{}：文本有效，{}个清单，共{}项。",
            catalog.title.zh,
            catalog.lists.len(),
            catalog.entries.len()
        ),
        Lang::En => println!(
            "{}: the text is valid: {} lists, {} entries.",
            catalog.title.en,
            catalog.lists.len(),
            catalog.entries.len()
        ),
    }
    for l in &catalog.lists {
        println!("  {} {}: {}", l.letter, l.name.get(lang), l.declared);
    }
    if !problems.is_empty() {
        println!(
            "{}",
            by_language(
                lang,
                "需要人工补充的对照信息：",
                "Overlay work left for a person:"
            )
        );
        for p in problems {
            println!("  {}: {}", p.at, p.message);
        }
    }
}

/// Reads an official text at `path`; every problem of it, by line, is
/// rejected input.
pub(crate) fn load_text(
    path: &Path,
    jurisdiction: &str,
    version: Option<&str>,
) -> Result<(Catalog, Vec<Problem>), Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("could not read '{}': {e}", path.display())))?;
    zige_catalog::import_text(&bytes, jurisdiction, version, None).map_err(|diags| {
        let lines: Vec<String> = diags
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{}: {} [{}] «{}»",
                    path.display(),
                    d.line,
                    d.column,
                    d.message.en,
                    d.code,
                    d.text
                )
            })
            .collect();
        Failure::Input(format!(
            "{} problem(s) in the text:\n{}",
            diags.len(),
            lines.join("\n")
        ))
    })
}
