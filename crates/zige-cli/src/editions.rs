//! Editions for the command line: the built-in one plus those stored in a
//! data directory or database, which edition a command answers from
//! (`--catalog`, `--on`, else the one in force today), and the
//! `zige catalog` commands officials use to import, publish and discard.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use zige_catalog::{parse_overlay, Overlay};
use zige_catalog::{Catalog, CatalogId, Lang};
use zige_store::{Store, StoreError, StoredEdition};
use zige_web::config::Config;

use crate::ops::{with_store, StoreArgs};
use crate::{Failure, Out};

/// Where the editions come from and which day counts.
#[derive(Args, Clone, Default)]
pub struct SourceArgs {
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
pub struct Known {
    pub catalog: &'static Catalog,
    /// `built-in`, `published`, `draft` or `discarded`.
    pub status: String,
    pub effective_from: Option<String>,
    pub overlay: Option<String>,
}

pub fn today() -> String {
    zige_web::state::today()
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
pub fn all(src: &SourceArgs) -> Result<Vec<Known>, Failure> {
    let mut out = builtin();
    if src.data_dir.is_some() || src.database_url.is_some() {
        let args = StoreArgs {
            data_dir: src.data_dir.clone(),
            database_url: src.database_url.clone(),
            ..StoreArgs::default()
        };
        let list = with_store(&args, async |s: &Store, _: &Config| {
            Ok(s.editions().await?)
        })?;
        out.extend(stored(list));
    }
    Ok(out)
}

/// The edition of `jurisdiction` in force on `on` among `known`.
pub fn in_force<'a>(known: &'a [Known], jurisdiction: &str, on: &str) -> Option<&'a Known> {
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
pub fn pick(flag: Option<&str>, src: &SourceArgs) -> Result<&'static Catalog, Failure> {
    if let Some(on) = &src.on {
        if !zige_catalog::edition::valid_date(on) {
            return Err(Failure::Input(format!(
                "invalid value '{on}' for --on: allowed a date as YYYY-MM-DD"
            )));
        }
    }
    let known = all(src)?;
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
    let on = src.on.clone().unwrap_or_else(today);
    let jurisdiction = &zige_catalog::default_catalog().id.jurisdiction;
    in_force(&known, jurisdiction, &on)
        .map(|k| k.catalog)
        .ok_or_else(|| Failure::Input(format!("invalid value '{on}' for --on: no edition of {jurisdiction} is in force that day; editions: {}", names())))
}

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Store an official text as a draft edition; prints its validation and the diff against the edition in force.
    Import {
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
    },
    /// Print a draft's overlay, or replace it with --set FILE (validated, kept in its history).
    Overlay {
        id: String,
        #[arg(long)]
        set: Option<PathBuf>,
        /// What the change is, for the history.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Publish a draft, in force from --effective.
    Publish {
        id: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        effective: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Discard a draft.
    Discard {
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Editions with their status and effective dates.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn stored_args(a: &StoreArgs) -> SourceArgs {
    SourceArgs {
        data_dir: Some(
            a.data_dir
                .clone()
                .unwrap_or_else(|| zige_web::config::DEFAULT_DATA_DIR.into()),
        ),
        database_url: a.database_url.clone(),
        on: None,
    }
}

fn parse_id(id: &str) -> Result<CatalogId, Failure> {
    CatalogId::parse(id)
        .map_err(|e| Failure::Input(format!("invalid value '{id}' for the edition: {e}")))
}

fn problems_text(problems: &[zige_catalog::Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {}: {}", p.at, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run(cmd: CatalogCommand, lang: Lang) -> Out {
    match cmd {
        CatalogCommand::Import {
            file,
            jurisdiction,
            version,
            published,
            overlay,
            store,
        } => {
            let id = parse_id(&format!("{jurisdiction}/{version}"))?;
            let published = published.unwrap_or_else(today);
            if !zige_catalog::edition::valid_date(&published) {
                return Err(Failure::Input(format!(
                    "invalid value '{published}' for --published: allowed a date as YYYY-MM-DD"
                )));
            }
            let bytes = std::fs::read(&file).map_err(|e| {
                Failure::Input(format!("invalid value '{}' for FILE: {e}", file.display()))
            })?;
            let known = all(&stored_args(&store))?;
            let base = in_force(&known, &jurisdiction, &today());
            let base_overlay: Option<Overlay> = base.and_then(|b| match &b.overlay {
                Some(t) => parse_overlay(t).ok(),
                None => zige_catalog::builtin_overlay(&jurisdiction).map(|o| o.0),
            });
            let draft = zige_catalog::edition::draft(
                &bytes,
                &jurisdiction,
                &version,
                &published,
                base.zip(base_overlay.as_ref()).map(|(b, o)| (b.catalog, o)),
            )
            .map_err(|diags| {
                Failure::Input(format!(
                    "{} cannot be read; nothing was stored:\n{}",
                    file.display(),
                    diags
                        .iter()
                        .map(|d| format!("{}:{d}", file.display()))
                        .collect::<Vec<_>>()
                        .join("\n")
                ))
            })?;
            let (overlay_text, catalog, problems) = match overlay {
                Some(p) => {
                    let t = std::fs::read_to_string(&p).map_err(|e| {
                        Failure::Input(format!(
                            "invalid value '{}' for --overlay: {e}",
                            p.display()
                        ))
                    })?;
                    let (c, pr) =
                        zige_catalog::edition::rebuild(&String::from_utf8_lossy(&bytes), &t)
                            .map_err(|e| {
                                Failure::Input(format!(
                                    "invalid value '{}' for --overlay: {e}",
                                    p.display()
                                ))
                            })?;
                    (t, c, pr)
                }
                None => (draft.overlay_toml.clone(), draft.catalog, draft.problems),
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            with_store(&store, async |s: &Store, _: &Config| {
                match s.import_edition(&id.to_string(), &jurisdiction, &version, &text, &overlay_text, None, zige_web::auth::now_ms()).await {
                Ok(_) => Ok(()),
                Err(StoreError::Duplicate(_)) => Err(Failure::Input(format!("invalid value '{id}' for the edition: it exists already (discard the draft first, or choose another --version)"))),
                Err(e) => Err(e.into()),
            }
            })?;
            println!("stored draft {id}: {} entries", catalog.entries.len());
            if problems.is_empty() {
                println!("validation: no problems");
            } else {
                println!("validation: {} problems to fix in the overlay before publishing (zige catalog overlay {id} --set FILE):\n{}", problems.len(), problems_text(&problems));
            }
            match base {
                Some(b) => print!(
                    "{}",
                    crate::render_diff(&zige_catalog::diff(b.catalog, &catalog), lang)
                ),
                None => {
                    println!("no edition of {jurisdiction} is in force today: everything is new")
                }
            }
            Ok(())
        }
        CatalogCommand::Overlay {
            id,
            set,
            note,
            store,
        } => {
            parse_id(&id)?;
            let list = with_store(&store, async |s: &Store, _: &Config| {
                Ok(s.editions().await?)
            })?;
            let e = list.into_iter().find(|e| e.id == id).ok_or_else(|| {
                Failure::Input(format!("unknown edition '{id}': see zige catalog list"))
            })?;
            let Some(path) = set else {
                print!("{}", e.overlay);
                return Ok(());
            };
            let t = std::fs::read_to_string(&path).map_err(|e| {
                Failure::Input(format!("invalid value '{}' for --set: {e}", path.display()))
            })?;
            let (_, problems) = zige_catalog::edition::rebuild(&e.text, &t).map_err(|err| {
                Failure::Input(format!(
                    "invalid value '{}' for --set: {err}",
                    path.display()
                ))
            })?;
            with_store(&store, async |s: &Store, _: &Config| {
                match s
                    .set_edition_overlay(&id, &t, &note, None, zige_web::auth::now_ms())
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(StoreError::Conflict) => Err(Failure::Input(format!(
                        "edition '{id}' is {}: only drafts change; a correction is a new edition",
                        e.status
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
        CatalogCommand::Publish {
            id,
            effective,
            store,
        } => {
            parse_id(&id)?;
            if !zige_catalog::edition::valid_date(&effective) {
                return Err(Failure::Input(format!(
                    "invalid value '{effective}' for --effective: allowed a date as YYYY-MM-DD"
                )));
            }
            let list = with_store(&store, async |s: &Store, _: &Config| {
                Ok(s.editions().await?)
            })?;
            let e = list.iter().find(|e| e.id == id).ok_or_else(|| {
                Failure::Input(format!("unknown edition '{id}': see zige catalog list"))
            })?;
            if e.status != "draft" {
                return Err(Failure::Input(format!(
                    "edition '{id}' is {}: only drafts can be published",
                    e.status
                )));
            }
            let (_, problems) = zige_catalog::edition::rebuild(&e.text, &e.overlay)
                .map_err(|err| anyhow::anyhow!(err))?;
            if !problems.is_empty() {
                return Err(Failure::Input(format!("edition '{id}' still has {} problems; fix its overlay first (zige catalog overlay {id} --set FILE):\n{}", problems.len(), problems_text(&problems))));
            }
            with_store(&store, async |s: &Store, _: &Config| {
                Ok(
                    s.publish_edition(&id, &effective, None, zige_web::auth::now_ms())
                        .await?,
                )
            })?;
            let when = if effective.as_str() > today().as_str() {
                "until then the edition in force before it still answers"
            } else {
                "it is in force now"
            };
            println!("published {id}, in force from {effective}; {when}");
            Ok(())
        }
        CatalogCommand::Discard { id, store } => {
            parse_id(&id)?;
            with_store(&store, async |s: &Store, _: &Config| {
                match s.discard_edition(&id, None, zige_web::auth::now_ms()).await {
                    Ok(()) => Ok(()),
                    Err(StoreError::NotFound) => Err(Failure::Input(format!(
                        "unknown edition '{id}': see zige catalog list"
                    ))),
                    Err(StoreError::Conflict) => Err(Failure::Input(format!(
                        "edition '{id}' is not a draft: published editions stay"
                    ))),
                    Err(e) => Err(e.into()),
                }
            })?;
            println!("discarded draft {id}");
            Ok(())
        }
        CatalogCommand::List { json, store } => {
            let known = all(&stored_args(&store))?;
            let today = today();
            let rows: Vec<serde_json::Value> = known
                .iter()
                .map(|k| {
                    let current = in_force(&known, &k.catalog.id.jurisdiction, &today).is_some_and(|f| std::ptr::eq(f, k));
                    serde_json::json!({"id": k.catalog.id.to_string(), "status": k.status, "effective_from": k.effective_from, "entries": k.catalog.entries.len(), "in_force": current})
                })
                .collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            for r in rows {
                println!(
                    "{:<16} {:<10} {:<11} {:>4} {}",
                    r["id"].as_str().unwrap_or(""),
                    r["status"].as_str().unwrap_or(""),
                    r["effective_from"].as_str().unwrap_or("-"),
                    r["entries"],
                    if r["in_force"] == true {
                        crate::pick(lang, "现行", "in force")
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
    }
}
