//! Characters typed for others that sound the same, the usual slip of a
//! pinyin input method (经算师 for 精算师, 药济师 for 药剂师). A character of a
//! Chinese query run that no bigram of the index covers with either
//! neighbour is replaced by an indexed character of the same reading (tones
//! aside) that forms an indexed bigram with each of its neighbours: one
//! that fits on one side only (美国律师 → 美国绿师, from 美国绿色) is no
//! slip. Runs whose characters are all covered are left as they are.

use pinyin::ToPinyinMulti;
use rustc_hash::FxHashMap as HashMap;

use crate::index::Index;

/// How much a match through a replaced character weighs against an exact
/// one.
pub(crate) const SOUND_ALIKE_FACTOR: f32 = 0.9;

/// The readings of a character without tones, once each, every reading
/// of a polyphone (会 is hui and kuai); none for a character without
/// pinyin.
pub(crate) fn readings(c: char) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = c
        .to_pinyin_multi()
        .into_iter()
        .flat_map(|multi| multi.into_iter().map(|p| p.plain()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Each reading → the characters of `indexed` read so, in order.
pub(crate) fn homophones(indexed: impl Iterator<Item = char>) -> HashMap<&'static str, Vec<char>> {
    let mut map: HashMap<&'static str, Vec<char>> = HashMap::default();
    for c in indexed {
        for reading in readings(c) {
            map.entry(reading).or_default().push(c);
        }
    }
    for list in map.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    map
}

/// A query run with characters replaced by ones that sound alike.
pub(crate) struct Restored {
    pub chars: Vec<char>,
    /// Which characters were replaced.
    pub replaced: Vec<bool>,
}

/// `chars` with each character no bigram of the index covers replaced
/// by a same-sounding indexed character that forms a bigram of the index
/// with each neighbour; `None` when every character is covered or nothing
/// sounding alike fits.
pub(crate) fn restore(chars: &[char], index: &Index) -> Option<Restored> {
    if chars.len() < 2 || all_covered(chars, index) {
        return None;
    }
    let mut covered = vec![false; chars.len()];
    for i in 0..chars.len() - 1 {
        if index.bigrams.contains_key(&(chars[i], chars[i + 1])) {
            covered[i] = true;
            covered[i + 1] = true;
        }
    }
    let mut run = Restored {
        chars: chars.to_vec(),
        replaced: vec![false; chars.len()],
    };
    // One replacement at a time, the best first: a replaced character and
    // its neighbours are covered, so this ends after at most one round per
    // character.
    while let Some((i, c)) = best_replacement(&run.chars, &covered, index) {
        run.chars[i] = c;
        run.replaced[i] = true;
        let end = (i + 2).min(chars.len());
        covered[i.saturating_sub(1)..end].fill(true);
    }
    run.replaced.iter().any(|r| *r).then_some(run)
}

/// Whether every character of `chars` forms a bigram of the index with a
/// neighbour (the common case, checked without allocating).
fn all_covered(chars: &[char], index: &Index) -> bool {
    let mut with_previous = false;
    for i in 0..chars.len() {
        let with_next =
            i + 1 < chars.len() && index.bigrams.contains_key(&(chars[i], chars[i + 1]));
        if !with_previous && !with_next {
            return false;
        }
        with_previous = with_next;
    }
    true
}

/// The uncovered position and same-sounding character that form a bigram
/// of the index with each neighbour: two neighbours before one, then the
/// bigrams found in more entries.
fn best_replacement(chars: &[char], covered: &[bool], index: &Index) -> Option<(usize, char)> {
    let mut best: Option<((usize, usize), usize, char)> = None;
    for i in (0..chars.len()).filter(|&i| !covered[i]) {
        let neighbours = usize::from(i > 0) + usize::from(i + 1 < chars.len());
        for reading in readings(chars[i]) {
            for &c in index.homophones.get(reading).into_iter().flatten() {
                if c == chars[i] {
                    continue;
                }
                let gain = restored_bigrams(chars, i, c, index);
                if gain.0 == neighbours && best.is_none_or(|(b, _, _)| gain > b) {
                    best = Some((gain, i, c));
                }
            }
        }
    }
    best.map(|(_, i, c)| (i, c))
}

/// How many bigrams of the index character `c` would form at position `i`
/// with its neighbours, and in how many entries they stand.
fn restored_bigrams(chars: &[char], i: usize, c: char, index: &Index) -> (usize, usize) {
    let before = i.checked_sub(1).map(|j| (chars[j], c));
    let after = chars.get(i + 1).map(|&n| (c, n));
    before
        .into_iter()
        .chain(after)
        .filter_map(|pair| index.bigrams.get(&pair))
        .fold((0, 0), |(n, entries), postings| {
            (n + 1, entries + postings.len())
        })
}

/// The weight factor of a match over positions `span` of a run:
/// [`SOUND_ALIKE_FACTOR`] when it takes in a replaced character.
pub(crate) fn factor(replaced: &[bool], span: std::ops::Range<usize>) -> f32 {
    if replaced.get(span).is_some_and(|r| r.iter().any(|x| *x)) {
        SOUND_ALIKE_FACTOR
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_toneless_and_cover_polyphones() {
        assert_eq!(readings('经'), ["jing"]);
        assert_eq!(readings('会'), ["hui", "kuai"]);
        assert!(readings('a').is_empty());
    }

    #[test]
    fn homophones_group_characters_by_reading() {
        let map = homophones("精经算剂济".chars());
        assert_eq!(map["jing"], ['精', '经']);
        assert_eq!(map["ji"], ['剂', '济']);
    }

    #[test]
    fn the_factor_applies_to_spans_with_a_replaced_character() {
        let replaced = [false, true, false];
        assert_eq!(factor(&replaced, 0..1), 1.0);
        assert_eq!(factor(&replaced, 0..2), SOUND_ALIKE_FACTOR);
        assert_eq!(factor(&[], 0..2), 1.0);
    }
}
