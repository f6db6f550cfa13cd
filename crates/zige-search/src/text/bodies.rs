//! Qualifications named by their awarding body and a word of their own:
//! "FIBA Level 2 Coach", "ABRSM Grade 8 Piano", "KNSB Speed Skating Coach
//! Level 4", "Royal Academy of Dance, Advanced 2 (vocational graded …)".
//! A body that awards one entry of the catalogue needs one of that entry's
//! words right beside it; a body that awards several needs every word
//! that tells its entry from the body's others.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use zige_catalog::{Catalog, Entry};

use super::dictionary::GENERIC_WORDS;
use super::pattern::{root, Pattern, Slot};
use crate::normalize::{is_stopword, normalize};

/// How near the body the entry's words must stand, in units.
pub(crate) const REACH: usize = 3;

/// An entry a body awards, with the words that must stand beside the body.
pub(crate) struct Awarded {
    pub entry: u16,
    /// Any one of them (the body's only entry) or all of them.
    pub words: Vec<Pattern>,
    pub all: bool,
}

/// Each body's name or abbreviation as a pattern, with what it awards.
pub(crate) fn bodies(catalog: &Catalog) -> Vec<(Pattern, Vec<Awarded>)> {
    let mut by_body: HashMap<Pattern, Vec<u16>> = HashMap::default();
    for (n, e) in catalog.entries.iter().enumerate() {
        for p in body_patterns(e) {
            let list = by_body.entry(p).or_default();
            if !list.contains(&(n as u16)) {
                list.push(n as u16);
            }
        }
    }
    let own: Vec<HashSet<String>> = catalog.entries.iter().map(own_words).collect();
    by_body
        .into_iter()
        .map(|(body, entries)| {
            let body_words: HashSet<String> = body.slots.iter().filter_map(word_root).collect();
            let awarded = entries
                .iter()
                .filter_map(|&n| awarded(n, &entries, &own, &body_words))
                .collect();
            (body, awarded)
        })
        .collect()
}

fn awarded(
    n: u16,
    siblings: &[u16],
    own: &[HashSet<String>],
    body_words: &HashSet<String>,
) -> Option<Awarded> {
    let mine = own[n as usize].iter().filter(|w| !body_words.contains(*w));
    let all = siblings.len() > 1;
    let mut words: Vec<String> = mine
        .filter(|w| {
            !all || siblings
                .iter()
                .all(|&s| s == n || !own[s as usize].contains(*w))
        })
        .cloned()
        .collect();
    words.sort();
    if words.is_empty() || (all && words.len() > 3) {
        return None;
    }
    Some(Awarded {
        entry: n,
        words: words
            .into_iter()
            .map(|w| Pattern {
                slots: vec![Slot::Root(vec![w])],
            })
            .collect(),
        all,
    })
}

/// The abbreviations and English names of an entry's issuers, and the
/// abbreviations inside its names that are not the qualification's own
/// (FIBA in "FIBA Basketball Coach Certificate").
fn body_patterns(e: &Entry) -> Vec<Pattern> {
    let own: Vec<String> = e.all_aliases().map(|a| a.to_lowercase()).collect();
    let inside = std::iter::once(&e.name.en)
        .chain(e.all_aliases())
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 2)
        .filter(|w| !own.contains(&w.to_lowercase()))
        .map(str::to_string);
    e.issuers
        .iter()
        .flat_map(|i| i.abbr.iter().chain([&i.name.en]).cloned())
        .chain(inside)
        .map(|t| Pattern::of(&t))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The roots of the words of an entry's English names, aliases and level
/// names, less generic words, stop words, numbers and single letters.
fn own_words(e: &Entry) -> HashSet<String> {
    let name = super::dictionary::base(&e.name.en);
    let mut texts: Vec<&str> = vec![&name];
    texts.extend(e.all_aliases().map(String::as_str));
    if let Some(l) = &e.levels {
        texts.extend(l.codes.iter().map(|c| c.label.en.as_str()));
    }
    texts
        .into_iter()
        .flat_map(|t| crate::index::words_of(&normalize(t)))
        .filter(|w| {
            w.chars().count() > 1
                && !w.chars().all(|c| c.is_ascii_digit())
                && !is_stopword(w)
                && !GENERIC_WORDS.contains(&w.as_str())
        })
        .map(|w| root(&w))
        .collect()
}

fn word_root(slot: &Slot) -> Option<String> {
    match slot {
        Slot::Word(w) => Some(root(w)),
        Slot::Capitals(w) => Some(root(&w.to_lowercase())),
        _ => None,
    }
}
