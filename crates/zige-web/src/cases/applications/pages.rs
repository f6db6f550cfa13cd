//! The pages of applications: the applicant's dashboard, the application
//! form with its evidence, and withdrawing or deleting. Plain HTML forms
//! that work without JavaScript; the work is [`super`]'s, shared with the
//! API. Every form a signed-in person posts carries the session's CSRF
//! token ([`Posted`] checks it).

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;
use zige_cases::{Role, State as Stage};

use super::display::{entry_label, evidence_rows, timeline, EventRow, EvidenceRow};
use super::form::{fieldsets, form_json, particulars, values_of, Fieldset};
use super::precheck::{verdict, Verdict};
use super::ApplicationView;
use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications;
use crate::cases::field_errors::{short, FieldErrors};
use crate::error::{ApiError, ApiErrors};
use crate::extract::{page_number, PageId};
use crate::multipart::{read_multipart, MultiError};
use crate::render::{
    enc, fail, not_found, notice, render, said, status_of, when, ConfirmPage, Ctx, Page, Params,
    Posted, Problem,
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
}

#[derive(Template)]
#[template(path = "cases/applications/dashboard.html")]
struct DashboardPage {
    page: Page,
    csrf: String,
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
            updated: when(&application.updated_at),
            events: timeline(&t, application),
            decision: application.decision.is_some(),
        })
        .collect();
    let page = DashboardPage {
        page: ctx.page(&state, t.msg("my-title"), "my"),
        csrf: viewer.csrf.clone(),
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

/// Handles `POST /apply`.
pub async fn apply(State(state): State<Shared>, Posted { ctx, viewer, .. }: Posted) -> Response {
    match applications::create(&state, &viewer, Value::Null).await {
        Ok(draft) => Redirect::to(&format!("/applications/{}", draft.id)).into_response(),
        Err(errors) => fail(&state, &ctx, errors),
    }
}

// ---------- the application form ----------

#[derive(Template)]
#[template(path = "cases/applications/application.html")]
struct ApplicationPage {
    page: Page,
    application: ApplicationView,
    csrf: String,
    entry: String,
    state_label: String,
    editable: bool,
    draft: bool,
    can_withdraw: bool,
    notice: Option<String>,
    conflict: Option<String>,
    problems: Vec<Problem>,
    missing: Vec<Problem>,
    upload_error: Option<String>,
    fieldsets: Vec<Fieldset>,
    summary: Vec<(String, String)>,
    evidence: Vec<EvidenceRow>,
    events: Vec<EventRow>,
    verdict: Option<Verdict>,
    entries: Vec<(String, String)>,
}

/// How to show the application page after an action.
#[derive(Default)]
struct Shown {
    status: Option<StatusCode>,
    /// What the person typed (kept when it could not be saved).
    typed: Option<Params>,
    errors: Vec<ApiError>,
    upload_error: Option<ApiError>,
    conflict: Option<ApiError>,
}

impl Shown {
    /// The application as it is now, after someone else changed it first.
    fn conflict(errors: ApiErrors) -> Shown {
        Shown {
            status: Some(StatusCode::CONFLICT),
            conflict: errors.0.into_iter().next(),
            ..Shown::default()
        }
    }
}

/// The application page of application `id` for its applicant (a
/// reviewer is sent to the case page).
async fn application_page(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    shown: Shown,
) -> Response {
    let stored = match applications::load(state, viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(state, ctx, errors),
    };
    if stored.applicant_id != viewer.user.id {
        return Redirect::to(&format!("/review/{id}")).into_response();
    }
    let application = match applications::view(state, viewer, &stored).await {
        Ok(application) => application,
        Err(errors) => return fail(state, ctx, errors),
    };
    let t = ctx.tr;
    let errors = FieldErrors::of(&t, &shown.errors);
    let values = shown.typed.unwrap_or_else(|| values_of(&application.form));
    let missing = if shown.errors.is_empty() {
        FieldErrors::of(&t, &application.missing).summary
    } else {
        Vec::new()
    };
    let entries = if stored.state.editable() {
        crate::catalogue::pages::entry_options(&t, state.current().catalog)
    } else {
        Vec::new()
    };
    let title = t.with("app-title", &[("id", application.id.to_string())]);
    let fields = fieldsets(&t, &values, &errors);
    let page = ApplicationPage {
        page: ctx.page_at(state, title, "my", &format!("/applications/{id}")),
        csrf: viewer.csrf.clone(),
        entry: entry_label(&t, application.entry.as_ref()),
        state_label: t.pick(&application.state_label),
        editable: stored.state.editable(),
        draft: stored.state == Stage::Draft,
        can_withdraw: !stored.state.is_final(),
        notice: notice(&t, &ctx.query),
        conflict: shown.conflict.as_ref().map(|error| said(&t, error)),
        problems: errors.summary,
        missing,
        upload_error: shown.upload_error.as_ref().map(|error| short(&t, error)),
        fieldsets: fields,
        summary: particulars(&t, &application),
        evidence: evidence_rows(&application),
        events: timeline(&t, &application),
        // Once decided, the decision speaks; the pre-check is history.
        verdict: application
            .precheck
            .as_ref()
            .filter(|_| !stored.state.is_final())
            .map(|decision| verdict(&t, decision)),
        entries,
        application,
    };
    render(&page, ctx, shown.status.unwrap_or(StatusCode::OK))
}

/// Handles `GET /applications/{id}`.
pub async fn application(State(state): State<Shared>, PageId(id): PageId, ctx: Ctx) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    application_page(&state, &ctx, viewer, id, Shown::default()).await
}

