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

    /// Whether the pattern is of Chinese characters.
    pub fn is_han(&self) -> bool {
        matches!(self.slots.first(), Some(Slot::Han(_)))
    }

    /// The pattern's Chinese characters, in order.
    pub fn han_text(&self) -> String {
        self.slots
            .iter()
            .filter_map(|s| match s {
                Slot::Han(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// Whether the pattern stands in `stream` from unit `at`. The last
    /// word of a name of several words may be plural ("Accredited
    /// Practising Dietitians").
    pub fn matches_at(&self, stream: &Stream, roots: &mut Roots, at: usize) -> bool {
        if at + self.slots.len() > stream.units.len() {
            return false;
        }
        let last = self.slots.len() - 1;
        self.slots.iter().enumerate().all(|(k, slot)| {
            let unit = &stream.units[at + k];
            match (slot, &unit.key) {
                (Slot::Word(w), Key::Word(u)) => w == u || (k == last && k > 0 && plural_of(u, w)),
                (Slot::Capitals(w), Key::Word(_)) => written_as(&unit.written, w),
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
        (from..(to + 1).saturating_sub(n))
            .find(|&i| self.matches_at(stream, roots, i))
            .map(|i| (i, i + n))
    }

    /// Every place in units `[from, to)` where the pattern stands, from
    /// the first (or, taken from the back, from the last).
    pub fn places_in<'a>(
        &'a self,
        stream: &'a Stream,
        roots: &'a mut Roots,
        from: usize,
        to: usize,
    ) -> impl DoubleEndedIterator<Item = (usize, usize)> + 'a {
        let n = self.slots.len();
        (from..(to + 1).saturating_sub(n))
            .filter(move |&i| self.matches_at(stream, roots, i))
            .map(move |i| (i, i + n))
    }
}

/// Whether `word` is the English plural of `of`.
fn plural_of(word: &str, of: &str) -> bool {
    word.strip_prefix(of)
        .is_some_and(|ending| ending == "s" || ending == "es")
}

/// Whether a word written so is abbreviation `w`: as `w` is written or
/// in capitals, and also as a plural ("CPAs").
fn written_as(written: &str, w: &str) -> bool {
    let single = written
        .strip_suffix('s')
        .filter(|s| s.len() == w.len())
        .unwrap_or(written);
    single.len() == w.len()
        && single
            .chars()
            .zip(w.chars())
            .all(|(x, y)| x == y || x == y.to_ascii_uppercase())
}

/// A plural abbreviation's singular ("CPAs": cpa), as a key.
pub(crate) fn singular_abbreviation(written: &str) -> Option<String> {
    let single = written.strip_suffix('s')?;
    (capitals(single) >= 2).then(|| single.to_lowercase())
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
