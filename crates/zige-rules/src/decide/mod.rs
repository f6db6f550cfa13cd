//! The decision: recognition, title, benefits, obligations and notes for
//! one profile, with the trace of every rule applied and what it rests on.
//! The rules are those of `recognition-rules.md`; the policy facts come
//! from the [`Policy`].
//!
//! [`decide`] runs the phases in order over one [`Context`]: recognition
//! (`recognition.rs`), title (`title.rs`), benefits (`benefits.rs`), then
//! obligations and notes (here). Inputs it must reject are explained in
//! `rejection.rs`.

mod benefits;
mod recognition;
mod rejection;
mod title;

use serde::{Deserialize, Serialize};
use zige_catalog::{Catalog, Coded, Entry, TitleLevel};

use crate::policy::Policy;
use crate::profile::{InputError, Profile, FIELDS};
use crate::reading::Reading;
use crate::text::{SharedStr, Text};

pub use title::education_name;
pub(crate) use title::title_row_basis;

/// The entry a decision is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryRef {
    pub id: String,
    pub list: String,
    pub seq: u32,
    pub code: String,
    pub name: Text,
}

/// A coded statement with its message (unmet condition, benefit, obligation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: SharedStr,
    pub message: Text,
}

/// A benefit not granted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Withheld {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: SharedStr,
    /// `not_recognised`, `no_beijing_employer`, `age_over_limit` or `basic_conditions_unmet`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reason: SharedStr,
    pub message: Text,
}

/// The professional title an entry corresponds to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TitleOutcome {
    pub level: TitleLevel,
    /// Null while education or experience is unknown.
    pub basic_conditions_met: Option<bool>,
}

/// One rule applied: its name, its outcome, the text it rests on
/// (quoted from the catalogue or the policy) and what it concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// `recognition.level`, `recognition.experience`, `title.basic_conditions`, `benefit.port_visa`…
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rule: SharedStr,
    /// `met`, `unmet`, `undecided`, `waived`, `ignored`, `not_applicable`,
    /// `recognized`, `not_recognized`, `granted`, `withheld`, `listed`…
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outcome: SharedStr,
    pub basis: Text,
    pub message: Text,
}

/// What `zige check` answers for a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// `beijing/3.0`.
    pub catalog: String,
    /// `beijing/2023`: the policy's own id and version.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub policy: SharedStr,
    pub entry: EntryRef,
    /// The canonical level code the given level was mapped to.
    pub level_used: Option<String>,
    /// Null only when a missing field leaves it undecidable.
    pub recognized: Option<bool>,
    pub unmet: Vec<Item>,
    pub title: Option<TitleOutcome>,
    pub benefits: Vec<Item>,
    pub withheld: Vec<Withheld>,
    pub obligations: Vec<Item>,
    /// Exemptions, waivers and other remarks of the entry, and policy notes.
    pub notes: Vec<Text>,
    /// Profile fields that would settle what is undecided.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub missing: Vec<SharedStr>,
    pub trace: Vec<Step>,
}

/// The fields that would settle what is undecided, in profile order.
struct Missing([bool; FIELDS.len()]);

impl Missing {
    fn add(&mut self, field: &str) {
        if let Some(i) = FIELDS.iter().position(|f| *f == field) {
            self.0[i] = true;
        }
    }
    fn list(&self) -> Vec<SharedStr> {
        FIELDS
            .iter()
            .zip(self.0)
            .filter(|(_, on)| *on)
            .map(|(f, _)| SharedStr::Static(f))
            .collect()
    }
}

fn step(rule: impl Into<SharedStr>, outcome: &'static str, basis: Text, message: Text) -> Step {
    Step {
        rule: rule.into(),
        outcome: SharedStr::Static(outcome),
        basis,
        message,
    }
}

fn t(zh: impl Into<SharedStr>, en: impl Into<SharedStr>) -> Text {
    Text::new(zh, en)
}

/// Joins parts into a string allocated once.
fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// `目录备注：“…”` / `Catalogue remark: “…”`.
fn remark_quote(zh: &str, en: &str) -> Text {
    t(
        cat(&["目录备注：“", zh, "”"]),
        cat(&["Catalogue remark: “", en, "”"]),
    )
}

/// What the phases of one decision share: its inputs, the fields found
/// missing so far and the trace of the rules applied, in order.
struct Context<'a> {
    policy: &'a Policy,
    profile: &'a Profile,
    entry: &'a Entry,
    /// The entry's waiver for the profile's project, if it has one.
    waiver: Option<&'a Coded>,
    missing: Missing,
    trace: Vec<Step>,
}