/// Handles `POST /applications/{id}`: save the draft, or save and submit.
pub async fn save(
    State(state): State<Shared>,
    PageId(id): PageId,
    Posted {
        ctx,
        form,
        ref viewer,
    }: Posted,
) -> Response {
    let version = form
        .get("version")
        .and_then(|text| text.trim().parse::<i64>().ok())
        .unwrap_or(-1);
    let submit = form.get("action").map(String::as_str) == Some("submit");
    let saved = applications::save(&state, viewer, id, version, form_json(&form)).await;
    let errors = match saved {
        Ok(_) if !submit => {
            return Redirect::to(&format!("/applications/{id}?done=saved")).into_response()
        }
        Ok(_) => match applications::submit(&state, viewer, id).await {
            Ok(_) => {
                return Redirect::to(&format!("/applications/{id}?done=submitted")).into_response()
            }
            Err(errors) => {
                let shown = Shown {
                    status: Some(status_of(&errors)),
                    errors: errors.0,
                    ..Shown::default()
                };
                return application_page(&state, &ctx, viewer, id, shown).await;
            }
        },
        Err(errors) => errors,
    };
    let status = status_of(&errors);
    let shown = match status.as_u16() {
        // Someone changed it meanwhile: show what is there now.
        409 => Shown::conflict(errors),
        400 => Shown {
            status: Some(status),
            typed: Some(form),
            errors: errors.0,
            ..Shown::default()
        },
        _ => return fail(&state, &ctx, errors),
    };
    application_page(&state, &ctx, viewer, id, shown).await
}

/// Handles `GET /applications/{id}/evidence`: the upload form is on the application page.
pub async fn back_to_application(Path(id): Path<String>) -> Redirect {
    Redirect::to(&format!("/applications/{}", enc(&id)))
}

/// What an upload form sent: the CSRF token and the file.
struct Upload {
    csrf: Option<String>,
    file: Option<(String, bytes::Bytes)>,
    error: Option<ApiError>,
}

/// Reads the upload form, refusing more than 10 MiB as it streams.
async fn read_upload(multipart: Multipart) -> Upload {
    let (form, failed) = read_multipart(multipart, zige_cases::MAX_EVIDENCE_BYTES).await;
    let csrf = form.fields.get("csrf").cloned();
    let no_file = || ApiError::invalid("file", "", "a PDF, JPEG or PNG file");
    let (file, error) = match (failed, form.file) {
        (Some(MultiError::TooLarge(size)), _) => (None, Some(applications::too_large(size))),
        (Some(MultiError::Broken(status, _)), _) if status == StatusCode::PAYLOAD_TOO_LARGE => (
            None,
            Some(applications::too_large(zige_cases::MAX_EVIDENCE_BYTES + 1)),
        ),
        (Some(MultiError::Broken(_, text)), _) => (
            None,
            Some(ApiError::invalid(
                "file",
                &text,
                "a file chosen in the upload form",
            )),
        ),
        (None, Some((name, bytes))) if bytes.is_empty() => {
            let name = name.unwrap_or_else(|| "evidence".into());
            let error = if name.is_empty() {
                no_file()
            } else {
                ApiError::invalid("file", &name, "a non-empty PDF, JPEG or PNG")
            };
            (None, Some(error))
        }
        (None, Some((name, bytes))) => (
            Some((name.unwrap_or_else(|| "evidence".into()), bytes)),
            None,
        ),
        (None, None) => (None, Some(no_file())),
    };
    Upload { csrf, file, error }
}

/// Handles `POST /applications/{id}/evidence`.
pub async fn upload(
    State(state): State<Shared>,
    PageId(id): PageId,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(viewer) = &ctx.viewer else {
        return ctx.login();
    };
    // Check access before reading the body: a stranger learns nothing.
    if let Err(errors) = applications::load(&state, viewer, id).await {
        return fail(&state, &ctx, errors);
    }
    let multipart = match multipart {
        Ok(multipart) => multipart,
        Err(e) => {
            let error = ApiError::localized(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "api-upload-form",
                &[("reason", e.body_text())],
            )
            .with_field("file");
            let shown = Shown {
                status: Some(StatusCode::UNSUPPORTED_MEDIA_TYPE),
                upload_error: Some(error),
                ..Shown::default()
            };
            return application_page(&state, &ctx, viewer, id, shown).await;
        }
    };
    let upload = read_upload(multipart).await;
    // A body over the limit is refused before any field can be read, the
    // token included; nothing is stored, so saying so needs no token.
    let too_large = upload
        .error
        .as_ref()
        .is_some_and(|error| error.status == 413);
    if !too_large {
        if let Err(e) = viewer.check_csrf(upload.csrf.as_deref()) {
            return fail(&state, &ctx, e.into());
        }
    }
    let stored = match (upload.error, upload.file) {
        (Some(error), _) => Err(ApiErrors::from(error)),
        (None, Some((name, bytes))) => applications::add_evidence(&state, viewer, id, &name, bytes)
            .await
            .map(|_| ()),
        (None, None) => Err(ApiError::invalid("file", "", "a PDF, JPEG or PNG file").into()),
    };
    let errors = match stored {
        Ok(()) => {
            return Redirect::to(&format!("/applications/{id}?done=uploaded#evidence"))
                .into_response()
        }
        Err(errors) => errors,
    };
    let status = status_of(&errors);
    if matches!(status.as_u16(), 403 | 404) {
        return fail(&state, &ctx, errors);
    }
    let shown = Shown {
        status: Some(status),
        upload_error: errors.0.into_iter().next(),
        ..Shown::default()
    };
    application_page(&state, &ctx, viewer, id, shown).await
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
