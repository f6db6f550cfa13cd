//! The pages of catalogue editions for administrators: every edition with
//! its status, a form to import a new official text, and a draft's page
//! (its validation, its diff against the edition in force, the overlay
//! with its history, publication from an effective date, discarding).
//! Plain HTML forms; the logic is [`crate::editions`], shared with the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zige_cases::Role;
use zige_catalog::CatalogId;

use crate::cases::accounts::sessions::Viewer;
use crate::editions::diff_view::{diff_view, DiffView};
use crate::editions::{self, EditionView};
use crate::error::{ApiError, ApiErrors};
use crate::i18n::Tr;
use crate::multipart::{read_multipart, MultiError};
use crate::render::{
    enc, fail, forbidden, not_found, notice, render, said, status_of, Admin, ConfirmPage, Ctx,
    Page, Params, Posted, Problem,
};
use crate::state::{today, Shared};

/// The largest official text accepted (the 3.0 text is 27 kB).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Handles `GET` on an edition's form addresses: back to the edition.
pub async fn back_to_edition(Path((jurisdiction, version)): Path<(String, String)>) -> Redirect {
    Redirect::to(&format!(
        "/admin/catalogs/{}/{}",
        enc(&jurisdiction),
        enc(&version)
    ))
}

// ---------- every edition, and importing a text ----------

/// An edition in the list.
pub struct EditionLine {
    pub id: String,
    pub href: String,
    pub status: String,
    pub status_class: &'static str,
    pub entries: usize,
    pub effective: String,
    pub in_force: String,
}

fn status_of_edition(tr: &Tr, status: &str) -> (String, &'static str) {
    match status {
        "built-in" => (tr.msg("ed-built-in"), "s-approved"),
        "published" => (tr.msg("ed-published"), "s-approved"),
        "discarded" => (tr.msg("ed-discarded"), "s-withdrawn"),
        "draft" => (tr.msg("ed-draft"), "s-more_information"),
        other => (other.to_string(), ""),
    }
}

fn edition_href(id: &str) -> String {
    format!("/admin/catalogs/{id}")
}

/// Whether an edition answers today, will from its date, or did.
fn in_force_text(tr: &Tr, edition: &EditionView) -> String {
    match (&edition.effective_from, edition.in_force) {
        (_, true) => tr.msg("ed-in-force"),
        (Some(d), false) if edition.status != "discarded" && *d > today() => {
            tr.with("ed-from", &[("date", d.clone())])
        }
        (Some(_), false) if edition.status != "discarded" => tr.msg("ed-replaced"),
        _ => "—".into(),
    }
}

#[derive(Template)]
#[template(path = "editions/admin_list.html")]
struct ListPage {
    page: Page,
    tab: &'static str,
    csrf: String,
    notice: Option<String>,
    rows: Vec<EditionLine>,
    problems: Vec<Problem>,
    errors: HashMap<String, String>,
    jurisdiction: String,
    version: String,
    published: String,
    max_mb: usize,
}

