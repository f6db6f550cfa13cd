//! Regional forms → mainland forms: the Japanese shapes of characters
//! (薬 → 药) and the terms Taiwan, Hong Kong and Japan use for what the
//! mainland calls otherwise (軟體 → 软件, 牌照 → 执照, 税理士 → 税务师). Applied
//! to text already normalised (traditional → simplified), so a query or a
//! pasted text written the regional way reaches the catalogue's words.
//!
//! The dictionary is data, `data/regional.toml`, read once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use crate::normalize::normalize;

/// The built-in dictionary of regional forms.
pub const REGIONAL: &str = include_str!("../data/regional.toml");

/// The file: each table holds one region's forms.
#[derive(Deserialize)]
struct RegionalFile {
    characters: BTreeMap<String, BTreeMap<String, String>>,
    terms: BTreeMap<String, BTreeMap<String, String>>,
}

/// A term in mainland characters with what replaces it.
struct Term {
    chars: Vec<char>,
    mainland: String,
}

/// The dictionary, prepared for lookups.
struct Dictionary {
    /// A character's mainland form.
    characters: HashMap<char, String>,
    /// Terms by their first character, longest first. A term's characters
    /// are normalised and passed through `characters`, and so is the text
    /// compared with it.
    terms: HashMap<char, Vec<Term>>,
}

impl Dictionary {
    fn parse(toml_text: &str) -> Result<Dictionary, String> {
        let file: RegionalFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let mut characters = HashMap::default();
        for (from, to) in file.characters.values().flatten() {
            let normal = normalize(from);
            let mut chars = normal.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => {
                    characters.insert(c, to.clone());
                }
                _ => return Err(format!("{from:?} is not one character")),
            }
        }
        let mut dictionary = Dictionary {
            characters,
            terms: HashMap::default(),
        };
        for (from, to) in file.terms.values().flatten() {
            let chars: Vec<char> = normalize(from)
                .chars()
                .map(|c| dictionary.mainland_char(c))
                .collect();
            let Some(&first) = chars.first() else {
                return Err("an empty term".into());
            };
            dictionary.terms.entry(first).or_default().push(Term {
                chars,
                mainland: to.clone(),
            });
        }
        for list in dictionary.terms.values_mut() {
            list.sort_by_key(|t| std::cmp::Reverse(t.chars.len()));
        }
        Ok(dictionary)
    }

    /// The character's mainland form when that is one character, else the
    /// character itself (for comparing with terms).
    fn mainland_char(&self, c: char) -> char {
        let mut to = self.characters.get(&c).map(|s| s.chars());
        match to.as_mut().map(|t| (t.next(), t.next())) {
            Some((Some(m), None)) => m,
            _ => c,
        }
    }

    /// Whether a regional form may start at `c` (every form is Chinese).
    fn may_start(&self, c: char) -> bool {
        !c.is_ascii() && (self.characters.contains_key(&c) || self.terms.contains_key(&c))
    }

    /// The longest term standing at `start` of `chars`.
    fn term_at(&self, chars: &[char], start: usize) -> Option<&Term> {
        let rest = &chars[start..];
        let list = self.terms.get(&self.mainland_char(rest[0]))?;
        list.iter().find(|t| {
            t.chars.len() <= rest.len()
                && t.chars
                    .iter()
                    .zip(rest)
                    .all(|(a, b)| *a == self.mainland_char(*b))
        })
    }
}

fn dictionary() -> &'static Dictionary {
    static D: OnceLock<Dictionary> = OnceLock::new();
    D.get_or_init(|| Dictionary::parse(REGIONAL).expect("built-in regional.toml is valid (tested)"))
}

/// Where regional forms stand in `chars` (normalised, simplified text):
/// character spans [start, end) with the mainland form that replaces each,
/// left to right, the longest term first. Spans whose text is already the
/// mainland form are left out.
pub fn replacements(chars: &[char]) -> Vec<(usize, usize, &'static str)> {
    let d = dictionary();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(term) = d.term_at(chars, i) {
            let end = i + term.chars.len();
            if !chars[i..end].iter().copied().eq(term.mainland.chars()) {
                out.push((i, end, term.mainland.as_str()));
            }
            i = end;
            continue;
        }
        if let Some(to) = d.characters.get(&chars[i]) {
            out.push((i, i + 1, to.as_str()));
        }
        i += 1;
    }
    out
}

/// `text` (normalised, simplified) with its regional forms replaced by the
/// mainland ones.
pub fn to_mainland(text: &str) -> String {
    into_mainland(text.to_string())
}

