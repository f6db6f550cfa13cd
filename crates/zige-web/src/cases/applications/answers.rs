//! Check your answers: every answer with a link to change it, the files,
//! and the declaration that must be ticked before the application is
//! submitted.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::display::{evidence_rows, EvidenceRow};
use super::editing::{application_page, Shown};
use super::form::{answers, values_of, Answer};
use super::form_errors::FormErrors;
use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications;
use crate::extract::PageId;
use crate::render::{fail, not_found, render, status_of, Ctx, Page, Posted, Problem};
use crate::state::Shared;

#[derive(Template)]
#[template(path = "cases/applications/answers.html")]
struct AnswersPage {
    page: Page,
    id: i64,
    csrf: String,
    answers: Vec<Answer>,
    evidence: Vec<EvidenceRow>,
    /// What the application still lacks (links to the form's fields).
    missing: Vec<Problem>,
    problems: Vec<Problem>,
    declaration_error: Option<String>,
}

/// The page of application `id`, with `declaration_missing` when the
/// person submitted without ticking it.
async fn answers_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    declaration_missing: bool,
) -> Response {
    let stored = match applications::load(state, viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(state, ctx, errors),
    };
    if stored.applicant_id != viewer.user.id {
        return not_found(state, ctx);
    }
    if !stored.state.editable() {
        return Redirect::to(&format!("/applications/{id}")).into_response();
    }
    let application = match applications::view(state, viewer, &stored).await {
        Ok(application) => application,
        Err(errors) => return fail(state, ctx, errors),
    };
    let t = ctx.tr;
    let values = values_of(&application.form);
    let mut missing = FormErrors::of(&t, &application.missing, &values).summary;
    for problem in &mut missing {
        problem.href = format!("/applications/{id}{}", problem.href);
    }
    let declaration_error = declaration_missing.then(|| t.msg("cya-declaration-missing"));
    let problems = declaration_error
        .iter()
        .map(|text| Problem {
            href: "#declaration".into(),
            text: text.clone(),
        })
        .collect();
    let page = AnswersPage {
        page: ctx.page_at(
            state,
            t.msg("cya-title"),
            "my",
            &format!("/applications/{id}/check"),
        ),
        id,
        csrf: viewer.csrf.clone(),
        answers: answers(&t, &application),
        evidence: evidence_rows(&ctx.clock, &application),
        missing,
        problems,
        declaration_error,
    };
    let status = if declaration_missing {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(&page, ctx, status)
}

/// Handles `GET /applications/{id}/check`.
pub async fn check(State(state): State<Shared>, PageId(id): PageId, ctx: Ctx) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    answers_page(&state, &ctx, viewer, id, false).await
}

/// Handles `POST /applications/{id}/submit`: submits once the
/// declaration is ticked.
pub async fn submit(State(state): State<Shared>, PageId(id): PageId, posted: Posted) -> Response {
    let Posted { ctx, form, viewer } = posted;
    let declared = form.get("declaration").map(String::as_str) == Some("yes");
    if !declared {
        return answers_page(&state, &ctx, &viewer, id, true).await;
    }
    let errors = match applications::submit(&state, &viewer, id).await {
        Ok(_) => {
            return Redirect::to(&format!("/applications/{id}?done=submitted")).into_response()
        }
        Err(errors) => errors,
    };
    match status_of(&errors).as_u16() {
        400 => answers_page(&state, &ctx, &viewer, id, false).await,
        409 => application_page(&state, &ctx, &viewer, id, Shown::conflict(errors)).await,
        _ => fail(&state, &ctx, errors),
    }
}
