//! Catalogue editions on the web: an entry's history across editions, the
//! Atom feed of published editions, and the admin API that imports a new
//! official text as a draft, shows its validation and diff, takes overlay
//! corrections, and publishes it from an effective date or discards it.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zige_cases::Role;
use zige_catalog::{CatalogDiff, CatalogId};
use zige_store::{StoreError, StoredEdition};

use crate::auth::{now_ms, Viewer};
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::state::{today, Edition, Shared};

/// One edition's word on an entry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryStep {
    pub catalog: String,
    pub effective_from: String,
    pub in_force: bool,
    /// The entry's code in that edition; None when it is not listed.
    pub code: Option<String>,
    /// `listed` (first edition), `added`, `unchanged`, `renumbered`, `changed`, `removed`.
    pub what: String,
    /// For `changed`: the fields that changed (`name.en`, `remark`…).
    pub fields: Vec<String>,
}

/// The published editions of one jurisdiction, oldest effective first.
pub fn timeline(s: &Shared, jurisdiction: &str) -> Vec<&'static Edition> {
    let mut eds: Vec<&'static Edition> = s
        .published()
        .into_iter()
        .filter(|e| e.catalog.id.jurisdiction == jurisdiction)
        .collect();
    eds.sort_by(|a, b| a.effective_from.cmp(&b.effective_from));
    eds
}

/// What each edition of the entry's jurisdiction says about it.
pub fn history(s: &Shared, entry_id: &str) -> Vec<HistoryStep> {
    let cur = s.current();
    let eds = timeline(s, &cur.catalog.id.jurisdiction);
    let mut out: Vec<HistoryStep> = Vec::new();
    let mut prev: Option<&'static Edition> = None;
    for ed in eds {
        let here = ed.catalog.entries.iter().find(|e| e.id == entry_id);
        let (what, fields) = match (prev, here) {
            (None, Some(_)) => ("listed", Vec::new()),
            (None, None) => {
                prev = Some(ed);
                continue;
            }
            (Some(p), _) => {
                let was = p.catalog.entries.iter().find(|e| e.id == entry_id);
                match (was, here) {
                    (None, None) => {
                        prev = Some(ed);
                        continue;
                    }
                    (None, Some(_)) => ("added", Vec::new()),
                    (Some(_), None) => ("removed", Vec::new()),
                    (Some(_), Some(_)) => {
                        let d = s.diff(p, ed);
                        match d
                            .changed
                            .iter()
                            .find(|c| c.to.id == entry_id || c.from.id == entry_id)
                        {
                            Some(c) => (
                                "changed",
                                c.changes.iter().map(|f| f.field.to_string()).collect(),
                            ),
                            None if was.map(|w| &w.code) != here.map(|h| &h.code) => {
                                ("renumbered", Vec::new())
                            }
                            None => ("unchanged", Vec::new()),
                        }
                    }
                }
            }
        };
        out.push(HistoryStep {
            catalog: ed.catalog.id.to_string(),
            effective_from: ed.effective_from.clone(),
            in_force: std::ptr::eq(ed, cur),
            code: here.map(|e| e.code.clone()),
            what: what.into(),
            fields,
        });
        prev = Some(ed);
    }
    out
}

#[utoipa::path(get, path = "/api/v1/entries/{id}/history", tag = "catalogue", params(("id" = String, Path, description = "Stable id or code in the edition in force")),
    responses((status = 200, body = Vec<HistoryStep>, description = "the entry in every published edition of its jurisdiction, oldest first"), (status = 404, body = ErrorBody, description = "no such entry")))]
