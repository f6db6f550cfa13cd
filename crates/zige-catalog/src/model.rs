//! The structured catalogue: one [`Catalog`] per (jurisdiction, version),
//! made of [`Entry`] values whose JSON shape every feature of Zige shares.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use crate::overlay::LevelKind;
pub use crate::remark::{ExperienceUnit, TitleLevel};
use crate::text::{norm_key, Bilingual, Lang};

/// `beijing/3.0`: a jurisdiction and an edition of its catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CatalogId {
    pub jurisdiction: String,
    pub version: String,
}

impl CatalogId {
    /// Parses `beijing/3.0`. Both parts must be non-empty and made of
    /// lower-case letters, digits, `-` and `.`.
    pub fn parse(text: &str) -> Result<CatalogId, String> {
        let (j, v) = text.split_once('/').ok_or_else(|| {
            format!("catalog '{text}' must look like jurisdiction/version, e.g. beijing/3.0")
        })?;
        let ok = |p: &str| {
            !p.is_empty()
                && p.len() <= 40
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        };
        if !ok(j) || !ok(v) {
            return Err(format!("catalog '{text}' must look like jurisdiction/version with lower-case letters, digits, '-' and '.', e.g. beijing/3.0"));
        }
        Ok(CatalogId {
            jurisdiction: j.into(),
            version: v.into(),
        })
    }
}

impl fmt::Display for CatalogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.jurisdiction, self.version)
    }
}

