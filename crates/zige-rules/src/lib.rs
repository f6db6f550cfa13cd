//! Zige's eligibility and benefits engine: a [`Profile`] and a catalogue
//! entry in, a [`Decision`] with its reasons out.
//!
//! The rules are those of the recognition-rules spec (recognition, title
//! correspondence, benefits, obligations); the policy facts they use
//! (benefit names and audiences, the work-permit age limits, the title
//! table, the sources) are data in `policies/<jurisdiction>/<year>.toml`,
//! loaded as a [`Policy`].
//!
//! Invariant: this crate does no IO. The built-in policy is compiled in.
//!
//! ```
//! use zige_rules::{decide, Lang, Policy, Profile};
//! let profile = Profile::from_json(r#"{"entry":"G29","experience_years":1}"#).unwrap();
//! let decision = decide(zige_catalog::default_catalog(), Policy::builtin(), &profile).unwrap();
//! assert_eq!(decision.recognized, Some(false));
//! assert_eq!(decision.unmet[0].code, "experience_insufficient");
//! assert!(decision.render(Lang::En).contains("not likely to be recognised"));
//! ```

pub mod decide;
pub mod input;
pub mod level;
pub mod policy;
pub mod profile;
pub mod reading;
mod render;
mod source;
pub mod text;

pub use decide::{decide, decide_all, Decision, EntryRef, Item, Step, TitleOutcome, Withheld};
pub use policy::{Policy, PolicyError, KNOWN_BENEFITS};
pub use profile::{
    parse_age, parse_bool, parse_education, parse_experience_years, parse_nationality,
    parse_project, Education, InputError, Nationality, Profile, Project,
};
pub use reading::Reading;
pub use source::Source;
pub use text::{SharedStr, Text};
pub use zige_catalog::Lang;

/// Reasons a benefit is withheld.
pub const REASONS: [&str; 4] = [
    "not_recognised",
    "no_beijing_employer",
    "age_over_limit",
    "basic_conditions_unmet",
];

/// Codes of unmet recognition conditions.
pub const UNMET: [&str; 4] = [
    "level_required",
    "level_below_minimum",
    "variant_not_recognised",
    "experience_insufficient",
];