pub async fn entry_history(
    State(s): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Vec<HistoryStep>>, ApiError> {
    let cur = s.current().catalog;
    let stable = cur.find(&id).map(|e| e.id.clone()).or_else(|| {
        s.published()
            .iter()
            .flat_map(|e| &e.catalog.entries)
            .find(|e| e.id == id)
            .map(|e| e.id.clone())
    });
    let stable = stable.ok_or_else(|| {
        ApiError::not_found(
            "entry",
            &id,
            cur.suggest(&id)
                .into_iter()
                .take(3)
                .map(|e| format!("{} {}", e.code, e.name.en))
                .collect(),
        )
    })?;
    Ok(Json(history(&s, &stable)))
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `/changes.atom`: one feed entry per published edition, newest first,
/// summarising what it changed against the edition before it.
pub async fn changes_feed(State(s): State<Shared>) -> Response {
    let base = s
        .cases
        .as_ref()
        .map(|c| c.public_url.clone())
        .unwrap_or_default();
    let mut items = Vec::new();
    let mut jurisdictions: Vec<String> = s
        .published()
        .iter()
        .map(|e| e.catalog.id.jurisdiction.clone())
        .collect();
    jurisdictions.sort();
    jurisdictions.dedup();
    for j in jurisdictions {
        let eds = timeline(&s, &j);
        for (i, ed) in eds.iter().enumerate() {
            let (summary_en, summary_zh, link) = match i.checked_sub(1).map(|p| eds[p]) {
                Some(prev) => {
                    let d = s.diff(prev, ed);
                    let names = |v: &[zige_catalog::diff::EntrySummary]| {
                        v.iter()
                            .map(|e| format!("{} {}", e.code, e.name.en))
                            .collect::<Vec<_>>()
                            .join("; ")
                    };
                    (
                        format!(
                            "{} replaces {} from {}: {} added ({}), {} removed ({}), {} changed, {} renumbered.",
                            ed.catalog.id,
                            prev.catalog.id,
                            ed.effective_from,
                            d.added.len(),
                            names(&d.added),
                            d.removed.len(),
                            names(&d.removed),
                            d.changed.len(),
                            d.renumbered
                        ),
                        format!("{} 自 {} 起取代 {}：新增{}项，删除{}项，变更{}项。", ed.catalog.id, ed.effective_from, prev.catalog.id, d.added.len(), d.removed.len(), d.changed.len()),
                        format!("{base}/changes?from={}&to={}", prev.catalog.id, ed.catalog.id),
                    )
                }
                None => (
                    format!(
                        "{}: {} entries, in force from {}.",
                        ed.catalog.id,
                        ed.catalog.entries.len(),
                        ed.effective_from
                    ),
                    format!(
                        "{}：共{}项，自 {} 起施行。",
                        ed.catalog.id,
                        ed.catalog.entries.len(),
                        ed.effective_from
                    ),
                    format!("{base}/browse?catalog={}", ed.catalog.id),
                ),
            };
            items.push((
                ed.effective_from.clone(),
                ed.catalog.id.to_string(),
                ed.catalog.title.en.clone(),
                ed.catalog.title.zh.clone(),
                summary_en,
                summary_zh,
                link,
            ));
        }
    }
    items.sort_by(|a, b| b.0.cmp(&a.0));
    let updated = items.first().map(|i| i.0.clone()).unwrap_or_else(today);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out += &format!("<title>Zige: catalogue editions and their changes · 资格：目录版本与变更</title>\n<id>{}/changes.atom</id>\n<link rel=\"self\" href=\"{}/changes.atom\"/>\n<link href=\"{}/changes\"/>\n<updated>{}T00:00:00Z</updated>\n<author><name>Zige</name></author>\n", xml(&base), xml(&base), xml(&base), updated);
    for (effective, id, title_en, title_zh, en, zh, link) in items {
        out += &format!(
            "<entry>\n<id>{}/editions/{}</id>\n<title>{} · {}</title>\n<updated>{effective}T00:00:00Z</updated>\n<link href=\"{}\"/>\n<summary>{} {}</summary>\n</entry>\n",
            xml(&base),
            xml(&id),
            xml(&title_zh),
            xml(&title_en),
            xml(&link),
            xml(&en),
            xml(&zh)
        );
    }
    out += "</feed>\n";
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        out,
    )
        .into_response()
}

// ---------- admin: editions ----------

/// A stored or built-in edition as officials see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EditionView {
    pub id: String,
    /// `built-in`, `draft`, `published` or `discarded`.
    pub status: String,
    pub effective_from: Option<String>,
    pub in_force: bool,
    pub entries: usize,
    /// What the build could not do; a draft with problems cannot be published.
    #[schema(value_type = Vec<crate::schemas::EditionProblem>)]
    pub problems: Vec<Value>,
    /// Against the edition in force today of its jurisdiction (details only).
    pub diff: Option<CatalogDiff>,
    /// The overlay (TOML) of a stored edition.
    pub overlay: Option<String>,
    /// The overlay's changes (details only).
    #[schema(value_type = Vec<crate::schemas::OverlayChange>)]
    pub history: Vec<Value>,
}

fn admin(v: &Viewer) -> Result<(), ApiError> {
    v.require(v.is(Role::Admin))
}

pub fn edition_id(j: &str, v: &str) -> Result<CatalogId, ApiError> {
    CatalogId::parse(&format!("{j}/{v}"))
        .map_err(|e| ApiError::invalid("edition", &format!("{j}/{v}"), &e))
}

