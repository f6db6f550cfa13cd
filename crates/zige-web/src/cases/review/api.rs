//! The JSON API of review: the queue of waiting cases and starting a
//! case's review.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;

use super::QueueView;
use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications::{self, ApplicationView};
use crate::cases::review;
use crate::error::{ApiErrors, ErrorBody};
use crate::extract::{opt_whole, ApplicationId, JsonBody, OptionalJsonBody, Reviewer};
use crate::state::Shared;

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct StartReview {
    /// The version read; a stale one gets 409 (default: whatever is current).
    #[serde(default, deserialize_with = "opt_whole")]
    pub version: Option<i64>,
}

// Handles `POST /api/v1/applications/{id}/review`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/review", tag = "review", params(("id" = i64, Path)), request_body(content = StartReview, description = "optional"), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView, description = "the case is now under review (submitted or resubmitted before)"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not a reviewer, the application is your own, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not visible to you"), (status = 409, body = ErrorBody, description = "already under review or decided, or changed since `version`"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn start_review(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    OptionalJsonBody(request): OptionalJsonBody<StartReview>,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let version = request.unwrap_or_default().version;
    let application = review::start_review(&state, &viewer, id, version).await?;
    Ok(Json(
        applications::view(&state, &viewer, &application).await?,
    ))
}

// Handles `GET /api/v1/review/queue`.
#[utoipa::path(get, path = "/api/v1/review/queue", tag = "review", security(("bearer" = []), ("cookie" = [])),
    params(("state" = Option<String>, Query, pattern = "^\\s*(submitted|under_review|resubmitted)?\\s*$", description = "submitted, under_review, resubmitted (default: all three)"), ("entry" = Option<String>, Query, description = "entry code or id"), ("list" = Option<String>, Query, pattern = "^\\s*([uU][rR][gG][eE][nN][tT]|[gG][eE][nN][eE][rR][aA][lL]|[uUgG])?\\s*$", description = "urgent or general"), ("waiting_days" = Option<i64>, Query, minimum = 0, maximum = 3650, description = "waiting at least this many days"), ("assigned" = Option<String>, Query, pattern = "^\\s*(mine|nobody)?\\s*$", description = "mine: assigned to you; nobody: assigned to no one (default: either)"), ("page" = Option<i64>, Query, minimum = 0, maximum = 100000, description = "from 1 (0 is the first page too), 50 per page")),
    responses((status = 200, body = QueueView, description = "oldest submission first"), (status = 400, body = ErrorBody, description = "a parameter is invalid, naming it"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only reviewers and admins"), (status = 404, body = ErrorBody, description = "no such entry")))]
pub async fn review_queue(
    State(state): State<Shared>,
    Reviewer(viewer): Reviewer,
    Query(filters): Query<HashMap<String, String>>,
) -> Result<Json<QueueView>, ApiErrors> {
    Ok(Json(review::queue(&state, &viewer, &filters).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct AssignRequest {
    /// The reviewer to assign the case to (a reviewer may name only
    /// themselves, to take a free case); null gives it back to nobody.
    #[serde(default, deserialize_with = "opt_whole")]
    pub reviewer_id: Option<i64>,
}

// Handles `PUT /api/v1/applications/{id}/assignee`.
#[utoipa::path(put, path = "/api/v1/applications/{id}/assignee", tag = "review", params(("id" = i64, Path)), request_body(content = AssignRequest), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView, description = "the case is now assigned as asked"), (status = 400, body = ErrorBody, description = "the body is invalid, or `reviewer_id` is not an enabled reviewer or admin, or is the case's applicant"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not a reviewer; a reviewer naming someone else; or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not visible to you"), (status = 409, body = ErrorBody, description = "another reviewer has the case, or it no longer waits for review"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn assign(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    JsonBody(request): JsonBody<AssignRequest>,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let application = super::assignment::assign(&state, &viewer, id, request.reviewer_id).await?;
    Ok(Json(
        applications::view(&state, &viewer, &application).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NoteRequest {
    /// The note, for reviewers only (at most 2,000 characters).
    pub note: String,
}

// Handles `POST /api/v1/applications/{id}/notes`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/notes", tag = "review", params(("id" = i64, Path)), request_body(content = NoteRequest), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 201, body = Vec<super::notes::NoteView>, description = "the note is added (audited); the case's notes, oldest first"), (status = 400, body = ErrorBody, description = "the body is invalid, or the note is empty, too long or holds control characters"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not a reviewer, the application is your own, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not visible to you"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn add_note(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    JsonBody(request): JsonBody<NoteRequest>,
) -> Result<(axum::http::StatusCode, Json<Vec<super::notes::NoteView>>), ApiErrors> {
    let notes = super::notes::add(&state, &viewer, id, &request.note).await?;
    Ok((axum::http::StatusCode::CREATED, Json(notes)))
}
