//! Mapping what a holder writes for their level ("UEFA A licence",
//! "Level 4", "Certificate IV", "B级") to one canonical code of the entry's
//! level table.
//!
//! Tiers, first hit wins: the code itself (case-insensitive); a synonym of
//! the table; a code, label or synonym equal after folding case, width and
//! punctuation; finally the same comparison on *keys*: the text split into
//! words, with generic words (licence, certificate, level, grade, 级, 证书…)
//! and the words of the entry's own names, aliases and issuers removed, and
//! numerals (IV, four, 四) written as digits; codes and labels first, the
//! synonyms only where they found nothing. Words that belong to a code are
//! never removed. Only a match to a single code counts.

use zige_catalog::text::is_cjk;
use zige_catalog::{Entry, Level, Levels};

/// Why a text matched no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelMiss {
    Unknown,
    /// The text fits several codes equally.
    Ambiguous(Vec<String>),
}

/// How the code was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Code,
    Synonym,
    Label,
    FreeText,
}

/// Every code of a table: the scale or recognised variants, then the
/// variants known but not recognised.
pub fn all_codes(levels: &Levels) -> impl Iterator<Item = &str> {
    levels
        .codes
        .iter()
        .chain(&levels.not_recognised)
        .map(|l| l.code.as_str())
}

/// Maps `input` to a code of `levels` (a table of `entry`).
pub fn match_level<'a>(
    entry: &Entry,
    levels: &'a Levels,
    input: &str,
) -> Result<(&'a str, Via), LevelMiss> {
    let text = input.trim();
    if text.is_empty() {
        return Err(LevelMiss::Unknown);
    }
    if let Some(found) = exact_match(levels, text) {
        return Ok(found);
    }
    let hits = folded_matches(levels, text);
    match hits.len() {
        0 => {}
        1 => return Ok((hits[0], Via::Label)),
        _ => {
            return Err(LevelMiss::Ambiguous(
                hits.iter().map(|s| s.to_string()).collect(),
            ))
        }
    }
    key_match(entry, levels, text)
}

/// Every level of a table: the scale or recognised variants, then the
/// variants known but not recognised.
fn all_levels(levels: &Levels) -> impl Iterator<Item = &Level> {
    levels.codes.iter().chain(&levels.not_recognised)
}

/// The code of the table that is `target`, borrowed from the table.
fn code_of<'a>(levels: &'a Levels, target: &str) -> Option<&'a str> {
    all_levels(levels)
        .find(|l| l.code == target)
        .map(|l| l.code.as_str())
}

/// The code itself (case-insensitive), or a synonym of the table.
fn exact_match<'a>(levels: &'a Levels, text: &str) -> Option<(&'a str, Via)> {
    if let Some(l) = all_levels(levels).find(|l| l.code.eq_ignore_ascii_case(text)) {
        return Some((&l.code, Via::Code));
    }
    levels
        .synonyms
        .get(&text.to_lowercase())
        .and_then(|t| code_of(levels, t))
        .map(|code| (code, Via::Synonym))
}

/// Codes whose code, label or synonym equals the text after folding case,
/// width and punctuation.
fn folded_matches<'a>(levels: &'a Levels, text: &str) -> Vec<&'a str> {
    let mut hits: Vec<&'a str> = Vec::new();
    for l in all_levels(levels) {
        if [&l.code, &l.label.zh, &l.label.en]
            .iter()
            .any(|s| folded_eq(s, text))
        {
            push_unique(&mut hits, &l.code);
        }
    }
    for (syn, target) in &levels.synonyms {
        if folded_eq(syn, text) {
            if let Some(code) = code_of(levels, target) {
                push_unique(&mut hits, code);
            }
        }
    }
    hits
}

/// The words a text is compared by: the text's own words (`wanted`), less
/// the generic words and the words of the entry's names, aliases and
/// issuers (`stop`), which never include a word of a code.
struct KeyWords {
    stop: Vec<String>,
    wanted: Vec<String>,
}

