//! The problems a build reports: every gap or inconsistency between the
//! official text, the overlay and the places table, each with its place and
//! a message in English and in Chinese.

use crate::text::{Bilingual, Lang};

/// A gap or inconsistency between the text, the overlay and the places table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// `U1`, `G31`, a field term, or `catalog`.
    pub at: String,
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Chinese. Not serialised, so that the JSON of a
    /// problem keeps its shape (`at`, `message`); read it with
    /// [`Problem::message_in`].
    #[serde(skip)]
    pub message_zh: String,
}

impl Problem {
    pub(crate) fn new(at: impl Into<String>, kind: ProblemKind) -> Problem {
        let Bilingual { zh, en } = kind.message();
        Problem {
            at: at.into(),
            message: en,
            message_zh: zh,
        }
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            Lang::En => &self.message,
        }
    }
}

/// Every kind of problem a build reports, with what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProblemKind {
    CatalogIdMalformed { id: String },
    PublishedDateMalformed { date: String },
    SectionWithoutList { number: usize, name: String },
    MoreListsThanSections,
    NoOverlayEntry,
    OverlayEntryNotInText,
    IdNotSlug { id: String },
    ScopeEnEmpty,
    NoteWithoutEnglish { note: String },
    NoIssuers,
    IssuerNotInCell { issuer: String, cell: String },
    IssuerWithoutEnglish { issuer: String },
    RegionNotInPlaces { region: String },
    FieldNotInOverlay { term: String },
    LevelWithoutLabel { level: String },
    NoLevelCodes,
    LevelCodeTwice { code: String },
    MinimumNotACode { minimum: String },
    ScaleWithoutMinimum,
    VariantsWithMinimum,
    SynonymOfUnknownCode { synonym: String, target: String },
    IdUsedTwice { id: String, other: String },
    AliasNotShared { alias: String, owners: Vec<String> },
    DisplayNameShared { name: String, owners: Vec<String> },
    VerificationWithoutText { number: usize, lang: Lang },
    VerificationUrlNotHttps { number: usize, url: String },
}

