//! Inputs a decision rejects, explained: an unknown entry (with the
//! entries the text most likely meant) and an unknown level.

use zige_catalog::text::norm_key;
use zige_catalog::{split_code, Catalog, Entry, Levels};

use crate::level::{all_codes, LevelMiss};
use crate::profile::InputError;

pub(super) fn unknown_level(levels: &Levels, text: &str, miss: LevelMiss) -> InputError {
    let allowed = all_codes(levels).collect::<Vec<_>>().join(", ");
    let mut e = InputError::new("level", text, allowed);
    if let LevelMiss::Ambiguous(codes) = miss {
        e.suggestions = codes;
    }
    e
}

pub(super) fn unknown_entry(catalog: &Catalog, reference: &str) -> InputError {
    let ranges: Vec<String> = catalog
        .lists
        .iter()
        .filter_map(|l| {
            catalog
                .entries_of(&l.key)
                .map(|e| e.seq)
                .max()
                .map(|max| format!("{}1..{}{}", l.letter, l.letter, max))
        })
        .collect();
    let mut e = InputError::new("entry", reference, ranges.join(", "));
    // Entries the text names (an alias, an issuer's abbreviation, a part of
    // the name) come first; then the catalogue's nearest codes and ids.
    let key = norm_key(reference);
    let mut picks: Vec<&Entry> = Vec::new();
    if key.chars().count() >= 2 && split_code(reference.trim()).is_none() {
        let named = |e: &Entry| {
            e.all_aliases().any(|a| norm_key(a) == key)
                || e.issuers
                    .iter()
                    .any(|i| i.abbr.as_deref().is_some_and(|a| norm_key(a) == key))
                || norm_key(&e.name.en).contains(&key)
                || norm_key(&e.name.zh).contains(&key)
        };
        picks.extend(catalog.entries.iter().filter(|e| named(e)).take(3));
    }
    for x in catalog.suggest(reference) {
        if picks.len() < 3 && !picks.iter().any(|p| p.code == x.code) {
            picks.push(x);
        }
    }
    e.suggestions = picks
        .into_iter()
        .map(|x| format!("{} {}", x.code, shorten(&x.name.en, 32)))
        .collect();
    e
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out = s
            .chars()
            .take(max - 1)
            .collect::<String>()
            .trim_end()
            .to_string();
        out.push('…');
        out
    }
}
