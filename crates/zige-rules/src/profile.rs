//! The profile a decision is made for, its parsing from JSON and from
//! command-line values, and [`InputError`], the one kind of rejection a
//! user sees for bad input.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zige_catalog::Lang;

use crate::input::{check_text, escaped, Lines, MAX_ENTRY, MAX_LEVEL};

/// The holder's nationality, as far as the services are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Nationality {
    Foreign,
    Chinese,
    /// Residents of Hong Kong, Macao and Taiwan.
    Hmt,
}

/// Highest education completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Education {
    Doctorate,
    Master,
    Bachelor,
    /// 大专.
    Associate,
    None,
}

/// A project some catalogue remarks name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Project {
    /// 环球影城项目.
    UniversalStudios,
}

impl Nationality {
    pub const ALL: [Nationality; 3] =
        [Nationality::Foreign, Nationality::Chinese, Nationality::Hmt];
    pub fn code(self) -> &'static str {
        match self {
            Nationality::Foreign => "foreign",
            Nationality::Chinese => "chinese",
            Nationality::Hmt => "hmt",
        }
    }
}

impl Education {
    pub const ALL: [Education; 5] = [
        Education::Doctorate,
        Education::Master,
        Education::Bachelor,
        Education::Associate,
        Education::None,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Education::Doctorate => "doctorate",
            Education::Master => "master",
            Education::Bachelor => "bachelor",
            Education::Associate => "associate",
            Education::None => "none",
        }
    }
}

impl Project {
    pub const ALL: [Project; 1] = [Project::UniversalStudios];
    pub fn code(self) -> &'static str {
        match self {
            Project::UniversalStudios => "universal-studios",
        }
    }
    /// The project as a reader says it, in Chinese and English.
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Project::UniversalStudios => ("环球影城项目", "the Universal Studios project"),
        }
    }
    /// The catalogue waiver (parsed from the remark) this project activates.
    pub fn waiver(self) -> &'static str {
        match self {
            Project::UniversalStudios => "universal_studios",
        }
    }
}

/// Valid ranges of the numeric fields.
pub const EXPERIENCE_RANGE: std::ops::RangeInclusive<u8> = 0..=60;
pub const AGE_RANGE: std::ops::RangeInclusive<u8> = 16..=100;

/// What is known about a holder. Only `entry` is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// `U1`, `G31` or an entry's stable id.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 64,
            pattern = "^(?=[\\s\\S]*\\S)[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
        )
    )]
    pub entry: String,
    /// The level or variant held, as a code or free text ("UEFA A licence").
    #[cfg_attr(feature = "openapi", schema(schema_with = level_schema))]
    pub level: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 60))]
    pub experience_years: Option<u8>,
    #[cfg_attr(feature = "openapi", schema(minimum = 16, maximum = 100))]
    pub age: Option<u8>,
    pub nationality: Option<Nationality>,
    pub education: Option<Education>,
    pub beijing_employer: Option<bool>,
    /// False when left out (or null).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<bool>))]
    pub high_end_industry: bool,
    pub project: Option<Project>,
}

/// A level is text or a number (`"B"`, `3`), or null.
#[cfg(feature = "openapi")]
pub fn level_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Number, Type::Null]))
        .description(Some("The level or variant held, as a code or free text (\"UEFA A licence\"), or a number"))
        .max_length(Some(200))
        .pattern(Some("^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"))
        .build()
}

/// Names of the profile's fields, in order.
pub const FIELDS: [&str; 9] = [
    "entry",
    "level",
    "experience_years",
    "age",
    "nationality",
    "education",
    "beijing_employer",
    "high_end_industry",
    "project",
];

impl Profile {
    /// A profile for an entry with nothing else known.
    pub fn new(entry: impl Into<String>) -> Profile {
        Profile {
            entry: entry.into(),
            level: None,
            experience_years: None,
            age: None,
            nationality: None,
            education: None,
            beijing_employer: None,
            high_end_industry: false,
            project: None,
        }
    }

    /// Parses a profile from a JSON object and validates it. Errors name
    /// the field (its JSON path) or `profile` for malformed JSON and
    /// unknown fields. `null` counts as absent.
    pub fn from_json(text: &str) -> Result<Profile, InputError> {
        crate::reading::Reading::json(text)?.first()
    }