impl ListPage {
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// What the import form sent back, to show with its problems.
#[derive(Default)]
struct Typed {
    fields: Params,
    errors: Vec<ApiError>,
}

/// The list of editions with the import form, as typed (with its
/// problems) or empty.
async fn list_page(state: &Shared, ctx: &Ctx, status: StatusCode, typed: Typed) -> Response {
    let tr = ctx.tr;
    let editions = match editions::all(state).await {
        Ok(editions) => editions,
        Err(e) => return fail(state, ctx, e.into()),
    };
    let (errors, problems) = import_problems(&tr, &typed.errors);
    let typed_value = |k: &str, default: String| typed.fields.get(k).cloned().unwrap_or(default);
    let page = ListPage {
        page: ctx.page_at(state, tr.msg("ed-title"), "admin", "/admin/catalogs"),
        tab: "catalogs",
        csrf: ctx.csrf(),
        notice: notice(&tr, &ctx.query),
        rows: edition_lines(&tr, &editions),
        problems,
        errors,
        jurisdiction: typed_value("jurisdiction", state.default_jurisdiction()),
        version: typed_value("version", String::new()),
        published: typed_value("published", today()),
        max_mb: MAX_TEXT_BYTES / (1024 * 1024),
    };
    render(&page, ctx, status)
}

/// The editions as the list shows them.
fn edition_lines(tr: &Tr, editions: &[EditionView]) -> Vec<EditionLine> {
    editions
        .iter()
        .map(|e| {
            let (status, status_class) = status_of_edition(tr, &e.status);
            EditionLine {
                href: edition_href(&e.id),
                id: e.id.clone(),
                status,
                status_class,
                entries: e.entries,
                effective: e.effective_from.clone().unwrap_or_else(|| "—".into()),
                in_force: in_force_text(tr, e),
            }
        })
        .collect()
}

/// An import's errors: each field's message, and the summary of them all
/// (linking to their fields).
fn import_problems(tr: &Tr, errors: &[ApiError]) -> (HashMap<String, String>, Vec<Problem>) {
    let mut by_field = HashMap::new();
    let mut problems = Vec::new();
    for e in errors {
        let field = match e.field.as_deref() {
            Some(f @ ("jurisdiction" | "version" | "published" | "file")) => f,
            Some("edition") => "version",
            _ => "",
        };
        let mut text = said(tr, e);
        // A problem of the text: quote the line's offending text too.
        if let Some((_, quoted)) = e
            .value
            .as_deref()
            .filter(|_| e.field.as_deref() == Some("text"))
            .and_then(|value| value.split_once(": "))
            .filter(|(_, q)| !q.trim().is_empty())
        {
            text = format!("{text} — “{}”", quoted.trim());
        }
        if !field.is_empty() {
            by_field.insert(field.to_string(), text.clone());
        }
        problems.push(Problem {
            href: if field.is_empty() {
                String::new()
            } else {
                format!("#{field}")
            },
            text,
        });
    }
    (by_field, problems)
}

/// Handles `GET /admin/catalogs`: every edition, and the import form.
pub async fn list(State(state): State<Shared>, Admin { ctx, .. }: Admin) -> Response {
    list_page(&state, &ctx, StatusCode::OK, Typed::default()).await
}

/// The import form: its text fields and the file (None when empty).
struct ImportForm {
    fields: Params,
    file: Option<bytes::Bytes>,
}

/// Reads the import form, refusing a text over the limit as it streams.
async fn read_import(multipart: Multipart) -> Result<ImportForm, (Params, ApiError)> {
    let (form, failed) = read_multipart(multipart, MAX_TEXT_BYTES).await;
    let fields: Params = form
        .fields
        .into_iter()
        .map(|(k, viewer)| (k, viewer.trim().to_string()))
        .collect();
    match failed {
        Some(MultiError::TooLarge) => Err((fields, too_large())),
        Some(MultiError::Broken(status, _)) if status == StatusCode::PAYLOAD_TOO_LARGE => {
            Err((fields, too_large()))
        }
        Some(MultiError::Broken(_, text)) => Err((
            fields,
            ApiError::invalid("file", &text, "an official text chosen in the form"),
        )),
        None => Ok(ImportForm {
            fields,
            file: form.file.map(|(_, b)| b).filter(|b| !b.is_empty()),
        }),
    }
}

fn too_large() -> ApiError {
    let megabytes = (MAX_TEXT_BYTES / (1024 * 1024)).to_string();
    ApiError::localized(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "edition-text-too-large",
        &[("megabytes", megabytes)],
    )
    .with_field("file")
}

/// Handles `POST /admin/catalogs`: imports an uploaded official text as
/// a draft; a text that cannot be read is shown with every problem by line
/// and column, and nothing is stored.
pub async fn import(
    State(state): State<Shared>,
    Admin { ctx, viewer }: Admin,
    upload: Result<Multipart, MultipartRejection>,
) -> Response {
    let form = match upload {
        Ok(multipart) => read_import(multipart).await,
        Err(e) => Err((
            Params::new(),
            ApiError::invalid("file", &e.body_text(), "the import form (multipart)"),
        )),
    };
    let (fields, result) = match form {
        // Nothing is stored for a refused body, so saying so needs no token.
        Err((fields, e)) => (fields, Err(ApiErrors::from(e))),
        Ok(f) => {
            if let Err(e) = viewer.check_csrf(f.fields.get("csrf").map(String::as_str)) {
                return fail(&state, &ctx, e.into());
            }
            let get = |k: &str| f.fields.get(k).cloned().unwrap_or_default();
            let mut missing = Vec::new();
            for k in ["jurisdiction", "version"] {
                if get(k).is_empty() {
                    missing.push(ApiError::invalid(k, "", "e.g. beijing and 3.1"));
                }
            }
            if f.file.is_none() {
                missing.push(ApiError::invalid("file", "", "the official text (.txt)"));
            }
            let result = if missing.is_empty() {
                let bytes = f.file.clone().unwrap_or_default();
                editions::import(
                    &state,
                    &viewer,
                    &get("jurisdiction"),
                    &get("version"),
                    Some(&get("published")),
                    &bytes,
                )
                .await
                .map(|view| view.id)
            } else {
                Err(ApiErrors(missing))
            };
            (f.fields, result)
        }
    };
    match result {
        Ok(id) => Redirect::to(&format!("{}?done=imported", edition_href(&id))).into_response(),
        Err(errs) if status_of(&errs) == StatusCode::FORBIDDEN => fail(&state, &ctx, errs),
        Err(errs) => {
            let typed = Typed {
                fields,
                errors: errs.0,
            };
            list_page(
                &state,
                &ctx,
                status_of(&ApiErrors(typed.errors.clone())),
                typed,
            )
            .await
        }
    }
}

// ---------- one edition ----------

/// A change of the overlay, as the history lists it.
pub struct OverlayLine {
    pub at: String,
    pub author: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "editions/admin_edition.html")]
