//! Patterns: a name, an alias or a cue as the units that must follow one
//! another in a text, and where they occur.

use super::stream::{read, Key, Stream};
use crate::index::stemmer;

/// What one unit of a pattern accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Slot {
    /// A word, whatever its case.
    Word(String),
    /// An abbreviation (CFA, CEng): the word as written must have these
    /// capitals, so "delta" in a sentence is not Cambridge DELTA.
    Capitals(String),
    /// A word whose root (stem without -er/-or) is one of these:
    /// teacher, teaching and teach are one.
    Root(Vec<String>),
    Han(char),
}

/// Where a pattern can start, for looking patterns up by a text's unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum First {
    Word(String),
    Root(String),
    Han(char),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Pattern {
    pub slots: Vec<Slot>,
}

impl Pattern {
    /// A text as a pattern of words and characters. A one-word text with
    /// two capitals or more (CFA, CChem, PRINCE2) must keep them.
    pub fn of(text: &str) -> Pattern {
        let stream = read(text);
        let single = stream.units.len() == 1;
        let slots = stream
            .units
            .into_iter()
            .map(|u| match u.key {
                Key::Han(c) => Slot::Han(c),
                Key::Word(_) if single && capitals(&u.written) >= 2 => Slot::Capitals(u.written),
                Key::Word(w) => Slot::Word(w),
            })
            .collect();
        Pattern { slots }
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The keys under which the pattern is looked up.
    pub fn firsts(&self) -> Vec<First> {
        match self.slots.first() {
            Some(Slot::Word(w)) => vec![First::Word(w.clone())],
            Some(Slot::Capitals(w)) => vec![First::Word(w.to_lowercase())],
            Some(Slot::Root(roots)) => roots.iter().map(|r| First::Root(r.clone())).collect(),
            Some(Slot::Han(c)) => vec![First::Han(*c)],
            None => Vec::new(),
        }
    }

    /// Whether the pattern stands in `stream` from unit `at`.
    pub fn matches_at(&self, stream: &Stream, roots: &mut Roots, at: usize) -> bool {
        if at + self.slots.len() > stream.units.len() {
            return false;
        }
        self.slots.iter().enumerate().all(|(k, slot)| {
            let unit = &stream.units[at + k];
            match (slot, &unit.key) {
                (Slot::Word(w), Key::Word(u)) => w == u,
                (Slot::Capitals(w), Key::Word(_)) => {
                    unit.written == *w || unit.written == w.to_uppercase()
                }
                (Slot::Root(rs), Key::Word(_)) => {
                    let r = roots.of(stream, at + k);
                    rs.iter().any(|x| x == r)
                }
                (Slot::Han(c), Key::Han(u)) => c == u,
                _ => false,
            }
        })
    }

    /// The first place in units `[from, to)` where the pattern stands, as
    /// the range of units it covers.
    pub fn find_in(
        &self,
        stream: &Stream,
        roots: &mut Roots,
        from: usize,
        to: usize,
    ) -> Option<(usize, usize)> {
        let n = self.slots.len();
        (from..to.saturating_sub(n.saturating_sub(1)))
            .find(|&i| i + n <= to && self.matches_at(stream, roots, i))
            .map(|i| (i, i + n))
    }
}

fn capitals(written: &str) -> usize {
    written.chars().filter(|c| c.is_uppercase()).count()
}

/// The root of a word: its English stem without an agent ending, so
/// teacher, teaching and teach share one.
pub(crate) fn root(word: &str) -> String {
    let stem = stemmer().stem(word).into_owned();
    for ending in ["er", "or"] {
        if let Some(base) = stem.strip_suffix(ending) {
            if base.chars().count() >= 4 {
                return base.to_string();
            }
        }
    }
    stem
}

/// The roots of a stream's words, worked out when first asked for.
pub(crate) struct Roots {
    cache: Vec<Option<String>>,
}

impl Roots {
    pub fn new(stream: &Stream) -> Roots {
        Roots {
            cache: vec![None; stream.units.len()],
        }
    }

    pub fn of<'a>(&'a mut self, stream: &Stream, i: usize) -> &'a str {
        if self.cache[i].is_none() {
            let r = match &stream.units[i].key {
                Key::Word(w) => root(w),
                Key::Han(_) => String::new(),
            };
            self.cache[i] = Some(r);
        }
        self.cache[i].as_deref().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_keep_capitals_and_words_do_not() {
        let cfa = Pattern::of("CFA");
        let s = read("the cfa, the CFA");
        let mut roots = Roots::new(&s);
        assert!(!cfa.matches_at(&s, &mut roots, 1));
        assert!(cfa.matches_at(&s, &mut roots, 3));
        let name = Pattern::of("Chartered Financial Analyst");
        let s = read("chartered\nfinancial ANALYST");
        assert!(name.matches_at(&s, &mut Roots::new(&s), 0));
    }

    #[test]
    fn roots_join_agents_and_activities() {
        assert_eq!(root("teacher"), root("teaching"));
        assert_eq!(root("psychotherapists"), root("psychotherapist"));
    }
}
