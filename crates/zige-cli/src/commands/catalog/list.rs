//! `zige catalog list`: every edition with its status, effective date,
//! size and whether it is in force today.

use clap::Args;
use zige_catalog::Lang;

use super::stored_args;
use crate::editions::{all, in_force};
use crate::failure::Out;
use crate::render::by_language;
use crate::store::StoreArgs;
use crate::web::today;

#[derive(Args)]
pub(crate) struct ListArgs {
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

/// Prints the editions as JSON or as aligned lines.
pub(crate) fn run(args: ListArgs, lang: Lang) -> Out {
    let known = all(&stored_args(&args.store))?;
    let today = today();
    let rows: Vec<serde_json::Value> = known
        .iter()
        .map(|k| {
            let current = in_force(&known, &k.catalog.id.jurisdiction, &today).is_some_and(|f| std::ptr::eq(f, k));
            serde_json::json!({"id": k.catalog.id.to_string(), "status": k.status, "effective_from": k.effective_from, "entries": k.catalog.entries.len(), "in_force": current})
        })
        .collect();
    if args.json {
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
                by_language(lang, "现行", "in force")
            } else {
                ""
            }
        );
    }
    Ok(())
}
