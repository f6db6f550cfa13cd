//! The pages of catalogue editions for administrators: every edition with
//! its status, a form to import a new official text, and a draft's page
//! (its validation, its diff against the edition in force, the overlay
//! with its history, publication from an effective date, discarding).
//! Plain HTML forms; the logic is [`crate::editions_web`], shared with the
//! API. Also the diff as people read it, shared with the changes page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{
    DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, Request, State,
};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use zige_cases::Role;
use zige_catalog::{CatalogDiff, CatalogId};

use crate::auth::Viewer;
use crate::editions_web::{self, EditionView};
use crate::error::{ApiError, ApiErrors};
use crate::i18n::Tr;
use crate::layout::{
    enc, fail, forbidden, not_found, notice, read_multipart, render, said, status_of, when, Admin,
    ConfirmPage, Ctx, MultiError, Page, Params, Posted, Problem,
};
use crate::state::{today, Shared};

/// The largest official text accepted (the 3.0 text is 27 kB).
const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/admin/catalogs",
            get(list)
                .post(import)
                .layer(DefaultBodyLimit::max(MAX_TEXT_BYTES + 64 * 1024)),
        )
        .route("/admin/catalogs/{jurisdiction}/{version}", get(show))
        .route(
            "/admin/catalogs/{jurisdiction}/{version}/overlay",
            get(back_to_edition)
                .post(save_overlay)
                .layer(DefaultBodyLimit::max(MAX_TEXT_BYTES)),
        )
        .route(
            "/admin/catalogs/{jurisdiction}/{version}/publish",
            get(back_to_edition).post(publish),
        )
        .route(
            "/admin/catalogs/{jurisdiction}/{version}/discard",
            get(discard_form).post(discard),
        )
}

async fn back_to_edition(Path((j, v)): Path<(String, String)>) -> Redirect {
    Redirect::to(&format!("/admin/catalogs/{}/{}", enc(&j), enc(&v)))
}

// ---------- the diff, as people read it ----------

/// A compared field's name in the page's language.
pub fn field_label(t: &Tr, field: &str) -> String {
    let key = match field {
        "list" => "diff-f-list",
        "name.zh" => "diff-f-name-zh",
        "name.en" => "diff-f-name-en",
        "issuer" => "diff-f-issuer",
        "regions" => "diff-f-regions",
        "fields" => "diff-f-fields",
        "title" => "diff-f-title",
        "experience_years" => "diff-f-experience",
        "obligations" => "diff-f-obligations",
        "levels" => "diff-f-levels",
        "remark" => "diff-f-remark",
        other => return other.to_string(),
    };
    t.s(key)
}

/// An entry named in a diff.
pub struct DiffEntry {
    pub id: String,
    pub code: String,
    pub name: String,
    pub alt: String,
}

/// A changed entry: what it was, what it is, how the two were matched.
pub struct DiffChange {
    pub entry: DiffEntry,
    pub from_code: String,
    pub renamed: bool,
    pub matched: String,
    /// Field, before, after.
    pub fields: Vec<(String, String, String)>,
}

/// A diff between two editions in the page's language.
pub struct DiffView {
    pub summary: String,
    pub added: Vec<DiffEntry>,
    pub removed: Vec<DiffEntry>,
    pub changed: Vec<DiffChange>,
    pub renumbered: String,
    pub renumbered_count: usize,
    pub empty: bool,
    /// Entries link to their pages (both editions are published).
    pub links: bool,
    /// `?catalog=` of the newer edition, for links to its entries.
    pub to_query: String,
    pub from_query: String,
}

