//! The applicant's application page: one form holding the details, the
//! evidence and the buttons (upload, remove, save, continue), each of
//! which saves what is typed first, so nothing a person typed is lost.
//! Works without JavaScript; `apply.js` only enhances the qualification
//! picker.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zige_cases::{ApplicationForm, State as Stage};
use zige_store::Application;

use super::dates::with_dates;
use super::display::{entry_label, evidence_rows, timeline, EventRow, EvidenceRow};
use super::form::{fieldsets, form_json, particulars, values_of, Fieldset};
use super::form_errors::FormErrors;
use super::posted::{self, file_to_store, Act, PostedForm};
use super::precheck::{verdict, Verdict};
use super::ApplicationView;
use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications;
use crate::error::{ApiError, ApiErrors};
use crate::extract::PageId;
use crate::render::{fail, notice, render, said, status_of, Ctx, Page, Params, Problem};
use crate::state::Shared;

/// A reviewer's open request for more information.
pub struct OpenRequest {
    pub at: String,
    pub reason: String,
}

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
    request: Option<OpenRequest>,
    unknown_entry: Option<String>,
    /// What the picker says for one match and for several (`2` replaced).
    picker_counts: (String, String),
}

/// How to show the application page after an action.
#[derive(Default)]
pub(super) struct Shown {
    pub status: Option<StatusCode>,
    /// What the person typed (kept when it could not be saved).
    pub typed: Option<Params>,
    pub errors: Vec<ApiError>,
    pub conflict: Option<ApiError>,
}

impl Shown {
    /// The application as it is now, after someone else changed it first.
    pub fn conflict(errors: ApiErrors) -> Shown {
        Shown {
            status: Some(StatusCode::CONFLICT),
            conflict: errors.0.into_iter().next(),
            ..Shown::default()
        }
    }
}

/// The reviewer's request, while the application waits for the answer.
fn open_request(ctx: &Ctx, application: &ApplicationView, stage: Stage) -> Option<OpenRequest> {
    if stage != Stage::MoreInformation {
        return None;
    }
    let event = application
        .timeline
        .iter()
        .rev()
        .find(|event| event.action == "request_information")?;
    Some(OpenRequest {
        at: ctx.clock.when(&event.at),
        reason: event.reason.clone(),
    })
}

/// The warning for a stored qualification that is not in the catalogue.
fn unknown_entry(ctx: &Ctx, application: &ApplicationView) -> Option<String> {
    let named = application.form.profile.get("entry")?.as_str()?.trim();
    (!named.is_empty() && application.entry.is_none()).then(|| {
        ctx.tr
            .with("apply-unknown-entry", &[("value", named.to_string())])
    })
}

/// The page's notice after an action (`?done=`).
fn done_notice(ctx: &Ctx) -> Option<String> {
    match ctx.query.get("done").map(String::as_str) {
        Some("removed") => Some(ctx.tr.msg("apply-removed")),
        _ => notice(&ctx.tr, &ctx.query),
    }
}

