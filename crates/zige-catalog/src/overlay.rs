//! The curated, reviewed overlay: what the official text lacks (English
//! names, aliases, English fields, split issuers, level scales, how to
//! verify each entry's certificate). The text
//! itself is never edited; the overlay is data checked by tests.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::text::{Bilingual, Lang};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    pub catalog: CatalogMeta,
    #[serde(default)]
    pub lists: Vec<ListMeta>,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldMeta>,
    /// Keyed by position in this edition: `U1`, `G31`.
    #[serde(default)]
    pub entries: BTreeMap<String, EntryOverlay>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogMeta {
    pub jurisdiction: String,
    pub version: String,
    pub published: String,
    pub title: Bilingual,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ListMeta {
    pub key: String,
    pub letter: String,
    pub name: Bilingual,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FieldMeta {
    pub key: String,
    pub en: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EntryOverlay {
    pub id: String,
    pub name_en: String,
    /// The reviewed Chinese display name, where the official name is shared
    /// with another entry (the official name with a qualifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh_display: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub shared_aliases: Vec<String>,
    #[serde(default)]
    pub scope_en: String,
    #[serde(default)]
    pub issuers: Vec<IssuerOverlay>,
    /// English for notes the remark parser could not map (in order).
    #[serde(default)]
    pub notes_en: Vec<String>,
    #[serde(default)]
    pub levels: Option<LevelsOverlay>,
    /// How a reviewer checks that a certificate of this entry is genuine
    /// (`[[entries.G14.verify]]`), in order of preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify: Vec<VerificationOverlay>,
}

/// One way to check a certificate: what to check in both languages and,
/// where there is one, the `https://` address of the issuer's register,
/// verification service or official site.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VerificationOverlay {
    pub how: Bilingual,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IssuerOverlay {
    pub zh: String,
    pub en: String,
    #[serde(default)]
    pub abbr: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LevelKind {
    Scale,
    Variants,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LevelsOverlay {
    pub kind: LevelKind,
    pub codes: Vec<String>,
    #[serde(default)]
    pub minimum: Option<String>,
    #[serde(default)]
    pub not_recognised: Vec<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, Bilingual>,
    #[serde(default)]
    pub synonyms: BTreeMap<String, String>,
}

/// Countries and regions, and the places inside them that issuers name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Places {
    #[serde(default)]
    pub region: Vec<RegionMeta>,
    #[serde(default)]
    pub place: Vec<PlaceMeta>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RegionMeta {
    pub zh: String,
    pub code: String,
    pub en: String,
    #[serde(default)]
    pub zh_aliases: Vec<String>,
    #[serde(default)]
    pub en_aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PlaceMeta {
    pub zh: Vec<String>,
    pub en: Vec<String>,
    pub region: String,
}

/// Problems in an overlay or places file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverlayError {
    #[error("overlay is not valid TOML: {0}")]
    Syntax(String),
}

impl OverlayError {
    /// The message in `lang`. The TOML parser's own description of the
    /// fault, quoted at the end, is in English in both.
    pub fn message_in(&self, lang: Lang) -> String {
        match (self, lang) {
            (OverlayError::Syntax(_), Lang::En) => self.to_string(),
            (OverlayError::Syntax(detail), Lang::Zh) => {
                format!("对照表不是有效的 TOML 文件：{detail}")
            }
        }
    }
}

pub fn parse_overlay(text: &str) -> Result<Overlay, OverlayError> {
    toml::from_str(text).map_err(|e| OverlayError::Syntax(e.to_string()))
}

pub fn parse_places(text: &str) -> Result<Places, OverlayError> {
    toml::from_str(text).map_err(|e| OverlayError::Syntax(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_overlay_error_has_a_chinese_and_an_english_message() {
        let error = parse_overlay("[catalog\n").unwrap_err();
        // Every kind of error: a new variant must be added here.
        match &error {
            OverlayError::Syntax(_) => {}
        }
        let (zh, en) = (error.message_in(Lang::Zh), error.message_in(Lang::En));
        assert!(zh.starts_with("对照表不是有效的 TOML 文件："), "{zh}");
        assert_eq!(en, error.to_string());
        assert!(en.starts_with("overlay is not valid TOML: "), "{en}");
    }
}