    /// Checks the text fields (entry at most 64 characters, level at most
    /// 200, neither with control or invisible characters) and the numeric
    /// ranges (experience 0..=60, age 16..=100).
    pub fn validate(&self) -> Result<(), InputError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every check of [`Profile::validate`] that fails, in field order.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        if self.entry.trim().is_empty() {
            out.push(InputError::new("entry", "", ENTRY_CODES));
        } else if let Err(e) = check_text("entry", &self.entry, MAX_ENTRY, Lines::One) {
            out.push(e);
        }
        if let Some(Err(e)) = self
            .level
            .as_ref()
            .map(|l| check_text("level", l, MAX_LEVEL, Lines::One))
        {
            out.push(e);
        }
        if let Some(y) = self
            .experience_years
            .filter(|y| !EXPERIENCE_RANGE.contains(y))
        {
            out.push(InputError::new(
                "experience_years",
                y.to_string(),
                range_text(&EXPERIENCE_RANGE),
            ));
        }
        if let Some(a) = self.age.filter(|a| !AGE_RANGE.contains(a)) {
            out.push(InputError::new(
                "age",
                a.to_string(),
                range_text(&AGE_RANGE),
            ));
        }
        out
    }
}

/// The profile's JSON object, with no field the profile does not know.
pub(crate) fn json_object(text: &str) -> Result<serde_json::Map<String, Value>, InputError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| InputError::new("profile", e.to_string(), profile_shape()))?;
    let Value::Object(map) = value else {
        return Err(InputError::new(
            "profile",
            format!("found {}", kind_of(&value)),
            profile_shape(),
        ));
    };
    if let Some(key) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(InputError::new(
            "profile",
            format!("unknown field `{key}`"),
            profile_shape(),
        ));
    }
    Ok(map)
}

/// A whole number in `range`; one written as a float (`40.0`) is that number.
pub(crate) fn number_field(
    value: Option<&Value>,
    field: &'static str,
    range: &std::ops::RangeInclusive<u8>,
) -> Result<Option<u8>, InputError> {
    match value {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 255.0)
                    .map(|f| f as u64)
            })
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| InputError::new(field, shown(v), range_text(range))),
    }
}

/// A yes or no: a JSON boolean, or a text `parse_bool` reads.
pub(crate) fn flag_field(
    value: Option<&Value>,
    field: &'static str,
) -> Result<Option<bool>, InputError> {
    match value {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) => parse_bool(field, s).map(Some),
        Some(v) => Err(InputError::new(field, shown(v), "true, false")),
    }
}

pub(crate) fn text_field<T>(
    v: Option<&Value>,
    field: &str,
    parse: fn(&str) -> Result<T, InputError>,
) -> Result<Option<T>, InputError> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => parse(s).map(Some),
        Some(other) => Err(parse(&shown(other))
            .err()
            .unwrap_or_else(|| InputError::new(field, shown(other), ""))),
    }
}

/// A value as an error shows it: escaped and cut short.
pub(crate) fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => escaped(s, 80),
        other => escaped(&other.to_string(), 80),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What `allowed` says for a malformed profile: its fields.
fn profile_shape() -> String {
    FIELDS.join(", ")
}

/// Entry codes of the Beijing catalogue, for errors raised before a
/// catalogue is at hand (the decision names the catalogue's own ranges).
pub(crate) const ENTRY_CODES: &str = "U1..U7, G1..G115";

fn range_text(r: &std::ops::RangeInclusive<u8>) -> String {
    format!("{}–{}", r.start(), r.end())
}

fn choices<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> String {
    all.iter().map(|x| code(*x)).collect::<Vec<_>>().join(", ")
}

fn pick<T: Copy>(
    field: &str,
    s: &str,
    all: &[T],
    code: fn(T) -> &'static str,
) -> Result<T, InputError> {
    let t = s.trim();
    all.iter()
        .copied()
        .find(|x| code(*x).eq_ignore_ascii_case(t))
        .ok_or_else(|| InputError::new(field, escaped(s, 80), choices(all, code)))
}

