//! How long the statistics take on a database filled by `zige demo seed`:
//! reading the counted cells, the officials' report and the public
//! figures, each repeated, median and worst printed.
//!
//! `cargo run --release -p zige-web --example statistics_timing -- DATABASE [RUNS]`
//! where DATABASE is a data directory (SQLite) or a postgres:// URL.

use std::time::Instant;

use zige_cases::statistics::{public::public, report::report, Query};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let database = args.next().expect("a data directory or a postgres:// URL");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let url = database
        .starts_with("postgres")
        .then_some(database.as_str());
    let store = zige_store::Store::open(std::path::Path::new(&database), url)
        .await
        .expect("open");
    store.migrate().await.expect("migrate");
    let catalog = zige_catalog::default_catalog();
    let catalogs = [catalog];
    let mut read = Vec::new();
    let mut officials = Vec::new();
    let mut everyone = Vec::new();
    let mut cells_seen = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let cells = store
            .statistics_cells(zige_web::cases::now_ms())
            .await
            .expect("cells");
        read.push(t.elapsed().as_secs_f64() * 1000.0);
        cells_seen =
            cells.cases.len() + cells.decisions.len() + cells.reviewers.len() + cells.open.len();
        let t = Instant::now();
        let r = report(&cells, &catalogs, &Query::default());
        officials.push(t.elapsed().as_secs_f64() * 1000.0 + read.last().unwrap());
        std::hint::black_box(r);
        let t = Instant::now();
        std::hint::black_box(public(&cells, catalog, &catalogs));
        everyone.push(t.elapsed().as_secs_f64() * 1000.0 + read.last().unwrap());
    }
    println!(
        "backend {}  rows read per request {cells_seen}  runs {runs}",
        store.backend()
    );
    for (name, mut times) in [
        ("read cells", read),
        ("officials' report", officials),
        ("public figures", everyone),
    ] {
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<18} median {:>7.1} ms   worst {:>7.1} ms   target 300 ms",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
}
