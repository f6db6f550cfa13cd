//! Field errors on the pages: which form control an API error names, the
//! field's name in the page's language, and plain words for the usual
//! mistakes, gathered into a summary that links to each field.

use std::collections::HashMap;

use crate::error::ApiError;
use crate::i18n::Tr;
use crate::render::{said, Problem};

/// The form control an error's field names (`profile.age` → `age`).
pub fn input_id(field: &str) -> String {
    let field = field.strip_prefix("profile.").unwrap_or(field);
    match field {
        "certificate.number" => "cert_number".into(),
        "certificate.issuer" => "cert_issuer".into(),
        "certificate.issued_on" => "cert_issued_on".into(),
        "certificate.expires_on" => "cert_expires_on".into(),
        "evidence" => "file".into(),
        "title.zh" => "title_zh".into(),
        "title.en" => "title_en".into(),
        "text.zh" => "text_zh".into(),
        "text.en" => "text_en".into(),
        "profile" | "form" | "body" => String::new(),
        other => other.into(),
    }
}

/// The message key of a field's name, by control id.
fn label_key(control: &str) -> Option<&'static str> {
    Some(match control {
        "email" => "form-email",
        "password" => "form-password",
        "name" => "form-name",
        "holder_name" => "form-holder-name",
        "entry" => "form-entry",
        "level" => "check-level",
        "experience_years" => "check-experience",
        "age" => "check-age",
        "nationality" => "check-nationality",
        "education" => "check-education",
        "beijing_employer" => "check-employer",
        "high_end_industry" => "check-high-end",
        "project" => "check-project",
        "cert_number" => "form-cert-number",
        "cert_issuer" => "form-cert-issuer",
        "cert_issued_on" => "form-cert-issued",
        "cert_expires_on" => "form-cert-expires",
        "file" => "ev-title",
        "outcome" => "rev-outcome",
        "reasons" => "rev-reasons",
        "note" => "rev-note",
        "template" => "rev-template",
        "title_zh" => "rt-title-zh",
        "title_en" => "rt-title-en",
        "text_zh" => "rt-text-zh",
        "text_en" => "rt-text-en",
        "reason" => "form-reason",
        "role" => "adm-role",
        "state" => "rev-f-state",
        "list" => "rev-f-list",
        "waiting_days" => "rev-f-waiting",
        "code" => "ver-code",
        _ => return None,
    })
}

/// A field's name in the page's language (empty for fields no control shows).
pub fn label(t: &Tr, field: &str) -> String {
    label_key(&input_id(field))
        .map(|key| t.msg(key))
        .unwrap_or_default()
}

/// The message key for a date the core refused, from what it allows.
fn date_key(allowed: &str) -> &'static str {
    if allowed.contains("on or before today") {
        "err-date-future"
    } else if allowed.contains("still valid") {
        "err-date-expired"
    } else if allowed.contains("after the issue date") {
        "err-date-order"
    } else {
        "err-date-format"
    }
}

/// What to say about an error at its field: plain words for the usual
/// cases, the error's own bilingual message otherwise.
pub fn short(t: &Tr, error: &ApiError) -> String {
    let field = error.field.as_deref().unwrap_or("");
    let empty = error.value.as_deref().unwrap_or("").trim().is_empty();
    if error.status != 400 || field.is_empty() {
        return said(t, error);
    }
    let value: String = error
        .value
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    let allowed = error.allowed.as_deref().unwrap_or("");
    let text = match input_id(field).as_str() {
        "file" if empty => t.msg("err-evidence"),
        "email" => t.msg("err-email"),
        "password" => t.msg("err-password"),
        // The picker's problems are said in their own words.
        "template" => said(t, error),
        _ if empty => t.msg("err-required"),
        "cert_issued_on" | "cert_expires_on" => t.with(date_key(allowed), &[("value", value)]),
        "entry" => t.with("err-entry", &[("value", value)]),
        _ => t.with(
            "err-invalid",
            &[("value", value), ("allowed", allowed.to_string())],
        ),
    };
    if error.suggestions.is_empty() {
        text
    } else {
        let separator = if t.is_zh() { "、" } else { ", " };
        format!(
            "{text} {}",
            t.with(
                "err-suggest",
                &[("list", error.suggestions.join(separator))]
            )
        )
    }
}

/// Field errors by control id, and the summary naming each field.
#[derive(Default)]
pub struct FieldErrors {
    by_control: HashMap<String, String>,
    pub summary: Vec<Problem>,
}

impl FieldErrors {
    pub fn of(t: &Tr, errors: &[ApiError]) -> FieldErrors {
        let mut out = FieldErrors::default();
        for error in errors {
            let field = error.field.as_deref().unwrap_or("");
            let control = input_id(field);
            let name = label(t, field);
            let text = short(t, error);
            let full = if name.is_empty() {
                text.clone()
            } else {
                t.with(
                    "err-field",
                    &[("field", name.clone()), ("message", text.clone())],
                )
            };
            if !name.is_empty() {
                out.by_control
                    .entry(control.clone())
                    .and_modify(|message| {
                        message.push(' ');
                        message.push_str(&text)
                    })
                    .or_insert(text);
            }
            out.summary.push(Problem {
                href: if name.is_empty() {
                    String::new()
                } else {
                    format!("#{control}")
                },
                text: full,
            });
        }
        out
    }

    /// What to say at the control `id`, if anything.
    pub fn get(&self, id: &str) -> Option<String> {
        self.by_control.get(id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_field_in_the_page_language() {
        let t = Tr {
            lang: zige_catalog::Lang::Zh,
        };
        let error = ApiError::invalid("certificate.issued_on", "", "a date");
        let errors = FieldErrors::of(&t, &[error]);
        assert_eq!(errors.summary[0].href, "#cert_issued_on");
        assert!(
            errors.summary[0].text.contains("发证日期"),
            "{}",
            errors.summary[0].text
        );
        assert!(errors.get("cert_issued_on").is_some());
        let future = zige_rules::InputError::new(
            "certificate.issued_on",
            "2099-01-01",
            "a date on or before today (2026-11-27)",
        );
        let errors = FieldErrors::of(&t, &[ApiError::from_input(future)]);
        assert_eq!(
            errors.summary[0].text,
            "发证日期：2099-01-01 晚于今天：请填写证书的实际发证日期。"
        );
        let mut unknown =
            zige_rules::InputError::new("profile.entry", "G999", "an entry of beijing/3.0");
        unknown.suggestions = vec!["G9 Example".into()];
        let en = Tr {
            lang: zige_catalog::Lang::En,
        };
        let errors = FieldErrors::of(&en, &[ApiError::from_input(unknown)]);
        assert_eq!(errors.summary[0].href, "#entry");
        assert!(
            errors.summary[0]
                .text
                .contains("“G999” is not in the catalogue")
                && errors.summary[0].text.ends_with("Did you mean G9 Example?"),
            "{}",
            errors.summary[0].text
        );
    }
}