struct EditionPage {
    page: Page,
    tab: &'static str,
    csrf: String,
    notice: Option<String>,
    id: String,
    base: String,
    status: String,
    status_class: &'static str,
    draft: bool,
    entries: usize,
    effective: String,
    in_force: String,
    in_force_now: String,
    problems: Vec<Problem>,
    checks: Vec<(String, String)>,
    diff: Option<DiffView>,
    overlay: Option<String>,
    overlay_error: Option<String>,
    note: String,
    history: Vec<OverlayLine>,
    effective_typed: String,
    effective_error: Option<String>,
    tomorrow: String,
}

/// How to show an edition's page after a form.
#[derive(Default)]
struct Shown {
    status: Option<StatusCode>,
    overlay: Option<String>,
    note: String,
    overlay_error: Option<ApiError>,
    effective: String,
    errors: Vec<ApiError>,
}

/// What the build of an edition found wrong, as its page lists it: where,
/// and what, in the page's language.
fn checks(tr: &Tr, view: &EditionView) -> Vec<(String, String)> {
    view.checks
        .iter()
        .map(|problem| (problem.at.clone(), problem.message_in(tr.lang).to_string()))
        .collect()
}

/// Tomorrow (UTC), the publish form's earliest suggestion.
fn tomorrow() -> String {
    zige_cases::Timestamp(crate::cases::now_ms() + 24 * 3600 * 1000)
        .date()
        .to_string()
}

/// The overlay's changes with their authors' addresses.
async fn overlay_history(
    state: &Shared,
    ctx: &Ctx,
    view: &EditionView,
) -> Result<Vec<OverlayLine>, Response> {
    let emails: HashMap<i64, String> = match ctx.viewer.as_ref() {
        Some(viewer) if !view.history.is_empty() => {
            match crate::cases::users(state, viewer).await {
                Ok(users) => users.into_iter().map(|u| (u.id, u.email)).collect(),
                Err(e) => return Err(fail(state, ctx, e)),
            }
        }
        _ => HashMap::new(),
    };
    Ok(view
        .history
        .iter()
        .map(|h| OverlayLine {
            at: ctx.clock.when(h["at"].as_str().unwrap_or("")),
            author: match h["author"].as_i64() {
                Some(a) => emails.get(&a).cloned().unwrap_or_else(|| format!("#{a}")),
                None => ctx.tr.msg("adm-system"),
            },
            note: h["note"].as_str().unwrap_or("").to_string(),
        })
        .collect())
}

