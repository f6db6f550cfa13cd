//! `zige demo seed`: synthetic applicants, applications and decisions over
//! the last two years, marked as demo data, so the officials' statistics
//! can be seen and measured. Refused where real applications exist, unless
//! forced.

use clap::Subcommand;
use zige_store::{DemoPlan, Store};
use zige_web::config::Config;

use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};

/// At most this many applications in one run.
const MAX_APPLICATIONS: u64 = 10_000_000;

#[derive(Subcommand)]
pub(crate) enum DemoCommand {
    /// Fill the database with demo applications spread over two years.
    Seed {
        /// How many applications (one applicant each), 1 to 10000000.
        #[arg(long)]
        applications: u64,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Seed even though the database holds real applications.
        #[arg(long)]
        force: bool,
        /// Print what was seeded as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub(crate) fn run(command: DemoCommand) -> Out {
    let DemoCommand::Seed {
        applications,
        seed,
        force,
        json,
        store,
    } = command;
    if !(1..=MAX_APPLICATIONS).contains(&applications) {
        return Err(Failure::Input(format!(
            "applications: '{applications}' is not allowed; allowed: a whole number from 1 to {MAX_APPLICATIONS}"
        )));
    }
    let catalog = zige_catalog::default_catalog();
    let plan = DemoPlan {
        applications,
        entries: popularity(catalog, seed),
        now: crate::web::now_ms(),
        seed,
        force,
    };
    with_store(&store, async |store: &Store, _: &Config| {
        let report = store.seed_demo(&plan).await?.map_err(|real| {
            Failure::Input(format!(
                "the database holds {} real applications: demo data would mix with them; add --force to seed anyway",
                real.0
            ))
        })?;
        if json {
            println!(
                "{}",
                serde_json::to_string(&report).map_err(anyhow::Error::from)?
            );
        } else {
            println!(
                "seeded {} demo applications ({} decided) by {} applicants, decided by {} demo reviewers",
                report.applications, report.decided, report.applicants, report.reviewers
            );
        }
        Ok(())
    })
}

/// The entries of `catalog` in an order of popularity that the seed picks.
fn popularity(catalog: &zige_catalog::Catalog, seed: u64) -> Vec<(String, String, String)> {
    let mut entries: Vec<(u64, (String, String, String))> = catalog
        .entries
        .iter()
        .map(|e| {
            let key = zige_cases::sha256_hex(format!("{seed}/{}", e.id).as_bytes());
            let rank = u64::from_str_radix(&key[..12], 16).unwrap_or(0);
            (
                rank,
                (catalog.id.to_string(), e.code.clone(), e.list.clone()),
            )
        })
        .collect();
    entries.sort();
    entries.into_iter().map(|(_, e)| e).collect()
}
