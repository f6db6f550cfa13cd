//! A pasted text read as a stream of units (words and single Chinese
//! characters) that remember where they stand in the text, and split into
//! segments: sentences, list items, blocks. Line breaks alone do not end a
//! segment, so a name wrapped onto the next line stays whole.

use zige_catalog::text::{is_cjk, to_simplified};

use crate::normalize::normalize;

/// One unit of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    /// A run of letters and digits, lower case, accents folded.
    Word(String),
    /// One Chinese character, simplified.
    Han(char),
}

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub key: Key,
    /// As written, for abbreviations that must keep their capitals.
    pub written: String,
    /// Where it starts and ends in the text, in characters.
    pub start: usize,
    pub end: usize,
    /// The segment it belongs to.
    pub segment: u32,
    /// Joined to the unit before by a hyphen ("PMI-ACP").
    pub hyphen_before: bool,
}

/// A text as units.
pub(crate) struct Stream {
    pub units: Vec<Unit>,
}

impl Stream {
    /// The first unit of the segment of unit `i`.
    pub fn segment_start(&self, i: usize) -> usize {
        let s = self.units[i].segment;
        let mut j = i;
        while j > 0 && self.units[j - 1].segment == s {
            j -= 1;
        }
        j
    }

    /// One past the last unit of the segment of unit `i`.
    pub fn segment_end(&self, i: usize) -> usize {
        let s = self.units[i].segment;
        let mut j = i;
        while j < self.units.len() && self.units[j].segment == s {
            j += 1;
        }
        j
    }

    /// Units `[from, to)` within `radius` of `[a, b)` in the same segment.
    pub fn window(&self, a: usize, b: usize, radius: usize) -> (usize, usize) {
        let from = a.saturating_sub(radius).max(self.segment_start(a));
        let to = (b + radius).min(self.segment_end(b.saturating_sub(1).max(a)));
        (from, to)
    }
}

/// Reads a text into units and segments.
pub(crate) fn read(text: &str) -> Stream {
    let mut reader = Reader::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let end = (i..chars.len())
                .find(|&j| !is_cjk(chars[j]))
                .unwrap_or(chars.len());
            reader.han_run(&chars[i..end], i);
            i = end;
            continue;
        }
        if c.is_alphanumeric() {
            if !reader.in_word() {
                reader.hyphen = i >= 2 && chars[i - 1] == '-' && chars[i - 2].is_alphanumeric();
            }
            reader.letter(c, i);
        } else if matches!(c, '\'' | '’') && reader.in_word() {
            // Teacher's: the apostrophe is folded away, as in search.
        } else {
            reader.end_word();
            if ends_segment(&chars, i) {
                reader.next_segment();
            }
        }
        i += 1;
    }
    reader.end_word();
    Stream {
        units: reader.units,
    }
}

#[derive(Default)]
struct Reader {
    units: Vec<Unit>,
    word: String,
    written: String,
    word_start: usize,
    word_end: usize,
    segment: u32,
    hyphen: bool,
}

impl Reader {
    fn in_word(&self) -> bool {
        !self.written.is_empty()
    }

    fn letter(&mut self, c: char, at: usize) {
        if self.written.is_empty() {
            self.word_start = at;
        }
        self.written.push(c);
        if c.is_ascii() {
            self.word.push(c.to_ascii_lowercase());
        } else {
            let mut buf = [0u8; 4];
            self.word.push_str(&normalize(c.encode_utf8(&mut buf)));
        }
        self.word_end = at + 1;
    }

    fn end_word(&mut self) {
        if self.written.is_empty() {
            return;
        }
        let word: String = std::mem::take(&mut self.word)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let written = std::mem::take(&mut self.written);
        if !word.is_empty() {
            self.units.push(Unit {
                key: Key::Word(word),
                written,
                start: self.word_start,
                end: self.word_end,
                segment: self.segment,
                hyphen_before: self.hyphen,
            });
        }
    }

