//! The pages of applications: the applicant's dashboard, evidence files,
//! and withdrawing or deleting (the form itself is [`super::editing`]). Plain HTML forms
//! that work without JavaScript; the work is [`super`]'s, shared with the
//! API. Every form a signed-in person posts carries the session's CSRF
//! token ([`Posted`] checks it).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zige_cases::Role;

use super::display::{entry_label, timeline, EventRow};
use super::editing::{application_page, Shown};
use crate::cases::applications;
use crate::error::ApiErrors;
use crate::extract::{page_number, PageId};
use crate::render::{
    enc, fail, not_found, notice, render, status_of, ConfirmPage, Ctx, Page, Posted,
};
use crate::state::Shared;

// ---------- the applicant's dashboard ----------

pub struct MyRow {
    pub id: i64,
    pub state: String,
    pub state_label: String,
    pub entry: String,
    pub holder: String,
    pub updated: String,
    pub events: Vec<EventRow>,
    pub decision: bool,
    /// Where the decision's credential downloads from, once approved.
    pub credential: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/applications/dashboard.html")]
struct DashboardPage {
    page: Page,
    applicant: bool,
    notice: Option<String>,
    rows: Vec<MyRow>,
}

/// Handles `GET /my`.
pub async fn dashboard(State(state): State<Shared>, ctx: Ctx) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    let mine = match applications::mine(&state, viewer).await {
        Ok(mine) => mine,
        Err(errors) => return fail(&state, &ctx, errors),
    };
    let t = ctx.tr;
    let rows = mine
        .iter()
        .map(|application| MyRow {
            id: application.id,
            state: application.state.clone(),
            state_label: t.pick(&application.state_label),
            entry: entry_label(&t, application.entry.as_ref()),
            holder: application.form.holder_name.clone().unwrap_or_default(),
            updated: ctx.clock.when(&application.updated_at),
            events: timeline(&t, &ctx.clock, application),
            decision: application.decision.is_some(),
            credential: application.decision.as_ref().map(|d| d.credential.clone()),
        })
        .collect();
    let page = DashboardPage {
        page: ctx.page(&state, t.msg("my-title"), "my"),
        applicant: viewer.is(Role::Applicant),
        notice: notice(&t, &ctx.query),
        rows,
    };
    render(&page, &ctx, StatusCode::OK)
}

/// Handles `GET /apply` and `GET /logout`: nothing to show, on to the dashboard.
pub async fn to_dashboard() -> Redirect {
    Redirect::to("/my")
}

/// Handles `GET /applications/{id}/evidence`: the upload form is on the application page.
pub async fn back_to_application(Path(id): Path<String>) -> Redirect {
    Redirect::to(&format!("/applications/{}", enc(&id)))
}

/// Handles `GET /applications/{id}/evidence/{evidence}`: an evidence file,
/// for its applicant and reviewers, shown inline.
pub async fn evidence_file(
    State(state): State<Shared>,
    PageId(id): PageId,
    Path((_, evidence)): Path<(String, String)>,
    ctx: Ctx,
) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    let Some(evidence) = page_number(&evidence) else {
        return not_found(&state, &ctx);
    };
    let (media_type, name, bytes) =
        match applications::evidence_file(&state, viewer, id, evidence).await {
            Ok(file) => file,
            Err(errors) => return fail(&state, &ctx, errors),
        };
    // Shown inside the case page (an <object>), so not sandboxed; the
    // bytes are a PDF, JPEG or PNG by content and served as such
    // (nosniff), so no page can run from them.
    applications::api::evidence_response(
        media_type,
        &name,
        bytes,
        "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
    )
}

// ---------- withdrawing and deleting ----------

/// The question before withdrawing (or deleting) application `id`.
async fn confirm(state: &Shared, ctx: &Ctx, id: i64, delete: bool) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    let stored = match applications::load(state, viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(state, ctx, errors),
    };
    if stored.applicant_id != viewer.user.id {
        return not_found(state, ctx);
    }
    let t = ctx.tr;
    let (heading, text, button, path) = if delete {
        ("del-title", "del-text", "del-button", "delete")
    } else {
        ("wd-title", "wd-text", "wd-button", "withdraw")
    };
    let heading = t.with(heading, &[("id", id.to_string())]);
    let page = ConfirmPage {
        page: ctx.page(state, heading.clone(), "my"),
        csrf: viewer.csrf.clone(),
        heading,
        text: t.msg(text),
        action: format!("/applications/{id}/{path}"),
        button: t.msg(button),
        cancel: format!("/applications/{id}"),
        with_reason: !delete,
    };
    render(&page, ctx, StatusCode::OK)
}

/// Handles `GET /applications/{id}/withdraw`.
pub async fn withdraw_form(State(state): State<Shared>, PageId(id): PageId, ctx: Ctx) -> Response {
    confirm(&state, &ctx, id, false).await
}

/// Handles `GET /applications/{id}/delete`.
pub async fn delete_form(State(state): State<Shared>, PageId(id): PageId, ctx: Ctx) -> Response {
    confirm(&state, &ctx, id, true).await
}

/// After withdrawing or deleting: on to `done`; when someone changed the
/// application first, the application as it is now.
async fn then(
    state: &Shared,
    posted: &Posted,
    id: i64,
    result: Result<(), ApiErrors>,
    done: String,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&done).into_response(),
        Err(errors) if status_of(&errors) == StatusCode::CONFLICT => {
            let shown = Shown::conflict(errors);
            application_page(state, &posted.ctx, &posted.viewer, id, shown).await
        }
        Err(errors) => fail(state, &posted.ctx, errors),
    }
}

/// Handles `POST /applications/{id}/withdraw`.
pub async fn withdraw(State(state): State<Shared>, PageId(id): PageId, posted: Posted) -> Response {
    let reason: String = posted
        .form
        .get("reason")
        .map(|reason| reason.trim().chars().take(2000).collect())
        .unwrap_or_default();
    let result = applications::withdraw(&state, &posted.viewer, id, &reason)
        .await
        .map(|_| ());
    let done = format!("/applications/{id}?done=withdrawn");
    then(&state, &posted, id, result, done).await
}

/// Handles `POST /applications/{id}/delete`.
pub async fn delete(State(state): State<Shared>, PageId(id): PageId, posted: Posted) -> Response {
    let result = applications::delete_draft(&state, &posted.viewer, id).await;
    then(&state, &posted, id, result, "/my?done=deleted".into()).await
}
