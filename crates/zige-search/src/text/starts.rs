//! Patterns looked up by the unit they start with, so a text is read
//! once, unit by unit, instead of once per pattern.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::pattern::{singular_abbreviation, Pattern, Roots, Slot};
use super::stream::{Key, Stream};

/// Items (pattern ids, qualifiers) filed under the first unit of their
/// pattern.
pub(crate) struct Starts<T> {
    words: HashMap<String, Vec<T>>,
    roots: HashMap<String, Vec<T>>,
    han: HashMap<char, Vec<T>>,
    /// The first letters of every root filed, so a word that cannot have
    /// one of them as its root is not stemmed. (A stem keeps its word's
    /// first letters, but for dying, lying, tying and skies.)
    root_starts: HashSet<String>,
}

impl<T: Copy + Ord> Starts<T> {
    pub fn new() -> Starts<T> {
        Starts {
            words: HashMap::default(),
            roots: HashMap::default(),
            han: HashMap::default(),
            root_starts: HashSet::default(),
        }
    }

    pub fn insert(&mut self, p: &Pattern, item: T) {
        match p.slots.first() {
            Some(Slot::Word(w)) => self.words.entry(w.clone()).or_default().push(item),
            Some(Slot::Capitals(w)) => self.words.entry(w.to_lowercase()).or_default().push(item),
            Some(Slot::Root(roots)) => {
                for r in roots {
                    self.roots.entry(r.clone()).or_default().push(item);
                    self.root_starts.insert(start_of(r).to_string());
                }
            }
            Some(Slot::Han(c)) => self.han.entry(*c).or_default().push(item),
            None => {}
        }
    }

    /// The items whose patterns may start at unit `i`, into `out`
    /// (cleared first), each once.
    pub fn at(&self, stream: &Stream, roots: &mut Roots, i: usize, out: &mut Vec<T>) {
        out.clear();
        let unit = &stream.units[i];
        match &unit.key {
            Key::Han(c) => out.extend(self.han.get(c).into_iter().flatten()),
            Key::Word(w) => {
                out.extend(self.words.get(w.as_str()).into_iter().flatten());
                if let Some(single) = singular_abbreviation(&unit.written) {
                    out.extend(self.words.get(&single).into_iter().flatten());
                }
                if self.may_have_root(w) {
                    let root = roots.of(stream, i);
                    out.extend(self.roots.get(root).into_iter().flatten());
                }
            }
        }
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }

    /// Whether the word is long enough to be looked up by its root and
    /// starts as a filed root does.
    fn may_have_root(&self, word: &str) -> bool {
        word.len() >= 4
            && !word.chars().all(|c| c.is_ascii_digit())
            && self.root_starts.contains(start_of(word))
    }
}

/// The first three characters of a word or root.
fn start_of(word: &str) -> &str {
    match word.char_indices().nth(3) {
        Some((end, _)) => &word[..end],
        None => word,
    }
}
