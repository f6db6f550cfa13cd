//! The pages of decisions: deciding on the case page (confirmed on a
//! check page first) and the printable decision in the authority's name.
//! Public verification is in [`super::verification`].

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;
use zige_cases::Role;

use zige_cases::decision::Outcome;
use zige_cases::text;

use super::{checked, edition_name, policy_name, verification_link, DecisionRequest};
use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications::{self, precheck::title_status};
use crate::cases::decisions;
use crate::cases::qr_code::qr_svg;
use crate::cases::reason_templates;
use crate::cases::review::pages::{case_page, CaseShown};
use crate::error::{ApiError, ApiErrors};
use crate::extract::PageId;
use crate::i18n::Tr;
use crate::render::{fail, forbidden, render, status_of, Ctx, Page, Posted};
use crate::state::Shared;

// ---------- deciding ----------

/// The check before a decision is recorded: what it is, that it cannot
/// be edited, and Confirm / Go back with what was typed kept.
#[derive(Template)]
#[template(path = "cases/decisions/confirm.html")]
struct ConfirmDecision {
    page: Page,
    csrf: String,
    id: i64,
    version: String,
    outcome: String,
    reasons: String,
    heading: String,
    text: String,
    consequence: String,
    button: String,
}

/// Handles `POST /review/{id}/decision`: a decision is first shown back
/// for confirmation; `confirm=yes` records it, `back` returns to the case
/// with what was typed.
pub async fn decide(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted {
        ctx,
        form,
        ref viewer,
    }: Posted,
) -> Response {
    if !viewer.user.role.reviews() {
        return forbidden(&state, &ctx);
    }
    let field = |key: &str| form.get(key).cloned().unwrap_or_default();
    let request = DecisionRequest {
        outcome: field("outcome"),
        reasons: Some(field("reasons")),
        version: form
            .get("version")
            .and_then(|text| text.trim().parse::<i64>().ok()),
    };
    if form.contains_key("insert") {
        return with_template(&state, &ctx, viewer, id, request, &field("template")).await;
    }
    let back = form.contains_key("back");
    let confirmed = field("confirm") == "yes" && !back;
    let errors = match checked(&request) {
        Err(errors) => errors,
        Ok(_) if back => ApiErrors(Vec::new()),
        Ok((outcome, reasons)) if !confirmed => {
            return confirm_page(&state, &ctx, viewer, id, &request, outcome, reasons).await
        }
        Ok(_) => match decisions::decide(&state, viewer, id, &request).await {
            Ok(decided) if decided.decision.is_some() => {
                return Redirect::to(&format!("/review/{id}?done=decided#decision")).into_response()
            }
            Ok(_) => return Redirect::to(&format!("/review/{id}?done=decided")).into_response(),
            Err(errors) => errors,
        },
    };
    refused(&state, &ctx, viewer, id, request, errors).await
}

/// The case page again with reason template `picked` added to the
/// reasons typed and its outcome chosen, or with the problem at the
/// template field; nothing is recorded. A case decided or changed since
/// the page was read is shown as it is now, with the conflict said.
async fn with_template(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    mut request: DecisionRequest,
    picked: &str,
) -> Response {
    let stored = match decisions::decidable(state, viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(state, ctx, errors),
    };
    let stale = request.version.is_some_and(|read| read != stored.version);
    if stale || !stored.state.in_queue() {
        let changed = ApiError::from(zige_store::StoreError::Conflict);
        return refused(state, ctx, viewer, id, request, changed.into()).await;
    }
    let typed = request.reasons.take().unwrap_or_default();
    let (errors, notice) = match template_for(state, viewer, picked).await {
        Err(errors) if errors.0.iter().all(|e| e.field.is_none()) => {
            return fail(state, ctx, errors)
        }
        Err(errors) => {
            request.reasons = Some(typed);
            (errors, None)
        }
        Ok(saved) => match saved.template.added_to(&typed) {
            added if added.chars().count() > text::MAX_REASONS => {
                request.reasons = Some(typed);
                (template_problem("rev-template-too-long"), None)
            }
            added => {
                request.reasons = Some(added);
                let outcome = saved.template.outcome;
                request.outcome = outcome.code().to_string();
                let name = ctx.tr.msg(outcome_label(outcome));
                let notice = ctx.tr.with("rev-template-added", &[("outcome", name)]);
                (ApiErrors(Vec::new()), Some(notice))
            }
        },
    };
    let shown = CaseShown {
        status: Some(status_or_ok(&errors)),
        errors: errors.0,
        outcome: request.outcome,
        reasons: request.reasons.unwrap_or_default(),
        notice,
        ..CaseShown::default()
    };
    case_page(state, ctx, viewer, stored, shown).await
}

/// The message key of `outcome` as the decision form labels it.
fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Approved => "rev-approve",
        Outcome::MoreInformation => "rev-more",
        Outcome::Rejected => "rev-reject",
    }
}

