//! The policy as data: the services a holder gets, their audiences, the
//! work-permit age limits, the default title table and the sources, read
//! from `policies/<jurisdiction>/<year>.toml` and validated.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use zige_catalog::{Bilingual, TitleLevel};

use crate::profile::{Education, Nationality};
pub use crate::source::Source;
use crate::source::SourceFile;
use crate::text::{SharedStr, Text};

/// Benefit codes the engine knows, in the spec's order. The engine attaches
/// conditions to some of them (the age limit, the title table).
pub const KNOWN_BENEFITS: [&str; 7] = [
    "work_permit_relaxation",
    "long_term_visa",
    "permanent_residence_channel",
    "port_visa",
    "work_residence_permit",
    "overseas_experience_counts",
    "title_correspondence",
];

/// The built-in policy text.
pub const BUILTIN_POLICY: &str = include_str!("../../../policies/beijing/2023.toml");

/// A policy file that cannot be used, with the place and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("policy file is not valid: {0}")]
    Syntax(String),
    #[error("policy file: {at}: {message}")]
    Invalid { at: String, message: String },
}

pub(crate) fn invalid(at: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError::Invalid {
        at: at.into(),
        message: message.into(),
    }
}

/// Minimum years of experience for one education, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum MinYears {
    Years(u8),
    #[serde(serialize_with = "never")]
    Never,
}

fn never<S: serde::Serializer>(s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("never")
}

/// One row of the title table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleRow {
    pub level: TitleLevel,
    pub name: Bilingual,
    pub source: String,
    /// Indexed like [`Education::ALL`].
    pub min_years: [MinYears; 5],
    /// The row as the trace quotes it (derived on load).
    #[serde(skip)]
    pub(crate) basis: Text,
}

impl TitleRow {
    pub fn min_years(&self, education: Education) -> MinYears {
        self.min_years[Education::ALL
            .iter()
            .position(|e| *e == education)
            .expect("every education is in ALL")]
    }
}

/// A benefit: who it exists for, its name and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Benefit {
    pub code: String,
    pub audience: Vec<Nationality>,
    pub source: String,
    pub name: Bilingual,
    pub description: Bilingual,
    /// Texts a decision repeats (derived on load).
    #[serde(skip)]
    pub(crate) texts: BenefitTexts,
}

/// A benefit's texts as decisions show them, built once per policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BenefitTexts {
    pub code: SharedStr,
    /// `benefit.<code>`.
    pub rule: SharedStr,
    pub name: Text,
    /// The policy item quoted, with its source.
    pub basis: Text,
    /// "Name: description".
    pub granted: Text,
    pub not_recognized: Text,
    pub no_beijing_employer: Text,
}

impl BenefitTexts {
    fn new(
        code: &str,
        name: &Bilingual,
        description: &Bilingual,
        source: &Bilingual,
    ) -> BenefitTexts {
        BenefitTexts {
            code: SharedStr::shared(code),
            rule: SharedStr::shared(&format!("benefit.{code}")),
            name: Text::shared(&name.zh, &name.en),
            basis: Text::shared(
                &format!("{}：“{}”（{}）", name.zh, description.zh, source.zh),
                &format!("{}: “{}” ({})", name.en, description.en, source.en),
            ),
            granted: Text::shared(
                &format!("{}：{}", name.zh, description.zh),
                &format!("{}: {}", name.en, description.en),
            ),
            not_recognized: Text::shared(
                &format!("{}：未获得，证书未获认可（见上文）。", name.zh),
                &format!(
                    "{}: not granted; the qualification is not recognised (see above).",
                    name.en
                ),
            ),
            no_beijing_employer: Text::shared(
                &format!(
                    "{}：未获得，仅限与北京市用人单位建立劳动关系的持证人。",
                    name.zh
                ),
                &format!(
                    "{}: not granted; only for holders employed by an employer in Beijing.",
                    name.en
                ),
            ),
        }
    }
}