impl KeyWords {
    fn new(entry: &Entry, levels: &Levels, text: &str, buf: &mut String) -> KeyWords {
        let mut protected: Vec<String> = Vec::new();
        for l in all_levels(levels) {
            each_word(&l.code, false, buf, &mut |w| {
                if !protected.iter().any(|p| p == w) {
                    protected.push(w.to_string());
                }
                true
            });
        }
        let mut stop: Vec<String> = Vec::new();
        let sources = [&entry.name.zh, &entry.name.en]
            .into_iter()
            .chain(entry.all_aliases())
            .chain(
                entry
                    .issuers
                    .iter()
                    .flat_map(|i| [&i.name.zh, &i.name.en].into_iter().chain(&i.abbr)),
            );
        for s in sources {
            each_word(s, true, buf, &mut |w| {
                if !protected.iter().any(|p| p == w) && !stop.iter().any(|x| x == w) {
                    stop.push(w.to_string());
                }
                true
            });
        }
        let mut wanted: Vec<String> = Vec::new();
        each_word(text, false, buf, &mut |w| {
            if !stop.iter().any(|x| x == w) && !wanted.iter().any(|x| x == w) {
                wanted.push(w.to_string());
            }
            true
        });
        KeyWords { stop, wanted }
    }

    /// True when `s` has the wanted words, in order, and no others but
    /// stop words and repeats. Streams the words of `s`.
    fn same_key(&self, s: &str, buf: &mut String) -> bool {
        let (stop, wanted) = (&self.stop, &self.wanted);
        let mut k = 0;
        let whole = each_word(s, false, buf, &mut |w| {
            if stop.iter().any(|x| x == w) || wanted[..k].iter().any(|x| x == w) {
                true
            } else if k < wanted.len() && wanted[k] == w {
                k += 1;
                true
            } else {
                false
            }
        });
        whole && k == wanted.len()
    }
}

/// The last tier: equal as keys (words less generic words and the entry's
/// own words); codes and labels first, synonyms only where they found nothing.
fn key_match<'a>(
    entry: &Entry,
    levels: &'a Levels,
    text: &str,
) -> Result<(&'a str, Via), LevelMiss> {
    let mut buf = String::new();
    let keys = KeyWords::new(entry, levels, text, &mut buf);
    if keys.wanted.is_empty() {
        return Err(LevelMiss::Unknown);
    }
    let mut hits: Vec<&'a str> = Vec::new();
    for l in all_levels(levels) {
        if [&l.code, &l.label.zh, &l.label.en]
            .iter()
            .any(|s| keys.same_key(s, &mut buf))
        {
            push_unique(&mut hits, &l.code);
        }
    }
    if hits.is_empty() {
        for (syn, target) in &levels.synonyms {
            if keys.same_key(syn, &mut buf) {
                if let Some(code) = code_of(levels, target) {
                    push_unique(&mut hits, code);
                }
            }
        }
    }
    match hits.len() {
        1 => Ok((hits[0], Via::FreeText)),
        0 => Err(LevelMiss::Unknown),
        _ => Err(LevelMiss::Ambiguous(
            hits.iter().map(|s| s.to_string()).collect(),
        )),
    }
}

fn push_unique<'a>(v: &mut Vec<&'a str>, s: &'a str) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// The next letter or digit of a text, lower case, in ASCII width.
fn next_folded(chars: &mut std::str::Chars<'_>) -> Option<char> {
    for c in chars.by_ref() {
        let c = fold_width(c);
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                return Some(c.to_ascii_lowercase());
            }
        } else if is_cjk(c) {
            return Some(c);
        } else if c.is_alphanumeric() {
            return Some(lower_pair(c)[0]);
        }
    }
    None
}

/// True when two texts have the same letters and digits (case and width folded).
fn folded_eq(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        match (next_folded(&mut x), next_folded(&mut y)) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
    }
}

/// Latin words that say nothing about which level is meant.
fn is_generic(w: &str) -> bool {
    matches!(
        w,
        "licence"
            | "license"
            | "licensed"
            | "certificate"
            | "certification"
            | "certified"
            | "cert"
            | "level"
            | "levels"
            | "lvl"
            | "grade"
            | "grades"
            | "coach"
            | "coaching"
            | "instructor"
            | "referee"
            | "qualification"
            | "holder"
            | "class"
            | "stage"
            | "award"
            | "the"
            | "of"
            | "and"
            | "or"
            | "above"
            | "plus"
            | "st"
            | "nd"
            | "rd"
            | "th"
            | "no"
    )
}