/// A form's errors on an edition's page: the summary, and the messages
/// beside the overlay and the effective date.
struct FormProblems {
    problems: Vec<Problem>,
    overlay_error: Option<String>,
    effective_error: Option<String>,
}

fn form_problems(tr: &Tr, shown: &Shown) -> FormProblems {
    let mut overlay_error = None;
    let mut effective_error = None;
    let mut problems = Vec::new();
    for e in &shown.errors {
        let text = said(tr, e);
        let href = match e.field.as_deref() {
            Some("effective") => {
                effective_error = Some(text.clone());
                "#effective"
            }
            _ => "",
        };
        problems.push(Problem {
            href: href.into(),
            text,
        });
    }
    if let Some(e) = &shown.overlay_error {
        let text = said(tr, e);
        overlay_error = Some(text.clone());
        problems.push(Problem {
            href: "#overlay-text".into(),
            text,
        });
    }
    FormProblems {
        problems,
        overlay_error,
        effective_error,
    }
}

/// An edition's page, after a form as `shown` says.
async fn edition_page(state: &Shared, ctx: &Ctx, id: &CatalogId, shown: Shown) -> Response {
    let tr = ctx.tr;
    let view = match editions::view(state, id).await {
        Ok(view) => view,
        Err(e) => return fail(state, ctx, e.into()),
    };
    let history = match overlay_history(state, ctx, &view).await {
        Ok(history) => history,
        Err(response) => return response,
    };
    let (status, status_class) = status_of_edition(&tr, &view.status);
    let in_force_now = state
        .in_force(&id.jurisdiction, &today())
        .map(|e| e.catalog.id.to_string())
        .unwrap_or_default();
    let FormProblems {
        problems,
        overlay_error,
        effective_error,
    } = form_problems(&tr, &shown);
    let draft = view.status == "draft";
    let page = EditionPage {
        page: ctx.page_at(
            state,
            tr.with("ed-one-title", &[("id", view.id.clone())]),
            "admin",
            &edition_href(&view.id),
        ),
        tab: "catalogs",
        csrf: ctx.csrf(),
        notice: notice(&tr, &ctx.query),
        base: edition_href(&view.id),
        effective: view.effective_from.clone().unwrap_or_else(|| "—".into()),
        in_force: in_force_text(&tr, &view),
        in_force_now,
        status,
        status_class,
        draft,
        entries: view.entries,
        problems,
        checks: checks(&tr, &view),
        // Entries of a published edition have pages to link to.
        diff: view
            .diff
            .as_ref()
            .map(|d| diff_view(&tr, d, view.status == "published")),
        overlay: shown.overlay.or(view.overlay.clone()),
        overlay_error,
        note: shown.note,
        history,
        effective_typed: shown.effective,
        effective_error,
        tomorrow: tomorrow(),
        id: view.id,
    };
    render(&page, ctx, shown.status.unwrap_or(StatusCode::OK))
}

/// The edition named by the path's `{jurisdiction}/{version}`.
async fn path_id(parts: &mut Parts, state: &Shared) -> Option<CatalogId> {
    let Path((jurisdiction, version)) = Path::<(String, String)>::from_request_parts(parts, state)
        .await
        .ok()?;
    editions::edition_id(&jurisdiction, &version).ok()
}

/// An administrator's page about the edition in the path (404 for a
/// malformed one).
pub struct EditionAdmin {
    id: CatalogId,
    ctx: Ctx,
    viewer: Viewer,
}

impl FromRequestParts<Shared> for EditionAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        let Admin { ctx, viewer } = Admin::from_request_parts(parts, state).await?;
        match path_id(parts, state).await {
            Some(id) => Ok(EditionAdmin { id, ctx, viewer }),
            None => Err(not_found(state, &ctx)),
        }
    }
}

/// An administrator's form about the edition in the path: sign-in, CSRF
/// token and role checked.
pub struct EditionForm {
    id: CatalogId,
    posted: Posted,
}

