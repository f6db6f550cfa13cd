//! The JSON API of reason templates: reviewers and admins read them,
//! admins add, change and delete them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::{TemplateRequest, TemplateView};
use crate::cases::accounts::sessions::Viewer;
use crate::cases::created;
use crate::error::{ApiErrors, ErrorBody};
use crate::extract::{JsonBody, TemplateId};
use crate::state::Shared;

// Handles `GET /api/v1/reason-templates`.
#[utoipa::path(get, path = "/api/v1/reason-templates", tag = "review", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<TemplateView>, description = "every template, by outcome"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only reviewers and admins")))]
pub async fn list(
    State(state): State<Shared>,
    viewer: Viewer,
) -> Result<Json<Vec<TemplateView>>, ApiErrors> {
    Ok(Json(super::list(&state, &viewer).await?))
}

// Handles `POST /api/v1/reason-templates`.
#[utoipa::path(post, path = "/api/v1/reason-templates", tag = "admin", request_body(content = TemplateRequest), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 201, body = TemplateView, description = "the template is added (audited)"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn add(
    State(state): State<Shared>,
    viewer: Viewer,
    JsonBody(request): JsonBody<TemplateRequest>,
) -> Result<Response, ApiErrors> {
    Ok(created(super::add(&state, &viewer, &request).await?))
}

// Handles `PUT /api/v1/reason-templates/{id}`.
#[utoipa::path(put, path = "/api/v1/reason-templates/{id}", tag = "admin", params(("id" = i64, Path)), request_body(content = TemplateRequest), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = TemplateView, description = "the template is changed (audited)"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such template"), (status = 409, body = ErrorBody, description = "changed by someone else since `version`"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn change(
    State(state): State<Shared>,
    viewer: Viewer,
    TemplateId(id): TemplateId,
    JsonBody(request): JsonBody<TemplateRequest>,
) -> Result<Json<TemplateView>, ApiErrors> {
    Ok(Json(super::change(&state, &viewer, id, &request).await?))
}

// Handles `DELETE /api/v1/reason-templates/{id}`.
#[utoipa::path(delete, path = "/api/v1/reason-templates/{id}", tag = "admin", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "the template is deleted (audited); decisions that used it keep their reasons"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such template")))]
pub async fn delete(
    State(state): State<Shared>,
    viewer: Viewer,
    TemplateId(id): TemplateId,
) -> Result<Response, ApiErrors> {
    super::delete(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
