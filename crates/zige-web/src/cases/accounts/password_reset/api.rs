//! The API of password reset.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{NewPassword, ResetRequest};
use crate::error::{ApiErrors, ErrorBody};
use crate::extract::JsonBody;
use crate::state::Shared;

// Handles `POST /api/v1/password-reset`.
#[utoipa::path(post, path = "/api/v1/password-reset", tag = "accounts", request_body = ResetRequest,
    responses((status = 202, description = "if the address has an account, a link to set a new password is on its way (the same answer either way; at most 3 links an hour)"), (status = 400, body = ErrorBody, description = "the body or the address is invalid"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn request_reset(
    State(state): State<Shared>,
    JsonBody(request): JsonBody<ResetRequest>,
) -> Result<Response, ApiErrors> {
    super::request(&state, &request.email).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}

// Handles `POST /api/v1/password-reset/{token}`.
#[utoipa::path(post, path = "/api/v1/password-reset/{token}", tag = "accounts", request_body = NewPassword,
    params(("token" = String, Path, pattern = "^[A-Za-z0-9_-]{43}$", description = "the token from the mailed link: 43 letters, digits, - and _")),
    responses((status = 204, description = "the new password is set; the old one and every session of the account no longer work"), (status = 400, body = ErrorBody, description = "`link_unknown`: not a link's token; or the password is not allowed, naming what is"), (status = 404, body = ErrorBody, description = "`link_unknown`: no such link was sent"), (status = 410, body = ErrorBody, description = "`link_used`: the link was used already or has expired (after one hour)"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn reset_password(
    State(state): State<Shared>,
    Path(token): Path<String>,
    JsonBody(body): JsonBody<NewPassword>,
) -> Result<Response, ApiErrors> {
    super::reset(&state, &token, &body.password).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
