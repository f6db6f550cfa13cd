//! The editions API under `/api/v1`: an entry's history, and for
//! administrators importing a text as a draft, reading it, correcting its
//! overlay, publishing and discarding it. A doc comment here would enter
//! the OpenAPI document, so each handler's route is named in a plain comment.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::cases::accounts::sessions::Viewer;
use crate::editions::history::{history, HistoryStep};
use crate::editions::{
    admin, all, discard, edition_id, import, publish, set_overlay, stored, view_of, EditionView,
};
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::state::Shared;

// Handles `GET /api/v1/entries/{id}/history`.
#[utoipa::path(get, path = "/api/v1/entries/{id}/history", tag = "catalogue", params(("id" = String, Path, description = "Stable id or code in the edition in force")),
    responses((status = 200, body = Vec<HistoryStep>, description = "the entry in every published edition of its jurisdiction, oldest first"), (status = 404, body = ErrorBody, description = "no such entry")))]
pub async fn entry_history(
    State(state): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Vec<HistoryStep>>, ApiError> {
    let cur = state.current().catalog;
    let stable = cur.find(&id).map(|e| e.id.clone()).or_else(|| {
        state
            .published()
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
    Ok(Json(history(&state, &stable)))
}

// Handles `GET /api/v1/admin/editions`.
#[utoipa::path(get, path = "/api/v1/admin/editions", tag = "admin", security(("bearer" = []), ("cookie" = [])), responses((status = 200, body = Vec<EditionView>), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins")))]
pub async fn list(
    State(state): State<Shared>,
    viewer: Viewer,
) -> Result<Json<Vec<EditionView>>, ApiError> {
    admin(&viewer)?;
    Ok(Json(all(&state).await?))
}

/// Query of an import: `?jurisdiction=beijing&version=3.1&published=2026-12-01`.
#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    pub jurisdiction: Option<String>,
    pub version: Option<String>,
    pub published: Option<String>,
}

// Handles `POST /api/v1/admin/editions`.
#[utoipa::path(post, path = "/api/v1/admin/editions", tag = "admin", security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    params(("jurisdiction" = String, Query, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Query, pattern = "^[a-z0-9.-]{1,40}$"), ("published" = Option<String>, Query, format = Date, pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-", description = "publication date of the text, YYYY-MM-DD, years 1900–2200 (default today)")),
    request_body(content_type = "text/plain", content = String, description = "the official text, as published"),
    responses((status = 201, body = EditionView, description = "stored as a draft, with its validation and its diff against the edition in force"), (status = 400, body = ErrorBody, description = "a parameter is invalid, or every problem of the text by line and column; nothing stored"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 409, body = ErrorBody, description = "the edition exists already"), (status = 413, body = ErrorBody, description = "the body is too large")))]
pub async fn create(
    State(state): State<Shared>,
    viewer: Viewer,
    axum::extract::Query(query): axum::extract::Query<ImportQuery>,
    body: Bytes,
) -> Result<Response, ApiErrors> {
    let need = |f: &str, x: &Option<String>| {
        x.clone()
            .filter(|x| !x.trim().is_empty())
            .ok_or_else(|| ApiError::invalid(f, "", "e.g. jurisdiction=beijing&version=3.1"))
    };
    let (jurisdiction, version) = (
        need("jurisdiction", &query.jurisdiction)?,
        need("version", &query.version)?,
    );
    let view = import(
        &state,
        &viewer,
        &jurisdiction,
        &version,
        query.published.as_deref(),
        &body,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

// Handles `GET /api/v1/admin/editions/{jurisdiction}/{version}`.
#[utoipa::path(get, path = "/api/v1/admin/editions/{jurisdiction}/{version}", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = EditionView), (status = 400, body = ErrorBody, description = "not an edition id"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins"), (status = 404, body = ErrorBody, description = "no such edition")))]
pub async fn show(
    State(state): State<Shared>,
    viewer: Viewer,
    Path((jurisdiction, version)): Path<(String, String)>,
) -> Result<Json<EditionView>, ApiError> {
    admin(&viewer)?;
    let e = stored(&state, &edition_id(&jurisdiction, &version)?).await?;
    Ok(Json(view_of(&state, &e, true).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OverlayBody {
    /// The whole overlay, TOML.
    pub overlay: String,
    /// What changed, for the history.
    #[serde(default)]
    pub note: String,
}

// Handles `PUT /api/v1/admin/editions/{jurisdiction}/{version}/overlay`.
#[utoipa::path(put, path = "/api/v1/admin/editions/{jurisdiction}/{version}/overlay", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), request_body = OverlayBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = EditionView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such edition"), (status = 409, body = ErrorBody, description = "not a draft"), (status = 413, body = ErrorBody, description = "the body is too large"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn put_overlay(
    State(state): State<Shared>,
    viewer: Viewer,
    Path((jurisdiction, version)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<EditionView>, ApiError> {
    let request: OverlayBody = crate::extract::json_body(&headers, &body)?;
    Ok(Json(
        set_overlay(
            &state,
            &viewer,
            &edition_id(&jurisdiction, &version)?,
            &request.overlay,
            &request.note,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PublishBody {
    /// First day in force, YYYY-MM-DD, years 1900–2200 (may be in the future).
    #[schema(format = Date, pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    pub effective: String,
}

// Handles `POST /api/v1/admin/editions/{jurisdiction}/{version}/publish`.
#[utoipa::path(post, path = "/api/v1/admin/editions/{jurisdiction}/{version}/publish", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), request_body = PublishBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = EditionView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such edition"), (status = 409, body = ErrorBody, description = "not a draft, or problems left"), (status = 413, body = ErrorBody, description = "the body is too large"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn post_publish(
    State(state): State<Shared>,
    viewer: Viewer,
    Path((jurisdiction, version)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<EditionView>, ApiErrors> {
    let request: PublishBody = crate::extract::json_body(&headers, &body)?;
    Ok(Json(
        publish(
            &state,
            &viewer,
            &edition_id(&jurisdiction, &version)?,
            &request.effective,
        )
        .await?,
    ))
}

// Handles `POST /api/v1/admin/editions/{jurisdiction}/{version}/discard`.
#[utoipa::path(post, path = "/api/v1/admin/editions/{jurisdiction}/{version}/discard", tag = "admin", params(("jurisdiction" = String, Path, pattern = "^[a-z0-9.-]{1,40}$"), ("version" = String, Path, pattern = "^[a-z0-9.-]{1,40}$")), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "discarded"), (status = 400, body = ErrorBody, description = "not an edition id"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such edition"), (status = 409, body = ErrorBody, description = "not a draft")))]
pub async fn post_discard(
    State(state): State<Shared>,
    viewer: Viewer,
    Path((jurisdiction, version)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    discard(&state, &viewer, &edition_id(&jurisdiction, &version)?).await?;
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