/// Chinese fragments that say nothing about which level is meant, longest first.
const GENERIC_ZH: &[&str] = &[
    "及以上",
    "以上",
    "教练员",
    "裁判员",
    "证明书",
    "等级",
    "级别",
    "证书",
    "资格",
    "教练",
    "执照",
    "级",
    "证",
    "第",
];

const DIGITS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

#[derive(PartialEq, Clone, Copy)]
enum Class {
    Alpha,
    Digit,
    Cjk,
    Sep,
}

/// Calls `visit` with each comparable word of `text`: lower case, ASCII width,
/// runs of letters, digits and Chinese split apart, generic words removed,
/// numerals (IV, four, 四) written as digits. With `skip_parenthesised`,
/// text in parentheses is left out (in catalogue names that is where the
/// levels are written, "(B级及以上)"). Stops, returning false, as soon as
/// `visit` does. `buf` is scratch space.
pub fn each_word(
    text: &str,
    skip_parenthesised: bool,
    buf: &mut String,
    visit: &mut dyn FnMut(&str) -> bool,
) -> bool {
    if text.is_ascii() && !(skip_parenthesised && text.contains('(')) {
        return each_ascii_word(text, buf, visit);
    }
    buf.clear();
    let mut class = Class::Sep;
    let mut depth = 0usize;
    for c in text.chars() {
        let c = fold_width(c);
        if skip_parenthesised {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > 0 || c == ')' || c == '）' {
                if !flush(buf, class, visit) {
                    return false;
                }
                buf.clear();
                class = Class::Sep;
                continue;
            }
        }
        let lower = if c.is_ascii() || is_cjk(c) {
            [c.to_ascii_lowercase(), '\0']
        } else {
            lower_pair(c)
        };
        for c in lower.into_iter().filter(|c| *c != '\0') {
            let k = if c.is_ascii_alphabetic() {
                Class::Alpha
            } else if c.is_ascii_digit() {
                Class::Digit
            } else if c.is_ascii() {
                Class::Sep
            } else if is_cjk(c) {
                Class::Cjk
            } else if c.is_alphanumeric() {
                Class::Alpha
            } else {
                Class::Sep
            };
            if k != class {
                if !flush(buf, class, visit) {
                    return false;
                }
                buf.clear();
                class = k;
            }
            if k != Class::Sep {
                buf.push(c);
            }
        }
    }
    flush(buf, class, visit)
}

/// [`each_word`] for ASCII text: the same words, without decoding chars.
fn each_ascii_word(s: &str, buf: &mut String, f: &mut dyn FnMut(&str) -> bool) -> bool {
    let b = s.as_bytes();
    let mut small = [0u8; 32];
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if b[i].is_ascii_alphabetic() {
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let run = &b[start..i];
            let word: &str = if run.len() <= small.len() {
                let w = &mut small[..run.len()];
                w.copy_from_slice(run);
                w.make_ascii_lowercase();
                std::str::from_utf8(w).unwrap_or_default()
            } else {
                buf.clear();
                buf.push_str(&s[start..i]);
                buf.make_ascii_lowercase();
                buf
            };
            if !flush(word, Class::Alpha, f) {
                return false;
            }
        } else if b[i].is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if !flush(&s[start..i], Class::Digit, f) {
                return false;
            }
        } else {
            i += 1;
        }
    }
    true
}

