//! Finding qualifications in pasted text, scored on two passage sets of
//! CV-like texts in Chinese, English and both. Precision and recall are
//! over (passage, entry) pairs; `holds` is scored over the pairs found
//! and expected.
//!
//! - `text/passages.jsonl` (83 passages) was written before the finder
//!   existed and tuned on: precision and recall must stay at 0.95 or more.
//! - `text/holdout.jsonl` (40 passages) was written later by someone who
//!   had not seen the finder or the first set. Blind, it scored precision
//!   0.973, recall 0.818, holds 0.861; general fixes its misses pointed to
//!   followed, so it is no longer blind, and its floors guard what it
//!   reaches now.

use serde_json::Value;
use zige_catalog::{default_catalog, places};
use zige_search::Searcher;

struct Scores {
    precision: f64,
    recall: f64,
    holds: f64,
    problems: Vec<String>,
}

fn score(text: &str) -> Scores {
    let searcher = Searcher::new(default_catalog(), places());
    let (mut found, mut expected, mut right, mut holds_right) = (0.0, 0.0, 0.0, 0.0);
    let mut problems = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("each line is JSON");
        let id = case["id"].as_str().unwrap_or("?");
        let answer = searcher.find_in_text(case["text"].as_str().unwrap_or(""));
        let want: Vec<(&str, bool)> = case["expect"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| (e["entry"].as_str().unwrap_or(""), e["holds"] == true))
            .collect();
        found += answer.hits.len() as f64;
        expected += want.len() as f64;
        for h in &answer.hits {
            match want.iter().find(|(e, _)| *e == h.id) {
                Some((_, holds)) => {
                    right += 1.0;
                    if *holds == h.holds {
                        holds_right += 1.0;
                    } else {
                        problems.push(format!(
                            "{id}: {} holds {} ({:?})",
                            h.id, h.holds, h.passage
                        ));
                    }
                }
                None => problems.push(format!("{id}: extra {} ({:?})", h.id, h.passage)),
            }
        }
        for (e, _) in &want {
            if !answer.hits.iter().any(|h| h.id == *e) {
                problems.push(format!("{id}: missed {e}"));
            }
        }
    }
    Scores {
        precision: right / found.max(1.0),
        recall: right / expected.max(1.0),
        holds: holds_right / right.max(1.0),
        problems,
    }
}

fn report(set: &str, s: &Scores) {
    println!(
        "{set}: precision {:.3} recall {:.3} holds {:.3}",
        s.precision, s.recall, s.holds
    );
    for p in &s.problems {
        println!("  {p}");
    }
}

#[test]
fn passages_are_found_with_precision_and_recall_095() {
    let s = score(include_str!("text/passages.jsonl"));
    report("first set", &s);
    assert!(s.precision >= 0.95, "precision {:.3}", s.precision);
    assert!(s.recall >= 0.95, "recall {:.3}", s.recall);
    assert!(s.holds >= 0.9, "holds right {:.3}", s.holds);
}

#[test]
fn later_passages_are_found_with_precision_095_and_recall_085() {
    let s = score(include_str!("text/holdout.jsonl"));
    report("later set", &s);
    assert!(s.precision >= 0.95, "precision {:.3}", s.precision);
    assert!(s.recall >= 0.85, "recall {:.3}", s.recall);
    assert!(s.holds >= 0.85, "holds right {:.3}", s.holds);
}
