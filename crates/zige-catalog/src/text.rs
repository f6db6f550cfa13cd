//! Small text helpers shared by the importer, the overlay and the diff.

use serde::{Deserialize, Serialize};

/// A human-readable string in both of Zige's languages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Bilingual {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The two languages every human-readable string exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        let text = text.trim().to_ascii_lowercase();
        if text.starts_with("zh") {
            Some(Lang::Zh)
        } else if text.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// True for the ideographs and the CJK punctuation the catalogue uses.
pub fn is_cjk(character: char) -> bool {
    matches!(character,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Removes the stray spaces the publication leaves inside Chinese text
/// ("建筑与工程 服务", "科技、工程 、信息技术") and collapses the others
/// (between Latin words, or Chinese and Latin) to one.
pub fn tidy_spaces(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            let inside_chinese = matches!((prev, next), (Some(p), Some(n)) if (is_cjk(p) || is_cjk_punct(p)) && (is_cjk(n) || is_cjk_punct(n)));
            if !inside_chinese && prev.is_some() && next.is_some() {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '、' | '，' | '。' | '；' | '：' | '（' | '）' | '【' | '】' | '“' | '”' | '—'
    )
}

/// A comparison key: NFKC, lower case, letters and digits only. Used to
/// match names across editions and aliases across entries.
pub fn norm_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        // NFKC leaves ASCII as it is: only case and separators to fold.
        return text
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Traditional-Chinese form of a simplified text (generated, never typed by hand).
pub fn to_traditional(text: &str) -> String {
    crate::chinese_script::to_traditional(text)
}

/// Simplified-Chinese form of a text that may be written in traditional characters.
pub fn to_simplified(text: &str) -> String {
    crate::chinese_script::to_simplified(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_spaces_inside_chinese_are_removed_latin_spaces_kept() {
        assert_eq!(tidy_spaces("科技、工程 、信息技术"), "科技、工程、信息技术");
        assert_eq!(tidy_spaces("建筑与工程 服务"), "建筑与工程服务");
        assert_eq!(
            tidy_spaces("Green Business  Certification, Inc"),
            "Green Business Certification, Inc"
        );
        assert_eq!(
            tidy_spaces("IEEE会士证书 (Fellow)"),
            "IEEE会士证书 (Fellow)"
        );
    }

    #[test]
    fn norm_key_folds_width_case_and_punctuation() {
        assert_eq!(norm_key("ＰＭＰ"), "pmp");
        assert_eq!(norm_key("AZ-305"), "az305");
        assert_eq!(norm_key("LEED AP"), "leedap");
    }

    #[test]
    fn script_conversion_round_trips_catalogue_words() {
        assert_eq!(to_traditional("药剂师"), "藥劑師");
        assert_eq!(to_simplified("結構工程師"), "结构工程师");
    }
}
