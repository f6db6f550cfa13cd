//! A decision of the rules read as guidance for one person: likely
//! eligible or not and why, the title, what the qualification would bring
//! them grouped by who gets it, what they would have to do, and the
//! official documents it rests on.

use zige_rules::{Decision, Policy, Profile};

use super::guidance::{cited, grouped, reasons, Answer, Cited, Group, Reason};
use crate::i18n::Tr;

/// The check's answer, ready for the page.
pub struct Advice {
    /// `yes`, `no` or `open`.
    pub outcome: &'static str,
    pub heading: String,
    pub subject: String,
    pub recognition: Vec<Reason>,
    pub title: Vec<Reason>,
    pub groups: Vec<Group<Answer>>,
    pub obligations: Vec<String>,
    pub notes: Vec<String>,
    /// Fields that would settle what is open: (form id, label).
    pub missing: Vec<(String, String)>,
    pub sources: Vec<Cited>,
    /// `/apply?entry=<entry id>`.
    pub apply: String,
}

/// Reads a decision for `profile` as guidance in the reader's language.
pub fn advise(tr: &Tr, policy: &Policy, profile: &Profile, d: &Decision) -> Advice {
    let (outcome, key) = match d.recognized {
        Some(true) => ("yes", "guide-yes"),
        Some(false) => ("no", "guide-no"),
        None => ("open", "guide-open"),
    };
    let title_source = d
        .title
        .as_ref()
        .map(|t| policy.title(t.level).source.as_str());
    let answered = policy
        .benefits
        .iter()
        .filter(|b| b.code != "title_correspondence");
    let items: Vec<_> = answered
        .filter_map(|b| answer(tr, policy, profile, d, b).map(|a| (b.audience.as_slice(), a)))
        .collect();
    let shown_sources = policy
        .benefits
        .iter()
        .filter(|b| {
            d.trace
                .iter()
                .any(|s| s.rule.as_str() == format!("benefit.{}", b.code))
        })
        .map(|b| b.source.as_str());
    Advice {
        outcome,
        heading: tr.msg(key),
        subject: tr.with(
            "guide-for",
            &[
                ("name", d.entry.name.get(tr.lang).to_string()),
                ("code", d.entry.code.clone()),
            ],
        ),
        recognition: reasons(tr, d, |r| {
            r.starts_with("recognition.") || r == "policy.scope"
        }),
        title: title_reasons(tr, policy, d),
        groups: grouped(tr, items),
        obligations: d
            .obligations
            .iter()
            .map(|o| o.message.get(tr.lang).to_string())
            .collect(),
        notes: d.notes.iter().map(|n| n.get(tr.lang).to_string()).collect(),
        missing: d
            .missing
            .iter()
            .map(|f| (f.to_string(), tr.msg(&super::check::label_key(f))))
            .collect(),
        sources: cited(tr, policy, shown_sources.chain(title_source)),
        apply: format!("/apply?entry={}", crate::render::enc(&d.entry.id)),
    }
}

/// The title: which one, whether its basic conditions are met, and why.
fn title_reasons(tr: &Tr, policy: &Policy, d: &Decision) -> Vec<Reason> {
    let Some(t) = &d.title else {
        return vec![Reason {
            class: "info",
            text: tr.msg("guide-title-none"),
        }];
    };
    let name = tr.pick(&policy.title(t.level).name);
    let (class, key) = match t.basic_conditions_met {
        Some(true) => ("yes", "guide-title-met"),
        Some(false) => ("no", "guide-title-unmet"),
        None => ("open", "guide-title-unknown"),
    };
    let mut out = vec![
        Reason {
            class: "info",
            text: tr.with("guide-title-level", &[("title", name)]),
        },
        Reason {
            class,
            text: tr.msg(key),
        },
    ];
    out.extend(reasons(tr, d, |r| r == "title.basic_conditions"));
    for w in d
        .withheld
        .iter()
        .filter(|w| w.code == "title_correspondence")
    {
        if w.reason != "basic_conditions_unmet" {
            let text = tr.msg(&format!("guide-why-{}", w.reason));
            out.push(Reason { class: "no", text });
        }
    }
    out
}

/// One benefit for this person: granted, withheld with each reason, or
/// open; `None` when it does not exist for their nationality.
fn answer(
    tr: &Tr,
    policy: &Policy,
    profile: &Profile,
    d: &Decision,
    b: &zige_rules::policy::Benefit,
) -> Option<Answer> {
    let name = tr.pick(&b.name);
    let (status, reasons) = if let Some(g) = d.benefits.iter().find(|x| x.code == b.code.as_str()) {
        let text = g.message.get(tr.lang);
        let sep = if tr.is_zh() { "：" } else { ": " };
        let text = text.strip_prefix(&format!("{name}{sep}")).unwrap_or(text);
        ("yes", vec![text.to_string()])
    } else if d.withheld.iter().any(|w| w.code == b.code.as_str()) {
        let why = d
            .withheld
            .iter()
            .filter(|w| w.code == b.code.as_str())
            .map(|w| why_not(tr, policy, profile, &w.reason))
            .collect();
        ("no", why)
    } else if d
        .trace
        .iter()
        .any(|s| s.rule.as_str() == format!("benefit.{}", b.code))
    {
        ("open", vec![tr.msg("guide-open-why")])
    } else {
        return None;
    };
    Some(Answer {
        name,
        status,
        status_text: tr.msg(&format!("guide-status-{status}")),
        reasons,
    })
}

/// Why a benefit would not reach the person, in plain words.
fn why_not(tr: &Tr, policy: &Policy, profile: &Profile, reason: &str) -> String {
    if reason != "age_over_limit" {
        return tr.msg(&format!("guide-why-{reason}"));
    }
    let limit = policy.work_permit.limit_for(profile.high_end_industry);
    let high = policy
        .work_permit
        .limit(zige_rules::policy::AgeCondition::HighEndIndustry)
        .filter(|h| *h > limit && !profile.high_end_industry);
    let mut args = vec![
        (
            "age",
            profile.age.map(|a| a.to_string()).unwrap_or_default(),
        ),
        ("limit", limit.to_string()),
    ];
    match high {
        Some(h) => {
            args.push(("high", h.to_string()));
            tr.with("guide-why-age_over_limit-high", &args)
        }
        None => tr.with("guide-why-age_over_limit", &args),
    }
}
