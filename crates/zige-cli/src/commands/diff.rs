//! `zige diff`: compare two editions, each a file of official text or a
//! built-in version such as beijing/3.0.

use clap::Args;
use zige_catalog::{Catalog, Lang};

use super::import::load_text;
use crate::failure::{Failure, Out};
use crate::render::{diff, print_json};

#[derive(Args)]
pub(crate) struct DiffArgs {
    #[arg(value_name = "A")]
    old: String,
    #[arg(value_name = "B")]
    new: String,
    #[arg(long)]
    json: bool,
}

/// Prints what changed from the first edition to the second.
pub(crate) fn run(args: DiffArgs, lang: Lang) -> Out {
    let (old, new) = (load_any(&args.old)?, load_any(&args.new)?);
    let difference = zige_catalog::diff(&old, &new);
    if args.json {
        return print_json(&difference);
    }
    print!("{}", diff::render(&difference, lang));
    Ok(())
}

/// A file of official text when one exists at `spec`, else a built-in edition.
fn load_any(spec: &str) -> Result<Catalog, Failure> {
    let path = std::path::Path::new(spec);
    if path.exists() {
        return Ok(load_text(path, "beijing", None)?.0);
    }
    if spec.contains('/') && !spec.contains(std::path::MAIN_SEPARATOR)
        || zige_catalog::CatalogId::parse(spec).is_ok()
    {
        return builtin(spec).cloned();
    }
    Err(Failure::Input(format!(
        "'{spec}' is neither a readable file nor a known catalog such as beijing/3.0"
    )))
}

/// The built-in edition named `spec`, such as beijing/3.0.
fn builtin(spec: &str) -> Result<&'static Catalog, Failure> {
    let builtin = zige_catalog::builtin();
    let id = zige_catalog::CatalogId::parse(spec).map_err(Failure::Input)?;
    builtin.iter().find(|c| c.id == id).ok_or_else(|| {
        let known: Vec<String> = builtin.iter().map(|c| c.id.to_string()).collect();
        Failure::Input(format!(
            "unknown catalog '{spec}' for --catalog: allowed {}",
            known.join(", ")
        ))
    })
}