impl ProblemKind {
    /// The message, in Chinese and English.
    fn message(&self) -> Bilingual {
        use ProblemKind::*;
        let (zh, en) = match self {
            CatalogIdMalformed { id } => (
                format!("目录编号“{id}”格式不符，应为“地区/版本”"),
                format!("catalog id '{id}' is not of the form jurisdiction/version"),
            ),
            PublishedDateMalformed { date } => (
                format!("发布日期“{date}”格式不符，应为“年-月-日”（YYYY-MM-DD）"),
                format!("published date '{date}' is not YYYY-MM-DD"),
            ),
            SectionWithoutList { number, name } => (
                format!("第{number}个清单（{name}）在对照表中没有对应的 [[lists]] 条目"),
                format!("section {number} ({name}) has no [[lists]] entry in the overlay"),
            ),
            MoreListsThanSections => (
                "对照表所列清单多于文本中的清单".to_string(),
                "the overlay names more lists than the text has sections".to_string(),
            ),
            NoOverlayEntry => (
                "对照表中没有该条目：缺少英文名称、稳定编号和别名".to_string(),
                "no overlay entry: English name, id and aliases are missing".to_string(),
            ),
            OverlayEntryNotInText => (
                "对照表所列条目在文本中不存在".to_string(),
                "the overlay names an entry the text does not have".to_string(),
            ),
            IdNotSlug { id } => (
                format!("稳定编号“{id}”不符合要求，只能由小写字母 a-z、数字 0-9 和“-”组成"),
                format!("id '{id}' is not a slug of a-z, 0-9 and '-'"),
            ),
            ScopeEnEmpty => (
                "从业范围的英文译文（scope_en）为空".to_string(),
                "scope_en is empty".to_string(),
            ),
            NoteWithoutEnglish { note } => (
                format!("备注中的说明“{note}”缺少英文译文（notes_en）"),
                format!("remark note '{note}' has no English (notes_en)"),
            ),
            NoIssuers => (
                "对照表中未列明颁发机构".to_string(),
                "no issuers in the overlay".to_string(),
            ),
            IssuerNotInCell { issuer, cell } => (
                format!("颁发机构“{issuer}”未见于公布文本的颁发机构栏“{cell}”"),
                format!("issuer '{issuer}' does not appear in the published issuer cell '{cell}'"),
            ),
            IssuerWithoutEnglish { issuer } => (
                format!("颁发机构“{issuer}”缺少英文名称"),
                format!("issuer '{issuer}' has no English name"),
            ),
            RegionNotInPlaces { region } => (
                format!("国家（地区）“{region}”未收入地区表（places.toml）"),
                format!("region '{region}' is not in places.toml"),
            ),
            FieldNotInOverlay { term } => (
                format!("领域“{term}”在对照表中没有对应的 [fields] 条目"),
                format!("field '{term}' has no [fields] entry in the overlay"),
            ),
            LevelWithoutLabel { level } => (
                format!("级别“{level}”缺少名称"),
                format!("level '{level}' has no label"),
            ),
            NoLevelCodes => (
                "级别表至少应有一个级别代码".to_string(),
                "a level table needs at least one code".to_string(),
            ),
            LevelCodeTwice { code } => (
                format!("级别代码“{code}”重复出现"),
                format!("level code '{code}' appears twice"),
            ),
            MinimumNotACode { minimum } => (
                format!("最低级别“{minimum}”不在所列级别代码之中"),
                format!("minimum '{minimum}' is not one of the codes"),
            ),
            ScaleWithoutMinimum => (
                "按级别认可的，须规定最低级别".to_string(),
                "a scale needs a minimum".to_string(),
            ),
            VariantsWithMinimum => (
                "按类别认可的，不设最低级别".to_string(),
                "variants take no minimum".to_string(),
            ),
            SynonymOfUnknownCode { synonym, target } => (
                format!("同义写法“{synonym}”指向不存在的级别代码“{target}”"),
                format!("synonym '{synonym}' names unknown code '{target}'"),
            ),
            IdUsedTwice { id, other } => (
                format!("稳定编号“{id}”已被 {other} 使用"),
                format!("id '{id}' is also used by {other}"),
            ),
            AliasNotShared { alias, owners } => (
                format!(
                    "别名“{alias}”同时用于 {}，但未在各条目中均标注为共用",
                    owners.join("、")
                ),
                format!(
                    "alias '{alias}' is claimed by {} but not marked shared by all",
                    owners.join(", ")
                ),
            ),
            DisplayNameShared { name, owners } => (
                format!(
                    "{} 的中文显示名称均为“{name}”，无法区分：请在对照表中为各条目填写不同的 name_zh_display（官方名称加颁发机构或地区）",
                    owners.join("、")
                ),
                format!(
                    "{} share the Chinese display name '{name}' and cannot be told apart: give each a distinct name_zh_display in the overlay (the official name with its issuer or region)",
                    owners.join(", ")
                ),
            ),
            VerificationWithoutText { number, lang } => {
                let (zh_side, en_side, key) = match lang {
                    Lang::Zh => ("中文", "Chinese", "how.zh"),
                    Lang::En => ("英文", "English", "how.en"),
                };
                (
                    format!("第{number}条证书核验说明（verify）缺少{zh_side}（{key}）"),
                    format!("verification {number} (verify) has no {en_side} text ({key})"),
                )
            }
            VerificationUrlNotHttps { number, url } => (
                format!(
                    "第{number}条证书核验说明（verify）的网址“{url}”无效，须为以 https:// 开头的完整网址"
                ),
                format!(
                    "verification {number} (verify) has url '{url}', which is not a full https:// address"
                ),
            ),
        };
        Bilingual { zh, en }
    }
}

#[cfg(test)]
mod tests {
    use super::ProblemKind::*;
    use super::*;

