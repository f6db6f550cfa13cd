//! Catalogue editions: the operations the admin API ([`api`]) and the
//! admin pages ([`pages`]) share — importing a new official text as a
//! draft, its validation and diff, overlay corrections, publishing from an
//! effective date and discarding — with an entry's history ([`history`]),
//! the changes page ([`changes`]) and the Atom feed ([`feed`]).

pub mod api;
pub(crate) mod changes;
pub(crate) mod diff_view;
pub mod feed;
pub mod history;
pub(crate) mod pages;

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;
use zige_cases::Role;
use zige_catalog::{CatalogDiff, CatalogId, Diagnostic, Lang, Problem};
use zige_store::{StoreError, StoredEdition};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::now_ms;
use crate::error::{ApiError, ApiErrors};
use crate::i18n::Tr;
use crate::state::{today, Edition, Shared};

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
    /// The same problems with their Chinese text, for the pages.
    #[serde(skip)]
    pub checks: Vec<Problem>,
    /// Against the edition in force today of its jurisdiction (details only).
    pub diff: Option<CatalogDiff>,
    /// The overlay (TOML) of a stored edition.
    pub overlay: Option<String>,
    /// The overlay's changes (details only).
    #[schema(value_type = Vec<crate::schemas::OverlayChange>)]
    pub history: Vec<Value>,
}

