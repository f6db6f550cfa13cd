//! Text normalisation shared by the index and the queries, so both sides
//! see one form: NFKC (full-width letters become ASCII), lower case,
//! simplified Chinese, apostrophes and accents folded, `&` read as "and".

use unicode_normalization::UnicodeNormalization;
use zige_catalog::text::{is_cjk, to_simplified};

/// The longest query Zige reads; longer input is cut, not refused.
pub const MAX_QUERY_CHARS: usize = 256;

/// Normalises a text for matching. Control characters are dropped.
pub fn normalize(text: &str) -> String {
    normalize_with(text, true)
}

/// As [`normalize`]; `simplify` converts traditional characters (queries
/// need it; the catalogue's own texts are already simplified).
pub fn normalize_with(text: &str, simplify: bool) -> String {
    if text.is_ascii() {
        // Fast path: nothing to decompose, compose or convert.
        let mut out = String::with_capacity(text.len() + 8);
        for b in text.bytes() {
            match b {
                b'\'' | b'`' => {}
                b'&' => out.push_str(" and "),
                b'\t' | b'\n' | b'\r' => out.push(' '),
                _ if b.is_ascii_control() => {}
                _ => out.push(b.to_ascii_lowercase() as char),
            }
        }
        return out;
    }
    if text
        .chars()
        .all(|c| c.is_ascii() || is_cjk(c) || is_plain_cjk_punct(c))
        && !simplify
    {
        // Catalogue texts: ASCII and simplified Chinese, already composed.
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            match c {
                '\'' | '`' => {}
                '&' => out.push_str(" and "),
                '\t' | '\n' | '\r' => out.push(' '),
                _ if c.is_control() => {}
                _ => out.push(c.to_ascii_lowercase()),
            }
        }
        return out;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if c.is_control() || unicode_normalization::char::is_combining_mark(c) {
            // Combining marks come from decomposed accents (Diplôme → Diplome).
            if c.is_whitespace() {
                out.push(' ');
            }
            continue;
        }
        match c {
            '\'' | '’' | '‘' | 'ʻ' | '`' => {}
            '&' => out.push_str(" and "),
            _ => out.extend(c.to_lowercase()),
        }
    }
    let recomposed: String = out.nfkc().collect();
    if simplify && recomposed.chars().any(is_cjk) {
        to_simplified(&recomposed)
    } else {
        recomposed
    }
}

/// CJK punctuation that normalisation would only turn into other
/// separators (full-width letters and digits are not among these).
fn is_plain_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}' | '—' | '“' | '”' | '·')
}

/// Cuts a raw query to [`MAX_QUERY_CHARS`] characters.
pub fn cut(query: &str) -> &str {
    match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((i, _)) => &query[..i],
        None => query,
    }
}

/// A piece of a normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A run of letters and digits (Latin, Cyrillic… anything but CJK).
    Word(String),
    /// A run of Chinese characters.
    Han(String),
}

/// Splits a normalised text into words and runs of Chinese characters.
/// Hyphenated codes like `az-305` also yield their joined form `az305`.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut han = String::new();
    let mut joined = String::new();
    let mut joined_parts = 0;
    let flush_word = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word)));
        }
    };
    let flush_han = |han: &mut String, out: &mut Vec<Token>| {
        if !han.is_empty() {
            out.push(Token::Han(std::mem::take(han)));
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            han.push(c);
            joined.clear();
            joined_parts = 0;
        } else if c.is_alphanumeric() {
            flush_han(&mut han, &mut out);
            word.push(c);
        } else {
            flush_han(&mut han, &mut out);
            let hyphen = (c == '-' || c == '/' || c == '.')
                && !word.is_empty()
                && chars.peek().is_some_and(|n| n.is_alphanumeric());
            if !word.is_empty() {
                joined.push_str(&word);
                joined_parts += 1;
            }
            flush_word(&mut word, &mut out);
            if !hyphen {
                if joined_parts > 1 {
                    out.push(Token::Word(std::mem::take(&mut joined)));
                }
                joined.clear();
                joined_parts = 0;
            }
        }
    }
    if !word.is_empty() {
        joined.push_str(&word);
        joined_parts += 1;
    }
    flush_word(&mut word, &mut out);
    flush_han(&mut han, &mut out);
    if joined_parts > 1 {
        out.push(Token::Word(joined));
    }
    out
}

/// Words that carry no meaning for search.
pub fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "of" | "the"
            | "and"
            | "in"
            | "for"
            | "a"
            | "an"
            | "to"
            | "with"
            | "on"
            | "at"
            | "by"
            | "or"
            | "de"
            | "le"
            | "la"
            | "du"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_traditional_and_accents_are_folded() {
        assert_eq!(normalize("ＰＭＰ"), "pmp");
        assert_eq!(normalize("藥劑師"), "药剂师");
        assert_eq!(normalize("Grand Diplôme"), "grand diplome");
        assert_eq!(normalize("Hawai'i"), "hawaii");
        assert_eq!(normalize("a\u{0007}b"), "ab");
    }

    #[test]
    fn tokens_split_scripts_and_join_codes() {
        assert_eq!(
            tokens("kubernetes 管理员 az-305"),
            vec![
                Token::Word("kubernetes".into()),
                Token::Han("管理员".into()),
                Token::Word("az".into()),
                Token::Word("305".into()),
                Token::Word("az305".into())
            ]
        );
        assert_eq!(
            tokens("uefa b级"),
            vec![
                Token::Word("uefa".into()),
                Token::Word("b".into()),
                Token::Han("级".into())
            ]
        );
    }
}