pub async fn stored(s: &Shared, id: &CatalogId) -> Result<StoredEdition, ApiError> {
    let id = id.to_string();
    s.store()?
        .editions()
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| ApiError::not_found("catalog", &id, Vec::new()))
}

/// A stored edition as officials see it; `detail` adds the diff, the
/// overlay and its history.
pub async fn view_of(s: &Shared, e: &StoredEdition, detail: bool) -> Result<EditionView, ApiError> {
    let (catalog, problems) =
        zige_catalog::edition::rebuild(&e.text, &e.overlay).map_err(ApiError::internal)?;
    let in_force = s.in_force(&e.jurisdiction, &today());
    let diff = in_force
        .filter(|f| f.catalog.id != catalog.id)
        .map(|f| zige_catalog::diff(f.catalog, &catalog));
    let history = if detail {
        s.store()?.overlay_history(&e.id).await?.into_iter().map(|h| serde_json::json!({"at": zige_cases::Timestamp(h.at).rfc3339(), "author": h.author, "note": h.note})).collect()
    } else {
        Vec::new()
    };
    Ok(EditionView {
        id: e.id.clone(),
        status: e.status.clone(),
        effective_from: e.effective_from.clone(),
        in_force: in_force.is_some_and(|f| f.catalog.id.to_string() == e.id),
        entries: catalog.entries.len(),
        problems: problems
            .iter()
            .map(|p| serde_json::json!({"at": p.at, "message": p.message}))
            .collect(),
        diff: if detail { diff } else { None },
        overlay: detail.then(|| e.overlay.clone()),
        history,
    })
}

#[utoipa::path(get, path = "/api/v1/admin/editions", tag = "admin", security(("bearer" = []), ("cookie" = [])), responses((status = 200, body = Vec<EditionView>), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins")))]
pub async fn list(State(s): State<Shared>, v: Viewer) -> Result<Json<Vec<EditionView>>, ApiError> {
    admin(&v)?;
    Ok(Json(all(&s).await?))
}

/// A built-in edition: always there, never changed.
fn builtin_view(s: &Shared, e: &Edition) -> EditionView {
    EditionView {
        id: e.catalog.id.to_string(),
        status: "built-in".into(),
        effective_from: Some(e.effective_from.clone()),
        in_force: s
            .in_force(&e.catalog.id.jurisdiction, &today())
            .is_some_and(|f| std::ptr::eq(f, e)),
        entries: e.catalog.entries.len(),
        problems: Vec::new(),
        diff: None,
        overlay: None,
        history: Vec::new(),
    }
}

/// Every edition: the built-in ones, then the stored ones (drafts,
/// published, discarded) in the order they were imported.
pub async fn all(s: &Shared) -> Result<Vec<EditionView>, ApiError> {
    let mut out: Vec<EditionView> = s
        .published()
        .into_iter()
        .filter(|e| e.builtin)
        .map(|e| builtin_view(s, e))
        .collect();
    for e in s.store()?.editions().await? {
        out.push(view_of(s, &e, false).await?);
    }
    Ok(out)
}

/// One edition in detail, stored or built-in.
pub async fn view(s: &Shared, id: &CatalogId) -> Result<EditionView, ApiError> {
    if let Some(b) = s
        .published()
        .into_iter()
        .find(|e| e.builtin && e.catalog.id == *id)
    {
        return Ok(builtin_view(s, b));
    }
    view_of(s, &stored(s, id).await?, true).await
}

/// Query of an import: `?jurisdiction=beijing&version=3.1&published=2026-12-01`.
#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    pub jurisdiction: Option<String>,
    pub version: Option<String>,
    pub published: Option<String>,
}