/// The application page of application `id` for its applicant (a
/// reviewer is sent to the case page).
pub(super) async fn application_page(
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
    let stored_values = values_of(&application.form);
    let values = shown.typed.unwrap_or_else(|| stored_values.clone());
    let errors = FormErrors::of(&t, &shown.errors, &values);
    let missing = if shown.errors.is_empty() {
        FormErrors::of(&t, &application.missing, &stored_values).summary
    } else {
        Vec::new()
    };
    let editable = stored.state.editable();
    let entries = if editable {
        crate::catalogue::pages::entry_options(&t, state.current().catalog)
    } else {
        Vec::new()
    };
    let title = t.with("app-title", &[("id", application.id.to_string())]);
    let page = ApplicationPage {
        page: ctx.page_at(state, title, "my", &format!("/applications/{id}")),
        csrf: viewer.csrf.clone(),
        entry: entry_label(&t, application.entry.as_ref()),
        state_label: t.pick(&application.state_label),
        editable,
        draft: stored.state == Stage::Draft,
        can_withdraw: !stored.state.is_final(),
        notice: done_notice(ctx),
        conflict: shown.conflict.as_ref().map(|error| said(&t, error)),
        upload_error: errors.get("file"),
        fieldsets: fieldsets(&t, &values, &|id| errors.get(id)),
        problems: errors.summary,
        missing,
        summary: particulars(&t, &application),
        evidence: evidence_rows(&ctx.clock, &application),
        events: timeline(&t, &ctx.clock, &application),
        // Once decided, the decision speaks; the pre-check is history.
        verdict: application
            .precheck
            .as_ref()
            .filter(|_| !stored.state.is_final())
            .map(|decision| verdict(&t, decision)),
        entries,
        request: open_request(ctx, &application, stored.state),
        unknown_entry: unknown_entry(ctx, &application),
        picker_counts: (
            t.count("apply-entry-count", 1),
            t.count("apply-entry-count", 2),
        ),
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

/// Handles `POST /applications/{id}`: the form's buttons (save by default).
pub async fn post_form(State(state): State<Shared>, PageId(id): PageId, req: Request) -> Response {
    act_on(&state, id, req, Act::Save).await
}

/// Handles `POST /applications/{id}/evidence`: an upload (older forms
/// posted the file alone here; the form's fields are saved when sent).
pub async fn upload(State(state): State<Shared>, PageId(id): PageId, req: Request) -> Response {
    act_on(&state, id, req, Act::Upload).await
}

/// Reads the posted form, saves what is typed, then does what the button
/// pressed asks.
async fn act_on(state: &Shared, id: i64, req: Request, fallback: Act) -> Response {
    let (ctx, viewer, mut posted) = match posted::read(state, req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    // Check access before anything else: a stranger learns nothing.
    let stored = match applications::load(state, &viewer, id).await {
        Ok(stored) => stored,
        Err(errors) => return fail(state, &ctx, errors),
    };
    let act = Act::of(posted.fields.get("action").map(String::as_str), fallback);
    let mut errors = match save_typed(state, &viewer, &stored, &posted).await {
        Ok(errors) => errors,
        Err(errors) => return save_refused(state, &ctx, &viewer, id, errors).await,
    };
    // A file chosen is stored whichever button was pressed; a body cut
    // off before the button could be read was an upload.
    let with_file = act == Act::Upload || posted.file.is_some() || posted.file_error.is_some();
    if with_file {
        errors.extend(store_file(state, &viewer, id, &mut posted).await);
    }
    let done = match act {
        Act::Save | Act::Upload if with_file => "uploaded",
        Act::Save | Act::Upload => "saved",
        Act::Remove(evidence) => {
            if let Err(refused) = applications::remove_evidence(state, &viewer, id, evidence).await
            {
                errors.extend(refused.0);
            }
            "removed"
        }
        Act::Continue => {
            let form = typed_form(&posted.fields);
            match applications::problems(state, &stored, &form).await {
                Ok(problems) => errors = merge(errors, problems),
                Err(refused) => return fail(state, &ctx, refused),
            }
            "check"
        }
    };
    if errors.is_empty() {
        return Redirect::to(&match done {
            "check" => format!("/applications/{id}/check"),
            "saved" => format!("/applications/{id}?done={done}"),
            _ => format!("/applications/{id}?done={done}#evidence"),
        })
        .into_response();
    }
    // An upload alone (no form sent) shows the form as stored.
    let typed = posted
        .fields
        .contains_key("version")
        .then(|| with_dates(posted.fields));
    after_failure(state, &ctx, &viewer, id, errors, typed).await
}

/// Stores the posted file; the errors that refused it.
async fn store_file(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    posted: &mut PostedForm,
) -> Vec<ApiError> {
    match file_to_store(posted) {
        Ok((name, bytes)) => applications::add_evidence(state, viewer, id, &name, bytes)
            .await
            .err()
            .map(|refused| refused.0)
            .unwrap_or_default(),
        Err(error) => vec![error],
    }
}

/// Saves the typed form when the form was sent (an upload alone sends no
/// version): Ok with the fields it refused (the draft keeps its last
/// saved content then), Err when nothing can go on (409, 403, 404…).
async fn save_typed(
    state: &Shared,
    viewer: &Viewer,
    stored: &Application,
    posted: &PostedForm,
) -> Result<Vec<ApiError>, ApiErrors> {
    let Some(version) = posted.fields.get("version") else {
        return Ok(Vec::new());
    };
    if !posted.verified {
        // The body was too large to read its token: nothing is saved.
        return Ok(Vec::new());
    }
    let version = version.trim().parse::<i64>().unwrap_or(-1);
    let json = form_json(&posted.fields);
    match applications::save(state, viewer, stored.id, version, json).await {
        Ok(_) => Ok(Vec::new()),
        Err(errors) if status_of(&errors) == StatusCode::BAD_REQUEST => Ok(errors.0),
        Err(errors) => Err(errors),
    }
}

/// The typed form as the core reads it (a field it cannot read is left
/// out; saving reports it).
fn typed_form(fields: &Params) -> ApplicationForm {
    serde_json::from_value(form_json(fields)).unwrap_or_default()
}

/// `first` then those of `more` about other fields or saying other things.
fn merge(first: Vec<ApiError>, more: Vec<ApiError>) -> Vec<ApiError> {
    let mut out = first;
    for error in more {
        let same = out
            .iter()
            .any(|seen| seen.field == error.field && seen.value == error.value);
        if !same {
            out.push(error);
        }
    }
    out
}

/// The page again after refused input (kept as `typed`), with every
/// error in its summary.
async fn after_failure(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    errors: Vec<ApiError>,
    typed: Option<Params>,
) -> Response {
    let status = errors
        .iter()
        .find(|error| error.status != 400)
        .and_then(|error| StatusCode::from_u16(error.status).ok())
        .unwrap_or(StatusCode::BAD_REQUEST);
    let shown = Shown {
        status: Some(status),
        typed,
        errors,
        ..Shown::default()
    };
    application_page(state, ctx, viewer, id, shown).await
}

/// Saving was refused for the whole form: someone changed it first (the
/// page as it is now), or worse (the error page).
async fn save_refused(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    id: i64,
    errors: ApiErrors,
) -> Response {
    if status_of(&errors) == StatusCode::CONFLICT {
        application_page(state, ctx, viewer, id, Shown::conflict(errors)).await
    } else {
        fail(state, ctx, errors)
    }
}
