//! Where a line may break inside a table cell: between words, never inside
//! one. Table cells are `word-break: keep-all`, so a run of Chinese stays
//! whole unless the markup offers a break; this offers one (`<wbr>`) at each
//! word boundary that ICU's dictionary finds in Chinese text (the dictionary
//! Chromium segments with) and where Chinese meets Latin letters or digits.

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;

/// `text` HTML-escaped, with `<wbr>` between two words that touch without a
/// space where one of them is Chinese. A one-character Chinese word stays
/// with the word before it (纽约州, not 纽约 / 州). For templates:
/// `{{ …|safe }}`.
pub fn between_words(text: &str) -> String {
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let bounds: Vec<usize> = segmenter.segment_str(text).collect();
    let mut out = String::with_capacity(text.len() + 32);
    let mut last = 0;
    for (i, &at) in bounds.iter().enumerate() {
        if at == 0 || at >= text.len() {
            continue;
        }
        escape_into(&mut out, &text[last..at]);
        let next_word = &text[at..bounds.get(i + 1).copied().unwrap_or(text.len())];
        if chinese_word_boundary(&text[..at], &text[at..]) && !single_han(next_word) {
            out.push_str("<wbr>");
        }
        last = at;
    }
    escape_into(&mut out, &text[last..]);
    out
}

/// A word of one Chinese character (a suffix such as 州 or 级).
fn single_han(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

/// A boundary between two words, one of them Chinese, with nothing between.
fn chinese_word_boundary(before: &str, after: &str) -> bool {
    let (Some(a), Some(b)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    a.is_alphanumeric() && b.is_alphanumeric() && (is_han(a) || is_han(b))
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::between_words;

    #[test]
    fn chinese_breaks_between_words_only() {
        let out = between_words("英国皇家音乐学院联合委员会认证实用级别成绩");
        assert!(out.contains("<wbr>"), "{out}");
        assert_eq!(
            out.replace("<wbr>", ""),
            "英国皇家音乐学院联合委员会认证实用级别成绩"
        );
        assert!(!between_words("中级职称").contains("职<wbr>称"));
        assert!(!between_words("教师资格证书（美国纽约州）").contains("<wbr>州"));
    }

    #[test]
    fn chinese_meets_latin_and_markup_is_escaped() {
        assert_eq!(between_words("CISA注册"), "CISA<wbr>注册");
        assert_eq!(between_words("Intermediate title"), "Intermediate title");
        assert_eq!(between_words("<a & b>"), "&lt;a &amp; b&gt;");
    }
}
