//! The audit log as people read it: actions and subjects in words in the
//! page's language, filtered by who acted, what they did and between which
//! days (a GET form that keeps its values), a page at a time.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use zige_cases::State as Stage;
use zige_store::AuditFilter;

use crate::cases::admin;
use crate::i18n::Tr;
use crate::local_time::Clock;
use crate::render::{enc, fail, render, Admin, Page, Params, Problem};
use crate::state::Shared;

/// Audit records per page.
const AUDIT_PAGE: i64 = 50;

/// Every action the store records, in the order the filter offers them,
/// with its message key.
const ACTIONS: &[(&str, &str)] = &[
    ("session.create", "staff-act-session-create"),
    ("user.create", "staff-act-user-create"),
    ("user.update", "staff-act-user-update"),
    ("second_factor.enrol", "staff-act-factor-enrol"),
    ("second_factor.recovery_use", "staff-act-factor-recovery"),
    ("second_factor.remove", "staff-act-factor-remove"),
    ("second_factor.reset", "staff-act-factor-reset"),
    ("application.create", "staff-act-app-create"),
    ("application.edit", "staff-act-app-edit"),
    ("application.delete", "staff-act-app-delete"),
    ("evidence.add", "staff-act-evidence-add"),
    ("application.submit", "staff-act-app-submit"),
    ("application.withdraw", "staff-act-app-withdraw"),
    ("case.view", "staff-act-case-view"),
    ("case.assign", "staff-act-case-assign"),
    ("case.note", "staff-act-case-note"),
    ("reason_template.add", "staff-act-template-add"),
    ("reason_template.change", "staff-act-template-change"),
    ("reason_template.delete", "staff-act-template-delete"),
    ("application.open", "staff-act-app-open"),
    ("application.request_information", "staff-act-app-more"),
    ("application.approve", "staff-act-app-approve"),
    ("application.reject", "staff-act-app-reject"),
    ("decision.issue", "staff-act-decision-issue"),
    ("decision.revoke", "staff-act-decision-revoke"),
    ("key.create", "staff-act-key-create"),
    ("key.rotate", "staff-act-key-rotate"),
    ("evidence.sweep", "staff-act-evidence-sweep"),
    ("edition.import", "staff-act-edition-import"),
    ("edition.overlay", "staff-act-edition-overlay"),
    ("edition.publish", "staff-act-edition-publish"),
    ("edition.discard", "staff-act-edition-discard"),
];

/// An action's code in words; an unknown one spelt out.
pub fn action_name(t: &Tr, code: &str) -> String {
    match ACTIONS.iter().find(|(known, _)| *known == code) {
        Some((_, key)) => t.msg(key),
        None => code.replace(['.', '_'], " "),
    }
}

/// A record's subject (`application:12`, `user:3`…) in words, with the
/// page that shows it when there is one.
fn subject(t: &Tr, subject: &str, emails: &HashMap<i64, String>) -> (String, Option<String>) {
    let Some((kind, id)) = subject.split_once(':') else {
        return (subject.to_string(), None);
    };
    let number = id.parse::<i64>().ok();
    match (kind, number) {
        ("application", Some(n)) => (
            t.with("staff-subj-application", &[("id", n.to_string())]),
            Some(format!("/review/{n}")),
        ),
        ("user", Some(n)) => (
            emails
                .get(&n)
                .cloned()
                .unwrap_or_else(|| t.with("staff-subj-user", &[("id", n.to_string())])),
            None,
        ),
        ("decision", _) => (
            t.with("staff-subj-decision", &[("id", id.to_string())]),
            Some(format!("/verify/{}", enc(id))),
        ),
        ("key", _) => (t.with("staff-subj-key", &[("id", id.to_string())]), None),
        ("blob", _) => (t.msg("staff-subj-file"), None),
        ("edition", _) | ("catalog", _) => (
            t.with("staff-subj-edition", &[("id", id.to_string())]),
            None,
        ),
        _ => (subject.to_string(), None),
    }
}

pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub link: Option<String>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "cases/admin/audit.html")]
struct AuditPage {
    page: Page,
    tab: &'static str,
    filters: Params,
    actions: Vec<(&'static str, String)>,
    problems: Vec<Problem>,
    errors: HashMap<&'static str, String>,
    rows: Vec<AuditLine>,
    /// The zone the times are in, for the column heading.
    zone: String,
    shown: String,
    prev: Option<String>,
    next: Option<String>,
}

impl AuditPage {
    /// The value of filter `key` as given (empty when not).
    fn filter(&self, key: &str) -> &str {
        self.filters.get(key).map(String::as_str).unwrap_or("")
    }

