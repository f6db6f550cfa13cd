//! A batch check of the largest file allowed: 10,000 people, as CSV and
//! as XLSX, read, decided and written back (the target: under 2 s).
//!
//! `cargo bench -p zige-batch`

use criterion::{criterion_group, criterion_main, Criterion};
use zige_batch::{check, Format, MOST_ROWS};
use zige_catalog::{default_catalog, Lang};
use zige_rules::Policy;

/// Ten thousand people over every entry, with every field filled.
fn people_csv() -> String {
    let catalog = default_catalog();
    let mut file = String::from(
        "person,entry,experience_years,age,nationality,education,beijing_employer,high_end_industry\n",
    );
    let nationalities = ["foreign", "chinese", "hmt"];
    let educations = ["doctorate", "master", "bachelor", "associate", "none"];
    for i in 0..MOST_ROWS {
        let entry = &catalog.entries[i % catalog.entries.len()];
        file.push_str(&format!(
            "Person {i},{},{},{},{},{},{},{}\n",
            entry.code,
            i % 20,
            22 + i % 50,
            nationalities[i % 3],
            educations[i % 5],
            i % 2 == 0,
            i % 7 == 0
        ));
    }
    file
}

fn people_xlsx(csv: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in csv.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn bench(c: &mut Criterion) {
    let csv = people_csv();
    let xlsx = people_xlsx(&csv);
    let (catalog, policy) = (default_catalog(), Policy::builtin());
    let mut group = c.benchmark_group("batch_10000_people");
    group.sample_size(10);
    group.bench_function("csv", |b| {
        b.iter(|| check(csv.as_bytes(), Format::Csv, catalog, policy, Lang::Zh).unwrap())
    });
    group.bench_function("xlsx", |b| {
        b.iter(|| check(&xlsx, Format::Xlsx, catalog, policy, Lang::En).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