    /// A run of Chinese characters starting at character `at`: simplified,
    /// then regional forms replaced by the mainland ones, each unit keeping
    /// the span of the characters it came from.
    fn han_run(&mut self, run: &[char], at: usize) {
        self.end_word();
        let original: String = run.iter().collect();
        let simplified: Vec<char> = to_simplified(&original).chars().collect();
        let simplified = if simplified.len() == run.len() {
            simplified
        } else {
            run.iter()
                .map(|c| to_simplified(&c.to_string()).chars().next().unwrap_or(*c))
                .collect()
        };
        let mut pos = 0;
        for (from, to, mainland) in crate::regional::replacements(&simplified) {
            self.push_han(&simplified[pos..from], run, at + pos);
            for c in mainland.chars() {
                self.units.push(Unit {
                    key: Key::Han(c),
                    written: run[from..to].iter().collect(),
                    start: at + from,
                    end: at + to,
                    segment: self.segment,
                    hyphen_before: false,
                });
            }
            pos = to;
        }
        self.push_han(&simplified[pos..], &run[pos..], at + pos);
    }

    fn push_han(&mut self, chars: &[char], written: &[char], at: usize) {
        for (k, c) in chars.iter().enumerate() {
            self.units.push(Unit {
                key: Key::Han(*c),
                written: written.get(k).map(|w| w.to_string()).unwrap_or_default(),
                start: at + k,
                end: at + k + 1,
                segment: self.segment,
                hyphen_before: false,
            });
        }
    }

    fn next_segment(&mut self) {
        if self.units.last().is_some_and(|u| u.segment == self.segment) {
            self.segment += 1;
        }
    }
}

/// Whether the character at `i` (not a letter, digit or Chinese character)
/// ends a segment: a sentence's end, a separator, a blank line, or a line
/// starting a list item.
fn ends_segment(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    match c {
        '。' | '；' | ';' | '！' | '？' | '!' | '?' | '|' | '•' | '●' | '▪' | '■' | '◦' | '‣'
        | '∙' | '►' | '➢' | '✓' | '✔' => true,
        '.' => ends_sentence(chars, i),
        '\n' => starts_item(chars, i + 1),
        _ => false,
    }
}

/// A full stop followed by a space or the end, after a word longer than one
/// letter (so "U.S. Green" and "e.g." are not sentence ends).
fn ends_sentence(chars: &[char], i: usize) -> bool {
    let next_is_space = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
    let word_before = chars[..i]
        .iter()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .count();
    next_is_space && word_before > 1
}

/// Whether the line starting at `i` is blank or starts a list item
/// (a bullet, a dash, a number followed by `.` or `)`).
fn starts_item(chars: &[char], i: usize) -> bool {
    let mut j = i;
    while j < chars.len() && chars[j] != '\n' && chars[j].is_whitespace() {
        j += 1;
    }
    let Some(&c) = chars.get(j) else {
        return true;
    };
    if c == '\n' || matches!(c, '-' | '*' | '–' | '—' | '·' | '+' | '>' | '#') {
        return true;
    }
    let digits = chars[j..].iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && digits <= 2
        && chars
            .get(j + digits)
            .is_some_and(|c| matches!(c, '.' | ')' | '、' | '）'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &Stream) -> Vec<String> {
        s.units
            .iter()
            .map(|u| match &u.key {
                Key::Word(w) => w.clone(),
                Key::Han(c) => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn words_and_characters_keep_their_offsets() {
        let s = read("PMP® 2019，持有證書");
        assert_eq!(keys(&s), ["pmp", "2019", "持", "有", "证", "书"]);
        assert_eq!((s.units[0].start, s.units[0].end), (0, 3));
        assert_eq!((s.units[4].start, s.units[4].end), (12, 13));
        assert_eq!(s.units[0].written, "PMP");
    }

    #[test]
    fn wrapped_lines_stay_in_one_segment_and_items_split() {
        let s = read("Project Management\nProfessional\n• CFA. Then\n- FRM");
        let segments: Vec<u32> = s.units.iter().map(|u| u.segment).collect();
        assert_eq!(segments, [0, 0, 0, 1, 2, 3]);
    }
}
