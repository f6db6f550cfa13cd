//! The rules engine's pre-check of an application, as the pages show it:
//! the verdict, what it brings or withholds, and the trace of the rules.

use zige_rules::Decision;

use crate::cases::field_errors::label;
use crate::i18n::Tr;

/// A rule applied by the engine.
pub struct TraceRow {
    pub rule: String,
    pub outcome: String,
    pub class: &'static str,
    pub message: String,
    pub basis: String,
}

/// The rules engine's pre-check, in the page's language.
pub struct Verdict {
    pub class: &'static str,
    pub headline: String,
    pub level: Option<String>,
    pub title: Option<String>,
    pub unmet: Vec<String>,
    pub benefits: Vec<String>,
    pub withheld: Vec<String>,
    pub obligations: Vec<String>,
    pub notes: Vec<String>,
    pub missing: Vec<String>,
    pub trace: Vec<TraceRow>,
}

/// A rule's outcome in the page's language, and its style class.
fn outcome_label(t: &Tr, outcome: &str) -> (String, &'static str) {
    let (key, class) = match outcome {
        "met" => ("out-met", "yes"),
        "unmet" => ("out-unmet", "no"),
        "undecided" => ("out-undecided", "open"),
        "waived" => ("out-waived", "yes"),
        "ignored" => ("out-ignored", "open"),
        "not_applicable" => ("out-not-applicable", "open"),
        "recognized" => ("out-recognized", "yes"),
        "not_recognized" => ("out-not-recognized", "no"),
        "granted" => ("out-granted", "yes"),
        "withheld" => ("out-withheld", "no"),
        "listed" => ("out-listed", "open"),
        "none" => ("out-none", "open"),
        "other_catalog" => ("out-other-catalog", "open"),
        _ => {
            // Title correspondence names the title level.
            return match zige_catalog::TitleLevel::parse(outcome) {
                Some(level) => (t.pick(level.name()), "yes"),
                None => (outcome.to_string(), "open"),
            };
        }
    };
    (t.msg(key), class)
}

/// `Title: … (basic conditions met)` in the page's language.
pub fn title_status(t: &Tr, level: &zige_catalog::TitleLevel, met: Option<bool>) -> String {
    let met = match met {
        Some(true) => t.msg("pre-title-met"),
        Some(false) => t.msg("pre-title-unmet"),
        None => t.msg("pre-title-open"),
    };
    t.with(
        "pre-title-status",
        &[("title", t.pick(level.name())), ("status", met)],
    )
}

/// The pre-check of `decision` in the page's language.
pub fn verdict(t: &Tr, decision: &Decision) -> Verdict {
    let lang = t.lang;
    let (class, key) = match decision.recognized {
        Some(true) => ("yes", "pre-yes"),
        Some(false) => ("no", "pre-no"),
        None => ("open", "pre-open"),
    };
    let entry = format!(
        "{} · {}",
        decision.entry.code,
        decision.entry.name.get(lang)
    );
    let messages = |items: &[zige_rules::Item]| -> Vec<String> {
        items
            .iter()
            .map(|item| item.message.get(lang).into())
            .collect()
    };
    Verdict {
        class,
        headline: t.with(key, &[("entry", entry)]),
        level: decision.level_used.clone(),
        title: decision
            .title
            .as_ref()
            .map(|title| title_status(t, &title.level, title.basic_conditions_met)),
        unmet: messages(&decision.unmet),
        benefits: messages(&decision.benefits),
        withheld: decision
            .withheld
            .iter()
            .map(|item| item.message.get(lang).into())
            .collect(),
        obligations: messages(&decision.obligations),
        notes: decision
            .notes
            .iter()
            .map(|note| note.get(lang).into())
            .collect(),
        missing: decision
            .missing
            .iter()
            .map(|field| label(t, field))
            .collect(),
        trace: decision
            .trace
            .iter()
            .map(|step| {
                let (outcome, class) = outcome_label(t, &step.outcome);
                TraceRow {
                    rule: step.rule.to_string(),
                    outcome,
                    class,
                    message: step.message.get(lang).into(),
                    basis: step.basis.get(lang).into(),
                }
            })
            .collect(),
    }
}