impl FromRequest<Shared> for EditionForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let id = path_id(&mut parts, state).await;
        let posted = Posted::from_request(Request::from_parts(parts, body), state).await?;
        if !posted.viewer.is(Role::Admin) {
            return Err(forbidden(state, &posted.ctx));
        }
        match id {
            Some(id) => Ok(EditionForm { id, posted }),
            None => Err(not_found(state, &posted.ctx)),
        }
    }
}

/// Handles `GET /admin/catalogs/{jurisdiction}/{version}`: one edition.
pub async fn show(
    State(state): State<Shared>,
    EditionAdmin { id, ctx, .. }: EditionAdmin,
) -> Response {
    edition_page(&state, &ctx, &id, Shown::default()).await
}

/// Handles `POST /admin/catalogs/{jurisdiction}/{version}/overlay`:
/// saves a draft's overlay, or shows it again with the problem.
pub async fn save_overlay(
    State(state): State<Shared>,
    EditionForm { id, posted }: EditionForm,
) -> Response {
    let overlay = posted.form.get("overlay").cloned().unwrap_or_default();
    let note: String = posted
        .form
        .get("note")
        .map(|n| n.trim().chars().take(500).collect())
        .unwrap_or_default();
    match editions::set_overlay(&state, &posted.viewer, &id, &overlay, &note).await {
        Ok(_) => Redirect::to(&format!(
            "{}?done=overlay#overlay",
            edition_href(&id.to_string())
        ))
        .into_response(),
        Err(e) if matches!(e.status, 400 | 409) => {
            let shown = Shown {
                status: StatusCode::from_u16(e.status).ok(),
                overlay: Some(overlay),
                note,
                overlay_error: Some(e),
                ..Shown::default()
            };
            edition_page(&state, &posted.ctx, &id, shown).await
        }
        Err(e) => fail(&state, &posted.ctx, e.into()),
    }
}

/// Handles `POST /admin/catalogs/{jurisdiction}/{version}/publish`.
pub async fn publish(
    State(state): State<Shared>,
    EditionForm { id, posted }: EditionForm,
) -> Response {
    let effective = posted.form.get("effective").map(|x| x.trim()).unwrap_or("");
    match editions::publish(&state, &posted.viewer, &id, effective).await {
        Ok(_) => Redirect::to(&format!("{}?done=published", edition_href(&id.to_string())))
            .into_response(),
        Err(errs) if matches!(status_of(&errs).as_u16(), 400 | 409) => {
            let shown = Shown {
                status: Some(status_of(&errs)),
                effective: effective.to_string(),
                errors: errs.0,
                ..Shown::default()
            };
            edition_page(&state, &posted.ctx, &id, shown).await
        }
        Err(errs) => fail(&state, &posted.ctx, errs),
    }
}

/// Handles `GET /admin/catalogs/{jurisdiction}/{version}/discard`: the
/// question before discarding a draft.
pub async fn discard_form(
    State(state): State<Shared>,
    EditionAdmin { id, ctx, viewer }: EditionAdmin,
) -> Response {
    let id = id.to_string();
    let tr = ctx.tr;
    let heading = tr.with("ed-discard-title", &[("id", id.clone())]);
    let page = ConfirmPage {
        page: ctx.page(&state, heading.clone(), "admin"),
        csrf: viewer.csrf.clone(),
        heading,
        text: tr.msg("ed-discard-text"),
        action: format!("{}/discard", edition_href(&id)),
        button: tr.msg("ed-discard-button"),
        cancel: edition_href(&id),
        with_reason: false,
    };
    render(&page, &ctx, StatusCode::OK)
}

/// Handles `POST /admin/catalogs/{jurisdiction}/{version}/discard`.
pub async fn discard(
    State(state): State<Shared>,
    EditionForm { id, posted }: EditionForm,
) -> Response {
    match editions::discard(&state, &posted.viewer, &id).await {
        Ok(()) => Redirect::to("/admin/catalogs?done=discarded").into_response(),
        Err(e) if e.status == 409 => {
            let shown = Shown {
                status: Some(StatusCode::CONFLICT),
                errors: vec![e],
                ..Shown::default()
            };
            edition_page(&state, &posted.ctx, &id, shown).await
        }
        Err(e) => fail(&state, &posted.ctx, e.into()),
    }
}