/// When an age limit applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeCondition {
    Default,
    HighEndIndustry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AgeLimit {
    pub when: AgeCondition,
    pub max_age: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkPermit {
    pub source: String,
    /// Lowest first; the first is the default.
    pub age_limits: Vec<AgeLimit>,
    pub project_waiver_lifts_age_limit: bool,
}

impl WorkPermit {
    pub fn limit(&self, when: AgeCondition) -> Option<u8> {
        self.age_limits
            .iter()
            .find(|l| l.when == when)
            .map(|l| l.max_age)
    }
    /// The limit for a holder, given whether they work in a high-end industry.
    pub fn limit_for(&self, high_end_industry: bool) -> u8 {
        let default = self.age_limits[0].max_age;
        if high_end_industry {
            self.limit(AgeCondition::HighEndIndustry).unwrap_or(default)
        } else {
            default
        }
    }
}

/// A note shown to holders of some nationalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyNote {
    pub audience: Vec<Nationality>,
    pub source: String,
    pub text: Bilingual,
    #[serde(skip)]
    pub(crate) shown: Text,
}

/// A validated policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub id: String,
    pub version: String,
    pub catalogs: Vec<String>,
    pub name: Bilingual,
    /// The documents the rules rest on, by key.
    pub sources: BTreeMap<String, Source>,
    pub work_permit: WorkPermit,
    pub benefits: Vec<Benefit>,
    pub intermediate: TitleRow,
    pub deputy_senior: TitleRow,
    pub notes: Vec<PolicyNote>,
    /// `id/version`, shared by every decision.
    #[serde(skip)]
    pub(crate) shared_key: SharedStr,
}

// ---- the file's shape ------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    policy: Meta,
    #[serde(default)]
    sources: BTreeMap<String, SourceFile>,
    work_permit: WorkPermitFile,
    #[serde(default)]
    benefits: Vec<BenefitFile>,
    #[serde(default)]
    titles: BTreeMap<String, TitleFile>,
    #[serde(default)]
    notes: Vec<NoteFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    id: String,
    version: String,
    #[serde(default)]
    catalogs: Vec<String>,
    name: Bilingual,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkPermitFile {
    source: String,
    #[serde(default)]
    project_waiver_lifts_age_limit: bool,
    #[serde(default)]
    age_limits: Vec<AgeLimitFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgeLimitFile {
    when: String,
    max_age: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BenefitFile {
    code: String,
    #[serde(rename = "for")]
    audience: Vec<String>,
    source: String,
    name: Bilingual,
    description: Bilingual,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleFile {
    name: Bilingual,
    source: String,
    min_years: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteFile {
    #[serde(rename = "for")]
    audience: Vec<String>,
    source: String,
    text: Bilingual,
}

impl Policy {
    /// Parses and validates a policy file. Its parts are checked in the
    /// file's order, and the first problem found is the one reported.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let file = parse_file(text)?;
        let documents = crate::source::read_sources(file.sources)?;
        let sources: BTreeMap<String, Bilingual> = documents
            .iter()
            .map(|(k, s)| (k.clone(), s.citation.clone()))
            .collect();
        let meta = file.policy;
        check_meta(&meta, &sources)?;
        let work_permit = work_permit(file.work_permit, &sources)?;
        let placeholders = Placeholders::new(&work_permit);
        let benefits = benefits(&file.benefits, &sources, &placeholders)?;
        let (intermediate, deputy_senior) = title_table(file.titles, &sources)?;
        let notes = notes(&file.notes, &sources, &placeholders)?;
        for c in &meta.catalogs {
            zige_catalog::CatalogId::parse(c).map_err(|e| invalid("[policy] catalogs", e))?;
        }
        let shared_key = SharedStr::shared(&format!("{}/{}", meta.id, meta.version));
        Ok(Policy {
            id: meta.id,
            version: meta.version,
            catalogs: meta.catalogs,
            name: meta.name,
            sources: documents,
            work_permit,
            benefits,
            intermediate,
            deputy_senior,
            notes,
            shared_key,
        })
    }

    /// The built-in Beijing 2023 policy, parsed once. Its validity is
    /// proved by the test suite, so failure here is a bug.
    pub fn builtin() -> &'static Policy {
        static P: OnceLock<Policy> = OnceLock::new();
        P.get_or_init(|| Policy::parse(BUILTIN_POLICY).expect("built-in policy is valid (tested)"))
    }

    /// `beijing/2023`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.id, self.version)
    }

    pub fn title(&self, level: TitleLevel) -> &TitleRow {
        match level {
            TitleLevel::Intermediate => &self.intermediate,
            TitleLevel::DeputySenior => &self.deputy_senior,
        }
    }

    pub fn benefit(&self, code: &str) -> Option<&Benefit> {
        self.benefits.iter().find(|b| b.code == code)
    }

    /// The source's citation, or the key itself.
    pub fn source(&self, key: &str) -> Bilingual {
        self.sources
            .get(key)
            .map(|s| s.citation.clone())
            .unwrap_or_else(|| Bilingual::new(key, key))
    }

    /// What an entry can bring a holder before anything about the holder
    /// is known: every benefit, but the professional title only where the
    /// catalogue gives the entry a title correspondence.
    pub fn offered<'a>(
        &'a self,
        entry: &'a zige_catalog::Entry,
    ) -> impl Iterator<Item = &'a Benefit> {
        self.benefits
            .iter()
            .filter(move |b| b.code != "title_correspondence" || entry.title.is_some())
    }
}