    /// The message at field `key`, if it was refused.
    fn error(&self, key: &str) -> Option<&String> {
        self.errors.get(key)
    }
}

/// The filters as given: trimmed, empty ones left out.
fn given(query: &Params) -> Params {
    ["actor", "action", "from", "to", "page"]
        .iter()
        .filter_map(|key| {
            let value = query.get(*key)?.trim();
            (!value.is_empty()).then(|| (key.to_string(), value.to_string()))
        })
        .collect()
}

/// The filter the store runs, or the message of each refused field.
fn filter_of(
    t: &Tr,
    clock: &Clock,
    given: &Params,
    emails: &HashMap<i64, String>,
) -> Result<AuditFilter, HashMap<&'static str, String>> {
    let mut errors = HashMap::new();
    let mut filter = AuditFilter {
        limit: AUDIT_PAGE,
        ..AuditFilter::default()
    };
    if let Some(email) = given.get("actor") {
        let wanted = email.to_lowercase();
        filter.actor = emails
            .iter()
            .find(|(_, known)| known.to_lowercase() == wanted)
            .map(|(id, _)| *id);
        if filter.actor.is_none() {
            errors.insert(
                "actor",
                t.with("staff-err-actor", &[("value", email.clone())]),
            );
        }
    }
    if let Some(action) = given.get("action") {
        match ACTIONS.iter().find(|(code, _)| *code == action.as_str()) {
            Some((code, _)) => filter.action = Some(code.to_string()),
            None => {
                errors.insert("action", t.msg("staff-err-action"));
            }
        }
    }
    let day = |key: &'static str, errors: &mut HashMap<&'static str, String>| {
        let text = given.get(key)?;
        let parsed = text.parse::<jiff::civil::Date>().ok();
        if parsed.is_none() {
            errors.insert(key, t.with("staff-err-date", &[("value", text.clone())]));
        }
        parsed
    };
    filter.from = day("from", &mut errors).and_then(|d| clock.start_of(d));
    filter.until = day("to", &mut errors)
        .and_then(|d| d.tomorrow().ok())
        .and_then(|d| clock.start_of(d));
    if let (Some(from), Some(until)) = (filter.from, filter.until) {
        if from >= until {
            errors.insert("to", t.msg("staff-err-range"));
        }
    }
    let page = given
        .get("page")
        .and_then(|page| page.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000);
    filter.offset = (page - 1) * AUDIT_PAGE;
    match errors.is_empty() {
        true => Ok(filter),
        false => Err(errors),
    }
}

/// The log's address at page `number`, with the same filters.
fn page_link(given: &Params, number: i64) -> String {
    let mut pairs: Vec<(&String, &String)> = given.iter().filter(|(k, _)| *k != "page").collect();
    pairs.sort();
    let mut query: Vec<String> = pairs
        .iter()
        .map(|(key, value)| format!("{}={}", enc(key), enc(value)))
        .collect();
    query.push(format!("page={number}"));
    format!("/admin/audit?{}", query.join("&"))
}

/// Handles `GET /admin/audit`.
pub async fn audit(State(state): State<Shared>, Admin { ctx, viewer }: Admin) -> Response {
    let emails: HashMap<i64, String> = match admin::users(&state, &viewer).await {
        Ok(users) => users.into_iter().map(|u| (u.id, u.email)).collect(),
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let t = ctx.tr;
    let given = given(&ctx.query);
    let (filter, errors) = match filter_of(&t, &ctx.clock, &given, &emails) {
        Ok(filter) => (Some(filter), HashMap::new()),
        Err(errors) => (None, errors),
    };
    let (total, records) = match &filter {
        Some(filter) => match admin::audit_search(&state, &viewer, filter).await {
            Ok(found) => found,
            Err(errors) => return fail(&state, &ctx, errors),
        },
        None => (0, Vec::new()),
    };
    let offset = filter.as_ref().map_or(0, |f| f.offset);
    let rows: Vec<AuditLine> = records
        .into_iter()
        .map(|record| line(&t, &ctx.clock, record, &emails))
        .collect();
    let page = AuditPage {
        zone: ctx.clock.zone_now(),
        tab: "audit",
        page: ctx.page(&state, t.msg("adm-audit-title"), "admin"),
        actions: ACTIONS
            .iter()
            .map(|(code, key)| (*code, t.msg(key)))
            .collect(),
        problems: problems(&t, &errors),
        shown: shown(&t, offset, rows.len() as i64, total),
        prev: (offset > 0).then(|| page_link(&given, offset / AUDIT_PAGE)),
        next: (offset + (rows.len() as i64) < total)
            .then(|| page_link(&given, offset / AUDIT_PAGE + 2)),
        filters: given,
        errors,
        rows,
    };
    let status = match page.problems.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::BAD_REQUEST,
    };
    render(&page, &ctx, status)
}