/// As [`to_mainland`], keeping `text` itself when nothing changes.
pub(crate) fn into_mainland(text: String) -> String {
    let d = dictionary();
    if !text.chars().any(|c| d.may_start(c)) {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let spans = replacements(&chars);
    if spans.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, mainland) in spans {
        out.extend(&chars[at..start]);
        out.push_str(mainland);
        at = end;
    }
    out.extend(&chars[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use zige_catalog::text::to_simplified;

    fn mainland(text: &str) -> String {
        to_mainland(&normalize(text))
    }

    #[test]
    fn the_built_in_dictionary_parses() {
        let d = Dictionary::parse(REGIONAL).expect("regional.toml parses");
        assert!(d.characters.len() > 100);
        assert!(d.terms.values().map(Vec::len).sum::<usize>() > 20);
    }

    #[test]
    fn a_wrong_dictionary_is_refused() {
        let two = "[characters.x]\n\"薬剤\" = \"药剂\"\n[terms]\n";
        assert!(Dictionary::parse(two).is_err());
        assert!(Dictionary::parse("[characters]").is_err());
    }

    #[test]
    fn the_simplifier_already_converts_these_regional_spellings() {
        // Traditional → simplified alone gives the catalogue's words here,
        // so the dictionary has no entry for them.
        for (regional, simplified) in [
            ("諮商心理師", "咨商心理师"),
            ("語言治療師", "语言治疗师"),
            ("物理治療師", "物理治疗师"),
            ("註冊會計師", "注册会计师"),
            ("執業藥師", "执业药师"),
            ("執照", "执照"),
            ("獸醫師", "兽医师"),
            ("中小企業診断士", "中小企业诊断士"),
            ("心理師", "心理师"),
        ] {
            assert_eq!(to_simplified(regional), simplified);
            assert_eq!(mainland(regional), simplified, "{regional}");
        }
    }

    #[test]
    fn the_simplifier_leaves_japanese_forms_which_the_dictionary_converts() {
        for (japanese, mainland_form) in [
            ("薬剤師", "药剂师"),
            ("獣医師", "兽医师"),
            ("検査", "检查"),
            ("保険", "保险"),
            ("労働", "劳动"),
            ("経営", "经营"),
            ("児童", "儿童"),
            ("広告", "广告"),
            ("団体", "团体"),
            ("総合", "总合"),
            ("関係", "关系"),
            ("歯", "齿"),
        ] {
            assert_ne!(to_simplified(japanese), mainland_form, "{japanese}");
            assert_eq!(mainland(japanese), mainland_form, "{japanese}");
        }
    }

    #[test]
    fn every_entry_does_something_the_simplifier_does_not() {
        let file: RegionalFile = toml::from_str(REGIONAL).expect("parses");
        for (from, to) in file.characters.values().flatten() {
            assert_ne!(normalize(from), *to, "{from} needs no entry");
        }
        for (from, to) in file.terms.values().flatten() {
            let simplified = normalize(from);
            let guard = simplified == *to;
            assert!(
                !guard || to_mainland(&simplified) == *to,
                "{from} is a guard but changes"
            );
            if !guard {
                // What the characters alone would give is not the term.
                let by_characters: String = simplified
                    .chars()
                    .map(|c| dictionary().mainland_char(c))
                    .collect();
                assert_ne!(by_characters, *to, "{from} needs no term");
            }
        }
    }

    #[test]
    fn mainland_forms_are_simplified_and_left_alone() {
        let file: RegionalFile = toml::from_str(REGIONAL).expect("parses");
        for to in file
            .characters
            .values()
            .chain(file.terms.values())
            .flat_map(BTreeMap::values)
        {
            assert_eq!(normalize(to), *to, "{to} is not simplified");
            assert_eq!(to_mainland(to), *to, "{to} would change again");
        }
    }

    #[test]
    fn the_longest_term_wins_and_guards_keep_their_words() {
        assert_eq!(mainland("公認会計士"), "注册会计师");
        assert_eq!(mainland("会計士"), "会计师");
        assert_eq!(mainland("栄養士"), "营养师");
        assert_eq!(mainland("栄誉"), "荣誉");
        assert_eq!(mainland("程式設計"), "程序设计");
        assert_eq!(mainland("方程式"), "方程式");
        assert_eq!(mainland("軟體工程師"), "软件工程师");
        assert_eq!(mainland("職能治療師"), "职业治疗师");
        assert_eq!(mainland("PMP 專案管理"), "pmp 项目管理");
    }

    #[test]
    fn mainland_text_is_unchanged() {
        for text in [
            "精算师",
            "药剂师（执业药师）资格",
            "咨商心理师",
            "kubernetes 管理员",
            "",
        ] {
            assert_eq!(to_mainland(text), text);
            assert!(replacements(&text.chars().collect::<Vec<_>>()).is_empty());
        }
    }

    #[test]
    fn replacements_give_character_spans() {
        let chars: Vec<char> = normalize("私は公認会計士と薬剤師").chars().collect();
        assert_eq!(
            replacements(&chars),
            vec![(2, 7, "注册会计师"), (8, 9, "药"), (9, 10, "剂")]
        );
    }
}