    /// One problem of every kind. [`index`] makes a new kind fail to
    /// compile until it is numbered, and the test below fails until it is
    /// listed here.
    fn one_of_each() -> Vec<ProblemKind> {
        let s = |x: &str| x.to_string();
        vec![
            CatalogIdMalformed { id: s("beijing") },
            PublishedDateMalformed {
                date: s("2023-13-01"),
            },
            SectionWithoutList {
                number: 3,
                name: s("其他清单"),
            },
            MoreListsThanSections,
            NoOverlayEntry,
            OverlayEntryNotInText,
            IdNotSlug { id: s("PMP Cert") },
            ScopeEnEmpty,
            NoteWithoutEnglish {
                note: s("限本市")
            },
            NoIssuers,
            IssuerNotInCell {
                issuer: s("美国项目管理协会"),
                cell: s("英国皇家特许测量师学会"),
            },
            IssuerWithoutEnglish {
                issuer: s("美国项目管理协会"),
            },
            RegionNotInPlaces {
                region: s("亚特兰蒂斯"),
            },
            FieldNotInOverlay { term: s("航天") },
            LevelWithoutLabel { level: s("B") },
            NoLevelCodes,
            LevelCodeTwice { code: s("A") },
            MinimumNotACode { minimum: s("Z") },
            ScaleWithoutMinimum,
            VariantsWithMinimum,
            SynonymOfUnknownCode {
                synonym: s("pro"),
                target: s("Z"),
            },
            IdUsedTwice {
                id: s("pmp"),
                other: s("G14"),
            },
            AliasNotShared {
                alias: s("cpa"),
                owners: vec![s("G1"), s("G2")],
            },
            DisplayNameShared {
                name: s("教师资格证书"),
                owners: vec![s("G46"), s("G47")],
            },
            VerificationWithoutText {
                number: 1,
                lang: Lang::En,
            },
            VerificationUrlNotHttps {
                number: 2,
                url: s("http://www.pmi.org/"),
            },
        ]
    }

    fn index(kind: &ProblemKind) -> usize {
        match kind {
            CatalogIdMalformed { .. } => 0,
            PublishedDateMalformed { .. } => 1,
            SectionWithoutList { .. } => 2,
            MoreListsThanSections => 3,
            NoOverlayEntry => 4,
            OverlayEntryNotInText => 5,
            IdNotSlug { .. } => 6,
            ScopeEnEmpty => 7,
            NoteWithoutEnglish { .. } => 8,
            NoIssuers => 9,
            IssuerNotInCell { .. } => 10,
            IssuerWithoutEnglish { .. } => 11,
            RegionNotInPlaces { .. } => 12,
            FieldNotInOverlay { .. } => 13,
            LevelWithoutLabel { .. } => 14,
            NoLevelCodes => 15,
            LevelCodeTwice { .. } => 16,
            MinimumNotACode { .. } => 17,
            ScaleWithoutMinimum => 18,
            VariantsWithMinimum => 19,
            SynonymOfUnknownCode { .. } => 20,
            IdUsedTwice { .. } => 21,
            AliasNotShared { .. } => 22,
            DisplayNameShared { .. } => 23,
            VerificationWithoutText { .. } => 24,
            VerificationUrlNotHttps { .. } => 25,
        }
    }

    const KINDS: usize = 26;

    #[test]
    fn every_kind_of_problem_has_a_chinese_and_an_english_message() {
        let kinds = one_of_each();
        let mut seen = [false; KINDS];
        for kind in &kinds {
            seen[index(kind)] = true;
            let problem = Problem::new("G1", kind.clone());
            let (zh, en) = (problem.message_in(Lang::Zh), problem.message_in(Lang::En));
            assert!(
                zh.chars().any(crate::text::is_cjk),
                "{kind:?}: no Chinese message: {zh}"
            );
            assert!(!en.trim().is_empty() && en != zh, "{kind:?}: {en}");
            assert_eq!(problem.message, en);
        }
        let missing: Vec<usize> = (0..KINDS).filter(|i| !seen[*i]).collect();
        assert!(missing.is_empty(), "kinds not tested: {missing:?}");
    }

    #[test]
    fn the_json_of_a_problem_keeps_its_shape() {
        let problem = Problem::new("catalog", MoreListsThanSections);
        assert_eq!(
            serde_json::to_value(&problem).unwrap(),
            serde_json::json!({"at": "catalog", "message": "the overlay names more lists than the text has sections"})
        );
    }
}