fn flush(run: &str, class: Class, f: &mut dyn FnMut(&str) -> bool) -> bool {
    if run.is_empty() {
        return true;
    }
    match class {
        Class::Alpha => is_generic(run) || f(latin_numeral(run).map_or(run, |n| DIGITS[n])),
        Class::Digit => {
            let t = run.trim_start_matches('0');
            f(if t.is_empty() { "0" } else { t })
        }
        Class::Cjk => {
            let mut emit =
                |piece: &str| piece.is_empty() || f(zh_numeral(piece).map_or(piece, |n| DIGITS[n]));
            let (mut start, mut i) = (0, 0);
            while i < run.len() {
                if let Some(g) = GENERIC_ZH.iter().find(|g| run[i..].starts_with(*g)) {
                    if !emit(&run[start..i]) {
                        return false;
                    }
                    i += g.len();
                    start = i;
                } else {
                    i += run[i..].chars().next().map_or(1, char::len_utf8);
                }
            }
            emit(&run[start..])
        }
        Class::Sep => true,
    }
}

/// The words of a text, collected (see [`each_word`]).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, false, &mut String::new(), &mut |w| {
        out.push(w.to_string());
        true
    });
    out
}

/// The lower case of a non-ASCII char (at most two chars are kept; the
/// rare longer expansions do not occur in level names).
fn lower_pair(c: char) -> [char; 2] {
    let mut it = c.to_lowercase();
    [it.next().unwrap_or(c), it.next().unwrap_or('\0')]
}

fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn latin_numeral(w: &str) -> Option<usize> {
    Some(match w {
        "i" | "one" | "first" => 1,
        "ii" | "two" | "second" => 2,
        "iii" | "three" | "third" => 3,
        "iv" | "four" | "fourth" => 4,
        "v" | "five" | "fifth" => 5,
        "vi" | "six" | "sixth" => 6,
        "vii" | "seven" | "seventh" => 7,
        "viii" | "eight" | "eighth" => 8,
        "ix" | "nine" | "ninth" => 9,
        "x" | "ten" | "tenth" => 10,
        _ => return None,
    })
}

