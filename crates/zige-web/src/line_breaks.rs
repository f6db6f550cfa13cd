//! Where a line may break inside a table cell: between words, never inside
//! one. Table cells are `word-break: keep-all`, so a run of Chinese stays
//! whole unless the markup offers a break; this offers one (`<wbr>`) at each
//! word boundary that ICU's dictionary finds in Chinese text (the dictionary
//! Chromium segments with) and where Chinese meets Latin letters or digits.

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;

/// `text` HTML-escaped, with `<wbr>` between two words that touch without a
/// space where one of them is Chinese. For templates: `{{ …|safe }}`.
pub fn between_words(text: &str) -> String {
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let mut out = String::with_capacity(text.len() + 32);
    let mut last = 0;
    for at in segmenter.segment_str(text) {
        if at == 0 || at >= text.len() {
            continue;
        }
        escape_into(&mut out, &text[last..at]);
        if chinese_word_boundary(&text[..at], &text[at..]) {
            out.push_str("<wbr>");
        }
        last = at;
    }
    escape_into(&mut out, &text[last..]);
    out
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
    }

    #[test]
    fn chinese_meets_latin_and_markup_is_escaped() {
        assert_eq!(between_words("CISA注册"), "CISA<wbr>注册");
        assert_eq!(between_words("Intermediate title"), "Intermediate title");
        assert_eq!(between_words("<a & b>"), "&lt;a &amp; b&gt;");
    }
}
