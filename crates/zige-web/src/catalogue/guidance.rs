//! What the check and the entry page show of the rules: benefits grouped by
//! who gets them, a decision read as guidance (likely eligible, what the
//! qualification would bring, why), and the official documents it rests on.

use zige_catalog::Entry;
use zige_rules::{Decision, Nationality, Policy};

use crate::i18n::Tr;

/// Benefits for one audience (foreign nationals, Chinese nationals, everyone).
pub struct Group<T> {
    pub heading: String,
    pub items: Vec<T>,
}

/// A benefit as the entry page offers it.
pub struct Offer {
    pub name: String,
    pub text: String,
}

/// A benefit as the check answers it for one person.
pub struct Answer {
    pub name: String,
    /// `yes`, `no` or `open`, for the style and the status words.
    pub status: &'static str,
    pub status_text: String,
    /// What it is, or why it would not reach the person.
    pub reasons: Vec<String>,
}

/// An official document cited, with its address.
pub struct Cited {
    pub text: String,
    pub note: Option<String>,
    pub url: Option<String>,
}

/// A line of reasoning with its outcome (`yes`, `no`, `open`, `info`).
pub struct Reason {
    pub class: &'static str,
    pub text: String,
}

/// Where an audience stands in the list, and its heading.
fn audience(tr: &Tr, who: &[Nationality]) -> (usize, String) {
    if Nationality::ALL.iter().all(|n| who.contains(n)) {
        return (usize::MAX, tr.msg("audience-everyone"));
    }
    let rank = Nationality::ALL
        .iter()
        .position(|n| who.contains(n))
        .unwrap_or(0);
    let label = |n: &Nationality| tr.msg(&format!("audience-{}", n.code()));
    let heading = who
        .iter()
        .map(label)
        .reduce(|first, second| tr.with("audience-join", &[("first", first), ("second", second)]));
    (rank * 10 + who.len(), heading.unwrap_or_default())
}

/// Items grouped by audience: foreign nationals, Chinese nationals, Hong
/// Kong, Macao and Taiwan residents, then everyone; the order within a
/// group is the policy's.
pub fn grouped<T>(tr: &Tr, items: Vec<(&[Nationality], T)>) -> Vec<Group<T>> {
    let mut groups: Vec<(usize, Group<T>)> = Vec::new();
    for (who, item) in items {
        let (rank, heading) = audience(tr, who);
        match groups
            .iter_mut()
            .find(|(r, g)| *r == rank && g.heading == heading)
        {
            Some((_, g)) => g.items.push(item),
            None => groups.push((
                rank,
                Group {
                    heading,
                    items: vec![item],
                },
            )),
        }
    }
    groups.sort_by_key(|(rank, _)| *rank);
    groups.into_iter().map(|(_, g)| g).collect()
}

/// What an entry offers, by audience (no title benefit without a title
/// correspondence).
pub fn offers(tr: &Tr, policy: &Policy, entry: &Entry) -> Vec<Group<Offer>> {
    let items = policy
        .offered(entry)
        .map(|b| {
            let offer = Offer {
                name: tr.pick(&b.name),
                text: tr.pick(&b.description),
            };
            (b.audience.as_slice(), offer)
        })
        .collect();
    grouped(tr, items)
}

/// The documents behind the given source keys, each once, in order.
pub fn cited<'a>(tr: &Tr, policy: &Policy, keys: impl Iterator<Item = &'a str>) -> Vec<Cited> {
    let mut seen: Vec<&str> = Vec::new();
    for k in keys {
        if !seen.contains(&k) {
            seen.push(k);
        }
    }
    seen.iter()
        .filter_map(|k| policy.sources.get(*k))
        .map(|s| Cited {
            text: tr.pick(&s.citation),
            note: s.note.as_ref().map(|n| tr.pick(n)),
            url: s.url.clone(),
        })
        .collect()
}

/// The sources of what an entry offers: its benefits and its title row.
pub fn entry_sources(tr: &Tr, policy: &Policy, entry: &Entry) -> Vec<Cited> {
    let title = entry.title.map(|t| policy.title(t).source.as_str());
    let benefits = policy.offered(entry).map(|b| b.source.as_str());
    cited(tr, policy, benefits.chain(title))
}

/// The experience an entry asks for, as a sentence.
pub fn experience(tr: &Tr, entry: &Entry) -> Option<String> {
    let x = entry.experience.as_ref()?;
    let key = match x.unit {
        zige_catalog::ExperienceUnit::Years => "entry-experience-years",
        zige_catalog::ExperienceUnit::AcademicYears => "entry-experience-academic-years",
    };
    Some(tr.with(key, &[("years", x.years.to_string())]))
}

/// The outcome class of a trace step.
pub fn class_of(outcome: &str) -> &'static str {
    match outcome {
        "met" | "waived" | "not_applicable" | "granted" | "recognized" => "yes",
        "unmet" | "withheld" | "not_recognized" => "no",
        "undecided" => "open",
        _ => "info",
    }
}

/// The reasons the trace gives for the rules whose names pass `pick`.
pub fn reasons(tr: &Tr, decision: &Decision, pick: impl Fn(&str) -> bool) -> Vec<Reason> {
    decision
        .trace
        .iter()
        .filter(|s| pick(s.rule.as_str()))
        .map(|s| Reason {
            class: class_of(&s.outcome),
            text: s.message.get(tr.lang).to_string(),
        })
        .collect()
}