/// Decides a profile against an entry of `catalog` under `policy`.
/// Rejects input outside the allowed values (ranges, unknown entry,
/// unknown level) with an [`InputError`]; everything else is answered,
/// with what cannot be decided left null and its fields in `missing`.
pub fn decide(
    catalog: &Catalog,
    policy: &Policy,
    profile: &Profile,
) -> Result<Decision, InputError> {
    profile.validate()?;
    let entry = catalog
        .find(&profile.entry)
        .ok_or_else(|| rejection::unknown_entry(catalog, &profile.entry))?;
    let mut ctx = Context {
        policy,
        profile,
        entry,
        waiver: profile
            .project
            .and_then(|p| entry.waivers.iter().find(|w| w.code == p.waiver())),
        missing: Missing([false; FIELDS.len()]),
        trace: Vec::with_capacity(20),
    };
    let catalog_key = catalog.id.to_string();
    ctx.check_policy_scope(&catalog_key);
    let recognition = ctx.recognize()?;
    let title = ctx.title();
    let (benefits, withheld) = ctx.benefits(recognition.recognized, title.as_ref());
    let obligations = ctx.obligations();
    let notes = ctx.notes();
    Ok(Decision {
        catalog: catalog_key,
        policy: policy.shared_key.clone(),
        entry: EntryRef {
            id: entry.id.clone(),
            list: entry.list.clone(),
            seq: entry.seq,
            code: entry.code.clone(),
            name: t(&entry.name.zh, &entry.name.en),
        },
        level_used: recognition.level_used,
        recognized: recognition.recognized,
        unmet: recognition.unmet,
        title,
        benefits,
        withheld,
        obligations,
        notes,
        missing: ctx.missing.list(),
        trace: ctx.trace,
    })
}

/// Decides what [`Reading`] read, or names every input error at once:
/// the profile's own, then an unknown entry or level (one per field, in
/// field order).
pub fn decide_all(
    catalog: &Catalog,
    policy: &Policy,
    reading: &Reading,
) -> Result<Decision, Vec<InputError>> {
    let mut errors = reading.errors.clone();
    if !errors.iter().any(|e| e.field == "entry") {
        match decide(catalog, policy, &reading.profile) {
            Ok(d) if errors.is_empty() => return Ok(d),
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
    }
    let rank = |e: &InputError| FIELDS.iter().position(|f| *f == e.field);
    errors.sort_by_key(rank);
    errors.dedup_by(|a, b| a.field == b.field);
    Err(errors)
}

impl Context<'_> {
    /// Notes in the trace when the policy is written for another catalogue.
    fn check_policy_scope(&mut self, catalog_key: &str) {
        let policy = self.policy;
        if policy.catalogs.is_empty() || policy.catalogs.iter().any(|c| c == catalog_key) {
            return;
        }
        self.trace.push(step(
            "policy.scope",
            "other_catalog",
            (&policy.name).into(),
            t(
                format!(
                    "政策 {} 针对目录 {}，此处用于 {}。",
                    policy.key(),
                    policy.catalogs.join("、"),
                    catalog_key
                ),
                format!(
                    "Policy {} is written for catalogue {}; it is applied here to {}.",
                    policy.key(),
                    policy.catalogs.join(", "),
                    catalog_key
                ),
            ),
        ));
    }

    /// The entry's obligations, listed whether or not it is recognised.
    fn obligations(&mut self) -> Vec<Item> {
        let mut obligations = Vec::with_capacity(self.entry.obligations.len());
        for o in &self.entry.obligations {
            let text = Text::from(&o.text);
            let code = SharedStr::from(&o.code);
            self.trace.push(step(
                format!("obligation.{}", o.code),
                "listed",
                remark_quote(&o.text.zh, &o.text.en),
                text.clone(),
            ));
            obligations.push(Item {
                code,
                message: text,
            });
        }
        obligations
    }

    /// Exemptions, waivers and other remarks of the entry; the policy notes
    /// for the profile's nationality.
    fn notes(&self) -> Vec<Text> {
        let entry = self.entry;
        let mut notes: Vec<Text> = Vec::new();
        notes.extend(entry.exemptions.iter().map(|e| Text::from(&e.text)));
        notes.extend(entry.waivers.iter().map(|w| Text::from(&w.text)));
        notes.extend(entry.notes.iter().map(Text::from));
        if let Some(n) = self.profile.nationality {
            notes.extend(
                self.policy
                    .notes
                    .iter()
                    .filter(|p| p.audience.contains(&n))
                    .map(|p| p.shown.clone()),
            );
        }
        notes
    }
}

/// A profile field as a reader says it.
pub fn field_en(field: &str) -> &'static str {
    match field {
        "entry" => "the catalogue entry",
        "level" => "the level you hold",
        "experience_years" => "your years of experience",
        "age" => "your age",
        "nationality" => "your nationality",
        "education" => "your education",
        "beijing_employer" => "whether you have an employer in Beijing",
        "high_end_industry" => "whether you work in a high-end industry",
        "project" => "the project",
        _ => "a field",
    }
}