/// `foreign`, `chinese` or `hmt` (case-insensitive).
pub fn parse_nationality(text: &str) -> Result<Nationality, InputError> {
    pick("nationality", text, &Nationality::ALL, Nationality::code)
}

/// `doctorate`, `master`, `bachelor`, `associate` or `none` (case-insensitive).
pub fn parse_education(text: &str) -> Result<Education, InputError> {
    pick("education", text, &Education::ALL, Education::code)
}

/// `universal-studios` (case-insensitive).
pub fn parse_project(text: &str) -> Result<Project, InputError> {
    pick("project", text, &Project::ALL, Project::code)
}

/// `true` or `false` (case-insensitive; also `yes`/`no`, `是`/`否`) for the named field.
pub fn parse_bool(field: &str, text: &str) -> Result<bool, InputError> {
    // Spreadsheets hold yes/no and 是/否 as often as true/false.
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "是" => Ok(true),
        "false" | "no" | "否" => Ok(false),
        _ => Err(InputError::new(field, escaped(text, 80), "true, false")),
    }
}

/// Years of experience from a command-line value (0..=60).
pub fn parse_experience_years(text: &str) -> Result<u8, InputError> {
    parse_in_range("experience_years", text, &EXPERIENCE_RANGE)
}

/// Age from a command-line value (16..=100).
pub fn parse_age(text: &str) -> Result<u8, InputError> {
    parse_in_range("age", text, &AGE_RANGE)
}

fn parse_in_range(
    field: &str,
    s: &str,
    range: &std::ops::RangeInclusive<u8>,
) -> Result<u8, InputError> {
    s.trim()
        .parse::<u8>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| InputError::new(field, escaped(s, 80), range_text(range)))
}

/// Input outside the allowed values: which field, what was given, what
/// is allowed, and for an unknown entry the closest entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// The field's name (its JSON path), or `profile` for the document itself.
    pub field: String,
    /// The value given (for `profile`: what is wrong with the document).
    pub value: String,
    /// The values allowed, ready to print.
    pub allowed: String,
    /// Closest matches, e.g. `G7 CFA…`, for an unknown entry.
    pub suggestions: Vec<String>,
    /// `allowed` in Chinese, when it is more than codes and numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_zh: Option<String>,
}