pub fn diff_view(t: &Tr, d: &CatalogDiff, links: bool) -> DiffView {
    let entry = |e: &zige_catalog::diff::EntrySummary| {
        let name = t.b(&e.name);
        let alt = if t.is_zh() { &e.name.en } else { &e.name.zh };
        DiffEntry {
            id: e.id.clone(),
            code: e.code.clone(),
            // A new entry has no English yet: its name once is enough.
            alt: if *alt == name {
                String::new()
            } else {
                alt.clone()
            },
            name,
        }
    };
    let changed = d
        .changed
        .iter()
        .map(|c| DiffChange {
            entry: entry(&c.to),
            from_code: c.from.code.clone(),
            renamed: c
                .changes
                .iter()
                .any(|f| f.field == "name.zh" || f.field == "name.en"),
            matched: t.s(match c.matched_by {
                "id" => "diff-by-id",
                "name_issuer" => "diff-by-name-issuer",
                "issuer" => "diff-by-issuer",
                "name" => "diff-by-name",
                _ => "diff-by-other",
            }),
            fields: c
                .changes
                .iter()
                .map(|f| (field_label(t, f.field), f.from.clone(), f.to.clone()))
                .collect(),
        })
        .collect();
    DiffView {
        summary: t.with(
            "diff-summary",
            &[
                ("added", d.added.len().to_string()),
                ("removed", d.removed.len().to_string()),
                ("changed", d.changed.len().to_string()),
                ("renumbered", d.renumbered.to_string()),
                ("unchanged", d.unchanged.to_string()),
            ],
        ),
        added: d.added.iter().map(entry).collect(),
        removed: d.removed.iter().map(entry).collect(),
        changed,
        renumbered: t.count("diff-renumbered", d.renumbered),
        renumbered_count: d.renumbered,
        empty: d.is_empty(),
        links,
        to_query: format!("?catalog={}", d.to),
        from_query: format!("?catalog={}", d.from),
    }
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

fn status_of_edition(t: &Tr, status: &str) -> (String, &'static str) {
    match status {
        "built-in" => (t.s("ed-built-in"), "s-approved"),
        "published" => (t.s("ed-published"), "s-approved"),
        "discarded" => (t.s("ed-discarded"), "s-withdrawn"),
        "draft" => (t.s("ed-draft"), "s-more_information"),
        other => (other.to_string(), ""),
    }
}

fn edition_href(id: &str) -> String {
    format!("/admin/catalogs/{id}")
}

/// Whether an edition answers today, will from its date, or did.
fn in_force_text(t: &Tr, e: &EditionView) -> String {
    match (&e.effective_from, e.in_force) {
        (_, true) => t.s("ed-in-force"),
        (Some(d), false) if e.status != "discarded" && *d > today() => {
            t.with("ed-from", &[("date", d.clone())])
        }
        (Some(_), false) if e.status != "discarded" => t.s("ed-replaced"),
        _ => "—".into(),
    }
}

#[derive(Template)]
#[template(path = "admin_catalogs.html")]
struct ListPage {
    p: Page,
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

async fn list_page(s: &Shared, c: &Ctx, status: StatusCode, typed: Typed) -> Response {
    let t = c.t;
    let editions = match editions_web::all(s).await {
        Ok(e) => e,
        Err(e) => return fail(s, c, e.into()),
    };
    let rows = editions
        .iter()
        .map(|e| {
            let (status, status_class) = status_of_edition(&t, &e.status);
            EditionLine {
                href: edition_href(&e.id),
                id: e.id.clone(),
                status,
                status_class,
                entries: e.entries,
                effective: e.effective_from.clone().unwrap_or_else(|| "—".into()),
                in_force: in_force_text(&t, e),
            }
        })
        .collect();
    let mut errors = HashMap::new();
    let mut problems = Vec::new();
    for e in &typed.errors {
        let field = match e.field.as_deref() {
            Some(f @ ("jurisdiction" | "version" | "published" | "file")) => f,
            Some("edition") => "version",
            _ => "",
        };
        let mut text = said(&t, e);
        // A problem of the text: quote the line's offending text too.
        if let Some((_, quoted)) = e
            .value
            .as_deref()
            .filter(|_| e.field.as_deref() == Some("text"))
            .and_then(|v| v.split_once(": "))
            .filter(|(_, q)| !q.trim().is_empty())
        {
            text = format!("{text} — “{}”", quoted.trim());
        }
        if !field.is_empty() {
            errors.insert(field.to_string(), text.clone());
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
    let typed_value = |k: &str, default: String| typed.fields.get(k).cloned().unwrap_or(default);
    let page = ListPage {
        p: c.page_at(s, t.s("ed-title"), "admin", "/admin/catalogs"),
        tab: "catalogs",
        csrf: c.csrf(),
        notice: notice(&t, &c.q),
        rows,
        problems,
        errors,
        jurisdiction: typed_value("jurisdiction", s.default_jurisdiction()),
        version: typed_value("version", String::new()),
        published: typed_value("published", today()),
        max_mb: MAX_TEXT_BYTES / (1024 * 1024),
    };
    render(&page, c, status)
}

async fn list(State(s): State<Shared>, Admin { c, .. }: Admin) -> Response {
    list_page(&s, &c, StatusCode::OK, Typed::default()).await
}

/// The import form: its text fields and the file (None when empty).
struct ImportForm {
    fields: Params,
    file: Option<bytes::Bytes>,
}

/// Reads the import form, refusing a text over the limit as it streams.
async fn read_import(m: Multipart) -> Result<ImportForm, (Params, ApiError)> {
    let (form, failed) = read_multipart(m, MAX_TEXT_BYTES).await;
    let fields: Params = form
        .fields
        .into_iter()
        .map(|(k, v)| (k, v.trim().to_string()))
        .collect();
    match failed {
        Some(MultiError::TooLarge(_)) => Err((fields, too_large())),
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
    let mut e = ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!(
            "the text is larger than {} MB",
            MAX_TEXT_BYTES / (1024 * 1024)
        ),
        format!("文本超过 {} MB", MAX_TEXT_BYTES / (1024 * 1024)),
    );
    e.field = Some("file".into());
    e
}

/// Imports an uploaded official text as a draft; a text that cannot be
/// read is shown with every problem by line and column, and nothing is
/// stored.
async fn import(
    State(s): State<Shared>,
    Admin { c, v }: Admin,
    m: Result<Multipart, MultipartRejection>,
) -> Response {
    let form = match m {
        Ok(m) => read_import(m).await,
        Err(e) => Err((
            Params::new(),
            ApiError::invalid("file", &e.body_text(), "the import form (multipart)"),
        )),
    };
    let (fields, result) = match form {
        // Nothing is stored for a refused body, so saying so needs no token.
        Err((fields, e)) => (fields, Err(ApiErrors::from(e))),
        Ok(f) => {
            if let Err(e) = v.check_csrf(f.fields.get("csrf").map(String::as_str)) {
                return fail(&s, &c, e.into());
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
                editions_web::import(
                    &s,
                    &v,
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
        Err(errs) if status_of(&errs) == StatusCode::FORBIDDEN => fail(&s, &c, errs),
        Err(errs) => {
            let typed = Typed {
                fields,
                errors: errs.0,
            };
            list_page(&s, &c, status_of(&ApiErrors(typed.errors.clone())), typed).await
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
#[template(path = "admin_catalog.html")]
struct EditionPage {
    p: Page,
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

/// Tomorrow (UTC), the publish form's earliest suggestion.
fn tomorrow() -> String {
    zige_cases::Timestamp(crate::auth::now_ms() + 24 * 3600 * 1000)
        .date()
        .to_string()
}

async fn edition_page(s: &Shared, c: &Ctx, id: &CatalogId, shown: Shown) -> Response {
    let t = c.t;
    let view = match editions_web::view(s, id).await {
        Ok(v) => v,
        Err(e) => return fail(s, c, e.into()),
    };
    let emails: HashMap<i64, String> = match c.viewer.as_ref() {
        Some(v) if !view.history.is_empty() => match crate::cases::users(s, v).await {
            Ok(u) => u.into_iter().map(|u| (u.id, u.email)).collect(),
            Err(e) => return fail(s, c, e),
        },
        _ => HashMap::new(),
    };
    let history = view
        .history
        .iter()
        .map(|h| OverlayLine {
            at: when(h["at"].as_str().unwrap_or("")),
            author: match h["author"].as_i64() {
                Some(a) => emails.get(&a).cloned().unwrap_or_else(|| format!("#{a}")),
                None => t.s("adm-system"),
            },
            note: h["note"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    let (status, status_class) = status_of_edition(&t, &view.status);
    let in_force_now = s
        .in_force(&id.jurisdiction, &today())
        .map(|e| e.catalog.id.to_string())
        .unwrap_or_default();
    let mut overlay_error = None;
    let mut effective_error = None;
    let mut problems = Vec::new();
    for e in &shown.errors {
        let text = said(&t, e);
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
        let text = said(&t, e);
        overlay_error = Some(text.clone());
        problems.push(Problem {
            href: "#overlay-text".into(),
            text,
        });
    }
    let draft = view.status == "draft";
    let page = EditionPage {
        p: c.page_at(
            s,
            t.with("ed-one-title", &[("id", view.id.clone())]),
            "admin",
            &edition_href(&view.id),
        ),
        tab: "catalogs",
        csrf: c.csrf(),
        notice: notice(&t, &c.q),
        base: edition_href(&view.id),
        effective: view.effective_from.clone().unwrap_or_else(|| "—".into()),
        in_force: in_force_text(&t, &view),
        in_force_now,
        status,
        status_class,
        draft,
        entries: view.entries,
        problems,
        checks: view
            .problems
            .iter()
            .map(|p| {
                (
                    p["at"].as_str().unwrap_or("").to_string(),
                    p["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect(),
        // Entries of a published edition have pages to link to.
        diff: view
            .diff
            .as_ref()
            .map(|d| diff_view(&t, d, view.status == "published")),
        overlay: shown.overlay.or(view.overlay.clone()),
        overlay_error,
        note: shown.note,
        history,
        effective_typed: shown.effective,
        effective_error,
        tomorrow: tomorrow(),
        id: view.id,
    };
    render(&page, c, shown.status.unwrap_or(StatusCode::OK))
}

/// The edition named by the path's `{jurisdiction}/{version}`.
async fn path_id(parts: &mut Parts, s: &Shared) -> Option<CatalogId> {
    let Path((j, v)) = Path::<(String, String)>::from_request_parts(parts, s)
        .await
        .ok()?;
    editions_web::edition_id(&j, &v).ok()
}

/// An administrator's page about the edition in the path (404 for a
/// malformed one).
struct EditionAdmin {
    id: CatalogId,
    c: Ctx,
    v: Viewer,
}

impl FromRequestParts<Shared> for EditionAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Self, Response> {
        let Admin { c, v } = Admin::from_request_parts(parts, s).await?;
        match path_id(parts, s).await {
            Some(id) => Ok(EditionAdmin { id, c, v }),
            None => Err(not_found(s, &c)),
        }
    }
}

/// An administrator's form about the edition in the path: sign-in, CSRF
/// token and role checked.
struct EditionForm {
    id: CatalogId,
    p: Posted,
}

impl FromRequest<Shared> for EditionForm {
    type Rejection = Response;

    async fn from_request(req: Request, s: &Shared) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let id = path_id(&mut parts, s).await;
        let p = Posted::from_request(Request::from_parts(parts, body), s).await?;
        if !p.v.is(Role::Admin) {
            return Err(forbidden(s, &p.c));
        }
        match id {
            Some(id) => Ok(EditionForm { id, p }),
            None => Err(not_found(s, &p.c)),
        }
    }
}

async fn show(State(s): State<Shared>, EditionAdmin { id, c, .. }: EditionAdmin) -> Response {
    edition_page(&s, &c, &id, Shown::default()).await
}

async fn save_overlay(State(s): State<Shared>, EditionForm { id, p }: EditionForm) -> Response {
    let overlay = p.f.get("overlay").cloned().unwrap_or_default();
    let note: String =
        p.f.get("note")
            .map(|n| n.trim().chars().take(500).collect())
            .unwrap_or_default();
    match editions_web::set_overlay(&s, &p.v, &id, &overlay, &note).await {
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
            edition_page(&s, &p.c, &id, shown).await
        }
        Err(e) => fail(&s, &p.c, e.into()),
    }
}

async fn publish(State(s): State<Shared>, EditionForm { id, p }: EditionForm) -> Response {
    let effective = p.f.get("effective").map(|x| x.trim()).unwrap_or("");
    match editions_web::publish(&s, &p.v, &id, effective).await {
        Ok(_) => Redirect::to(&format!("{}?done=published", edition_href(&id.to_string())))
            .into_response(),
        Err(errs) if matches!(status_of(&errs).as_u16(), 400 | 409) => {
            let shown = Shown {
                status: Some(status_of(&errs)),
                effective: effective.to_string(),
                errors: errs.0,
                ..Shown::default()
            };
            edition_page(&s, &p.c, &id, shown).await
        }
        Err(errs) => fail(&s, &p.c, errs),
    }
}

async fn discard_form(
    State(s): State<Shared>,
    EditionAdmin { id, c, v }: EditionAdmin,
) -> Response {
    let id = id.to_string();
    let t = c.t;
    let heading = t.with("ed-discard-title", &[("id", id.clone())]);
    let page = ConfirmPage {
        p: c.page(&s, heading.clone(), "admin"),
        csrf: v.csrf.clone(),
        heading,
        text: t.s("ed-discard-text"),
        action: format!("{}/discard", edition_href(&id)),
        button: t.s("ed-discard-button"),
        cancel: edition_href(&id),
        with_reason: false,
    };
    render(&page, &c, StatusCode::OK)
}

async fn discard(State(s): State<Shared>, EditionForm { id, p }: EditionForm) -> Response {
    match editions_web::discard(&s, &p.v, &id).await {
        Ok(()) => Redirect::to("/admin/catalogs?done=discarded").into_response(),
        Err(e) if e.status == 409 => {
            let shown = Shown {
                status: Some(StatusCode::CONFLICT),
                errors: vec![e],
                ..Shown::default()
            };
            edition_page(&s, &p.c, &id, shown).await
        }
        Err(e) => fail(&s, &p.c, e.into()),
    }
}
