//! Simplified ↔ traditional Chinese with OpenCC's dictionaries (as
//! `hanconv` ships them), looked up in place instead of in hanconv's trie.
//!
//! hanconv builds a trie of hash maps, one node per character of every
//! phrase: about 22 MB of heap for the two directions, most of the
//! server's memory. The dictionaries are sorted text compiled into the
//! binary, so here a phrase is found by binary search over slices of that
//! text and a single character in a small map: the same conversion (the
//! longest phrase at each position, else the character; a test compares
//! both on every dictionary key and the catalogue), in about a tenth of
//! the memory.

use std::collections::HashMap;
use std::sync::LazyLock;

use hanconv::RawDictionary;

/// One direction of conversion.
pub struct Converter {
    /// Phrases of two characters or more, sorted by key.
    phrases: Vec<(&'static str, &'static str)>,
    /// The longest phrase (in characters) starting with each character.
    longest_from: HashMap<char, usize>,
    /// Single characters.
    characters: HashMap<char, &'static str>,
}

impl Converter {
    /// From OpenCC's phrase and character dictionaries: a character's
    /// own entry wins over a one-character phrase, as in hanconv.
    fn new(phrases: RawDictionary, characters: RawDictionary) -> Converter {
        let mut converter = Converter {
            phrases: Vec::new(),
            longest_from: HashMap::new(),
            characters: HashMap::new(),
        };
        for (key, value) in phrases.iter().chain(characters.iter()) {
            converter.add(key, value);
        }
        converter.phrases.sort_by(|a, b| a.0.cmp(b.0));
        // A later entry for the same key wins (hanconv inserts in order).
        converter.phrases.reverse();
        converter
            .phrases
            .dedup_by(|later, earlier| later.0 == earlier.0);
        converter.phrases.reverse();
        converter
    }

    fn add(&mut self, key: &'static str, value: &'static str) {
        let mut chars = key.chars();
        let Some(first) = chars.next() else { return };
        let length = 1 + chars.count();
        if length == 1 {
            self.characters.insert(first, value);
        } else {
            self.phrases.push((key, value));
            let longest = self.longest_from.entry(first).or_default();
            *longest = (*longest).max(length);
        }
    }

    /// `text` converted: at each position the longest phrase that starts
    /// there, else the character's own entry, else the character itself.
    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(first) = rest.chars().next() {
            if let Some((value, taken)) = self.phrase_at(first, rest) {
                out.push_str(value);
                rest = &rest[taken..];
                continue;
            }
            match self.characters.get(&first) {
                Some(value) => out.push_str(value),
                None => out.push(first),
            }
            rest = &rest[first.len_utf8()..];
        }
        out
    }

    /// The longest phrase at the start of `rest` (which starts with
    /// `first`): its value and its length in bytes.
    fn phrase_at(&self, first: char, rest: &str) -> Option<(&'static str, usize)> {
        let longest = *self.longest_from.get(&first)?;
        let ends: Vec<usize> = rest
            .char_indices()
            .skip(1)
            .map(|(at, _)| at)
            .chain(std::iter::once(rest.len()))
            .take(longest)
            .collect();
        // ends[k] is the byte end of the first k + 1 characters.
        ends.iter().skip(1).rev().find_map(|&end| {
            let key = &rest[..end];
            self.phrases
                .binary_search_by(|(k, _)| (*k).cmp(key))
                .ok()
                .map(|at| (self.phrases[at].1, end))
        })
    }
}

static TO_TRADITIONAL: LazyLock<Converter> =
    LazyLock::new(|| Converter::new(RawDictionary::STPhrases, RawDictionary::STCharacters));
static TO_SIMPLIFIED: LazyLock<Converter> =
    LazyLock::new(|| Converter::new(RawDictionary::TSPhrases, RawDictionary::TSCharacters));

/// Traditional-Chinese form of a simplified text.
pub fn to_traditional(text: &str) -> String {
    TO_TRADITIONAL.convert(text)
}

/// Simplified-Chinese form of a text that may be in traditional characters.
pub fn to_simplified(text: &str) -> String {
    TO_SIMPLIFIED.convert(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of both directions, each alone and inside a sentence, and
    /// the whole catalogue text: converted exactly as hanconv converts.
    #[test]
    fn converts_exactly_as_hanconv() {
        let sentences = [
            include_str!("../../../catalogs/beijing/3.0/catalog.txt"),
            include_str!("../../../catalogs/beijing/3.0/overlay.toml"),
            "一分钟后，注册会计师与药剂师在結構工程師的办公室里开会。",
            "",
            "PMP® 2019, ID 1234567",
        ];
        for text in sentences {
            assert_eq!(to_traditional(text), hanconv::s2t(text), "{text}");
            assert_eq!(to_simplified(text), hanconv::t2s(text), "{text}");
        }
        let keys = |d: RawDictionary| d.iter().map(|(k, _)| k).collect::<Vec<_>>();
        for key in keys(RawDictionary::STPhrases)
            .into_iter()
            .chain(keys(RawDictionary::STCharacters))
        {
            let text = format!("我{key}们");
            assert_eq!(to_traditional(&text), hanconv::s2t(&text), "{text}");
        }
        for key in keys(RawDictionary::TSPhrases)
            .into_iter()
            .chain(keys(RawDictionary::TSCharacters))
        {
            let text = format!("這{key}個");
            assert_eq!(to_simplified(&text), hanconv::t2s(&text), "{text}");
        }
    }
}