/// The reason template `picked` names, or the problem at the template
/// field when none was chosen or it was deleted since the page was shown.
async fn template_for(
    state: &Shared,
    viewer: &Viewer,
    picked: &str,
) -> Result<zige_store::SavedTemplate, ApiErrors> {
    let Ok(number) = picked.trim().parse::<i64>() else {
        return Err(template_problem("rev-template-none"));
    };
    match reason_templates::kept(state, viewer, number).await {
        Err(errors) if status_of(&errors) == StatusCode::NOT_FOUND => {
            Err(template_problem("rev-template-gone"))
        }
        found => found,
    }
}

/// A problem at the template field, said by message `key`.
fn template_problem(key: &str) -> ApiErrors {
    ApiError::localized(StatusCode::BAD_REQUEST, "invalid", key, &[])
        .with_field("template")
        .into()
}

/// 200 when there are no errors, their status otherwise.
fn status_or_ok(errors: &ApiErrors) -> StatusCode {
    if errors.0.is_empty() {
        StatusCode::OK
    } else {
        status_of(errors)
    }
}

/// The confirmation page of a decision the reviewer is about to record.
async fn confirm_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    request: &DecisionRequest,
    outcome: Outcome,
    reasons: String,
) -> Response {
    let stored = match decisions::decidable(state, viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(state, ctx, errors),
    };
    let t = ctx.tr;
    let form: zige_cases::ApplicationForm = serde_json::from_str(&stored.form).unwrap_or_default();
    let who = form.holder_name.clone().unwrap_or_default();
    let case = t.with(
        "staff-confirm-case",
        &[("id", id.to_string()), ("holder", who.trim().to_string())],
    );
    let (heading, text, consequence, button) = match outcome {
        Outcome::Approved => (
            "staff-confirm-approve",
            "staff-confirm-approve-text",
            "staff-confirm-signed",
            "staff-confirm-approve-button",
        ),
        Outcome::Rejected => (
            "staff-confirm-reject",
            "staff-confirm-reject-text",
            "staff-confirm-final",
            "staff-confirm-reject-button",
        ),
        Outcome::MoreInformation => (
            "staff-confirm-more",
            "staff-confirm-more-text",
            "staff-confirm-sent",
            "staff-confirm-more-button",
        ),
    };
    let page = ConfirmDecision {
        page: ctx.page_at(state, t.msg(heading), "review", &format!("/review/{id}")),
        csrf: viewer.csrf.clone(),
        id,
        version: request.version.map(|v| v.to_string()).unwrap_or_default(),
        outcome: request.outcome.trim().to_string(),
        reasons,
        heading: t.msg(heading),
        text: t.with(text, &[("case", case)]),
        consequence: t.msg(consequence),
        button: t.msg(button),
    };
    render(&page, ctx, StatusCode::OK)
}

/// The case page again after a decision was refused (or the reviewer
/// went back), with what they typed and every problem at its field.
async fn refused(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    request: DecisionRequest,
    errors: ApiErrors,
) -> Response {
    let status = status_or_ok(&errors);
    if matches!(status.as_u16(), 401 | 403 | 404) {
        return fail(state, ctx, errors);
    }
    let stored = match applications::load(state, viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(state, ctx, errors),
    };
    // A conflict about the field (the engine finds the conditions unmet)
    // is the reviewer's to fix; any other conflict means someone else
    // acted first, and the page shows the case as it is now (with what
    // was typed, should it still be in the queue).
    let about_field = errors.0.iter().any(|error| error.field.is_some());
    let shown = if status == StatusCode::CONFLICT && !about_field {
        CaseShown {
            status: Some(status),
            conflict: errors.0.into_iter().next(),
            outcome: request.outcome,
            reasons: request.reasons.unwrap_or_default(),
            ..CaseShown::default()
        }
    } else {
        CaseShown {
            status: Some(status),
            errors: errors.0,
            outcome: request.outcome,
            reasons: request.reasons.unwrap_or_default(),
            ..CaseShown::default()
        }
    };
    case_page(state, ctx, viewer, stored, shown).await
}

// ---------- the decision, printable ----------

#[derive(Template)]
#[template(path = "cases/decisions/decision.html")]
struct DecisionPage {
    page: Page,
    back: String,
    number: String,
    holder: String,
    entry: String,
    level: Option<String>,
    certificate: Vec<(String, String)>,
    catalog: String,
    policy: String,
    /// The authority in Chinese, then in English.
    issuer: (String, String),
    /// The authority in the page's language.
    authority: String,
    legal_basis: String,
    appeal: String,
    issued: String,
    title: Option<String>,
    benefits: Vec<String>,
    obligations: Vec<String>,
    reasons: Option<String>,
    code: String,
    /// The verification link and its QR code; None when the public
    /// address is local outside development (only the code is shown).
    link: Option<(String, String)>,
    download: String,
    /// Where the decision's digital credential downloads from.
    credential: String,
    revoked: Option<(String, String)>,
}

