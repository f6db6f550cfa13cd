//! Qualifications named by their awarding body and a word of their own:
//! "FIBA Level 2 Coach", "ABRSM Grade 8 Piano", "KNSB Speed Skating Coach
//! Level 4", "Royal Academy of Dance, Advanced 2 (vocational graded …)",
//! "亚足联A级教练员证书", "会员（HKICPA）". A body is its abbreviation, its
//! English or Chinese name, or a Chinese short name from the synonym
//! groups (亚足联 for 亚洲足球联合会). The entry's words count in English
//! or in the Chinese forms the synonym groups give them (coach, 教练),
//! before or after the body. A body that awards one entry of the catalogue
//! needs one of that entry's words beside it, or a word of licensing
//! right after it ("AFC C Certificate"); a body that awards several needs
//! every word of its entry's names that no other of them has ("Member of
//! the IEEE" is neither its Senior Member nor its Fellow).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use zige_catalog::{Catalog, Entry};

use super::dictionary::{GENERIC_HAN, GENERIC_WORDS};
use super::pattern::{root, Pattern, Roots, Slot};
use super::stream::Stream;
use crate::index::{groups, Group};
use crate::normalize::{is_stopword, normalize};

/// How near the body the entry's words must stand, in units: English
/// words, and Chinese characters (a level such as "A级" may come between).
const REACH: usize = 3;
const REACH_HAN: usize = 6;
/// How near after the body a word of licensing must stand.
const LICENCE_REACH: usize = 2;

/// An entry a body awards, with the words that must stand beside the body.
pub(crate) struct Awarded {
    pub entry: u16,
    /// Each word with its forms (coach, 教练): for the body's only entry
    /// any one word is enough, else all of them.
    pub words: Vec<Vec<Pattern>>,
    /// The body awards this entry only.
    pub only: bool,
}

impl Awarded {
    /// The span from a body at units `[a, b)` to the entry's words beside
    /// it, when they are there; for the body's only entry, also to a word
    /// of `licence` that follows the body closely ("AFC C Certificate").
    pub fn beside(
        &self,
        stream: &Stream,
        roots: &mut Roots,
        (a, b): (usize, usize),
        licence: &[Pattern],
    ) -> Option<(usize, usize)> {
        let mut span = (a, b);
        let mut seen = 0;
        for forms in &self.words {
            let nearest = forms
                .iter()
                .filter_map(|w| nearest(w, stream, roots, (a, b)))
                .min_by_key(|&found| gap(found, (a, b)));
            if let Some((wa, wb)) = nearest {
                seen += 1;
                span = (span.0.min(wa), span.1.max(wb));
            }
        }
        let enough = if self.only {
            seen > 0
        } else {
            seen == self.words.len()
        };
        if enough {
            return Some(span);
        }
        if !self.only {
            return None;
        }
        let (_, to) = stream.window(a, b, LICENCE_REACH);
        licence
            .iter()
            .find_map(|w| w.find_in(stream, roots, b, to))
            .filter(|&(_, wb)| !names_a_subject(stream, wb))
            .map(|(_, wb)| (a, wb))
    }
}

/// Where word `w` stands nearest a body at units `[a, b)`, within reach.
fn nearest(
    w: &Pattern,
    stream: &Stream,
    roots: &mut Roots,
    (a, b): (usize, usize),
) -> Option<(usize, usize)> {
    let reach = if w.is_han() { REACH_HAN } else { REACH };
    let (from, to) = stream.window(a, b, reach);
    let after = w.find_in(stream, roots, b, to);
    let before = w
        .places_in(stream, roots, from, a)
        .next_back()
        .filter(|&(_, wb)| w.is_han() || joined_by_of(stream, wb, a));
    after
        .into_iter()
        .chain(before)
        .min_by_key(|&found| gap(found, (a, b)))
}

/// Whether a word of licensing ending at unit `wb` goes on to name a
/// subject ("CFA Institute Certificate in ESG Investing"): then it is
/// another certificate than the body's entry.
fn names_a_subject(stream: &Stream, wb: usize) -> bool {
    stream
        .units
        .get(wb)
        .is_some_and(|u| matches!(u.written.as_str(), "in" | "of" | "for" | "on"))
}

/// Whether an English word ending at unit `wb` is joined to a body
/// starting at `a` by "of" ("Senior Member of the IEEE"): a word before
/// a body belongs to it only so.
fn joined_by_of(stream: &Stream, wb: usize, a: usize) -> bool {
    let between: Vec<&str> = (wb..a).map(|i| stream.units[i].written.as_str()).collect();
    matches!(between.as_slice(), ["of"] | ["of", "the"] | ["of", "The"])
}

/// Units between a word at `[wa, wb)` and a body at `[a, b)`.
fn gap((wa, wb): (usize, usize), (a, b): (usize, usize)) -> usize {
    if wa >= b {
        wa - b
    } else {
        a - wb
    }
}