/// One record as the table shows it.
fn line(
    t: &Tr,
    clock: &Clock,
    record: zige_cases::AuditRecord,
    emails: &HashMap<i64, String>,
) -> AuditLine {
    let (subject, link) = subject(t, &record.subject, emails);
    AuditLine {
        at: clock.local(record.at),
        actor: match record.actor {
            Some(id) => emails.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
            None => t.msg("adm-system"),
        },
        action: action_name(t, &record.action),
        subject,
        link,
        detail: detail_text(t, &record.detail).chars().take(300).collect(),
    }
}

/// A record's detail in words: the `key=value` facts the store writes
/// (`role=reviewer disabled=false`, `recovery_codes=10`) as sentences in
/// the page's language; any other text (a reason, a note) as it is.
fn detail_text(t: &Tr, detail: &str) -> String {
    let facts: Option<Vec<String>> = detail
        .split_whitespace()
        .map(|fact| {
            let (key, value) = fact.split_once('=')?;
            let words = match key {
                "role" => t.with(
                    "audit-detail-role",
                    &[("role", t.msg(&format!("role-{value}")))],
                ),
                "disabled" if value == "true" => t.msg("audit-detail-disabled"),
                "disabled" => t.msg("audit-detail-enabled"),
                "had_factor" if value == "true" => t.msg("audit-detail-had-factor"),
                "had_factor" => t.msg("audit-detail-had-no-factor"),
                "recovery_codes" => t.with(
                    "audit-detail-recovery-codes",
                    &[("count", value.to_string())],
                ),
                "left" => t.with("audit-detail-codes-left", &[("count", value.to_string())]),
                _ => return None,
            };
            Some(words)
        })
        .collect();
    match facts {
        Some(facts) if !facts.is_empty() => facts.join(t.msg("audit-detail-joiner").as_str()),
        _ => other_detail(t, detail),
    }
}

/// The store's other details in words: a change of state (`draft ->
/// submitted`), a sign-in with the second factor, an evidence file's
/// SHA-256; anything else (a reason, a decision number) as it is.
fn other_detail(t: &Tr, detail: &str) -> String {
    if let Some((from, to)) = detail.split_once(" -> ") {
        if let (Ok(from), Ok(to)) = (Stage::parse(from), Stage::parse(to)) {
            let (from, to) = (t.pick(from.label()), t.pick(to.label()));
            return t.with("audit-detail-state", &[("from", from), ("to", to)]);
        }
    }
    if detail == "second_factor" {
        return t.msg("audit-detail-second-factor");
    }
    if detail.len() == 64 && detail.chars().all(|c| c.is_ascii_hexdigit()) {
        let short: String = detail.chars().take(12).collect();
        return t.with("audit-detail-file", &[("sha", short)]);
    }
    detail.to_string()
}

/// "Showing 1–50 of 420", or that nothing matches.
fn shown(t: &Tr, offset: i64, count: i64, total: i64) -> String {
    if count == 0 {
        return t.msg("staff-audit-none");
    }
    t.with(
        "staff-audit-shown",
        &[
            ("from", (offset + 1).to_string()),
            ("to", (offset + count).to_string()),
            ("total", total.to_string()),
        ],
    )
}

/// The error summary, each problem linking to its field, in form order.
fn problems(t: &Tr, errors: &HashMap<&'static str, String>) -> Vec<Problem> {
    ["actor", "action", "from", "to"]
        .iter()
        .filter_map(|field| {
            errors.get(field).map(|message| Problem {
                href: format!("#{field}"),
                text: t.with(
                    "err-field",
                    &[
                        ("field", t.msg(&format!("staff-audit-{field}"))),
                        ("message", message.clone()),
                    ],
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use zige_catalog::Lang;

    #[test]
    fn every_action_reads_as_words_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let t = Tr { lang };
            for (code, _) in ACTIONS {
                let name = action_name(&t, code);
                assert!(
                    !name.is_empty() && !name.contains('.') && !name.contains('_'),
                    "{code}: {name}"
                );
            }
        }
        let en = Tr { lang: Lang::En };
        assert_eq!(action_name(&en, "decision.revoke"), "Revoked a decision");
        assert_eq!(action_name(&en, "new.thing_done"), "new thing done");
    }

    #[test]
    fn details_read_as_words_and_other_text_is_kept() {
        let en = Tr { lang: Lang::En };
        assert_eq!(
            detail_text(&en, "role=reviewer disabled=false"),
            "role: Reviewer; account active"
        );
        assert_eq!(
            detail_text(&en, "recovery_codes=10"),
            "10 recovery codes issued"
        );
        assert_eq!(
            detail_text(&en, "Checked with the issuer."),
            "Checked with the issuer."
        );
        let zh = Tr { lang: Lang::Zh };
        assert_eq!(detail_text(&zh, "left=9"), "剩余 9 个恢复码");
        assert_eq!(
            detail_text(&zh, "draft -> submitted"),
            "状态：草稿 → 已提交"
        );
        assert_eq!(
            detail_text(&en, "second_factor"),
            "with two-step verification"
        );
    }
}