// ---- reading and checking the file's parts, in order ----------------------

/// The file as TOML, or a syntax error naming its line.
fn parse_file(text: &str) -> Result<File, PolicyError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .and_then(|s| text.get(..s.start))
            .map(|t| t.matches('\n').count() + 1);
        let msg = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
        PolicyError::Syntax(match line {
            Some(l) => format!("line {l}: {msg}"),
            None => msg,
        })
    })
}

/// The key of a source the file defines, or an error listing the known ones.
fn known_source(
    sources: &BTreeMap<String, Bilingual>,
    at: &str,
    key: &str,
) -> Result<String, PolicyError> {
    if sources.contains_key(key) {
        Ok(key.to_string())
    } else {
        Err(invalid(
            at,
            format!(
                "unknown source '{key}' (known: {})",
                sources.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        ))
    }
}

/// The policy's id, version and name, and the texts of its sources.
fn check_meta(meta: &Meta, sources: &BTreeMap<String, Bilingual>) -> Result<(), PolicyError> {
    let slug = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
    };
    if !slug(&meta.id) || !slug(&meta.version) {
        return Err(invalid(
            "[policy]",
            format!(
                "id '{}' and version '{}' must be lower-case letters, digits, '-' and '.'",
                meta.id, meta.version
            ),
        ));
    }
    for (key, text) in sources {
        check_text(&format!("[sources.{key}]"), text)?;
    }
    check_text("[policy] name", &meta.name)
}

/// Work permit age limits: known conditions, default first, ascending.
fn work_permit(
    file: WorkPermitFile,
    sources: &BTreeMap<String, Bilingual>,
) -> Result<WorkPermit, PolicyError> {
    let mut age_limits = Vec::new();
    for (i, l) in file.age_limits.iter().enumerate() {
        let at = format!("[[work_permit.age_limits]] #{}", i + 1);
        age_limits.push(age_limit(&at, i, l, &age_limits)?);
    }
    if age_limits.is_empty() {
        return Err(invalid(
            "[work_permit]",
            "needs at least the default age limit ([[work_permit.age_limits]] when = \"default\")",
        ));
    }
    Ok(WorkPermit {
        source: known_source(sources, "[work_permit]", &file.source)?,
        age_limits,
        project_waiver_lifts_age_limit: file.project_waiver_lifts_age_limit,
    })
}

/// The `index`-th age limit, checked against those before it.
fn age_limit(
    at: &str,
    index: usize,
    limit: &AgeLimitFile,
    before: &[AgeLimit],
) -> Result<AgeLimit, PolicyError> {
    let when = match limit.when.as_str() {
        "default" => AgeCondition::Default,
        "high_end_industry" => AgeCondition::HighEndIndustry,
        other => {
            return Err(invalid(
                at,
                format!("unknown condition '{other}' (known: default, high_end_industry)"),
            ))
        }
    };
    if (index == 0) != (when == AgeCondition::Default) {
        return Err(invalid(
            at,
            "the first age limit, and only the first, must be `when = \"default\"`",
        ));
    }
    let max_age = u8::try_from(limit.max_age)
        .ok()
        .filter(|a| (16..=100).contains(a))
        .ok_or_else(|| {
            invalid(
                at,
                format!("max_age {} is not an age from 16 to 100", limit.max_age),
            )
        })?;
    if let Some(prev) = before.last().map(|p| p.max_age) {
        if max_age <= prev {
            return Err(invalid(
                at,
                format!("age limits must be ascending: {max_age} follows {prev}"),
            ));
        }
    }
    if before.iter().any(|p| p.when == when) {
        return Err(invalid(
            at,
            format!("condition '{}' appears twice", limit.when),
        ));
    }
    Ok(AgeLimit { when, max_age })
}

