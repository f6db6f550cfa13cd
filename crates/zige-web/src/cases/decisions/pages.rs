//! The pages of decisions: deciding on the case page, the printable
//! decision with its QR code, and public verification by code.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;
use zige_cases::Role;

use super::{public_url, DecisionRequest};
use crate::cases::applications::{self, precheck::title_status};
use crate::cases::decisions;
use crate::cases::qr_code::qr_svg;
use crate::cases::review::pages::{case_page, CaseShown};
use crate::error::ApiError;
use crate::extract::PageId;
use crate::i18n::Tr;
use crate::render::{enc, fail, forbidden, render, status_of, when, Ctx, Page, Posted};
use crate::state::Shared;

// ---------- deciding ----------

/// Handles `POST /review/{id}/decision`.
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
    let outcome = form.get("outcome").cloned().unwrap_or_default();
    let reasons = form.get("reasons").cloned().unwrap_or_default();
    let request = DecisionRequest {
        outcome: outcome.clone(),
        reasons: Some(reasons.clone()),
        version: form
            .get("version")
            .and_then(|text| text.trim().parse::<i64>().ok()),
    };
    let errors = match decisions::decide(&state, viewer, id, &request).await {
        Ok(decided) if decided.decision.is_some() => {
            return Redirect::to(&format!("/review/{id}?done=decided#decision")).into_response()
        }
        Ok(_) => return Redirect::to(&format!("/review/{id}?done=decided")).into_response(),
        Err(errors) => errors,
    };
    let status = status_of(&errors);
    if matches!(status.as_u16(), 401 | 403 | 404) {
        return fail(&state, &ctx, errors);
    }
    let stored = match applications::load(&state, viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    // A conflict about the field (the engine finds the conditions unmet)
    // is the reviewer's to fix; any other conflict means someone else
    // decided first, and the page shows the case as it is now.
    let about_field = errors.0.iter().any(|error| error.field.is_some());
    let shown = if status == StatusCode::CONFLICT && !about_field {
        CaseShown {
            status: Some(status),
            conflict: errors.0.into_iter().next(),
            ..CaseShown::default()
        }
    } else {
        CaseShown {
            status: Some(status),
            errors: errors.0,
            outcome,
            reasons,
            ..CaseShown::default()
        }
    };
    case_page(&state, &ctx, viewer, stored, shown).await
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
    issuer: String,
    issued: String,
    title: Option<String>,
    benefits: Vec<String>,
    obligations: Vec<String>,
    reasons: Option<String>,
    code: String,
    verify_url: String,
    qr: String,
    download: String,
    key_id: String,
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
fn entry_text(t: &Tr, entry: &Value) -> String {
    format!(
        "{} · {}",
        entry["code"].as_str().unwrap_or(""),
        text_of(t, &entry["name"])
    )
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
    let t = ctx.tr;
    let document = &signed.decision;
    let text = |key: &str| document[key].as_str().unwrap_or("").to_string();
    let verify_url = format!("{}/verify/{}", public_url(&state), record.code);
    let items = |key: &str| -> Vec<String> {
        document[key]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|item| text_of(&t, &item["message"]))
                    .collect()
            })
            .unwrap_or_default()
    };
    let title = document["title"]["level"]
        .as_str()
        .and_then(zige_catalog::TitleLevel::parse)
        .map(|level| {
            let met = document["title"]["basic_conditions_met"].as_bool();
            title_status(&t, &level, met)
        });
    let back = if viewer.user.role.reviews() && !viewer.is(Role::Applicant) {
        format!("/review/{id}")
    } else {
        format!("/applications/{id}")
    };
    let page = DecisionPage {
        page: ctx.page(
            &state,
            t.with("dec-title", &[("number", record.number.clone())]),
            "my",
        ),
        back,
        number: record.number.clone(),
        holder: record.holder_name.clone(),
        entry: entry_text(&t, &document["entry"]),
        level: document["level"].as_str().map(str::to_string),
        certificate: certificate_lines(&t, &document["certificate"]),
        catalog: text("catalog"),
        policy: text("policy"),
        issuer: text_of(&t, &document["issuer"]),
        issued: when(&text("issued_at")),
        title,
        benefits: items("benefits"),
        obligations: items("obligations"),
        reasons: document["reasons"].as_str().map(str::to_string),
        qr: qr_svg(&verify_url, &t.msg("dec-qr")),
        code: record.code.clone(),
        verify_url,
        download: format!("/api/v1/applications/{id}/decision.json"),
        key_id: signed.signature.key_id.clone(),
        revoked: record.revoked_at.map(|at| {
            (
                when(&zige_cases::Timestamp(at).rfc3339()),
                record.revoked_reason.clone().unwrap_or_default(),
            )
        }),
    };
    render(&page, &ctx, StatusCode::OK)
}

// ---------- public verification ----------

#[derive(Template)]
#[template(path = "cases/decisions/verify.html")]
struct VerifyPage {
    page: Page,
    code: String,
    /// `valid`, `revoked`, `unknown`, or empty before a code is given.
    status: &'static str,
    number: String,
    holder: String,
    entry: String,
    level: Option<String>,
    catalog: String,
    issued: String,
    revoked_at: String,
    revoked_reason: String,
    signature_valid: bool,
}

impl VerifyPage {
    fn empty(page: Page, code: String) -> VerifyPage {
        VerifyPage {
            page,
            code,
            status: "",
            number: String::new(),
            holder: String::new(),
            entry: String::new(),
            level: None,
            catalog: String::new(),
            issued: String::new(),
            revoked_at: String::new(),
            revoked_reason: String::new(),
            signature_valid: false,
        }
    }
}

/// The date of an RFC 3339 instant.
fn day(iso: &str) -> String {
    iso.get(..10).unwrap_or(iso).to_string()
}

/// Handles `GET /verify`: the form, or on to the code it was given.
pub async fn verify_form(State(state): State<Shared>, ctx: Ctx) -> Response {
    let typed = ctx
        .query
        .get("code")
        .map(|code| code.trim())
        .filter(|code| !code.is_empty());
    if let Some(code) = typed {
        let code: String = code.chars().take(100).collect();
        return Redirect::to(&format!("/verify/{}", enc(&code))).into_response();
    }
    let page = VerifyPage::empty(
        ctx.page(&state, ctx.tr.msg("ver-title"), "verify"),
        String::new(),
    );
    render(&page, &ctx, StatusCode::OK)
}

/// Handles `GET /verify/{code}`.
pub async fn verify(State(state): State<Shared>, Path(code): Path<String>, ctx: Ctx) -> Response {
    let t = ctx.tr;
    let typed: String = code.chars().take(100).collect();
    let mut page = VerifyPage::empty(ctx.page(&state, t.msg("ver-title"), "verify"), typed);
    match decisions::verify(&state, &code).await {
        Ok(found) => {
            page.status = if found.status == "revoked" {
                "revoked"
            } else {
                "valid"
            };
            page.number = found.number;
            page.holder = found.holder_name;
            page.entry = entry_text(&t, &found.entry);
            page.level = found.level;
            page.catalog = found.catalog;
            page.issued = day(&found.issued_at);
            page.revoked_at = found.revoked_at.as_deref().map(day).unwrap_or_default();
            page.revoked_reason = found.revoked_reason.unwrap_or_default();
            page.signature_valid = found.signature_valid;
            render(&page, &ctx, StatusCode::OK)
        }
        Err(errors) if status_of(&errors) == StatusCode::NOT_FOUND => {
            page.status = "unknown";
            render(&page, &ctx, StatusCode::NOT_FOUND)
        }
        Err(errors) => fail(&state, &ctx, errors),
    }
}