/// A 409 with a message of `editions.ftl`.
fn conflict(key: &str, args: &[(&'static str, String)]) -> ApiError {
    ApiError::localized(StatusCode::CONFLICT, "conflict", key, args)
}

/// A problem of an official text that cannot be read, by line and column
/// (the value quotes the line's text; the pages show it after `: `).
fn unreadable(diagnostic: &Diagnostic) -> ApiError {
    let at = |text: &str| {
        [
            ("line", diagnostic.line.to_string()),
            ("column", diagnostic.column.to_string()),
            ("text", text.to_string()),
        ]
    };
    let value = Tr { lang: Lang::En }.with("edition-text-at", &at(&diagnostic.text));
    ApiError::invalid("text", &value, &diagnostic.message.en).with_message(
        Tr { lang: Lang::En }.with("edition-text-at", &at(&diagnostic.message.en)),
        Tr { lang: Lang::Zh }.with("edition-text-at", &at(&diagnostic.message.zh)),
    )
}

/// Why a draft cannot be published: one of its problems, as a 409 naming
/// the overlay, in both languages.
fn unpublishable(problem: &Problem) -> ApiError {
    ApiError::localized_each(
        StatusCode::CONFLICT,
        "conflict",
        "edition-fix-before-publishing",
        |lang| {
            vec![
                ("at", problem.at.clone()),
                ("message", problem.message_in(lang).to_string()),
            ]
        },
    )
    .with_field("overlay")
    .with_value(problem.at.clone())
}

pub(crate) fn admin(viewer: &Viewer) -> Result<(), ApiError> {
    viewer.require(viewer.is(Role::Admin))
}

/// The edition `{jurisdiction}/{version}` named in a path.
pub fn edition_id(jurisdiction: &str, version: &str) -> Result<CatalogId, ApiError> {
    CatalogId::parse(&format!("{jurisdiction}/{version}"))
        .map_err(|e| ApiError::invalid("edition", &format!("{jurisdiction}/{version}"), &e))
}

pub async fn stored(state: &Shared, id: &CatalogId) -> Result<StoredEdition, ApiError> {
    let id = id.to_string();
    state
        .store()?
        .editions()
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| ApiError::not_found("catalog", &id, Vec::new()))
}

/// A stored edition as officials see it; `detail` adds the diff, the
/// overlay and its history.
pub async fn view_of(
    state: &Shared,
    edition: &StoredEdition,
    detail: bool,
) -> Result<EditionView, ApiError> {
    let (catalog, problems) = zige_catalog::edition::rebuild(&edition.text, &edition.overlay)
        .map_err(ApiError::internal)?;
    let in_force = state.in_force(&edition.jurisdiction, &today());
    let diff = in_force
        .filter(|f| f.catalog.id != catalog.id)
        .map(|f| zige_catalog::diff(f.catalog, &catalog));
    let history = if detail {
        state.store()?.overlay_history(&edition.id).await?.into_iter().map(|h| serde_json::json!({"at": zige_cases::Timestamp(h.at).rfc3339(), "author": h.author, "note": h.note})).collect()
    } else {
        Vec::new()
    };
    Ok(EditionView {
        id: edition.id.clone(),
        status: edition.status.clone(),
        effective_from: edition.effective_from.clone(),
        in_force: in_force.is_some_and(|f| f.catalog.id.to_string() == edition.id),
        entries: catalog.entries.len(),
        problems: problems
            .iter()
            .map(|p| serde_json::json!({"at": p.at, "message": p.message}))
            .collect(),
        checks: problems,
        diff: if detail { diff } else { None },
        overlay: detail.then(|| edition.overlay.clone()),
        history,
    })
}

/// A built-in edition: always there, never changed.
fn builtin_view(state: &Shared, edition: &Edition) -> EditionView {
    EditionView {
        id: edition.catalog.id.to_string(),
        status: "built-in".into(),
        effective_from: Some(edition.effective_from.clone()),
        in_force: state
            .in_force(&edition.catalog.id.jurisdiction, &today())
            .is_some_and(|f| std::ptr::eq(f, edition)),
        entries: edition.catalog.entries.len(),
        problems: Vec::new(),
        checks: Vec::new(),
        diff: None,
        overlay: None,
        history: Vec::new(),
    }
}

/// Every edition: the built-in ones, then the stored ones (drafts,
/// published, discarded) in the order they were imported.
pub async fn all(state: &Shared) -> Result<Vec<EditionView>, ApiError> {
    let mut out: Vec<EditionView> = state
        .published()
        .into_iter()
        .filter(|e| e.builtin)
        .map(|e| builtin_view(state, e))
        .collect();
    for e in state.store()?.editions().await? {
        out.push(view_of(state, &e, false).await?);
    }
    Ok(out)
}

/// One edition in detail, stored or built-in.
pub async fn view(state: &Shared, id: &CatalogId) -> Result<EditionView, ApiError> {
    if let Some(b) = state
        .published()
        .into_iter()
        .find(|e| e.builtin && e.catalog.id == *id)
    {
        return Ok(builtin_view(state, b));
    }
    view_of(state, &stored(state, id).await?, true).await
}

/// Imports a text as a draft; every problem of an unreadable text is named
/// by line and column, and nothing is stored.
pub async fn import(
    state: &Shared,
    viewer: &Viewer,
    jurisdiction: &str,
    version: &str,
    published: Option<&str>,
    bytes: &[u8],
) -> Result<EditionView, ApiErrors> {
    admin(viewer)?;
    let id = edition_id(jurisdiction, version)?;
    let published = published
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .unwrap_or_else(today);
    if !zige_catalog::edition::valid_date(&published) {
        return Err(ApiError::invalid("published", &published, "a date as YYYY-MM-DD").into());
    }
    let base = state.in_force(jurisdiction, &today());
    let base_overlay = match base {
        Some(b) if b.builtin => zige_catalog::builtin_overlay(jurisdiction).map(|o| o.0),
        Some(b) => stored(state, &b.catalog.id)
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
    .map_err(|diags| ApiErrors(diags.iter().map(unreadable).collect()))?;
    let text = String::from_utf8_lossy(bytes).into_owned();
    let stored = state
        .store()?
        .import_edition(
            &id.to_string(),
            jurisdiction,
            version,
            &text,
            &draft.overlay_toml,
            Some(viewer.user.id),
            now_ms(),
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => conflict("edition-exists", &[("id", id.to_string())]),
            e => e.into(),
        })?;
    Ok(view_of(state, &stored, true).await?)
}

/// Longest overlay, in characters (the request itself may be 4 MB).
pub const MAX_OVERLAY: usize = 1_000_000;

pub async fn set_overlay(
    state: &Shared,
    viewer: &Viewer,
    id: &CatalogId,
    overlay: &str,
    note: &str,
) -> Result<EditionView, ApiError> {
    admin(viewer)?;
    use zige_cases::text::{check_text, Lines, MAX_NOTE};
    check_text("note", note, MAX_NOTE, Lines::Many).map_err(ApiError::from_input)?;
    check_text("overlay", overlay, MAX_OVERLAY, Lines::Many).map_err(ApiError::from_input)?;
    let e = stored(state, id).await?;
    zige_catalog::edition::rebuild(&e.text, overlay).map_err(|err| {
        ApiError::invalid(
            "overlay",
            &err.chars().take(300).collect::<String>(),
            "a TOML overlay like the one shown for the draft",
        )
    })?;
    let e = state
        .store()?
        .set_edition_overlay(&e.id, overlay, note, Some(viewer.user.id), now_ms())
        .await
        .map_err(|err| match err {
            StoreError::Conflict => conflict("edition-only-drafts-change", &[]),
            e => e.into(),
        })?;
    view_of(state, &e, true).await
}

/// Publishes a draft without problems; the server answers from it once its
/// effective date comes.
pub async fn publish(
    state: &Shared,
    viewer: &Viewer,
    id: &CatalogId,
    effective: &str,
) -> Result<EditionView, ApiErrors> {
    admin(viewer)?;
    if !zige_catalog::edition::valid_date(effective) {
        return Err(ApiError::invalid("effective", effective, "a date as YYYY-MM-DD").into());
    }
    let e = stored(state, id).await?;
    let (_, problems) =
        zige_catalog::edition::rebuild(&e.text, &e.overlay).map_err(ApiError::internal)?;
    if !problems.is_empty() {
        return Err(ApiErrors(problems.iter().map(unpublishable).collect()));
    }
    let e = state
        .store()?
        .publish_edition(&e.id, effective, Some(viewer.user.id), now_ms())
        .await
        .map_err(|err| match err {
            StoreError::Conflict => conflict("edition-only-drafts-publish", &[]),
            e => e.into(),
        })?;
    state.refresh_editions().await.map_err(ApiError::from)?;
    Ok(view_of(state, &e, true).await?)
}

pub async fn discard(state: &Shared, viewer: &Viewer, id: &CatalogId) -> Result<(), ApiError> {
    admin(viewer)?;
    state
        .store()?
        .discard_edition(&id.to_string(), Some(viewer.user.id), now_ms())
        .await
        .map_err(|err| match err {
            StoreError::Conflict => conflict("edition-only-drafts-discard", &[]),
            StoreError::NotFound => ApiError::not_found("catalog", &id.to_string(), Vec::new()),
            e => e.into(),
        })
}