/// The text of a bilingual JSON value (`{"zh", "en"}`) in the page's language.
fn text_of(t: &Tr, value: &Value) -> String {
    value[if t.is_zh() { "zh" } else { "en" }]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// `G7 · CFA …` from a decision's entry.
pub(super) fn entry_text(t: &Tr, entry: &Value) -> String {
    crate::cases::applications::display::entry_label(t, Some(entry))
}

/// The certificate's particulars the decision names, label and value.
fn certificate_lines(t: &Tr, certificate: &Value) -> Vec<(String, String)> {
    [
        ("number", "form-cert-number"),
        ("issuer", "form-cert-issuer"),
        ("issued_on", "form-cert-issued"),
        ("expires_on", "form-cert-expires"),
    ]
    .iter()
    .filter_map(|(key, label)| {
        certificate[*key]
            .as_str()
            .filter(|value| !value.trim().is_empty())
            .map(|value| (t.msg(label), value.to_string()))
    })
    .collect()
}

/// The messages of a decision's list (`benefits`, `obligations`).
fn messages(t: &Tr, items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| text_of(t, &item["message"]))
                .collect()
        })
        .unwrap_or_default()
}

/// The decision's text `key` in the page's language, or the configured
/// one for decisions issued before the document carried it.
fn stated(t: &Tr, document: &Value, key: &str, configured: &zige_catalog::Bilingual) -> String {
    match document[key].is_object() {
        true => text_of(t, &document[key]),
        false => t.pick(configured),
    }
}

/// Handles `GET /applications/{id}/decision`.
pub async fn decision_page(State(state): State<Shared>, PageId(id): PageId, ctx: Ctx) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    let record = match decisions::signed_decision(&state, viewer, id).await {
        Ok(record) => record,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let signed = match zige_cases::SignedDecision::from_json(&record.signed) {
        Ok(signed) => signed,
        Err(e) => return fail(&state, &ctx, ApiError::internal(e.to_string()).into()),
    };
    let back = if viewer.user.role.reviews() && !viewer.is(Role::Applicant) {
        format!("/review/{id}")
    } else {
        format!("/applications/{id}")
    };
    let page = decision_view(&state, &ctx, &record, &signed.decision, back);
    render(&page, &ctx, StatusCode::OK)
}

/// The printable decision of `record`, whose signed document is `document`.
fn decision_view(
    state: &Shared,
    ctx: &Ctx,
    record: &zige_store::DecisionRecord,
    document: &Value,
    back: String,
) -> DecisionPage {
    let t = ctx.tr;
    let authority = &state.settings.authority;
    let text = |key: &str| document[key].as_str().unwrap_or("").to_string();
    let title = document["title"]["level"]
        .as_str()
        .and_then(zige_catalog::TitleLevel::parse)
        .map(|level| {
            title_status(
                &t,
                &level,
                document["title"]["basic_conditions_met"].as_bool(),
            )
        });
    let link =
        verification_link(state, &record.code).map(|url| (qr_svg(&url, &t.msg("dec-qr")), url));
    let issuer = &document["issuer"];
    let issuer = (
        issuer["zh"].as_str().unwrap_or("").to_string(),
        issuer["en"].as_str().unwrap_or("").to_string(),
    );
    DecisionPage {
        authority: if t.is_zh() {
            issuer.0.clone()
        } else {
            issuer.1.clone()
        },
        page: ctx.page(
            state,
            t.with("dec-title", &[("number", record.number.clone())]),
            "my",
        ),
        back,
        number: record.number.clone(),
        holder: record.holder_name.clone(),
        entry: entry_text(&t, &document["entry"]),
        level: document["level"].as_str().map(str::to_string),
        certificate: certificate_lines(&t, &document["certificate"]),
        catalog: edition_name(state, &t, &text("catalog")),
        policy: policy_name(state, &t, &text("policy")),
        issuer,
        legal_basis: stated(&t, document, "legal_basis", &authority.legal_basis),
        appeal: stated(&t, document, "appeal", &authority.appeal),
        issued: ctx.clock.when(&text("issued_at")),
        title,
        benefits: messages(&t, &document["benefits"]),
        obligations: messages(&t, &document["obligations"]),
        reasons: document["reasons"].as_str().map(str::to_string),
        code: record.code.clone(),
        link,
        download: format!(
            "/api/v1/applications/{}/decision.json",
            record.application_id
        ),
        credential: format!("/api/v1/decisions/{}/credential", record.code),
        revoked: record.revoked_at.map(|at| {
            (
                ctx.clock.at(at),
                record.revoked_reason.clone().unwrap_or_default(),
            )
        }),
    }
}