/// Imports a text as a draft; every problem of an unreadable text is named
/// by line and column, and nothing is stored.
pub async fn import(
    s: &Shared,
    v: &Viewer,
    jurisdiction: &str,
    version: &str,
    published: Option<&str>,
    bytes: &[u8],
) -> Result<EditionView, ApiErrors> {
    admin(v)?;
    let id = edition_id(jurisdiction, version)?;
    let published = published
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .unwrap_or_else(today);
    if !zige_catalog::edition::valid_date(&published) {
        return Err(ApiError::invalid("published", &published, "a date as YYYY-MM-DD").into());
    }
    let base = s.in_force(jurisdiction, &today());
    let base_overlay = match base {
        Some(b) if b.builtin => zige_catalog::builtin_overlay(jurisdiction).map(|o| o.0),
        Some(b) => stored(s, &b.catalog.id)
            .await
            .ok()
            .and_then(|e| zige_catalog::parse_overlay(&e.overlay).ok()),
        None => None,
    };
    let draft = zige_catalog::edition::draft(
        bytes,
        jurisdiction,
        version,
        &published,
        base.zip(base_overlay.as_ref()).map(|(b, o)| (b.catalog, o)),
    )
    .map_err(|diags| {
        ApiErrors(
            diags
                .iter()
                .map(|d| {
                    let mut e = ApiError::invalid(
                        "text",
                        &format!("line {}, column {}: {}", d.line, d.column, d.text),
                        &d.message.en,
                    );
                    e.message = zige_catalog::Bilingual::new(
                        format!("第{}行第{}列：{}", d.line, d.column, d.message.zh),
                        format!("line {}, column {}: {}", d.line, d.column, d.message.en),
                    );
                    e
                })
                .collect(),
        )
    })?;
    let text = String::from_utf8_lossy(bytes).into_owned();
    let stored = s.store()?.import_edition(&id.to_string(), jurisdiction, version, &text, &draft.overlay_toml, Some(v.user.id), now_ms()).await.map_err(|e| match e {
        StoreError::Duplicate(_) => ApiError::conflict(format!("edition {id} exists already: discard the draft first or choose another version"), format!("版本 {id} 已存在：请先放弃该草稿或换用其他版本号")),
        e => e.into(),
    })?;
    Ok(view_of(s, &stored, true).await?)
}

#[utoipa::path(post, path = "/api/v1/admin/editions", tag = "admin", security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    params(("jurisdiction" = String, Query, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Query, pattern = "^[a-z0-9.-]{1,40}$"), ("published" = Option<String>, Query, format = Date, pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-", description = "publication date of the text, YYYY-MM-DD, years 1900–2200 (default today)")),
    request_body(content_type = "text/plain", content = String, description = "the official text, as published"),
    responses((status = 201, body = EditionView, description = "stored as a draft, with its validation and its diff against the edition in force"), (status = 400, body = ErrorBody, description = "a parameter is invalid, or every problem of the text by line and column; nothing stored"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 409, body = ErrorBody, description = "the edition exists already"), (status = 413, body = ErrorBody, description = "the body is too large")))]
