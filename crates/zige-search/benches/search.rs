//! Search speed over the shared dev queries (or the team's own set when the
//! shared one is absent): per-query latency (median and 99th percentile
//! printed), index build, and a naive scan over the same data beside it so
//! the ratio shows.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::time::{Duration, Instant};
use zige_catalog::{default_catalog, places, Catalog};
use zige_search::{Filters, Searcher};

fn queries() -> Vec<String> {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/search-dev.tsv"
    );
    let own = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/queries.tsv");
    let text = std::fs::read_to_string(shared)
        .or_else(|_| std::fs::read_to_string(own))
        .expect("a query set");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// The queries of the HTTP load test (`load/search.lua`), so its search
/// work can be measured alone.
fn load_mix() -> Vec<String> {
    let lua = include_str!("../../../load/search.lua");
    let start = lua.find("local queries = {").expect("a query list");
    let list = &lua[start..start + lua[start..].find("\n}").expect("its end")];
    list.lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .flat_map(|l| l.split('"').skip(1).step_by(2))
        .map(str::to_string)
        .collect()
}

/// The naive baseline: lower-cased substring tests of each query word
/// against each entry's concatenated texts.
fn naive(catalog: &Catalog, q: &str) -> Vec<usize> {
    let words: Vec<String> = q
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut scored: Vec<(usize, usize)> = catalog
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let hay = format!(
                "{} {} {} {} {} {}",
                e.name.zh,
                e.name.en,
                e.aliases.join(" "),
                e.issuer_text,
                e.scope.en,
                e.remark.zh
            )
            .to_lowercase();
            (i, words.iter().filter(|w| hay.contains(w.as_str())).count())
        })
        .filter(|x| x.1 > 0)
        .collect();
    scored.sort_by_key(|x| std::cmp::Reverse(x.1));
    scored.into_iter().take(10).map(|x| x.0).collect()
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99), *v.last().unwrap())
}

fn per_query_report(searcher: &Searcher, qs: &[String]) {
    // Median of 200 runs of each query, then the distribution across queries.
    let per_query: Vec<(Duration, &String)> = qs
        .iter()
        .map(|q| {
            let mut runs: Vec<Duration> = (0..200)
                .map(|_| {
                    let t = Instant::now();
                    black_box(searcher.search(black_box(q), &Filters::default(), 10));
                    t.elapsed()
                })
                .collect();
            runs.sort();
            (runs[runs.len() / 2], q)
        })
        .collect();
    let mut slowest = per_query.clone();
    slowest.sort();
    let slow: Vec<String> = slowest
        .iter()
        .rev()
        .take(5)
        .map(|(d, q)| format!("{q:?} {d:?}"))
        .collect();
    println!("slowest: {}", slow.join(", "));
    let (p50, p99, max) = percentiles(per_query.into_iter().map(|x| x.0).collect());
    println!(
        "per-query latency over {} queries: median {:?}, p99 {:?}, max {:?}",
        qs.len(),
        p50,
        p99,
        max
    );
    let builds: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            black_box(Searcher::new(default_catalog(), places()));
            t.elapsed()
        })
        .collect();
    let (b50, _, bmax) = percentiles(builds);
    println!("index build: median {b50:?}, max {bmax:?}");
}

fn bench(c: &mut Criterion) {
    let catalog = default_catalog();
    let searcher = Searcher::new(catalog, places());
    let qs = queries();
    per_query_report(&searcher, &qs);
    let mut g = c.benchmark_group("search");
    g.bench_function("zige/all-dev-queries", |b| {
        b.iter(|| {
            for q in &qs {
                black_box(searcher.search(q, &Filters::default(), 10));
            }
        })
    });
    let mix = load_mix();
    g.bench_function(format!("zige/load-mix-{}-queries", mix.len()), |b| {
        b.iter(|| {
            for q in &mix {
                black_box(searcher.search(q, &Filters::default(), 10));
            }
        })
    });
    g.bench_function("zige/load-mix-as-json", |b| {
        b.iter(|| {
            for q in &mix {
                let result = searcher.search(q, &Filters::default(), 10);
                let mut json = Vec::new();
                searcher.write_json(&result, &mut json).expect("JSON");
                black_box(json);
            }
        })
    });
    g.bench_function("naive-scan/all-dev-queries", |b| {
        b.iter(|| {
            for q in &qs {
                black_box(naive(catalog, q));
            }
        })
    });
    g.finish();
    let cv = twenty_thousand_characters();
    c.bench_function("text/find-in-20000-characters", |b| {
        b.iter(|| black_box(searcher.find_in_text(&cv)))
    });
    c.bench_function("index/build", |b| {
        b.iter(|| black_box(Searcher::new(catalog, places())))
    });
}

/// The team's passages (Chinese, English, both) repeated to 20,000
/// characters: the longest text the finder reads.
fn twenty_thousand_characters() -> String {
    let passages: Vec<String> = include_str!("../tests/text/passages.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let mut cv = String::new();
    for p in passages.iter().cycle() {
        if cv.chars().count() + p.chars().count() + 2 > 20_000 {
            break;
        }
        cv.push_str(p);
        cv.push_str("\n\n");
    }
    cv
}

criterion_group!(benches, bench);
criterion_main!(benches);
