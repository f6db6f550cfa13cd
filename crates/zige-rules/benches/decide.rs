//! Deciding typical profiles: target ≤ 5 µs median each.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use zige_rules::{decide, Policy, Profile};

const PROFILES: &[(&str, &str)] = &[
    (
        "uefa-a-licence-67",
        r#"{"entry":"G80","level":"UEFA A licence","age":67,"nationality":"foreign","education":"none","experience_years":30,"beijing_employer":true}"#,
    ),
    (
        "acm-dm-chinese",
        r#"{"entry":"U4","age":40,"nationality":"chinese","education":"bachelor","experience_years":9,"beijing_employer":true}"#,
    ),
    (
        "frm-1y",
        r#"{"entry":"G29","age":40,"nationality":"foreign","education":"bachelor","experience_years":1,"beijing_employer":true}"#,
    ),
    (
        "rad-grade-viii-free-text-usj-72",
        r#"{"entry":"G90","level":"Grade VIII","age":72,"nationality":"foreign","experience_years":0,"beijing_employer":true,"project":"universal-studios"}"#,
    ),
    ("cfa-entry-only", r#"{"entry":"G7"}"#),
];

fn bench(c: &mut Criterion) {
    let catalog = zige_catalog::default_catalog();
    let policy = Policy::builtin();
    for (name, json) in PROFILES {
        let profile = Profile::from_json(json).expect("valid profile");
        decide(catalog, policy, &profile).expect("decidable");
        c.bench_function(&format!("decide/{name}"), |b| {
            b.iter(|| decide(black_box(catalog), black_box(policy), black_box(&profile)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