/// The age limits the texts of benefits and notes may name.
struct Placeholders {
    default_age: String,
    high_end_age: String,
}

impl Placeholders {
    fn new(work_permit: &WorkPermit) -> Placeholders {
        let default_age = work_permit.age_limits[0].max_age.to_string();
        let high_end_age = work_permit
            .limit(AgeCondition::HighEndIndustry)
            .map(|a| a.to_string())
            .unwrap_or_else(|| default_age.clone());
        Placeholders {
            default_age,
            high_end_age,
        }
    }

    /// The text with its placeholders filled in; an unknown placeholder or
    /// a missing language is an error.
    fn fill(&self, at: &str, text: &Bilingual) -> Result<Bilingual, PolicyError> {
        let sub = |s: &str| {
            s.replace("{age_limit_high_end_industry}", &self.high_end_age)
                .replace("{age_limit}", &self.default_age)
        };
        let out = Bilingual::new(sub(&text.zh), sub(&text.en));
        if let Some(p) = [&out.zh, &out.en].into_iter().find_map(|s| {
            s.find('{')
                .map(|i| s[i..].chars().take_while(|c| *c != '}').collect::<String>())
        }) {
            return Err(invalid(at, format!("unknown placeholder '{p}}}' (known: {{age_limit}}, {{age_limit_high_end_industry}})")));
        }
        check_text(at, &out)?;
        Ok(out)
    }
}

/// Benefits: every code known, none twice, all present.
fn benefits(
    files: &[BenefitFile],
    sources: &BTreeMap<String, Bilingual>,
    placeholders: &Placeholders,
) -> Result<Vec<Benefit>, PolicyError> {
    let mut benefits = Vec::new();
    for (i, b) in files.iter().enumerate() {
        let at = format!("[[benefits]] #{} ({})", i + 1, b.code);
        if !KNOWN_BENEFITS.contains(&b.code.as_str()) {
            return Err(invalid(
                at,
                format!(
                    "unknown benefit code '{}' (known: {})",
                    b.code,
                    KNOWN_BENEFITS.join(", ")
                ),
            ));
        }
        if benefits.iter().any(|x: &Benefit| x.code == b.code) {
            return Err(invalid(at, format!("benefit '{}' appears twice", b.code)));
        }
        let (name, description, src) = (
            placeholders.fill(&at, &b.name)?,
            placeholders.fill(&at, &b.description)?,
            known_source(sources, &at, &b.source)?,
        );
        benefits.push(Benefit {
            texts: BenefitTexts::new(&b.code, &name, &description, &sources[&src]),
            code: b.code.clone(),
            audience: audience(&at, &b.audience)?,
            source: src,
            name,
            description,
        });
    }
    if let Some(missing) = KNOWN_BENEFITS
        .iter()
        .find(|k| !benefits.iter().any(|b| b.code == **k))
    {
        return Err(invalid(
            "[[benefits]]",
            format!(
                "benefit '{missing}' is not defined (every one of {} needs a name and description)",
                KNOWN_BENEFITS.join(", ")
            ),
        ));
    }
    Ok(benefits)
}

/// Title table: exactly the rows intermediate and deputy_senior.
fn title_table(
    mut titles: BTreeMap<String, TitleFile>,
    sources: &BTreeMap<String, Bilingual>,
) -> Result<(TitleRow, TitleRow), PolicyError> {
    if let Some(other) = titles
        .keys()
        .find(|k| k.as_str() != "intermediate" && k.as_str() != "deputy_senior")
    {
        return Err(invalid(
            format!("[titles.{other}]"),
            "unknown title level (known: intermediate, deputy_senior)",
        ));
    }
    let intermediate = title_row(&mut titles, TitleLevel::Intermediate, sources)?;
    let deputy_senior = title_row(&mut titles, TitleLevel::DeputySenior, sources)?;
    Ok((intermediate, deputy_senior))
}

