//! Pinyin typed as separate syllables: "jing suan shi", "jīng suàn shī"
//! (the tone marks are gone after normalisation) or "jing1 suan4 shi1" is
//! read as "jingsuanshi". Consecutive query words that are each a pinyin
//! syllable are joined into one word, and only when the joined word spells
//! the reading of some entry's name, so English words that happen to be
//! syllables ("long", "men", "ban") stay words.

use std::sync::OnceLock;

use pinyin::ToPinyin;
use rustc_hash::FxHashSet as HashSet;

use crate::index::{pinyin_match, Index};
use crate::normalize::Token;

/// The most syllables joined into one word.
const MAX_JOINED: usize = 12;

/// The longest syllable with its tone digit (zhuang4).
const LONGEST_SYLLABLE: usize = 7;

/// Every pinyin syllable without tone, as the `pinyin` crate reads the
/// unified CJK characters.
fn all_syllables() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| {
        ('\u{4E00}'..='\u{9FFF}')
            .filter_map(|c| c.to_pinyin())
            .map(|p| p.plain())
            .collect()
    })
}

/// The syllable a query word spells, its tone digit (1 to 5) dropped;
/// `None` when it is not a pinyin syllable.
pub(crate) fn syllable(word: &str) -> Option<&str> {
    if word.len() > LONGEST_SYLLABLE {
        return None;
    }
    let toneless = word
        .strip_suffix(|c: char| ('1'..='5').contains(&c))
        .unwrap_or(word);
    all_syllables().contains(toneless).then_some(toneless)
}

/// The tokens with each run of syllable words that spells (part of) an
/// entry's name reading joined into one word, the longest run first.
pub(crate) fn join(tokens: Vec<Token>, index: &Index) -> Vec<Token> {
    let mut previous = false;
    let two_in_a_row = tokens.iter().any(|t| {
        let this = spells(t).is_some();
        std::mem::replace(&mut previous, this) && this
    });
    if !two_in_a_row {
        return tokens;
    }
    let spelled: Vec<Option<&str>> = tokens.iter().map(spells).collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let run = spelled[i..].iter().take_while(|s| s.is_some()).count();
        match longest_name_reading(&spelled[i..i + run], index) {
            Some((taken, joined)) => {
                out.push(Token::Word(joined));
                i += taken;
            }
            None => {
                out.push(tokens[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// The syllable a token spells, if it is a word that is one.
fn spells(token: &Token) -> Option<&str> {
    match token {
        Token::Word(w) => syllable(w),
        Token::Han(_) => None,
    }
}

/// The most syllables (two at least) from the start of `run` whose joined
/// form spells consecutive characters of an entry's name, with that form.
fn longest_name_reading(run: &[Option<&str>], index: &Index) -> Option<(usize, String)> {
    (2..=run.len().min(MAX_JOINED)).rev().find_map(|n| {
        let joined: String = run[..n].iter().flatten().copied().collect();
        index
            .pinyin
            .iter()
            .any(|readings| pinyin_match(&joined, readings))
            .then_some((n, joined))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_are_known_with_or_without_a_tone_digit() {
        for word in [
            "jing", "suan", "shi", "yao", "ji", "zhuang", "a", "er", "jing1", "shi4",
        ] {
            assert!(syllable(word).is_some(), "{word}");
        }
        assert_eq!(syllable("suan4"), Some("suan"));
        for word in ["pmp", "jingsuanshi", "actuary", "jing6", "g7", "1"] {
            assert_eq!(syllable(word), None, "{word}");
        }
    }
}
