//! `zige catalog import`: store an official text as a draft edition; print
//! its validation and the difference from the edition in force.

use std::path::{Path, PathBuf};

use clap::Args;
use zige_catalog::edition::Draft;
use zige_catalog::{parse_overlay, Catalog, CatalogId, Lang, Overlay, Problem};
use zige_store::{Store, StoreError};
use zige_web::config::Config;

use super::{parse_id, problems_text, stored_args, valid_date};
use crate::editions::{all, in_force, Known};
use crate::failure::{Failure, Out};
use crate::render::diff;
use crate::store::{with_store, StoreArgs};
use crate::web::{now_ms, today};

#[derive(Args)]
pub(crate) struct ImportArgs {
    file: PathBuf,
    #[arg(long)]
    jurisdiction: String,
    #[arg(long)]
    version: String,
    /// The publication date of the text [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    published: Option<String>,
    /// Overlay to use instead of the one carried over (TOML).
    #[arg(long)]
    overlay: Option<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
}

/// Reads the text, builds the draft over the edition in force, stores it
/// and prints what it found.
pub(crate) fn run(args: ImportArgs, lang: Lang) -> Out {
    let id = parse_id(&format!("{}/{}", args.jurisdiction, args.version))?;
    let published = args.published.clone().unwrap_or_else(today);
    valid_date(&published, "--published")?;
    let bytes = std::fs::read(&args.file).map_err(|e| {
        Failure::Input(format!(
            "invalid value '{}' for FILE: {e}",
            args.file.display()
        ))
    })?;
    let known = all(&stored_args(&args.store))?;
    let base = in_force(&known, &args.jurisdiction, &today());
    let draft = draft(&args, &bytes, &published, base)?;
    let (overlay_text, catalog, problems) = match &args.overlay {
        Some(path) => with_overlay_file(path, &bytes)?,
        None => (draft.overlay_toml.clone(), draft.catalog, draft.problems),
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    store_draft(&args, &id, &text, &overlay_text)?;
    report(&id, &catalog, &problems, base, &args.jurisdiction, lang);
    Ok(())
}

/// The draft of the text, carried over from `base` with its overlay (a
/// stored one, else the built-in overlay of the jurisdiction).
fn draft(
    args: &ImportArgs,
    bytes: &[u8],
    published: &str,
    base: Option<&Known>,
) -> Result<Draft, Failure> {
    let base_overlay: Option<Overlay> = base.and_then(|b| match &b.overlay {
        Some(t) => parse_overlay(t).ok(),
        None => zige_catalog::builtin_overlay(&args.jurisdiction).map(|o| o.0),
    });
    let file = args.file.display();
    zige_catalog::edition::draft(
        bytes,
        &args.jurisdiction,
        &args.version,
        published,
        base.zip(base_overlay.as_ref()).map(|(b, o)| (b.catalog, o)),
    )
    .map_err(|diags| {
        Failure::Input(format!(
            "{file} cannot be read; nothing was stored:\n{}",
            diags
                .iter()
                .map(|d| format!("{file}:{d}"))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    })
}

/// The text rebuilt with the overlay file given by `--overlay`.
fn with_overlay_file(
    path: &Path,
    bytes: &[u8],
) -> Result<(String, Catalog, Vec<Problem>), Failure> {
    let rejected = |e: &dyn std::fmt::Display| {
        Failure::Input(format!(
            "invalid value '{}' for --overlay: {e}",
            path.display()
        ))
    };
    let overlay = std::fs::read_to_string(path).map_err(|e| rejected(&e))?;
    let (catalog, problems) =
        zige_catalog::edition::rebuild(&String::from_utf8_lossy(bytes), &overlay)
            .map_err(|e| rejected(&e))?;
    Ok((overlay, catalog, problems))
}

fn store_draft(args: &ImportArgs, id: &CatalogId, text: &str, overlay: &str) -> Out {
    with_store(&args.store, async |store: &Store, _: &Config| {
        match store
            .import_edition(
                &id.to_string(),
                &args.jurisdiction,
                &args.version,
                text,
                overlay,
                None,
                now_ms(),
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::Duplicate(_)) => Err(Failure::Input(format!("invalid value '{id}' for the edition: it exists already (discard the draft first, or choose another --version)"))),
            Err(e) => Err(e.into()),
        }
    })
}

/// What was stored, its problems, and its difference from the edition in force.
fn report(
    id: &CatalogId,
    catalog: &Catalog,
    problems: &[Problem],
    base: Option<&Known>,
    jurisdiction: &str,
    lang: Lang,
) {
    println!("stored draft {id}: {} entries", catalog.entries.len());
    if problems.is_empty() {
        println!("validation: no problems");
    } else {
        println!("validation: {} problems to fix in the overlay before publishing (zige catalog overlay {id} --set FILE):\n{}", problems.len(), problems_text(problems));
    }
    match base {
        Some(b) => print!(
            "{}",
            diff::render(&zige_catalog::diff(b.catalog, catalog), lang)
        ),
        None => {
            println!("no edition of {jurisdiction} is in force today: everything is new")
        }
    }
}