/// Each body's name or abbreviation as a pattern, with what it awards.
pub(crate) fn bodies(catalog: &Catalog) -> Vec<(Pattern, Vec<Awarded>)> {
    let groups = groups();
    let group_roots = group_roots(&groups);
    let mut by_body: HashMap<Pattern, Vec<u16>> = HashMap::default();
    for (n, e) in catalog.entries.iter().enumerate() {
        for p in body_patterns(e, &groups) {
            let list = by_body.entry(p).or_default();
            if !list.contains(&(n as u16)) {
                list.push(n as u16);
            }
        }
    }
    let names: Vec<HashSet<String>> = catalog
        .entries
        .iter()
        .map(|e| own_words(e, false))
        .collect();
    let all: Vec<HashSet<String>> = catalog.entries.iter().map(|e| own_words(e, true)).collect();
    by_body
        .into_iter()
        .map(|(body, entries)| {
            let body_words: HashSet<String> = body.slots.iter().filter_map(word_root).collect();
            let distinct =
                |n: u16, own: &[HashSet<String>]| distinct(n, &entries, own, &body_words);
            let only = entries.len() == 1;
            let awarded = entries
                .iter()
                .filter_map(|&n| {
                    let any_words = distinct(n, &all)?;
                    let words = if only {
                        any_words
                    } else {
                        Some(distinct(n, &names).unwrap_or(any_words)).filter(|w| w.len() <= 3)?
                    };
                    Some(Awarded {
                        entry: n,
                        words: words
                            .iter()
                            .map(|w| forms(w, &body, &group_roots))
                            .collect(),
                        only,
                    })
                })
                .collect();
            (body, awarded)
        })
        .collect()
}

/// The words of licensing: English roots and Chinese words of two
/// characters or more.
pub(crate) fn licence_words() -> Vec<Pattern> {
    GENERIC_WORDS
        .iter()
        .map(|w| Pattern {
            slots: vec![Slot::Root(vec![root(w)])],
        })
        .chain(
            GENERIC_HAN
                .iter()
                .filter(|w| w.chars().count() >= 2)
                .map(|w| Pattern::of(w)),
        )
        .collect()
}

/// The roots of the words that tell entry `n` apart among the entries
/// the body awards (`siblings`): its own words less the body's and less
/// those of the others.
fn distinct(
    n: u16,
    siblings: &[u16],
    own: &[HashSet<String>],
    body_words: &HashSet<String>,
) -> Option<Vec<String>> {
    let mut words: Vec<String> = own[n as usize]
        .iter()
        .filter(|w| !body_words.contains(*w))
        .filter(|w| {
            siblings
                .iter()
                .all(|&s| s == n || !own[s as usize].contains(*w))
        })
        .cloned()
        .collect();
    words.sort();
    (!words.is_empty()).then_some(words)
}

/// Each synonym group with the roots of its one-word Latin members.
fn group_roots(groups: &[Group]) -> Vec<(Vec<String>, &Group)> {
    groups
        .iter()
        .map(|g| {
            let roots = g.latin.iter().filter(|m| m.len() == 1).map(|m| root(&m[0]));
            (roots.collect(), g)
        })
        .collect()
}

/// A word as patterns: its English root and the Chinese forms its
/// synonym groups give it, less those inside the body's own name (篮球
/// of 西班牙篮球联合会).
fn forms(word: &str, body: &Pattern, groups: &[(Vec<String>, &Group)]) -> Vec<Pattern> {
    let body_han = body.han_text();
    let han = groups
        .iter()
        .filter(|(roots, _)| roots.iter().any(|r| r == word))
        .flat_map(|(_, g)| &g.han)
        .filter(|h| !body_han.contains(h.as_str()))
        .map(|h| Pattern::of(h));
    std::iter::once(Pattern {
        slots: vec![Slot::Root(vec![word.to_string()])],
    })
    .chain(han)
    .collect()
}

/// The abbreviations and names of an entry's issuers, with the Chinese
/// short names the synonym groups give them, and the abbreviations inside
/// its names that are not the qualification's own (FIBA in "FIBA
/// Basketball Coach Certificate").
fn body_patterns(e: &Entry, groups: &[Group]) -> Vec<Pattern> {
    let own: Vec<String> = e.all_aliases().map(|a| a.to_lowercase()).collect();
    let inside = std::iter::once(&e.name.en)
        .chain(e.all_aliases())
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 2)
        .filter(|w| !own.contains(&w.to_lowercase()))
        .map(str::to_string);
    let short_names = e.issuers.iter().flat_map(|i| {
        let zh = normalize(&i.name.zh);
        groups
            .iter()
            .filter(move |g| g.han.contains(&zh))
            .flat_map(|g| g.han.iter().cloned())
    });
    e.issuers
        .iter()
        .flat_map(|i| i.abbr.iter().chain([&i.name.en, &i.name.zh]).cloned())
        .chain(short_names)
        .chain(inside)
        .map(|t| Pattern::of(&t))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The roots of the words of an entry's English names and aliases (and,
/// with `levels`, its level names), less generic words, stop words,
/// numbers and single letters.
fn own_words(e: &Entry, levels: bool) -> HashSet<String> {
    let name = super::dictionary::base(&e.name.en);
    let mut texts: Vec<&str> = vec![&name];
    texts.extend(e.all_aliases().map(String::as_str));
    if let (true, Some(l)) = (levels, &e.levels) {
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
