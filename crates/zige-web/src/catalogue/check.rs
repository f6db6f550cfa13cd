//! The eligibility check page: the form, every error at once (a summary
//! that takes focus, each message at its field, what was typed kept), and
//! the answer as guidance with the way to apply.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use zige_catalog::Catalog;
use zige_rules::{InputError, Reading};

use super::advice::{advise, Advice};
use super::guidance::Cited;
use super::pages::entry_options;
use crate::catalogue::text_search::pages::TextBox;
use crate::i18n::Tr;
use crate::render::{enc, render, Page, Problem, Public};
use crate::state::Shared;

#[derive(Template)]
#[template(path = "catalogue/check.html")]
struct CheckPage {
    page: Page,
    form: HashMap<String, String>,
    advice: Option<Advice>,
    /// The documents the advice rests on.
    sources: Vec<Cited>,
    problems: Vec<Problem>,
    /// The message at each field with an error, by field name.
    errors: HashMap<String, String>,
    share: String,
    entries: Vec<(String, String)>,
    /// The box to paste a CV into, for whoever does not know the code.
    text_box: TextBox,
}

impl CheckPage {
    /// The value the form was sent with (empty when none).
    fn value(&self, key: &str) -> &str {
        self.form.get(key).map(String::as_str).unwrap_or("")
    }

    /// Whether the form was sent with `key` set to `value`.
    fn selected(&self, key: &str, value: &str) -> bool {
        self.value(key) == value
    }

    /// The error at field `key`, if any.
    fn error(&self, key: &str) -> Option<&str> {
        self.errors.get(key).map(String::as_str)
    }

    /// `aria-describedby` and `aria-invalid` for a field with help text
    /// `help` (may be empty).
    fn described(&self, key: &str, help: &str) -> String {
        let ids: Vec<String> = [
            help.to_string(),
            self.error(key)
                .map(|_| format!("{key}-error"))
                .unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        let mut out = String::new();
        if !ids.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", ids.join(" ")));
        }
        if self.error(key).is_some() {
            out.push_str(" aria-invalid=\"true\"");
        }
        out
    }
}

/// The Fluent key of a field's label.
pub(crate) fn label_key(field: &str) -> String {
    match field {
        "entry" => "check-entry",
        "level" => "check-level",
        "experience_years" => "check-experience",
        "age" => "check-age",
        "nationality" => "check-nationality",
        "education" => "check-education",
        "beijing_employer" => "check-employer",
        "high_end_industry" => "check-high-end",
        "project" => "check-project",
        _ => "check-title",
    }
    .to_string()
}

/// Handles `GET /check`: the eligibility form, and once sent (an `entry`
/// in the query, even empty) the guidance or every error at once.
pub async fn check(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let tr = ctx.tr;
    let cat = state.current().catalog;
    let form: HashMap<String, String> = ctx
        .query
        .iter()
        .filter(|(k, v)| *k != "lang" && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut page = CheckPage {
        page: ctx.page(&state, tr.msg("check-title"), "check"),
        form,
        advice: None,
        sources: Vec::new(),
        problems: Vec::new(),
        errors: HashMap::new(),
        share: String::new(),
        entries: entry_options(&tr, cat),
        text_box: TextBox::empty(&tr),
    };
    if !ctx.query.contains_key("entry") {
        return render(&page, &ctx, StatusCode::OK);
    }
    let reading = Reading::fields(|k| page.form.get(k).map(String::as_str));
    match zige_rules::decide_all(cat, state.policy, &reading) {
        Ok(d) => {
            let mut advice = advise(&tr, state.policy, &reading.profile, &d);
            page.sources = std::mem::take(&mut advice.sources);
            page.advice = Some(advice);
            page.share = share_link(&page.form);
            render(&page, &ctx, StatusCode::OK)
        }
        Err(errors) => {
            for e in &errors {
                let text = plain_error(&tr, cat, e);
                page.problems.push(Problem {
                    href: format!("#{}", e.field),
                    text: text.clone(),
                });
                page.errors.insert(e.field.clone(), text);
            }
            render(&page, &ctx, StatusCode::BAD_REQUEST)
        }
    }
}

/// The link that shows the same answer again.
fn share_link(form: &HashMap<String, String>) -> String {
    let mut keys: Vec<(&String, &String)> = form.iter().collect();
    keys.sort();
    let query: Vec<String> = keys
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v.trim())))
        .collect();
    format!("/check?{}", query.join("&"))
}

/// An input error in plain words for the person who typed it: what to
/// enter, never a field's code.
fn plain_error(tr: &Tr, cat: &Catalog, e: &InputError) -> String {
    let field = e.field.as_str();
    let value = e.value.clone();
    // Too long, or invisible characters: what is allowed says it.
    if let Some(zh) = &e.allowed_zh {
        let allowed = if tr.is_zh() {
            zh.clone()
        } else {
            e.allowed.clone()
        };
        let label = tr.msg(&label_key(field));
        return tr.with("check-err-text", &[("field", label), ("allowed", allowed)]);
    }
    match field {
        "entry" if value.is_empty() => tr.msg("check-err-entry-missing"),
        "entry" => {
            let mut text = tr.with("check-err-entry-unknown", &[("value", value)]);
            let names: Vec<String> = e
                .suggestions
                .iter()
                .filter_map(|s| cat.find(s.split_whitespace().next().unwrap_or("")))
                .map(|x| {
                    let name = x.name.shown(tr.lang);
                    format!("{} {name}", x.code)
                })
                .collect();
            if !names.is_empty() {
                let sep = if tr.is_zh() { "、" } else { ", " };
                text.push_str(if tr.is_zh() { "。" } else { ". " });
                text.push_str(&tr.with("check-err-entry-suggest", &[("names", names.join(sep))]));
            }
            text
        }
        "level" => tr.with(
            "check-err-level-unknown",
            &[("value", value), ("allowed", e.allowed.clone())],
        ),
        "experience_years" | "age" => {
            let range = if field == "age" {
                zige_rules::profile::AGE_RANGE
            } else {
                zige_rules::profile::EXPERIENCE_RANGE
            };
            tr.with(
                &format!("check-err-{field}"),
                &[
                    ("min", range.start().to_string()),
                    ("max", range.end().to_string()),
                ],
            )
        }
        _ => tr.msg(&format!("check-err-{field}")),
    }
}
