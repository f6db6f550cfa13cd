//! How an application reads on the pages (the applicant's and the
//! reviewer's alike): its entry, its timeline and its evidence files.

use serde_json::Value;

use super::ApplicationView;
use crate::i18n::Tr;
use crate::local_time::Clock;

/// One step of a timeline as a person reads it.
pub struct EventRow {
    pub at: String,
    pub what: String,
    pub state: String,
    pub by: String,
    pub reason: String,
}

/// The message key of what a timeline step did.
fn action_key(action: &str) -> Option<&'static str> {
    Some(match action {
        "create" => "ev-create",
        "submit" => "ev-submit",
        "open" => "ev-open",
        "request_information" => "ev-request-information",
        "approve" => "ev-approve",
        "reject" => "ev-reject",
        "withdraw" => "ev-withdraw",
        _ => return None,
    })
}

/// The application's timeline in the page's language.
pub fn timeline(t: &Tr, clock: &Clock, application: &ApplicationView) -> Vec<EventRow> {
    application
        .timeline
        .iter()
        .map(|event| {
            let what = action_key(&event.action)
                .map(|key| t.msg(key))
                .unwrap_or_else(|| event.action.clone());
            let by = match event.by.as_deref() {
                Some("applicant") => t.msg("by-applicant"),
                Some("reviewer") => t.msg("by-reviewer"),
                Some("admin") => t.msg("by-admin"),
                _ => String::new(),
            };
            let state = t.pick(&event.to_label);
            EventRow {
                at: clock.when(&event.at),
                // "Submitted → Submitted" says nothing twice.
                state: if state == what { String::new() } else { state },
                what,
                by,
                reason: event.reason.clone(),
            }
        })
        .collect()
}

/// `G7 · CFA …` from a view's entry.
pub fn entry_label(t: &Tr, entry: Option<&Value>) -> String {
    let Some(entry) = entry else {
        return String::new();
    };
    let code = entry["code"].as_str().unwrap_or("");
    format!("{code} · {}", shown_name(t, &entry["name"]))
}

/// A stored entry name (`{"zh", "en", "display_zh"}`) as the page's reader
/// tells entries apart: the Chinese display name where there is one
/// (records written before display names have none), else the name.
pub fn shown_name<'a>(t: &Tr, name: &'a Value) -> &'a str {
    let display = name["display_zh"].as_str().filter(|text| !text.is_empty());
    match display {
        Some(display) if t.is_zh() => display,
        _ => name[if t.is_zh() { "zh" } else { "en" }]
            .as_str()
            .unwrap_or(""),
    }
}

/// An uploaded file as the pages list it.
pub struct EvidenceRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub image: bool,
    pub pdf: bool,
    pub size: String,
    pub uploaded: String,
    pub sha256: String,
}

/// The application's evidence files, linked through the pages.
pub fn evidence_rows(clock: &Clock, application: &ApplicationView) -> Vec<EvidenceRow> {
    application
        .evidence
        .iter()
        .map(|file| EvidenceRow {
            id: file.id,
            name: file.name.clone(),
            url: format!("/applications/{}/evidence/{}", application.id, file.id),
            image: file.media_type.starts_with("image/"),
            pdf: file.media_type == "application/pdf",
            size: size_text(file.size),
            uploaded: clock.when(&file.uploaded_at),
            sha256: file.sha256.chars().take(12).collect(),
        })
        .collect()
}

/// A size in bytes as people read it: `532 B`, `12 KB`, `1.5 MB`.
fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{bytes} B")
    }
}