fn zh_numeral(w: &str) -> Option<usize> {
    Some(match w {
        "一" => 1,
        "二" | "两" => 2,
        "三" => 3,
        "四" => 4,
        "五" => 5,
        "六" => 6,
        "七" => 7,
        "八" => 8,
        "九" => 9,
        "十" => 10,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zige_catalog::{Bilingual, Issuer, Level, LevelKind};

    fn entry(
        name_zh: &str,
        name_en: &str,
        issuer_en: &str,
        abbr: &str,
        codes: &[(&str, &str, &str)],
        synonyms: &[(&str, &str)],
    ) -> (Entry, Levels) {
        let mut e: Entry = serde_json::from_value(serde_json::json!({
            "id": "x", "catalog": "beijing/3.0", "list": "general", "seq": 1, "code": "G1",
            "name": {"zh": name_zh, "en": name_en, "zh_hant": name_zh}, "aliases": [], "issuers": [],
            "issuer_text": "", "regions": [], "fields": [], "scope": {"zh": "", "en": ""}, "title": null,
            "experience": null, "levels": null, "obligations": [], "exemptions": [], "waivers": [], "notes": [],
            "remark": {"zh": "", "en": ""}, "line": 1
        }))
        .unwrap();
        e.issuers.push(Issuer {
            name: Bilingual::new("", issuer_en),
            abbr: Some(abbr.into()),
        });
        let levels = Levels {
            kind: LevelKind::Scale,
            codes: codes
                .iter()
                .map(|(c, zh, en)| Level {
                    code: c.to_string(),
                    label: Bilingual::new(*zh, *en),
                })
                .collect(),
            minimum: Some(codes[0].0.to_string()),
            not_recognised: vec![],
            synonyms: synonyms
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        (e, levels)
    }

    fn m(e: &(Entry, Levels), input: &str) -> Result<String, LevelMiss> {
        match_level(&e.0, &e.1, input).map(|(c, _)| c.to_string())
    }

    #[test]
    fn football_licences_from_free_text() {
        let uefa = entry(
            "足球教练员等级证书 (B级及以上)",
            "Football Coach Licence (B and above)",
            "Union of European Football Associations",
            "UEFA",
            &[
                ("C", "C级", "C Licence"),
                ("B", "B级", "B Licence"),
                ("A", "A级", "A Licence"),
                ("Pro", "职业级", "Pro Licence"),
            ],
            &[],
        );
        assert_eq!(m(&uefa, "UEFA A licence").unwrap(), "A");
        assert_eq!(m(&uefa, "uefa a license").unwrap(), "A");
        assert_eq!(m(&uefa, "a").unwrap(), "A");
        assert_eq!(m(&uefa, "Pro Licence").unwrap(), "Pro");
        assert_eq!(m(&uefa, "UEFA PRO").unwrap(), "Pro");
        assert_eq!(m(&uefa, "B级").unwrap(), "B");
        assert_eq!(m(&uefa, "职业级").unwrap(), "Pro");
        assert_eq!(m(&uefa, "UEFA Football Coach Licence B").unwrap(), "B");
        assert_eq!(m(&uefa, "UEFA D licence"), Err(LevelMiss::Unknown));
        assert_eq!(m(&uefa, "licence"), Err(LevelMiss::Unknown));
    }

    #[test]
    fn numbered_scales_from_words_roman_and_chinese_numerals() {
        let knsb = entry(
            "速度滑冰教练员证书 (Level 4 四级)",
            "Speed Skating Coach Certificate (Level 4)",
            "Royal Dutch Skating Federation",
            "KNSB",
            &[
                ("1", "一级", "Level 1"),
                ("2", "二级", "Level 2"),
                ("3", "三级", "Level 3"),
                ("4", "四级", "Level 4"),
                ("5", "五级", "Level 5"),
            ],
            &[],
        );
        assert_eq!(m(&knsb, "Level 4").unwrap(), "4");
        assert_eq!(m(&knsb, "level four").unwrap(), "4");
        assert_eq!(m(&knsb, "四级").unwrap(), "4");
        assert_eq!(m(&knsb, "KNSB Level IV coach").unwrap(), "4");
        assert_eq!(m(&knsb, "Ｌｅｖｅｌ　５").unwrap(), "5");
        assert_eq!(m(&knsb, "Level 6"), Err(LevelMiss::Unknown));

        let asqa = entry(
            "舞蹈/表演/音乐剧资格证书 (四级及以上)",
            "Dance, Performance and Musical Theatre Qualifications (Certificate IV and above)",
            "Australian Skills Quality Authority",
            "ASQA",
            &[
                ("cert-1", "一级证书", "Certificate I"),
                ("cert-2", "二级证书", "Certificate II"),
                ("cert-3", "三级证书", "Certificate III"),
                ("cert-4", "四级证书", "Certificate IV"),
                ("diploma", "文凭", "Diploma"),
                ("advanced-diploma", "高级文凭", "Advanced Diploma"),
            ],
            &[],
        );
        assert_eq!(m(&asqa, "Certificate IV").unwrap(), "cert-4");
        assert_eq!(m(&asqa, "Cert 3").unwrap(), "cert-3");
        assert_eq!(m(&asqa, "advanced diploma").unwrap(), "advanced-diploma");
        assert_eq!(m(&asqa, "Diploma of Dance").unwrap(), "diploma");

        let rad = entry(
            "英国皇家舞蹈学院证书 (8级及以上)",
            "Royal Academy of Dance Certificate (Grade 8 and above)",
            "Royal Academy of Dance",
            "RAD",
            &(1..=8)
                .map(|i| {
                    (
                        Box::leak(format!("grade-{i}").into_boxed_str()) as &str,
                        "",
                        "",
                    )
                })
                .collect::<Vec<_>>(),
            &[("g8", "grade-8")],
        );
        assert_eq!(m(&rad, "grade 8").unwrap(), "grade-8");
        assert_eq!(m(&rad, "Grade VIII").unwrap(), "grade-8");
        assert_eq!(m(&rad, "RAD grade 6").unwrap(), "grade-6");
        assert_eq!(m(&rad, "G8").unwrap(), "grade-8");
    }

    #[test]
    fn words_fold_generic_parts() {
        assert_eq!(words("UEFA A-Licence"), ["uefa", "a"]);
        assert_eq!(words("三级及以上"), ["3"]);
        assert_eq!(words("grade8"), ["8"]);
        assert_eq!(words("Level 04"), ["4"]);
        assert_eq!(words("level 0"), ["0"]);
    }
}
