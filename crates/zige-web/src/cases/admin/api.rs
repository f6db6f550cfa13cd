//! The JSON API of administration: accounts and their roles, resetting a
//! lost second factor, and the audit log.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::UserUpdate;
use crate::cases::accounts::second_factor;
use crate::cases::accounts::sessions::Viewer;
use crate::cases::accounts::UserView;
use crate::cases::admin;
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::extract::{Administrator, JsonBody, UserId};
use crate::state::Shared;

// Handles `GET /api/v1/admin/users`.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = []), ("cookie" = [])), responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins")))]
pub async fn users(
    State(state): State<Shared>,
    Administrator(viewer): Administrator,
) -> Result<Json<Vec<UserView>>, ApiErrors> {
    let users = admin::users(&state, &viewer).await?;
    Ok(Json(users.iter().map(UserView::from).collect()))
}

// Handles `PATCH /api/v1/admin/users/{id}`.
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", params(("id" = i64, Path)), request_body = UserUpdate, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = UserView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such user"), (status = 409, body = ErrorBody, description = "you cannot remove your own admin role or disable yourself"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn update_user(
    State(state): State<Shared>,
    viewer: Viewer,
    UserId(id): UserId,
    JsonBody(update): JsonBody<UserUpdate>,
) -> Result<Json<UserView>, ApiErrors> {
    let user = admin::update_user(&state, &viewer, id, &update).await?;
    Ok(Json(UserView::from(&user)))
}

// Handles `POST /api/v1/admin/users/{id}/second-factor/reset`.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/second-factor/reset", tag = "admin", security(("bearer" = []), ("cookie" = [], "csrf" = [])), params(("id" = i64, Path, description = "the account's number")),
    responses((status = 204, description = "the factor and recovery codes are removed, the account's sessions end; it enrols again at its next sign-in (audited)"), (status = 400, body = ErrorBody, description = "the id is not a number"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins; or a missing CSRF token on a cookie session"), (status = 404, body = ErrorBody, description = "no such account")))]
pub async fn reset_second_factor(
    State(state): State<Shared>,
    viewer: Viewer,
    UserId(id): UserId,
) -> Result<Response, ApiErrors> {
    second_factor::reset(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// Handles `GET /api/v1/admin/audit`.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("before" = Option<i64>, Query, description = "records before this sequence number"), ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "default 100")),
    responses((status = 200, body = crate::schemas::AuditPage, description = "audit records, newest first"), (status = 400, body = ErrorBody, description = "a parameter is invalid, naming it"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins")))]
pub async fn audit(
    State(state): State<Shared>,
    viewer: Viewer,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiErrors> {
    let number = |key: &str| -> Result<Option<i64>, ApiError> {
        params
            .get(key)
            .filter(|text| !text.is_empty())
            .map(|text| {
                text.parse::<i64>()
                    .map_err(|_| ApiError::invalid(key, text, "a whole number"))
            })
            .transpose()
    };
    let limit = number("limit")?.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(
            ApiError::invalid("limit", &limit.to_string(), "a whole number from 1 to 500").into(),
        );
    }
    let records = admin::audit(&state, &viewer, number("before")?, limit).await?;
    Ok(Json(json!({"records": records})))
}