impl InputError {
    pub fn new(
        field: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> InputError {
        InputError {
            field: field.into(),
            value: value.into(),
            allowed: allowed.into(),
            suggestions: Vec::new(),
            allowed_zh: None,
        }
    }

    /// The same, saying what is allowed in Chinese too.
    pub fn with_allowed_zh(mut self, zh: impl Into<String>) -> InputError {
        self.allowed_zh = Some(zh.into());
        self
    }

    /// The error as one line in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let value = one_line(&self.value);
        let field = self.field.as_str();
        let (allowed_en, allowed_zh) = match field {
            _ if self.allowed_zh.is_some() => (
                self.allowed.clone(),
                self.allowed_zh.clone().unwrap_or_default(),
            ),
            "entry" => (
                format!("{}, or an entry's id", self.allowed),
                format!("{}，或条目标识", self.allowed),
            ),
            "age" | "experience_years" => (
                format!("a whole number {}", self.allowed),
                format!("整数 {}", self.allowed),
            ),
            _ => (self.allowed.clone(), self.allowed.clone()),
        };
        let mut out = match lang {
            Lang::En if field == "profile" => format!(
                "invalid profile: {value}; expected a JSON object with the fields {}",
                self.allowed
            ),
            Lang::Zh if field == "profile" => format!(
                "档案（profile）无效：{value}；应为包含以下字段的 JSON 对象：{}",
                self.allowed
            ),
            Lang::En if value.is_empty() => {
                format!("missing value for {field}: allowed {allowed_en}")
            }
            Lang::Zh if value.is_empty() => {
                format!("缺少{}（{field}），可选：{allowed_zh}", field_zh(field))
            }
            Lang::En => format!("invalid value '{value}' for {field}: allowed {allowed_en}"),
            Lang::Zh => format!(
                "{}（{field}）的值“{value}”无效，可选：{allowed_zh}",
                field_zh(field)
            ),
        };
        if !self.suggestions.is_empty() {
            match lang {
                Lang::En => {
                    out.push_str(&format!("; did you mean {}?", self.suggestions.join(", ")))
                }
                Lang::Zh => out.push_str(&format!(
                    "；您要找的是否为：{}？",
                    self.suggestions.join("、")
                )),
            }
        }
        out
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Chinese name of a profile field.
pub fn field_zh(field: &str) -> &'static str {
    match field {
        "entry" => "目录条目",
        "level" => "级别",
        "experience_years" => "工作年限",
        "age" => "年龄",
        "nationality" => "国籍",
        "education" => "学历",
        "beijing_employer" => "北京用人单位",
        "high_end_industry" => "高精尖产业",
        "project" => "项目",
        _ => "字段",
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_profile_with_all_fields() {
        let p = Profile::from_json(
            r#"{"entry":"G80","level":"A","experience_years":5,"age":67,"nationality":"foreign","education":"bachelor","beijing_employer":true,"high_end_industry":true,"project":"universal-studios"}"#,
        )
        .unwrap();
        assert_eq!(p.level.as_deref(), Some("A"));
        assert_eq!(p.age, Some(67));
        assert_eq!(p.nationality, Some(Nationality::Foreign));
        assert_eq!(p.project, Some(Project::UniversalStudios));
        assert!(p.high_end_industry);
        // serde's derive agrees with the hand-written parser.
        let q: Profile = serde_json::from_str(
            r#"{"entry":"G80","education":"none","project":"universal-studios"}"#,
        )
        .unwrap();
        assert_eq!(q.education, Some(Education::None));
        assert!(!q.high_end_industry);
    }

    #[test]
    fn bad_values_name_field_value_and_allowed() {
        let e = Profile::from_json(r#"{"entry":"G14","education":"wizard"}"#).unwrap_err();
        assert_eq!(e.to_string(), "invalid value 'wizard' for education: allowed doctorate, master, bachelor, associate, none");
        let e = Profile::from_json(r#"{"entry":"G14","age":12}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid value '12' for age: allowed a whole number 16–100"
        );
        assert_eq!(
            e.message(Lang::Zh),
            "年龄（age）的值“12”无效，可选：整数 16–100"
        );
        let e = Profile::from_json(r#"{"entry":"G14","experience_years":-1}"#).unwrap_err();
        assert_eq!(e.field, "experience_years");
        let e = Profile::from_json(r#"{"entry":"G14","experience_years":300}"#).unwrap_err();
        assert_eq!(e.field, "experience_years");
        let e = Profile::from_json(r#"{"entry":"G14","wizard":true}"#).unwrap_err();
        assert_eq!(e.field, "profile");
        assert!(e.to_string().contains("unknown field `wizard`"), "{e}");
        let e = Profile::from_json(r#"{"entry":"G14","#).unwrap_err();
        assert_eq!(e.field, "profile");
        assert!(!e.to_string().contains('\n'));
        let e = Profile::from_json(r#"{"age":40}"#).unwrap_err();
        assert_eq!(e.field, "entry");
        let e = Profile::from_json(r#"{"entry":"G14","beijing_employer":"maybe"}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid value 'maybe' for beijing_employer: allowed true, false"
        );
        assert!(e.message(Lang::Zh).contains("北京用人单位"));
    }

    #[test]
    fn cli_values_are_case_insensitive_and_strict() {
        assert_eq!(parse_nationality("HMT").unwrap(), Nationality::Hmt);
        assert_eq!(parse_education(" Master ").unwrap(), Education::Master);
        assert_eq!(
            parse_project("Universal-Studios").unwrap(),
            Project::UniversalStudios
        );
        assert!(parse_bool("beijing_employer", "TRUE").unwrap());
        assert_eq!(
            parse_nationality("martian").unwrap_err().allowed,
            "foreign, chinese, hmt"
        );
        assert!(parse_project("disney").is_err());
        assert!(parse_age("15").is_err());
        assert_eq!(parse_experience_years("60").unwrap(), 60);
        assert!(parse_experience_years("61").is_err());
    }
}