impl Serialize for CatalogId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CatalogId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CatalogId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListInfo {
    pub key: String,
    pub letter: String,
    pub name: Bilingual,
    pub declared: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: CatalogId,
    pub published: String,
    pub title: Bilingual,
    pub lists: Vec<ListInfo>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Names {
    /// The published Chinese name, tidied of stray spaces.
    pub zh: String,
    /// The official English name.
    pub en: String,
    /// The traditional-Chinese form, generated from `zh`.
    pub zh_hant: String,
    /// The Chinese name shown where people must tell entries apart: the
    /// overlay's reviewed `name_zh_display` (the official name with a
    /// qualifier, e.g. 教师资格证书（美国纽约州）) where the official name is
    /// shared, else equal to `zh`. No two entries of an edition share one.
    #[serde(default)]
    pub display_zh: String,
}

impl Names {
    /// The name to show a person reading `lang`: the Chinese display name
    /// or the English name. Use it wherever entries must be told apart;
    /// `zh` stays the official name, verbatim.
    pub fn shown(&self, lang: impl std::borrow::Borrow<Lang>) -> &str {
        match lang.borrow() {
            Lang::Zh if !self.display_zh.is_empty() => &self.display_zh,
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Both names to show, as a [`Bilingual`]: the Chinese display name and
    /// the English name.
    pub fn shown_both(&self) -> Bilingual {
        Bilingual::new(self.shown(Lang::Zh), self.shown(Lang::En))
    }

    /// Whether the Chinese display name differs from the official name.
    pub fn has_display_zh(&self) -> bool {
        !self.display_zh.is_empty() && self.display_zh != self.zh
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Issuer {
    pub name: Bilingual,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub abbr: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    /// ISO 3166-1 alpha-2 where one exists.
    pub code: Option<String>,
    /// As the catalogue names it (zh) and in English.
    pub name: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Field {
    pub key: String,
    pub name: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Experience {
    pub years: u8,
    pub unit: ExperienceUnit,
    pub text: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Level {
    pub code: String,
    pub label: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Levels {
    pub kind: LevelKind,
    /// Scale: every code, lowest first. Variants: the recognised ones.
    pub codes: Vec<Level>,
    /// Scale only: the lowest recognised code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub minimum: Option<String>,
    /// Variants known but not recognised.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub not_recognised: Vec<Level>,
    /// Other names people write for a code (lower case) → the code.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub synonyms: BTreeMap<String, String>,
}

/// A coded statement taken from the remark (obligation, waiver).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coded {
    pub code: String,
    pub text: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exemption {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub papers: Option<u8>,
    pub text: Bilingual,
}

/// One way to check that a certificate is genuine: what to check, in plain
/// words in both languages, and where, when the issuer has a public register
/// or verification service (or at least an official site to look on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationGuide {
    /// One or two sentences on what to check or whom to ask.
    pub how: Bilingual,
    /// The issuer's register, verification service or official site; always
    /// `https://`. Absent where there is nothing to look up online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One qualification of one edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    /// Stable slug, kept across editions.
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub catalog: CatalogId,
    pub list: String,
    pub seq: u32,
    /// List letter and number: `U1`, `G31`.
    pub code: String,
    pub name: Names,
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub shared_aliases: Vec<String>,
    pub issuers: Vec<Issuer>,
    /// The issuer cell as published (runs of spaces collapsed to one).
    pub issuer_text: String,
    pub regions: Vec<Region>,
    pub fields: Vec<Field>,
    pub scope: Bilingual,
    pub title: Option<TitleLevel>,
    pub experience: Option<Experience>,
    pub levels: Option<Levels>,
    pub obligations: Vec<Coded>,
    pub exemptions: Vec<Exemption>,
    pub waivers: Vec<Coded>,
    pub notes: Vec<Bilingual>,
    /// The remark verbatim (zh) and in English.
    pub remark: Bilingual,
    /// How a reviewer checks that an applicant's certificate of this entry
    /// is genuine, from the reviewed overlay, in order of preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify: Vec<VerificationGuide>,
    /// Line of the row in the official text.
    pub line: usize,
    /// True where the overlay has no English for this entry yet.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub translation_pending: bool,
}

impl Entry {
    pub fn has_waiver(&self, code: &str) -> bool {
        self.waivers.iter().any(|w| w.code == code)
    }

    /// Every alias, shared or not.
    pub fn all_aliases(&self) -> impl Iterator<Item = &String> {
        self.aliases.iter().chain(&self.shared_aliases)
    }
}

impl Catalog {
    /// Finds an entry by its list code (`G31`, case-insensitive) or stable id.
    pub fn find(&self, reference: &str) -> Option<&Entry> {
        let r = reference.trim();
        if let Some((letter, seq)) = split_code(r) {
            if let Some(list) = self
                .lists
                .iter()
                .find(|l| l.letter.eq_ignore_ascii_case(&letter))
            {
                return self
                    .entries
                    .iter()
                    .find(|e| e.list == list.key && e.seq == seq);
            }
        }
        let lower = r.to_ascii_lowercase();
        self.entries.iter().find(|e| e.id == lower)
    }

    /// Up to three entries close to a reference that found nothing.
    pub fn suggest(&self, reference: &str) -> Vec<&Entry> {
        let r = reference.trim();
        if let Some((letter, seq)) = split_code(r) {
            let mut same: Vec<&Entry> = self
                .entries
                .iter()
                .filter(|e| {
                    self.list(&e.list)
                        .is_some_and(|l| l.letter.eq_ignore_ascii_case(&letter))
                })
                .collect();
            same.sort_by_key(|e| e.seq.abs_diff(seq));
            if !same.is_empty() {
                same.truncate(3);
                return same;
            }
        }
        let key = norm_key(r);
        let mut scored: Vec<(usize, &Entry)> = self
            .entries
            .iter()
            .map(|e| {
                (
                    levenshtein(&key, &norm_key(&e.id)).min(levenshtein(&key, &norm_key(&e.code))),
                    e,
                )
            })
            .collect();
        scored.sort_by_key(|(d, e)| (*d, e.line));
        scored.into_iter().take(3).map(|(_, e)| e).collect()
    }

    pub fn list(&self, key: &str) -> Option<&ListInfo> {
        self.lists.iter().find(|l| l.key == key)
    }

    /// Entries of one list, in order.
    pub fn entries_of<'a>(&'a self, list: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.list == list)
    }
}

/// `G31` → ("G", 31).
pub fn split_code(text: &str) -> Option<(String, u32)> {
    let letters: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let digits = &text[letters.len()..];
    if letters.is_empty()
        || letters.len() > 2
        || digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit())
        || digits.len() > 6
    {
        return None;
    }
    Some((letters.to_ascii_uppercase(), digits.parse().ok()?))
}

/// Plain Levenshtein distance over chars.
pub fn levenshtein(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut prev: Vec<usize> = (0..=right.len()).collect();
    let mut cur = vec![0; right.len() + 1];
    for (i, ca) in left.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in right.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[right.len()]
}