/// The row of one title level, taken out of the file's table.
fn title_row(
    titles: &mut BTreeMap<String, TitleFile>,
    level: TitleLevel,
    sources: &BTreeMap<String, Bilingual>,
) -> Result<TitleRow, PolicyError> {
    let key = level.code();
    let row = titles.remove(key).ok_or_else(|| {
        invalid(
            "[titles]",
            format!("the title table has no '{key}' row (needed: intermediate, deputy_senior)"),
        )
    })?;
    let at = format!("[titles.{key}]");
    let min_years = min_years(&at, &row.min_years)?;
    check_text(&at, &row.name)?;
    let src = known_source(sources, &at, &row.source)?;
    let b = crate::decide::title_row_basis(&row.name, &min_years, &sources[&src]);
    let basis = Text::shared(&b.zh, &b.en);
    Ok(TitleRow {
        level,
        name: row.name,
        source: src,
        min_years,
        basis,
    })
}

/// A row's `min_years`: a number of years or "never" for every education.
fn min_years(
    at: &str,
    given: &BTreeMap<String, toml::Value>,
) -> Result<[MinYears; 5], PolicyError> {
    if let Some(k) = given
        .keys()
        .find(|k| !Education::ALL.iter().any(|e| e.code() == k.as_str()))
    {
        return Err(invalid(at, format!("unknown education '{k}' in min_years (known: doctorate, master, bachelor, associate, none)")));
    }
    let mut min_years = [MinYears::Never; 5];
    for (slot, e) in min_years.iter_mut().zip(Education::ALL) {
        *slot = match given.get(e.code()) {
            None => {
                return Err(invalid(
                    at,
                    format!(
                        "min_years has no '{}' (give a number of years or \"never\")",
                        e.code()
                    ),
                ))
            }
            Some(toml::Value::String(s)) if s == "never" => MinYears::Never,
            Some(toml::Value::Integer(n)) if (0..=60).contains(n) => MinYears::Years(*n as u8),
            Some(v) => {
                return Err(invalid(
                    at,
                    format!(
                        "min_years.{} = {v} must be a number of years from 0 to 60 or \"never\"",
                        e.code()
                    ),
                ))
            }
        };
    }
    Ok(min_years)
}

/// The notes shown to some nationalities.
fn notes(
    files: &[NoteFile],
    sources: &BTreeMap<String, Bilingual>,
    placeholders: &Placeholders,
) -> Result<Vec<PolicyNote>, PolicyError> {
    let mut notes = Vec::new();
    for (i, n) in files.iter().enumerate() {
        let at = format!("[[notes]] #{}", i + 1);
        let text = placeholders.fill(&at, &n.text)?;
        notes.push(PolicyNote {
            audience: audience(&at, &n.audience)?,
            source: known_source(sources, &at, &n.source)?,
            shown: Text::shared(&text.zh, &text.en),
            text,
        });
    }
    Ok(notes)
}

fn audience(at: &str, codes: &[String]) -> Result<Vec<Nationality>, PolicyError> {
    if codes.is_empty() {
        return Err(invalid(
            at,
            "`for` needs at least one nationality (foreign, chinese, hmt)",
        ));
    }
    codes
        .iter()
        .map(|c| {
            crate::profile::parse_nationality(c).map_err(|_| {
                invalid(
                    at,
                    format!("unknown nationality '{c}' in `for` (known: foreign, chinese, hmt)"),
                )
            })
        })
        .collect()
}

pub(crate) fn check_text(at: &str, b: &Bilingual) -> Result<(), PolicyError> {
    if b.zh.trim().is_empty() || b.en.trim().is_empty() {
        return Err(invalid(at, "every text needs both zh and en"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_policy_is_valid_and_carries_the_defaults() {
        let p = Policy::builtin();
        assert_eq!(p.key(), "beijing/2023");
        assert_eq!(p.work_permit.limit_for(false), 65);
        assert_eq!(p.work_permit.limit_for(true), 70);
        assert_eq!(
            p.intermediate.min_years(Education::Master),
            MinYears::Years(2)
        );
        assert_eq!(p.intermediate.min_years(Education::None), MinYears::Never);
        assert_eq!(
            p.deputy_senior.min_years(Education::Bachelor),
            MinYears::Years(10)
        );
        assert_eq!(
            p.deputy_senior.min_years(Education::Associate),
            MinYears::Never
        );
        let codes: Vec<&str> = p.benefits.iter().map(|b| b.code.as_str()).collect();
        assert_eq!(codes, KNOWN_BENEFITS);
        let wp = p.benefit("work_permit_relaxation").unwrap();
        assert!(
            wp.description.en.contains("up to age 65 (70 if"),
            "{}",
            wp.description.en
        );
        assert!(wp.description.zh.contains("65岁"));
    }
}