pub async fn create(
    State(s): State<Shared>,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<ImportQuery>,
    body: Bytes,
) -> Result<Response, ApiErrors> {
    let need = |f: &str, x: &Option<String>| {
        x.clone()
            .filter(|x| !x.trim().is_empty())
            .ok_or_else(|| ApiError::invalid(f, "", "e.g. jurisdiction=beijing&version=3.1"))
    };
    let (j, ver) = (
        need("jurisdiction", &q.jurisdiction)?,
        need("version", &q.version)?,
    );
    let view = import(&s, &v, &j, &ver, q.published.as_deref(), &body).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[utoipa::path(get, path = "/api/v1/admin/editions/{jurisdiction}/{version}", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = EditionView), (status = 400, body = ErrorBody, description = "not an edition id"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins"), (status = 404, body = ErrorBody, description = "no such edition")))]
pub async fn show(
    State(s): State<Shared>,
    v: Viewer,
    Path((j, ver)): Path<(String, String)>,
) -> Result<Json<EditionView>, ApiError> {
    admin(&v)?;
    let e = stored(&s, &edition_id(&j, &ver)?).await?;
    Ok(Json(view_of(&s, &e, true).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OverlayBody {
    /// The whole overlay, TOML.
    pub overlay: String,
    /// What changed, for the history.
    #[serde(default)]
    pub note: String,
}

/// Longest overlay, in characters (the request itself may be 4 MB).
pub const MAX_OVERLAY: usize = 1_000_000;

pub async fn set_overlay(
    s: &Shared,
    v: &Viewer,
    id: &CatalogId,
    overlay: &str,
    note: &str,
) -> Result<EditionView, ApiError> {
    admin(v)?;
    use zige_cases::text::{check_text, Lines, MAX_NOTE};
    check_text("note", note, MAX_NOTE, Lines::Many).map_err(ApiError::from_input)?;
    check_text("overlay", overlay, MAX_OVERLAY, Lines::Many).map_err(ApiError::from_input)?;
    let e = stored(s, id).await?;
    zige_catalog::edition::rebuild(&e.text, overlay).map_err(|err| {
        ApiError::invalid(
            "overlay",
            &err.chars().take(300).collect::<String>(),
            "a TOML overlay like the one shown for the draft",
        )
    })?;
    let e = s
        .store()?
        .set_edition_overlay(&e.id, overlay, note, Some(v.user.id), now_ms())
        .await
        .map_err(|err| match err {
            StoreError::Conflict => ApiError::conflict(
                "only drafts change: a published edition is corrected by a new edition",
                "只有草稿可以修改：已发布版本须以新版本更正",
            ),
            e => e.into(),
        })?;
    view_of(s, &e, true).await
}

#[utoipa::path(put, path = "/api/v1/admin/editions/{jurisdiction}/{version}/overlay", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), request_body = OverlayBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = EditionView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such edition"), (status = 409, body = ErrorBody, description = "not a draft"), (status = 413, body = ErrorBody, description = "the body is too large"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn put_overlay(
    State(s): State<Shared>,
    v: Viewer,
    Path((j, ver)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<EditionView>, ApiError> {
    let b: OverlayBody = crate::cases_api::json_body(&headers, &body)?;
    Ok(Json(
        set_overlay(&s, &v, &edition_id(&j, &ver)?, &b.overlay, &b.note).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PublishBody {
    /// First day in force, YYYY-MM-DD, years 1900–2200 (may be in the future).
    #[schema(format = Date, pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    pub effective: String,
}

/// Publishes a draft without problems; the server answers from it once its
/// effective date comes.
pub async fn publish(
    s: &Shared,
    v: &Viewer,
    id: &CatalogId,
    effective: &str,
) -> Result<EditionView, ApiErrors> {
    admin(v)?;
    if !zige_catalog::edition::valid_date(effective) {
        return Err(ApiError::invalid("effective", effective, "a date as YYYY-MM-DD").into());
    }
    let e = stored(s, id).await?;
    let (_, problems) =
        zige_catalog::edition::rebuild(&e.text, &e.overlay).map_err(ApiError::internal)?;
    if !problems.is_empty() {
        return Err(ApiErrors(
            problems
                .iter()
                .map(|p| {
                    let mut err = ApiError::conflict(
                        format!(
                            "{}: {} — fix the overlay before publishing",
                            p.at, p.message
                        ),
                        format!("{}：{}（请先修正对照表再发布）", p.at, p.message),
                    );
                    err.field = Some("overlay".into());
                    err.value = Some(p.at.clone());
                    err
                })
                .collect(),
        ));
    }
    let e = s
        .store()?
        .publish_edition(&e.id, effective, Some(v.user.id), now_ms())
        .await
        .map_err(|err| match err {
            StoreError::Conflict => {
                ApiError::conflict("only drafts can be published", "只有草稿可以发布")
            }
            e => e.into(),
        })?;
    s.refresh_editions().await.map_err(ApiError::from)?;
    Ok(view_of(s, &e, true).await?)
}

#[utoipa::path(post, path = "/api/v1/admin/editions/{jurisdiction}/{version}/publish", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), request_body = PublishBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = EditionView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such edition"), (status = 409, body = ErrorBody, description = "not a draft, or problems left"), (status = 413, body = ErrorBody, description = "the body is too large"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn post_publish(
    State(s): State<Shared>,
    v: Viewer,
    Path((j, ver)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<EditionView>, ApiErrors> {
    let b: PublishBody = crate::cases_api::json_body(&headers, &body)?;
    Ok(Json(
        publish(&s, &v, &edition_id(&j, &ver)?, &b.effective).await?,
    ))
}

pub async fn discard(s: &Shared, v: &Viewer, id: &CatalogId) -> Result<(), ApiError> {
    admin(v)?;
    s.store()?
        .discard_edition(&id.to_string(), Some(v.user.id), now_ms())
        .await
        .map_err(|err| match err {
            StoreError::Conflict => {
                ApiError::conflict("only drafts can be discarded", "只有草稿可以放弃")
            }
            StoreError::NotFound => ApiError::not_found("catalog", &id.to_string(), Vec::new()),
            e => e.into(),
        })
}

#[utoipa::path(post, path = "/api/v1/admin/editions/{jurisdiction}/{version}/discard", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "discarded"), (status = 400, body = ErrorBody, description = "not an edition id"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such edition"), (status = 409, body = ErrorBody, description = "not a draft")))]
pub async fn post_discard(
    State(s): State<Shared>,
    v: Viewer,
    Path((j, ver)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    discard(&s, &v, &edition_id(&j, &ver)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        entry_history,
        list,
        create,
        show,
        put_overlay,
        post_publish,
        post_discard
    ),
    components(schemas(HistoryStep, EditionView, OverlayBody, PublishBody))
)]
pub struct EditionsDoc;
